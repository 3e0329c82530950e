"""The PDF edition: Jupyter Book's LaTeX builder (xelatex + xeCJK) over the executed notebooks.

Called by :func:`aibook.build.build` with ``pdf="auto"`` (``make book``: typeset where TeX is complete,
otherwise say which Debian packages would add it) or ``pdf="on"`` (``make pdf``: TeX must be complete).
A PDF that fails on a complete TeX is a defect: the build fails with the LaTeX error lines.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docutils import nodes

from aibook import system, texfonts

PDF_NAME = "aibook.pdf"


class TexIncomplete(RuntimeError):
    """TeX (or a file the PDF needs) is missing; the message names the Debian packages to install."""

    def __init__(self, missing: dict[str, list[str]]):
        self.missing = missing
        detail = "; ".join(f"{pkg} ({', '.join(checks)})" for pkg, checks in missing.items())
        super().__init__(f"the PDF edition needs {detail}. Install with:\n  {system.install_hint(missing)}")


def check_tex() -> None:
    """Raise :class:`TexIncomplete` unless every file the PDF build opens is there."""
    missing = system.pdf_missing()
    if missing:
        raise TexIncomplete(missing)


def configure(config: Path, font_dir: Path) -> None:
    """The printed edition: no code cells (the HTML keeps them behind a toggle), the SC faces as files."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    sphinx_config = data.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["nb_remove_code_source"] = True
    extensions = data["sphinx"].setdefault("extra_extensions", [])
    if __name__ not in extensions:
        extensions.append(__name__)  # :func:`setup`: long tables wrap their cells in the PDF
    sphinx_config.setdefault("latex_elements", {})["fontpkg"] = texfonts.fontpkg(texfonts.sc_fonts(font_dir))
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


#: a table longer than this many rows, or with more text than this (display columns: a Chinese character is
#: two), is set as a LaTeX longtable: a tabulary never breaks across pages (what passes the page's foot is lost)
LONG_TABLE_ROWS = 10
LONG_TABLE_TEXT = 1200


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


#: the text width of the PDF's page in display columns (A4, 10 pt: a Chinese character is about 3.5 mm) and
#: what a column needs beside its text (LaTeX's padding on both sides)
LINE_COLUMNS = 90
PADDING = 3
#: a column whose longest cell is at most this wide is as wide as that cell; the others share what is left
SHORT_COLUMN = 14


def column_widths(rows: list[nodes.row], count: int) -> list[int]:
    """Widths (display columns, summing to about :data:`LINE_COLUMNS`) for ``count`` columns of ``rows``: a
    short column as wide as its widest cell, the long ones sharing the rest in proportion to their text (each
    at least as wide as its longest Latin word or number, up to 20)."""
    need = [0] * count
    floor = [0] * count
    for row in rows:
        for i, entry in enumerate(row.children[:count]):
            text = entry.astext()
            need[i] = max(need[i], _display_width(text))
            latin = re.findall(r"[^\s\u2e80-\uffff]+", text)  # Chinese breaks anywhere; a Latin word or number not
            floor[i] = max(floor[i], min(20, max((_display_width(w) for w in latin), default=0)))
    short = [i for i in range(count) if need[i] <= SHORT_COLUMN]
    widths = [need[i] + PADDING if i in short else 0 for i in range(count)]
    long = [i for i in range(count) if i not in short]
    budget = max(LINE_COLUMNS - sum(widths), 10 * len(long))
    total = sum(min(need[i], 60) for i in long) or 1
    for i in long:
        widths[i] = max(floor[i] + PADDING, round(budget * min(need[i], 60) / total))
    return [max(w, 1 + PADDING) for w in widths]


def wrap_long_tables(app: Any, doctree: nodes.document, docname: str) -> None:
    r"""LaTeX only: set every long table (:data:`LONG_TABLE_ROWS`, :data:`LONG_TABLE_TEXT`) as a longtable with
    column widths by its content.

    Sphinx sets a table of automatic widths as a tabulary, which never breaks across pages (its rows past the
    page's foot were lost), or beyond 30 rows as a longtable in ``l`` columns, which never wrap (the columns past
    the page's edge were lost: half of the data appendix). A longtable with widths given breaks across pages,
    and each column is a paragraph column of its share of the line (``\X{w}{total}``) whose cells wrap.
    """
    if app.builder.format != "latex":
        return
    for table in doctree.findall(nodes.table):
        rows = list(table.findall(nodes.row))
        text = sum(_display_width(entry.astext()) for entry in table.findall(nodes.entry))
        if (len(rows) <= LONG_TABLE_ROWS and text <= LONG_TABLE_TEXT) or "colwidths-given" in table["classes"]:
            continue
        specs = list(table.findall(nodes.colspec))
        for spec, width in zip(specs, column_widths(rows, len(specs)), strict=True):
            spec["colwidth"] = width
        table["classes"] = [c for c in table["classes"] if c != "colwidths-auto"] + ["colwidths-given", "longtable"]


def setup(app: Any) -> dict[str, Any]:
    """The PDF build's Sphinx extension (listed by :func:`configure`): long tables wrap."""
    app.connect("doctree-resolved", wrap_long_tables)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def latex_errors(log_file: Path, fallback: str) -> str:
    """The ``!`` lines of a LaTeX log (the error and where it happened), else the tail of the output."""
    errors: list[str] = []
    if log_file.is_file():
        lines = log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("!"):
                errors.extend(lines[i:i + 3])
    return "\n".join(errors[:15] or fallback.strip().splitlines()[-20:])


