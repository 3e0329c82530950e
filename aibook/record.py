"""The reviewed record of what the reader sees: every number of the default edition, committed beside the notebooks.

``make reference`` re-records the notebooks' outputs, which nbval compares — so a wrong number recorded by it
passes nbval. This record does not move with ``make reference``: the numbers the committed notebooks show must
equal ``notebooks/record/numbers.csv`` (one row per shown number: page, key, the shown text and the sentence or caption
it sits in), and the record changes only by ``python -m aibook record --reason "…"``, which appends the reason
and the new record's digest to ``notebooks/numbers-changes.md``. A changed or swapped number is then a one-line
diff that a reviewer reads, with its reason beside it (Our World in Data's reviewed chart diff is the model).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from aibook.ledger import build_ledger
from aibook.paths import DATA_DIR, NOTEBOOKS_DIR

#: the record and its change list live in notebooks/record/, beside the reference notebooks
RECORD = NOTEBOOKS_DIR / "record" / "numbers.csv"
#: the digest of each transcribed table (表格 1–17 as printed): a change to one needs a recorded reason too
TABLES = NOTEBOOKS_DIR / "record" / "tables.sha256"
CHANGES = NOTEBOOKS_DIR / "record" / "numbers-changes.md"
#: what the record keeps of a ledger row: where the number is and what the reader reads, not its provenance
COLUMNS = ["page", "kind", "key", "table", "row", "column", "text", "context"]


def of_notebooks(notebooks: Iterable[Path]) -> pd.DataFrame:
    """The record of the executed ``notebooks``: their ledger's reader-visible columns, in a stable order."""
    ledger = build_ledger(sorted(notebooks))[COLUMNS].astype(str)
    return ledger.sort_values(["page", "kind", "key"], kind="stable").reset_index(drop=True)


def reference_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_digests(folder: Path = DATA_DIR / "tables") -> str:
    """``sha256  file`` lines of the transcribed tables, sorted (the form ``sha256sum -c`` reads)."""
    return "".join(f"{digest(p)}  {p.name}\n" for p in sorted(folder.glob("*.csv")))


def write(reason: str, notebooks: Iterable[Path] | None = None, record: Path = RECORD,
          changes: Path = CHANGES, tables: Path = TABLES) -> Path:
    """Record the numbers the committed notebooks show and the digests of the transcribed tables, with ``reason``
    (required) in the change list."""
    if not reason.strip():
        raise ValueError("a change to the record of shown numbers needs its reason (--reason \"…\")")
    frame = of_notebooks(reference_notebooks() if notebooks is None else notebooks)
    frame.to_csv(record, index=False, encoding="utf-8", lineterminator="\n")
    tables.write_text(table_digests(), encoding="utf-8")
    entry = f"- `{digest(record)[:16]}` {' '.join(reason.split())}\n"
    head = "" if changes.exists() else ("# Changes to the record of shown numbers (notebooks/record/numbers.csv)\n\n"
                                        "Each line: the digest of the record it produced, and why it changed.\n\n")
    with changes.open("a", encoding="utf-8") as out:
        out.write(head + entry)
    return record


def differences(current: pd.DataFrame, recorded: pd.DataFrame) -> list[str]:
    """Reader-visible differences between two records, one line each (``-`` recorded, ``+`` now shown)."""
    key = ["page", "kind", "key"]
    merged = recorded.merge(current, on=key, how="outer", suffixes=(" recorded", " now"), indicator=True)
    lines = []
    for d in merged.to_dict("records"):
        where = f"{d['page']} · {d['key']}"
        if d["_merge"] == "left_only":
            lines.append(f"- {where}: {d['text recorded']!r} no longer shown")
        elif d["_merge"] == "right_only":
            lines.append(f"+ {where}: {d['text now']!r} newly shown")
        elif (d["text recorded"], d["context recorded"]) != (d["text now"], d["context now"]):
            lines.append(f"~ {where}: {d['text recorded']!r} → {d['text now']!r} in “{d['context now']}”")
    return lines


def read(record: Path = RECORD) -> pd.DataFrame:
    return pd.read_csv(record, dtype=str, keep_default_na=False, encoding="utf-8")


def last_recorded_digest(changes: Path = CHANGES) -> str:
    """The digest the last line of the change list names ("" when there is none)."""
    lines = [ln for ln in changes.read_text(encoding="utf-8").splitlines() if ln.startswith("- `")] \
        if changes.exists() else []
    return lines[-1].split("`")[1] if lines else ""
