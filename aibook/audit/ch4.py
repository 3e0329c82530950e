"""Chapter 4 (产业生态), claim by claim: the checks that need more than a template and a row of arguments.

Shares, the scenario counts of 表格 11–12, the special fund's batches, the
funds of 表格 16 and the IoT growth forecasts. A function here is found through its name (the claim id of
its ``claims.csv`` row, ``-`` written ``_``); chapter and order are that row's.
"""

from __future__ import annotations

import re

import pandas as pd

from aibook import arith, names
from aibook.audit import checks as ck
from aibook.audit.context import Context, Fact
from aibook.audit.engine import Finding, bespoke, found, from_fact, with_unit
from aibook.audit.templates import merge_note, merged_counts


@bespoke
def ch4_ic_sales(ctx: Context) -> Finding:
    f, inc = ctx.fact("ch4_ic_sales_2018"), ctx.fact("ch4_ic_sales_increase_2018")
    base = f.v - inc.v
    reason = (f"数据包没有 2017、2018 年上海集成电路销售规模的独立数据（公开资料只有 2019 年以后的数）。"
              f"由本句可推出 2017 年约 {base:.0f} 亿元、增速约 {inc.v / base * 100:.0f}%，但两个数都带“近”“约”，"
              "只能作为粗略参照。")
    return from_fact(f, "集成电路销售规模及较上年增加额", ck.uncheckable(), reason, "cagr", (inc.id,),
                     values={"implied_2017": base, "implied_growth": inc.v / base * 100})


@bespoke
def ch4_ic_national_share(ctx: Context) -> Finding:
    f = ctx.fact("ch4_ic_national_share")
    return from_fact(f, "上海集成电路产业规模占全国比重", ck.uncheckable(),
                     "需要全国集成电路产业规模，数据包没有；原文也没有注明年份。", "share")


@bespoke
def ch4_auto_decline(ctx: Context) -> Finding:
    prod, sales = ctx.fact("ch4_cn_auto_production_2018"), ctx.fact("ch4_cn_auto_sales_2018")
    dp, ds = ctx.fact("ch4_cn_auto_production_decline_2018"), ctx.fact("ch4_cn_auto_sales_decline_2018")
    prod_2017, sales_2017 = arith.prior_value(prod.v, -dp.v), arith.prior_value(sales.v, -ds.v)
    reason = (f"需要 2017 年全国汽车产销量，数据包没有。按本句反推，2017 年产量约 {prod_2017:.1f}"
              f" 万辆、销量约 {sales_2017:.1f} 万辆，补入上年数据即可核对。")
    return from_fact(dp, "全国汽车产量、销量比上年下降的幅度", ck.uncheckable(), reason, "cagr",
                     (prod.id, sales.id, ds.id), stated=-dp.v, stated_text=f"下降{dp.text}",
                     values={"implied_production_2017": prod_2017, "implied_sales_2017": sales_2017})


@bespoke
def ch4_saic_share(ctx: Context) -> Finding:
    f, saic, cn = (ctx.fact("ch4_saic_domestic_share_2018"), ctx.fact("ch4_saic_sales_2018"),
                   ctx.fact("ch4_cn_auto_sales_2018"))
    naive = arith.share_pct(saic.v, cn.v)
    reason = (f"{with_unit(saic.text, saic.unit)}是上汽的全部整车销量（含出口与海外），而占有率按国内销量计算；"
              f"数据包没有上汽的国内销量。若直接除以全国销量 {with_unit(cn.text, cn.unit)}会得到 {naive:.1f}%，"
              "口径不同，不能据此判断。")
    return from_fact(f, "上汽集团国内市场占有率", ck.uncheckable(), reason, "share",
                     (saic.id, cn.id), values={"naive_share": naive})


