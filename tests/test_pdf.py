"""The PDF edition: builds with xelatex, has every chapter, is set in the Simplified Chinese faces, no missing
characters; LaTeX specials in a data cell arrive as text; a TeX that is incomplete or broken is reported.

Measured (figures printed by the tests): "Missing character" lines in the XeLaTeX log (0), fonts not embedded
(``pdffonts``: 0), and per chapter the share of the Chinese characters of its HTML text that ``pdftotext``
finds in the chapter's pages of the PDF (at least 99%). A variant's PDF has its page 《本版与报告原版的差异》.

Never skipped in CI (CI=true); locally, a missing TeX installation is reported loudly and the test skips.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from aibook import build as B
from aibook import pdf as P
from aibook import system
from aibook.paths import ROOT

SPECIAL = "特殊字符 50% a_b R&D $5 #1 {x} ~y ^z \\w"


def _require_tex() -> None:
    missing = list(system.pdf_missing()) + [t for t in ("pdffonts", "pdftotext") if shutil.which(t) is None]
    if missing:
        message = f"PDF check DID NOT RUN: {missing} missing ({system.install_hint(system.names('pdf', 'test'))})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)


@pytest.fixture(scope="module")
def book_pdf(built_book: B.Layout) -> B.Layout:
    """The run's book, typeset by its build (``--pdf auto``: where TeX is complete, which CI requires)."""
    _require_tex()
    assert built_book.pdf.is_file(), f"the shared build made no PDF though TeX is complete: {built_book.pdf}"
    return built_book


def _chapter_titles() -> list[str]:
    titles = []
    for nb in sorted((ROOT / "notebooks").glob("ch*.ipynb")):
        first = nb.read_text(encoding="utf-8")
        m = re.search(r"# (第[一二三四五]章[^\\\n\"]*)", first)
        assert m, nb
        titles.append(m.group(1).replace(" ", ""))
    return titles


def _fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_pdf_has_every_chapter(book_pdf: B.Layout) -> None:
    path = book_pdf.pdf
    assert path.is_file() and path.stat().st_size > 50_000
    flat = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    for title in _chapter_titles():
        assert title in flat, title
    assert "表格6" in flat and "数据来源" in flat


@pytest.mark.slow
def test_pdf_chinese_is_set_in_the_simplified_chinese_faces(book_pdf: B.Layout) -> None:
    fonts = _fonts(book_pdf.pdf)
    cjk = re.findall(r"\+(Noto\S*CJK\S*)-Identity-H", fonts)
    assert cjk, fonts
    assert all("CJKsc-" in name for name in cjk), fonts  # not the JP (or KR, TC, HK) faces
    assert {"NotoSerifCJKsc-Regular", "NotoSansCJKsc-Regular"} <= set(cjk), fonts


def _report(capsys: pytest.CaptureFixture[str], line: str) -> None:
    with capsys.disabled():  # the measured figures show in the test output, passed or not
        print(f"\n[pdf] {line}")


@pytest.mark.slow
def test_latex_log_has_no_missing_characters(book_pdf: B.Layout, capsys: pytest.CaptureFixture[str]) -> None:
    log = (book_pdf.pdf.parent / "book.log").read_text(encoding="utf-8", errors="replace")
    missing = P.missing_characters(log)
    _report(capsys, f"XeLaTeX log: {len(missing)} 'Missing character' lines")
    assert not missing, missing[:5]


@pytest.mark.slow
def test_every_font_is_embedded(book_pdf: B.Layout, capsys: pytest.CaptureFixture[str]) -> None:
    fonts = _fonts(book_pdf.pdf)
    listed = len(fonts.splitlines()) - 2
    loose = P.unembedded_fonts(fonts)
    _report(capsys, f"pdffonts: {listed} fonts, {listed - len(loose)} embedded, {len(loose)} not")
    assert listed > 0 and not loose, fonts


