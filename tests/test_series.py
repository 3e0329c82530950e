from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from aibook import load
from aibook.figures import series_panels
from aibook.series import (
    ACCEPTED,
    CONVERSIONS,
    UnitError,
    consolidate,
    convert,
    coverage,
    drawable_series,
    number_in_quote,
    observations,
    series_table,
    source_problems,
    verified,
)


def _rows(**cols: list) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"id": [f"x{i}" for i in range(n)], "indicator": ["x"] * n, "industry": [None] * n,
            "basis": ["单一口径"] * n, "value_qualifier": [None] * n, "unit": ["亿元"] * n,
            "growth_pct": [np.nan] * n, "source_type": ["official"] * n, "source_title": [f"t{i}" for i in range(n)],
            "source_url": [f"https://a.gov.cn/{i}" for i in range(n)], "quote": ["q"] * n}
    base.update(cols)
    return pd.DataFrame(base)


def test_convert_explicit_units() -> None:
    assert convert(2.39, "万亿元(trillion yuan)", "亿元") == pytest.approx(23900)
    assert convert(806.41, "十亿元(billion yuan)", "亿元") == pytest.approx(8064.1)
    assert convert(42.01, "百万TEU(million TEU)", "万TEU") == pytest.approx(4201)
    assert convert(4350, "万标准箱", "万TEU") == 4350
    assert convert(1.6, "万亿元", "亿元") == pytest.approx(16000)


def test_convert_refuses_unknown_or_mismatched_units() -> None:
    with pytest.raises(UnitError, match="unknown unit"):
        convert(1, "furlongs", "亿元")
    with pytest.raises(UnitError, match="not 万TEU"):
        convert(1, "亿元", "万TEU")


def test_every_unit_in_the_shipped_series_is_known() -> None:
    stats = load("external_sh_stats")
    units = set(stats.loc[stats["value"].notna(), "unit"])
    assert units <= set(CONVERSIONS), units - set(CONVERSIONS)
    catalog = load("timeseries_catalog")
    assert set(catalog["unit"]) <= {c for c, _ in CONVERSIONS.values()}


def test_shipped_rows_declare_their_standing_by_host() -> None:
    """Accepted rows sit on a reviewed host of their standing (the one source rule, aibook.sources)."""
    from aibook.paths import resolve_data_dir
    from aibook.sources import read_hosts

    stats = load("external_sh_stats")
    assert set(stats["source_type"]) <= {"official", "news_agency", "repost"}
    assert source_problems(stats, read_hosts(resolve_data_dir(None))) == []
    # without the reviewed list, the bulletin rule (gov.cn / Xinhua) would refuse the commission's SHCC page
    assert any("s007" in p for p in source_problems(stats))


def test_accepted_rows_quote_their_numbers() -> None:
    from aibook.paths import resolve_data_dir
    from aibook.sources import read_hosts

    assert source_problems(load("external_sh_stats"), read_hosts(resolve_data_dir(None))) == []


def test_only_series_with_three_official_points_are_drawn() -> None:
    stats = _rows(indicator=["x", "x", "x", "y", "y", "y"], year=[2015, 2016, 2017, 2015, 2016, 2017],
                  value=[1.0, 2.0, 3.0, 1.0, 2.0, 3.0],
                  source_type=["official"] * 3 + ["official", "news_agency", "repost"],
                  source_url=[f"https://a.gov.cn/{i}" for i in range(6)])
    catalog = pd.DataFrame({"series_id": ["sx", "sy"], "panel": ["X", "Y"], "indicator": ["x", "y"],
                            "industry": [None, None], "basis": ["单一口径"] * 2, "unit": ["亿元"] * 2,
                            "first_year": [2015, 2015], "last_year": [np.nan, np.nan], "report_fact": [None] * 2})
    cov = coverage(series_table(observations(stats), catalog))
    assert drawable_series(cov) == ["sx"]  # y has one official, one news-agency point and a lead: not drawn
    assert drawable_series(cov, minimum=1) == ["sx", "sy"]


