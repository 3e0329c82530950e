"""Chapter 3's steps (aibook.pages.ch3_industry_base) on the data package: the named numbers its prose reads, the
keys they are glued under, and the guards that bite on bad input."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from aibook import facts, load, names, periods
from aibook.data import DataError, fact
from aibook.pages import ch3_industry_base as ch3
from aibook.paths import DATA_DIR
from aibook.style import use_book_style


@pytest.fixture(scope="module")
def F() -> pd.DataFrame:
    return facts(DATA_DIR)


@pytest.fixture
def glued(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the page's steps glue (key → value; a verdict → its bool or status), shown figures and displays."""
    out: dict[str, Any] = {}
    monkeypatch.setattr(ch3, "glue_number", lambda key, value, how="", source=None: out.setdefault(key, value))
    monkeypatch.setattr(ch3, "glue_text", lambda key, text, how="", source=None: out.setdefault(key, text))
    monkeypatch.setattr(ch3, "glue_verdict", lambda key, agrees, yes="", no="": out.setdefault(key, agrees))

    def show_figure(fig: Any, label: str, *args: Any, **kwargs: Any) -> None:
        out.setdefault("figures", []).append(label)
        plt.close(fig)

    monkeypatch.setattr(ch3, "show_figure", show_figure)
    monkeypatch.setattr(ch3, "display", lambda *objs: out.setdefault("shown", []).extend(objs))
    return out


def test_the_policy_timeline_holds_every_document_of_tables_2_to_5(glued: dict[str, Any]) -> None:
    p = ch3.policies(DATA_DIR)
    assert list(p.frames) == list(ch3.POLICY_LANES) and ch3.AI_LANE in p.frames
    assert len(p.timeline) == sum(len(df) for df in p.frames.values())
    assert list(dict.fromkeys(p.timeline["lane"])) == list(ch3.POLICY_LANES)
    ch3.glue_policy_dates(p)
    assert glued["ch3_policy_count"] == len(p.timeline)
    assert glued["ch3_policy_first"] <= glued["ch3_policy_last"] and glued["ch3_policy_first"].endswith(" 月")
    ch3.show_policy_timeline(p)
    assert glued["figures"] == ["补图 3-1"]
    table = ch3.policy_timeline_table(p)
    assert type(table).__name__ == "Table"


def test_the_gaps_to_the_targets_are_target_minus_actual(F: pd.DataFrame, glued: dict[str, Any]) -> None:
    ch3.glue_target_gaps(F)
    assert glued["ch3_sei_gdp_gap_to_target"] == round(fact(F, "ch3_sei_share_gdp_target")
                                                        - fact(F, "ch3_sei_share_gdp_2018"), 1)
    assert glued["ch3_sei_mfg_gap_to_target"] > 0


def test_the_demonstration_projects_are_the_six_facts(F: pd.DataFrame, glued: dict[str, Any]) -> None:
    demo = ch3.demo_projects(F)
    assert list(demo["示范项目类别"]) == list(ch3.DEMO_PROJECTS)
    assert list(demo["目标数（个）"]) == [fact(F, i) for i in ch3.DEMO_PROJECTS.values()]
    ch3.show_demo_projects(F)
    assert glued["ch3_demo_projects_total"] == demo["目标数（个）"].sum()


def test_the_industry_checks_of_tables_6_and_7(F: pd.DataFrame, glued: dict[str, Any]) -> None:
    c = ch3.industry_checks(F, DATA_DIR)
    assert c.t6.total == fact(F, "ch3_six_key_industries_output_2018") and c.t6_total_agrees
    assert c.t7.consistent
    assert c.growth_diff == round(abs(c.implied_growth - fact(F, "ch3_sei_value_added_growth_2018")), 1)
    assert 0 < c.diff_pct < 1  # the two implied totals of 规上工业总产值 nearly agree
    ch3.glue_industry_checks(c)
    assert {"ch3_t6_total", "ch3_t6_total_agrees", "ch3_sei_parts_agree", "ch3_above_scale_diff_pct"} <= set(glued)


def test_the_total_row_against_the_prose_bites(F: pd.DataFrame) -> None:
    wrong = F.copy()
    wrong.at["ch3_six_key_industries_output_2018", "value"] = fact(F, "ch3_six_key_industries_output_2018") + 1
    assert not ch3.industry_checks(wrong, DATA_DIR).t6_total_agrees


