"""Self-checking exercises (otter-grader check files + salted digests) and grading a room in one command."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from aibook import grading, paths
from aibook.workshop import SOLUTION_TAG, student_notebook

CHAPTER = "ch4_applications"  # the shortest chapter with exercises: the folder tests execute it


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


# ------------------------------------------------------------------------------------ the check files
def test_every_exercise_of_every_chapter_has_a_check_and_a_check_cell() -> None:
    keys = grading.load_keys()
    for chapter in grading.CHAPTERS:
        nb = nbformat.read(paths.NOTEBOOKS_DIR / f"{chapter}.ipynb", as_version=4)
        starters = [c for c in nb.cells if c.cell_type == "code" and "exercise" in _tags(c)]
        exs = grading.exercises(chapter)
        assert [ex.question for ex in exs] == [f"q{k}" for k in range(1, len(starters) + 1)], chapter
        checks = [c.source for c in nb.cells if "check" in _tags(c)]
        assert checks[0].startswith("from aibook.grading import Grader")
        assert checks[1:] == [f'grader.check("{ex.question}")' for ex in exs]
        for k, (ex, starter) in enumerate(zip(exs, starters, strict=True), start=1):
            assert ex.variable == f"answer_{k}" and starter.source.rstrip().endswith(f"answer_{k} = None")
            if grading._module_vars(ex.path).get("KEYED", True):
                assert re.fullmatch(r"[0-9a-f]{64}", keys[chapter][ex.question])


def test_committed_outputs_show_every_check_passing_on_the_solutions() -> None:
    """nbval re-executes the chapters and compares these outputs: the solutions pass every check."""
    for chapter in grading.CHAPTERS:
        nb = nbformat.read(paths.NOTEBOOKS_DIR / f"{chapter}.ipynb", as_version=4)
        shown = ["".join(o.get("data", {}).get("text/plain", "")) for c in nb.cells
                 if "check" in _tags(c) and c.source.startswith("grader.check") for o in c.outputs]
        assert len(shown) == len(grading.exercises(chapter)), chapter
        assert all(s.endswith("正确") for s in shown), shown


def test_a_wrong_answer_fails_with_its_hint_and_none_is_not_attempted() -> None:
    grader = grading.Grader(CHAPTER)
    value_hint = grading._module_vars(grading.check_file(CHAPTER, "q1"))["value"].failure_message
    wrong = grader.check("q1", {"answer_1": 123456})
    assert wrong.status == grading.FAILED and wrong.hint == value_hint and "123456" not in repr(wrong)
    assert "提示" in repr(wrong) and "还不对" in repr(wrong)
    form = grader.check("q1", {"answer_1": "很多"})
    assert form.status == grading.FAILED and "应是一个数" in form.hint
    assert grader.check("q2", {"answer_1": 1}).status == grading.NOT_ATTEMPTED
    assert grader.check("q2", {"answer_2": None}).status == grading.NOT_ATTEMPTED
    with pytest.raises(ValueError, match="no exercise"):
        grader.check("q9", {})
    with pytest.raises(ValueError, match="no checks"):
        grading.Grader("nope")


def test_check_uses_the_callers_variables() -> None:
    """``grader.check("q2")`` with no ``env`` reads the notebook's globals (the caller's module here)."""
    globals()["answer_2"] = ["不存在的类别"]
    try:
        result = grading.Grader(CHAPTER).check("q2")
    finally:
        del globals()["answer_2"]
    assert result.status == grading.FAILED and "类别不对" in result.hint


def test_canonical_forms_accept_the_usual_shapes_and_name_what_is_expected() -> None:
    s = pd.Series({"a": 1.04, "b": 2.0})
    frame = s.rename_axis("k").reset_index(name="v")
    assert grading.as_mapping(s, 1) == grading.as_mapping(frame, 1) == grading.as_mapping({"b": 2, "a": 1.0}, 1)
    assert grading.as_mapping(frame.assign(x=0), 1, key="k", value="v") == [("a", "1.0"), ("b", "2.0")]
    assert grading.as_numbers((1.04, -0.04), 1, 2) == ["1.0", "0.0"]  # -0.0 is 0.0
    assert grading.as_names(pd.Series(["x", "y"])) == ["x", "y"] and grading.as_set(["y", "x", "x"]) == ["x", "y"]
    assert grading.as_table(pd.DataFrame({"c": [1.0, None]}, index=["r1", "r2"]), 0) == [("r1", "c", "1")]
    for bad, call in [(None, lambda v: grading.as_number(v, 0)), ("x", lambda v: grading.as_numbers(v, 0, 2)),
                      ([1], lambda v: grading.as_numbers(v, 0, 2)), (3, lambda v: grading.as_mapping(v, 0)),
                      (pd.DataFrame({"a": [1], "b": [2], "c": [3]}), lambda v: grading.as_mapping(v, 0)),
                      ([1, 2], lambda v: grading.columns(v, ["a"]))]:
        with pytest.raises(grading.CheckError):
            call(bad)
    assert grading.digest("c", "q1", ["1"]) != grading.digest("c", "q2", ["1"])  # salted per exercise


# ------------------------------------------------------------------------------------ no answers in the kit
def _kit_text(chapter: str) -> str:
    nb = student_notebook(paths.NOTEBOOKS_DIR / f"{chapter}.ipynb")
    checks = "".join(p.read_text(encoding="utf-8") for p in (grading.CHECKS_DIR / chapter).glob("*.py"))
    return "\n".join(c.source for c in nb.cells) + checks + grading.KEYS_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize("chapter", grading.CHAPTERS)
def test_student_notebook_and_checks_hold_no_solution_code(chapter: str) -> None:
    original = nbformat.read(paths.NOTEBOOKS_DIR / f"{chapter}.ipynb", as_version=4)
    kept = {ln.split("  #")[0].strip() for c in original.cells if SOLUTION_TAG not in _tags(c) for ln in c.source.splitlines()}
    text = {ln.split("  #")[0].strip() for ln in _kit_text(chapter).splitlines()}
    for cell in original.cells:
        if SOLUTION_TAG not in _tags(cell):
            continue
        for line in cell.source.splitlines():
            line = line.strip()
            if len(line) > 12 and line not in kept and not line.startswith(("from ", "import ")):
                assert line not in text, f"{chapter}: solution line in the kit: {line}"


# ------------------------------------------------------------------------------------ executing notebooks


@pytest.mark.slow
@pytest.mark.parametrize("chapter", grading.CHAPTERS)
def test_solutions_pass_every_check_and_their_key_numbers_are_not_in_the_kit(chapter: str) -> None:
    import nbclient  # noqa: F401 - the grader's executor

    nb = nbformat.read(paths.NOTEBOOKS_DIR / f"{chapter}.ipynb", as_version=4)
    probe = nbformat.v4.new_code_cell(
        "import json as _json\nfrom aibook import grading as _gr\n"
        f"print('@@KEYS' + _json.dumps({{ex.question: _gr._module_vars(ex.path)['canonical'](globals()[ex.variable]) "
        f"for ex in _gr.exercises({chapter!r})}}, ensure_ascii=False))")
    nb.cells.append(probe)
    results, problem = grading.execute_and_check(nb, chapter, timeout=600)
    assert problem == "", problem
    assert {q: r["status"] for q, r in results.items()} == {ex.question: grading.PASSED
                                                             for ex in grading.exercises(chapter)}
    text = "".join(o.get("text", "") for o in probe.outputs)
    canon = json.loads(next(ln for ln in text.splitlines() if ln.startswith("@@KEYS"))[len("@@KEYS"):])
    numbers = {v for v in re.findall(r'"(-?\d+(?:\.\d+)?)"', json.dumps(canon, ensure_ascii=False))
               if len(v.replace("-", "").replace(".", "")) >= 3 and not re.fullmatch(r"-?\d+\.0+", v)}
    numbers |= {v.split(".")[0] for v in re.findall(r'"(\d{4,}(?:\.\d+)?)"', json.dumps(canon)) if "." in v}
    numbers -= {str(y) for y in range(1990, 2031)}  # years are the data's, not answers
    kit = _kit_text(chapter)
    leaked = sorted(n for n in numbers if re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", kit))
    assert not leaked, f"{chapter}: answer values found in the student notebook or checks: {leaked}"


def _write(nb: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four made-up submissions: right, wrong, raising (yet right), and a file that is not a notebook."""
    folder = tmp_path_factory.mktemp("room")
    _write(nbformat.read(paths.NOTEBOOKS_DIR / f"{CHAPTER}.ipynb", as_version=4), folder / "ana" / f"{CHAPTER}.ipynb")
    wrong = student_notebook(paths.NOTEBOOKS_DIR / f"{CHAPTER}.ipynb")
    for cell in wrong.cells:
        if cell.source.rstrip().endswith("answer_1 = None"):
            cell.source = cell.source.replace("answer_1 = None", "answer_1 = 7  # a guess")
    _write(wrong, folder / f"bo_{CHAPTER}.ipynb")
    raising = nbformat.read(paths.NOTEBOOKS_DIR / f"{CHAPTER}.ipynb", as_version=4)
    raising.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('oops')"))
    _write(raising, folder / "chen" / f"{CHAPTER}.ipynb")
    (folder / "dan").mkdir()
    (folder / "dan" / f"{CHAPTER}.ipynb").write_text("{not json", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_grading_a_room_gives_the_expected_csv_and_summary(room: Path, tmp_path: Path) -> None:
    subs = grading.grade_folder(room, timeout=300)
    out = grading.write_csv(subs, tmp_path / "results.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["student", f"{CHAPTER}:q1", f"{CHAPTER}:q2", "problems"]
    body = {r[0]: r[1:] for r in rows[1:]}
    assert body["ana"][:3] == ["passed", "passed", ""]
    assert body["bo"][:3] == ["failed", "not attempted", ""]
    assert body["chen"][:2] == ["passed", "passed"] and "raised RuntimeError: oops" in body["chen"][2]
    assert body["dan"][:2] == ["not attempted", "not attempted"] and "not a notebook" in body["dan"][2]
    text = grading.summary(subs)
    assert "4 位学员" in text and "dan/" in text and "全部通过的学员：2 人。" in text
    assert f"没通过的人最多的练习：{CHAPTER} 练习 1" in text and "4 人中 2 人没通过（1 人做了但不对，1 人没做）" in text


@pytest.mark.slow
def test_a_notebook_that_loops_is_stopped_at_its_time_limit(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(metadata={"aibook": {"chapter": CHAPTER}})
    nb.cells = [nbformat.v4.new_code_cell("answer_1 = 1"), nbformat.v4.new_code_cell("while True:\n    pass"),
                nbformat.v4.new_code_cell("answer_2 = ['x']")]
    sub = grading.grade_notebook(_write(nb, tmp_path / "loop.ipynb"), timeout=8)
    assert "timed out after 8 s" in sub.problem
    assert sub.statuses == {"q1": grading.FAILED, "q2": grading.NOT_ATTEMPTED}  # graded up to the loop
    assert sub.seconds < 60


def test_summary_names_the_most_missed_exercise() -> None:
    sub = grading.Submission
    subs = [sub(Path(f"{n}/{CHAPTER}.ipynb"), n, CHAPTER, dict(zip(("q1", "q2"), st, strict=True)), problem=pr)
            for n, st, pr in [("a", ("passed", "failed"), ""), ("b", ("failed", "not attempted"), ""),
                              ("c", ("failed", "passed"), "raised X")]]
    subs[1].hints["q1"] = subs[2].hints["q1"] = "差额不对：注意减的方向"
    subs.append(sub(Path("d/x.ipynb"), "d", None, problem="not a notebook"))
    header, rows = grading.table(subs)
    assert rows[-1] == ["d", "not attempted", "not attempted", "x.ipynb: not a notebook"]
    text = grading.summary(subs)
    assert text.splitlines()[1] == (f"没通过的人最多的练习：{CHAPTER} 练习 1（专项资金的支持单位数对不上）——4 人中 3 人没通过"
                                    "（2 人做了但不对，1 人没做）。")
    assert text.splitlines()[2] == "做了但不对的人最常见的问题：差额不对：注意减的方向"
    assert "全部通过的学员：0 人。" in text and "有问题的文件 2 个" in text and "同样多" not in text
    everyone = [sub(Path(f"{n}.ipynb"), n, CHAPTER, {"q1": "passed", "q2": "passed"}) for n in "xy"]
    assert "所有练习全部通过。" in grading.summary(everyone)


def test_files_that_are_not_notebooks_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "x.ipynb").write_bytes(b"\x00\x01")
    nb = nbformat.v4.new_notebook()
    _write(nb, tmp_path / "untitled.ipynb")
    subs = grading.grade_folder(tmp_path, timeout=5)
    problems = {s.path.name: s.problem for s in subs}
    assert "not a notebook" in problems["notes.txt"] and "not a notebook" in problems["x.ipynb"]
    assert "no chapter" in problems["untitled.ipynb"]
    assert grading.table(subs)[0] == ["student", "problems"]
    with pytest.raises(FileNotFoundError):
        grading.grade_folder(tmp_path / "missing")


def test_grade_command_writes_the_csv(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from aibook.__main__ import main

    (tmp_path / "room").mkdir()
    (tmp_path / "room" / "a.ipynb").write_text("nope", encoding="utf-8")
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "room"), "--out", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    assert "1 位学员" in result.output and (tmp_path / "r.csv").is_file()
    missing = CliRunner().invoke(main, ["grade", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "no such folder" in missing.output


@pytest.mark.slow
def test_a_notebook_that_kills_its_kernel_is_reported(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(metadata={"aibook": {"chapter": CHAPTER}})
    nb.cells = [nbformat.v4.new_code_cell("import os\nos._exit(1)")]
    sub = grading.grade_notebook(_write(nb, tmp_path / "dies.ipynb"), timeout=30)
    assert "kernel died" in sub.problem
    assert sub.statuses == {"q1": grading.NOT_GRADED, "q2": grading.NOT_GRADED}
    assert grading.table([sub])[1][0][1:3] == [grading.NOT_GRADED, grading.NOT_GRADED]
