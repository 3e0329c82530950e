"""The ledger of a build: every number the book shows, one row each, with where it comes from.

Two kinds of numbers reach a reader, and both are read back from the *executed* notebooks (what the book was
rendered from, so the ledger cannot disagree with the pages):

* a glued value (``glue_number``, ``glue_text``, ``glue_printed``) that the page's Markdown inserts with a
  ``{glue}`` role — with the sentence it first appears in, its unit when the prose names one right after it,
  and the provenance glued beside it under ``aibook-src:<key>`` (:mod:`aibook.provenance`);
* a number cell of a displayed table, from the JSON that :class:`aibook.tables.Table` outputs beside its HTML
  (:data:`aibook.tables.TABLE_MIME`): caption, row label (first column), column, value, file/line/column.

The build writes it as ``ledger.csv`` (tidy: one row per number) and ``ledger.json`` beside the HTML;
:mod:`aibook.diff` compares two ledgers. Reading the JSON of a notebook directly (not through nbformat's
validation) keeps the ledger of the whole book well under a second.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from aibook.provenance import GLUE_PREFIX
from aibook.tables import TABLE_MIME

#: the ledger's columns, in order (``value`` is empty for a glued text, e.g. a printed 三分之二 or a date)
COLUMNS = ["page", "page_title", "kind", "key", "table", "row", "column", "value", "text", "unit", "context",
           "provenance", "source_kind", "files", "facts", "source_file", "source_line", "source_column",
           "parameters"]
#: columns that every row fills
REQUIRED = ["page", "kind", "key", "text"]
LEDGER_CSV = "ledger.csv"
LEDGER_JSON = "ledger.json"

#: ``{glue:text}`key:.1f``` → role ``text``, page ``None``, key, format ``.1f``
_ROLE = re.compile(r"\{glue(?::(text|md|any))?\}`(?:([\w.]+)::)?(\w+)(?::([^`]*))?`")
#: a unit written right after a glued number in the prose (longest first)
_UNIT = re.compile(r"\s*(个百分点|百分点|亿美元|亿元|万元|万人|万家|万个|亿|万|%|个|项|份|家|年|人|倍|件|款|所|次|位|名|条|台|座|只)")
_HEADING = re.compile(r"^#\s+(.+?)\s*$", re.M)
_STOPS = "。！？；\n"
_PAREN = re.compile(r"[（(]([^（）()]*)[）)]\s*$")


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _unrepr(text: str) -> str:
    """A glued string is stored as its ``repr`` (``'{"kind": …}'``); return the string itself."""
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        try:
            return str(ast.literal_eval(text))
        except (ValueError, SyntaxError):
            return text[1:-1]
    return text


def _unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _glued(nb: Mapping[str, Any]) -> tuple[dict[str, dict[str, str]], list[dict[str, Any]]]:
    """Glue name → ``{mime: text}`` and the tables' JSON, in the order the notebook output them."""
    glued: dict[str, dict[str, str]] = {}
    tables: list[dict[str, Any]] = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            scrap = out.get("metadata", {}).get("scrapbook", {})
            if scrap.get("name"):
                prefix = scrap.get("mime_prefix", "")
                glued[scrap["name"]] = {k.removeprefix(prefix): _text(v) for k, v in data.items()}
            elif TABLE_MIME in data:
                tables.append(data[TABLE_MIME])
    return glued, tables


def _number(plain: str) -> float | None:
    try:
        return float(plain)
    except ValueError:
        return None


def _shown(role: str, fmt: str, data: Mapping[str, str]) -> tuple[float | None, str]:
    """The value and the text a ``{glue}`` role shows (a number formatted as the role asks)."""
    plain = data.get("text/plain", "")
    if role == "md" or ("text/markdown" in data and _number(plain) is None):
        return None, _unescape_md(data.get("text/markdown", _unrepr(plain))).strip()
    number = _number(plain)
    if number is None:
        return None, _unrepr(plain)
    try:
        return number, format(number, fmt) if fmt else plain
    except ValueError:
        return number, plain


def _source_fields(src_json: str) -> dict[str, Any]:
    try:
        src = json.loads(_unrepr(src_json)) if src_json else {}
    except ValueError:
        src = {}
    anchor = str(src.get("anchor", ""))
    return {"provenance": src.get("text", ""), "source_kind": src.get("kind", ""),
            "files": ";".join(src.get("files", [])),
            "facts": anchor.removeprefix("fact-") if anchor.startswith("fact-") else ""}


