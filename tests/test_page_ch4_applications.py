"""The steps of 第四章（下） (aibook.pages.ch4_applications), called on data/: what each glues and shows follows from
the data and the audit's claims, and each guard bites."""

from __future__ import annotations

import json
from math import ceil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from aibook import analysis, arith, audit, facts, sources
from aibook.data import descriptor, fact, report_source
from aibook.pages import ch4_applications as ch4
from aibook.paths import DATA_DIR


@pytest.fixture(scope="module")
def F() -> pd.DataFrame:  # noqa: N802 (the pages' name for the facts table)
    return facts(DATA_DIR)


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return audit.run_all(DATA_DIR)


@pytest.fixture(scope="module")
def points() -> pd.DataFrame:
    return analysis.scenario_points(DATA_DIR)


def word(status: str, yes: str = "一致", no: str = "不一致") -> str:
    return {arith.CONSISTENT: yes, arith.INCONSISTENT: no, arith.ROUNDING: f"{yes}（差在舍入范围内）",
            arith.UNCHECKABLE: arith.UNCHECKABLE}[status]


def test_the_districts_are_recounted_from_the_points(F: pd.DataFrame, points: pd.DataFrame,
                                                     glued: dict[str, Any]) -> None:
    found = ch4.districts(F, points)
    assert found.counts.sum() == len(points) and found.counts.is_monotonic_decreasing
    assert {d: float(v) for d, v in found.stated.items()} == {d: fact(F, i) for d, i in ch4.DISTRICT_FACTS.items()}
    assert found.other == F.at[ch4.OTHER_DISTRICTS_FACT, "value_text"]
    compared = found.compare.set_index("category")
    for district, n in found.stated.items():
        assert compared.at[district, "stated"] == f"{n:.0f}"
        assert compared.at[district, "recomputed"] == found.counts.get(district, 0)
    ch4.glue_districts(points, found)
    assert glued["ch4_points"] == len(points)
    assert glued["ch4_points_city"] + glued["ch4_points_unknown"] == points["district"].isin(analysis.UNPLACED).sum()
    assert glued["ch4_xuhui_recomputed"] == (points["district"] == "徐汇区").sum()


def test_the_report_row_of_the_rules_table_is_the_reports_counts(F: pd.DataFrame, points: pd.DataFrame) -> None:
    found = ch4.districts(F, points)
    rules = ch4.district_rules(points, found)
    assert list(rules["规则"])[-1] == "报告所述" and len(rules) == len(analysis.district_rules(points)) + 1
    report = rules.iloc[-1]
    assert all(report[d] == int(v) for d, v in found.stated.items()) and report["其他各区"] == found.other


def test_the_reassignments_follow_the_reports_counts(F: pd.DataFrame, points: pd.DataFrame,
                                                     glued: dict[str, Any]) -> None:
    found = ch4.districts(F, points)
    moves = ch4.glue_reassignments(F, points, found)
    named = sum(float(v) for v in found.stated.values())
    assert glued["ch4_named_sum"] == named
    assert glued["ch4_other_implied"] == len(points) - named
    assert glued["ch4_other_districts_n"] == len(analysis.SH_DISTRICTS) - (len(found.stated) - 1)  # 市级 is no district
    top = int(found.other.split("-")[1])
    assert glued["ch4_other_min_districts"] == ceil((len(points) - named) / top)
    assert glued["ch4_huangpu_excess"] == moves["huangpu_fixed"] - found.stated["黄浦区"]
    assert glued["ch4_movable"] == points["district"].isin(analysis.UNPLACED).sum()


def test_a_printed_range_that_is_no_range_is_named() -> None:
    assert ch4._range_top("1-2", "x") == 2
    with pytest.raises(ValueError, match="row ch4_x, column value_text: expected a range such as 1-2, got '若干'"):
        ch4._range_top("若干", "ch4_x")


def test_the_categories_are_set_against_the_report_with_the_claims_joint_verdict(
        F: pd.DataFrame, points: pd.DataFrame, claims: pd.DataFrame, glued: dict[str, Any], shown: list[Any]) -> None:
    compare = ch4.categories(F, points).set_index("category")
    assert compare.at["教育", "stated"] == f"{fact(F, 'ch4_ai_edu_demand_points'):.0f}"
    assert compare.at["交通", "stated"] == F.at["ch4_ai_transport_etc_demand_points", "value_text"]
    ch4.show_categories(F, points, claims)
    assert glued["ch4_cat_edu"] == (points["category"] == "教育").sum()
    status = claims.set_index("id")["status"]
    joint = ch4.joint_status(status[c] for c in ch4.CATEGORY_CLAIMS)
    assert glued["ch4_cat_verdict"] == word(joint, "都一致", "不全一致")
    assert str(shown[-1].caption).startswith("补表 4-4")


def test_the_category_verdict_follows_a_changed_claim(points: pd.DataFrame, claims: pd.DataFrame,
                                                      glued: dict[str, Any]) -> None:
    flipped = claims.copy()
    flipped.loc[flipped["id"] == "ch4-other-points", "status"] = arith.INCONSISTENT
    ch4.glue_categories(points, flipped)
    assert glued["ch4_cat_verdict"] == "不全一致"


