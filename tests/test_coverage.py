"""The book is the whole report: every heading of its table of contents, every number of its prose.

Checked on the committed notebooks (their Markdown and the glued provenance in their reference outputs), so a
chapter that drops a heading or stops inserting a number fails here, before any build.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aibook import coverage as C
from aibook import names
from aibook.data import load
from aibook.toc import chapters as toc_chapters
from aibook.toc import notebooks as toc_notebooks


def test_heading_key_ignores_bracket_width_and_spaces() -> None:
    assert C.heading_key("(一) 相关政策分析") == C.heading_key("（一）相关政策分析")
    assert C.heading_key("一、内涵") != C.heading_key("二、发展意义")


def test_every_heading_of_the_report_is_a_heading_of_its_chapter_in_order() -> None:
    missing = C.missing_headings(load(names.REPORT_TOC))
    assert missing.empty, "report headings missing from the book:\n" + missing.to_string(index=False)


def test_the_table_of_contents_has_the_reports_47_headings() -> None:
    toc = load(names.REPORT_TOC)
    assert len(toc) == 47
    assert toc.groupby("level").size().to_dict() == {1: 5, 2: 11, 3: 31}


def test_every_fact_reaches_the_prose_or_is_excluded_with_a_reason() -> None:
    cov = C.fact_coverage(load(names.FACTS), load(names.FACTS_NOT_IN_PROSE), toc_notebooks())
    missing = cov[cov["status"] == "缺"]
    assert missing.empty, (f"{len(missing)} facts of data/facts.csv reach no page's prose; glue them or list them "
                           "in data/curated/facts_not_in_prose.csv with a reason:\n" + ", ".join(missing["id"]))
    stale = cov[cov["status"] == "除外但已引用"]
    assert stale.empty, "listed in facts_not_in_prose.csv but shown in the prose: " + ", ".join(stale["id"])


def test_a_fact_counts_when_glued_under_another_key(tmp_path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    md = nbformat.v4.new_markdown_cell("两个领域 {glue:text}`domains:.0f`，另有 {glue:text}`ch1_other`。")
    code = nbformat.v4.new_code_cell("")
    record = "application/papermill.record/"

    def glued(name: str, text: str) -> nbformat.NotebookNode:  # as myst_nb's glue writes it in an executed notebook
        return nbformat.v4.new_output("display_data", data={record + "text/plain": text},
                                      metadata={"scrapbook": {"name": name, "mime_prefix": record}})

    code.outputs = [glued("domains", "2.0"),
                    glued("aibook-src:domains", "'{\"anchor\": \"fact-ch1_two_domains_count\", \"kind\": \"fact\"}'"),
                    glued("ch1_other", "3.0")]
    nb.cells = [md, code]
    path = tmp_path / "ch1_x.ipynb"
    nbformat.write(nb, path)
    reached = C.facts_reached([path], ["ch1_two_domains_count", "ch1_other", "ch1_unused"])
    assert reached == {"ch1_two_domains_count": ["ch1_x"], "ch1_other": ["ch1_x"]}
    cov = C.fact_coverage(pd.DataFrame({"id": ["ch1_two_domains_count", "ch1_unused"]}),
                          pd.DataFrame({"id": ["ch1_two_domains_count"], "reason": ["r"]}), [path])
    assert cov["status"].tolist() == ["除外但已引用", "缺"]


def test_every_heading_of_the_report_is_a_heading_of_the_rendered_book(built_book) -> None:  # noqa: ANN001
    """The same check on the HTML a reader opens: each report heading is an h1–h4 of its chapter's pages."""
    import re

    def text(h: str) -> str:
        return C.heading_key(re.sub(r"<[^>]+>|#", "", h))

    rendered: dict[int, set[str]] = {}
    for chapter, notebooks in toc_chapters().items():
        for nb in notebooks:
            page = (built_book.html / "notebooks" / f"{nb.stem}.html").read_text(encoding="utf-8")
            rendered.setdefault(chapter, set()).update(text(h) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", page, re.S))
    toc = load(names.REPORT_TOC)
    missing = [row.heading for row in toc.itertuples() if C.heading_key(row.heading) not in rendered.get(row.chapter, set())]
    assert not missing, f"report headings not rendered as headings: {missing}"


# ---- no class of number is excluded by rule -----------------------------------------------------------------

@pytest.mark.parametrize("chapter", [0, 1, 2, 3, 4, 5])
def test_every_number_in_a_facts_quote_is_a_fact(chapter: int) -> None:
    """Dates, years, ranks, counts, nodes and sizes included: only 《》 titles and listed names are not facts."""
    wanting = C.quote_numbers_not_facts(load(names.FACTS), load(names.DIGIT_NAMES)["name"])
    wanting = wanting[wanting["chapter"] == chapter]
    assert wanting.empty, ("numbers in the facts' quotes that are no fact (add a row to data/facts.csv, or list a "
                           "name in data/curated/digit_names.csv):\n" + wanting.to_string(index=False))


def test_date_facts_follow_the_convention() -> None:
    assert C.date_fact_problems(load(names.FACTS)) == []


def test_the_quote_guard_bites_on_a_date_that_is_no_fact() -> None:
    facts = pd.DataFrame({"id": ["ch1_a", "ch1_b"], "chapter": [1, 1], "value_text": ["8694.95", "第七次"],
                          "year": ["2018", ""],
                          "quote": ["2018年上海市实现工业增加值8694.95亿元", "2019年3月19日，第七次会议审议通过了《规划（2018-2020年）》"]})
    wanting = C.quote_numbers_not_facts(facts, ["5G"])
    assert wanting[["id", "number"]].values.tolist() == [["ch1_b", "2019"], ["ch1_b", "3"], ["ch1_b", "19"]]
    facts.loc[len(facts)] = {"id": "ch1_c", "chapter": 1, "value_text": "2019年3月19日", "year": "2019-03-19",
                             "quote": "2019年3月19日，第七次会议"}
    assert C.quote_numbers_not_facts(facts).empty


def test_the_date_guard_bites() -> None:
    bad = pd.DataFrame({"id": ["ch1_d"], "unit": ["日期"], "value": [2019.0], "value_text": [""], "year": [""]})
    assert len(C.date_fact_problems(bad)) == 3
