"""关于原报告 (``notebooks/about_report.md``): the report's front pages quoted verbatim, its publication date glued,
and its contents linked to the pages of the book that hold each heading."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pandas as pd
from IPython.display import display

from aibook import coverage, names
from aibook.data import DataError, load, report_source
from aibook.inputs import Problem
from aibook.nb import cn_date, glue_text, quote
from aibook.provenance import contents_links, contents_table, transcribed
from aibook.toc import chapters

#: where the report's publication month is transcribed from (the provenance of the glued date)
DATE_SOURCE = transcribed("data/datapackage.json", "sources[0].date（原报告封面“二零一九年十二月”）")
CONTENTS_CAPTION = "附表 0-1 原报告目录与本书页面"


@dataclass(frozen=True)
class Report:
    """The report as the data package describes it: its front matter, its contents and its source entry."""

    front: pd.DataFrame  # part, text: the front pages' paragraphs, verbatim
    contents_rows: pd.DataFrame  # the report's contents: level, heading, page
    source_entry: dict[str, Any]  # the data package's first source: title, publisher, date ("2019-12")

    @property
    def date(self) -> str:
        """The publication month as prose writes it (2019 年 12 月)."""
        return cn_date(self.source_entry["date"])

    @property
    def source(self) -> str:
        """The source line under each quoted part: publisher and month."""
        return f"{self.source_entry['publisher']}，{self.date}"

    def part(self, name: str) -> Any:
        """The paragraphs of one part of the front matter (封面, 前言 …), verbatim, as a block quote."""
        rows = self.front.loc[self.front["part"] == name, "text"]
        if rows.empty:
            known = "、".join(dict.fromkeys(self.front["part"]))
            raise DataError(self.front.attrs.get("path", names.FRONT_MATTER),
                            [Problem(f"a part named one of {known}", column="part", value=name)])
        return quote(rows.tolist(), f"——原报告{name}（{self.source}）")

    def show(self, *parts: str) -> None:
        """Display several parts, one block quote each."""
        display(*(self.part(name) for name in parts))

    def glue_date(self) -> None:
        """Glue the publication month as ``about_date``, transcribed from the data package's source entry."""
        glue_text("about_date", self.date, source=DATE_SOURCE)

    def contents(self) -> Any:
        """附表 0-1: the report's contents, each heading linked to the page of the book that holds it."""
        rows = contents_links(self.contents_rows, chapters(), coverage.headings)
        levels = self.contents_rows["level"].astype(int).tolist()
        return contents_table(rows, levels, CONTENTS_CAPTION, self.contents_rows.attrs["source_line"])


def report(data_dir: str | os.PathLike[str] | None) -> Report:
    """The report's front matter and contents (``data/curated/``) and its entry in ``datapackage.json``."""
    return Report(load(names.FRONT_MATTER, data_dir), load(names.REPORT_TOC, data_dir), report_source(data_dir))
