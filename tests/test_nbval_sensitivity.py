"""nbval is a real guard: one changed number in data/ makes re-execution differ, with a readable diff."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aibook.paths import ROOT


@pytest.mark.slow
def test_changing_one_number_in_data_fails_nbval_with_a_diff(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "data", copy / "data")
    shutil.copytree(ROOT / "notebooks", copy / "notebooks", ignore=shutil.ignore_patterns("*.ipynb_checkpoints"))
    t6 = copy / "data" / "tables" / "table06_six_key_industries_output_2018.csv"
    t6.write_text(t6.read_text(encoding="utf-8").replace("1233.42", "1233.43"), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-o", "addopts=", "--nbval",
         "--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
         str(copy / "notebooks" / "ch3_industry_base.ipynb")],
        cwd=tmp_path, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-2000:]
    assert "1233.42" in out and "1233.43" in out  # the diff shows the old and the new value
