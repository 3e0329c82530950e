"""Chapter 3 (上海产业基础环境分析, ``notebooks/ch3_industry_base.md``): what its cells compute, glue and show.

Each step is a function the page calls in one line: the computations return named numbers (a dataclass) and
the ``glue_…`` functions glue them under the keys the prose reads, with the same ``how=`` text as before; the
``show_…`` functions display a figure (and return nothing) or return the table the cell shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd
from IPython.display import display

from aibook import analysis, arith, figures, names, periods
from aibook.data import DataError, fact, load
from aibook.inputs import Problem
from aibook.nb import MarkdownText, cn_date, glue_number, glue_text, glue_verdict, notice, show_figure
from aibook.tables import Table, percent_as_printed, show_table, spaced

DataDir = str | os.PathLike[str] | None

#: the four groups of policy documents (表格 2–5), in the order of the timeline's lanes
POLICY_LANES: dict[str, str] = {
    "表格 2 实体经济": names.T02,
    "表格 3 制造业": names.T03,
    "表格 4 生产性服务业": names.T04,
    "表格 5 人工智能": names.T05,
}
#: the lane of the AI policies (表格 5), whose first date the prose names
AI_LANE = "表格 5 人工智能"
POLICY_SOURCE = "数据来源：表格 2–5（中国信通院华东分院整理）"

#: 补表 3-1: the six kinds of demonstration project of the technical-upgrade plan, and the fact of each target
DEMO_PROJECTS: dict[str, str] = {
    "智能制造示范项目": "ch3_smart_mfg_demo_projects_target",
    "技术创新示范项目": "ch3_tech_innovation_demo_projects_target",
    "产业链建设示范项目": "ch3_industry_chain_demo_projects_target",
    "服务型制造示范项目": "ch3_service_mfg_demo_projects_target",
    "质量品牌提升示范项目": "ch3_quality_brand_demo_projects_target",
    "绿色制造示范项目": "ch3_green_mfg_demo_projects_target",
}
_VALUE_GROWTH = {"value": "{:.2f}", "growth_pct": "{:.1f}"}


# 一、政策规划分析 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policies:
    """The policy tables 2–5, each as printed, and all their documents on one timeline."""

    frames: dict[str, pd.DataFrame]  # lane → its table, as loaded
    timeline: pd.DataFrame  # every document with its ``lane``

    def table(self, lane: str) -> Table:
        """One of the report's tables 2–5, as printed."""
        return show_table(self.frames[lane])


def policies(data_dir: DataDir) -> Policies:
    """Tables 2–5 and their documents on one timeline (in the order of :data:`POLICY_LANES`)."""
    frames = {lane: load(name, data_dir) for lane, name in POLICY_LANES.items()}
    timeline = pd.concat([df.assign(lane=lane) for lane, df in frames.items()], ignore_index=True)
    return Policies(frames, timeline)


def glue_policy_dates(p: Policies) -> None:
    """Glue how many documents there are, the first and the last date, and the first AI policy's date."""
    dates = p.timeline["date"]
    glue_number("ch3_policy_count", len(p.timeline))
    glue_text("ch3_policy_first", spaced(cn_date(dates.min())))
    glue_text("ch3_policy_last", spaced(cn_date(dates.max())))
    glue_text("ch3_ai_policy_first", spaced(cn_date(p.frames[AI_LANE]["date"].min())))


def show_policy_timeline(p: Policies) -> None:
    """补图 3-1: the documents of tables 2–5 on one timeline, one lane per table."""
    dates = p.timeline["date"]
    years = f"{dates.min()[:4]}–{dates.max()[:4]}"
    fig = figures.timeline(p.timeline, "date", "lane", "policy", title=f"上海相关政策的发布时间（{years}）",
                           lane_order=list(POLICY_LANES))
    show_figure(fig, "补图 3-1", "上海人工智能与实体经济融合相关政策时间线（据表格 2–5 绘制）", POLICY_SOURCE,
                data=p.timeline)


def policy_timeline_table(p: Policies) -> Table:
    """The data of 补图 3-1: every document by date (stable within a date: the lanes' order)."""
    rows = p.timeline.sort_values(["date", "lane"], kind="stable")[["date", "lane", "policy"]]
    return show_table(rows.rename(columns={"date": "日期", "lane": "分组", "policy": "政策"}),
                      caption="补图 3-1 的数据", source=POLICY_SOURCE)


