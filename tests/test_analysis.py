from __future__ import annotations

import pandas as pd
import pytest

from aibook import analysis, arith, load


def test_check_components_table6_differs_by_rounding_only() -> None:
    check = arith.check_components(load("table06_six_key_industries_output_2018"))
    assert check.total == 23870.77
    assert check.components == 23870.78
    assert check.difference == 0.01
    assert check.consistent


def test_check_components_table7_is_exact() -> None:
    check = arith.check_components(load("table07_strategic_emerging_value_added_2018"))
    assert check.difference == 0 and check.consistent


def test_check_components_flags_a_real_gap() -> None:
    df = pd.DataFrame({"level": ["total", "component", "component"], "value": [10.0, 4.0, 5.0]})
    assert not arith.check_components(df).consistent


def test_check_components_needs_one_total() -> None:
    with pytest.raises(ValueError, match="exactly one total"):
        arith.check_components(pd.DataFrame({"level": ["component"], "value": [1.0]}))


def test_implied_total() -> None:
    assert arith.implied_total(68.5, 68.5) == pytest.approx(100)
    with pytest.raises(ValueError):
        arith.implied_total(1, 0)


def test_university_of() -> None:
    assert analysis.university_of("上海交通大学副校长、中科院院士") == "上海交通大学"
    assert analysis.university_of("华东师范大学教授") == "华东师范大学"
    assert analysis.university_of("复旦大学") == "复旦大学"
    with pytest.raises(ValueError):
        analysis.university_of("某研究所")


def test_table10_has_six_experts_from_four_universities() -> None:
    t10 = load("table10_moe_ai_expert_group")
    assert len(t10) == 6
    assert t10["affiliation"].map(analysis.university_of).nunique() == 4


def test_count_by_orders_by_count_then_first_appearance() -> None:
    df = pd.DataFrame({"t": ["b", "a", "a", "c", "b"]})
    out = analysis.count_by(df, "t")
    assert out["t"].tolist() == ["b", "a", "c"] and out["count"].tolist() == [2, 2, 1]


def test_scenario_type_counts_match_the_report() -> None:
    assert load("table11_scenarios_batch1")["scenario_type"].nunique() == 10
    assert load("table12_scenarios_batch2")["scenario_type"].nunique() == 12


def test_group_share_top_k_and_named_members() -> None:
    df = pd.DataFrame({"c": ["a", "b", "c"], "v": [50.0, 30.0, 20.0]})
    top = analysis.group_share(df, "c", "v", 200, k=2)
    assert top.members == ("a", "b") and top.share_pct == 40
    named = analysis.group_share(df, "c", "v", 200, members=["a", "z"])
    assert named.missing == ("z",) and named.share_pct is None


def test_element_ai_top5_share_matches_72_only_for_conference_authors() -> None:
    talent = load("external_ai_talent_by_country")
    report_five = ["美国", "中国", "英国", "德国", "加拿大"]
    authors = talent[(talent["metric"] == "conference_authors") & (talent["country"] != "全球")]
    share = analysis.group_share(authors, "country", "value", float(authors["global_total"].iloc[0]), report_five)
    assert round(share.share_pct) == 72
    linkedin = talent[(talent["metric"] == "linkedin_experts") & (talent["country"] != "全球")]
    assert analysis.group_share(linkedin, "country", "value", 36524, report_five).missing == ("德国",)


def test_cagr_matches_the_reports_iot_forecasts() -> None:
    assert round(arith.cagr_pct(1950, 7728, 5), 1) == 31.7  # the report says 31.8%
    assert round(arith.cagr_pct(195, 1546, 5), 1) == 51.3
    with pytest.raises(ValueError):
        arith.cagr_pct(0, 1, 1)


def test_compare_counts_handles_exact_ranges_and_missing() -> None:
    got = pd.Series({"徐汇区": 7, "长宁区": 1, "杨浦区": 3})
    out = analysis.compare_counts(got, {"徐汇区": "9", "市级": "4", "其他": "1-2"}).set_index("category")
    assert out.loc["徐汇区", "agrees"] is False or not out.loc["徐汇区", "agrees"]
    assert out.loc["长宁区", "agrees"] and not out.loc["杨浦区", "agrees"]
    assert out.loc["市级", "recomputed"] == 0


def test_city_shares_uses_published_shares_and_computes_the_rest() -> None:
    shares = analysis.city_shares(load("external_ai_city_shares")).set_index(["sample_id", "city"])
    assert shares.at[("cngaids_2020_city", "上海"), "share"] == 14.07
    assert not shares.at[("cngaids_2020_city", "上海"), "computed"]
    beijing_2019 = shares.loc[("miit_2019_05", "北京")]
    assert beijing_2019["computed"] and round(beijing_2019["share"], 1) == round(422 / 1093 * 100, 1)
    assert ("ai_region_index_2021", "北京") in shares.index  # published share kept, not recomputed twice
    assert shares.index.is_unique


