"""Longer series around the report's 2018 figures: explicit unit conversion and one value per year.

Public sources state values in their own units (亿元, 万亿元, billion yuan, million TEU, 万标准箱 …).
:data:`CONVERSIONS` says, for each unit string that occurs, which canonical unit it belongs to and by
what factor; an unknown unit is an error, never a silent guess.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

#: unit as written in the source → (canonical unit, factor to multiply by)
CONVERSIONS: dict[str, tuple[str, float]] = {
    "亿元": ("亿元", 1.0),
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
}


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


def _decimals(value: float, unit: str) -> float:
    """Half a unit in the last printed place, in canonical units (the rounding tolerance of a value)."""
    text = f"{value:.10g}"
    places = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10 ** -places * CONVERSIONS[unit][1]


def consolidate(stats: pd.DataFrame, indicator: str, target: str, *, industry: str | None = None,
                years: Iterable[int] | None = None) -> pd.DataFrame:
    """One row per year for ``indicator`` in ``target`` units, with the sources behind it.

    Exact values win over lower bounds ("> 4700"); among exact values the most precise is shown and
    ``agree`` says whether all sources agree within their rounding. Years without data stay as NaN rows
    (gaps are shown as gaps).
    """
    rows = stats[(stats["indicator"] == indicator) & stats["value"].notna()]
    if industry is not None:
        rows = rows[rows["industry"] == industry]
    out = []
    for year, grp in rows.groupby("year"):
        conv = grp.assign(canon=[convert(v, u, target) for v, u in zip(grp["value"], grp["unit"], strict=True)],
                          tol=[_decimals(v, u) for v, u in zip(grp["value"], grp["unit"], strict=True)])
        exact = conv[conv["value_qualifier"].isna()]
        pool = exact if len(exact) else conv
        best = pool.loc[pool["tol"].idxmin()]
        spread = float(pool["canon"].max() - pool["canon"].min())
        out.append({
            "year": int(year), "value": float(best["canon"]), "lower_bound": not len(exact),
            "n_sources": len(grp), "agree": spread <= float(pool["tol"].max()) * 2 + 1e-9,
            "spread": spread, "source_title": best["source_title"], "source_url": best["source_url"],
        })
    frame = pd.DataFrame(out, columns=["year", "value", "lower_bound", "n_sources", "agree", "spread",
                                       "source_title", "source_url"])
    span = list(years) if years is not None else (
        list(range(frame["year"].min(), frame["year"].max() + 1)) if len(frame) else [])
    frame = frame.set_index("year").reindex(span).reset_index()
    frame["n_sources"] = frame["n_sources"].fillna(0).astype(int)
    frame["value"] = frame["value"].astype(float).where(frame["n_sources"] > 0, np.nan)
    frame.attrs.update(indicator=indicator, unit=target)
    return frame
