from __future__ import annotations

import math

import pandas as pd
import pytest

from aibook import load
from aibook.series import UnitError, consolidate, convert


def test_convert_explicit_units() -> None:
    assert convert(2.39, "万亿元(trillion yuan)", "亿元") == pytest.approx(23900)
    assert convert(806.41, "十亿元(billion yuan)", "亿元") == pytest.approx(8064.1)
    assert convert(42.01, "百万TEU(million TEU)", "万TEU") == pytest.approx(4201)
    assert convert(4350, "万标准箱", "万TEU") == 4350


def test_convert_refuses_unknown_or_mismatched_units() -> None:
    with pytest.raises(UnitError, match="unknown unit"):
        convert(1, "furlongs", "亿元")
    with pytest.raises(UnitError, match="not 万TEU"):
        convert(1, "亿元", "万TEU")


def test_every_unit_in_the_shipped_series_is_known() -> None:
    stats = load("external_sh_stats")
    units = set(stats.loc[stats["value"].notna(), "unit"])
    from aibook.series import CONVERSIONS

    assert units <= set(CONVERSIONS), units - set(CONVERSIONS)


def test_consolidate_container_throughput_keeps_gaps_and_agreement() -> None:
    stats = load("external_sh_stats")
    s = consolidate(stats, "上海港集装箱吞吐量", "万TEU").set_index("year")
    assert s.loc[2018, "value"] == pytest.approx(4201.0)
    assert s.loc[2018, "agree"]
    assert s.loc[2025, "lower_bound"]
    assert list(s.index) == list(range(2015, 2026))


def test_consolidate_shows_missing_years_as_nan() -> None:
    stats = pd.DataFrame({
        "indicator": ["x", "x"], "industry": [None, None], "year": [2015, 2017], "value_qualifier": [None, None],
        "value": [1.0, 3.0], "unit": ["亿元", "亿元"], "source_title": ["a", "b"], "source_url": ["u", "v"],
    })
    s = consolidate(stats, "x", "亿元").set_index("year")
    assert math.isnan(s.loc[2016, "value"]) and s.loc[2016, "n_sources"] == 0
