"""Bad data never produces a wrong book: property-based tests drive the loaders with malformed files.

Each malformed input either loads to the right value (where normalization is unambiguous: a BOM,
full-width digits) or raises DataError naming the file, the line and (for cell problems) the column —
never another exception.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import fresh_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aibook import DataError, load
from aibook.releases import load_release

T6 = "table06_six_key_industries_output_2018"
T6_FILE = "tables/table06_six_key_industries_output_2018.csv"
T8 = "table08_talent_city_shares"
T8_FILE = "tables/table08_talent_city_shares.csv"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FULLWIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("robust")


def _rows(data: Path, rel: str) -> list[list[str]]:
    return [line.split(",") for line in (data / rel).read_text(encoding="utf-8").splitlines()]


def _write(data: Path, rel: str, rows: list[list[str]], encoding: str = "utf-8") -> None:
    (data / rel).write_bytes(("\n".join(",".join(r) for r in rows) + "\n").encode(encoding))


def _assert_located(exc: DataError, rel: str, *, column: bool) -> None:
    msg = str(exc)
    assert Path(rel).name in msg, msg
    assert "line " in msg, msg
    if column:
        assert "column " in msg, msg


REFERENCE = load(T6)


@SETTINGS
@given(row=st.integers(1, 7), col=st.sampled_from([2, 3]))
def test_fullwidth_digits_load_to_the_same_value(scratch: Path, row: int, col: int) -> None:
    data = fresh_data(scratch)
    rows = _rows(data, T6_FILE)
    rows[row][col] = rows[row][col].translate(FULLWIDTH)
    _write(data, T6_FILE, rows)
    pd.testing.assert_frame_equal(load(T6, data), REFERENCE)


@SETTINGS
@given(encoding=st.sampled_from(["gbk", "gb18030", "utf-16"]))
def test_non_utf8_encodings_are_rejected_with_the_line(scratch: Path, encoding: str) -> None:
    data = fresh_data(scratch)
    _write(data, T6_FILE, _rows(data, T6_FILE), encoding=encoding)
    with pytest.raises(DataError) as exc:
        load(T6, data)
    _assert_located(exc.value, T6_FILE, column=False)
    assert "UTF-8" in str(exc.value)


@SETTINGS
@given(row=st.integers(1, 7), col=st.sampled_from([2, 3]),
       bad=st.sampled_from(["abc", "1,234.5", "12.5%", "N/A", "—", "1.2.3", "１２a", "∞", "1e", "--3"]))
def test_malformed_numbers_are_located(scratch: Path, row: int, col: int, bad: str) -> None:
    data = fresh_data(scratch)
    rows = _rows(data, T6_FILE)
    rows[row][col] = f'"{bad}"' if "," in bad else bad
    _write(data, T6_FILE, rows)
    with pytest.raises(DataError) as exc:
        load(T6, data)
    _assert_located(exc.value, T6_FILE, column=True)
    assert f"line {row + 1}" in str(exc.value)


@SETTINGS
@given(kind=st.sampled_from(["drop", "extra", "rename", "blank", "duplicate_header_row", "blank_header_row"]),
       col=st.integers(0, 3))
def test_header_problems_are_reported(scratch: Path, kind: str, col: int) -> None:
    data = fresh_data(scratch)
    rows = _rows(data, T6_FILE)
    if kind == "drop":
        rows = [r[:col] + r[col + 1:] for r in rows]
    elif kind == "extra":
        rows = [r + (["unit"] if i == 0 else ["亿元"]) for i, r in enumerate(rows)]
    elif kind == "rename":
        rows[0][col] = rows[0][col] + "_x"
    elif kind == "blank":
        rows[0][col] = ""
    elif kind == "duplicate_header_row":
        rows.insert(1, list(rows[0]))
    else:
        rows.insert(0, ["", "", "", ""])
    _write(data, T6_FILE, rows)
    with pytest.raises(DataError) as exc:
        load(T6, data)
    _assert_located(exc.value, T6_FILE, column=kind in ("drop", "rename"))


@SETTINGS
@given(value=st.one_of(st.floats(100.01, 1e6), st.floats(-1e6, -0.01)), row=st.integers(1, 30))
def test_out_of_range_shares_are_rejected(scratch: Path, value: float, row: int) -> None:
    data = fresh_data(scratch)
    rows = _rows(data, T8_FILE)
    rows[row][2] = f"{value:.2f}"
    _write(data, T8_FILE, rows)
    with pytest.raises(DataError) as exc:
        load(T8, data)
    _assert_located(exc.value, T8_FILE, column=True)
    assert "share_pct" in str(exc.value)


@SETTINGS
@given(value=st.floats(-1e6, -0.01), row=st.integers(1, 7))
def test_negative_totals_are_rejected(scratch: Path, value: float, row: int) -> None:
    data = fresh_data(scratch)
    rows = _rows(data, T6_FILE)
    rows[row][2] = f"{value:.2f}"
    _write(data, T6_FILE, rows)
    with pytest.raises(DataError, match="minimum"):
        load(T6, data)


@SETTINGS
@given(row=st.integers(1, 7))
def test_duplicate_keys_are_rejected(scratch: Path, row: int) -> None:
    data = fresh_data(scratch)
    rows = _rows(data, T6_FILE)
    rows.append(list(rows[row]))
    _write(data, T6_FILE, rows)
    with pytest.raises(DataError) as exc:
        load(T6, data)
    _assert_located(exc.value, T6_FILE, column=True)
    assert f"same as line {row + 1}" in str(exc.value)


@SETTINGS
@given(unit=st.sampled_from(["万元", "元", "亿美元", "percent", ""]), row=st.integers(1, 17))
def test_release_with_a_foreign_unit_is_rejected(scratch: Path, unit: str, row: int) -> None:
    data = fresh_data(scratch)
    rel = "releases/tjj-industrial-production-2019-06.csv"
    rows = [line.split(",") for line in (data / rel).read_text(encoding="utf-8").splitlines()]
    rows[row][1] = unit
    (data / rel).write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_release("2019-06", data)
    _assert_located(exc.value, rel, column=True)


def test_empty_and_header_only_files(scratch: Path) -> None:
    data = fresh_data(scratch)
    (data / T6_FILE).write_bytes(b"")
    with pytest.raises(DataError, match="empty"):
        load(T6, data)
    (data / T6_FILE).write_text("indicator,level,value,growth_pct\n", encoding="utf-8")
    with pytest.raises(DataError, match="at least one data row"):
        load(T6, data)


def test_bom_is_accepted(scratch: Path) -> None:
    data = fresh_data(scratch)
    (data / T6_FILE).write_bytes(b"\xef\xbb\xbf" + (data / T6_FILE).read_bytes())
    pd.testing.assert_frame_equal(load(T6, data), REFERENCE)


def test_a_very_large_file_loads_or_fails_cleanly(scratch: Path) -> None:
    data = fresh_data(scratch)
    n = 100_000
    lines = ["city,field,share_pct"] + [f"城市{i},领域,{(i % 100) + 0.5}" for i in range(n)]
    (data / T8_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    df = load(T8, data)
    assert len(df) == n
    assert time.perf_counter() - start < 120  # generous: a regression guard, not a benchmark
    lines[n // 2] = "城市x,领域,abc"
    (data / T8_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load(T8, data)
    assert f"line {n // 2 + 1}" in str(exc.value)


# ------------------------------------------------------------------------ the cases a careless analyst made
@pytest.mark.parametrize(("col", "bad", "expect"), [
    (2, "6_450.23", "plain finite number"),
    (2, "6 450.23", "plain finite number"),
    (3, "inf", "plain finite number"),
    (3, "Infinity", "plain finite number"),
    (3, "NaN", "plain finite number"),
    (2, "-1233.42", "minimum"),
    (0, " 汽车制造业", "whitespace"),
    (0, "汽车制造业 ", "whitespace"),
])
def test_careless_cells_are_refused_with_their_place(scratch: Path, col: int, bad: str, expect: str) -> None:
    data = fresh_data(scratch)
    rows = _rows(data, T6_FILE)
    row = next(i for i, r in enumerate(rows) if r[0] == "汽车制造业")
    rows[row][col] = bad
    _write(data, T6_FILE, rows)
    with pytest.raises(DataError) as exc:
        load(T6, data)
    _assert_located(exc.value, T6_FILE, column=True)
    assert f"line {row + 1}" in str(exc.value) and expect in str(exc.value)


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "vertical bar")])
def test_another_delimiter_is_refused_by_name(scratch: Path, delimiter: str, name: str) -> None:
    data = fresh_data(scratch)
    (data / T6_FILE).write_text("\n".join(delimiter.join(r) for r in _rows(data, T6_FILE)) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=name) as exc:
        load(T6, data)
    _assert_located(exc.value, T6_FILE, column=False)


def test_a_negative_amount_in_the_facts_is_refused_but_a_negative_rate_is_not(scratch: Path) -> None:
    import csv
    import io

    data = fresh_data(scratch)
    path = data / "facts.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    money = next(i for i, r in enumerate(rows) if r[6] == "亿元")
    rate = next(i for i, r in enumerate(rows) if r[6] == "%")
    rows[rate][4] = "-" + rows[rate][4]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    assert load("facts", data).iloc[rate - 1]["value"] < 0  # a decline in % is a valid fact
    rows[money][4] = "-" + rows[money][4]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load("facts", data)
    assert f"line {money + 1}" in str(exc.value) and ">= 0" in str(exc.value)
