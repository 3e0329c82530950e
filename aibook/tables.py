"""Render tables safely: every cell value is HTML-escaped and the source line sits under the table.

pandas ``Styler`` does not escape by default and MyST-NB inserts HTML outputs raw, so a ``<script>`` in a
CSV cell would run in the book. Everything here goes through ``escape="html"``, with a fixed ``uuid`` so
that the HTML is identical run to run. The PDF edition gets a Markdown table in which every special
character is backslash-escaped, so cell text stays text and ``% _ & $ #`` reach LaTeX escaped by Sphinx.
"""

from __future__ import annotations

import hashlib
import html
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aibook.exhibits import EXHIBIT_MIME, Exhibit
from aibook.provenance import Source

#: where the build puts a copy of the data package, relative to a chapter page (see aibook.build)
DATA_URL = "../_static/data/"
#: a table's number cells, machine-readable, beside its HTML: what the ledger of a build reads
#: (:mod:`aibook.ledger`). Jupyter Book does not know the type and renders the HTML as before.
TABLE_MIME = "application/vnd.aibook.table+json"


def _plain(value: object) -> str:
    """Numbers as printed: up to 10 significant digits, no trailing zeros, no thousands separators; 是/否."""
    if isinstance(value, bool | np.bool_):
        return "是" if value else "否"
    if isinstance(value, float):
        return format(value, ".10g")
    return str(value)


_MD_SPECIAL = set("\\`*_{}[]<>()#+-.!|$~^&")


_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_LATIN = r"[0-9A-Za-z]"


def spaced(text: str) -> str:
    """One space between Chinese and Latin letters or digits, the book's one spacing rule: ``2019年8月6日`` →
    ``2019 年 8 月 6 日``. Existing spaces are kept; nothing else changes; a traced text keeps its origins."""
    from aibook.data import retext

    out = re.sub(f"({_CJK})({_LATIN})", r"\1 \2", text)
    shown: str = retext(re.sub(f"({_LATIN})({_CJK})", r"\1 \2", out), text)
    return shown


