"""What a build is about and where it writes: the vocabulary every stage of the build shares.

A :class:`Job` (one notebook, one set of parameters) becomes a :class:`Result`; a :class:`Layout` says where
its executed notebook, its cache record, the HTML and the PDF go. These types live apart from the stages
that use them so that keys, execution, scheduling and rendering can each be read without the others.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aibook import paths
from aibook.pdf import PDF_NAME


class BuildError(RuntimeError):
    """The build stopped; the message says which notebook or step and why. The last good book is kept."""


@dataclass
class Job:
    """One notebook to execute with one set of parameters into one output."""

    notebook: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        self.notebook = Path(self.notebook).resolve()
        self.name = self.name or self.notebook.stem


@dataclass
class Result:
    job: Job
    status: str  # "executed" | "cached" | "failed"
    seconds: float = 0.0
    reason: str = ""
    error: str = ""


@dataclass
class Layout:
    """Where a build writes: executed notebooks, cache records, the rendered HTML, the PDF.

    ``shared`` is the folder that the default build and its variants share: the store of executed
    notebooks (a variant reuses what any earlier build executed with the same key and inputs) and the
    PDF's font files. Without it, a layout keeps them in its own folder.
    """

    build_dir: Path
    shared: Path | None = None

    @property
    def executed(self) -> Path:
        return self.build_dir / "executed"

    @property
    def cache(self) -> Path:
        return self.build_dir / "cache"

    @property
    def html(self) -> Path:
        return self.build_dir / "html"

    @property
    def pdf(self) -> Path:
        return self.build_dir / "pdf" / PDF_NAME

    @property
    def store(self) -> Path:
        return (self.shared or self.build_dir) / "store"

    @property
    def fonts(self) -> Path:
        return (self.shared or self.build_dir) / "fonts"

    def output(self, job: Job) -> Path:
        return self.executed / f"{job.name}.ipynb"

    def record(self, job: Job) -> Path:
        return self.cache / f"{job.name}.json"


def default_layout(parameters: Mapping[str, Any] | None = None) -> Layout:
    """``_build/`` for the default parameters, ``_build/variants/<name>/`` otherwise (sharing the store)."""
    if not parameters:
        return Layout(paths.BUILD_DIR)
    return Layout(paths.BUILD_DIR / "variants" / variant_name(parameters), shared=paths.BUILD_DIR)


def batch_layout() -> Layout:
    """``_build/batch/``: a batch's outputs, sharing the store (it reuses what any build ran)."""
    return Layout(paths.BUILD_DIR / "batch", shared=paths.BUILD_DIR)


def variant_name(parameters: Mapping[str, Any]) -> str:
    """A folder name for a build with non-default parameters (``period-2019-06``)."""
    parts = []
    for key in sorted(parameters):
        value = str(parameters[key])
        if key == "data_dir":
            value = Path(value).name + "-" + hashlib.sha256(value.encode()).hexdigest()[:6]
        parts.append(f"{key}-{value}")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in "_".join(parts))
    return safe or "default"


def rel(p: Path) -> str:
    """``p`` relative to the project, for messages (absolute when it lies elsewhere)."""
    try:
        return p.resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(p)


def say(msg: str) -> None:
    """The default log of every stage: print at once (a build is watched while it runs)."""
    print(msg, flush=True)


def book_notebooks(root: Path = paths.ROOT) -> list[Path]:
    """The book's notebooks: the notebook pages of ``root``'s ``_toc.yml`` (:mod:`aibook.toc`), by name."""
    from aibook import toc

    return sorted(toc.notebooks(root))


def check_writable(layout: Layout) -> None:
    """Fail early, with the path, when the build directory cannot be written (the last book is kept)."""
    try:
        for folder in (layout.build_dir, layout.executed, layout.cache):
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".write-test-{os.getpid()}"
            probe.write_text("", encoding="utf-8")
            probe.unlink()
    except OSError as exc:
        raise BuildError(f"cannot write to the build directory ({exc}); the last good book is kept — "
                         "fix the permissions or free the path and build again") from None
