"""第四章（下）应用示范、基础体系、体制机制 (``notebooks/ch4_applications.md``): the demand points of 表格 11–12
recounted by district and scenario (图表 23, 24), the fund batches (图表 25), the industry funds of 表格 16, the
technology market (图表 26) and the book's checks of the section's numbers, each glued under the key the prose
reads it by. Verdicts come from the audit's claims (附录 B), never from a comparison here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from math import ceil
from urllib.parse import urlparse

import pandas as pd

from aibook import analysis, arith, audit, figures, load, names, sources
from aibook.data import Fact, fact, report_source
from aibook.nb import glue_number, glue_text, glue_verdict, notice, show_figure
from aibook.pages.ch4_ecosystem import joint_status, status_of, statuses
from aibook.tables import Table, show_table

DataDir = str | os.PathLike[str] | None

#: the districts the report gives a count of demand points for (第四章三（一）2), and the fact of each count
DISTRICT_FACTS = {"徐汇区": "ch4_xuhui_demand_points", "浦东新区": "ch4_pudong_demand_points",
                  "市级": "ch4_city_level_demand_points", "静安区": "ch4_jingan_demand_points",
                  "黄浦区": "ch4_huangpu_demand_points"}
#: the report's count for each of the other districts (printed as a range, 1-2)
OTHER_DISTRICTS_FACT = "ch4_other_districts_demand_points"
#: the scenario categories the report gives a count for, and the fact of each (“各有……个” covers four)
CATEGORY_FACTS = {"教育": "ch4_ai_edu_demand_points", "医疗": "ch4_ai_medical_demand_points",
                  "交通": "ch4_ai_transport_etc_demand_points", "文化旅游": "ch4_ai_transport_etc_demand_points",
                  "园区": "ch4_ai_transport_etc_demand_points", "制造业": "ch4_ai_transport_etc_demand_points",
                  "其他": "ch4_other_scenarios_demand_points"}
#: the audit's claims on the four category counts the prose checks as one (“都一致”)
CATEGORY_CLAIMS = ("ch4-edu-points", "ch4-medical-points", "ch4-middle-points", "ch4-other-points")
#: the batches of the AI innovation fund (图表 25): label, fact of its units, fact of its amount (none for the third)
FUND_BATCHES = (("2017年第1批", "ch4_fund_batch_2017_1_units", "ch4_fund_batch_2017_1_amount"),
                ("2018年第1批", "ch4_fund_batch_2018_1_units", "ch4_fund_batch_2018_1_amount"),
                ("2018年第二批", "ch4_fund_batch_2018_2_units", None))
#: the indicator of the technology market (图表 26) in the external statistics
TECH_INDICATOR = "技术合同成交金额"
TECH_FILE = "external/sh_stats.csv"
_COMPARE = {"recomputed": "本书重算", "stated": "报告所述", "agrees": "一致"}


def stated_text(facts: pd.DataFrame, fact_id: str) -> str:
    """A count as the report prints it: a number without decimals, or its printed range (1-2, 3-5)."""
    value = facts.at[fact_id, "value"]
    return f"{fact(facts, fact_id):.0f}" if value == value else str(facts.at[fact_id, "value_text"])


def counted(points: pd.DataFrame) -> pd.DataFrame:
    """The demand points as the count figures draw them: one each, by batch label."""
    return points.assign(count=1, batch=points["batch"].map(names.BATCH_LABELS))


@dataclass(frozen=True)
class Districts:
    """The demand points by district: the book's count against the report's."""

    stated: dict[str, Fact]  #: the report's count for each district it names
    other: str  #: the report's count for each other district, as printed (1-2)
    counts: pd.Series  #: the book's count per district (未知 included), largest first
    compare: pd.DataFrame  #: 补表 4-2: recomputed, stated, agrees


def districts(facts: pd.DataFrame, points: pd.DataFrame) -> Districts:
    """The district counts of 图表 23, recounted from the points and set against the report's."""
    stated = {d: fact(facts, i) for d, i in DISTRICT_FACTS.items()}
    other = str(facts.at[OTHER_DISTRICTS_FACT, "value_text"])
    counts = points.groupby("district").size().sort_values(ascending=False)
    texts = {**{k: f"{v:.0f}" for k, v in stated.items()}, "其他": other}
    return Districts(stated, other, counts, analysis.compare_counts(counts.drop("未知", errors="ignore"), texts))


