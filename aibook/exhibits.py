"""Every exhibit of the book (表格, 图表, 补表, 补图, 附表, 附图) as a small data package.

A table or figure that carries a label gets, under it, three things a reader can take away (Our World in Data's
per-chart download is the model): its data as CSV — exactly the cells shown, or the frame a figure was drawn
from —, a metadata JSON (title, unit, sources with their standing, inputs with their SHA-256, the edition), and a
citation line; and a stable anchor derived from its label (表格 6 → ``table-6``, 补图 4-1 → ``sfigure-4-1``) with
a button that copies the link.

The notebook stays the single source: :func:`aibook.nb.show_figure` and :func:`aibook.tables.show_table` put
the exhibit's CSV and metadata into the executed notebook as an ``application/vnd.aibook.exhibit+json`` output;
the book's Sphinx extension (``book/_ext/aibook_sphinx.py``) writes ``_static/exhibits/<anchor>.csv`` and
``.json`` beside the HTML. What the figures mean in words (alt text) and each exhibit's unit are data, in
``data/curated/exhibits.csv``.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

#: the MIME type of an exhibit's data and metadata in an executed notebook (Jupyter Book renders the HTML form)
EXHIBIT_MIME = "application/vnd.aibook.exhibit+json"
#: where the build writes each exhibit's CSV and JSON, relative to a chapter page
EXHIBITS_URL = "../_static/exhibits/"
#: the folder under the HTML's ``_static``
EXHIBITS_DIR = "exhibits"
BOOK_TITLE = "上海人工智能与实体经济融合发展（2019）· 可复现数据版"
BOOK_AUTHOR = "可复现分析书项目组"

#: label prefix → anchor prefix (the report's own exhibits, the book's supplements, the appendices')
KINDS: Mapping[str, str] = {"表格": "table", "图表": "figure", "补表": "stable", "补图": "sfigure",
                            "附表": "atable", "附图": "afigure"}
_LABEL = re.compile(r"^(?P<kind>表格|图表|补表|补图|附表|附图)\s*(?P<num>[0-9A-Za-z]+(?:-[0-9]+)?)")
#: “图表 23 的数据”: the table of a figure's data is its own exhibit, anchored beside the figure
_DATA_OF = re.compile(r"^\s*的数据")


class ExhibitError(ValueError):
    """An exhibit that cannot be packaged (no label, a bad catalogue row), with what was expected."""


def parse_label(caption: str) -> tuple[str, str] | None:
    """The label and stable anchor of a caption, or ``None`` for a caption without one (an exercise's answer).

    >>> parse_label("表格 6 2018年六个重点行业工业总产值及其增长速度")
    ('表格 6', 'table-6')
    >>> parse_label("补图 4-1")
    ('补图 4-1', 'sfigure-4-1')
    >>> parse_label("图表 23 的数据")
    ('图表 23 的数据', 'figure-23-data')
    """
    text = unicodedata.normalize("NFKC", str(caption)).strip()
    m = _LABEL.match(text)
    if not m:
        return None
    label = f"{m['kind']} {m['num']}"
    anchor = f"{KINDS[m['kind']]}-{m['num'].lower()}"
    if _DATA_OF.match(text[m.end():]):
        return f"{label} 的数据", f"{anchor}-data"
    return label, anchor


def split_caption(caption: str) -> tuple[str, str, str] | None:
    """``(label, anchor, title)`` of a table caption (the title is what follows the label, as printed), or ``None``."""
    parsed = parse_label(caption)
    if parsed is None:
        return None
    label, anchor = parsed
    text = str(caption).strip()
    m = _LABEL.match(text) or _LABEL.match(unicodedata.normalize("NFKC", text))
    assert m is not None
    rest = text[m.end():].strip() if _LABEL.match(text) else unicodedata.normalize("NFKC", text)[m.end():].strip()
    if anchor.endswith("-data"):
        rest = _DATA_OF.sub("", rest).strip()
    return label, anchor, rest.lstrip("：:").strip()


# --- the curated catalogue: unit and alt text of each exhibit --------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """A row of ``data/curated/exhibits.csv``."""

    label: str
    anchor: str
    title: str
    unit: str
    alt: str


def data_root() -> Path:
    """The data package this kernel reads: the folder holding ``datapackage.json`` above the files read so far."""
    from aibook.inputs import inputs_read
    from aibook.paths import DATA_DIR

    for path in sorted(inputs_read()):
        for parent in Path(path).parents:
            if (parent / "datapackage.json").is_file():
                return parent
    return DATA_DIR


@lru_cache(maxsize=8)
def _catalogue_at(root: Path) -> dict[str, Entry]:
    from aibook import names
    from aibook.data import load
    from aibook.inputs import _READS

    before = set(_READS)
    frame = load(names.EXHIBITS, root)
    # the catalogue says how exhibits are described, not what they show: the page's list of files its numbers
    # were computed from leaves it out (the build's input log still records it, so a change re-executes the page)
    for key in set(_READS) - before:
        _READS.pop(key, None)
    return catalogue_from(frame, str(root / frame.attrs["resource_path"]))


def catalogue_from(frame: pd.DataFrame, where: str = "data/curated/exhibits.csv") -> dict[str, Entry]:
    """The catalogue by anchor; each anchor must be the one its label gives, once."""
    out: dict[str, Entry] = {}
    for i, row in enumerate(frame.fillna("").itertuples(index=False), start=2):
        parsed = parse_label(row.label)
        if parsed is None or parsed[0] != row.label.strip():
            raise ExhibitError(f"{where}, line {i}, column label: expected a label such as 表格 6 or 补图 4-1, "
                               f"found {row.label!r}")
        if parsed[1] != row.anchor:
            raise ExhibitError(f"{where}, line {i}, column anchor: expected {parsed[1]!r} (from the label "
                               f"{row.label!r}), found {row.anchor!r}")
        if row.anchor in out:
            raise ExhibitError(f"{where}, line {i}, column anchor: {row.anchor!r} is listed twice")
        out[row.anchor] = Entry(row.label, row.anchor, row.title, row.unit, row.alt)
    return out


def catalogue() -> dict[str, Entry]:
    """The exhibits catalogue of the data package this kernel reads."""
    return _catalogue_at(data_root())


# --- one exhibit --------------------------------------------------------------------------------------------------

#: the copy-link button's icon (two chain links), drawn inline so that it needs no emoji font; hidden from screen
#: readers, which read the button's aria-label
LINK_ICON = ('<svg class="aibook-link-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"'
             ' focusable="false"><path d="M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 013.5 3.5l-1 1M9 11.5l-1 1'
             'A2.5 2.5 0 014.5 9l1-1" fill="none" stroke="currentColor" stroke-width="1.6"'
             ' stroke-linecap="round"/></svg>')

STANDING_REPORT = "报告原文（中国信通院华东分院）"
STANDING_BOOK = "本书整理（依据报告正文或公开资料）"
STANDING_PUBLIC = "公开资料（每行注明来源及其性质）"
#: per-row ``source_type`` of the public data → its standing (see aibook.series)
ROW_STANDING = {"official": "官方发布", "news_agency": "国家通讯社", "repost": "转载（线索，不作来源）"}


def standing_of(path: str) -> str:
    """The standing of a data file as a source: the report, the book's curation, or public data sourced row by row."""
    rel = path.removeprefix("data/")
    if rel.startswith("tables/") or rel == "facts.csv":
        return STANDING_REPORT
    if rel.startswith("curated/"):
        return STANDING_BOOK
    return STANDING_PUBLIC


def row_sources(frame: pd.DataFrame) -> list[dict[str, str]]:
    """The distinct sources named row by row in ``frame`` (``source_title``, ``source_url``, ``source_type``)."""
    if "source_title" not in frame.columns:
        return []
    cols = [c for c in ("source_title", "source_url", "source_type", "standing") if c in frame.columns]
    out = []
    for row in frame[cols].drop_duplicates().itertuples(index=False):
        d = {c: ("" if pd.isna(v) else str(v)) for c, v in zip(cols, row, strict=True)}
        entry = {"title": d.get("source_title", ""), "url": d.get("source_url", "")}
        kind = d.get("source_type", "")
        if kind or d.get("standing"):
            entry["standing"] = ROW_STANDING.get(kind, d.get("standing") or kind)
        out.append(entry)
    return sorted(out, key=lambda e: (e["title"], e["url"]))


def to_csv(frame: pd.DataFrame) -> str:
    """A frame as CSV text: UTF-8, ``\\n`` line ends, no index unless it carries names (a grid's rows)."""
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


@dataclass
class Exhibit:
    """A labelled table or figure with its data (CSV text) and metadata; displays as the links under it."""

    label: str
    anchor: str
    title: str
    kind: str  # "table" or "figure"
    source: str
    csv: str
    unit: str = ""
    alt: str = ""
    inputs: list[dict[str, str]] = field(default_factory=list)
    sources: list[dict[str, str]] = field(default_factory=list)
    edition: dict[str, Any] = field(default_factory=dict)
    inputs_note: str = ""

    @property
    def csv_url(self) -> str:
        return f"{EXHIBITS_URL}{self.anchor}.csv"

    @property
    def json_url(self) -> str:
        return f"{EXHIBITS_URL}{self.anchor}.json"

    def citation(self, url: str = "") -> str:
        """The citation line in Chinese: the book, the exhibit's label and title, the link to its anchor."""
        where = url or f"#{self.anchor}"
        title = f"“{self.title}”" if self.title else ""
        return f"{BOOK_AUTHOR}：《{BOOK_TITLE}》，{self.label}{title}，{where}"

    def metadata(self) -> dict[str, Any]:
        """What the JSON beside the CSV says (the extension adds the page, the parameters and the citation)."""
        return {"label": self.label, "anchor": self.anchor, "kind": self.kind, "title": self.title,
                "unit": self.unit, "source_line": self.source, "alt": self.alt,
                "columns": list(pd.read_csv(io.StringIO(self.csv), nrows=0).columns) if self.csv else [],
                "sources": self.sources, "inputs": self.inputs, "inputs_note": self.inputs_note,
                "edition": self.edition,
                "report": {"title": "上海人工智能与实体经济融合发展研究报告",
                           "author": "中国信息通信研究院华东分院", "date": "2019-12"},
                "data": f"{self.anchor}.csv"}

    def payload(self) -> dict[str, Any]:
        return {"anchor": self.anchor, "csv": self.csv, "metadata": self.metadata()}

    def links_html(self) -> str:
        """The three links (CSV, JSON, citation) and the copy-link button, as HTML."""
        a = html.escape(self.anchor)
        name = html.escape(self.label + (" " if self.label[-1:].isascii() and self.label[-1:].isalnum() else ""))
        what = "本图" if self.kind == "figure" else "本表"
        csv = (f'<a class="aibook-exhibit-csv" href="{html.escape(self.csv_url)}" download>{what}数据（CSV）</a>'
               if self.csv else "")
        return (f'<div class="aibook-exhibit-links" data-anchor="{a}">{csv}'
                f'<a class="aibook-exhibit-json" href="{html.escape(self.json_url)}" download>元数据（JSON）</a>'
                f'<details class="aibook-exhibit-cite"><summary>引用</summary>'
                f'<p class="aibook-citation">{html.escape(self.citation())}</p></details>'
                f'<button type="button" class="aibook-copy-link" data-anchor="{a}" aria-label="复制{name}的链接"'
                f' title="复制{name}的链接">{LINK_ICON}</button></div>')

    def caption_html(self) -> str:
        """A figure's caption, source line and links (the anchor is moved onto the image by the extension)."""
        from aibook.tables import spaced

        return (f'<div class="aibook-exhibit aibook-figure-exhibit" id="{html.escape(self.anchor)}"'
                f' data-alt="{html.escape(self.alt)}">'
                f'<p class="aibook-figure-caption"><strong>{html.escape(self.label)}</strong> '
                f"{html.escape(spaced(self.title))}</p>"
                f'<p class="aibook-figure-source">{html.escape(spaced(self.source))}</p>{self.links_html()}</div>')


def inputs_of(files: Sequence[str]) -> list[dict[str, str]]:
    """``data/…`` files with their resource, title, source line and standing.

    Their SHA-256 is not part of the notebook's output (the committed outputs change only when what a reader
    sees changes): :func:`write` adds it when it writes the exhibit's JSON beside the HTML.
    """
    from aibook.data import descriptor

    root = data_root()
    resources = {f"data/{r.get('path', '')}": r for r in descriptor(root).get("resources", [])}
    out = []
    for f in sorted(set(files)):
        res = resources.get(f, {})
        entry = {"path": f, "resource": res.get("name", ""),
                 "title": res.get("title", ""), "source_line": res.get("source_line", ""), "standing": standing_of(f)}
        for key in ("accessed", "access_date"):  # where the package records when a source was read
            if res.get(key):
                entry["accessed"] = str(res[key])
        out.append(entry)
    return out


def page_files() -> list[str]:
    """Every data file this kernel has read (an exhibit computed on the page, and not traced, rests on them)."""
    from aibook.provenance import page_inputs

    return page_inputs()


def page_traced(frame: pd.DataFrame) -> list[str]:
    """The files a frame's traced cells came from, or those :func:`aibook.provenance.built_from` recorded."""
    from aibook.provenance import frame_resources

    return frame_resources(frame)


def with_digests(inputs: Sequence[Mapping[str, Any]], data_dir: Path) -> list[dict[str, Any]]:
    """``inputs`` with the SHA-256 of each ``data/…`` file as it is now in ``data_dir`` (the edition's package)."""
    import hashlib

    out = []
    for entry in inputs:
        path = data_dir / str(entry["path"]).removeprefix("data/")
        out.append({**entry, "sha256": hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""})
    return out


def edition() -> dict[str, Any]:
    """The data package's name and version (the build adds the notebook's parameters)."""
    from aibook.data import descriptor

    pkg = descriptor(data_root())
    return {"data_package": pkg.get("name", ""), "version": pkg.get("version", "")}


INPUTS_OWN = "所据的数据文件"
INPUTS_PAGE = "本页读取的全部数据文件（由本页代码算出，未逐一追溯到单个文件）"


def make(caption_label: str, title: str, kind: str, source: str, frame: pd.DataFrame, *,
         files: Sequence[str] | None = None, csv: str | None = None, own: bool | None = None) -> Exhibit | None:
    """The exhibit of a labelled table or figure, or ``None`` when the label is none of the book's kinds.

    ``files``: the data files it rests on (default: a frame's own file as loaded, else every file the page has
    read); ``own`` says whether they are its own files or the page's. Unit and alt text come from
    the catalogue; a figure without a catalogue entry is an error (every figure says what it shows).
    """
    parsed = parse_label(caption_label)
    if parsed is None:
        return None
    label, anchor = parsed
    entry = catalogue().get(anchor)
    if kind == "figure" and (entry is None or not entry.alt.strip()):
        raise ExhibitError(f"data/curated/exhibits.csv: no row with anchor {anchor!r} and an alt text; add one for "
                           f"{label} saying what the figure shows (label, anchor, title, unit, alt)")
    origin = frame.attrs.get("origin")
    if files is not None:
        used, own = list(files), True if own is None else own
    elif origin is not None:  # a figure drawn from one resource as loaded rests on that file
        used, own = [f"data/{origin.resource_path}"], True
    else:
        traced = page_traced(frame)  # the files its traced cells came from, or those built_from() recorded
        used, own = (traced or page_files()), bool(traced)
    inputs = inputs_of(used)
    standing = "；".join(dict.fromkeys(i["standing"] for i in inputs)) or "见出处行"
    sources = [{"title": source.removeprefix("数据来源："), "standing": standing}] if source else []
    return Exhibit(label=label, anchor=anchor, title=title, kind=kind, source=source,
                   csv=csv if csv is not None else to_csv(frame),
                   unit=entry.unit if entry else "", alt=entry.alt if entry else "",
                   inputs=inputs, sources=sources + row_sources(frame), edition=edition(),
                   inputs_note=INPUTS_OWN if own else INPUTS_PAGE)


class FigureExhibit:
    """What :func:`aibook.nb.show_figure` displays under the image: HTML with the links, Markdown for the PDF,
    and the exhibit's data as :data:`EXHIBIT_MIME` for the build."""

    def __init__(self, exhibit: Exhibit):
        self.exhibit = exhibit

    def _repr_html_(self) -> str:
        return self.exhibit.caption_html()

    def _repr_markdown_(self) -> str:
        from aibook.tables import md_escape

        e = self.exhibit
        return f"**{md_escape(e.label)}** {md_escape(e.title)}\n\n{md_escape(e.source)}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {EXHIBIT_MIME: self.exhibit.payload()}

    def __repr__(self) -> str:
        e = self.exhibit
        return f"{e.label} {e.title}\n{e.source}"


# --- the build side: from executed notebooks to files beside the HTML -------------------------------------------

def from_notebook(nb: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every exhibit payload of an executed notebook, in order."""
    out = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data", {}) or {}
            if EXHIBIT_MIME in data:
                value = data[EXHIBIT_MIME]
                out.append(json.loads(value) if isinstance(value, str) else value)
    return out


def notebook_parameters(nb: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters an executed notebook ran with: its ``parameters`` cell's literal values, then papermill's
    injected ones (a default build injects none)."""
    import ast

    out: dict[str, Any] = {}
    for tag in ("parameters", "injected-parameters"):
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code" or tag not in (cell.get("metadata", {}).get("tags") or []):
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse(source if isinstance(source, str) else "".join(source))
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    try:
                        out[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        continue
    out.update((nb.get("metadata", {}).get("papermill", {}) or {}).get("parameters", {}) or {})
    return out


def write(payloads: Sequence[tuple[str, Mapping[str, Any]]], folder: Path,
          parameters: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """Write ``<anchor>.csv`` and ``<anchor>.json`` for each ``(page, payload)``; return the anchors written.

    ``page`` is the page's path relative to the HTML root (``notebooks/ch3_industry_base.html``); the JSON gets
    the page, the link to the exhibit, the notebook's parameters and the citation. An anchor used twice with
    different data is an error: anchors must name one exhibit each.
    """
    folder.mkdir(parents=True, exist_ok=True)
    seen: dict[str, str] = {}
    for page, payload in payloads:
        anchor = str(payload["anchor"])
        if not re.fullmatch(r"[a-z]+-[0-9a-z]+(?:-[0-9]+)?(?:-data)?", anchor):
            raise ExhibitError(f"{page}: exhibit anchor {anchor!r} is not one the labels give")
        if anchor in seen:
            if seen[anchor] != payload["csv"]:
                raise ExhibitError(f"{page}: exhibit anchor {anchor!r} is used twice with different data")
            continue
        seen[anchor] = payload["csv"]
        meta = dict(payload["metadata"])
        url = f"{page}#{anchor}"
        meta["page"] = page
        meta["url"] = url
        page_parameters = dict((parameters or {}).get(page, {}))
        meta["edition"] = {**meta.get("edition", {}), "parameters": page_parameters}
        from aibook.paths import DATA_DIR

        data_dir = Path(str(page_parameters.get("data_dir") or DATA_DIR))
        meta["inputs"] = with_digests(meta.get("inputs", []), data_dir if data_dir.is_absolute() else DATA_DIR)
        exhibit = Exhibit(meta.get("label", ""), anchor, meta.get("title", ""), meta.get("kind", ""), "", "")
        meta["citation"] = exhibit.citation(url)
        if payload["csv"]:
            (folder / f"{anchor}.csv").write_text(payload["csv"], encoding="utf-8")
        (folder / f"{anchor}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                               encoding="utf-8")
    return sorted(seen)
