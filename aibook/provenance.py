"""Where a number shown in the book comes from, in words a reader can follow.

Three kinds, as the book promises: a number the report states (fact id, verbatim quote, line of
``data/facts.csv``); a cell of a data file (file, line, column); or a number computed on the page from the
files it read (listed). The Sphinx extension (``book/_ext/aibook_sphinx.py``) shows the text on hover or tap
beside each glued number; the table renderer puts it on each number cell. The PDF keeps clean numbers.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aibook.data import Fact, Ref, inputs_read

#: glue key prefix of the provenance record that accompanies a glued number
GLUE_PREFIX = "aibook-src:"
#: the data appendix page (beside the chapter pages in the book) and the link text to a row of it
APPENDIX = "appendix_data"
APPENDIX_LINK = "在数据附录中查看"


@dataclass
class Source:
    """Provenance of one shown number."""

    kind: str  # "fact" | "cell" | "computed" | "stated"
    text: str
    anchor: str = ""  # fragment on the data appendix page (fact-<id>, res-<name>), if it has a row there
    files: list[str] = field(default_factory=list)
    line: int = 0  # a data file's cell: its line (1 = the header) and printed column title, for the ledger
    column: str = ""

    def as_dict(self) -> dict[str, object]:
        """The fields, without an unset line and column: glued provenance stays as it was before they existed."""
        return {k: v for k, v in asdict(self).items() if v or k not in ("line", "column")}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True)


def _relative(path: str) -> str:
    """``data/…`` path of a file inside a data package (the folder holding ``datapackage.json``)."""
    p = Path(path)
    for parent in p.parents:
        if (parent / "datapackage.json").is_file():
            return "data/" + p.relative_to(parent).as_posix()
    return p.name


def of_fact(value: Fact) -> Source:
    line = f"，第 {value.line} 行" if value.line else ""
    return Source("fact", f"报告正文（data/facts.csv{line}，{value.fact_id}）：“{value.quote}”",
                  anchor=f"fact-{value.fact_id}", files=["data/facts.csv"])


def of_cell(resource_path: str, line: int, column: str) -> Source:
    return Source("cell", f"data/{resource_path} 第 {line} 行，列“{column}”",
                  anchor=f"res-{Path(resource_path).stem}", files=[f"data/{resource_path}"], line=int(line), column=str(column))


def computed(how: str = "") -> Source:
    """A number computed on the page whose inputs were not traced (a pandas column, a NumPy result).

    It names no file: the page read many, and which of them this number came from is not known; the page's
    banner lists them all. Compute from :func:`aibook.data.fact` and :func:`aibook.data.cell` values instead,
    and the note names the very facts and cells (see :func:`of_refs`).
    """
    what = how or "由本页代码计算"
    return Source("computed", f"{what}（输入未逐项记录；本页读取的数据文件见页首）")


def page_inputs() -> list[str]:
    """The ``data/…`` CSV files the page has read so far (for a page's banner, never for one value's note)."""
    return sorted(_relative(p) for p in inputs_read() if Path(p).suffix == ".csv")


def _anchor(refs: list[Ref]) -> str:
    """The data appendix row of the first input: a resource's row (``res-…``), the facts' when only facts were read.

    Never a fact's own row for a computed value: the ledger reads ``fact-…`` anchors as “this fact is shown”.
    """
    files = [r.file for r in refs if r.file and not r.file.startswith("data/releases/")]
    first = next((f for f in files if f != "data/facts.csv"), files[0] if files else "")
    return f"res-{Path(first).stem}" if first else ""


def of_refs(refs: list[Ref] | tuple[Ref, ...], derived: bool, how: str = "") -> Source:
    """The note of a traced value: transcribed from its one origin, or computed from the origins listed."""
    refs = sorted(set(refs))
    files = sorted({r.file for r in refs if r.file})
    if not derived and len(refs) == 1:
        r = refs[0]
        if r.fact_id:
            at = f"，第 {r.line} 行" if r.line else ""
            return Source("fact", f"报告正文（{r.file}{at}，{r.fact_id}）：“{r.quote}”", anchor=f"fact-{r.fact_id}",
                          files=files)
        text = f"{how}：" if how else "转录自 "
        return Source("cell", f"{text}{r.describe()}", anchor=_anchor(refs), files=files, line=int(r.line or 0),
                      column=r.column)
    what = how or "由本页代码计算"
    return Source("computed", f"{what}；输入：{'、'.join(r.describe() for r in refs)}", anchor=_anchor(refs),
                  files=files)


def transcribed(file: str, where: str) -> Source:
    """A value transcribed from a place that is not a table cell (a field of ``datapackage.json``)."""
    return Source("cell", f"转录自 {file}，{where}", files=[file])


def describe(value: object, how: str = "") -> Source:
    """The provenance of a value about to be glued.

    A :class:`Fact` names its sentence; a traced value (:class:`aibook.data.Traced`, :class:`~aibook.data.TracedText`)
    names the facts and cells it was transcribed or computed from; a :class:`Source` is itself; anything else was
    computed on the page from inputs not traced.
    """
    if isinstance(value, Source):
        return value
    if isinstance(value, Fact) and not how:
        return of_fact(value)
    refs = getattr(value, "origins", ())
    if refs:
        return of_refs(list(refs), bool(getattr(value, "derived", True)) or isinstance(value, Fact) and bool(how), how)
    return computed(how)


def frame_resources(df: Any) -> list[str]:
    """The ``data/…`` files a table was built from: its own resource's file, or the files named by the origins of
    its traced cells (``aibook.data.cell`` values, facts and what was computed from them) — never every file the
    page read. Empty when the frame carries neither (then say so rather than list the page's files)."""
    origin = getattr(df, "attrs", {}).get("origin")
    if origin is not None:
        return [f"data/{origin.resource_path}"]
    files: set[str] = set()
    for column in getattr(df, "columns", []):
        for value in df[column].tolist():
            files.update(r.file for r in getattr(value, "origins", ()) if r.file)
    files.update(getattr(df, "attrs", {}).get("inputs", []))
    return sorted(files)


# ------------------------------------------------------------------------------ the report's contents
def contents_links(toc: Any, notebooks: dict[int, list[Path]], read_headings: Any) -> list[dict[str, str]]:
    """Each heading of the report's contents with the one page of the book that holds it and a link to its section.

    ``notebooks`` maps a chapter to its pages (``aibook.toc.chapters()``), ``read_headings`` gives a page's
    headings (``coverage.headings``). A heading is placed on the page whose headings contain it (compared without
    spaces and with full-width brackets folded); the link is ``<page>.html#:~:text=<heading>`` (a text fragment:
    browsers that know it scroll to the section, the others open the page). A heading found on no page links to
    the chapter's first page.
    """
    import unicodedata
    from urllib.parse import quote as url_quote

    def key(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", str(text)).split())

    pages = {ch: [(nb, [h for h in read_headings(nb)]) for nb in nbs] for ch, nbs in notebooks.items()}
    rows = []
    for r in toc.itertuples():
        cands = pages.get(int(r.chapter), [])
        hit = next(((nb, hs) for nb, hs in cands if any(key(h) == key(r.heading) for h in hs)), None)
        if hit is None and not cands:
            rows.append({"heading": str(r.heading), "page": str(r.page), "title": "", "href": ""})
            continue
        nb, hs = hit or cands[0]
        shown = next((h for h in hs if key(h) == key(r.heading)), "") if hit else ""
        href = f"{nb.stem}.html" + (f"#:~:text={url_quote(shown.strip())}" if shown and hs and shown != hs[0] else "")
        rows.append({"heading": str(r.heading), "page": str(r.page), "title": hs[0] if hs else nb.stem, "href": href})
    return rows


def contents_table(rows: list[dict[str, str]], levels: list[int], caption: str, source: str) -> Any:
    """The contents rows of :func:`contents_links` as an escaped HTML table (Markdown for the PDF edition)."""
    import html

    from aibook.nb import _Rich
    from aibook.tables import md_escape

    indent = {1: "", 2: "\u3000", 3: "\u3000\u3000"}
    body = "".join(
        f"<tr><td>{indent.get(lv, '')}{html.escape(r['heading'])}</td><td>{html.escape(r['page'])}</td>"
        f"<td>{'<a href=' + chr(34) + html.escape(r['href']) + chr(34) + '>' + html.escape(r['title']) + '</a>' if r['href'] else ''}</td></tr>"
        for r, lv in zip(rows, levels, strict=True))
    table = (f'<table class="aibook-table"><caption>{html.escape(caption)}</caption><thead><tr>'
             f'<th scope="col">标题（原文）</th><th scope="col">原报告页码</th><th scope="col">本书页面</th></tr></thead>'
             f"<tbody>{body}</tbody></table><p class=\"aibook-table-source\">{html.escape(source)}</p>")
    md = "\n".join([f"**{md_escape(caption)}**", "", "| 标题（原文） | 原报告页码 | 本书页面 |", "|---|---|---|",
                    *(f"| {indent.get(lv, '')}{md_escape(r['heading'])} | {r['page']} | {md_escape(r['title'])} |"
                      for r, lv in zip(rows, levels, strict=True)), "", md_escape(source)])
    return _Rich(table, md, md)


def built_from(df: Any, *sources: Any) -> Any:
    """Record on ``df`` the resources it was built from, for its note (:func:`frame_resources`), and return it.

    Each source is a loaded frame (its resource's file), a traced value (the files of its origins) or a
    ``data/…`` path. Use it where a table is computed (a pivot, a merge) and pandas has dropped the frame's origin.
    """
    files = set(df.attrs.get("inputs", []))
    for src in sources:
        if isinstance(src, str):
            files.add(src)
        elif hasattr(src, "attrs") and src.attrs.get("resource_path"):
            files.add(f"data/{src.attrs['resource_path']}")
        else:
            files.update(r.file for r in getattr(src, "origins", ()) if r.file)
    df.attrs["inputs"] = sorted(files)
    return df
