"""Exercises that check themselves, and grading a room of student notebooks in one command.

**Checks a student runs.** Every exercise of every chapter has a check file, ``aibook/checks/<chapter>/qN.py``,
in otter-grader's exception-based test format (``from otter.test_files import test_case``). In the notebook a
student writes ``grader = Grader("ch1_meaning")`` once and ``grader.check("q1")`` after an exercise: otter runs
the file's test cases against the notebook's variables and :class:`Grader` prints 正确 or 还不对 with the hint of
the first failing case. The check files hold no answer: each reduces the student's ``answer_N`` to a canonical
form (numbers rounded, names in order or as a set) and compares a salted SHA-256 digest of it with the digest in
``aibook/checks/keys.json``, which :func:`write_answer_keys` computes by running the chapters' solution cells.

**Grading a room.** :func:`grade_folder` executes every notebook of a folder (each in its own kernel, under a
time limit per notebook; a cell that raises does not stop the notebook), runs all checks of its chapter in the
same kernel, and returns one :class:`Submission` per file: a notebook that raises, loops or is not a notebook is
reported in ``problem``, never stops the grading. :func:`write_csv` writes student × exercise
(passed / failed / not attempted) and :func:`summary` the few lines a facilitator reads aloud.
"""

from __future__ import annotations

import csv
import hashlib
import inspect
import json
import math
import re
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aibook import paths, toc

CHECKS_DIR = Path(__file__).resolve().parent / "checks"
KEYS_FILE = CHECKS_DIR / "keys.json"
#: the report's chapter pages (from _toc.yml; in the student folder, by name)
CHAPTERS = toc.chapter_stems(paths.ROOT)
PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"
#: an exercise of a notebook whose kernel died before its checks could run
NOT_GRADED = "not graded"
#: the line the injected grading cell prints before its JSON
MARK = "@@aibook-grading@@"
DEFAULT_TIMEOUT = 120.0


class CheckError(AssertionError):
    """The student's answer does not have the expected form; the message says what is expected."""


# ----------------------------------------------------------------------------- canonical forms of answers
def _number(x: Any, what: str) -> float:
    import pandas as pd

    if x is pd.NA:
        raise CheckError(f"{what} 是缺失值（NA）：检查筛选条件或列名")
    try:
        value = float(x)
    except (TypeError, ValueError):
        raise CheckError(f"{what} 应是一个数，而不是 {type(x).__name__}：{x!r}") from None
    if math.isnan(value):
        raise CheckError(f"{what} 是 NaN（缺失值）：检查筛选条件或列名")
    return value


def _round(x: Any, digits: int, what: str = "答案") -> str:
    value = round(_number(x, what), digits)
    return f"{0.0 if value == 0 else value:.{digits}f}"  # -0.0 and 0.0 are the same answer


