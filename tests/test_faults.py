"""Fault injection: a killed build, an unwritable output directory — the last good book always survives.

Runs on the small test book (tests/minibook): the same pipeline, a fraction of the time.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from aibook import build as B
from aibook.paths import ROOT


def _cli(env: dict[str, str], book: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aibook", "build", "--book-root", str(book), *args], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=900)


def _kill_when(env: dict[str, str], book: Path, ready: Callable[[], bool], timeout: float = 300) -> int:
    """Start a forced build, SIGKILL its process group once ``ready()``; return the build's exit status."""
    proc = subprocess.Popen([sys.executable, "-m", "aibook", "build", "--force", "--book-root", str(book)], env=env,
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + timeout
    while not ready() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the build ended before the fault could be injected"
    assert ready(), "the build never reached the point where the fault is injected"
    os.killpg(proc.pid, signal.SIGKILL)
    return proc.wait()


@pytest.mark.slow
def test_killed_build_keeps_the_last_good_book_and_the_next_build_recovers(tmp_path: Path, minibook: Path) -> None:
    build_dir = tmp_path / "build"
    env = {**os.environ, "AIBOOK_BUILD_DIR": str(build_dir)}
    first = _cli(env, minibook)
    assert first.returncode == 0, first.stderr
    html = build_dir / "html"
    stamp = (html / B.RENDER_STAMP).read_text()
    index = (html / "index.html").read_bytes()

    # killed while notebooks execute: the kill happened (status -9) and the book is untouched
    status = _kill_when(env, minibook, lambda: any(build_dir.glob("executed/.*.partial.ipynb")))
    assert status == -signal.SIGKILL
    assert (html / B.RENDER_STAMP).read_text() == stamp and (html / "index.html").read_bytes() == index

    # killed while Jupyter Book renders in its staging directory
    status = _kill_when(env, minibook, lambda: any(build_dir.glob(".stage-*/_build")))
    assert status == -signal.SIGKILL
    assert (html / "index.html").exists(), "the last good book must survive a kill during rendering"

    again = _cli(env, minibook)
    assert again.returncode == 0, again.stderr
    assert not list(build_dir.glob(".stage-*")) and not list(build_dir.glob("executed/.*.partial.ipynb"))
    assert (html / "index.html").exists() and not (build_dir / "html.old").exists()


@pytest.mark.slow
def test_unwritable_build_directory_is_a_clear_error(tmp_path: Path, minibook: Path) -> None:
    layout = B.Layout(tmp_path / "build")
    B.build(layout=layout, root=minibook, only=["mini_chips"], render_book=False, log=lambda _m: None)
    out = layout.output(B.Job(minibook / "notebooks" / "mini_chips.ipynb"))
    before = B.sha256_file(out)
    # the cache folder replaced by a file: nothing can be written there
    shutil.rmtree(layout.cache)
    layout.cache.write_text("not a folder", encoding="utf-8")
    with pytest.raises(B.BuildError, match="cannot write to the build directory"):
        B.build(layout=layout, root=minibook, only=["mini_chips"], render_book=False, force=True,
                log=lambda _m: None)
    assert B.sha256_file(out) == before
    layout.cache.unlink()
    B.build(layout=layout, root=minibook, only=["mini_chips"], render_book=False, log=lambda _m: None)
