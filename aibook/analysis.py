"""Small computations the chapters share (sums against printed totals, implied totals, counts)."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from aibook import names
from aibook.data import DataError, load

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


def scenario_points(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The 47 demand points of 表格 11–12 with their harmonized scenario ``category``.

    The mapping (AI+学校 → 教育, AI+医院 → 医疗, AI+工厂 → 制造业 …) is the data resource
    ``ch4_scenario_type_map``; a printed type missing from it is a DataError, not a silent gap.
    """
    points = load(names.SCENARIO_POINTS, data_dir)
    mapping = load(names.SCENARIO_TYPE_MAP, data_dir).set_index("scenario_type")["category"]
    unmapped = sorted(set(points["scenario_type"]) - set(mapping.index))
    if unmapped:
        raise DataError(mapping.attrs.get("path", names.SCENARIO_TYPE_MAP),
                        f"scenario type(s) {unmapped} have no category in the mapping")
    out = points.assign(category=points["scenario_type"].map(mapping))
    out.attrs.update(points.attrs)
    return out


def city_shares(cities: pd.DataFrame, national: str = "全国") -> pd.DataFrame:
    """Each city's share of the national total per sample: as published, or computed from firm counts.

    ``cities`` is the ``external_ai_city_shares`` resource (rows of ``measure`` count or share_pct per
    sample). A share is computed only where the sample gives both the city's count and the national count
    and no published share; ``computed`` says which.
    """
    given = cities[cities["measure"] == "share_pct"]
    out = [given.assign(share=given["value"], computed=False)]
    counts = cities[cities["measure"] == "count"]
    totals = counts[counts["city"] == national].set_index("sample_id")["value"]
    have = set(zip(given["sample_id"], given["city"], strict=True))
    own = counts[(counts["city"] != national) & counts["sample_id"].isin(totals.index)]
    own = own[[(s, c) not in have for s, c in zip(own["sample_id"], own["city"], strict=True)]]
    out.append(own.assign(share=own["value"] / own["sample_id"].map(totals) * 100, computed=True))
    return pd.concat(out, ignore_index=True)[["city", "sample_id", "sample", "share", "computed"]]


