"""第一章 内涵与意义: the national policies of 表格 1, counted, dated and drawn on a timeline.

The chapter's cells call these steps: :func:`policies` reads 表格 1 with the lane each policy is drawn in,
:func:`glue_policies` glues the counts and dates the prose reads, :func:`show_timeline` and :func:`show_data`
show 补图 1-1 and its data (补表 1-1).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from aibook import figures, load, names
from aibook.nb import cn_date, glue_number, glue_text, show_figure
from aibook.tables import Table, show_table, spaced

#: the lane of a policy whose issuer the report does not print (表格 1 writes “/”)
NO_ISSUER = "（报告未列出台单位）"
#: the issuer of the policies counted as the State Council's in the prose
STATE_COUNCIL = "国务院"


@dataclass(frozen=True)
class Policies:
    """表格 1 as transcribed, with the lane each policy is drawn in on the timeline."""

    table: pd.DataFrame
    #: each policy's issuer as the timeline names it: several issuers joined by “、”, “/” as :data:`NO_ISSUER`
    lane: pd.Series
    #: the lanes, the issuer with most policies first (ties in the order of 表格 1)
    lanes: list[str]


@dataclass(frozen=True)
class PolicyFacts:
    """What the prose reads of 表格 1: counts, and dates as prose writes them (2017 年 3 月)."""

    count: int
    state_council: int
    first_gov_report: str
    congress19: str
    smart_plus: str


def policies(data_dir: str | os.PathLike[str]) -> Policies:
    """表格 1 and each policy's lane (its issuer; the policies without one in a lane of their own)."""
    t1 = load(names.T01, data_dir)
    lane = t1["issuer"].where(t1["issuer"] != "/", NO_ISSUER).str.replace(" ", "、")
    counts = lane.value_counts()
    lanes = list(dict.fromkeys(lane.sort_values(key=lambda s: s.map(counts), ascending=False)))
    return Policies(t1, lane, lanes)


def _date_of(t1: pd.DataFrame, rows: pd.Series, what: str) -> str:
    """The date of the first (oldest) policy of ``rows``, as prose writes it; an error if 表格 1 has none."""
    found = t1[rows].sort_values("date", kind="stable")
    if found.empty:
        raise ValueError(f"{names.T01}: no policy of 表格 1 is {what} (column policy/significance); "
                         "the chapter's prose dates it")
    return spaced(cn_date(found["date"].iloc[0]))


def policy_facts(p: Policies) -> PolicyFacts:
    """The counts and dates the prose reads of 表格 1: its policies, the State Council's, the first government
    work report in it, the 19th Congress report and the policy that first names “智能+”."""
    t1 = p.table
    return PolicyFacts(
        count=len(t1),
        state_council=int((t1["issuer"] == STATE_COUNCIL).sum()),
        first_gov_report=_date_of(t1, t1["policy"].str.contains("政府工作报告"), "a 政府工作报告"),
        congress19=_date_of(t1, t1["policy"] == "十九大报告", "the 十九大报告"),
        smart_plus=_date_of(t1, t1["significance"].str.contains("智能\\+"), "said to name “智能+”"),
    )


def glue_policies(p: Policies) -> PolicyFacts:
    """Glue :func:`policy_facts` under the keys the prose reads (``ch1_policy_count`` …); returns them."""
    found = policy_facts(p)
    glue_number("ch1_policy_count", found.count)
    glue_number("ch1_state_council", found.state_council)
    glue_text("ch1_first_gov_report", found.first_gov_report)
    glue_text("ch1_congress19", found.congress19)
    glue_text("ch1_smart_plus", found.smart_plus)
    return found


def show_timeline(p: Policies) -> None:
    """补图 1-1: 表格 1's policies on a time axis, one colour per issuer."""
    t1 = p.table
    fig = figures.timeline(t1.assign(lane=p.lane), "date", "lane", "policy",
                           title="国家层面人工智能相关政策节点", lane_order=p.lanes)
    show_figure(fig, "补图 1-1", "国家人工智能政策时间线（据表格 1 绘制，按出台单位着色）", t1.attrs["source_line"],
                data=t1.assign(lane=p.lane)[["date", "lane", "policy"]])


def show_data(p: Policies) -> Table:
    """补表 1-1: the data of 补图 1-1."""
    t1 = p.table
    return show_table(t1.assign(出台单位=p.lane)[["date", "出台单位", "policy"]],
                      caption="补表 1-1 补图 1-1 的数据", source=t1.attrs["source_line"])
