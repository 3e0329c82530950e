"""Figure builders shared by the chapters. Each takes tidy data and returns a matplotlib Figure.

Call :func:`aibook.style.use_book_style` first (``aibook.nb.setup()`` does) so Chinese labels render.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

GROWTH_COLORS = ("#c0504d", "#4f81bd")  # decline, growth


def bar_with_growth(df: pd.DataFrame, label: str, value: str, growth: str, *, title: str = "",
                    value_unit: str = "亿元", xlabel: str = "", show_growth: bool = True) -> Figure:
    """Horizontal bars of ``value`` per ``label``, coloured by the sign of ``growth`` and annotated with it.

    With ``show_growth=False`` the bars are one colour and only the values are written.
    """
    data = df.sort_values(value)
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(data) + 1.2), layout="constrained")
    colors = [GROWTH_COLORS[int(g >= 0)] if show_growth else GROWTH_COLORS[1] for g in data[growth]]
    ax.barh(data[label], data[value], color=colors)
    span = float(data[value].max())
    for y, (v, g) in enumerate(zip(data[value], data[growth], strict=True)):
        text = f"{v:,.2f} {value_unit}（{g:+.1f}%）" if show_growth else f"{v:,.0f} {value_unit}"
        ax.text(v + span * 0.01, y, text, va="center", fontsize=9)
    ax.set_xlim(0, span * 1.35)
    ax.set_xlabel(xlabel or value_unit)
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title, loc="left")
    if show_growth:
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in GROWTH_COLORS[::-1]]
        ax.legend(handles, ["比上年增长", "比上年下降"], loc="lower right", frameon=False, fontsize=9)
    return fig


def share_heatmap(df: pd.DataFrame, row: str, col: str, value: str, *, title: str = "",
                  row_order: Sequence[str] | None = None, col_order: Sequence[str] | None = None,
                  fmt: str = ".1f", unit: str = "%") -> Figure:
    """Annotated heatmap of ``value`` (e.g. city × field shares)."""
    import seaborn as sns

    grid = df.pivot(index=row, columns=col, values=value)
    if row_order is not None:
        grid = grid.loc[list(row_order)]
    if col_order is not None:
        grid = grid[list(col_order)]
    grid.columns = [str(c).replace(" ", "\n") for c in grid.columns]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(grid) + 1.6), layout="constrained")
    sns.heatmap(grid, annot=True, fmt=fmt, cmap="Blues", cbar_kws={"label": unit}, linewidths=0.5, ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", labelrotation=0, labelsize=9)
    ax.tick_params(axis="y", labelrotation=0)
    if title:
        ax.set_title(title, loc="left")
    return fig


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
        ax.scatter(sub["_t"], sub.index, s=55, color=palette[i % len(palette)], zorder=3, label=name)
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


def _shorten(text: str, width: int) -> str:
    text = text.strip("《》")
    return text if len(text) <= width else text[: width - 1] + "…"


def _count_grid(counts: pd.DataFrame, category: str, group: str, value: str) -> pd.DataFrame:
    """Category × group sums in the order :func:`count_bars` draws them (bottom bar first)."""
    grid = counts.pivot_table(index=category, columns=group, values=value, aggfunc="sum", fill_value=0)
    grid = grid[list(dict.fromkeys(counts[group]))]  # groups in order of appearance, not alphabetical
    return grid.loc[grid.sum(axis=1).sort_values().index]


def count_table(counts: pd.DataFrame, category: str, group: str, value: str = "count",
                total: str = "合计") -> pd.DataFrame:
    """The numbers :func:`count_bars` draws, as a table: one row per bar (top bar first), one column per group
    and the bar's ``total``."""
    grid = _count_grid(counts, category, group, value).iloc[::-1]
    grid.columns = [str(c) for c in grid.columns]
    return grid.assign(**{total: grid.sum(axis=1)}).reset_index()


