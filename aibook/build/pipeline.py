"""The orchestration of a build (:func:`build`) and of a batch (:func:`batch`); see :mod:`aibook.build`."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from aibook import paths
from aibook.build import noop
from aibook.build.editions import edition_pages, report_changes
from aibook.build.keys import environment_digest, job_key, stale_reason
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
from aibook.build.params import check_parameters, preflight, validated_once
from aibook.build.render import recover, render, render_key, render_pdf
from aibook.build.schedule import execute_all
from aibook.ledger import build_ledger
from aibook.pairing import out_of_sync


def build(*, parameters: Mapping[str, Any] | None = None, workers: int | None = None, force: bool = False,
          only: Iterable[str] | None = None, layout: Layout | None = None, render_book: bool = True,
          pdf: str = "off", root: Path = paths.ROOT, log: Callable[[str], None] = say,
          from_reference: bool = False) -> Path:
    """Execute what is stale, then render. Raises :class:`BuildError` naming the failing notebook/cell.

    Non-default ``parameters`` build into ``_build/variants/<name>/`` so the default book stays as it is.
    ``pdf``: ``"off"``, ``"auto"`` (typeset where TeX is complete, else say what to install) or ``"on"``.
    The HTML is rendered in every case, also when the PDF fails (which is then a BuildError).
    ``from_reference``: render the committed outputs of ``notebooks/`` (what ``make reference`` wrote, which nbval
    checks against a re-execution) instead of executing — the default edition only; nothing is cached as executed.
    """
    parameters = dict(parameters or {})
    layout = layout or default_layout(parameters)
    check_writable(layout)
    noop.forget(layout.build_dir)  # until this build succeeds, nothing is known to be up to date
    recover(layout)
    t0 = time.monotonic()
    # what the build reads before it executes, recorded before it reads it (the no-op build's saved state)
    before = noop.snapshot(*noop.sources(root)) if render_book and layout.shared is None else None
    notebooks = book_notebooks(root)
    wanted = set(only or [])
    selected = [nb for nb in notebooks if not wanted or nb.stem in wanted]
    if wanted and not selected:
        raise BuildError(f"no notebook named {sorted(wanted)}; have: {[nb.stem for nb in notebooks]}")
    per_notebook = check_parameters(parameters, notebooks)
    unsynced = out_of_sync(root / "notebooks", verified=layout.cache / "pairs-in-sync.json")
    if unsynced:
        raise BuildError("a chapter and its text file disagree — run `make sync` (jupytext --sync) first, so that the "
                         "book shows what the text says:\n  " + "\n  ".join(unsynced))
    jobs = [Job(nb, per_notebook[nb]) for nb in selected]
    if from_reference:
        if parameters or only:
            raise BuildError("the committed outputs are the default edition's, whole: no parameters and no --only")
        before = None  # nothing executed here is known to be up to date for a later build
        results: list[Result] = []
        for job in jobs:
            out = layout.output(job)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(job.notebook.read_bytes())
        log(f"the committed outputs of {len(jobs)} notebook(s) → {rel(layout.executed)} (not executed)")
    else:
        results = _execute(jobs, layout, workers, force, parameters, log)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        lines = [f"{r.job.name} ({rel(r.job.notebook)}): {r.error}" for r in failed]
        raise BuildError("notebook execution failed — nothing was rendered, the last good book is kept:\n  "
                         + "\n  ".join(lines))
    pdf_error = None
    if render_book:
        executed = [layout.output(Job(nb)) for nb in notebooks]
        missing = [p for p in executed if not p.exists()]
        if missing:
            raise BuildError(f"not executed yet: {[p.stem for p in missing]} (run the build without --only)")
        ledger = build_ledger(executed)
        pages = edition_pages(layout, parameters, ledger, notebooks, root, log)
        pdf_error = render_pdf(layout, executed, pdf, force, root, log, pages=pages)
        if render(layout, executed, root=root, force=force, log=log, pages=pages, ledger=ledger,
                  parameters=parameters, data_dir=paths.resolve_data_dir(parameters.get("data_dir"))):
            report_changes(layout, ledger, log)
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
    if before is not None:
        stamp = layout.pdf.with_name(".pdf-key")
        pdf_current = pdf != "off" and layout.pdf.is_file() and stamp.is_file() \
            and stamp.read_text(encoding="utf-8") == render_key(executed, root)
        noop.save(layout, noop.invocation(root, parameters, pdf), before, [Job(nb).name for nb in notebooks],
                  extra=[stamp], pdf_current=pdf_current)
    return layout.html


def _execute(jobs: list[Job], layout: Layout, workers: int | None, force: bool, parameters: Mapping[str, Any],
             log: Callable[[str], None]) -> list[Result]:
    """Execute the stale notebooks of ``jobs`` (each data file validated once)."""
    env = environment_digest()
    with validated_once(layout):
        if force or any(stale_reason(j, layout, job_key(j, env)) for j in jobs):
            preflight(parameters, log)
        log(f"executing {len(jobs)} notebook(s) → {rel(layout.executed)}")
        return execute_all(jobs, layout, workers=workers, force=force, log=log)


def batch(notebook: str, parameter_sets: list[dict[str, Any]], *, workers: int | None = None,
          layout: Layout | None = None, log: Callable[[str], None] = say) -> list[Result]:
    """Execute one notebook for each parameter set, in parallel, into separate outputs; no render.

    Writes ``summary.csv`` (name, parameters, status, seconds, error) next to the executed notebooks.
    """
    layout = layout or batch_layout()
    nb = next((p for p in book_notebooks() if p.stem == notebook), None)
    if nb is None:
        raise BuildError(f"no notebook named {notebook!r}; have: {[p.stem for p in book_notebooks()]}")
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
    with validated_once(layout):
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
            out = rel(layout.output(r.job)) if r.status != "failed" else ""
            writer.writerow([r.job.name, json.dumps(r.job.parameters, ensure_ascii=False), r.status,
                             f"{r.seconds:.1f}", r.error, out])
    ok = sum(r.status != "failed" for r in ordered)
    log(f"batch: {ok} of {len(ordered)} succeeded; summary: {rel(layout.build_dir / 'summary.csv')}")
    return ordered
