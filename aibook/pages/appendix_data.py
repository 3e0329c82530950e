"""Appendix A (``notebooks/appendix_data.md``): the data package, its sources by standing, and the report's numbers.

Each function glues the numbers of one paragraph and returns the table it introduces (附表 A-1 … A-6). Reading and
validating are :func:`aibook.load`'s; the source rule is :mod:`aibook.sources`'; this module only composes them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from aibook import load, names, sources
from aibook.data import descriptor
from aibook.nb import glue_number
from aibook.tables import Table, show_table

DataDir = str | os.PathLike[str]
#: A-4's printed column names
NOT_IN_PROSE_HEADINGS = {"id": "编号", "section": "报告章节", "quote": "报告原句", "reason": "未放入正文的原因"}
NO_TABLE = "—"


def resources(data_dir: DataDir) -> pd.DataFrame:
    """One row per resource of ``datapackage.json``: its report table, title, source line, unit, reference year,
    file — and its number of rows, read (and so validated) by :func:`aibook.load`."""
    rows = []
    for res in descriptor(data_dir)["resources"]:
        df = load(res["name"], data_dir)
        rows.append({
            "资源": res["name"],
            "报告表号": f"表格 {res['report_table']}" if "report_table" in res else NO_TABLE,
            "标题": res.get("title", ""),
            "原文数据来源": res.get("source_line", ""),
            "单位": res.get("unit", ""),
            "参照期": res.get("reference_year", ""),
            "行数": len(df),
            "文件": res["path"],
        })
    return pd.DataFrame(rows)


def resources_table(data_dir: DataDir) -> Table:
    """Glue the count of resources, rows and report tables; 附表 A-1 lists the resources (the validation record)."""
    catalog = resources(data_dir)
    glue_number("data_resources", len(catalog))
    glue_number("data_rows", int(catalog["行数"].sum()))
    glue_number("data_tables", int((catalog["报告表号"] != NO_TABLE).sum()))
    return show_table(catalog, caption="附表 A-1 数据包中的资源", source="数据来源：data/datapackage.json",
                      row_ids=["res-" + Path(p).stem for p in catalog["文件"]])


def standings(data_dir: DataDir) -> pd.DataFrame:
    """Per file with a ``standing`` column: its rows with a URL, and how many are publisher / news agency / lead."""
    per_file = []
    for res in descriptor(data_dir)["resources"]:
        frame = load(res["name"], data_dir)
        if "standing" not in frame.columns:
            continue
        counts = frame["standing"].value_counts()
        per_file.append({"文件": res["path"], "带网址的行": len(frame),
                         **{sources.LABEL[s]: int(counts.get(s, 0)) for s in sources.STANDINGS}})
    return pd.DataFrame(per_file)


def hosts_table(data_dir: DataDir) -> Table:
    """附表 A-5: the reviewed hosts, each with whose site it is and when it was reviewed."""
    hosts = load(names.SOURCE_HOSTS, data_dir)
    return show_table(hosts, caption="附表 A-5 审核过的来源主机（其余主机上的页面都只是线索）",
                      source=hosts.attrs["source_line"])


def standings_table(data_dir: DataDir) -> Table:
    """Glue the rows with a URL by standing and the reviewed hosts; 附表 A-6 lists them per file."""
    hosts = load(names.SOURCE_HOSTS, data_dir)
    per_file = standings(data_dir)
    glue_number("src_rows", int(per_file["带网址的行"].sum()))
    glue_number("src_publisher", int(per_file[sources.LABEL[sources.PUBLISHER]].sum()))
    glue_number("src_news", int(per_file[sources.LABEL[sources.NEWS_AGENCY]].sum()))
    glue_number("src_leads", int(per_file[sources.LABEL[sources.LEAD]].sum()))
    glue_number("src_hosts", len(hosts))
    return show_table(per_file, caption="附表 A-6 各文件带网址的行及其来源地位",
                      source="数据来源：data/datapackage.json 所列文件的 standing 列")


def facts_by_chapter(data_dir: DataDir) -> Table:
    """附表 A-2: the report's numbers (facts) per chapter."""
    facts = load(names.FACTS, data_dir)
    by_chapter = facts.groupby("chapter").size().rename("数字个数").reset_index().rename(columns={"chapter": "章"})
    return show_table(by_chapter, caption="附表 A-2 正文数字的章节分布", source=facts.attrs["source_line"])


def facts_listing(data_dir: DataDir) -> Table:
    """附表 A-3: every fact, one row each, anchored ``fact-<id>`` (the prose's hover links land there)."""
    facts = load(names.FACTS, data_dir)
    listing = facts[["id", "chapter", "section", "value", "unit", "quote"]]
    return show_table(listing, caption="附表 A-3 正文数字（facts）全表", source=facts.attrs["source_line"],
                      row_ids=["fact-" + i for i in listing["id"]])


def facts_not_in_prose(data_dir: DataDir) -> Table:
    """Glue how many facts are and are not in the prose; 附表 A-4 gives the reason for each one that is not."""
    facts = load(names.FACTS, data_dir)
    excluded = load(names.FACTS_NOT_IN_PROSE, data_dir)
    glue_number("appendix_facts_total", len(facts))
    glue_number("appendix_facts_excluded", len(excluded))
    glue_number("appendix_facts_in_prose", len(facts) - len(excluded))
    shown = excluded.merge(facts[["id", "section", "quote"]], on="id", how="left")
    return show_table(shown[list(NOT_IN_PROSE_HEADINGS)].rename(columns=NOT_IN_PROSE_HEADINGS),
                      caption="附表 A-4 未在正文中出现的报告数字及原因", source=excluded.attrs["source_line"])
