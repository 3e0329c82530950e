"""Appendix B (``notebooks/appendix_audit.md``): the report's numbers checked against each other.

Every check, tolerance and verdict is :mod:`aibook.audit`'s (``audit.run_all``); this module only reads its results
— statuses, and the numbers behind each explanation (``audit.claim_value``) — and glues them for the appendix's
paragraphs, or returns the tables (附表 B-1 … B-7). A status is glued as the audit decided it; none is typed here.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

import pandas as pd
from IPython.display import display

from aibook import arith, audit, load, names
from aibook.data import cell, fact, facts
from aibook.nb import cn_date, glue_facts, glue_number, glue_text
from aibook.tables import Table, show_table

#: the source line of the appendix's tables of claims
SOURCE = ("数据来源：本书据数据包（facts、表格 6–16、external_sh_stats）复算；"
          "报告数值录自《上海人工智能与实体经济融合发展研究报告》（2019）")
#: what each status means (附表 B-1)
MEANING = {
    audit.CONSISTENT: "按报告的印刷精度完全吻合",
    audit.ROUNDING: "末位有出入，但在四舍五入可解释的范围内",
    audit.INCONSISTENT: "差距超出四舍五入的范围",
    audit.UNCHECKABLE: "数据包缺少所需数字",
}
#: the date a table prints for a policy whose date the prose gives differently (glue key → table, policy)
TABLE_DATES = {
    "audit_t5_opinion": (names.T05, "《关于本市推动新一代人工智能发展的实施意见》"),
    "audit_t3_mfg_plan": (names.T03, "《上海市智能制造行动计划（2019-2021年）》"),
    "audit_t5_action_plan": (names.T05, "《建设人工智能上海高地，构建一流创新生态行动方案》"),
}
#: the claims of the section on dates whose verdict the prose gives (each glued as ``audit_<id with _>``)
DATE_VERDICTS = ("ch4-date-ai-opinion-projects", "ch4-date-smart-mfg-plan", "ch4-date-ai-action-plan",
                 "ch4-date-ai-opinion-chapters", "ch4-t17-issuer")
_EXTERNAL = re.compile(r"external_sh_stats (s\d+)《([^》]+)》")


@dataclass
class Audit:
    """The audit's results for this page: the facts, every claim checked, and the tolerance used."""

    F: pd.DataFrame
    claims: pd.DataFrame
    tolerance: float | None

    @property
    def by_id(self) -> pd.DataFrame:
        return self.claims.set_index("id")

    def status(self, claim_id: str) -> str:
        """A claim's status as the audit decided it; a claim the audit did not produce cannot be checked."""
        by_id = self.by_id
        return str(by_id.at[claim_id, "status"]) if claim_id in by_id.index else audit.UNCHECKABLE

    def value(self, claim_id: str, name: str) -> float:
        """A number the audit computed for its explanation of ``claim_id`` (the audit's own, not recomputed here)."""
        return audit.claim_value(self.claims, claim_id, name)

    def with_status(self, status: str) -> pd.DataFrame:
        return self.claims[self.claims["status"] == status]


def run(data_dir: str | os.PathLike[str], tolerance: float | None = None) -> Audit:
    """Run every check of the audit (with ``tolerance``, or each claim's default from its printed precision)."""
    return Audit(facts(data_dir), audit.run_all(data_dir, tolerance=tolerance), tolerance)


def tolerance_text(tolerance: float | None) -> str:
    return "默认（逐条按印刷精度推算）" if tolerance is None else f"统一为 {tolerance}"


