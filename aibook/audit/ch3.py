"""Bespoke checks of chapter 3 (产业基础): claims whose check is more than a row of ``claims.csv`` can say.

Each function is registered by :func:`~aibook.audit.engine.bespoke` under its name, which is the claim id of
its row in ``claims.csv`` with ``_`` for ``-``; the row holds the chapter and the report order.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from aibook import arith, names
from aibook.analysis import university_of
from aibook.audit.checks import (
    EXACT,
    Check,
    MissingData,
    check_count,
    check_formula,
    check_gap,
    check_share,
    check_sum,
    fmt,
    half_unit,
    uncheckable,
)
from aibook.audit.context import Context, Fact
from aibook.audit.engine import Finding, bespoke, found, from_fact


def aggregate_growth(parts: pd.DataFrame, replace: dict[str, float] | None = None) -> float:
    """Growth of the total synthesized from the components' values and rates (some rates replaced)."""
    rates = [(replace or {}).get(name, g) for name, g in zip(parts["indicator"], parts["growth_pct"], strict=True)]
    return arith.aggregate_growth(parts["value"].astype(float).tolist(), [float(r) for r in rates])


def _table_sum(ctx: Context, table: str, fact_id: str) -> tuple[pd.Series, pd.DataFrame, Fact, Check, dict[str, Any]]:
    """A table's components summed against its total row (both printed to 0.01), with the numbers behind it.

    The values include the total growth synthesized from the components' rates: it shows whether the
    printed growth rates of the parts can give the printed growth of the total.
    """
    total, parts = ctx.components(table)
    chk = check_sum(parts["value"].tolist(), float(total["value"]), decimals=2, part_decimals=2,
                    tolerance=ctx.tolerance)
    agg, growth = aggregate_growth(parts), float(total["growth_pct"])
    values = {"parts_sum": float(parts["value"].sum()), "total": float(total["value"]), "aggregate_growth": agg,
              "total_growth": growth, "aggregate_gap": abs(agg - growth)}
    return total, parts, ctx.fact(fact_id), chk, values


@bespoke
def ch3_t6_sum(ctx: Context) -> Finding:
    total, parts, f, chk, values = _table_sum(ctx, names.T06, "ch3_six_key_industries_output_2018")
    gap = float(parts["value"].sum()) - float(total["value"])
    reason = (f"{len(parts)} 个分项相加为 {chk.recomputed_text} 亿元，比合计行多 {gap:.2f} 亿元；"
              f"每个分项四舍五入到 0.01 亿元，{len(parts)} 项累计最多可差 {len(parts) * 0.005:.3f} 亿元。")
    values.update(difference=gap, n_parts=len(parts), rounding_limit=len(parts) * 0.005)
    return found(f, "表格 6：六个重点行业分项之和等于合计", float(total["value"]),
                 fmt(float(total["value"]), 2), "亿元", chk, reason, "sum", (names.T06,), values)


def _sei_path_total(ctx: Context) -> tuple[Fact, Fact, Fact, Fact]:
    return (ctx.fact("ch3_six_key_industries_output_2018"), ctx.fact("ch3_six_key_industries_share_2018"),
            ctx.fact("ch3_sei_industrial_output_2018"), ctx.fact("ch3_sei_output_share_2018"))


@bespoke
def ch3_six_share(ctx: Context) -> Finding:
    six, share, sei, sei_share = _sei_path_total(ctx)
    implied_a = arith.implied_total(six.v, share.v)
    implied_b = arith.implied_total(sei.v, sei_share.v)
    values = {"implied_total_six": implied_a, "implied_total_sei": implied_b,
              "implied_gap_pct": abs(implied_a - implied_b) / implied_b * 100}
    own = (f"报告自身两处占比反推的规上总产值分别为 {implied_a:.1f} 亿元（由本句）和 {implied_b:.1f} 亿元"
           f"（由战新产业 {sei_share.text}%），相差 {values['implied_gap_pct']:.2f}%。")
    try:
        whole, wdec, src = ctx.external("规模以上工业总产值", 2018)
    except MissingData as exc:
        return from_fact(share, "六个重点行业占规上工业总产值的比重", uncheckable(exc.args[0]),
                         f"数据包中没有官方来源的 2018 年规上工业总产值，无法复算本句。{own}", "share",
                         (six.id, names.SH_STATS), values=values)
    chk = check_share(six.v, whole, share.v, decimals=share.decimals, part_decimals=six.decimals,
                      whole_decimals=wdec, tolerance=ctx.tolerance)
    reason = (f"规上工业总产值取公开资料（{src}）的 {fmt(whole, 0)} 亿元，只精确到百亿元，故复算值有约 "
              f"±{(chk.tolerance or 0.0) - half_unit(share.decimals):.2f} 个百分点的不确定。{own}")
    values["whole"] = whole
    return from_fact(share, "六个重点行业占规上工业总产值的比重", chk, reason, "share",
                     (six.id, names.SH_STATS), values=values)


