"""Generated damage, for every file of the data package and for the drop-in release and bulletin files.

The property: a damaged file either raises DataError naming the file and the line (and the column, when a
cell is at fault), or loads to exactly what the file says — the clean data with the written value in place.
Never another exception, never a number that differs from the one written.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import fresh_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aibook import DataError, load
from aibook.bulletins import available_years, bulletin_path, load_bulletin
from aibook.data import descriptor
from aibook.paths import DATA_DIR
from aibook.releases import available_periods, load_release, release_path

# derandomize: the same generated cases on every run, so that CI is not flaky (raise max_examples to search wider)
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


def _targets() -> list[tuple[str, str, Callable[[Path], pd.DataFrame]]]:
    out = [(res["path"], res["name"], lambda d, n=res["name"]: load(n, d)) for res in descriptor()["resources"]]
    for period in available_periods():
        rel = release_path(period).relative_to(DATA_DIR).as_posix()
        out.append((rel, f"release {period}", lambda d, p=period: load_release(p, d)))
    for year in available_years():
        rel = bulletin_path(year).relative_to(DATA_DIR).as_posix()
        out.append((rel, f"bulletin {year}", lambda d, y=year: load_bulletin(y, d)))
    return out


TARGETS = _targets()
_CLEAN: dict[str, pd.DataFrame] = {}


def _clean(index: int) -> pd.DataFrame:
    rel, _, loader = TARGETS[index]
    if rel not in _CLEAN:
        _CLEAN[rel] = loader(DATA_DIR)
    return _CLEAN[rel]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("damage")


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _write(path: Path, rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def _located(exc: DataError, rel: str, *, column: bool) -> None:
    msg = str(exc)
    assert Path(rel).name in msg, msg
    if "-content]" in msg:  # a row the file must have is missing: there is no line to name, the column is named
        assert "column " in msg, msg
        return
    assert "line " in msg, msg
    if column:
        assert "column " in msg, msg


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(pd.isna(a) and pd.isna(b)) if pd.isna(a) is True or pd.isna(b) is True else a == b


def _frames_equal_except(clean: pd.DataFrame, got: pd.DataFrame, row: int | None) -> None:
    keep_clean = clean.drop(index=clean.index[row]) if row is not None else clean
    keep_got = got.drop(index=got.index[row]) if row is not None else got
    pd.testing.assert_frame_equal(keep_clean.reset_index(drop=True), keep_got.reset_index(drop=True),
                                  check_dtype=False)


@SETTINGS
@given(target=st.integers(0, len(TARGETS) - 1), data=st.data(),
       text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))
def test_any_text_in_a_cell(scratch: Path, target: int, data: st.DataObject, text: str) -> None:
    rel, name, loader = TARGETS[target]
    root = fresh_data(scratch)
    rows = _rows(root / rel)
    r = data.draw(st.integers(1, len(rows) - 1), label="row")
    c = data.draw(st.integers(0, len(rows[0]) - 1), label="column")
    original = rows[r][c]
    rows[r][c] = text
    _write(root / rel, rows)
    try:
        got = loader(root)
    except DataError as exc:
        _located(exc, rel, column=False)
        return
    clean = _clean(target)
    assert len(got) == len(clean), f"{name}: {len(got)} rows loaded, {len(clean)} in the file"
    _frames_equal_except(clean, got, r - 1)
    # the damaged row: every number that reaches a notebook is the one written in the file
    written = text.replace("\r\n", "\n").replace("\r", "\n").translate(FULLWIDTH)
    for col in got.columns:
        value = got.iloc[r - 1][col]
        if isinstance(value, float) and not math.isnan(value) and col in clean.columns:
            before = clean.iloc[r - 1][col]
            assert value == before or value == float(written), f"{name} {col}: {value!r} from {text!r} ({original!r})"


@SETTINGS
@given(target=st.integers(0, len(TARGETS) - 1), data=st.data(), text=st.text(max_size=12))
def test_any_text_in_a_header(scratch: Path, target: int, data: st.DataObject, text: str) -> None:
    rel, _, loader = TARGETS[target]
    root = fresh_data(scratch)
    rows = _rows(root / rel)
    c = data.draw(st.integers(0, len(rows[0]) - 1), label="column")
    if text.strip().lower() == rows[0][c].strip().lower():
        return
    rows[0][c] = text
    _write(root / rel, rows)
    try:
        loader(root)
    except DataError as exc:
        _located(exc, rel, column=False)
        return
    # a renamed optional column of a drop-in release/bulletin may be refused or ignored, never misread
    pytest.fail(f"{rel}: header {text!r} in column {c} was accepted")


@SETTINGS
@given(target=st.integers(0, len(TARGETS) - 1), delimiter=st.sampled_from([",", ";", "\t", "|"]),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_any_delimiter_and_line_ending(scratch: Path, target: int, delimiter: str, newline: str) -> None:
    rel, name, loader = TARGETS[target]
    root = fresh_data(scratch)
    _write(root / rel, _rows(root / rel), delimiter=delimiter, newline=newline)
    try:
        got = loader(root)
    except DataError as exc:
        assert delimiter != ",", f"{name}: a comma-separated file with {newline!r} line ends was refused: {exc}"
        _located(exc, rel, column=False)
        assert {";": "semicolon", "\t": "tab", "|": "vertical bar"}[delimiter] in str(exc)
        return
    assert delimiter == ",", f"{name}: a file separated by {delimiter!r} was accepted"
    pd.testing.assert_frame_equal(got, _clean(target), check_dtype=False)


@SETTINGS
@given(target=st.integers(0, len(TARGETS) - 1), blob=st.binary(max_size=200))
def test_arbitrary_bytes_as_a_file(scratch: Path, target: int, blob: bytes) -> None:
    rel, _, loader = TARGETS[target]
    root = fresh_data(scratch)
    (root / rel).write_bytes(blob)
    with pytest.raises(DataError) as exc:
        loader(root)
    assert Path(rel).name in str(exc.value)


@SETTINGS
@given(target=st.integers(0, len(TARGETS) - 1), data=st.data(),
       kind=st.sampled_from(["drop_row", "dup_row", "drop_col", "dup_col"]))
def test_rows_and_columns_deleted_or_duplicated(scratch: Path, target: int, data: st.DataObject, kind: str) -> None:
    rel, name, loader = TARGETS[target]
    root = fresh_data(scratch)
    rows = _rows(root / rel)
    if kind in ("drop_row", "dup_row"):
        r = data.draw(st.integers(1, len(rows) - 1), label="row")
        rows = rows[:r] + rows[r + 1:] if kind == "drop_row" else rows[:r + 1] + [rows[r]] + rows[r + 1:]
    else:
        c = data.draw(st.integers(0, len(rows[0]) - 1), label="column")
        rows = [row[:c] + row[c + 1:] for row in rows] if kind == "drop_col" else [row[:c + 1] + [row[c]] + row[c + 1:]
                                                                                    for row in rows]
    _write(root / rel, rows)
    try:
        got = loader(root)
    except DataError as exc:
        _located(exc, rel, column=kind == "dup_row")
        return
    clean = _clean(target)
    if kind == "drop_row":  # a shorter file is still a valid file: every number left is the one written
        assert len(got) == len(clean) - 1 or len(clean) == 1
        rebuilt = pd.concat([got.iloc[:r - 1], clean.iloc[[r - 1]], got.iloc[r - 1:]])
        derived = [c for c in ("id",) if name.startswith("bulletin")]  # bulletin row ids are made from line numbers
        _frames_equal_except(clean.drop(columns=derived), rebuilt.drop(columns=derived), None)
        return
    pytest.fail(f"{name}: {kind} was accepted")