def glue_summary(a: Audit) -> None:
    """Glue the counts per status and the numbers of the section on the rule (the IoT and 表格 7 examples)."""
    counts = audit.summary(a.claims).set_index("status")["count"]
    glue_number("audit_total", len(a.claims))
    glue_number("audit_n_ok", counts[audit.CONSISTENT])
    glue_number("audit_n_rounding", counts[audit.ROUNDING])
    glue_number("audit_n_mismatch", counts[audit.INCONSISTENT])
    glue_number("audit_n_unchecked", counts[audit.UNCHECKABLE])
    glue_text("audit_tolerance_text", tolerance_text(a.tolerance))
    band = arith.printed_interval(fact(a.F, "ch4_global_iot_cagr"),
                                  arith.decimals_of(a.F.at["ch4_global_iot_cagr", "value_text"]))
    glue_number("audit_rule_lo", band.lo, how="报告数字所代表区间的下端（印刷精度的半个单位）")
    glue_number("audit_rule_hi", band.hi, how="报告数字所代表区间的上端（印刷精度的半个单位）")
    glue_number("audit_iot_lo", a.value("ch4-iot-global-cagr", "reach_lo"))
    glue_number("audit_iot_hi", a.value("ch4-iot-global-cagr", "reach_hi"))
    glue_number("audit_t7_lo", a.value("ch3-t7-growth-synth", "aggregate_lo"))
    glue_number("audit_t7_hi", a.value("ch3-t7-growth-synth", "aggregate_hi"))
    glue_text("audit_t7_synth_status", a.by_id.at["ch3-t7-growth-synth", "status"])


def summary_tables(a: Audit) -> None:
    """Show 附表 B-1 (claims per status, with what it means) and 附表 B-2 (per check kind and status)."""
    summ = audit.summary(a.claims)
    summ["含义"] = summ["status"].map(MEANING)
    display(show_table(summ.rename(columns={"status": "结论", "count": "条数"}),
                       caption="附表 B-1 核对结论汇总", source=SOURCE))
    display(show_table(audit.by_kind(a.claims), caption="附表 B-2 按核对方法与结论分列的条数", source=SOURCE))


def claims_table(a: Audit, caption: str, status: str | None = None) -> Table:
    """The claims (all, or those with ``status``) as the reader reads them (附表 B-3, B-4, B-6)."""
    shown = a.claims if status is None else a.with_status(status)
    return show_table(audit.display_frame(shown), caption=caption, source=SOURCE)


def glue_mismatches(a: Audit) -> None:
    """Glue the numbers of the fund units (batches vs total) and of the Beijing + Shanghai talent shares."""
    batch_ids = sorted(i for i in a.F.index if i.startswith("ch4_fund_batch_") and i.endswith("_units"))
    for n, batch in enumerate(batch_ids, start=1):
        glue_number(f"audit_fund_b{n}", fact(a.F, batch))
    glue_number("audit_fund_sum", a.value("ch4-fund-units-sum", "batches_sum"))
    glue_number("audit_fund_total", fact(a.F, "ch4_fund_total_units"))
    glue_number("audit_fund_gap", a.value("ch4-fund-units-sum", "gap"))
    glue_text("audit_fund_status", a.status("ch4-fund-units-sum"))
    glue_number("audit_talent_total", fact(a.F, "ch3_ai_talent_bj_sh_share"))
    glue_number("audit_talent_bj", fact(a.F, "ch3_ai_talent_beijing_share"))
    glue_number("audit_talent_sh", fact(a.F, "ch3_ai_talent_shanghai_share"))
    glue_number("audit_talent_sum", a.value("ch3-bj-sh-talent", "sum"))
    glue_number("audit_talent_gap", a.value("ch3-bj-sh-talent", "gap"))
    glue_text("audit_talent_status", a.status("ch3-bj-sh-talent"))


def electronics_alternatives(a: Audit) -> pd.DataFrame:
    """附表 B-5: the six industries' aggregate growth with either printed electronics rate, and 表格 7 by the
    same method, each against the table's own total growth."""
    v = a.value
    frame = pd.DataFrame({
        "情形": [f"电子信息取表格 6 的 {v('ch4-electronics-growth-prose', 'table_rate'):.1f}%",
                 f"电子信息取正文的 {fact(a.F, 'ch4_sh_electronics_output_growth_2018'):.1f}%", "对照：表格 7 用同一方法合成"],
        "合成的合计增速（%）": [v("ch4-electronics-growth-prose", "aggregate_growth_table"),
                        v("ch4-electronics-growth-prose", "aggregate_growth_prose"), v("ch3-t7-sum", "aggregate_growth")],
        "表中合计增速（%）": [v("ch3-t6-sum", "total_growth")] * 2 + [v("ch3-t7-sum", "total_growth")],
    })
    frame["差距（百分点）"] = frame["合成的合计增速（%）"] - frame["表中合计增速（%）"]
    return frame


