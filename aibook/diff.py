"""What changed between two editions of the book: their ledgers (:mod:`aibook.ledger`) compared number by number.

A number is the same number in both editions when it has the same stable key: (page, ``glue``, glue key) for a
glued value, (page, table caption, row label, column) for a table cell. A table that another period relabels
(``表格 6`` → ``表格 6 同口径：2019年1–6月…``, ``绝对值（亿元）`` → ``1–6月累计（亿元）``) is still the same
table, so cells left over after the exact match are paired by looser keys — the caption's label (表格 6), the
column without its brackets, then the column's unit — but only where the looser key is unique on both sides,
so that nothing is paired by guesswork. What is left is reported as appeared or disappeared.

``python -m aibook diff A B`` prints the report and exits 1 when anything changed (a guard for a pipeline).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from aibook.ledger import LEDGER_CSV, build_ledger, column_unit, read_ledger

#: the diff's columns: ``status`` is changed | appeared | disappeared; ``relative`` is (new − old) / |old|
COLUMNS = ["page", "page_title", "kind", "key", "old_key", "table", "row", "column", "unit", "status", "old", "new",
           "old_text", "new_text", "change", "relative"]
STATUS_CN = {"changed": "改变", "appeared": "新增", "disappeared": "消失"}
_LABEL = re.compile(r"^(?:表格|补表|附表|补图|图表|练习)\s*[\d一二三四五六七八九十]+(?:-\d+)?(?:\s*(?:的数据|参考答案))?")
_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")


def table_label(caption: str) -> str:
    """The part of a caption that names the table (``表格 6``), else the caption without its brackets."""
    text = unicodedata.normalize("NFKC", caption).strip()
    m = _LABEL.match(text)
    return m.group(0) if m else _BRACKETS.sub("", text).strip()


Row = dict[str, Any]


def _passes() -> list[Callable[[Row], Hashable]]:
    """The keys tried in turn: exact, then (tables only) label + row + column without brackets, then + unit."""
    def loose(column: Callable[[str], str]) -> Callable[[Row], Hashable]:
        return lambda r: (r["page"], table_label(r["table"]), r["row"], column(r["column"])) \
            if r["kind"] == "table" else None
    return [lambda r: (r["page"], r["kind"], r["key"]),
            loose(lambda c: _BRACKETS.sub("", c).strip()),
            loose(column_unit)]


def _pairs(old: list[Row], new: list[Row]) -> list[tuple[int | None, int | None]]:
    """Index pairs (old, new) of the same number; ``None`` on the side where it is missing."""
    left, right = list(range(len(old))), list(range(len(new)))
    pairs: list[tuple[int | None, int | None]] = []
    for key in _passes():
        groups: dict[Hashable, tuple[list[int], list[int]]] = {}
        for side, frame, idx in ((0, old, left), (1, new, right)):
            for i in idx:
                k = key(frame[i])
                if k is not None:
                    groups.setdefault(k, ([], []))[side].append(i)
        matched = [(a[0], b[0]) for a, b in groups.values() if len(a) == 1 and len(b) == 1]
        pairs += matched
        used_old, used_new = {a for a, _ in matched}, {b for _, b in matched}
        left, right = [i for i in left if i not in used_old], [i for i in right if i not in used_new]
    return pairs + [(i, None) for i in left] + [(None, j) for j in right]


def _same(a: Row, b: Row) -> bool:
    x, y = a["value"], b["value"]
    if pd.notna(x) and pd.notna(y):
        return math.isclose(float(x), float(y), rel_tol=1e-12, abs_tol=1e-12) and bool(a["text"] == b["text"])
    return bool(pd.isna(x) and pd.isna(y) and a["text"] == b["text"])



def _is_rate(record: Mapping[str, Any]) -> bool:
    """Whether a number is a rate or share in %, whose change is read in percentage points."""
    return "%" in str(record.get("unit", "")) or "%" in str(record.get("column", "")) or "（%）" in str(record.get("key", ""))

def compare(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The numbers that differ between two ledgers, one row each (columns :data:`COLUMNS`), in book order."""
    before, after = old.to_dict("records"), new.to_dict("records")
    rows = []
    for i, j in _pairs(before, after):
        a = before[i] if i is not None else None
        b = after[j] if j is not None else None
        if a is not None and b is not None and _same(a, b):
            continue
        ref = b if b is not None else a
        assert ref is not None  # a pair has at least one side
        x = a["value"] if a is not None else float("nan")
        y = b["value"] if b is not None else float("nan")
        change = float(y) - float(x) if pd.notna(x) and pd.notna(y) else float("nan")
        # a rate (unit %, or a column in %) moves by percentage points: a relative change of a rate misleads
        relative = (change / abs(float(x)) if pd.notna(change) and float(x) != 0 and not _is_rate(ref)
                    else float("nan"))
        rows.append({**{c: ref[c] for c in ("page", "page_title", "kind", "key", "table", "row", "column", "unit")},
                     "old_key": a["key"] if a is not None else "",
                     "status": "changed" if a is not None and b is not None else ("appeared" if b is not None
                                                                                  else "disappeared"),
                     "old": x, "new": y, "old_text": a["text"] if a is not None else "",
                     "new_text": b["text"] if b is not None else "", "change": change, "relative": relative,
                     "_order": (j if j is not None else len(new) + (i or 0))})
    out = pd.DataFrame(rows, columns=[*COLUMNS, "_order"])
    pages = list(dict.fromkeys([*new["page"], *old["page"]]))
    out["_page"] = out["page"].map({p: n for n, p in enumerate(pages)})
    return out.sort_values(["_page", "_order"], kind="stable").drop(columns=["_page", "_order"]).reset_index(drop=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def label(row: pd.Series) -> str:
    """A number as a reader finds it: the glue key, or caption | row | column."""
    return str(row["key"]) if row["kind"] == "glue" else f"{row['table']} | {row['row']} | {row['column']}"


def _move(row: pd.Series) -> str:
    old = row["old_text"] or "—"
    new = row["new_text"] or "—"
    text = f"{old} → {new}"
    if pd.notna(row["change"]):
        text += f"  ({row['change']:+.6g}"
        text += f", {row['relative']:+.1%})" if pd.notna(row["relative"]) else ")"
    return text


def largest(diff: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The ``top`` largest moves: changed numbers by relative change (from zero counts as infinite)."""
    changed = diff[diff["status"] == "changed"].copy()
    size = changed["relative"].abs().fillna(changed["change"].abs().map(lambda c: math.inf if c else 0.0))
    return changed.assign(_size=size).sort_values("_size", ascending=False, kind="stable").head(top)


def report(diff: pd.DataFrame, old_name: str = "A", new_name: str = "B") -> str:
    """The diff as text, grouped by page: ``~`` changed (old → new, absolute and relative), ``+`` appeared, ``-`` gone."""
    if diff.empty:
        return f"no number differs: {old_name} and {new_name} show the same numbers"
    counts = diff["status"].value_counts()
    lines = [f"{_count(len(diff), 'number')} differ on {_count(diff['page'].nunique(), 'page')} "
             f"({old_name} → {new_name}): "
             f"{counts.get('changed', 0)} changed, {counts.get('appeared', 0)} appeared, "
             f"{counts.get('disappeared', 0)} disappeared"]
    mark = {"changed": "~", "appeared": "+", "disappeared": "-"}
    for page, rows in diff.groupby("page", sort=False):
        lines += ["", f"{page}  {rows['page_title'].iloc[0]}  ({len(rows)})"]
        lines += [f"  {mark[r['status']]} {label(r)}: {_move(r)}" for _, r in rows.iterrows()]
    return "\n".join(lines)


def summary(diff: pd.DataFrame, top: int = 5) -> list[str]:
    """A build's short note: how many numbers changed on how many pages, the largest moves first."""
    if diff.empty:
        return ["no number changed since the last build"]
    lines = [f"{_count(len(diff), 'number')} changed on {_count(diff['page'].nunique(), 'page')} since the last build"]
    lines += [f"  {r['page']}: {label(r)}: {_move(r)}" for _, r in largest(diff, top).iterrows()]
    return lines


def ledger_of(spec: str, build_dir: Path, root: Path) -> pd.DataFrame:
    """The ledger named by ``spec``: ``reference`` (the committed notebooks' outputs), ``default``, a variant's
    name (under ``build_dir``/variants), a build folder (its ``executed/`` notebooks, else its HTML's ledger),
    a folder of notebooks, or a ``ledger.csv``. Raises :class:`LookupError` when it names nothing."""
    if spec == "reference":
        return build_ledger(sorted((root / "notebooks").glob("*.ipynb")))
    candidates = [Path(spec)]
    if spec == "default":
        candidates.insert(0, build_dir)
    elif "/" not in spec:
        candidates.append(build_dir / "variants" / spec)
    for path in candidates:
        if path.is_file() and path.suffix == ".csv":
            return read_ledger(path)
        if not path.is_dir():
            continue
        for folder in (path / "executed", path):
            notebooks = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
            if notebooks:
                return build_ledger(notebooks)
        if (path / "html" / "_static" / LEDGER_CSV).is_file():
            return read_ledger(path / "html" / "_static" / LEDGER_CSV)
    raise LookupError(f"{spec!r} is neither `reference`, `default`, a variant under {build_dir / 'variants'}, "
                      "a build folder (with executed/), a folder of notebooks nor a ledger.csv")