def count_bars(counts: pd.DataFrame, category: str, group: str, value: str = "count", *, title: str = "",
               xlabel: str = "个数") -> Figure:
    """Stacked horizontal bars of counts per ``category``, split by ``group`` (e.g. batch)."""
    grid = _count_grid(counts, category, group, value)
    fig, ax = plt.subplots(figsize=(7.5, 0.38 * len(grid) + 1.4), layout="constrained")
    left = np.zeros(len(grid))
    for col in grid.columns:
        ax.barh(grid.index, grid[col], left=left, label=str(col))
        left += grid[col].to_numpy()
    for y, total in enumerate(left):
        ax.text(total + 0.1, y, f"{int(total)}", va="center", fontsize=9)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, fontsize=9, loc="lower right")
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
                      cutoff: str | None = None, cutoff_label: str = "") -> Figure:
    """One row per country/region (ordered by its first document): a large dot for the first strategy,
    small dots for later documents, and a hollow marker joined by a line where a source gives another date.
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
    ax.scatter(firsts["_t"], firsts["_y"], s=42, color="#1f4e79", zorder=3, label="首份战略文件")
    ax.scatter(later["_t"], later["_y"], s=18, color="#5b9bd5", zorder=3, label="后续文件")
    conflicts = data[data["_alt"].notna()]
    for _, r in conflicts.iterrows():
        ax.plot([r["_t"], r["_alt"]], [r["_y"], r["_y"]], color="#c0504d", linewidth=1.2, zorder=2)
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


def dot_compare(df: pd.DataFrame, value: str, label: str, hue: str, *, title: str = "", xlabel: str = "",
                hue_order: Sequence[str] | None = None, annotate: Sequence[str] | None = None,
                wrap: int = 24) -> Figure:
    """Dots of ``value`` per ``label`` row, coloured by ``hue`` (e.g. a city's share in different samples).

    Values are written next to the dots of the ``annotate`` hues (default: all); labels wrap at ``wrap``.
    """
    labels = list(dict.fromkeys(df[label]))
    hues = list(hue_order) if hue_order is not None else list(dict.fromkeys(df[hue]))
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    fig, ax = plt.subplots(figsize=(10, 0.5 * len(labels) + 1.6), layout="constrained")
    y = {name: i for i, name in enumerate(labels)}
    shown = set(hues if annotate is None else annotate)
    for i, h in enumerate(hues):
        sub = df[df[hue] == h]
        ax.scatter(sub[value], sub[label].map(y), s=60, color=palette[i % len(palette)], label=h, zorder=3)
        if h in shown:
            for v, lab in zip(sub[value], sub[label], strict=True):
                below = i % 2 == 1  # alternate above/below so that close values stay readable
                ax.annotate(f"{v:.1f}", (v, y[lab]), xytext=(0, -13 if below else 6), textcoords="offset points",
                            ha="center", fontsize=7.5)
    wrapped = ["\n".join(str(t)[i:i + wrap] for i in range(0, len(str(t)), wrap)) for t in labels]
    ax.set_yticks(range(len(labels)), wrapped, fontsize=8.5)
    ax.set_ylim(len(labels) - 0.5, -0.6)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    fig.legend(*ax.get_legend_handles_labels(), frameon=False, fontsize=9, loc="outside lower center",
               ncol=min(5, len(hues)))
    if title:
        ax.set_title(title, loc="left")
    return fig


def _landscape_groups(df: pd.DataFrame, segment: str, org: str,
                      segment_order: Sequence[str] | None = None) -> list[tuple[str, list[str]]]:
    """(segment, its organizations) as :func:`landscape` draws them: each name once, empty segments dropped."""
    segments = list(segment_order) if segment_order is not None else list(dict.fromkeys(df[segment]))
    groups = [(s, list(dict.fromkeys(df.loc[df[segment] == s, org]))) for s in segments]
    return [(s, orgs) for s, orgs in groups if orgs]


def landscape_table(df: pd.DataFrame, segment: str, org: str, *, segment_order: Sequence[str] | None = None,
                    count: str = "count", sep: str = "、") -> pd.DataFrame:
    """The data :func:`landscape` draws, as a table: one row per band, its ``count`` of organizations and their
    names (in drawing order, joined by ``sep``)."""
    groups = _landscape_groups(df, segment, org, segment_order)
    return pd.DataFrame([(s, len(orgs), sep.join(map(str, orgs))) for s, orgs in groups], columns=[segment, count, org])


def landscape(df: pd.DataFrame, segment: str, org: str, *, title: str = "", per_row: int = 4,
              segment_order: Sequence[str] | None = None) -> Figure:
    """An industry map: one band per segment, the organizations named in it as labelled boxes.

    Rebuilds the report's picture-only industry maps from a table of (segment, organization) mentions;
    an organization mentioned several times in one segment is drawn once.
    """
    groups = _landscape_groups(df, segment, org, segment_order)
    rows = [max(1, -(-len(orgs) // per_row)) for _, orgs in groups]
    total = sum(rows) + 0.35 * len(groups)
    fig, ax = plt.subplots(figsize=(10, 0.42 * total + 0.9), layout="constrained")
    ax.set_xlim(0, 1)
    ax.set_ylim(total, 0)
    ax.axis("off")
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    left, width = 0.2, 0.8
    y = 0.0
    for i, ((name, orgs), n_rows) in enumerate(zip(groups, rows, strict=True)):
        color = palette[i % len(palette)]
        band = plt.Rectangle((0, y + 0.05), 1, n_rows + 0.2, color=color, alpha=0.08, lw=0)
        ax.add_patch(band)
        ax.text(0.01, y + 0.15 + n_rows / 2, _shorten(name, 12), va="center", ha="left", fontsize=9.5, color=color)
        for k, label in enumerate(orgs):
            r, c = divmod(k, per_row)
            ax.text(left + width * (c + 0.5) / per_row, y + 0.65 + r, _shorten(str(label), 15), ha="center",
                    va="center", fontsize=8.2,
                    bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": color, "lw": 0.8})
        y += n_rows + 0.35
    if title:
        ax.set_title(title, loc="left")
    return fig


def batch_totals(df: pd.DataFrame, label: str, value: str, *, stated_total: float, title: str = "",
                 ylabel: str = "") -> Figure:
    """Bars per batch, then their sum and the total a text states, side by side (differences stay visible)."""
    labels = [*df[label].astype(str), "各批相加", "报告所称总数"]
    values = [*df[value].astype(float), float(df[value].sum()), float(stated_total)]
    colors = [GROWTH_COLORS[1]] * len(df) + ["#1f4e79", GROWTH_COLORS[0]]
    fig, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
    bars = ax.bar(labels, values, color=colors)
    bars[-1].set_hatch("//")
    for rect, v in zip(bars, values, strict=True):
        ax.text(rect.get_x() + rect.get_width() / 2, v, f"{v:.0f}", ha="center", va="bottom", fontsize=9)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    if title:
        ax.set_title(title, loc="left")
    return fig


def year_bars(df: pd.DataFrame, year: str, value: str, kind: str, *, title: str = "",
              reference: tuple[float, str] | None = None) -> Figure:
    """Bars per year over the full span (missing years stay empty), coloured by ``kind``; optional reference line."""
    years = list(range(int(df[year].min()), int(df[year].max()) + 1))
    kinds = list(dict.fromkeys(df[kind]))
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
    for i, k in enumerate(kinds):
        sub = df[df[kind] == k]
        bars = ax.bar(sub[year].astype(int), sub[value], color=palette[i % len(palette)], label=k,
                      hatch="//" if i else None, alpha=1 if i == 0 else 0.6)
        for rect, v in zip(bars, sub[value], strict=True):
            ax.text(rect.get_x() + rect.get_width() / 2, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=8.5)
    missing = [y for y in years if y not in set(df[year].astype(int))]
    for y in missing:
        ax.text(y, 0, "无数据", ha="center", va="bottom", fontsize=7.5, color="#888888", rotation=90)
    if reference is not None:
        ax.axhline(reference[0], color="#c0504d", linestyle="--", linewidth=1, label=reference[1])
    ax.set_xticks(years, [str(y) for y in years])
    ax.grid(axis="x", visible=False)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    if title:
        ax.set_title(title, loc="left")
    return fig


def ranked_bars(df: pd.DataFrame, label: str, value: str, *, title: str = "", unit: str = "%", decimals: int = 1,
                xlabel: str = "") -> Figure:
    """Horizontal bars of ``value`` per ``label``, largest on top, coloured by sign (negative bars point left).

    Each bar is labelled with its value (``decimals`` places and ``unit``); a zero line separates the signs.
    Suited to growth rates and shares, where :func:`bar_with_growth` (positive totals) does not fit.
    """
    data = df.sort_values(value, kind="stable")  # barh draws bottom-up: the largest value ends on top
    values = data[value].astype(float).to_numpy()
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(data) + 1.2), layout="constrained")
    ax.barh(data[label].astype(str), values, color=[GROWTH_COLORS[int(v >= 0)] for v in values])
    span = max(float(np.abs(values).max()), 1e-9)
    for y, v in enumerate(values):
        ax.text(v + (span * 0.02 if v >= 0 else -span * 0.02), y, f"{v:.{decimals}f}{unit}", va="center",
                ha="left" if v >= 0 else "right", fontsize=9)
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    ax.set_xlim(low - (span * 0.3 if low < 0 else 0), high + (span * 0.3 if high > 0 else span * 0.05))
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.set_xlabel(xlabel or unit)
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
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
            ax.scatter(missing["year"], [0.02] * len(missing), marker="x", s=18, color="#9a9a9a", zorder=2,
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
                    color="#777777")
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
