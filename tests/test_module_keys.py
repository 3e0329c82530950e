"""Per-module keys: a notebook's key covers the ``aibook`` modules it imports (transitively), not the package.

Editing a helper re-executes the notebooks that use it and no other; the closure is read statically from
the notebook's cells and the modules' sources (:mod:`aibook.build.deps`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from aibook import build as B
from aibook.build import deps, keys
from aibook.paths import ROOT


def _names(files: list[Path], package_dir: Path) -> set[str]:
    return {f.relative_to(package_dir).as_posix() for f in files}


def _notebook(path: Path, *sources: str) -> Path:
    cells = [new_markdown_cell("import aibook.nothing  # markdown is not code")]
    nbformat.write(new_notebook(cells=cells + [new_code_cell(s) for s in sources]), path)
    return path


def _package(tmp_path: Path) -> Path:
    """A small package ``aibook`` with a subpackage, relative imports and an import inside a function."""
    pkg = tmp_path / "aibook"
    files = {
        "__init__.py": "from aibook.data import load\n",
        "data.py": "from aibook.paths import ROOT\n\ndef load():\n    from . import lazy\n",
        "paths.py": "ROOT = 1\n",
        "lazy.py": "",
        "figures.py": "from aibook import style\n",
        "style.py": "import matplotlib\n",
        "unused.py": "import aibook.figures\n",
        "audit/__init__.py": "from .checks import run\n",
        "audit/checks.py": "from ..analysis import f\nfrom aibook.audit.rules import RULES\n\ndef run():\n    pass\n",
        "audit/rules.py": "RULES = []\n",
        "analysis.py": "def f():\n    pass\n",
    }
    for name, text in files.items():
        (pkg / name).parent.mkdir(parents=True, exist_ok=True)
        (pkg / name).write_text(text, encoding="utf-8")
    return pkg


def test_closure_follows_imports_packages_and_relative_imports(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    base = {"__init__.py", "data.py", "paths.py", "lazy.py"}  # every import of aibook.x runs aibook/__init__.py
    a = _notebook(tmp_path / "a.ipynb", "from aibook import load, figures\nimport pandas as pd")
    assert _names(deps.module_closure(a, pkg), pkg) == base | {"figures.py", "style.py"}
    b = _notebook(tmp_path / "b.ipynb", "from aibook.audit import run", "x = 1")
    assert _names(deps.module_closure(b, pkg), pkg) == base | {
        "audit/__init__.py", "audit/checks.py", "audit/rules.py", "analysis.py"}
    c = _notebook(tmp_path / "c.ipynb", "import aibook.audit.rules as r")
    assert _names(deps.module_closure(c, pkg), pkg) == base | {
        "audit/__init__.py", "audit/checks.py", "audit/rules.py", "analysis.py"}
    d = _notebook(tmp_path / "d.ipynb", "import json")
    assert deps.module_closure(d, pkg) == []
    # a cell that cannot be parsed: every module counts (a key may be too wide, never too narrow)
    e = _notebook(tmp_path / "e.ipynb", "from aibook import load", "def broken(:\n    pass")
    assert _names(deps.module_closure(e, pkg), pkg) == {f.relative_to(pkg).as_posix() for f in pkg.rglob("*.py")}
    # IPython syntax is read as IPython reads it
    f = _notebook(tmp_path / "f.ipynb", "%matplotlib inline\nfrom aibook import figures")
    assert "figures.py" in _names(deps.module_closure(f, pkg), pkg)


def test_closure_of_the_real_notebooks() -> None:
    pkg = deps.PACKAGE_DIR
    audit = _names(deps.module_closure(ROOT / "notebooks" / "appendix_audit.ipynb"), pkg)
    meaning = _names(deps.module_closure(ROOT / "notebooks" / "ch1_meaning.ipynb"), pkg)
    assert {"__init__.py", "data.py", "nb.py", "tables.py"} <= audit & meaning
    assert "audit.py" in audit or "audit/__init__.py" in audit
    assert not any(name.startswith("audit") for name in meaning)
    assert not any(name.startswith(("build", "workshop", "__main__")) for name in audit | meaning)


def test_editing_a_module_changes_the_key_of_its_importers_only(tmp_path: Path) -> None:
    pkg = tmp_path / "aibook"
    shutil.copytree(deps.PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    mini = ROOT / "tests" / "minibook" / "notebooks"
    chips, industry = B.Job(mini / "mini_chips.ipynb"), B.Job(mini / "mini_industry.ipynb")
    env = B.environment_digest()
    before = {j.name: B.job_key(j, env, pkg) for j in (chips, industry)}
    with open(pkg / "periods.py", "a", encoding="utf-8") as fh:  # mini_industry imports it, mini_chips does not
        fh.write("\n# edited\n")
    after = {j.name: B.job_key(j, env, pkg) for j in (chips, industry)}
    assert after["mini_chips"] == before["mini_chips"] and after["mini_industry"] != before["mini_industry"]
    with open(pkg / "data.py", "a", encoding="utf-8") as fh:  # both import it
        fh.write("\n# edited\n")
    assert all(B.job_key(j, env, pkg) != after[j.name] for j in (chips, industry))


@pytest.mark.slow
def test_a_module_edit_re_executes_only_the_notebooks_that_import_it(
        tmp_path: Path, minibook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "src" / "aibook"  # the package whose sources count for the keys; the kernels run the real one
    shutil.copytree(deps.PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(keys, "PACKAGE_DIR", pkg)
    layout = B.Layout(tmp_path / "build")
    logs: list[str] = []

    def executed() -> list[str]:
        logs.clear()
        B.build(layout=layout, root=minibook, render_book=False, workers=2, log=logs.append)
        return sorted(m.split(":")[0].split()[-1] for m in logs if "executed in" in m)

    assert executed() == ["mini_chips", "mini_industry"]
    audit = next(p for p in (pkg / "audit.py", pkg / "audit" / "__init__.py") if p.is_file())
    with open(audit, "a", encoding="utf-8") as fh:  # imported by no notebook of the minibook
        fh.write("\n# edited\n")
    assert executed() == []
    with open(pkg / "periods.py", "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert executed() == ["mini_industry"]