def with_canonical(orgs: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """``orgs`` with a ``canonical`` column: the name an organisation's box shows (``org_aliases``; else as printed)."""
    mapping = aliases.set_index("organization")["canonical"]
    return orgs.assign(canonical=orgs["organization"].map(mapping).fillna(orgs["organization"]))


def map_boxes(orgs: pd.DataFrame, aliases: pd.DataFrame, figure: int) -> pd.DataFrame:
    """One row per box of the industry map 图表 ``figure``: each organisation (after the aliases) once.

    The box stands in the segment of the organisation's named products or cases (the most often named; ties and
    organisations without a named item: the first mention); the other segments it appears in are listed. A name
    the aliases mark as a probable misprint keeps its printed form, with the suspected name beside it.
    """
    sub = with_canonical(orgs[orgs["figure"] == figure], aliases)
    by_name = aliases.set_index("organization")
    rows = []
    for name, g in sub.groupby("canonical", sort=False):
        named = g[g["named_item"].notna()]
        segment = (named if len(named) else g.iloc[:1]).groupby("segment", sort=False).size().idxmax()
        alias = by_name[by_name["canonical"] == name]
        suspected = alias["suspected"].dropna()
        label = name + (f"（疑为{suspected.iloc[0]}）" if len(suspected) else "")
        printed = list(dict.fromkeys(g["organization"]))
        rows.append({
            "环节": segment,
            "机构（框内名称）": label,
            "原文写法": "、".join(printed) if printed != [label] else "",
            "提及次数": len(g),
            "另见环节": "、".join(s for s in dict.fromkeys(g["segment"]) if s != segment),
            "说明": "；".join(alias["note"].dropna()),
        })
    order = [s for s in dict.fromkeys(sub["segment"]) if s in {r["环节"] for r in rows}]
    boxes = pd.DataFrame(rows)
    return boxes.sort_values("环节", key=lambda s: s.map(order.index), kind="stable").reset_index(drop=True)


def period_text(when: object) -> str:
    """The reference period of a fact (``facts.year``) as the prose writes it, spaced by the book's rule:
    ``2018`` → 2018 年, ``2018-11`` → 2018 年 11 月, ``2019-Q1`` → 2019 年一季度, and a span within one year
    ``2019-01/2019-06`` → 2019 年 1—6 月."""
    from aibook.nb import cn_date
    from aibook.tables import spaced

    text = str(when).strip()
    start, sep, end = text.partition("/")
    if not sep:
        return spaced(cn_date(text))
    (y0, m0), (y1, m1) = start.split("-")[:2], end.split("-")[:2]
    if y0 != y1:
        raise ValueError(f"facts.year {text!r}: a span must lie within one year (expected YYYY-MM/YYYY-MM)")
    return spaced(f"{int(y0)}年{int(m0)}—{int(m1)}月")


#: The fewest organisations an industry map (图表 6–22) is drawn with. With fewer, a map of two or three boxes would tell
#: the reader that the sector's ecosystem has two or three members: the book lists them instead (:func:`org_list`).
MIN_MAP_ORGS = 4


def drawn_as_map(boxes: pd.DataFrame) -> bool:
    """Whether the boxes of an industry map (:func:`map_boxes`) name enough organisations (:data:`MIN_MAP_ORGS`) to
    be drawn as a map; if not, the book shows :func:`org_list`."""
    return int(boxes["机构（框内名称）"].nunique()) >= MIN_MAP_ORGS


def org_list(orgs: pd.DataFrame, aliases: pd.DataFrame, figure: int) -> pd.DataFrame:
    """The short list that stands for an industry map with too few organisations: one row per organisation (as
    :func:`map_boxes` boxes them), its segment, the products or cases the report names and the report's words."""
    sub = with_canonical(orgs[orgs["figure"] == figure], aliases)
    rows = []
    for box in map_boxes(orgs, aliases, figure).itertuples(index=False):
        own = sub[sub["canonical"] == box[1].split("（疑为")[0]]
        rows.append({
            "机构": box[1],
            "环节": box[0],
            "点名的产品或案例": "、".join(dict.fromkeys(own["named_item"].dropna())),
            "报告原文": "；".join(dict.fromkeys(own["quote"].dropna())),
        })
    return pd.DataFrame(rows, columns=["机构", "环节", "点名的产品或案例", "报告原文"])


#: The 16 districts of Shanghai (since 2016, when 闸北 merged into 静安), for counting where points fall.
SH_DISTRICTS = ("黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区", "嘉定区",
                "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区")
#: what the book assigns to points it cannot place in one district
UNPLACED = ("市级", "未知")


def district_rules(points: pd.DataFrame) -> dict[str, pd.Series]:
    """Four ways of placing the demand points in districts (图表 23): the book's, and three simple variants.

    Only printed addresses count; the unknown count as city-level; a row naming several units (“、”) counts
    once per unit.
    """
    units = points.loc[points.index.repeat(points["scenario_name"].str.count("、") + 1)]
    return {"本书判定（图表 23）": points["district"],
            "只认表中印出的地址": points["district"].where(points["district_basis"] == "地址", "未知"),
            "无法确定的也计为市级": points["district"].replace("未知", "市级"),
            "一行列出几家单位就计几个点": units["district"]}


def district_tally(district: pd.Series, stated: Mapping[str, float]) -> dict[str, Any]:
    """One placement in the report's terms: the districts it names, the range over the others, and whether all
    of it matches (every named count, nothing unknown, every other district with 1–2 points)."""
    n = district.value_counts()
    rest = n[[d for d in n.index if d not in stated and d != "未知"]]
    same = (all(n.get(d, 0) == v for d, v in stated.items()) and n.get("未知", 0) == 0
            and bool(rest.between(1, 2).all()))
    return {**{d: int(n.get(d, 0)) for d in stated}, "其他各区": f"{rest.min()}-{rest.max()}",
            "未知": int(n.get("未知", 0)), "合计": int(n.sum()), "与报告相符": same}


def reassignments(points: pd.DataFrame, stated: Mapping[str, float]) -> dict[str, int]:
    """How the unplaced points would have to move to give the report's 徐汇, 浦东 and 市级 counts.

    ``choices`` counts the ways to keep the stated number city-level and send the missing ones to 徐汇 and 浦东.
    """
    movable = points["district"].isin(UNPLACED)
    fixed = points.loc[~movable, "district"].value_counts()
    m = int(movable.sum())
    need_xh = int(stated["徐汇区"] - fixed.get("徐汇区", 0))
    need_pd = int(stated["浦东新区"] - fixed.get("浦东新区", 0))
    keep = int(stated["市级"])
    return {"movable": m, "need_xuhui": need_xh, "need_pudong": need_pd,
            "huangpu_fixed": int(fixed.get("黄浦区", 0)),
            "choices": math.comb(m, keep) * math.comb(m - keep, need_xh) * math.comb(m - keep - need_xh, need_pd)}
