"""The arithmetic of printed numbers, in one place: decimals, rounding, growth, shares, sums against totals.

The report prints rounded numbers, and every comparison the book makes (the audit, chapter 3's check of
表格 6, the time series' agreement between sources) has to ask the same questions: how precisely was this
number printed, how far can rounding move it, and does a recomputed value agree *as printed*? Each answer
is written once here so that two modules can never disagree on, say, how big the rounding slack of a sum is.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

#: The verdicts of the book's one tolerance rule (decided by :func:`aibook.audit.checks.verdict`, from the
#: intervals below); here so that a chapter can name them without importing the audit.
CONSISTENT = "一致"
ROUNDING = "舍入误差"
INCONSISTENT = "不一致"
UNCHECKABLE = "无法核对"
#: Pass as ``decimals`` for numbers that are not rounded (counts, caps, nominal fund sizes): half unit 0.
EXACT = 99
#: Relative slack for float noise when comparing (``0.1 + 0.2`` is not ``0.3``).
EPS = 1e-9
_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")


# ------------------------------------------------------------------------------------------ printed form
def decimals_of(value: float | int | str) -> int:
    """Decimals printed in ``value``: ``"2377.60"`` → 2, ``"近1450"`` → 0, ``43.3`` → 1, ``19`` → 0.

    A string is read as printed (hedges such as 近/约/超过 and units are ignored; trailing zeros count).
    A float is read from its shortest form, so ``2377.60`` as a float gives 1: pass text when it matters.
    """
    if isinstance(value, str):
        m = _NUMBER.search(value.replace(",", ""))
        if not m:
            raise ValueError(f"no number in {value!r}")
        return len(m.group(1) or "")
    if isinstance(value, bool):
        raise TypeError("a boolean is not a printed number")
    if isinstance(value, int):
        return 0
    text = format(float(value), ".10g")
    if "e" in text:
        mantissa, exp = text.split("e")
        frac = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(0, frac - int(exp))
    return len(text.split(".")[1]) if "." in text else 0


def half_unit(decimals: int) -> float:
    """Half a unit of the last printed decimal: 2 → 0.005, 0 → 0.5, −2 (printed to hundreds) → 50, EXACT → 0.

    A printed number stands for every value that rounds to it: the true value lies within this distance.
    """
    return 0.0 if decimals >= EXACT else 0.5 * 10.0 ** (-decimals)


def printed_half_unit(value: float, factor: float = 1.0) -> float:
    """Half a unit of ``value``'s own last printed decimal, times ``factor`` (a unit conversion).

    For numbers read from a source as floats (the time series): 2.39 万亿元 is ±0.005 万亿元 = ±50 亿元.
    """
    return half_unit(decimals_of(float(value))) * factor


def fmt(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals (none when ``decimals`` ≤ 0; shortest form for EXACT)."""
    if decimals >= EXACT:
        return str(int(value)) if float(value).is_integer() else format(value, ".10g")
    return f"{value:.{max(decimals, 0)}f}"


def round_as_printed(value: float, decimals: int) -> float:
    """``value`` as it would be printed with ``decimals`` decimals (the number a reader sees, as a float)."""
    return float(fmt(value, decimals))


def within(gap: float, tolerance: float, scale: float = 1.0) -> bool:
    """``|gap| ≤ tolerance``, forgiving float noise relative to the size of the numbers compared (``scale``)."""
    return abs(gap) <= tolerance + EPS * max(1.0, abs(scale))


