"""aibook.pages.appendix_timeseries: the steps of Appendix C, called on data/ (relations, not the shipped values)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
import pytest

from aibook import series, sources
from aibook.pages import appendix_timeseries as page
from aibook.paths import DATA_DIR
from tests.conftest import record_glue

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def ts() -> page.Series:
    return page.series_data(DATA_DIR)


@pytest.fixture
def glued(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the page's functions glue, by key (nothing reaches a notebook)."""
    return record_glue(monkeypatch, page, "glue_number", "glue_text")


def test_the_counts_add_up(ts: page.Series, glued: dict[str, Any]) -> None:
    page.glue_counts(ts)
    assert glued["ts_series"] == len(ts.catalog) == glued["ts_drawn_n"] + glued["ts_rest_n"]
    assert glued["ts_found"] == glued["ts_official"] + glued["ts_news"] <= glued["ts_shown"]
    assert glued["ts_coverage"] == pytest.approx(100 * glued["ts_found"] / glued["ts_shown"], abs=0.05)
    assert glued["ts_span"] == f"{ts.first}–{ts.last}" and ts.first < ts.last
    assert glued["ts_drawn_list"].count("、") == len(ts.drawn_ids) - 1
    assert glued["ts_min_official"] == series.MIN_OFFICIAL
    assert glued["ts_unverified"] == len(ts.unverified) and (glued["ts_unverified_ids"] == "无") == ts.unverified.empty


def test_only_verified_sources_are_drawn(ts: page.Series) -> None:
    assert set(ts.used["series_id"]) <= set(ts.drawn_ids)
    assert not ts.unverified["id"].isin(ts.stats["id"]).any()
    assert set(ts.report_points) <= set(ts.drawn_ids)
    assert ts.source_line.startswith("数据来源：") and "红星" in ts.source_line


def test_a_lead_behind_a_drawn_point_is_refused(ts: page.Series) -> None:
    """The guard of 附图 C-1: a page behind a drawn point that is only a lead stops the figure, naming the file."""
    url = ts.used["source_url"].iloc[0]
    stats = ts.stats.copy()
    stats.loc[stats["source_url"] == url, "standing"] = sources.LEAD
    broken = page.Series(**{**ts.__dict__, "stats": stats})
    with pytest.raises(sources.LeadDrawn, match="sh_stats"):
        page.show_drawn(broken)


def test_the_series_not_drawn_account_for_every_year_searched(ts: page.Series) -> None:
    rest = page.not_drawn(ts)
    assert len(rest) == len(ts.catalog) - len(ts.drawn_ids)
    assert list(rest.columns) == ["序列", "检索年份", "发布者数值的年份", "通讯社数值的年份", "只有线索的年份",
                                  "没有找到任何数值的年份"]
    assert not rest["序列"].isin([ts.label[s] for s in ts.drawn_ids]).any()


def test_years_are_listed_sorted_once_or_a_dash() -> None:
    assert page._years(pd.Series([2019, 2017, 2019.0])) == "2017、2019"
    assert page._years(pd.Series([], dtype=float)) == "—"


def test_the_above_scale_sentence_names_what_was_found(ts: page.Series) -> None:
    text = page.above_scale_2018(ts)
    assert text.endswith("）") or text.startswith("本书没有找到")
    found = ts.table[(ts.table["series_id"] == "above_scale") & (ts.table["year"] == 2018) & (ts.table["n_sources"] > 0)]
    nothing = page.Series(**{**ts.__dict__, "table": ts.table.assign(n_sources=0),
                             "all_stats": ts.all_stats.iloc[0:0]})
    assert page.above_scale_2018(nothing) == "本书没有找到"
    assert found.empty or "亿元" in text


def test_the_tables_have_their_captions(ts: page.Series, glued: dict[str, Any], tmp_path: Path) -> None:
    for table, label in ((page.drawn_data(ts), "附图 C-1 的数据"), (page.not_drawn_table(ts), "附表 C-1"),
                         (page.coverage_table(ts), "附表 C-2"), (page.points_table(ts), "附表 C-3"),
                         (page.bulletins_table(ts), "附表 C-4")):
        assert label in table._repr_html_()
    assert glued["ts_bulletins"] == len(ts.annual.attrs["years"])
