"""The kinds of check shared by many claims; which claims use them, with what arguments, is ``claims.csv``.

Each template reads its arguments from the claim's row (:class:`~aibook.audit.engine.ClaimSpec`): the fact
the report states (``fact_id``), where the other number is (``table``, ``key``, ``column`` …) and the words
of the paraphrase (``label``). Adding a claim of a known kind is adding a row, not code.
"""

from __future__ import annotations

import re

import pandas as pd

from aibook import arith, names
from aibook.arith import INCONSISTENT
from aibook.audit.checks import (
    EXACT,
    MissingData,
    check_count,
    check_date,
    check_equal,
    check_same_name,
    check_sum,
    fmt,
    report_date,
    uncheckable,
)
from aibook.audit.context import CHAPTERS, Context
from aibook.audit.engine import ClaimsError, ClaimSpec, Finding, found, from_fact, short_section, template, with_unit
from aibook.data import Problem, resource_info


def _table_label(ctx: Context, table: str) -> str:
    """"表格 6" for the resource of the report's table 6."""
    return f"表格 {resource_info(table, ctx.data_dir)['report_table']}"


def _caption_number(ctx: Context, table: str) -> str:
    m = re.search(r"(\d+)个", str(resource_info(table, ctx.data_dir).get("title", "")))
    return f"表题也写作 {m.group(1)} 个。" if m else ""


@template
def external_equal(ctx: Context, spec: ClaimSpec) -> Finding:
    """A number of the prose against the same indicator in ``external_sh_stats`` (the most precise source).

    Row: ``fact_id``, ``key`` (the indicator), ``industry``, ``column`` (value or growth_pct), ``unit``
    (how the source's number is written), ``label`` (the whole paraphrase).
    """
    f = ctx.fact(spec.arg("fact_id"))
    try:
        value, dec, src = ctx.external(spec.arg("key"), 2018, spec.get("industry", ""),
                                       field=spec.get("column", "value"))
    except MissingData as exc:
        return from_fact(f, spec.arg("label"), uncheckable(exc.args[0]),
                         "数据包中没有这一数字的官方来源（统计部门、主管部门或国家通讯社的发布）；转载页面只作线索，"
                         "不作核对依据。", "equal", (names.SH_STATS,))
    chk = check_equal(f.v, value, decimals=f.decimals, other_decimals=dec, tolerance=ctx.tolerance)
    unit = spec.get("unit", "")
    unit = unit if unit in ("", "%") else f" {unit}"
    return from_fact(f, spec.arg("label"), chk, f"公开资料（{src}）印作 {fmt(value, dec)}{unit}，按两者中较粗的精度比较。",
                     "equal", (names.SH_STATS,), values={"other": value})


def table_row(ctx: Context, spec: ClaimSpec, table: str, column: str, key: str) -> pd.Series:
    """The row of ``table`` whose ``column`` is the row's ``key``: a key the table lacks is a mistake of the claims
    row (a typo would otherwise pass as 无法核对), so ClaimsError names file, line and column ``key``."""
    try:
        return ctx.row(table, column, key)
    except MissingData:
        known = "、".join(map(str, ctx.table(table)[column]))
        raise ClaimsError(spec.path, [Problem(f"expected a row of {table} whose {column} is this; it has: {known}",
                                              line=spec.line, column="key",
                                              value=key, kind="claims")]) from None


def _same_as(ctx: Context, table: str, row: pd.Series, column: str, what: str, stated: float, decimals: int,
             printed: str, unit: str) -> str:
    """Where else the table prints the prose's number (its total row first): “；正文的 1.4% 恰是表格 6 合计行的增速”.

    A prose number that differs from its own cell but equals another cell of the same column was most likely
    copied from the wrong cell; empty when no other cell rounds to it.
    """
    df = ctx.table(table)
    others = df.drop(index=row.name)
    if "level" in others.columns:
        others = others.sort_values("level", key=lambda s: s != "total", kind="stable")
    for _, other in others.iterrows():
        if abs(arith.round_as_printed(float(other[column]), decimals) - stated) < arith.EPS * max(1.0, abs(stated)):
            name = "合计行" if other.get("level") == "total" else f"「{other['indicator']}」行"
            return f"；正文的 {with_unit(printed, unit)} 恰是{_table_label(ctx, table)}{name}的{what}"
    return ""


