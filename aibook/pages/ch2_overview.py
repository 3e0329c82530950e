"""第二章 国内外发展概述: national AI strategies (图表 1), AI talent (图表 2), 表格 1's policies checked against
the prose, and the report's city shares (图表 3), each with its leads listed and never drawn.

The chapter's cells call, per section, a step that reads the data (:func:`strategies`, :func:`talent`,
:func:`report_shares`), one that glues what the prose reads (``glue_…``) and one that shows the figure or the
leads table (``show_…``). The facts of the chapter are glued by :func:`aibook.nb.glue_facts`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlparse

import pandas as pd

from aibook import analysis, figures, load, names, sources
from aibook.data import DataError, fact, report_source
from aibook.nb import cn_date, glue_number, glue_text, glue_verdict, show_figure
from aibook.paths import resolve_data_dir
from aibook.tables import Table, show_table, spaced

#: the row of external/figure_facts.csv with CIFAR's own count of the countries with a strategy after Canada
CIFAR_ROW = "A079"
#: the two measures of AI talent in Element AI's report, as 图表 2 names them
TALENT_MEASURES = {"conference_authors": "顶级会议论文作者（2018年）", "linkedin_experts": "领英自报专家（2019年报告）"}
#: the row of the talent data with a measure's world total
WORLD = "全球"
LEAD_SOURCE = "数据来源：各行所列页面（来源地位：线索）"


def _source_line(frame: pd.DataFrame) -> str:
    """“数据来源：” and the titles of the pages the rows were read on, each once, in the order of the rows."""
    return "数据来源：" + "；".join(dict.fromkeys(frame["source_title"]))


def _hosts(urls: pd.Series, strip_www: bool = False) -> str:
    """The host names of ``urls``, each once, sorted, joined by “、”."""
    hosts = {str(urlparse(u).hostname) for u in urls}
    return "、".join(sorted({h.removeprefix("www.") for h in hosts} if strip_www else hosts))


# —— 一、（一）国家政策规划：图表 1 ————————————————————————————————————————————————————————————————

@dataclass(frozen=True)
class Strategies:
    """The national AI strategy documents, split by where their date was read."""

    table: pd.DataFrame
    #: the documents dated on their publisher's page: the only ones 图表 1 draws
    drawn: pd.DataFrame
    #: the documents dated only on mirrors, reposts, wikis or essays (补表 2-1b)
    leads: pd.DataFrame
    #: CIFAR's own count of the countries with a strategy after Canada, and the month it counts to
    cifar_count: float
    cifar_month: str


def strategies(data_dir: str | os.PathLike[str]) -> Strategies:
    """The strategy documents and CIFAR's count (a lead among the rows drawn raises :class:`sources.LeadDrawn`)."""
    table = load(names.AI_STRATEGIES, data_dir)
    ff = load(names.FIGURE_FACTS, data_dir).set_index("id")
    if CIFAR_ROW not in ff.index:
        raise DataError(resolve_data_dir(data_dir) / "external" / "figure_facts.csv",
                        f"column id: no row {CIFAR_ROW}; expected CIFAR's count of the countries with an AI strategy")
    cifar = sources.drawable(ff.loc[[CIFAR_ROW]], "external/figure_facts.csv")  # CIFAR's own report
    drawn = sources.drawable(sources.sourced(table), "external/ai_strategies.csv")
    return Strategies(table, drawn, sources.leads(table), float(cifar.at[CIFAR_ROW, "value"]),
                      str(cifar.at[CIFAR_ROW, "unit_or_date"]))


def glue_strategies(s: Strategies) -> None:
    """Glue CIFAR's count (with Canada) and the documents counted by where their date was read."""
    glue_text("ch2_cifar_month", spaced(cn_date(s.cifar_month)))
    glue_number("ch2_cifar_count", s.cifar_count)
    glue_number("ch2_cifar_total", s.cifar_count + 1, how="CIFAR 所数的国家数 + 加拿大本身")
    glue_number("ch2_docs", len(s.table))
    glue_number("ch2_docs_sourced", len(s.drawn))
    glue_number("ch2_entities_sourced", s.drawn["country_region"].nunique())
    glue_number("ch2_docs_leads", len(s.leads))


