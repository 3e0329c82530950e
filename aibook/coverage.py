"""What of the report reaches the reader: the headings of its table of contents and the numbers of its prose.

The book is the whole report. Two lists of the data package say what "whole" means: ``report_toc`` (the 47
headings of the report's table of contents) and ``facts`` (every number its prose states). This module compares
them with the chapter notebooks:

* a heading of the report is *in the book* when a chapter notebook of that chapter has a Markdown heading with
  the same text (compared after Unicode NFKC and without spaces, so ``(一) 相关政策分析`` and ``（一）相关政策分析``
  are the same), in the report's order;
* a fact *reaches the reader* when a notebook's Markdown inserts it with a ``{glue}`` role: under its own id
  (``glue_facts``), or under any key whose glued provenance names it (``glue_number(key, fact(F, id))``). This
  is read from the page's ledger rows (:mod:`aibook.ledger`), on the notebooks' committed outputs (the same
  outputs nbval compares).

Facts that do not reach the prose are listed, each with its reason, in ``facts_not_in_prose``; the data appendix
shows that list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import nbformat
import pandas as pd

from aibook.paths import ROOT
from aibook.toc import chapters as toc_chapters

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.M)


def heading_key(text: str) -> str:
    """A heading as compared: NFKC (full-width brackets → half-width) and no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def headings(notebook: Path) -> list[str]:
    """The Markdown headings of a notebook, in order."""
    nb = nbformat.read(notebook, as_version=4)
    return [m.group(2) for c in nb.cells if c.cell_type == "markdown" for m in _HEADING.finditer(c.source)]


def missing_headings(toc: pd.DataFrame, root: Path = ROOT) -> pd.DataFrame:
    """The rows of ``report_toc`` that are not a heading of their chapter's notebooks, or stand out of order.

    Adds a column ``problem``: ``缺少`` (no heading with that text) or ``次序`` (found before the heading that
    precedes it in the report).
    """
    by_chapter = {ch: [heading_key(h) for nb in nbs for h in headings(nb)] for ch, nbs in toc_chapters(root).items()}
    rows: list[dict[str, object]] = []
    last: dict[int, int] = {}
    for row in toc.sort_values("order").itertuples(index=False):
        book = by_chapter.get(int(row.chapter), [])
        key = heading_key(str(row.heading))
        start = last.get(row.chapter, -1)
        if key not in book:
            rows.append({**row._asdict(), "problem": "缺少"})
        elif key not in book[start + 1:]:
            rows.append({**row._asdict(), "problem": "次序"})
        else:
            last[row.chapter] = book.index(key, start + 1)
    return pd.DataFrame(rows, columns=[*toc.columns, "problem"])


def facts_reached(notebooks: Iterable[Path], fact_ids: Iterable[str]) -> dict[str, list[str]]:
    """Fact id → the pages (notebook stems) whose prose inserts it, directly or through a glued key.

    Read from the pages' ledger rows (:mod:`aibook.ledger`): each number the prose shows, with the fact its
    glued provenance names.
    """
    from aibook.ledger import notebook_rows

    ids = set(fact_ids)
    reached: dict[str, set[str]] = {}
    for path in notebooks:
        for row in notebook_rows(path):
            if row["kind"] == "glue":
                for fact_id in {row["key"], row.get("facts", "")} & ids:
                    reached.setdefault(fact_id, set()).add(path.stem)
    return {k: sorted(v) for k, v in reached.items()}


def fact_coverage(facts: pd.DataFrame, excluded: pd.DataFrame, notebooks: Iterable[Path]) -> pd.DataFrame:
    """One row per fact: the pages whose prose shows it, or the reason it is excluded.

    ``status`` is ``正文`` (reaches the prose), ``除外`` (listed in ``facts_not_in_prose``), ``缺`` (neither: a
    test fails) or ``除外但已引用`` (listed although the prose shows it: the list is stale, a test fails).
    """
    ids = facts["id"].tolist() if "id" in facts.columns else facts.index.tolist()
    reached = facts_reached(notebooks, ids)
    reasons = dict(zip(excluded["id"], excluded["reason"], strict=True))
    rows = []
    for fact_id in ids:
        pages, reason = reached.get(fact_id, []), reasons.get(fact_id, "")
        status = ("除外但已引用" if reason else "正文") if pages else ("除外" if reason else "缺")
        rows.append({"id": fact_id, "pages": "、".join(pages), "reason": reason, "status": status})
    return pd.DataFrame(rows)


_TITLE = re.compile(r"《[^《》]*》")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def quote_numbers_not_facts(facts: pd.DataFrame, digit_names: Iterable[str] = ()) -> pd.DataFrame:
    """The numbers printed in the facts' own quotes that are not themselves facts: no class is excluded by rule.

    Each fact quotes the report's words around it. Every Arabic number in a quote must be a fact of the same
    chapter — the printed form (``value_text``) of one of them — or the reference period (``year``) of a fact
    with that same quote (the 2018 of “2018年上海市实现工业增加值8694.95亿元”). Only numbers inside 《》 titles
    and in the names of ``digit_names`` (5G, G60 …) are not numbers of the report. Returns one row per number
    found wanting: ``id``, ``chapter``, ``number``, ``quote``.
    """
    table = facts.reset_index() if "id" not in facts.columns else facts
    ordered = sorted({n for n in digit_names if n}, key=len, reverse=True)
    rows = []
    for chapter, group in table.groupby("chapter", sort=True):
        printed = [str(t) for t in group["value_text"].fillna("")]
        years_by_quote: dict[str, set[str]] = {}
        for quote, year in zip(group["quote"].astype(str), group["year"].fillna("").astype(str), strict=True):
            years_by_quote.setdefault(quote, set()).update(re.findall(r"\d{4}", year))
        for fact_id, quote in zip(group["id"], group["quote"].astype(str), strict=True):
            text = _TITLE.sub(" ", quote)
            for name in ordered:
                text = text.replace(name, " ")
            for number in _NUMBER.findall(text):
                alone = re.compile(rf"(?<![\d.]){re.escape(number)}(?![\d.])")
                if number in years_by_quote[quote] or any(alone.search(p) for p in printed):
                    continue
                rows.append({"id": fact_id, "chapter": int(chapter), "number": number, "quote": quote})
    return pd.DataFrame(rows, columns=["id", "chapter", "number", "quote"])


def date_fact_problems(facts: pd.DataFrame) -> list[str]:
    """Date facts (unit 日期) that break the convention: ``value`` empty, ``value_text`` as printed, ``year`` set."""
    table = facts.reset_index() if "id" not in facts.columns else facts
    dates = table[table["unit"] == "日期"]
    out = []
    for row in dates.itertuples(index=False):
        if pd.notna(row.value) and str(row.value).strip():
            out.append(f"{row.id}: 日期的 value 应为空（写在 value_text），实为 {row.value!r}")
        if not str(row.value_text if pd.notna(row.value_text) else "").strip():
            out.append(f"{row.id}: 日期的 value_text 为空，应照报告原样写出（如 2019年3月19日）")
        if not str(row.year if pd.notna(row.year) else "").strip():
            out.append(f"{row.id}: 日期的 year 为空，应写 ISO 形式（如 2019-03-19）")
    return out
