"""The workshop kit: exercises in every chapter, and a student folder without solutions that runs as given."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from aibook import figures, paths
from aibook.workshop import CHAPTERS, EXERCISE_TAG, MARKER, SOLUTION_TAG, build_workshop, student_notebook


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _exercise_cells(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source) for c in nb.cells if EXERCISE_TAG in _tags(c)]


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workshop(tmp_path_factory.mktemp("kit") / "workshop")


# ------------------------------------------------------------------------------------ the repo's notebooks
def _starters(chapter: str) -> int:
    nb = nbformat.read(paths.NOTEBOOKS_DIR / f"{chapter}.ipynb", as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" and EXERCISE_TAG in _tags(c))


def test_each_report_chapter_has_two_to_four_exercises() -> None:
    """A chapter of the report may span two pages (第四章); the workshop plans two to four exercises per chapter."""
    per_chapter: dict[str, int] = {}
    for page in CHAPTERS:
        per_chapter[page[:3]] = per_chapter.get(page[:3], 0) + _starters(page)
    assert all(2 <= n <= 4 for n in per_chapter.values()), per_chapter


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_two_to_four_exercises_with_solutions(chapter: str) -> None:
    nb = nbformat.read(paths.NOTEBOOKS_DIR / f"{chapter}.ipynb", as_version=4)
    tasks = [c for c in nb.cells if c.cell_type == "markdown" and EXERCISE_TAG in _tags(c)]
    starters = [c for c in nb.cells if c.cell_type == "code" and EXERCISE_TAG in _tags(c)]
    solutions = [c for c in nb.cells if SOLUTION_TAG in _tags(c)]
    assert 1 <= len(starters) <= 4, f"{chapter}: {len(starters)} exercises"
    assert len(tasks) == len(starters) == len(solutions)
    assert all(c.cell_type == "code" and "hide-input" in _tags(c) for c in solutions)
    for k, cell in enumerate(solutions, start=1):
        assert f"练习 {k} 参考答案" in cell.source, f"{chapter}: solution {k} lacks its caption"
    headings = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## 练习")]
    first = next(i for i, c in enumerate(nb.cells) if EXERCISE_TAG in _tags(c))
    assert len(headings) == 1 and headings[0] < first
    assert nb.cells[-1].source.startswith("_ = provenance(") and "remove-input" in _tags(nb.cells[-1])


# ------------------------------------------------------------------------------------ the student folder
def test_student_folder_layout(workshop: Path) -> None:
    for name in ("SETUP.md", "requirements.txt", "pyproject.toml", MARKER):
        assert (workshop / name).is_file(), name
    assert (workshop / "data" / "datapackage.json").is_file()
    assert (workshop / "aibook" / "__init__.py").is_file() and (workshop / "aibook" / "workshop.py").is_file()
    assert (workshop / "aibook" / "grading.py").is_file() and (workshop / "aibook" / "checks" / "keys.json").is_file()
    for chapter in CHAPTERS:  # the check files ship in the kit, one per exercise
        assert sorted((workshop / "aibook" / "checks" / chapter).glob("q*.py")), chapter
    assert "otter-grader==" in (workshop / "requirements.txt").read_text(encoding="utf-8")
    assert not list(workshop.rglob("__pycache__"))
    setup = (workshop / "SETUP.md").read_text(encoding="utf-8")
    for needle in ("pip install -r requirements.txt && pip install --no-deps -e .", "jupyter lab", "练习",
                   'grader.check("q1")', "answer_1 = None",
                   "ipykernel install", "noto-cjk-sans-otc", "UTF-8"):
        assert needle in setup
    expected = sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert sorted(p.name for p in (workshop / "notebooks").glob("*.ipynb")) == expected


@pytest.mark.parametrize("name", sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("*.ipynb")))
def test_student_notebooks_have_no_solutions_and_no_outputs(workshop: Path, name: str) -> None:
    original = nbformat.read(paths.NOTEBOOKS_DIR / name, as_version=4)
    student = nbformat.read(workshop / "notebooks" / name, as_version=4)
    assert not [c for c in student.cells if SOLUTION_TAG in _tags(c)]
    assert _exercise_cells(student) == _exercise_cells(original)
    kept = [(c.cell_type, c.source) for c in original.cells if SOLUTION_TAG not in _tags(c)]
    assert [(c.cell_type, c.source) for c in student.cells] == kept
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    nbformat.validate(student)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_chapters_keep_their_checks_and_name_their_chapter(workshop: Path, chapter: str) -> None:
    student = nbformat.read(workshop / "notebooks" / f"{chapter}.ipynb", as_version=4)
    assert student.metadata["aibook"] == {"chapter": chapter}  # `aibook grade` finds the chapter, whatever the name
    sources = [c.source for c in student.cells]
    starters = [i for i, c in enumerate(student.cells) if c.cell_type == "code" and EXERCISE_TAG in _tags(c)]
    for k, i in enumerate(starters, start=1):  # each exercise: its starter, then its check
        assert sources[i].rstrip().endswith(f"answer_{k} = None") and sources[i + 1] == f'grader.check("q{k}")'
    assert sum("Grader(" in s for s in sources) == 1


def test_rebuild_replaces_the_folder_and_refuses_foreign_folders(tmp_path: Path) -> None:
    dest = build_workshop(tmp_path / "kit")
    (dest / "stale.txt").write_text("left over", encoding="utf-8")
    assert build_workshop(dest) == dest
    assert not (dest / "stale.txt").exists() and (dest / "SETUP.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kit"]  # no staging or .old folder left behind
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        build_workshop(foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(ValueError):
        build_workshop(paths.ROOT)


def test_student_notebook_strips_solution_cells(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("task", metadata={"tags": ["exercise"]}),
                nbformat.v4.new_code_cell("answer = None", metadata={"tags": ["exercise"]}, execution_count=3,
                                          outputs=[nbformat.v4.new_output("stream", name="stdout", text="x")]),
                nbformat.v4.new_code_cell("print(42)", metadata={"tags": ["solution", "hide-input"]})]
    nbformat.write(nb, tmp_path / "x.ipynb")
    out = student_notebook(tmp_path / "x.ipynb")
    assert [c.source for c in out.cells] == ["task", "answer = None"]
    assert out.cells[1].outputs == [] and out.cells[1].execution_count is None


def test_ranked_bars_sorts_and_keeps_negative_values_visible() -> None:
    df = pd.DataFrame({"name": ["a", "b", "c"], "growth": [1.5, -6.5, 9.8]})
    fig = figures.ranked_bars(df, "name", "growth")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a", "c"]  # bottom-up: largest on top
    low, high = ax.get_xlim()
    assert low < -6.5 and high > 9.8
    assert {t.get_text() for t in ax.texts} == {"1.5%", "-6.5%", "9.8%"}
    plt.close(fig)


# ------------------------------------------------------------------------------------ as a student uses it
def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - a server of ours on 127.0.0.1
            return resp.status, resp.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def _kit_env(tmp_path: Path) -> dict[str, str]:
    """A student's environment: their own home and Jupyter folders, nothing of this project's on the path."""
    import os

    env = {**os.environ, "HOME": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter"),
           "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-run")}
    env.pop("PYTHONPATH", None)
    env.pop("AIBOOK_BUILD_DIR", None)
    return env


def _kit_run(workshop: Path, env: dict[str, str], *cmd: object) -> str:
    import subprocess

    proc = subprocess.run([str(c) for c in cmd], cwd=workshop, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"{cmd}: {proc.stdout[-1500:]}{proc.stderr[-1500:]}"
    return proc.stdout


@pytest.mark.slow
def test_the_kit_works_as_a_student_uses_it(student_kit: Path, tmp_path: Path) -> None:
    """SETUP.md, step by step, in a fresh virtual environment made from the kit's own files only
    (``python3.11 -m venv .venv``, ``pip install -r requirements.txt && pip install --no-deps -e .``: run in the
    background by tests/conftest.py while other tests run): the kit's aibook is the one imported, and `jupyter lab`
    starts and serves a chapter. A notebook runs in it as handed out (below), and so do the checks and grading."""
    import json
    import os
    import subprocess
    import time

    workshop = student_kit
    setup = (workshop / "SETUP.md").read_text(encoding="utf-8")
    assert "pip install -r requirements.txt && pip install --no-deps -e ." in setup and "jupyter lab" in setup
    env = _kit_env(tmp_path)
    py, bin_dir = workshop / ".venv" / "bin" / "python", workshop / ".venv" / "bin"
    where = _kit_run(workshop, env, py, "-c", "import aibook; print(aibook.__file__)").strip()
    assert Path(where).resolve().is_relative_to(workshop.resolve()), f"the kit runs another aibook: {where}"

    # `jupyter lab` exists, starts, and serves a chapter
    assert _kit_run(workshop, env, bin_dir / "jupyter", "lab", "--version").strip()[:1].isdigit()
    port, token = _free_port(), "aibook-test-token"
    server = subprocess.Popen([str(bin_dir / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                               f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
                               f"--ServerApp.root_dir={workshop}",
                               *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root; students don't
                              cwd=workshop, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline, status = time.monotonic() + 90, 0
        while time.monotonic() < deadline and status != 200:
            status, body = _get(f"{base}/api/contents/notebooks/ch3_industry_base.ipynb?token={token}")
            time.sleep(0.5)
        assert status == 200, "jupyter lab did not serve the chapter"
        served = json.loads(body)
        assert served["type"] == "notebook" and served["content"]["cells"]
        status, page = _get(f"{base}/lab?token={token}")
        assert status == 200 and b"JupyterLab" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
    stems = sorted(nb.stem for nb in (workshop / "notebooks").glob("*.ipynb"))
    assert stems == sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb")) == sorted(KIT_NOTEBOOKS)


#: the notebooks a student gets
KIT_NOTEBOOKS = [p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb")]


def undefined_names(folder: Path) -> str:
    """What ruff (F821–F823, the notebook's cells in order) finds read in the notebooks of ``folder`` and never
    defined before: a name only a removed solution defined."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F821,F822,F823",
                           "--output-format", "concise", *sorted(str(p) for p in folder.glob("*.ipynb"))],
                          capture_output=True, text=True)
    return "" if proc.returncode == 0 else proc.stdout + proc.stderr


