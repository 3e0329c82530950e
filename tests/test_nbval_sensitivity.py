"""nbval is a real guard: one changed number in data/ makes re-execution differ — as a changed output, not as
an execution error — in a table and in a glued number, with the old and the new value in the report."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aibook.paths import ROOT

CASES = {  # file in data/, old text, new text, the output kind that must differ (nbval reports the first one;
    # a table's exhibit — its cells as shown, as CSV, aibook.exhibits.EXHIBIT_MIME — comes before its HTML)
    "table": ("tables/table06_six_key_industries_output_2018.csv", "1233.42", "1233.43",
              "'application/vnd.aibook.exhibit+json'"),
    "glued": ("facts.csv", "ch3_six_key_industries_share_2018,3,", None, "'application/papermill.record/text/plain'"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_one_changed_number_is_an_output_mismatch(tmp_path: Path, case: str) -> None:
    rel, old, new, mime = CASES[case]
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "data", copy / "data")
    shutil.copytree(ROOT / "notebooks", copy / "notebooks", ignore=shutil.ignore_patterns("*.ipynb_checkpoints"))
    path = copy / "data" / rel
    text = path.read_text(encoding="utf-8")
    if new is None:  # the fact's value: 68.5 → 68.6 on its own line
        line = next(ln for ln in text.splitlines() if ln.startswith(old))
        old, new = "68.5", "68.6"
        assert old in line
        text = text.replace(line, line.replace(old, new, 1))
    else:
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run(  # -vv: nbval shows a table's JSON cells in full, old and new value included
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-vv", "-o", "addopts=", "--nbval",
         "--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
         str(copy / "notebooks" / "ch3_industry_base.ipynb")],
        cwd=tmp_path, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-2000:]
    assert "Cell outputs differ" in out and f"mismatch {mime}" in out, out[-3000:]
    assert "Cell execution caused an exception" not in out, "an execution error, not a changed output"
    assert old in out and new in out  # the diff shows the old and the new value
