"""The PDF edition: Jupyter Book's LaTeX builder (xelatex + xeCJK) over the executed notebooks.

Called by :func:`aibook.build.build` with ``pdf="auto"`` (``make book``: typeset where TeX is complete,
otherwise say which Debian packages would add it) or ``pdf="on"`` (``make pdf``: TeX must be complete).
A PDF that fails on a complete TeX is a defect: the build fails with the LaTeX error lines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from aibook import system, texfonts

PDF_NAME = "aibook.pdf"


class TexIncomplete(RuntimeError):
    """TeX (or a file the PDF needs) is missing; the message names the Debian packages to install."""

    def __init__(self, missing: dict[str, list[str]]):
        self.missing = missing
        detail = "; ".join(f"{pkg} ({', '.join(checks)})" for pkg, checks in missing.items())
        super().__init__(f"the PDF edition needs {detail}. Install with:\n  {system.install_hint(missing)}")


def check_tex() -> None:
    """Raise :class:`TexIncomplete` unless every file the PDF build opens is there."""
    missing = system.pdf_missing()
    if missing:
        raise TexIncomplete(missing)


def configure(config: Path, font_dir: Path) -> None:
    """The printed edition: no code cells (the HTML keeps them behind a toggle), the SC faces as files."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    sphinx_config = data.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["nb_remove_code_source"] = True
    sphinx_config.setdefault("latex_elements", {})["fontpkg"] = texfonts.fontpkg(texfonts.sc_fonts(font_dir))
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def latex_errors(log_file: Path, fallback: str) -> str:
    """The ``!`` lines of a LaTeX log (the error and where it happened), else the tail of the output."""
    errors: list[str] = []
    if log_file.is_file():
        lines = log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("!"):
                errors.extend(lines[i:i + 3])
    return "\n".join(errors[:15] or fallback.strip().splitlines()[-20:])


def typeset(stage: Path, out_dir: Path, font_dir: Path, jupyter_book: list[str],
            log: Callable[[str], None]) -> Path:
    """Typeset the staged book into ``out_dir/aibook.pdf`` (replaced only when the new one is complete)."""
    configure(stage / "_config.yml", font_dir)
    start = time.monotonic()
    log("  ▶ pdf: typesetting with xelatex (Jupyter Book LaTeX builder)")
    proc = subprocess.run([*jupyter_book, "build", str(stage), "--path-output", str(stage), "--builder", "pdflatex"],
                          capture_output=True, text=True)
    latex = stage / "_build" / "latex"
    built = latex / "book.pdf"
    if proc.returncode != 0 or not built.is_file():
        raise RuntimeError("the PDF build failed with TeX complete (a defect); the previous PDF is kept.\n"
                           + latex_errors(latex / "book.log", proc.stdout + proc.stderr))
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / PDF_NAME
    tmp = out_dir / f".{PDF_NAME}.{os.getpid()}"
    shutil.copy2(built, tmp)
    shutil.copy2(latex / "book.log", out_dir / "book.log")
    os.replace(tmp, pdf)
    log(f"  ✓ pdf: {pdf} in {time.monotonic() - start:.1f} s")
    return pdf
