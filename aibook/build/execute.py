"""Executing one notebook: a kernel of its own, papermill, and the checks an executed chapter must pass.

Each notebook runs in a fresh kernel that talks over IPC sockets in a private folder (parallel kernels
never race for TCP ports or socket names) and logs the data files it reads to its own file; those reads
become the notebook's recorded inputs (:mod:`aibook.build.keys`). An executed notebook is kept only when it
ran clean: no exception, nothing on stderr (a warning would be printed into the book, a missing glyph means
Chinese drawn as boxes) and no stray bare value shown to the reader. The output is written beside its final
name and renamed into place, so a killed build leaves at most a ``.partial`` file that ``recover`` removes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from aibook.build.keys import atomic_write, store_put
from aibook.build.layout import Job, Layout, Result, rel

MISSING_GLYPH = "missing from font"


# ------------------------------------------------------------------------------- checks of an executed notebook
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


def _rejected(nb: nbformat.NotebookNode) -> str | None:
    """Why an executed notebook may not go into the book, or ``None``."""
    noise = stderr_outputs(nb)
    if noise:
        what = ("missing glyphs: Chinese drawn without the CJK font" if any(MISSING_GLYPH in n for n in noise)
                else "the notebook wrote to stderr (warnings are not allowed in the book)")
        return f"{what}: " + "; ".join(noise[:3])
    stray = bare_values(nb)
    if stray:
        return "a reader-facing cell shows a stray value: " + "; ".join(stray[:3])
    return None


# ------------------------------------------------------------------------------------------------ kernels
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


def _start_kernel(kernel_name: str, cwd: Path, log_dir: Path) -> _Kernel:
    """Start a kernel whose data reads go to its own log file, over IPC sockets in a private folder."""
    from jupyter_client.manager import KernelManager

    fd, log = tempfile.mkstemp(prefix=".kernel-", suffix=".inputs.jsonl", dir=log_dir)
    os.close(fd)
    sockets = tempfile.mkdtemp(prefix="aibook-kernel-")
    if os.name == "posix":
        # jupyter_client's default IPC path is ``kernel-ipc-N`` in the working directory, with N counted up
        # from 1: two kernels started at once in the same folder would take the same sockets
        km = KernelManager(kernel_name=kernel_name, transport="ipc", ip=str(Path(sockets) / "kernel"))
    else:  # pragma: no cover - Windows has no IPC transport
        km = KernelManager(kernel_name=kernel_name)
    km.start_kernel(cwd=str(cwd), env={**os.environ, "AIBOOK_INPUT_LOG": log})
    return _Kernel(km, log, sockets)


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


# ---------------------------------------------------------------------------------------------- one notebook
def execute_job(job: Job, layout: Layout, key: str, kernel_name: str = "python3") -> Result:
    """Execute one notebook with papermill (runs in a worker process); record its inputs and store it."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    layout.executed.mkdir(parents=True, exist_ok=True)
    layout.cache.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    tmp_out = layout.executed / f".{job.name}.{os.getpid()}.partial.ipynb"
    cwd = job.notebook.parent
    kernel = _start_kernel(kernel_name, cwd, layout.cache)
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
    why = _rejected(nb)
    if why:
        tmp_out.unlink(missing_ok=True)
        return Result(job, "failed", time.monotonic() - start, error=why)
    _tag_injected(nb)
    nbformat.write(nb, tmp_out)
    os.replace(tmp_out, layout.output(job))
    record = {"key": key, "notebook": rel(job.notebook), "parameters": job.parameters, "inputs": inputs,
              "listings": listings, "seconds": round(time.monotonic() - start, 2)}
    atomic_write(layout.record(job), json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True))
    store_put(layout, job, record)
    return Result(job, "executed", time.monotonic() - start)
