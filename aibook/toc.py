"""The book's one list of pages: ``_toc.yml``. Every other list of pages (the build's notebooks, the coverage of
the report's chapters, the workshop's student folder) is read from it, so adding a page is one line there.

A folder without ``_toc.yml`` (the workshop's student folder) lists its notebooks by name.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from aibook.paths import ROOT

#: a report chapter's page: ``notebooks/ch<N>_<name>``
_CHAPTER = re.compile(r"ch(\d)_\w+")


def files(root: Path = ROOT) -> list[str]:
    """Every page of ``_toc.yml`` as it names it (``book/intro``, ``notebooks/ch1_meaning``), root first."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")))
    return found


def notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook page (``notebooks/*.ipynb``) of the book in ``root``, in the order of its ``_toc.yml``."""
    if not (root / "_toc.yml").exists():
        return sorted((root / "notebooks").glob("*.ipynb"))
    return [root / f"{file}.ipynb" for file in files(root) if file.startswith("notebooks/")]


def chapters(root: Path = ROOT) -> dict[int, list[Path]]:
    """The pages of each report chapter (``ch<N>_…``), in book order: chapter number → notebooks."""
    out: dict[int, list[Path]] = {}
    for nb in notebooks(root):
        m = _CHAPTER.fullmatch(nb.stem)
        if m:
            out.setdefault(int(m.group(1)), []).append(nb)
    return out


def chapter_stems(root: Path = ROOT) -> tuple[str, ...]:
    """The names of the report's chapter pages, in book order (``ch1_meaning``, …, ``ch5_outlook``)."""
    return tuple(nb.stem for pages in chapters(root).values() for nb in pages)
