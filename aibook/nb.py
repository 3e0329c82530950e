"""What a chapter notebook calls: set up, show provenance, caption figures, glue numbers into prose."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from aibook.data import descriptor, inputs_read
from aibook.paths import resolve_data_dir
from aibook.style import use_book_style
from aibook.tables import md_escape, spaced

#: every number of this edition, one row each (written beside the HTML by the build: aibook.ledger), and
#: the banner's link text to it; relative to a chapter page
LEDGER_URL = "../_static/ledger.csv"
LEDGER_LINK = "本版全部数字（CSV）"


class _Rich:
    """A display object with HTML, Markdown (used by the PDF edition) and plain-text forms.

    MyST-NB treats ``text/latex`` outputs as math, so the PDF gets escaped Markdown instead.
    """

    def __init__(self, html_text: str, markdown: str, plain: str):
        self._html, self._markdown, self._plain = html_text, markdown, plain

    def _repr_html_(self) -> str:
        return self._html

    def _repr_markdown_(self) -> str:
        return self._markdown

    def __repr__(self) -> str:
        return self._plain




def setup() -> None:
    """Apply the book's figure style (call once at the top of a chapter)."""
    use_book_style()


#: the element id of a page's provenance banner: a number whose inputs were not traced links there
BANNER_ID = "aibook-provenance"
#: the digests of every file each page read (written beside the HTML by the build, from its execution records)
INPUTS_URL = "../_static/inputs.json"
INPUTS_LINK = "各文件的 SHA-256 摘要（JSON）"


def provenance(data_dir: str | os.PathLike[str] | None = None, **params: Any) -> _Rich:
    """What produced this page: parameters, data package version and every file read.

    The banner links the edition's ledger (every number the book shows, with its source), so that a reader
    can take all the numbers of this edition away, or compare them with another edition's, and the file of
    the digests of the files each page read (``inputs.json``, written by the build). The digests are not in
    the page itself: the committed outputs, which nbval compares, change only when what a reader sees changes.

    Call it in the last cell: it lists exactly the inputs this kernel read through :func:`aibook.load`,
    and glues the banner as ``provenance`` so that the top of the chapter can show it.
    """
    root = resolve_data_dir(data_dir)
    version = descriptor(root).get("version", "?")
    shown = {"data_dir": str(data_dir), **params}
    items = "；".join(f"{k} = {v!r}" for k, v in shown.items())
    reads = []
    for path in sorted(inputs_read()):
        p = Path(path)
        reads.append(p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p))
    head = f"本页由数据包 {version} 按参数 {items} 生成；共读取 {len(reads)} 个数据文件。"
    listing = "".join(f"<li><code>{html.escape(rel)}</code></li>" for rel in reads)
    text = head + " " + "，".join(reads)
    rich = _Rich(f'<div class="aibook-provenance" id="{BANNER_ID}">{html.escape(head)}'
                 f' <a class="aibook-ledger" href="{LEDGER_URL}" download>{LEDGER_LINK}</a>'
                 f"<details><summary>读取的文件</summary><ul>{listing}</ul>"
                 f'<p><a class="aibook-inputs" href="{INPUTS_URL}">{INPUTS_LINK}</a></p></details></div>',
                 f"*{md_escape(head)}*", text)
    try:
        from myst_nb import glue

        glue("provenance", rich, display=False)
    except ImportError:  # pragma: no cover
        pass
    return rich


def caption(label: str, title: str, source: str) -> _Rich:
    """Caption and source line under a figure: ``caption("图表 6", "…", "数据来源：…")``."""
    return _Rich(
        f'<p class="aibook-figure-caption"><strong>{html.escape(label)}</strong> {html.escape(spaced(title))}</p>'
        f'<p class="aibook-figure-source">{html.escape(spaced(source))}</p>',
        f"**{md_escape(label)}** {md_escape(title)}\n\n{md_escape(source)}",
        f"{label} {title}\n{source}",
    )


def _glue_source(key: str, value: Any, how: str, source: Any = None) -> None:
    """Glue, beside ``key``, where its value comes from (shown by the book on hover or tap)."""
    from myst_nb import glue

    from aibook import provenance as prov

    origin = value if source is None else source
    glue(prov.GLUE_PREFIX + key, prov.describe(origin, how=how).to_json(), display=False)