def glue_target_gaps(F: pd.DataFrame) -> None:
    """How far the 2018 shares fall short of the plan's targets (percentage points)."""
    sei_gdp_gap = fact(F, "ch3_sei_share_gdp_target") - fact(F, "ch3_sei_share_gdp_2018")
    glue_number("ch3_sei_gdp_gap_to_target", round(sei_gdp_gap, 1), how="目标比重减 2018 年比重")
    glue_number("ch3_sei_mfg_gap_to_target",
                round(fact(F, "ch3_sei_mfg_share_output_target") - fact(F, "ch3_sei_output_share_2018"), 1),
                how="目标比重减 2018 年比重")


def demo_projects(F: pd.DataFrame) -> pd.DataFrame:
    """补表 3-1: the target of each kind of demonstration project (:data:`DEMO_PROJECTS`), from the facts."""
    return pd.DataFrame({"示范项目类别": list(DEMO_PROJECTS),
                         "目标数（个）": [fact(F, i) for i in DEMO_PROJECTS.values()]})


def show_demo_projects(F: pd.DataFrame) -> Table:
    """Glue the sum of the six targets (the report gives none) and return 补表 3-1."""
    demo = demo_projects(F)
    glue_number("ch3_demo_projects_total", demo["目标数（个）"].sum(), how="六类示范项目目标数之和")
    return show_table(demo, caption="补表 3-1 技术改造三年行动计划的示范项目目标",
                      source="数据来源：报告第三章正文（facts.csv，引《上海市深入推进技术改造巩固提升实体经济能级三年行动计划（2018-2020年）》）",
                      formats={"目标数（个）": "{:.0f}"})


# 二、（一）产业基础资源 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndustryChecks:
    """The book's checks of the industry section: tables 6 and 7 against their totals and the prose."""

    t6: arith.SumCheck  # 表格 6: six industries against the total row
    t6_total_agrees: bool  # the total row is the prose's number (both transcribed: exact)
    t7: arith.SumCheck  # 表格 7: industry + services against the total
    implied_growth: float  # the total's growth from the parts' values and growth rates (current prices)
    growth_diff: float  # its distance from the printed growth, rounded to 0.1
    above_scale_growth: float  # 规上工业总产值 growth implied by “快于 … 个百分点”
    from_six: float  # 规上工业总产值 implied by the six industries' share
    from_sei: float  # … and by the SEI output's share
    diff_pct: float  # the two implied totals' relative difference (%)


def industry_checks(F: pd.DataFrame, data_dir: DataDir) -> IndustryChecks:
    """The checks the admonition of the industry section states (tables 6 and 7 and the facts)."""
    t6 = arith.check_components(load(names.T06, data_dir))
    t7 = arith.check_components(load(names.T07, data_dir))
    parts = {"ch3_sei_industry_value_added_2018": "ch3_sei_industry_value_added_growth_2018",
             "ch3_sei_services_value_added_2018": "ch3_sei_services_value_added_growth_2018"}
    last_year = sum(fact(F, v) / (1 + fact(F, g) / 100) for v, g in parts.items())
    implied_growth = (fact(F, "ch3_sei_value_added_2018") / last_year - 1) * 100
    from_six = arith.implied_total(fact(F, "ch3_six_key_industries_output_2018"),
                                   fact(F, "ch3_six_key_industries_share_2018"))
    from_sei = arith.implied_total(fact(F, "ch3_sei_industrial_output_2018"), fact(F, "ch3_sei_output_share_2018"))
    return IndustryChecks(
        t6=t6, t6_total_agrees=t6.total == fact(F, "ch3_six_key_industries_output_2018"), t7=t7,
        implied_growth=implied_growth,
        growth_diff=round(abs(implied_growth - fact(F, "ch3_sei_value_added_growth_2018")), 1),
        above_scale_growth=fact(F, "ch3_sei_industrial_output_growth_2018") - fact(F, "ch3_sei_output_growth_gap_2018"),
        from_six=from_six, from_sei=from_sei, diff_pct=abs(from_sei - from_six) / from_six * 100)


