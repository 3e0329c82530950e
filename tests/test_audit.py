"""The claims audit: every checker (consistent, rounding, inconsistent, tolerance) and the report's known slips."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from aibook import DataError, arith, audit, load, names
from aibook.audit import CONSISTENT, EXACT, INCONSISTENT, ROUNDING, UNCHECKABLE


# ------------------------------------------------------------------------------------------ primitives
def test_the_primitives_are_the_arithmetic_toolkits() -> None:
    """Printed decimals and half units are aibook.arith's (tested there), re-exported for the audit."""
    assert audit.decimals_of is arith.decimals_of and audit.half_unit is arith.half_unit and audit.EXACT == arith.EXACT


def test_judge_has_three_outcomes() -> None:
    assert audit.judge(43.3, 43.32, exact_band=0.05, tolerance=0.1) == CONSISTENT
    assert audit.judge(43.3, 43.38, exact_band=0.05, tolerance=0.1) == ROUNDING
    assert audit.judge(43.3, 43.5, exact_band=0.05, tolerance=0.1) == INCONSISTENT


def test_rounding_spread_of_a_sum_is_the_sum_of_half_units() -> None:
    assert audit.rounding_spread(sum, [1.0, 2.0, 3.0], [0.005] * 3) == pytest.approx(0.015)
    ratio = audit.rounding_spread(lambda v: v[0] / v[1], [1.0, 2.0], [0.05, 0.05])
    assert ratio == pytest.approx(1.05 / 1.95 - 0.5)
    with pytest.raises(ValueError):
        audit.rounding_spread(sum, [1.0], [0.1, 0.1])


def test_check_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="unknown status"):
        audit.Check(1.0, "大致相符")


# ------------------------------------------------------------------------------------------- checkers
T6_PARTS = [6450.23, 6832.07, 4006.76, 1233.42, 4171.70, 1176.60]


def test_check_sum_consistent() -> None:
    chk = audit.check_sum([2377.60, 3084.31], 5461.91, decimals=2, part_decimals=2)
    assert chk.status == CONSISTENT and chk.recomputed_text == "5461.91"
    assert chk.detail == "2377.60 + 3084.31 = 5461.91"


def test_check_sum_rounding_table6_components_vs_total() -> None:
    chk = audit.check_sum(T6_PARTS, 23870.77, decimals=2, part_decimals=2)
    assert chk.recomputed == pytest.approx(23870.78)
    assert chk.status == ROUNDING
    assert chk.tolerance == pytest.approx(0.035)  # half a cent for the total and for each of six parts


def test_check_sum_inconsistent_funded_units() -> None:
    chk = audit.check_sum([26, 19, 64], 107, decimals=EXACT, part_decimals=EXACT)
    assert chk.recomputed == 109 and chk.status == INCONSISTENT and chk.tolerance == 0


def test_check_sum_tolerance_parameter() -> None:
    assert audit.check_sum(T6_PARTS, 23870.77, decimals=2, part_decimals=2, tolerance=0.005).status == INCONSISTENT
    assert audit.check_sum([26, 19, 64], 107, decimals=EXACT, part_decimals=EXACT, tolerance=2).status == ROUNDING


def test_check_share_consistent_shipbuilding() -> None:
    chk = audit.check_share(3471, 8012, 43.3)
    assert chk.recomputed == pytest.approx(43.3225, abs=1e-4)
    assert chk.status == CONSISTENT and chk.recomputed_text == "43.32"


def test_check_share_rounding_when_the_whole_is_printed_coarsely() -> None:
    chk = audit.check_share(23870.77, 34800, 68.5, whole_decimals=-2)  # 3.48 万亿元: to the hundred 亿元
    assert chk.recomputed == pytest.approx(68.594, abs=1e-3)
    assert chk.status == ROUNDING


def test_check_share_inconsistent_and_tolerance() -> None:
    assert audit.check_share(3471, 8012, 45.0).status == INCONSISTENT
    assert audit.check_share(23870.77, 34800, 68.5, whole_decimals=-2, tolerance=0.05).status == INCONSISTENT
    assert audit.check_share(3471, 8012, 45.0, tolerance=2).status == ROUNDING
    with pytest.raises(ValueError):
        audit.check_share(1, 0, 50)