def md_escape(text: object) -> str:
    """Escape every Markdown/MyST special character so that cell text stays literal text."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text)).replace("\n", " ")


def _uuid(caption: str) -> str:
    return "t" + hashlib.sha256(caption.encode("utf-8")).hexdigest()[:8]


def _number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_) and value == value


def _json_number(value: object) -> int | float | None:
    """A number cell as JSON (numpy scalars are not); ``None`` for a cell that holds no number."""
    if not _number(value):
        return None
    return int(value) if isinstance(value, numbers.Integral) else float(value)  # type: ignore[arg-type]


@dataclass
class Table:
    """A captioned, sourced table; displays as escaped HTML (and escaped Markdown for the PDF).

    ``sources`` holds, per row and column, where a number cell comes from (file, line, column), shown on
    hover or tap; ``row_ids`` gives rows an anchor that other pages link to.
    """

    frame: pd.DataFrame
    caption: str
    source: str
    formats: Mapping[str, str | Callable[[Any], str]] = field(default_factory=dict)
    sources: list[list[Source | None]] | None = None
    row_ids: list[str] | None = None
    files: list[str] = field(default_factory=list)
    files_own: bool = True  # False: the table was computed on the page; ``files`` are the page's inputs  # data/… files the table was computed from (download links)
    exhibit: Exhibit | None = None  # a labelled table (表格 6, 补表 3-1 …): its CSV, metadata, citation and anchor

    def _repr_html_(self) -> str:
        cols = list(self.frame.columns)
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in cols)
        body = []
        for r, (_, row) in enumerate(self.frame.iterrows()):
            cells = []
            for c, col in enumerate(cols):
                text = html.escape(self._cell_text(col, row[col]))
                src = self.sources[r][c] if self.sources else None
                if src:
                    text = f'<span class="aibook-num" tabindex="0">{text}{_note(src)}</span>'

                cells.append(f"<td>{text}</td>")
            row_id = f' id="{html.escape(self.row_ids[r])}"' if self.row_ids else ""
            body.append(f"<tr{row_id}>{''.join(cells)}</tr>")
        anchor = f' id="{html.escape(self.exhibit.anchor)}"' if self.exhibit else ""
        links = self.exhibit.links_html() if self.exhibit else ""
        return (f'<div class="aibook-table-wrap"{anchor}><table id="{_uuid(self.caption)}">'
                f"<caption>{html.escape(spaced(self.caption))}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>"
                f'<p class="aibook-source">{html.escape(spaced(self.source))}</p>{links}{self._downloads()}</div>')

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """Only the JSON form; IPython adds the HTML, Markdown and text forms from the other ``_repr_*_``."""
        bundle: dict[str, Any] = {TABLE_MIME: self.ledger()}
        if self.exhibit is not None:
            bundle[EXHIBIT_MIME] = self.exhibit.payload()
        return bundle

    def shown_cells(self) -> pd.DataFrame:
        """The table as the reader sees it: the header's titles, every cell's text (an empty cell for “—”)."""
        cols = list(self.frame.columns)
        rows = [["" if (t := self._cell_text(col, row[col])) == "—" else t for col in cols]
                for _, row in self.frame.iterrows()]
        return pd.DataFrame(rows, columns=[str(c) for c in cols], dtype=object)

    def ledger(self) -> dict[str, Any]:
        """The number cells as data: caption; per cell its row label (first column), column, value, text, source.

        Read back from the executed notebook, so that a build can list every number it shows and compare
        editions without parsing HTML. A number cell is one with a provenance (numbers from data) or a number.
        """
        cols = list(self.frame.columns)
        cells = []
        for r, (_, row) in enumerate(self.frame.iterrows()):
            label = self._cell_text(cols[0], row[cols[0]]) if cols else ""
            for c, col in enumerate(cols):
                src = self.sources[r][c] if self.sources else None
                value = row[col]
                if src is None and not _number(value):
                    continue
                cells.append({"row": label, "column": str(col), "text": self._cell_text(col, value),
                              "value": _json_number(value), "source": src.as_dict() if src else {}})
        return {"caption": self.caption, "source": self.source, "files": list(self.files), "cells": cells}

    def _downloads(self) -> str:
        """Links to the CSV files of ``data/`` the table was computed from (copied beside the HTML by the build)."""
        links = "、".join(f'<a href="{html.escape(DATA_URL + f.removeprefix("data/"))}" download>'
                         f"{html.escape(Path(f).name)}</a>" for f in self.files)
        if not links:
            return ""
        if self.files_own or len(self.files) <= 2:
            return f'<p class="aibook-download">下载数据（CSV）：{links}</p>'
        # computed from several resources: the list, folded, so that it does not outweigh the table
        return (f'<details class="aibook-download"><summary>下载数据（CSV）：本表由 {len(self.files)} 个数据文件算出'
                f"</summary><p>{links}</p></details>")

    def _repr_markdown_(self) -> str:
        """Markdown for the PDF edition (MyST turns it into a real table; LaTeX escaping is Sphinx's job)."""
        cols = list(self.frame.columns)
        lines = [f"**{md_escape(self.caption)}**", "", "| " + " | ".join(md_escape(c) for c in cols) + " |",
                 "|" + "---|" * len(cols)]
        for _, row in self.frame.iterrows():
            cells = [md_escape(self._cell_text(col, row[col])) for col in cols]
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", md_escape(self.source)]
        return "\n".join(lines)

    def _cell_text(self, col: str, value: object) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return "—"
        fmt = self.formats.get(col)
        if callable(fmt):
            return fmt(value)
        if fmt:
            try:
                return fmt.format(value)
            except (ValueError, TypeError):
                return str(value)
        return _plain(value)

    def __repr__(self) -> str:
        return f"{self.caption}\n{self.frame.to_string(index=False)}\n{self.source}"


def _note(src: Source) -> str:
    """The provenance note of a number: its text, and a link to its row in the data appendix."""
    from aibook.provenance import APPENDIX, APPENDIX_LINK

    if src.anchor:
        link = f' <a href="{APPENDIX}.html#{html.escape(src.anchor)}">{APPENDIX_LINK}</a>'
    else:  # computed from inputs not traced: the page's banner lists the files it read
        link = ' <a href="#aibook-provenance">本页读取的文件</a>' if src.kind == "computed" else ""
    return f'<span class="aibook-src" role="note">{html.escape(src.text)}{link}</span>'


def percent_as_printed(value: float) -> str:
    """A share as 表格 8 prints it: whole numbers without decimals (21%), others with two (10.40%)."""
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.2f}%"


