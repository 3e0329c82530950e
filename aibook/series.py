"""Longer series around the report's 2018 figures: explicit unit conversion, sources by standing, coverage.

Public sources state values in their own units (亿元, 万亿元, billion yuan, million TEU, 万标准箱 …).
:data:`CONVERSIONS` says, for each unit string that occurs, which canonical unit it belongs to and by
what factor; an unknown unit is an error, never a silent guess.

Every value carries its source's standing (``source_type``): ``official`` (the publisher's own page: a
government body or statistics bureau), ``news_agency`` (Xinhua and the other national agencies) or ``repost``
(mirrors, reposts, third-party pages — leads, not sources); it is the book's one source rule
(:mod:`aibook.sources`, ``standing`` publisher / news agency / lead) in the vocabulary of the bulletin drop-ins.
The shipped rows are checked against the reviewed host list (``external/source_hosts.csv``); a bulletin
drop-in must come from a ``gov.cn`` or Xinhua host (:data:`SOURCE_HOSTS`). The series of appendix C use
:data:`ACCEPTED` sources only; a year without such a value stays missing, and a series is drawn only with at
least :data:`MIN_OFFICIAL` official points (:func:`drawable_series`). Definitions that change (``basis``) are
separate series, never spliced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from aibook.arith import printed_half_unit

#: unit as written in the source → (canonical unit, factor to multiply by)
CONVERSIONS: dict[str, tuple[str, float]] = {
    "亿元": ("亿元", 1.0),
    "亿元(原文误作billion yuan)": ("亿元", 1.0),  # english.sheitc 2016: "31083 billion yuan" (i.e. 31083 亿元)
    "万亿元": ("亿元", 10_000.0),
    "万亿元(trillion yuan)": ("亿元", 10_000.0),
    "十亿元(billion yuan)": ("亿元", 10.0),
    "十亿元(RMB bn)": ("亿元", 10.0),
    "万TEU": ("万TEU", 1.0),
    "万标准箱": ("万TEU", 1.0),
    "万标箱": ("万TEU", 1.0),
    "百万TEU(million TEU)": ("万TEU", 100.0),
    "百万TEU(million TEUs)": ("万TEU", 100.0),
    "百万(million)": ("万TEU", 100.0),  # used only for container throughput in the sources
    "%": ("%", 1.0),
    "家": ("家", 1.0),
}

#: source standing → the host domains a page of that standing may live on
SOURCE_HOSTS: dict[str, tuple[str, ...]] = {
    "official": ("gov.cn",),
    "news_agency": ("xinhuanet.com", "news.cn"),
}
#: the standings appendix C accepts as sources (``repost`` rows are leads only)
ACCEPTED: tuple[str, ...] = ("official", "news_agency")
STANDING = {"official": "发布者", "news_agency": "通讯社", "repost": "线索（不作来源）"}
#: qualifiers that make a printed value a lower bound ("超过 5506" → ``>``); "约" (about) is a value
LOWER_BOUND: tuple[str, ...] = (">", ">=")
#: a series is drawn as a panel only with at least this many years of official (publisher) values
MIN_OFFICIAL = 3

OBS_COLUMNS = ["id", "indicator", "industry", "basis", "year", "value_qualifier", "value", "unit", "growth_pct",
               "source_type", "source_title", "source_url", "quote", "origin"]
SERIES_COLUMNS = ["series_id", "panel", "basis", "unit", "year", "value", "lower_bound", "n_sources", "agree",
                  "spread", "source_type", "source_title", "source_url", "quote", "origin"]


class UnitError(ValueError):
    """A value whose unit is unknown or belongs to another family than the series'."""


def convert(value: float, unit: str, target: str) -> float:
    """``value`` in ``unit`` expressed in ``target`` (e.g. 2.39 万亿元 → 23900 亿元)."""
    if unit not in CONVERSIONS:
        raise UnitError(f"unknown unit {unit!r}; known: {sorted(CONVERSIONS)}")
    canonical, factor = CONVERSIONS[unit]
    if canonical != target:
        raise UnitError(f"unit {unit!r} is {canonical}, not {target}")
    return value * factor


# ------------------------------------------------------------------------------------------- quotes, hosts
def _digits(text: str) -> str:
    """Text with thousands separators removed (``1,064.119`` → ``1064.119``; ``1032 793`` stays two numbers)."""
    return re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", text)


def number_in_quote(number: str, quote: str) -> bool:
    """Whether ``number`` (a cell as written, e.g. ``"33989"``, ``"43.6"``, ``"-4.8"``) is printed in ``quote``.

    A negative growth rate may be printed without its sign ("下降4.8%").
    """
    text = number.strip()
    if not text:
        return True
    body = _digits(quote)
    for form in {text, text.lstrip("-+")}:
        if re.search(rf"(?<![\d.]){re.escape(form)}(?!\.?\d)", body):
            return True
    return False


