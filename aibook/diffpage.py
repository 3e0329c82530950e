"""The page 《本版与报告原版的差异》 of a variant build: which numbers this edition changed, page by page.

A reader of ``PERIOD=2019-06`` sees a book that looks like the report but is not: the page lists every number
that differs from the default edition (the report as printed), with the old and new value, and a bar figure of
how many numbers moved on each page. It is plain MyST Markdown written by the build (nothing to execute), with
every cell escaped (:func:`aibook.tables.md_escape`), so the HTML and the PDF show the same table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from aibook.diff import STATUS_CN
from aibook.nb import LEDGER_LINK, LEDGER_URL  # an HTML link: Sphinx would look for a document named so
from aibook.tables import md_escape

TITLE = "本版与报告原版的差异"
#: the page's document name in the staged book (``_toc.yml`` entry) and its figure
DOC = "book/edition_diff"
FIGURE = "edition_diff_pages.png"


def _shown(text: str) -> str:
    return md_escape(text) if text else "—"


def _unit(row: pd.Series) -> str:
    return f"（{md_escape(row['unit'])}）" if row["unit"] else ""


def _cells(row: pd.Series) -> str:
    """Old, new, absolute and relative change, status: the table cells every row of the page has."""
    change = md_escape(f"{row['change']:+.6g}") if pd.notna(row["change"]) else ""
    rel = md_escape(f"{row['relative']:+.1%}") if pd.notna(row["relative"]) else ""
    return " | ".join([_shown(row["old_text"]), _shown(row["new_text"]), change, rel, STATUS_CN[row["status"]]])


def figure(diff: pd.DataFrame, path: Path) -> Path:
    """Bars: how many numbers differ on each page (the page's title), most on top."""
    import matplotlib.pyplot as plt

    from aibook import figures
    from aibook.style import save_figure, use_book_style

    use_book_style()
    counts = (diff.groupby(["page", "page_title"], sort=False).size().rename("n").reset_index())
    fig = figures.ranked_bars(counts, "page_title", "n", title="各页面与报告原版不同的数字个数", unit="个",
                              decimals=0, xlabel="数字个数（个）")
    try:
        return save_figure(fig, path)
    finally:
        plt.close(fig)


def markdown(diff: pd.DataFrame, parameters: Mapping[str, Any], baseline: str) -> str:
    """The page's MyST text: what this edition is, the figure, then one table of changed numbers per page."""
    shown = "；".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(parameters.items()))
    counts = diff["status"].value_counts()
    lines = [f"# {TITLE}", "",
             f"本版按参数 {md_escape(shown)} 构建。下面逐页列出本版与报告原版（默认参数的版本，取自{md_escape(baseline)}）"
             f"不同的全部数字：共 {len(diff)} 个，分布在 {diff['page'].nunique()} 个页面；其中数值改变 "
             f"{counts.get('changed', 0)} 个，仅见于本版 {counts.get('appeared', 0)} 个，仅见于原版 "
             f"{counts.get('disappeared', 0)} 个。本版全部数字见 <a href=\"{LEDGER_URL}\" download>{LEDGER_LINK}</a>；"
             "分析者可用 `python -m aibook diff default <本版名称>` 在终端得到同样的列表。", ""]
    if diff.empty:
        return "\n".join([*lines, "本版与报告原版显示的数字完全相同。", ""])
    lines += [f"![各页面与报告原版不同的数字个数]({FIGURE})", ""]
    for page, rows in diff.groupby("page", sort=False):
        lines += [f"## {md_escape(rows['page_title'].iloc[0])}", "",
                  f"页面：{{doc}}`../notebooks/{page}`，{len(rows)} 个数字不同。", ""]
        glued = rows[rows["kind"] == "glue"]
        if len(glued):
            lines += ["### 正文中的数字", "", "| 数字（键） | 原版 | 本版 | 变化 | 相对变化 | 状态 |",
                      "|---|---:|---:|---:|---:|---|"]
            lines += [f"| {md_escape(r['key'])}{_unit(r)} | {_cells(r)} |" for _, r in glued.iterrows()]
            lines.append("")
        for caption, cells in rows[rows["kind"] == "table"].groupby("table", sort=False):
            before = {k.split(" | ")[0] for k in cells["old_key"] if k} - {caption}
            lines += [f"### {md_escape(caption)}", ""]
            lines += [f"原版表题：{md_escape('；'.join(sorted(before)))}。", ""] if before else []
            lines += ["| 行 | 列 | 原版 | 本版 | 变化 | 相对变化 | 状态 |",
                      "|---|---|---:|---:|---:|---:|---|"]
            lines += [f"| {md_escape(r['row'])} | {md_escape(r['column'])} | {_cells(r)} |" for _, r in cells.iterrows()]
            lines.append("")
    return "\n".join(lines)


def write_page(diff: pd.DataFrame, folder: Path, parameters: Mapping[str, Any], baseline: str) -> list[Path]:
    """Write the page (``edition_diff.md``) and its figure into ``folder``; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    page = folder / (Path(DOC).name + ".md")
    page.write_text(markdown(diff, parameters, baseline), encoding="utf-8")
    return [page] + ([figure(diff, folder / FIGURE)] if not diff.empty else [])
