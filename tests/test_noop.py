"""The no-op build's decision (aibook.build.noop): every change the full build would act on is still seen.

A small book is laid out by hand (configuration, a page, a chapter pair, a package, a data file and a listed
folder, an executed notebook with its record, a rendered book's stamp) and its state saved as a build saves it;
then one change at a time must make :func:`noop.stale` name it. No notebook executes, nothing is timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from aibook.build import noop
from aibook.build.layout import Layout
from aibook.paths import ROOT


class Book:
    """A book root, a package, data, and a build folder whose state says: all up to date."""

    def __init__(self, tmp: Path) -> None:
        self.root = tmp / "book"
        self.package = tmp / "pkg"
        self.data = tmp / "data"
        self.layout = Layout(tmp / "build")
        for folder in (self.root / "book", self.root / "notebooks", self.package / "sub", self.data / "releases",
                       self.layout.executed, self.layout.cache, self.layout.html):
            folder.mkdir(parents=True)
        files = {
            self.root / "_config.yml": "title: t\n",
            self.root / "_toc.yml": "format: jb-book\nroot: book/intro\nchapters:\n- file: notebooks/a\n",
            self.root / "requirements.txt": "pandas==2.2.3\n",
            self.root / "book" / "intro.md": "# 引言\n",
            self.root / "notebooks" / "a.md": "# A\n",
            self.root / "notebooks" / "a.ipynb": json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                                            "nbformat_minor": 5}),
            self.package / "__init__.py": "",
            self.package / "sub" / "mod.py": "X = 1\n",
            self.data / "t.csv": "a\n1\n",
            self.data / "releases" / "r-2019-06.csv": "m\n6\n",
            self.layout.executed / "a.ipynb": '{"cells": [], "outputs": 1}',
            self.layout.html / noop.RENDER_STAMP: "key",
        }
        for path, text in files.items():
            path.write_text(text, encoding="utf-8")
        releases = self.data / "releases"
        record = {"key": "k", "inputs": {str(self.data / "t.csv"): noop.sha256_file(self.data / "t.csv")},
                  "listings": {str(releases): noop._listing_digest(sorted(os.listdir(releases)))}}
        self.layout.record_path = self.layout.cache / "a.json"
        self.layout.record_path.write_text(json.dumps(record), encoding="utf-8")

    def how(self, parameters: dict[str, object] | None = None, pdf: str = "off") -> dict[str, object]:
        return noop.invocation(self.root, parameters or {}, pdf)

    def snapshot(self) -> dict[str, object]:
        return noop.snapshot(*noop.sources(self.root, self.package))

    def save(self, before: dict[str, object] | None = None) -> str | None:
        return noop.save(self.layout, self.how(), before or self.snapshot(), ["a"])

    def stale(self, **kw: object) -> str | None:
        return noop.stale(self.layout.build_dir, self.how(**kw))  # type: ignore[arg-type]


@pytest.fixture
def saved(tmp_path: Path) -> Book:
    """A laid-out book whose state is saved (named so as not to be taken for conftest's fixtures that build)."""
    b = Book(tmp_path)
    assert b.save() is None
    assert b.stale() is None
    return b


CHANGES: dict[str, tuple[Callable[[Book], None], str]] = {
    "a data file a notebook read": (lambda b: (b.data / "t.csv").write_text("a\n2\n"), "t.csv"),
    "a data file removed": (lambda b: (b.data / "t.csv").unlink(), "t.csv"),
    "a release dropped into a listed folder": (lambda b: (b.data / "releases" / "r-2019-07.csv").write_text("m\n7\n"),
                                               "releases"),
    "the chapter's text (.md)": (lambda b: (b.root / "notebooks" / "a.md").write_text("# A 改\n"), "a.md"),
    "the chapter's notebook": (lambda b: (b.root / "notebooks" / "a.ipynb").write_text('{"cells": [1]}'), "a.ipynb"),
    "a new chapter pair": (lambda b: (b.root / "notebooks" / "b.md").write_text("# B\n"), "notebooks"),
    "_toc.yml": (lambda b: (b.root / "_toc.yml").write_text("format: jb-book\nroot: book/intro\n"), "_toc.yml"),
    "_config.yml": (lambda b: (b.root / "_config.yml").write_text("title: u\n"), "_config.yml"),
    "a page of book/": (lambda b: (b.root / "book" / "intro.md").write_text("# 引言 改\n"), "intro.md"),
    "a new page in book/": (lambda b: (b.root / "book" / "more.md").write_text("# 更多\n"), "book"),
    "a module of the package": (lambda b: (b.package / "sub" / "mod.py").write_text("X = 2\n"), "mod.py"),
    "a new module": (lambda b: (b.package / "sub" / "new.py").write_text(""), "sub"),
    "the pinned environment": (lambda b: (b.root / "requirements.txt").write_text("pandas==2.2.4\n"),
                               "requirements.txt"),
    "the execution record": (lambda b: b.layout.record_path.write_text('{"key": "other"}'), "a.json"),
    "the executed notebook removed": (lambda b: (b.layout.executed / "a.ipynb").unlink(), "a.ipynb"),
    "a half-written notebook left by a kill": (lambda b: (b.layout.executed / ".a.1.partial.ipynb").write_text(""),
                                               "executed"),
    "a half-swapped book": (lambda b: (b.layout.build_dir / "html.old").mkdir(), "build folder"),
    "a staging folder left by a kill": (lambda b: (b.layout.build_dir / ".stage-x").mkdir(), "build folder"),
    "the render stamp": (lambda b: (b.layout.html / noop.RENDER_STAMP).write_text("other"), noop.RENDER_STAMP),
    "a PDF appeared": (lambda b: b.layout.pdf.parent.mkdir(), "pdf"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_each_change_is_seen(saved: Book, change: str) -> None:
    act, named = CHANGES[change]
    act(saved)
    why = saved.stale()
    assert why is not None and named in why, why


def test_a_rewrite_of_the_same_size_with_the_old_mtime_is_seen(saved: Book) -> None:
    csv = saved.data / "t.csv"
    before = os.stat(csv)
    csv.write_text("a\n9\n")  # same size
    os.utime(csv, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime: the ctime still moves
    assert saved.stale() is not None


def test_another_invocation_is_never_answered(saved: Book) -> None:
    assert saved.stale(parameters={"period": "2019-06"}) == "another invocation"
    assert saved.stale(pdf="auto") == "the last build did not typeset the PDF"
    assert noop.stale(saved.layout.build_dir, noop.invocation(saved.package, {}, "off")) == "another invocation"
    assert noop.stale(saved.layout.build_dir, {**saved.how(), "python": "2.7"}) == "another invocation"


def test_no_state_no_answer(saved: Book) -> None:
    noop.forget(saved.layout.build_dir)
    assert saved.stale() == "no saved state"
    noop.state_file(saved.layout.build_dir).write_text("{not json")
    assert saved.stale() == "no saved state"


def test_an_unwritable_build_folder_goes_to_the_full_build(saved: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = str(saved.layout.cache)
    real = os.access
    monkeypatch.setattr(noop.os, "access", lambda p, mode: False if str(p) == cache else real(p, mode))
    why = saved.stale()
    assert why is not None and "cannot write" in why


def test_a_source_changed_while_the_build_ran_saves_no_state(tmp_path: Path) -> None:
    b = Book(tmp_path)
    before = b.snapshot()
    (b.root / "notebooks" / "a.md").write_text("# 执行期间改的\n")
    why = b.save(before)
    assert why is not None and "during the build" in why
    assert b.stale() == "no saved state"


def test_an_input_that_differs_from_its_record_saves_no_state(tmp_path: Path) -> None:
    b = Book(tmp_path)
    before = b.snapshot()
    (b.data / "t.csv").write_text("a\n3\n")  # what the notebook read is no longer there
    why = b.save(before)
    assert why is not None and "t.csv" in why and b.stale() == "no saved state"


def test_a_racy_record_is_checked_by_content(tmp_path: Path) -> None:
    f = tmp_path / "f.txt"
    f.write_text("one")
    rec = noop.entry(f)  # just written: its timestamps are too recent to trust alone
    assert rec is not None and rec[4] == noop.sha256_file(f)
    assert noop._same(rec, f)
    assert not noop._same([*rec[:4], "0" * 64], f)  # same identity, other content: seen
    later = noop.entry(f, now_ns=time.time_ns() + 10 * noop.RACY_NS)  # recorded ten seconds after the write
    assert later is not None and later[4] is None and later[:4] == rec[:4]


def test_refresh_drops_the_digest_of_a_record_no_longer_racy(saved: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    racy = [k for part in ("sources", "outputs") for k, v in noop.load(saved.layout.build_dir)[part]["files"].items()
            if v and v[4]]
    assert racy  # everything was just written
    monkeypatch.setattr(noop, "RACY_NS", -10 * 10**9)  # as if ten seconds had passed
    assert noop.refresh(saved.layout.build_dir) == len(racy)
    assert saved.stale() is None
    monkeypatch.setattr(noop, "RACY_NS", 2 * 10**9)
    (saved.data / "t.csv").write_text("a\n5\n")
    assert saved.stale() is not None


def test_fast_build_says_what_the_full_build_says(saved: Book) -> None:
    logs: list[str] = []
    assert noop.fast_build(saved.layout.build_dir, saved.how(), log=logs.append)
    assert "  = a: up to date" in logs and "  = book: up to date" in logs
    assert any(m.startswith("done in") and "0 executed" in m for m in logs)
    (saved.root / "_toc.yml").write_text("x: 1\n")
    logs.clear()
    assert not noop.fast_build(saved.layout.build_dir, saved.how(), log=logs.append) and not logs


def test_a_build_forgets_the_state_before_it_starts(saved: Book) -> None:
    """Until a build succeeds nothing is known to be up to date: one that stops leaves no state behind."""
    from aibook import build as B

    assert noop.state_file(saved.layout.build_dir).exists()
    with pytest.raises(B.BuildError, match="no notebook named"):
        B.build(root=saved.root, layout=saved.layout, only=["nope"], log=lambda _m: None)
    assert not noop.state_file(saved.layout.build_dir).exists()


def test_the_cli_no_op_imports_no_heavy_package(saved: Book) -> None:
    """`python -m aibook build` with nothing changed: answered without pandas, papermill, nbformat, Jupyter Book."""
    env = {**os.environ, "AIBOOK_BUILD_DIR": str(saved.layout.build_dir)}
    noop.save(saved.layout, noop.invocation(saved.root, {}, "off"), noop.snapshot(*noop.sources(saved.root)), ["a"])
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "aibook", "build", "--book-root", str(saved.root)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "nothing changed since the last build" in proc.stdout and "  = a: up to date" in proc.stdout
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    heavy = {"pandas", "numpy", "papermill", "nbformat", "jupyter_book", "jupytext", "docutils", "yaml"}
    assert not heavy & imported, sorted(heavy & imported)
    # an edit of the chapter's text: the command takes the full build, whose pairing check stops it
    (saved.root / "notebooks" / "a.md").write_text("# A 只改了文本\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "aibook", "build", "--book-root", str(saved.root)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 1 and "nothing changed" not in proc.stdout
    assert "BUILD FAILED" in proc.stderr and "make sync" in proc.stderr, proc.stderr[-2000:]
    assert not noop.state_file(saved.layout.build_dir).exists()


def test_the_pdf_modes(saved: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    """A state saved with the PDF current answers every mode, while TeX is complete (the check the build makes)."""
    from aibook import system

    saved.layout.pdf.parent.mkdir()
    saved.layout.pdf.write_bytes(b"%PDF-1.5")
    assert noop.save(saved.layout, saved.how(pdf="auto"), saved.snapshot(), ["a"], pdf_current=True) is None
    monkeypatch.setattr(system, "pdf_missing", lambda: {})
    assert saved.stale(pdf="auto") is None and saved.stale(pdf="on") is None and saved.stale() is None
    logs: list[str] = []
    assert noop.fast_build(saved.layout.build_dir, saved.how(pdf="auto"), log=logs.append)
    assert any("pdf: up to date" in m for m in logs) and any(m.startswith("the PDF:") for m in logs)
    monkeypatch.setattr(system, "pdf_missing", lambda: {"texlive-fonts-recommended": ["tex:pzdr.tfm"]})
    assert "TeX is incomplete" in (saved.stale(pdf="auto") or "") and saved.stale() is None
    saved.layout.pdf.write_bytes(b"%PDF-1.7 changed")
    assert "aibook.pdf" in (saved.stale() or "")
