"""Claims audit: recompute the numbers the report states and say whether they hold.

Which claims are checked, in which order and chapter, is data: the ``claims`` resource
(``data/curated/claims.csv``), and so are the words of a printed error the book keeps flagged (a row's
``claim`` and ``reason``, numbers filled in from the data). How each is checked is code: the checkers (:mod:`.checks`), the shared
templates (:mod:`.templates`) and the bespoke checks of chapters 3 and 4 (:mod:`.ch3`, :mod:`.ch4`), put
together by the engine (:mod:`.engine`). :func:`run_all` returns them as a :class:`pandas.DataFrame`; the
numbers behind each explanation are available through :func:`values` and :func:`claim_value`.
"""

from __future__ import annotations

from aibook.arith import CONSISTENT, INCONSISTENT, ROUNDING, UNCHECKABLE
from aibook.audit import ch3, ch4, templates  # noqa: F401  (registers the checks)
from aibook.audit.checks import (
    EXACT,
    KINDS,
    STATUSES,
    Check,
    Interval,
    MissingData,
    aggregate_growth,
    cagr,
    check_cagr,
    check_count,
    check_count_range,
    check_date,
    check_equal,
    check_formula,
    check_gap,
    check_product_limit,
    check_share,
    check_sum,
    combinations_summing_to,
    decimals_of,
    fmt,
    half_unit,
    judge,
    printed_interval,
    rounding_spread,
    uncheckable,
    verdict,
)
from aibook.audit.engine import (
    COLUMNS,
    Claim,
    build_claims,
    by_kind,
    claim_value,
    display_frame,
    run_all,
    short_section,
    specs,
    summary,
    values,
    with_unit,
)

__all__ = [
    "COLUMNS", "CONSISTENT", "EXACT", "INCONSISTENT", "Interval", "KINDS", "ROUNDING", "STATUSES", "UNCHECKABLE", "Check",
    "Claim", "MissingData", "aggregate_growth", "build_claims", "by_kind", "cagr", "check_cagr", "check_count",
    "check_count_range", "check_date", "check_equal", "check_formula", "check_gap", "check_product_limit", "check_share",
    "check_sum", "claim_value", "combinations_summing_to", "decimals_of", "display_frame", "fmt", "half_unit",
    "judge", "printed_interval", "rounding_spread", "run_all", "short_section", "specs", "summary", "uncheckable", "values",
    "verdict", "with_unit",
]
