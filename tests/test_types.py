"""The package's type annotations hold: mypy, strict, over aibook/ (configuration in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from aibook.paths import ROOT


def test_mypy_strict_is_clean() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
