"""Chinese as a Chinese reader expects (issue 23.6): the book's one spacing rule, checked by a kept linter.

The linter is autocorrect (PyPI ``autocorrect-py``, the copywriting linter for CJK text), configured by
``.autocorrectrc`` to the book's rule only: one space between Chinese and Latin letters or digits, none around
full-width punctuation. It reads the TEXT of every rendered HTML page — what a reader sees, glued values
included — not the Markdown sources. What the book transcribes verbatim is the report's, not the book's, and is
left out: quotations in “…”, titles in 《…》, block quotes and the cells of tables (transcribed exactly as printed);
so is code.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import autocorrect_py as autocorrect
import pandas as pd
import pytest

from aibook.paths import ROOT

CONFIG = ROOT / ".autocorrectrc"
#: elements whose text is not the book's own prose (code, transcribed cells and quotes, hover notes, navigation)
SKIP_TAGS = {"script", "style", "pre", "code", "td", "blockquote", "svg", "math", "button", "nav", "footer"}
#: inline elements whose text is left out but which stand in the sentence: replaced by a Latin placeholder, so
#: that the spacing around them (“打开 `x.ipynb`，”) is still checked as spacing around Latin text
PLACEHOLDER = {"code": "code"}
SKIP_CLASSES = {"highlight", "aibook-src", "aibook-quote", "headerlink", "cell_input", "toctree-wrapper",
                "bd-toc", "prev-next-area", "aibook-provenance"}
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "th", "dt", "dd", "figcaption", "summary", "div",
          "section", "table", "tr", "ul", "ol", "details", "article", "main"}
VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed", "param", "track"}
#: names that contain digits, as the report prints them (沪财发〔2017〕5号, 5G+人工智能 …): names, kept as printed
NAMES = sorted(pd.read_csv(ROOT / "data" / "curated" / "digit_names.csv", dtype=str)["name"], key=len, reverse=True)
#: verbatim spans inside the book's sentences: quotations, titles, the report's scenario names (AI+交通 …) and names
VERBATIM = re.compile(r"“[^”]*”|《[^》]*》|「[^」]*」|AI\+[\u4e00-\u9fff]+|"
                      + "|".join(re.escape(n) for n in NAMES  # a name mixing Chinese and digits, as printed
                                 if re.search(r"\d", n) and re.search(r"[\u4e00-\u9fff]", n)))


class _Text(HTMLParser):
    """The main content's text, one block (paragraph, list item, heading, caption) per entry with its source line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.in_main = 0
        self.blocks: list[tuple[int, str]] = []
        self._buf: list[str] = []
        self._line = 0

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._buf)).strip()
        if text:
            self.blocks.append((self._line, text))
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag == "main" or (tag == "article" and "bd-article" in classes):
            self.in_main += 1
        skip = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES)
        if tag in PLACEHOLDER and self.in_main and not self._skipping():
            if not self._buf:
                self._line = self.getpos()[0]
            self._buf.append(PLACEHOLDER[tag])
        if tag in BLOCKS:
            self._flush()
        self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag in BLOCKS:
            self._flush()
        if tag == "main" or tag == "article":
            self.in_main = max(0, self.in_main - 1)

    def handle_data(self, data: str) -> None:
        if self.in_main and not self._skipping():
            if not self._buf:
                self._line = self.getpos()[0]
            self._buf.append(data)


