"""Shared fixtures: a scratch copy of the data package that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aibook.paths import DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (the real package is never modified by tests)."""
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest)
    return dest

#: the small book's notebooks are built by the build tests, not compared by nbval
collect_ignore = ["minibook"]
