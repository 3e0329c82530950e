"""Monthly releases of the Shanghai statistics bureau (《YYYY年M月工业生产情况》) as a drop-in format.

Analysts drop a release into ``<data_dir>/releases/`` as ``tjj-industrial-production-YYYY-MM.csv``, in
the layout the bureau publishes (one row per indicator)::

    indicator,unit,june_2019,june_growth_pct,jan_jun_2019,jan_jun_growth_pct[,source_title,source_url]

Chinese headers as on the bureau's page are accepted too (``指标,单位,6月,比去年同月增长(%),1-6月,
比去年同期增长(%)``). The month in the header must agree with the month in the file name. The file is
validated with frictionless against :data:`SCHEMA` (types, required cells, unique indicators, units) and
every problem is reported with file, line, column, value and expectation, like :func:`aibook.load`.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from aibook.data import DataError, Problem, check_dialect, check_text, list_folder, read_text
from aibook.paths import resolve_data_dir

RELEASE_DIR = "releases"
PATTERN = re.compile(r"^tjj-industrial-production-(\d{4})-(0[1-9]|1[0-2])\.csv$")
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december"]
CANONICAL = ["indicator", "unit", "month_value", "month_growth_pct", "cumulative_value", "cumulative_growth_pct"]
TITLES = {
    "indicator": "指标", "unit": "单位", "month_value": "当月", "month_growth_pct": "当月比去年同月增长（%）",
    "cumulative_value": "年初累计", "cumulative_growth_pct": "累计比去年同期增长（%）",
    "source_title": "来源标题", "source_url": "来源网址",
}
SCHEMA: dict[str, dict[str, Any]] = {
    "indicator": {"type": "string", "constraints": {"required": True, "unique": True}},
    "unit": {"type": "string", "constraints": {"required": True, "enum": ["亿元", "%"]}},
    "month_value": {"type": "number", "constraints": {"required": True, "minimum": 0}},
    "month_growth_pct": {"type": "number", "constraints": {"minimum": -100}},
    "cumulative_value": {"type": "number", "constraints": {"required": True, "minimum": 0}},
    "cumulative_growth_pct": {"type": "number", "constraints": {"minimum": -100}},
    "source_title": {"type": "string"},
    "source_url": {"type": "string", "constraints": {"pattern": r"https?://\S+"}},
}
#: Indicators a release must contain for chapter 3's industry section (same structure as 表格 6).
SIX_INDUSTRIES_TOTAL = "六个重点行业工业总产值"
SIX_INDUSTRIES = ["电子信息产品制造业", "汽车制造业", "石油化工及精细化工制造业", "精品钢材制造业", "成套设备制造业",
                  "生物医药制造业"]
ABOVE_SCALE = "规模以上工业总产值"


def release_path(period: str, data_dir: str | os.PathLike[str] | None = None) -> Path:
    return resolve_data_dir(data_dir) / RELEASE_DIR / f"tjj-industrial-production-{period}.csv"


def available_periods(data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Periods (``YYYY-MM``) for which a release file is present, oldest first."""
    found = (PATTERN.match(p.name) for p in list_folder(resolve_data_dir(data_dir) / RELEASE_DIR))
    return sorted(f"{m.group(1)}-{m.group(2)}" for m in found if m)


def _header_map(labels: list[str], month: int, year: int) -> dict[str, str]:
    """Map the file's header labels to canonical names; raise if they do not fit the period."""
    mon, name = MONTHS[month - 1], MONTH_NAMES[month - 1]
    english = {
        "indicator": ["indicator"], "unit": ["unit"],
        "month_value": [f"{mon}_{year}", f"{name}_{year}"],
        "month_growth_pct": [f"{mon}_growth_pct", f"{name}_growth_pct"],
        "cumulative_value": [f"jan_{mon}_{year}", f"jan_{name}_{year}"] if month > 1 else [f"jan_{year}"],
        "cumulative_growth_pct": [f"jan_{mon}_growth_pct", f"jan_{name}_growth_pct"],
    }
    chinese = {
        "indicator": ["指标"], "unit": ["单位"], "month_value": [f"{month}月"],
        "month_growth_pct": ["比去年同月增长(%)", "比去年同月增长（%）"],
        "cumulative_value": [f"1-{month}月", f"1—{month}月", f"1～{month}月"],
        "cumulative_growth_pct": ["比去年同期增长(%)", "比去年同期增长（%）"],
    }
    mapping: dict[str, str] = {}
    lowered = [label.strip().lower() for label in labels]
    for canon in CANONICAL:
        accepted = english[canon] + chinese[canon]
        hit = next((labels[i] for i, low in enumerate(lowered) if low in accepted), None)
        if hit is None:
            raise ValueError(f"column for {TITLES[canon]} missing: expected one of {accepted}")
        mapping[hit] = canon
    for extra in ("source_title", "source_url"):
        if extra in lowered:
            mapping[labels[lowered.index(extra)]] = extra
    unknown = [label for label in labels if label not in mapping]
    if unknown:
        raise ValueError(f"unexpected column(s) {unknown}; expected {list(mapping)}")
    return mapping