@bespoke
def ch3_six_share_vs_sei(ctx: Context) -> Finding:
    six, share, sei, sei_share = _sei_path_total(ctx)
    chk = check_formula(share.v, lambda v: v[0] / (v[1] / v[2] * 100) * 100, [six.v, sei.v, sei_share.v],
                        decimals=share.decimals, input_decimals=[six.decimals, sei.decimals, sei_share.decimals],
                        tolerance=ctx.tolerance,
                        detail=f"{six.text} / ({sei.text} / {sei_share.text}%) × 100")
    whole = arith.implied_total(sei.v, sei_share.v)
    reason = (f"用战新产业产值 {sei.text} 亿元及其占比 {sei_share.text}% 反推规上工业总产值约 {whole:.1f} 亿元，"
              f"六个重点行业占其 {chk.recomputed_text}%：两处占比说法互相吻合。")
    return found(share, f"{share.text}% 与 {sei_share.text}% 两处占比指向同一个规上工业总产值",
                 share.v, share.text, share.unit, chk, reason, "share", (share.id, six.id, sei.id, sei_share.id),
                 {"implied_total_sei": whole})


@bespoke
def ch3_sei_share(ctx: Context) -> Finding:
    sei, sei_share = ctx.fact("ch3_sei_industrial_output_2018"), ctx.fact("ch3_sei_output_share_2018")
    try:
        whole, wdec, src = ctx.external("规模以上工业总产值", 2018)
    except MissingData as exc:
        return from_fact(sei_share, "工业战略性新兴产业占规上工业总产值的比重", uncheckable(exc.args[0]),
                         "数据包中没有官方来源的 2018 年规上工业总产值，无法复算本句。", "share",
                         (sei.id, names.SH_STATS))
    chk = check_share(sei.v, whole, sei_share.v, decimals=sei_share.decimals, part_decimals=sei.decimals,
                      whole_decimals=wdec, tolerance=ctx.tolerance)
    return from_fact(sei_share, "工业战略性新兴产业占规上工业总产值的比重", chk,
                     f"规上工业总产值取公开资料（{src}）的 {fmt(whole, 0)} 亿元（精确到百亿元）。", "share",
                     (sei.id, names.SH_STATS), values={"whole": whole})


@bespoke
def ch3_sei_gap(ctx: Context) -> Finding:
    gap, growth = ctx.fact("ch3_sei_output_growth_gap_2018"), ctx.fact("ch3_sei_industrial_output_growth_2018")
    six_growth = ctx.fact("ch3_six_key_industries_output_growth_2018")
    implied = {"implied_above_growth": growth.v - gap.v}
    same = (f"由报告两句推出的规上增速 {growth.text} − {gap.text} = {growth.v - gap.v:.1f}% 恰好与六个重点行业的增速 "
            f"{six_growth.text}% 相同，但那是另一个口径（六个行业只占规上工业的一部分），不能用来核对本句。")
    try:
        above, adec, src = ctx.external("规模以上工业总产值", 2018, field="growth_pct")
    except MissingData as exc:
        return from_fact(gap, "战新产业产值增速比规上工业总产值快若干个百分点", uncheckable(exc.args[0]),
                         f"数据包中没有官方来源的 2018 年规上工业总产值增速，无法复算本句。{same}", "gap",
                         (growth.id, names.SH_STATS), values=implied)
    chk = check_gap(growth.v, above, gap.v, decimals=gap.decimals, input_decimals=[growth.decimals, adec],
                    tolerance=ctx.tolerance)
    reason = f"规上工业总产值增速取公开资料（{src}）的 {fmt(above, adec)}%。{same}"
    return from_fact(gap, "战新产业产值增速比规上工业总产值快若干个百分点", chk, reason, "gap",
                     (growth.id, names.SH_STATS), values={"above_growth": above, **implied})