def test_shipped_appendix_draws_only_series_with_three_official_points() -> None:
    from aibook import bulletins

    table = series_table(observations(verified(load("external_sh_stats")), bulletins.load_all()),
                         load("timeseries_catalog"))
    cov = coverage(table).set_index("series_id")
    drawn = drawable_series(cov.reset_index())
    assert drawn and all(cov.loc[s, "official"] >= 3 for s in drawn)
    assert {"gdp_growth", "ind_invest_growth", "above_scale", "sei_share"} <= set(drawn)


def test_repost_rows_never_reach_a_series() -> None:
    stats = load("external_sh_stats")
    s = consolidate(stats, "上海港集装箱吞吐量", "万TEU", years=range(2015, 2026)).set_index("year")
    assert s["n_sources"].sum() == 0 and s["value"].isna().all()  # only reposts carry these numbers
    leads = consolidate(stats, "上海港集装箱吞吐量", "万TEU", accept=(*ACCEPTED, "repost")).set_index("year")
    assert leads.loc[2018, "value"] == pytest.approx(4201.0)  # the leads are still in the file, for other pages


def test_consolidate_prefers_official_then_precision_and_counts_a_page_once() -> None:
    stats = _rows(year=[2020, 2020, 2020, 2021], value=[1.1, 1.123, 1.12, 5.0], unit=["万亿元"] * 4,
                  source_type=["news_agency", "news_agency", "official", "official"],
                  source_url=["https://www.news.cn/a", "https://www.news.cn/b", "https://x.gov.cn/c",
                              "https://x.gov.cn/c"])
    s = consolidate(stats, "x", "亿元").set_index("year")
    assert s.loc[2020, "value"] == pytest.approx(11200) and s.loc[2020, "source_type"] == "official"
    assert s.loc[2020, "n_sources"] == 3 and s.loc[2020, "agree"]
    twice = pd.concat([stats, stats.iloc[[3]]], ignore_index=True)
    assert consolidate(twice, "x", "亿元").set_index("year").loc[2021, "n_sources"] == 1


def test_consolidate_shows_missing_years_as_nan_and_keeps_lower_bounds_apart() -> None:
    stats = _rows(year=[2015, 2017, 2018], value=[1.0, 3.0, 9.0], value_qualifier=[None, None, ">"])
    s = consolidate(stats, "x", "亿元", years=range(2015, 2020)).set_index("year")
    assert math.isnan(s.loc[2016, "value"]) and s.loc[2016, "n_sources"] == 0
    assert s.loc[2018, "lower_bound"] and not s.loc[2017, "lower_bound"]
    assert math.isnan(s.loc[2019, "value"])


def test_consolidate_needs_the_source_type_column() -> None:
    with pytest.raises(KeyError, match="source_type"):
        consolidate(_rows(year=[2015], value=[1.0]).drop(columns="source_type"), "x", "亿元")


def _catalog() -> pd.DataFrame:
    return pd.DataFrame({
        "series_id": ["old", "new", "open"], "panel": ["P", "P", "Q"], "indicator": ["x", "y", "z"],
        "industry": [None, None, None], "basis": ["旧口径", "新口径", "单一口径"], "unit": ["亿元"] * 3,
        "first_year": [2015, 2021, 2015], "last_year": [2020, np.nan, np.nan], "report_fact": [None] * 3,
    })


def test_bases_are_separate_series_and_open_ends_follow_the_data() -> None:
    stats = _rows(indicator=["x", "y", "y", "z"], basis=["旧口径", "新口径", "旧口径", "单一口径"],
                  year=[2019, 2021, 2022, 2023], value=[1.0, 2.0, 3.0, 4.0])
    table = series_table(observations(stats), _catalog())
    old, new = table[table["series_id"] == "old"], table[table["series_id"] == "new"]
    assert list(old["year"]) == list(range(2015, 2021)) and list(new["year"]) == [2021, 2022, 2023]
    assert new.set_index("year").loc[2022, "n_sources"] == 0  # a value under the other basis is not spliced in
    assert table.attrs["last_year"] == 2023
    cov = coverage(table).set_index("series_id")
    assert cov.loc["合计", "shown"] == 6 + 3 + 9 and cov.loc["合计", "found"] == 3
    assert cov.loc["合计", "share_pct"] == pytest.approx(3 / 18 * 100)
    assert cov.loc["new", "official"] == 1 and cov.loc["new", "news_agency"] == 0


