"""The book's search: Chinese words cut by jieba, and a ranking that knows phrases and section names.

Sphinx's own search finds the pages that hold every word of a query and ranks them all alike (5 points for a
word in the text, 15 in a title), so a page that names a district once ties with the page about it. Here:

* Indexing (Python): Sphinx's Chinese index (jieba words; Latin words kept as they are, acronyms unstemmed)
  stays for Sphinx's own search code. Beside it, under ``aibook`` in ``searchindex.js``, each page's counts of
  the Han character *bigrams* of its text (any run of two or more Han characters can be looked up, even a name
  jieba does not know, like 达闼 or 桃浦) and of its Latin/number tokens, the page's length, and its *lead-ins*:
  the bold words a paragraph or list item opens with (``**4. 能源装备。**``), the report's lower headings.
  Code cells are not indexed there: readers search prose and tables.
* Ranking (``book/_static/aibook-search.js``, shipped by ``html_search_scorer``): a page must hold every bigram
  of the query; its phrase count is the smallest count of the query's bigrams (the number of times the exact
  phrase can occur); pages are ranked by BM25 over these phrase counts, plus a bonus when a page title, a
  section title or a lead-in contains the query (more when the title is little more than the query, so that
  徐汇 brings 徐汇区人工智能新高地建设“T计划” first). Pages that have the query's jieba words but never the
  phrase (the characters scattered) are listed after every page with the phrase.

The index is deterministic: pages in name order, keys sorted (Sphinx writes the JSON with sorted keys).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path
from typing import Any

from docutils import nodes

#: the Han characters, the same ranges as in aibook-search.js
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN}]+")
#: Latin letters and digits (lower case), the same as in aibook-search.js
TOKEN = re.compile("[0-9a-z\u00c0-\u024f]+")
_STYLE_SCRIPT = re.compile(r"<(style|script).*?</\1>", re.I | re.S)
_TAG = re.compile(r"<[^<]+?>")
_LEAD_END = re.compile(r"[\s。：:，,；;.]+$")

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


def bigrams(text: str) -> Counter[str]:
    """Counts of the Han character bigrams of ``text`` (within runs of Han characters only)."""
    counts: Counter[str] = Counter()
    for run in HAN_RUN.findall(text):
        counts.update(run[i:i + 2] for i in range(len(run) - 1))
    return counts


def tokens(text: str) -> Counter[str]:
    """Counts of the Latin/number tokens of ``text``, lower case."""
    return Counter(TOKEN.findall(text.lower()))


def lead_in(paragraph: nodes.paragraph) -> str | None:
    """The bold words a paragraph opens with (“4. 能源装备。” → “4. 能源装备”), else None."""
    first = next((c for c in paragraph.children if not (isinstance(c, nodes.Text) and not c.astext().strip())), None)
    if not isinstance(first, nodes.strong):
        return None
    text = _LEAD_END.sub("", first.astext().strip())
    return text if HAN_RUN.search(text) and len(text) <= 60 else None


def page_text(doctree: nodes.Node) -> tuple[list[str], list[str]]:
    """The text of a page as the search sees it (prose, tables, raw HTML outputs without tags; no code, no
    comments), and its lead-ins in order."""
    texts: list[str] = []
    leads: list[str] = []

    def visit(node: nodes.Node) -> None:
        if isinstance(node, (nodes.comment, nodes.literal_block)):
            return
        if isinstance(node, nodes.raw):
            if "html" in node.get("format", "").split():
                texts.append(_TAG.sub(" ", _STYLE_SCRIPT.sub(" ", node.astext())))
            return
        if isinstance(node, nodes.Text):
            texts.append(node.astext())
            return
        if isinstance(node, nodes.paragraph):
            lead = lead_in(node)
            if lead:
                leads.append(lead)
        for child in node.children:
            visit(child)

    visit(doctree)
    return texts, leads


class PageStats:
    """What the ranking needs of one page."""

    def __init__(self, grams: Counter[str], words: Counter[str], leads: list[str]) -> None:
        self.grams, self.words, self.leads = grams, words, leads

    @classmethod
    def of(cls, doctree: nodes.Node) -> PageStats:
        texts, leads = page_text(doctree)
        grams: Counter[str] = Counter()
        words: Counter[str] = Counter()
        for text in texts:
            grams.update(bigrams(text))
            words.update(tokens(text))
        return cls(grams, words, list(dict.fromkeys(leads)))

    @property
    def length(self) -> int:
        return sum(self.grams.values()) + sum(self.words.values())


def freeze_stats(stats: dict[str, PageStats], docnames: list[str]) -> dict[str, Any]:
    """The ``aibook`` part of the search index: postings ``[doc, count, doc, count, …]`` by page number."""
    number = {d: i for i, d in enumerate(docnames)}
    grams: dict[str, list[int]] = {}
    words: dict[str, list[int]] = {}
    lengths = [0] * len(docnames)
    leads: list[list[Any]] = []
    for doc in sorted(stats):
        if doc not in number:
            continue
        i, page = number[doc], stats[doc]
        lengths[i] = page.length
        for table, counts in ((grams, page.grams), (words, page.words)):
            for key, count in sorted(counts.items()):
                table.setdefault(key, []).extend((i, count))
        leads.extend([i, lead] for lead in page.leads)
    return {"grams": grams, "words": words, "lengths": lengths, "leads": leads}


def thaw_stats(frozen: dict[str, Any], docnames: list[str]) -> dict[str, PageStats]:
    """The per-page statistics back from the ``aibook`` part of an index written before."""
    stats = {d: PageStats(Counter(), Counter(), []) for d in docnames}
    for attr, table in (("grams", frozen.get("grams", {})), ("words", frozen.get("words", {}))):
        for key, postings in table.items():
            for i in range(0, len(postings), 2):
                getattr(stats[docnames[postings[i]]], attr)[key] = postings[i + 1]
    for i, lead in frozen.get("leads", []):
        stats[docnames[i]].leads.append(lead)
    return stats


def _index_builder() -> type:
    from sphinx.search import IndexBuilder

    class AibookIndexBuilder(IndexBuilder):
        """Sphinx's index, plus the per-page statistics of the ranking (see the module's docstring)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._aibook: dict[str, PageStats] = {}

        def load(self, stream: Any, format: Any) -> None:
            import json
            import pickle

            super().load(stream, format)
            stream.seek(0)
            text = stream.read()
            if isinstance(text, bytes):
                frozen = pickle.loads(text)
            else:
                frozen = json.loads(text[text.index("(") + 1:text.rindex(")")])
            self._aibook = thaw_stats(frozen.get("aibook", {}), list(frozen["docnames"]))

        def prune(self, docnames: Any) -> None:
            super().prune(docnames)
            keep = set(docnames)
            self._aibook = {d: s for d, s in self._aibook.items() if d in keep}

        def feed(self, docname: str, filename: str, title: str, doctree: nodes.document) -> None:
            super().feed(docname, filename, title, doctree)
            self._aibook[docname] = PageStats.of(doctree) if title else PageStats(Counter(), Counter(), [])

        def freeze(self) -> dict[str, Any]:
            frozen = super().freeze()
            frozen["aibook"] = freeze_stats(self._aibook, list(frozen["docnames"]))
            return frozen

    return AibookIndexBuilder


def _chinese_language() -> type:
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

        def split(self, input: str) -> list[str]:  # noqa: A002 - Sphinx's name
            import jieba

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

    return SearchChineseByIndexWords


@functools.lru_cache(maxsize=200_000)
def _cut(block: str) -> tuple[str, ...]:
    import jieba

    return tuple(jieba.cut_for_search(block))


def _scorer_path(app: Any, config: Any) -> None:
    """``html_search_scorer`` relative to the book's folder (Sphinx opens it relative to the working dir)."""
    scorer = config.html_search_scorer
    if scorer and not Path(scorer).is_absolute():
        config.html_search_scorer = str(Path(app.confdir, scorer))


def setup(app: Any) -> dict[str, Any]:
    import sphinx.search
    from sphinx.search import languages

    language = _chinese_language()
    languages["zh"] = languages["zh_CN"] = language
    if not getattr(sphinx.search.IndexBuilder, "aibook", False):
        builder = _index_builder()
        builder.aibook = True
        sphinx.search.IndexBuilder = builder  # imported by the HTML builder when it starts writing
    app.connect("config-inited", _scorer_path)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
