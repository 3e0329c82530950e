"""Replacing a whole folder so that no one ever sees half of it: build beside it, then swap.

The rendered book and the workshop's student folder are both assembled in a staging folder next to their
destination and swapped in by two renames (``target`` → ``target.old``, ``new`` → ``target``). A process
killed between the two leaves ``target.old`` alone; :func:`recover_swap` puts it back, and removes what a
finished swap did not get to remove. Both live on the same file system, so each rename is atomic.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def _old(target: Path) -> Path:
    return target.with_name(target.name + ".old")


def stage_dir(parent: Path, prefix: str) -> Path:
    """A new empty staging folder in ``parent`` (same file system as the target: the swap is a rename)."""
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def swap(new: Path, target: Path) -> None:
    """Replace directory ``target`` by ``new``; :func:`recover_swap` completes it if interrupted in between."""
    old = _old(target)
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def recover_swap(target: Path, stages: str | None = None) -> None:
    """Finish or undo an interrupted :func:`swap` into ``target``; remove its leftover staging folders.

    ``stages`` is the glob (in ``target``'s parent) of the staging folders to remove.
    """
    old = _old(target)
    if old.exists() and not target.exists():
        os.replace(old, target)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    if stages and target.parent.is_dir():
        for stage in target.parent.glob(stages):
            shutil.rmtree(stage, ignore_errors=True)
