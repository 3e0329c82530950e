"""The build: papermill executes the chapter notebooks in parallel, Jupyter Book renders what it executed.

* A notebook re-executes only when its cells, its parameters, this package, the pinned environment or
  a data file it actually read (recorded by :mod:`aibook.data`, one SHA-256 per input) changed.
* Each notebook runs in its own worker process with its own kernel over IPC sockets (no TCP port races).
* A notebook that fails is never rendered: the build stops, names the notebook and the failing cell.
* Jupyter Book renders in a staging directory with ``execute_notebooks: 'off'``; the new HTML replaces
  the last good book only when the whole build succeeded.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from aibook import paths
from aibook.data import listing_digest
from aibook.pdf import PDF_NAME

PACKAGE_DIR = Path(__file__).resolve().parent
ENV_FILES = ("requirements.txt", "pyproject.toml")
BOOK_FILES = ("_config.yml", "_toc.yml")
MISSING_GLYPH = "missing from font"
RENDER_STAMP = ".aibook-render-key"


class BuildError(RuntimeError):
    """The build stopped; the message says which notebook or step and why. The last good book is kept."""


# --------------------------------------------------------------------------------------------- hashing
def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def notebook_digest(path: Path) -> str:
    """Hash of what a notebook *does*: cell types, sources and tags (not outputs, counts or timings)."""
    nb = nbformat.read(path, as_version=4)
    cells = [(c.cell_type, c.source, sorted(c.get("metadata", {}).get("tags", []))) for c in nb.cells]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()


def environment_digest(root: Path = paths.ROOT) -> str:
    """Hash of the helper package's sources, the pinned requirements and the Python version."""
    h = hashlib.sha256(platform.python_version().encode())
    for f in sorted(PACKAGE_DIR.rglob("*.py")):
        h.update(f.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(f.read_bytes())
    for name in ENV_FILES:
        p = root / name
        if p.exists():
            h.update(name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


# ------------------------------------------------------------------------------------------------ jobs
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


def job_key(job: Job, env_digest: str) -> str:
    payload = {
        "notebook": notebook_digest(job.notebook),
        "parameters": job.parameters,
        "environment": env_digest,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def stale_reason(job: Job, layout: Layout, key: str) -> str | None:
    """Why ``job`` must run again, or ``None`` when its last output is still valid."""
    rec_path = layout.record(job)
    if not rec_path.exists() or not layout.output(job).exists():
        return "not executed yet"
    try:
        rec = json.loads(rec_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return "cache record unreadable"
    if rec.get("key") != key:
        return "notebook, parameters, package or environment changed"
    return inputs_changed(rec)


def inputs_changed(rec: Mapping[str, Any]) -> str | None:
    """The first input file or listed folder of a cache record that is no longer as it was read."""
    for path, digest in sorted(rec.get("inputs", {}).items()):
        p = Path(path)
        if not p.exists():
            return f"input removed: {path}"
        if sha256_file(p) != digest:
            return f"input changed: {_rel(p)}"
    for folder, digest in sorted(rec.get("listings", {}).items()):
        if listing_digest(Path(folder)) != digest:
            return f"folder contents changed: {_rel(Path(folder))}"
    return None


# ------------------------------------------------------------------------------------- the shared store
def _store_name(key: str, rec: Mapping[str, Any]) -> str:
    reads = json.dumps([rec.get("inputs", {}), rec.get("listings", {})], sort_keys=True)
    return f"{key[:20]}-{hashlib.sha256(reads.encode()).hexdigest()[:12]}"


def store_put(layout: Layout, job: Job, rec: Mapping[str, Any], keep: int = 3) -> None:
    """Keep a copy of an executed notebook under its key and inputs (the newest ``keep`` per key)."""
    layout.store.mkdir(parents=True, exist_ok=True)
    name = _store_name(rec["key"], rec)
    tmp = layout.store / f".{name}.{os.getpid()}.tmp"
    shutil.copy2(layout.output(job), tmp)
    os.replace(tmp, layout.store / f"{name}.ipynb")
    _atomic_write(layout.store / f"{name}.json", json.dumps(rec, ensure_ascii=False, indent=1, sort_keys=True))
    older = sorted(layout.store.glob(f"{rec['key'][:20]}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in older[keep:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".ipynb").unlink(missing_ok=True)


def store_get(layout: Layout, job: Job, key: str) -> bool:
    """Reuse a stored execution with the same key whose inputs are unchanged: copy it into this build."""
    for rec_path in sorted(layout.store.glob(f"{key[:20]}-*.json")) if layout.store.is_dir() else []:
        try:
            rec = json.loads(rec_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        stored = rec_path.with_suffix(".ipynb")
        if rec.get("key") != key or not stored.is_file() or inputs_changed(rec) is not None:
            continue
        layout.executed.mkdir(parents=True, exist_ok=True)
        layout.cache.mkdir(parents=True, exist_ok=True)
        tmp = layout.executed / f".{job.name}.{os.getpid()}.partial.ipynb"
        shutil.copy2(stored, tmp)
        os.replace(tmp, layout.output(job))
        _atomic_write(layout.record(job), json.dumps(rec, ensure_ascii=False, indent=1, sort_keys=True))
        return True
    return False


def _rel(p: Path) -> str:
    try:
        return p.resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(p)


# ------------------------------------------------------------------------------------------- execution
def stderr_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Every stderr output (warnings, log lines) of an executed notebook, as ``cell N: first line``.

    A chapter must run clean: a warning would be printed into the book and break nbval's comparison,
    and a missing-glyph warning means Chinese labels were drawn as boxes.
    """
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr" and out.get("text", "").strip():
                first = out["text"].strip().splitlines()
                line = next((ln for ln in first if MISSING_GLYPH in ln), first[0])
                found.append(f"cell {i}: {line.strip()}")
    return found


_BARE = re.compile(r"\s*(-?[\d.eE+]+|None|True|False|'[^'\n]{0,40}'|\"[^\"\n]{0,40}\")\s*")
_HIDDEN = {"remove-output", "remove-cell", "hide-output", "injected-parameters", "parameters"}


def bare_values(nb: nbformat.NotebookNode) -> list[str]:
    """Cells that show the reader a bare value (a number, ``None``, a short quoted string) nothing explains.

    Usually a stray last expression, such as the return value of a function that glues numbers.
    """
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or _HIDDEN & set(cell.get("metadata", {}).get("tags", [])):
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") == "execute_result" and set(data) == {"text/plain"} \
                    and _BARE.fullmatch("".join(data["text/plain"])):
                found.append(f"cell {i} shows the bare value {''.join(data['text/plain'])[:40]} "
                             "(end the cell with `_ = …` or show it with a caption)")
    return found


def _tag_injected(nb: nbformat.NotebookNode) -> None:
    """papermill's injected-parameters cell does not inherit tags (papermill #731): hide it like ours."""
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")


@dataclass
class _Kernel:
    """A started kernel with its own input log and socket folder."""

    km: Any
    log: str
    sockets: str

    def stop(self) -> None:
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:  # already gone
            pass
        shutil.rmtree(self.sockets, ignore_errors=True)
        Path(self.log).unlink(missing_ok=True)


#: a kernel started ahead of time in this worker process, keyed by (kernel name, working directory)
_SPARE: dict[tuple[str, str], _Kernel] = {}


def _start_kernel(kernel_name: str, cwd: Path, log_dir: Path) -> _Kernel:
    """Start a kernel whose data reads go to its own log file (so a kernel started early is still right)."""
    from jupyter_client.manager import KernelManager

    fd, log = tempfile.mkstemp(prefix=".kernel-", suffix=".inputs.jsonl", dir=log_dir)
    os.close(fd)
    sockets = tempfile.mkdtemp(prefix="aibook-kernel-")
    if os.name == "posix":
        km = IPCKernelManager(kernel_name=kernel_name, ip=str(Path(sockets) / "kernel"))
    else:  # pragma: no cover - Windows has no IPC transport
        km = KernelManager(kernel_name=kernel_name)
    env = {**os.environ, "AIBOOK_INPUT_LOG": log}
    km.start_kernel(cwd=str(cwd), env=env)
    return _Kernel(km, log, sockets)


def _stop_spares() -> None:
    while _SPARE:
        _SPARE.popitem()[1].stop()


def execute_job(job: Job, layout: Layout, key: str, kernel_name: str = "python3", prewarm: bool = False) -> Result:
    """Execute one notebook with papermill (runs in a worker process).

    With ``prewarm`` the worker starts the kernel for its next notebook while this one runs (a kernel
    takes about a second to start); the spare is shut down when the worker exits.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    layout.executed.mkdir(parents=True, exist_ok=True)
    layout.cache.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    tmp_out = layout.executed / f".{job.name}.{os.getpid()}.partial.ipynb"
    cwd = job.notebook.parent
    spare_key = (kernel_name, str(cwd))
    kernel = _SPARE.pop(spare_key, None)
    if kernel is not None and not kernel.km.is_alive():
        kernel.stop()
        kernel = None
    if kernel is None:
        kernel = _start_kernel(kernel_name, cwd, layout.cache)
    if prewarm:
        if not _SPARE:
            import multiprocessing.util

            multiprocessing.util.Finalize(None, _stop_spares, exitpriority=10)
        _SPARE[spare_key] = _start_kernel(kernel_name, cwd, layout.cache)
    tmp_out.touch()  # the partial output exists while the notebook runs (recover() removes it after a kill)
    try:
        # request_save_on_cell_execute=False: papermill would otherwise rewrite the whole output notebook before
        # and after every cell (a chapter of 2 MB and 60 cells: 7 s of 20); it is written once at the end
        pm.execute_notebook(
            str(job.notebook), str(tmp_out), parameters=job.parameters or None, kernel_name=kernel_name,
            cwd=str(cwd), progress_bar=False, log_output=False, start_timeout=180, km=kernel.km,
            request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as exc:
        index = exc.cell_index
        try:  # report the cell as numbered in the source notebook (papermill may have injected one before it)
            failed_nb = nbformat.read(tmp_out, as_version=4)
            index -= sum("injected-parameters" in c.get("metadata", {}).get("tags", [])
                         for c in failed_nb.cells[: exc.cell_index])
        except (OSError, ValueError):
            pass
        finally:
            tmp_out.unlink(missing_ok=True)
        first = next((ln.strip() for ln in (exc.source or "").splitlines() if ln.strip()), "")
        return Result(job, "failed", time.monotonic() - start,
                      error=f"cell {index} (`{first[:60]}`) raised {exc.ename}: {exc.evalue}")
    except Exception as exc:  # kernel died, notebook unreadable, …
        return Result(job, "failed", time.monotonic() - start, error=f"{type(exc).__name__}: {exc}")
    finally:
        inputs, listings = _read_log(kernel.log)
        kernel.stop()
    nb = nbformat.read(tmp_out, as_version=4)
    noise = stderr_outputs(nb)
    if noise:
        tmp_out.unlink(missing_ok=True)
        what = ("missing glyphs: Chinese drawn without the CJK font" if any(MISSING_GLYPH in n for n in noise)
                else "the notebook wrote to stderr (warnings are not allowed in the book)")
        return Result(job, "failed", time.monotonic() - start, error=f"{what}: " + "; ".join(noise[:3]))
    stray = bare_values(nb)
    if stray:
        tmp_out.unlink(missing_ok=True)
        return Result(job, "failed", time.monotonic() - start,
                      error="a reader-facing cell shows a stray value: " + "; ".join(stray[:3]))
    _tag_injected(nb)
    nbformat.write(nb, tmp_out)
    os.replace(tmp_out, layout.output(job))
    record = {"key": key, "notebook": _rel(job.notebook), "parameters": job.parameters, "inputs": inputs,
              "listings": listings, "seconds": round(time.monotonic() - start, 2)}
    _atomic_write(layout.record(job), json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True))
    store_put(layout, job, record)
    return Result(job, "executed", time.monotonic() - start)


def _read_log(log: str) -> tuple[dict[str, str], dict[str, str]]:
    """The files (path → SHA-256) and the folders (path → listing digest) a kernel read."""
    inputs: dict[str, str] = {}
    listings: dict[str, str] = {}
    try:
        for line in Path(log).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if "listing" in item:
                    listings[item["listing"]] = item["sha256"]
                else:
                    inputs[item["path"]] = item["sha256"]
    except FileNotFoundError:
        pass
    return inputs, listings


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


try:  # a kernel manager that talks over IPC sockets: no TCP port races between parallel kernels
    from jupyter_client.manager import KernelManager

    class IPCKernelManager(KernelManager):
        """Kernel over IPC sockets in a private temporary directory.

        jupyter_client's default IPC path is ``kernel-ipc-N`` in the working directory, with N counted
        up from 1, so two kernels started at once in the same folder would take the same sockets.
        """

        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("transport", "ipc")
            if "ip" not in kwargs:
                kwargs["ip"] = str(Path(tempfile.mkdtemp(prefix="aibook-kernel-")) / "kernel")
            super().__init__(**kwargs)
except ImportError:  # pragma: no cover
    pass


def _expected_seconds(job: Job, layout: Layout) -> float:
    try:
        return float(json.loads(layout.record(job).read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError):
        return job.notebook.stat().st_size / 100_000  # a clean build: bigger notebooks tend to run longer


def say(msg: str) -> None:
    print(msg, flush=True)


def execute_all(jobs: list[Job], layout: Layout, *, workers: int | None = None, force: bool = False,
                log: Callable[[str], None] = say) -> list[Result]:
    """Execute the jobs that are stale, in parallel; return one result per job, in job order."""
    env = environment_digest()
    keys = {j.name: job_key(j, env) for j in jobs}
    results: dict[str, Result] = {}
    todo: list[Job] = []
    for job in jobs:
        reason = "forced" if force else stale_reason(job, layout, keys[job.name])
        if reason is None:
            results[job.name] = Result(job, "cached", reason="inputs unchanged")
            log(f"  = {job.name}: up to date")
        elif not force and store_get(layout, job, keys[job.name]):
            results[job.name] = Result(job, "cached", reason="reused")
            log(f"  = {job.name}: reused (same code, parameters and inputs as an earlier build)")
        else:
            todo.append(job)
            log(f"  ▶ {job.name}: executing ({reason})")
    if todo:
        # longest first (by the last run's duration, else notebook size): a short makespan on few cores
        todo.sort(key=lambda j: _expected_seconds(j, layout), reverse=True)
        workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(execute_job, job, layout, keys[job.name], prewarm=len(todo) > workers): job
                       for job in todo}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # worker crashed
                    res = Result(job, "failed", error=f"worker crashed: {exc}")
                results[job.name] = res
                mark = "✓" if res.status == "executed" else "✗"
                detail = f" — {res.error}" if res.error else ""
                log(f"  {mark} {job.name}: {res.status} in {res.seconds:.1f} s{detail}")
    return [results[j.name] for j in jobs]


# ------------------------------------------------------------------------------------------- rendering


def render_key(executed: Iterable[Path], root: Path = paths.ROOT, extra: Iterable[Path] = ()) -> str:
    h = hashlib.sha256()
    for f in extra:
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    files = [root / f for f in BOOK_FILES] + sorted((root / "book").rglob("*"))
    for f in files:
        if f.is_file():
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    for f in sorted(executed):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    h.update(environment_digest(root).encode())
    return h.hexdigest()


def recover(layout: Layout) -> None:
    """Undo what an interrupted build left: restore a half-swapped book, drop stale staging dirs."""
    old = layout.html.with_name("html.old")
    if old.exists() and not layout.html.exists():
        os.replace(old, layout.html)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    if layout.build_dir.exists():
        for stage in layout.build_dir.glob(".stage-*"):
            shutil.rmtree(stage, ignore_errors=True)
        for partial in layout.executed.glob(".*.partial.ipynb") if layout.executed.exists() else []:
            partial.unlink(missing_ok=True)


def jupyter_book_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("jupyter-book")
    return [str(exe)] if exe.exists() else ["jupyter-book"]


def render(layout: Layout, notebooks: list[Path], *, root: Path = paths.ROOT, force: bool = False,
           log: Callable[[str], None] = say) -> bool:
    """Render the executed notebooks with Jupyter Book in a staging dir; swap in on success.

    Returns ``False`` when nothing changed since the last render (the book is left as it is).
    """
    pdf = layout.pdf
    key = render_key(notebooks, root, extra=[pdf])
    stamp = layout.html / RENDER_STAMP
    if not force and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        log("  = book: up to date")
        return False
    stage = _stage(layout, notebooks, root)
    try:
        start = time.monotonic()
        log("  ▶ book: rendering with Jupyter Book")
        proc = subprocess.run(
            [*jupyter_book_cmd(), "build", str(stage), "--path-output", str(stage), "-W", "-n", "--keep-going"],
            capture_output=True, text=True, env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
        )
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
            raise BuildError(f"Jupyter Book failed (exit {proc.returncode}); the last good book is kept.\n{tail}")
        new_html = stage / "_build" / "html"
        if pdf.is_file():  # the PDF edition, linked from the home page
            shutil.copy2(pdf, new_html / "_static" / PDF_NAME)
        (new_html / RENDER_STAMP).write_text(key, encoding="utf-8")
        swap(new_html, layout.html)
        log(f"  ✓ book: rendered in {time.monotonic() - start:.1f} s")
        return True
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _stage(layout: Layout, notebooks: list[Path], root: Path) -> Path:
    layout.build_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".stage-", dir=layout.build_dir))
    for name in BOOK_FILES:
        shutil.copy2(root / name, stage / name)
    shutil.copytree(root / "book", stage / "book")
    (stage / "notebooks").mkdir()
    for nb in notebooks:
        shutil.copy2(nb, stage / "notebooks" / nb.name)
    return stage


def _pdf(layout: Layout, notebooks: list[Path], mode: str, force: bool, root: Path,
         log: Callable[[str], None]) -> str | None:
    """Typeset the PDF when ``mode`` asks for it and it is stale; return the LaTeX error, if any.

    ``auto``: where TeX is incomplete, say which Debian packages would add the PDF and go on (the HTML is
    built either way). ``on``: an incomplete TeX is an error.
    """
    from aibook import pdf as P

    if mode == "off":
        return None
    try:
        P.check_tex()
    except P.TexIncomplete as exc:
        if mode == "on":
            raise BuildError(str(exc)) from None
        log(f"  note: PDF edition skipped — {exc}")
        return None
    key = render_key(notebooks, root)
    stamp = layout.pdf.with_name(".pdf-key")
    if not force and layout.pdf.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == key:
        log(f"  = pdf: up to date ({_rel(layout.pdf)})")
        return None
    stage = _stage(layout, notebooks, root)
    try:
        P.typeset(stage, layout.pdf.parent, layout.fonts, jupyter_book_cmd(), log)
        stamp.write_text(key, encoding="utf-8")
    except RuntimeError as exc:
        return str(exc)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return None


def swap(new: Path, target: Path) -> None:
    """Replace directory ``target`` by ``new``; ``recover`` completes it if interrupted in between."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


# ------------------------------------------------------------------------------------------- the build
def chapter_notebooks(root: Path = paths.ROOT) -> list[Path]:
    return sorted((root / "notebooks").glob("*.ipynb"))


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


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The names and defaults of a notebook's ``parameters`` cell (via papermill's inspector)."""
    import papermill as pm

    return {name: spec.get("default") for name, spec in pm.inspect_notebook(str(notebook)).items()}


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


def check_parameters(parameters: Mapping[str, Any], notebooks: list[Path]) -> dict[Path, dict[str, Any]]:
    """Per notebook, the parameters it declares; unknown names or unusable values are a BuildError."""
    declared = {nb: declared_parameters(nb) for nb in notebooks}
    known = set().union(*(set(d) for d in declared.values())) if declared else set()
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise BuildError(f"unknown parameter(s) {unknown}; the notebooks declare: {sorted(known)}")
    if "data_dir" in parameters:
        data_dir = Path(str(parameters["data_dir"])).expanduser()
        if not data_dir.is_absolute():
            raise BuildError(f"data_dir {str(data_dir)!r}: give an absolute path (notebooks run in notebooks/)")
        if not (data_dir / "datapackage.json").is_file():
            raise BuildError(f"data_dir {str(data_dir)!r}: no datapackage.json there (copy data/ and edit it)")
    if "period" in parameters:
        from aibook.periods import periods

        value = parameters["period"]
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise BuildError(f"period {value!r}: expected a string like '2018' or '2019-06'")
        have = periods(parameters.get("data_dir"))
        if str(value) not in have:
            raise BuildError(f"period {str(value)!r}: no data for it; available: {', '.join(have)} "
                             "(drop a release into releases/ to add a month)")
    return {nb: {k: v for k, v in parameters.items() if k in names} for nb, names in declared.items()}


def preflight(parameters: Mapping[str, Any], log: Callable[[str], None] = say) -> None:
    """Validate the whole data package (and every release) before any notebook runs."""
    from aibook.data import DataError, descriptor, load
    from aibook.releases import available_periods, load_release

    data_dir = parameters.get("data_dir")
    problems = []
    try:
        for res in descriptor(data_dir).get("resources", []):
            try:
                load(res["name"], data_dir)
            except DataError as exc:
                problems.append(str(exc))
        for period in available_periods(data_dir):
            try:
                load_release(period, data_dir)
            except DataError as exc:
                problems.append(str(exc))
    except DataError as exc:
        problems.append(str(exc))
    if problems:
        raise BuildError("the data package is invalid — nothing was executed or rendered:\n" + "\n".join(problems))
    log("  ✓ data package valid")


def build(*, parameters: Mapping[str, Any] | None = None, workers: int | None = None, force: bool = False,
          only: Iterable[str] | None = None, layout: Layout | None = None, render_book: bool = True,
          pdf: str = "off", root: Path = paths.ROOT, log: Callable[[str], None] = say) -> Path:
    """Execute what is stale, then render. Raises :class:`BuildError` naming the failing notebook/cell.

    Non-default ``parameters`` build into ``_build/variants/<name>/`` so the default book stays as it is.
    ``pdf``: ``"off"``, ``"auto"`` (typeset where TeX is complete, else say what to install) or ``"on"``.
    The HTML is rendered in every case, also when the PDF fails (which is then a BuildError).
    """
    parameters = dict(parameters or {})
    layout = layout or default_layout(parameters)
    check_writable(layout)
    recover(layout)
    t0 = time.monotonic()
    notebooks = chapter_notebooks(root)
    wanted = set(only or [])
    selected = [nb for nb in notebooks if not wanted or nb.stem in wanted]
    if wanted and not selected:
        raise BuildError(f"no notebook named {sorted(wanted)}; have: {[nb.stem for nb in notebooks]}")
    per_notebook = check_parameters(parameters, notebooks)
    jobs = [Job(nb, per_notebook[nb]) for nb in selected]
    env = environment_digest()
    if force or any(stale_reason(j, layout, job_key(j, env)) for j in jobs):
        preflight(parameters, log)
    log(f"executing {len(jobs)} notebook(s) → {_rel(layout.executed)}")
    results = execute_all(jobs, layout, workers=workers, force=force, log=log)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        lines = [f"{r.job.name} ({_rel(r.job.notebook)}): {r.error}" for r in failed]
        raise BuildError("notebook execution failed — nothing was rendered, the last good book is kept:\n  "
                         + "\n  ".join(lines))
    pdf_error = None
    if render_book:
        executed = [layout.output(Job(nb)) for nb in notebooks]
        missing = [p for p in executed if not p.exists()]
        if missing:
            raise BuildError(f"not executed yet: {[p.stem for p in missing]} (run the build without --only)")
        pdf_error = _pdf(layout, executed, pdf, force, root, log)
        render(layout, executed, root=root, force=force, log=log)
    ran = sum(r.status == "executed" for r in results)
    reused = sum(r.reason == "reused" for r in results)
    log(f"done in {time.monotonic() - t0:.1f} s: {ran} executed, {reused} reused, "
        f"{len(results) - ran - reused} up to date")
    if render_book:
        log(f"the book: {layout.html / 'index.html'}")
        if layout.pdf.is_file() and pdf != "off" and not pdf_error:
            log(f"the PDF: {layout.pdf}")
    if pdf_error:
        raise BuildError(pdf_error)
    return layout.html


def batch(notebook: str, parameter_sets: list[dict[str, Any]], *, workers: int | None = None,
          layout: Layout | None = None, log: Callable[[str], None] = say) -> list[Result]:
    """Execute one notebook for each parameter set, in parallel, into separate outputs; no render.

    Writes ``summary.csv`` (name, parameters, status, seconds, error) next to the executed notebooks.
    """
    import csv

    layout = layout or Layout(paths.BUILD_DIR / "batch", shared=paths.BUILD_DIR)  # reuses what any build ran
    nb = next((p for p in chapter_notebooks() if p.stem == notebook), None)
    if nb is None:
        raise BuildError(f"no notebook named {notebook!r}; have: {[p.stem for p in chapter_notebooks()]}")
    jobs: list[Job] = []
    rejected: dict[str, str] = {}
    for params in parameter_sets:
        if not isinstance(params, dict):
            raise BuildError(f"each parameter set must be a mapping, got {params!r}")
        job = Job(nb, dict(params), name=f"{nb.stem}@{variant_name(params)}")
        jobs.append(job)
        try:
            check_parameters(params, [nb])
        except BuildError as exc:
            rejected[job.name] = str(exc)
    runnable = [j for j in jobs if j.name not in rejected]
    results = {r.job.name: r for r in execute_all(runnable, layout, workers=workers, log=log)}
    for job in jobs:
        if job.name in rejected:
            results[job.name] = Result(job, "failed", error=rejected[job.name])
            log(f"  ✗ {job.name}: rejected — {rejected[job.name]}")
    ordered = [results[j.name] for j in jobs]
    layout.build_dir.mkdir(parents=True, exist_ok=True)
    with open(layout.build_dir / "summary.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "parameters", "status", "seconds", "error", "output"])
        for r in ordered:
            out = _rel(layout.output(r.job)) if r.status != "failed" else ""
            writer.writerow([r.job.name, json.dumps(r.job.parameters, ensure_ascii=False), r.status,
                             f"{r.seconds:.1f}", r.error, out])
    ok = sum(r.status != "failed" for r in ordered)
    log(f"batch: {ok} of {len(ordered)} succeeded; summary: {_rel(layout.build_dir / 'summary.csv')}")
    return ordered