def _key(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return str(x).strip()


def as_number(x: Any, digits: int) -> str:
    """One number, rounded to ``digits`` decimals."""
    if x is None or isinstance(x, str | bytes | Mapping) or hasattr(x, "__len__") and len(x) != 1:
        raise CheckError(f"答案应是一个数（int 或 float），而不是 {type(x).__name__}")
    if hasattr(x, "__len__"):  # a one-element Series or array
        x = list(x)[0]
    return _round(x, digits)


def as_numbers(x: Any, digits: int, n: int) -> list[str]:
    """``n`` numbers in the asked order (list, tuple, Series or array), each rounded."""
    if isinstance(x, str | bytes | Mapping) or not isinstance(x, Iterable):
        raise CheckError(f"答案应是按题目顺序排列的 {n} 个数（列表或元组），而不是 {type(x).__name__}")
    values = list(x.values if hasattr(x, "values") and not isinstance(x, list | tuple) else x)
    if len(values) != n:
        raise CheckError(f"答案应有 {n} 个数，现在有 {len(values)} 个")
    return [_round(v, digits, f"第 {i} 个数") for i, v in enumerate(values, start=1)]


def _names(x: Any) -> list[str]:
    import pandas as pd

    if isinstance(x, pd.DataFrame):
        x = x.iloc[:, 0] if x.shape[1] == 1 else x.index
    if isinstance(x, str | bytes | Mapping) or not isinstance(x, Iterable):
        raise CheckError(f"答案应是一列名称（列表、Series 或 Index），而不是 {type(x).__name__}")
    return [_key(v) for v in x]


def as_names(x: Any) -> list[str]:
    """Names in order (list, Series, Index, or a one-column DataFrame)."""
    return _names(x)


def as_set(x: Any) -> list[str]:
    """Names in any order, each once."""
    return sorted(set(_names(x)))


def as_mapping(x: Any, digits: int, key: str | None = None, value: str | None = None) -> list[tuple[str, str]]:
    """``{key: number}`` from a dict, a Series (index → value) or a DataFrame (columns ``key``/``value``,
    or its only two columns, or its index and its only column), sorted by key, numbers rounded."""
    import pandas as pd

    if isinstance(x, pd.DataFrame):
        cols = list(x.columns)
        if key in cols and value in cols:
            x = x.set_index(key)[value]
        elif len(cols) == 2 and (key is None or key in cols):
            k = key if key is not None else cols[0]
            x = x.set_index(k)[[c for c in cols if c != k][0]]
        elif len(cols) == 1:
            x = x.iloc[:, 0]
        else:
            want = f"“{key}”和“{value}”两列" if key and value else "两列（名称、数值）"
            raise CheckError(f"答案表应有{want}，现在的列是 {cols}")
    if isinstance(x, pd.Series):
        if x.index.has_duplicates:
            raise CheckError("答案中有重复的名称：每个名称只应出现一次（先分组汇总）")
        x = dict(x.items())
    if not isinstance(x, Mapping):
        raise CheckError(f"答案应是“名称 → 数值”的对应（dict、Series 或两列的 DataFrame），而不是 {type(x).__name__}")
    return sorted((_key(k), _round(v, digits, f"“{k}”的值")) for k, v in x.items())


def as_pairs(x: Any, key: str | None = None, value: str | None = None) -> list[tuple[str, str]]:
    """``{key: text}`` like :func:`as_mapping`, values kept as text."""
    import pandas as pd

    if isinstance(x, pd.DataFrame):
        cols = list(x.columns)
        if key in cols and value in cols:
            x = dict(zip(x[key], x[value], strict=True))
        elif len(cols) == 2:
            x = dict(zip(x[cols[0]], x[cols[1]], strict=True))
        else:
            raise CheckError(f"答案表应有两列（名称、值），现在的列是 {cols}")
    elif isinstance(x, pd.Series):
        x = dict(x.items())
    if not isinstance(x, Mapping):
        raise CheckError(f"答案应是“名称 → 值”的对应（dict、Series 或两列的 DataFrame），而不是 {type(x).__name__}")
    return [(_key(k), str(v).strip()) for k, v in x.items()]


def same(got: Any, expected: Any) -> None:
    """Raise unless the two canonical forms are equal (for checks that recompute from the kernel's state)."""
    if got != expected:
        raise AssertionError("与本内核的实际状态不符")


def as_table(x: Any, digits: int) -> list[tuple[str, str, str]]:
    """A wide table (rows × columns of numbers) as sorted ``(row, column, value)``; empty cells are left out."""
    import pandas as pd

    if not isinstance(x, pd.DataFrame):
        raise CheckError(f"答案应是一个 DataFrame（行 × 列），而不是 {type(x).__name__}")
    out = []
    for (row, col), v in x.stack().items():
        if v is None or pd.isna(v):
            continue
        out.append((_key(row), _key(col), _round(v, digits, f"“{row}”行“{col}”列")))
    return sorted(out)


def columns(x: Any, names: Sequence[str]) -> Any:
    """The columns ``names`` of the DataFrame ``x`` (a clear message if it is not one or lacks them)."""
    import pandas as pd

    if not isinstance(x, pd.DataFrame):
        raise CheckError(f"答案应是一个 DataFrame，而不是 {type(x).__name__}")
    missing = [c for c in names if c not in x.columns]
    if missing:
        raise CheckError(f"答案表缺少列 {missing}（现在的列：{list(x.columns)}）")
    return x[list(names)]


def digest(chapter: str, question: str, canonical: Any) -> str:
    """The salted digest of an answer's canonical form (the salt names the exercise, so equal answers of two
    exercises have different digests and no table of digests of common values applies)."""
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"aibook-workshop/{chapter}/{question}\n{text}".encode()).hexdigest()


