"""Industry maps (图表 6–22): organisations grouped by segment, one box each."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from aibook.style import readable

BAND_ALPHA = 0.08


def _tint(color: str) -> tuple[float, float, float]:
    """The colour of a band: ``color`` at :data:`BAND_ALPHA` over white."""
    from matplotlib.colors import to_rgb

    r, g, b = (BAND_ALPHA * c + 1 - BAND_ALPHA for c in to_rgb(color))
    return (r, g, b)


def _fit(name: str, width: int) -> str:
    """A name in a box: whole, on two lines when longer than ``width`` characters (never cut, never within a
    run of Latin letters or digits)."""
    if len(name) <= width:
        return name
    half = (len(name) + 1) // 2
    cuts = [i for i in range(1, len(name)) if not (name[i - 1].isascii() and name[i].isascii())]
    cut = min(cuts, key=lambda i: abs(i - half), default=len(name))
    return name[:cut] + "\n" + name[cut:]


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
        band = Rectangle((0, y + 0.05), 1, n_rows + 0.2, color=color, alpha=BAND_ALPHA, lw=0)
        ax.add_patch(band)
        ax.text(0.01, y + 0.15 + n_rows / 2, _fit(name.strip("《》"), 12), va="center", ha="left", fontsize=9.5,
                color=readable(color, background=_tint(color)))  # the band's hue, dark enough to read on it
        for k, label in enumerate(orgs):
            r, c = divmod(k, per_row)
            ax.text(left + width * (c + 0.5) / per_row, y + 0.65 + r, _fit(str(label), 15), ha="center",
                    va="center", fontsize=8.2,
                    bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": color, "lw": 0.8})
        y += n_rows + 0.35
    if title:
        ax.set_title(title, loc="left")
    return fig
