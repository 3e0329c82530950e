"""Sphinx glue for the book.

* Every glued number (``{glue:text}``, ``{glue:md}``) carries its provenance, which the chapter's code
  glued beside it under ``aibook-src:<key>`` (see ``aibook.provenance``): in HTML the number becomes a
  focusable disclosure button whose note (the report's sentence, or the files it was computed from) shows on
  hover, tap or keyboard focus (Enter opens, Esc closes: ``book/_static/aibook-a11y.js``), with a link to its
  row in the data appendix; the PDF keeps the bare number.
* Every figure a notebook draws opens at full resolution when clicked or tapped (a plain link to the image).
* Every exhibit (a labelled table or figure, :mod:`aibook.exhibits`): a figure's alt text says what it shows and
  its anchor sits on the image; after the build, each exhibit's CSV and metadata JSON are written under
  ``_static/exhibits/`` from the executed notebooks; ``aibook-exhibits.js`` copies an exhibit's link.
* Chinese search: in ``aibook_search`` (jieba words, and a ranking that knows phrases and section names).
* sphinx-thebe (pulled in by Jupyter Book 1.x) registers its inline configuration script once per read
  phase; on notebook pages the same ``const THEBE_JS_URL = …`` script then appears twice and the browser
  reports ``SyntaxError: Identifier 'THEBE_JS_URL' has already been declared``. We drop exact duplicate
  script entries from each page's context (same file — None and "" alike —, same attributes, same inline body).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from docutils import nodes
from myst_nb.ext.glue.roles import PasteMarkdownRole, PasteTextRole
from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data

SOURCE_PREFIX = "aibook-src:"

APPENDIX_DOC = "notebooks/appendix_data"


class sourced_number(nodes.inline):  # noqa: N801 - docutils node classes are lower case
    """A glued value with its provenance (``source``: text, ``anchor``: row in the data appendix)."""


def _source_of(document: nodes.document, key: str) -> dict[str, Any] | None:
    try:
        result = retrieve_glue_data(document, SOURCE_PREFIX + key)
    except RetrievalError:
        return None
    text = result.data.get("text/plain", "")
    try:
        return json.loads(text.strip("'\""))
    except ValueError:
        try:
            import ast

            return json.loads(ast.literal_eval(text))
        except (ValueError, SyntaxError):
            return None


def _with_source(role: Any, produced: tuple[list[nodes.Node], list[nodes.system_message]]):
    result, messages = produced
    key = role.text.rsplit(":", 1)[0] if ":" in role.text else role.text
    if "::" in key or not result:
        return result, messages
    source = _source_of(role.document, key)
    if source is None:
        return result, messages
    node = sourced_number("", "", *result, classes=["aibook-glued"])
    node["source"] = source.get("text", "")
    node["anchor"] = source.get("anchor", "")
    node["kind"] = source.get("kind", "")
    return [node], messages


class SourcedTextRole(PasteTextRole):
    def run(self):  # type: ignore[no-untyped-def]
        return _with_source(self, super().run())


class SourcedMarkdownRole(PasteMarkdownRole):
    def run(self):  # type: ignore[no-untyped-def]
        return _with_source(self, super().run())


def _visit_html(self: Any, node: sourced_number) -> None:
    # a disclosure button (keyboard: Tab, Enter, Esc — book/_static/aibook-a11y.js); the note, with its link,
    # is the button's sibling (a link inside a button is not reachable) and its accessible description
    self._aibook_notes = getattr(self, "_aibook_notes", 0) + 1
    note_id = f"aibook-note-{self._aibook_notes}"
    self.body.append(f'<span class="aibook-ref"><span class="aibook-num" tabindex="0" role="button" '
                     f'aria-expanded="false" aria-controls="{note_id}" aria-describedby="{note_id}">')


def _depart_html(self: Any, node: sourced_number) -> None:
    note = html.escape(node["source"])
    if node["anchor"]:
        target = self.builder.get_relative_uri(self.builder.current_docname, APPENDIX_DOC)
        note += f' <a href="{html.escape(target)}#{html.escape(node["anchor"])}">在数据附录中查看</a>'
    elif node.get("kind") == "computed":  # inputs not traced: the page's banner lists the files it read
        note += ' <a href="#aibook-provenance">本页读取的文件</a>'
    note_id = f"aibook-note-{self._aibook_notes}"
    self.body.append(f'</span><span class="aibook-src" id="{note_id}" role="note">{note}</span></span>')


def _pass(self: Any, node: nodes.Node) -> None:
    """Other builders (LaTeX, text): the bare number."""


_FIGURE = re.compile(r'<img alt="[^"]*" src="(?P<src>[^"]+\.png)"(?P<rest>[^>]*)>')
_CAPTION = re.compile(r'<p class="aibook-figure-caption">(.*?)</p>', re.S)
_EXHIBIT = re.compile(r'<div class="aibook-exhibit aibook-figure-exhibit" id="(?P<id>[^"]+)" data-alt="(?P<alt>[^"]*)">')
_TAG = re.compile(r"<[^>]+>")


def _link_figures(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Each notebook figure: a link to the image so a tap opens it full size, and its alt text.

    A figure that is an exhibit (:mod:`aibook.exhibits`) takes its alt text — what it shows — from the caption
    block under it (``data-alt``), and its anchor moves from that block onto the image, so that a shared link
    lands on the figure itself. Any other figure's alt text is its caption.
    """
    body = context.get("body")
    if not body or "cell_output" not in body:
        return
    moved: list[str] = []

    def link(m: re.Match[str]) -> str:
        window = body[m.end():m.end() + 4000]
        next_img = window.find("<img ")
        window = window if next_img < 0 else window[:next_img]
        exhibit = _EXHIBIT.search(window)
        caption = _CAPTION.search(window)
        anchor = ""
        if exhibit and exhibit.group("alt"):
            alt = html.unescape(exhibit.group("alt"))
            anchor = exhibit.group("id")
            moved.append(anchor)
        else:
            alt = html.unescape(_TAG.sub("", caption.group(1))).strip() if caption else "图"
        ident = f' id="{html.escape(anchor)}"' if anchor else ""
        return (f'<a class="aibook-figure-link"{ident} href="{m.group("src")}" title="点击查看原尺寸图片">'
                f'<img alt="{html.escape(alt)}" src="{m.group("src")}"{m.group("rest")}></a>')

    body = _FIGURE.sub(link, body)
    for anchor in moved:  # one element per id: the caption block keeps the anchor as data only
        body = body.replace(f'<div class="aibook-exhibit aibook-figure-exhibit" id="{html.escape(anchor)}"',
                            f'<div class="aibook-exhibit aibook-figure-exhibit" data-for="{html.escape(anchor)}"', 1)
    context["body"] = body


