"""Time: policy timelines, first-strategy timelines and the small multiples of the time-series appendix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from aibook.style import MARKERS, readable


def _shorten(text: str, width: int) -> str:
    text = text.strip("《》")
    return text if len(text) <= width else text[: width - 1] + "…"


def timeline(df: pd.DataFrame, date: str, lane: str, label: str, *, title: str = "",
             lane_order: Sequence[str] | None = None, max_label: int = 26) -> Figure:
    """Events on a time axis: one row per event (oldest on top), coloured by ``lane``.

    ``date`` holds ``YYYY-MM`` strings; long labels are shortened to ``max_label`` characters.
    """
    data = df.copy()
    data["_t"] = pd.to_datetime(data[date].astype(str) + "-01", format="%Y-%m-%d")
    lanes = list(lane_order) if lane_order is not None else list(dict.fromkeys(data[lane]))
    data = data.sort_values(["_t", lane], kind="stable").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(10, 0.36 * len(data) + 1.4), layout="constrained")
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, name in enumerate(lanes):
        sub = data[data[lane] == name]
        ax.scatter(sub["_t"], sub.index, s=55, color=palette[i % len(palette)], marker=MARKERS[i % len(MARKERS)],
                   zorder=3, label=name)
    ax.hlines(data.index, data["_t"].min(), data["_t"], color="#dddddd", linewidth=0.8, zorder=1)
    ax.set_yticks(data.index, [_shorten(str(t), max_label) for t in data[label]], fontsize=8.5)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y年"))
    ax.set_xlim(data["_t"].min() - pd.Timedelta(days=75), data["_t"].max() + pd.Timedelta(days=75))
    fig.legend(*ax.get_legend_handles_labels(), frameon=False, fontsize=9, loc="outside lower center",
               ncol=min(3, len(lanes)))
    if title:
        ax.set_title(title, loc="left")
    return fig


def _to_date(values: pd.Series) -> pd.Series:
    """``YYYY-MM`` or ``YYYY-MM-DD`` strings to timestamps (a month means its first day)."""
    text = values.astype("string")
    full = text.where(text.str.len() > 7, text + "-01")
    return pd.to_datetime(full, format="%Y-%m-%d")


def strategy_timeline(df: pd.DataFrame, *, entity: str = "country_region", date: str = "date",
                      alt: str = "date_alt", first: str = "first_strategy", title: str = "",
                      cutoff: str | None = None, cutoff_label: str = "",
                      first_label: str = "首份战略文件", later_label: str = "后续文件") -> Figure:
    """One row per country/region (ordered by its first document): a large dot for the first strategy,
    small dots for later documents, and a hollow marker joined by a line where a source gives another date.
    ``first_label``/``later_label`` name the two kinds of dots in the legend.
    """
    data = df.copy()
    data["_t"] = _to_date(data[date])
    data["_alt"] = _to_date(data[alt].dropna()).reindex(data.index)
    order = data[data[first]].sort_values(["_t", entity])[entity].tolist()
    row = {name: i for i, name in enumerate(order)}
    data["_y"] = data[entity].map(row)
    fig, ax = plt.subplots(figsize=(9, 0.27 * len(order) + 1.6), layout="constrained")
    firsts = data[data[first]]
    later = data[~data[first]]
    ax.hlines(firsts["_y"], firsts["_t"], data["_t"].max(), color="#e3e3e3", linewidth=0.8, zorder=1)
    ax.scatter(firsts["_t"], firsts["_y"], s=42, color="#1f4e79", zorder=3, label=first_label)
    ax.scatter(later["_t"], later["_y"], s=18, color="#5b9bd5", zorder=3, label=later_label)
    conflicts = data[data["_alt"].notna()]
    for _, r in conflicts.iterrows():
        ax.plot([r["_t"], r["_alt"]], [r["_y"], r["_y"]], color="#c0504d", linewidth=1.2, zorder=2)
    if len(conflicts):  # no legend entry for a marker the figure does not show
        ax.scatter(conflicts["_alt"], conflicts["_y"], s=36, facecolors="none", edgecolors="#c0504d", zorder=4,
                   label="来源给出的另一日期")
    if cutoff:
        t = _to_date(pd.Series([cutoff])).iloc[0]
        ax.axvline(t, color="#888888", linestyle="--", linewidth=1)
        ax.text(t, -0.8, cutoff_label, fontsize=8, ha="right", va="bottom", color="#555555")
    ax.set_yticks(range(len(order)), order, fontsize=8.5)
    ax.set_ylim(len(order) - 0.4, -1.2)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y年"))
    fig.legend(*ax.get_legend_handles_labels(), frameon=False, fontsize=9, loc="outside lower center", ncol=3)
    if title:
        ax.set_title(title, loc="left")
    return fig


def series_panels(table: pd.DataFrame, catalog: pd.DataFrame, report_points: Mapping[str, tuple[int, float]],
                *, ncols: int = 2, title: str = "") -> Figure:
    """Small multiples, one panel per ``catalog.panel``; each basis its own line, never joined to another.

    Missing years break the line and are marked by a grey × on the axis (gaps stay gaps, nothing is
    interpolated); lower bounds ("超过 x") are hollow triangles; news-agency values are drawn hollow; the
    report's own value (``report_points[series_id] = (year, value)``) is a red star; where a panel changes
    basis a dotted vertical line marks the break.
    """
    import matplotlib.pyplot as plt

    panels = list(dict.fromkeys(catalog["panel"]))
    nrows = -(-len(panels) // ncols)
    first, last = int(table["year"].min()), int(table["year"].max())
    fig, axes = plt.subplots(nrows, ncols, figsize=(10, 2.55 * nrows + 0.8), layout="constrained", squeeze=False)
    colors = ["#1f4e79", "#7f6000", "#38761d"]
    styles = ["-", "--", "-."]
    for ax, panel in zip(axes.flat, panels, strict=False):
        specs = catalog[catalog["panel"] == panel].to_dict("records")
        unit = specs[0]["unit"]
        any_value = False
        for k, spec in enumerate(specs):
            s = table[table["series_id"] == spec["series_id"]]
            exact = s["value"].where(~s["lower_bound"] & (s["source_type"] == "official"))
            label = "官方数值" if len(specs) == 1 else f"官方数值：{spec['basis']}"
            ax.plot(s["year"], s["value"].where(~s["lower_bound"]), linestyle=styles[k % 3], color=colors[k % 3],
                    linewidth=1.4)
            ax.plot(s["year"], exact, linestyle="none", marker="o", markersize=4.5, color=colors[k % 3], label=label)
            news = s[(s["source_type"] == "news_agency") & ~s["lower_bound"]]
            if len(news):
                ax.scatter(news["year"], news["value"], marker="o", facecolors="white", edgecolors=colors[k % 3],
                           zorder=3, label="通讯社数值（无官方页面）")
            bounds = s[s["lower_bound"]]
            if len(bounds):
                ax.scatter(bounds["year"], bounds["value"], marker="^", facecolors="none", edgecolors=colors[k % 3],
                           zorder=3, label="下限（原文为“超过”）")
            missing = s[s["n_sources"] == 0]
            ax.scatter(missing["year"], [0.02] * len(missing), marker="x", s=18, color="#767676", zorder=2,
                       transform=ax.get_xaxis_transform(), clip_on=False, label="空缺（无来源数值）")
            any_value = any_value or bool((s["n_sources"] > 0).any())
            point = report_points.get(spec["series_id"])
            if point is not None:
                ax.scatter([point[0]], [point[1]], marker="*", s=140, color="#c0504d", zorder=4, label="报告所载")
                any_value = True
            if k:
                ax.axvline(int(spec["first_year"]) - 0.5, color="#555555", linestyle=":", linewidth=1,
                           label="口径变化（不拼接）")
        if not any_value:
            ax.text(0.5, 0.5, "没有找到官方数值", transform=ax.transAxes, ha="center", va="center", fontsize=9,
                    color=readable("#777777"))
            ax.set_yticks([])
        ax.set_title(f"{panel}（{unit}）", loc="left", fontsize=10)
        ax.set_xlim(first - 0.6, last + 0.6)
        years = list(range(first, last + 1))
        ax.set_xticks(years, [str(y) if i % 2 == 0 else str(y)[2:] for i, y in enumerate(years)], fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    handles: dict[str, Any] = {}
    for ax in axes.flat:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, h)
    fig.legend(list(handles.values()), list(handles), frameon=False, fontsize=8.5, loc="outside lower center",
               ncol=min(4, len(handles)))
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    return fig