@bespoke
def ch4_ship_share(ctx: Context) -> Finding:
    f, cn, world = (ctx.fact("ch4_cn_ship_completions_share_2018"), ctx.fact("ch4_cn_ship_completions_2018"),
                    ctx.fact("ch4_world_ship_completions_2018"))
    chk = ck.check_share(cn.v, world.v, f.v, decimals=f.decimals, part_decimals=cn.decimals,
                      whole_decimals=world.decimals, tolerance=ctx.tolerance)
    return from_fact(f, "中国造船完工量占世界的比重", chk,
                     f"{chk.detail} = {chk.recomputed_text}%。", "share", (cn.id, world.id),
                     values={"share": arith.share_pct(cn.v, world.v)})


@bespoke
def ch4_container_growth(ctx: Context) -> Finding:
    f, level = ctx.fact("ch4_sh_container_throughput_growth_2018"), ctx.fact("ch4_sh_container_throughput_2018")
    try:
        prev, pdec, src = ctx.external("上海港集装箱吞吐量", 2017)
    except ck.MissingData as exc:
        return from_fact(f, "集装箱吞吐量比上年增长", ck.uncheckable(exc.args[0]),
                         "数据包中没有官方来源的 2017 年吞吐量，无法复算增速。", "cagr", (level.id, names.SH_STATS))
    chk = ck.check_cagr(prev, level.v, 1, f.v, decimals=f.decimals, start_decimals=pdec, end_decimals=level.decimals,
                     tolerance=ctx.tolerance)
    return from_fact(f, "集装箱吞吐量比上年增长", chk,
                     f"上年吞吐量取公开资料（{src}）的 {ck.fmt(prev, pdec)} 万标准箱：{chk.detail}。", "cagr",
                     (level.id, names.SH_STATS), values={"previous": prev})


@bespoke
def ch4_mfg_sectors(ctx: Context) -> Finding:
    f = ctx.fact("ch4_mfg_sectors_count")
    sections = ctx.facts.loc[ctx.facts["chapter"] == 4, "section"]
    subs = sorted({f"{m.group(1)}. {m.group(2)}" for s in sections
                   if (m := re.search(r"（一）制造业\s*(\d+)\.\s*(\S+)", str(s)))})
    chk = ck.check_count(len(subs), int(f.v), tolerance=ctx.tolerance)
    return from_fact(f, "“八大制造业行业领域”与其后分述的小节数", chk,
                     f"第四章 二（一）之下分述的行业小节：{'、'.join(subs)}。", "count")


@bespoke
def ch4_lingang_output(ctx: Context) -> Finding:
    f, g = ctx.fact("ch4_lingang_output_2018"), ctx.fact("ch4_lingang_output_growth_2018")
    base = arith.prior_value(f.v, g.v)
    return from_fact(g, "临港新片区工业总产值及增速", ck.uncheckable(),
                     f"需要临港新片区 2017 年工业总产值，数据包没有；按本句反推约为 {base:.0f} 亿元。",
                     "cagr", (f.id,), values={"implied_2017": base})


def _range_of(f: Fact) -> tuple[int, int]:
    m = re.fullmatch(r"(\d+)-(\d+)", f.text.strip())
    if not m:
        raise ck.MissingData(f"{f.id} 不是区间：{f.text}")
    return int(m.group(1)), int(m.group(2))


_MIDDLE_TYPES = ("交通", "文化旅游", "园区", "制造业")


@bespoke
def ch4_middle_points(ctx: Context) -> Finding:
    f = ctx.fact("ch4_ai_transport_etc_demand_points")
    lo, hi = _range_of(f)
    counts = merged_counts(ctx)
    chk = ck.check_count_range({t: counts.get(t, 0) for t in _MIDDLE_TYPES}, lo, hi, tolerance=ctx.tolerance)
    return from_fact(f, "交通、文化旅游、园区、制造业四类场景的需求点数区间", chk,
                      merge_note(ctx) + f"各类：{chk.detail}。", "range", (names.T11, names.T12))