def electronics_table(a: Audit, data_dir: str | os.PathLike[str]) -> Table:
    """Glue the numbers of the section on the electronics growth rate; return 附表 B-5."""
    t6 = load(names.T06, data_dir)
    ele = t6[t6["indicator"] == "电子信息产品制造业"].iloc[0]
    alternatives = electronics_alternatives(a)
    glue_number("audit_ele_value", ele["value"])
    glue_number("audit_ele_table", a.value("ch4-electronics-growth-prose", "table_rate"))
    glue_number("audit_ele_prose", fact(a.F, "ch4_sh_electronics_output_growth_2018"))
    glue_number("audit_ele_584", fact(a.F, "ch4_sh_electronics_growth_584_2018"))
    glue_number("audit_six_growth", a.value("ch3-t6-sum", "total_growth"))
    glue_number("audit_agg_table", a.value("ch4-electronics-growth-prose", "aggregate_growth_table"))
    glue_number("audit_agg_prose", a.value("ch4-electronics-growth-prose", "aggregate_growth_prose"))
    glue_number("audit_agg_prose_gap", a.value("ch4-electronics-growth-prose", "aggregate_gap_prose"))
    glue_number("audit_t7_agg", a.value("ch3-t7-sum", "aggregate_growth"))
    glue_text("audit_t6_synth_status", a.status("ch3-t6-growth-synth"))
    glue_number("audit_t7_growth", a.value("ch3-t7-sum", "total_growth"))
    glue_number("audit_t7_gap", a.value("ch3-t7-sum", "aggregate_gap"))
    glue_text("audit_ele_status", a.status("ch4-electronics-growth-prose"))
    glue_text("audit_ele_584_status", a.status("ch4-electronics-growth-584"))
    return show_table(alternatives, caption="附表 B-5 电子信息产品制造业增速的两种写法与六个行业合计增速",
                      source="数据来源：表格 6、表格 7（上海市统计局、中国信通院华东分院整理）；正文第四章 二（一）3；本书核对（附录 B）",
                      formats={"合成的合计增速（%）": "{:.2f}", "表中合计增速（%）": "{:.1f}", "差距（百分点）": "{:+.2f}"})


def needed_tolerance(gap: float) -> float:
    """The tolerance, to a tenth of a point upward, at which a gap of ``gap`` points would be a rounding error."""
    return math.ceil(gap * 10) / 10


def glue_iot(a: Audit) -> None:
    """Glue the numbers of the section on the IoT markets' growth rates (global, and China's in the same sentence)."""
    start, end = fact(a.F, "ch4_global_iot_market_2017"), fact(a.F, "ch4_global_iot_market_2022")
    row = a.by_id.loc["ch4-iot-global-cagr"]
    years = int(a.value("ch4-iot-global-cagr", "years"))
    gap = a.value("ch4-iot-global-cagr", "gap") if pd.notna(row["recomputed"]) else float("nan")  # none if uncheckable
    glue_number("audit_iot_start", start)
    glue_number("audit_iot_end", end)
    glue_number("audit_iot_years", years)
    glue_number("audit_iot_calc", row["recomputed"])
    glue_number("audit_iot_stated", row["stated"])
    glue_number("audit_iot_gap", gap)
    glue_number("audit_iot_tol", row["tolerance"])
    glue_number("audit_iot_needed_tol", needed_tolerance(gap))
    glue_number("audit_iot_needed_start", end / (1 + row["stated"] / 100) ** years)  # traced to the 2022 fact
    glue_text("audit_iot_status", row["status"])
    cn = a.by_id.loc["ch4-iot-china-cagr"]
    glue_number("audit_cn_iot_start", fact(a.F, "ch4_cn_iot_market_2017"))
    glue_number("audit_cn_iot_end", fact(a.F, "ch4_cn_iot_market_2022"))
    glue_number("audit_cn_iot_calc", cn["recomputed"])
    glue_text("audit_cn_iot_status", cn["status"])


