"""The two voices and the digit rule, on every chapter page (ch1–ch5), and each guard shown biting.

* Digits: in the Markdown cells of a chapter notebook, outside code, glue roles, inline code and headings, no
  ASCII digit appears except in exhibit labels (表格 6, 图表 10–18, 补图 4-1 …), inside 《》 titles and in the
  names of ``data/curated/digit_names.csv``: every number of the prose is glued from data.
* Voice: outside admonitions of class ``aibook-voice``, the chapter prose (its workshop exercises aside) has
  none of 本书/推算/倒推/反推/核对 and no verdict word (一致/不一致/相符/不符).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aibook import names
from aibook import voice as V
from aibook.data import load
from aibook.paths import ROOT

CHAPTERS = sorted((ROOT / "notebooks").glob("ch[1-5]_*.ipynb"))
BOX = ":::{admonition} 本书核对\n:class: aibook-voice\n按报告的两个数推算，两者一致。\n:::\n"


@pytest.fixture(scope="module")
def digit_names() -> list[str]:
    return load(names.DIGIT_NAMES)["name"].tolist()


def test_every_chapter_is_checked() -> None:
    assert {p.stem[:3] for p in CHAPTERS} == {"ch1", "ch2", "ch3", "ch4", "ch5"}


@pytest.mark.parametrize("notebook", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_typed_digit_in_chapter_prose(notebook: Path, digit_names: list[str]) -> None:
    found = V.notebook_violations(notebook, "digits", digit_names)
    assert not found, ("digits typed in the prose (glue them from data/facts.csv, or list a name in "
                       "data/curated/digit_names.csv with its reason):\n" + "\n".join(found))


@pytest.mark.parametrize("notebook", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_books_voice_only_in_its_boxes(notebook: Path) -> None:
    found = V.notebook_violations(notebook, "voice")
    assert not found, ("the book's own words or a verdict outside an aibook-voice admonition:\n" + "\n".join(found))


def test_digit_names_each_have_a_reason(digit_names: list[str]) -> None:
    table = load(names.DIGIT_NAMES)
    assert table["why"].str.strip().ne("").all()
    assert len(set(digit_names)) == len(digit_names)


# ---- the parser -------------------------------------------------------------------------------------------

def test_parse_marks_lines_inside_a_voice_box() -> None:
    lines = V.parse("报告说 A。\n" + BOX + "报告又说 B。")
    assert [(ln.number, ln.in_voice, ln.prose) for ln in lines] == [
        (1, False, True), (2, False, False), (3, True, False), (4, True, True), (5, False, False), (6, False, True)]


def test_parse_a_box_of_another_class_is_not_the_books_voice() -> None:
    lines = V.parse(":::{note}\n:class: tip\n本书核对。\n:::\n")
    assert not any(ln.in_voice for ln in lines)


def test_parse_nested_fences_close_in_order() -> None:
    src = "::::{admonition} 本书说明\n:class: aibook-voice\n:::{note}\n内层\n:::\n外层\n::::\n之后"
    marks = {ln.text: ln.in_voice for ln in V.parse(src)}
    assert marks["内层"] and marks["外层"] and not marks["之后"]


def test_parse_colons_inside_a_code_fence_are_code() -> None:
    lines = V.parse("```\n:::{admonition} x\n```\n正文")
    assert [ln.prose for ln in lines] == [False, False, False, True]


def test_parse_an_unclosed_box_is_an_error_naming_its_line() -> None:
    with pytest.raises(V.VoiceParseError, match="第 2 行"):
        V.parse("正文\n:::{admonition} 本书核对\n:class: aibook-voice\n没有关闭")


# ---- each guard biting ------------------------------------------------------------------------------------

def test_digit_guard_bites_on_a_typed_year() -> None:
    found = V.digit_violations("2018年上海工业增加值为 {glue:text}`x:.2f` 亿元。")
    assert len(found) == 1 and "2018年上海工业增加值为" in found[0].found


def test_digit_guard_bites_inside_a_voice_box_too() -> None:
    assert V.digit_violations(":::{admonition} 本书核对\n:class: aibook-voice\n相差 0.01 亿元。\n:::")


def test_digit_guard_lets_labels_titles_glue_code_headings_and_names_pass() -> None:
    src = ("## 二、2018 年\n表格 6 与图表 10–18、补图 4-1、补表 4-7、附表 A-4、表格 11、12 都是编号；"
           "《上海市智能制造行动计划（2019-2021年）》是书名；{glue:text}`ch3_x:.1f` 是插入的值；`period=\"2019-06\"` 是代码；"
           "5G 网络与 G60 科创走廊是名称。\n```python\nx = 1\n```")
    assert V.digit_violations(src, ["5G", "G60"]) == []


def test_digit_guard_a_number_after_a_label_still_bites() -> None:
    assert V.digit_violations("表格 6 的合计为 23870.77 亿元。")


def test_digit_guard_a_name_not_listed_bites() -> None:
    assert V.digit_violations("5G 网络") and not V.digit_violations("5G 网络", ["5G"])


def test_voice_guard_bites_outside_the_box() -> None:
    found = V.voice_violations("按两个分项反推，两者相符。")
    assert [v.found for v in found] == ["反推、相符"]


@pytest.mark.parametrize("word", [*V.BOOK_WORDS, *V.VERDICT_WORDS])
def test_voice_guard_bites_on_each_word(word: str) -> None:
    assert V.voice_violations(f"报告的数字{word}。")


def test_voice_guard_lets_the_box_pass() -> None:
    assert V.voice_violations("报告说 A。\n" + BOX) == []


def test_voice_guard_reads_glued_text_as_hidden_but_not_plain_text() -> None:
    assert V.voice_violations("与正文{glue:md}`ch3_agrees`。") == []
    assert V.voice_violations("与正文一致（{glue:md}`ch3_x`）。")


def test_notebook_violations_name_the_cell_and_skip_exercises_for_the_voice(tmp_path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("正文 2019 年，本书推算。"),
                nbformat.v4.new_markdown_cell("请核对这句话。", metadata={"tags": ["exercise"]})]
    path = tmp_path / "ch9_x.ipynb"
    nbformat.write(nb, path)
    assert V.notebook_violations(path, "digits") == ["ch9_x.ipynb 单元格 0 第 1 行：2019｜正文 2019 年，本书推算。"]
    assert [v.split("：")[1] for v in V.notebook_violations(path, "voice")] == ["本书、推算｜正文 2019 年，本书推算。"]
    with pytest.raises(ValueError, match="unknown rule"):
        V.notebook_violations(path, "spelling")


def test_digit_guard_reads_an_ordered_list_marker_as_markup() -> None:
    assert V.digit_violations("1. 第一条\n2. 第二条") == []
    assert V.digit_violations("1. 增长 12.8%")


@pytest.mark.parametrize("notebook", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_glued_values_are_spaced_like_typed_ones(notebook: Path) -> None:
    found = V.notebook_violations(notebook, "spacing")
    assert not found, "a glued value breaks the one spacing rule (one space between Chinese and Latin/digits):\n" + \
        "\n".join(found)


def test_spacing_guard_bites_on_a_glued_date_after_chinese() -> None:
    values = {"when": "2018 年"}
    assert V.spacing_violations("集成商{glue:md}`when`的总产值", values)
    assert V.spacing_violations("集成商 {glue:md}`when`的总产值", values) == []
    assert V.spacing_violations("增长{glue:text}`x:.1f`%", {}) and not V.spacing_violations("增长 {glue:text}`x:.1f`%", {})
    assert V.spacing_violations("共 {glue:text}`x:.0f`家", {})


def test_voice_guard_reads_a_glued_verdict_as_typed() -> None:
    assert V.voice_violations("与正文{glue:md}`ch3_agrees`。", values={"ch3_agrees": "一致"})
    box = ":::{admonition} 本书核对\n:class: aibook-voice\n与正文{glue:md}`ch3_agrees`。\n:::"
    assert V.voice_violations(box, values={"ch3_agrees": "一致"}) == []


def test_spacing_guard_bites_inside_a_glued_value() -> None:
    assert V.spacing_violations("全球 {glue:md}`size`高端人才", {"size": "5亿"})
    assert V.spacing_violations("全球 {glue:md}`size`高端人才", {"size": "5 亿"}) == []