def test_check_gap_growth_cross_check() -> None:
    assert audit.check_gap(3.8, 1.4, 2.4).status == CONSISTENT  # 战新 3.8% vs 规上 1.4%: 2.4 points
    assert audit.check_gap(3.8, 1.3, 2.4).status == ROUNDING  # 2.5 vs 2.4: within three half-units
    assert audit.check_gap(3.8, 1.1, 2.4).status == INCONSISTENT
    assert audit.check_gap(3.8, 1.3, 2.4, tolerance=0.05).status == INCONSISTENT


def test_cagr_formula() -> None:
    assert audit.cagr(100, 121, 2) == pytest.approx(10.0)
    with pytest.raises(ValueError):
        audit.cagr(0, 1, 1)


def test_check_cagr_china_iot_is_consistent() -> None:
    chk = audit.check_cagr(195, 1546, 5, 51.3)
    assert chk.recomputed == pytest.approx(51.30, abs=0.01)
    assert chk.status == CONSISTENT


def test_check_cagr_global_iot_is_just_outside_rounding() -> None:
    chk = audit.check_cagr(1950, 7728, 5, 31.8)
    assert chk.recomputed == pytest.approx(31.71, abs=0.01)
    assert chk.status == INCONSISTENT
    assert audit.check_cagr(1950, 7728, 5, 31.8, tolerance=0.1).status == ROUNDING
    # read as 195 十亿美元 (printed to the ten), the start's own rounding would cover the gap
    assert audit.check_cagr(1950, 7728, 5, 31.8, start_decimals=-1).status == ROUNDING


def test_check_cagr_one_year_is_plain_growth() -> None:
    chk = audit.check_cagr(4023, 4201.02, 1, 4.4)
    assert chk.status == CONSISTENT and chk.detail == "4201.02 / 4023 − 1"


def test_check_count() -> None:
    rows = list(range(19))
    assert audit.check_count(rows, 19).status == CONSISTENT
    assert audit.check_count(rows, 20).status == INCONSISTENT
    assert audit.check_count(rows, 20, tolerance=1).status == ROUNDING
    assert audit.check_count(3, 1, at_least=True).status == CONSISTENT
    assert audit.check_count(0, 1, at_least=True).status == INCONSISTENT


def test_check_count_range() -> None:
    assert audit.check_count_range({"a": 3, "b": 5}, 3, 5).status == CONSISTENT
    chk = audit.check_count_range({"a": 3, "b": 6}, 3, 5)
    assert chk.status == INCONSISTENT and chk.recomputed_text == "3–6"
    assert audit.check_count_range({"a": 3, "b": 6}, 3, 5, tolerance=1).status == ROUNDING
    with pytest.raises(ValueError):
        audit.check_count_range({}, 1, 2)


def test_check_product_limit() -> None:
    chk = audit.check_product_limit([35, 50], 1750, decimals=EXACT, factor_decimals=EXACT)
    assert chk.recomputed == 1750 and chk.status == CONSISTENT
    assert audit.check_product_limit([35, 50], 1800, decimals=EXACT, factor_decimals=EXACT).status == INCONSISTENT
    rounded = audit.check_product_limit([2.5, 4.0], 10.1, decimals=1, factor_decimals=1)
    assert rounded.status == ROUNDING
    assert audit.check_product_limit([2.5, 4.0], 10.1, decimals=1, factor_decimals=1, tolerance=0.05).status == \
        INCONSISTENT


def test_check_equal() -> None:
    assert audit.check_equal(6450.23, 6450.23).status == CONSISTENT
    assert audit.check_equal(8694.95, 8695.0, other_decimals=0).status == CONSISTENT  # coarser precision rules
    assert audit.check_equal(1.4, 1.5).status == ROUNDING
    assert audit.check_equal(1.4, 1.9).status == INCONSISTENT
    assert audit.check_equal(1.4, 1.9, tolerance=0.5).status == ROUNDING


