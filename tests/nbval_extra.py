"""What nbval does not compare, checked in the same re-execution: the names a cell glues its values under (nbval
compares output data, not metadata: two values glued under swapped names would pass it) and the figures it draws
(nbval leaves images out; a changed pixel is a changed figure).

A pytest plugin (``-p tests.nbval_extra``; ``tests/conftest.py`` registers it whenever nbval runs): after nbval's own
comparison of a cell, a difference fails that cell with a message naming it.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

#: a pixel counts as changed when a channel moved by more than this (of 255)
LEVEL = 24


def changed_pixels(a: bytes, b: bytes, level: int = LEVEL) -> int:
    """How many pixels differ by more than ``level`` in some channel (all of them when the sizes differ)."""
    import numpy as np
    from PIL import Image

    x = np.asarray(Image.open(io.BytesIO(a)).convert("RGB"), dtype=np.int16)
    y = np.asarray(Image.open(io.BytesIO(b)).convert("RGB"), dtype=np.int16)
    if x.shape != y.shape:
        return max(x.shape[0] * x.shape[1], y.shape[0] * y.shape[1])
    return int((np.abs(x - y).max(axis=2) > level).sum())


def _glued(outputs: Iterable[Mapping[str, Any]]) -> list[str]:
    return [o.get("metadata", {}).get("scrapbook", {}).get("name", "") for o in outputs
            if o.get("metadata", {}).get("scrapbook", {}).get("name")]


def _pngs(outputs: Iterable[Mapping[str, Any]]) -> list[bytes]:
    return [base64.b64decode(o["data"]["image/png"]) for o in outputs if "image/png" in o.get("data", {})]


def cell_differences(committed: list[Mapping[str, Any]], fresh: list[Mapping[str, Any]]) -> list[str]:
    """What differs between a cell's committed outputs and a re-execution's, beyond what nbval compares."""
    problems = []
    names, new_names = _glued(committed), _glued(fresh)
    if names != new_names:
        gone, added = sorted(set(names) - set(new_names)), sorted(set(new_names) - set(names))
        moved = [f"{a} → {b}" for a, b in zip(names, new_names, strict=False) if a != b][:5]
        problems.append(f"glued names changed: -{gone} +{added}" + (f"; in order: {moved}" if moved else ""))
    old_pngs, new_pngs = _pngs(committed), _pngs(fresh)
    if len(old_pngs) != len(new_pngs):
        problems.append(f"{len(new_pngs)} figures now, {len(old_pngs)} committed")
    for i, (old, new) in enumerate(zip(old_pngs, new_pngs, strict=False)):
        n = changed_pixels(old, new)
        if n:
            problems.append(f"figure {i + 1} of the cell: {n} pixels changed")
    return problems


@pytest.hookimpl(trylast=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    """After nbval's comparison of a cell (``trylast``: nbval's run and comparison come first)."""
    fresh, cell = getattr(item, "test_outputs", None), getattr(item, "cell", None)
    if fresh is None or cell is None or not str(item.fspath).endswith(".ipynb"):
        return
    problems = cell_differences(list(cell.get("outputs", [])), list(fresh))
    if problems:
        pytest.fail(f"{item.nodeid}: " + "; ".join(problems) + " (run `make reference` if the change is intended)",
                    pytrace=False)