def load_keys(path: Path = KEYS_FILE) -> dict[str, dict[str, str]]:
    """``{chapter: {question: digest}}``."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def verify(chapter: str, question: str, canonical: Any, hint: str = "") -> None:
    """Raise ``AssertionError(hint)`` unless ``canonical`` has the digest stored for this exercise."""
    expected = load_keys().get(chapter, {}).get(question)
    if expected is None:
        raise CheckError(f"没有 {chapter} {question} 的答案摘要：讲师请运行 python -m aibook.grading keys")
    if digest(chapter, question, canonical) != expected:
        raise AssertionError(hint or "数值与参考答案不符")


def attempted(value: Any, variable: str) -> None:
    """Raise unless the student replaced ``variable = None``."""
    if value is None:
        raise CheckError(f"还没有作答：把 {variable} = None 换成你的计算")


# ----------------------------------------------------------------------------- the check files
@dataclass(frozen=True)
class Exercise:
    """One exercise: its chapter, question name (q1 …), answer variable and title."""

    chapter: str
    question: str
    variable: str
    title: str

    @property
    def column(self) -> str:
        return f"{self.chapter}:{self.question}"

    @property
    def path(self) -> Path:
        return check_file(self.chapter, self.question)


def check_file(chapter: str, question: str) -> Path:
    return CHECKS_DIR / chapter / f"{question}.py"


def _module_vars(path: Path) -> dict[str, Any]:
    env: dict[str, Any] = {"__file__": str(path), "__name__": f"aibook_check_{path.parent.name}_{path.stem}"}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), env)  # noqa: S102 - our own check files
    return env


def exercises(chapter: str) -> list[Exercise]:
    """The exercises of ``chapter``, from its check files, in question order."""
    folder = CHECKS_DIR / chapter
    files = sorted(folder.glob("q*.py"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))
    out = []
    for path in files:
        env = _module_vars(path)
        out.append(Exercise(chapter, path.stem, str(env["VARIABLE"]), str(env.get("TITLE", path.stem))))
    return out


def all_exercises(chapters: Iterable[str] = CHAPTERS) -> list[Exercise]:
    return [ex for ch in chapters for ex in exercises(ch)]


@dataclass
class CheckResult:
    """What one check said: passed, the hint of the first failing case, shown as plain text."""

    chapter: str
    question: str
    title: str
    status: str
    hint: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def __repr__(self) -> str:
        if self.status == PASSED:
            return f"{self.question}（{self.title}）：正确"
        if self.status == NOT_ATTEMPTED:
            return f"{self.question}（{self.title}）：还没有作答 —— {self.hint}"
        return f"{self.question}（{self.title}）：还不对\n提示：{self.hint}"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython shows the plain text
        p.text(repr(self))


def run_check(exercise: Exercise, env: Mapping[str, Any]) -> CheckResult:
    """Run the otter test file of ``exercise`` against the variables ``env``."""
    from otter.test_files.exception_test import ExceptionTestFile

    value = env.get(exercise.variable)
    if value is None:
        return CheckResult(exercise.chapter, exercise.question, exercise.title, NOT_ATTEMPTED,
                           f"把 {exercise.variable} = None 换成你的计算，再运行本单元格")
    test_file = ExceptionTestFile.from_file(str(exercise.path))
    try:
        test_file.run(dict(env))
    except Exception as exc:  # a check that cannot even run is a wrong answer, never a crash
        return CheckResult(exercise.chapter, exercise.question, exercise.title, FAILED,
                           f"检查无法运行（{type(exc).__name__}: {exc}）")
    for result in test_file.test_case_results:
        if not result.passed:
            detail = result.message.strip().splitlines()[-1] if result.message else ""
            detail = re.sub(r"^\w*(Error|Exception): ", "", detail)
            hint = result.test_case.failure_message or detail
            if detail and result.test_case.failure_message and detail not in hint \
                    and not detail.startswith("数值与参考答案不符"):
                hint = f"{detail}。{hint}"
            return CheckResult(exercise.chapter, exercise.question, exercise.title, FAILED, hint)
    return CheckResult(exercise.chapter, exercise.question, exercise.title, PASSED)


class Grader:
    """``grader = Grader("ch1_meaning")`` then ``grader.check("q1")`` (otter-grader's ``Notebook.check``)."""

    def __init__(self, chapter: str) -> None:
        if not (CHECKS_DIR / chapter).is_dir():
            raise ValueError(f"no checks for chapter {chapter!r}; chapters with checks: {', '.join(CHAPTERS)}")
        self.chapter = chapter
        self._exercises = {ex.question: ex for ex in exercises(chapter)}

    def check(self, question: str, env: Mapping[str, Any] | None = None) -> CheckResult:
        """Check ``question`` against the calling notebook's variables (or ``env``)."""
        if question not in self._exercises:
            raise ValueError(f"{self.chapter} has no exercise {question!r}: {', '.join(self._exercises)}")
        if env is None:
            frame = inspect.currentframe()
            env = frame.f_back.f_globals if frame is not None and frame.f_back is not None else {}
        return run_check(self._exercises[question], env)

    def check_all(self, env: Mapping[str, Any] | None = None) -> list[CheckResult]:
        if env is None:
            frame = inspect.currentframe()
            env = frame.f_back.f_globals if frame is not None and frame.f_back is not None else {}
        return [self.check(q, env) for q in self._exercises]


def run_checks(chapter: str, env: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """All checks of ``chapter`` against ``env``: ``{question: {"status": …, "hint": …}}`` (used in the kernel)."""
    return {ex.question: {"status": r.status, "hint": r.hint}
            for ex in exercises(chapter) for r in [run_check(ex, env)]}


def fingerprints(chapter: str, env: Mapping[str, Any]) -> dict[str, str]:
    """The digests of the answers in ``env`` (the solutions'), as :func:`write_answer_keys` stores them."""
    out = {}
    for ex in exercises(chapter):
        module = _module_vars(ex.path)
        if not module.get("KEYED", True):  # compared with the kernel's own state, not with a stored digest
            continue
        canonical = module["canonical"]
        out[ex.question] = digest(chapter, ex.question, canonical(env[ex.variable]))
    return out


# ----------------------------------------------------------------------------- executing one notebook
@dataclass
class Submission:
    """One file of the room: who, which chapter, each exercise's status, and what went wrong."""

    path: Path
    student: str
    chapter: str | None
    statuses: dict[str, str] = field(default_factory=dict)  # question → status
    hints: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    seconds: float = 0.0


def _chapter_of(path: Path, nb: Any | None) -> str | None:
    meta = (nb or {}).get("metadata", {}).get("aibook", {}) if nb is not None else {}
    if isinstance(meta, Mapping) and meta.get("chapter") in CHAPTERS:
        return str(meta["chapter"])
    hits = [ch for ch in CHAPTERS if ch in path.name]
    return max(hits, key=len) if hits else None


def _student_of(path: Path, folder: Path) -> str:
    rel = path.relative_to(folder)
    if len(rel.parts) > 1:
        return rel.parts[0]
    stem = path.stem
    for ch in sorted(CHAPTERS, key=len, reverse=True):
        stem = stem.replace(ch, "")
    return stem.strip(" _-.") or path.stem


def _grading_source(chapter: str) -> str:
    return ("import json as _aibook_json\nfrom aibook import grading as _aibook_grading\n"
            f"print({MARK!r} + _aibook_json.dumps(_aibook_grading.run_checks({chapter!r}, globals()), "
            "ensure_ascii=False))\n")


def _error_text(outputs: Sequence[Any]) -> str | None:
    for out in outputs:
        if out.get("output_type") == "error":
            return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
    return None


def execute_and_check(nb: Any, chapter: str, *, timeout: float = DEFAULT_TIMEOUT,
                      data_dir: Path | None = None, check_timeout: float = 60.0) -> tuple[dict[str, dict[str, str]],
                                                                                          str]:
    """Run ``nb``'s code cells in a fresh kernel within ``timeout`` seconds in all, then its chapter's checks.

    A cell that raises does not stop the run (the next cells still run); a cell still running when the time is
    up is interrupted and the remaining cells are skipped. Returns the checks' results and a description of
    what went wrong ("" if nothing).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    data = Path(data_dir) if data_dir is not None else paths.DATA_DIR
    cells = [c for c in nb.cells if c.get("cell_type") == "code"]
    params = next((i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), -1)
    cells.insert(params + 1, nbformat.v4.new_code_cell(f"data_dir = {str(data)!r}"))
    run_nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                                          "display_name": "Python 3"}})
    check_cell = nbformat.v4.new_code_cell(_grading_source(chapter))
    run_nb.cells.append(check_cell)
    problems: list[str] = []
    results: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="aibook-grade-") as cwd:
        client = NotebookClient(run_nb, timeout=timeout, allow_errors=True, interrupt_on_timeout=True,
                                kernel_name="python3", resources={"metadata": {"path": cwd}})
        try:
            with client.setup_kernel(stderr=subprocess.DEVNULL):  # not the kernel's own start-up warnings
                deadline = time.monotonic() + timeout
                for index, cell in enumerate(run_nb.cells[:-1]):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    client.timeout = max(1, math.ceil(remaining))
                    client.execute_cell(cell, index)
                    if time.monotonic() >= deadline:
                        problems.append(f"timed out after {timeout:g} s (a cell ran too long; the rest was skipped)")
                        break
                    error = _error_text(cell.get("outputs", []))
                    if error and not any(p.startswith("raised") for p in problems):
                        problems.append(f"raised {error[:160]} (in code cell {index})")
                client.timeout = max(1, math.ceil(check_timeout))
                client.execute_cell(check_cell, len(run_nb.cells) - 1)
        except DeadKernelError:
            problems.append("the kernel died")
        except Exception as exc:  # a kernel that cannot start, a protocol error …: reported, never raised
            problems.append(f"could not be executed ({type(exc).__name__}: {exc})")
        for out in check_cell.get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            for line in text.splitlines():
                if line.startswith(MARK):
                    results = json.loads(line[len(MARK):])
        if not results and not problems:
            problems.append("its checks did not run (" + (_error_text(check_cell.get("outputs", [])) or "?") + ")")
    return results, "; ".join(problems)


def grade_notebook(path: Path, folder: Path | None = None, *, timeout: float = DEFAULT_TIMEOUT,
                   data_dir: Path | None = None) -> Submission:
    """Grade one file; whatever is wrong with it ends up in ``Submission.problem``."""
    import nbformat

    path = Path(path)
    folder = Path(folder) if folder is not None else path.parent
    student = _student_of(path, folder)
    start = time.monotonic()
    if path.suffix != ".ipynb":
        return Submission(path, student, None, problem="not a notebook (not an .ipynb file); skipped")
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:
        return Submission(path, student, _chapter_of(path, None),
                          problem=f"not a notebook ({type(exc).__name__}: {str(exc)[:120]})")
    chapter = _chapter_of(path, nb)
    if chapter is None:
        return Submission(path, student, None, problem="no chapter: name the file after its chapter "
                                                       f"(one of {', '.join(CHAPTERS)})")
    results, problem = execute_and_check(nb, chapter, timeout=timeout, data_dir=data_dir)
    sub = Submission(path, student, chapter, problem=problem, seconds=time.monotonic() - start)
    for ex in exercises(chapter):
        got = results.get(ex.question)
        sub.statuses[ex.question] = got["status"] if got else NOT_GRADED
        sub.hints[ex.question] = got["hint"] if got else ""
    return sub


def submissions_in(folder: Path) -> list[Path]:
    """Every file under ``folder`` except hidden ones and Jupyter's checkpoints, in a fixed order."""
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def grade_folder(folder: Path, *, timeout: float = DEFAULT_TIMEOUT, data_dir: Path | None = None,
                 progress: Any = None) -> list[Submission]:
    """Grade every file of ``folder`` (see :func:`grade_notebook`); ``progress(submission)`` after each."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of student notebooks")
    out = []
    for path in submissions_in(folder):
        sub = grade_notebook(path, folder, timeout=timeout, data_dir=data_dir)
        out.append(sub)
        if progress is not None:
            progress(sub)
    return out


# ----------------------------------------------------------------------------- the room's results
def _chapters_in(subs: Sequence[Submission]) -> list[str]:
    present = {s.chapter for s in subs if s.chapter}
    return [ch for ch in CHAPTERS if ch in present]


def table(subs: Sequence[Submission]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the CSV: one row per student, one column per exercise of the chapters handed in."""
    columns = [ex for ch in _chapters_in(subs) for ex in exercises(ch)]
    students = sorted({s.student for s in subs})
    header = ["student"] + [ex.column for ex in columns] + ["problems"]
    rows = []
    for student in students:
        mine = [s for s in subs if s.student == student]
        row = [student]
        for ex in columns:
            statuses = [s.statuses[ex.question] for s in mine if s.chapter == ex.chapter and ex.question in s.statuses]
            row.append(PASSED if PASSED in statuses else FAILED if FAILED in statuses
                       else NOT_GRADED if NOT_GRADED in statuses else NOT_ATTEMPTED)
        row.append("; ".join(f"{s.path.name}: {s.problem}" for s in mine if s.problem))
        rows.append(row)
    return header, rows


def write_csv(subs: Sequence[Submission], out: Path) -> Path:
    header, rows = table(subs)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:  # utf-8-sig: Excel opens the Chinese names
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return out


def summary(subs: Sequence[Submission]) -> str:
    """A few lines to read aloud: how many handed in, which exercise most students missed, what broke."""
    header, rows = table(subs)
    students = len(rows)
    lines = [f"{students} 位学员，{len(subs)} 个文件。"]
    if not rows:
        return lines[0]
    by_column = {ex.column: ex for ch in _chapters_in(subs) for ex in exercises(ch)}

    def label(column: str) -> str:
        ex = by_column[column]
        return f"{ex.chapter} 练习 {ex.question[1:]}（{ex.title}）"

    missed = []  # (students who did not pass, of whom failed), in exercise order
    for j, col in enumerate(header[1:-1], start=1):
        missed.append((sum(1 for r in rows if r[j] != PASSED), sum(1 for r in rows if r[j] == FAILED), col))
    if missed:
        worst = max(missed, key=lambda m: (m[0], m[1]))  # first of the most missed; more wrong answers first
        if worst[0] == 0:
            lines.append("所有练习全部通过。")
        else:
            n, failed, col = worst
            lines.append(f"没通过的人最多的练习：{label(col)}——{students} 人中 {n} 人没通过"
                         f"（{failed} 人做了但不对，{n - failed} 人没做）。")
            ex = by_column[col]
            hints = Counter(s.hints.get(ex.question, "") for s in subs
                            if s.chapter == ex.chapter and s.statuses.get(ex.question) == FAILED)
            hints.pop("", None)
            if hints:
                lines.append(f"做了但不对的人最常见的问题：{hints.most_common(1)[0][0]}")
            ties = [c for m, f, c in missed if (m, f) == (n, failed) and c != col]
            if ties:
                more = "、".join(label(c) for c in ties[:2]) + (f" 等 {len(ties)} 道" if len(ties) > 2 else "")
                lines.append(f"同样多人没通过的还有：{more}。")
        passed_all = sum(1 for r in rows if all(v == PASSED for v in r[1:-1]))
        lines.append(f"全部通过的学员：{passed_all} 人。")
    broken = [s for s in subs if s.problem]
    if broken:
        lines.append(f"有问题的文件 {len(broken)} 个：" + "；".join(
            f"{s.student}/{s.path.name}（{s.problem}）" for s in broken))
    return "\n".join(lines)


# ----------------------------------------------------------------------------- answer keys (facilitator)
def write_answer_keys(chapters: Iterable[str] = CHAPTERS, *, root: Path = paths.ROOT,
                      timeout: float = 600.0) -> dict[str, dict[str, str]]:
    """Run each chapter notebook of ``root`` with its solutions and store its answers' digests in keys.json."""
    import nbformat
    from nbclient import NotebookClient

    keys = load_keys()
    for chapter in chapters:
        nb = nbformat.read(Path(root) / "notebooks" / f"{chapter}.ipynb", as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(
            "import json as _j\nfrom aibook import grading as _g\n"
            f"print({MARK!r} + _j.dumps(_g.fingerprints({chapter!r}, globals())))"))
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(Path(root) / "notebooks")}}).execute()
        text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
        line = next(ln for ln in text.splitlines() if ln.startswith(MARK))
        keys[chapter] = json.loads(line[len(MARK):])
    KEYS_FILE.write_text(json.dumps(keys, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return keys


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m aibook.grading keys [CHAPTER …]``: recompute the answer digests from the solutions."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "keys":
        raise SystemExit("usage: python -m aibook.grading keys [CHAPTER ...]")
    keys = write_answer_keys(args[1:] or CHAPTERS)
    print(f"{KEYS_FILE}: {sum(len(v) for v in keys.values())} answer digests")


if __name__ == "__main__":
    main()
