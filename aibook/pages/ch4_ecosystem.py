"""第四章（上）智能产品、产业融合 (``notebooks/ch4_ecosystem.md``): the industry maps 图表 6–22 redrawn from the
prose, the product timelines of 表格 13 and 14, and the book's checks of the chapter's numbers, each glued under the
key the prose reads it by. The checks' verdicts come from the audit's claims (附录 B), never from a comparison here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from aibook import analysis, arith, audit, figures, load, names
from aibook.data import fact
from aibook.nb import glue_number, glue_text, glue_verdict, show_figure
from aibook.tables import Table, show_table

DataDir = str | os.PathLike[str] | None

#: the industries the report names among the six of its five-star bases (第四章二（一）3), as it lists them
FIVE_STAR_NAMED = ("石油化工", "新材料", "装备制造", "生物医药", "军民结合（民用航天）")
#: the sectors whose profit margins the page recomputes from four facts each (``ch4_cn_<sector>_revenue_2018`` …)
MARGIN_SECTORS = ("steel", "petrochem")
#: how strongly each verdict weighs when several claims make one verdict: the weakest claim decides
_WEIGHT = {arith.CONSISTENT: 0, arith.ROUNDING: 1, arith.UNCHECKABLE: 2, arith.INCONSISTENT: 3}


def joint_status(statuses: Iterable[str]) -> str:
    """The verdict of several claims read as one (“都一致”): the weakest of their statuses — one 不一致 makes it
    不一致, else one 无法核对 makes it 无法核对, else one 舍入误差 makes it 舍入误差, else 一致."""
    found = list(statuses)
    unknown = sorted(set(found) - _WEIGHT.keys())
    if unknown or not found:
        raise ValueError(f"joint_status: expected one or more of {sorted(_WEIGHT)}, got {found!r}")
    return max(found, key=_WEIGHT.__getitem__)


def status_of(claims: pd.DataFrame, claim_id: str) -> str:
    """The status of one claim (附录 B)."""
    return statuses(claims, claim_id)[0]


def statuses(claims: pd.DataFrame, *claim_ids: str) -> list[str]:
    """The statuses of the claims ``claim_ids`` (附录 B); a KeyError naming the claims the audit has not."""
    status = claims.set_index("id")["status"]
    missing = [c for c in claim_ids if c not in status.index]
    if missing:
        raise KeyError(f"the audit has no claim {missing}; its chapter-4 claims: "
                       f"{sorted(i for i in status.index if i.startswith('ch4-'))}")
    return [str(status[c]) for c in claim_ids]


@dataclass(frozen=True)
class IndustryMaps:
    """The organisations the prose names for each industry map (图表 6–22) and how the book shows each map."""

    orgs: pd.DataFrame  #: one row per mention, with the ``canonical`` name of its box
    aliases: pd.DataFrame  #: printed names → the name a box shows
    boxes: dict[int, pd.DataFrame] = field(repr=False)  #: each figure's boxes (:func:`aibook.analysis.map_boxes`)
    drawn: list[int]  #: the figures with enough organisations to be drawn as a map

    @property
    def listed(self) -> list[int]:
        """The figures shown as a list of organisations, not as a map."""
        return [n for n in self.boxes if n not in self.drawn]

    @property
    def source(self) -> str:
        return str(self.orgs.attrs["source_line"])


def industry_maps(data_dir: DataDir) -> IndustryMaps:
    """The maps' data: the curated organisations merged by their aliases, each figure's boxes, which are drawn."""
    aliases = load(names.ORG_ALIASES, data_dir)
    orgs = analysis.with_canonical(load(names.INDUSTRY_MAP_ORGS, data_dir), aliases)
    boxes = {int(n): analysis.map_boxes(orgs, aliases, n) for n in sorted(orgs["figure"].unique())}
    return IndustryMaps(orgs, aliases, boxes, [n for n, b in boxes.items() if analysis.drawn_as_map(b)])


def glue_maps(maps: IndustryMaps) -> None:
    """Glue the counts of the chapter's note on the maps: records, figures, printed and merged names, boxes."""
    glue_number("ch4_org_rows", len(maps.orgs))
    glue_number("ch4_map_count", maps.orgs["figure"].nunique())
    glue_number("ch4_org_names", maps.orgs["organization"].nunique())
    glue_number("ch4_org_canonical", maps.orgs["canonical"].nunique())
    glue_number("ch4_min_map_orgs", analysis.MIN_MAP_ORGS)
    glue_number("ch4_maps_drawn", len(maps.drawn))
    glue_number("ch4_box_count", sum(len(maps.boxes[n]) for n in maps.drawn))
    glue_text("ch4_maps_listed", "图表 " + "、".join(str(n) for n in maps.listed))


