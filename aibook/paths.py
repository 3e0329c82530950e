"""Where things are: the project root, the data package, the build directory."""

from __future__ import annotations

import os
from pathlib import Path

#: Project root: the folder holding ``_config.yml`` (the package is used from a checkout).
ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"
BUILD_DIR = Path(os.environ.get("AIBOOK_BUILD_DIR", ROOT / "_build"))


def resolve_data_dir(data_dir: str | os.PathLike[str] | None) -> Path:
    """Turn a notebook's ``data_dir`` parameter into an absolute path (``None`` = the shipped data)."""
    return DATA_DIR if data_dir in (None, "") else Path(data_dir).expanduser().resolve()


def data_relative(path: str | Path) -> str:
    """``data/…`` for a file inside a data package (a folder holding ``datapackage.json``), else the path."""
    p = Path(path)
    for parent in p.parents:
        if (parent / "datapackage.json").is_file():
            return "data/" + p.relative_to(parent).as_posix()
    return str(path)
