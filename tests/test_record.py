"""The reviewed record of shown numbers: the committed notebooks show exactly notebooks/record/numbers.csv, and the record
changed only with a reason. ``make reference`` cannot make a wrong number pass: it does not touch the record."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from aibook import record


def test_the_committed_notebooks_show_exactly_the_recorded_numbers() -> None:
    diff = record.differences(record.of_notebooks(record.reference_notebooks()), record.read())
    assert not diff, ("the numbers the committed notebooks show differ from notebooks/record/numbers.csv; if the change "
                      "is meant, record it: make record REASON=\"…\"\n" + "\n".join(diff[:40]))


def test_the_record_is_the_one_its_last_reason_names() -> None:
    assert record.digest(record.RECORD).startswith(record.last_recorded_digest()), \
        "notebooks/record/numbers.csv was edited by hand: record it with `make record REASON=\"…\"`"


def _swap_two_glued_keys(notebook: Path) -> None:
    """The defect of a swapped pair of glue roles in one sentence (the prose then shows each number in the other's
    place): swap the first two {glue:text} keys of the first Markdown cell that has two."""
    import re

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        keys = re.findall(r"\{glue:text\}`(\w+):", source)
        if cell["cell_type"] == "markdown" and len(set(keys)) >= 2:
            a, b = keys[0], next(k for k in keys if k != keys[0])
            swapped = source.replace(f"`{a}:", "`@@:").replace(f"`{b}:", f"`{a}:").replace("`@@:", f"`{b}:")
            cell["source"] = swapped
            break
    notebook.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def test_a_swapped_pair_of_numbers_is_a_difference_a_reviewer_reads(tmp_path: Path) -> None:
    copies = []
    for nb in record.reference_notebooks():
        copies.append(Path(shutil.copy2(nb, tmp_path / nb.name)))
    _swap_two_glued_keys(tmp_path / "ch3_industry_base.ipynb")
    diff = record.differences(record.of_notebooks(copies), record.read())
    assert diff and all(line.startswith("~ ch3_industry_base") for line in diff), diff


def test_recording_needs_a_reason(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="reason"):
        record.write("  ", notebooks=[], record=tmp_path / "n.csv", changes=tmp_path / "c.md",
                     tables=tmp_path / "t.sha256")
    path = record.write("a fixed cell of 表格 6", notebooks=record.reference_notebooks()[:1],
                        record=tmp_path / "n.csv", changes=tmp_path / "c.md", tables=tmp_path / "t.sha256")
    assert record.digest(path).startswith(record.last_recorded_digest(tmp_path / "c.md"))
    assert "a fixed cell of 表格 6" in (tmp_path / "c.md").read_text(encoding="utf-8")


def test_the_transcribed_tables_are_the_recorded_ones() -> None:
    assert record.table_digests() == record.TABLES.read_text(encoding="utf-8"), \
        "a transcribed table (data/tables/) changed: check it against the report, then make record REASON=\"…\""


def test_a_changed_transcription_is_caught(tmp_path: Path) -> None:
    """The defect: a transcribed table's text changed (“5000万” → “6000万”) and `make reference` run."""
    from aibook.paths import DATA_DIR

    shutil.copytree(DATA_DIR / "tables", tmp_path / "tables")
    t13 = tmp_path / "tables" / "table13_sh_ai_chips.csv"
    t13.write_text(t13.read_text(encoding="utf-8").replace("5000万", "6000万", 1), encoding="utf-8")
    assert record.table_digests(tmp_path / "tables") != record.TABLES.read_text(encoding="utf-8")


def test_reference_keeps_a_notebook_that_differs_only_where_nbval_sanitizes() -> None:
    """``make reference`` rewrites a golden file only when what nbval compares changed: a solution listing the
    digest of a file it read does not make a one-cell data fix rewrite that page."""
    from aibook.reference import same_for_nbval, sanitizers

    rules = sanitizers()
    row = '"<tr><td>facts.csv</td><td>{}</td></tr>"'
    assert same_for_nbval(row.format("97313b3f8dac"), row.format("0123456789ab"), rules)
    assert not same_for_nbval(row.format("97313b3f8dac") + " 56213", row.format("97313b3f8dac") + " 56214", rules)
    assert same_for_nbval("<object at 0x7f3c17f38b30>", "<object at 0x7f00aa001122>", rules)
