"""Validation of one file of the data package against its Table Schema, with precise problems.

frictionless checks types, required fields, keys and constraints; before it, this module refuses what it would
accept silently (another delimiter, numbers with separators or spaces, infinities, cells padded with spaces)
and normalises what is harmless (full-width digits). Each problem becomes a :class:`aibook.inputs.Problem`
with its line and column. The data package's own row rules (``aibook_rules``) are applied after loading.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from aibook.inputs import MAX_PROBLEMS, DataError, Problem


def _plain_number(value: Any) -> str:
    return format(float(value), ".10g")

_EXPECT = {
    "missing-label": "column missing from the header",
    "extra-label": "unexpected extra column in the header",
    "incorrect-label": "header does not match the schema's field names",
    "duplicate-label": "duplicated column name in the header",
    "blank-label": "blank column name in the header",
    "blank-row": "blank row (every row needs values)",
    "extra-cell": "row has more cells than the header",
    "missing-cell": "row has fewer cells than the header",
    "primary-key": "primary key must be unique",
    "unique-error": "value must be unique in this column",
}


def _problem(err: dict[str, Any], fields: dict[str, dict[str, Any]]) -> Problem:
    kind = err.get("type", "")
    name = err.get("fieldName")
    field = fields.get(name or "", {})
    column = f"{name} ({field['title']})" if field.get("title") else name
    note = err.get("note") or ""
    if kind == "type-error":
        fmt = field.get("format", "default")
        expected = f"expected a value of type {field.get('type', '?')}" + ("" if fmt == "default" else f" ({fmt})")
    elif kind == "constraint-error":
        expected = f"expected {note}"
    elif kind in ("missing-label", "incorrect-label", "extra-label"):
        names = [f for f in fields]
        expected = f"{_EXPECT[kind]}; expected columns: {', '.join(names)}"
    elif kind in ("primary-key", "unique-error"):
        expected = f"{_EXPECT[kind]}; {note}" if note else _EXPECT[kind]
    else:
        expected = _EXPECT.get(kind) or note or err.get("message", kind)
    value = err.get("cell")
    line = err.get("rowNumber")
    if kind.endswith("-label"):
        line = 1  # the header
    if kind == "primary-key":
        pk = err.get("_pk", [])
        names = list(fields)
        cells = err.get("cells") or []
        column = "+".join(pk) or column
        if cells and all(k in names for k in pk):
            value = ", ".join(str(cells[names.index(k)]) for k in pk)
        expected = "expected a unique key" + (f"; {note.replace('the same as in the row at position', 'same as line')}"
                                              if note else "")
    return Problem(expected, line=line, column=column, value=None if value is None else str(value), kind=kind)


#: Full-width digits, signs and decimal point (common when numbers are typed with a Chinese IME).
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


def normalize_numbers(text: str, fields: list[dict[str, Any]]) -> tuple[str, int]:
    """Turn full-width digits in number/integer columns into ASCII; return the text and the cells changed.

    Only unambiguous characters are translated, and only in numeric columns: Chinese text keeps its
    full-width punctuation exactly as printed.
    """
    numeric = {f["name"] for f in fields if f.get("type") in ("number", "integer")}
    if not numeric or not any(ch in text for ch in "０１２３４５６７８９．－＋"):
        return text, 0
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return text, 0
    header = rows[0]
    idx = [i for i, name in enumerate(header) if name.strip() in numeric]
    changed = 0
    for row in rows[1:]:
        for i in idx:
            if i < len(row):
                new = row[i].translate(_FULLWIDTH)
                if new != row[i]:
                    row[i], changed = new, changed + 1
    if not changed:
        return text, 0
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue(), changed


#: A number as the data package writes it: digits, one optional decimal point, an optional exponent. No
#: grouping (1,234 / 1 234 / 1_234), no inf/nan, no unit or percent sign.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "vertical bar"}


def check_dialect(path: Path, text: str, fields: list[dict[str, Any]] | int) -> None:
    """One CSV dialect: comma-separated. A file saved with another delimiter is refused, naming it."""
    header = text.split("\n", 1)[0]
    n = fields if isinstance(fields, int) else len(fields)
    if n < 2 or header.count(",") >= n - 1:
        return
    for delim, name in _DELIMITERS.items():
        if header.count(delim) >= n - 1:
            raise DataError(path, [Problem(f"the file is separated by {name}s ({delim!r}); expected commas: the data "
                                           "package is comma-separated UTF-8 CSV (re-save it as CSV with ',')",
                                           line=1, kind="dialect")])


def _cell_problems(text: str, schema: dict[str, Any]) -> list[Problem]:
    """Cells that frictionless would accept but that are not what the package means.

    Numbers must be plain and finite (``6_450.23``, ``1 234``, ``inf``, ``NaN`` pass Python's float());
    no cell may start or end with whitespace (`` 汽车制造业`` would be another key, not the same one).
    """
    fields = {f["name"]: f for f in schema.get("fields", [])}
    missing = set(schema.get("missingValues", [""]))
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    problems: list[Problem] = []
    for line, row in enumerate(rows, start=2):
        for name, cell in zip(header, row, strict=False):
            field = fields.get(name.strip())
            if field is None:
                continue
            column = f"{field['name']} ({field['title']})" if field.get("title") else field["name"]
            if cell != cell.strip():
                problems.append(Problem("no leading or trailing whitespace (cells and keys are compared exactly)",
                                        line=line, column=column, value=cell, kind="whitespace"))
            elif cell not in missing and field.get("type") in ("number", "integer"):
                pattern = _INTEGER if field["type"] == "integer" else _NUMBER
                if not pattern.fullmatch(cell):
                    what = "a whole number" if field["type"] == "integer" else "a plain finite number like 1234.5"
                    problems.append(Problem(f"expected a value of type {field['type']}: {what} "
                                            "(no grouping, spaces, underscores, units, inf or nan)",
                                            line=line, column=column, value=cell, kind="type-error"))
    return problems


def check_text(res: dict[str, Any], root: Path, path: Path, text: str) -> str:
    """Every check of a data file's text against its resource descriptor; returns the text to parse.

    Dialect (comma), plain finite numbers, no stray whitespace, then the Table Schema (frictionless). Full-width
    digits in number columns are the one normalisation (stated in the loaded frame's ``attrs``).
    """
    fields = res.get("schema", {}).get("fields", [])
    check_dialect(path, text, fields)
    text, _ = normalize_numbers(text, fields)
    problems = _cell_problems(text, res.get("schema", {}))
    if problems:
        raise DataError(path, problems[:MAX_PROBLEMS], total=len(problems))
    _validate(res, root, path, text)
    return text


#: Folder of markers of (schema, text) pairs that passed frictionless, set by the build for preflight and kernels.
#: Every notebook loads and validates its files again; within one build the same bytes need validating only once.
VALIDATED_ENV = "AIBOOK_VALIDATED_DIR"


def _passed_marker(res: dict[str, Any], text: str | None) -> Path | None:
    """Where the build records that this exact schema and text passed validation (``None``: no record kept)."""
    folder = os.environ.get(VALIDATED_ENV)
    if not folder or text is None:
        return None
    from importlib.metadata import version

    key = json.dumps([version("frictionless"), res], sort_keys=True, ensure_ascii=False) + "\0" + text
    return Path(folder) / hashlib.sha256(key.encode("utf-8")).hexdigest()


def _validate(res: dict[str, Any], root: Path, path: Path, text: str | None = None) -> None:
    marker = _passed_marker(res, text)
    if marker is not None and marker.exists():
        return
    _validate_now(res, root, path, text)
    if marker is not None:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()


def _validate_now(res: dict[str, Any], root: Path, path: Path, text: str | None = None) -> None:
    from frictionless import FrictionlessException, Resource  # heavy import: only when loading

    fields = {f["name"]: f for f in res.get("schema", {}).get("fields", [])}
    if "foreignKeys" in res.get("schema", {}):  # frictionless needs the whole package for them: checked in load()
        res = {**res, "schema": {k: v for k, v in res["schema"].items() if k != "foreignKeys"}}
    try:
        if text is None:
            report = Resource(res, basepath=str(root)).validate()
        else:  # validate the normalized text, reported under the original file name
            with tempfile.TemporaryDirectory() as tmp:
                Path(tmp, Path(res["path"]).name).write_text(text, encoding="utf-8")
                report = Resource({**res, "path": Path(res["path"]).name}, basepath=tmp).validate()
    except FrictionlessException as exc:
        raise DataError(path, f"cannot be validated: {exc.error.message}") from None
    if report.valid:
        return
    errors: list[dict[str, Any]] = [e.to_descriptor() for task in report.tasks for e in task.errors]
    errors += [e.to_descriptor() for e in report.errors]
    pk = res.get("schema", {}).get("primaryKey", [])
    for err in errors:
        err["_pk"] = pk if isinstance(pk, list) else [pk]
    # a duplicated single-field key is reported twice (unique-error + primary-key): keep one
    pk_rows = {e.get("rowNumber") for e in errors if e.get("type") == "primary-key"}
    errors = [e for e in errors if not (e.get("type") == "unique-error" and e.get("rowNumber") in pk_rows)]
    problems = [_problem(e, fields) for e in errors]
    raise DataError(path, problems[:MAX_PROBLEMS], total=len(problems))


_DTYPES = {"number": "float64", "integer": "Int64", "boolean": "boolean"}


def _apply_rules(res: dict[str, Any], df: pd.DataFrame, path: Path) -> None:
    """Row rules the Table Schema cannot state (``aibook_rules`` in the resource descriptor).

    ``non_negative``: ``field`` must be >= 0 unless the row's ``unless_field`` is one of ``unless_in``
    (facts: an amount cannot be negative, a growth rate in % can).
    """
    titles = {f["name"]: f.get("title") for f in res.get("schema", {}).get("fields", [])}
    problems = []
    for rule in res.get("aibook_rules", []):
        if rule.get("rule") != "non_negative":
            raise DataError(path, f"unknown rule {rule.get('rule')!r} in the descriptor of {res['name']}")
        field, unless = rule["field"], rule.get("unless_field")
        exempt = df[unless].isin(rule.get("unless_in", [])) if unless else False
        for i in df.index[(df[field] < 0) & ~exempt]:
            column = f"{field} ({titles[field]})" if titles.get(field) else field
            problems.append(Problem(f"expected a number >= 0: {rule.get('why', '')}".rstrip(": "), line=int(i) + 2,
                                    column=column, value=_plain_number(df.at[i, field]), kind="constraint-error"))
    if problems:
        raise DataError(path, problems[:MAX_PROBLEMS], total=len(problems))