@bespoke
def ch4_other_points(ctx: Context) -> Finding:
    f = ctx.fact("ch4_other_scenarios_demand_points")
    lo, hi = _range_of(f)
    counts = merged_counts(ctx)
    named = {"教育", "医疗", *_MIDDLE_TYPES}
    chk = ck.check_count_range({t: n for t, n in counts.items() if t not in named}, lo, hi, tolerance=ctx.tolerance)
    return from_fact(f, "其余场景类型的需求点数区间", chk,
                      merge_note(ctx) + f"其余各类：{chk.detail}。", "range", (names.T11, names.T12))


@bespoke
def ch4_district_points(ctx: Context) -> Finding:
    xh, pd_ = ctx.fact("ch4_xuhui_demand_points"), ctx.fact("ch4_pudong_demand_points")
    points = ctx.table(names.SCENARIO_POINTS)
    by = points["district"].value_counts()
    reason = (f"表格 12 没有“所在行政区”一栏。本书按地址、地名或需求单位所在地逐点判定（ch4_scenario_points，"
              f"见第四章图表 23），得徐汇区 {int(by.get('徐汇区', 0))} 个、浦东新区 {int(by.get('浦东新区', 0))} 个，"
              f"黄浦区 {int(by.get('黄浦区', 0))} 个，另有 {int(by.get('市级', 0))} 个计为市级、"
              f"{int(by.get('未知', 0))} 个无法判定。报告未说明其归属规则；本书试过的几种简单规则（只认地址、"
              "未知计为市级、按单位计点）都不能复现报告的计数，而且无论市级和未知的点位如何改归，黄浦区都多于报告所说"
              "（第四章补表 4-7）。故列为无法核对，本书也不推测原因。")
    return from_fact(xh, "徐汇区、浦东新区的场景需求点数", ck.uncheckable(), reason, "count",
                     (pd_.id, names.T11, names.T12, names.SCENARIO_POINTS))




@bespoke
def ch4_miit_projects(ctx: Context) -> Finding:
    f = ctx.fact("ch4_miit_fusion_projects_sh_firms_2018")
    t15 = ctx.table(names.T15)
    chk = ck.check_count(len(t15), int(f.v), tolerance=ctx.tolerance)
    non_firms = [c for c in t15["company"] if not c.endswith("公司")]
    note = f"其中{'、'.join(non_firms)}不是企业，正文与表题都称“企业”。" if non_firms else ""
    return from_fact(f, "入选工信部融合创新项目的上海企业数（对照表格 15）", chk,
                     f"表格 15 共 {len(t15)} 行。" + note, "count", (names.T15,))


@bespoke
def ch4_fund_batches(ctx: Context) -> Finding:
    f = ctx.fact("ch4_fund_batches_published")
    batches = [i for i in ctx.facts.index if re.fullmatch(r"ch4_fund_batch_\d{4}_\d+_units", i)]
    chk = ck.check_count(len(batches), int(f.v), tolerance=ctx.tolerance)
    return from_fact(f, "人工智能创新发展专项已发布的批次", chk,
                     f"同段逐批列出的批次有 {len(batches)} 批。", "count", tuple(batches))


@bespoke
def ch4_fund_units_sum(ctx: Context) -> Finding:
    f = ctx.fact("ch4_fund_total_units")
    ids = sorted(i for i in ctx.facts.index if re.fullmatch(r"ch4_fund_batch_\d{4}_\d+_units", i))
    if not ids:
        raise ck.MissingData("facts 中没有分批资助单位数")
    parts = [ctx.fact(i) for i in ids]
    chk = ck.check_sum([p.v for p in parts], f.v, decimals=ck.EXACT, part_decimals=ck.EXACT, tolerance=ctx.tolerance)
    total = int(sum(p.v for p in parts))
    reason = (f"三批支持单位 {' + '.join(p.text for p in parts)} = {total} 家，而正文说全市共 {f.text} 家，"
              f"相差 {total - int(f.v)} 家。若有单位在不同批次重复获资助、总数按去重计，两者可以并存，"
              "但报告没有说明，数据包也没有名单可查。")
    values = {"batches_sum": total, "gap": total - int(f.v), "n_batches": len(parts)}
    return from_fact(f, "分批资助单位数之和与获资助单位总数", chk, reason, "sum", ids, values=values)


