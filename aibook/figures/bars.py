"""Bar charts and heat maps: values per category, counts per group, growth, shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from aibook.style import HATCHES, readable, text_on

GROWTH_COLORS = ("#c0504d", "#4f81bd")  # decline, growth
GROWTH_HATCHES = ("//", "")  # decline, growth: colour is never the only cue


def bar_with_growth(df: pd.DataFrame, label: str, value: str, growth: str, *, title: str = "",
                    value_unit: str = "亿元", xlabel: str = "", show_growth: bool = True) -> Figure:
    """Horizontal bars of ``value`` per ``label``, coloured by the sign of ``growth`` and annotated with it.

    With ``show_growth=False`` the bars are one colour and only the values are written. A decline is also
    hatched (and its sign written), so that colour is not its only cue.
    """
    data = df.sort_values(value)
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(data) + 1.2), layout="constrained")
    kinds = [int(g >= 0) if show_growth else 1 for g in data[growth]]
    bars = ax.barh(data[label], data[value], color=[GROWTH_COLORS[k] for k in kinds])
    for rect, k in zip(bars, kinds, strict=True):
        rect.set_hatch(GROWTH_HATCHES[k] or None)
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
    if show_growth:  # a legend entry only for the colours some bar is drawn in
        drawn = sorted({int(g >= 0) for g in data[growth]}, reverse=True)
        handles = [Rectangle((0, 0), 1, 1, facecolor=GROWTH_COLORS[k], hatch=GROWTH_HATCHES[k] or None)
                   for k in drawn]
        ax.legend(handles, [("比上年下降", "比上年增长")[k] for k in drawn], loc="lower right", frameon=False, fontsize=9)
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
    cells = cast(Any, ax.collections[0]).get_facecolors()  # the heat map's QuadMesh: one colour per cell, row by row
    for text in ax.texts:  # each value in black or white, whichever reads better on its cell
        x, y = text.get_position()
        text.set_color(text_on(cells[int(y) * grid.shape[1] + int(x)]))
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", labelrotation=0, labelsize=9)
    ax.tick_params(axis="y", labelrotation=0)
    if title:
        ax.set_title(title, loc="left")
    return fig



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
    """Stacked horizontal bars of counts per ``category``, split by ``group`` (e.g. batch), each group in its own
    colour and hatch."""
    grid = _count_grid(counts, category, group, value)
    fig, ax = plt.subplots(figsize=(7.5, 0.38 * len(grid) + 1.4), layout="constrained")
    left = np.zeros(len(grid))
    for i, col in enumerate(grid.columns):
        ax.barh(grid.index, grid[col], left=left, label=str(col), hatch=HATCHES[i % len(HATCHES)] or None)
        left += grid[col].to_numpy()
    for y, total in enumerate(left):
        ax.text(total + 0.1, y, f"{int(total)}", va="center", fontsize=9)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, fontsize=9, loc="lower right")
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
        ax.text(y, 0, "无数据", ha="center", va="bottom", fontsize=7.5, color=readable("#888888"), rotation=90)
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


def period_panels(data: pd.DataFrame, split: int, reference: tuple[float, str] | None = None, *,
                  unit: str = "亿元") -> Figure:
    """Bars per ``year`` of ``value`` in two panels, up to ``split`` and after it, each on its own scale.

    Later years would otherwise flatten the report's bars. Rows with ``implied`` true (worked back from the next
    year) are hatched and labelled 推算; ``reference`` draws the report's own statement as a dashed line.
    """
    parts = [data[data["year"] <= split], data[data["year"] > split]]
    parts = [p for p in parts if len(p)] or [data]
    fig, axes = plt.subplots(1, len(parts), figsize=(9, 4.2), layout="constrained", squeeze=False,
                             gridspec_kw={"width_ratios": [p["year"].nunique() + 1 for p in parts]})
    for ax, part in zip(axes[0], parts, strict=True):
        for row in part.itertuples():
            implied = bool(getattr(row, "implied", False))
            ax.bar(row.year, row.value, color=GROWTH_COLORS[1], alpha=0.55 if implied else 1,
                   hatch="//" if implied else None)
            ax.text(row.year, row.value * 1.02, f"{row.value:,.0f}" + ("（推算）" if implied else ""),
                    ha="center", va="bottom", fontsize=9)
        years = sorted(part["year"].unique())
        ax.set_xticks(years, [f"{y}年" for y in years])
        ax.set_xlim(min(years) - 0.8, max(years) + 0.8)
        ax.set_ylim(0, part["value"].max() * 1.3)
        ax.set_title("报告时期" if max(years) <= split else "报告之后", loc="left")
        ax.grid(axis="x", visible=False)
    if reference is not None:
        axes[0][0].axhline(reference[0], color=GROWTH_COLORS[0], linestyle="--", linewidth=1, label=reference[1])
        axes[0][0].legend(frameon=False, fontsize=9, loc="upper left")
    axes[0][0].set_ylabel(unit)
    return fig
