"""Command line: ``python -m aibook build|pdf|workshop|grade|batch|reference|record|validate|test|diff|inputs``
(what ``make`` calls).

Each command imports what it needs when it runs: a build with nothing to do is answered from the saved state of
the last build (:mod:`aibook.build.noop`) with nothing imported but ``click`` and the standard library.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from aibook import paths


def _parse_params(pairs: tuple[str, ...], params_file: str | None) -> dict[str, Any]:
    import yaml

    params: dict[str, Any] = {}
    if params_file:
        loaded = yaml.safe_load(Path(params_file).read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise click.BadParameter(f"{params_file}: expected a mapping of parameter names to values")
        params.update(loaded)
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r}: expected KEY=VALUE", param_hint="--param")
        key, value = pair.split("=", 1)
        params[key.strip()] = yaml.safe_load(value)  # 2019 → int, "a b" → str, true → bool
    return params


@click.group()
def main() -> None:
    """Build and test the reproducible edition of the 2019 Shanghai AI × real-economy report."""


@main.command()
@click.option("--param", "-p", "pairs", multiple=True, metavar="KEY=VALUE", help="Notebook parameter (repeatable).")
@click.option("--params-file", type=click.Path(exists=True, dir_okay=False), help="YAML file of parameters.")
@click.option("--jobs", "-j", type=int, default=None, help="Parallel notebooks (default: number of cores).")
@click.option("--force", is_flag=True, help="Execute and render everything, ignoring the cache.")
@click.option("--only", multiple=True, metavar="NOTEBOOK", help="Execute only this notebook (stem); no render.")
@click.option("--pdf", "pdf_mode", type=click.Choice(["off", "auto", "on"]), default="off", show_default=True,
              help="The PDF edition: auto = where TeX is complete (else say what to install), on = required.")
@click.option("--book-root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=paths.ROOT,
              help="Folder of the book (_config.yml, _toc.yml, book/, notebooks/); default: this project.")
@click.option("--from-reference", is_flag=True,
              help="Render the committed outputs of notebooks/ without executing (the default edition; the test "
                   "suite's book, whose re-execution nbval checks in the same run).")
def build(
    pairs: tuple[str, ...], params_file: str | None, jobs: int | None, force: bool, only: tuple[str, ...],
    pdf_mode: str, book_root: Path, from_reference: bool,
) -> None:
    """Execute stale chapter notebooks with papermill, then render the book with Jupyter Book."""
    if from_reference:
        _run_build(_parse_params(pairs, params_file), workers=jobs, force=force, only=only, pdf=pdf_mode,
                   root=book_root.resolve(), from_reference=True)
        return
    if not (pairs or params_file or force or only):
        from aibook.build import noop

        how = noop.invocation(book_root.resolve(), {}, pdf_mode)
        if noop.fast_build(paths.BUILD_DIR, how, log=lambda msg: print(msg, flush=True)):
            return
    _run_build(_parse_params(pairs, params_file), workers=jobs, force=force, only=only, pdf=pdf_mode,
               root=book_root.resolve())


def _run_build(params: dict[str, Any], **kwargs: Any) -> None:
    from aibook.build import BuildError
    from aibook.build import build as run_build

    if "data_dir" in params:  # relative to where the command runs, not to notebooks/
        params["data_dir"] = str(Path(str(params["data_dir"])).expanduser().resolve())
    try:
        run_build(parameters=params, render_book=not kwargs.get("only"), **kwargs)
    except BuildError as exc:
        click.secho(f"BUILD FAILED: {exc}", fg="red", err=True)
        sys.exit(1)
    except OSError as exc:  # disk full, permissions …: say what and where, not a traceback
        click.secho(f"BUILD FAILED: {exc.strerror or exc} ({exc.filename or ''}); the last good book is kept",
                    fg="red", err=True)
        sys.exit(1)


@main.command()
@click.option("--param", "-p", "pairs", multiple=True, metavar="KEY=VALUE", help="Notebook parameter (repeatable).")
@click.option("--params-file", type=click.Path(exists=True, dir_okay=False), help="YAML file of parameters.")
@click.option("--force", is_flag=True, help="Execute, render and typeset even if nothing changed.")
def pdf(pairs: tuple[str, ...], params_file: str | None, force: bool) -> None:
    """The book with its PDF edition (xelatex + xeCJK); fails, naming the packages, where TeX is incomplete."""
    _run_build(_parse_params(pairs, params_file), force=force, pdf="on")


@main.command()
@click.option("--dest", type=click.Path(file_okay=False), default=None, help="Folder to write (default: workshop/).")
def workshop(dest: str | None) -> None:
    """Write the student folder: notebooks without solutions, the data, the package and a setup sheet."""
    from aibook.workshop import build_workshop

    out = build_workshop(Path(dest) if dest else None)
    click.echo(f"the student folder: {out}")


@main.command("batch")
@click.argument("notebook")
@click.option("--params-file", type=click.Path(exists=True, dir_okay=False), required=True,
              help="YAML list of parameter mappings, one per run.")
@click.option("--jobs", "-j", type=int, default=None, help="Parallel runs (default: number of cores).")
def batch_cmd(notebook: str, params_file: str, jobs: int | None) -> None:
    """Execute NOTEBOOK once per parameter set (in parallel) into _build/batch/, with a summary."""
    import yaml

    from aibook.build import BuildError, batch

    sets = yaml.safe_load(Path(params_file).read_text(encoding="utf-8"))
    if not isinstance(sets, list):
        raise click.BadParameter(f"{params_file}: expected a YAML list of parameter mappings")
    try:
        results = batch(notebook, sets, workers=jobs)
    except BuildError as exc:
        click.secho(f"BATCH FAILED: {exc}", fg="red", err=True)
        sys.exit(1)
    click.echo(f"{'name':<48} {'status':<9} {'seconds':>7}  error")
    for r in results:
        click.echo(f"{r.job.name:<48} {r.status:<9} {r.seconds:>7.1f}  {r.error}")
    sys.exit(0 if all(r.status != "failed" for r in results) else 1)


@main.command()
@click.option("--only", multiple=True, metavar="NOTEBOOK")
def reference(only: tuple[str, ...]) -> None:
    """Re-execute the notebooks with default parameters and store their outputs as nbval references."""
    from aibook.reference import regenerate

    for nb in regenerate(only):
        click.echo(f"reference outputs updated: {nb}")


@main.command()
@click.option("--data-dir", type=click.Path(), default=None, help="Data package directory (default: data/).")
def validate(data_dir: str | None) -> None:
    """Validate every resource of the data package; print each problem with file, line and column."""
    from aibook.data import DataError, descriptor, load

    failures = 0
    for res in descriptor(data_dir).get("resources", []):
        try:
            load(res["name"], data_dir)
            click.echo(f"ok      {res['name']}")
        except DataError as exc:
            failures += 1
            click.secho(f"INVALID {res['name']}\n{exc}", fg="red", err=True)
    sys.exit(1 if failures else 0)


#: nbval over the chapter notebooks: re-execute each and compare with the committed outputs
NBVAL = ["--nbval", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "--nbval-current-env"]
#: every core (pytest-xdist); a notebook's cells stay together in one worker (the scheduler of tests/conftest.py)
PARALLEL = ["-n", "auto"]


def pytest_command(args: list[str], fast: bool) -> list[str]:
    """The pytest command of ``aibook test``: the layer(s) over the default paths on every core — or over the paths
    ``args`` name (``tests/test_x.py::name``) in one process, unless ``args`` set the workers (``-n 2``)."""
    named = any(Path(a.split("::", 1)[0]).exists() for a in args if not a.startswith("-"))
    chosen = any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args)
    workers = [] if chosen or named else PARALLEL
    layer = ["-m", "unit"] if fast else NBVAL
    paths = [] if named else (["tests"] if fast else ["tests", "notebooks"])
    return [sys.executable, "-m", "pytest", *layer, *workers, *args, *paths]


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--fast", is_flag=True, help="Only the unit layer: the package and the data, no notebook executes.")
@click.pass_context
def test(ctx: click.Context, fast: bool) -> None:
    """Run the test suite: all three layers (unit; book: nbval against the committed outputs, builds; browser
    and PDF), or with --fast the unit layer only. Extra arguments go to pytest."""
    import subprocess

    sys.exit(subprocess.call(pytest_command(list(ctx.args), fast), cwd=paths.ROOT))


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), default=None, help="Also write the diff as CSV.")
def diff_cmd(old: str, new: str, csv_out: str | None) -> None:
    """The numbers that changed between two editions OLD and NEW; exit 1 if any, 0 if none, 2 if a name is wrong.

    Each is `reference` (the committed notebooks), `default`, a variant's name (period-2019-06), a build
    folder, or a ledger.csv.
    """
    from aibook import diff as D

    try:
        before, after = (D.ledger_of(spec, paths.BUILD_DIR, paths.ROOT) for spec in (old, new))
    except LookupError as exc:
        click.secho(f"aibook diff: {exc}", fg="red", err=True)
        sys.exit(2)
    changes = D.compare(before, after)
    click.echo(D.report(changes, old, new))
    if csv_out:
        changes.to_csv(csv_out, index=False, encoding="utf-8")
    sys.exit(1 if len(changes) else 0)


@main.command("record")
@click.option("--reason", required=True, help="Why the numbers the reader sees changed (kept in the change list).")
def record_cmd(reason: str) -> None:
    """Record the numbers the committed notebooks show (notebooks/record/numbers.csv), with the reason for the change."""
    from aibook import record

    before = record.read() if record.RECORD.exists() else None
    path = record.write(reason)
    if before is not None:
        for line in record.differences(record.read(path), before):
            click.echo(line)
    click.echo(f"recorded: {path}")


@main.command("inputs")
def inputs() -> None:
    """Show, per notebook, the data files its last execution read (from the build cache)."""
    import json

    for rec in sorted((paths.BUILD_DIR / "cache").glob("*.json")):
        data = json.loads(rec.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "key" not in data:  # not an execution record (the pairs found in sync)
            continue
        click.echo(f"{rec.stem}:")
        for path in sorted(data.get("inputs", {})):
            click.echo(f"  {path}")


@main.command("grade")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=Path("results.csv"),
              show_default=True, help="CSV: one row per student, one column per exercise.")
@click.option("--timeout", type=float, default=120.0, show_default=True,
              help="Seconds each notebook may run (then it is interrupted and reported).")
def grade(folder: Path, out: Path, timeout: float) -> None:
    """Execute every student notebook of FOLDER, run all exercise checks, write the CSV and print a summary."""
    from aibook import grading

    if not folder.is_dir():
        click.secho(f"aibook grade: {folder}: no such folder of student notebooks", fg="red", err=True)
        sys.exit(2)

    def progress(sub: grading.Submission) -> None:
        done = sum(1 for v in sub.statuses.values() if v == grading.PASSED)
        note = f" — {sub.problem}" if sub.problem else ""
        if not sub.statuses:
            click.echo(f"  {sub.student}/{sub.path.name}: not graded{note}", err=True)
            return
        click.echo(f"  {sub.student}/{sub.path.name}: {done}/{len(sub.statuses)} passed, {sub.seconds:.0f} s{note}",
                   err=True)

    subs = grading.grade_folder(folder, timeout=timeout, progress=progress)
    grading.write_csv(subs, out)
    click.echo(grading.summary(subs))
    click.echo(f"({out})")


if __name__ == "__main__":
    main()