def _growth_with(ctx: Context, table: str, indicator: str, rate: float) -> dict[str, float]:
    """A table's total growth synthesized from its components, as printed and with ``indicator``'s rate replaced
    by the prose's (``aggregate_growth_table``, ``aggregate_growth_prose``, the gap of the latter to the printed
    total); empty unless ``indicator`` is a component of a table with one total row.

    The table's own rate reproduces the printed total growth; a rate that does not is less likely the one the
    statistics used (附录 B compares the versions).
    """
    try:
        total, parts = ctx.components(table)
    except MissingData:
        return {}
    if indicator not in set(parts["indicator"]):
        return {}
    values = parts["value"].astype(float).tolist()
    rates = parts["growth_pct"].astype(float).tolist()
    prose = [rate if name == indicator else g for name, g in zip(parts["indicator"], rates, strict=True)]
    growth, agg = float(total["growth_pct"]), arith.aggregate_growth(values, prose)
    return {"table_rate": rates[list(parts["indicator"]).index(indicator)], "total_growth": growth,
            "aggregate_growth_table": arith.aggregate_growth(values, rates), "aggregate_growth_prose": agg,
            "aggregate_gap_prose": abs(agg - growth)}


@template
def prose_vs_table(ctx: Context, spec: ClaimSpec) -> Finding:
    """A number of the prose against the same row and column of a report table.

    Row: ``fact_id``, ``table``, ``key`` (the table's indicator), ``column``, ``measure`` (what the value
    column measures, 总产值/增加值), ``label``, ``sign`` (−1 where the prose says 下降 for a negative rate).
    A row that words its own ``claim``/``reason`` (a printed error kept flagged) may name: ``{table}`` (表格 6),
    ``{indicator}``, ``{measure}``, ``{stated}`` and ``{other}`` (the prose's and the table's number as printed),
    ``{row_value}`` (the row's value column, to 0.01), ``{same_as}`` (where else the table prints the prose's
    number, or nothing); for a component's growth also ``{table_rate:.1f}``, ``{total_growth:.1f}``,
    ``{aggregate_growth_table:.2f}``, ``{aggregate_growth_prose:.2f}``, ``{aggregate_gap_prose:.2f}``.
    """
    f, table, indicator, column = ctx.fact(spec.arg("fact_id")), spec.arg("table"), spec.arg("key"), spec.arg("column")
    row = table_row(ctx, spec, table, "indicator", indicator)
    other = float(row[column])
    odec = 2 if column == "value" else 1
    sign = float(spec.get("sign", 1.0))
    stated = sign * f.v
    chk = check_equal(stated, other, decimals=f.decimals, other_decimals=odec, tolerance=ctx.tolerance)
    what = spec.arg("measure") if column == "value" else "增速"
    note = "（正文写作“下降”，按负增长比较）" if sign < 0 else ""
    table_label = _table_label(ctx, table)
    reason = f"正文与{table_label}「{indicator}」行的{what}相比{note}：正文 {fmt(stated, f.decimals)}，表中 {fmt(other, odec)}。"
    stated_text = f"下降{f.text}" if sign < 0 else f.text
    texts = {"table": table_label, "indicator": indicator, "measure": str(spec.get("measure", "")), "stated": stated_text,
             "other": fmt(other, odec), "row_value": fmt(float(row["value"]), 2) if "value" in row.index else "—",
             "same_as": _same_as(ctx, table, row, column, what, stated, f.decimals, fmt(stated, f.decimals), f.unit)}
    values = {"table": other, **(_growth_with(ctx, table, indicator, stated) if column == "growth_pct" else {})}
    return from_fact(f, f"正文所写{spec.arg('label')}与{table_label} 相同", chk, reason, "equal", (table,),
                     stated=stated, stated_text=stated_text if sign < 0 else None, values=values, texts=texts)


