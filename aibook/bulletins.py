"""Annual official releases as a drop-in format: ``<data_dir>/releases/bulletin-YYYY.csv``.

One file holds the numbers of one official annual publication for year ``YYYY`` — the statistics
bureau's 统计公报, the economic commission's annual 工业经济运行报告, the development commission's
计划执行情况报告 … — one row per indicator::

    indicator,industry,basis,unit,value_qualifier,value,growth_pct,source_type,source_title,source_url,quote

``industry`` and ``value_qualifier`` may be left out of the header; every other column is required.
``indicator``/``industry``/``basis`` use the vocabulary of ``external_sh_stats`` (so a row lands in the
right series of appendix C), ``unit`` is the unit as printed and must be one of
:data:`aibook.series.CONVERSIONS`, ``value_qualifier`` is ``>`` or ``>=`` for "超过" figures.

A file is checked with frictionless against :func:`schema` and then row by row:

* a row has a value, a growth rate or both, and a value has a unit;
* ``source_type`` is ``official`` (a ``gov.cn`` host) or ``news_agency`` (``xinhuanet.com``/``news.cn``):
  reposts and mirrors are not sources, so the URL's host must match the declared type;
* the quote contains every number of the row as printed (thousands separators aside), so that a
  typo or an invented number cannot pass unnoticed;
* an indicator (with its industry and basis) appears once.

Every problem is a :class:`aibook.data.Problem` with line, column, value and expectation, raised together
as one :class:`aibook.data.DataError` naming the file, as :func:`aibook.load` does. The folder is listed
with :func:`aibook.data.list_folder`, so a new file makes the build re-execute the notebook that reads it.
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
from aibook.series import CONVERSIONS, SOURCE_HOSTS, host_matches, number_in_quote

BULLETIN_DIR = "releases"
PATTERN = re.compile(r"^bulletin-(\d{4})\.csv$")
REQUIRED = ["indicator", "basis", "unit", "value", "growth_pct", "source_type", "source_title", "source_url",
            "quote"]
OPTIONAL = ["industry", "value_qualifier"]
COLUMNS = ["indicator", "industry", "basis", "unit", "value_qualifier", "value", "growth_pct", "source_type",
           "source_title", "source_url", "quote"]
TITLES = {
    "indicator": "指标", "industry": "行业", "basis": "统计口径", "unit": "单位（原文）",
    "value_qualifier": "数值限定（> 或 >=）", "value": "数值", "growth_pct": "比上年增长（%）",
    "source_type": "来源性质", "source_title": "来源标题", "source_url": "来源网址", "quote": "原文引文",
}


def schema() -> dict[str, dict[str, Any]]:
    """The Table Schema field of each column (types and constraints checked by frictionless)."""
    return {
        "indicator": {"type": "string", "constraints": {"required": True}},
        "industry": {"type": "string"},
        "basis": {"type": "string", "constraints": {"required": True}},
        "unit": {"type": "string", "constraints": {"enum": sorted(CONVERSIONS)}},
        "value_qualifier": {"type": "string", "constraints": {"enum": [">", ">="]}},
        "value": {"type": "number", "constraints": {"minimum": 0}},
        "growth_pct": {"type": "number", "constraints": {"minimum": -100}},
        "source_type": {"type": "string", "constraints": {"required": True, "enum": sorted(SOURCE_HOSTS)}},
        "source_title": {"type": "string", "constraints": {"required": True}},
        "source_url": {"type": "string", "constraints": {"required": True, "pattern": r"https?://\S+"}},
        "quote": {"type": "string", "constraints": {"required": True}},
    }


def bulletin_path(year: int, data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the bulletin for ``year`` lives (whether or not it exists)."""
    return resolve_data_dir(data_dir) / BULLETIN_DIR / f"bulletin-{int(year)}.csv"


def available_years(data_dir: str | os.PathLike[str] | None = None) -> list[int]:
    """Years for which a bulletin file is present, oldest first (the listing is recorded as an input)."""
    found = (PATTERN.match(p.name) for p in list_folder(resolve_data_dir(data_dir) / BULLETIN_DIR))
    return sorted(int(m.group(1)) for m in found if m)


def _header(path: Path, labels: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in labels]
    unknown = [c for c in labels if c not in COLUMNS]
    dup = sorted({c for c in labels if labels.count(c) > 1})
    problems = []
    if missing:
        problems.append(Problem(f"column(s) {missing} missing; expected columns: {', '.join(COLUMNS)}", line=1,
                                kind="bulletin-header"))
    if unknown:
        problems.append(Problem(f"unexpected column(s) {unknown}; expected columns: {', '.join(COLUMNS)}", line=1,
                                kind="bulletin-header"))
    if dup:
        problems.append(Problem(f"duplicated column(s) {dup}", line=1, kind="bulletin-header"))
    if problems:
        raise DataError(path, problems)


