"""The data package: it validates, and every kind of bad input gets a precise, readable error."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aibook import DataError, load
from aibook.data import descriptor, fact, facts, inputs_read
from aibook.paths import DATA_DIR

T6 = "table06_six_key_industries_output_2018"
T6_FILE = "tables/table06_six_key_industries_output_2018.csv"
T8 = "table08_talent_city_shares"
T8_FILE = "tables/table08_talent_city_shares.csv"


def test_every_resource_validates_and_loads() -> None:
    pkg = descriptor()
    assert pkg["resources"], "empty data package"
    for res in pkg["resources"]:
        df = load(res["name"])
        assert len(df) > 0, res["name"]
        assert df.attrs["source_line"].startswith("数据来源"), res["name"]


def test_all_17_report_tables_are_in_the_package() -> None:
    numbers = sorted(r["report_table"] for r in descriptor()["resources"] if "report_table" in r)
    assert numbers == list(range(1, 18))


def test_each_table_resource_carries_provenance() -> None:
    for res in descriptor()["resources"]:
        if "report_table" not in res:
            continue
        assert res["title"].startswith(f"表格 {res['report_table']} "), res["name"]
        for key in ("source_line", "unit", "reference_year", "report_section", "description"):
            assert key in res, (res["name"], key)
        assert res["schema"].get("primaryKey"), res["name"]


def test_table6_values_as_printed() -> None:
    t6 = load(T6).set_index("indicator")
    assert t6.loc["六个重点行业工业总产值", "value"] == 23870.77
    assert t6.loc["电子信息产品制造业", "growth_pct"] == 1.9
    assert t6.loc["精品钢材制造业", "growth_pct"] == -6.5
    assert list(t6.columns) == ["level", "value", "growth_pct"]


def test_table8_each_field_sums_to_100() -> None:
    t8 = load(T8)
    sums = t8.groupby("field")["share_pct"].sum().round(6)
    assert (sums == 100).all(), sums


def test_table_titles_are_the_printed_headers() -> None:
    t6 = load(T6)
    assert t6.attrs["titles"]["value"] == "绝对值（亿元）"
    assert t6.attrs["units"]["growth_pct"] == "%"


def test_load_records_what_it_read() -> None:
    load(T6)
    assert any(p.endswith(T6_FILE) for p in inputs_read())


# ---------------------------------------------------------------------------------------------- bad input
def _write(data_dir: Path, rel: str, text: str, encoding: str = "utf-8") -> None:
    (data_dir / rel).write_bytes(text.encode(encoding))


def _text(data_dir: Path, rel: str) -> str:
    return (data_dir / rel).read_text(encoding="utf-8")


def _problem(exc: pytest.ExceptionInfo[DataError]) -> str:
    return str(exc.value)


def test_rejects_gbk_encoded_file(data_copy: Path) -> None:
    _write(data_copy, T6_FILE, _text(data_copy, T6_FILE), encoding="gbk")
    with pytest.raises(DataError) as exc:
        load(T6, data_copy)
    msg = _problem(exc)
    assert T6_FILE in msg and "line 2" in msg and "UTF-8" in msg and "GBK" in msg  # line 1 is ASCII


def test_rejects_missing_column(data_copy: Path) -> None:
    lines = [",".join(line.split(",")[:3]) for line in _text(data_copy, T6_FILE).splitlines()]
    _write(data_copy, T6_FILE, "\n".join(lines) + "\n")
    with pytest.raises(DataError) as exc:
        load(T6, data_copy)
    msg = _problem(exc)
    assert T6_FILE in msg and "growth_pct" in msg and "missing" in msg and "line 1" in msg


def test_rejects_non_numeric_value(data_copy: Path) -> None:
    _write(data_copy, T6_FILE, _text(data_copy, T6_FILE).replace("6450.23", "六千"))
    with pytest.raises(DataError) as exc:
        load(T6, data_copy)
    msg = _problem(exc)
    assert T6_FILE in msg and "line 3" in msg and "column 'value" in msg and "'六千'" in msg and "number" in msg


def test_rejects_duplicate_key(data_copy: Path) -> None:
    _write(data_copy, T6_FILE, _text(data_copy, T6_FILE) + "汽车制造业,component,1.00,1.0\n")
    with pytest.raises(DataError) as exc:
        load(T6, data_copy)
    msg = _problem(exc)
    assert T6_FILE in msg and "line 9" in msg and "indicator" in msg and "'汽车制造业'" in msg and "unique" in msg
    assert "same as line 4" in msg


def test_rejects_share_above_100(data_copy: Path) -> None:
    text = _text(data_copy, T8_FILE)
    _write(data_copy, T8_FILE, text.replace("上海,信息技术,17.30", "上海,信息技术,117.30"))
    with pytest.raises(DataError) as exc:
        load(T8, data_copy)
    msg = _problem(exc)
    assert T8_FILE in msg and "column 'share_pct" in msg and "'117.30'" in msg and "maximum" in msg and "100" in msg
    assert "line " in msg


def test_error_names_the_exact_line(data_copy: Path) -> None:
    text = _text(data_copy, T8_FILE)
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line.startswith("广州,新材料制造"))
    lines[target] = lines[target].replace("3.30", "-3.30")
    _write(data_copy, T8_FILE, "\n".join(lines) + "\n")
    with pytest.raises(DataError) as exc:
        load(T8, data_copy)
    assert f"line {target + 1}" in str(exc.value)
    assert exc.value.problems[0].line == target + 1


def test_utf8_bom_is_accepted(data_copy: Path) -> None:
    (data_copy / T6_FILE).write_bytes(b"\xef\xbb\xbf" + (data_copy / T6_FILE).read_bytes())
    pd.testing.assert_frame_equal(load(T6, data_copy), load(T6))


def test_missing_file_and_directory_and_resource(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / T6_FILE).unlink()
    with pytest.raises(DataError, match="file not found"):
        load(T6, data_copy)
    with pytest.raises(DataError, match="data directory does not exist"):
        load(T6, tmp_path / "nowhere")
    with pytest.raises(DataError, match="no resource named 'table99'"):
        load("table99", data_copy)


def test_broken_descriptor_is_reported_with_line(data_copy: Path) -> None:
    (data_copy / "datapackage.json").write_text('{\n  "resources": [\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage.json: line \d+: expected valid JSON"):
        load(T6, data_copy)


def test_many_problems_are_summarised(data_copy: Path) -> None:
    rows = ["city,field,share_pct"] + [f"城市{i},领域,abc" for i in range(50)]
    _write(data_copy, T8_FILE, "\n".join(rows) + "\n")
    with pytest.raises(DataError) as exc:
        load(T8, data_copy)
    assert exc.value.total == 50
    assert "… and 30 more problem(s)" in str(exc.value)


# ----------------------------------------------------------------------------------------------- facts
def test_facts_quotes_contain_the_printed_number() -> None:
    f = facts()
    for row in f.itertuples():
        assert row.value_text in row.quote, row.id


def test_facts_agree_with_tables_where_the_report_repeats_a_number() -> None:
    f = facts()
    t6 = load(T6).set_index("indicator")
    assert fact(f, "ch3_six_key_industries_output_2018") == t6.loc["六个重点行业工业总产值", "value"]
    t7 = load("table07_strategic_emerging_value_added_2018").set_index("indicator")
    assert fact(f, "ch3_sei_value_added_2018") == t7.loc["战略性新兴产业增加值", "value"]
    assert fact(f, "ch3_sei_services_value_added_growth_2018") == t7.loc["服务业", "growth_pct"]


def test_unknown_fact_is_a_clear_error() -> None:
    with pytest.raises(DataError, match="no fact with id 'ch9_nothing'"):
        fact(facts(), "ch9_nothing")


def test_external_rows_each_carry_a_source_title_and_url() -> None:
    externals = [r for r in descriptor()["resources"] if r["name"].startswith("external_")]
    assert len(externals) >= 3
    for res in externals:
        df = load(res["name"])
        assert df["source_title"].notna().all() and df["source_url"].str.match(r"https?://").all(), res["name"]


def test_scenario_points_equal_the_cells_of_tables_11_and_12() -> None:
    points = load("ch4_scenario_points")
    for batch, name in ((1, "table11_scenarios_batch1"), (2, "table12_scenarios_batch2")):
        table = load(name)
        mine = points[points["batch"] == batch].sort_values("no")
        assert len(mine) == len(table)
        for col in ("scenario_type", "scenario_name", "location"):
            assert mine[col].tolist() == table.sort_values("no")[col].tolist(), (batch, col)
    mapped = set(load("ch4_scenario_type_map")["scenario_type"])
    assert set(points["scenario_type"]) <= mapped


def test_foreign_keys_are_enforced_naming_file_line_and_column(data_copy: Path) -> None:
    """claims.fact_id → facts.id: a mistyped fact id is refused by load() and by `aibook validate`."""
    import subprocess
    import sys

    path = data_copy / "curated" / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if ",ch4_g60_ai_fund_target_scale," in line)
    lines[n] = lines[n].replace("ch4_g60_ai_fund_target_scale", "ch4_g60_fund_target_scale")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load("claims", data_copy)
    msg = str(exc.value)
    assert f"claims.csv: line {n + 1}, column 'fact_id" in msg
    assert "'ch4_g60_fund_target_scale'" in msg and "facts.id (foreign key)" in msg
    proc = subprocess.run([sys.executable, "-m", "aibook", "validate", "--data-dir", str(data_copy)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "INVALID claims" in proc.stderr and f"line {n + 1}" in proc.stderr


def test_an_empty_foreign_key_cell_refers_to_nothing() -> None:
    claims = load("claims")
    assert claims["fact_id"].isna().any() and claims["other_fact_id"].notna().any()


def _fact_value_problems(path: Path) -> list[str]:
    """Facts whose number is not what the report prints, or whose printed form is not in its quote."""
    import csv

    from aibook.arith import reading

    problems = []
    for line, row in enumerate(csv.DictReader(path.open(encoding="utf-8")), start=2):
        if row["value_text"] not in row["quote"]:
            problems.append(f"line {line} {row['id']}: {row['value_text']!r} is not in its quote")
        if row["value"] and reading(row["value_text"]) != float(row["value"]):
            problems.append(f"line {line} {row['id']}: value {row['value']} but the report prints {row['value_text']!r}")
    return problems


def test_each_fact_is_the_number_its_quote_prints() -> None:
    assert not _fact_value_problems(DATA_DIR / "facts.csv")


def test_a_fact_changed_away_from_its_quote_is_caught(tmp_path: Path) -> None:
    """The defect: a fact's value changed (56213 → 56214); the page would print 56214 beside the quote “56213人”."""
    text = (DATA_DIR / "facts.csv").read_text(encoding="utf-8")
    (tmp_path / "facts.csv").write_text(text.replace(",56213,56213,", ",56214,56213,", 1), encoding="utf-8")
    assert any("56213" in p for p in _fact_value_problems(tmp_path / "facts.csv"))
    (tmp_path / "facts.csv").write_text(text.replace(",56213,56213,", ",56214,56214,", 1), encoding="utf-8")
    assert any("not in its quote" in p for p in _fact_value_problems(tmp_path / "facts.csv"))


