"""The workshop kit: exercises in every chapter, and a student folder without solutions that runs as given."""

from __future__ import annotations

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
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_two_to_four_exercises_with_solutions(chapter: str) -> None:
    nb = nbformat.read(paths.NOTEBOOKS_DIR / f"{chapter}.ipynb", as_version=4)
    tasks = [c for c in nb.cells if c.cell_type == "markdown" and EXERCISE_TAG in _tags(c)]
    starters = [c for c in nb.cells if c.cell_type == "code" and EXERCISE_TAG in _tags(c)]
    solutions = [c for c in nb.cells if SOLUTION_TAG in _tags(c)]
    assert 2 <= len(starters) <= 4, f"{chapter}: {len(starters)} exercises"
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
    assert not list(workshop.rglob("__pycache__"))
    setup = (workshop / "SETUP.md").read_text(encoding="utf-8")
    for needle in ("pip install -r requirements.txt && pip install --no-deps -e .", "jupyter lab", "练习",
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


# ------------------------------------------------------------------------------------ runs as given
@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_chapter_runs_as_given(workshop: Path, chapter: str, tmp_path: Path) -> None:
    import papermill as pm

    folder = workshop / "notebooks"
    out = tmp_path / f"{chapter}.ipynb"
    pm.execute_notebook(str(folder / f"{chapter}.ipynb"), str(out), kernel_name="python3", cwd=str(folder),
                        progress_bar=False, log_output=False, start_timeout=180)
    executed = nbformat.read(out, as_version=4)
    stderr = [o.get("text", "") for c in executed.cells for o in c.get("outputs", [])
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not stderr, stderr
    assert any(EXERCISE_TAG in _tags(c) and c.get("execution_count") for c in executed.cells)
