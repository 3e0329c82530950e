"""Claims audit: recompute the numbers the report states and say whether they hold.

Each *checker* compares a number the report prints (``stated``) with the same quantity recomputed
from other printed numbers, and returns a :class:`Check` whose ``status`` is one of

* ``"一致"`` (:data:`CONSISTENT`): the recomputed value, rounded to the decimals the report prints,
  *is* the stated number (counts: exactly equal);
* ``"舍入误差"`` (:data:`ROUNDING`): not that, but the gap is within the rounding tolerance;
* ``"不一致"`` (:data:`INCONSISTENT`): the gap is larger than the tolerance;
* ``"无法核对"`` (:data:`UNCHECKABLE`): the data package lacks a number the check needs (the reason says which).

The rounding tolerance is a parameter of every checker. By default it is half a unit of the last
printed decimal of the stated value, plus the largest change that rounding the *inputs* (each by half a
unit of its own last printed decimal) can cause in the recomputed value — found by recomputing at every
combination of the inputs' lower and upper rounding bounds. Passing ``tolerance=`` replaces that default
with one absolute number (in the unit of the stated value).

:func:`run_all` builds the list of claims of the 2019 report from the data package (``facts``, the
report's tables and ``external_sh_stats``) and returns them as a :class:`pandas.DataFrame`.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from aibook.analysis import scenario_points, university_of
from aibook.data import DataError, facts, load, resource_info
from aibook.series import CONVERSIONS

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

_EPS = 1e-9
#: Pass as ``decimals`` for numbers that are not rounded (counts, caps, nominal fund sizes): half unit 0.
EXACT = 99
_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")


class MissingData(LookupError):
    """A number a claim needs is not in the data package (the claim becomes 无法核对)."""


# --------------------------------------------------------------------------------------------- primitives
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
    """Half a unit of the last printed decimal: 2 → 0.005, 0 → 0.5, −2 (printed to hundreds) → 50, EXACT → 0."""
    return 0.0 if decimals >= EXACT else 0.5 * 10.0 ** (-decimals)


def judge(stated: float, recomputed: float, *, exact_band: float, tolerance: float) -> str:
    """Status of ``recomputed`` against ``stated``.

    ``exact_band`` is half a unit of the precision the two are compared at: within it the numbers agree
    as printed (一致). Beyond it but within ``tolerance`` the gap is rounding (舍入误差); beyond that, 不一致.
    """
    gap = abs(recomputed - stated)
    slack = _EPS * max(1.0, abs(stated))
    if gap <= exact_band + slack:
        return CONSISTENT
    if gap <= tolerance + slack:
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


def fmt(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals (none when ``decimals`` ≤ 0; shortest form for EXACT)."""
    if decimals >= EXACT:
        return str(int(value)) if float(value).is_integer() else format(value, ".10g")
    return f"{value:.{max(decimals, 0)}f}"


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

    Default tolerance: half a unit of the total's last decimal plus half a unit per part.
    """
    parts = [float(p) for p in parts]
    in_dec = _decimals_list(part_decimals, parts)
    shown = max([decimals_of(stated) if decimals is None else decimals, *in_dec])
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


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in percent: ``((end / start) ** (1 / years) − 1) × 100``."""
    if start <= 0 or end <= 0 or years <= 0:
        raise ValueError("start, end and years must be positive")
    return ((end / start) ** (1.0 / years) - 1.0) * 100.0


def check_cagr(start: float, end: float, years: float, stated_pct: float, *, decimals: int | None = None,
               start_decimals: int | None = None, end_decimals: int | None = None,
               tolerance: float | None = None) -> Check:
    """Average annual growth from ``start`` to ``end`` over ``years`` against a printed rate (years=1: growth)."""
    sd = decimals_of(start) if start_decimals is None else start_decimals
    ed = decimals_of(end) if end_decimals is None else end_decimals
    ratio = f"{fmt(end, ed)} / {fmt(start, sd)}"
    detail = f"{ratio} − 1" if years == 1 else f"({ratio})^(1/{years:g}) − 1"
    return check_formula(stated_pct, lambda v: cagr(v[0], v[1], years), [start, end], decimals=decimals,
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
            if abs(sum(items[c] for c in combo) - target) <= tolerance + _EPS]


def aggregate_growth(values: Sequence[float], growths_pct: Sequence[float]) -> float:
    """Growth of a total from its parts' current values and growth rates (each part's base = v / (1 + g)).

    An approximation when the rates are at comparable prices and the values at current prices, as in
    the statistics bureau's tables.
    """
    base = sum(v / (1 + g / 100) for v, g in zip(values, growths_pct, strict=True))
    return (sum(values) / base - 1) * 100


# ----------------------------------------------------------------------------------------------- claims
_CHAPTERS = {0: "前言", 1: "第一章", 2: "第二章", 3: "第三章", 4: "第四章", 5: "第五章"}
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


@dataclass(frozen=True)
class Claim:
    """One statement of the report, checked.

    ``claim`` is our short Chinese paraphrase; ``stated`` / ``stated_text`` the number as the report
    prints it (``unit`` apart); ``recomputed`` what the data package gives; ``reason`` explains the
    computation and, for 不一致 and 无法核对, what is wrong or missing.
    """

    id: str
    chapter: int
    section: str
    claim: str
    stated: float | None
    stated_text: str
    unit: str
    recomputed: float | None
    recomputed_text: str
    status: str
    reason: str
    kind: str = ""
    tolerance: float | None = None
    detail: str = ""
    sources: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.status in (INCONSISTENT, UNCHECKABLE) and not self.reason:
            raise ValueError(f"claim {self.id}: a {self.status} claim needs a reason")

    @property
    def location(self) -> str:
        """Chapter and section, e.g. ``第四章 三、应用示范 （二）应用示范项目``."""
        return f"{_CHAPTERS.get(self.chapter, f'第{self.chapter}章')} {self.section}".strip()

    @property
    def short_location(self) -> str:
        """Chapter and section numbers with the innermost heading: ``第四章 二（一）1 汽车制造``."""
        return f"{_CHAPTERS.get(self.chapter, f'第{self.chapter}章')} {short_section(self.section)}".strip()

    def as_row(self) -> dict[str, Any]:
        """A flat dict (the row of :func:`run_all`'s frame)."""
        row = asdict(self)
        row["sources"] = "；".join(self.sources)
        row["location"] = self.location
        row["short_location"] = self.short_location
        return row


_MARK = re.compile(r"([一二三四五六七八九十]+)、|([（(][一二三四五六七八九十\d]+[）)])|(\d+)[.、．]\s*")


def short_section(section: str) -> str:
    """A section path reduced to its numbering and innermost heading.

    ``二、产业融合 （一）制造业 1. 汽车制造`` → ``二（一）1 汽车制造``;
    ``三、应用示范 （二）应用示范项目`` → ``三（二）应用示范项目``.
    """
    numbers: list[str] = []
    last = section.strip()
    pos = 0
    for m in _MARK.finditer(section):
        numbers.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
    if numbers:
        last = re.split(r"\s+", section[pos:].strip())[0] if section[pos:].strip() else ""
    prefix = "".join(numbers)
    return f"{prefix} {last}".strip() if prefix and last and prefix[-1].isdigit() else f"{prefix}{last}"


def with_unit(text: str, unit: str) -> str:
    """A printed number followed by its unit, without doubling a 万/亿 already in the number."""
    if text in ("", "—"):
        return text
    if unit and text[-1] in "万亿" and unit.startswith(text[-1]):
        unit = unit[1:]
    if unit == "百分点":
        unit = "个百分点"
    return text + unit


@dataclass(frozen=True)
class _Fact:
    id: str
    value: float | None
    text: str
    unit: str
    chapter: int
    section: str
    qualifier: str
    quote: str

    @property
    def decimals(self) -> int:
        """Printed decimals; 0 for a number written in Chinese numerals (六, 第一)."""
        try:
            return decimals_of(self.text)
        except ValueError:
            return 0

    @property
    def v(self) -> float:
        if self.value is None:
            raise MissingData(f"fact {self.id} has no numeric value")
        return self.value