def test_no_notebook_as_handed_out_reads_a_name_only_a_solution_defined(workshop: Path, tmp_path: Path) -> None:
    """Every notebook of the kit, with its solutions removed, still defines each name before a cell reads it (the
    starter cells give each answer's name); shown to bite on a starter removed."""
    assert undefined_names(workshop / "notebooks") == ""
    full = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("answer_1 = None", metadata={"tags": [EXERCISE_TAG]}),
        nbformat.v4.new_code_cell("helper = 3\nanswer_1 = helper * 2", metadata={"tags": [SOLUTION_TAG]}),
        nbformat.v4.new_code_cell("print(helper)")])  # a later cell reads what only the solution defined
    nbformat.write(full, tmp_path / "full.ipynb")
    (tmp_path / "kit").mkdir()
    nbformat.write(student_notebook(tmp_path / "full.ipynb"), tmp_path / "kit" / "page.ipynb")
    assert "Undefined name `helper`" in undefined_names(tmp_path / "kit")


#: the notebook run, as handed out, in the kit's environment (the chapter `jupyter lab` serves above; the grading
#: below runs chapter 4's as handed out too); the others are run with their solutions by nbval, and as handed out
#: they read no name only a solution defines (the test above)
KIT_RUN = ["ch3_industry_base"]


