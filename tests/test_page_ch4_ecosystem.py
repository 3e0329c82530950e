"""The steps of 第四章（上） (aibook.pages.ch4_ecosystem), called on data/: what each glues and shows follows from the
data and the audit's claims, and each guard bites."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from aibook import analysis, arith, audit, facts, names
from aibook.data import fact
from aibook.pages import ch4_ecosystem as ch4
from aibook.paths import DATA_DIR


@pytest.fixture(scope="module")
def F() -> pd.DataFrame:  # noqa: N802 (the pages' name for the facts table)
    return facts(DATA_DIR)


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return audit.run_all(DATA_DIR)


@pytest.fixture(scope="module")
def maps() -> ch4.IndustryMaps:
    return ch4.industry_maps(DATA_DIR)


def word(status: str) -> str:
    return {arith.CONSISTENT: "一致", arith.INCONSISTENT: "不一致", arith.ROUNDING: "一致（差在舍入范围内）",
            arith.UNCHECKABLE: arith.UNCHECKABLE}[status]


def test_the_joint_status_is_the_weakest_claims() -> None:
    assert ch4.joint_status([arith.CONSISTENT, arith.CONSISTENT]) == arith.CONSISTENT
    assert ch4.joint_status([arith.CONSISTENT, arith.ROUNDING]) == arith.ROUNDING
    assert ch4.joint_status([arith.ROUNDING, arith.UNCHECKABLE, arith.CONSISTENT]) == arith.UNCHECKABLE
    assert ch4.joint_status([arith.UNCHECKABLE, arith.INCONSISTENT]) == arith.INCONSISTENT
    with pytest.raises(ValueError, match="got \\['相符'\\]"):
        ch4.joint_status(["相符"])
    with pytest.raises(ValueError, match="one or more"):
        ch4.joint_status([])


def test_a_claim_the_audit_has_not_is_named(claims: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="ch4-no-such-claim"):
        ch4.statuses(claims, "ch4-ship-share", "ch4-no-such-claim")
    assert ch4.status_of(claims, "ch4-ship-share") == claims.set_index("id").at["ch4-ship-share", "status"]


def test_each_map_is_drawn_or_listed_by_its_number_of_organisations(maps: ch4.IndustryMaps) -> None:
    assert sorted(maps.boxes) == sorted(maps.orgs["figure"].unique())
    assert sorted(maps.drawn + maps.listed) == sorted(maps.boxes)
    for n, boxes in maps.boxes.items():
        assert (boxes["机构（框内名称）"].nunique() >= analysis.MIN_MAP_ORGS) == (n in maps.drawn)
        assert boxes["机构（框内名称）"].is_unique  # one box per organisation


def test_the_maps_counts_are_glued_from_the_data(maps: ch4.IndustryMaps, glued: dict[str, Any]) -> None:
    ch4.glue_maps(maps)
    assert glued["ch4_org_rows"] == len(maps.orgs)
    assert glued["ch4_map_count"] == len(maps.boxes)
    assert glued["ch4_org_canonical"] <= glued["ch4_org_names"]
    assert glued["ch4_maps_drawn"] == len(maps.drawn)
    assert glued["ch4_box_count"] == sum(len(maps.boxes[n]) for n in maps.drawn)
    assert glued["ch4_maps_listed"] == "图表 " + "、".join(map(str, maps.listed))


def test_the_summary_counts_each_figures_boxes(maps: ch4.IndustryMaps) -> None:
    summary = ch4.map_summary(maps)
    assert list(summary.columns) == ["图表", "领域", "记录数", "原文写法数", "机构数", "环节数", "呈现"]
    for row in summary.itertuples(index=False):
        assert row.机构数 == len(maps.boxes[row.图表])
        assert row.呈现 == ("产业图" if row.图表 in maps.drawn else "机构表")
    assert summary["记录数"].sum() == len(maps.orgs)


def test_a_map_with_few_organisations_is_shown_as_a_list(maps: ch4.IndustryMaps, shown: list[Any]) -> None:
    first = min(maps.boxes)
    as_list = ch4.IndustryMaps(maps.orgs, maps.aliases, maps.boxes, drawn=[])
    ch4.show_landscape(as_list, first, "某图")
    assert len(shown) == 1 and str(shown[0].caption) == f"图表 {first} 某图（正文点名的机构）"
    shown.clear()
    as_map = ch4.IndustryMaps(maps.orgs, maps.aliases, maps.boxes, drawn=[first])
    ch4.show_landscape(as_map, first, "某图")
    assert len(shown) == 3  # the figure, its exhibit caption, its data
    assert str(shown[-1].caption).startswith(f"图表 {first} 的数据")
    with pytest.raises(KeyError, match="图表 99"):
        ch4.show_landscape(maps, 99, "不存在的图")


def test_the_checks_glue_the_audits_verdicts(F: pd.DataFrame, claims: pd.DataFrame, glued: dict[str, Any]) -> None:
    status = claims.set_index("id")["status"]
    t6 = ch4.table6(DATA_DIR)
    ch4.glue_auto_checks(F, claims, DATA_DIR)
    ch4.glue_electronics_checks(claims, DATA_DIR)
    ch4.glue_ship_check(claims)
    ch4.glue_biopharma_checks(F, claims)
    assert glued["ch4_t6_auto_growth"] == float(t6.at["汽车制造业", "growth_pct"])
    assert glued["ch4_auto_growth_agrees"] == word(status["ch4-auto-growth-prose"])
    assert glued["ch4_electronics_growth_agrees"] == word(status["ch4-electronics-growth-prose"])
    assert glued["ch4_ship_share_verdict"] == word(status["ch4-ship-share"])
    assert glued["ch4_ship_share_recomputed"] == audit.claim_value(claims, "ch4-ship-share", "share")
    both = [status["ch4-biopharma-output-prose"], status["ch4-biopharma-growth-prose"]]
    assert glued["ch4_biopharma_t6_verdict"] == word(ch4.joint_status(both))
    assert glued["ch4_t6_total_growth"] == float(arith.components(t6)[0]["growth_pct"])
    assert glued["ch4_five_star_named"] == len(ch4.FIVE_STAR_NAMED)


def test_saics_prior_year_is_implied_by_its_sales_and_growth(F: pd.DataFrame, claims: pd.DataFrame,
                                                              glued: dict[str, Any]) -> None:
    ch4.glue_auto_checks(F, claims, DATA_DIR)
    implied = fact(F, "ch4_saic_sales_2018") / (1 + fact(F, "ch4_saic_sales_growth_2018") / 100)
    threshold = fact(F, "ch4_saic_sales_threshold")
    assert glued["ch4_saic_sales_2017_implied"] == pytest.approx(implied)
    assert glued["ch4_saic_threshold_check"].startswith("低于" if implied < threshold else "已超过")
    assert glued["ch4_saic_sales_2018_prior"] == f"{int(F.at['ch4_saic_sales_2018', 'year']) - 1} 年"


def test_a_verdict_on_a_different_status_changes_its_word(F: pd.DataFrame, claims: pd.DataFrame,
                                                          glued: dict[str, Any]) -> None:
    """The words follow the claims, not the page: flip one claim and the glued verdict flips."""
    flipped = claims.copy()
    row = flipped["id"] == "ch4-biopharma-growth-prose"
    flipped.loc[row, "status"] = arith.INCONSISTENT
    ch4.glue_biopharma_checks(F, flipped)
    assert glued["ch4_biopharma_t6_verdict"] == "不一致"


@pytest.mark.parametrize("sector", ch4.MARGIN_SECTORS)
def test_the_margins_come_from_four_facts(F: pd.DataFrame, glued: dict[str, Any], sector: str) -> None:
    base = f"ch4_cn_{sector}"
    expected = arith.margins_pct(fact(F, f"{base}_revenue_2018") * 1e4, fact(F, f"{base}_revenue_growth_2018"),
                                 fact(F, f"{base}_profit_2018"), fact(F, f"{base}_profit_growth_2018"))
    assert ch4.glue_margins(F, sector) == expected
    assert (glued[f"ch4_{sector}_margin_2017"], glued[f"ch4_{sector}_margin_2018"]) == pytest.approx(expected)
    with pytest.raises(ValueError, match="unknown sector 'coal'"):
        ch4.glue_margins(F, "coal")


def test_the_timeline_shows_the_tables_products(shown: list[Any]) -> None:
    table = ch4.product_timeline(DATA_DIR, names.T13, "补图 4-1", "智能芯片", "表格 13")
    assert len(table) and {"date", "developer", "product"} <= set(table.columns)
    assert len(shown) == 2  # the figure and its exhibit caption
