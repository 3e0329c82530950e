"""The no-op build: that nothing changed is decided from a small saved state, without importing the build.

A build with nothing to do used to import pandas, papermill, nbformat and Jupyter Book's helpers, read every
notebook to compute its key, and hash the executed notebooks for the render key: seconds, to find that nothing
changed. After every build that rendered the book, the build now saves ``noop-state.json`` in its folder:

* the invocation (book root, parameters, PDF mode, this Python) — another invocation never takes the short way;
* every file the build's own up-to-date decision reads, by identity (size, mtime, ctime and inode, like git's
  index): the book's configuration and pages (``_config.yml``, ``_toc.yml``, ``book/``), the chapter pairs of
  ``notebooks/`` (whose agreement the build checked), the package's modules (the notebooks' keys and the render
  key), the pinned environment, each notebook's execution record and executed notebook, the data files and
  folders each execution read (their SHA-256 checked against the record when saved), the render stamp, the PDF;
* the listing of every folder whose new or removed entries matter (``book/``, ``notebooks/``, the package, the
  folders an execution listed, the build folder — a half-swapped book or a staging folder is an entry there —
  and the executed notebooks' folder — a ``.partial`` notebook is one).

:func:`stale` compares all of it with the disk using ``os.stat`` and ``os.listdir`` only; any difference sends
the command to the full build, which decides as before and saves the state again. A file changed within two
seconds of being recorded could keep its timestamps (a coarse clock); such a file is recorded with its SHA-256
and hashed when checked (git's “racy” entries). The state is deleted when a build starts and written only when
it succeeded, so a failed build never leaves one that says “up to date”; the files a build reads before it
executes are recorded before it reads them, and the state is not written when any of them changed meanwhile.

This module imports only the standard library and :mod:`aibook.paths`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aibook import paths

if TYPE_CHECKING:
    from aibook.build.layout import Layout

#: the saved state, in the build folder (beside ``html/``)
STATE = "noop-state.json"
#: bump when the state's meaning changes: an older state is then ignored
FORMAT = 1
#: files whose mtime or ctime lies this close to the moment they were recorded are checked by content
RACY_NS = 2_000_000_000
# The names of what a build reads live here, where the no-op decision needs them without importing the stages;
# :mod:`.keys`, :mod:`.render` and :mod:`.deps` take them from here.
#: the files that pin the environment; also copied into the workshop kit
ENV_FILES = ("requirements.txt", "pyproject.toml")
#: the book's configuration, read by every render
BOOK_FILES = ("_config.yml", "_toc.yml")
#: the render key of the HTML in its folder
RENDER_STAMP = ".aibook-render-key"
#: the package whose modules are tracked (``aibook/``)
PACKAGE_DIR = Path(__file__).resolve().parents[1]

#: a file's record: [size, mtime_ns, ctime_ns, inode, SHA-256 or None]; ``None`` for a file that is absent
Entry = list[Any] | None


def invocation(root: Path, parameters: Mapping[str, Any], pdf: str = "off") -> dict[str, Any]:
    """How the build is asked for: the book, the parameters, this Python (which must be as saved) and the PDF mode.

    The PDF mode need not be as saved: a state saved by a build that typeset the PDF (or found it current) answers
    ``off``, ``auto`` and ``on``; one saved without the PDF answers ``off`` only.
    """
    return {"format": FORMAT, "root": str(Path(root).resolve()), "parameters": dict(parameters), "pdf": pdf,
            "python": sys.version, "executable": sys.executable, "package": str(PACKAGE_DIR)}


def _same_invocation(saved: Mapping[str, Any], how: Mapping[str, Any]) -> bool:
    def key(d: Mapping[str, Any]) -> Any:
        return json.loads(json.dumps({k: v for k, v in d.items() if k != "pdf"}, default=str))

    return bool(key(saved) == key(how))


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (here, the light module; :mod:`.keys` uses it too)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _identity(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def entry(path: Path, now_ns: int | None = None) -> Entry:
    """The record of ``path``: its identity, and its SHA-256 when its timestamps are too recent to trust."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    ident = _identity(st)
    digest = None
    if max(st.st_mtime_ns, st.st_ctime_ns) >= now_ns - RACY_NS:
        digest = sha256_file(path)
        if _identity(os.stat(path)) != ident:  # written while being hashed: record something that cannot match
            ident[0] = -1
    return [*ident, digest]


def listing(folder: Path) -> list[str] | None:
    """The sorted names in ``folder`` (``None`` when it is not a folder)."""
    try:
        return sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return None


