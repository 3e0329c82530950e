"""Build benchmarks (run with `make bench`; not a timed test).

``python benchmarks/bench_build.py noop [--runs N] [--record]`` measures only the no-op build as a user meets it:
``python -m aibook build`` from the shell, after one full build into ``$AIBOOK_BUILD_DIR`` (default: a scratch
folder), the median of N runs (default 7), beside the same no-op through the full build (``aibook.build.build``,
which imports pandas, papermill and nbformat and reads every notebook), the interpreter's own start-up, the load
average and the import-time breakdown of both. Target: the median <= 0.5 s. ``--record`` writes it to
``benchmarks/results/noop-build-<date>.json``.

Without arguments, measures, on the same notebooks, in one run:

  (a) clean build: papermill executes every chapter in parallel, Jupyter Book renders;
  (b) no-op rebuild: nothing changed, so nothing may execute or render;
  (c) rebuild after one data file changed: only the notebooks that read that file re-execute;
  (d) baseline: `jupyter-book build` with `execute_notebooks: force` (Jupyter Book executes serially);
  (e) baseline: `jupyter-book build` with `execute_notebooks: cache` (jupyter-cache): first build, then a
      rebuild with nothing changed;
  (f) the variant `period=2019-06` after the default build: only the notebooks that declare `period` run.

Targets: (a) <= 0.6 x (d); (b) executes 0 notebooks and takes <= 0.1 x (a); (c) re-executes exactly the
readers of the changed file; (f) executes exactly the notebooks that declare `period`.
Also reports the peak resident memory of the build's child processes.
Results are printed and written to _build/bench/results.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from aibook import build as B
from aibook.paths import BUILD_DIR, DATA_DIR, ROOT

CHANGED = "tables/table08_talent_city_shares.csv"


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def baseline(work: Path, mode: str = "force", runs: int = 1) -> list[float]:
    """Jupyter Book alone, executing the notebooks itself (``execute_notebooks: force`` or ``cache``)."""
    stage = work / f"jb-{mode}"
    stage.mkdir()
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": mode, "timeout": 600}
    (stage / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    shutil.copy2(ROOT / "_toc.yml", stage / "_toc.yml")
    shutil.copytree(ROOT / "book", stage / "book")
    shutil.copytree(ROOT / "notebooks", stage / "notebooks")
    shutil.copytree(DATA_DIR, stage / "data")  # the notebooks' default data_dir is ../data
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*B.jupyter_book_cmd(), "build", str(stage), "--path-output", str(stage)],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="aibook-bench-"))
    try:
        data = work / "data"
        shutil.copytree(DATA_DIR, data)
        layout = B.Layout(work / "build")
        logs: list[str] = []
        params = {"data_dir": str(data)}

        def run():
            logs.clear()
            B.build(parameters=params, layout=layout, log=logs.append)
            return [m.split(":")[0].split()[-1] for m in logs if "executed in" in m]

        t_clean, ran_clean = timed(run)
        t_noop, ran_noop = timed(run)
        f = data / CHANGED
        f.write_text(f.read_text(encoding="utf-8").replace("其它,能源与环保,59.70", "其它,能源与环保,59.7"),
                     encoding="utf-8")
        readers = sorted(p.stem for p in layout.cache.glob("*.json")
                         if any(k.endswith(CHANGED) for k in json.loads(p.read_text())["inputs"]))
        t_change, ran_change = timed(run)

        period_readers = sorted(nb.stem for nb in B.book_notebooks() if "period" in B.declared_parameters(nb))
        variant = B.Layout(work / "variant", shared=layout.build_dir)

        def run_variant():
            logs.clear()
            B.build(parameters={**params, "period": "2019-06"}, layout=variant, log=logs.append)
            return [m.split(":")[0].split()[-1] for m in logs if "executed in" in m]

        t_variant, ran_variant = timed(run_variant)
        (t_base,) = baseline(work, "force")
        t_cache_first, t_cache_noop = baseline(work, "cache", runs=2)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        results = {
            "notebooks": len(B.book_notebooks()),
            "a_clean_build_s": round(t_clean, 2),
            "a_executed": len(ran_clean),
            "b_noop_s": round(t_noop, 2),
            "b_executed": len(ran_noop),
            "c_changed_file": CHANGED,
            "c_change_s": round(t_change, 2),
            "c_executed": sorted(ran_change),
            "c_readers_of_file": readers,
            "d_jupyter_book_force_s": round(t_base, 2),
            "e_jupyter_book_cache_first_s": round(t_cache_first, 2),
            "e_jupyter_book_cache_noop_s": round(t_cache_noop, 2),
            "f_variant_period_2019_06_s": round(t_variant, 2),
            "f_executed": sorted(ran_variant),
            "f_notebooks_declaring_period": period_readers,
            "ratio_a_over_d": round(t_clean / t_base, 3),
            "ratio_a_over_e_first": round(t_clean / t_cache_first, 3),
            "ratio_b_over_a": round(t_noop / t_clean, 3),
            "peak_child_rss_mb": round(peak_mb, 1),
            "targets_met": {
                "a<=0.6d": t_clean <= 0.6 * t_base,
                "b executes 0 and <=0.1a": not ran_noop and t_noop <= 0.1 * t_clean,
                "c only readers": sorted(ran_change) == readers,
                "f only period notebooks": sorted(ran_variant) == period_readers,
            },
        }
        out = BUILD_DIR / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0 if all(results["targets_met"].values()) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------ the no-op build alone
FAST = "nothing changed since the last build"  # what the no-op build prints when the saved state answered
FULL_NOOP = "from aibook.build import build; build(log=lambda _m: None)"


def _run(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def import_breakdown(stderr: str, top: int = 8) -> dict[str, float]:
    """The slowest top-level imports of a ``-X importtime`` run: module → cumulative seconds."""
    found: dict[str, float] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:"):].split("|")
        if not name.startswith("  ") and name.strip():  # not nested in another import
            found[name.strip()] = int(cumulative) / 1e6
    return {k: round(v, 3) for k, v in sorted(found.items(), key=lambda kv: -kv[1])[:top]}


#: the stages of the full build's no-op, as cProfile names them (file:function)
STAGES = ("pipeline.py:build", "params.py:check_parameters", "inspection.py:inspect_notebook", "keys.py:job_key",
          "deps.py:module_closure", "deps.py:notebook_cells", "pairing.py:out_of_sync", "schedule.py:execute_all",
          "keys.py:stale_reason", "ledger.py:build_ledger", "editions.py:edition_pages", "render.py:render",
          "render.py:render_key", "noop.py:snapshot", "noop.py:save")


def full_path_profile(env: dict[str, str]) -> dict[str, object]:
    """Where the full build's no-op spends its time: cProfile's cumulative seconds of each stage, and the imports."""
    import pstats

    with tempfile.TemporaryDirectory() as tmp:
        script, out = Path(tmp) / "noop.py", Path(tmp) / "noop.prof"
        script.write_text(FULL_NOOP.replace("; ", "\n") + "\n", encoding="utf-8")
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), str(script)], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    total = max(v[3] for v in stats.values())
    stages = {}
    for (filename, _line, function), v in stats.items():
        name = f"{Path(filename).name}:{function}"
        if name in STAGES:
            stages[name] = {"calls": v[1], "cumulative_s": round(v[3], 3)}
    # the import machinery is recursive: cProfile's cumulative time counts its outermost calls only
    imports = max((v[3] for (_f, _l, fn), v in stats.items() if fn == "_find_and_load"), default=0.0)
    return {"total_s": round(total, 3), "imports_s": round(imports, 3),
            "stages": dict(sorted(stages.items(), key=lambda kv: -kv[1]["cumulative_s"])),  # type: ignore[index]
            "note": "under cProfile (slower than a plain run); a stage's cumulative seconds include what it imports"}


def noop_bench(build_dir: Path, runs: int = 7) -> dict[str, object]:
    """The no-op build from the shell (median of ``runs``), with what it is compared to."""
    env = {**os.environ, "AIBOOK_BUILD_DIR": str(build_dir)}
    cli = [sys.executable, "-m", "aibook", "build"]
    first, proc = _run(cli, env)  # a full build, or a no-op if the folder holds a current one
    if proc.returncode:
        raise SystemExit(f"the build failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    times, fast = [], []
    for _ in range(runs):
        seconds, proc = _run(cli, env)
        times.append(seconds)
        fast.append(FAST in proc.stdout)
    full = [_run([sys.executable, "-c", FULL_NOOP], env)[0] for _ in range(3)]
    start_up = [_run([sys.executable, "-c", "pass"], env)[0] for _ in range(runs)]
    _, traced = _run([sys.executable, "-X", "importtime", *cli[1:]], env)
    _, traced_full = _run([sys.executable, "-X", "importtime", "-c", FULL_NOOP], env)
    median = statistics.median(times)
    return {
        "date": datetime.date.today().isoformat(),
        "command": "python -m aibook build (nothing changed)",
        "runs": runs,
        "noop_median_s": round(median, 3),
        "noop_runs_s": [round(t, 3) for t in times],
        "noop_answered_from_saved_state": all(fast),
        "full_path_noop_median_s": round(statistics.median(full), 3),
        "python_start_up_median_s": round(statistics.median(start_up), 3),
        "first_build_s": round(first, 1),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "imports_noop_s": import_breakdown(traced.stderr),
        "imports_full_path_noop_s": import_breakdown(traced_full.stderr),
        "profile_full_path_noop": full_path_profile(env),
        "target_met": {"noop median <= 0.5 s": median <= 0.5, "answered from the saved state": all(fast)},
    }


def noop_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_build.py noop")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--record", action="store_true", help="write benchmarks/results/noop-build-<date>.json")
    args = parser.parse_args(argv)
    folder = os.environ.get("AIBOOK_BUILD_DIR")
    build_dir = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="aibook-bench-noop-"))
    results = noop_bench(build_dir, max(5, args.runs))
    text = json.dumps(results, ensure_ascii=False, indent=2)
    out = ROOT / "benchmarks" / "results" / f"noop-build-{results['date']}.json" if args.record \
        else BUILD_DIR / "bench" / "noop.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")  # before printing: a closed pipe must not lose the record
    print(text)
    return 0 if all(results["target_met"].values()) else 1  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(noop_main(sys.argv[2:]) if sys.argv[1:2] == ["noop"] else main())
