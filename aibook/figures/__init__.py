"""Figure builders shared by the chapters. Each takes tidy data and returns a matplotlib Figure.

Call :func:`aibook.style.use_book_style` first (``aibook.nb.setup()`` does) so Chinese labels render. The builders
live in modules by kind (bars, dots, time, maps); chapters call them as ``figures.<name>``.
"""

from aibook.figures.bars import (
    GROWTH_COLORS,
    bar_with_growth,
    batch_totals,
    count_bars,
    count_table,
    period_panels,
    ranked_bars,
    share_heatmap,
    year_bars,
)
from aibook.figures.dots import dodge, dot_compare, wrap_label
from aibook.figures.maps import landscape, landscape_table
from aibook.figures.time import series_panels, strategy_timeline, timeline

__all__ = [
    "GROWTH_COLORS",
    "bar_with_growth",
    "batch_totals",
    "count_bars",
    "count_table",
    "dodge",
    "dot_compare",
    "landscape",
    "landscape_table",
    "period_panels",
    "ranked_bars",
    "series_panels",
    "share_heatmap",
    "strategy_timeline",
    "timeline",
    "wrap_label",
    "year_bars",
]
