"""Appendix C (``notebooks/appendix_timeseries.md``): Shanghai's official statistics that join up into series, and
what was searched for and not found.

:func:`series_data` reads the inputs once and returns them, named (:class:`Series`); the page's cells call the
other functions on it, each gluing the numbers of one paragraph or returning one table (附表 C-1 … C-4) or showing
附图 C-1. The rules (which rows are sources, units, coverage, which series are drawn) live in
:mod:`aibook.series`, :mod:`aibook.bulletins` and :mod:`aibook.sources`; this module only composes them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pandas as pd

from aibook import bulletins, figures, load, names, series, sources
from aibook.data import fact, facts
from aibook.nb import glue_number, glue_text, show_figure
from aibook.tables import Table, show_table, spaced

#: the source line of the tables that list the series' definitions and what was found (附表 C-1, C-2)
CATALOG_SOURCE = "数据来源：本书整理（external/sh_series.csv 的序列定义；external/sh_stats.csv 与 releases/ 中的数值和线索）"
COVERAGE_SOURCE = "数据来源：本书整理（external/sh_series.csv 的序列定义；数值见附表 C-3）"
#: the printed column names of the tables (data columns → the reader's headings)
HEADINGS = {"panel": "序列", "basis": "统计口径", "year": "年份", "value": "数值", "unit": "单位", "lower_bound": "仅为下限",
            "standing": "来源地位", "report": "报告所载", "n_sources": "来源数", "agree": "来源一致", "drawn": "画出",
            "source_title": "所取来源", "source_url": "网址", "quote": "原文引文", "origin": "数据文件"}
COVERAGE_HEADINGS = {"panel": "序列", "basis": "统计口径", "first": "起", "last": "止", "shown": "检索年份数",
                     "found": "有数值", "official": "其中发布者", "news_agency": "其中通讯社", "share_pct": "覆盖率（%）",
                     "drawn": "画出"}
BULLETIN_HEADINGS = {"year": "年份", "indicator": "指标", "basis": "统计口径", "value": "数值", "unit": "单位（原文）",
                     "growth_pct": "比上年增长（%）", "source_title": "来源", "quote": "原文引文"}
YES_NO = {True: "是", False: "否"}


@dataclass
class Series:
    """The appendix's inputs and the series built from them."""

    F: pd.DataFrame  # the report's facts
    all_stats: pd.DataFrame  # every row of external/sh_stats.csv, leads included
    stats: pd.DataFrame  # the rows that may be drawn: sources whose page was re-opened
    catalog: pd.DataFrame  # the series' definitions
    annual: pd.DataFrame  # the annual bulletins dropped into releases/
    table: pd.DataFrame  # one row per series and year searched (series.series_table)
    cov: pd.DataFrame  # coverage per series, with a 合计 row
    drawn_ids: list[str]  # the series with enough publisher values to be drawn
    label: dict[str, str]  # a series' name as shown (its basis added where two series share a panel)

    @property
    def first(self) -> int:
        return int(self.table.attrs["first_year"])

    @property
    def last(self) -> int:
        return int(self.table.attrs["last_year"])

    @property
    def drawn_catalog(self) -> pd.DataFrame:
        return self.catalog[self.catalog["series_id"].isin(self.drawn_ids)]

    @property
    def drawn_table(self) -> pd.DataFrame:
        return self.table[self.table["series_id"].isin(self.drawn_ids)]

    @property
    def used(self) -> pd.DataFrame:
        """The drawn points that have a source value."""
        drawn = self.drawn_table
        return drawn[drawn["n_sources"] > 0]

    @property
    def unverified(self) -> pd.DataFrame:
        """Source rows whose page the book has not re-opened (not drawn)."""
        s = self.all_stats
        return s[s["source_type"].isin(series.ACCEPTED) & ~s["id"].isin(self.stats["id"])]

    @property
    def report_points(self) -> dict[str, tuple[int, Any]]:
        """The report's own value for each drawn series that it prints (the red stars): series → (year, fact)."""
        return {r.series_id: (int(str(self.F.at[r.report_fact, "year"])[:4]), fact(self.F, r.report_fact))
                for r in self.drawn_catalog.itertuples() if pd.notna(r.report_fact)}

    @property
    def source_line(self) -> str:
        return "数据来源：" + "；".join(dict.fromkeys(self.used["source_title"])) + "；红星为报告正文与表格 6、7 所载数值"


