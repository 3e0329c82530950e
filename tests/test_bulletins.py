"""Annual bulletins (releases/bulletin-YYYY.csv): the drop-in format, its validation, and the appendix picking it up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aibook import DataError, load
from aibook.bulletins import COLUMNS, available_years, bulletin_path, load_all, load_bulletin
from aibook.data import INPUT_LOG_ENV
from aibook.series import coverage, observations, series_table

GOV = "https://tjj.sh.gov.cn/tjgb/2026.html"
HEADER = "indicator,basis,unit,value,growth_pct,source_type,source_title,source_url,quote"


def _write(data: Path, year: int, lines: list[str], header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = bulletin_path(year, data)
    path.write_bytes(("\n".join([header, *lines]) + "\n").encode(encoding))
    return path


def _row(indicator: str = "上海港集装箱吞吐量", unit: str = "万标准箱", value: str = "5600", growth: str = "1.7",
         stype: str = "official", url: str = GOV, quote: str = "全年上海港集装箱吞吐量5600万标准箱，比上年增长1.7%",
         basis: str = "单一口径") -> str:
    return ",".join([indicator, basis, unit, value, growth, stype, "2026年上海市国民经济和社会发展统计公报", url, quote])


def test_shipped_bulletins_load() -> None:
    assert available_years() == [2017, 2024, 2025]
    b = load_bulletin(2017).set_index("indicator")
    assert b.at["规模以上工业总产值", "value"] == 33989 and b.at["规模以上工业总产值", "growth_pct"] == 6.8
    assert list(load_bulletin(2025).columns) == ["id", "year", *COLUMNS]
    assert set(load_all()["source_type"]) == {"official"}
    assert load_all().attrs["source_line"].startswith("数据来源：")


def test_shipped_bulletins_reach_the_appendix_series() -> None:
    stats, catalog = load("external_sh_stats"), load("timeseries_catalog")
    table = series_table(observations(stats, load_all()), catalog).set_index(["series_id", "year"])
    assert table.loc[("sei_share", 2025), "value"] == 45
    assert table.loc[("sei_share", 2025), "origin"] == "releases/bulletin-2025.csv"
    assert table.loc[("sei_share", 2024), "value"] == 43.6


def test_a_new_bulletin_adds_its_year_to_the_appendix(data_copy: Path) -> None:
    stats, catalog = load("external_sh_stats", data_copy), load("timeseries_catalog", data_copy)
    before = series_table(observations(stats, load_all(data_copy)), catalog)
    _write(data_copy, 2026, [_row()])
    after = series_table(observations(stats, load_all(data_copy)), catalog)
    assert before.attrs["last_year"] == 2025 and after.attrs["last_year"] == 2026
    open_ended = catalog["last_year"].isna().sum()
    cov_before, cov_after = coverage(before).set_index("series_id"), coverage(after).set_index("series_id")
    assert cov_after.at["合计", "shown"] == cov_before.at["合计", "shown"] + open_ended
    assert cov_after.at["合计", "found"] == cov_before.at["合计", "found"] + 1
    point = after.set_index(["series_id", "year"]).loc[("container", 2026)]
    assert point["value"] == 5600 and point["source_type"] == "official"


def test_listing_the_folder_is_recorded_as_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "inputs.jsonl"
    monkeypatch.setenv(INPUT_LOG_ENV, str(log))
    load_all()
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert any(r.get("listing", "").endswith("releases") for r in records)
    assert any(r.get("path", "").endswith("bulletin-2017.csv") for r in records)


def test_optional_columns_and_full_width_digits(data_copy: Path) -> None:
    header = HEADER.replace("unit,", "unit,value_qualifier,")
    line = _row(value="５５０６", growth="").replace("万标准箱,", "万标准箱,>,")
    _write(data_copy, 2026, [line.replace("5600", "5506")], header=header)
    b = load_bulletin(2026, data_copy)
    assert b.at[0, "value"] == 5506 and b.at[0, "value_qualifier"] == ">"


@pytest.mark.parametrize(("line", "expect"), [
    (_row(value="五千六百"), ["line 2", "column 'value", "type number"]),
    (_row(unit="万吨"), ["line 2", "column 'unit", "万吨"]),
    (_row(stype="repost"), ["line 2", "column 'source_type", "repost"]),
    (_row(url="http://www.shine.cn/biz/2026.html"), ["line 2", "column 'source_url (", "gov.cn", "bulletin-source"]),
    (_row(stype="news_agency"), ["line 2", "xinhuanet.com", "bulletin-source"]),
    (_row(quote="全年上海港集装箱吞吐量再创新高"), ["line 2", "column 'value (", "5600", "bulletin-quote"]),
    (_row(value="", growth=""), ["line 2", "value, a growth rate or both"]),
    (_row(unit=""), ["line 2", "column 'unit (", "needs its unit"]),
    (_row(indicator=""), ["line 2", "column 'indicator", "required"]),
])
def test_malformed_rows_are_located(data_copy: Path, line: str, expect: list[str]) -> None:
    path = _write(data_copy, 2026, [line])
    with pytest.raises(DataError) as exc:
        load_bulletin(2026, data_copy)
    message = str(exc.value)
    assert str(path) in message
    for part in expect:
        assert part in message, message


def test_duplicate_indicator_names_both_lines(data_copy: Path) -> None:
    _write(data_copy, 2026, [_row(), _row()])
    with pytest.raises(DataError) as exc:
        load_bulletin(2026, data_copy)
    assert "line 3" in str(exc.value) and "first on line 2" in str(exc.value)


@pytest.mark.parametrize(("header", "expect"), [
    (HEADER.replace(",quote", ""), "['quote'] missing"),
    (HEADER + ",comment", "['comment']"),
])
def test_header_problems_point_at_line_1(data_copy: Path, header: str, expect: str) -> None:
    _write(data_copy, 2026, [_row() + (",x" if "comment" in header else "")] if "comment" in header
           else [_row().rsplit(",", 1)[0]], header=header)
    with pytest.raises(DataError) as exc:
        load_bulletin(2026, data_copy)
    assert "line 1" in str(exc.value) and expect in str(exc.value)


def test_encoding_empty_and_missing_files(data_copy: Path) -> None:
    _write(data_copy, 2026, [_row()], encoding="gb18030")
    with pytest.raises(DataError, match="GBK/GB18030"):
        load_bulletin(2026, data_copy)
    bulletin_path(2026, data_copy).write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="file is empty"):
        load_bulletin(2026, data_copy)
    with pytest.raises(DataError, match=r"no bulletin for 2030 \(available: 2017, 2024, 2025, 2026\)"):
        load_bulletin(2030, data_copy)


def test_no_bulletins_is_an_empty_frame(data_copy: Path) -> None:
    for year in available_years(data_copy):
        bulletin_path(year, data_copy).unlink()
    empty = load_all(data_copy)
    assert empty.empty and empty.attrs["years"] == []
    stats = load("external_sh_stats", data_copy)
    assert len(observations(stats, empty)) == len(stats)