def test_uncheckable_and_claims_need_a_reason() -> None:
    chk = audit.uncheckable()
    assert chk.status == UNCHECKABLE and chk.recomputed is None
    with pytest.raises(ValueError, match="needs a reason"):
        audit.Claim("x", 3, "s", "c", 1.0, "1", "%", None, "—", UNCHECKABLE, "")


def test_combinations_summing_to_table16() -> None:
    t16 = load("table16_sh_ai_funds")
    sizes = dict(zip(t16["fund"], t16["size_yi_yuan"].astype(float), strict=True))
    combos = audit.combinations_summing_to(sizes, 170, 3)
    assert len(combos) == 2
    assert ("上海市杨浦区人工智能创业投资母基金", "深兰人工智能产业投资并购基金", "G60科创走廊人工智能产业基金") in combos


def test_aggregate_growth_prefers_the_table_rate_for_electronics() -> None:
    growth = [1.9, 0.8, -1.5, -6.5, 4.8, 9.8]
    assert round(audit.aggregate_growth(T6_PARTS, growth), 1) == 1.4
    assert round(audit.aggregate_growth(T6_PARTS, [1.4, *growth[1:]]), 1) == 1.2


def test_with_unit() -> None:
    assert audit.with_unit("2780.9万", "万辆") == "2780.9 万辆"
    assert audit.with_unit("2017年11月", "日期") == "2017 年 11 月"
    assert audit.with_unit("68.5", "%") == "68.5%"
    assert audit.with_unit("2.4", "百分点") == "2.4 个百分点"
    assert audit.with_unit("—", "%") == "—"


# ------------------------------------------------------------------------------------------- run_all
@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return audit.run_all().set_index("id", drop=False)


def test_run_all_covers_many_claims_with_the_status_vocabulary(claims: pd.DataFrame) -> None:
    assert len(claims) >= 45
    assert claims.index.is_unique
    assert set(claims["status"]) <= set(audit.STATUSES)
    assert set(claims["status"]) == set(audit.STATUSES)  # the report has every kind of outcome
    assert (claims["location"].str.len() > 0).all() and (claims["claim"].str.len() > 0).all()
    flagged = claims[claims["status"].isin([INCONSISTENT, UNCHECKABLE])]
    assert (flagged["reason"].str.len() > 10).all()
    assert set(claims["kind"]) <= set(audit.KINDS)
    assert list(claims["chapter"]) == sorted(claims["chapter"])


def test_funded_units_do_not_add_up(claims: pd.DataFrame) -> None:
    row = claims.loc["ch4-fund-units-sum"]
    assert row["stated"] == 107 and row["recomputed"] == 109 and row["status"] == INCONSISTENT
    assert row["chapter"] == 4 and "26 + 19 + 64" in row["reason"]


def test_electronics_growth_prose_contradicts_table6(claims: pd.DataFrame) -> None:
    row = claims.loc["ch4-electronics-growth-prose"]
    assert row["stated"] == pytest.approx(1.4) and row["recomputed"] == pytest.approx(1.9)
    assert row["status"] == INCONSISTENT and "3. 电子信息" in row["section"]


def test_electronics_584_is_the_investment_growth_its_published_source_gives(claims: pd.DataFrame) -> None:
    """58.4% stands among investment figures: read as 2018 investment growth, it agrees with its source, so the
    electronics sector has one real inconsistency (1.4% in the prose vs 1.9% in 表格 6), not three."""
    row = claims.loc["ch4-electronics-growth-584"]
    assert row["stated"] == pytest.approx(58.4) and row["status"] == CONSISTENT and "投资" in row["claim"]
    assert "s126" in row["reason"]
    electronics = claims[claims["id"].str.startswith("ch4-electronics")]
    assert (electronics["status"] == INCONSISTENT).sum() == 1


