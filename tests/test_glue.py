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
@pytest.mark.parametrize("notebook", [nb.stem for nb in B.book_notebooks()])
def test_glued_names_and_values_match_the_committed_notebook(built_book: B.Layout, notebook: str) -> None:
    source = next(nb for nb in B.book_notebooks() if nb.stem == notebook)
    committed, fresh = glue_map(source), glue_map(built_book.output(B.Job(source)))
    assert committed.keys() == fresh.keys(), (f"{notebook}: glued names changed: "
                                              f"+{sorted(fresh.keys() - committed.keys())} "
                                              f"-{sorted(committed.keys() - fresh.keys())}")
    changed = {k: (committed[k], fresh[k]) for k in committed if committed[k] != fresh[k]}
    assert not changed, f"{notebook}: glued values changed: {dict(list(changed.items())[:5])}"


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