class _Context:
    """Lazy access to the data package for the claim builders (each resource is loaded once)."""

    def __init__(self, data_dir: str | os.PathLike[str] | None, tolerance: float | None):
        self.data_dir = data_dir
        self.tolerance = tolerance
        self.facts = facts(data_dir)
        self._tables: dict[str, pd.DataFrame] = {}

    def points(self) -> pd.DataFrame:
        """The demand points of 表格 11–12 with their harmonized category (see aibook.analysis)."""
        if "_scenario_points" not in self._tables:
            self._tables["_scenario_points"] = scenario_points(self.data_dir)
        return self._tables["_scenario_points"]

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = load(name, self.data_dir)
        return self._tables[name]

    def fact(self, fact_id: str) -> _Fact:
        if fact_id not in self.facts.index:
            raise MissingData(f"facts 中没有 {fact_id}")
        row = self.facts.loc[fact_id]
        value = None if pd.isna(row["value"]) else float(row["value"])
        return _Fact(fact_id, value, str(row["value_text"]), "" if pd.isna(row["unit"]) else str(row["unit"]),
                     int(row["chapter"]), str(row["section"]),
                     "" if pd.isna(row["qualifier"]) else str(row["qualifier"]), str(row["quote"]))

    def row(self, table: str, column: str, value: str) -> pd.Series:
        df = self.table(table)
        hit = df[df[column] == value]
        if hit.empty:
            raise MissingData(f"{table} 中没有 {column} = {value}")
        return hit.iloc[0]

    def location(self, table: str) -> tuple[int, str]:
        """Chapter and section of a report table, in the facts' spelling of the section when one matches."""
        section = resource_info(table, self.data_dir).get("report_section", "")
        m = re.match(r"第(.)章\s*(.*)", section)
        if not m or m.group(1) not in _CN_DIGITS:
            return 0, section
        chapter, rest = _CN_DIGITS[m.group(1)], m.group(2)
        top = re.match(r"[一二三四五六七八九十]+、", rest)
        name = re.split(r"[）)]", rest)[-1].strip()
        if top and name:
            same = self.facts.loc[self.facts["chapter"] == chapter, "section"].astype(str)
            for candidate in dict.fromkeys(same):
                if candidate.startswith(top.group(0)) and candidate.endswith(name):
                    return chapter, candidate
        return chapter, rest

    def external(self, indicator: str, year: int, industry: str = "", field: str = "value") -> tuple[float, int, str]:
        """A value of ``external_sh_stats`` in the report's unit (亿元, 万TEU, %): value, decimals, source."""
        df = self.table("external_sh_stats")
        rows = df[(df["indicator"] == indicator) & (df["year"] == year) & df[field].notna()]
        if industry:
            rows = rows[rows["industry"] == industry]
        if field == "value":
            rows = rows[rows["value_qualifier"].isna()]
        if rows.empty:
            raise MissingData(f"external_sh_stats 中没有 {indicator} {year} 年的 {field}")
        best: tuple[float, int, str] | None = None
        for r in rows.itertuples():
            raw = float(getattr(r, field))
            factor, shift = (1.0, 0) if field != "value" else _unit_factor(str(r.unit))
            title = re.split(r"[(（]", str(r.source_title))[0].strip()
            cand = (raw * factor, decimals_of(raw) - shift, f"external_sh_stats {r.id}《{title}》")
            if best is None or cand[1] > best[1]:
                best = cand
        assert best is not None
        return best


def _unit_factor(unit: str) -> tuple[float, int]:
    """Factor to the report's unit (the conversion table of :mod:`aibook.series`) and the decimal shift."""
    if unit not in CONVERSIONS:
        raise MissingData(f"不认识的单位 {unit!r}")
    factor = CONVERSIONS[unit][1]
    return factor, round(math.log10(factor))


_Builder = Callable[[_Context], Claim]
_REGISTRY: list[tuple[str, int, _Builder]] = []


def _claim(claim_id: str, chapter: int) -> Callable[[_Builder], _Builder]:
    def register(fn: _Builder) -> _Builder:
        _REGISTRY.append((claim_id, chapter, fn))
        return fn

    return register


def _make(claim_id: str, where: _Fact | tuple[int, str], claim: str, stated: float | None, stated_text: str,
          unit: str, check: Check, reason: str, kind: str, sources: Iterable[str]) -> Claim:
    chapter, section = (where.chapter, where.section) if isinstance(where, _Fact) else where
    return Claim(claim_id, chapter, section, claim, stated, stated_text, unit, check.recomputed,
                 check.recomputed_text, check.status, reason, kind, check.tolerance, check.detail, tuple(sources))


def _from_fact(claim_id: str, f: _Fact, claim: str, check: Check, reason: str, kind: str,
               sources: Iterable[str] = (), stated: float | None = None, stated_text: str | None = None) -> Claim:
    value = f.value if stated is None else stated
    return _make(claim_id, f, claim, value, f.text if stated_text is None else stated_text, f.unit, check, reason,
                 kind, (f.id, *sources))


# --- 第三章 产业基础 -------------------------------------------------------------------------------------
T6 = "table06_six_key_industries_output_2018"
T7 = "table07_strategic_emerging_value_added_2018"


def _components(ctx: _Context, table: str) -> tuple[pd.Series, pd.DataFrame]:
    df = ctx.table(table)
    total = df[df["level"] == "total"]
    if len(total) != 1:
        raise MissingData(f"{table} 应有且只有一行合计")
    return total.iloc[0], df[df["level"] == "component"]


@_claim("ch3-t6-sum", 3)
def _t6_sum(ctx: _Context) -> Claim:
    total, parts = _components(ctx, T6)
    f = ctx.fact("ch3_six_key_industries_output_2018")
    chk = check_sum(parts["value"].tolist(), float(total["value"]), decimals=2, part_decimals=2,
                    tolerance=ctx.tolerance)
    gap = float(parts["value"].sum()) - float(total["value"])
    reason = (f"{len(parts)} 个分项相加为 {chk.recomputed_text} 亿元，比合计行多 {gap:.2f} 亿元；"
              f"每个分项四舍五入到 0.01 亿元，{len(parts)} 项累计最多可差 {len(parts) * 0.005:.3f} 亿元。")
    return _make("ch3-t6-sum", f, "表格 6：六个重点行业分项之和等于合计", float(total["value"]),
                 fmt(float(total["value"]), 2), "亿元", chk, reason, "sum", (T6,))


@_claim("ch3-six-total-prose", 3)
def _six_total_prose(ctx: _Context) -> Claim:
    total, _ = _components(ctx, T6)
    f = ctx.fact("ch3_six_key_industries_output_2018")
    chk = check_equal(f.v, float(total["value"]), decimals=f.decimals, other_decimals=2, tolerance=ctx.tolerance)
    return _from_fact("ch3-six-total-prose", f, "正文的六个重点行业总产值与表格 6 合计相同", chk,
                      "正文与表格 6 合计行写的是同一个数。", "equal", (T6,))


@_claim("ch3-six-growth-prose", 3)
def _six_growth_prose(ctx: _Context) -> Claim:
    total, _ = _components(ctx, T6)
    f = ctx.fact("ch3_six_key_industries_output_growth_2018")
    chk = check_equal(f.v, float(total["growth_pct"]), decimals=f.decimals, other_decimals=1, tolerance=ctx.tolerance)
    return _from_fact("ch3-six-growth-prose", f, "正文的六个重点行业增速与表格 6 合计增速相同", chk,
                      "正文与表格 6 合计行的增速一致。", "equal", (T6,))


def _sei_path_total(ctx: _Context) -> tuple[_Fact, _Fact, _Fact, _Fact]:
    return (ctx.fact("ch3_six_key_industries_output_2018"), ctx.fact("ch3_six_key_industries_share_2018"),
            ctx.fact("ch3_sei_industrial_output_2018"), ctx.fact("ch3_sei_output_share_2018"))