def _glue_rows(page: str, cells: list[Mapping[str, Any]],
               glued: Mapping[str, Mapping[str, str]]) -> list[dict[str, Any]]:
    """One row per glue key the page's Markdown inserts (at its first occurrence)."""
    rows: dict[str, dict[str, Any]] = {}
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = _text(cell.get("source", ""))
        for m in _ROLE.finditer(source):
            role, _other, key, fmt = m.group(1) or "any", m.group(2), m.group(3), m.group(4) or ""
            if key in rows or key not in glued:
                continue
            value, text = _shown(role, fmt, glued[key])
            unit = _UNIT.match(source, m.end())
            rows[key] = {"page": page, "kind": "glue", "key": key, "value": value, "text": text,
                         "unit": unit.group(1) if unit and value is not None else "",
                         "context": _render(_sentence(source, m.start(), m.end()), glued),
                         **_source_fields(glued.get(GLUE_PREFIX + key, {}).get("text/plain", ""))}
    return list(rows.values())


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``text[start:end]`` (up to and with its full stop)."""
    first = max(text.rfind(ch, 0, start) for ch in _STOPS) + 1
    ends = [i for i in (text.find(ch, end) for ch in _STOPS) if i >= 0]
    last = min(ends) + 1 if ends else len(text)
    return text[first:last].strip().lstrip("-*> ").strip()  # a list item's or quote's marker is not prose


def _render(text: str, glued: Mapping[str, Mapping[str, str]]) -> str:
    """A sentence of the prose with its ``{glue}`` roles replaced by what they show."""
    def one(m: re.Match[str]) -> str:
        data = glued.get(m.group(3))
        return _shown(m.group(1) or "any", m.group(4) or "", data)[1] if data else m.group(0)
    return _ROLE.sub(one, text)


def column_unit(header: str) -> str:
    """The unit a column header states in its last brackets: ``绝对值（亿元）`` → 亿元, ``占比（%，推算）`` → %."""
    m = _PAREN.search(header)
    return re.split(r"[，,]", m.group(1))[0].strip() if m else ""


def _table_rows(page: str, tables: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for table in tables:
        caption = str(table.get("caption", ""))
        for cell in table.get("cells", []):
            src = cell.get("source") or {}
            rows.append({"page": page, "kind": "table", "table": caption, "row": cell["row"],
                         "column": cell["column"], "key": f"{caption} | {cell['row']} | {cell['column']}",
                         "value": cell.get("value"), "text": cell.get("text", ""), "unit": column_unit(cell["column"]),
                         **_source_fields(json.dumps(src)), "source_line": src.get("line") or None,
                         "source_file": (src.get("files") or [""])[0] if src.get("kind") == "cell" else "",
                         "source_column": src.get("column", "")})
    return rows


def notebook_rows(path: Path) -> list[dict[str, Any]]:
    """The ledger rows of one executed notebook (its page is the notebook's stem)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    glued, tables = _glued(nb)
    cells = nb.get("cells", [])
    title = next((m.group(1) for c in cells if c.get("cell_type") == "markdown"
                  for m in [_HEADING.search(_text(c.get("source", "")))] if m), path.stem)
    params = nb.get("metadata", {}).get("papermill", {}).get("parameters", {})
    rows = _glue_rows(path.stem, cells, glued) + _table_rows(path.stem, tables)
    seen: dict[str, int] = {}
    for row in rows:  # the same caption, row and column twice on a page: number the repeats
        n = seen[row["key"]] = seen.get(row["key"], 0) + 1
        if n > 1:
            row["key"] += f" #{n}"
        row.update(page_title=title, parameters=json.dumps(params, ensure_ascii=False, sort_keys=True))
    return rows


def build_ledger(notebooks: Iterable[Path]) -> pd.DataFrame:
    """The ledger of the executed ``notebooks``: one row per number shown, columns :data:`COLUMNS`."""
    rows = [row for nb in notebooks for row in notebook_rows(Path(nb))]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame["source_line"] = pd.to_numeric(frame["source_line"], errors="coerce").astype("Int64")
    text = [c for c in COLUMNS if c not in ("value", "source_line")]
    frame[text] = frame[text].astype(object).fillna("")  # a column with no text at all is not read as numbers
    return frame


def write_ledger(ledger: pd.DataFrame, folder: Path, parameters: Mapping[str, Any] | None = None) -> Path:
    """``ledger.csv`` and ``ledger.json`` (``{"parameters": …, "numbers": [...]}``) in ``folder``; the CSV's path."""
    folder.mkdir(parents=True, exist_ok=True)
    ledger.to_csv(folder / LEDGER_CSV, index=False, encoding="utf-8")
    numbers = json.loads(ledger.to_json(orient="records", force_ascii=False))
    payload = {"parameters": dict(parameters or {}), "columns": COLUMNS, "numbers": numbers}
    (folder / LEDGER_JSON).write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n",
                                      encoding="utf-8")
    return folder / LEDGER_CSV


def read_ledger(path: Path) -> pd.DataFrame:
    """A ledger written by :func:`write_ledger`, with the same types as :func:`build_ledger` returns."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for col in COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame[COLUMNS]
    frame["value"] = pd.to_numeric(frame["value"].replace("", None), errors="coerce")
    frame["source_line"] = pd.to_numeric(frame["source_line"].replace("", None), errors="coerce").astype("Int64")
    return frame
