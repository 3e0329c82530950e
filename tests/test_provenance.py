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
    assert not isinstance(value * 2, Fact)  # arithmetic is no longer the report's number …
    assert (value * 2).origins == value.origins  # … but still names what it was computed from
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
def test_the_pdf_link_is_dropped_when_there_is_no_pdf(tmp_path) -> None:  # noqa: ANN001
    from aibook.build.render import drop_pdf_link

    page = tmp_path / "intro.html"
    page.write_text('<p>a</p><p class="aibook-pdf-link"><a href="../_static/aibook.pdf">下载 PDF 版</a>（…）</p>\n<p>b</p>',
                    encoding="utf-8")
    (tmp_path / "other.html").write_text("<p>c</p>", encoding="utf-8")
    assert drop_pdf_link(tmp_path) == [page]
    assert page.read_text(encoding="utf-8") == "<p>a</p><p>b</p>"


def test_each_heading_of_the_contents_links_its_own_page_and_section() -> None:
    from aibook import coverage
    from aibook.provenance import contents_links
    from aibook.toc import chapters as toc_chapters

    toc = load("report_toc")
    rows = contents_links(toc, toc_chapters(), coverage.headings)
    ch4 = [r for r, ch in zip(rows, toc["chapter"], strict=True) if int(ch) == 4]
    assert all("；" not in r["title"] for r in rows)  # one page each, not every page of the chapter
    assert {r["href"].split("#")[0] for r in ch4} == {"ch4_ecosystem.html", "ch4_applications.html"}
    assert sum("#:~:text=" in r["href"] for r in rows) >= len(rows) - 6  # sections, not only pages


# ------------------------------------------------------------------------- notes that tell the truth (23.5)
def note_problems(value: object, src: object) -> list[str]:
    """What is untrue in the note ``src`` of ``value``: “computed” for a transcribed value, or a file the value
    did not read (the guard the tests below hold every note to)."""
    from aibook.data import Traced, TracedText

    problems = []
    refs = getattr(value, "origins", ())
    transcribed = isinstance(value, (Traced, TracedText)) and not value.derived and len(refs) == 1
    if transcribed and (src.kind == "computed" or "计算" in src.text):
        problems.append(f"says computed for a transcribed value: {src.text}")
    read = {r.file for r in refs}
    extra = sorted(set(src.files) - read)
    if extra:
        problems.append(f"lists files its value did not read: {extra}")
    return problems


def test_the_guard_bites_on_a_computed_note_for_a_transcribed_value_and_on_a_file_not_read() -> None:
    from aibook.data import cell
    from aibook.provenance import Source

    t5 = load("table05_sh_ai_policies")
    date = cell(t5, {"policy": "《关于本市推动新一代人工智能发展的实施意见》"}, "date")
    lying = Source("computed", "由本页代码计算；输入：data/facts.csv、data/tables/table02_x.csv",
                   files=["data/facts.csv", "data/tables/table02_x.csv"])
    found = note_problems(date, lying)
    assert len(found) == 2 and "computed" in found[0] and "table02_x" in found[1]
    assert note_problems(date, describe(date)) == []


def test_a_transcribed_date_names_its_file_line_and_column_through_cn_date() -> None:
    from aibook.data import TracedText, cell
    from aibook.nb import cn_date

    t5 = load("table05_sh_ai_policies")
    date = cell(t5, {"policy": "《关于本市推动新一代人工智能发展的实施意见》"}, "date")
    shown = cn_date(date)
    assert shown == "2017 年 10 月" and isinstance(shown, TracedText)
    src = describe(shown)
    assert src.kind == "cell" and src.text == "转录自 data/tables/table05_sh_ai_policies.csv 第 2 行，列“date”"
    assert src.files == ["data/tables/table05_sh_ai_policies.csv"] and note_problems(shown, src) == []