@_claim("ch3-six-share", 3)
def _six_share(ctx: _Context) -> Claim:
    six, share, sei, sei_share = _sei_path_total(ctx)
    whole, wdec, src = ctx.external("规模以上工业总产值", 2018)
    chk = check_share(six.v, whole, share.v, decimals=share.decimals, part_decimals=six.decimals,
                      whole_decimals=wdec, tolerance=ctx.tolerance)
    implied_a = six.v / share.v * 100
    implied_b = sei.v / sei_share.v * 100
    reason = (f"规上工业总产值取公开资料（{src}）的 {fmt(whole, 0)} 亿元，只精确到百亿元，故复算值有约 "
              f"±{chk.tolerance - half_unit(share.decimals):.2f} 个百分点的不确定。报告自身两处占比反推的规上总产值"
              f"分别为 {implied_a:.1f} 亿元（由本句）和 {implied_b:.1f} 亿元（由战新产业 {sei_share.text}%），相差 "
              f"{abs(implied_a - implied_b) / implied_b * 100:.2f}%。")
    return _from_fact("ch3-six-share", share, "六个重点行业占规上工业总产值的比重", chk, reason, "share",
                      (six.id, "external_sh_stats"))


@_claim("ch3-six-share-vs-sei", 3)
def _six_share_vs_sei(ctx: _Context) -> Claim:
    six, share, sei, sei_share = _sei_path_total(ctx)
    chk = check_formula(share.v, lambda v: v[0] / (v[1] / v[2] * 100) * 100, [six.v, sei.v, sei_share.v],
                        decimals=share.decimals, input_decimals=[six.decimals, sei.decimals, sei_share.decimals],
                        tolerance=ctx.tolerance,
                        detail=f"{six.text} / ({sei.text} / {sei_share.text}%) × 100")
    whole = sei.v / sei_share.v * 100
    reason = (f"用战新产业产值 {sei.text} 亿元及其占比 {sei_share.text}% 反推规上工业总产值约 {whole:.1f} 亿元，"
              f"六个重点行业占其 {chk.recomputed_text}%：两处占比说法互相吻合。")
    return _make("ch3-six-share-vs-sei", share, f"{share.text}% 与 {sei_share.text}% 两处占比指向同一个规上工业总产值",
                 share.v, share.text, share.unit, chk, reason, "share", (share.id, six.id, sei.id, sei_share.id))


@_claim("ch3-sei-share", 3)
def _sei_share(ctx: _Context) -> Claim:
    sei, sei_share = ctx.fact("ch3_sei_industrial_output_2018"), ctx.fact("ch3_sei_output_share_2018")
    whole, wdec, src = ctx.external("规模以上工业总产值", 2018)
    chk = check_share(sei.v, whole, sei_share.v, decimals=sei_share.decimals, part_decimals=sei.decimals,
                      whole_decimals=wdec, tolerance=ctx.tolerance)
    return _from_fact("ch3-sei-share", sei_share, "工业战略性新兴产业占规上工业总产值的比重", chk,
                      f"规上工业总产值取公开资料（{src}）的 {fmt(whole, 0)} 亿元（精确到百亿元）。", "share",
                      (sei.id, "external_sh_stats"))


@_claim("ch3-sei-gap", 3)
def _sei_gap(ctx: _Context) -> Claim:
    gap, growth = ctx.fact("ch3_sei_output_growth_gap_2018"), ctx.fact("ch3_sei_industrial_output_growth_2018")
    six_growth = ctx.fact("ch3_six_key_industries_output_growth_2018")
    above, adec, src = ctx.external("规模以上工业总产值", 2018, field="growth_pct")
    chk = check_gap(growth.v, above, gap.v, decimals=gap.decimals, input_decimals=[growth.decimals, adec],
                    tolerance=ctx.tolerance)
    reason = (f"规上工业总产值增速取公开资料（{src}）的 {fmt(above, adec)}%。由报告两句推出的规上增速 "
              f"{growth.text} − {gap.text} = {growth.v - gap.v:.1f}% 恰好与六个重点行业的增速 {six_growth.text}% "
              "相同，但那是另一个口径（六个行业只占规上工业的一部分），不能用来核对本句。")
    return _from_fact("ch3-sei-gap", gap, "战新产业产值增速比规上工业总产值快若干个百分点", chk, reason, "gap",
                      (growth.id, "external_sh_stats"))


def _external_equal(claim_id: str, fact_id: str, claim: str, indicator: str, *, industry: str = "",
                    field: str = "value", unit: str = "") -> _Builder:
    """A number of the prose against the same indicator in ``external_sh_stats`` (the most precise source)."""

    def build(ctx: _Context) -> Claim:
        f = ctx.fact(fact_id)
        value, dec, src = ctx.external(indicator, 2018, industry, field=field)
        chk = check_equal(f.v, value, decimals=f.decimals, other_decimals=dec, tolerance=ctx.tolerance)
        return _from_fact(claim_id, f, claim, chk, f"公开资料（{src}）印作 {fmt(value, dec)}{unit}，按两者中较粗的精度比较。",
                          "equal", ("external_sh_stats",))

    return build


_claim("ch3-six-total-external", 3)(_external_equal(
    "ch3-six-total-external", "ch3_six_key_industries_output_2018", "六个重点行业总产值与公开资料相符",
    "六个重点工业行业工业总产值", industry="合计", unit=" 亿元"))
_claim("ch3-sei-output-external", 3)(_external_equal(
    "ch3-sei-output-external", "ch3_sei_industrial_output_2018", "工业战新产业总产值与公开资料相符",
    "工业战略性新兴产业工业总产值", unit=" 亿元"))
_claim("ch3-iva-external", 3)(_external_equal(
    "ch3-iva-external", "ch3_industrial_value_added_2018", "全市工业增加值与公开资料相符", "工业增加值", unit=" 亿元"))
_claim("ch3-iva-growth-external", 3)(_external_equal(
    "ch3-iva-growth-external", "ch3_industrial_value_added_growth_2018", "全市工业增加值增速与公开资料相符", "工业增加值",
    field="growth_pct", unit="%"))
_claim("ch4-container-external", 4)(_external_equal(
    "ch4-container-external", "ch4_sh_container_throughput_2018", "上海港集装箱吞吐量与公开资料相符", "上海港集装箱吞吐量",
    unit=" 万标准箱"))


@_claim("ch3-t7-sum", 3)
def _t7_sum(ctx: _Context) -> Claim:
    total, parts = _components(ctx, T7)
    f = ctx.fact("ch3_sei_value_added_2018")
    chk = check_sum(parts["value"].tolist(), float(total["value"]), decimals=2, part_decimals=2,
                    tolerance=ctx.tolerance)
    names = "与".join(parts["indicator"])
    return _make("ch3-t7-sum", f, f"表格 7：战新产业增加值 = {names}之和", float(total["value"]),
                 fmt(float(total["value"]), 2), "亿元", chk, f"{chk.detail} 亿元。", "sum", (T7,))


_T7_PROSE = (
    ("ch3-t7-total-prose", "ch3_sei_value_added_2018", "战略性新兴产业增加值", "value", "战新产业增加值"),
    ("ch3-t7-growth-prose", "ch3_sei_value_added_growth_2018", "战略性新兴产业增加值", "growth_pct", "战新产业增加值增速"),
    ("ch3-t7-industry-prose", "ch3_sei_industry_value_added_2018", "工业", "value", "其中工业增加值"),
    ("ch3-t7-industry-growth-prose", "ch3_sei_industry_value_added_growth_2018", "工业", "growth_pct",
     "其中工业增加值增速"),
    ("ch3-t7-services-prose", "ch3_sei_services_value_added_2018", "服务业", "value", "其中服务业增加值"),
    ("ch3-t7-services-growth-prose", "ch3_sei_services_value_added_growth_2018", "服务业", "growth_pct",
     "其中服务业增加值增速"),
)


