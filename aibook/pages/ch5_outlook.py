"""第五章 总结与展望: the report's five judgements, the facts of earlier chapters they cite, the book's indicators
for each (补表 5-2) with the checks in the boxes, and Shanghai's national shares (补图 5-1, 补表 5-1).

The chapter's cells call :func:`evidence` (the tables the indicators are counted from), :func:`glue_cited` and
:func:`glue_indicators` (what the prose reads beyond the facts, which :func:`aibook.nb.glue_facts` glues with
``also=CITED``), and the tables and figure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from aibook import analysis, figures, load, names, sources
from aibook.data import fact
from aibook.nb import cn_date, glue_number, glue_printed, glue_text, glue_verdict, show_figure
from aibook.tables import Table, show_table, spaced

#: the facts of earlier chapters the chapter cites again, glued with their forms (``<id>_when`` …) by glue_facts
CITED = ["ch3_six_key_industries_share_2018", "ch3_mfg_quality_index_rank_years", "ch3_mfg_quality_index_rank",
         "ch4_sh_key_integrators_2018", "ch4_sh_integrators_output_2018",
         "ch4_ai_edu_demand_points", "ch4_ai_medical_demand_points",
         "ch4_ic_sales_2018", "ch4_ic_sales_increase_2018", "ch4_ic_national_share", "ch4_ic_firms",
         "ch4_miit_fusion_projects_firms_2018", "ch4_ai_compute_top_cities_2019",
         "ch2_unicorn_list_size", "ch2_beijing_unicorn_share", "ch2_commercial_list_size",
         "ch2_beijing_commercial_share", "ch2_shanghai_active_ai_firms_share", "ch2_shanghai_commercial_share",
         "ch3_ai_demo_zones_target_2020", "ch3_ai_scenarios_target_2020", "ch3_ai_demo_projects_target_2020"]
#: the figures of the manufacturing organisations (图表 10 and the industries' maps 11–18)
MFG_FIGURES = (10, 18)
#: the city lead the box names as an example
CITY_LEAD_EXAMPLE = "cngaids_2020_city"
#: Chinese numerals as prose writes a small count or rank (GB/T 15835: 第二, 一个)
_WORDS = "〇一二三四五六七八九十"


def word(n: int) -> str:
    """``n`` (0–10) as a Chinese numeral: 2 → 二."""
    if not 0 <= n < len(_WORDS):
        raise ValueError(f"{n} has no one-character Chinese numeral (0–10); the prose writes it in words")
    return _WORDS[n]


@dataclass(frozen=True)
class Evidence:
    """The tables the book's indicators for the five judgements are counted from."""

    #: 表格 6, by indicator
    t6: pd.DataFrame
    #: the organisations of 图表 10–18, each with its one name (``canonical``, by org_aliases)
    mfg: pd.DataFrame
    #: the two batches' scenario points (表格 11, 12), with the harmonized category
    points: pd.DataFrame
    #: points per category
    per_category: pd.Series
    t13: pd.DataFrame
    t15: pd.DataFrame
    #: the city-level shares of AI firms: all reposts, leads (never an indicator)
    city_leads: pd.DataFrame


def evidence(data_dir: str | os.PathLike[str]) -> Evidence:
    """Read the tables of the indicators (an organisation named in several maps, or by short and full name, once)."""
    orgs = load(names.INDUSTRY_MAP_ORGS, data_dir)
    mfg = analysis.with_canonical(orgs[orgs["figure"].between(*MFG_FIGURES)], load(names.ORG_ALIASES, data_dir))
    points = analysis.scenario_points(data_dir)
    per_category = analysis.count_by(points, "category", name="点位数").set_index("category")["点位数"]
    return Evidence(load(names.T06, data_dir).set_index("indicator"), mfg, points, per_category,
                    load(names.T13, data_dir), load(names.T15, data_dir),
                    sources.leads(load(names.AI_CITY_SHARES, data_dir)))


