"""One way into the data package: validate against the Table Schema, then load into pandas.

Every read goes through :func:`load`, which

* checks that the file is UTF-8 (a BOM is accepted) and says where it is not;
* validates it with `frictionless` against the resource's Table Schema in ``datapackage.json``
  (types, required fields, primary key, constraints) and turns every problem into a
  :class:`DataError` naming the file, the line, the column, the bad value and what was expected;
* checks the schema's ``foreignKeys`` against the resources they reference (frictionless does so only for a
  whole package, and the book loads one resource at a time);
* records the file and its SHA-256 so that the build can tell which inputs a notebook read.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pandas as pd

from aibook.inputs import (
    INPUT_LOG_ENV,
    MAX_PROBLEMS,
    DataError,
    Problem,
    _decode_utf8,
    _read_bytes,
    inputs_read,
    list_folder,
    listing_digest,
    read_text,
)
from aibook.paths import resolve_data_dir
from aibook.validation import _apply_rules, check_dialect, check_text, normalize_numbers

__all__ = ["DESCRIPTOR", "INPUT_LOG_ENV", "MAX_PROBLEMS", "DataError", "Fact", "Origin", "Problem", "Ref", "Traced", "TracedText", "cell", "check_dialect",
           "check_text", "descriptor", "fact", "facts", "inputs_read", "list_folder", "listing_digest", "load",
           "normalize_numbers", "read_text", "resource_info", "retext"]

DESCRIPTOR = "datapackage.json"


def descriptor(data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The parsed ``datapackage.json`` of ``data_dir`` (default: the shipped ``data/``)."""
    root = resolve_data_dir(data_dir)
    if not root.is_dir():
        raise DataError(root, "data directory does not exist (check the notebook's data_dir parameter)")
    path = root / DESCRIPTOR
    text = _decode_utf8(path, _read_bytes(path))
    try:
        package: dict[str, Any] = json.loads(text)
        return package
    except json.JSONDecodeError as exc:
        raise DataError(path, [Problem(f"expected valid JSON ({exc.msg})", line=exc.lineno)]) from None


