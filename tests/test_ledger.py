"""The ledger lists every number a page shows (glued into prose, or a table cell from data) with its source, and
the diff of two ledgers names exactly the numbers that moved: old → new, by page; nothing when nothing moved."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from aibook import diff as D
from aibook import ledger as L
from aibook import load
from aibook.paths import ROOT
from aibook.provenance import GLUE_PREFIX, Source
from aibook.tables import TABLE_MIME, show_table

PREFIX = "application/papermill.record/"


def _glue(name: str, data: dict[str, str]) -> nbformat.NotebookNode:
    return new_output("display_data", data={PREFIX + k: v for k, v in data.items()},
                      metadata={"scrapbook": {"name": name, "mime_prefix": PREFIX}})


def page(folder: Path, stem: str, t6: pd.DataFrame, share: float = 68.5, caption: str | None = None) -> Path:
    """A small executed page: a heading, prose with two glued values, table 6 shown from ``t6``."""
    src = Source("fact", "报告正文（data/facts.csv，第 9 行，ch3_share）：“占比为68.5%”", "fact-ch3_share",
                 ["data/facts.csv"])
    prose = new_markdown_cell("# 第三章 产业\n\n六个行业占规上工业总产值的比重为 {glue:text}`share:.1f`%；"
                              "时期：{glue:md}`when`。另一句又提到 {glue:text}`share:.0f`。")
    code = new_code_cell("...")
    table = show_table(t6, caption=caption)
    code.outputs = [_glue("share", {"text/plain": repr(share)}),
                    _glue(GLUE_PREFIX + "share", {"text/plain": repr(src.to_json())}),
                    _glue("when", {"text/markdown": "2018年", "text/plain": "<IPython.core.display.Markdown object>"}),
                    new_output("display_data", data={TABLE_MIME: table.ledger(), "text/html": table._repr_html_(),
                                                     "text/plain": repr(table)})]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.ipynb"
    nbformat.write(new_notebook(cells=[prose, code]), path)
    return path


@pytest.fixture
def t6() -> pd.DataFrame:
    return load("table06_six_key_industries_output_2018")


def test_a_page_ledger_has_its_glued_numbers_and_table_cells(tmp_path: Path, t6: pd.DataFrame) -> None:
    ledger = L.build_ledger([page(tmp_path, "ch3", t6)])
    glue = ledger[ledger["kind"] == "glue"].set_index("key")
    assert list(glue.index) == ["share", "when"]  # each key once, at its first occurrence
    share = glue.loc["share"]
    assert share["value"] == 68.5 and share["text"] == "68.5" and share["unit"] == "%"
    assert share["context"] == "六个行业占规上工业总产值的比重为 68.5%；"
    assert share["facts"] == "ch3_share" and share["files"] == "data/facts.csv" and "第 9 行" in share["provenance"]
    assert pd.isna(glue.loc["when", "value"]) and glue.loc["when", "text"] == "2018年"
    cells = ledger[ledger["kind"] == "table"]
    assert len(cells) == 2 * len(t6)  # value and growth of each row; the text column `level` is no number
    total = cells[(cells["row"] == "六个重点行业工业总产值") & (cells["column"] == "绝对值（亿元）")].iloc[0]
    assert total["value"] == 23870.77 and total["table"] == t6.attrs["title"] and total["unit"] == "亿元"
    assert total["source_file"] == "data/tables/table06_six_key_industries_output_2018.csv"
    assert total["source_line"] == 2 and total["source_column"] == "绝对值（亿元）" and total["page"] == "ch3"
    assert set(ledger["page_title"]) == {"第三章 产业"}


def test_the_csv_is_tidy_and_reads_back(tmp_path: Path, t6: pd.DataFrame) -> None:
    ledger = L.build_ledger([page(tmp_path / "nb", "ch3", t6)])
    csv = L.write_ledger(ledger, tmp_path / "out", {"period": "2019-06"})
    back = pd.read_csv(csv, keep_default_na=False)
    assert list(back.columns) == L.COLUMNS and len(back) == len(ledger)
    assert all((back[c].astype(str) != "").all() for c in L.REQUIRED)
    assert not back.duplicated(["page", "kind", "key"]).any()
    pd.testing.assert_frame_equal(L.read_ledger(csv), ledger, check_dtype=False)
    payload = json.loads((tmp_path / "out" / L.LEDGER_JSON).read_text(encoding="utf-8"))
    assert payload["parameters"] == {"period": "2019-06"} and len(payload["numbers"]) == len(ledger)


def test_a_changed_number_is_in_the_diff_with_old_new_and_page(tmp_path: Path, t6: pd.DataFrame) -> None:
    old = L.build_ledger([page(tmp_path / "a", "ch3", t6)])
    changed = t6.copy()
    changed.loc[changed["indicator"] == "汽车制造业", "value"] = 7000.0
    new = L.build_ledger([page(tmp_path / "b", "ch3", changed, share=70.0)])
    diff = D.compare(old, new)
    assert list(diff["status"]) == ["changed", "changed"]
    car = diff[diff["kind"] == "table"].iloc[0]
    assert (car["page"], car["row"], car["old"], car["new"]) == ("ch3", "汽车制造业", 6832.07, 7000.0)
    assert car["change"] == pytest.approx(167.93) and car["relative"] == pytest.approx(167.93 / 6832.07)
    share = diff[diff["kind"] == "glue"].iloc[0]
    assert (share["key"], share["old_text"], share["new_text"]) == ("share", "68.5", "70.0")
    text = D.report(diff, "a", "b")
    assert "ch3" in text and "6832.07 → 7000  (+167.93, +2.5%)" in text and "+2.5%" in text
    assert D.summary(diff)[0] == "2 numbers changed on 1 page since the last build"
    assert D.compare(old, old).empty


def test_a_relabelled_table_is_still_the_same_table(tmp_path: Path, t6: pd.DataFrame) -> None:
    old = L.build_ledger([page(tmp_path / "a", "ch3", t6)])
    later = t6.assign(value=t6["value"] + 1)
    later.attrs["titles"] = {**t6.attrs["titles"], "value": "1–6月累计（亿元）"}
    new = L.build_ledger([page(tmp_path / "b", "ch3", later, caption="表格 6 同口径：2019年1–6月六个重点行业")])
    diff = D.compare(old, new)
    assert set(diff["status"]) == {"changed"} and len(diff) == len(t6)
    assert (diff["change"].round(6) == 1).all()


def test_appeared_and_disappeared_pages(tmp_path: Path, t6: pd.DataFrame) -> None:
    old = L.build_ledger([page(tmp_path / "a", "ch3", t6)])
    new = L.build_ledger([page(tmp_path / "b", "ch4", t6)])
    diff = D.compare(old, new)
    assert set(diff.loc[diff["page"] == "ch4", "status"]) == {"appeared"}
    assert set(diff.loc[diff["page"] == "ch3", "status"]) == {"disappeared"}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aibook", "diff", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_command_exits_1_on_a_change_0_when_identical_2_on_a_bad_name(tmp_path: Path, t6: pd.DataFrame) -> None:
    page(tmp_path / "a" / "executed", "ch3", t6)
    page(tmp_path / "b" / "executed", "ch3", t6, share=70.0)
    same = _cli(str(tmp_path / "a"), str(tmp_path / "a"))
    assert same.returncode == 0, same.stderr
    moved = _cli(str(tmp_path / "a"), str(tmp_path / "b"))
    assert moved.returncode == 1 and "share: 68.5 → 70.0" in moved.stdout and "ch3" in moved.stdout
    bad = _cli(str(tmp_path / "a"), str(tmp_path / "nowhere"))
    assert bad.returncode == 2 and "nowhere" in bad.stderr


# ------------------------------------------------------------------------------------- built books
@pytest.mark.slow
def test_a_data_change_reaches_the_variant_page_the_diff_and_the_rebuild_note(tmp_path: Path, minibook: Path,
                                                                             data_copy: Path) -> None:
    from aibook import build as B

    default = B.Layout(tmp_path / "b")
    B.build(layout=default, root=minibook, workers=2, log=lambda _m: None)
    ledger = pd.read_csv(default.html / "_static" / L.LEDGER_CSV, keep_default_na=False)
    assert set(ledger["page"]) == {"mini_industry", "mini_chips"} and set(ledger["kind"]) == {"glue", "table"}
    assert not list(default.html.rglob("edition_diff*"))  # the default edition has no page of differences

    t6 = data_copy / "tables" / "table06_six_key_industries_output_2018.csv"
    t6.write_text(t6.read_text(encoding="utf-8").replace("6832.07", "6900.00"), encoding="utf-8")
    variant = B.Layout(tmp_path / "b" / "variants" / "mine", shared=default.build_dir)
    logs: list[str] = []
    B.build(parameters={"data_dir": str(data_copy)}, layout=variant, root=minibook, workers=2, log=logs.append)
    diff = D.compare(D.ledger_of(str(default.build_dir), tmp_path, ROOT), D.ledger_of(str(variant.build_dir), tmp_path, ROOT))
    assert [tuple(r) for r in diff[["page", "row", "old", "new", "status"]].itertuples(index=False)] == \
        [("mini_industry", "汽车制造业", 6832.07, 6900.0, "changed")]
    page_html = (variant.html / "book" / "edition_diff.html").read_text(encoding="utf-8")
    assert "本版与报告原版的差异" in page_html and "6832.07" in page_html and "6900" in page_html
    assert "mini_industry.html" in page_html and "本机默认构建" in page_html
    assert (variant.html / "_images").is_dir() or "edition_diff_pages" in page_html

    t6.write_text(t6.read_text(encoding="utf-8").replace("6900.00", "7000.00"), encoding="utf-8")
    logs.clear()
    B.build(parameters={"data_dir": str(data_copy)}, layout=variant, root=minibook, workers=2, log=logs.append)
    note = [m.strip() for m in logs]
    assert "1 number changed on 1 page since the last build" in note, logs
    assert any("汽车制造业" in m and "6900 → 7000" in m for m in note), logs


@pytest.mark.slow
def test_the_default_books_ledger_is_the_committed_notebooks_ledger(built_book: object) -> None:
    csv = built_book.html / "_static" / L.LEDGER_CSV  # type: ignore[attr-defined]
    back = pd.read_csv(csv, keep_default_na=False)
    assert list(back.columns) == L.COLUMNS and len(back) > 500 and set(back["kind"]) == {"glue", "table"}
    assert all((back[c].astype(str) != "").all() for c in L.REQUIRED)
    assert not back.duplicated(["page", "kind", "key"]).any()  # one row per number
    reference = L.build_ledger(sorted((ROOT / "notebooks").glob("*.ipynb")))
    diff = D.compare(reference, L.read_ledger(csv))
    assert diff.empty, D.report(diff, "reference", "built")
    proc = _cli(str(built_book.build_dir), "reference")  # type: ignore[attr-defined]
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    chapter = (built_book.html / "notebooks" / "ch3_industry_base.html").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert 'href="../_static/ledger.csv"' in chapter and "本版全部数字（CSV）" in chapter


def test_a_rate_moves_in_points_without_a_relative_change() -> None:
    """0.8% → −12.6% is a move of 13.4 points; “−1675%” would mislead, so rates get no relative change."""
    from aibook.diff import COLUMNS, compare

    def ledger(growth: float, value: float) -> pd.DataFrame:
        rows = [{"page": "ch3", "page_title": "第三章", "kind": "cell", "key": f"表格 6 | 汽车制造业 | {col}",
                 "table": "表格 6", "row": "汽车制造业", "column": col, "unit": "", "value": v, "text": f"{v}"}
                for col, v in (("比上年增长（%）", growth), ("工业总产值（亿元）", value))]
        return pd.DataFrame(rows)

    diff = compare(ledger(0.8, 6832.07), ledger(-12.6, 3067.86)).set_index("column")
    assert list(diff.columns) == [c for c in COLUMNS if c != "column"]
    assert diff.at["比上年增长（%）", "change"] == pytest.approx(-13.4)
    assert pd.isna(diff.at["比上年增长（%）", "relative"])
    assert diff.at["工业总产值（亿元）", "relative"] == pytest.approx(3067.86 / 6832.07 - 1)


def _independent_counts(notebook: Path) -> tuple[int, int]:
    """Counted without the ledger's code: the distinct glue keys the page's Markdown inserts (that the page glued),
    and the tables it outputs as JSON."""
    import re

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    glued, tables = set(), 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued.add(name)
            tables += "application/vnd.aibook.table+json" in out.get("data", {})
    keys = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            keys |= set(re.findall(r"\{glue(?::\w+)?\}`(\w+)[:`]", source))
    return len(keys & glued), tables


def test_the_ledger_holds_every_page_and_every_glued_number() -> None:
    """The ledger's completeness, checked against the committed notebooks by a count of its own: every page of
    _toc.yml that shows a number is in the ledger, with one glue row per glued key its prose inserts."""
    from aibook import toc
    from aibook.ledger import build_ledger

    pages = toc.notebooks()
    ledger = build_ledger(pages)
    for nb in pages:
        keys, tables = _independent_counts(nb)
        rows = ledger[ledger["page"] == nb.stem]
        assert (rows["kind"] == "glue").sum() == keys, nb.stem
        assert bool(keys or tables) == (len(rows) > 0), nb.stem