def typeset(stage: Path, out_dir: Path, font_dir: Path, jupyter_book: list[str],
            log: Callable[[str], None]) -> Path:
    """Typeset the staged book into ``out_dir/aibook.pdf`` (replaced only when the new one is complete)."""
    configure(stage / "_config.yml", font_dir)
    start = time.monotonic()
    log("  ▶ pdf: typesetting with xelatex (Jupyter Book LaTeX builder)")
    proc = subprocess.run([*jupyter_book, "build", str(stage), "--path-output", str(stage), "--builder", "pdflatex"],
                          capture_output=True, text=True)
    latex = stage / "_build" / "latex"
    built = latex / "book.pdf"
    if proc.returncode != 0 or not built.is_file():
        raise RuntimeError("the PDF build failed with TeX complete (a defect); the previous PDF is kept.\n"
                           + latex_errors(latex / "book.log", proc.stdout + proc.stderr))
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / PDF_NAME
    tmp = out_dir / f".{PDF_NAME}.{os.getpid()}"
    shutil.copy2(built, tmp)
    shutil.copy2(latex / "book.log", out_dir / "book.log")
    os.replace(tmp, pdf)
    log(f"  ✓ pdf: {pdf} in {time.monotonic() - start:.1f} s")
    return pdf


# ------------------------------------------------------------------------------------- measuring the PDF
#: a Chinese (Han) character: the CJK unified ideographs, extension A and the compatibility block
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: what the HTML shows that the printed edition leaves out on purpose: code cells (``nb_remove_code_source``),
#: the hover notes of glued numbers (the PDF keeps the bare number), the theme's buttons and permalinks
HTML_ONLY = ("script", "style", ".cell_input", ".aibook-src", ".headerlink", ".aibook-download", ".aibook-provenance",
             ".prev-next-area", ".bd-sidebar-secondary", ".toggle-details", "button", ".aibook-exhibit-links")


def missing_characters(log_text: str) -> list[str]:
    """The "Missing character: There is no … in font …" lines of a XeLaTeX log."""
    return [line for line in log_text.splitlines() if "Missing character" in line]


def unembedded_fonts(pdffonts_output: str) -> list[str]:
    """The fonts ``pdffonts`` lists with ``no`` in its emb column (name, type and encoding are free text:
    the columns are read from the right, where the last five are emb, sub, uni and the object number)."""
    lines = pdffonts_output.splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if line.startswith("----")), len(lines))
    out = []
    for line in lines[start:]:
        fields = line.split()
        if len(fields) >= 6 and fields[-5] != "yes":
            out.append(line.strip())
    return out


def han_counts(text: str) -> Counter[str]:
    return Counter(HAN.findall(text))


def survival(expected: Counter[str], found: Counter[str]) -> tuple[int, int]:
    """(kept, total): how many of the ``expected`` Chinese characters (with repeats) are in ``found``."""
    return sum(min(n, found[ch]) for ch, n in expected.items()), sum(expected.values())


def html_text(page: str) -> str:
    """The text a reader sees in a rendered page's article, without what the PDF leaves out (:data:`HTML_ONLY`)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    article = soup.select_one("article") or soup.select_one("main") or soup
    for selector in HTML_ONLY:
        for node in article.select(selector):
            node.decompose()
    return article.get_text(" ")


def destinations(pdf: Path) -> dict[str, int]:
    """Named destinations of ``pdf`` → their page (``pdfinfo -dests``): Sphinx labels every document."""
    out = subprocess.run(["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=True).stdout
    dests: dict[str, int] = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\d+)\s+\[.*?\]\s+\"(.*)\"\s*$", line)
        if m:
            dests.setdefault(m.group(2), int(m.group(1)))
    return dests


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (``pdftotext``; pages split at form feeds), first page at index 0."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.split("\f")


def chapter_ranges(pdf: Path) -> dict[str, tuple[int, int]]:
    """Each chapter of ``pdf``: its title (the first line of the page where it starts, spaces removed) → its
    first and last page (1-based, inclusive). Chapters start at the ``chapter*`` destinations LaTeX makes."""
    texts = page_texts(pdf)
    starts = sorted({page for name, page in destinations(pdf).items() if name.startswith("chapter")})
    ranges: dict[str, tuple[int, int]] = {}
    for i, first in enumerate(starts):
        last = starts[i + 1] - 1 if i + 1 < len(starts) else len(texts)
        lines = [line for line in texts[first - 1].splitlines() if line.strip()]
        if lines:
            ranges.setdefault(re.sub(r"\s+", "", lines[0]), (first, max(first, last)))
    return ranges


def chinese_survival(html_dir: Path, pdf: Path, toc: list[list[str]]) -> list[tuple[str, int, int]]:
    """For each chapter of ``toc`` (its documents: the chapter's page, then its sections), how many of the
    Chinese characters its HTML pages show (:func:`html_text`) the PDF's text of that chapter keeps:
    ``(document, kept, total)``. A chapter whose title the PDF does not start a chapter with keeps nothing."""
    from bs4 import BeautifulSoup

    texts = page_texts(pdf)
    ranges = chapter_ranges(pdf)
    out = []
    for docs in toc:
        pages = [(html_dir / f"{doc}.html").read_text(encoding="utf-8") for doc in docs]
        h1 = BeautifulSoup(pages[0], "html.parser").select_one("article h1") or BeautifulSoup(pages[0], "html.parser").h1
        title = re.sub(r"\s+|¶|#", "", h1.get_text()) if h1 else docs[0]
        expected = han_counts(" ".join(html_text(p) for p in pages))
        # a long title wraps: the first line of the chapter's first page is then the start of the title
        first, last = ranges.get(title) or next((r for k, r in ranges.items() if len(k) >= 6 and title.startswith(k)),
                                                (1, 0))
        found = han_counts(" ".join(texts[first - 1:last]))
        kept, total = survival(expected, found)
        out.append((docs[0], kept, total))
    return out