def glue_number(key: str, value: Any, how: str = "", source: Any = None) -> float | int:
    """Glue a number for ``{glue:text}`key:.1f``` in prose, as a plain Python number (not ``np.float64``).

    Its provenance is glued beside it, described by the value's own origins: a :class:`aibook.data.Fact` names
    the report's sentence; a value read with :func:`aibook.data.cell` its file, line and column; a value
    computed from such values (:class:`aibook.data.Traced`) the facts and cells it was computed from — ``how``
    says how. A value with no origins (a pandas or NumPy result) is "computed on this page", naming no file.
    ``source`` (a traced value or a :class:`aibook.provenance.Source`) overrides where the value is said to come from.
    """
    from myst_nb import glue

    number: float | int = int(value) if float(value).is_integer() and not isinstance(value, float) else float(value)
    glue(key, number, display=False)
    _glue_source(key, value, how, source)
    return number


def glue_text(key: str, text: str, how: str = "", source: Any = None) -> str:
    """Glue a short text (a name, a date) for ``{glue:md}`key``` in prose; Markdown specials are escaped.

    A transcribed text names where it was transcribed from: pass a :class:`aibook.data.TracedText` (from
    :func:`aibook.data.cell`, kept by :func:`cn_date`) or ``source=`` (a traced value or a
    :class:`aibook.provenance.Source`, e.g. ``provenance.transcribed(file, where)``).
    """
    from IPython.display import Markdown
    from myst_nb import glue

    glue(key, Markdown(md_escape(text)), display=False)
    _glue_source(key, text, how, source)
    return str(text)


def show_figure(fig: Any, label: str, title: str, source: str, *, data: Any = None) -> None:
    """Display ``fig`` followed by its caption and source line, then close it (shown exactly once).

    ``data`` is the frame the figure was drawn from (what was passed to the function of :mod:`aibook.figures`).
    A labelled figure (图表 23, 补图 4-1, 附图 C-1) becomes an exhibit (:mod:`aibook.exhibits`): under it, its
    data as CSV, a metadata JSON and a citation line, with a stable anchor; its alt text, saying what the figure
    shows, comes from ``data/curated/exhibits.csv``. An exercise's figure (练习 …) gets the caption only.
    """
    import matplotlib.pyplot as plt
    import pandas as pd
    from IPython.display import display

    from aibook import exhibits

    frame = data if data is None or isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    exhibit = exhibits.make(label, title, "figure", source, frame if frame is not None else pd.DataFrame(),
                            csv=None if frame is not None else "")
    display(fig)
    display(exhibits.FigureExhibit(exhibit) if exhibit is not None else caption(label, title, source))
    plt.close(fig)


def notice(text: str, title: str = "注意") -> _Rich:
    """A visible note in the chapter (e.g. no data for the chosen period)."""
    return _Rich(
        f'<div class="admonition note aibook-notice"><p class="admonition-title">{html.escape(title)}</p>'
        f"<p>{html.escape(text)}</p></div>",
        f"> **{md_escape(title)}**：{md_escape(text)}",
        f"{title}：{text}",
    )


def quote(paragraphs: list[str], source: str) -> _Rich:
    """The report's own words, verbatim, as a block quote with its source under it (escaped for HTML and PDF)."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return _Rich(
        f'<blockquote class="aibook-quote">{body}<footer>{html.escape(source)}</footer></blockquote>',
        "\n>\n".join(f"> {md_escape(p)}" for p in paragraphs) + f"\n\n{md_escape(source)}",
        "\n".join(paragraphs) + f"\n{source}",
    )


class MarkdownText:
    """Markdown produced by code (numbers formatted from data); shown as Markdown in the book."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def cn_date(when: object) -> str:
    """A date of the data package as Chinese prose writes it, spaced by the book's one rule: ``2017-03`` →
    ``2017 年 3 月``, ``2017-Q1`` → ``2017 年一季度``, ``2017-03-05`` → ``2017 年 3 月 5 日``, ``2017`` → ``2017 年``.

    A date read with :func:`aibook.data.cell` keeps its origin (the result is a :class:`aibook.data.TracedText`).
    """
    from aibook.data import retext

    year, _, rest = str(when).strip().partition("-")
    if not rest:
        text = f"{int(year)} 年"
    elif rest.upper().startswith("Q"):
        text = f"{int(year)} 年{'一二三四'[int(rest[1:]) - 1]}季度"
    else:
        month, _, day = rest.partition("-")
        text = f"{int(year)} 年 {int(month)} 月" + (f" {int(day)} 日" if day else "")
    shown: str = retext(text, when)  # a TracedText (a str) when ``when`` names its cell
    return shown


