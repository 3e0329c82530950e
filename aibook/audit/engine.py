"""The claims engine: the list of claims is data (``data/curated/claims.csv``), the checks are functions.

Each row of ``claims`` is one statement of the report: its place in the report (``order``), its ``id``, its
``chapter`` and how it is checked. ``template`` names a function registered with :func:`template` (a kind of
check shared by many rows, fed by the row's other columns: ``fact_id``, ``table``, ``key`` …) or is
``bespoke``: then the function registered with :func:`bespoke` under the id's name (``ch3-t6-sum`` →
``ch3_t6_sum``) checks it. So an id and a chapter are written once, in the file, and the report order is the
file's ``order`` column, not where code happens to sit.

A templated row may also word its own ``claim`` and ``reason`` (:func:`worded`): that is how a printed error is
kept flagged as data. The words are the row's, the numbers in them are ``{placeholders}`` the check fills from the
data (:func:`fill`), and the verdict and tolerance stay the one rule's (:mod:`.checks`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import pandas as pd

from aibook.arith import INCONSISTENT, UNCHECKABLE, fmt
from aibook.audit.checks import KINDS, STATUSES, Check, MissingData
from aibook.audit.context import CHAPTERS, Context, Fact
from aibook.data import DataError, Problem, load

#: The resource listing the claims.
CLAIMS_RESOURCE = "claims"
#: ``template`` value of a claim checked by its own function.
BESPOKE = "bespoke"


@dataclass(frozen=True)
class Claim:
    """One statement of the report, checked.

    ``claim`` is our short Chinese paraphrase; ``stated`` / ``stated_text`` the number as the report
    prints it (``unit`` apart); ``recomputed`` what the data package gives; ``reason`` explains the
    computation and, for 不一致 and 无法核对, what is wrong or missing. ``values`` keeps the numbers the
    reason is made of, so that a chapter can glue them rather than compute them a second time.
    """

    id: str
    chapter: int
    section: str
    claim: str
    stated: float | None
    stated_text: str
    unit: str
    recomputed: float | None
    recomputed_text: str
    status: str
    reason: str
    kind: str = ""
    tolerance: float | None = None
    detail: str = ""
    sources: tuple[str, ...] = field(default_factory=tuple)
    #: the numbers the explanation uses, by name (for the chapters to glue instead of recomputing them)
    values: Mapping[str, float] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.status in (INCONSISTENT, UNCHECKABLE) and not self.reason:
            raise ValueError(f"claim {self.id}: a {self.status} claim needs a reason")

    @property
    def location(self) -> str:
        """Chapter and section, e.g. ``第四章 三、应用示范 （二）应用示范项目``."""
        return f"{CHAPTERS.get(self.chapter, f'第{self.chapter}章')} {self.section}".strip()

    @property
    def short_location(self) -> str:
        """Chapter and section numbers with the innermost heading: ``第四章 二（一）1 汽车制造``."""
        return f"{CHAPTERS.get(self.chapter, f'第{self.chapter}章')} {short_section(self.section)}".strip()

    def as_row(self) -> dict[str, Any]:
        """A flat dict (the row of :func:`run_all`'s frame)."""
        row = {k: v for k, v in asdict(self).items() if k != "values"}
        row["sources"] = "；".join(self.sources)
        row["location"] = self.location
        row["short_location"] = self.short_location
        return row


_MARK = re.compile(r"([一二三四五六七八九十]+)、|([（(][一二三四五六七八九十\d]+[）)])|(\d+)[.、．]\s*")


def short_section(section: str) -> str:
    """A section path reduced to its numbering and innermost heading.

    ``二、产业融合 （一）制造业 1. 汽车制造`` → ``二（一）1 汽车制造``;
    ``三、应用示范 （二）应用示范项目`` → ``三（二）应用示范项目``.
    """
    numbers: list[str] = []
    last = section.strip()
    pos = 0
    for m in _MARK.finditer(section):
        numbers.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
    if numbers:
        last = re.split(r"\s+", section[pos:].strip())[0] if section[pos:].strip() else ""
    prefix = "".join(numbers)
    return f"{prefix} {last}".strip() if prefix and last and prefix[-1].isdigit() else f"{prefix}{last}"


def with_unit(text: str, unit: str) -> str:
    """A printed number followed by its unit, without doubling a 万/亿 already in the number, spaced by the book's
    one rule (``2780.9万`` + ``万辆`` → ``2780.9 万辆``; a date as printed, spaced: ``2017 年 11 月``)."""
    from aibook.tables import spaced

    if text in ("", "—"):
        return text
    if unit == "日期":
        return spaced(text)
    if unit and text[-1] in "万亿" and unit.startswith(text[-1]):
        unit = unit[1:]
    if unit == "百分点":
        unit = "个百分点"
    return spaced(text + unit)


@dataclass(frozen=True)
class Finding:
    """What a check function found: everything of a :class:`Claim` but its id and chapter (those are data)."""

    section: str
    claim: str
    stated: float | None
    stated_text: str
    unit: str
    check: Check
    reason: str
    kind: str
    sources: tuple[str, ...]
    values: Mapping[str, float] = field(default_factory=dict)
    #: the words and printed numbers a row's own ``claim``/``reason`` may name as ``{placeholders}``
    texts: Mapping[str, str] = field(default_factory=dict)


def found(where: Fact | tuple[int, str], claim: str, stated: float | None, stated_text: str, unit: str,
          check: Check, reason: str, kind: str, sources: Iterable[str],
          values: Mapping[str, float] | None = None, texts: Mapping[str, str] | None = None) -> Finding:
    """A finding placed at a fact's section or at ``(chapter, section)`` (a table's place in the report)."""
    section = where.section if isinstance(where, Fact) else where[1]
    return Finding(section, claim, stated, stated_text, unit, check, reason, kind, tuple(sources), dict(values or {}),
                   dict(texts or {}))


def from_fact(f: Fact, claim: str, check: Check, reason: str, kind: str, sources: Iterable[str] = (),
              stated: float | None = None, stated_text: str | None = None,
              values: Mapping[str, float] | None = None, texts: Mapping[str, str] | None = None) -> Finding:
    """A finding about fact ``f``: stated as the fact prints it unless ``stated``/``stated_text`` say otherwise."""
    value = f.value if stated is None else stated
    return found(f, claim, value, f.text if stated_text is None else stated_text, f.unit, check, reason, kind,
                 (f.id, *sources), values, texts)


# ------------------------------------------------------------------------------------------- the claims file
class ClaimsError(DataError):
    """``claims`` names a check that does not exist or leaves out an argument: a mistake in the book, not data."""


@dataclass(frozen=True)
class ClaimSpec:
    """One row of ``claims``: a claim's id, chapter, report order and the arguments of its template."""

    order: int
    id: str
    chapter: int
    template: str
    args: Mapping[str, Any]
    path: str
    line: int

    def arg(self, name: str) -> Any:
        """Argument ``name`` of the template; a DataError naming file, line and column when it is empty."""
        value = self.args.get(name)
        if value is None:
            raise ClaimsError(self.path, [Problem(f"template {self.template} needs a value here", line=self.line,
                                                column=name, kind="claims")])
        return value

    def get(self, name: str, default: Any = None) -> Any:
        """Argument ``name`` of the template, or ``default`` when the cell is empty."""
        value = self.args.get(name)
        return default if value is None else value


def specs(data_dir: str | os.PathLike[str] | None = None) -> list[ClaimSpec]:
    """The rows of ``claims`` in report order (validated: fact ids must exist, see the schema's foreign keys)."""
    df = load(CLAIMS_RESOURCE, data_dir)
    path = df.attrs["path"]
    fixed = ("order", "id", "chapter", "template")
    out = [ClaimSpec(int(r["order"]), str(r["id"]), int(r["chapter"]), str(r["template"]),
                     {k: (None if pd.isna(v) else v) for k, v in r.items() if k not in fixed}, path, i + 2)
           for i, r in enumerate(df.to_dict("records"))]
    return sorted(out, key=lambda s: s.order)


# ------------------------------------------------------------------------------------------------ registry
TemplateFn = Callable[[Context, ClaimSpec], Finding]
BespokeFn = Callable[[Context], Finding]
TEMPLATES: dict[str, TemplateFn] = {}
BESPOKE_CHECKS: dict[str, BespokeFn] = {}


def template(fn: TemplateFn) -> TemplateFn:
    """Register a kind of check under its function name (the ``template`` column of ``claims``)."""
    TEMPLATES[fn.__name__] = fn
    return fn


def bespoke(fn: BespokeFn) -> BespokeFn:
    """Register the check of one claim; the function's name is the claim id with ``_`` for ``-``."""
    BESPOKE_CHECKS[fn.__name__] = fn
    return fn


def function_name(claim_id: str) -> str:
    """The name of the bespoke function checking ``claim_id`` (``ch3-t6-sum`` → ``ch3_t6_sum``)."""
    return claim_id.replace("-", "_")


def _resolve(spec: ClaimSpec) -> BespokeFn:
    if spec.template == BESPOKE:
        fn = BESPOKE_CHECKS.get(function_name(spec.id))
        if fn is None:
            raise ClaimsError(spec.path, [Problem(f"no check function {function_name(spec.id)} is registered for this "
                                                "bespoke claim", line=spec.line, column="id", value=spec.id,
                                                kind="claims")])
        return fn
    tpl = TEMPLATES.get(spec.template)
    if tpl is None:
        raise ClaimsError(spec.path, [Problem(f"unknown template; known: {', '.join(sorted(TEMPLATES))}",
                                            line=spec.line, column="template", value=spec.template, kind="claims")])
    return lambda ctx: tpl(ctx, spec)


def _unused(rows: list[ClaimSpec]) -> None:
    """A registered bespoke check without a row would silently never run: refuse it."""
    named = {function_name(s.id) for s in rows if s.template == BESPOKE}
    orphans = sorted(set(BESPOKE_CHECKS) - named)
    if orphans and rows:
        raise ClaimsError(rows[0].path, f"bespoke check(s) {orphans} have no row with template {BESPOKE}")


_VERBATIM = re.compile(r"“[^”]*”|《[^》]*》")


def book_spacing(text: str) -> str:
    """The book's one spacing rule (:func:`aibook.nb.spaced`) applied to the audit's own words, not to what it
    quotes verbatim (“…”) or names by title (《…》); and no space before a full-width bracket."""
    from aibook.tables import spaced

    out, pos = [], 0
    for m in _VERBATIM.finditer(text):
        out.append(spaced(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(spaced(text[pos:]))
    return re.sub(r"(?<=\S) +(?=[（【])", "", "".join(out))


#: ``{name}`` (a word or printed number of the check) or ``{name:.1f}`` (one of its numbers, so many decimals)
_PLACEHOLDER = re.compile(r"\{([^{}:]*)(?::\.(\d)f)?\}")
#: the columns of ``claims`` in which a row words its own claim and reason
WORDED = ("claim", "reason")


def fill(spec: ClaimSpec, column: str, texts: Mapping[str, str], values: Mapping[str, float]) -> str:
    """The row's ``column`` (``claim`` or ``reason``) with its ``{placeholders}`` filled from the check's data.

    ``{name}`` is a word or printed number of the check (``texts``: ``stated`` as printed, ``other`` …) or else
    one of its numbers (``values``) in its shortest form; ``{name:.1f}`` a number with so many decimals. A name
    the check does not offer is a mistake of the row: ClaimsError naming file, line, column and the names offered.
    """
    template = str(spec.arg(column))

    def one(m: re.Match[str]) -> str:
        name, decimals = m.group(1), m.group(2)
        if decimals is None and name in texts:
            return texts[name]
        if name in values:
            return fmt(float(values[name]), int(decimals)) if decimals is not None else format(float(values[name]), "g")
        offered = sorted(set(texts) | set(values))
        raise ClaimsError(spec.path, [Problem(f"template {spec.template} offers no {{{name}}} to fill in; it offers: "
                                              + ", ".join(f"{{{n}}}" for n in offered),
                                              line=spec.line, column=column, value=m.group(0), kind="claims")])

    if stray := re.search(r"\{[^{}]*\}?|\}", _PLACEHOLDER.sub("", template)):  # the row's own braces only
        raise ClaimsError(spec.path, [Problem("a placeholder is {name} or {name:.2f}; no other braces",
                                              line=spec.line, column=column, value=stray.group(0), kind="claims")])
    return _PLACEHOLDER.sub(one, template)


def worded(spec: ClaimSpec, f: Finding) -> Finding:
    """The finding with the claim and reason the row words itself (its ``claim``, ``reason`` columns), if any.

    This is how a printed error is kept flagged as data: the check (a template, so the verdict is the one
    rule's) supplies the numbers, the row supplies the words around them.
    """
    if not any(spec.get(c) for c in WORDED):
        return f
    if spec.template == BESPOKE:
        column = next(c for c in WORDED if spec.get(c))
        raise ClaimsError(spec.path, [Problem("a bespoke claim is worded by its function: leave this cell empty, or "
                                              "give the row a template", line=spec.line, column=column, kind="claims")])
    texts = {"stated": f.stated_text, "recomputed": f.check.recomputed_text, "unit": f.unit, **f.texts}
    values = {k: float(v) for k, v in (("stated", f.stated), ("recomputed", f.check.recomputed)) if v is not None}
    values.update({k: float(v) for k, v in f.values.items()})
    claim = fill(spec, "claim", texts, values) if spec.get("claim") else f.claim
    reason = fill(spec, "reason", texts, values) if spec.get("reason") else f.reason
    return replace(f, claim=claim, reason=reason)


def _claim(spec: ClaimSpec, f: Finding) -> Claim:
    chk = f.check
    f = worded(spec, f)
    f = replace(f, claim=book_spacing(f.claim), reason=book_spacing(f.reason))
    values = {k: float(v) for k, v in (("stated", f.stated), ("recomputed", chk.recomputed)) if v is not None}
    values.update({k: float(v) for k, v in f.values.items()})
    return Claim(spec.id, spec.chapter, f.section, f.claim, f.stated, f.stated_text, f.unit, chk.recomputed,
                 chk.recomputed_text, chk.status, f.reason, f.kind, chk.tolerance, chk.detail, f.sources, values)


def build_claims(data_dir: str | os.PathLike[str] | None = None, tolerance: float | None = None) -> list[Claim]:
    """Every claim of ``claims``, checked against the data package in ``data_dir``, in report order.

    A claim whose inputs are missing from the package is kept as 无法核对 with the missing item named.
    """
    ctx = Context(data_dir, tolerance)
    rows = specs(data_dir)
    checks = [(spec, _resolve(spec)) for spec in rows]
    _unused(rows)
    claims: list[Claim] = []
    for spec, fn in checks:
        try:
            claims.append(_claim(spec, fn(ctx)))
        except ClaimsError:
            raise
        except (MissingData, DataError) as exc:
            message = exc.args[0] if isinstance(exc, MissingData) else str(exc).splitlines()[-1].strip()
            claims.append(Claim(spec.id, spec.chapter, "", spec.id, None, "—", "", None, "—", UNCHECKABLE,
                                f"数据包缺少所需数据：{message}"))
    return claims


COLUMNS = ("id", "chapter", "section", "location", "short_location", "claim", "stated", "stated_text", "unit", "recomputed",
           "recomputed_text", "status", "reason", "kind", "tolerance", "detail", "sources")


def run_all(data_dir: str | os.PathLike[str] | None = None, tolerance: float | None = None) -> pd.DataFrame:
    """All claims of the report, checked, as a DataFrame (one row per claim; columns :data:`COLUMNS`).

    ``tolerance`` (absolute, in each claim's own unit) replaces every checker's default rounding
    tolerance; ``None`` keeps the defaults described in :mod:`aibook.audit.checks`. The numbers behind
    each explanation are in ``df.attrs`` (read them with :func:`values` or :func:`claim_value`).
    """
    claims = build_claims(data_dir, tolerance)
    df = pd.DataFrame([c.as_row() for c in claims], columns=list(COLUMNS))
    ids = df["id"]
    if ids.duplicated().any():
        raise ValueError(f"duplicate claim ids: {sorted(ids[ids.duplicated()])}")
    df.attrs["claim_values"] = {c.id: dict(c.values) for c in claims}  # see values(); not a column
    return df


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Claims per status, every status of the vocabulary listed (zeros included)."""
    counts = df["status"].value_counts()
    return pd.DataFrame({"status": list(STATUSES), "count": [int(counts.get(s, 0)) for s in STATUSES]})


def by_kind(df: pd.DataFrame) -> pd.DataFrame:
    """Claims per check kind (Chinese label) and status: one row per kind, one column per status."""
    table = pd.crosstab(df["kind"].map(lambda k: KINDS.get(k, k)), df["status"])
    table = table.reindex(columns=list(STATUSES), fill_value=0)
    table = table.reindex([KINDS[k] for k in KINDS if KINDS[k] in table.index])
    table["合计"] = table.sum(axis=1)
    return table.rename_axis(None, axis=1).reset_index().rename(columns={"kind": "核对方法"})


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The reader-facing table: location, claim, stated and recomputed values (with units), status, reason."""
    df = df.reset_index(drop=True)
    return pd.DataFrame({
        "序号": range(1, len(df) + 1),
        "位置": df["short_location"],
        "说法（本书概括）": df["claim"],
        "报告数值": [with_unit(t, u) for t, u in zip(df["stated_text"], df["unit"], strict=True)],
        "复算值": [with_unit(t, u) for t, u in zip(df["recomputed_text"], df["unit"], strict=True)],
        "结论": df["status"],
        "说明": df["reason"],
    })


def values(claims: pd.DataFrame | Iterable[Claim]) -> pd.DataFrame:
    """The numbers behind each claim's explanation, long form: ``id``, ``name``, ``value``.

    ``claims`` is :func:`run_all`'s frame (or a filtered part of it: the numbers travel in its ``attrs``) or a
    list of :class:`Claim`. Every claim has ``stated`` and ``recomputed`` where it has them; the checks add
    the intermediate numbers their reasons quote (sums, gaps, implied totals, aggregate growth …).
    """
    if isinstance(claims, pd.DataFrame):
        table = claims.attrs.get("claim_values", {})
        ids = [i for i in claims["id"] if i in table]
        pairs = [(i, table[i]) for i in ids]
    else:
        pairs = [(c.id, c.values) for c in claims]
    rows = [(cid, name, float(v)) for cid, vals in pairs for name, v in vals.items()]
    return pd.DataFrame(rows, columns=["id", "name", "value"])


def claim_value(claims: pd.DataFrame | Iterable[Claim], claim_id: str, name: str) -> float:
    """One number behind a claim's explanation (see :func:`values`); KeyError naming what exists otherwise."""
    table = values(claims)
    hit = table[(table["id"] == claim_id) & (table["name"] == name)]
    if hit.empty:
        have = sorted(table.loc[table["id"] == claim_id, "name"])
        raise KeyError(f"claim {claim_id!r} has no value {name!r}; it has: {have}")
    return float(hit["value"].iloc[0])
