"""The checkers: each compares a number the report prints with the same quantity recomputed from others.

A checker returns a :class:`Check` whose ``status`` is one of

* ``"一致"`` (:data:`CONSISTENT`): the recomputed value, rounded to the decimals the report prints,
  *is* the stated number (counts: exactly equal);
* ``"舍入误差"`` (:data:`ROUNDING`): not that, but the gap is within the rounding tolerance;
* ``"不一致"`` (:data:`INCONSISTENT`): the gap is larger than the tolerance;
* ``"无法核对"`` (:data:`UNCHECKABLE`): the data package lacks a number the check needs (the reason says which).

The rounding tolerance is a parameter of every checker. By default it is half a unit of the last
printed decimal of the stated value, plus the largest change that rounding the *inputs* (each by half a
unit of its own last printed decimal) can cause in the recomputed value — found by recomputing at every
combination of the inputs' lower and upper rounding bounds. Passing ``tolerance=`` replaces that default
with one absolute number (in the unit of the stated value). The arithmetic itself is :mod:`aibook.arith`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aibook.arith import EPS, EXACT, aggregate_growth, cagr_pct, decimals_of, fmt, half_unit, sum_tolerance, within

__all__ = ["EXACT", "aggregate_growth", "decimals_of", "fmt", "half_unit"]  # re-exported: the audit's vocabulary

CONSISTENT = "一致"
ROUNDING = "舍入误差"
INCONSISTENT = "不一致"
UNCHECKABLE = "无法核对"
#: The status vocabulary, in the order summaries list it.
STATUSES: tuple[str, ...] = (CONSISTENT, ROUNDING, INCONSISTENT, UNCHECKABLE)

#: Chinese labels of the check kinds (the ``kind`` column of :func:`run_all`).
KINDS: dict[str, str] = {
    "sum": "加总",
    "share": "占比",
    "gap": "增速差",
    "cagr": "增长率",
    "count": "计数",
    "range": "计数区间",
    "product": "上限乘积",
    "equal": "两处相等",
}


class MissingData(LookupError):
    """A number a claim needs is not in the data package (the claim becomes 无法核对)."""


def judge(stated: float, recomputed: float, *, exact_band: float, tolerance: float) -> str:
    """Status of ``recomputed`` against ``stated``.

    ``exact_band`` is half a unit of the precision the two are compared at: within it the numbers agree
    as printed (一致). Beyond it but within ``tolerance`` the gap is rounding (舍入误差); beyond that, 不一致.
    """
    gap = recomputed - stated
    if within(gap, exact_band, stated):
        return CONSISTENT
    if within(gap, tolerance, stated):
        return ROUNDING
    return INCONSISTENT


def rounding_spread(f: Callable[[Sequence[float]], float], values: Sequence[float],
                    halves: Sequence[float]) -> float:
    """Largest change of ``f(values)`` when each value moves to either end of its rounding interval.

    Exact for functions monotone in each argument (sums, ratios, products, growth rates), which are
    the ones the checkers use.
    """
    if len(values) != len(halves):
        raise ValueError("one rounding half-width per value")
    if len(values) > 16:
        raise ValueError("too many inputs for corner evaluation")
    base = f(list(values))
    worst = 0.0
    for signs in itertools.product((-1.0, 1.0), repeat=len(values)):
        moved = [v + s * h for v, s, h in zip(values, signs, halves, strict=True)]
        try:
            worst = max(worst, abs(f(moved) - base))
        except (ZeroDivisionError, ValueError):
            continue
    return worst


@dataclass(frozen=True)
class Check:
    """What a checker found: the recomputed value, the status and how it was computed."""

    recomputed: float | None
    status: str
    tolerance: float | None = None
    detail: str = ""
    recomputed_text: str = "—"

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}; expected one of {STATUSES}")


def _decimals_list(given: int | Sequence[int] | None, values: Sequence[float]) -> list[int]:
    if given is None:
        return [decimals_of(v) for v in values]
    if isinstance(given, int):
        return [given] * len(values)
    if len(given) != len(values):
        raise ValueError("one decimals value per input")
    return list(given)


def check_formula(stated: float, f: Callable[[Sequence[float]], float], inputs: Sequence[float], *,
                  decimals: int | None = None, input_decimals: int | Sequence[int] | None = None,
                  tolerance: float | None = None, shown_decimals: int | None = None,
                  detail: str = "") -> Check:
    """The general checker: ``f(inputs)`` against ``stated``, with rounding propagated from the inputs.

    ``decimals`` is the stated value's printed decimals (default: read from ``stated``);
    ``input_decimals`` those of the inputs (one for all, or one each; default: read from each input).
    ``shown_decimals`` is how precisely the recomputed value is printed (default: one more than stated).
    """
    dec = decimals_of(stated) if decimals is None else decimals
    in_dec = _decimals_list(input_decimals, inputs)
    recomputed = f(list(inputs))
    band = half_unit(dec)
    tol = band + rounding_spread(f, inputs, [half_unit(d) for d in in_dec]) if tolerance is None else tolerance
    shown = (dec + 1 if dec < EXACT else EXACT) if shown_decimals is None else shown_decimals
    return Check(recomputed, judge(stated, recomputed, exact_band=band, tolerance=tol), tol, detail,
                 fmt(recomputed, shown))


def check_sum(parts: Sequence[float], stated: float, *, decimals: int | None = None,
              part_decimals: int | Sequence[int] | None = None, tolerance: float | None = None) -> Check:
    """Sum of printed ``parts`` against a printed total (e.g. 表格 6's six industries vs their total).

    Default tolerance: :func:`aibook.arith.sum_tolerance` (half a unit of the total's last decimal plus half
    a unit per part), the book's one rule for sums.
    """
    parts = [float(p) for p in parts]
    in_dec = _decimals_list(part_decimals, parts)
    dec = decimals_of(stated) if decimals is None else decimals
    shown = max([dec, *in_dec])
    tolerance = sum_tolerance(dec, in_dec) if tolerance is None else tolerance
    detail = " + ".join(fmt(p, d) for p, d in zip(parts, in_dec, strict=True)) + f" = {fmt(sum(parts), shown)}"
    return check_formula(stated, sum, parts, decimals=decimals, input_decimals=in_dec, tolerance=tolerance,
                         shown_decimals=shown, detail=detail)


def check_share(part: float, whole: float, stated_pct: float, *, decimals: int | None = None,
                part_decimals: int | None = None, whole_decimals: int | None = None,
                tolerance: float | None = None) -> Check:
    """``part / whole`` in percent against a printed share (e.g. 3471 / 8012 vs 43.3%).

    ``whole_decimals`` may be negative for a whole printed to tens or hundreds (3.48 万亿元 = 34800 亿元
    printed to the hundred: ``whole_decimals=-2``).
    """
    if whole == 0:
        raise ValueError("the whole must not be zero")
    pd_ = decimals_of(part) if part_decimals is None else part_decimals
    wd = decimals_of(whole) if whole_decimals is None else whole_decimals
    detail = f"{fmt(part, pd_)} / {fmt(whole, wd)} × 100"
    return check_formula(stated_pct, lambda v: v[0] / v[1] * 100, [part, whole], decimals=decimals,
                         input_decimals=[pd_, wd], tolerance=tolerance, detail=detail)


def check_gap(faster: float, slower: float, stated_gap: float, *, decimals: int | None = None,
              input_decimals: int | Sequence[int] | None = None, tolerance: float | None = None) -> Check:
    """Growth cross-check: "A 比 B 快 x 个百分点" — ``faster − slower`` against the stated gap."""
    in_dec = _decimals_list(input_decimals, [faster, slower])
    detail = f"{fmt(faster, in_dec[0])} − {fmt(slower, in_dec[1])}"
    return check_formula(stated_gap, lambda v: v[0] - v[1], [faster, slower], decimals=decimals,
                         input_decimals=in_dec, tolerance=tolerance, detail=detail,
                         shown_decimals=max(in_dec + [decimals_of(stated_gap) if decimals is None else decimals]))


#: Average annual growth in percent (the audit's name for :func:`aibook.arith.cagr_pct`).
cagr = cagr_pct


def check_cagr(start: float, end: float, years: float, stated_pct: float, *, decimals: int | None = None,
               start_decimals: int | None = None, end_decimals: int | None = None,
               tolerance: float | None = None) -> Check:
    """Average annual growth from ``start`` to ``end`` over ``years`` against a printed rate (years=1: growth)."""
    sd = decimals_of(start) if start_decimals is None else start_decimals
    ed = decimals_of(end) if end_decimals is None else end_decimals
    ratio = f"{fmt(end, ed)} / {fmt(start, sd)}"
    detail = f"{ratio} − 1" if years == 1 else f"({ratio})^(1/{years:g}) − 1"
    return check_formula(stated_pct, lambda v: cagr_pct(v[0], v[1], years), [start, end], decimals=decimals,
                         input_decimals=[sd, ed], tolerance=tolerance, detail=detail)


def check_count(items: Iterable[Any] | int, stated: int, *, at_least: bool = False,
                tolerance: float | None = None) -> Check:
    """Rows or items counted in a table against a stated count (``at_least``: the table must have ≥ stated).

    Counts are exact: the default tolerance is 0.
    """
    n = items if isinstance(items, int) else len(list(items))
    tol = 0.0 if tolerance is None else tolerance
    if at_least and n >= stated:
        status = CONSISTENT
    else:
        status = judge(stated, n, exact_band=0.0, tolerance=tol)
    return Check(float(n), status, tol, f"计得 {n} 项", str(n))


def check_count_range(counts: Mapping[str, int], low: int, high: int, *, tolerance: float | None = None) -> Check:
    """Every count in ``counts`` within the stated range ``low``–``high`` (e.g. "均为3-5个").

    Counts are exact (default tolerance 0); a ``tolerance`` lets a count fall that far outside the range.
    """
    if not counts:
        raise ValueError("no counts to check")
    tol = 0.0 if tolerance is None else tolerance
    outside = max(max(low - v, v - high, 0) for v in counts.values())
    lo, hi = min(counts.values()), max(counts.values())
    detail = "，".join(f"{k} {v}" for k, v in counts.items())
    text = str(lo) if lo == hi else f"{lo}–{hi}"
    status = judge(0.0, float(outside), exact_band=0.0, tolerance=tol)
    return Check(None, status, tol, detail, text)


def check_product_limit(factors: Sequence[float], stated: float, *, decimals: int | None = None,
                        factor_decimals: int | Sequence[int] | None = None,
                        tolerance: float | None = None) -> Check:
    """A stated total cap against the product of the caps it is made of (35 个 × 50 万元 = 1750 万元)."""
    factors = [float(x) for x in factors]
    in_dec = _decimals_list(factor_decimals, factors)
    detail = " × ".join(fmt(x, d) for x, d in zip(factors, in_dec, strict=True))
    return check_formula(stated, math.prod, factors, decimals=decimals, input_decimals=in_dec, tolerance=tolerance,
                         shown_decimals=max([decimals_of(stated) if decimals is None else decimals, *in_dec]),
                         detail=detail)


def check_equal(stated: float, other: float, *, decimals: int | None = None, other_decimals: int | None = None,
                tolerance: float | None = None) -> Check:
    """The same quantity printed twice (prose vs table, or report vs a published source).

    The two agree (一致) when they coincide at the coarser of the two printed precisions. Default
    tolerance: half a unit of each one's last decimal.
    """
    dec = decimals_of(stated) if decimals is None else decimals
    odec = decimals_of(other) if other_decimals is None else other_decimals
    band = max(half_unit(dec), half_unit(odec))
    tol = half_unit(dec) + half_unit(odec) if tolerance is None else tolerance
    return Check(float(other), judge(stated, other, exact_band=band, tolerance=tol), tol,
                 f"另一处为 {fmt(other, odec)}", fmt(other, odec))


def uncheckable(detail: str = "") -> Check:
    """A claim the data package cannot check (say why in the claim's reason)."""
    return Check(None, UNCHECKABLE, None, detail, "—")


def combinations_summing_to(items: Mapping[str, float], target: float, k: int,
                            tolerance: float = 0.0) -> list[tuple[str, ...]]:
    """Every set of ``k`` names in ``items`` whose values add up to ``target`` (within ``tolerance``)."""
    return [combo for combo in itertools.combinations(items, k)
            if abs(sum(items[c] for c in combo) - target) <= tolerance + EPS]