def test_the_report_period_shows_its_tables_and_figures(F: pd.DataFrame, glued: dict[str, Any]) -> None:
    ind = ch3.industry_period(periods.REPORT_PERIOD, DATA_DIR)
    assert ind is not None and "shown" not in glued  # the report's figures are in the prose: no summary
    ch3.show_six_industries(ind)
    assert ch3.six_industries_data(ind) is not None and ch3.six_industries_shares(ind, F) is not None
    t7 = ch3.show_sei_value_added(periods.REPORT_PERIOD, DATA_DIR)
    assert t7 is not None and ch3.sei_value_added_data(t7) is not None
    assert glued["figures"] == ["补图 3-2", "补图 3-3"]


def test_a_period_without_data_shows_a_notice_and_nothing_else(F: pd.DataFrame, glued: dict[str, Any]) -> None:
    ind = ch3.industry_period("1999-01", DATA_DIR)
    assert ind is None and len(glued["shown"]) == 1 and "没有所选时期的数据" in repr(glued["shown"][0])
    ch3.show_six_industries(ind)
    assert ch3.six_industries_data(ind) is None and ch3.six_industries_shares(ind, F) is None
    assert ch3.show_sei_value_added("1999-01", DATA_DIR) is None and ch3.sei_value_added_data(None) is None
    assert "figures" not in glued and len(glued["shown"]) == 2


def test_table_8_is_read_by_field(glued: dict[str, Any]) -> None:
    t = ch3.talent_fields(DATA_DIR)
    assert t.col_sum == 100 and t.sh_top_field in t.fields and t.sh_top_share == max(
        t.table.loc[t.table["city"] == "上海", "share_pct"])
    assert set(t.bj_lead_fields) < set(t.fields)
    use_book_style()  # the page's setup() (the book's CJK font); without it matplotlib warns of missing glyphs
    ch3.show_talent_fields(t)
    assert glued["ch3_field_count"] == len(t.fields) and glued["figures"] == ["补图 3-4"]
    ch3.talent_fields_table(t)


def test_a_field_whose_shares_do_not_add_up_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    t8 = load(names.T08, DATA_DIR)
    bad = t8.copy()
    bad.attrs = dict(t8.attrs)
    bad.loc[bad.index[0], "share_pct"] += 1
    monkeypatch.setattr(ch3, "load", lambda name, data_dir=None: bad)
    with pytest.raises(DataError, match=r"table08.*share_pct.*" + str(bad.loc[bad.index[0], "field"])):
        ch3.talent_fields(DATA_DIR)


def test_the_talent_checks_and_table_9(F: pd.DataFrame, glued: dict[str, Any]) -> None:
    ch3.glue_talent_checks(F)
    assert glued["ch3_ai_talent_pair_gap"] == round(fact(F, "ch3_ai_talent_bj_sh_share") - glued["ch3_ai_talent_pair_sum"], 1)
    assert 0 < glued["ch3_masters_share"] < 100
    ch3.show_majors(DATA_DIR)
    assert glued["ch3_majors"] == glued["ch3_majors_approved"] + glued["ch3_majors_filed"]


def test_the_experts_verdict_bites(F: pd.DataFrame, glued: dict[str, Any]) -> None:
    ch3.show_experts(F, DATA_DIR)
    assert glued["ch3_experts_agree"] is True and glued["ch3_experts"] == fact(F, "ch3_expert_group_experts")
    wrong = F.copy()
    wrong.at["ch3_expert_group_universities", "value"] = fact(F, "ch3_expert_group_universities") + 1
    glued.clear()
    ch3.show_experts(wrong, DATA_DIR)
    assert glued["ch3_experts_agree"] is False


def test_the_scenario_batches_are_counted_as_the_prose_says(F: pd.DataFrame, glued: dict[str, Any]) -> None:
    s = ch3.scenarios(DATA_DIR)
    assert s.counted() == tuple(int(fact(F, i)) for i in ch3.SCENARIO_FACTS)
    assert s.counts["count"].sum() == len(s.batch1) + len(s.batch2)
    ch3.show_scenarios(s, F)
    assert glued["ch3_batches_agree"] is True and glued["ch3_points_total"] == s.counts["count"].sum()
    wrong = F.copy()
    wrong.at["ch3_scenarios_batch2", "value"] = fact(F, "ch3_scenarios_batch2") + 1
    glued.clear()
    ch3.show_scenarios(s, wrong)
    assert glued["ch3_batches_agree"] is False
    ch3.scenario_counts_table(s)
    ch3.show_scenario_tables(s)
    assert len(glued["shown"]) == 2
