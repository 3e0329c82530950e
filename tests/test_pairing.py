"""Every chapter notebook has its MyST Markdown text (jupytext pair), and the two say the same thing.

The text file is what a reviewer reads and diffs; the notebook (with outputs) is what papermill runs and nbval
compares. An edit to one that did not reach the other would make the review and the book disagree, so this test
fails until ``make sync`` has been run.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

from aibook.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def _cells(nb: nbformat.NotebookNode) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", ()))) for c in nb.cells]


def test_every_text_file_has_its_notebook() -> None:
    texts = {p.stem for p in NOTEBOOKS_DIR.glob("*.md")}
    assert texts == {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_and_text_agree(path: Path) -> None:
    text = path.with_suffix(".md")
    assert text.exists(), f"{text.name} is missing: run `make sync`"
    paired = jupytext.read(text)
    assert _cells(paired) == _cells(nbformat.read(path, as_version=4)), (
        f"{path.name} and {text.name} differ: run `make sync` (jupytext --sync) after editing either")


def test_pairing_is_configured_for_the_folder() -> None:
    config = (NOTEBOOKS_DIR / "jupytext.toml").read_text(encoding="utf-8")
    assert 'formats = "ipynb,md:myst"' in config