def test_external_checks_use_only_official_or_news_agency_sources(claims: pd.DataFrame) -> None:
    """A number found only on a repost or mirror page leaves its claim uncheckable, with that said."""
    from aibook import load
    from aibook.series import ACCEPTED

    stats = load("external_sh_stats").set_index("id")
    for claim_id, reason in claims["reason"].items():
        for ref in re.findall(r"external_sh_stats (s\d+)", reason):
            assert stats.at[ref, "source_type"] in ACCEPTED, (claim_id, ref)
    for claim_id in ("ch4-container-external", "ch4-tech-market"):  # found only on reposts: leads, not sources
        assert claims.loc[claim_id, "status"] == UNCHECKABLE
        assert "转载" in claims.loc[claim_id, "reason"]
    # the commerce commission's own English page (standing publisher) makes the six-industry total checkable
    assert claims.loc["ch3-six-total-external", "status"] == CONSISTENT
    assert "external_sh_stats s007" in claims.loc["ch3-six-total-external", "reason"]


def test_iot_cagrs_are_checked(claims: pd.DataFrame) -> None:
    world, china = claims.loc["ch4-iot-global-cagr"], claims.loc["ch4-iot-china-cagr"]
    assert world["stated"] == pytest.approx(31.8) and world["recomputed"] == pytest.approx(31.71, abs=0.01)
    assert world["status"] == INCONSISTENT
    assert china["stated"] == pytest.approx(51.3) and china["recomputed"] == pytest.approx(51.3, abs=0.01)
    assert china["status"] == CONSISTENT


def test_share_claims_and_implied_above_scale_totals(claims: pd.DataFrame) -> None:
    assert claims.loc["ch3-six-share-vs-sei", "status"] == CONSISTENT
    # the 2018 above-scale output (3.48 万亿元, +1.4%) is on the commerce commission's own page (s017): checkable,
    # to the coarse precision of 3.48 万亿元
    assert claims.loc["ch3-six-share", "status"] == ROUNDING and "s017" in claims.loc["ch3-six-share", "reason"]
    assert claims.loc["ch3-sei-share", "status"] == CONSISTENT
    assert claims.loc["ch3-sei-gdp-share", "status"] == UNCHECKABLE
    assert "生产总值" in claims.loc["ch3-sei-gdp-share", "reason"]
    assert claims.loc["ch3-sei-gap", "status"] == CONSISTENT
    assert "另一个口径" in claims.loc["ch3-sei-gap", "reason"]


def test_other_known_results(claims: pd.DataFrame) -> None:
    assert claims.loc["ch3-t6-sum", "status"] == ROUNDING
    assert claims.loc["ch3-t7-sum", "status"] == CONSISTENT
    assert claims.loc["ch3-bj-sh-talent", "status"] == INCONSISTENT
    assert claims.loc["ch4-funds-170", "status"] == CONSISTENT and "G60" in claims.loc["ch4-funds-170", "reason"]
    assert claims.loc["ch4-intl-limit", "status"] == CONSISTENT
    assert claims.loc["ch4-ship-share", "status"] == CONSISTENT
    for cid in ("ch3-batch1-points", "ch3-batch2-points", "ch3-batch1-types", "ch3-batch2-types", "ch3-experts",
                "ch3-expert-universities", "ch4-miit-projects", "ch3-t9-categories", "ch4-edu-points",
                "ch4-medical-points", "ch4-middle-points", "ch4-other-points", "ch4-t13-deepwell", "ch4-t14-named"):
        assert claims.loc[cid, "status"] == CONSISTENT, cid
    for cid in ("ch4-ic-sales", "ch4-saic-share", "ch4-auto-decline", "ch4-lingang-output"):
        assert claims.loc[cid, "status"] == UNCHECKABLE, cid


def test_run_all_tolerance_parameter_applies_everywhere() -> None:
    loose = audit.run_all(tolerance=0.1).set_index("id")
    assert loose.loc["ch4-iot-global-cagr", "status"] == ROUNDING
    assert loose.loc["ch4-fund-units-sum", "status"] == INCONSISTENT
    assert (loose["tolerance"].dropna() == 0.1).all()


def test_a_missing_fact_makes_its_claim_uncheckable(data_copy: Path) -> None:
    path = data_copy / "facts.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh) if r[0] != "ch4_global_iot_cagr"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    df = audit.run_all(data_copy).set_index("id")
    assert df.loc["ch4-iot-global-cagr", "status"] == UNCHECKABLE
    assert "ch4_global_iot_cagr" in df.loc["ch4-iot-global-cagr", "reason"]
    assert df.loc["ch4-iot-china-cagr", "status"] == CONSISTENT


