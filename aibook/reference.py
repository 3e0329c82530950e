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


#: nbval's sanitizers (regex → replacement): text that may differ between two executions of the same notebook
SANITIZE = paths.ROOT / "tests" / "nbval_sanitize.cfg"


def sanitizers(path: Path = SANITIZE) -> list[tuple[str, str]]:
    """The (regex, replacement) pairs of an nbval sanitize file, in order."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    return [(parser[name]["regex"], parser[name].get("replace", "")) for name in parser.sections()]


def same_for_nbval(old: str, new: str, rules: list[tuple[str, str]]) -> bool:
    """Whether two notebook texts are equal once the sanitizers have run: what nbval would not tell apart."""
    import re

    for regex, replace in rules:
        old, new = re.sub(regex, replace, old), re.sub(regex, replace, new)
    return old == new


def regenerate(only: Iterable[str] = ()) -> list[Path]:
    """Execute each chapter notebook with its default parameters and write its outputs back in place — only
    where they changed beyond nbval's sanitizers (e.g. the digest of a file a solution lists), so that a golden
    file changes only when what nbval compares or the reader sees changes."""
    wanted = set(only)
    done = []
    rules = sanitizers()
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
            text = nbformat.writes(nb) + "\n"
            if nb_path.is_file() and same_for_nbval(nb_path.read_text(encoding="utf-8"), text, rules):
                continue
            nb_path.write_text(text, encoding="utf-8")
            done.append(nb_path.relative_to(paths.ROOT))
    return done
