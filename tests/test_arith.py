"""The arithmetic toolkit: printed decimals, rounding, growth, shares, implied totals, sums against totals."""

from __future__ import annotations

import pandas as pd
import pytest

from aibook import arith
from aibook.arith import EXACT


@pytest.mark.parametrize(("value", "expected"), [
    ("2377.60", 2), ("近1450", 0), ("297.76万", 2), ("-1.5", 1), ("1,303.20", 2), (43.3, 1), (23870.77, 2),
    (19, 0), (100.0, 0), (1e-7, 7), (2.5e-5, 6),
])
def test_decimals_of(value: object, expected: int) -> None:
    assert arith.decimals_of(value) == expected


def test_decimals_of_refuses_what_is_not_a_printed_number() -> None:
    with pytest.raises(ValueError, match="no number"):
        arith.decimals_of("六")
    with pytest.raises(TypeError):
        arith.decimals_of(True)


def test_half_unit_and_printed_half_unit() -> None:
    assert arith.half_unit(2) == pytest.approx(0.005)
    assert arith.half_unit(-2) == 50 and arith.half_unit(EXACT) == 0
    assert arith.printed_half_unit(2.39, 10_000) == pytest.approx(50)  # 2.39 万亿元 in 亿元
    assert arith.printed_half_unit(31083) == 0.5


def test_fmt_and_round_as_printed() -> None:
    assert arith.fmt(43.3225, 2) == "43.32" and arith.fmt(1750.0, EXACT) == "1750" and arith.fmt(12.5, -1) == "12"
    assert arith.round_as_printed(23870.784, 2) == 23870.78
    assert arith.round_as_printed(0.01 + 23870.77 - 23870.77, 2) == 0.01


def test_within_forgives_float_noise_only() -> None:
    assert arith.within(0.1 + 0.2 - 0.3, 0.0)
    assert arith.within(0.035, 0.035, 23870.77)
    assert not arith.within(0.036, 0.035)


def test_growth_and_cagr() -> None:
    assert arith.cagr_pct(100, 121, 2) == pytest.approx(10.0)
    assert arith.cagr_pct(4023, 4201.02, 1) == pytest.approx(4.4251, abs=1e-4)
    assert round(arith.cagr_pct(1950, 7728, 5), 2) == 31.71
    for bad in ((0, 1, 1), (1, 0, 1), (1, 1, 0)):
        with pytest.raises(ValueError):
            arith.cagr_pct(*bad)
    assert arith.prior_value(110, 10) == pytest.approx(100)
    assert arith.start_for_cagr(121, 10, 2) == pytest.approx(100)


def test_aggregate_growth_of_table6() -> None:
    values = [6450.23, 6832.07, 4006.76, 1233.42, 4171.70, 1176.60]
    growth = [1.9, 0.8, -1.5, -6.5, 4.8, 9.8]
    assert round(arith.aggregate_growth(values, growth), 1) == 1.4
    with pytest.raises(ValueError):
        arith.aggregate_growth(values, growth[:-1])


def test_shares_and_implied_totals() -> None:
    assert arith.share_pct(3471, 8012) == pytest.approx(43.3225, abs=1e-4)
    with pytest.raises(ValueError):
        arith.share_pct(1, 0)
    df = pd.DataFrame({"v": [1.0, 3.0]})
    assert arith.shares(df, "v", 4).tolist() == [25.0, 75.0]
    assert arith.implied_total(68.5, 68.5) == pytest.approx(100)
    for bad in (0, 101):
        with pytest.raises(ValueError):
            arith.implied_total(1, bad)


def test_one_tolerance_rule_for_sums() -> None:
    assert arith.sum_tolerance(2, [2] * 6) == pytest.approx(0.035)
    assert arith.sum_tolerance(EXACT, [EXACT] * 3) == 0
    check = arith.sum_check([6450.23, 6832.07, 4006.76, 1233.42, 4171.70, 1176.60], 23870.77)
    assert check.components == 23870.78 and check.difference == 0.01 and check.consistent
    assert not arith.sum_check([4.0, 5.0], 10.0).consistent


def test_components_of_a_table_with_levels() -> None:
    df = pd.DataFrame({"indicator": ["T", "a", "b"], "level": ["total", "component", "component"],
                       "value": [3.0, 1.0, 2.0]})
    total, parts = arith.components(df)
    assert total["indicator"] == "T" and parts["indicator"].tolist() == ["a", "b"]
    assert arith.check_components(df).difference == 0
    with pytest.raises(ValueError, match="exactly one total"):
        arith.components(df[df["level"] == "component"])


def test_margins_from_levels_and_growth() -> None:
    from aibook.arith import margins_pct

    before, now = margins_pct(100.0, 25.0, 10.0, 100.0)  # revenue 80 → 100, profit 5 → 10
    assert now == pytest.approx(10.0) and before == pytest.approx(6.25)


def test_a_printed_number_stands_for_an_interval_and_a_function_for_its_image() -> None:
    band = arith.printed_interval(31.8, 1)
    assert (band.lo, band.hi) == (pytest.approx(31.75), pytest.approx(31.85))
    assert arith.printed_interval(35, EXACT) == arith.Interval(35, 35)
    reach = arith.image(lambda v: arith.cagr_pct(v[0], v[1], 5), [1950, 7728], [0, 0])
    assert reach.lo == pytest.approx(31.697, abs=1e-3) and reach.hi == pytest.approx(31.715, abs=1e-3)
    assert not arith.printed_interval(31.8, 1).overlaps(reach)
    assert arith.Interval(1, 2).overlaps(arith.Interval(2, 3)) and not arith.Interval(1, 2).overlaps(arith.Interval(2.1, 3))
    with pytest.raises(ValueError, match="lo ≤ hi"):
        arith.Interval(2, 1)