def test_summary_and_display(claims: pd.DataFrame) -> None:
    summ = audit.summary(claims)
    assert list(summ["status"]) == list(audit.STATUSES) and summ["count"].sum() == len(claims)
    kinds = audit.by_kind(claims)
    assert kinds["合计"].sum() == len(claims)
    shown = audit.display_frame(claims)
    assert list(shown.columns) == ["序号", "位置", "说法（本书概括）", "报告数值", "复算值", "结论", "说明"]
    assert shown.loc[list(claims["id"]).index("ch4-fund-units-sum"), "复算值"] == "109 家"


@pytest.mark.parametrize(("section", "short"), [
    ("二、产业融合 （一）制造业 1. 汽车制造", "二（一）1 汽车制造"),
    ("三、应用示范 （二）应用示范项目", "三（二）应用示范项目"),
    ("三、应用示范 （一）应用示范场景 1、从应用示范区建设上看 （2）临港新片区", "三（一）1（2）临港新片区"),
    ("总结与展望 （1）智能制造", "（1）智能制造"),
    ("前言", "前言"),
])
def test_short_section(section: str, short: str) -> None:
    assert audit.short_section(section) == short


# -------------------------------------------------------------------------------- claims as data, values
def _edit_claims(data_copy: Path, edit: dict[str, dict[str, str]]) -> Path:
    path = data_copy / "curated" / "claims.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row.update(edit.get(row["id"], {}))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_claims_file_sets_ids_chapters_and_order(claims: pd.DataFrame) -> None:
    spec = load("claims").sort_values("order")
    assert list(claims["id"]) == list(spec["id"])
    assert list(claims["chapter"]) == list(spec["chapter"])
    assert set(spec["template"]) == {"bespoke", *audit.engine.TEMPLATES}
    bespoke = {audit.engine.function_name(i) for i in spec.loc[spec["template"] == "bespoke", "id"]}
    assert bespoke == set(audit.engine.BESPOKE_CHECKS)


def test_report_order_follows_the_order_column(data_copy: Path) -> None:
    _edit_claims(data_copy, {"ch3-t6-sum": {"order": "1000"}})
    df = audit.run_all(data_copy)
    assert df["id"].iloc[-1] == "ch3-t6-sum" and len(df) == len(load("claims"))


def test_a_bespoke_claim_without_its_function_is_refused(data_copy: Path) -> None:
    _edit_claims(data_copy, {"ch3-t6-sum": {"id": "ch3-t6-total"}})
    with pytest.raises(audit.engine.ClaimsError, match=r"claims.csv: line 4, column 'id'.*ch3_t6_total"):
        audit.run_all(data_copy)


def test_a_template_row_missing_an_argument_is_refused(data_copy: Path) -> None:
    _edit_claims(data_copy, {"ch4-g60-fund": {"key": ""}})
    with pytest.raises(audit.engine.ClaimsError, match=r"claims.csv: line \d+, column 'key'.*fund_equal"):
        audit.run_all(data_copy)


def test_a_mistyped_fact_id_in_claims_fails_naming_file_row_and_column(data_copy: Path) -> None:
    _edit_claims(data_copy, {"ch4-g60-fund": {"fact_id": "ch4_g60_ai_fund_target_scal"}})
    line = list(load("claims")["id"]).index("ch4-g60-fund") + 2  # line 1 is the header
    with pytest.raises(DataError) as exc:
        audit.run_all(data_copy)
    msg = str(exc.value)
    assert f"claims.csv: line {line}, column 'fact_id" in msg and "ch4_g60_ai_fund_target_scal" in msg
    assert "facts.id (foreign key)" in msg


