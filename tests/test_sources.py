"""One standard for sources over every URL of the data package (see the data appendix for the rule)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from aibook import load, names
from aibook.data import descriptor
from aibook.paths import resolve_data_dir
from aibook.sources import (
    FROM_SOURCE_TYPE,
    LEAD,
    STANDINGS,
    Host,
    LeadDrawn,
    drawable,
    host_entry,
    leads,
    read_hosts,
    sourced,
    standing_problems,
)

DATA = resolve_data_dir(None)
HOSTS = read_hosts(DATA)


def _url_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if "url" in c.lower()]


def _every_url_resource() -> list[tuple[str, pd.DataFrame]]:
    """Every resource with a URL column, plus the bulletin drop-ins (their source_type is their standing)."""
    out = []
    for res in descriptor(DATA)["resources"]:
        frame = load(res["name"], DATA)
        if _url_columns(frame):
            out.append((res["path"], frame))
    for path in sorted((DATA / "releases").glob("bulletin-*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        out.append((f"releases/{path.name}", frame.assign(standing=frame["source_type"].map(FROM_SOURCE_TYPE))))
    return out


def test_the_package_has_url_columns_only_where_standing_is_kept() -> None:
    found = {path for path, _ in _every_url_resource()}
    assert {"external/figure_facts.csv", "external/sh_stats.csv", "external/ai_strategies.csv",
            "external/ai_talent_by_country.csv", "external/ai_city_shares.csv"} <= found
    for path, frame in _every_url_resource():
        assert "standing" in frame.columns, f"{path}: URL column(s) {_url_columns(frame)} without a standing column"


@pytest.mark.parametrize(("path", "frame"), _every_url_resource(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_url_has_a_standing_its_host_supports(path: str, frame: pd.DataFrame) -> None:
    problems = []
    for col in _url_columns(frame):
        problems += standing_problems(frame, path, HOSTS, url_column=col)
    assert problems == []


def test_sh_stats_source_type_and_standing_agree() -> None:
    stats = load(names.SH_STATS, DATA)
    assert (stats["source_type"].map(FROM_SOURCE_TYPE) == stats["standing"]).all()


def test_every_reviewed_host_is_used_and_says_what_it_is() -> None:
    urls = [u for _, f in _every_url_resource() for c in _url_columns(f) for u in f[c]]
    for h in HOSTS:
        assert h.what.strip()
        assert any(host_entry(u, [h]) for u in urls), f"{h.host}{h.path_prefix} is reviewed but no URL uses it"


# ----------------------------------------------------------------------------------------- what is drawn
def test_drawn_rows_of_the_figures_are_sources() -> None:
    """The rows 图表 1–3 draw are exactly the sourced rows, and the leads among them are the rest."""
    for name in (names.AI_STRATEGIES, names.AI_TALENT, names.AI_CITY_SHARES):
        frame = load(name, DATA)
        drawn = drawable(sourced(frame), name)
        assert set(drawn["standing"]) <= {"publisher", "news agency"}
        assert len(drawn) + len(leads(frame)) == len(frame)
    assert len(sourced(load(names.AI_STRATEGIES, DATA))) >= 10
    assert sourced(load(names.AI_CITY_SHARES, DATA)).empty  # every city share found so far is a repost


def test_series_draw_only_sourced_rows() -> None:
    from aibook import series

    stats = load(names.SH_STATS, DATA)
    table = series.series_table(series.observations(stats), load(names.SERIES_CATALOG, DATA))
    used = table[table["n_sources"] > 0]
    by_url = stats.set_index("source_url")["standing"].groupby(level=0).agg(set)
    for url in used["source_url"]:
        assert by_url[url] - {LEAD}, url


# ----------------------------------------------------------------------------------------- the guard bites
def _hosts() -> list[Host]:
    return [Host("www.shanghai.gov.cn", "", "publisher", "市政府"), Host("xinhuanet.com", "", "news agency", "新华社"),
            Host("subsites.chinadaily.com.cn", "/SHCC/", "publisher", "市商务委英文网站")]


def test_a_lead_row_that_is_drawn_is_refused() -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "source_url": ["http://www.shanghai.gov.cn/x", "https://m.twwaer.com/y"],
                          "standing": ["publisher", LEAD]})
    assert list(drawable(sourced(frame), "f")["id"]) == ["a"]
    with pytest.raises(LeadDrawn, match=r"f: 1 row\(s\) to be drawn are not sources \(first: b"):
        drawable(frame, "f")


def test_a_lead_dressed_as_publisher_is_caught_by_its_host() -> None:
    frame = pd.DataFrame({"source_url": ["https://m.twwaer.com/news", "http://xinhuanet.com/a",
                                         "http://subsites.chinadaily.com.cn/other/1.htm",
                                         "http://subsites.chinadaily.com.cn/SHCC/1.htm", "http://www.shanghai.gov.cn/z"],
                          "standing": ["publisher", "publisher", "publisher", "publisher", "official"]})
    problems = standing_problems(frame, "external/x.csv", _hosts())
    assert len(problems) == 4
    assert problems[0].startswith("external/x.csv, row 2, column source_url: https://m.twwaer.com/news is not on")
    assert "row 3, column standing: 'publisher', but xinhuanet.com is reviewed as 'news agency'" in problems[1]
    assert "row 4, column source_url" in problems[2]  # the host is reviewed only under /SHCC/
    assert re.search(r"row 6, column standing: 'official'; expected one of", problems[3])


def test_the_shipped_data_fails_when_a_lead_is_promoted() -> None:
    """Mark the 14.07% city share (a repost on m.twwaer.com) as a publisher: the package check fails on it."""
    cities = load(names.AI_CITY_SHARES, DATA).copy()
    row = cities.index[(cities["city"] == "上海") & cities["source_url"].str.contains("twwaer")][0]
    cities.loc[row, "standing"] = "publisher"
    problems = standing_problems(cities, "external/ai_city_shares.csv", HOSTS)
    assert problems == [f"external/ai_city_shares.csv, row {row + 2}, column source_url: {cities.at[row, 'source_url']} "
                        "is not on the reviewed list of publisher hosts (external/source_hosts.csv); mark the row "
                        "'lead' or review the host"]
    with pytest.raises(LeadDrawn):
        drawable(load(names.AI_CITY_SHARES, DATA), "external/ai_city_shares.csv")


def test_hosts_file_rejects_an_unknown_standing(tmp_path: Path) -> None:
    (tmp_path / "external").mkdir()
    (tmp_path / "external" / "source_hosts.csv").write_text(
        "host,path_prefix,standing,what,reviewed\nexample.org,,wiki,x,2026-12-06\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"row 2, column standing: 'wiki'"):
        read_hosts(tmp_path)


def test_standing_vocabulary_is_closed() -> None:
    assert STANDINGS == ("publisher", "news agency", "lead")


def test_the_audit_compares_only_with_verified_source_rows(data_copy: Path) -> None:
    """Blank the verification date of the commission's 2018 page: the checks that rested on it become 无法核对."""
    from aibook import audit

    path = data_copy / "external" / "sh_stats.csv"
    stats = pd.read_csv(path, dtype=str, keep_default_na=False)
    stats.loc[stats["source_url"].str.contains("/SHCC/"), "verified_on"] = ""
    stats.to_csv(path, index=False, lineterminator="\n")
    claims = audit.run_all(data_copy).set_index("id")
    assert claims.loc["ch3-six-total-external", "status"] == audit.UNCHECKABLE
    assert audit.run_all(DATA).set_index("id").loc["ch3-six-total-external", "status"] == audit.CONSISTENT