def _funds_of_year(ctx: Context, year: str) -> pd.DataFrame:
    t16 = ctx.table(names.T16)
    return t16[t16["date"].str.startswith(year)]


@bespoke
def ch4_funds_count(ctx: Context) -> Finding:
    f = ctx.fact("ch4_ai_funds_released_2018")
    funds = _funds_of_year(ctx, "2018")
    chk = ck.check_count(len(funds), int(f.v), tolerance=ctx.tolerance)
    return from_fact(f, "2018 年世界人工智能大会发布的产业基金只数（对照表格 16）", chk,
                     f"表格 16 中 2018 年设立的基金：{'、'.join(funds['fund'])}。", "count", (names.T16,))


@bespoke
def ch4_funds_170(ctx: Context) -> Finding:
    f, n = ctx.fact("ch4_ai_funds_total_scale_2018"), ctx.fact("ch4_ai_funds_released_2018")
    t16 = ctx.table(names.T16)
    funds = _funds_of_year(ctx, "2018")
    chk = ck.check_sum(funds["size_yi_yuan"].tolist(), f.v, decimals=ck.EXACT, part_decimals=ck.EXACT,
                    tolerance=ctx.tolerance)
    sizes = dict(zip(t16["fund"], t16["size_yi_yuan"].astype(float), strict=True))
    combos = ck.combinations_summing_to(sizes, f.v, int(n.v))
    combo_text = "；".join("、".join(c) for c in combos) or "没有"
    parts = "，".join(f"{r.fund}（{r.size_text}）" for r in funds.itertuples())
    reason = (f"表格 16 中 2018 年的基金为{parts}，合计 {chk.recomputed_text} 亿元。在表格 16 的全部基金中，"
              f"恰好 {int(n.v)} 只相加为 {f.text} 亿元的组合有：{combo_text}；只有前者全部设于 2018 年。"
              "可见“三只”包含 G60 基金，而正文接着说 G60 基金“也同期设立”，读来像是第四只；"
              "另外杨浦基金计入的是首期规模。")
    return from_fact(f, "三只人工智能产业基金合计规模", chk, reason, "sum", (n.id, names.T16),
                     values={"funds_2018": len(funds), "combinations": len(combos)})


@bespoke
def ch4_tech_market(ctx: Context) -> Finding:
    f = ctx.fact("ch4_sh_tech_market_turnover")
    try:
        value, dec, src = ctx.external("技术合同成交金额", 2018)
        growth, _, _ = ctx.external("技术合同成交金额", 2018, field="growth_pct")
    except ck.MissingData as exc:
        return from_fact(f, "上海技术市场成交金额", ck.uncheckable(exc.args[0]),
                         "原文没有注明年份；数据包中也没有技术合同成交金额的官方来源（只找到转载页面，只作线索），"
                         "无法判断“接近”指的是哪一年。", "equal", (names.SH_STATS,))
    implied = arith.prior_value(value, growth)
    reason = (f"原文没有注明年份。公开资料（{src}）中 2018 年为 {ck.fmt(value, dec)} 亿元、增长 {growth:g}%，"
              f"由此推得 2017 年约 {implied:.0f} 亿元；“{f.text}亿元”说的可能是 2017 年，"
              "无法确定。")
    return from_fact(f, "上海技术市场成交金额", ck.uncheckable(), reason, "equal",
                     (names.SH_STATS,), values={"value_2018": value, "growth_2018": growth, "implied_2017": implied})


@bespoke
def ch4_iot_global_cagr(ctx: Context) -> Finding:
    return _iot(ctx, "ch4_global_iot_market_2017", "ch4_global_iot_market_2022",
                "ch4_global_iot_cagr", "全球物联网市场 2017–2022 年均增长率")


@bespoke
def ch4_iot_china_cagr(ctx: Context) -> Finding:
    return _iot(ctx, "ch4_cn_iot_market_2017", "ch4_cn_iot_market_2022",
                "ch4_cn_iot_cagr", "中国物联网市场 2017–2022 年均增长率")