def _prose_vs_table(claim_id: str, fact_id: str, table: str, indicator: str, column: str, label: str,
                    table_label: str, sign: float = 1.0, level_name: str = "总产值") -> _Builder:
    def build(ctx: _Context) -> Claim:
        f = ctx.fact(fact_id)
        other = float(ctx.row(table, "indicator", indicator)[column])
        odec = 2 if column == "value" else 1
        stated = sign * f.v
        chk = check_equal(stated, other, decimals=f.decimals, other_decimals=odec, tolerance=ctx.tolerance)
        what = level_name if column == "value" else "增速"
        note = "（正文写作“下降”，按负增长比较）" if sign < 0 else ""
        reason = f"正文与{table_label}「{indicator}」行的{what}相比{note}：正文 {fmt(stated, f.decimals)}，表中 {fmt(other, odec)}。"
        return _from_fact(claim_id, f, f"正文所写{label}与{table_label} 相同", chk, reason, "equal", (table,),
                          stated=stated, stated_text=f"下降{f.text}" if sign < 0 else None)

    return build


for _cid, _fid, _ind, _col, _label in _T7_PROSE:
    _claim(_cid, 3)(_prose_vs_table(_cid, _fid, T7, _ind, _col, _label, "表格 7", level_name="增加值"))


@_claim("ch3-sei-gdp-share", 3)
def _sei_gdp_share(ctx: _Context) -> Claim:
    f, va = ctx.fact("ch3_sei_share_gdp_2018"), ctx.fact("ch3_sei_value_added_2018")
    reason = (f"需要 2018 年上海市生产总值，数据包没有；外部资料里的同一比重只是这句话的转述，不是独立数据。"
              f"按本句反推，生产总值约为 {va.v / f.v * 100:.0f} 亿元，补入 GDP 后即可核对。")
    return _from_fact("ch3-sei-gdp-share", f, "战新产业增加值占全市生产总值的比重", uncheckable(), reason, "share",
                      (va.id,))


@_claim("ch3-sei-gdp-share-change", 3)
def _sei_gdp_share_change(ctx: _Context) -> Claim:
    f, now = ctx.fact("ch3_sei_share_gdp_change_2018"), ctx.fact("ch3_sei_share_gdp_2018")
    prev, pdec, src = ctx.external("战略性新兴产业增加值占GDP比重", 2017)
    chk = check_gap(now.v, prev, f.v, decimals=f.decimals, input_decimals=[now.decimals, pdec],
                    tolerance=ctx.tolerance)
    return _from_fact("ch3-sei-gdp-share-change", f, "战新产业占 GDP 比重比上年提高若干个百分点", chk,
                      f"上年比重取公开资料（{src}）的 {fmt(prev, pdec)}%：{chk.detail} = {chk.recomputed_text}。",
                      "gap", (now.id, "external_sh_stats"))


T8 = "table08_talent_city_shares"


def _t8_field(field_name: str, index: int) -> _Builder:
    def build(ctx: _Context) -> Claim:
        t8 = ctx.table(T8)
        rows = t8[t8["field"] == field_name]
        if rows.empty:
            raise MissingData(f"{T8} 中没有领域 {field_name}")
        # cells are printed with 0–2 decimals (21%, 10.40%); one decimal is the typical precision
        chk = check_sum(rows["share_pct"].tolist(), 100.0, decimals=EXACT, part_decimals=1, tolerance=ctx.tolerance)
        cities = "、".join(rows["city"])
        return _make(f"ch3-t8-sum-{index}", ctx.location(T8), f"表格 8「{field_name}」各城市占比合计为 100%",
                     100.0, "100", "%", chk, f"{cities}的占比相加：{chk.detail}。", "sum", (T8,))

    return build


def _t8_fields(ctx: _Context) -> list[str]:
    try:
        return list(dict.fromkeys(ctx.table(T8)["field"]))
    except DataError:
        return []


@_claim("ch3-bj-sh-talent", 3)
def _bj_sh_talent(ctx: _Context) -> Claim:
    total, bj, sh = (ctx.fact("ch3_ai_talent_bj_sh_share"), ctx.fact("ch3_ai_talent_beijing_share"),
                     ctx.fact("ch3_ai_talent_shanghai_share"))
    chk = check_sum([bj.v, sh.v], total.v, decimals=total.decimals, part_decimals=[bj.decimals, sh.decimals],
                    tolerance=ctx.tolerance)
    reason = (f"北京 {bj.text}% 与上海 {sh.text}% 相加为 {chk.recomputed_text}%，比所说的 {total.text}% 少 "
              f"{total.v - (chk.recomputed or 0):.1f} 个百分点；整数四舍五入最多只能差 0.5 个百分点。"
              f"“{total.text}%”只能理解为粗略的约数。")
    return _from_fact("ch3-bj-sh-talent", total, "北京、上海 AI 人才占比之和", chk, reason, "sum", (bj.id, sh.id))


T9 = "table09_sh_university_ai_majors_2019"
T10 = "table10_moe_ai_expert_group"
T11 = "table11_scenarios_batch1"
T12 = "table12_scenarios_batch2"


@_claim("ch3-t9-categories", 3)
def _t9_categories(ctx: _Context) -> Claim:
    t9 = ctx.table(T9)
    approved, filed = int((t9["category"] == "审批").sum()), int((t9["category"] == "备案").sum())
    chk = check_sum([approved, filed], len(t9), decimals=EXACT, part_decimals=EXACT, tolerance=ctx.tolerance)
    other = len(t9) - approved - filed
    reason = (f"表格 9 共 {len(t9)} 个专业：教育部审批 {approved} 个、备案 {filed} 个"
              + (f"，另有 {other} 个类别不明。" if other else "，没有别的类别。"))
    return _make("ch3-t9-categories", ctx.location(T9), "表格 9：专业数 = 审批 + 备案", float(len(t9)),
                 str(len(t9)), "个", chk, reason, "sum", (T9,))


_AI_MAJOR_SCHOOLS = ("上海交通大学", "同济大学")


@_claim("ch3-t9-ai-major", 3)
def _t9_ai_major(ctx: _Context) -> Claim:
    t9 = ctx.table(T9)
    ai = t9[t9["major"] == "人工智能"]
    named = set(_AI_MAJOR_SCHOOLS)
    chk = check_count(int(ai["school"].isin(named).sum()), len(named), tolerance=ctx.tolerance)
    schools = "、".join(ai["school"]) or "没有学校"
    reason = (f"正文点名{'和'.join(_AI_MAJOR_SCHOOLS)}开设“人工智能”本科专业；表格 9 中该专业见于{schools}，"
              f"类别为{'、'.join(dict.fromkeys(ai['category'])) or '—'}。")
    return _make("ch3-t9-ai-major", ctx.location(T9), "交大、同济开设“人工智能”本科专业（与表格 9 对照）",
                 float(len(named)), str(len(named)), "所", chk, reason, "count", (T9,))


@_claim("ch3-experts", 3)
def _experts(ctx: _Context) -> Claim:
    f = ctx.fact("ch3_expert_group_experts")
    t10 = ctx.table(T10)
    chk = check_count(len(t10), int(f.v), tolerance=ctx.tolerance)
    return _from_fact("ch3-experts", f, "入选教育部专家组的上海专家人数（对照表格 10）", chk,
                      f"表格 10 列出 {len(t10)} 位：{'、'.join(t10['name'])}。", "count", (T10,))


@_claim("ch3-expert-universities", 3)
def _expert_universities(ctx: _Context) -> Claim:
    f = ctx.fact("ch3_expert_group_universities")
    univ = ctx.table(T10)["affiliation"].map(university_of)
    chk = check_count(univ.nunique(), int(f.v), tolerance=ctx.tolerance)
    return _from_fact("ch3-expert-universities", f, "入选专家来自的上海高校数（对照表格 10）", chk,
                      f"从“单位”一栏取出高校名称：{'、'.join(dict.fromkeys(univ))}。", "count", (T10,))


