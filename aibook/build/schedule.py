"""Which notebooks run, and in what order: the stale ones, in parallel, the longest first.

A notebook whose key and recorded inputs are unchanged is left as it is; one whose key and inputs match an
earlier execution in the store is copied from there; the rest execute, each in a worker process of its own.
On a machine with few cores the build takes as long as its longest chain, so the notebooks start in order of
their last run's duration (a clean build: their size), the longest first.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from aibook.build.execute import execute_job
from aibook.build.keys import environment_digest, job_key, stale_reason, store_get
from aibook.build.layout import Job, Layout, Result, say

# Each worker starts a fresh kernel per notebook. Pre-warming (starting the kernel for a worker's next notebook
# while the current one runs) was measured and removed: a clean build of the 8 notebooks on 2 cores took
# 27.9 s on average with it and 28.4 s without (4 runs each, 21–37 s per run on a shared machine): under 2 %,
# below the 10 % that would pay for spare kernels and their shutdown. Numbers: benchmarks/results/prewarm-2026-11-30.json.


def expected_seconds(job: Job, layout: Layout) -> float:
    """How long ``job`` should take: its last run's duration, else a guess from the notebook's size."""
    try:
        return float(json.loads(layout.record(job).read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError):
        return job.notebook.stat().st_size / 100_000  # a clean build: bigger notebooks tend to run longer


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
        todo.sort(key=lambda j: expected_seconds(j, layout), reverse=True)
        workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(execute_job, job, layout, keys[job.name]): job for job in todo}
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