def test_each_claim_carries_the_numbers_of_its_explanation(claims: pd.DataFrame) -> None:
    assert audit.claim_value(claims, "ch3-t6-sum", "parts_sum") == pytest.approx(23870.78)
    assert audit.claim_value(claims, "ch3-t6-sum", "difference") == pytest.approx(0.01)
    assert round(audit.claim_value(claims, "ch3-t6-sum", "aggregate_growth"), 1) == 1.4
    assert round(audit.claim_value(claims, "ch4-electronics-growth-prose", "aggregate_growth_prose"), 1) == 1.2
    assert audit.claim_value(claims, "ch3-bj-sh-talent", "gap") == pytest.approx(2.2)
    assert audit.claim_value(claims, "ch4-fund-units-sum", "gap") == 2
    assert audit.claim_value(claims, "ch4-ship-share", "recomputed") == pytest.approx(43.3225, abs=1e-4)
    flagged = claims[(claims["status"] == INCONSISTENT) & ~claims["kind"].isin(["date", "name"])]  # numbers travel
    assert set(audit.values(flagged)["id"]) == set(flagged["id"])
    with pytest.raises(KeyError, match="parts_sum"):
        audit.claim_value(claims, "ch3-t6-sum", "no_such_value")
    as_list = audit.build_claims()
    assert audit.values(as_list).equals(audit.values(claims))


def test_the_one_rule_gives_one_verdict_to_one_kind_of_gap() -> None:
    """IoT growth 31.71% vs 31.8% and 表格 7's synthesized 8.09% vs 8.2% are the same kind of gap (a rate
    recomputed from printed inputs, about 0.1 point off): the rule gives both the same verdict."""
    iot = audit.check_cagr(1950, 7728, 5, 31.8)
    claims = audit.run_all().set_index("id")
    t7 = claims.loc["ch3-t7-growth-synth"]
    assert iot.status == INCONSISTENT and t7["status"] == INCONSISTENT
    assert claims.loc["ch4-iot-global-cagr", "status"] == t7["status"]
    # the same kind of gap, inside the intervals' reach, is 舍入误差 for both
    assert audit.check_cagr(100, 121, 2, 10.3).status == ROUNDING  # 10.0% from inputs that reach 9.5–10.5%
    assert claims.loc["ch3-t6-growth-synth", "status"] in (CONSISTENT, ROUNDING)


def test_verdict_is_interval_overlap() -> None:
    stated = audit.printed_interval(8.2, 1)
    assert audit.verdict(8.2, stated, 8.17, audit.Interval(8.12, 8.22)) == CONSISTENT
    assert audit.verdict(8.2, stated, 8.1, audit.Interval(8.05, 8.16)) == ROUNDING
    assert audit.verdict(8.2, stated, 8.09, audit.Interval(8.04, 8.14)) == INCONSISTENT
    assert audit.verdict(8.2, stated, 8.09, audit.Interval(8.04, 8.14), tolerance=0.2) == ROUNDING
    # two printed numbers coincide at the coarser precision
    assert audit.check_equal(31.8, 32, decimals=1, other_decimals=0).status == CONSISTENT


def test_glue_verdict_takes_its_word_from_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    from aibook import nb

    glued: dict[str, str] = {}
    monkeypatch.setattr(nb, "glue_text", lambda key, text, how="", **kw: glued.setdefault(key, text))
    assert nb.glue_verdict("a", audit.check_cagr(1950, 7728, 5, 31.8), "一致", "不一致") == "不一致"
    assert nb.glue_verdict("b", ROUNDING, "一致", "不一致") == "一致（差在舍入范围内）"
    assert nb.glue_verdict("c", True) == "相符"
    with pytest.raises(ValueError, match="unknown verdict"):
        nb.glue_verdict("d", "大体相符")


def test_dates_are_claims_and_the_three_contradictions_are_found() -> None:
    claims = audit.run_all().set_index("id")
    dates = claims[claims["kind"] == "date"]
    assert len(dates) >= 10
    for claim_id, stated, table in (("ch4-date-ai-opinion-projects", "2017年11月", "2017.10"),
                                    ("ch4-date-smart-mfg-plan", "2019年7月", "2019.6"),
                                    ("ch4-date-ai-action-plan", "2019年9月", "2019.8")):
        row = claims.loc[claim_id]
        assert row["status"] == INCONSISTENT and row["stated_text"] == stated and row["recomputed_text"] == table
    # a year and a month inside it agree at the coarser precision (chapter 3's “自2017年以来” vs 表格 5)
    assert claims.loc["ch3-date-ai-opinion", "status"] == CONSISTENT
    assert claims.loc["ch4-date-ai-opinion-chapters", "status"] == CONSISTENT
    assert claims.loc["ch4-t17-issuer", "status"] == INCONSISTENT