def printed_forms(value: float) -> list[str]:
    """Ways a parsed number may have been printed (``2760.6`` → ``2760.6``, ``2760.60`` …)."""
    forms = [f"{value:g}", f"{value:.1f}", f"{value:.2f}", f"{value:.3f}"]
    if float(value).is_integer():
        forms.insert(0, str(int(value)))
    return list(dict.fromkeys(forms))


def host_matches(source_type: str, url: str) -> bool:
    """Whether ``url``'s host belongs to the domains allowed for ``source_type``."""
    from urllib.parse import urlparse

    host = (urlparse(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in SOURCE_HOSTS.get(source_type, ()))


def source_problems(stats: pd.DataFrame, hosts: Iterable[Any] | None = None) -> list[str]:
    """Rows of accepted standing whose host does not fit it or whose quote lacks their numbers (empty: all fine).

    With ``hosts`` (the reviewed list of :func:`aibook.sources.read_hosts`) a row's host must be reviewed with the
    row's standing; without it, the bulletin rule applies (``gov.cn`` for official, Xinhua for news_agency).
    """
    from aibook import sources

    reviewed = list(hosts) if hosts is not None else None
    out = []
    for r in stats[stats["source_type"].isin(ACCEPTED)].itertuples():
        if reviewed is None:
            fits = host_matches(str(r.source_type), str(r.source_url))
        else:
            entry = sources.host_entry(str(r.source_url), reviewed)
            fits = entry is not None and entry.standing == sources.FROM_SOURCE_TYPE[str(r.source_type)]
        if not fits:
            out.append(f"{r.id}: {r.source_type} source on a foreign host: {r.source_url}")
        for col in ("value", "growth_pct"):
            v = getattr(r, col)
            if pd.notna(v) and not any(number_in_quote(f, str(r.quote)) for f in printed_forms(float(v))):
                out.append(f"{r.id}: {col} {v:g} is not in the quote")
    return out


def verified(stats: pd.DataFrame) -> pd.DataFrame:
    """``stats`` without the source rows whose page the book has not re-opened (empty ``verified_on``).

    A row of accepted standing is drawn only once its page was opened again and the quote found on it; leads
    stay (they are never drawn anyway, and the appendix lists them). Frames without the column pass unchanged.
    """
    if "verified_on" not in stats.columns:
        return stats
    seen = stats["verified_on"].notna() & (stats["verified_on"].astype(str).str.strip() != "")
    return stats[seen | ~stats["source_type"].isin(ACCEPTED)]


# ------------------------------------------------------------------------------------------- observations
def observations(stats: pd.DataFrame, bulletins: pd.DataFrame | None = None) -> pd.DataFrame:
    """``external_sh_stats`` and the bulletin rows in one frame (``origin`` says which file a row is from)."""
    parts = [stats.assign(origin="external/sh_stats.csv")]
    if bulletins is not None and len(bulletins):
        parts.append(bulletins.assign(origin=[f"releases/bulletin-{y}.csv" for y in bulletins["year"]]))
    obs = pd.concat([p.reindex(columns=OBS_COLUMNS) for p in parts], ignore_index=True)
    obs["year"] = obs["year"].astype(int)
    obs["value"] = pd.to_numeric(obs["value"]).astype("float64")
    obs["growth_pct"] = pd.to_numeric(obs["growth_pct"]).astype("float64")
    return obs


def latest_year(obs: pd.DataFrame) -> int:
    """The latest year any row (of any standing) refers to: the right edge of open-ended series."""
    return int(obs["year"].max())


def consolidate(stats: pd.DataFrame, indicator: str, target: str, *, industry: str | None = None,
                basis: str | None = None, years: Iterable[int] | None = None,
                accept: Sequence[str] = ACCEPTED) -> pd.DataFrame:
    """One row per year for ``indicator`` in ``target`` units, from sources of an ``accept``-ed standing.

    Official sources win over the news agency; exact values win over lower bounds ("> 4700"); among the
    rest the most precise is shown and ``agree`` says whether all sources agree within their rounding.
    A page counts once however many rows quote it. Years without data stay as NaN rows (gaps stay gaps).
    """
    if "source_type" not in stats.columns:
        raise KeyError("stats need a source_type column (official, news_agency or repost)")
    rows = stats[(stats["indicator"] == indicator) & stats["value"].notna() & stats["source_type"].isin(accept)]
    if industry is not None:
        rows = rows[rows["industry"].fillna("") == industry]
    if basis is not None and "basis" in rows.columns:
        rows = rows[rows["basis"] == basis]
    rank = {s: i for i, s in enumerate(accept)}
    out = []
    for year, grp in rows.groupby("year"):
        conv = grp.assign(canon=[convert(v, u, target) for v, u in zip(grp["value"], grp["unit"], strict=True)],
                          tol=[printed_half_unit(v, CONVERSIONS[u][1])
                               for v, u in zip(grp["value"], grp["unit"], strict=True)],
                          rank=[rank[s] for s in grp["source_type"]])
        conv = conv.sort_values(["rank", "tol"], kind="stable").drop_duplicates("source_url")
        exact = conv[~conv["value_qualifier"].isin(LOWER_BOUND)]  # "约" (about) is a value, not a bound
        pool = exact if len(exact) else conv
        best = pool.iloc[0]
        spread = float(pool["canon"].max() - pool["canon"].min())
        out.append({
            "year": int(year), "value": float(best["canon"]), "lower_bound": not len(exact),
            "n_sources": len(conv), "agree": spread <= float(pool["tol"].max()) * 2 + 1e-9, "spread": spread,
            "source_type": best["source_type"], "source_title": best["source_title"],
            "source_url": best["source_url"], "quote": best.get("quote"), "origin": best.get("origin"),
        })
    cols = ["year", "value", "lower_bound", "n_sources", "agree", "spread", "source_type", "source_title",
            "source_url", "quote", "origin"]
    frame = pd.DataFrame(out, columns=cols)
    span = list(years) if years is not None else (
        list(range(frame["year"].min(), frame["year"].max() + 1)) if len(frame) else [])
    frame = frame.set_index("year").reindex(span).reset_index()
    frame["n_sources"] = frame["n_sources"].fillna(0).astype(int)
    frame["value"] = frame["value"].astype(float).where(frame["n_sources"] > 0, np.nan)
    frame["lower_bound"] = frame["lower_bound"].astype("boolean").fillna(False).astype(bool)
    frame.attrs.update(indicator=indicator, unit=target)
    return frame


def series_span(spec: Mapping[str, Any], last_year: int) -> range:
    """Years a catalogue row shows: ``first_year`` to ``last_year`` (its own, or the data's latest)."""
    end = spec.get("last_year")
    end = last_year if end is None or pd.isna(end) else int(end)
    return range(int(spec["first_year"]), end + 1)


def series_table(obs: pd.DataFrame, catalog: pd.DataFrame, last_year: int | None = None) -> pd.DataFrame:
    """Every catalogue series over its span, long format (one row per series-year, NaN where missing)."""
    end = latest_year(obs) if last_year is None else int(last_year)
    frames = []
    for spec in catalog.to_dict("records"):
        industry = spec.get("industry")
        frame = consolidate(obs, spec["indicator"], spec["unit"],
                            industry=None if industry is None or pd.isna(industry) else str(industry),
                            basis=spec["basis"], years=series_span(spec, end))
        frames.append(frame.assign(series_id=spec["series_id"], panel=spec["panel"], basis=spec["basis"],
                                   unit=spec["unit"]))
    table = pd.concat(frames, ignore_index=True).reindex(columns=SERIES_COLUMNS)
    table.attrs.update(last_year=end, first_year=int(table["year"].min()))
    return table


def coverage(table: pd.DataFrame) -> pd.DataFrame:
    """Per series: indicator-years shown, how many have a value (official, news agency), and the share.

    The last row, ``series_id == "合计"``, sums all series.
    """
    has = table["n_sources"] > 0
    g = table.assign(found=has, official=has & (table["source_type"] == "official"),
                     news_agency=has & (table["source_type"] == "news_agency"))
    per = g.groupby("series_id", sort=False).agg(panel=("panel", "first"), basis=("basis", "first"),
                                                 first=("year", "min"), last=("year", "max"),
                                                 shown=("year", "size"), found=("found", "sum"),
                                                 official=("official", "sum"), news_agency=("news_agency", "sum"))
    per = per.reset_index()
    total = {"series_id": "合计", "panel": "全部序列", "basis": "", "first": per["first"].min(),
             "last": per["last"].max(), "shown": per["shown"].sum(), "found": per["found"].sum(),
             "official": per["official"].sum(), "news_agency": per["news_agency"].sum()}
    per = pd.concat([per, pd.DataFrame([total])], ignore_index=True)
    per["share_pct"] = per["found"] / per["shown"] * 100
    for col in ("first", "last", "shown", "found", "official", "news_agency"):
        per[col] = per[col].astype(int)
    return per


def drawable_series(cov: pd.DataFrame, minimum: int = MIN_OFFICIAL) -> list[str]:
    """The series (of :func:`coverage`) with at least ``minimum`` official points: only these get a panel."""
    per = cov[cov["series_id"] != "合计"]
    return [str(s) for s in per.loc[per["official"] >= minimum, "series_id"]]


# ------------------------------------------------------------------------------------------------ figure
