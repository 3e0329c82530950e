"""Sphinx glue for the book.

* Every glued number (``{glue:text}``, ``{glue:md}``) carries its provenance, which the chapter's code
  glued beside it under ``aibook-src:<key>`` (see ``aibook.provenance``): in HTML the number becomes a
  focusable span whose note (the report's sentence, or the files it was computed from) shows on hover or
  tap, with a link to its row in the data appendix; the PDF keeps the bare number.
* Every figure a notebook draws opens at full resolution when clicked or tapped (a plain link to the image).
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
    return [node], messages


class SourcedTextRole(PasteTextRole):
    def run(self):  # type: ignore[no-untyped-def]
        return _with_source(self, super().run())


class SourcedMarkdownRole(PasteMarkdownRole):
    def run(self):  # type: ignore[no-untyped-def]
        return _with_source(self, super().run())


def _visit_html(self: Any, node: sourced_number) -> None:
    self.body.append('<span class="aibook-num" tabindex="0">')


def _depart_html(self: Any, node: sourced_number) -> None:
    note = html.escape(node["source"])
    if node["anchor"]:
        target = self.builder.get_relative_uri(self.builder.current_docname, APPENDIX_DOC)
        note += f' <a href="{html.escape(target)}#{html.escape(node["anchor"])}">在数据附录中查看</a>'
    self.body.append(f'<span class="aibook-src" role="note">{note}</span></span>')


def _pass(self: Any, node: nodes.Node) -> None:
    """Other builders (LaTeX, text): the bare number."""


_FIGURE = re.compile(r'<img alt="[^"]*" src="(?P<src>[^"]+\.png)"(?P<rest>[^>]*)>')
_CAPTION = re.compile(r'<p class="aibook-figure-caption">(.*?)</p>', re.S)
_TAG = re.compile(r"<[^>]+>")


def _link_figures(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Each notebook figure: alt text from its caption, and a link to the image so a tap opens it full size."""
    body = context.get("body")
    if not body or "cell_output" not in body:
        return

    def link(m: re.Match[str]) -> str:
        caption = _CAPTION.search(body, m.end(), m.end() + 4000)
        alt = html.unescape(_TAG.sub("", caption.group(1))).strip() if caption else "图"
        return (f'<a class="aibook-figure-link" href="{m.group("src")}" title="点击查看原尺寸图片">'
                f'<img alt="{html.escape(alt)}" src="{m.group("src")}"{m.group("rest")}></a>')

    context["body"] = _FIGURE.sub(link, body)


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
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
