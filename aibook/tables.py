"""Render tables safely: every cell value is HTML-escaped and the source line sits under the table.

pandas ``Styler`` does not escape by default and MyST-NB inserts HTML outputs raw, so a ``<script>`` in a
CSV cell would run in the book. Everything here goes through ``escape="html"`` (and ``"latex"`` for
the PDF edition), with a fixed ``uuid`` so that the HTML is identical run to run.
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


def _uuid(caption: str) -> str:
    return "t" + hashlib.sha256(caption.encode("utf-8")).hexdigest()[:8]


@dataclass
class Table:
    """A captioned, sourced table; displays as escaped HTML (and LaTeX for the PDF)."""

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

    def _repr_latex_(self) -> str:
        body = self._styler("latex").to_latex(hrules=True, column_format="l" * self.frame.shape[1])
        from pandas.io.formats.style_render import _escape_latex

        return (f"\\begin{{center}}\\textbf{{{_escape_latex(self.caption)}}}\\end{{center}}\n{body}"
                f"\\begin{{center}}\\footnotesize {_escape_latex(self.source)}\\end{{center}}\n")

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
