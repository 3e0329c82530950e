"""System packages the project needs beyond pip, from ``debian-packages.txt``, and whether they are there.

The list is one file so that the Makefile, ``.ci/run``, the README and the build's messages cannot drift
apart. For the PDF edition each package names the files that prove it installed (a program, a file TeX
finds with ``kpsewhich``, a font fontconfig knows): checking the binaries alone let a machine with an
incomplete TeX start the PDF and fail half-way (``pzdr.tfm`` of ``texlive-fonts-recommended``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from aibook import paths

PACKAGE_LIST = paths.ROOT / "debian-packages.txt"
GROUPS = ("base", "pdf", "test")


@dataclass(frozen=True)
class Package:
    """One Debian package: its group and the checks that show it is installed."""

    name: str
    group: str
    checks: tuple[str, ...] = ()


def packages(*groups: str, path: Path = PACKAGE_LIST) -> list[Package]:
    """The packages of ``groups`` (all groups when none is given), in file order."""
    out = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].split()
        if not line:
            continue
        if len(line) < 2 or line[1] not in GROUPS:
            raise ValueError(f"{path}:{number}: expected 'package group [checks…]' with a group in {GROUPS}")
        pkg = Package(line[0], line[1], tuple(line[2:]))
        if not groups or pkg.group in groups:
            out.append(pkg)
    return out


def names(*groups: str) -> list[str]:
    return [p.name for p in packages(*groups)]


def _tex_found(files: Iterable[str]) -> set[str]:
    files = list(files)
    if not files or shutil.which("kpsewhich") is None:
        return set()
    proc = subprocess.run(["kpsewhich", *files], capture_output=True, text=True)
    return {Path(line.strip()).name for line in proc.stdout.splitlines() if line.strip()}


def _font_found(family: str) -> bool:
    if shutil.which("fc-match") is None:
        return False
    proc = subprocess.run(["fc-match", "-f", "%{family}", family], capture_output=True, text=True)
    return family in [f.strip() for f in proc.stdout.split(",")]


def failed_checks(pkgs: Iterable[Package]) -> dict[str, list[str]]:
    """Per package, the checks that fail on this machine (packages whose checks all pass are left out)."""
    pkgs = list(pkgs)
    tex = _tex_found(c[4:] for p in pkgs for c in p.checks if c.startswith("tex:"))
    failed: dict[str, list[str]] = {}
    for pkg in pkgs:
        for check in pkg.checks:
            kind, _, what = check.partition(":")
            ok = {"bin": lambda w: shutil.which(w) is not None,
                  "tex": lambda w: w in tex,
                  "font": lambda w: _font_found(w.replace("_", " "))}[kind](what)
            if not ok:
                failed.setdefault(pkg.name, []).append(check)
    return failed


def pdf_missing() -> dict[str, list[str]]:
    """What the PDF edition lacks here: ``{debian package: [failed checks]}``; empty when TeX is complete."""
    return failed_checks(packages("pdf"))


def install_hint(missing: Iterable[str]) -> str:
    return "sudo apt-get install --no-install-recommends " + " ".join(missing)