def show_landscape(maps: IndustryMaps, fig_no: int, title: str) -> None:
    """图表 ``fig_no``: the map redrawn from the prose, with its data; or, with too few organisations, their list."""
    from IPython.display import display

    if fig_no not in maps.boxes:
        raise KeyError(f"图表 {fig_no}: no organisations in {names.INDUSTRY_MAP_ORGS}; it has 图表 {sorted(maps.boxes)}")
    boxes = maps.boxes[fig_no]
    if fig_no not in maps.drawn:
        display(show_table(analysis.org_list(maps.orgs, maps.aliases, fig_no),
                           caption=f"图表 {fig_no} {title}（正文点名的机构）",
                           source=maps.source + f"。报告的这张产业图是图片；正文只点名了 {len(boxes)} 个机构，"
                           "本书不把它们画成产业图，只列出机构及其角色"))
        return
    fig = figures.landscape(boxes, "环节", "机构（框内名称）", title=f"{title}（据正文重绘）")
    show_figure(fig, f"图表 {fig_no}", title + "（重绘：正文点名的机构，按环节分组，每个机构一个框）", maps.source,
                data=boxes)
    shown = [c for c in boxes.columns if c in ("环节", "机构（框内名称）", "提及次数") or (boxes[c] != "").any()]
    display(show_table(boxes[shown], caption=f"图表 {fig_no} 的数据（每行一个框；空栏不列）",
                       source=maps.source + "；名称归并见 data/curated/org_aliases.csv"))


def map_summary(maps: IndustryMaps) -> pd.DataFrame:
    """补表 4-1: per figure and sector, the records, printed names, organisations (boxes) and segments, and
    whether the book draws it as a map or lists it."""
    drawn = pd.concat([b.assign(figure=n) for n, b in maps.boxes.items()])
    per_figure = maps.orgs.groupby(["figure", "sector"]).agg(记录数=("organization", "size"),
                                                             原文写法数=("organization", "nunique")).reset_index()
    per_figure = per_figure.merge(drawn.groupby("figure").agg(机构数=("环节", "size"), 环节数=("环节", "nunique")),
                                  on="figure")
    per_figure["呈现"] = ["产业图" if n in maps.drawn else "机构表" for n in per_figure["figure"]]
    return per_figure.rename(columns={"figure": "图表", "sector": "领域"})


def show_map_summary(maps: IndustryMaps) -> Table:
    return show_table(map_summary(maps),
                      caption="补表 4-1 图表 6–22 所用的数据：各图的记录、机构（一机构一框）与环节数，以及本书画成产业图还是列为机构表",
                      source=maps.source + "；名称归并见 data/curated/org_aliases.csv")


def product_timeline(data_dir: DataDir, resource: str, label: str, what: str, printed_as: str) -> pd.DataFrame:
    """补图 ``label``: the ``what`` products of the transcribed table ``resource`` (the report's ``printed_as``, e.g.
    表格 13) on a time axis, coloured by developer; returns the table."""
    table = load(resource, data_dir)
    fig = figures.timeline(table, "date", "developer", "product", title=f"上海典型{what}产品的发布时间", max_label=30)
    show_figure(fig, label, f"上海典型{what}产品时间线（据{printed_as}绘制，按研发单位着色）",
                table.attrs["source_line"], data=table)
    return table


def table6(data_dir: DataDir) -> pd.DataFrame:
    """表格 6 by indicator."""
    return load(names.T06, data_dir).set_index("indicator")