def glue_districts(points: pd.DataFrame, found: Districts) -> None:
    """Glue the note on how the points were placed and the recomputed counts the check box compares."""
    glue_number("ch4_points", len(points))
    glue_number("ch4_points_by_address", int((points["district_basis"] == "地址").sum()))
    glue_number("ch4_points_city", int(found.counts.get("市级", 0)))
    glue_number("ch4_points_unknown", int(found.counts.get("未知", 0)))
    for key, name in [("xuhui", "徐汇区"), ("pudong", "浦东新区"), ("huangpu", "黄浦区")]:
        glue_number(f"ch4_{key}_recomputed", int(found.counts.get(name, 0)))


def show_count_figure(points: pd.DataFrame, by: str, label: str, title: str, caption: str) -> None:
    """图表 ``label``: the demand points counted by ``by`` (district, category), stacked by batch."""
    fig = figures.count_bars(counted(points), by, "batch", title=title, xlabel="点位数")
    show_figure(fig, label, caption, points.attrs["source_line"], data=counted(points))


def count_data(points: pd.DataFrame, by: str, title: str, label: str) -> Table:
    """The data of the count figure ``label``: points per ``by`` (its column titled ``title``) and batch."""
    drawn = figures.count_table(counted(points), by, "batch")
    return show_table(drawn.rename(columns={by: title}), caption=f"{label} 的数据", source=points.attrs["source_line"])


def show_comparison(compare: pd.DataFrame, title: str, caption: str) -> Table:
    """A recount set against the report (补表 4-2, 4-4)."""
    return show_table(compare.rename(columns={"category": title, **_COMPARE}), caption=caption,
                      source="数据来源：表格 11、12；报告第四章三（一）2 正文")


def district_rules(points: pd.DataFrame, found: Districts) -> pd.DataFrame:
    """补表 4-7: each way of placing the points (:func:`aibook.analysis.district_rules`) in the report's terms, and
    the report's own counts."""
    rows = [{"规则": name, **analysis.district_tally(d, found.stated)}
            for name, d in analysis.district_rules(points).items()]
    rows.append({"规则": "报告所述", **{d: int(v) for d, v in found.stated.items()},
                 "其他各区": found.other, "未知": 0, "合计": "—", "与报告相符": "—"})
    return pd.DataFrame(rows)


def show_district_rules(points: pd.DataFrame, found: Districts) -> Table:
    return show_table(district_rules(points, found), caption="补表 4-7 几种归属规则下的区县计数与报告所述",
                      source="数据来源：表格 11、12；data/curated/scenario_points.csv；报告第四章三（一）2 正文")


def glue_reassignments(facts: pd.DataFrame, points: pd.DataFrame, found: Districts) -> dict[str, int]:
    """The check box's reasoning: how the unplaced points would have to move to give the report's counts, and what
    the report's counts imply for the districts it does not name."""
    stated = found.stated
    moves = analysis.reassignments(points, stated)
    glue_number("ch4_movable", moves["movable"])
    glue_number("ch4_huangpu_excess", moves["huangpu_fixed"] - stated["黄浦区"])
    glue_number("ch4_need_xuhui", moves["need_xuhui"])
    glue_number("ch4_need_pudong", moves["need_pudong"])
    glue_number("ch4_choices", moves["choices"])
    notes = points.loc[points["district"].isin(analysis.UNPLACED), "district_note"].fillna("")
    linked = int(notes.str.contains("徐汇|浦东").sum())
    glue_text("ch4_movable_linked_text", f"有 {linked} 个提到徐汇区或浦东新区" if linked else "没有一个提到徐汇区或浦东新区")
    named_sum = sum(stated.values())
    others = [d for d in analysis.SH_DISTRICTS if d not in stated]
    glue_number("ch4_named_sum", named_sum)
    glue_number("ch4_other_implied", len(points) - named_sum)
    glue_number("ch4_other_districts_n", len(others))
    most = _range_top(found.other, OTHER_DISTRICTS_FACT)
    glue_number("ch4_other_min_districts", ceil((len(points) - named_sum) / most))
    glue_number("ch4_other_with_points",
                int(points["district"].isin(others).groupby(points["district"]).any().sum()))
    return moves


def _range_top(printed: str, fact_id: str) -> int:
    """The top of a printed range (``1-2`` → 2)."""
    low, sep, high = printed.partition("-")
    if not sep or not (low.isdigit() and high.isdigit()):
        raise ValueError(f"facts.csv, row {fact_id}, column value_text: expected a range such as 1-2, got {printed!r}")
    return int(high)


