"""aibook.pages.ch2_overview: the steps of 第二章 on the shipped data, and each guard biting on a changed copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from aibook import facts, load, names, sources  # noqa: E402
from aibook.data import DataError, report_source  # noqa: E402
from aibook.pages import ch2_overview as ch2  # noqa: E402
from aibook.paths import DATA_DIR  # noqa: E402


def _source(glued: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(glued[f"aibook-src:{key}"])
    return found


def _text(glued: dict[str, Any], key: str) -> str:
    return str(glued[key])


def test_the_report_month_is_its_source_date_and_a_package_without_it_is_named(data_copy: Path) -> None:
    assert report_source(DATA_DIR)["date"] == "2019-12"
    package = data_copy / "datapackage.json"
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["sources"] = []
    package.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage\.json.*sources"):
        report_source(data_copy)


def test_the_strategies_split_by_where_their_date_was_read(glued: dict[str, Any], shown: list[Any]) -> None:
    s = ch2.strategies(DATA_DIR)
    assert len(s.drawn) + len(s.leads) == len(s.table) and len(s.leads) > 0
    assert set(s.drawn["standing"]) <= set(sources.SOURCED) and set(s.leads["standing"]) == {sources.LEAD}
    ch2.glue_strategies(s)
    assert glued["ch2_docs"] == len(s.table) and glued["ch2_docs_leads"] == len(s.leads)
    assert glued["ch2_cifar_total"] == glued["ch2_cifar_count"] + 1
    assert "加拿大本身" in _source(glued, "ch2_cifar_total")["text"]
    ch2.show_strategy_timeline(s, DATA_DIR)
    assert len(shown) == 2  # the figure and its exhibit
    assert ch2.strategy_leads_table(s).caption.startswith("补表 2-1b")


def test_a_missing_cifar_row_is_named(data_copy: Path) -> None:
    path = data_copy / "external" / "figure_facts.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[frame["id"] != ch2.CIFAR_ROW].to_csv(path, index=False)
    with pytest.raises(DataError, match=r"figure_facts\.csv.*A079"):
        ch2.strategies(data_copy)


def test_a_lead_among_the_strategies_drawn_is_refused(data_copy: Path) -> None:
    path = data_copy / "external" / "figure_facts.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert "standing" in frame.columns
    frame.loc[frame["id"] == ch2.CIFAR_ROW, "standing"] = sources.LEAD
    frame.to_csv(path, index=False)
    with pytest.raises(sources.LeadDrawn, match="leads are listed, never drawn"):
        ch2.strategies(data_copy)


def test_the_talent_totals_and_the_lead_box(glued: dict[str, Any], shown: list[Any]) -> None:
    t = ch2.talent(DATA_DIR)
    assert set(t.totals.index) == set(ch2.TALENT_MEASURES)
    ch2.glue_talent(t, facts(DATA_DIR))
    top = ch2.lead_top(t, "conference_authors", 5)
    assert len(top.members) == 5 and _text(glued, "ch2_lead_authors_top") == "、".join(top.members)
    assert glued["ch2_lead_five_share"] == pytest.approx(top.total / t.totals["conference_authors"] * 100)
    assert "中国" not in _text(glued, "ch2_lead_linkedin_top")  # as the box says
    assert glued["ch2_authors_total"] == t.totals["conference_authors"]
    ch2.show_talent_totals(t)
    assert len(shown) == 2 and ch2.talent_leads_table(t).caption.startswith("补表 2-2b")


def test_talent_without_a_world_total_is_named(data_copy: Path) -> None:
    path = data_copy / "external" / "ai_talent_by_country.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[~((frame["country"] == ch2.WORLD) & (frame["metric"] == "linkedin_experts"))].to_csv(path, index=False)
    with pytest.raises(DataError, match=r"ai_talent_by_country\.csv.*linkedin_experts"):
        ch2.talent(data_copy)


def test_the_government_reports_against_three_consecutive_years(glued: dict[str, Any]) -> None:
    t1 = load(names.T01, DATA_DIR)
    gov = ch2.glue_policies(t1, facts(DATA_DIR))
    assert gov.dates == ["2017-03", "2018-03", "2019-03"] and gov.consecutive and gov.agrees
    assert _text(glued, "ch2_gov_years_check") == "分属连续的年份" and _text(glued, "ch2_gov_years_verdict") == "相符"
    assert "核对规则" in _source(glued, "ch2_gov_years_verdict")["text"]
    assert _text(glued, "ch2_gov_report_dates") == "2017 年 3 月、2018 年 3 月、2019 年 3 月"
    assert (_text(glued, "ch2_strategy_year"), _text(glued, "ch2_plan_date")) == ("2016 年", "2017 年 7 月")


def test_a_gap_or_a_miscount_of_government_reports_disagrees() -> None:
    gap = pd.DataFrame({"policy": ["2016政府工作报告", "2018政府工作报告", "2019政府工作报告"],
                        "date": ["2016-03", "2018-03", "2019-03"]})
    assert not ch2.gov_reports(gap, 3).consecutive and not ch2.gov_reports(gap, 3).agrees
    two = gap.iloc[1:]
    assert ch2.gov_reports(two, 2).agrees and not ch2.gov_reports(two, 3).agrees
    twice = pd.DataFrame({"policy": ["政府工作报告", "政府工作报告"], "date": ["2018-03", "2018-09"]})
    assert not ch2.gov_reports(twice, 2).consecutive
    assert not ch2.gov_reports(twice.iloc[:0], 0).consecutive


def test_a_policy_the_prose_dates_must_be_in_table_1() -> None:
    t1 = load(names.T01, DATA_DIR)
    with pytest.raises(ValueError, match=r"table01.*新一代人工智能发展规划"):
        ch2.glue_policies(t1[t1["policy"] != "《新一代人工智能发展规划》"], facts(DATA_DIR))


def test_the_city_shares_are_the_reports_and_imply_whole_firms(glued: dict[str, Any], shown: list[Any]) -> None:
    F = facts(DATA_DIR)
    shares = ch2.report_shares(F)
    assert list(shares["sample"]) == ["报告：人工智能独角兽50强", "报告：商业落地100强", "报告：商业落地100强",
                                      "报告：活跃人工智能企业"]
    cities = load(names.AI_CITY_SHARES, DATA_DIR)
    implied = ch2.glue_cities(cities, F)
    assert implied == {"ch2_bj_unicorn_firms": 29, "ch2_bj_commercial_firms": 51, "ch2_sh_commercial_firms": 26}
    assert _source(glued, "ch2_bj_unicorn_firms")["text"].startswith("ch2_beijing_unicorn_share × 榜单规模 / 100")
    assert _text(glued, "ch2_whole_firms_verdict") == "都是整数家，与所说的百分比相容"
    assert glued["ch2_city_lead_samples"] == sources.leads(cities)["sample_id"].nunique()
    assert "www." not in _text(glued, "ch2_city_lead_hosts")
    ch2.show_city_shares(shares)
    assert len(shown) == 2 and ch2.city_leads_table(cities).caption.startswith("补表 2-3b")


def test_a_share_that_implies_part_of_a_firm_is_said_to_be_rounded(glued: dict[str, Any]) -> None:
    F = facts(DATA_DIR).copy()
    F.loc["ch2_beijing_unicorn_share", "value"] = 57.0  # 57 % of 50 firms = 28.5 firms
    ch2.glue_cities(load(names.AI_CITY_SHARES, DATA_DIR), F)
    assert _text(glued, "ch2_whole_firms_verdict") == "不全是整数家，百分比应是四舍五入的结果"


def test_the_page_glues_no_key_twice(glued: dict[str, Any], shown: list[Any]) -> None:
    """Every step of the page after ``glue_facts(F, 2)``: a key of the page's own that is also a fact's
    id (``ch2_gov_report_years``, the report's 三) would be glued twice, which fails the book's build."""
    from aibook.nb import glue_facts

    F = facts(DATA_DIR)
    glue_facts(F, 2)
    ch2.glue_strategies(ch2.strategies(DATA_DIR))
    ch2.glue_talent(ch2.talent(DATA_DIR), F)
    ch2.glue_policies(load(names.T01, DATA_DIR), F)
    ch2.glue_cities(load(names.AI_CITY_SHARES, DATA_DIR), F)
    assert glued["ch2_gov_report_years"] == 3 and "ch2_gov_report_dates" in glued