@pytest.mark.slow
@pytest.mark.parametrize("stem", KIT_RUN)
def test_a_notebook_as_handed_out_runs_in_the_kit(student_kit: Path, tmp_path: Path, stem: str) -> None:
    """The notebook as handed out (no solutions) runs in the kit's environment with the kit's aibook — through the
    kit's own build command, which SETUP.md also names (`python -m aibook build … --only …`)."""
    env = {**_kit_env(tmp_path), "AIBOOK_BUILD_DIR": str(tmp_path / "build")}  # the workers build side by side
    log = _kit_run(student_kit, env, student_kit / ".venv" / "bin" / "python", "-m", "aibook", "build",
                   "--only", stem)
    assert "1 executed" in log, log[-1500:]
    executed = nbformat.read(tmp_path / "build" / "executed" / f"{stem}.ipynb", as_version=4)
    assert not [c for c in executed.cells if SOLUTION_TAG in _tags(c)], stem


@pytest.mark.slow
def test_checks_and_grading_work_offline_in_the_kit(student_kit: Path, tmp_path: Path) -> None:
    """Checks and grading in the kit's own environment, with every connection off this machine refused."""
    workshop = student_kit
    env = _kit_env(tmp_path)
    py = workshop / ".venv" / "bin" / "python"

    def run(*cmd: object) -> str:
        return _kit_run(workshop, env, *cmd)

    offline = tmp_path / "offline"
    offline.mkdir()
    (offline / "sitecustomize.py").write_text(
        "import socket\n_connect = socket.socket.connect\n"
        "def connect(self, address):\n"
        "    if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ('127.0.0.1', '::1', "
        "'localhost'):\n"
        "        raise OSError('offline test: no network')\n"
        "    return _connect(self, address)\n"
        "socket.socket.connect = connect\n", encoding="utf-8")
    env["PYTHONPATH"] = str(offline)
    said = run(py, "-c", "import socket\ntry:\n    socket.create_connection(('8.8.8.8', 53), timeout=3)\n"
                         "except OSError as e:\n    print(e)")
    assert "offline test" in said
    chapter = "ch4_applications"
    check = run(py, "-c", "from aibook.grading import Grader\n"
                          f"g = Grader('{chapter}')\nprint(repr(g.check('q1', {{'answer_1': 7}})))\n"
                          "print(repr(g.check('q2', {'answer_2': None})))")
    assert "还不对" in check and "提示：" in check and "还没有作答" in check
    room = tmp_path / "room"
    wrong = nbformat.read(workshop / "notebooks" / f"{chapter}.ipynb", as_version=4)
    for cell in wrong.cells:
        cell.source = cell.source.replace("answer_1 = None", "answer_1 = 7")
    (room / "bo").mkdir(parents=True)
    nbformat.write(wrong, room / "bo" / f"{chapter}.ipynb")
    (room / "ana").mkdir()
    shutil.copy(paths.NOTEBOOKS_DIR / f"{chapter}.ipynb", room / "ana" / f"{chapter}.ipynb")  # with solutions
    graded = run(py, "-m", "aibook", "grade", room, "--out", tmp_path / "results.csv")
    assert "2 位学员" in graded, graded
    rows = (tmp_path / "results.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1:] == ["ana,passed,passed,", "bo,failed,not attempted,"], rows
