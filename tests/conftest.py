"""Shared fixtures: a scratch copy of the data package, the book built once per session, the small book.

Executing the chapter notebooks (every page of `_toc.yml`) is most of the suite's cost, so the full book is built once
(``built_book``) and shared by every test that only reads it (figure regression, browser, PDF). Tests that
must change data, break or kill a build use ``minibook``: two small notebooks through the same pipeline.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from aibook import build as B
from aibook.paths import DATA_DIR, ROOT

#: the small book's notebooks are built by the build tests, not compared by nbval
collect_ignore = ["minibook"]
MINIBOOK = ROOT / "tests" / "minibook"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (the real package is never modified by tests)."""
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest)
    return dest


_BOOK: dict[str, object] = {}


def _build_book(folder: Path) -> None:
    """``python -m aibook build`` into ``folder``, in its own process (a thread only waits for it)."""
    import os
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "aibook", "build", "--jobs", "2"], cwd=ROOT,
                          env={**os.environ, "AIBOOK_BUILD_DIR": str(folder)}, capture_output=True, text=True)
    if proc.returncode:
        _BOOK["error"] = RuntimeError(f"the shared book did not build:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    else:
        _BOOK["layout"] = B.Layout(folder)


def fresh_data(scratch: Path) -> Path:
    """``scratch/data`` as a fresh copy of data/: for hypothesis tests, which cannot use a per-example fixture."""
    dest = scratch / "data"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(DATA_DIR, dest)
    return dest


@pytest.fixture(scope="session")
def built_book() -> B.Layout:
    """The whole book (default parameters, shipped data), executed and rendered once for the session.

    The build starts in the background when the tests are collected; the tests that need it run last.
    """
    if "thread" not in _BOOK:  # e.g. a single test run by node id: build now
        _BOOK["folder"] = Path(tempfile.mkdtemp(prefix="aibook-book-"))
        _build_book(_BOOK["folder"])  # type: ignore[arg-type]
    else:
        _BOOK["thread"].join()  # type: ignore[union-attr]
    if "error" in _BOOK:
        raise _BOOK["error"]  # type: ignore[misc]
    return _BOOK["layout"]  # type: ignore[return-value]


@pytest.fixture
def minibook(tmp_path: Path) -> Path:
    """A writable copy of the small test book (tests/minibook)."""
    dest = tmp_path / "minibook"
    shutil.copytree(MINIBOOK, dest, ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints"))
    return dest


# ------------------------------------------------------------------------------------ the student kit
# Installing the kit's fresh virtual environment takes most of a minute of pip; it starts in the background as
# soon as the kit test is collected, and the other tests run meanwhile.
_KIT: dict[str, object] = {}
KIT_TEST = "test_the_kit_works_as_a_student_uses_it"


def _prepare_kit(folder: Path) -> None:
    import os
    import subprocess
    import sys

    from aibook.workshop import build_workshop

    try:
        kit = build_workshop(folder / "workshop")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        for cmd in ([sys.executable, "-m", "venv", kit / ".venv"],  # what SETUP.md says, step by step
                    [kit / ".venv" / "bin" / "python", "-m", "pip", "install", "--quiet",
                     "-r", "requirements.txt"],
                    [kit / ".venv" / "bin" / "python", "-m", "pip", "install", "--quiet",
                     "--no-deps", "-e", "."]):
            proc = subprocess.run([str(c) for c in cmd], cwd=kit, env=env, capture_output=True, text=True,
                                  timeout=1200)
            if proc.returncode:
                raise RuntimeError(f"{cmd}: {proc.stdout[-1500:]}{proc.stderr[-1500:]}")
        _KIT["path"] = kit
    except BaseException as exc:  # reported by the test that needs the kit
        _KIT["error"] = exc


# ------------------------------------------------------------------------------------ layers
#: modules whose tests drive a real browser or the PDF toolchain (their pure-Python tests stay in the unit layer)
BROWSER_MODULES = {"test_browser", "test_pdf", "test_a11y", "test_search", "test_chinese", "test_exhibits"}
#: fixtures that build or execute the book (or the student kit), or build a site for the browser
BOOK_FIXTURES = {"built_book", "student_kit", "book", "minibook", "book_pdf", "small_site"}


def layer(item: pytest.Item) -> str:
    """The layer a test belongs to: ``unit`` (the package and the data, no notebook executed), ``book`` (executes
    notebooks or builds a book: nbval, build, workshop) or ``browser`` (Chromium or the PDF over a built book)."""
    module = Path(str(item.fspath)).stem
    heavy = item.nodeid.startswith("notebooks/") or item.get_closest_marker("slow") is not None \
        or bool(BOOK_FIXTURES & set(getattr(item, "fixturenames", ())))
    if module in {"test_browser", "test_pdf", "test_a11y"} or (module in BROWSER_MODULES and heavy):
        return "browser"
    return "book" if heavy else "unit"


class _Layers:
    """Marks every collected test with its layer before ``-m`` deselects (``make test-fast`` = ``-m unit``)."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            item.add_marker(getattr(pytest.mark, layer(item)))


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_Layers(), "aibook-layers")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the two slow preparations in the background (the book, the student kit) and run the tests that
    need them after the others, so that they overlap with the rest of the suite."""
    slow = {"built_book", "student_kit", "book"}
    needs = [item for item in items if slow & set(getattr(item, "fixturenames", ()))]
    if needs and len(needs) < len(items):
        first = [item for item in items if item not in needs and not item.nodeid.startswith("notebooks/")]
        last = [item for item in items if item not in needs and item.nodeid.startswith("notebooks/")]
        items[:] = first + needs + last
    if any("built_book" in getattr(item, "fixturenames", ()) for item in items):
        _BOOK["folder"] = Path(tempfile.mkdtemp(prefix="aibook-book-"))
        _BOOK["thread"] = threading.Thread(target=_build_book, args=(_BOOK["folder"],), daemon=True)
        _BOOK["thread"].start()
    if any(item.name == KIT_TEST for item in items):
        folder = Path(tempfile.mkdtemp(prefix="aibook-kit-"))
        _KIT["folder"] = folder
        _KIT["thread"] = threading.Thread(target=_prepare_kit, args=(folder,), daemon=True)
        _KIT["thread"].start()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for prepared in (_KIT, _BOOK):
        if "thread" in prepared:
            prepared["thread"].join(timeout=1200)  # type: ignore[union-attr]
        if "folder" in prepared:
            shutil.rmtree(prepared["folder"], ignore_errors=True)  # type: ignore[arg-type]


@pytest.fixture
def student_kit() -> Path:
    """The workshop kit with its own .venv made from its own requirements.txt (prepared in the background)."""
    if "thread" not in _KIT:
        pytest.skip("the kit is prepared only when its test is collected")
    _KIT["thread"].join(timeout=1200)
    if "error" in _KIT:
        raise _KIT["error"]  # type: ignore[misc]
    return _KIT["path"]  # type: ignore[return-value]