def show_strategy_timeline(s: Strategies, data_dir: str | os.PathLike[str]) -> None:
    """图表 1: the documents dated on their publisher's page, up to the report's month.

    Other dates of a document come from other pages (mostly leads): the figure shows only the publisher's date;
    the large dot is each country's earliest document in the figure (its first strategy may be a lead).
    """
    drawn = s.drawn
    earliest = drawn.groupby("country_region")["date"].transform("min") == drawn["date"]
    fig = figures.strategy_timeline(drawn.assign(date_alt=None, first_strategy=earliest),
                                    title="人工智能战略类文件的发布时间（只画发布者页面上的日期）",
                                    cutoff=report_source(data_dir)["date"], cutoff_label="报告发布",
                                    first_label="图中该国家或地区最早的文件", later_label="图中其后的文件")
    show_figure(fig, "图表 1", "各国政策发展形势图（本书据发布者页面重建；不是完整名单）", _source_line(drawn),
                data=drawn)


def strategy_leads_table(s: Strategies) -> Table:
    """补表 2-1b: the documents whose date is read only on leads (listed, not drawn)."""
    return show_table(s.leads, columns=["country_region", "document", "date", "date_note", "source_title",
                                        "source_url", "standing"],
                      caption="补表 2-1b 线索（不画）：日期只见于镜像、转载、百科、随笔或转述页面的战略类文件",
                      source=LEAD_SOURCE)


# —— 一、（三）人才分布分析：图表 2 ————————————————————————————————————————————————————————————————

@dataclass(frozen=True)
class Talent:
    """Element AI's counts of AI talent, split by where they were read."""

    table: pd.DataFrame
    #: the rows on Element AI's own page: the two world totals
    drawn: pd.DataFrame
    #: the rows by country, read only on a mirror of JETRO's news page (补表 2-2b)
    leads: pd.DataFrame
    #: the world total of each measure (``conference_authors``, ``linkedin_experts``)
    totals: pd.Series


def talent(data_dir: str | os.PathLike[str]) -> Talent:
    """The talent data and the world total of each measure (an error names a measure without one)."""
    table = load(names.AI_TALENT, data_dir)
    drawn = sources.drawable(sources.sourced(table), "external/ai_talent_by_country.csv")
    totals = drawn[drawn["country"] == WORLD].set_index("metric")["value"]
    missing = [m for m in TALENT_MEASURES if m not in totals.index]
    if missing:
        raise DataError(resolve_data_dir(data_dir) / "external" / "ai_talent_by_country.csv",
                        f"column country: no row {WORLD!r} resting on its publisher for metric {', '.join(missing)}; "
                        "expected the world total of each measure (图表 2 draws them)")
    return Talent(table, drawn, sources.leads(table), totals)


def lead_top(t: Talent, metric: str, k: int) -> analysis.GroupShare:
    """The ``k`` countries with most talent by ``metric`` in the lead rows, and their share of the world total."""
    rows = t.leads[(t.leads["country"] != WORLD) & (t.leads["metric"] == metric)]
    return analysis.group_share(rows, "country", "value", float(t.totals[metric]), k=k)


def glue_talent(t: Talent, facts: pd.DataFrame) -> None:
    """Glue the two world totals, the lead's host, and the box on the lead rows: the report's top ``n`` countries
    (``ch2_top_expert_countries_count``) by each measure, and the first measure's sum and share."""
    top_n = int(fact(facts, "ch2_top_expert_countries_count"))
    glue_number("ch2_authors_total", t.totals["conference_authors"])
    glue_number("ch2_linkedin_total", t.totals["linkedin_experts"])
    glue_text("ch2_talent_lead_host", _hosts(t.leads["source_url"]))
    authors, linkedin = lead_top(t, "conference_authors", top_n), lead_top(t, "linkedin_experts", top_n)
    glue_text("ch2_lead_authors_top", "、".join(authors.members))
    glue_number("ch2_lead_five", authors.total)
    glue_number("ch2_lead_five_share", authors.share_pct)
    glue_text("ch2_lead_linkedin_top", "、".join(linkedin.members))