def data_files(df: pd.DataFrame) -> tuple[list[str], bool]:
    """The ``data/…`` CSV files a table was built from, and whether they are its own resource's file (``True``):
    its resource, or the files its traced cells or :func:`aibook.provenance.built_from` name — never every file the
    page read (a table that carries neither lists none)."""
    from aibook.provenance import frame_resources

    return frame_resources(df), df.attrs.get("origin") is not None


def cell_sources(df: pd.DataFrame, columns: Sequence[str]) -> list[list[Source | None]]:
    """Per row and column of ``df[columns]``, where each number cell comes from.

    A value still as read from a data file names the file, line and column; a traced value (a fact, a
    :func:`aibook.data.cell`, or what was computed from them) names its origins; any other number was computed on
    the page from inputs not traced, and says so without naming files.
    """
    from aibook.provenance import describe, of_cell

    origin = df.attrs.get("origin")
    titles = df.attrs.get("titles", {})
    fallback: Source | None = None
    out = []
    for _, row in df.iterrows():
        found: list[Source | None] = []
        for col in columns:
            if not _number(row[col]):
                found.append(None)
                continue
            line = origin.line(row, col) if origin is not None else None
            if line:
                found.append(of_cell(origin.resource_path, line, titles.get(col, col)))
            elif getattr(row[col], "origins", None):
                found.append(describe(row[col]))
            else:
                fallback = fallback or describe(row[col])
                found.append(fallback)
        out.append(found)
    return out


def show_table(
    df: pd.DataFrame,
    caption: str | None = None,
    source: str | None = None,
    *,
    columns: Sequence[str] | None = None,
    formats: Mapping[str, str | Callable[[Any], str]] | None = None,
    titles: bool = True,
    row_ids: Sequence[str] | None = None,
) -> Table:
    """A :class:`Table` of ``df``: caption and source default to the resource's title and 数据来源 line.

    ``columns`` picks and orders columns; with ``titles`` the header uses the schema's printed titles.
    ``formats`` maps a column to a format string (``"{:.2f}"``), e.g. to keep the report's decimals.
    Number cells that come unchanged from a data file carry their file, line and column. A caption that starts
    with a label (表格 6, 补表 3-1, 附表 A-1, 图表 23 的数据) makes the table an exhibit (:mod:`aibook.exhibits`):
    an anchor, its cells as CSV, a metadata JSON and a citation line.
    """
    attrs = df.attrs
    frame = df[list(columns)] if columns is not None else df
    sources = cell_sources(df, list(frame.columns))
    formats = dict(formats or {})
    if titles and attrs.get("titles"):
        mapping = {c: attrs["titles"].get(c, c) for c in frame.columns}
        frame = frame.rename(columns=mapping)
        formats = {mapping.get(k, k): v for k, v in formats.items()}
    caption = caption if caption is not None else attrs.get("title", "")
    source = source if source is not None else attrs.get("source_line", "")
    if not source:
        raise ValueError(f"table {caption!r} has no source line: every table states its source")
    files, own = data_files(df)
    table = Table(frame.reset_index(drop=True), caption, source, formats, sources,
                  list(row_ids) if row_ids is not None else None, files, own)
    table.exhibit = table_exhibit(table, df)
    return table


def table_exhibit(table: Table, df: pd.DataFrame) -> Exhibit | None:
    """The exhibit of a labelled table: its cells as shown (CSV), its title, unit and inputs; else ``None``."""
    from aibook import exhibits

    parts = exhibits.split_caption(table.caption)
    if parts is None:
        return None
    label, _, title = parts
    return exhibits.make(table.caption, title, "table", table.source, df, files=table.files or None,
                         own=table.files_own if table.files else None,
                         csv=exhibits.to_csv(table.shown_cells()))
