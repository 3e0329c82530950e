"""Dot plots comparing one quantity across samples, with labels wrapped at separators and close dots moved apart."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from aibook.style import MARKERS


def dot_compare(df: pd.DataFrame, value: str, label: str, hue: str, *, title: str = "", xlabel: str = "",
                hue_order: Sequence[str] | None = None, annotate: Sequence[str] | None = None,
                wrap: int = 24) -> Figure:
    """Dots of ``value`` per ``label`` row, coloured and shaped by ``hue`` (e.g. a city's share in different samples).

    Values are written next to the dots of the ``annotate`` hues (default: all); labels wrap at separators after
    about ``wrap`` columns (:func:`wrap_label`). Dots of one row closer than a marker's width are moved apart
    vertically, each value written on its own side, so that no dot hides another (:func:`dodge`).
    """
    labels = list(dict.fromkeys(df[label]))
    hues = list(hue_order) if hue_order is not None else list(dict.fromkeys(df[hue]))
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    fig, ax = plt.subplots(figsize=(10, 0.5 * len(labels) + 1.6), layout="constrained")
    y = {name: i for i, name in enumerate(labels)}
    shown = set(hues if annotate is None else annotate)
    data = df[df[hue].isin(hues)]
    shift = dodge(data[value], data[label], min_gap=0.02 * float(np.ptp(data[value]) or 1.0))
    for i, h in enumerate(hues):
        sub = data[data[hue] == h]
        ys = sub[label].map(y) + shift[sub.index]
        ax.scatter(sub[value], ys, s=60, color=palette[i % len(palette)], marker=MARKERS[i % len(MARKERS)], label=h,
                   zorder=3)
        if h in shown:
            for v, yy, s in zip(sub[value], ys, shift[sub.index], strict=True):
                below = s > 0 if s else i % 2 == 1  # a moved dot's value on its own side; else alternate
                ax.annotate(f"{v:.1f}", (v, yy), xytext=(0, -13 if below else 6), textcoords="offset points",
                            ha="center", fontsize=7.5)
    ax.set_yticks(range(len(labels)), [wrap_label(t, wrap) for t in labels], fontsize=8.5)
    ax.set_ylim(len(labels) - 0.5, -0.6)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    fig.legend(*ax.get_legend_handles_labels(), frameon=False, fontsize=9, loc="outside lower center",
               ncol=min(5, len(hues)))
    if title:
        ax.set_title(title, loc="left")
    return fig


def wrap_label(text: object, width: int) -> str:
    """Break a label into lines of about ``width`` columns (a CJK character counts two), only at a space, after
    “》” or “，”, or before “（”: never inside a word or a number."""
    def cols(part: str) -> int:
        return sum(1 if ord(ch) < 0x2E80 else 2 for ch in part)

    parts = [p for p in re.split(r"(?<=[》，])|(?=（)|(?<= )", str(text)) if p]
    lines = [""]
    for part in parts:
        if lines[-1] and cols(lines[-1]) + cols(part.rstrip()) > width:
            lines.append("")
        lines[-1] += part
    return "\n".join(line.strip() for line in lines)


def dodge(values: pd.Series, rows: pd.Series, *, min_gap: float, step: float = 0.22) -> pd.Series:
    """Vertical offsets (in row units) that move apart the dots of one row closer than ``min_gap`` on the x axis.

    Dots of a cluster are spread symmetrically around their row, in the order of their values.
    """
    out = pd.Series(0.0, index=values.index)
    for _, group in values.groupby(rows, sort=False):
        ordered = group.sort_values(kind="stable")
        clusters: list[list[Any]] = []
        last = None
        for idx, v in ordered.items():
            if last is None or v - last >= min_gap:
                clusters.append([])
            clusters[-1].append(idx)
            last = v
        for cluster in (c for c in clusters if len(c) > 1):
            for j, idx in enumerate(cluster):
                out[idx] = (j - (len(cluster) - 1) / 2) * step
    return out