def show_talent_totals(t: Talent) -> None:
    """图表 2: the world total of each measure (the counts by country are leads and not drawn)."""
    bars = t.drawn.assign(口径=t.drawn["metric"].map(TALENT_MEASURES))
    fig = figures.ranked_bars(bars, "口径", "value", unit=" 人", decimals=0, xlabel="全球总数（人）",
                              title="Element AI 报告的两种人工智能人才口径：全球总数")
    show_figure(fig, "图表 2", "人工智能专家分布（本书据 Element AI 自己发布的页面只能画出两种口径的全球总数；"
                "分国家人数见线索表）", _source_line(t.drawn), data=bars)


def talent_leads_table(t: Talent) -> Table:
    """补表 2-2b: the counts by country, read only on a mirror (listed, not drawn)."""
    return show_table(t.leads, columns=["country", "metric", "value", "global_total", "source_title", "source_url",
                                        "standing"],
                      caption="补表 2-2b 线索（不画）：分国家的人工智能人才数，只见于 JETRO 页面的镜像",
                      source=LEAD_SOURCE)


# —— 二、（一）政策规划分析：表格 1 ————————————————————————————————————————————————————————————————

@dataclass(frozen=True)
class GovReports:
    """The government work reports in 表格 1, against the report's “连续三年”."""

    dates: list[str]
    #: their years follow one another without a gap or a repeat
    consecutive: bool
    #: as many as the report says, and consecutive
    agrees: bool


def _policy_date(t1: pd.DataFrame, rows: pd.Series, what: str) -> str:
    if not rows.any():
        raise ValueError(f"{names.T01}: no policy of 表格 1 is {what} (column policy); the chapter's prose dates it")
    return str(t1.loc[rows, "date"].iloc[0])


def gov_reports(t1: pd.DataFrame, stated_years: float) -> GovReports:
    """表格 1's government work reports, oldest first, and whether they fill ``stated_years`` consecutive years."""
    dates = list(t1.loc[t1["policy"].str.contains("政府工作报告"), "date"].sort_values(kind="stable"))
    years = pd.Series([int(d[:4]) for d in dates])
    consecutive = bool(len(years)) and years.is_unique and int(years.max() - years.min() + 1) == len(years)
    return GovReports(dates, consecutive, consecutive and len(years) == stated_years)


def glue_policies(t1: pd.DataFrame, facts: pd.DataFrame) -> GovReports:
    """Glue what the prose reads of 表格 1 (its size, the dates of the 13th five-year plan and of the new-generation
    AI plan, the government work reports) and the two verdicts on “连续三年”; returns the reports' check."""
    plan13 = _policy_date(t1, t1["policy"].str.contains("十三个五年规划纲要"), "the 十三五 规划纲要")
    plan = _policy_date(t1, t1["policy"] == "《新一代人工智能发展规划》", "《新一代人工智能发展规划》")
    gov = gov_reports(t1, fact(facts, "ch2_gov_report_years"))
    glue_number("ch2_t1_rows", len(t1))
    glue_text("ch2_strategy_year", spaced(cn_date(plan13[:4])))
    glue_text("ch2_13th_plan_date", spaced(cn_date(plan13)))
    glue_text("ch2_plan_date", spaced(cn_date(plan)))
    glue_number("ch2_gov_reports", len(gov.dates))
    glue_text("ch2_gov_report_dates", "、".join(spaced(cn_date(d)) for d in gov.dates))
    glue_verdict("ch2_gov_years_check", gov.consecutive, yes="分属连续的年份", no="并不分属连续的年份")
    glue_verdict("ch2_gov_years_verdict", gov.agrees)
    return gov


