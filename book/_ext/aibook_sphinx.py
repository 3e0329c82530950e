"""Sphinx glue for the book.

* Every glued number (``{glue:text}``, ``{glue:md}``) carries its provenance, which the chapter's code
  glued beside it under ``aibook-src:<key>`` (see ``aibook.provenance``): in HTML the number becomes a
  focusable disclosure button whose note (the report's sentence, or the files it was computed from) shows on
  hover, tap or keyboard focus (Enter opens, Esc closes: ``book/_static/aibook-a11y.js``), with a link to its
  row in the data appendix; the PDF keeps the bare number.
* Every figure a notebook draws opens at full resolution when clicked or tapped (a plain link to the image).
* Chinese search: Sphinx indexes Chinese text in words cut by jieba, but splits the reader's query only at
  spaces and punctuation, so "实体经济" (indexed as 实体 + 经济) found nothing. Our query splitter cuts each
  run of Han characters by longest match against the index's own vocabulary, the same words jieba made.
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

#: splitQuery for Chinese: longest match of Han runs against the words of the loaded search index
JS_SPLITTER = r"""
function splitQuery(query) {
  const parts = query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((t) => t);
  const index = (typeof Search !== "undefined" && Search._index) || { terms: {}, titleterms: {} };
  const known = (w) => w in index.terms || w in index.titleterms;
  const out = [];
  for (const part of parts) {
    if (!/\p{Script=Han}/u.test(part)) { out.push(part); continue; }
    const chars = Array.from(part);
    let i = 0;
    while (i < chars.length) {
      let j = Math.min(chars.length, i + 12);
      while (j > i + 1 && !known(chars.slice(i, j).join(""))) j--;
      const word = chars.slice(i, j).join("");
      if (j > i + 1 || known(word)) out.push(word);  // an unknown single character is not a search word
      i = j;
    }
  }
  return out;
}
"""
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
    note_id = f"aibook-note-{self._aibook_notes}"
    self.body.append(f'</span><span class="aibook-src" id="{note_id}" role="note">{note}</span></span>')


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


def _chinese_search() -> None:
    from sphinx.search import languages
    from sphinx.search.zh import SearchChinese

    class SearchChineseByIndexWords(SearchChinese):
        """Sphinx's Chinese search with our query splitter, and without its quadratic cost: the stock class
        keeps every Latin word ever seen in a list and looks each word up in it (half of the render time of
        this book). Here a set; Chinese words are not run through the English stemmer (it leaves them as they are).
        """

        js_splitter_code = JS_SPLITTER

        def init(self, options: dict[str, str]) -> None:
            super().init(options)
            self._latin: set[str] = set()

        def split(self, input: str) -> list[str]:
            # jieba cuts block by block; the same blocks recur thousands of times (table cells, provenance
            # notes), so each distinct block is cut once
            chinese = [w for block in jieba.re_han_default.split(input) if block for w in _cut(block)]
            latin = [term.strip() for term in self.latin1_letters.findall(input)]
            self._latin.update(latin)
            return chinese + latin

        def stem(self, word: str) -> str:
            if not word.isascii():
                return word.lower()
            stemmed = self.stemmer.stemWord(word.lower())
            if word in self._latin and len(word) >= 3 and len(stemmed) < 3:
                return word.lower()  # an acronym, not a word to stem (as Sphinx does)
            return stemmed

    import functools

    import jieba

    @functools.lru_cache(maxsize=200_000)
    def _cut(block: str) -> tuple[str, ...]:
        return tuple(jieba.cut_for_search(block))

    languages["zh"] = languages["zh_CN"] = SearchChineseByIndexWords


def setup(app: Any) -> dict[str, Any]:
    _chinese_search()
    app.setup_extension("myst_nb")
    app.add_node(sourced_number, html=(_visit_html, _depart_html), latex=(_pass, _pass), text=(_pass, _pass),
                 man=(_pass, _pass), texinfo=(_pass, _pass))
    app.add_role_to_domain("glue", "text", SourcedTextRole(), override=True)
    app.add_role_to_domain("glue", "md", SourcedMarkdownRole(), override=True)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _link_figures, priority=910)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