def report_source(data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The report itself: the data package's one ``sources`` entry (title, publisher, …) with its publication
    month (``date``: ``2019-12``), which pages read as “the report's date”."""
    found = descriptor(data_dir).get("sources", [])
    date = str(found[0].get("date", "")) if len(found) == 1 else ""
    if not (len(date) == 7 and date[:4].isdigit() and date[4] == "-" and date[5:].isdigit()):
        raise DataError(resolve_data_dir(data_dir) / DESCRIPTOR,
                        f"sources: expected the report once, with its publication month (YYYY-MM); found {found!r}")
    return dict(found[0])


def resource_info(name: str, data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The descriptor of one resource: title, source line, unit, reference year, schema …"""
    pkg = descriptor(data_dir)
    for res in pkg.get("resources", []):
        if res.get("name") == name:
            return dict(res)
    names = ", ".join(r.get("name", "?") for r in pkg.get("resources", []))
    raise DataError(resolve_data_dir(data_dir) / DESCRIPTOR, f"no resource named {name!r}; available: {names}")


_DTYPES = {"number": "float64", "integer": "Int64", "boolean": "boolean"}


def _names(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _check_foreign_keys(res: dict[str, Any], df: pd.DataFrame, root: Path, path: Path) -> None:
    """Every ``foreignKeys`` entry of the resource's Table Schema: each non-empty key must exist in the target.

    Frictionless checks foreign keys only when it validates a whole package, and the book loads one resource
    at a time; so the check is made here, for any descriptor, after the referenced resource has itself been
    validated (a mistyped id in one file is then named by file, line and column, like any other problem).
    """
    titles = {f["name"]: f.get("title") for f in res.get("schema", {}).get("fields", [])}
    problems: list[Problem] = []
    for fk in res.get("schema", {}).get("foreignKeys", []):
        fields, ref = _names(fk["fields"]), fk["reference"]
        target_name, target_fields = ref.get("resource", ""), _names(ref["fields"])
        target = df if target_name in ("", res["name"]) else load(target_name, root)
        known = set(target[target_fields].astype(str).itertuples(index=False, name=None))
        target_label = f"{target_name or res['name']}.{'+'.join(target_fields)}"
        column = "+".join(f"{f} ({titles[f]})" if titles.get(f) else f for f in fields)
        for i, key in enumerate(df[fields].itertuples(index=False, name=None)):
            if any(pd.isna(k) for k in key):
                continue  # an empty cell refers to nothing
            if tuple(str(k) for k in key) not in known:
                problems.append(Problem(f"expected a value of {target_label} (foreign key): no such key there",
                                        line=i + 2, column=column, value=", ".join(str(k) for k in key),
                                        kind="foreign-key"))
    if problems:
        raise DataError(path, problems[:MAX_PROBLEMS], total=len(problems))


def load(name: str, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Validate resource ``name`` of the data package in ``data_dir`` and return it as a DataFrame.

    Raises :class:`DataError` (never a raw parser traceback) when the file is missing, not UTF-8,
    or breaks its Table Schema. ``df.attrs`` carries the resource's title, source line and field titles.
    """
    root = resolve_data_dir(data_dir)
    res = resource_info(name, root)
    path = root / res["path"]
    fields = res.get("schema", {}).get("fields", [])
    text = check_text(res, root, path, read_text(path))
    missing = res.get("schema", {}).get("missingValues", [""])
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=missing)
    if df.empty:
        raise DataError(path, [Problem("expected at least one data row after the header", line=2,
                                       kind="no-data")])
    for f in fields:
        col = f["name"]
        kind = f.get("type", "string")
        if kind in ("number", "integer"):
            df[col] = pd.to_numeric(df[col]).astype(_DTYPES[kind])
        elif kind == "boolean":
            df[col] = df[col].map({"true": True, "false": False}).astype("boolean")
    _apply_rules(res, df, path)
    _check_foreign_keys(res, df, root, path)
    df.attrs.update(
        resource=name,
        resource_path=res["path"],
        origin=Origin(res["path"], res.get("schema", {}).get("primaryKey", []), df),
        title=res.get("title", name),
        source_line=res.get("source_line", ""),
        titles={f["name"]: f.get("title", f["name"]) for f in fields},
        units={f["name"]: f["unit"] for f in fields if "unit" in f},
        reference_year=res.get("reference_year", ""),
        path=str(path),
    )
    return df


def facts(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The numbers the report states in its prose, indexed by ``id``."""
    return load("facts", data_dir).set_index("id", drop=False)


class Origin:
    """Where each cell of a loaded table comes from: file, line (found by the row's primary key), column.

    Kept in ``df.attrs`` and shared, never copied, by the frames pandas derives from it. A cell is
    attributed only when its row still carries the primary key and its value is still the one read:
    a sorted, filtered or re-indexed frame keeps its provenance, a recomputed column loses it.
    """

    def __init__(self, resource_path: str, key: str | list[str], frame: pd.DataFrame):
        self.resource_path = resource_path
        self.key = [key] if isinstance(key, str) else list(key)
        self._frame = frame.copy()
        self._lines: dict[tuple[Any, ...], int] | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> Origin:
        return self

    def line(self, row: Any, column: str) -> int | None:
        """The file line of ``row[column]`` (``row``: a mapping with the original column names), if unchanged."""
        if not self.key or column not in self._frame.columns or any(k not in row for k in self.key):
            return None
        if self._lines is None:
            keys = self._frame[self.key].itertuples(index=False, name=None)
            self._lines = {tuple(k): i for i, k in enumerate(keys)}
        position = self._lines.get(tuple(row[k] for k in self.key))
        if position is None:
            return None
        original, shown = self._frame.iloc[position][column], row[column]
        same = (pd.isna(original) and pd.isna(shown)) or (not pd.isna(shown) and original == shown)
        return position + 2 if same else None  # line 1 is the header


@dataclass(frozen=True, order=True)
class Ref:
    """One origin of a value: a fact of the report (its id, verbatim quote and line of ``data/facts.csv``) or a
    cell of a data file (``data/…`` path, line — 1 is the header — and column)."""

    file: str
    line: int | None
    column: str
    fact_id: str = ""
    quote: str = ""

    def describe(self) -> str:
        """In words: ``ch3_x（data/facts.csv 第 17 行）`` or ``data/tables/t.csv 第 3 行，列“date”``."""
        at = f" 第 {self.line} 行" if self.line else ""
        if self.fact_id:
            return f"{self.fact_id}（{self.file}{at}）"
        return f"{self.file}{at}，列“{self.column}”"


def _origins(*values: Any) -> tuple[Ref, ...]:
    found: set[Ref] = set()
    for v in values:
        found.update(getattr(v, "origins", ()))
    return tuple(sorted(found))


class Traced(float):
    """A number that knows where it comes from: the facts and cells (:class:`Ref`) its value was made of.

    Arithmetic with another number gives a :class:`Traced` carrying the union of both operands' origins, marked
    ``derived`` (computed, not transcribed): the lineage travels with the value through the computation, as a
    variable's origins do in OWID's catalog. ``round``, ``abs`` and unary minus keep it too. A number read as it
    is (``derived`` false) was transcribed from its one origin.
    """

    origins: tuple[Ref, ...]
    derived: bool

    def __new__(cls, value: float, origins: Iterable[Ref] = (), derived: bool = True) -> Traced:
        obj = super().__new__(cls, value)
        obj.origins, obj.derived = tuple(sorted(set(origins))), derived
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Traced, (float(self), self.origins, self.derived))


def _traced_op(name: str, reflected: bool = False) -> Any:
    op = getattr(float, name)

    def method(self: Traced, other: Any) -> Any:
        result = op(self, other)
        if result is NotImplemented or not isinstance(result, float):
            return result
        return Traced(result, _origins(self, other))

    method.__name__ = name
    return method


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
              "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__"):
    setattr(Traced, _name, _traced_op(_name))


def _traced_unary(name: str) -> Any:
    op = getattr(float, name)

    def method(self: Traced, *args: Any) -> Any:
        result = op(self, *args)
        return Traced(result, self.origins) if isinstance(result, float) else result

    method.__name__ = name
    return method


for _name in ("__neg__", "__pos__", "__abs__", "__round__"):
    setattr(Traced, _name, _traced_unary(_name))


class TracedText(str):
    """A text (a date, a name, a page number) as transcribed from a data file's cell or a fact, with its origins."""

    origins: tuple[Ref, ...]
    derived: bool

    def __new__(cls, text: str, origins: Iterable[Ref] = (), derived: bool = False) -> TracedText:
        obj = super().__new__(cls, text)
        obj.origins, obj.derived = tuple(sorted(set(origins))), derived
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (TracedText, (str(self), self.origins, self.derived))


def retext(text: str, like: Any) -> Any:
    """``text`` carrying the origins of ``like`` (a re-formatted date stays transcribed from the same cell)."""
    origins = getattr(like, "origins", ())
    return TracedText(text, origins, getattr(like, "derived", False)) if origins else text


class Fact(Traced):
    """A number the report states, carrying where it comes from (id, verbatim quote, line in facts.csv).

    Arithmetic on it gives a :class:`Traced` (derived, naming this fact among its origins): a computed number no
    longer claims to be the report's, but still names what it was computed from.
    """

    fact_id: str
    quote: str
    line: int | None

    def __new__(cls, value: float, fact_id: str, quote: str, line: int | None) -> Fact:
        obj = cast(Fact, super().__new__(cls, value, (Ref("data/facts.csv", line, "value", fact_id, quote),),
                                         derived=False))
        obj.fact_id, obj.quote, obj.line = fact_id, quote, line
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Fact, (float(self), self.fact_id, self.quote, self.line))


def cell(frame: pd.DataFrame, key: Any, column: str) -> Any:
    """One cell of a loaded table, carrying its file, line and column (:class:`Traced` or :class:`TracedText`).

    ``key`` picks the row: a mapping ``{column: value}`` (the first row that matches all), or an index label.
    A clear error names the table when no row matches. A cell whose value no longer is the one read (a
    recomputed column) carries no file line, only the file.
    """
    if isinstance(key, Mapping):
        mask = pd.Series(True, index=frame.index)
        for k, v in key.items():
            mask &= frame[k] == v
        hit = frame[mask]
        if hit.empty:
            raise DataError(frame.attrs.get("path", "table"), f"no row with {dict(key)!r}")
        row = hit.iloc[0]
    else:
        if key not in frame.index:
            raise DataError(frame.attrs.get("path", "table"), f"no row {key!r}")
        row = frame.loc[key]
    value = row[column]
    origin = frame.attrs.get("origin")
    path = frame.attrs.get("resource_path", "")
    line = origin.line(row, column) if origin is not None else None
    ref = Ref(f"data/{path}" if path else "", line, str(column))
    refs = (ref,) if path else ()
    if isinstance(value, str):
        return TracedText(value, refs)
    if pd.isna(value):
        raise DataError(frame.attrs.get("path", "table"), f"cell {column!r} of row {key!r} is empty")
    return Traced(float(value), refs, derived=False)


def fact(table: pd.DataFrame, fact_id: str) -> Fact:
    """The value of one fact; a clear error when the id is not in the facts resource."""
    if fact_id not in table.index:
        raise DataError(table.attrs.get("path", "facts"), f"no fact with id {fact_id!r}")
    position = table.index.get_loc(fact_id)
    line = position + 2 if isinstance(position, int) else None
    return Fact(float(table.at[fact_id, "value"]), fact_id, str(table.at[fact_id, "quote"]), line)