def _toc_chapters() -> list[list[str]]:
    """The book's chapters in order (each: its page, then its sections), without the home page."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [[c["file"], *[s["file"] for s in c.get("sections", [])]] for part in toc["parts"] for c in part["chapters"]]


@pytest.mark.slow
def test_chinese_text_of_every_chapter_survives_in_the_pdf(book_pdf: B.Layout,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    measured = P.chinese_survival(book_pdf.html, book_pdf.pdf, _toc_chapters())
    lines = [f"{doc}: {kept}/{total} Chinese characters in the PDF ({kept / max(total, 1):.2%})"
             for doc, kept, total in measured]
    kept, total = sum(m[1] for m in measured), sum(m[2] for m in measured)
    _report(capsys, "\n[pdf] ".join([*lines, f"all chapters: {kept}/{total} ({kept / total:.2%})"]))
    assert {doc for doc, _, _ in measured} >= {f"notebooks/{nb.stem}" for nb in B.book_notebooks()
                                               if nb.stem != "ch4_applications"}  # a section of chapter 4
    low = [line for line, (_, k, t) in zip(lines, measured, strict=True) if t == 0 or k / t < 0.99]
    assert not low, low


def test_the_default_edition_has_no_page_of_differences(book_pdf: B.Layout) -> None:
    from aibook.diffpage import TITLE

    assert TITLE not in P.chapter_ranges(book_pdf.pdf)


# ------------------------------------------------------------------------------------ the measures bite
PDFFONTS = """name                                 type              encoding         emb sub uni object ID
------------------------------------ ----------------- ---------------- --- --- --- ---------
RYHOMA+NotoSansCJKsc-Bold-Identity-H CID Type 0C       Identity-H       yes yes yes      4  0
Helvetica                            Type 1            Standard         no  no  no      12  0
"""


def test_an_unembedded_font_is_found() -> None:
    assert P.unembedded_fonts(PDFFONTS) == [PDFFONTS.splitlines()[3].strip()]
    assert P.unembedded_fonts("\n".join(PDFFONTS.splitlines()[:3])) == []


def test_missing_characters_are_found_in_a_log() -> None:
    log = "(./book.aux)\nMissing character: There is no 𠀀 (U+20000) in font NotoSerifCJKsc-Regular!\nOutput written"
    assert P.missing_characters(log) == [log.splitlines()[1]]


def test_lost_chinese_characters_are_counted_with_repeats() -> None:
    html = ('<html><body><article><h1>第一章 测试</h1><p>人工智能与人工<span class="aibook-src">注释不算</span></p>'
            '<div class="cell_input"><pre>代码不算</pre></div><table><tr><td>上海</td></tr></table></article></body></html>')
    expected = P.han_counts(P.html_text(html))
    assert sum(expected.values()) == len("第一章测试人工智能与人工上海")
    assert P.survival(expected, P.han_counts("第一章 测试 人工智能与人工 上海")) == (14, 14)
    assert P.survival(expected, P.han_counts("第一章 测试 人工智能与 上海")) == (12, 14)  # 人工 once of twice


@pytest.mark.slow
def test_html_book_links_the_pdf(book_pdf: B.Layout) -> None:
    assert (book_pdf.html / "_static" / P.PDF_NAME).is_file()
    home = book_pdf.html / "book" / "intro.html"
    links = re.findall(r'href="([^"]+\.pdf)"', home.read_text(encoding="utf-8"))
    assert links and all((home.parent / link).resolve().is_file() for link in links), links


# ------------------------------------------------------------------------------------ the small book
@pytest.mark.slow
def test_a_variants_pdf_has_its_page_of_differences_and_latex_specials_as_text(
        minibook: Path, data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A variant (``PERIOD=2019-06``, here of the small book, through the same pipeline) is typeset with its
    附录 page 《本版与报告原版的差异》; LaTeX specials in a data cell (% _ & $ # { } ~ ^ \\) arrive as text."""
    from aibook.diffpage import TITLE

    _require_tex()
    t13 = data_copy / "tables" / "table13_sh_ai_chips.csv"
    t13.write_text(t13.read_text(encoding="utf-8").replace("全球首款商用", SPECIAL, 1), encoding="utf-8")
    default = B.Layout(tmp_path / "default")  # the default edition, executed: what the page of differences compares to
    B.build(layout=default, root=minibook, render_book=False, log=lambda _m: None)
    variant = B.Layout(tmp_path / "variant", shared=default.build_dir)
    B.build(parameters={"data_dir": str(data_copy), "period": "2019-06"}, layout=variant, root=minibook, pdf="on",
            log=lambda _m: None)
    text = subprocess.run(["pdftotext", str(variant.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert SPECIAL.replace(" ", "") in text.replace(" ", "").replace("\n", "")
    ranges = P.chapter_ranges(variant.pdf)
    _report(capsys, f"variant period=2019-06 of the small book: {len(P.page_texts(variant.pdf))} pages; "
                    f"《{TITLE}》 at pages {ranges.get(TITLE)}")
    assert TITLE in ranges, sorted(ranges)
    first, last = ranges[TITLE]
    page = "".join("".join(P.page_texts(variant.pdf)[first - 1:last]).split())  # a long path wraps its column
    assert "本版按参数" in page and "period" in page


@pytest.mark.slow
def test_a_latex_error_with_tex_complete_fails_the_build_but_keeps_the_html(minibook: Path, tmp_path: Path) -> None:
    _require_tex()
    config = minibook / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "\\setcounter{secnumdepth}{-1}", "\\setcounter{secnumdepth}{-1}\n        \\undefinedmacrofortest"),
        encoding="utf-8")
    layout = B.Layout(tmp_path / "build")
    with pytest.raises(B.BuildError) as exc:
        B.build(layout=layout, root=minibook, pdf="auto", log=lambda _m: None)
    assert "Undefined control sequence" in str(exc.value) and "undefinedmacrofortest" in str(exc.value)
    assert (layout.html / "index.html").is_file()  # the HTML is built in every case
    assert not layout.pdf.exists()


def _table(rows: int, cols: int, text: str = "数") -> object:
    from docutils import nodes

    table = nodes.table(classes=["colwidths-auto"])
    group = nodes.tgroup(cols=cols)
    table += group
    group += [nodes.colspec(colwidth=1) for _ in range(cols)]
    body = nodes.tbody()
    group += body
    for _ in range(rows):
        body += nodes.row("", *[nodes.entry("", nodes.paragraph(text=text * (c + 1))) for c in range(cols)])
    return table


def test_long_tables_break_across_pages_and_wrap_in_the_pdf() -> None:
    """A long table becomes a longtable with widths by content; a short one stays Sphinx's tabulary; HTML
    is not touched."""
    from docutils import nodes
    from docutils.utils import new_document

    class App:
        class builder:  # noqa: N801 - a stand-in
            format = "latex"

    doc = new_document("test")
    long, many_words, short = _table(40, 3), _table(5, 2, "很长的说明文字" * 30), _table(5, 3)
    doc += [long, many_words, short]
    P.wrap_long_tables(App, doc, "x")
    for table in (long, many_words):
        assert {"longtable", "colwidths-given"} <= set(table["classes"]) and "colwidths-auto" not in table["classes"]
    assert [s["colwidth"] for s in long.findall(nodes.colspec)] == [5, 7, 9]  # short columns: their text + padding
    wide = [s["colwidth"] for s in many_words.findall(nodes.colspec)]
    assert wide[0] == wide[1] and sum(wide) <= P.LINE_COLUMNS + 1  # long columns share the line
    assert short["classes"] == ["colwidths-auto"]
    App.builder.format = "html"
    html_long = _table(40, 3)
    P.wrap_long_tables(App, html_long, "x")
    assert html_long["classes"] == ["colwidths-auto"]
