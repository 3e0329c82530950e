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
from pathlib import Path
from typing import Any

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

__all__ = ["DESCRIPTOR", "INPUT_LOG_ENV", "MAX_PROBLEMS", "DataError", "Fact", "Origin", "Problem", "check_dialect",
           "check_text", "descriptor", "fact", "facts", "inputs_read", "list_folder", "listing_digest", "load",
           "normalize_numbers", "read_text", "resource_info"]

DESCRIPTOR = "datapackage.json"


def descriptor(data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The parsed ``datapackage.json`` of ``data_dir`` (default: the shipped ``data/``)."""
    root = resolve_data_dir(data_dir)
    if not root.is_dir():
        raise DataError(root, "data directory does not exist (check the notebook's data_dir parameter)")
    path = root / DESCRIPTOR
    text = _decode_utf8(path, _read_bytes(path))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(path, [Problem(f"expected valid JSON ({exc.msg})", line=exc.lineno)]) from None


def resource_info(name: str, data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The descriptor of one resource: title, source line, unit, reference year, schema …"""
    pkg = descriptor(data_dir)
    for res in pkg.get("resources", []):
        if res.get("name") == name:
            return res
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


class Fact(float):
    """A number the report states, carrying where it comes from (id, verbatim quote, line in facts.csv).

    Arithmetic on it gives a plain ``float``: a computed number no longer claims to be the report's.
    """

    fact_id: str
    quote: str
    line: int | None

    def __new__(cls, value: float, fact_id: str, quote: str, line: int | None) -> Fact:
        obj = super().__new__(cls, value)
        obj.fact_id, obj.quote, obj.line = fact_id, quote, line
        return obj


def fact(table: pd.DataFrame, fact_id: str) -> Fact:
    """The value of one fact; a clear error when the id is not in the facts resource."""
    if fact_id not in table.index:
        raise DataError(table.attrs.get("path", "facts"), f"no fact with id {fact_id!r}")
    position = table.index.get_loc(fact_id)
    line = position + 2 if isinstance(position, int) else None
    return Fact(float(table.at[fact_id, "value"]), fact_id, str(table.at[fact_id, "quote"]), line)
