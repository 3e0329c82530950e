"""Where a shown number comes from: facts carry their sentence, table cells their file and line, the rest
is 'computed on this page'; and a cell that would show the reader a bare value fails the build."""

from __future__ import annotations

import csv
from pathlib import Path

from nbformat.v4 import new_code_cell, new_notebook, new_output

from aibook import build as B
from aibook import facts, load
from aibook.data import Fact, fact
from aibook.paths import DATA_DIR
from aibook.provenance import describe, of_fact
from aibook.tables import show_table


def test_a_fact_carries_its_id_quote_and_line() -> None:
    table = facts()
    value = fact(table, "ch3_six_key_industries_share_2018")
    rows = list(csv.DictReader((DATA_DIR / "facts.csv").open(encoding="utf-8")))
    line = next(i for i, r in enumerate(rows, start=2) if r["id"] == "ch3_six_key_industries_share_2018")
    assert isinstance(value, Fact) and value == 68.5 and value.line == line
    assert value.quote == rows[line - 2]["quote"]
    src = of_fact(value)
    assert src.anchor == "fact-ch3_six_key_industries_share_2018" and value.quote in src.text
    assert type(value * 2) is float  # arithmetic is no longer the report's number
    assert describe(value * 2).kind == "computed" and describe(value).kind == "fact"


def test_table_cells_name_their_file_line_and_column() -> None:
    t6 = load("table06_six_key_industries_output_2018")
    shown = show_table(t6.sort_values("value"))
    first = shown.frame.iloc[0]
    line = 2 + int(t6.index[t6["indicator"] == first.iloc[0]][0])
    assert shown.sources[0][2].text == f"data/tables/table06_six_key_industries_output_2018.csv 第 {line} 行，列“绝对值（亿元）”"
    assert shown.sources[0][2].anchor == "res-table06_six_key_industries_output_2018"
    assert shown.sources[0][0] is None  # text cells carry no number provenance
    html = shown._repr_html_()
    assert 'class="aibook-num" tabindex="0"' in html and "aibook-src" in html
    assert '<a href="appendix_data.html#res-table06_six_key_industries_output_2018">' in html


def test_a_recomputed_or_renamed_column_is_computed_not_attributed_to_the_file() -> None:
    t6 = load("table06_six_key_industries_output_2018")
    changed = t6.assign(value=t6["value"] * 10)
    assert show_table(changed).sources[0][2].text.startswith("由本页代码计算")
    renamed = t6.rename(columns={"value": "产值"})
    assert show_table(renamed, titles=False).sources[0][2].text.startswith("由本页代码计算")


def test_a_cell_showing_a_bare_value_is_found() -> None:
    nb = new_notebook(cells=[new_code_cell("glue_facts(F, 3)"), new_code_cell("x"), new_code_cell("t")])
    nb.cells[0].outputs = [new_output("execute_result", data={"text/plain": "67"}, execution_count=1)]
    nb.cells[1].outputs = [new_output("execute_result", data={"text/plain": "'2019-03'"}, execution_count=2)]
    nb.cells[2].outputs = [new_output("execute_result", data={"text/plain": "表格", "text/html": "<table/>"},
                                      execution_count=3)]
    found = B.bare_values(nb)
    assert len(found) == 2 and found[0].startswith("cell 0") and "67" in found[0]
    nb.cells[0].metadata["tags"] = ["remove-output"]
    assert len(B.bare_values(nb)) == 1


def test_every_chapter_notebook_has_one_title_and_no_skipped_heading_level() -> None:
    import re

    import nbformat

    for path in B.book_notebooks():
        nb = nbformat.read(path, as_version=4)
        levels = [len(m.group(1)) for c in nb.cells if c.cell_type == "markdown"
                  for m in re.finditer(r"^(#+) ", c.source, re.M)]
        assert levels[0] == 1 and levels.count(1) == 1, f"{path.name}: one title (#) first"
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{path.name}: heading level jumps from {before} to {after}"


def test_the_banner_lists_the_files_read_without_their_digests(tmp_path: Path) -> None:
    """Digests live in the build's inputs.json, not in the page: a fixed cell of a file changes the pages that show
    it, not every page that read the file (their committed outputs stay as they are)."""
    import re

    from aibook import nb
    from aibook.data import load
    from aibook.names import T06

    load(T06)
    banner = nb.provenance()
    assert "table06_six_key_industries_output_2018.csv" in banner._repr_html_()
    for form in (banner._repr_html_(), banner._repr_markdown_(), repr(banner)):
        assert not re.search(r"\b[0-9a-f]{12,64}\b", form), form
    assert nb.INPUTS_URL in banner._repr_html_()


def test_the_build_writes_each_pages_input_digests(tmp_path: Path) -> None:
    import json

    from aibook.build import Layout
    from aibook.build.render import write_inputs
    from aibook.paths import DATA_DIR

    layout = Layout(tmp_path / "build")
    layout.cache.mkdir(parents=True)
    table = DATA_DIR / "tables" / "table06_six_key_industries_output_2018.csv"
    (layout.cache / "ch3_industry_base.json").write_text(json.dumps({"inputs": {str(table): "ab" * 32}}))
    out = write_inputs(layout, [tmp_path / "ch3_industry_base.ipynb", tmp_path / "never_run.ipynb"],
                       tmp_path / "static")
    assert json.loads(out.read_text()) == {
        "ch3_industry_base": {"data/tables/table06_six_key_industries_output_2018.csv": "ab" * 32}}