def _caption_number(ctx: _Context, table: str) -> str:
    m = re.search(r"(\d+)个", str(resource_info(table, ctx.data_dir).get("title", "")))
    return f"表题也写作 {m.group(1)} 个。" if m else ""


def _scenario_points(claim_id: str, fact_id: str, table: str, label: str) -> _Builder:
    def build(ctx: _Context) -> Claim:
        f = ctx.fact(fact_id)
        df = ctx.table(table)
        chk = check_count(len(df), int(f.v), tolerance=ctx.tolerance)
        return _from_fact(claim_id, f, f"{label}具体点位需求数（对照表格行数）", chk,
                          f"{resource_info(table, ctx.data_dir).get('title', table)} 共 {len(df)} 行。"
                          + _caption_number(ctx, table), "count", (table,))

    return build


def _scenario_types(claim_id: str, fact_id: str, table: str, label: str) -> _Builder:
    def build(ctx: _Context) -> Claim:
        f = ctx.fact(fact_id)
        types = list(dict.fromkeys(ctx.table(table)["scenario_type"]))
        chk = check_count(len(types), int(f.v), tolerance=ctx.tolerance)
        return _from_fact(claim_id, f, f"{label}应用场景类型数（对照表格）", chk,
                          f"表中“应用场景”一栏有 {len(types)} 种：{'、'.join(types)}。", "count", (table,))

    return build


_claim("ch3-batch1-points", 3)(_scenario_points("ch3-batch1-points", "ch3_point_demands_batch1", T11, "首批"))
_claim("ch3-batch2-points", 3)(_scenario_points("ch3-batch2-points", "ch3_point_demands_batch2", T12, "第二批"))
_claim("ch3-batch1-types", 3)(_scenario_types("ch3-batch1-types", "ch3_scenarios_batch1", T11, "首批"))
_claim("ch3-batch2-types", 3)(_scenario_types("ch3-batch2-types", "ch3_scenarios_batch2", T12, "第二批"))


@_claim("ch3-innovative-products", 3)
def _innovative_products(ctx: _Context) -> Claim:
    f = ctx.fact("ch3_innovative_products_batch1")
    return _from_fact("ch3-innovative-products", f, "首批发布的人工智能创新产品数", uncheckable(),
                      "报告没有列出这批产品，数据包里也没有名单，无从计数。", "count")


def _repeat(claim_id: str, first: str, second: str, label: str) -> _Builder:
    def build(ctx: _Context) -> Claim:
        a, b = ctx.fact(first), ctx.fact(second)
        chk = check_equal(b.v, a.v, decimals=EXACT, other_decimals=EXACT, tolerance=ctx.tolerance)
        qual = ""
        hedge_a, hedge_b = (q if q not in ("", "目标") else "" for q in (a.qualifier, b.qualifier))
        if hedge_a != hedge_b:
            said = {q: f"带“{q}”" if q else "不带限定词" for q in (hedge_a, hedge_b)}
            qual = (f"数字相同，但第{_CHAPTERS[a.chapter][1]}章{said[hedge_a]}，"
                    f"第{_CHAPTERS[b.chapter][1]}章{said[hedge_b]}。")
        reason = f"第{_CHAPTERS[a.chapter][1]}章引文：“{a.quote}”。" + qual
        return _from_fact(claim_id, b, f"{label}（第{_CHAPTERS[b.chapter][1]}章与第{_CHAPTERS[a.chapter][1]}章两处）",
                          chk, reason, "equal", (a.id,))

    return build


_REPEATS = (
    ("ch4-demo-zones-repeat", "ch3_ai_demo_zones_target_2020", "ch4_demo_zones_target_2020", "2020 年人工智能创新应用示范区目标数"),
    ("ch4-deep-scenarios-repeat", "ch3_ai_scenarios_target_2020", "ch4_deep_scenarios_target_2020", "2020 年深度应用场景目标数"),
    ("ch4-demo-projects-repeat", "ch3_ai_demo_projects_target_2020", "ch4_demo_projects_target_2020", "2020 年应用示范项目目标数"),
    ("ch4-scenarios-batch1-repeat", "ch3_scenarios_batch1", "ch4_scenarios_batch1_10", "首批应用场景数"),
)
for _cid, _a, _b, _label in _REPEATS:
    _claim(_cid, 4)(_repeat(_cid, _a, _b, _label))


# --- 第四章 产业生态 -------------------------------------------------------------------------------------
@_claim("ch4-ic-sales", 4)
def _ic_sales(ctx: _Context) -> Claim:
    f, inc = ctx.fact("ch4_ic_sales_2018"), ctx.fact("ch4_ic_sales_increase_2018")
    base = f.v - inc.v
    reason = (f"数据包没有 2017、2018 年上海集成电路销售规模的独立数据（公开资料只有 2019 年以后的数）。"
              f"由本句可推出 2017 年约 {base:.0f} 亿元、增速约 {inc.v / base * 100:.0f}%，但两个数都带“近”“约”，"
              "只能作为粗略参照。")
    return _from_fact("ch4-ic-sales", f, "集成电路销售规模及较上年增加额", uncheckable(), reason, "cagr", (inc.id,))