def _write_exhibits(app: Any, exception: Exception | None) -> None:
    """Beside the HTML, ``_static/exhibits/<anchor>.csv`` and ``.json`` of every exhibit the notebooks show."""
    if exception is not None or app.builder.format != "html":
        return
    from pathlib import Path

    from aibook import exhibits

    payloads = []
    parameters = {}
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        if source.suffix != ".ipynb" or not source.is_file():
            continue
        nb = json.loads(source.read_text(encoding="utf-8"))
        page = app.builder.get_target_uri(docname)
        parameters[page] = exhibits.notebook_parameters(nb)
        payloads += [(page, p) for p in exhibits.from_notebook(nb)]
    exhibits.write(payloads, Path(app.outdir) / "_static" / exhibits.EXHIBITS_DIR, parameters)


def _dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    unique = []
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        key = (str(getattr(js, "filename", js) or ""), tuple(sorted((k, str(v)) for k, v in attrs.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def setup(app: Any) -> dict[str, Any]:
    app.setup_extension("aibook_search")
    app.setup_extension("myst_nb")
    app.add_node(sourced_number, html=(_visit_html, _depart_html), latex=(_pass, _pass), text=(_pass, _pass),
                 man=(_pass, _pass), texinfo=(_pass, _pass))
    app.add_role_to_domain("glue", "text", SourcedTextRole(), override=True)
    app.add_role_to_domain("glue", "md", SourcedMarkdownRole(), override=True)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _link_figures, priority=910)
    app.connect("build-finished", _write_exhibits)
    app.add_js_file("aibook-exhibits.js", defer="defer")
    app.add_css_file("aibook-exhibits.css")
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
