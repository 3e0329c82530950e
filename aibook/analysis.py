"""Small computations the chapters share (sums against printed totals, implied totals, counts)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class SumCheck:
    """A printed total against the sum of its printed components."""

    total: float
    components: float
    decimals: int = 2

    @property
    def difference(self) -> float:
        return round(self.components - self.total, self.decimals)

    @property
    def consistent(self) -> bool:
        """Equal up to rounding: each of n components may be off by half a unit in the last place."""
        return abs(self.difference) <= 0.5 * 10 ** -self.decimals * self.n_rounded + 1e-9

    n_rounded: int = 1


def check_components(df: pd.DataFrame, value: str = "value", level: str = "level", decimals: int = 2) -> SumCheck:
    """Compare the ``total`` row of a table with the sum of its ``component`` rows."""
    totals = df.loc[df[level] == "total", value]
    if len(totals) != 1:
        raise ValueError(f"expected exactly one total row, found {len(totals)}")
    parts = df.loc[df[level] == "component", value]
    return SumCheck(float(totals.iloc[0]), round(float(parts.sum()), decimals), decimals, n_rounded=len(parts) + 1)


def implied_total(part: float, share_pct: float) -> float:
    """The whole that ``part`` would be ``share_pct`` percent of."""
    if not 0 < share_pct <= 100:
        raise ValueError(f"share must be in (0, 100], got {share_pct}")
    return part / (share_pct / 100)


def shares(df: pd.DataFrame, value: str, whole: float) -> pd.Series:
    """Each row's ``value`` as a percentage of ``whole``."""
    return df[value] / whole * 100


_UNIVERSITY = re.compile(r"^(.+?(?:大学|学院))")


def university_of(affiliation: str) -> str:
    """The university named at the start of an affiliation ("上海交通大学副校长、中科院院士" → "上海交通大学")."""
    m = _UNIVERSITY.match(affiliation)
    if not m:
        raise ValueError(f"no university found in {affiliation!r}")
    return m.group(1)


def count_by(df: pd.DataFrame, column: str, name: str = "count") -> pd.DataFrame:
    """Rows per value of ``column``, most frequent first, ties in order of first appearance."""
    order = {v: i for i, v in enumerate(dict.fromkeys(df[column]))}
    out = df.groupby(column, sort=False).size().rename(name).reset_index()
    out["_first"] = out[column].map(order)
    return out.sort_values([name, "_first"], ascending=[False, True]).drop(columns="_first").reset_index(drop=True)


@dataclass(frozen=True)
class GroupShare:
    """The share of a group of countries (or cities) in a total."""

    members: tuple[str, ...]
    total: float
    whole: float
    missing: tuple[str, ...] = ()

    @property
    def share_pct(self) -> float | None:
        """``None`` when a member's value is missing (the share cannot be computed)."""
        return None if self.missing else self.total / self.whole * 100


def group_share(df: pd.DataFrame, key: str, value: str, whole: float, members: list[str] | None = None,
                k: int = 5) -> GroupShare:
    """Share of ``members`` (default: the ``k`` largest rows) in ``whole``; missing members are reported."""
    indexed = df.set_index(key)[value]
    chosen = members if members is not None else indexed.sort_values(ascending=False).index[:k].tolist()
    missing = tuple(m for m in chosen if m not in indexed.index)
    total = float(indexed.reindex([m for m in chosen if m in indexed.index]).sum())
    return GroupShare(tuple(chosen), total, whole, missing)


def cagr_pct(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in percent."""
    if start <= 0 or years <= 0:
        raise ValueError("start and years must be positive")
    return ((end / start) ** (1 / years) - 1) * 100


def compare_counts(recomputed: pd.Series, stated: dict[str, str], other_label: str = "其他") -> pd.DataFrame:
    """Recomputed counts per category beside the counts a text states (exact numbers or ranges like "1-2").

    Categories the text does not name individually are checked against ``stated[other_label]`` if given.
    """
    rows = []
    for name, count in recomputed.items():
        claim = stated.get(str(name), stated.get(other_label, ""))
        rows.append({"category": name, "recomputed": int(count), "stated": claim,
                     "agrees": _within(int(count), claim)})
    for name, claim in stated.items():
        if name != other_label and name not in recomputed.index:
            rows.append({"category": name, "recomputed": 0, "stated": claim, "agrees": _within(0, claim)})
    return pd.DataFrame(rows)


def _within(count: int, claim: str) -> bool | None:
    if not claim:
        return None
    if "-" in claim:
        lo, hi = (int(x) for x in claim.split("-", 1))
        return lo <= count <= hi
    return count == int(float(claim))
