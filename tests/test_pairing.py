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

from aibook.pairing import cells as _cells
from aibook.pairing import out_of_sync
from aibook.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))




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


def test_the_build_refuses_a_text_edit_that_did_not_reach_the_notebook(tmp_path: Path) -> None:
    import shutil

    from aibook import build as B

    root = tmp_path / "book"
    shutil.copytree(NOTEBOOKS_DIR.parent / "tests" / "minibook", root)
    nb = next((root / "notebooks").glob("*.ipynb"))
    jupytext.write(nbformat.read(nb, as_version=4), nb.with_suffix(".md"), fmt="md:myst")
    assert out_of_sync(root / "notebooks") == []
    text = nb.with_suffix(".md")
    text.write_text(text.read_text(encoding="utf-8").replace("# ", "# 改过的 ", 1), encoding="utf-8")
    assert out_of_sync(root / "notebooks") and "was edited last" in out_of_sync(root / "notebooks")[0]
    with pytest.raises(B.BuildError, match="make sync"):
        B.build(root=root, layout=B.Layout(tmp_path / "out"), render_book=False, log=lambda _m: None)


def test_a_pair_found_in_sync_is_not_parsed_again_but_an_edit_is_seen(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("ch1_meaning.ipynb", "ch1_meaning.md"):
        shutil.copy2(NOTEBOOKS_DIR / name, folder / name)
    verified = tmp_path / "cache" / "pairs.json"
    assert out_of_sync(folder, verified) == [] and verified.is_file()
    assert out_of_sync(folder, verified) == []
    text = folder / "ch1_meaning.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n一句只改了文本的话。\n", encoding="utf-8")
    assert out_of_sync(folder, verified) and out_of_sync(folder, verified)  # never remembered as in sync