# ----------------------------------------------------------------------------- intervals: the one rule
@dataclass(frozen=True)
class Interval:
    """Every value a printed number may stand for: ``[lo, hi]`` (a printed 31.8 stands for [31.75, 31.85]).

    The book's one tolerance rule (the audit's verdicts, :func:`aibook.audit.checks.verdict`) compares a
    printed number's interval with the interval a recomputed value can take when each of its printed inputs
    moves anywhere within its own interval (:func:`image`).
    """

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"an interval needs lo ≤ hi, got [{self.lo}, {self.hi}]")

    def contains(self, value: float) -> bool:
        """``value`` lies in the interval (float noise forgiven relative to the size of the bounds)."""
        eps = EPS * max(1.0, abs(self.lo), abs(self.hi))
        return self.lo - eps <= value <= self.hi + eps

    def overlaps(self, other: Interval) -> bool:
        """The two intervals share at least one value (float noise forgiven)."""
        eps = EPS * max(1.0, abs(self.lo), abs(self.hi), abs(other.lo), abs(other.hi))
        return self.lo <= other.hi + eps and other.lo <= self.hi + eps

    def distance(self, value: float) -> float:
        """How far ``value`` lies outside the interval (0 inside)."""
        return max(self.lo - value, value - self.hi, 0.0)

    def widened(self, by: float) -> Interval:
        """The interval grown by ``by`` on each side."""
        return Interval(self.lo - by, self.hi + by)


def printed_interval(value: float, decimals: int) -> Interval:
    """The values that round to ``value`` printed with ``decimals`` decimals (EXACT: the value alone)."""
    h = half_unit(decimals)
    return Interval(float(value) - h, float(value) + h)


def image(f: Callable[[Sequence[float]], float], values: Sequence[float], decimals: Sequence[int]) -> Interval:
    """The interval ``f`` can reach when each printed input moves within its own :func:`printed_interval`.

    Found by evaluating ``f`` at every corner (each input at the low or high end of its interval) and at the
    printed values: exact for functions monotone in each argument (sums, ratios, products, growth rates,
    aggregate growth), which are the ones the book computes. Corners where ``f`` is undefined are skipped.
    """
    if len(values) != len(decimals):
        raise ValueError("one decimals value per input")
    halves = [half_unit(d) for d in decimals]
    base = f(list(values))
    moving = [i for i, h in enumerate(halves) if h > 0]
    if len(moving) > 16:
        raise ValueError("too many inputs for corner evaluation")
    lo = hi = base
    for signs in itertools.product((-1.0, 1.0), repeat=len(moving)):
        moved = list(values)
        for i, s in zip(moving, signs, strict=True):
            moved[i] = values[i] + s * halves[i]
        try:
            y = f(moved)
        except (ZeroDivisionError, ValueError):
            continue
        lo, hi = min(lo, y), max(hi, y)
    return Interval(lo, hi)


# ------------------------------------------------------------------------------------ growth and shares
def cagr_pct(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in percent: ``((end / start) ** (1 / years) − 1) × 100`` (years=1: growth).

    Refuses non-positive inputs rather than return a complex or meaningless rate.
    """
    if start <= 0 or end <= 0 or years <= 0:
        raise ValueError("start, end and years must be positive")
    return float(((end / start) ** (1.0 / years) - 1.0) * 100.0)


def prior_value(value: float, growth_pct: float) -> float:
    """The base a value grew from at ``growth_pct`` percent (2018's value and growth → 2017's value)."""
    return float(value / (1 + growth_pct / 100))


def start_for_cagr(end: float, rate_pct: float, years: float) -> float:
    """The start that ``rate_pct`` a year over ``years`` years would need to reach ``end``."""
    return float(end / (1 + rate_pct / 100) ** years)


def aggregate_growth(values: Sequence[float], growths_pct: Sequence[float]) -> float:
    """Growth of a total from its parts' current values and growth rates (each part's base = v / (1 + g)).

    An approximation when the rates are at comparable prices and the values at current prices, as in
    the statistics bureau's tables.
    """
    base = sum(prior_value(v, g) for v, g in zip(values, growths_pct, strict=True))
    return (sum(values) / base - 1) * 100


def share_pct(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole``."""
    if whole == 0:
        raise ValueError("the whole must not be zero")
    return part / whole * 100


def shares(df: pd.DataFrame, value: str, whole: float) -> pd.Series:
    """Each row's ``value`` as a percentage of ``whole``."""
    return df[value] / whole * 100


def implied_total(part: float, share: float) -> float:
    """The whole that ``part`` would be ``share`` percent of (a share printed beside a part implies a total)."""
    if not 0 < share <= 100:
        raise ValueError(f"share must be in (0, 100], got {share}")
    return part / (share / 100)