def test_a_computed_value_names_exactly_the_facts_and_cells_it_was_computed_from() -> None:
    from aibook.data import cell

    table = facts()
    load("table07_strategic_emerging_value_added_2018")  # read by the page, not by the value below
    start, end = fact(table, "ch4_global_iot_market_2017"), fact(table, "ch4_global_iot_market_2022")
    rate = ((end / start) ** (1 / 5) - 1) * 100
    src = describe(rate, how="年均增长率")
    assert src.kind == "computed" and src.files == ["data/facts.csv"] and note_problems(rate, src) == []
    assert "ch4_global_iot_market_2017" in src.text and "ch4_global_iot_market_2022" in src.text
    assert "table07" not in src.text
    t6 = load("table06_six_key_industries_output_2018")
    mixed = cell(t6, {"indicator": "汽车制造业"}, "value") / start
    assert describe(mixed).files == ["data/facts.csv", "data/tables/table06_six_key_industries_output_2018.csv"]
    assert sum([start, end]).origins == rate.origins  # sum() keeps the lineage too


def test_an_untraced_value_names_no_file() -> None:
    load("table07_strategic_emerging_value_added_2018")
    src = describe(3.5)
    assert src.kind == "computed" and src.files == [] and note_problems(3.5, src) == []


def test_a_table_lists_only_the_resources_it_was_built_from() -> None:
    import pandas as pd

    from aibook.data import cell
    from aibook.provenance import frame_resources

    t6 = load("table06_six_key_industries_output_2018")
    load("table07_strategic_emerging_value_added_2018")
    assert frame_resources(t6) == ["data/tables/table06_six_key_industries_output_2018.csv"]
    built = pd.DataFrame({"x": [cell(t6, {"indicator": "汽车制造业"}, "value") * 2, fact(facts(), "ch4_cn_iot_cagr")]},
                         dtype=object)
    assert frame_resources(built) == ["data/facts.csv", "data/tables/table06_six_key_industries_output_2018.csv"]


def test_the_pages_of_this_branch_glue_no_computed_note_for_a_date() -> None:
    """Executed pages: a glued date (digits and 年) never carries a “computed” note (pages whose call sites read
    dates through ``data.cell`` / facts; the others join the list as their call sites change)."""
    import ast
    import json

    import nbformat

    from aibook.paths import ROOT
    from aibook.provenance import GLUE_PREFIX

    for page in ("about_report", "appendix_audit"):
        nb = nbformat.read(ROOT / "notebooks" / f"{page}.ipynb", as_version=4)
        glued: dict[str, dict[str, str]] = {}
        for c in nb.cells:
            for out in c.get("outputs", []):
                meta = out.get("metadata", {}).get("scrapbook", {})
                if meta:
                    prefix = meta.get("mime_prefix", "")
                    glued[meta["name"]] = {k.removeprefix(prefix): v for k, v in out.get("data", {}).items()}
        for key, data in glued.items():
            text = data.get("text/markdown", data.get("text/plain", ""))
            if key.startswith(GLUE_PREFIX) or not any(ch.isdigit() for ch in text) or "年" not in text:
                continue
            note = glued.get(GLUE_PREFIX + key, {}).get("text/plain", "")
            src = json.loads(ast.literal_eval(note)) if note else {}  # a repr of the JSON string glued
            assert src.get("kind") != "computed", f"{page}: {key} = {text} says computed: {src.get('text')}"


def test_a_computed_table_names_the_resources_it_was_built_from() -> None:
    from aibook.provenance import built_from, frame_resources

    t8 = load("table08_talent_city_shares")
    load("table06_six_key_industries_output_2018")  # read by the page, not used by the table
    wide = t8.pivot_table(index="field", columns="city", values="share_pct", aggfunc="sum")
    wide.attrs.clear()  # what a computation may leave: no origin
    assert frame_resources(wide) == []
    built_from(wide, t8, fact(facts(), "ch4_cn_iot_cagr"))
    assert frame_resources(wide) == ["data/facts.csv", "data/tables/table08_talent_city_shares.csv"]
