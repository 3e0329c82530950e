"""aibook.pages.ch1_meaning: the steps of 第一章 on the shipped data, and each guard biting on made-up data."""

from __future__ import annotations

import json
from typing import Any

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from aibook import load, names  # noqa: E402
from aibook.pages import ch1_meaning as ch1  # noqa: E402
from aibook.paths import DATA_DIR  # noqa: E402


def _policies(rows: list[dict[str, str]]) -> ch1.Policies:
    t1 = pd.DataFrame(rows)
    t1.attrs["source_line"] = "数据来源：测试"
    lane = t1["issuer"].where(t1["issuer"] != "/", ch1.NO_ISSUER)
    return ch1.Policies(t1, lane, list(dict.fromkeys(lane)))


def test_the_policies_of_table_1_and_their_lanes() -> None:
    p = ch1.policies(DATA_DIR)
    assert len(p.table) == len(load(names.T01, DATA_DIR))
    assert ch1.NO_ISSUER in set(p.lane) and "/" not in set(p.lane)
    assert "工业和信息化部、国家发展改革委、财政部" in set(p.lane)  # several issuers joined as prose joins them
    counts = p.lane.value_counts()
    assert p.lanes[0] == counts.idxmax() and sorted(p.lanes) == sorted(counts.index)
    assert [counts[x] for x in p.lanes] == sorted(counts, reverse=True)


def test_the_counts_and_dates_the_prose_reads(glued: dict[str, Any]) -> None:
    found = ch1.glue_policies(ch1.policies(DATA_DIR))
    t1 = load(names.T01, DATA_DIR)
    assert found.count == len(t1) and found.state_council == (t1["issuer"] == "国务院").sum()
    assert found.first_gov_report == "2017 年 3 月"  # the 2017 report, not 2018's or 2019's
    assert (found.congress19, found.smart_plus) == ("2017 年 10 月", "2019 年 3 月")
    assert glued["ch1_policy_count"] == found.count and isinstance(glued["ch1_policy_count"], int)
    assert str(glued["ch1_smart_plus"]) == "2019 年 3 月"
    assert json.loads(glued["aibook-src:ch1_state_council"])["kind"] == "computed"  # on the page, as before


def test_the_first_government_report_is_the_oldest_not_the_first_row() -> None:
    rows = [{"date": "2018-03", "issuer": "国务院", "policy": "2018政府工作报告", "significance": "智能+"},
            {"date": "2017-03", "issuer": "/", "policy": "政府工作报告", "significance": ""},
            {"date": "2017-10", "issuer": "/", "policy": "十九大报告", "significance": ""}]
    found = ch1.policy_facts(_policies(rows))
    assert found.first_gov_report == "2017 年 3 月" and found.smart_plus == "2018 年 3 月"
    assert found.state_council == 1


def test_a_table_without_a_policy_the_prose_dates_is_named() -> None:
    rows = [{"date": "2017-03", "issuer": "/", "policy": "政府工作报告", "significance": "智能+"}]
    with pytest.raises(ValueError, match=r"table01.*十九大报告"):
        ch1.policy_facts(_policies(rows))


def test_the_figure_and_its_data_are_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[Any] = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    p = ch1.policies(DATA_DIR)
    ch1.show_timeline(p)
    assert len(shown) == 2  # the figure and its caption
    table = ch1.show_data(p)
    assert table.caption == "补表 1-1 补图 1-1 的数据" and len(table.frame) == len(p.table)


def test_the_page_glues_no_key_twice(glued: dict[str, Any]) -> None:
    """The page's own keys after ``glue_facts(F, 1)``: one that is also a fact's id or form would be
    glued twice, which fails the book's build."""
    from aibook import facts
    from aibook.nb import glue_facts

    glue_facts(facts(DATA_DIR), 1, also=["ch0_key_industries_count"])
    ch1.glue_policies(ch1.policies(DATA_DIR))
    assert {"ch1_two_domains_count_printed", "ch0_key_industries_count_printed", "ch1_policy_count"} <= set(glued)