def glue_industry_checks(c: IndustryChecks) -> None:
    """Glue the checks of :func:`industry_checks` under the keys of the section's admonition."""
    glue_number("ch3_t6_total", c.t6.total)
    glue_number("ch3_t6_components", c.t6.components, how="表格 6 六个分项之和")
    glue_number("ch3_t6_difference", abs(c.t6.difference), how="表格 6 分项之和与合计之差")
    glue_verdict("ch3_t6_total_agrees", c.t6_total_agrees, "一致", "不一致")
    glue_number("ch3_sei_parts_sum", c.t7.components, how="表格 7 工业与服务业两项之和")
    glue_verdict("ch3_sei_parts_agree", c.t7.consistent, "一致", "不一致")
    glue_number("ch3_sei_implied_growth", c.implied_growth, how="由两个分项及其增速倒推上年数值，再算合计增速")
    glue_number("ch3_sei_growth_diff", c.growth_diff, how="倒推的合计增速与报告增速之差")
    glue_number("ch3_above_scale_growth_implied", c.above_scale_growth, how="战新产业产值增速减去“快于”的百分点")
    glue_number("ch3_above_scale_from_six", c.from_six, how="六个重点行业产值 ÷ 其比重")
    glue_number("ch3_above_scale_from_sei", c.from_sei, how="工业战新产业产值 ÷ 其比重")
    glue_number("ch3_above_scale_diff_pct", c.diff_pct, how="两种反推结果的相对差")


def industry_period(period: str | int, data_dir: DataDir) -> periods.IndustryPeriod | None:
    """The six industries in the chosen period, or ``None`` (a notice is shown) when the data package has none.

    A period other than the report's is introduced by its summary (the report's own figures are in the prose).
    """
    try:
        ind = periods.industry_period(period, data_dir)
    except periods.PeriodUnavailable as exc:
        display(notice(str(exc), "本节没有所选时期的数据"))
        return None
    if ind.period != periods.REPORT_PERIOD:  # the report's own figures are in the prose above: not said twice
        display(MarkdownText(periods.summary_markdown(ind)))
    return ind


def show_six_industries(ind: periods.IndustryPeriod | None) -> None:
    """表格 6 (or the same measure in the chosen release) and 补图 3-2; nothing when there is no period."""
    if ind is None:
        return
    report_period = ind.period == periods.REPORT_PERIOD
    caption = ind.six.attrs["title"] if report_period else "表格 6 同口径：" + ind.six.attrs["title"]
    display(show_table(ind.six, caption=caption, source=ind.source_line, columns=["indicator", "value", "growth_pct"],
                       formats=_VALUE_GROWTH))
    fig = figures.bar_with_growth(ind.components, "indicator", "value", "growth_pct",
                                  title=f"{ind.label}六个重点行业工业总产值与增速")
    show_figure(fig, "补图 3-2", f"六个重点行业工业总产值及增长（{ind.label}，据表格 6{'' if report_period else '同口径数据'}绘制）",
                ind.source_line, data=ind.components)


def six_industries_data(ind: periods.IndustryPeriod | None) -> Table | None:
    """The data of 补图 3-2, largest first."""
    if ind is None:
        return None
    return show_table(ind.components.sort_values("value", ascending=False), caption="补图 3-2 的数据",
                      source=ind.source_line, columns=["indicator", "value", "growth_pct"], formats=_VALUE_GROWTH)


def six_industries_shares(ind: periods.IndustryPeriod | None, F: pd.DataFrame) -> Table | None:
    """补表 3-2: each industry's share of the six and of 规上工业总产值 (in the report's year inferred from its
    stated share, whose sentence is the source; in a release computed from the published totals)."""
    if ind is None:
        return None
    share_col = "占规上工业总产值（%" + ("，推算）" if ind.share_is_stated else "）")
    view = ind.components[["indicator", "value", "share_six", "share_above_scale"]].rename(columns={
        "indicator": "行业", "value": "工业总产值（亿元）", "share_six": "占六个行业合计（%）", "share_above_scale": share_col})
    basis = (("正文：" + F.at["ch3_six_key_industries_share_2018", "quote"]) if ind.share_is_stated
             else ind.source_line.removeprefix("数据来源："))
    return show_table(view, caption=f"补表 3-2 六个重点行业的结构（{ind.label}）", source=f"数据来源：表格 6 同口径数据；{basis}",
                      formats={"工业总产值（亿元）": "{:.2f}", "占六个行业合计（%）": "{:.1f}", share_col: "{:.1f}"})


