"""When a notebook must run again: its key, the inputs it read, and the store of earlier executions.

A notebook's key covers what it *does* (its cells and tags), its parameters, the pinned environment
(Python version, ``requirements.txt``, ``pyproject.toml``) and the sources of the ``aibook`` modules it
imports, directly or through other modules (:mod:`aibook.build.deps`) — not the whole package, so that
editing a helper re-executes only the chapters that use it. The data files and folders a run actually
read are recorded next to the key (one SHA-256 each) and checked on the next build.

Every execution is also kept in a store under its key and inputs, which the default build, its variants
and batches share: a build whose key and inputs match an earlier run copies that run instead of executing.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aibook import paths
from aibook.build.deps import PACKAGE_DIR, module_closure, notebook_cells
from aibook.build.layout import Job, Layout, rel
from aibook.build.noop import ENV_FILES as ENV_FILES  # its home is the no-op state (workshop reads it here)
from aibook.build.noop import sha256_file as sha256_file  # in the light module, which must not import this one
from aibook.data import listing_digest


def notebook_digest(path: Path) -> str:
    """Hash of what a notebook *does*: cell types, sources and tags (not outputs, counts or timings)."""
    cells = notebook_cells(path)
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()


def environment_digest(root: Path = paths.ROOT) -> str:
    """Hash of the Python version and the pinned requirements (the package's sources are per notebook)."""
    h = hashlib.sha256(platform.python_version().encode())
    for name in ENV_FILES:
        p = root / name
        if p.exists():
            h.update(name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def sources_digest(files: list[Path], package_dir: Path = PACKAGE_DIR) -> str:
    """Hash of the package files ``files`` (names relative to the package, and contents)."""
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.relative_to(package_dir).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def package_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """Hash of every source file of the package (what the rendered book and the PDF may depend on)."""
    return sources_digest(sorted(package_dir.rglob("*.py")), package_dir)


def job_key(job: Job, env_digest: str, package_dir: Path | None = None) -> str:
    """The key of ``job``: its notebook, parameters, environment and the modules the notebook imports.

    ``package_dir`` is the package whose modules count (default: this ``aibook``, :data:`PACKAGE_DIR`).
    """
    package_dir = package_dir or PACKAGE_DIR
    payload = {
        "notebook": notebook_digest(job.notebook),
        "parameters": job.parameters,
        "environment": env_digest,
        "modules": sources_digest(module_closure(job.notebook, package_dir), package_dir),
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
            return f"input changed: {rel(p)}"
    for folder, digest in sorted(rec.get("listings", {}).items()):
        if listing_digest(Path(folder)) != digest:
            return f"folder contents changed: {rel(Path(folder))}"
    return None


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader never sees half of it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _record_text(rec: Mapping[str, Any]) -> str:
    return json.dumps(rec, ensure_ascii=False, indent=1, sort_keys=True)


def _copy_in(src: Path, dest: Path, tmp: Path) -> None:
    shutil.copy2(src, tmp)
    os.replace(tmp, dest)


# ------------------------------------------------------------------------------------- the shared store
def _store_name(key: str, rec: Mapping[str, Any]) -> str:
    reads = json.dumps([rec.get("inputs", {}), rec.get("listings", {})], sort_keys=True)
    return f"{key[:20]}-{hashlib.sha256(reads.encode()).hexdigest()[:12]}"


def store_put(layout: Layout, job: Job, rec: Mapping[str, Any], keep: int = 3) -> None:
    """Keep a copy of an executed notebook under its key and inputs (the newest ``keep`` per key)."""
    layout.store.mkdir(parents=True, exist_ok=True)
    name = _store_name(rec["key"], rec)
    _copy_in(layout.output(job), layout.store / f"{name}.ipynb", layout.store / f".{name}.{os.getpid()}.tmp")
    atomic_write(layout.store / f"{name}.json", _record_text(rec))
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
        _copy_in(stored, layout.output(job), layout.executed / f".{job.name}.{os.getpid()}.partial.ipynb")
        atomic_write(layout.record(job), _record_text(rec))
        return True
    return False
