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


def out_of_sync(folder: Path, verified: Path | None = None) -> list[str]:
    """One line per notebook of ``folder`` whose paired ``.md`` differs from it, saying which was edited last.

    ``verified`` (a file the build keeps) remembers the digests of the pairs found in sync, so that an unchanged
    pair is not parsed again: a no-op build stays well under a second.
    """
    import hashlib
    import json

    known: set[str] = set()
    if verified is not None and verified.is_file():
        known = set(json.loads(verified.read_text(encoding="utf-8")))
    problems, agreed = [], set()
    for notebook in sorted(folder.glob("*.ipynb")):
        text = notebook.with_suffix(".md")
        if not text.exists():
            continue
        digest = hashlib.sha256(text.read_bytes() + b"\0" + notebook.read_bytes()).hexdigest()
        if digest in known:
            agreed.add(digest)
            continue
        import jupytext  # only for a pair not seen in sync before (its import alone is a noticeable part of a no-op)

        if cells(jupytext.read(text)) != cells(nbformat.read(notebook, as_version=4)):
            newer = text if text.stat().st_mtime > notebook.stat().st_mtime else notebook
            problems.append(f"{notebook.name} and {text.name} differ ({newer.name} was edited last)")
        else:
            agreed.add(digest)
    if verified is not None:
        verified.parent.mkdir(parents=True, exist_ok=True)
        verified.write_text(json.dumps(sorted(agreed)), encoding="utf-8")
    return problems