def _tree(folder: Path, skip: tuple[str, ...] = ()) -> tuple[list[Path], list[Path]]:
    """The files and the folders of a tree (``folder`` included), not descending into folders named in ``skip``
    (their names still count in their parent's listing)."""
    files: list[Path] = []
    folders: list[Path] = []
    if not folder.is_dir():
        return files, [folder]
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in skip)
        folders.append(Path(here))
        files.extend(Path(here, n) for n in sorted(names))
    return files, folders


def sources(root: Path, package_dir: Path = PACKAGE_DIR) -> tuple[list[Path], list[Path]]:
    """What a build reads before it executes anything, as (files, folders whose listing counts)."""
    root = Path(root).resolve()
    files = [root / name for name in BOOK_FILES]
    files += sorted({base / name for base in (root, paths.ROOT) for name in ENV_FILES})
    book_files, book_folders = _tree(root / "book")  # every file, as the render key reads them
    package_files, package_folders = _tree(package_dir, skip=("__pycache__",))
    notebooks = root / "notebooks"
    chapter_files = [p for p in sorted(notebooks.glob("*")) if p.is_file()]
    return [*files, *book_files, *chapter_files, *package_files], [*book_folders, notebooks, *package_folders]


def snapshot(files: Iterable[Path], folders: Iterable[Path]) -> dict[str, Any]:
    """Records of ``files`` and listings of ``folders``, taken now."""
    now = time.time_ns()
    return {"files": {str(f): entry(f, now) for f in files},
            "folders": {str(d): listing(d) for d in folders}}