def page_text(html: str) -> list[tuple[int, str]]:
    """The book's own text of a rendered page: (line in the HTML file, text of one block), verbatim spans removed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return [(line, VERBATIM.sub("“”", text)) for line, text in parser.blocks]


def lint_text(blocks: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """(line, text, suggestion) for every block the linter would change."""
    autocorrect.load_config(CONFIG.read_text(encoding="utf-8"))
    return [(line, text, fixed) for line, text in blocks if (fixed := autocorrect.format(text)) != text]


def lint_pages(html_root: Path) -> dict[str, list[tuple[int, str, str]]]:
    """Findings per page (path relative to the HTML root), pages without findings left out."""
    found = {}
    dump = os.environ.get("AIBOOK_LINT_DUMP")  # a folder: write each page's extracted text there, to look at
    for page in sorted(html_root.rglob("*.html")):
        if "_static" in page.parts or page.name in ("genindex.html", "search.html"):
            continue
        blocks = page_text(page.read_text(encoding="utf-8"))
        if dump:
            out = Path(dump) / (page.relative_to(html_root).as_posix().replace("/", "__") + ".txt")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text("\n".join(f"{line}: {text}" for line, text in blocks), encoding="utf-8")
        findings = lint_text(blocks)
        if findings:
            found[page.relative_to(html_root).as_posix()] = findings
    return found


def _diff(old: str, new: str) -> str:
    """The first place where the suggestion differs, with a little context."""
    i = next((k for k, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    return f"…{old[max(0, i - 12):i + 12]}… → …{new[max(0, i - 12):i + 13]}…"


# ------------------------------------------------------------------------------------------ the linter itself
def test_the_linter_is_configured_to_the_books_one_spacing_rule() -> None:
    blocks = [(1, "从 2017年10月 开始，2018年的5G网络"), (2, "2018 年，5G 网络"), (3, "年， 5G 网络")]
    found = lint_text(blocks)
    assert [f[0] for f in found] == [1, 3]
    assert found[0][2] == "从 2017 年 10 月 开始，2018 年的 5G 网络" and found[1][2] == "年，5G 网络"


def test_the_page_text_leaves_out_code_quotes_titles_and_transcribed_cells() -> None:
    html = ('<html><body><nav><p>Skip2019年</p></nav><main id="main-content"><article class="bd-article">'
            '<h1>第四章 5G网络</h1><p>报告说“2017年11月发布”，见《行动计划（2019-2021年）》，共 3 项。</p>'
            '<div class="highlight"><pre>x = "2019年"</pre></div><table><caption>表格 5 政策</caption>'
            '<tr><th>时间</th></tr><tr><td>2017年10月</td></tr></table>'
            '<blockquote class="aibook-quote"><p>2019年</p></blockquote>'
            '<p>增长<span class="aibook-src">由2019年</span>快</p></article></main></body></html>')
    blocks = [t for _, t in page_text(html)]
    assert blocks == ["第四章 5G网络", "报告说“”，见“”，共 3 项。", "表格 5 政策", "时间", "增长快"]
    assert page_text('<main><p>打开 <code>x.ipynb</code>，再运行<code>make</code></p></main>') == [(1, "打开 code，再运行code")]
    assert [f[2] for f in lint_text(list(enumerate(blocks)))] == ["第四章 5G 网络"]


def test_package_strings_follow_the_rule() -> None:
    """Texts the package writes into pages: dates, verdict words, the audit's reasons and labels."""
    from aibook import audit
    from aibook.nb import cn_date

    texts = [cn_date(d) for d in ("2017-10", "2019", "2019-03-19", "2018-Q2")]
    claims = audit.run_all()
    texts += [VERBATIM.sub("“”", t) for t in (*claims["claim"], *claims["reason"], *claims["short_location"])]
    found = lint_text(list(enumerate(texts)))
    assert not found, "\n".join(f"{t}\n  → {_diff(t, s)}" for _, t, s in found[:20])


# ------------------------------------------------------------------------------------------ every page
@pytest.mark.slow
def test_every_rendered_page_follows_the_spacing_rule(built_book) -> None:  # noqa: ANN001
    found = lint_pages(built_book.html)
    report = []
    for page, findings in found.items():
        for line, text, fixed in findings:
            report.append(f"{page}:{line}: {_diff(text, fixed)}")
    assert not report, f"{len(report)} blocks break the spacing rule (page:line: text → suggestion):\n" + "\n".join(report)
