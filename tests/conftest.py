"""Shared fixtures: a scratch copy of the data package, the book built once per run, the small book.

The full book (HTML and, where TeX is complete, PDF) is rendered once per run from the committed outputs — nbval
re-executes every page and compares it with them in the same run — (``built_book``) and shared by every test that
only reads it (browser, accessibility, PDF). Tests that must change data, break or kill a build use ``minibook``: two small
notebooks through the same pipeline.

`make test` runs on every core (pytest-xdist, ``-n auto``). The two slow preparations — the
book and the student kit's virtual environment — start in the background as soon as the tests are collected, each
in the one worker that claims it first (a directory made atomically in the run's shared folder); the other workers
wait for its marker when a test needs it, and each reads its own copy of the book. Each notebook's nbval cells
form one unit of work (they share a kernel, in order; :func:`scope`).
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


#: the run's name, set by the first process of the run (the xdist controller) and inherited by its workers
RUN = "AIBOOK_TEST_RUN"


def _run_dir() -> Path:
    """The folder the workers of this run share (one run = one ``pytest`` command, all its xdist workers)."""
    import os

    folder = Path(tempfile.gettempdir()) / f"aibook-tests-{os.environ[RUN]}"
    folder.mkdir(exist_ok=True)
    return folder


class Prepared:
    """A slow preparation made once per run, by whichever worker claims it first, in the background.

    ``start()`` claims it (``mkdir`` is atomic) and runs ``make(folder)`` in a thread; ``wait()`` — in any worker —
    waits for the marker the preparing worker writes (``done``, or ``error`` with the message) and returns the folder.
    """

    def __init__(self, name: str, make: object) -> None:
        self.name, self.make = name, make
        self.thread: threading.Thread | None = None

    @property
    def folder(self) -> Path:
        return _run_dir() / self.name

    def start(self) -> None:
        try:
            (_run_dir() / f"{self.name}.claim").mkdir()
        except FileExistsError:
            return  # another worker prepares it
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.make(self.folder)  # type: ignore[operator]
        except BaseException as exc:  # reported by every test that needs it
            (_run_dir() / f"{self.name}.error").write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
        else:
            (_run_dir() / f"{self.name}.done").touch()

    def wait(self, timeout: float = 1800) -> Path:
        import time

        self.start()  # a single test run by node id: nobody has claimed it yet
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            error = _run_dir() / f"{self.name}.error"
            if error.is_file():
                raise RuntimeError(error.read_text(encoding="utf-8"))
            if (_run_dir() / f"{self.name}.done").is_file():
                return self.folder
            time.sleep(0.25)
        raise TimeoutError(f"{self.name} was not prepared within {timeout:.0f} s")

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join(timeout=1800)


def _build_book(folder: Path) -> None:
    """``python -m aibook build --from-reference --pdf auto`` into ``folder``, in its own process (a thread only
    waits for it): the book rendered from the committed outputs, which nbval — with ``tests/nbval_extra.py`` for the
    glued names and the figures — re-executes and compares in the same run; executing them twice would add nothing
    but time. The build's own execution is tested on the small book (``tests/test_build.py``)."""
    import os
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "aibook", "build", "--from-reference", "--pdf", "auto"], cwd=ROOT,
                          env={**os.environ, "AIBOOK_BUILD_DIR": str(folder)}, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"the shared book did not build:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")


_BOOK = Prepared("book", _build_book)


def fresh_data(scratch: Path) -> Path:
    """``scratch/data`` as a fresh copy of data/: for hypothesis tests, which cannot use a per-example fixture."""
    dest = scratch / "data"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(DATA_DIR, dest)
    return dest


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> B.Layout:
    """The whole book (default parameters, shipped data), executed and rendered once for the run: this worker's
    own copy (a test may write a probe page beside a page of it).

    The build starts in the background when the tests are collected; the tests that need it run last.
    """
    copy = tmp_path_factory.mktemp("built") / "book"
    shutil.copytree(_BOOK.wait(), copy, symlinks=True)
    return B.Layout(copy)