def series_data(data_dir: str | os.PathLike[str]) -> Series:
    """Read the facts, the statistics, the series catalogue and the bulletins; build the series and coverage."""
    all_stats = load(names.SH_STATS, data_dir)
    stats = series.verified(all_stats)  # a source row is drawn only once its page was re-opened
    catalog = load(names.SERIES_CATALOG, data_dir)
    annual = bulletins.load_all(data_dir)
    table = series.series_table(series.observations(stats, annual), catalog)
    cov = series.coverage(table)
    shared = catalog["panel"].duplicated(keep=False)
    label = {s: f"{p}（{b}）" if sh else p
             for s, p, b, sh in zip(catalog["series_id"], catalog["panel"], catalog["basis"], shared, strict=True)}
    return Series(facts(data_dir), all_stats, stats, catalog, annual, table, cov, series.drawable_series(cov), label)


def glue_counts(ts: Series) -> None:
    """Glue the opening paragraph's numbers: series, indicator-years, found, coverage, drawn, unverified rows."""
    total = ts.cov.set_index("series_id").loc["合计"]
    unverified = ts.unverified
    glue_text("ts_span", f"{ts.first}–{ts.last}")
    glue_number("ts_series", len(ts.catalog))
    glue_number("ts_break_year", int(ts.catalog.set_index("series_id").at["six_new", "first_year"]))
    glue_number("ts_shown", int(total["shown"]))
    glue_number("ts_found", int(total["found"]))
    glue_number("ts_official", int(total["official"]))
    glue_number("ts_news", int(total["news_agency"]))
    glue_number("ts_coverage", float(total["share_pct"]))
    glue_number("ts_min_official", series.MIN_OFFICIAL)
    glue_number("ts_drawn_n", len(ts.drawn_ids))
    glue_text("ts_drawn_list", "、".join(ts.label[s] for s in ts.drawn_ids))
    glue_number("ts_rest_n", len(ts.catalog) - len(ts.drawn_ids))
    glue_number("ts_unverified", len(unverified))
    glue_text("ts_unverified_ids", "、".join(f"{r.id}（{r.indicator} {r.year} 年）" for r in unverified.itertuples()) or "无")


def show_drawn(ts: Series) -> None:
    """附图 C-1: the series with enough publisher values; every page behind a drawn point must be a source."""
    stats = ts.stats
    sources.drawable(stats[stats["source_url"].isin(ts.used["source_url"]) & stats["source_type"].isin(series.ACCEPTED)],
                     "external/sh_stats.csv")
    fig = figures.series_panels(ts.drawn_table, ts.drawn_catalog, ts.report_points,
                                title=f"有至少 {series.MIN_OFFICIAL} 年发布者数值的上海指标，{ts.first}–{ts.last} 年")
    show_figure(fig, "附图 C-1", "上海官方统计中能连成序列的指标（空缺年份没有来源数值，不插补；口径变化处不拼接）",
                ts.source_line, data=ts.drawn_table)


def above_scale_2018(ts: Series) -> str:
    """What the book found for the 2018 gross industrial output above scale: the publisher's value, or why not."""
    table, stats = ts.table, ts.all_stats
    row = table[(table["series_id"] == "above_scale") & (table["year"] == 2018)].iloc[0]
    leads = stats[(stats["indicator"] == "规模以上工业总产值") & (stats["year"] == 2018) & stats["value"].notna()]
    if row["n_sources"] > 0:
        return f"{row['value']:.0f} 亿元（{row['source_title']}）"
    if len(leads):
        return "本书没有找到；该年的数字只出现在转载页面上，不作来源"
    return "本书没有找到"


def glue_above_scale(ts: Series) -> None:
    """Glue why 规模以上工业总产值 has no red star: the report's share, the total it implies, what was found."""
    six = fact(ts.F, "ch3_six_key_industries_output_2018")
    six_share = fact(ts.F, "ch3_six_key_industries_share_2018")
    glue_number("ts_six_share", six_share)
    glue_number("ts_implied", six / six_share * 100)
    glue_text("ts_above_2018", above_scale_2018(ts))


def drawn_data(ts: Series) -> Table:
    """附图 C-1 的数据: each drawn point, its standing and the report's value where it prints one."""
    stars = pd.DataFrame([(s, y, v) for s, (y, v) in ts.report_points.items()], columns=["series_id", "year", "report"])
    points = ts.drawn_table.merge(stars, on=["series_id", "year"], how="left")
    points["standing"] = points["source_type"].map(series.STANDING)
    columns = ["panel", "basis", "year", "value", "unit", "lower_bound", "standing", "report"]
    return show_table(points[columns].rename(columns=HEADINGS), caption="附图 C-1 的数据", source=ts.source_line)


