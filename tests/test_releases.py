"""Monthly statistics-bureau releases: the drop-in format, its validation, and period builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from aibook import DataError
from aibook import build as B
from aibook.paths import DATA_DIR
from aibook.periods import PeriodUnavailable, industry_period, periods
from aibook.releases import available_periods, load_release, six_industries_table

REL = "releases/tjj-industrial-production-2019-06.csv"


def test_shipped_release_loads_with_canonical_columns() -> None:
    r = load_release("2019-06")
    assert list(r.columns[:6]) == ["indicator", "unit", "month_value", "month_growth_pct", "cumulative_value",
                                   "cumulative_growth_pct"]
    six = six_industries_table(r).set_index("indicator")
    assert six.at["六个重点行业工业总产值", "value"] == 10785.35
    assert six.at["汽车制造业", "growth_pct"] == -12.6


def _shipped() -> list[str]:
    """The periods of the releases shipped in data/releases (a new release is one file there, no test edited)."""
    return sorted(p.stem.removeprefix("tjj-industrial-production-")
                  for p in (DATA_DIR / "releases").glob("tjj-industrial-production-*.csv"))


def test_periods_and_industry_for_each() -> None:
    assert periods() == ["2018", *_shipped()] and "2019-06" in _shipped()
    report = industry_period("2018")
    assert report.share_is_stated and report.share_pct == 68.5 and report.check.total == 23870.77
    h1 = industry_period("2019-06")
    assert not h1.share_is_stated and round(h1.share_pct, 1) == 66.7 and h1.label == "2019年1–6月"
    with pytest.raises(PeriodUnavailable, match=", ".join(["2018", *_shipped()])):
        industry_period("2017")


def test_chinese_headers_are_accepted(data_copy: Path) -> None:
    f = data_copy / REL
    lines = f.read_text(encoding="utf-8").splitlines()
    lines[0] = "指标,单位,6月,比去年同月增长(%),1-6月,比去年同期增长(%),source_title,source_url"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_release("2019-06", data_copy).attrs["period"] == "2019-06"


def test_header_month_must_match_file_name(data_copy: Path) -> None:
    src = data_copy / REL
    (data_copy / "releases" / "tjj-industrial-production-2019-07.csv").write_bytes(src.read_bytes())
    with pytest.raises(DataError) as exc:
        load_release("2019-07", data_copy)
    assert "line 1" in str(exc.value) and "2019-07" in str(exc.value) and "jul_2019" in str(exc.value)


@pytest.mark.parametrize(("old", "new", "expect"), [
    ("2651.81", "二六五一", "column 'jan_jun_2019"),
    ("汽车制造业,亿元", "汽车制造业,万元", "column 'unit"),
    ("电子信息产品制造业,", "汽车制造业,", "unique"),
])
def test_malformed_release_cells_are_located(data_copy: Path, old: str, new: str, expect: str) -> None:
    f = data_copy / REL
    f.write_text(f.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_release("2019-06", data_copy)
    assert REL.split("/")[1] in str(exc.value) and "line " in str(exc.value) and expect in str(exc.value)


def test_release_missing_an_industry_is_rejected(data_copy: Path) -> None:
    f = data_copy / REL
    f.write_text("\n".join(ln for ln in f.read_text(encoding="utf-8").splitlines() if not ln.startswith("生物医药"))
                 + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="生物医药制造业"):
        load_release("2019-06", data_copy)


def test_gbk_and_empty_releases(data_copy: Path) -> None:
    f = data_copy / REL
    text = f.read_text(encoding="utf-8")
    f.write_bytes(text.encode("gbk"))
    with pytest.raises(DataError, match="GBK"):
        load_release("2019-06", data_copy)
    f.write_bytes(b"")
    with pytest.raises(DataError, match="empty"):
        load_release("2019-06", data_copy)


def test_other_files_in_releases_are_ignored(data_copy: Path) -> None:
    (data_copy / "releases" / "notes.txt").write_text("x", encoding="utf-8")
    assert available_periods(data_copy) == _shipped()


def test_malformed_release_stops_the_build_before_anything_runs(data_copy: Path) -> None:
    f = data_copy / REL
    f.write_text(f.read_text(encoding="utf-8").replace("10785.35", "n/a"), encoding="utf-8")
    with pytest.raises(B.BuildError) as exc:
        B.preflight({"data_dir": str(data_copy)}, log=lambda _m: None)
    assert "nothing was executed" in str(exc.value) and "'n/a'" in str(exc.value)


def test_bad_parameters_are_clear_errors(tmp_path: Path) -> None:
    nbs = B.book_notebooks()
    with pytest.raises(B.BuildError, match="unknown parameter"):
        B.check_parameters({"year": 2019}, nbs)
    with pytest.raises(B.BuildError, match="no data for it; available: " + ", ".join(["2018", *_shipped()])):
        B.check_parameters({"period": "2017"}, nbs)
    with pytest.raises(B.BuildError, match="expected a string"):
        B.check_parameters({"period": [2018]}, nbs)
    with pytest.raises(B.BuildError, match="no datapackage.json"):
        B.check_parameters({"data_dir": str(tmp_path)}, nbs)
    with pytest.raises(B.BuildError, match="absolute path"):
        B.check_parameters({"data_dir": "data"}, nbs)
    only_ch3 = B.check_parameters({"period": "2019-06"}, nbs)
    assert {nb.stem for nb, p in only_ch3.items() if p} == {"ch3_industry_base"}


@pytest.mark.slow
def test_batch_runs_each_parameter_set_into_its_own_output(tmp_path: Path) -> None:
    layout = B.Layout(tmp_path / "batch")
    results = B.batch("ch3_industry_base", [{"period": "2018"}, {"period": "2019-06"}, {"period": "1999"}],
                      layout=layout, log=lambda _m: None)
    assert [r.status for r in results] == ["executed", "executed", "failed"]
    assert "no data for it" in results[2].error
    summary = (layout.build_dir / "summary.csv").read_text(encoding="utf-8")
    assert "ch3_industry_base@period-2019-06" in summary and "failed" in summary
    text = (layout.executed / "ch3_industry_base@period-2019-06.ipynb").read_text(encoding="utf-8")
    assert "10785.35" in text and "2019年1–6月" in text