def _growth_synth(ctx: Context, table: str, fact_id: str, label: str) -> Finding:
    """A table's total growth against the growth synthesized from its components' values and rates.

    Each component's base is value / (1 + rate); the synthesized growth is the components' sum over the sum
    of their bases. Values are printed to 0.01, rates to 0.1; the one rule of :mod:`.checks` decides.
    """
    total, parts = ctx.components(table)
    values = parts["value"].astype(float).tolist()
    rates = parts["growth_pct"].astype(float).tolist()
    n = len(values)
    chk = check_formula(float(total["growth_pct"]), lambda v: arith.aggregate_growth(v[:n], v[n:]), values + rates,
                        decimals=1, input_decimals=[2] * n + [1] * n, tolerance=ctx.tolerance,
                        shown_decimals=2, detail="各分项上年基数 = 产值 ÷ (1 + 增速)，合计增速 = 产值之和 ÷ 基数之和 − 1")
    reach = chk.interval
    span = f"{reach.lo:.2f}%–{reach.hi:.2f}%" if reach else chk.recomputed_text
    reason = (f"由{'、'.join(parts['indicator'])}的产值与增速合成的合计增速为 {chk.recomputed_text}%，"
              f"各数在印刷精度内变动时可取 {span}；表中合计为 {fmt(float(total['growth_pct']), 1)}%。"
              "统计部门的增速按可比价格计算，这里的权重是现价产值，合成只是近似；结论只说明差距是否超出舍入范围。")
    return found(ctx.fact(fact_id), f"{_label(ctx, table)}：分项增速合成的合计增速与表中合计增速", float(total["growth_pct"]),
                 fmt(float(total["growth_pct"]), 1), "%", chk, reason, "synth", (table,),
                 {"aggregate_growth": chk.recomputed or 0.0, "total_growth": float(total["growth_pct"]),
                  "aggregate_gap": abs((chk.recomputed or 0.0) - float(total["growth_pct"])),
                  "aggregate_lo": reach.lo if reach else 0.0, "aggregate_hi": reach.hi if reach else 0.0})


def _label(ctx: Context, table: str) -> str:
    from aibook.data import resource_info

    return f"表格 {resource_info(table, ctx.data_dir)['report_table']}"


@bespoke
def ch3_t6_growth_synth(ctx: Context) -> Finding:
    return _growth_synth(ctx, names.T06, "ch3_six_key_industries_output_growth_2018", "六个重点行业")


@bespoke
def ch3_t7_growth_synth(ctx: Context) -> Finding:
    return _growth_synth(ctx, names.T07, "ch3_sei_value_added_growth_2018", "战略性新兴产业")


@bespoke
def ch3_t7_sum(ctx: Context) -> Finding:
    total, parts, f, chk, values = _table_sum(ctx, names.T07, "ch3_sei_value_added_2018")
    joined = "与".join(parts["indicator"])
    return found(f, f"表格 7：战新产业增加值 = {joined}之和", float(total["value"]),
                 fmt(float(total["value"]), 2), "亿元", chk, f"{chk.detail} 亿元。", "sum", (names.T07,), values)


@bespoke
def ch3_sei_gdp_share(ctx: Context) -> Finding:
    f, va = ctx.fact("ch3_sei_share_gdp_2018"), ctx.fact("ch3_sei_value_added_2018")
    gdp = arith.implied_total(va.v, f.v)
    reason = (f"需要 2018 年上海市生产总值，数据包没有；外部资料里的同一比重只是这句话的转述，不是独立数据。"
              f"按本句反推，生产总值约为 {gdp:.0f} 亿元，补入 GDP 后即可核对。")
    return from_fact(f, "战新产业增加值占全市生产总值的比重", uncheckable(), reason, "share",
                     (va.id,), values={"implied_gdp": gdp})


@bespoke
def ch3_sei_gdp_share_change(ctx: Context) -> Finding:
    f, now = ctx.fact("ch3_sei_share_gdp_change_2018"), ctx.fact("ch3_sei_share_gdp_2018")
    prev, pdec, src = ctx.external("战略性新兴产业增加值占GDP比重", 2017)
    chk = check_gap(now.v, prev, f.v, decimals=f.decimals, input_decimals=[now.decimals, pdec],
                    tolerance=ctx.tolerance)
    return from_fact(f, "战新产业占 GDP 比重比上年提高若干个百分点", chk,
                     f"上年比重取公开资料（{src}）的 {fmt(prev, pdec)}%：{chk.detail} = {chk.recomputed_text}。",
                     "gap", (now.id, names.SH_STATS), values={"previous_share": prev})