def basis(a: Audit, claim_id: str) -> str:
    """Where the package's number for a check comes from (the publisher's page the audit named), or that there is
    none (a check that cannot be made had only reposts)."""
    if a.status(claim_id) == audit.UNCHECKABLE:
        return "数据包里只有转载页面上的数字，没有发布者来源"
    ref = _EXTERNAL.search(str(a.by_id.at[claim_id, "reason"]))
    if ref is None:
        raise ValueError(f"claim {claim_id}: its reason names no external_sh_stats row (s…《title》)")
    return f"数据包取自发布者页面《{ref.group(2)}》（{ref.group(1)}）"


def glue_rounding(a: Audit) -> None:
    """Glue the numbers of the section on rounding (表格 6's parts) and on the coincidence of growth rates."""
    parts = a.value("ch3-t6-sum", "parts_sum")
    glue_number("audit_t6_parts", parts)
    glue_number("audit_t6_total", a.value("ch3-t6-sum", "total"))
    glue_number("audit_t6_diff", parts - a.value("ch3-t6-sum", "total"))
    glue_text("audit_t6_status", a.status("ch3-t6-sum"))
    glue_number("audit_sei_growth", fact(a.F, "ch3_sei_industrial_output_growth_2018"))
    glue_number("audit_sei_gap", fact(a.F, "ch3_sei_output_growth_gap_2018"))
    glue_number("audit_implied_above_growth", a.value("ch3-sei-gap", "implied_above_growth"))
    glue_number("audit_six_share", fact(a.F, "ch3_six_key_industries_share_2018"))
    glue_number("audit_sei_share", fact(a.F, "ch3_sei_output_share_2018"))
    glue_number("audit_implied_a", a.value("ch3-six-share", "implied_total_six"))
    glue_number("audit_implied_b", a.value("ch3-six-share", "implied_total_sei"))
    glue_text("audit_six_share_status", a.status("ch3-six-share"))
    glue_text("audit_gap_status", a.status("ch3-sei-gap"))
    glue_text("audit_six_share_basis", basis(a, "ch3-six-share"))
    glue_text("audit_gap_basis", basis(a, "ch3-sei-gap"))
    glue_text("audit_cross_status", a.status("ch3-six-share-vs-sei"))


def date_facts(a: Audit) -> list[str]:
    """The facts the date checks compare (each date the prose gives for a policy that is dated twice)."""
    dates = a.claims[a.claims["kind"] == "date"]
    named = (s for sources in dates["sources"] for s in str(sources).split("；"))
    return [i for i in dict.fromkeys(named) if i in a.F.index]


def dates_table(a: Audit, data_dir: str | os.PathLike[str]) -> Table:
    """Glue the numbers and dates of the section on dates (each as its table and the prose print it, and the
    verdicts); return 附表 B-7, the dates the report gives in two places."""
    dates = a.claims[a.claims["kind"] == "date"]
    glue_number("audit_n_dates", len(dates))
    glue_number("audit_n_dates_bad", int((dates["status"] == audit.INCONSISTENT).sum()))
    for key, (resource, policy) in TABLE_DATES.items():
        glue_text(key, cn_date(cell(load(resource, data_dir), {"policy": policy}, "date")))
    glue_facts(a.F, also=date_facts(a))
    for claim_id in DATE_VERDICTS:
        glue_text("audit_" + claim_id.replace("-", "_"), a.status(claim_id))
    return show_table(audit.display_frame(dates).rename(columns={"报告数值": "正文所记", "复算值": "另一处所记"}),
                      caption="附表 B-7 报告在两处所记的日期", source=SOURCE)
