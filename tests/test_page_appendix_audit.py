"""aibook.pages.appendix_audit: the steps of Appendix B read the audit's results (relations, not shipped values)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from aibook import audit
from aibook.pages import appendix_audit as page
from aibook.paths import DATA_DIR
from tests.conftest import record_glue


@pytest.fixture(scope="module")
def a() -> page.Audit:
    return page.run(DATA_DIR)


@pytest.fixture
def glued(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the page's functions glue, by key (a key glued twice fails: the build would)."""
    out = record_glue(monkeypatch, page, "glue_number", "glue_text")
    monkeypatch.setattr(page, "glue_facts", lambda table, also=(), **kw: out.update({i: "fact" for i in also}))
    return out


def test_the_counts_per_status_add_up(a: page.Audit, glued: dict[str, Any]) -> None:
    page.glue_summary(a)
    assert glued["audit_total"] == len(a.claims) == sum(
        glued[f"audit_n_{s}"] for s in ("ok", "rounding", "mismatch", "unchecked"))
    assert glued["audit_rule_lo"] < glued["audit_rule_hi"] and glued["audit_iot_lo"] <= glued["audit_iot_hi"]
    assert glued["audit_t7_synth_status"] in audit.STATUSES
    assert glued["audit_tolerance_text"] == page.tolerance_text(None) != page.tolerance_text(0.5)


def test_a_status_is_the_audits_and_a_missing_claim_cannot_be_checked(a: page.Audit) -> None:
    some = a.claims.iloc[0]
    assert a.status(some["id"]) == some["status"]
    assert a.status("no-such-claim") == audit.UNCHECKABLE
    with pytest.raises(KeyError, match="no-such-value"):
        a.value(some["id"], "no-such-value")


def test_every_verdict_glued_is_a_status_of_the_audit(a: page.Audit, glued: dict[str, Any]) -> None:
    page.glue_mismatches(a)
    page.glue_iot(a)
    page.glue_rounding(a)
    page.dates_table(a, DATA_DIR)
    page.electronics_table(a, DATA_DIR)
    verdicts = {k: v for k, v in glued.items() if k.endswith("_status") or k.startswith("audit_ch4_")}
    assert len(verdicts) >= 15 and set(verdicts.values()) <= set(audit.STATUSES)
    assert glued["audit_fund_sum"] - glued["audit_fund_total"] == glued["audit_fund_gap"]  # 少了 gap 家
    assert glued["audit_fund_sum"] == sum(glued[f"audit_fund_b{n}"] for n in (1, 2, 3))
    assert glued["audit_t6_diff"] == pytest.approx(glued["audit_t6_parts"] - glued["audit_t6_total"])


def test_the_iot_numbers_are_the_audits(a: page.Audit, glued: dict[str, Any]) -> None:
    page.glue_iot(a)
    assert glued["audit_iot_gap"] == pytest.approx(a.value("ch4-iot-global-cagr", "gap"))
    assert float(glued["audit_iot_needed_start"]) == pytest.approx(a.value("ch4-iot-global-cagr", "needed_start"))
    assert glued["audit_iot_years"] == a.value("ch4-iot-global-cagr", "years")
    assert glued["audit_iot_needed_tol"] >= glued["audit_iot_gap"]


def test_the_needed_tolerance_rounds_up_to_a_tenth() -> None:
    assert page.needed_tolerance(0.0937) == 0.1
    assert page.needed_tolerance(0.1) == 0.1
    assert page.needed_tolerance(0.11) == pytest.approx(0.2)


def test_the_date_facts_are_those_the_date_checks_compare(a: page.Audit) -> None:
    ids = page.date_facts(a)
    assert ids and len(ids) == len(set(ids))
    assert all(str(i).startswith("ch") and "_date_" in i for i in ids)
    assert all(a.F.at[i, "unit"] == "日期" for i in ids)


def test_a_basis_names_the_publishers_page_or_refuses(a: page.Audit) -> None:
    """The guard of the basis sentence: a check without an external row in its reason is an error, not a guess."""
    checked = a.claims[a.claims["reason"].str.contains("external_sh_stats s", regex=False)
                       & (a.claims["status"] != audit.UNCHECKABLE)]
    if len(checked):
        assert page.basis(a, checked["id"].iloc[0]).startswith("数据包取自发布者页面《")
    other = a.claims[~a.claims["reason"].str.contains("external_sh_stats", regex=False)
                     & (a.claims["status"] == audit.CONSISTENT)]["id"].iloc[0]
    with pytest.raises(ValueError, match=other):
        page.basis(a, other)
    claims = a.claims.copy()
    claims.loc[claims["id"] == other, "status"] = audit.UNCHECKABLE
    assert page.basis(page.Audit(a.F, claims, None), other).startswith("数据包里只有转载页面")


def test_the_tables_show_what_their_captions_say(a: page.Audit, glued: dict[str, Any]) -> None:
    b4 = page.claims_table(a, "附表 B-4 判为不一致的说法", audit.INCONSISTENT)
    assert len(b4.frame) == (a.claims["status"] == audit.INCONSISTENT).sum()
    assert len(page.claims_table(a, "附表 B-3 报告数字逐条核对").frame) == len(a.claims)
    alternatives = page.electronics_alternatives(a)
    assert (alternatives["差距（百分点）"] == alternatives["合成的合计增速（%）"] - alternatives["表中合计增速（%）"]).all()
    assert isinstance(alternatives, pd.DataFrame) and len(alternatives) == 3
