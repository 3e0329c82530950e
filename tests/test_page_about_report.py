"""关于原报告's steps (aibook.pages.about_report): the front pages quoted verbatim with their source, the date glued
with where it was transcribed, the contents linked; an unknown part is named, not quoted empty."""

from __future__ import annotations

from typing import Any

import pytest

from aibook.data import DataError
from aibook.pages import about_report
from aibook.paths import DATA_DIR


@pytest.fixture(scope="module")
def report() -> about_report.Report:
    return about_report.report(DATA_DIR)


def test_the_report_is_the_package_s_source_with_its_month(report: about_report.Report) -> None:
    assert report.source_entry["publisher"] == "中国信息通信研究院华东分院"
    assert report.date == "2019 年 12 月" and report.source == "中国信息通信研究院华东分院，2019 年 12 月"


def test_each_part_is_quoted_verbatim_with_its_source(report: about_report.Report) -> None:
    for name in dict.fromkeys(report.front["part"]):
        text = repr(report.part(name))
        paragraphs = report.front.loc[report.front["part"] == name, "text"].tolist()
        assert text == "\n".join(paragraphs) + f"\n——原报告{name}（{report.source}）"


def test_an_unknown_part_is_named_with_the_known_ones(report: about_report.Report) -> None:
    with pytest.raises(DataError, match=r"front_matter.*column 'part'.*'后记'.*前言"):
        report.part("后记")


def test_show_displays_one_quote_per_part(report: about_report.Report, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[Any] = []
    monkeypatch.setattr(about_report, "display", lambda *objs: shown.extend(objs))
    report.show("封面", "编写人员")
    assert [repr(o) for o in shown] == [repr(report.part("封面")), repr(report.part("编写人员"))]


def test_the_date_is_glued_with_where_it_was_transcribed(report: about_report.Report,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    glued: dict[str, Any] = {}
    monkeypatch.setattr(about_report, "glue_text",
                        lambda key, text, how="", source=None: glued.update({key: (text, source)}))
    report.glue_date()
    text, source = glued["about_date"]
    assert text == report.date and source is about_report.DATE_SOURCE
    assert "datapackage.json" in source.files[0]


def test_the_contents_link_each_heading(report: about_report.Report) -> None:
    table = report.contents()
    html = table._repr_html_()
    assert about_report.CONTENTS_CAPTION in html
    assert html.count("<tr>") == len(report.contents_rows) + 1  # a row per heading and the header
    assert ".html#:~:text=" in html
