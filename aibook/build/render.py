"""Rendering: Jupyter Book turns the executed notebooks into HTML (and LaTeX into the PDF), never in place.

Jupyter Book renders a staging copy of the book (``execute_notebooks: 'off'``: it only reads what papermill
executed) and the new HTML replaces the last good book only when the render succeeded (:mod:`.swap`); a
killed or failed render leaves the old book untouched and :func:`recover` cleans up after it. A render is
skipped when nothing it reads changed: the book's files, the executed notebooks, the PDF, the package and
the pinned environment (the render key, stamped into the HTML folder).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from aibook import paths
from aibook.build.keys import environment_digest, package_digest
from aibook.build.layout import BuildError, Layout, rel, say
from aibook.build.noop import BOOK_FILES as BOOK_FILES
from aibook.build.noop import RENDER_STAMP as RENDER_STAMP
from aibook.build.swap import recover_swap, stage_dir, swap
from aibook.pdf import PDF_NAME


def render_key(executed: Iterable[Path], root: Path = paths.ROOT, extra: Iterable[Path] = ()) -> str:
    """Hash of everything a render reads (see the module's docstring)."""
    h = hashlib.sha256()
    for f in extra:
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    files = [root / f for f in BOOK_FILES] + sorted((root / "book").rglob("*"))
    for f in files:
        if f.is_file():
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    for f in sorted(executed):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    h.update(environment_digest(root).encode())
    h.update(package_digest().encode())
    return h.hexdigest()


def recover(layout: Layout) -> None:
    """Undo what an interrupted build left: restore a half-swapped book, drop stale staging dirs."""
    recover_swap(layout.html, ".stage-*")
    for partial in layout.executed.glob(".*.partial.ipynb") if layout.executed.exists() else []:
        partial.unlink(missing_ok=True)


def jupyter_book_cmd() -> list[str]:
    """The ``jupyter-book`` of this environment (next to its Python), else the one on PATH."""
    exe = Path(sys.executable).with_name("jupyter-book")
    return [str(exe)] if exe.exists() else ["jupyter-book"]


def copy_data(data_dir: Path, html: Path) -> None:
    """The data package beside the HTML (``_static/data/``): each table links the CSV it was computed from."""
    shutil.copytree(data_dir, html / "_static" / "data", dirs_exist_ok=True,
                    ignore=lambda _d, names: [n for n in names if not (Path(_d, n).is_dir()
                                                                      or n.endswith((".csv", ".json", ".md")))])


def render(layout: Layout, notebooks: list[Path], *, root: Path = paths.ROOT, force: bool = False,
           log: Callable[[str], None] = say, data_dir: Path = paths.DATA_DIR, pages: Sequence[Path] = (),
           ledger: pd.DataFrame | None = None, parameters: Mapping[str, Any] | None = None) -> bool:
    """Render the executed notebooks with Jupyter Book in a staging dir; swap in on success.

    ``data_dir`` (the package the notebooks read) is copied beside the HTML for the tables' download links.
    ``pages`` are generated pages (a variant's page of differences and its figure) added to the book's 附录.
    The ledger of the notebooks (every number shown, :mod:`aibook.ledger`) goes beside the HTML; the ledger of
    the book it replaces is kept as ``ledger-previous.csv`` so that the build can say what changed.
    Returns ``False`` when nothing changed since the last render (the book is left as it is).
    """
    from aibook.build.editions import PREVIOUS
    from aibook.ledger import LEDGER_CSV, build_ledger, write_ledger

    pdf = layout.pdf
    key = render_key(notebooks, root, extra=[pdf, *pages])
    stamp = layout.html / RENDER_STAMP
    if not force and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        log("  = book: up to date")
        return False
    stage = stage_book(layout, notebooks, root, pages)
    try:
        start = time.monotonic()
        log("  ▶ book: rendering with Jupyter Book")
        proc = subprocess.run(
            [*jupyter_book_cmd(), "build", str(stage), "--path-output", str(stage), "-W", "-n", "--keep-going"],
            capture_output=True, text=True, env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
        )
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
            raise BuildError(f"Jupyter Book failed (exit {proc.returncode}); the last good book is kept.\n{tail}")
        new_html = stage / "_build" / "html"
        if pdf.is_file():  # the PDF edition, linked from the home page
            shutil.copy2(pdf, new_html / "_static" / PDF_NAME)
        else:  # no PDF this time (TeX missing, or mode off): no link to it
            drop_pdf_link(new_html)
        copy_data(data_dir, new_html)
        write_ledger(build_ledger(notebooks) if ledger is None else ledger, new_html / "_static", parameters)
        write_inputs(layout, notebooks, new_html / "_static")
        (new_html / RENDER_STAMP).write_text(key, encoding="utf-8")
        previous, current = layout.build_dir / PREVIOUS, layout.html / "_static" / LEDGER_CSV
        if current.is_file():
            shutil.copy2(current, previous)
        else:
            previous.unlink(missing_ok=True)
        swap(new_html, layout.html)
        log(f"  ✓ book: rendered in {time.monotonic() - start:.1f} s")
        return True
    finally:
        shutil.rmtree(stage, ignore_errors=True)


#: beside the HTML: for each page, the SHA-256 of every file its execution read (linked from each page's banner)
INPUTS_JSON = "inputs.json"


def write_inputs(layout: Layout, notebooks: Sequence[Path], folder: Path) -> Path:
    """``inputs.json``: page → data file → SHA-256, from the execution records of ``notebooks``.

    The pages' banners list the files they read but not their digests (the committed outputs change only when
    what a reader sees changes); the digests of this edition's inputs are here, one file for the book.
    """
    pages: dict[str, dict[str, str]] = {}
    for nb in notebooks:
        record = layout.cache / f"{nb.stem}.json"
        if not record.is_file():
            continue
        inputs = json.loads(record.read_text(encoding="utf-8")).get("inputs", {})
        pages[nb.stem] = {paths.data_relative(path): digest for path, digest in sorted(inputs.items())}
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / INPUTS_JSON
    out.write_text(json.dumps(pages, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out


def stage_book(layout: Layout, notebooks: list[Path], root: Path, pages: Sequence[Path] = ()) -> Path:
    """A staging copy of the book (configuration, pages, the executed notebooks) in the build folder.

    Generated ``pages`` go into ``book/``; each Markdown one is listed in the staged ``_toc.yml`` under 附录.
    """
    stage = stage_dir(layout.build_dir, ".stage-")
    for name in BOOK_FILES:
        shutil.copy2(root / name, stage / name)
    shutil.copytree(root / "book", stage / "book")
    (stage / "notebooks").mkdir()
    for nb in notebooks:
        shutil.copy2(nb, stage / "notebooks" / nb.name)
    for page in pages:
        shutil.copy2(page, stage / "book" / page.name)
        if page.suffix == ".md":
            add_to_toc(stage / "_toc.yml", f"book/{page.stem}")
    return stage


def add_to_toc(toc_file: Path, doc: str, caption: str = "附录") -> None:
    """List ``doc`` last in the part titled ``caption`` (or last of all, in a book without parts)."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    part = next((p for p in toc.get("parts", []) if p.get("caption") == caption), None)
    (part["chapters"] if part else toc.setdefault("chapters", [])).append({"file": doc})
    toc_file.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def render_pdf(layout: Layout, notebooks: list[Path], mode: str, force: bool, root: Path,
               log: Callable[[str], None], pages: Sequence[Path] = ()) -> str | None:
    """Typeset the PDF when ``mode`` asks for it and it is stale; return the LaTeX error, if any.

    ``pages`` are the generated pages the HTML has too (a variant's 《本版与报告原版的差异》): the PDF has them.

    ``auto``: where TeX is incomplete, say which Debian packages would add the PDF and go on (the HTML is
    built either way). ``on``: an incomplete TeX is an error.
    """
    from aibook import pdf as P

    if mode == "off":
        return None
    try:
        P.check_tex()
    except P.TexIncomplete as exc:
        if mode == "on":
            raise BuildError(str(exc)) from None
        log(f"  note: PDF edition skipped — {exc}")
        return None
    key = render_key(notebooks, root, extra=pages)
    stamp = layout.pdf.with_name(".pdf-key")
    if not force and layout.pdf.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == key:
        log(f"  = pdf: up to date ({rel(layout.pdf)})")
        return None
    stage = stage_book(layout, notebooks, root, pages)
    try:
        P.typeset(stage, layout.pdf.parent, layout.fonts, jupyter_book_cmd(), log)
        stamp.write_text(key, encoding="utf-8")
    except RuntimeError as exc:
        return str(exc)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return None


_PDF_LINK = re.compile(r'<p class="aibook-pdf-link">.*?</p>\s*', re.S)


def drop_pdf_link(html_dir: Path) -> list[Path]:
    """Remove the home page's “下载 PDF 版” paragraph (class ``aibook-pdf-link``) from every page that has it.

    Called when the build has no PDF to copy beside the HTML, so that the book never links a file it lacks.
    Returns the pages changed.
    """
    changed = []
    for page in sorted(html_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if 'class="aibook-pdf-link"' in text:
            page.write_text(_PDF_LINK.sub("", text), encoding="utf-8")
            changed.append(page)
    return changed