def _same(recorded: Entry, path: Path) -> bool:
    """Whether ``path`` is as recorded (by identity; by content too for a racy record)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return recorded is None
    if recorded is None or _identity(st) != recorded[:4]:
        return False
    return recorded[4] is None or sha256_file(path) == recorded[4]


def _differs(snap: Mapping[str, Any]) -> str | None:
    for name, rec in snap.get("files", {}).items():
        if not _same(rec, Path(name)):
            return f"changed: {_show(name)}"
    for name, names in snap.get("folders", {}).items():
        if listing(Path(name)) != names:
            return f"folder contents changed: {_show(name)}"
    return None


def _show(name: str) -> str:
    try:
        return Path(name).relative_to(paths.ROOT).as_posix()
    except ValueError:
        return name


def state_file(build_dir: Path) -> Path:
    return Path(build_dir) / STATE


def forget(build_dir: Path) -> None:
    """Delete the saved state (a build is starting: until it succeeds, nothing is known to be up to date)."""
    state_file(build_dir).unlink(missing_ok=True)


def _build_folder_listing(build_dir: Path) -> list[str] | None:
    names = listing(build_dir)
    return None if names is None else [n for n in names if n != STATE and not n.startswith(f".{STATE}.")]


def save(layout: Layout, how: Mapping[str, Any], before: Mapping[str, Any], notebooks: Iterable[str],
         *, extra: Iterable[Path] = (), pdf_current: bool = False) -> str | None:
    """After a build that succeeded: save the state; return why it was not saved, or ``None``.

    ``before`` is the :func:`snapshot` of :func:`sources` taken when the build started, ``notebooks`` the names
    of the book's executions (their records and outputs in ``layout``), ``extra`` more files the decision read
    (the PDF's stamp); ``pdf_current``: the PDF was typeset from this book (its stamp is the render key).
    """
    changed = _differs(before)
    if changed:
        return f"{changed} during the build"
    now = time.time_ns()
    names = list(notebooks)
    files: dict[str, Entry] = {}
    folders: dict[str, list[str] | None] = {}
    for name in names:
        record, output = layout.cache / f"{name}.json", layout.executed / f"{name}.ipynb"
        files[str(record)], files[str(output)] = entry(record, now), entry(output, now)
        try:
            rec = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return f"no execution record for {name}"
        for path, digest in rec.get("inputs", {}).items():
            e = entry(Path(path), now)
            if e is None or (e[4] or sha256_file(Path(path))) != digest:
                return f"input changed during the build: {_show(path)}"
            files[path] = e
        for folder, digest in rec.get("listings", {}).items():
            found = listing(Path(folder))
            if _listing_digest(found) != digest:
                return f"folder contents changed during the build: {_show(folder)}"
            folders[folder] = found
    for path in [layout.html / RENDER_STAMP, layout.pdf, *extra]:
        files[str(path)] = entry(path, now)
    state = {
        "invocation": dict(how),
        "notebooks": names,
        "html": str(layout.html),
        "pdf": str(layout.pdf),
        "pdf_current": pdf_current,
        "sources": dict(before),
        "outputs": {"files": files, "folders": folders},
        "build_folder": _build_folder_listing(layout.build_dir),
        "executed_folder": listing(layout.executed),
    }
    target = state_file(layout.build_dir)
    tmp = target.with_name(f".{STATE}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, sort_keys=True, default=str), encoding="utf-8")
    os.replace(tmp, target)
    return None


def _listing_digest(names: list[str] | None) -> str:
    """As :func:`aibook.inputs.listing_digest`, from a listing."""
    if names is None:
        return hashlib.sha256(b"\0absent").hexdigest()
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


def load(build_dir: Path) -> dict[str, Any] | None:
    try:
        state = json.loads(state_file(build_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def stale(build_dir: Path, how: Mapping[str, Any]) -> str | None:
    """Why the build in ``build_dir`` invoked as ``how`` (:func:`invocation`) may have work to do; ``None``
    when the saved state shows that nothing it reads changed since it last succeeded."""
    build_dir = Path(build_dir)
    state = load(build_dir)
    if state is None:
        return "no saved state"
    if not _same_invocation(state.get("invocation", {}), how):
        return "another invocation"
    if how.get("pdf", "off") != "off" and not state.get("pdf_current"):
        return "the last build did not typeset the PDF"
    for folder in (build_dir, build_dir / "executed", build_dir / "cache"):
        if not os.access(folder, os.W_OK):  # the build would stop, naming the folder
            return f"cannot write to {folder}"
    if how.get("pdf", "off") != "off":  # the check the build makes before it typesets (kpsewhich, fc-match)
        from aibook.system import pdf_missing

        if pdf_missing():
            return "TeX is incomplete (the build names the packages)"
    now, then = _build_folder_listing(build_dir), state.get("build_folder")
    if now != then:
        return f"the build folder changed (an interrupted build, or entries added or removed): {_moved(now, then)}"
    now, then = listing(build_dir / "executed"), state.get("executed_folder")
    if now != then:
        return f"the executed notebooks' folder changed: {_moved(now, then)}"
    return _differs(state.get("sources", {})) or _differs(state.get("outputs", {}))


def refresh(build_dir: Path) -> int:
    """Drop the SHA-256 of racy records that are no longer racy; return how many (git's index refresh).

    Called after :func:`stale` found everything as recorded: a racy file whose content was just found as
    recorded and whose timestamps now lie further back than :data:`RACY_NS` cannot change unseen any more.
    """
    state = load(build_dir)
    if state is None:
        return 0
    now = time.time_ns()
    dropped = 0
    for part in ("sources", "outputs"):
        files = state.get(part, {}).get("files", {})
        for name, rec in files.items():
            if rec is None or rec[4] is None:
                continue
            st = os.stat(name)
            if _identity(st) == rec[:4] and max(st.st_mtime_ns, st.st_ctime_ns) < now - RACY_NS:
                rec[4] = None
                dropped += 1
    if dropped:
        target = state_file(build_dir)
        tmp = target.with_name(f".{STATE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False, sort_keys=True, default=str), encoding="utf-8")
        os.replace(tmp, target)
    return dropped


def _moved(now: list[str] | None, then: list[str] | None) -> str:
    return ", ".join(sorted(set(now or []) ^ set(then or []))) or "(created or removed)"


def fast_build(build_dir: Path, how: Mapping[str, Any], log: Any = print) -> bool:
    """The no-op build: when :func:`stale` finds nothing, say so as the full build would and return ``True``."""
    start = time.monotonic()
    if stale(build_dir, how) is not None:
        return False
    refresh(build_dir)
    state = load(build_dir) or {}
    names = state.get("notebooks", [])
    log(f"executing {len(names)} notebook(s) → {_show(str(Path(build_dir) / 'executed'))}")
    for name in names:
        log(f"  = {name}: up to date")
    pdf = Path(state["pdf"]) if how.get("pdf", "off") != "off" and state.get("pdf") else None
    if pdf is not None and pdf.is_file():
        log(f"  = pdf: up to date ({_show(str(pdf))})")
    log("  = book: up to date")
    log(f"done in {time.monotonic() - start:.1f} s: 0 executed, 0 reused, {len(names)} up to date "
        "(nothing changed since the last build)")
    log(f"the book: {Path(state.get('html', build_dir / 'html')) / 'index.html'}")
    if pdf is not None and pdf.is_file():
        log(f"the PDF: {pdf}")
    return True