def show_unplaced(points: pd.DataFrame) -> Table:
    """补表 4-3: the points counted as city-level or without a district, with the ground of each."""
    unclear = points[points["district"].isin(["市级", "未知"])][
        ["batch", "no", "scenario_name", "district", "district_basis", "district_note"]]
    return show_table(unclear.rename(columns={"batch": "批次", "no": "序号", "scenario_name": "场景名称", "district": "判定",
                                              "district_basis": "依据", "district_note": "说明"}),
                      caption="补表 4-3 计为“市级”或无法确定行政区的点位", source=points.attrs["source_line"])


def categories(facts: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """补表 4-4: the points per (harmonized) scenario category against the report's counts."""
    stated = {name: stated_text(facts, i) for name, i in CATEGORY_FACTS.items()}
    return analysis.compare_counts(points.groupby("category").size().sort_values(ascending=False), stated)


def glue_categories(points: pd.DataFrame, claims: pd.DataFrame) -> None:
    """Glue the recounted education and medical points and the audit's joint verdict on the four counts."""
    by_cat = points.groupby("category").size()
    glue_number("ch4_cat_edu", int(by_cat.get("教育", 0)))
    glue_number("ch4_cat_med", int(by_cat.get("医疗", 0)))
    glue_verdict("ch4_cat_verdict", joint_status(statuses(claims, *CATEGORY_CLAIMS)), "都一致", "不全一致")


def show_categories(facts: pd.DataFrame, points: pd.DataFrame, claims: pd.DataFrame) -> None:
    """图表 24 and 补表 4-4, with the check box's numbers glued."""
    from IPython.display import display

    compare = categories(facts, points)
    glue_categories(points, claims)
    show_count_figure(points, "category", "图表 24", "各类场景的需求点数（归并后，本书重算）",
                      "上海市人工智能试点应用场景需求分布（本书据表格 11、12 重算）")
    display(show_comparison(compare, "场景类别", "补表 4-4 图表 24：重算的需求点数与报告所述"))


def fund_batches(facts: pd.DataFrame) -> pd.DataFrame:
    """The batches of the AI innovation fund as the prose gives them: units and amount (万元; none for the third)."""
    return pd.DataFrame({
        "batch": [label for label, _, _ in FUND_BATCHES],
        "units": [fact(facts, units) for _, units, _ in FUND_BATCHES],
        "amount_10k": [fact(facts, amount) if amount else float("nan") for _, _, amount in FUND_BATCHES],
    })


def show_funds(facts: pd.DataFrame, claims: pd.DataFrame, data_dir: DataDir) -> pd.DataFrame:
    """表格 15 and 图表 25, with the audit's verdicts on the projects and on the batches' sum glued; returns the
    batches drawn."""
    from IPython.display import display

    t15 = load(names.T15, data_dir)
    glue_number("ch4_t15_rows", len(t15))
    glue_verdict("ch4_t15_verdict", status_of(claims, "ch4-miit-projects"), "一致", "不一致")
    glue_verdict("ch4_fund_units_verdict", status_of(claims, "ch4-fund-units-sum"), "一致", "不一致")
    display(show_table(t15))
    batches = fund_batches(facts)
    glue_number("ch4_fund_units_sum", audit.claim_value(claims, "ch4-fund-units-sum", "batches_sum"))
    glue_number("ch4_fund_units_gap", audit.claim_value(claims, "ch4-fund-units-sum", "gap"))
    fig = figures.batch_totals(batches, "batch", "units", stated_total=fact(facts, "ch4_fund_total_units"),
                               title="人工智能创新发展专项：各批支持单位数与报告所称总数", ylabel="单位数（家）")
    show_figure(fig, "图表 25", "上海市人工智能创新发展专项资金拟支持单位分布情况（据报告正文重绘）",
                "数据来源：报告第四章三（二）正文（中国信通院华东分院整理）", data=batches)
    return batches


def show_fund_batches(batches: pd.DataFrame) -> Table:
    """补表 4-5: the data of 图表 25."""
    return show_table(batches.rename(columns={"batch": "批次", "units": "支持单位（家）", "amount_10k": "拟支持金额（万元）"}),
                      caption="补表 4-5 图表 25 的数据", source="数据来源：报告第四章三（二）正文；第三批金额报告未给出",
                      formats={"支持单位（家）": "{:.0f}", "拟支持金额（万元）": "{:.0f}"})


def glue_iot_cagr(facts: pd.DataFrame, claims: pd.DataFrame) -> None:
    """The IoT market's growth rates recomputed by the audit (world, China), their gap to the printed ones, verdicts."""
    for area, claim_id in (("global", "ch4-iot-global-cagr"), ("cn", "ch4-iot-china-cagr")):
        recomputed = audit.claim_value(claims, claim_id, "recomputed")
        glue_number(f"ch4_{area}_cagr_re", recomputed)
        glue_number(f"ch4_{area}_cagr_gap", abs(round(recomputed, 1) - fact(facts, f"ch4_{area}_iot_cagr")))
        glue_verdict(f"ch4_{area}_cagr_verdict", status_of(claims, claim_id), "一致", "不一致")


def industry_funds(claims: pd.DataFrame, data_dir: DataDir) -> pd.DataFrame:
    """表格 16 and 补图 4-3, with the funds' counts and sums and the audit's verdicts glued; returns the funds with
    the label they are drawn by (the report's qualifier in brackets)."""
    from IPython.display import display

    t16 = load(names.T16, data_dir)
    waic_month = t16["date"].min()
    waic = t16[t16["date"] == waic_month]
    glue_number("ch4_t16_rows", len(t16))
    glue_number("ch4_t16_total", t16["size_yi_yuan"].sum())
    glue_number("ch4_t16_first_phase", int(t16["size_qualifier"].notna().sum()))
    glue_text("ch4_waic_month", analysis.period_text(waic_month[:7]))
    glue_number("ch4_waic_n", len(waic))
    glue_number("ch4_waic_sum", waic["size_yi_yuan"].sum())
    glue_number("ch4_waic_without_g60", waic.loc[~waic["fund"].str.startswith("G60"), "size_yi_yuan"].sum())
    glue_verdict("ch4_g60_verdict", status_of(claims, "ch4-g60-fund"), "一致", "不一致")
    glue_verdict("ch4_shfund_verdict", status_of(claims, "ch4-sh-ai-fund"), "一致", "不一致")
    glue_verdict("ch4_funds_170_verdict", status_of(claims, "ch4-funds-170"), "一致", "不一致")
    display(show_table(t16, columns=["date", "fund", "sponsor", "size_text", "focus"]))
    labelled = t16.assign(label=t16["fund"] + t16["size_qualifier"].map(lambda q: f"（{q}）" if isinstance(q, str) else ""))
    fig = figures.bar_with_growth(labelled.assign(sign=0.0), "label", "size_yi_yuan", "sign",
                                  title="上海主要人工智能产业基金规模", value_unit="亿元", show_growth=False)
    show_figure(fig, "补图 4-3", "上海主要人工智能产业基金规模（据表格 16 绘制；括号内为原文限定词）", t16.attrs["source_line"],
                data=labelled[["label", "size_yi_yuan"]])
    return labelled


def show_fund_sizes(labelled: pd.DataFrame) -> Table:
    """The data of 补图 4-3, largest first."""
    return show_table(labelled.sort_values("size_yi_yuan", ascending=False)[["label", "size_yi_yuan"]]
                      .rename(columns={"label": "基金（括号内为原文限定词）", "size_yi_yuan": "规模（亿元）"}),
                      caption="补图 4-3 的数据", source=labelled.attrs["source_line"])


@dataclass(frozen=True)
class TechMarket:
    """图表 26's indicator in the data package: every record, those from a publisher or news agency, the split."""

    records: pd.DataFrame  #: every record of the indicator, by year
    official: pd.DataFrame  #: the records the book may draw (sourced, with a value)
    split: int  #: the report's year: later years go to the second panel


def tech_market(data_dir: DataDir) -> TechMarket:
    stats = load(names.SH_STATS, data_dir)
    records = stats[stats["indicator"] == TECH_INDICATOR].sort_values(["year", "id"])
    official = sources.drawable(sources.sourced(records).dropna(subset=["value"]), TECH_FILE)
    return TechMarket(records, official, int(report_source(data_dir)["date"][:4]))  # the year the report was published


def show_tech_market(facts: pd.DataFrame, data_dir: DataDir) -> TechMarket:
    """图表 26 from the official records (a year implied by the next year's value and growth hatched), or a notice
    that it cannot be redrawn; the counts of the note glued."""
    from IPython.display import display

    tech = tech_market(data_dir)
    official = tech.official
    glue_number("ch4_tech_rows", len(tech.records))
    glue_number("ch4_tech_official", len(official))
    glue_number("ch4_tech_split", tech.split)
    if official.empty:
        glue_text("ch4_tech_outcome", "图表 26 无法重绘，报告“接近……亿元”一句也无法核对（见附录 B）")
        display(notice("数据包中没有技术合同成交金额的官方来源：图表 26 不重绘，数值留空。下表只列线索（转载、镜像页面），不作来源。",
                       title="图表 26 无法重绘"))
        return tech
    glue_text("ch4_tech_outcome", "下图只用官方数值；由次年数值和增速推算的年份画成斜线柱")
    prior = official.dropna(subset=["growth_pct"]).assign(
        year=lambda d: d["year"] - 1, value=lambda d: [arith.prior_value(v, g) for v, g in zip(d["value"], d["growth_pct"], strict=True)],
        implied=True)
    drawn = pd.concat([official.assign(implied=False), prior[~prior["year"].isin(official["year"])]]).sort_values("year")
    fig = figures.period_panels(drawn, tech.split, (fact(facts, "ch4_sh_tech_market_turnover"),
                                "报告：" + facts.at["ch4_sh_tech_market_turnover", "value_text"] + "亿元"))
    show_figure(fig, "图表 26", "上海技术市场情况：技术合同成交金额（本书据官方发布重建；左栏为报告时期，右栏为报告之后）",
                "数据来源：" + "；".join(dict.fromkeys(official["source_title"])) + "；报告正文", data=drawn)
    return tech


def show_tech_records(tech: TechMarket) -> Table:
    """补表 4-6: every record of the indicator with its standing (a lead is not a source)."""
    records = tech.records
    return show_table(records.assign(standing=records["standing"].map(sources.LABEL))[
                          ["year", "value", "growth_pct", "standing", "source_title", "source_url"]]
                      .rename(columns={"year": "年份", "value": "成交金额（亿元）", "growth_pct": "增速（%）",
                                       "standing": "来源地位", "source_title": "页面", "source_url": "网址"}),
                      caption="补表 4-6 图表 26 的线索：数据包中技术合同成交金额的全部记录及其来源地位",
                      source="数据来源：data/external/sh_stats.csv（来源地位为“线索”的行不作来源）",
                      formats={"成交金额（亿元）": "{:.2f}", "增速（%）": "{:.1f}"})


def glue_tech_lead(tech: TechMarket) -> pd.Series:
    """The box “依据线索”: the last lead of the report's period (before its year, in 亿元) that gives both the value
    and the growth, and the prior year's value they imply — glued, said to rest on a lead; returns the lead."""
    leads = sources.leads(tech.records).dropna(subset=["value", "growth_pct"])
    leads = leads[(leads["unit"] == "亿元") & (leads["year"] < tech.split)]
    if leads.empty:
        raise ValueError(f"{TECH_FILE}: no lead row of {TECH_INDICATOR} before {tech.split} with a value and a growth "
                         "in 亿元 (the box on the report's figure reads one)")
    lead = leads.iloc[-1]
    glue_number("ch4_lead_year", int(lead["year"]))
    glue_number("ch4_lead_prior_year", int(lead["year"]) - 1)
    glue_number("ch4_lead_value", float(lead["value"]))
    glue_number("ch4_lead_growth", float(lead["growth_pct"]))
    glue_number("ch4_lead_prior", arith.prior_value(float(lead["value"]), float(lead["growth_pct"])),
                how=f"{lead['id']}：成交金额 ÷ (1 + 增速/100)（依据线索）")
    host = urlparse(str(lead["source_url"])).hostname
    if not host:
        raise ValueError(f"{TECH_FILE}, row {lead['id']}, column source_url: expected a web address, got {lead['source_url']!r}")
    glue_text("ch4_lead_host", host)
    glue_text("ch4_lead_standing", sources.LABEL[lead["standing"]])
    return lead


def glue_intl_check(claims: pd.DataFrame) -> None:
    """The check of the international cooperation section: the audit's product and its verdict."""
    glue_number("ch4_intl_product", audit.claim_value(claims, "ch4-intl-limit", "recomputed"))
    glue_verdict("ch4_intl_verdict", status_of(claims, "ch4-intl-limit"), "一致", "不一致")