def glue_cited(facts: pd.DataFrame) -> None:
    """Glue the cited facts read in forms of their own: the rank as a word (第二), the year before the IC sales,
    “今年1-10月” as the report's year and period, and the two batches' scenarios and points summed."""
    rank = int(fact(facts, "ch4_miit_fusion_projects_sh_rank_2018"))
    glue_printed("ch5_miit_rank_word", facts, "ch4_miit_fusion_projects_sh_rank_2018", "第" + word(rank))
    sales_year = int(str(facts.at["ch4_ic_sales_2018", "year"])[:4])
    glue_printed("ch5_ic_before", facts, "ch4_ic_sales_increase_2018", spaced(cn_date(sales_year - 1)))
    period = "ch5_sh_industrial_investment_period"  # “今年1-10月”: 今年 is the report's year, in the period's year
    glue_printed("ch5_investment_when", facts, period,
                 spaced(cn_date(str(facts.at[period, "year"])[:4]) + str(facts.at[period, "value_text"])))
    glue_number("ch5_scenarios_called", fact(facts, "ch3_scenarios_batch1") + fact(facts, "ch3_scenarios_batch2"),
                how="报告第三章所说首批与第二批应用场景数之和")
    glue_number("ch5_points_called", fact(facts, "ch3_point_demands_batch1") + fact(facts, "ch3_point_demands_batch2"),
                how="报告第三章所说首批与第二批点位需求数之和")


def glue_indicators(e: Evidence, facts: pd.DataFrame) -> None:
    """Glue the book's indicators of the boxes (recounted from the tables) and the checks of the report's numbers
    against each other: the two-digit growth, the medical points' rank and counts, the IC sales a year before."""
    t6, t13, t15, per_category = e.t6, e.t13, e.t15, e.per_category
    glue_number("ch5_six_growth", t6.at["六个重点行业工业总产值", "growth_pct"])
    glue_text("ch5_t6_when", spaced(cn_date(t6.attrs["reference_year"])))
    glue_number("ch5_bio_growth", t6.at["生物医药制造业", "growth_pct"])
    glue_number("ch5_mfg_maps", e.mfg["figure"].nunique())
    glue_number("ch5_mfg_orgs", e.mfg["canonical"].nunique())
    ranks = per_category.rank(ascending=False, method="min")
    glue_number("ch5_med_points", int(per_category["医疗"]))
    glue_number("ch5_edu_points", int(per_category["教育"]))
    glue_text("ch5_med_rank", "第" + word(int(ranks["医疗"])), how="按点位数排名")
    glue_number("ch5_chips", len(t13))
    glue_number("ch5_chip_developers", t13["developer"].nunique())
    glue_text("ch5_chip_first", spaced(cn_date(t13["date"].min())))
    glue_text("ch5_chip_last", spaced(cn_date(t13["date"].max())))
    glue_number("ch5_miit", len(t15))
    glue_number("ch5_miit_core", int(t15["direction"].str.contains("核心基础产品").sum()))
    glue_text("ch5_miit_med", word(int(t15["project"].str.contains("医疗").sum())), how="表格 15 中项目名称含“医疗”的行数")
    glue_number("ch5_miit_share", len(t15) / fact(facts, "ch4_miit_fusion_projects_firms_2018") * 100)
    glue_number("ch5_city_lead_samples", e.city_leads["sample_id"].nunique())
    example = e.city_leads.loc[e.city_leads["sample_id"] == CITY_LEAD_EXAMPLE, "sample"]
    if example.empty:
        raise ValueError(f"external/ai_city_shares.csv: no lead row with sample_id {CITY_LEAD_EXAMPLE!r} "
                         "(the example the box names)")
    glue_text("ch5_city_lead_example", spaced(example.iloc[0]))
    # the report's numbers checked against each other (the boxes “本书核对”)
    glue_verdict("ch5_double_digit_agree", 10 <= fact(facts, "ch5_sh_industrial_investment_growth_2019") < 100)
    glue_verdict("ch5_rank_agree",
                 per_category.sort_values(ascending=False, kind="stable").index[:2].tolist() == ["教育", "医疗"])
    glue_verdict("ch5_counts_agree", (per_category["教育"], per_category["医疗"]) == (
        fact(facts, "ch4_ai_edu_demand_points"), fact(facts, "ch4_ai_medical_demand_points")))
    sales, increase = fact(facts, "ch4_ic_sales_2018"), fact(facts, "ch4_ic_sales_increase_2018")
    said = [spaced(str(facts.at[i, "value_text"])) for i in ("ch4_ic_sales_2018", "ch4_ic_sales_increase_2018")]
    glue_number("ch5_ic_sales_2017", sales - increase, how=f"{said[0]} 亿元减去{said[1]} 亿元")
    glue_number("ch5_ic_growth_implied", increase / (sales - increase) * 100, how="增加额 ÷ 上年规模")