def show_sei_value_added(period: str | int, data_dir: DataDir) -> pd.DataFrame | None:
    """表格 7 and 补图 3-3 in the report's period (returned for the figure's data); a notice in any other.

    The report-period checks of 表格 7 are in the prose (glued), so ``periods.sei_summary_markdown`` is not shown.
    """
    if str(period) != periods.REPORT_PERIOD:
        display(notice("表格 7（战略性新兴产业增加值）只有报告所载的 2018 年数据，统计局的月度工业生产情况不含这一指标。",
                       "表格 7 没有所选时期的数据"))
        return None
    t7 = load(names.T07, data_dir)
    display(show_table(t7, columns=["indicator", "value", "growth_pct"], formats=_VALUE_GROWTH))
    fig = figures.bar_with_growth(arith.components(t7)[1], "indicator", "value", "growth_pct",
                                  title=f"{t7.attrs['reference_year']}年战略性新兴产业增加值：工业与服务业")
    show_figure(fig, "补图 3-3", "战略性新兴产业增加值的构成及增速（据表格 7 绘制）", t7.attrs["source_line"],
                data=arith.components(t7)[1])
    return t7


def sei_value_added_data(t7: pd.DataFrame | None) -> Table | None:
    """The data of 补图 3-3, largest first (nothing outside the report's period)."""
    if t7 is None:
        return None
    return show_table(arith.components(t7)[1].sort_values("value", ascending=False), caption="补图 3-3 的数据",
                      source=t7.attrs["source_line"], columns=["indicator", "value", "growth_pct"], formats=_VALUE_GROWTH)


# 二、（二）人才基础资源 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TalentFields:
    """表格 8: the share of each field's talent by city, and what the prose reads from it."""

    table: pd.DataFrame  # as loaded: city, field, share_pct
    cities: list[str]  # in the table's order
    fields: list[str]
    col_sum: float  # every field's shares add up to this (100)
    sh_top_field: str  # Shanghai's largest share …
    sh_top_share: float  # … and its size
    bj_lead_fields: list[str]  # the fields where Beijing's share is larger than Shanghai's


def talent_fields(data_dir: DataDir) -> TalentFields:
    """表格 8 read: Shanghai's top field and the fields Beijing leads; each field's shares must add up to 100."""
    t8 = load(names.T08, data_dir)
    cities = list(dict.fromkeys(t8["city"]))
    fields = list(dict.fromkeys(t8["field"]))
    col_sums = t8.groupby("field", sort=False)["share_pct"].sum().round(2)
    off = col_sums[col_sums != 100]
    if len(off):
        raise DataError(t8.attrs.get("path", names.T08),
                        [Problem("the shares of the field's cities adding up to 100", column="share_pct",
                                 value=f"{field}: {total:g}") for field, total in off.items()])
    sh = t8[t8["city"] == "上海"].set_index("field")["share_pct"]
    bj = t8[t8["city"] == "北京"].set_index("field")["share_pct"]
    return TalentFields(t8, cities, fields, float(col_sums.iloc[0]), str(sh.idxmax()), float(sh.max()),
                        [f for f in fields if bj[f] > sh[f]])


def show_talent_fields(t: TalentFields) -> None:
    """Glue what the prose reads from 表格 8 and show 补图 3-4 (the heatmap, read by column)."""
    glue_text("ch3_sh_top_field", t.sh_top_field)
    glue_number("ch3_sh_top_share", t.sh_top_share)
    glue_number("ch3_field_count", len(t.fields))
    glue_text("ch3_bj_lead_fields", "和".join(f"“{f}”" for f in t.bj_lead_fields))
    glue_number("ch3_col_sum", t.col_sum)
    fig = figures.share_heatmap(t.table, "city", "field", "share_pct", title="六大领域人才的城市分布（%）",
                                row_order=t.cities, col_order=t.fields)
    show_figure(fig, "补图 3-4", "六大领域各类人才城市分布热力图（据表格 8 绘制）", t.table.attrs["source_line"],
                data=t.table)


def talent_fields_table(t: TalentFields) -> Table:
    """表格 8 as printed: a row per city, a column per field."""
    wide = t.table.pivot(index="city", columns="field", values="share_pct").loc[t.cities, t.fields].reset_index()
    wide.columns = ["城市"] + t.fields
    return show_table(wide, caption=t.table.attrs["title"], source=t.table.attrs["source_line"],
                      formats={f: percent_as_printed for f in t.fields})


def glue_talent_checks(F: pd.DataFrame) -> None:
    """The book's checks of the talent facts: the masters' share, and Beijing + Shanghai against the stated sum."""
    glue_number("ch3_masters_share",
                fact(F, "ch3_software_staff_masters_2017") / fact(F, "ch3_software_staff_bachelors_2017") * 100,
                how="硕士以上从业人员 ÷ 本科以上从业人员")
    glue_number("ch3_ai_talent_pair_sum", fact(F, "ch3_ai_talent_beijing_share") + fact(F, "ch3_ai_talent_shanghai_share"),
                how="北京与上海的 AI 人才占比之和")
    glue_number("ch3_ai_talent_pair_gap", round(fact(F, "ch3_ai_talent_bj_sh_share") - fact(F, "ch3_ai_talent_beijing_share")
                                                - fact(F, "ch3_ai_talent_shanghai_share"), 1),
                how="报告所说的合计比重减去两市占比之和")