def _iot(ctx: Context, start_id: str, end_id: str, rate_id: str, label: str) -> Finding:
    start, end, rate = ctx.fact(start_id), ctx.fact(end_id), ctx.fact(rate_id)
    years = _years_between(start, end)
    chk = ck.check_cagr(start.v, end.v, years, rate.v, decimals=rate.decimals, start_decimals=start.decimals,
                     end_decimals=end.decimals, tolerance=ctx.tolerance)
    needed = arith.start_for_cagr(end.v, rate.v, years)
    reason = (f"{chk.detail} = {chk.recomputed_text}%（{years:g} 年）。要得到 {rate.text}%，起点应约为 "
              f"{needed:.0f} 亿美元。")
    values = {"start": start.v, "end": end.v, "years": years, "needed_start": needed}
    if chk.recomputed is not None:
        values["gap"] = abs(chk.recomputed - rate.v)
    if chk.interval is not None:
        values.update(reach_lo=chk.interval.lo, reach_hi=chk.interval.hi)
    return from_fact(rate, label, chk, reason, "cagr", (start.id, end.id), values=values)


def _years_between(start: Fact, end: Fact) -> int:
    ys = [int(m.group(0)) for f in (start, end) if (m := re.search(r"\d{4}", f.id))]
    if len(ys) != 2 or ys[1] <= ys[0]:
        raise ck.MissingData(f"无法从 {start.id}、{end.id} 读出年份")
    return ys[1] - ys[0]


@bespoke
def ch4_intl_limit(ctx: Context) -> Finding:
    n, each, total = (ctx.fact("ch4_stcsm_intl_projects_max"), ctx.fact("ch4_stcsm_intl_grant_per_project_max"),
                      ctx.fact("ch4_stcsm_intl_total_funding_max"))
    chk = ck.check_product_limit([n.v, each.v], total.v, decimals=ck.EXACT, factor_decimals=ck.EXACT, tolerance=ctx.tolerance)
    return from_fact(total, "政府间国际合作项目：项目数上限 × 单项上限 = 总经费上限", chk,
                     f"{n.text} 个 × {each.text} 万元 = {chk.recomputed_text} 万元。", "product", (n.id, each.id))




@bespoke
def ch4_t13_deepwell(ctx: Context) -> Finding:
    t13 = ctx.table(names.T13)
    hit = t13[(t13["developer"] == "西井科技") & t13["description"].str.contains("DeepWell", case=False)]
    chk = ck.check_count(len(hit), 1, at_least=True, tolerance=ctx.tolerance)
    rows = "、".join(f"{r.date} {r.product}" for r in hit.itertuples()) or "没有"
    return found(ctx.location(names.T13), "正文提到的西井科技 DeepWell 芯片见于表格 13", 1.0, "1", "款",
                 chk, f"表格 13 中对应的行：{rows}。", "count", (names.T13,))


_T14_NAMED = (("禾赛光电", "激光雷达"), ("纵目科技", "泊车"))


@bespoke
def ch4_t14_named(ctx: Context) -> Finding:
    t14 = ctx.table(names.T14)
    present = [(dev, word) for dev, word in _T14_NAMED
               if ((t14["developer"] == dev) & t14["product"].str.contains(word)).any()]
    chk = ck.check_count(len(present), len(_T14_NAMED), tolerance=ctx.tolerance)
    missing = [f"{d}{w}" for d, w in _T14_NAMED if (d, w) not in present]
    reason = ("正文点名禾赛光电的激光雷达、纵目科技的自动泊车系统；" +
              ("两者表格 14 中都有。" if not missing else f"表格 14 中缺：{'、'.join(missing)}。"))
    return found(ctx.location(names.T14), "正文点名的智能运载产品见于表格 14", float(len(_T14_NAMED)),
                 str(len(_T14_NAMED)), "项", chk, reason, "count", (names.T14,))