@pytest.fixture
def minibook(tmp_path: Path) -> Path:
    """A writable copy of the small test book (tests/minibook)."""
    dest = tmp_path / "minibook"
    shutil.copytree(MINIBOOK, dest, ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints"))
    return dest


# ------------------------------------------------------------------------------------ the student kit
# Installing the kit's fresh virtual environment takes most of a minute of pip; it starts in the background as
# soon as the kit test is collected, and the other tests run meanwhile.


def _prepare_kit(folder: Path) -> None:
    import os
    import subprocess
    import sys

    from aibook.workshop import build_workshop

    kit = build_workshop(folder / "workshop")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for cmd in ([sys.executable, "-m", "venv", kit / ".venv"],  # what SETUP.md says, step by step
                # --no-compile: the bytecode of every installed file is not written now (a third of pip's time);
                # what the kit imports is compiled when imported, as any Python does
                [kit / ".venv" / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-compile",
                 "-r", "requirements.txt"],
                [kit / ".venv" / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", "-e", "."]):
        proc = subprocess.run([str(c) for c in cmd], cwd=kit, env=env, capture_output=True, text=True, timeout=1200)
        if proc.returncode:
            raise RuntimeError(f"{cmd}: {proc.stdout[-1500:]}{proc.stderr[-1500:]}")


_KIT = Prepared("kit", _prepare_kit)


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


def scope(nodeid: str) -> str:
    """The unit of work an xdist worker takes whole: a notebook (its nbval cells share one kernel, in order), or
    else the test itself (a module fixture is then made once in each worker that runs the module's tests)."""
    path = nodeid.split("::", 1)[0]
    return path if path.startswith("notebooks/") else nodeid


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """xdist's scope scheduler with :func:`scope` as the unit (its ``loadgroup`` marks do not reach the scheduler
    under pytest 9, whose node ids are no longer a plain attribute)."""
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return scope(nodeid)

    return Scheduling(config, log)


class _Layers:
    """Marks every collected test with its layer before ``-m`` deselects (``make test-fast`` = ``-m unit``)."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            item.add_marker(getattr(pytest.mark, layer(item)))


def pytest_configure(config: pytest.Config) -> None:
    import os
    import uuid

    if not hasattr(config, "workerinput"):  # the controller, or a run without workers: a new run
        os.environ[RUN] = uuid.uuid4().hex[:12]
    config.pluginmanager.register(_Layers(), "aibook-layers")
    if config.getoption("nbval", default=False) and not config.pluginmanager.has_plugin("tests.nbval_extra"):
        from tests import nbval_extra

        config.pluginmanager.register(nbval_extra, "tests.nbval_extra")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the two slow preparations in the background (the book, the student kit) and run the tests that
    need them after the others, so that they overlap with the rest of the suite: first the tests that need
    neither, then the kit's, then those that read the book, and last nbval's notebooks (many short units of
    work, so that both workers finish together)."""

    def stage(item: pytest.Item) -> int:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.nodeid.startswith("notebooks/"):
            return 3
        if "student_kit" in fixtures:
            return 1
        return 2 if fixtures & {"built_book", "book", "book_pdf"} else 0

    items.sort(key=stage)  # stable: the collection order within each stage
    if any("built_book" in getattr(item, "fixturenames", ()) for item in items):
        _BOOK.start()
    if any("student_kit" in getattr(item, "fixturenames", ()) for item in items):
        _KIT.start()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Each worker waits for what it prepares (another worker may need it); the controller — or a run without
    workers — removes the run's shared folder when every worker is done."""
    for prepared in (_KIT, _BOOK):
        prepared.join()
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(_run_dir(), ignore_errors=True)


@pytest.fixture
def student_kit() -> Path:
    """The workshop kit with its own .venv made from its own requirements.txt (prepared in the background)."""
    return _KIT.wait() / "workshop"


# ------------------------------------------------------------------------------------ what a page step glues
def record_glue(monkeypatch: pytest.MonkeyPatch, module: object, *functions: str) -> dict[str, object]:
    """Replace ``functions`` of a page module (``glue_number``, ``glue_text`` …) by a recorder: key → the value as
    the step passed it. A key glued twice fails, as the build would."""
    seen: dict[str, object] = {}

    def keep(key: str, value: object, *_: object, **__: object) -> object:
        assert key not in seen, f"{key} glued twice"
        seen[key] = value
        return value

    for name in functions:
        monkeypatch.setattr(module, name, keep)
    return seen


@pytest.fixture
def glued(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """What a page step glues, by key: ``myst_nb.glue`` replaced by a recorder that keeps each value as the page
    shows it (a Markdown value as its text) and refuses a key glued twice, as the build does."""
    import myst_nb

    seen: dict[str, object] = {}

    def record(key: str, value: object, display: bool = True) -> None:
        assert key not in seen, f"{key} glued twice"
        seen[key] = getattr(value, "data", getattr(value, "text", value))

    monkeypatch.setattr(myst_nb, "glue", record)
    return seen


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What a page step displays, in order."""
    seen: list[object] = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **_: seen.extend(objs))
    return seen
