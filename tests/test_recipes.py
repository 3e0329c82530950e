"""The README's common changes, each done on a copy, counting the files it touches.

* add a page: its ``.md`` (from ``tools/page-template.md``) and one line of ``_toc.yml``; ``make sync`` creates the
  notebook and the build renders it;
* add a monthly release: one file in ``data/releases/``; no test is edited (the tests read the folder);
* fix a transcribed number: the data file, the pages that show it, and the record of shown numbers
  (``notebooks/record/``) — the pages' committed outputs no longer carry the digests of every file they read.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aibook import build as B
from aibook import toc
from aibook.paths import ROOT
from aibook.periods import periods


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and "_build" not in p.parts}


def _touched(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


@pytest.mark.slow
def test_a_new_page_is_its_text_and_one_toc_line(minibook: Path, tmp_path: Path) -> None:
    shutil.copy2(ROOT / "notebooks" / "jupytext.toml", minibook / "notebooks")  # the project's pairing
    before = _files(minibook)
    shutil.copy2(ROOT / "tools" / "page-template.md", minibook / "notebooks" / "new_page.md")
    toc_file = minibook / "_toc.yml"
    toc_file.write_text(toc_file.read_text(encoding="utf-8") + "  - file: notebooks/new_page\n", encoding="utf-8")
    assert _touched(before, _files(minibook)) == {"notebooks/new_page.md", "_toc.yml"}
    # what `make sync` runs: the text gets its notebook
    subprocess.run([str(Path(sys.executable).parent / "jupytext"), "--sync", *map(str, (minibook / "notebooks").glob("*.md"))],
                   check=True, capture_output=True)
    assert (minibook / "notebooks" / "new_page.ipynb").is_file()
    assert minibook / "notebooks" / "new_page.ipynb" in toc.notebooks(minibook)
    layout = B.Layout(tmp_path / "build")
    B.build(parameters={"data_dir": str(ROOT / "data")}, layout=layout, root=minibook, log=lambda _m: None)
    page = (layout.html / "notebooks" / "new_page.html").read_text(encoding="utf-8")
    assert "新页面的标题" in page and "aibook-voice" in page


def test_a_new_release_is_one_file_and_no_test_edited(data_copy: Path) -> None:
    releases = data_copy / "releases"
    before = _files(data_copy)
    june = releases / "tjj-industrial-production-2019-06.csv"
    july = releases / "tjj-industrial-production-2019-07.csv"
    july.write_text(june.read_text(encoding="utf-8"), encoding="utf-8")
    assert _touched(before, _files(data_copy)) == {"releases/tjj-industrial-production-2019-07.csv"}
    assert periods(data_copy)[-1] == "2019-07"
