"""Chapter 3's industry figures for a chosen period: the report's 2018 tables or a monthly release.

``period = "2018"`` uses the report's 表格 6/7 exactly as printed (and the prose's 68.5% share);
``period = "YYYY-MM"`` uses the statistics bureau's release for that month (cumulative Jan–month values),
where the share of the six key industries is computed from the published 规模以上工业总产值.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from aibook import arith, names
from aibook.data import DataError, fact, facts, load
from aibook.paths import resolve_data_dir
from aibook.releases import ABOVE_SCALE, available_periods, load_release, six_industries_table
from aibook.tables import md_escape

REPORT_PERIOD = "2018"


class PeriodUnavailable(DataError):
    """No data for the requested period; the message lists the periods that exist."""


@dataclass
class IndustryPeriod:
    """What chapter 3's industry section shows for one period."""

    period: str
    label: str  # "2018年" or "2019年1–6月"
    six: pd.DataFrame  # 表格 6 shape: indicator, level, value, growth_pct
    above_scale_total: float
    share_pct: float
    share_is_stated: bool  # True: the report's stated share (total implied); False: computed from published totals
    above_scale_growth_pct: float | None
    source_line: str
    value_added: float | None = None  # 工业增加值 (the report's prose; releases do not carry it)
    value_added_growth_pct: float | None = None

    @property
    def check(self) -> arith.SumCheck:
        return arith.check_components(self.six)

    @property
    def components(self) -> pd.DataFrame:
        parts = arith.components(self.six)[1].copy()
        parts["share_six"] = arith.shares(parts, "value", self.check.total)
        parts["share_above_scale"] = arith.shares(parts, "value", self.above_scale_total)
        return parts


