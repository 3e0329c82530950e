"""Parameters and preflight: what is checked before any notebook runs.

A build with parameters (``-p period=2019-06``, ``-p data_dir=…``) passes each notebook only the names its
``parameters`` cell declares; an unknown name or a value no notebook can use is refused up front, with what
would be accepted. Before executing anything the whole data package, releases included, is validated, so
that bad data stops the build with the file and line rather than failing a notebook halfway.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aibook.build.layout import BuildError, Layout, say


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The names and defaults of a notebook's ``parameters`` cell (via papermill's inspector)."""
    import papermill as pm

    return {name: spec.get("default") for name, spec in pm.inspect_notebook(str(notebook)).items()}


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


@contextmanager
def validated_once(layout: Layout) -> Iterator[None]:
    """Within this block, a file whose exact bytes and schema passed validation (in preflight or in any kernel) is
    not validated again: the kernels inherit the marker folder through the environment."""
    from aibook.validation import VALIDATED_ENV

    old = os.environ.get(VALIDATED_ENV)
    os.environ[VALIDATED_ENV] = str(layout.cache / "validated")
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(VALIDATED_ENV, None)
        else:
            os.environ[VALIDATED_ENV] = old
