"""aibook.pages.ch5_outlook: the steps of 第五章 on the shipped data, and each guard biting on made-up data."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from aibook import facts, load, names  # noqa: E402
from aibook.nb import glue_facts  # noqa: E402
from aibook.pages import ch5_outlook as ch5  # noqa: E402
from aibook.paths import DATA_DIR  # noqa: E402


@pytest.fixture(scope="module")
def data() -> ch5.Evidence:
    return ch5.evidence(DATA_DIR)


def _text(glued: dict[str, Any], key: str) -> str:
    return str(getattr(glued[key], "data", glued[key]))


def _source(glued: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(glued[f"aibook-src:{key}"])
    return found


def test_the_chapter_glues_every_key_once_and_the_cited_facts_in_their_forms(glued: dict[str, Any],
                                                                             data: ch5.Evidence) -> None:
    F = facts(DATA_DIR)
    glue_facts(F, 5, also=ch5.CITED)
    ch5.glue_cited(F)
    ch5.glue_indicators(data, F)
    assert all(F.at[i, "chapter"] != 5 for i in ch5.CITED) and len(set(ch5.CITED)) == len(ch5.CITED)
    assert _text(glued, "ch3_six_key_industries_share_2018_when") == "2018 年"
    assert _text(glued, "ch3_ai_demo_zones_target_2020_when") == "2020 年"
    assert _text(glued, "ch3_mfg_quality_index_rank_years_printed") == "九"
    assert glued["ch4_ic_sales_2018"] == 1450


def test_the_cited_facts_in_forms_of_their_own(glued: dict[str, Any]) -> None:
    ch5.glue_cited(facts(DATA_DIR))
    assert _text(glued, "ch5_miit_rank_word") == "第二"  # the report's “第2”, as GB/T 15835 writes a rank
    assert _text(glued, "ch5_ic_before") == "2017 年"
    assert _text(glued, "ch5_investment_when") == "2019 年 1\\-10 月"  # Markdown-escaped
    assert _source(glued, "ch5_ic_before")["kind"] == "fact"
    assert glued["ch5_points_called"] > glued["ch5_scenarios_called"] > 0
    assert "首批与第二批" in _source(glued, "ch5_points_called")["text"]


def test_the_indicators_and_the_checks_of_the_boxes(glued: dict[str, Any], data: ch5.Evidence) -> None:
    F = facts(DATA_DIR)
    ch5.glue_indicators(data, F)
    assert glued["ch5_med_points"] == 8 and glued["ch5_edu_points"] == 9 and _text(glued, "ch5_med_rank") == "第二"
    assert [_text(glued, k) for k in ("ch5_double_digit_agree", "ch5_rank_agree", "ch5_counts_agree")] == ["相符"] * 3
    assert glued["ch5_miit"] == len(load(names.T15, DATA_DIR)) and glued["ch5_miit_share"] == pytest.approx(
        glued["ch5_miit"] / 106 * 100)
    assert glued["ch5_ic_sales_2017"] == 1200
    assert _source(glued, "ch5_ic_sales_2017")["text"].startswith("近 1450 亿元减去约 250 亿元")  # from value_text
    assert glued["ch5_mfg_maps"] == 9 and glued["ch5_mfg_orgs"] <= len(data.mfg)


def test_a_check_that_fails_says_so(glued: dict[str, Any], data: ch5.Evidence) -> None:
    F = facts(DATA_DIR).copy()
    F.loc["ch5_sh_industrial_investment_growth_2019", "value"] = 9.8  # one digit: not “两位数以上”
    F.loc["ch4_ai_medical_demand_points", "value"] = 7.0
    ch5.glue_indicators(data, F)
    assert _text(glued, "ch5_double_digit_agree") == "不符" and _text(glued, "ch5_counts_agree") == "不符"
    assert _text(glued, "ch5_rank_agree") == "相符"  # the recount's rank does not depend on the report's numbers


def test_a_rank_the_recount_does_not_confirm(glued: dict[str, Any], data: ch5.Evidence) -> None:
    more = pd.concat([data.per_category, pd.Series({"交通": 20})])
    ch5.glue_indicators(dataclasses.replace(data, per_category=more), facts(DATA_DIR))
    assert _text(glued, "ch5_rank_agree") == "不符" and _text(glued, "ch5_med_rank") == "第三"


def test_a_missing_example_lead_is_named(data: ch5.Evidence) -> None:
    leads = data.city_leads[data.city_leads["sample_id"] != ch5.CITY_LEAD_EXAMPLE]
    with pytest.raises(ValueError, match=r"ai_city_shares\.csv.*cngaids_2020_city"):
        ch5.glue_indicators(dataclasses.replace(data, city_leads=leads), facts(DATA_DIR))


def test_a_count_beyond_one_word_is_refused() -> None:
    assert ch5.word(2) == "二" and ch5.word(10) == "十" and ch5.word(0) == "〇"
    with pytest.raises(ValueError, match="11"):
        ch5.word(11)


def test_the_indicator_table_and_the_shares(data: ch5.Evidence, monkeypatch: pytest.MonkeyPatch) -> None:
    table = ch5.indicators(data)
    assert list(table["判断"].str[:3]) == ["（1）", "（1）", "（2）", "（2）", "（3）", "（3）", "（4）", "（5）"]
    assert table.at[2, "数值"] == "8 个（教育 9 个）"
    assert ch5.indicators_table(data).caption.startswith("补表 5-2")
    shares = ch5.national_shares(data, facts(DATA_DIR))
    assert set(shares["city"]) == {"上海", "北京"} and shares["share"].between(0, 100).all()
    assert (shares["indicator"] == "商业落地100强企业（报告）").sum() == 2
    shown: list[Any] = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    ch5.show_national_shares(shares)
    assert len(shown) == 2 and ch5.national_shares_table(shares).caption == "补表 5-1 补图 5-1 的数据"