@_claim("ch4-ic-national-share", 4)
def _ic_national(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_ic_national_share")
    return _from_fact("ch4-ic-national-share", f, "上海集成电路产业规模占全国比重", uncheckable(),
                      "需要全国集成电路产业规模，数据包没有；原文也没有注明年份。", "share")


@_claim("ch4-auto-decline", 4)
def _auto_decline(ctx: _Context) -> Claim:
    prod, sales = ctx.fact("ch4_cn_auto_production_2018"), ctx.fact("ch4_cn_auto_sales_2018")
    dp, ds = ctx.fact("ch4_cn_auto_production_decline_2018"), ctx.fact("ch4_cn_auto_sales_decline_2018")
    reason = (f"需要 2017 年全国汽车产销量，数据包没有。按本句反推，2017 年产量约 {prod.v / (1 - dp.v / 100):.1f}"
              f" 万辆、销量约 {sales.v / (1 - ds.v / 100):.1f} 万辆，补入上年数据即可核对。")
    return _from_fact("ch4-auto-decline", dp, "全国汽车产量、销量比上年下降的幅度", uncheckable(), reason, "cagr",
                      (prod.id, sales.id, ds.id), stated=-dp.v, stated_text=f"下降{dp.text}")


_T6_PROSE_CH4_AUTO_ELECTRONICS = (
    ("ch4-auto-growth-prose", "ch4_sh_auto_mfg_output_growth_2018", "汽车制造业", "growth_pct", "汽车制造业增速", 1.0),
    ("ch4-electronics-output-prose", "ch4_sh_electronics_output_2018", "电子信息产品制造业", "value",
     "电子信息产品制造业总产值", 1.0),
)
for _cid, _fid, _ind, _col, _label, _sign in _T6_PROSE_CH4_AUTO_ELECTRONICS:
    _claim(_cid, 4)(_prose_vs_table(_cid, _fid, T6, _ind, _col, _label, "表格 6", _sign))


@_claim("ch4-saic-share", 4)
def _saic_share(ctx: _Context) -> Claim:
    f, saic, cn = (ctx.fact("ch4_saic_domestic_share_2018"), ctx.fact("ch4_saic_sales_2018"),
                   ctx.fact("ch4_cn_auto_sales_2018"))
    naive = saic.v / cn.v * 100
    reason = (f"{with_unit(saic.text, saic.unit)}是上汽的全部整车销量（含出口与海外），而占有率按国内销量计算；"
              f"数据包没有上汽的国内销量。若直接除以全国销量 {with_unit(cn.text, cn.unit)}会得到 {naive:.1f}%，"
              "口径不同，不能据此判断。")
    return _from_fact("ch4-saic-share", f, "上汽集团国内市场占有率", uncheckable(), reason, "share",
                      (saic.id, cn.id))


@_claim("ch4-electronics-growth-prose", 4)
def _electronics_growth(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_sh_electronics_output_growth_2018")
    row = ctx.row(T6, "indicator", "电子信息产品制造业")
    other = float(row["growth_pct"])
    chk = check_equal(f.v, other, decimals=f.decimals, other_decimals=1, tolerance=ctx.tolerance)
    reason = (f"同一个行业、同一年、同样的总产值（{fmt(float(row['value']), 2)} 亿元），正文写增长 {f.text}%，"
              f"表格 6 写 {fmt(other, 1)}%。")
    return _from_fact("ch4-electronics-growth-prose", f, "电子信息产品制造业增速：正文与表格 6 对照", chk, reason,
                      "equal", (T6,))


@_claim("ch4-electronics-growth-584", 4)
def _electronics_584(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_sh_electronics_growth_584_2018")
    first = ctx.fact("ch4_sh_electronics_output_growth_2018")
    row = ctx.row(T6, "indicator", "电子信息产品制造业")
    other, value = float(row["growth_pct"]), float(row["value"])
    chk = check_equal(f.v, other, decimals=f.decimals, other_decimals=1, tolerance=ctx.tolerance)
    reason = (f"紧随“增长 {first.text}%”之后又写增长 {f.text}%，与表格 6 的 {fmt(other, 1)}% 也不符。"
              f"若按 {f.text}% 计，上年产值只有约 {value / (1 + f.v / 100):.0f} 亿元；原文未交代口径，"
              "疑为别的指标误植。")
    return _from_fact("ch4-electronics-growth-584", f, "“电子信息产品制造业增长 58.4%”", chk, reason, "equal",
                      (first.id, T6))


@_claim("ch4-ship-share", 4)
def _ship_share(ctx: _Context) -> Claim:
    f, cn, world = (ctx.fact("ch4_cn_ship_completions_share_2018"), ctx.fact("ch4_cn_ship_completions_2018"),
                    ctx.fact("ch4_world_ship_completions_2018"))
    chk = check_share(cn.v, world.v, f.v, decimals=f.decimals, part_decimals=cn.decimals,
                      whole_decimals=world.decimals, tolerance=ctx.tolerance)
    return _from_fact("ch4-ship-share", f, "中国造船完工量占世界的比重", chk,
                      f"{chk.detail} = {chk.recomputed_text}%。", "share", (cn.id, world.id))


_T6_PROSE_CH4 = (
    ("ch4-biopharma-output-prose", "ch4_sh_biopharma_mfg_output_2018", "生物医药制造业", "value", "生物医药制造业产值", 1.0),
    ("ch4-biopharma-growth-prose", "ch4_sh_biopharma_mfg_output_growth_2018", "生物医药制造业", "growth_pct",
     "生物医药制造业增速", 1.0),
    ("ch4-petrochem-output-prose", "ch4_sh_petrochem_output_2018", "石油化工及精细化工制造业", "value",
     "石化及精细化工制造业总产值", 1.0),
    ("ch4-petrochem-growth-prose", "ch4_sh_petrochem_output_decline_2018", "石油化工及精细化工制造业", "growth_pct",
     "石化及精细化工制造业增速", -1.0),
)
for _cid, _fid, _ind, _col, _label, _sign in _T6_PROSE_CH4:
    _claim(_cid, 4)(_prose_vs_table(_cid, _fid, T6, _ind, _col, _label, "表格 6", _sign))


@_claim("ch4-container-growth", 4)
def _container_growth(ctx: _Context) -> Claim:
    f, level = ctx.fact("ch4_sh_container_throughput_growth_2018"), ctx.fact("ch4_sh_container_throughput_2018")
    prev, pdec, src = ctx.external("上海港集装箱吞吐量", 2017)
    chk = check_cagr(prev, level.v, 1, f.v, decimals=f.decimals, start_decimals=pdec, end_decimals=level.decimals,
                     tolerance=ctx.tolerance)
    return _from_fact("ch4-container-growth", f, "集装箱吞吐量比上年增长", chk,
                      f"上年吞吐量取公开资料（{src}）的 {fmt(prev, pdec)} 万标准箱：{chk.detail}。", "cagr",
                      (level.id, "external_sh_stats"))


@_claim("ch4-mfg-sectors", 4)
def _mfg_sectors(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_mfg_sectors_count")
    sections = ctx.facts.loc[ctx.facts["chapter"] == 4, "section"]
    subs = sorted({f"{m.group(1)}. {m.group(2)}" for s in sections
                   if (m := re.search(r"（一）制造业\s*(\d+)\.\s*(\S+)", str(s)))})
    chk = check_count(len(subs), int(f.v), tolerance=ctx.tolerance)
    return _from_fact("ch4-mfg-sectors", f, "“八大制造业行业领域”与其后分述的小节数", chk,
                      f"第四章 二（一）之下分述的行业小节：{'、'.join(subs)}。", "count")


@_claim("ch4-lingang-output", 4)
def _lingang(ctx: _Context) -> Claim:
    f, g = ctx.fact("ch4_lingang_output_2018"), ctx.fact("ch4_lingang_output_growth_2018")
    return _from_fact("ch4-lingang-output", g, "临港新片区工业总产值及增速", uncheckable(),
                      f"需要临港新片区 2017 年工业总产值，数据包没有；按本句反推约为 {f.v / (1 + g.v / 100):.0f} 亿元。",
                      "cagr", (f.id,))


def _merged_counts(ctx: _Context) -> dict[str, int]:
    """Demand points of both batches per harmonized category (mapping: the ``ch4_scenario_type_map`` resource)."""
    merged = ctx.points()["category"]
    counts = merged.value_counts()
    return {t: int(counts[t]) for t in dict.fromkeys(merged)}


def _merge_note(ctx: _Context) -> str:
    points = ctx.points()
    pairs = sorted({(t, c) for t, c in zip(points["scenario_type"], points["category"], strict=True)
                    if t != f"AI+{c}"})
    return ("两批（表格 11、12）合并计数；名称不同、含义相同的类型按 ch4_scenario_type_map 归并："
            + "，".join(f"{t}→{c}" for t, c in pairs) + "。")


def _scenario_type_points(claim_id: str, fact_id: str, scenario: str) -> _Builder:
    def build(ctx: _Context) -> Claim:
        f = ctx.fact(fact_id)
        counts = _merged_counts(ctx)
        chk = check_count(counts.get(scenario, 0), int(f.v), tolerance=ctx.tolerance)
        return _from_fact(claim_id, f, f"{scenario}类场景的需求点数", chk, _merge_note(ctx), "count", (T11, T12))

    return build


_claim("ch4-edu-points", 4)(_scenario_type_points("ch4-edu-points", "ch4_ai_edu_demand_points", "教育"))
_claim("ch4-medical-points", 4)(_scenario_type_points("ch4-medical-points", "ch4_ai_medical_demand_points", "医疗"))


def _range_of(f: _Fact) -> tuple[int, int]:
    m = re.fullmatch(r"(\d+)-(\d+)", f.text.strip())
    if not m:
        raise MissingData(f"{f.id} 不是区间：{f.text}")
    return int(m.group(1)), int(m.group(2))


_MIDDLE_TYPES = ("交通", "文化旅游", "园区", "制造业")


@_claim("ch4-middle-points", 4)
def _middle_points(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_ai_transport_etc_demand_points")
    lo, hi = _range_of(f)
    counts = _merged_counts(ctx)
    chk = check_count_range({t: counts.get(t, 0) for t in _MIDDLE_TYPES}, lo, hi, tolerance=ctx.tolerance)
    return _from_fact("ch4-middle-points", f, "交通、文化旅游、园区、制造业四类场景的需求点数区间", chk,
                      _merge_note(ctx) + f"各类：{chk.detail}。", "range", (T11, T12))


@_claim("ch4-other-points", 4)
def _other_points(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_other_scenarios_demand_points")
    lo, hi = _range_of(f)
    counts = _merged_counts(ctx)
    named = {"教育", "医疗", *_MIDDLE_TYPES}
    chk = check_count_range({t: n for t, n in counts.items() if t not in named}, lo, hi, tolerance=ctx.tolerance)
    return _from_fact("ch4-other-points", f, "其余场景类型的需求点数区间", chk,
                      _merge_note(ctx) + f"其余各类：{chk.detail}。", "range", (T11, T12))


@_claim("ch4-district-points", 4)
def _district_points(ctx: _Context) -> Claim:
    xh, pd_ = ctx.fact("ch4_xuhui_demand_points"), ctx.fact("ch4_pudong_demand_points")
    points = ctx.table("ch4_scenario_points")
    by = points["district"].value_counts()
    reason = (f"表格 12 没有“所在行政区”一栏。本书按地址、地名或需求单位所在地逐点判定（ch4_scenario_points，"
              f"见第四章图表 23），得徐汇区 {int(by.get('徐汇区', 0))} 个、浦东新区 {int(by.get('浦东新区', 0))} 个，"
              f"另有 {int(by.get('市级', 0))} 个计为市级、{int(by.get('未知', 0))} 个无法判定；"
              "与报告的差别取决于市属单位点位算在哪个区，原文未交代，故列为无法核对。")
    return _from_fact("ch4-district-points", xh, "徐汇区、浦东新区的场景需求点数", uncheckable(), reason, "count",
                      (pd_.id, T11, T12, "ch4_scenario_points"))


T15 = "table15_miit_2018_projects_sh"
T16 = "table16_sh_ai_funds"


@_claim("ch4-miit-projects", 4)
def _miit(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_miit_fusion_projects_sh_firms_2018")
    t15 = ctx.table(T15)
    chk = check_count(len(t15), int(f.v), tolerance=ctx.tolerance)
    non_firms = [c for c in t15["company"] if not c.endswith("公司")]
    note = f"其中{'、'.join(non_firms)}不是企业，正文与表题都称“企业”。" if non_firms else ""
    return _from_fact("ch4-miit-projects", f, "入选工信部融合创新项目的上海企业数（对照表格 15）", chk,
                      f"表格 15 共 {len(t15)} 行。" + note, "count", (T15,))


@_claim("ch4-fund-batches", 4)
def _fund_batches(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_fund_batches_published")
    batches = [i for i in ctx.facts.index if re.fullmatch(r"ch4_fund_batch_\d{4}_\d+_units", i)]
    chk = check_count(len(batches), int(f.v), tolerance=ctx.tolerance)
    return _from_fact("ch4-fund-batches", f, "人工智能创新发展专项已发布的批次", chk,
                      f"同段逐批列出的批次有 {len(batches)} 批。", "count", tuple(batches))


@_claim("ch4-fund-units-sum", 4)
def _fund_units(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_fund_total_units")
    ids = sorted(i for i in ctx.facts.index if re.fullmatch(r"ch4_fund_batch_\d{4}_\d+_units", i))
    if not ids:
        raise MissingData("facts 中没有分批资助单位数")
    parts = [ctx.fact(i) for i in ids]
    chk = check_sum([p.v for p in parts], f.v, decimals=EXACT, part_decimals=EXACT, tolerance=ctx.tolerance)
    total = int(sum(p.v for p in parts))
    reason = (f"三批支持单位 {' + '.join(p.text for p in parts)} = {total} 家，而正文说全市共 {f.text} 家，"
              f"相差 {total - int(f.v)} 家。若有单位在不同批次重复获资助、总数按去重计，两者可以并存，"
              "但报告没有说明，数据包也没有名单可查。")
    return _from_fact("ch4-fund-units-sum", f, "分批资助单位数之和与获资助单位总数", chk, reason, "sum", ids)


def _funds_of_year(ctx: _Context, year: str) -> pd.DataFrame:
    t16 = ctx.table(T16)
    return t16[t16["date"].str.startswith(year)]


@_claim("ch4-funds-count", 4)
def _funds_count(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_ai_funds_released_2018")
    funds = _funds_of_year(ctx, "2018")
    chk = check_count(len(funds), int(f.v), tolerance=ctx.tolerance)
    return _from_fact("ch4-funds-count", f, "2018 年世界人工智能大会发布的产业基金只数（对照表格 16）", chk,
                      f"表格 16 中 2018 年设立的基金：{'、'.join(funds['fund'])}。", "count", (T16,))


@_claim("ch4-funds-170", 4)
def _funds_170(ctx: _Context) -> Claim:
    f, n = ctx.fact("ch4_ai_funds_total_scale_2018"), ctx.fact("ch4_ai_funds_released_2018")
    t16 = ctx.table(T16)
    funds = _funds_of_year(ctx, "2018")
    chk = check_sum(funds["size_yi_yuan"].tolist(), f.v, decimals=EXACT, part_decimals=EXACT,
                    tolerance=ctx.tolerance)
    sizes = dict(zip(t16["fund"], t16["size_yi_yuan"].astype(float), strict=True))
    combos = combinations_summing_to(sizes, f.v, int(n.v))
    combo_text = "；".join("、".join(c) for c in combos) or "没有"
    parts = "，".join(f"{r.fund}（{r.size_text}）" for r in funds.itertuples())
    reason = (f"表格 16 中 2018 年的基金为{parts}，合计 {chk.recomputed_text} 亿元。在表格 16 的全部基金中，"
              f"恰好 {int(n.v)} 只相加为 {f.text} 亿元的组合有：{combo_text}；只有前者全部设于 2018 年。"
              "可见“三只”包含 G60 基金，而正文接着说 G60 基金“也同期设立”，读来像是第四只；"
              "另外杨浦基金计入的是首期规模。")
    return _from_fact("ch4-funds-170", f, "三只人工智能产业基金合计规模", chk, reason, "sum", (n.id, T16))


def _fund_equal(claim_id: str, fact_id: str, fund: str, label: str) -> _Builder:
    def build(ctx: _Context) -> Claim:
        f = ctx.fact(fact_id)
        row = ctx.row(T16, "fund", fund)
        chk = check_equal(f.v, float(row["size_yi_yuan"]), decimals=EXACT, other_decimals=EXACT,
                          tolerance=ctx.tolerance)
        return _from_fact(claim_id, f, f"{label}规模：正文与表格 16 相同", chk,
                          f"表格 16 原文为“{row['size_text']}”。", "equal", (T16,))

    return build


_claim("ch4-g60-fund", 4)(_fund_equal("ch4-g60-fund", "ch4_g60_ai_fund_target_scale", "G60科创走廊人工智能产业基金",
                                      "G60 科创走廊人工智能产业基金"))
_claim("ch4-sh-ai-fund", 4)(_fund_equal("ch4-sh-ai-fund", "ch4_sh_ai_industry_fund_first_phase", "上海人工智能产业投资基金",
                                        "上海人工智能产业投资基金首期"))


@_claim("ch4-tech-market", 4)
def _tech_market(ctx: _Context) -> Claim:
    f = ctx.fact("ch4_sh_tech_market_turnover")
    value, dec, src = ctx.external("技术合同成交金额", 2018)
    growth, _, _ = ctx.external("技术合同成交金额", 2018, field="growth_pct")
    reason = (f"原文没有注明年份。公开资料（{src}）中 2018 年为 {fmt(value, dec)} 亿元、增长 {growth:g}%，"
              f"由此推得 2017 年约 {value / (1 + growth / 100):.0f} 亿元；“{f.text}亿元”说的可能是 2017 年，"
              "无法确定。")
    return _from_fact("ch4-tech-market", f, "上海技术市场成交金额", uncheckable(), reason, "equal",
                      ("external_sh_stats",))


@_claim("ch4-iot-global-cagr", 4)
def _iot_global(ctx: _Context) -> Claim:
    return _iot(ctx, "ch4-iot-global-cagr", "ch4_global_iot_market_2017", "ch4_global_iot_market_2022",
                "ch4_global_iot_cagr", "全球物联网市场 2017–2022 年均增长率")


@_claim("ch4-iot-china-cagr", 4)
def _iot_china(ctx: _Context) -> Claim:
    return _iot(ctx, "ch4-iot-china-cagr", "ch4_cn_iot_market_2017", "ch4_cn_iot_market_2022",
                "ch4_cn_iot_cagr", "中国物联网市场 2017–2022 年均增长率")


def _iot(ctx: _Context, claim_id: str, start_id: str, end_id: str, rate_id: str, label: str) -> Claim:
    start, end, rate = ctx.fact(start_id), ctx.fact(end_id), ctx.fact(rate_id)
    years = _years_between(start, end)
    chk = check_cagr(start.v, end.v, years, rate.v, decimals=rate.decimals, start_decimals=start.decimals,
                     end_decimals=end.decimals, tolerance=ctx.tolerance)
    needed = end.v / (1 + rate.v / 100) ** years
    reason = (f"{chk.detail} = {chk.recomputed_text}%（{years:g} 年）。要得到 {rate.text}%，起点应约为 "
              f"{needed:.0f} 亿美元。")
    return _from_fact(claim_id, rate, label, chk, reason, "cagr", (start.id, end.id))


def _years_between(start: _Fact, end: _Fact) -> int:
    ys = [int(m.group(0)) for f in (start, end) if (m := re.search(r"\d{4}", f.id))]
    if len(ys) != 2 or ys[1] <= ys[0]:
        raise MissingData(f"无法从 {start.id}、{end.id} 读出年份")
    return ys[1] - ys[0]


@_claim("ch4-intl-limit", 4)
def _intl_limit(ctx: _Context) -> Claim:
    n, each, total = (ctx.fact("ch4_stcsm_intl_projects_max"), ctx.fact("ch4_stcsm_intl_grant_per_project_max"),
                      ctx.fact("ch4_stcsm_intl_total_funding_max"))
    chk = check_product_limit([n.v, each.v], total.v, decimals=EXACT, factor_decimals=EXACT, tolerance=ctx.tolerance)
    return _from_fact("ch4-intl-limit", total, "政府间国际合作项目：项目数上限 × 单项上限 = 总经费上限", chk,
                      f"{n.text} 个 × {each.text} 万元 = {chk.recomputed_text} 万元。", "product", (n.id, each.id))


T13 = "table13_sh_ai_chips"


@_claim("ch4-t13-deepwell", 4)
def _deepwell(ctx: _Context) -> Claim:
    t13 = ctx.table(T13)
    hit = t13[(t13["developer"] == "西井科技") & t13["description"].str.contains("DeepWell", case=False)]
    chk = check_count(len(hit), 1, at_least=True, tolerance=ctx.tolerance)
    found = "、".join(f"{r.date} {r.product}" for r in hit.itertuples()) or "没有"
    return _make("ch4-t13-deepwell", ctx.location(T13), "正文提到的西井科技 DeepWell 芯片见于表格 13", 1.0, "1", "款",
                 chk, f"表格 13 中对应的行：{found}。", "count", (T13,))


T14 = "table14_sh_intelligent_vehicles"
_T14_NAMED = (("禾赛光电", "激光雷达"), ("纵目科技", "泊车"))


@_claim("ch4-t14-named", 4)
def _t14_named(ctx: _Context) -> Claim:
    t14 = ctx.table(T14)
    found = [(dev, word) for dev, word in _T14_NAMED
             if ((t14["developer"] == dev) & t14["product"].str.contains(word)).any()]
    chk = check_count(len(found), len(_T14_NAMED), tolerance=ctx.tolerance)
    missing = [f"{d}{w}" for d, w in _T14_NAMED if (d, w) not in found]
    reason = ("正文点名禾赛光电的激光雷达、纵目科技的自动泊车系统；" +
              ("两者表格 14 中都有。" if not missing else f"表格 14 中缺：{'、'.join(missing)}。"))
    return _make("ch4-t14-named", ctx.location(T14), "正文点名的智能运载产品见于表格 14", float(len(_T14_NAMED)),
                 str(len(_T14_NAMED)), "项", chk, reason, "count", (T14,))


# ----------------------------------------------------------------------------------------------- run_all
def _builders(ctx: _Context) -> list[tuple[str, int, _Builder]]:
    out: list[tuple[str, int, _Builder]] = []
    for claim_id, chapter, fn in _REGISTRY:
        out.append((claim_id, chapter, fn))
        if claim_id == "ch3-bj-sh-talent":  # 表格 8's fields come from the data, placed before this claim
            for i, name in enumerate(_t8_fields(ctx), start=1):
                out.insert(len(out) - 1, (f"ch3-t8-sum-{i}", 3, _t8_field(name, i)))
    return out


def build_claims(data_dir: str | os.PathLike[str] | None = None, tolerance: float | None = None) -> list[Claim]:
    """Every claim, checked against the data package in ``data_dir`` (report order, chapter by chapter).

    A claim whose inputs are missing from the package is kept as 无法核对 with the missing item named.
    """
    ctx = _Context(data_dir, tolerance)
    claims: list[Claim] = []
    for claim_id, chapter, fn in _builders(ctx):
        try:
            claims.append(fn(ctx))
        except (MissingData, DataError) as exc:
            message = exc.args[0] if isinstance(exc, MissingData) else str(exc).splitlines()[-1].strip()
            claims.append(Claim(claim_id, chapter, "", claim_id, None, "—", "", None, "—", UNCHECKABLE,
                                f"数据包缺少所需数据：{message}"))
    first_seen: dict[str, int] = {}
    for i, section in enumerate(ctx.facts["section"].astype(str)):
        first_seen.setdefault(section, i)
    # report order: chapter, then where the section first appears in facts (which follow the text);
    # the sort is stable, so claims of one section keep the order they are defined in
    return sorted(claims, key=lambda c: (c.chapter, first_seen.get(c.section, len(first_seen))))


COLUMNS = ("id", "chapter", "section", "location", "short_location", "claim", "stated", "stated_text", "unit", "recomputed",
           "recomputed_text", "status", "reason", "kind", "tolerance", "detail", "sources")


def run_all(data_dir: str | os.PathLike[str] | None = None, tolerance: float | None = None) -> pd.DataFrame:
    """All claims of the report, checked, as a DataFrame (one row per claim; columns :data:`COLUMNS`).

    ``tolerance`` (absolute, in each claim's own unit) replaces every checker's default rounding
    tolerance; ``None`` keeps the defaults described in the module docstring.
    """
    claims = build_claims(data_dir, tolerance)
    df = pd.DataFrame([c.as_row() for c in claims], columns=list(COLUMNS))
    ids = df["id"]
    if ids.duplicated().any():
        raise ValueError(f"duplicate claim ids: {sorted(ids[ids.duplicated()])}")
    return df


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Claims per status, every status of the vocabulary listed (zeros included)."""
    counts = df["status"].value_counts()
    return pd.DataFrame({"status": list(STATUSES), "count": [int(counts.get(s, 0)) for s in STATUSES]})


def by_kind(df: pd.DataFrame) -> pd.DataFrame:
    """Claims per check kind (Chinese label) and status: one row per kind, one column per status."""
    table = pd.crosstab(df["kind"].map(lambda k: KINDS.get(k, k)), df["status"])
    table = table.reindex(columns=list(STATUSES), fill_value=0)
    table = table.reindex([KINDS[k] for k in KINDS if KINDS[k] in table.index])
    table["合计"] = table.sum(axis=1)
    return table.rename_axis(None, axis=1).reset_index().rename(columns={"kind": "核对方法"})


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The reader-facing table: location, claim, stated and recomputed values (with units), status, reason."""
    df = df.reset_index(drop=True)
    return pd.DataFrame({
        "序号": range(1, len(df) + 1),
        "位置": df["short_location"],
        "说法（本书概括）": df["claim"],
        "报告数值": [with_unit(t, u) for t, u in zip(df["stated_text"], df["unit"], strict=True)],
        "复算值": [with_unit(t, u) for t, u in zip(df["recomputed_text"], df["unit"], strict=True)],
        "结论": df["status"],
        "说明": df["reason"],
    })
