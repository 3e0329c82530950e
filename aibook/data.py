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

import csv
import hashlib
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from aibook.paths import resolve_data_dir

#: Environment variable naming a JSON-lines file where each read input is appended (set by the build).
INPUT_LOG_ENV = "AIBOOK_INPUT_LOG"
DESCRIPTOR = "datapackage.json"
MAX_PROBLEMS = 20

_READS: dict[str, str] = {}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, located as precisely as the check allows."""

    expected: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    kind: str = ""

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) or "file"
        if self.value is not None:
            text += f": value {self.value!r}"
        text += f": {self.expected}"
        return text + (f" [{self.kind}]" if self.kind else "")


class DataError(ValueError):
    """Bad input data. The message names the file and, per problem, line, column, value, expectation."""

    def __init__(self, path: str | os.PathLike[str], problems: list[Problem] | str, total: int | None = None):
        self.path = str(path)
        self.problems = [Problem(problems)] if isinstance(problems, str) else list(problems)
        self.total = total if total is not None else len(self.problems)
        lines = [f"{self.path}: {p}" for p in self.problems]
        if self.total > len(self.problems):
            lines.append(f"… and {self.total - len(self.problems)} more problem(s) in {self.path}")
        super().__init__("invalid data\n  " + "\n  ".join(lines))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _record(path: Path, digest: str) -> None:
    key = str(path.resolve())
    _READS[key] = digest
    log = os.environ.get(INPUT_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"path": key, "sha256": digest}) + "\n")


def listing_digest(folder: Path) -> str:
    """SHA-256 of a folder's file names (sorted); a folder that does not exist has its own digest."""
    if not folder.is_dir():
        return _sha256(b"\0absent")
    return _sha256("\n".join(sorted(p.name for p in folder.iterdir())).encode("utf-8"))


def list_folder(folder: Path) -> list[Path]:
    """The entries of ``folder`` (sorted; none when it does not exist), recorded as an input of the build.

    A notebook that enumerates a folder depends on what the folder holds: a file dropped in or removed
    there makes the build execute it again, exactly as a changed data file does.
    """
    key = str(folder.resolve())
    log = os.environ.get(INPUT_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"listing": key, "sha256": listing_digest(folder)}) + "\n")
    return sorted(folder.iterdir()) if folder.is_dir() else []


def inputs_read() -> dict[str, str]:
    """The files read so far in this process, with their SHA-256."""
    return dict(_READS)


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, "file not found") from None
    except IsADirectoryError:
        raise DataError(path, "expected a file, found a directory") from None
    except OSError as exc:
        raise DataError(path, f"cannot be read ({exc.strerror})") from None
    _record(path, _sha256(data))
    return data


def _decode_utf8(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = " (the file decodes as GBK/GB18030: re-save it as UTF-8)"
        except UnicodeDecodeError:
            pass
        raise DataError(
            path,
            [Problem(f"expected UTF-8 text; byte {data[exc.start]:#04x} is not valid UTF-8{hint}", line=line,
                     kind="encoding-error")],
        ) from None


def read_text(path: Path) -> str:
    """The file as text: recorded as an input, checked to be UTF-8 (a BOM is dropped), line ends as ``\\n``."""
    text = _decode_utf8(path, _read_bytes(path))
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


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


def _validate(res: dict[str, Any], root: Path, path: Path, text: str | None = None) -> None:
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
    errors: list[dict[str, Any]] = []
    for task in report.tasks:
        for err in task.errors:
            errors.append(err.to_descriptor())
    for err in report.errors:
        errors.append(err.to_descriptor())
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


def _plain_number(value: Any) -> str:
    return format(float(value), ".10g")


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