@bespoke
def ch3_bj_sh_talent(ctx: Context) -> Finding:
    total, bj, sh = (ctx.fact("ch3_ai_talent_bj_sh_share"), ctx.fact("ch3_ai_talent_beijing_share"),
                     ctx.fact("ch3_ai_talent_shanghai_share"))
    chk = check_sum([bj.v, sh.v], total.v, decimals=total.decimals, part_decimals=[bj.decimals, sh.decimals],
                    tolerance=ctx.tolerance)
    reason = (f"北京 {bj.text}% 与上海 {sh.text}% 相加为 {chk.recomputed_text}%，比所说的 {total.text}% 少 "
              f"{total.v - (chk.recomputed or 0):.1f} 个百分点；整数四舍五入最多只能差 0.5 个百分点。"
              f"“{total.text}%”只能理解为粗略的约数。")
    both = bj.v + sh.v
    values = {"beijing": bj.v, "shanghai": sh.v, "sum": both, "gap": total.v - both}
    return from_fact(total, "北京、上海 AI 人才占比之和", chk, reason, "sum", (bj.id, sh.id), values=values)




@bespoke
def ch3_t9_categories(ctx: Context) -> Finding:
    t9 = ctx.table(names.T09)
    approved, filed = int((t9["category"] == "审批").sum()), int((t9["category"] == "备案").sum())
    chk = check_sum([approved, filed], len(t9), decimals=EXACT, part_decimals=EXACT, tolerance=ctx.tolerance)
    other = len(t9) - approved - filed
    reason = (f"表格 9 共 {len(t9)} 个专业：教育部审批 {approved} 个、备案 {filed} 个"
              + (f"，另有 {other} 个类别不明。" if other else "，没有别的类别。"))
    return found(ctx.location(names.T09), "表格 9：专业数 = 审批 + 备案", float(len(t9)),
                 str(len(t9)), "个", chk, reason, "sum", (names.T09,))


_AI_MAJOR_SCHOOLS = ("上海交通大学", "同济大学")


@bespoke
def ch3_t9_ai_major(ctx: Context) -> Finding:
    t9 = ctx.table(names.T09)
    ai = t9[t9["major"] == "人工智能"]
    named = set(_AI_MAJOR_SCHOOLS)
    chk = check_count(int(ai["school"].isin(named).sum()), len(named), tolerance=ctx.tolerance)
    schools = "、".join(ai["school"]) or "没有学校"
    reason = (f"正文点名{'和'.join(_AI_MAJOR_SCHOOLS)}开设“人工智能”本科专业；表格 9 中该专业见于{schools}，"
              f"类别为{'、'.join(dict.fromkeys(ai['category'])) or '—'}。")
    return found(ctx.location(names.T09), "交大、同济开设“人工智能”本科专业（与表格 9 对照）",
                 float(len(named)), str(len(named)), "所", chk, reason, "count", (names.T09,))


@bespoke
def ch3_experts(ctx: Context) -> Finding:
    f = ctx.fact("ch3_expert_group_experts")
    t10 = ctx.table(names.T10)
    chk = check_count(len(t10), int(f.v), tolerance=ctx.tolerance)
    return from_fact(f, "入选教育部专家组的上海专家人数（对照表格 10）", chk,
                     f"表格 10 列出 {len(t10)} 位：{'、'.join(t10['name'])}。", "count", (names.T10,))


@bespoke
def ch3_expert_universities(ctx: Context) -> Finding:
    f = ctx.fact("ch3_expert_group_universities")
    univ = ctx.table(names.T10)["affiliation"].map(university_of)
    chk = check_count(univ.nunique(), int(f.v), tolerance=ctx.tolerance)
    return from_fact(f, "入选专家来自的上海高校数（对照表格 10）", chk,
                     f"从“单位”一栏取出高校名称：{'、'.join(dict.fromkeys(univ))}。", "count", (names.T10,))


@bespoke
def ch3_innovative_products(ctx: Context) -> Finding:
    f = ctx.fact("ch3_innovative_products_batch1")
    return from_fact(f, "首批发布的人工智能创新产品数", uncheckable(),
                     "报告没有列出这批产品，数据包里也没有名单，无从计数。", "count")