def periods(data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Every period chapter 3 can be built for."""
    return [REPORT_PERIOD, *available_periods(data_dir)]


def industry_period(period: str | int, data_dir: str | os.PathLike[str] | None = None) -> IndustryPeriod:
    """The industry data for ``period``; :class:`PeriodUnavailable` when the data package has none."""
    period = str(period)
    if period == REPORT_PERIOD:
        t6 = load(names.T06, data_dir)
        f = facts(data_dir)
        share: float = fact(f, "ch3_six_key_industries_share_2018")
        check = arith.check_components(t6)
        growth = fact(f, "ch3_sei_industrial_output_growth_2018") - fact(f, "ch3_sei_output_growth_gap_2018")
        return IndustryPeriod(period, "2018年", t6, arith.implied_total(check.total, share), share, True,
                              round(growth, 1), t6.attrs["source_line"],
                              fact(f, "ch3_industrial_value_added_2018"), fact(f, "ch3_industrial_value_added_growth_2018"))
    if period not in available_periods(data_dir):
        raise PeriodUnavailable(
            resolve_data_dir(data_dir),
            f"no data for period {period!r}: chapter 3 can be built for {', '.join(periods(data_dir))} "
            f"(add a release as releases/tjj-industrial-production-YYYY-MM.csv)",
        )
    release = load_release(period, data_dir)
    six = six_industries_table(release)
    rows = release.set_index("indicator")
    cumulative = float(rows.at[ABOVE_SCALE, "cumulative_value"])
    share = float(arith.components(six)[0]["value"]) / cumulative * 100
    month = release.attrs["month"]
    label = f"{release.attrs['year']}年" + ("1月" if month == 1 else f"1–{month}月")
    return IndustryPeriod(period, label, six, cumulative, share, False,
                          float(rows.at[ABOVE_SCALE, "cumulative_growth_pct"]), release.attrs["source_line"])


def summary_markdown(ind: IndustryPeriod) -> str:
    """The industry paragraph for ``ind``, every number formatted from data (never typed)."""
    check = ind.check
    parts = ind.components
    fastest = parts.loc[parts["growth_pct"].idxmax()]
    slowest = parts.loc[parts["growth_pct"].idxmin()]
    total_growth = float(arith.components(ind.six)[0]["growth_pct"])
    if ind.share_is_stated:
        share = (f"报告称其占全市规模以上工业总产值的 **{ind.share_pct:.1f}%**，由此反推的规上工业总产值约为 "
                 f"**{ind.above_scale_total:.0f}** 亿元")
    else:
        share = (f"同期规模以上工业总产值为 **{ind.above_scale_total:.2f}** 亿元"
                 + (f"（比去年同期 {ind.above_scale_growth_pct:+.1f}%）" if ind.above_scale_growth_pct is not None
                    else "")
                 + f"，六个行业占其 **{ind.share_pct:.1f}%**（由统计局公布的两个总额直接计算）")
    lead = ""
    if ind.value_added is not None:
        lead = (f"{ind.label}上海实现工业增加值 **{ind.value_added:.2f}** 亿元，比上年增长 "
                f"**{ind.value_added_growth_pct:.1f}%**。")
    text = lead + (
        f"{ind.label}，六个重点工业行业合计完成工业总产值 **{check.total:.2f}** 亿元，"
        f"比上年同期{'增长' if total_growth >= 0 else '下降'} **{abs(total_growth):.1f}%**；{share}。"
        f"六个行业中增长最快的是{md_escape(fastest['indicator'])}（**{fastest['growth_pct']:+.1f}%**），"
        f"收缩最明显的是{md_escape(slowest['indicator'])}（**{slowest['growth_pct']:+.1f}%**）。"
        f"六个分项之和为 **{check.components:.2f}** 亿元，与合计相差 **{check.difference:.2f}** 亿元"
        + ("，属于各项分别四舍五入造成的尾差。" if check.consistent and check.difference else "。")
    )
    return text


def sei_summary_markdown(t7: pd.DataFrame, data_dir: str | os.PathLike[str] | None = None) -> str:
    """The strategic-emerging-industries paragraph (report period only), numbers from 表格 7 and the prose."""
    f = facts(data_dir)
    output = fact(f, "ch3_sei_industrial_output_2018")
    growth = fact(f, "ch3_sei_industrial_output_growth_2018")
    gap = fact(f, "ch3_sei_output_growth_gap_2018")
    share = fact(f, "ch3_sei_output_share_2018")
    implied = arith.implied_total(output, share)
    six_implied = industry_period(REPORT_PERIOD, data_dir).above_scale_total
    check = arith.check_components(t7)
    services = t7[t7["indicator"] == "服务业"].iloc[0]
    industry = t7[t7["indicator"] == "工业"].iloc[0]
    lead = "超过" if services["value"] > industry["value"] and services["growth_pct"] > industry["growth_pct"] else "不及"
    return (
        f"战略性新兴产业是另一条观察线。工业中的战略性新兴产业完成总产值 **{output:.2f}** 亿元，增长 **{growth:.1f}%**，"
        f"报告说它比规上工业总产值增速快 **{gap:.1f}** 个百分点，由此可推出规上工业总产值增速约为 **{growth - gap:.1f}%**。"
        f"它占规上工业总产值的 **{share:.1f}%**，据此反推的规上总产值约 **{implied:.0f}** 亿元，"
        f"与由六个行业占比反推的 **{six_implied:.0f}** 亿元相差 **{abs(implied - six_implied) / six_implied * 100:.2f}%**，"
        "两处表述大体自洽。\n\n"
        f"按增加值口径（表格 7），战略性新兴产业合计 **{check.total:.2f}** 亿元（工业与服务业两项之和 "
        f"**{check.components:.2f}** 亿元）；其中服务业部分 **{services['value']:.2f}** 亿元、增长 "
        f"**{services['growth_pct']:.1f}%**，在规模和增速上都{lead}工业部分，合计占全市生产总值的 "
        f"**{fact(f, 'ch3_sei_share_gdp_2018'):.1f}%**。"
    )
