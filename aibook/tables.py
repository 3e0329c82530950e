"""Render tables safely: every cell value is HTML-escaped and the source line sits under the table.

pandas ``Styler`` does not escape by default and MyST-NB inserts HTML outputs raw, so a ``<script>`` in a
CSV cell would run in the book. Everything here goes through ``escape="html"``, with a fixed ``uuid`` so
that the HTML is identical run to run. The PDF edition gets a Markdown table in which every special
character is backslash-escaped, so cell text stays text and ``% _ & $ #`` reach LaTeX escaped by Sphinx.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd


def _plain(value: object) -> str:
    """Numbers as printed: up to 10 significant digits, no trailing zeros, no thousands separators."""
    if isinstance(value, float):
        return format(value, ".10g")
    return str(value)


_MD_SPECIAL = set("\\`*_{}[]<>()#+-.!|$~^&")


def md_escape(text: object) -> str:
    """Escape every Markdown/MyST special character so that cell text stays literal text."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text)).replace("\n", " ")


def _uuid(caption: str) -> str:
    return "t" + hashlib.sha256(caption.encode("utf-8")).hexdigest()[:8]


@dataclass
class Table:
    """A captioned, sourced table; displays as escaped HTML (and escaped Markdown for the PDF)."""

    frame: pd.DataFrame
    caption: str
    source: str
    formats: Mapping[str, str] = field(default_factory=dict)

    def _styler(self, escape: str) -> pd.io.formats.style.Styler:
        styler = self.frame.style.hide(axis="index")
        styler.set_uuid(_uuid(self.caption))
        styler.format(_plain, na_rep="—", escape=escape)
        styler.format_index(escape=escape, axis=1)
        for col, fmt in self.formats.items():
            styler.format(fmt, subset=[col], na_rep="—", escape=escape)
        return styler

    def _repr_html_(self) -> str:
        styler = self._styler("html")
        styler.set_caption(html.escape(self.caption))
        source = html.escape(self.source)
        return (f'<div class="aibook-table-wrap">{styler.to_html(exclude_styles=True)}'
                f'<p class="aibook-source">{source}</p></div>')

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
        if value is None or (isinstance(value, float) and value != value):
            return "—"
        fmt = self.formats.get(col)
        if fmt:
            try:
                return fmt.format(value)
            except (ValueError, TypeError):
                return str(value)
        return _plain(value)

    def __repr__(self) -> str:
        return f"{self.caption}\n{self.frame.to_string(index=False)}\n{self.source}"


def show_table(
    df: pd.DataFrame,
    caption: str | None = None,
    source: str | None = None,
    *,
    columns: Sequence[str] | None = None,
    formats: Mapping[str, str] | None = None,
    titles: bool = True,
) -> Table:
    """A :class:`Table` of ``df``: caption and source default to the resource's title and 数据来源 line.

    ``columns`` picks and orders columns; with ``titles`` the header uses the schema's printed titles.
    ``formats`` maps a column to a format string (``"{:.2f}"``), e.g. to keep the report's decimals.
    """
    attrs = df.attrs
    frame = df[list(columns)] if columns is not None else df
    formats = dict(formats or {})
    if titles and attrs.get("titles"):
        mapping = {c: attrs["titles"].get(c, c) for c in frame.columns}
        frame = frame.rename(columns=mapping)
        formats = {mapping.get(k, k): v for k, v in formats.items()}
    caption = caption if caption is not None else attrs.get("title", "")
    source = source if source is not None else attrs.get("source_line", "")
    if not source:
        raise ValueError(f"table {caption!r} has no source line: every table states its source")
    return Table(frame.reset_index(drop=True), caption, source, formats)
