"""Regenerate the committed nbval reference outputs (``python -m aibook reference``)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import nbformat

from aibook import paths
from aibook.build import Job, Layout, book_notebooks, environment_digest, execute_job, job_key


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop papermill's per-cell timings and run metadata so that reference diffs show content only."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nb


def regenerate(only: Iterable[str] = ()) -> list[Path]:
    """Execute each chapter notebook with its default parameters and write its outputs back in place."""
    wanted = set(only)
    done = []
    env = environment_digest()
    with tempfile.TemporaryDirectory() as tmp:
        layout = Layout(Path(tmp))
        for nb_path in book_notebooks():
            if wanted and nb_path.stem not in wanted:
                continue
            job = Job(nb_path)
            res = execute_job(job, layout, job_key(job, env))
            if res.status != "executed":
                raise SystemExit(f"{nb_path.name}: {res.error}")
            nb = strip_volatile(nbformat.read(layout.output(job), as_version=4))
            nbformat.write(nb, nb_path)
            done.append(nb_path.relative_to(paths.ROOT))
    return done