# ------------------------------------------------------------------------------- sums against totals
def sum_tolerance(total_decimals: int, part_decimals: Sequence[int]) -> float:
    """How far a sum of printed parts may miss a printed total through rounding alone.

    The one rule of the book: half a unit of the total's last decimal plus half a unit per part (each of
    them was rounded on its own, so their errors can add up).
    """
    return half_unit(total_decimals) + sum(half_unit(d) for d in part_decimals)


@dataclass(frozen=True)
class SumCheck:
    """A printed total against the sum of its printed components (both as printed, ``decimals`` decimals)."""

    total: float
    components: float
    decimals: int = 2
    n_rounded: int = 1

    @property
    def difference(self) -> float:
        """Components minus total, as printed."""
        return round_as_printed(self.components - self.total, self.decimals)

    @property
    def consistent(self) -> bool:
        """Equal up to rounding, by the one rule: the total's printed interval overlaps the interval of the sum of
        the parts' printed intervals (``n_rounded`` numbers were rounded: the total and each part)."""
        h = half_unit(self.decimals)
        return printed_interval(self.total, self.decimals).overlaps(
            Interval(self.components - h * (self.n_rounded - 1), self.components + h * (self.n_rounded - 1)))


def sum_check(parts: Sequence[float], total: float, decimals: int = 2) -> SumCheck:
    """Sum printed ``parts`` and compare with a printed ``total``, all printed with ``decimals`` decimals."""
    return SumCheck(float(total), round_as_printed(float(sum(parts)), decimals), decimals, n_rounded=len(parts) + 1)


def components(df: pd.DataFrame, level: str = "level") -> tuple[pd.Series, pd.DataFrame]:
    """The ``total`` row and the ``component`` rows of a table with a ``level`` column (表格 6, 表格 7).

    Raises ValueError unless there is exactly one total: a table with two totals has no single sum to check.
    """
    totals = df[df[level] == "total"]
    if len(totals) != 1:
        raise ValueError(f"expected exactly one total row, found {len(totals)}")
    return totals.iloc[0], df[df[level] == "component"]


def check_components(df: pd.DataFrame, value: str = "value", level: str = "level", decimals: int = 2) -> SumCheck:
    """Compare the ``total`` row of a table with the sum of its ``component`` rows."""
    total, parts = components(df, level)
    return sum_check(parts[value].astype(float).tolist(), float(total[value]), decimals)


def margins_pct(revenue: float, revenue_growth_pct: float, profit: float, profit_growth_pct: float) -> tuple[float, float]:
    """Profit as % of revenue, the year before and this year, from this year's levels and both growth rates."""
    now = share_pct(profit, revenue)
    return now * (1 + revenue_growth_pct / 100) / (1 + profit_growth_pct / 100), now


# ------------------------------------------------------------------ the reading of a printed number
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: words around a printed number that are not part of its value (a hedge before, a classifier or multiplier after)
_BEFORE = re.compile(r"^(近|约|超过|超|>|接近|不少于|不超过|最高|达到|达|高达|第|TOP)")
_AFTER = re.compile(r"(余|多|以上|左右|万|亿|位|名|大|次|届|批|座|个)$")


def reading(printed: str) -> float | None:
    """The number a printed value reads as, by ``facts.csv``'s conventions (``data/facts-notes.md``): ``近1450`` →
    1450, ``1.7万`` → 1.7 (the multiplier is in the unit), ``第一`` → 1, ``三`` → 3, ``二十`` → 20; ``None`` for
    what has no single reading (三分之二, 1-2, 两位数)."""
    text = _AFTER.sub("", _BEFORE.sub("", printed.strip())).replace(",", "")
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text)
    if text in _CN_DIGITS:
        return float(_CN_DIGITS[text])
    m = re.fullmatch("([一二三四五六七八九])?十([一二三四五六七八九])?", text)
    if m:
        return float((_CN_DIGITS[m.group(1)] if m.group(1) else 1) * 10 + (_CN_DIGITS[m.group(2)] if m.group(2) else 0))
    return None