def test_shipped_catalog_breaks_the_six_industries_in_2021() -> None:
    catalog = load("timeseries_catalog").set_index("series_id")
    assert catalog.loc["six_old", "last_year"] == 2020 and catalog.loc["six_new", "first_year"] == 2021
    assert catalog.loc["six_old", "panel"] == catalog.loc["six_new", "panel"]
    assert catalog.loc["six_old", "basis"] != catalog.loc["six_new", "basis"]
    assert {"ai_scale", "ai_firms", "ic_sales", "leading3"} <= set(catalog.index)


@pytest.mark.parametrize(("number", "quote", "found"), [
    ("33989", "规模以上工业总产值 | 33989 | 6.8", True),
    ("1064.119", "was RMB1,064.119 billion", True),
    ("1032", "工业投资 其中: 制造业投资 | 1032 793 | 5.3 4.2", True),
    ("103", "工业投资 | 1032", False),
    ("4.8", "下降4.8%", True),
    ("-4.8", "下降4.8%", True),
    ("45", "比重提升至45%", True),
    ("5", "增长5.4%", False),
])
def test_number_in_quote(number: str, quote: str, found: bool) -> None:
    assert number_in_quote(number, quote) is found


def test_plot_leaves_gaps_and_never_joins_bases() -> None:
    import matplotlib

    matplotlib.use("Agg")
    stats = _rows(indicator=["x", "x", "y", "y"], basis=["旧口径", "旧口径", "新口径", "新口径"],
                  year=[2019, 2020, 2021, 2023], value=[1.0, 2.0, 3.0, 4.0])
    table = series_table(observations(stats), _catalog())
    fig = series_panels(table, _catalog(), {})
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if ln.get_linestyle() not in ("None", "none", "")]
    joined = [ln for ln in lines if len(ln.get_xdata()) > 0]
    for ln in joined:
        xs = list(ln.get_xdata())
        assert not (2020 in xs and 2021 in xs), "a line spans both bases"
    new_line = next(ln for ln in joined if 2021 in list(ln.get_xdata()))
    ys = dict(zip(new_line.get_xdata(), new_line.get_ydata(), strict=True))
    assert math.isnan(ys[2022])  # the gap stays a gap
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_unverified_source_rows_are_not_drawn() -> None:
    stats = _rows(year=[2015, 2016, 2017], value=[1.0, 2.0, 3.0], source_type=["official", "official", "repost"])
    stats["verified_on"] = ["2026-12-06", None, None]
    kept = verified(stats)
    assert list(kept["year"]) == [2015, 2017]  # the official 2016 row was not re-opened; the lead stays a lead
    s = consolidate(kept, "x", "亿元", years=range(2015, 2018)).set_index("year")
    assert s.loc[2015, "n_sources"] == 1 and s.loc[2016, "n_sources"] == 0 and s.loc[2017, "n_sources"] == 0
    assert verified(stats.drop(columns="verified_on")).equals(stats.drop(columns="verified_on"))


def test_shipped_unverified_rows_are_named() -> None:
    stats = load("external_sh_stats")
    accepted = stats[stats["source_type"].isin(ACCEPTED)]
    missing = set(accepted["id"]) - set(verified(stats)["id"])
    assert missing == {"s122", "s123"}  # the 2024 government work report on shanghai.gov.cn did not re-surface


def test_about_is_a_value_and_more_than_is_a_bound() -> None:
    stats = _rows(year=[2020, 2021], value=[4.4, 5.0], value_qualifier=["约", ">"], unit=["%", "%"])
    s = consolidate(stats, "x", "%").set_index("year")
    assert not s.loc[2020, "lower_bound"] and s.loc[2020, "value"] == pytest.approx(4.4)
    assert s.loc[2021, "lower_bound"]