def glue_auto_checks(facts: pd.DataFrame, claims: pd.DataFrame, data_dir: DataDir) -> None:
    """The check box of 汽车制造: 表格 6's growth and the audit's verdict on the prose's, Shanghai's share of the
    national output, SAIC's prior-year sales implied by its sales and growth and how they stand to the threshold."""
    glue_number("ch4_t6_auto_growth", float(table6(data_dir).at["汽车制造业", "growth_pct"]))
    glue_verdict("ch4_auto_growth_agrees", status_of(claims, "ch4-auto-growth-prose"), "一致", "不一致")
    glue_number("ch4_sh_auto_share_of_cn",
                fact(facts, "ch4_sh_auto_production_2018") / fact(facts, "ch4_cn_auto_production_2018") * 100)
    saic_2017 = fact(facts, "ch4_saic_sales_2018") / (1 + fact(facts, "ch4_saic_sales_growth_2018") / 100)
    glue_number("ch4_saic_sales_2017_implied", saic_2017)
    threshold = fact(facts, "ch4_saic_sales_threshold")
    glue_text("ch4_saic_threshold_check", f"{'低于' if saic_2017 < threshold else '已超过'} {threshold:.0f} 万辆")
    glue_text("ch4_saic_sales_2018_prior", analysis.period_text(int(facts.at["ch4_saic_sales_2018", "year"]) - 1))


def glue_electronics_checks(claims: pd.DataFrame, data_dir: DataDir) -> None:
    """The check boxes of 电子信息: 表格 6's growth of the industry and of its total row, the audit's verdict on the
    prose's growth, and how many of the six five-star industries the report names."""
    t6 = table6(data_dir)
    glue_number("ch4_t6_electronics_growth", float(t6.at["电子信息产品制造业", "growth_pct"]))
    glue_number("ch4_t6_total_growth", float(arith.components(t6)[0]["growth_pct"]))
    glue_verdict("ch4_electronics_growth_agrees", status_of(claims, "ch4-electronics-growth-prose"), "一致", "不一致")
    glue_number("ch4_five_star_named", len(FIVE_STAR_NAMED))


def glue_ship_check(claims: pd.DataFrame) -> None:
    """The check box of 造船: China's share of the world's completions recomputed, and the audit's verdict."""
    glue_number("ch4_ship_share_recomputed", audit.claim_value(claims, "ch4-ship-share", "share"))
    glue_verdict("ch4_ship_share_verdict", status_of(claims, "ch4-ship-share"), "一致", "不一致")


def glue_biopharma_checks(facts: pd.DataFrame, claims: pd.DataFrame) -> None:
    """The check box of 生物医药: the audit's joint verdict on the prose's output and growth against 表格 6, and
    Pudong's share of the city's manufacturing output (both above designated size)."""
    glue_verdict("ch4_biopharma_t6_verdict",
                 joint_status(statuses(claims, "ch4-biopharma-output-prose", "ch4-biopharma-growth-prose")),
                 "一致", "不一致")
    glue_number("ch4_pudong_share_of_sh_mfg",
                fact(facts, "ch4_pudong_biopharma_mfg_output_2018") / fact(facts, "ch4_sh_biopharma_mfg_output_2018") * 100)


def glue_margins(facts: pd.DataFrame, sector: str) -> tuple[Any, Any]:
    """A sector's profit margins (%) the year before and in 2018, from its revenue (万亿元), profit (亿元) and their
    growth in the prose, glued as ``ch4_<sector>_margin_2017`` and ``…_2018``."""
    if sector not in MARGIN_SECTORS:
        raise ValueError(f"glue_margins: unknown sector {sector!r}; expected one of {MARGIN_SECTORS}")
    base = f"ch4_cn_{sector}"
    margins = arith.margins_pct(fact(facts, f"{base}_revenue_2018") * 1e4, fact(facts, f"{base}_revenue_growth_2018"),
                                fact(facts, f"{base}_profit_2018"), fact(facts, f"{base}_profit_growth_2018"))
    glue_number(f"ch4_{sector}_margin_2017", margins[0])
    glue_number(f"ch4_{sector}_margin_2018", margins[1])
    return margins
