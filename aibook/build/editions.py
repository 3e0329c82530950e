"""Editions compared: a variant's page of differences from the report, and what a rebuild changed.

* A build with non-default parameters gets the page 《本版与报告原版的差异》 (:mod:`aibook.diffpage`): its ledger
  against the default edition's — the default build's executed notebooks when every one of them is up to date
  (same key, same inputs), else the committed reference notebooks of ``notebooks/`` (what nbval checks), so a
  stale default build never makes numbers look changed that are not.
* Every render keeps the ledger of the book it replaces (``ledger-previous.csv``), and the build prints how many
  numbers moved, largest moves first: after a data change the analyst sees at once what it did to the book.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from aibook.build.keys import environment_digest, job_key, stale_reason
from aibook.build.layout import Job, Layout, rel
from aibook.diff import compare, summary
from aibook.ledger import build_ledger, read_ledger

#: the ledger of the book a render replaced, beside the build's html/
PREVIOUS = "ledger-previous.csv"


def baseline(layout: Layout, notebooks: list[Path], root: Path) -> tuple[list[Path], str]:
    """The executed notebooks of the default edition, and where they are from (for the page's text)."""
    if layout.shared is not None:
        default = Layout(layout.shared)
        env = environment_digest()  # as build() computes it (the pinned environment of this checkout)
        jobs = [Job(nb) for nb in notebooks]
        if all(stale_reason(j, default, job_key(j, env)) is None for j in jobs):
            return [default.output(j) for j in jobs], "本机默认构建的执行结果"
    return [root / "notebooks" / nb.name for nb in notebooks], "仓库中提交的参考输出（notebooks/）"


def edition_pages(layout: Layout, parameters: Mapping[str, Any], ledger: pd.DataFrame, notebooks: list[Path],
                  root: Path, log: Callable[[str], None]) -> list[Path]:
    """For a variant: the page of differences from the default edition (files to add to the book); else none."""
    if not parameters:
        return []
    from aibook.diffpage import write_page

    folder = layout.build_dir / "pages"
    start = time.monotonic()
    sources, where = baseline(layout, notebooks, root)
    old = build_ledger([p for p in sources if p.is_file()])
    if old.empty:
        log(f"  note: no page of differences — the default edition ({where}) shows no numbers to compare")
        return []
    diff = compare(old, ledger)
    pages = write_page(diff, folder, parameters, where)
    log(f"  ✓ differences from the default edition: {len(diff)} numbers on {diff['page'].nunique()} page(s) "
        f"({rel(pages[0])}, {time.monotonic() - start:.1f} s)")
    return pages


def report_changes(layout: Layout, ledger: pd.DataFrame, log: Callable[[str], None]) -> None:
    """After a render: the numbers that moved since the book it replaced (none when it is the first)."""
    previous = layout.build_dir / PREVIOUS
    if previous.is_file():
        for line in summary(compare(read_ledger(previous), ledger)):
            log(f"  {line}")