def test_map_boxes_one_box_per_organisation_with_aliases_and_misprints() -> None:
    import pandas as pd

    from aibook.analysis import map_boxes

    orgs = pd.DataFrame({
        "figure": [6, 6, 6, 6],
        "segment": ["芯片", "应用", "芯片", "应用"],
        "organization": ["上汽", "上汽集团", "亮台台", "蔚来"],
        "named_item": [None, "i智能", None, None],
    })
    aliases = pd.DataFrame({"organization": ["上汽", "亮台台"], "canonical": ["上汽集团", "亮台台"],
                            "suspected": [None, "亮风台"], "note": ["简称", "原文如此"]})
    boxes = map_boxes(orgs, aliases, 6)
    assert boxes["机构（框内名称）"].tolist().count("上汽集团") == 1
    saic = boxes.set_index("机构（框内名称）").loc["上汽集团"]
    assert saic["环节"] == "应用" and saic["另见环节"] == "芯片" and saic["提及次数"] == 2
    assert "亮台台（疑为亮风台）" in set(boxes["机构（框内名称）"])


def test_period_text_writes_a_facts_year_as_prose() -> None:
    import pytest

    from aibook.analysis import period_text

    assert period_text("2018") == "2018 年"
    assert period_text("2018-11") == "2018 年 11 月"
    assert period_text("2019-Q1") == "2019 年一季度"
    assert period_text("2019-01/2019-06") == "2019 年 1—6 月"
    with pytest.raises(ValueError, match="within one year"):
        period_text("2018-11/2019-02")


def test_an_industry_map_with_fewer_than_four_organisations_becomes_a_list() -> None:
    import pandas as pd

    from aibook.analysis import MIN_MAP_ORGS, drawn_as_map, map_boxes, org_list

    assert MIN_MAP_ORGS == 4
    orgs = pd.DataFrame({
        "figure": [12, 12, 12, 12, 11, 11, 11, 11],
        "segment": ["整车", "检测", "检测", "工艺", "a", "b", "c", "d"],
        "organization": ["商飞", "上飞", "上海飞机制造有限公司", "精密所", "甲", "乙", "丙", "丁"],
        "named_item": [None, "喷漆检测", None, "激光焊接", None, None, None, None],
        "quote": ["商飞总部在浦东", "上飞检测喷漆", "上海飞机制造有限公司……", "精密所焊接", "", "", "", ""],
    })
    aliases = pd.DataFrame({"organization": ["上海飞机制造有限公司"], "canonical": ["上飞"],
                            "suspected": [None], "note": ["全称"]})
    three = map_boxes(orgs, aliases, 12)
    assert len(three) == 3 and not drawn_as_map(three)  # two printed forms of one organisation are one member
    assert drawn_as_map(map_boxes(orgs, aliases, 11))  # four organisations: a map
    listed = org_list(orgs, aliases, 12)
    assert listed["机构"].tolist() == ["商飞", "上飞", "精密所"]
    row = listed.set_index("机构").loc["上飞"]
    assert row["环节"] == "检测" and row["点名的产品或案例"] == "喷漆检测"
    assert row["报告原文"] == "上飞检测喷漆；上海飞机制造有限公司……"


def test_district_rules_tally_and_reassignments() -> None:
    import pandas as pd

    from aibook.analysis import SH_DISTRICTS, district_rules, district_tally, reassignments

    assert len(SH_DISTRICTS) == 16 and len(set(SH_DISTRICTS)) == 16
    points = pd.DataFrame({
        "district": ["徐汇区", "市级", "未知", "浦东新区", "黄浦区"],
        "district_basis": ["地址", "单位", "—", "地名", "单位"],
        "scenario_name": ["甲", "乙、丙", "丁", "戊", "己"],
    })
    rules = district_rules(points)
    assert list(rules) == ["本书判定（图表 23）", "只认表中印出的地址", "无法确定的也计为市级", "一行列出几家单位就计几个点"]
    assert (rules["只认表中印出的地址"] == "未知").sum() == 4
    assert len(rules["一行列出几家单位就计几个点"]) == 6
    stated = {"徐汇区": 2, "浦东新区": 1, "市级": 1}
    tally = district_tally(rules["本书判定（图表 23）"], stated)
    assert tally["徐汇区"] == 1 and tally["未知"] == 1 and tally["合计"] == 5 and tally["与报告相符"] is False
    moves = reassignments(points, stated)
    # 2 unplaced points: keep 1 city-level, send 1 to 徐汇, none to 浦东 → 2 ways
    assert moves == {"movable": 2, "need_xuhui": 1, "need_pudong": 0, "huangpu_fixed": 1, "choices": 2}