def show_majors(data_dir: DataDir) -> Table:
    """表格 9, with its counts glued: majors, schools, majors approved and majors filed."""
    t9 = load(names.T09, data_dir)
    glue_number("ch3_majors", len(t9))
    glue_number("ch3_major_schools", t9["school"].nunique())
    glue_number("ch3_majors_approved", int((t9["category"] == "审批").sum()))
    glue_number("ch3_majors_filed", int((t9["category"] == "备案").sum()))
    return show_table(t9)


def show_experts(F: pd.DataFrame, data_dir: DataDir) -> Table:
    """表格 10, its experts and universities counted and compared with the prose (counts: exact)."""
    t10 = load(names.T10, data_dir)
    universities = t10["affiliation"].map(analysis.university_of).nunique()
    glue_number("ch3_experts", len(t10))
    glue_number("ch3_expert_univs", universities)
    stated = (fact(F, "ch3_expert_group_experts"), fact(F, "ch3_expert_group_universities"))
    glue_verdict("ch3_experts_agree", (float(len(t10)), float(universities)) == stated, "一致", "不一致")
    return show_table(t10)


# 二、（三）场景基础资源 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenarios:
    """Tables 11 and 12 (the two batches of scenario demands) and the points of each printed type."""

    batch1: pd.DataFrame
    batch2: pd.DataFrame
    counts: pd.DataFrame  # scenario_type, count, batch

    def counted(self) -> tuple[int, int, int, int]:
        """Points and types of the first batch, then of the second, as the tables list them."""
        return (len(self.batch1), self.batch1["scenario_type"].nunique(),
                len(self.batch2), self.batch2["scenario_type"].nunique())


#: the facts the prose states for the two batches, in the order of :meth:`Scenarios.counted`
SCENARIO_FACTS = ("ch3_point_demands_batch1", "ch3_scenarios_batch1", "ch3_point_demands_batch2", "ch3_scenarios_batch2")


def scenarios(data_dir: DataDir) -> Scenarios:
    """Tables 11 and 12 and the number of points of each scenario type, as printed (not harmonized)."""
    t11, t12 = load(names.T11, data_dir), load(names.T12, data_dir)
    counts = pd.concat([
        analysis.count_by(t11, "scenario_type").assign(batch=names.BATCH_LABELS[1]),
        analysis.count_by(t12, "scenario_type").assign(batch=names.BATCH_LABELS[2]),
    ], ignore_index=True)
    return Scenarios(t11, t12, counts)


def show_scenarios(s: Scenarios, F: pd.DataFrame) -> None:
    """Glue the counts of tables 11–12 and their verdict against the prose (counts: exact); show 补图 3-5."""
    points1, types1, points2, types2 = s.counted()
    glue_number("ch3_batch1_points", points1)
    glue_number("ch3_batch1_types", types1)
    glue_number("ch3_batch2_points", points2)
    glue_number("ch3_batch2_types", types2)
    glue_number("ch3_points_total", points1 + points2)
    glue_verdict("ch3_batches_agree", tuple(map(float, s.counted())) == tuple(fact(F, i) for i in SCENARIO_FACTS), "一致", "不一致")
    fig = figures.count_bars(s.counts, "scenario_type", "batch", title="两批场景需求的点位数（按原表场景名称）",
                             xlabel="点位数")
    show_figure(fig, "补图 3-5", "上海人工智能应用场景需求点位数（据表格 11–12 绘制）", "数据来源：上海市经信委（表格 11、12）",
                data=s.counts)


def scenario_counts_table(s: Scenarios) -> Table:
    """补表 3-3: the data of 补图 3-5."""
    return show_table(s.counts.rename(columns={"scenario_type": "应用场景", "count": "点位数", "batch": "批次"}),
                      caption="补表 3-3 补图 3-5 的数据：各场景类型的点位数", source="数据来源：表格 11、12")


def show_scenario_tables(s: Scenarios) -> None:
    """Tables 11 and 12 as printed."""
    display(show_table(s.batch1))
    display(show_table(s.batch2))
