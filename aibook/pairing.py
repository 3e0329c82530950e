"""Each chapter notebook and its MyST text file (jupytext pair) must say the same thing.

The text file is what a reviewer reads and edits; the notebook is what papermill runs. An edit that reached only
one of them would give a book that silently differs from the reviewed text, so the build refuses to run until
``make sync`` has carried the edit across, and a test checks the committed pairs.
"""

from __future__ import annotations

from pathlib import Path

import nbformat


def cells(nb: nbformat.NotebookNode) -> list[tuple[str, str, tuple[str, ...]]]:
    """What a pair must agree on: each cell's type, source and tags (not outputs or other metadata)."""
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", ()))) for c in nb.cells]


def out_of_sync(folder: Path) -> list[str]:
    """One line per notebook of ``folder`` whose paired ``.md`` differs from it, saying which was edited last."""
    import jupytext

    problems = []
    for notebook in sorted(folder.glob("*.ipynb")):
        text = notebook.with_suffix(".md")
        if not text.exists():
            continue
        if cells(jupytext.read(text)) != cells(nbformat.read(notebook, as_version=4)):
            newer = text if text.stat().st_mtime > notebook.stat().st_mtime else notebook
            problems.append(f"{notebook.name} and {text.name} differ ({newer.name} was edited last)")
    return problems