@template
def prose_vs_total(ctx: Context, spec: ClaimSpec) -> Finding:
    """The prose repeating a table's total row (``table`` with a ``level`` column; ``column``, ``label``).

    A transcription slip in either place would show here; the table prints values to 0.01, rates to 0.1.
    """
    f, table, column = ctx.fact(spec.arg("fact_id")), spec.arg("table"), spec.arg("column")
    total, _ = ctx.components(table)
    chk = check_equal(f.v, float(total[column]), decimals=f.decimals, other_decimals=2 if column == "value" else 1,
                      tolerance=ctx.tolerance)
    label = _table_label(ctx, table)
    if column == "value":
        claim, reason = f"正文的{spec.arg('label')}与{label} 合计相同", f"正文与{label} 合计行写的是同一个数。"
    else:
        claim, reason = f"正文的{spec.arg('label')}与{label} 合计增速相同", f"正文与{label} 合计行的增速一致。"
    return from_fact(f, claim, chk, reason, "equal", (table,))


@template
def table_field_sum(ctx: Context, spec: ClaimSpec) -> Finding:
    """The city shares of one field of 表格 8 add up to 100%.

    Row: ``table``, ``key`` (the field). Cells are printed with 0–2 decimals (21%, 10.40%); one decimal is
    the typical precision, so each is taken as rounded to 0.1.
    """
    table, name = spec.arg("table"), spec.arg("key")
    t8 = ctx.table(table)
    rows = t8[t8["field"] == name]
    if rows.empty:
        raise MissingData(f"{table} 中没有领域 {name}")
    chk = check_sum(rows["share_pct"].tolist(), 100.0, decimals=EXACT, part_decimals=1, tolerance=ctx.tolerance)
    cities = "、".join(rows["city"])
    return found(ctx.location(table), f"{_table_label(ctx, table)}「{name}」各城市占比合计为 100%", 100.0, "100", "%",
                 chk, f"{cities}的占比相加：{chk.detail}。", "sum", (table,))


@template
def scenario_points(ctx: Context, spec: ClaimSpec) -> Finding:
    """The number of demand points the prose states against the rows of the table (``fact_id``, ``table``)."""
    f, table = ctx.fact(spec.arg("fact_id")), spec.arg("table")
    df = ctx.table(table)
    chk = check_count(len(df), int(f.v), tolerance=ctx.tolerance)
    return from_fact(f, f"{spec.arg('label')}具体点位需求数（对照表格行数）", chk,
                     f"{resource_info(table, ctx.data_dir).get('title', table)} 共 {len(df)} 行。"
                     + _caption_number(ctx, table), "count", (table,))


@template
def scenario_types(ctx: Context, spec: ClaimSpec) -> Finding:
    """The number of scenario types the prose states against the table's distinct types."""
    f, table = ctx.fact(spec.arg("fact_id")), spec.arg("table")
    types = list(dict.fromkeys(ctx.table(table)["scenario_type"]))
    chk = check_count(len(types), int(f.v), tolerance=ctx.tolerance)
    return from_fact(f, f"{spec.arg('label')}应用场景类型数（对照表格）", chk,
                     f"表中“应用场景”一栏有 {len(types)} 种：{'、'.join(types)}。", "count", (table,))