def _col(name: str) -> str:
    """A column as frictionless names it in messages: ``value (数值)``."""
    return f"{name} ({TITLES[name]})"


def _row_problems(raw: pd.DataFrame) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], int] = {}
    for i, row in enumerate(raw.to_dict("records")):
        line = i + 2

        def cell(col: str, _row: dict[str, Any] = row) -> str:
            v = _row.get(col)
            return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip()

        value, growth, unit = cell("value"), cell("growth_pct"), cell("unit")
        if not value and not growth:
            problems.append(Problem("a row needs a value, a growth rate or both", line=line, column=_col("value"),
                                    kind="bulletin-empty"))
        if value and not unit:
            problems.append(Problem(f"a value needs its unit as printed (one of {sorted(CONVERSIONS)})", line=line,
                                    column=_col("unit"), kind="bulletin-unit"))
        if cell("value_qualifier") and not value:
            problems.append(Problem("a qualifier (> or >=) needs a value", line=line, column=_col("value_qualifier"),
                                    value=cell("value_qualifier"), kind="bulletin-qualifier"))
        stype, url = cell("source_type"), cell("source_url")
        if stype in SOURCE_HOSTS and url and not host_matches(stype, url):
            allowed = ", ".join(SOURCE_HOSTS[stype])
            problems.append(Problem(f"a source of type {stype} must be on {allowed} (reposts and mirrors are not sources)",
                                    line=line, column=_col("source_url"), value=url, kind="bulletin-source"))
        quote = cell("quote")
        for col, number in (("value", value), ("growth_pct", growth)):
            if number and not number_in_quote(number, quote):
                problems.append(Problem(f"the quote must contain the number as printed ({number})", line=line,
                                        column=_col(col), value=number, kind="bulletin-quote"))
        key = (cell("indicator"), cell("industry"), cell("basis"))
        if key in seen:
            problems.append(Problem(f"indicator listed twice (first on line {seen[key]})", line=line,
                                    column=_col("indicator"), value=" / ".join(k for k in key if k),
                                    kind="bulletin-duplicate"))
        else:
            seen[key] = line
    return problems


def load_bulletin(year: int, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Validate and load the bulletin of ``year``: canonical columns, numbers as floats, ``year`` added.

    ``df.attrs`` carries ``path``, ``year``, the source title(s) and a ``source_line`` for captions.
    """
    path = bulletin_path(year, data_dir)
    if not path.exists():
        have = ", ".join(str(y) for y in available_years(data_dir)) or "none"
        raise DataError(path, f"no bulletin for {year} (available: {have})")
    text = read_text(path)
    check_dialect(path, text, 5)
    try:
        labels = [str(c).strip() for c in pd.read_csv(io.StringIO(text), nrows=0, dtype=str).columns]
    except pd.errors.EmptyDataError:
        raise DataError(path, [Problem("file is empty: expected a header row and one row per indicator", line=1,
                                       kind="empty-file")]) from None
    _header(path, labels)
    spec = schema()
    fields = [{"name": name, "title": TITLES[name], **spec[name]} for name in labels]
    descriptor = {
        "name": path.stem, "path": path.name, "profile": "tabular-data-resource", "format": "csv",
        "encoding": "utf-8", "schema": {"fields": fields, "missingValues": [""]},
    }
    text = check_text(descriptor, path.parent, path, text)
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    if raw.empty:
        raise DataError(path, [Problem("expected at least one data row after the header", line=2, kind="no-data")])
    problems = _row_problems(raw)
    if problems:
        raise DataError(path, problems[:20], total=len(problems))
    df = raw.reindex(columns=COLUMNS)
    for col in ("value", "growth_pct"):
        df[col] = pd.to_numeric(df[col]).astype("float64")
    df.insert(0, "year", int(year))
    df.insert(0, "id", [f"bulletin-{int(year)}:{i + 2}" for i in range(len(df))])
    titles = list(dict.fromkeys(df["source_title"]))
    df.attrs.update(path=str(path), year=int(year), source_titles=titles,
                    source_line="数据来源：" + "；".join(titles))
    return df


def load_all(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every bulletin in the folder, in the layout of ``external_sh_stats`` (empty frame when there is none)."""
    frames = [load_bulletin(year, data_dir) for year in available_years(data_dir)]
    if not frames:
        out = pd.DataFrame(columns=["id", "year", *COLUMNS])
        out.attrs.update(years=[], paths=[], source_titles=[], source_line="")
        return out
    out = pd.concat(frames, ignore_index=True)
    titles = list(dict.fromkeys(t for f in frames for t in f.attrs["source_titles"]))
    out.attrs.update(years=[int(f.attrs["year"]) for f in frames], paths=[f.attrs["path"] for f in frames],
                     source_titles=titles, source_line="数据来源：" + "；".join(titles))
    return out