def test_the_fund_batches_are_the_prose_and_the_audits_sum(F: pd.DataFrame, claims: pd.DataFrame,
                                                           glued: dict[str, Any], shown: list[Any]) -> None:
    batches = ch4.show_funds(F, claims, DATA_DIR)
    assert list(batches["batch"]) == [b for b, _, _ in ch4.FUND_BATCHES]
    assert list(batches["units"]) == [fact(F, u) for _, u, _ in ch4.FUND_BATCHES]
    assert batches["amount_10k"].isna().tolist() == [a is None for _, _, a in ch4.FUND_BATCHES]
    assert glued["ch4_fund_units_sum"] == audit.claim_value(claims, "ch4-fund-units-sum", "batches_sum")
    assert glued["ch4_fund_units_verdict"] == word(claims.set_index("id").at["ch4-fund-units-sum", "status"])
    assert str(shown[0].caption).startswith("表格 15")


def test_the_iot_growth_gap_is_to_the_printed_rate(F: pd.DataFrame, claims: pd.DataFrame,
                                                   glued: dict[str, Any]) -> None:
    ch4.glue_iot_cagr(F, claims)
    for area, claim_id in (("global", "ch4-iot-global-cagr"), ("cn", "ch4-iot-china-cagr")):
        recomputed = audit.claim_value(claims, claim_id, "recomputed")
        assert glued[f"ch4_{area}_cagr_gap"] == pytest.approx(abs(round(recomputed, 1) - fact(F, f"ch4_{area}_iot_cagr")))
        assert glued[f"ch4_{area}_cagr_verdict"] == word(claims.set_index("id").at[claim_id, "status"])


def test_the_funds_sums_come_from_table_16(claims: pd.DataFrame, glued: dict[str, Any], shown: list[Any]) -> None:
    labelled = ch4.industry_funds(claims, DATA_DIR)
    assert glued["ch4_t16_rows"] == len(labelled)
    assert glued["ch4_t16_total"] == pytest.approx(labelled["size_yi_yuan"].sum())
    first = labelled[labelled["date"] == labelled["date"].min()]
    assert glued["ch4_waic_n"] == len(first) and glued["ch4_waic_sum"] == pytest.approx(first["size_yi_yuan"].sum())
    qualified = labelled["size_qualifier"].notna()
    assert all(label.endswith("）") for label in labelled.loc[qualified, "label"])
    assert (labelled.loc[~qualified, "label"] == labelled.loc[~qualified, "fund"]).all()
    sizes = ch4.show_fund_sizes(labelled)
    assert str(sizes.caption) == "补图 4-3 的数据"


def test_the_technology_market_draws_only_official_records(F: pd.DataFrame, glued: dict[str, Any],
                                                           shown: list[Any]) -> None:
    tech = ch4.show_tech_market(F, DATA_DIR)
    assert set(tech.records["indicator"]) == {ch4.TECH_INDICATOR}
    assert set(tech.official["standing"]) <= {sources.PUBLISHER, sources.NEWS_AGENCY}
    assert glued["ch4_tech_rows"] == len(tech.records) and glued["ch4_tech_official"] == len(tech.official)
    assert glued["ch4_tech_split"] == int(report_source(DATA_DIR)["date"][:4])
    assert ("无法重绘" in glued["ch4_tech_outcome"]) == tech.official.empty


def test_the_lead_box_reads_the_last_lead_before_the_reports_year(F: pd.DataFrame, glued: dict[str, Any]) -> None:
    tech = ch4.tech_market(DATA_DIR)
    lead = ch4.glue_tech_lead(tech)
    assert lead["standing"] == sources.LEAD and lead["year"] < tech.split
    assert glued["ch4_lead_prior"] == pytest.approx(lead["value"] / (1 + lead["growth_pct"] / 100))
    assert glued["ch4_lead_prior_year"] == glued["ch4_lead_year"] - 1
    later = ch4.TechMarket(tech.records[tech.records["year"] >= tech.split], tech.official, tech.split)
    with pytest.raises(ValueError, match="no lead row of 技术合同成交金额 before"):
        ch4.glue_tech_lead(later)


def test_the_reports_year_comes_from_its_source(data_copy: Path) -> None:
    assert ch4.tech_market(DATA_DIR).split == int(descriptor(DATA_DIR)["sources"][0]["date"][:4])
    package = data_copy / "datapackage.json"
    described = json.loads(package.read_text(encoding="utf-8"))
    described["sources"][0]["date"] = "未知"
    package.write_text(json.dumps(described, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match=r"datapackage\.json.*sources: expected the report once, with its publication"):
        report_source(data_copy)


def test_the_intl_check_is_the_audits(claims: pd.DataFrame, glued: dict[str, Any]) -> None:
    ch4.glue_intl_check(claims)
    assert glued["ch4_intl_product"] == audit.claim_value(claims, "ch4-intl-limit", "recomputed")
    assert glued["ch4_intl_verdict"] == word(claims.set_index("id").at["ch4-intl-limit", "status"])


def test_a_lead_without_a_web_address_is_named() -> None:
    tech = ch4.tech_market(DATA_DIR)
    broken = ch4.TechMarket(tech.records.assign(source_url="镜像页面"), tech.official, tech.split)
    with pytest.raises(ValueError, match="column source_url: expected a web address, got '镜像页面'"):
        ch4.glue_tech_lead(broken)
