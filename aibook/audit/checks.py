"""The checkers: each compares a number the report prints with the same quantity recomputed from others.

**The one tolerance rule.** A printed number stands for every value that rounds to it (31.8 → [31.75, 31.85];
a count or a nominal cap stands for itself). A recomputed value is computed from printed inputs, so it too
stands for an interval: the values it takes when each input moves anywhere within its own printed interval
(:func:`aibook.arith.image`). :func:`verdict` compares the two, and every checker, template and bespoke check
of the audit, and :func:`aibook.nb.glue_verdict` in the chapters, takes its word from it:

* ``"一致"`` (:data:`CONSISTENT`): the recomputed value lies in the stated number's interval — rounded as the
  report prints, it *is* the stated number (two printed numbers: either lies in the other's interval, i.e.
  they coincide at the coarser precision; counts: exactly equal);
* ``"舍入误差"`` (:data:`ROUNDING`): not that, but the two intervals overlap — rounding alone can explain the gap;
* ``"不一致"`` (:data:`INCONSISTENT`): the intervals do not overlap — no choice of the unrounded inputs gives
  the stated number;
* ``"无法核对"`` (:data:`UNCHECKABLE`): the data package lacks a number the check needs (the reason says which).

Passing ``tolerance=`` (the audit appendix's sensitivity parameter) replaces the rule with one absolute
number: the gap may be that large. ``Check.tolerance`` reports, for each claim, the largest gap the rule
allows on the side the recomputed value fell. The arithmetic itself is :mod:`aibook.arith`.
"""

from __future__ import annotations

import datetime
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aibook.arith import (  # the verdict vocabulary is defined once, in arith
    CONSISTENT,
    EPS,
    EXACT,
    INCONSISTENT,
    ROUNDING,
    UNCHECKABLE,
    Interval,
    aggregate_growth,
    cagr_pct,
    decimals_of,
    fmt,
    half_unit,
    image,
    printed_interval,
    within,
)

__all__ = ["EXACT", "Interval", "aggregate_growth", "decimals_of", "fmt", "half_unit", "printed_interval"]  # re-exported: the audit's vocabulary

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
    "synth": "合成增速",
    "date": "日期",
    "name": "名称",
}


class MissingData(LookupError):
    """A number a claim needs is not in the data package (the claim becomes 无法核对)."""


def verdict(stated: float, stated_range: Interval, recomputed: float, recomputed_range: Interval, *,
            symmetric: bool = False, tolerance: float | None = None) -> str:
    """The one tolerance rule: 一致, 舍入误差 or 不一致 for a recomputed value against a stated one.

    ``stated_range`` is the stated number's printed interval, ``recomputed_range`` the interval the recomputed
    value can take from its inputs' printed intervals. 一致 when ``recomputed`` lies in ``stated_range`` (with
    ``symmetric``, for two printed numbers, also when ``stated`` lies in ``recomputed_range``); 舍入误差 when the
    intervals overlap; 不一致 when they do not. ``tolerance`` (a sensitivity test) replaces the overlap test by
    ``|recomputed − stated| ≤ tolerance``.
    """
    if stated_range.contains(recomputed) or (symmetric and recomputed_range.contains(stated)):
        return CONSISTENT
    if tolerance is not None:
        return ROUNDING if within(recomputed - stated, tolerance, stated) else INCONSISTENT
    return ROUNDING if stated_range.overlaps(recomputed_range) else INCONSISTENT


def allowed_gap(stated: float, stated_range: Interval, recomputed: float, recomputed_range: Interval) -> float:
    """The largest gap between ``recomputed`` and ``stated``, on the side ``recomputed`` fell, that the rule accepts."""
    if recomputed >= stated:
        return (stated - stated_range.lo) + (recomputed - recomputed_range.lo)
    return (stated_range.hi - stated) + (recomputed_range.hi - recomputed)


def judge(stated: float, recomputed: float, *, exact_band: float, tolerance: float) -> str:
    """:func:`verdict` for symmetric intervals: ``stated ± exact_band`` against ``recomputed ± (tolerance − exact_band)``.

    Kept for callers that already know the two half-widths (the rule is :func:`verdict`).
    """
    spread = max(tolerance - exact_band, 0.0)
    return verdict(stated, Interval(stated - exact_band, stated + exact_band), recomputed,
                   Interval(recomputed - spread, recomputed + spread))


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
    #: the interval the recomputed value can take from its inputs' printed intervals (None: not computed)
    interval: Interval | None = None

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
    stated_range, reach = printed_interval(stated, dec), image(f, inputs, in_dec)
    status = verdict(stated, stated_range, recomputed, reach, tolerance=tolerance)
    tol = allowed_gap(stated, stated_range, recomputed, reach) if tolerance is None else tolerance
    shown = (dec + 1 if dec < EXACT else EXACT) if shown_decimals is None else shown_decimals
    return Check(recomputed, status, tol, detail, fmt(recomputed, shown), reach)