@template
def repeat(ctx: Context, spec: ClaimSpec) -> Finding:
    """The same number stated in two chapters (``other_fact_id`` first, ``fact_id`` where it is repeated)."""
    a, b = ctx.fact(spec.arg("other_fact_id")), ctx.fact(spec.arg("fact_id"))
    chk = check_equal(b.v, a.v, decimals=EXACT, other_decimals=EXACT, tolerance=ctx.tolerance)
    qual = ""
    hedge_a, hedge_b = (q if q not in ("", "目标") else "" for q in (a.qualifier, b.qualifier))
    if hedge_a != hedge_b:
        said = {q: f"带“{q}”" if q else "不带限定词" for q in (hedge_a, hedge_b)}
        qual = (f"数字相同，但第{CHAPTERS[a.chapter][1]}章{said[hedge_a]}，"
                f"第{CHAPTERS[b.chapter][1]}章{said[hedge_b]}。")
    reason = f"第{CHAPTERS[a.chapter][1]}章引文：“{a.quote}”。" + qual
    return from_fact(b, f"{spec.arg('label')}（第{CHAPTERS[b.chapter][1]}章与第{CHAPTERS[a.chapter][1]}章两处）",
                     chk, reason, "equal", (a.id,))


def merged_counts(ctx: Context) -> dict[str, int]:
    """Demand points of both batches per harmonized category (mapping: the ``ch4_scenario_type_map`` resource)."""
    merged = ctx.points()["category"]
    counts = merged.value_counts()
    return {t: int(counts[t]) for t in dict.fromkeys(merged)}


def merge_note(ctx: Context) -> str:
    """How the two batches were merged (named, because the report's categories depend on it)."""
    points = ctx.points()
    pairs = sorted({(t, c) for t, c in zip(points["scenario_type"], points["category"], strict=True)
                    if t != f"AI+{c}"})
    return ("两批（表格 11、12）合并计数；名称不同、含义相同的类型按 ch4_scenario_type_map 归并："
            + "，".join(f"{t}→{c}" for t, c in pairs) + "。")


@template
def scenario_type_points(ctx: Context, spec: ClaimSpec) -> Finding:
    """Demand points of one harmonized category (``key``) of both batches against the stated count."""
    f, scenario = ctx.fact(spec.arg("fact_id")), spec.arg("key")
    counts = merged_counts(ctx)
    chk = check_count(counts.get(scenario, 0), int(f.v), tolerance=ctx.tolerance)
    return from_fact(f, f"{scenario}类场景的需求点数", chk, merge_note(ctx), "count",
                     (names.T11, names.T12))


@template
def fund_equal(ctx: Context, spec: ClaimSpec) -> Finding:
    """A fund's size in the prose against its row (``key``) of 表格 16 (``table``)."""
    f, table = ctx.fact(spec.arg("fact_id")), spec.arg("table")
    row: pd.Series = ctx.row(table, "fund", spec.arg("key"))
    chk = check_equal(f.v, float(row["size_yi_yuan"]), decimals=EXACT, other_decimals=EXACT, tolerance=ctx.tolerance)
    return from_fact(f, f"{spec.arg('label')}规模：正文与表格 16 相同", chk,
                     f"表格 16 原文为“{row['size_text']}”。", "equal", (table,))


def _date_of_fact(ctx: Context, fact_id: str) -> tuple[str, str, str, str]:
    """A date fact's ISO date (``year``), printed form, quote and id; MissingData unless it is a date (unit 日期)."""
    if fact_id not in ctx.facts.index:
        raise MissingData(f"facts 中没有 {fact_id}")
    row = ctx.facts.loc[fact_id]
    if str(row["unit"]) != "日期" or pd.isna(row["year"]):
        raise MissingData(f"{fact_id} 不是日期（unit 日期、year 为 ISO 日期）")
    return str(row["year"]), str(row["value_text"]), str(row["quote"]), fact_id