def glue_printed(key: str, table: Any, fact_id: str, text: str | None = None) -> None:
    """Glue a fact as the report prints it (``value_text``: 三分之二, 两位数, 1.7万), with the fact's provenance.

    For ``{glue:md}`key``` in prose: facts printed in words have no number for :func:`glue_number`. ``text``
    replaces the printed form, e.g. the fact's date as :func:`cn_date` writes it.
    """
    from myst_nb import glue

    from aibook import provenance as prov
    from aibook.data import fact

    if text is None:
        text = str(table.at[fact_id, "value_text"])
    glue(key, MarkdownText(md_escape(text)), display=False)
    glue(prov.GLUE_PREFIX + key, prov.of_fact(fact(table, fact_id)).to_json(), display=False)


def glue_verdict(key: str, agrees: Any, yes: str = "相符", no: str = "不符") -> str:
    """Glue the word a check in the prose ends with, chosen by the audit's one tolerance rule.

    ``agrees`` is what the rule decided: a :class:`aibook.audit.checks.Check` or a claim's status (一致 /
    舍入误差 / 不一致, e.g. ``claims.set_index("id").at[claim_id, "status"]``) — 一致 gives ``yes``, 舍入误差
    ``yes`` followed by “（差在舍入范围内）”, 不一致 ``no``; 无法核对 is glued as such. A ``bool`` is accepted
    for exact comparisons only (counts, names, caps that are not rounded: equal or not, the rule's degenerate
    case); a verdict on rounded numbers must come from a check, never from a comparison typed in a cell.
    Returns the glued word.
    """
    from aibook.arith import CONSISTENT, INCONSISTENT, ROUNDING, UNCHECKABLE

    status = getattr(agrees, "status", agrees)  # a Check of aibook.audit, without importing the audit
    if isinstance(status, str):
        words = {CONSISTENT: yes, ROUNDING: f"{yes}（差在舍入范围内）", INCONSISTENT: no, UNCHECKABLE: UNCHECKABLE}
        if status not in words:
            raise ValueError(f"unknown verdict {status!r}; expected a Check, a bool or one of {sorted(words)}")
        word = words[status]
    else:
        word = yes if bool(status) else no
    glue_text(key, word, how="本书按核对规则（附录“报告数字核对”）判定")
    return word


def glue_facts(table: Any, chapter: int | None = None, also: Any = ()) -> None:
    """Glue every fact of ``chapter`` (and the facts of other chapters named in ``also``) under its own id, in
    each form the prose reads it in, each with the fact's provenance.

    - ``<id>``: a fact with a numeric reading as a number (``{glue:text}`ch4_…:.1f```); one without — a date
      (unit 日期, e.g. 2019年3月19日), a fraction or range printed in words (三分之二, 1-2) — as the report prints it;
    - ``<id>_printed``: as the report prints it (``value_text``: 三分之二, 第一, TOP15, 1.7万), spaced by the book's
      rule — for the counts and ranks that GB/T 15835 writes in words;
    - ``<id>_when``: the fact's reference period (``year``) as prose writes it (:func:`aibook.analysis.period_text`:
      2018 年 11 月, 2019 年 1—6 月); a span across years (2018/2020) has none;
    - ``<id>_year``: the year of that period alone (2018 年), for a period with a month or quarter.

    Which form a sentence uses is the prose's choice (``{glue:md}`…_when```); no list of ids is kept in a cell.
    A page must not glue these keys itself: a key glued twice fails the build.
    Returns nothing, so that the cell that calls it shows no stray value.
    """
    from aibook.data import fact

    ids = [] if chapter is None else list(table.loc[table["chapter"] == chapter, "id"])
    ids += [i for i in also if i not in ids]
    for fact_id in ids:
        if _is_number(table.at[fact_id, "value"]):
            glue_number(fact_id, fact(table, fact_id))
        else:
            glue_printed(fact_id, table, fact_id, spaced(str(table.at[fact_id, "value_text"])))
        for form, text in fact_forms(table, fact_id).items():
            glue_printed(f"{fact_id}_{form}", table, fact_id, text)


def fact_forms(table: Any, fact_id: str) -> dict[str, str]:
    """The forms :func:`glue_facts` glues a fact in besides its value: ``printed``, ``when``, ``year``."""
    from aibook.analysis import period_text

    forms = {"printed": spaced(str(table.at[fact_id, "value_text"]))}
    when = table.at[fact_id, "year"]
    if isinstance(when, str) and when.strip():
        try:
            forms["when"] = period_text(when)
        except ValueError:  # a span across years (2018/2020): no one period to write
            return forms
        if len(when.strip()) > 4:
            forms["year"] = period_text(when.strip()[:4])
    return forms


def _is_number(value: Any) -> bool:
    """``value`` is a number, not a missing cell (NaN or None)."""
    return value is not None and value == value
