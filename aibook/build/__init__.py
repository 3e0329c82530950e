"""The build: papermill executes the chapter notebooks in parallel, Jupyter Book renders what it executed.

* A notebook re-executes only when its cells, its parameters, the ``aibook`` modules it imports, the pinned
  environment or a data file it actually read (recorded by :mod:`aibook.data`, one SHA-256 per input)
  changed (:mod:`.keys`, :mod:`.deps`).
* Each notebook runs in its own worker process with its own kernel over IPC sockets (no TCP port races)
  (:mod:`.execute`, :mod:`.schedule`).
* A notebook that fails is never rendered: the build stops, names the notebook and the failing cell.
* Jupyter Book renders in a staging directory with ``execute_notebooks: 'off'``; the new HTML replaces
  the last good book only when the whole build succeeded (:mod:`.render`, :mod:`.swap`).
* Every book carries its ledger (every number it shows, :mod:`aibook.ledger`); a variant gets a page of the
  numbers that differ from the default edition, and a rebuild says which numbers moved (:mod:`.editions`).
* A build with nothing to do is decided from a small saved state, without importing any of the above
  (:mod:`.noop`).

The orchestration (:func:`build`, :func:`batch`) is in :mod:`.pipeline`. This module is the package's public
face: everything the command line, the tests and the benchmarks use is importable from ``aibook.build``, and
loaded on first use (PEP 562), so that importing :mod:`aibook.build.noop` costs no pandas, papermill or nbformat.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aibook import paths  # noqa: F401 (aibook.build.paths, as before)
    from aibook.build.deps import PACKAGE_DIR, module_closure
    from aibook.build.execute import MISSING_GLYPH, bare_values, execute_job, stderr_outputs
    from aibook.build.keys import (
        ENV_FILES,
        atomic_write,
        environment_digest,
        inputs_changed,
        job_key,
        notebook_digest,
        package_digest,
        sha256_file,
        stale_reason,
        store_get,
        store_put,
    )
    from aibook.build.layout import (
        BuildError,
        Job,
        Layout,
        Result,
        batch_layout,
        book_notebooks,
        check_writable,
        default_layout,
        rel,
        say,
        variant_name,
    )
    from aibook.build.params import check_parameters, declared_parameters, preflight, validated_once
    from aibook.build.pipeline import batch, build
    from aibook.build.render import (
        BOOK_FILES,
        RENDER_STAMP,
        jupyter_book_cmd,
        recover,
        render_key,
        render_pdf,
    )
    from aibook.build.schedule import execute_all, expected_seconds

# ``swap`` is both a module and a function of this package: importing the (light) module here, before anything else
# can, makes ``aibook.build.swap`` the function, as it always was. (``aibook.build.render`` is the module.)
from aibook.build.swap import recover_swap, swap  # noqa: E402

#: where each public name lives (module of this package, or ``aibook.paths``)
_HOMES = {
    "deps": ("PACKAGE_DIR", "module_closure"),
    "execute": ("MISSING_GLYPH", "bare_values", "execute_job", "stderr_outputs"),
    "keys": ("ENV_FILES", "atomic_write", "environment_digest", "inputs_changed", "job_key", "notebook_digest",
             "package_digest", "sha256_file", "stale_reason", "store_get", "store_put"),
    "layout": ("BuildError", "Job", "Layout", "Result", "batch_layout", "book_notebooks", "check_writable",
               "default_layout", "rel", "say", "variant_name"),
    "params": ("check_parameters", "declared_parameters", "preflight", "validated_once"),
    "pipeline": ("batch", "build"),
    "render": ("BOOK_FILES", "RENDER_STAMP", "jupyter_book_cmd", "recover", "render_key", "render_pdf"),
    "schedule": ("execute_all", "expected_seconds"),
}
_WHERE = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "BOOK_FILES", "ENV_FILES", "MISSING_GLYPH", "PACKAGE_DIR", "RENDER_STAMP", "BuildError", "Job", "Layout",
    "Result", "atomic_write", "bare_values", "batch", "batch_layout", "book_notebooks", "build", "check_parameters",
    "check_writable", "declared_parameters", "default_layout", "environment_digest", "execute_all", "execute_job",
    "expected_seconds", "inputs_changed", "job_key", "jupyter_book_cmd", "module_closure", "notebook_digest",
    "package_digest", "preflight", "recover", "recover_swap", "rel", "render_key", "render_pdf", "say", "sha256_file",
    "stale_reason", "stderr_outputs", "store_get", "store_put", "swap", "validated_once", "variant_name",
]


def __getattr__(name: str) -> Any:
    if name == "paths":
        return import_module("aibook.paths")
    if name not in _WHERE:
        raise AttributeError(f"module 'aibook.build' has no attribute {name!r}")
    value = getattr(import_module(f"aibook.build.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