def test_printed_numbers_read_as_facts_csv_says() -> None:
    from aibook.arith import reading

    assert reading("近1450") == 1450 and reading("1.7万") == 1.7 and reading("第一") == 1 and reading("二十") == 20
    assert reading("三分之二") is None and reading("1-2") is None and reading("两位数") is None


def _unbounded_numbers(package: dict) -> list[str]:
    """Numeric fields with neither a bound (``minimum`` or ``enum``) nor a row rule of the resource naming them."""
    out = []
    for res in package.get("resources", []):
        ruled = {rule.get("field") for rule in res.get("aibook_rules", [])}
        for field in res.get("schema", {}).get("fields", []):
            c = field.get("constraints", {})
            if field.get("type") in ("number", "integer") and "minimum" not in c and "enum" not in c \
                    and field["name"] not in ruled:
                out.append(f"{res['name']}.{field['name']}")
    return out


def test_every_amount_column_carries_its_bounds() -> None:
    assert not _unbounded_numbers(descriptor())


def test_a_bound_removed_from_a_table_is_caught() -> None:
    """The defect: ``minimum: 0`` removed from 表格 7's value column (a negative amount would then load)."""
    import copy

    package = copy.deepcopy(descriptor())
    table7 = next(r for r in package["resources"] if r["name"] == "table07_strategic_emerging_value_added_2018")
    next(f for f in table7["schema"]["fields"] if f["name"] == "value")["constraints"].pop("minimum")
    assert _unbounded_numbers(package) == ["table07_strategic_emerging_value_added_2018.value"]