def _years(values: pd.Series) -> str:
    years = sorted({int(y) for y in values})
    return "、".join(str(y) for y in years) or "—"


def not_drawn(ts: Series) -> pd.DataFrame:
    """One row per series not drawn: the years searched, those with a publisher's or a news agency's value, those
    with only leads (reposts, mirrors), those with nothing."""
    rest = []
    lead_rows = ts.all_stats[ts.all_stats["source_type"] == "repost"]
    for spec in ts.catalog[~ts.catalog["series_id"].isin(ts.drawn_ids)].itertuples():
        s = ts.table[ts.table["series_id"] == spec.series_id]
        have = s[s["n_sources"] > 0]
        industry = "" if pd.isna(spec.industry) else spec.industry
        spec_leads = lead_rows[(lead_rows["indicator"] == spec.indicator) & (lead_rows["basis"] == spec.basis)
                               & (lead_rows["industry"].fillna("") == industry) & lead_rows["value"].notna()
                               & lead_rows["year"].isin(s["year"])]
        lead_only = spec_leads[~spec_leads["year"].isin(have["year"])]
        nothing = s[(s["n_sources"] == 0) & ~s["year"].isin(spec_leads["year"])]
        rest.append({"序列": ts.label[str(spec.series_id)], "检索年份": f"{int(s['year'].min())}–{int(s['year'].max())}",
                     "发布者数值的年份": _years(have.loc[have["source_type"] == "official", "year"]),
                     "通讯社数值的年份": _years(have.loc[have["source_type"] == "news_agency", "year"]),
                     "只有线索的年份": _years(lead_only["year"]), "没有找到任何数值的年份": _years(nothing["year"])})
    return pd.DataFrame(rest)


def not_drawn_table(ts: Series) -> Table:
    """附表 C-1."""
    return show_table(not_drawn(ts), caption="附表 C-1 检索过而没有画出的序列：找到了什么，缺什么", source=CATALOG_SOURCE)


def coverage_table(ts: Series) -> Table:
    """附表 C-2: coverage of each series (indicator-years with a value / indicator-years searched)."""
    view = ts.cov.assign(drawn=ts.cov["series_id"].isin(ts.drawn_ids).map(YES_NO))
    return show_table(view.rename(columns=COVERAGE_HEADINGS).drop(columns=["series_id"]),
                      caption="附表 C-2 各序列的覆盖情况（有数值的指标—年份 / 检索的指标—年份）",
                      source=COVERAGE_SOURCE, formats={"覆盖率（%）": "{:.1f}"})


def points_table(ts: Series) -> Table:
    """附表 C-3: every point with a value, drawn or not, converted, with its standing, source and quote."""
    found = ts.table[ts.table["n_sources"] > 0]
    points = found.assign(standing=found["source_type"].map(series.STANDING),
                          drawn=found["series_id"].isin(ts.drawn_ids).map(YES_NO))
    columns = ["panel", "basis", "year", "value", "unit", "lower_bound", "n_sources", "agree", "standing", "drawn",
               "source_title", "source_url", "quote", "origin"]
    return show_table(points[columns].rename(columns=HEADINGS), caption="附表 C-3 各序列中有数值的点（换算后）",
                      source="数据来源：" + "；".join(dict.fromkeys(found["source_title"])), formats={"数值": "{:,.2f}"})


def bulletins_table(ts: Series) -> Table:
    """Glue how many annual bulletins were read and which; 附表 C-4 lists all their rows."""
    annual = ts.annual
    glue_number("ts_bulletins", len(annual.attrs["years"]))
    glue_text("ts_bulletin_list", "；".join(f"{y} 年（{spaced(t)}）" for y, t in
                                           dict.fromkeys(zip(annual["year"], annual["source_title"], strict=True)))
              or "无")
    return show_table(annual[list(BULLETIN_HEADINGS)].rename(columns=BULLETIN_HEADINGS),
                      caption="附表 C-4 releases/ 目录中的年度公报文件",
                      source=annual.attrs.get("source_line") or "数据来源：无",
                      formats={"数值": "{:,.2f}", "比上年增长（%）": "{:.1f}"})
