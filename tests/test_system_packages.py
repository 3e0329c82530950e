"""One list of system packages (debian-packages.txt): the Makefile, .ci/run, the README and the build's
TeX check read it, and the check names the Debian package that provides whatever is missing."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from aibook import pdf as P
from aibook import system
from aibook.paths import ROOT

ALL = system.names()


def test_list_parses_with_groups_and_checks() -> None:
    pkgs = system.packages()
    assert {p.group for p in pkgs} == set(system.GROUPS)
    assert len(ALL) == len(set(ALL))
    for name in ("make", "python3-venv", "texlive-xetex", "texlive-fonts-recommended", "fonts-noto-cjk", "chromium"):
        assert name in ALL, name
    pdf = {p.name: p.checks for p in system.packages("pdf")}
    assert all(pdf.values()), "every PDF package names a file or program that proves it installed"
    assert "tex:pzdr.tfm" in pdf["texlive-fonts-recommended"] and "tex:xeCJK.sty" in pdf["texlive-lang-chinese"]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_makefile_installs_exactly_the_list() -> None:
    out = subprocess.run(["make", "-s", "--no-print-directory", "-n", "system-packages"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert out.split("--no-install-recommends", 1)[1].replace("\\", " ").split() == ALL
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert not re.search(r"texlive|chromium|poppler", makefile), "the Makefile names no package itself"


def test_ci_installs_the_list_and_sets_ci() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "debian-packages.txt" in run and "export CI=true" in run and "make test" in run
    code = "\n".join(line for line in run.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"texlive|chromium|poppler|fonts-noto", code), ".ci/run names no package itself"
    listed = subprocess.run(["bash", "-c", "sed -e 's/#.*//' debian-packages.txt | awk 'NF {print $1}'"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert listed == ALL


def test_readme_names_every_package() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "debian-packages.txt" in readme and "make system-packages" in readme
    for group in system.GROUPS:
        row = re.search(rf"^\| {group} \| (.*?) \|", readme, re.M)
        assert row, f"README.md has no row for the {group} packages"
        assert re.findall(r"`([^`]+)`", row.group(1)) == system.names(group), f"README.md: {group} row"


def test_missing_tex_files_are_named_with_their_package(monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = shutil.which
    monkeypatch.setattr(system, "_tex_found", lambda files: {f for f in files if f != "pzdr.tfm"})
    monkeypatch.setattr(system, "_font_found", lambda family: True)
    monkeypatch.setattr(system.shutil, "which", lambda name: "/usr/bin/" + name if name != "latexmk" else None)
    missing = system.pdf_missing()
    assert missing == {"latexmk": ["bin:latexmk"], "texlive-fonts-recommended": ["tex:pzdr.tfm"]}
    message = str(P.TexIncomplete(missing))
    assert "texlive-fonts-recommended (tex:pzdr.tfm)" in message
    assert "apt-get install --no-install-recommends latexmk texlive-fonts-recommended" in message
    monkeypatch.setattr(system.shutil, "which", real_which)


def test_without_kpsewhich_every_tex_file_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system.shutil, "which", lambda name: None)
    monkeypatch.setattr(system, "_font_found", lambda family: False)
    assert set(system.pdf_missing()) == set(system.names("pdf"))
