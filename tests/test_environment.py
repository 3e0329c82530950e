"""environment.yml (conda) and requirements.txt (pip) describe the same pinned environment."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from lock import canonical, names, pins  # noqa: E402


def _conda_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    out = {}
    for spec in pip:
        name, version = re.split(r"==", spec, maxsplit=1)
        out[canonical(name)] = version
    return out


def test_environment_yml_pins_the_same_packages_and_versions() -> None:
    assert _conda_pins() == pins(ROOT / "requirements.txt")


def test_every_direct_dependency_is_pinned() -> None:
    pinned = pins(ROOT / "requirements.txt")
    missing = [n for n in names(ROOT / "requirements.in") if canonical(n) not in pinned]
    assert not missing, f"run `make lock`: {missing}"


def test_design_dependencies_are_present() -> None:
    pinned = pins(ROOT / "requirements.txt")
    for name in ("jupyter-book", "pandas", "matplotlib", "seaborn", "nbval", "papermill", "frictionless"):
        assert name in pinned
    assert pinned["jupyter-book"].startswith("1."), "the design uses Jupyter Book 1.x"


def test_python_version_matches() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]
