"""The README's common changes, each done on a copy, counting the files it touches.

* add a page: its ``.md`` (from ``tools/page-template.md``) and one line of ``_toc.yml``; ``make sync`` creates the
  notebook and the build renders it;
* add a monthly release: one file in ``data/releases/``; no test is edited (the tests read the folder);
* fix a transcribed number: the data file, the pages that show it, and the record of shown numbers
  (``notebooks/record/``) — the pages' committed outputs no longer carry the digests of every file they read
  (``tests/test_record.py``);
* keep a printed error flagged: data rows only — the printed number (a row of ``facts.csv``) and the claim (a row
  of ``curated/claims.csv`` naming its template, the cell it is compared with, and its own claim and reason with
  ``{placeholders}``); the verdict and tolerance are the one rule's, the audit appendix's tables carry it.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aibook import DataError, audit, load, names, toc
from aibook import build as B
from aibook.arith import CONSISTENT, INCONSISTENT
from aibook.paths import ROOT
from aibook.periods import periods


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and "_build" not in p.parts}


def _touched(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


@pytest.mark.slow
def test_a_new_page_is_its_text_and_one_toc_line(minibook: Path, tmp_path: Path) -> None:
    shutil.copy2(ROOT / "notebooks" / "jupytext.toml", minibook / "notebooks")  # the project's pairing
    before = _files(minibook)
    shutil.copy2(ROOT / "tools" / "page-template.md", minibook / "notebooks" / "new_page.md")
    toc_file = minibook / "_toc.yml"
    toc_file.write_text(toc_file.read_text(encoding="utf-8") + "  - file: notebooks/new_page\n", encoding="utf-8")
    assert _touched(before, _files(minibook)) == {"notebooks/new_page.md", "_toc.yml"}
    # what `make sync` runs: the text gets its notebook
    subprocess.run([str(Path(sys.executable).parent / "jupytext"), "--sync", *map(str, (minibook / "notebooks").glob("*.md"))],
                   check=True, capture_output=True)
    assert (minibook / "notebooks" / "new_page.ipynb").is_file()
    assert minibook / "notebooks" / "new_page.ipynb" in toc.notebooks(minibook)
    layout = B.Layout(tmp_path / "build")
    B.build(parameters={"data_dir": str(ROOT / "data")}, layout=layout, root=minibook, log=lambda _m: None)
    page = (layout.html / "notebooks" / "new_page.html").read_text(encoding="utf-8")
    assert "新页面的标题" in page and "aibook-voice" in page


def test_a_new_release_is_one_file_and_no_test_edited(data_copy: Path) -> None:
    releases = data_copy / "releases"
    before = _files(data_copy)
    june = releases / "tjj-industrial-production-2019-06.csv"
    july = releases / "tjj-industrial-production-2019-07.csv"
    july.write_text(june.read_text(encoding="utf-8"), encoding="utf-8")
    assert _touched(before, _files(data_copy)) == {"releases/tjj-industrial-production-2019-07.csv"}
    assert periods(data_copy)[-1] == "2019-07"


# ------------------------------------------------------------------------------- keep a printed error flagged
#: A printed number (made up for the test: the car industry's growth printed a second time, as 4.8%) …
MISPRINT_FACT = {"id": "ch4_sh_auto_mfg_output_growth_2018_again", "chapter": "4",
                 "section": "二、产业融合 （一）制造业 1. 汽车制造", "context": "上海汽车制造业总产值增速（第二处）",
                 "value": "4.8", "value_text": "4.8", "unit": "%", "qualifier": "", "year": "2018",
                 "quote": "汽车制造业总产值增长4.8%"}
#: … and the claim flagging it against 表格 6: which cell, and the words around the numbers (no number typed).
MISPRINT_CLAIM = {"order": "89", "id": "ch4-auto-growth-again", "chapter": "4", "template": "prose_vs_table",
                  "fact_id": MISPRINT_FACT["id"], "table": names.T06,
                  "key": "汽车制造业", "column": "growth_pct", "measure": "总产值", "sign": "1",
                  "label": "汽车制造业增速", "claim": "汽车制造业增速：第二处正文与{table}对照",
                  "reason": "第二处正文写增长 {stated}%，{table}「{indicator}」行为 {other}%{same_as}。"}


def _append(path: Path, row: dict[str, str]) -> int:
    """Append ``row`` to the CSV at ``path`` (columns by the header, the others empty); the line it lands on."""
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
        lines = 1 + sum(1 for _ in fh)
    assert set(row) <= set(header), f"{path.name} has no column(s) {sorted(set(row) - set(header))}"
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=header, restval="", lineterminator="\n").writerow(row)
    return lines + 1


def _cell(path: Path, key: str, column: str) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(r for r in csv.DictReader(fh) if key in r.values())[column]


def test_a_printed_error_is_kept_flagged_by_data_rows_only(data_copy: Path) -> None:
    before = _files(data_copy)
    _append(data_copy / "facts.csv", MISPRINT_FACT)
    _append(data_copy / "curated" / "claims.csv", MISPRINT_CLAIM)
    assert _touched(before, _files(data_copy)) == {"facts.csv", "curated/claims.csv"}

    claims = audit.run_all(data_copy)
    row = claims.set_index("id").loc["ch4-auto-growth-again"]
    # the verdict and the tolerance are the one rule's (4.8 and 0.8 are each printed to 0.1: 0.05 + 0.05) …
    assert row["status"] == INCONSISTENT and row["tolerance"] == pytest.approx(0.1)
    # … the claim and the reason are the row's words with the numbers filled in from the data: the prose's 4.8,
    # 表格 6's cell, and the other cell of 表格 6 that prints 4.8 (the likely source of the slip)
    table = data_copy / "tables" / f"{names.T06}.csv"
    cell = _cell(table, "汽车制造业", "growth_pct")
    assert row["claim"] == "汽车制造业增速：第二处正文与表格 6 对照"
    assert row["reason"] == (f"第二处正文写增长 4.8%，表格 6「汽车制造业」行为 {cell}%；"
                             "正文的 4.8% 恰是表格 6「成套设备制造业」行的增速。")
    assert row["recomputed_text"] == cell and row["location"] == "第四章 二、产业融合 （一）制造业 1. 汽车制造"
    # the audit appendix's tables (附表 B-3 all claims, B-4 the inconsistent ones) carry it as they are built
    shown = audit.display_frame(claims[claims["status"] == INCONSISTENT]).set_index("说法（本书概括）")
    listed = shown.loc["汽车制造业增速：第二处正文与表格 6 对照"]
    assert (listed["报告数值"], listed["复算值"], listed["结论"], listed["说明"]) == ("4.8%", f"{cell}%", INCONSISTENT,
                                                                               row["reason"])
    assert len(audit.display_frame(claims)) == len(load("claims")) + 1

    # the verdict is not typed anywhere: with the printed number as the table's, the same rows say 一致
    facts = (data_copy / "facts.csv").read_text(encoding="utf-8")
    (data_copy / "facts.csv").write_text(facts.replace(",4.8,4.8,%,,2018,汽车制造业总产值增长4.8%",
                                                       f",{cell},{cell},%,,2018,汽车制造业总产值增长{cell}%"),
                                         encoding="utf-8")
    again = audit.run_all(data_copy).set_index("id").loc["ch4-auto-growth-again"]
    assert again["status"] == CONSISTENT and again["reason"] == f"第二处正文写增长 {cell}%，表格 6「汽车制造业」行为 {cell}%。"


@pytest.mark.parametrize(("column", "value", "error", "expected"), [
    ("fact_id", "ch4_no_such_fact", DataError, "facts.id (foreign key)"),
    ("table", "table99_no_such_table", DataError, "table99_no_such_table"),
    ("column", "share_pct", DataError, "share_pct"),
    ("key", "汽车制造", audit.engine.ClaimsError, "汽车制造业"),
    ("reason", "正文写 {stated}%，表中 {no_such_number}%。", audit.engine.ClaimsError, "{no_such_number}"),
    ("claim", "汽车制造业增速：正文与{table:d}对照", audit.engine.ClaimsError, "{table:d}"),
])
def test_a_flagging_row_naming_what_is_not_there_is_refused(data_copy: Path, column: str, value: str,
                                                            error: type[Exception], expected: str) -> None:
    """A typo in the claim row is an error naming file, line and column (never 无法核对 or a traceback)."""
    _append(data_copy / "facts.csv", MISPRINT_FACT)
    line = _append(data_copy / "curated" / "claims.csv", {**MISPRINT_CLAIM, column: value})
    with pytest.raises(error) as exc:
        audit.run_all(data_copy)
    msg = str(exc.value)
    assert f"claims.csv: line {line}, column '{column}" in msg and expected in msg, msg  # the title may follow
