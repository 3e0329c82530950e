"""The chapter sources read as chapters: code is a minority of each page's source, and a cell of the book's own
computations is short (a longer one is a tested function of the package, returning named numbers)."""

from __future__ import annotations

import re
from pathlib import Path

from aibook import toc

#: the most of a page's characters that may be code (QuantEcon's lectures: 26–35 %)
MAX_CODE_SHARE = 0.40
#: the most lines of a code cell that is not an exercise (a student's starter or its solution)
MAX_CELL_LINES = 15
_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.S | re.M)
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def cells(text: str) -> list[tuple[str, bool]]:
    """Each code cell of a MyST page: its source (options included) and whether it is an exercise cell."""
    return [(m.group(0), bool(re.search(r":tags:.*\b(exercise|solution)", m.group(1).split("\n\n")[0])))
            for m in _CELL.finditer(text)]


def code_lines(cell: str) -> list[str]:
    """The lines of a cell's code: its fences, options (``:tags:``) and blank lines left out."""
    return [line for line in cell.splitlines()[1:-1] if line.strip() and not line.startswith(":")]


def code_share(text: str) -> tuple[int, int]:
    """The characters of a page's source inside the book's code cells, and all its characters: the front matter and
    the exercises' code cells (a student's starter, its solution: teaching, not the book's computation) left out."""
    body = _FRONT.sub("", text)
    found = cells(body)
    exercises = sum(len(src) for src, exercise in found if exercise)
    return sum(len(src) for src, exercise in found if not exercise), len(body) - exercises


def pages() -> list[Path]:
    return [p.with_suffix(".md") for p in toc.notebooks()]


def test_the_measure_counts_code_cells_and_exercises() -> None:
    page = "---\nk: v\n---\n# T\n\n正文正文\n\n```{code-cell} ipython3\n:tags: [exercise]\n\nx = 1\n```\n"
    (src, exercise), = cells(page)
    assert exercise and src.startswith("```{code-cell}")
    assert code_share(page) == (0, len(page) - len("---\nk: v\n---\n") - len(src))
    code, total = code_share(page.replace("[exercise]", "[hide-input]"))
    assert code == len(src.replace("[exercise]", "[hide-input]")) and 0.5 < code / total < 0.9


def test_code_is_at_most_the_target_share_of_the_chapter_sources() -> None:
    counts = {p.stem: code_share(p.read_text(encoding="utf-8")) for p in pages()}
    code, total = (sum(c[i] for c in counts.values()) for i in (0, 1))
    shares = {k: f"{c / t:.0%}" for k, (c, t) in counts.items()}
    assert code / total <= MAX_CODE_SHARE, f"code is {code / total:.1%} of the chapter sources: {shares}"


def test_no_cell_but_an_exercise_is_longer_than_fifteen_lines() -> None:
    long = [(p.stem, code_lines(src)[0]) for p in pages() for src, exercise in cells(p.read_text(encoding="utf-8"))
            if not exercise and len(code_lines(src)) > MAX_CELL_LINES]
    assert not long, f"{len(long)} cells over {MAX_CELL_LINES} lines: {long}"


def test_every_exhibit_the_prose_names_is_shown_on_its_page() -> None:
    """A 附表/补表/补图 the prose sends the reader to is an output of a page of the book (a table built but not shown
    — not the last value of its cell — is found here)."""
    import nbformat

    label = re.compile(r"(?:附表|补表|补图)\s?[A-Z0-9]+-[0-9]+[a-z]?")
    named_on: dict[str, str] = {}
    shown_anywhere: set[str] = set()
    for nb_path in toc.notebooks():
        nb = nbformat.read(nb_path, as_version=4)
        named = {m.group(0).replace(" ", "") for c in nb.cells if c.cell_type == "markdown"
                 for m in label.finditer(c.source)}
        shown = {m.group(0).replace(" ", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                 for v in o.get("data", {}).values() for m in label.finditer(v if isinstance(v, str) else "".join(v))}
        named_on.update({x: nb_path.stem for x in named})
        shown_anywhere |= shown
    missing = [f"{page}: {x}" for x, page in sorted(named_on.items()) if x not in shown_anywhere]
    assert not missing, missing