def check_sum(parts: Sequence[float], stated: float, *, decimals: int | None = None,
              part_decimals: int | Sequence[int] | None = None, tolerance: float | None = None) -> Check:
    """Sum of printed ``parts`` against a printed total (e.g. 表格 6's six industries vs their total).

    By the one rule the sum's interval is the parts' intervals added, so the gap it allows is
    :func:`aibook.arith.sum_tolerance` (half a unit of the total's last decimal plus half a unit per part).
    """
    parts = [float(p) for p in parts]
    in_dec = _decimals_list(part_decimals, parts)
    dec = decimals_of(stated) if decimals is None else decimals
    shown = max([dec, *in_dec])
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
    if at_least and n >= stated:
        status, tol = CONSISTENT, 0.0 if tolerance is None else tolerance
    else:
        point = Interval(float(n), float(n))
        status = verdict(float(stated), Interval(float(stated), float(stated)), float(n), point, tolerance=tolerance)
        tol = 0.0 if tolerance is None else tolerance
    return Check(float(n), status, tol, f"计得 {n} 项", str(n), Interval(float(n), float(n)))


def check_count_range(counts: Mapping[str, int], low: int, high: int, *, tolerance: float | None = None) -> Check:
    """Every count in ``counts`` within the stated range ``low``–``high`` (e.g. "均为3-5个").

    Counts are exact (default tolerance 0); a ``tolerance`` lets a count fall that far outside the range.
    """
    if not counts:
        raise ValueError("no counts to check")
    lo, hi = min(counts.values()), max(counts.values())
    outside = max(max(low - v, v - high, 0) for v in counts.values())
    worst = float(hi if hi - high >= low - lo else lo)  # the count farthest outside (or any, when none is)
    status = verdict(float(worst), Interval(float(low), float(high)), float(worst), Interval(worst, worst),
                     tolerance=tolerance) if outside else CONSISTENT
    tol = 0.0 if tolerance is None else tolerance
    detail = "，".join(f"{k} {v}" for k, v in counts.items())
    text = str(lo) if lo == hi else f"{lo}–{hi}"
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
    stated_range, other_range = printed_interval(stated, dec), printed_interval(other, odec)
    status = verdict(stated, stated_range, other, other_range, symmetric=True, tolerance=tolerance)
    tol = allowed_gap(stated, stated_range, other, other_range) if tolerance is None else tolerance
    return Check(float(other), status, tol, f"另一处为 {fmt(other, odec)}", fmt(other, odec), other_range)


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def date_interval(iso: str) -> Interval:
    """The days a date printed to a year, a month or a day stands for, as an interval of day ordinals.

    ``2017`` → 1 January to 31 December 2017; ``2017-10`` → the days of October 2017; ``2017-10-05`` → that day.
    """
    m = _ISO_DATE.fullmatch(str(iso).strip())
    if not m:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {iso!r}")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if day:
        d = datetime.date(year, int(month), int(day)).toordinal()
        return Interval(float(d), float(d))
    if month:
        first = datetime.date(year, int(month), 1)
        last = datetime.date(year + (int(month) == 12), int(month) % 12 + 1, 1) - datetime.timedelta(days=1)
        return Interval(float(first.toordinal()), float(last.toordinal()))
    return Interval(float(datetime.date(year, 1, 1).toordinal()), float(datetime.date(year, 12, 31).toordinal()))


def report_date(iso: str) -> str:
    """A date as the report's tables print it: ``2017-10`` → ``2017.10``, ``2017`` → ``2017``."""
    parts = str(iso).strip().split("-")
    return ".".join([parts[0], *(str(int(p)) for p in parts[1:])])


def check_date(stated: str, other: str, other_text: str | None = None) -> Check:
    """The same event dated in two places (ISO forms), by the one rule: each date stands for the days it names.

    一致 when one period contains the other (they agree at the coarser precision: 2017 and 2017-10), 不一致
    when the periods do not overlap (2017-10 and 2017-11). Calendar periods either nest or are disjoint, so
    舍入误差 cannot arise.
    """
    a, b = date_interval(stated), date_interval(other)
    status = verdict((a.lo + a.hi) / 2, a, (b.lo + b.hi) / 2, b, symmetric=True)
    text = other_text or report_date(other)
    return Check(None, status, None, f"另一处为 {text}", text, b)


def check_same_name(stated: str, other: str) -> Check:
    """The same name (an issuer, a place) written in two places: exact, the rule's degenerate case (一致 or 不一致)."""
    status = CONSISTENT if stated.strip() == other.strip() else INCONSISTENT
    return Check(None, status, None, f"另一处为 {other}", other)


def uncheckable(detail: str = "") -> Check:
    """A claim the data package cannot check (say why in the claim's reason)."""
    return Check(None, UNCHECKABLE, None, detail, "—")


def combinations_summing_to(items: Mapping[str, float], target: float, k: int,
                            tolerance: float = 0.0) -> list[tuple[str, ...]]:
    """Every set of ``k`` names in ``items`` whose values add up to ``target`` (within ``tolerance``)."""
    return [combo for combo in itertools.combinations(items, k)
            if abs(sum(items[c] for c in combo) - target) <= tolerance + EPS]
