"""Shared fixtures: a scratch copy of the data package, the book built once per session, the small book.

Executing the eight chapter notebooks is most of the suite's cost, so the full book is built once
(``built_book``) and shared by every test that only reads it (figure regression, browser, PDF). Tests that
must change data, break or kill a build use ``minibook``: two small notebooks through the same pipeline.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aibook import build as B
from aibook.paths import DATA_DIR, ROOT

#: the small book's notebooks are built by the build tests, not compared by nbval
collect_ignore = ["minibook"]
MINIBOOK = ROOT / "tests" / "minibook"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (the real package is never modified by tests)."""
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest)
    return dest


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> B.Layout:
    """The whole book (default parameters, shipped data), executed and rendered once for the session."""
    layout = B.Layout(tmp_path_factory.mktemp("book"))
    B.build(layout=layout, workers=2, log=lambda _m: None)
    return layout


@pytest.fixture
def minibook(tmp_path: Path) -> Path:
    """A writable copy of the small test book (tests/minibook)."""
    dest = tmp_path / "minibook"
    shutil.copytree(MINIBOOK, dest, ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints"))
    return dest
