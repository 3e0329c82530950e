"""Glued numbers are compared as a map, name → value: nbval compares output data but not metadata, so a number
glued under the wrong name (two names swapped, say) would pass it. The map also catches a glue that vanished."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from aibook import build as B


def glue_map(path: Path) -> dict[str, dict[str, str]]:
    """Every glued name of a notebook with its data (``{mime: value}``), in the order glued."""
    out: dict[str, dict[str, str]] = {}
    for cell in nbformat.read(path, as_version=4).cells:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is not None:
                out[name] = dict(o.get("data", {}))
    return out


def test_the_map_sees_a_swapped_name(tmp_path: Path) -> None:
    """The check bites: the same two values glued under swapped names differ as maps (nbval sees no change)."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def nb(first: str, second: str) -> Path:
        cell = new_code_cell("glue(...)")
        cell.outputs = [new_output("display_data", data={"application/papermill.record/text/plain": v},
                                   metadata={"scrapbook": {"name": k, "mime_prefix": "application/papermill.record/"}})
                        for k, v in ((first, "68.5"), (second, "1.4"))]
        path = tmp_path / f"{first}.ipynb"
        nbformat.write(new_notebook(cells=[cell]), path)
        return path

    right, swapped = nb("share", "growth"), nb("growth", "share")
    assert [o["data"] for o in nbformat.read(right, 4).cells[0].outputs] == \
        [o["data"] for o in nbformat.read(swapped, 4).cells[0].outputs]  # what nbval compares: equal
    assert glue_map(right) != glue_map(swapped)


@pytest.mark.slow
def test_nbval_fails_a_cell_whose_values_are_glued_under_swapped_names(tmp_path: Path) -> None:
    """Run with nbval (tests/nbval_extra.py), a re-executed cell must glue each value under its committed name: the
    committed notebook says share=68.5, growth=1.4; the code glues them the other way round. nbval alone passes it."""
    import os
    import subprocess
    import sys

    from nbformat.v4 import new_code_cell, new_notebook

    from aibook.paths import ROOT

    code = "from myst_nb import glue\nglue('{}', 68.5, display=False)\nglue('{}', 1.4, display=False)"
    committed = tmp_path / "committed.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(code.format("share", "growth"))]), committed)
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                    str(committed)], check=True, capture_output=True)
    nb = nbformat.read(committed, as_version=4)
    nb.cells[0].source = code.format("growth", "share")
    swapped = tmp_path / "swapped.ipynb"
    nbformat.write(nb, swapped)

    def nbval(path: Path, *plugin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
                               *plugin, str(path)], cwd=tmp_path, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})

    assert nbval(swapped).returncode == 0  # what nbval compares (the output data) is the same
    assert nbval(committed, "-p", "tests.nbval_extra").returncode == 0
    found = nbval(swapped, "-p", "tests.nbval_extra")
    assert found.returncode == 1 and "glued names changed" in found.stdout, found.stdout[-1500:]


def test_no_page_shows_a_python_repr_instead_of_a_value(built_book: B.Layout) -> None:
    """A glue role of the wrong kind (``{glue:text}`` on a Markdown value) prints the object's repr; NumPy 2 prints
    ``np.float64(…)``; a missing number prints ``nan``. None of these may reach a reader."""
    import re

    bad = re.compile(r"&lt;IPython\.core\.display|object at 0x|np\.float64\(|np\.int64\(|>nan<|\bnan%")
    for page in sorted((built_book.html / "notebooks").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        hits = sorted({m.group(0) for m in bad.finditer(text)})
        assert not hits, f"{page.name}: {hits}"


def test_spaced_puts_one_space_between_chinese_and_digits() -> None:
    from aibook.nb import spaced

    assert spaced("2019年3月19日") == "2019 年 3 月 19 日"
    assert spaced("5G网络") == "5G 网络"
    assert spaced("三分之二") == "三分之二"
    assert spaced("1-2") == "1-2"
    assert spaced("2019 年") == "2019 年"  # an existing space is kept, not doubled


def test_a_fact_is_glued_in_the_forms_the_prose_reads_it_in() -> None:
    """``glue_facts`` glues ``<id>_printed``, ``<id>_when`` and ``<id>_year`` from the fact's own row: no page keeps
    a list of which facts are read in words or by date."""
    import pandas as pd

    from aibook.nb import fact_forms

    table = pd.DataFrame({"value": [2.0, 1027.0, 100.0], "value_text": ["两", "1027", "100"],
                          "year": [None, "2019-01/2019-05", "2018/2020"]}, index=["legs", "ships", "target"])
    assert fact_forms(table, "legs") == {"printed": "两"}
    assert fact_forms(table, "ships") == {"printed": "1027", "when": "2019 年 1—5 月", "year": "2019 年"}
    assert fact_forms(table, "target") == {"printed": "100"}  # no one period for a span across years
