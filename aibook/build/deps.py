"""Which ``aibook`` modules a notebook runs: the static closure of its imports.

A notebook's cache key covers the sources of these modules only, so editing a helper re-executes the
chapters that import it (directly or through another module) and no other. The closure is read from the
code, never by importing it: the import statements of the notebook's code cells, then, transitively, those
of each module reached (also the ones inside functions). Importing ``aibook.x.y`` runs ``aibook/__init__.py``
and ``aibook/x/__init__.py`` first, so they are in the closure too; ``from aibook import load`` names a
function re-exported by ``aibook/__init__.py`` and brings in that file and what it imports.

Where a cell cannot be parsed, the closure is every module of the package: a key may be too wide, never
too narrow.
"""

from __future__ import annotations

import ast
import json
from functools import lru_cache
from pathlib import Path

import nbformat

from aibook.build.noop import PACKAGE_DIR as PACKAGE_DIR


def _cell_tree(source: str) -> ast.Module | None:
    """The AST of a code cell; IPython syntax (``%magic``, ``!cmd``) is translated first."""
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))
    except (ImportError, SyntaxError, ValueError):
        return None


def imported_names(tree: ast.AST, module: str | None = None, is_package: bool = False) -> set[str]:
    """The dotted names ``tree`` may import; ``from m import n`` gives ``m`` and ``m.n`` (``n`` may be a module).

    ``module`` is the name of the module the tree belongs to, to resolve relative imports (``from .x import y``);
    ``is_package`` says that it is a package's ``__init__.py``.
    """
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if module is None:
                    continue
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def module_file(name: str, package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The file of module ``name`` (``aibook.x`` → ``aibook/x.py`` or ``aibook/x/__init__.py``) if it exists."""
    parts = name.split(".")
    if not parts or parts[0] != package_dir.name or not all(p.isidentifier() for p in parts):
        return None
    base = package_dir.joinpath(*parts[1:])
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if len(parts) > 1 and base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


@lru_cache(maxsize=512)
def _module_imports(path: Path, name: str, stamp: tuple[int, int]) -> frozenset[str]:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError:  # the kernel would fail on it anyway; its own source is still in the key
        return frozenset()
    return frozenset(imported_names(tree, name, path.name == "__init__.py"))


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def closure(names: set[str], package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The package files that importing ``names`` runs: the modules, their packages, what they import."""
    seen: dict[str, Path | None] = {}
    todo = sorted(names)
    while todo:
        for name in _with_parents(todo.pop()):
            if name in seen:
                continue
            seen[name] = path = module_file(name, package_dir)
            if path is not None:
                st = path.stat()
                todo.extend(_module_imports(path, name, (st.st_mtime_ns, st.st_size)))
    return sorted({p for p in seen.values() if p is not None})


def notebook_cells(path: Path) -> list[tuple[str, str, list[str]]]:
    """What a notebook *does*: each cell's type, source and sorted tags (not outputs, counts or timings).

    Read as plain JSON, once per file version in a process: a no-op build asks for each notebook's key several
    times, and schema validation of a notebook with its outputs costs more than everything else a no-op does.
    """
    st = path.stat()
    return _cells(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=256)
def _cells(path: str, _mtime_ns: int, _size: int) -> list[tuple[str, str, list[str]]]:
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    if nb.get("nbformat") != 4:  # older formats: let nbformat upgrade them
        nb = nbformat.read(path, as_version=4)
    return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
             sorted(c.get("metadata", {}).get("tags", []))) for c in nb["cells"]]


def notebook_imports(notebook: Path) -> set[str] | None:
    """The dotted names a notebook's code cells may import; ``None`` when a cell cannot be parsed.

    Parsed once per file version in a process (a build asks for each notebook's key twice).
    """
    st = notebook.stat()
    found = _notebook_imports(str(notebook), st.st_mtime_ns, st.st_size)
    return None if found is None else set(found)


@lru_cache(maxsize=256)
def _notebook_imports(path: str, _mtime_ns: int, _size: int) -> frozenset[str] | None:
    found: set[str] = set()
    for cell_type, source, _tags in notebook_cells(Path(path)):
        if cell_type != "code":
            continue
        tree = _cell_tree(source)
        if tree is None:
            return None
        found |= imported_names(tree)
    return frozenset(found)


def module_closure(notebook: Path, package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The files of the package that ``notebook`` runs (every one when a cell cannot be parsed)."""
    names = notebook_imports(notebook)
    if names is None:
        return sorted(package_dir.rglob("*.py"))
    return closure(names, package_dir)