def test_check_date_is_the_one_rule_on_calendar_periods() -> None:
    assert audit.check_date("2017", "2017-10").status == CONSISTENT
    assert audit.check_date("2017-10-05", "2017-10").status == CONSISTENT
    assert audit.check_date("2017-11", "2017-10").status == INCONSISTENT
    assert audit.check_date("2018-12", "2019").status == INCONSISTENT
    with pytest.raises(ValueError, match="ISO date"):
        audit.check_date("2017年", "2017-10")


def test_a_date_claim_needs_a_date_fact(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data", data)
    path = data / "curated" / "claims.csv"
    text = path.read_text(encoding="utf-8").replace(
        "ch4-date-smart-mfg-plan,4,date_match,ch4_date_smart_mfg_plan,", "ch4-date-smart-mfg-plan,4,date_match,ch4_sh_container_throughput_2018,")
    path.write_text(text, encoding="utf-8")
    row = audit.run_all(data).set_index("id").loc["ch4-date-smart-mfg-plan"]
    assert row["status"] == UNCHECKABLE and "不是日期" in row["reason"]


# ------------------------------------------------------------------------- printed errors worded as data
def test_a_printed_error_is_a_templated_row_with_its_own_words(claims: pd.DataFrame) -> None:
    """The two printed errors the book keeps flagged against a table cell are rows, not functions: their
    claim and reason are the rows' ``claim``/``reason`` with the numbers and names filled in from the data."""
    spec = load("claims").set_index("id")
    for claim_id in ("ch4-electronics-growth-prose", "ch4-t17-issuer"):
        assert spec.at[claim_id, "template"] != "bespoke" and audit.engine.function_name(claim_id) not in \
            audit.engine.BESPOKE_CHECKS
        assert not re.search(r"\d", spec.at[claim_id, "reason"].replace("{", "").replace("}", "")), claim_id
    ele = claims.loc["ch4-electronics-growth-prose"]
    assert ele["reason"].endswith("正文写增长 1.4%，表格 6 写 1.9%；正文的 1.4% 恰是表格 6 合计行的增速。")
    assert ele["claim"] == "电子信息产品制造业增速：正文与表格 6 对照" and ele["kind"] == "equal"
    t17 = claims.loc["ch4-t17-issuer"]
    assert t17["reason"].startswith(f"表格 17（data/tables/{names.T17}.csv 第 5 行）"
                                    "“发布单位”一栏为“上海人工智能产业投资基金”")
    assert t17["claim"] == "表格 17：市科委国际合作项目申报指南的发布单位" and t17["kind"] == "name"


def test_a_corrected_cell_clears_the_flag_without_code(data_copy: Path) -> None:
    """The verdict is the rule's on the data: with 表格 17's cell as the prose names it, the same row says 一致."""
    path = data_copy / "tables" / f"{names.T17}.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("2019-08,上海人工智能产业投资基金,", "2019-08,上海市科学技术委员会,"), encoding="utf-8")
    row = audit.run_all(data_copy).set_index("id").loc["ch4-t17-issuer"]
    assert row["status"] == CONSISTENT and "一栏为“上海市科学技术委员会”" in row["reason"]


def test_a_bespoke_row_wording_itself_is_refused(data_copy: Path) -> None:
    """A bespoke claim is worded by its function: a ``reason`` on its row would be silently ignored, so it is refused."""
    _edit_claims(data_copy, {"ch3-t6-sum": {"reason": "另写的说明"}})
    with pytest.raises(audit.engine.ClaimsError, match=r"claims.csv: line 4, column 'reason'.*bespoke"):
        audit.run_all(data_copy)