def load_release(period: str, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Validate and load the release for ``period`` (``YYYY-MM``) with canonical column names."""
    m = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", str(period))
    if not m:
        raise DataError(release_path(str(period), data_dir), f"period {period!r}: expected YYYY-MM")
    year, month = int(m.group(1)), int(m.group(2))
    path = release_path(period, data_dir)
    if not path.exists():
        have = ", ".join(available_periods(data_dir)) or "none"
        raise DataError(path, f"no release for {period} (available: {have})")
    text = read_text(path)
    check_dialect(path, text, 6)
    try:
        labels = [str(c) for c in pd.read_csv(io.StringIO(text), nrows=0, dtype=str).columns]
    except pd.errors.EmptyDataError:
        raise DataError(path, [Problem("file is empty: expected a header row and one row per indicator",
                                       line=1, kind="empty-file")]) from None
    try:
        mapping = _header_map(labels, month, year)
    except ValueError as exc:
        raise DataError(path, [Problem(f"header does not fit a {period} release: {exc}", line=1,
                                       kind="release-header")]) from None
    fields = [{"name": label, "title": TITLES[canon], **SCHEMA[canon]} for label, canon in mapping.items()]
    descriptor = {
        "name": path.stem, "path": path.name, "profile": "tabular-data-resource", "format": "csv",
        "encoding": "utf-8", "schema": {"fields": fields, "primaryKey": [labels[0]], "missingValues": [""]},
    }
    text = check_text(descriptor, path.parent, path, text)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""]).rename(columns=mapping)
    for col in ("month_value", "month_growth_pct", "cumulative_value", "cumulative_growth_pct"):
        df[col] = pd.to_numeric(df[col]).astype("float64")
    missing = [name for name in [SIX_INDUSTRIES_TOTAL, *SIX_INDUSTRIES, ABOVE_SCALE] if name not in set(df["indicator"])]
    if missing:
        raise DataError(path, [Problem(f"indicator(s) missing: {missing} (chapter 3 needs the six key industries, "
                                       f"their total and {ABOVE_SCALE})", column="indicator", kind="release-content")])
    source = df["source_title"].dropna().iloc[0] if "source_title" in df and df["source_title"].notna().any() else ""
    url = df["source_url"].dropna().iloc[0] if "source_url" in df and df["source_url"].notna().any() else ""
    df.attrs.update(period=period, path=str(path), month=month, year=year,
                    source_line=f"数据来源：{source or '上海市统计局月度工业生产情况'}" + (f"（{url}）" if url else ""))
    return df


def six_industries_table(release: pd.DataFrame) -> pd.DataFrame:
    """The release's six key industries in 表格 6's shape (indicator, level, value, growth_pct), cumulative."""
    rows = release.set_index("indicator")
    order = [SIX_INDUSTRIES_TOTAL, *SIX_INDUSTRIES]
    out = pd.DataFrame({
        "indicator": order,
        "level": ["total"] + ["component"] * len(SIX_INDUSTRIES),
        "value": [float(rows.at[name, "cumulative_value"]) for name in order],
        "growth_pct": [float(rows.at[name, "cumulative_growth_pct"]) for name in order],
    })
    month = release.attrs["month"]
    span = "1月" if month == 1 else f"1–{month}月"
    out.attrs.update(
        title=f"{release.attrs['year']}年{span}六个重点行业工业总产值及其增长速度（累计）",
        source_line=release.attrs["source_line"],
        titles={"indicator": "指标", "level": "层级", "value": f"{span}累计（亿元）", "growth_pct": "比去年同期增长（%）"},
        reference_year=release.attrs["period"],
    )
    return out
