"""What a claim's check reads: the data package, loaded lazily, with the report's facts as :class:`Fact`.

One :class:`Context` serves a whole run: each resource is validated and loaded once, whichever claims use it.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

import pandas as pd

from aibook import arith, names
from aibook.analysis import scenario_points
from aibook.arith import decimals_of
from aibook.audit.checks import MissingData
from aibook.data import facts, load, resource_info
from aibook.series import ACCEPTED, CONVERSIONS, verified

#: Chapter numbers as the book names them.
CHAPTERS = {0: "前言", 1: "第一章", 2: "第二章", 3: "第三章", 4: "第四章", 5: "第五章"}
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


@dataclass(frozen=True)
class Fact:
    """One number of the report's prose (a row of ``facts``), with how it is printed and where."""

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
        """The value; MissingData (the claim becomes 无法核对) when the fact has none."""
        if self.value is None:
            raise MissingData(f"fact {self.id} has no numeric value")
        return self.value


class Context:
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
        """Resource ``name``, validated (DataError) and loaded once per run."""
        if name not in self._tables:
            self._tables[name] = load(name, self.data_dir)
        return self._tables[name]

    def components(self, table: str) -> tuple[pd.Series, pd.DataFrame]:
        """The total row and the component rows of 表格 6 or 7 (MissingData unless there is exactly one total)."""
        try:
            return arith.components(self.table(table))
        except ValueError:
            raise MissingData(f"{table} 应有且只有一行合计") from None

    def fact(self, fact_id: str) -> Fact:
        """Fact ``fact_id``; MissingData when the package has no such fact."""
        if fact_id not in self.facts.index:
            raise MissingData(f"facts 中没有 {fact_id}")
        row = self.facts.loc[fact_id]
        value = None if pd.isna(row["value"]) else float(row["value"])
        return Fact(fact_id, value, str(row["value_text"]), "" if pd.isna(row["unit"]) else str(row["unit"]),
                     int(row["chapter"]), str(row["section"]),
                     "" if pd.isna(row["qualifier"]) else str(row["qualifier"]), str(row["quote"]))

    def row(self, table: str, column: str, value: str) -> pd.Series:
        """The first row of ``table`` whose ``column`` is ``value``; MissingData when there is none."""
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
        """A value of ``external_sh_stats`` in the report's unit (亿元, 万TEU, %): value, decimals, source.

        Only rows of accepted standing (official publications, national news agencies) count: a repost or mirror
        is a lead, never a source, so a number found only there is missing (the claim becomes 无法核对).
        """
        df = verified(self.table(names.SH_STATS))  # a source row counts once its page was re-opened
        rows = df[(df["indicator"] == indicator) & (df["year"] == year) & df[field].notna()
                  & df["source_type"].isin(ACCEPTED)]
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