# —— 二、（二）主要城市现状：图表 3 ————————————————————————————————————————————————————————————————

#: the report's shares of the cities' AI firms (图表 3's rows): city, the sample (its list size's fact) and the fact
CITY_SHARES = [("北京", "ch2_unicorn_list_size", "ch2_beijing_unicorn_share"),
               ("北京", "ch2_commercial_list_size", "ch2_beijing_commercial_share"),
               ("上海", "ch2_commercial_list_size", "ch2_shanghai_commercial_share"),
               ("上海", None, "ch2_shanghai_active_ai_firms_share")]
#: the samples as 图表 3 names them, by the fact of their list size (``None``: the active firms, no list)
SAMPLES = {"ch2_unicorn_list_size": "报告：人工智能独角兽{:.0f}强", "ch2_commercial_list_size": "报告：商业落地{:.0f}强",
           None: "报告：活跃人工智能企业"}
#: the keys of the firms a share of a list implies, by the share's fact
IMPLIED = {"ch2_beijing_unicorn_share": "ch2_bj_unicorn_firms", "ch2_beijing_commercial_share": "ch2_bj_commercial_firms",
           "ch2_shanghai_commercial_share": "ch2_sh_commercial_firms"}


def report_shares(facts: pd.DataFrame) -> pd.DataFrame:
    """图表 3's data: the report's own shares (city, sample, share), each a fact of the report."""
    rows = [(city, SAMPLES[size].format(fact(facts, size)) if size else SAMPLES[None], fact(facts, share))
            for city, size, share in CITY_SHARES]
    return pd.DataFrame(rows, columns=["city", "sample", "share"])


def implied_firms(facts: pd.DataFrame) -> dict[str, float]:
    """Glue the firms each share of a list implies (share × list size / 100), by key; returns them (whole numbers
    if the report's percentages are exact)."""
    return {IMPLIED[share]: glue_number(IMPLIED[share], fact(facts, share) * fact(facts, size) / 100,
                                        how=f"{share} × 榜单规模 / 100")
            for _, size, share in CITY_SHARES if size is not None}


def glue_cities(cities: pd.DataFrame, facts: pd.DataFrame) -> dict[str, float]:
    """Glue the firms the shares imply (:func:`implied_firms`) and whether they are whole, and what the city leads
    are: the number of other samples and their hosts; returns the implied firms."""
    implied = implied_firms(facts)
    glue_verdict("ch2_whole_firms_verdict", all(abs(v - round(v)) < 1e-9 for v in implied.values()),
                 yes="都是整数家，与所说的百分比相容", no="不全是整数家，百分比应是四舍五入的结果")
    city_leads = sources.leads(cities)
    glue_number("ch2_city_lead_samples", city_leads["sample_id"].nunique())
    glue_text("ch2_city_lead_hosts", _hosts(city_leads["source_url"], strip_www=True))
    return implied


def show_city_shares(shares: pd.DataFrame) -> None:
    """图表 3: the report's own shares (the other institutes' counts are leads, not drawn)."""
    fig = figures.dot_compare(shares, "share", "sample", "city", title="报告所载各城市人工智能企业占全国的比重（%）",
                              xlabel="占全国比重（%）", hue_order=["北京", "上海"], annotate=["北京", "上海"], wrap=44)
    show_figure(fig, "图表 3", "各主要城市人工智能企业数量在全国占比的比较（只画报告自己的数字；其他统计只见于转载页面，"
                "列为线索）", "数据来源：报告正文（中国信通院华东分院整理）", data=shares)


def city_leads_table(cities: pd.DataFrame) -> Table:
    """补表 2-3b: other institutes' counts of firms, read only on reposts and mirrors (listed, not compared)."""
    return show_table(sources.leads(cities), columns=["city", "sample", "measure", "value", "as_of", "source_title",
                                                      "source_url", "standing"],
                      caption="补表 2-3b 线索（不画、不作比较）：其他机构的企业统计，只见于转载、镜像页面",
                      source=LEAD_SOURCE)