@template
def date_match(ctx: Context, spec: ClaimSpec) -> Finding:
    """A policy, event or publication the report dates in two places: a date of the prose (``fact_id``, a fact
    with unit 日期) against a table cell (``table``, the row whose ``policy`` is ``key``, ``column``, default
    ``date``) or against another date of the prose (``other_fact_id``). ``label`` names what is dated.

    Decided by the one rule (:func:`aibook.audit.checks.check_date`): each date stands for the days it names.
    """
    iso, printed, quote, fid = _date_of_fact(ctx, spec.arg("fact_id"))
    f = ctx.fact(fid)
    label = spec.arg("label")
    if spec.get("other_fact_id"):
        oiso, oprinted, oquote, oid = _date_of_fact(ctx, spec.arg("other_fact_id"))
        other = ctx.fact(oid)
        chk = check_date(iso, oiso, oprinted)
        where = f"{CHAPTERS[other.chapter]} {short_section(other.section)}"
        reason = f"{CHAPTERS[f.chapter]} {short_section(f.section)}一节写“{quote}”；{where}一节写“{oquote}”。"
        sources: tuple[str, ...] = (oid,)
        claim = f"{label}：{CHAPTERS[other.chapter]}与{CHAPTERS[f.chapter]}所记日期"
    else:
        table, key, column = spec.arg("table"), spec.arg("key"), spec.get("column", "date")
        row = ctx.row(table, "policy", key)
        cell = str(row[column])
        line = ctx.table(table).index.get_loc(row.name) + 2
        chk = check_date(iso, cell)
        tl = _table_label(ctx, table)
        reason = (f"{tl}（data/{resource_info(table, ctx.data_dir)['path']} 第 {line} 行）记为 {report_date(cell)}，"
                  f"发布单位“{row['issuer']}”；{CHAPTERS[f.chapter]} {short_section(f.section)}一节写“{quote}”。")
        sources = (table,)
        claim = f"{label}：正文与{tl}所记日期"
    if chk.status == INCONSISTENT:
        reason += "两处所说的时间段没有重叠，报告没有说明哪一个是准的，本书两处照录。"
    return from_fact(f, claim, chk, reason, "date", sources, stated_text=printed)


def _column_title(ctx: Context, table: str, column: str) -> str:
    """The title a table's column has in the report (its ``title`` in ``datapackage.json``: issuer → 发布单位)."""
    fields = resource_info(table, ctx.data_dir)["schema"]["fields"]
    return next((str(f.get("title", column)) for f in fields if f["name"] == column), column)


@template
def name_vs_table(ctx: Context, spec: ClaimSpec) -> Finding:
    """A name the prose prints (``label``) against a cell of a report table: the row whose ``policy`` is ``key``,
    its ``column`` (e.g. ``issuer``). Exact, the one rule's degenerate case (一致 or 不一致).

    ``fact_id`` (optional) is a number of the same passage the reason may quote. A row that words its own
    ``claim``/``reason`` may name: ``{table}`` (表格 17), ``{path}`` and ``{line}`` (the cell's file and line),
    ``{column_title}`` (the column as the report heads it), ``{other}`` (the cell), ``{stated}`` (the prose's
    name), ``{fact}`` (the fact as printed).
    """
    table, key, column, named = spec.arg("table"), spec.arg("key"), spec.arg("column"), spec.arg("label")
    row = table_row(ctx, spec, table, "policy", key)
    cell = str(row[column])
    chk = check_same_name(named, cell)
    line = ctx.table(table).index.get_loc(row.name) + 2
    label, title, path = _table_label(ctx, table), _column_title(ctx, table, column), f"data/{resource_info(table, ctx.data_dir)['path']}"
    texts = {"table": label, "path": path, "line": str(line), "column_title": title, "other": cell}
    sources: tuple[str, ...] = (table,)
    if spec.get("fact_id"):
        f = ctx.fact(spec.arg("fact_id"))
        texts["fact"], sources = f.text, (table, f.id)
    reason = f"{label}（{path} 第 {line} 行）“{title}”一栏为“{cell}”；正文写作“{named}”。"
    return found(ctx.location(table), f"正文所称“{named}”与{label}“{title}”一栏相同", None, named, "", chk, reason,
                 "name", sources, texts=texts)