def indicators(e: Evidence) -> pd.DataFrame:
    """补表 5-2: the book's indicator for each judgement, its value, what it shows and what it cannot."""
    t6, t13, t15, mfg, per_category = e.t6, e.t13, e.t15, e.mfg, e.per_category
    return pd.DataFrame([
        ("（1）智能制造", "表格 6：六个重点行业2018年产值增速", f"{t6.at['六个重点行业工业总产值', 'growth_pct']:.1f}%",
         "制造业基础的规模，2018年产值是增是减", "企业的智能化程度；2019年的投资势头（年份、口径都不同）"),
        ("（1）智能制造", "图表 10–18：正文点名的制造业机构", f"{mfg['canonical'].nunique()} 家（{mfg['figure'].nunique()} 张图）",
         "报告在制造业各行业举了多少企业和平台", "这些机构的实力；与其他城市的比较"),
        ("（2）医疗健康", "表格 11–12：医疗类场景需求点位", f"{per_category['医疗']} 个（教育 {per_category['教育']} 个）",
         "需求方在首批和第二批征集中为医疗提出了多少场景", "医疗人工智能企业的实力、已落地的项目、市场规模"),
        ("（2）医疗健康", "表格 6：生物医药制造业2018年产值增速", f"{t6.at['生物医药制造业', 'growth_pct']:.1f}%",
         "药品和医疗器械制造的产值增长", "医疗机构使用人工智能的情况"),
        ("（3）集成电路", "表格 13：典型智能芯片产品", f"{len(t13)} 款（{t13['developer'].nunique()} 家研发单位）",
         "报告选了哪些产品作代表、由谁研发", "市场份额；与其他城市的比较（案例由作者挑选）"),
        ("（3）集成电路", "表格 15：入选项目中的“核心基础产品”",
         f"{t15['direction'].str.contains('核心基础产品').sum()} 个（共 {len(t15)} 个）",
         "上海在这次国家评选中入选了多少、集中在哪些方向", "集成电路产业整体的优势（一次评选，项目很少）"),
        ("（4）开源开放平台", "（数据包中没有）", "—", "—", "无法用数字检验"),
        ("（5）领军企业", "（数据包中没有出自发布者的数据；城市企业占比只见于转载页面，是线索）", "—", "—",
         "无法用数字检验"),
    ], columns=["判断", "本书指标", "数值", "能说明", "不能说明"])


def indicators_table(e: Evidence) -> Table:
    """补表 5-2 as the page shows it."""
    return show_table(indicators(e), caption="补表 5-2 本书为五个判断找到的指标：能说明什么，不能说明什么",
                      source="数据来源：表格 6、11、12、13、15；图表 10–18（本书按正文重绘）")


def national_shares(e: Evidence, facts: pd.DataFrame) -> pd.DataFrame:
    """补图 5-1's data: Shanghai's (and, where the report gives it, Beijing's) share of the national total in each
    indicator of the earlier chapters (indicator, city, share)."""
    top100 = f"商业落地{fact(facts, 'ch2_commercial_list_size'):.0f}强企业（报告）"
    return pd.DataFrame([
        ("集成电路产业规模（报告）", "上海", fact(facts, "ch4_ic_national_share")),
        ("制造业人才（猎聘，报告）", "上海", fact(facts, "ch3_mfg_talent_share_2018")),
        ("智能制造人才（猎聘，报告）", "上海", fact(facts, "ch3_smart_mfg_talent_share_2018")),
        ("国内AI技术人才（领英，报告）", "上海", fact(facts, "ch3_ai_talent_shanghai_share")),
        ("国内AI技术人才（领英，报告）", "北京", fact(facts, "ch3_ai_talent_beijing_share")),
        ("工信部融合创新入选企业（本书计算）", "上海", len(e.t15) / fact(facts, "ch4_miit_fusion_projects_firms_2018") * 100),
        (top100, "上海", fact(facts, "ch2_shanghai_commercial_share")),
        (top100, "北京", fact(facts, "ch2_beijing_commercial_share")),
    ], columns=["indicator", "city", "share"])


def show_national_shares(shares: pd.DataFrame) -> None:
    """补图 5-1: each indicator's shares side by side (rows are not comparable with one another)."""
    fig = figures.dot_compare(shares, "share", "indicator", "city", title="上海（与北京）在各项指标中的全国占比（%）",
                              xlabel="占全国比重（%）", hue_order=["上海", "北京"])
    show_figure(fig, "补图 5-1", "上海在各项指标中的全国占比一览（据前几章数据）",
                "数据来源：报告正文（facts）；表格 15", data=shares)


def national_shares_table(shares: pd.DataFrame) -> Table:
    """补表 5-1: the data of 补图 5-1."""
    return show_table(shares.rename(columns={"indicator": "指标", "city": "城市", "share": "占全国（%）"}),
                      caption="补表 5-1 补图 5-1 的数据", source="数据来源：报告正文；表格 15",
                      formats={"占全国（%）": "{:.1f}"})
