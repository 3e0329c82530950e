"""The student folder for half-day workshops: notebooks without solutions, data, the helper package, setup sheet.

:func:`build_workshop` writes ``<repo>/workshop`` (or any folder it is given):

* ``notebooks/`` — every notebook of ``notebooks/`` with the cells tagged ``solution`` removed, all outputs
  cleared and execution counts reset (exercise cells, their starter code and the ``check`` cells that run
  ``grader.check("qN")`` are kept; the chapter is recorded in ``metadata.aibook.chapter`` for grading);
* ``aibook/checks/`` (inside the package copy) — the otter-grader check files and the answers' salted digests;
* ``data/`` and ``aibook/`` — copies of the data package and of this package, so the notebooks run as they are;
* ``requirements.txt``, ``pyproject.toml`` — the pinned environment and the package metadata;
* ``SETUP.md`` — a one-page setup sheet in Chinese (and a short ``README.md`` pointing to it).

The folder is built next to its destination and swapped in only when complete, so an interrupted or failed
build never leaves a half-written folder. A folder is only replaced if an earlier build made it (marker file).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from aibook import paths, toc
from aibook.build.keys import ENV_FILES
from aibook.build.swap import recover_swap, stage_dir, swap

SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
MARKER = ".aibook-workshop"
#: pins the kit adds to requirements.txt: JupyterLab, which SETUP.md tells students to start
KIT_EXTRA = "requirements-workshop.txt"
#: the report's chapter pages (from _toc.yml, the book's one list of pages; in the student folder, by name)
CHAPTERS = toc.chapter_stems(paths.ROOT)
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".DS_Store")

SETUP_MD = """\
# 工作坊学员指南：安装与运行

本文件夹是《上海人工智能与实体经济融合发展（2019）· 可复现数据版》的学员版：各章笔记本（不含参考答案）、
数据包 `data/` 和辅助包 `aibook/`。准备时间约 15 分钟，需要 Python 3.11。

## 1. 创建虚拟环境并安装

在本文件夹（`SETUP.md` 所在的目录）中打开终端：

```bash
python3.11 -m venv .venv
source .venv/bin/activate            # Windows：.venv\\Scripts\\activate
pip install -r requirements.txt && pip install --no-deps -e .
```

第二条命令安装锁定版本的依赖（包括 JupyterLab 和中文字体 `noto-cjk-sans-otc`），再把本文件夹中的 `aibook`
以可编辑方式装进环境。用 conda 的学员：`conda create -n aibook python=3.11`、`conda activate aibook` 后执行同样的
`pip install` 命令。

## 2. 打开笔记本

```bash
jupyter lab
```

浏览器打开后进入 `notebooks/`，从 `ch1_meaning.ipynb` 开始。先选择菜单“Run → Run All Cells”（运行全部单元格），
确认能顺利跑完，再做练习。

**安装完成后不需要联网。** 数据都在 `data/` 中，字体随依赖安装，笔记本运行时不访问网络。

## 3. 练习在哪里

每一章（`ch1_meaning` … `ch5_outlook`）的末尾都有一节“练习”：

- 每道题先是一段任务说明，下面是一个可以直接运行的代码单元格；
- 把其中的 `answer_1 = None`（第 2 题是 `answer_2`，依此类推）换成你的计算，注释 `# 在这里补全` 提示了从哪里入手，
  紧挨着的注释写明答案应是什么形式（一个数、一列名称、一张表）；
- 运行下一个单元格 `grader.check("q1")` 检查：它只说“正确”或“还不对”并给出提示，不会显示答案；
  可以反复修改、反复检查。检查文件在 `aibook/checks/`，安装后离线可用；
- 答案都应由 `data/` 中的数据算出，不要手抄数字；参考答案由讲师在讲解时展示（本书网页版中可展开查看）。

有一类练习要求**改参数重算**：笔记本开头有一个参数单元格（例如第三章的 `period = "2018"`）。把它改成
`"2019-06"`，再选择“Kernel → Restart Kernel and Run All Cells”（重启内核并运行全部），整章就按新时期重算。
也可以在终端里执行（不渲染网页，结果写入 `_build/variants/`）：

```bash
python -m aibook build -p period=2019-06 --only ch3_industry_base
```

## 4. 常见问题

| 现象 | 原因与解决 |
|---|---|
| 图中的中文显示成方框 | 没有在安装了依赖的环境中运行。中文字体来自 `noto-cjk-sans-otc`，只在上面的 `.venv` 里有：先激活 `.venv`，再启动 `jupyter lab`；或在 Jupyter 中选择 `.venv` 的内核。 |
| 找不到内核 / `No module named aibook` | Jupyter 用的不是 `.venv` 的 Python。在已激活的 `.venv` 中执行 `python -m ipykernel install --user --name aibook`，然后在 Jupyter 右上角把内核换成 “aibook”；或者直接选择 `.venv` 中的解释器。 |
| 输出和书上不一样，或者变量“未定义” | 单元格执行顺序乱了，旧输出还留在屏幕上。选择“Restart Kernel and Run All Cells”从头重跑。 |
| 改过的数据文件报 “expected UTF-8 text … GBK/GB18030” | 文件被存成了 GBK 编码（Excel 常见）。用编辑器另存为 UTF-8 的 CSV；错误信息里写明了出问题的文件和行号。 |
| 数据文件报 “line N, column …: expected …” | 数据不符合 `data/datapackage.json` 中的规则（类型、必填、取值范围）。按提示的行和列改正；可先运行 `python -m aibook validate` 检查整个数据包。 |
| `pip install` 失败 | 确认 Python 版本是 3.11（`python --version`），并且联网安装；装好以后即可离线使用。 |
"""

README_MD = """\
# 工作坊学员文件夹

《上海人工智能与实体经济融合发展（2019）· 可复现数据版》的学员版。安装与使用见 [SETUP.md](SETUP.md)；
各章笔记本在 `notebooks/`，练习在每章末尾的“练习”一节。
"""


def student_notebook(path: Path) -> nbformat.NotebookNode:
    """``path`` as students get it: ``solution`` cells removed, outputs cleared, execution counts reset."""
    nb: nbformat.NotebookNode = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if SOLUTION_TAG not in c.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("papermill", None)
    if path.stem in CHAPTERS:  # `python -m aibook grade` reads the chapter from here, whatever the file is renamed to
        nb.metadata["aibook"] = {"chapter": path.stem}
    return nb


def _write_folder(folder: Path, root: Path) -> None:
    (folder / "notebooks").mkdir(parents=True)
    for nb_path in sorted((root / "notebooks").glob("*.ipynb")):
        nbformat.write(student_notebook(nb_path), folder / "notebooks" / nb_path.name)
    shutil.copytree(root / "data", folder / "data", ignore=_IGNORE)
    shutil.copytree(root / "aibook", folder / "aibook", ignore=_IGNORE)
    for name in ENV_FILES:
        shutil.copy2(root / name, folder / name)
    extra = root / KIT_EXTRA
    if extra.is_file():
        pins = [ln for ln in extra.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
        with open(folder / "requirements.txt", "a", encoding="utf-8") as fh:
            fh.write("# JupyterLab for the workshop (from requirements-workshop.txt)\n" + "\n".join(pins) + "\n")
    (folder / "SETUP.md").write_text(SETUP_MD, encoding="utf-8")
    (folder / "README.md").write_text(README_MD, encoding="utf-8")  # pyproject.toml names it as the readme
    (folder / MARKER).write_text("built by aibook.workshop.build_workshop; safe to replace\n", encoding="utf-8")


def build_workshop(dest: Path | None = None, *, root: Path = paths.ROOT) -> Path:
    """Write the student folder to ``dest`` (default ``<repo>/workshop``) and return its path.

    The folder is assembled in a temporary sibling and swapped in at the end. An existing ``dest`` is replaced
    only if it is empty or was made by this function (it holds the marker file); anything else is refused.
    """
    dest = Path(dest if dest is not None else root / "workshop").expanduser().resolve()
    root = Path(root).resolve()
    if dest == root or root.is_relative_to(dest) or dest.is_relative_to(root / "notebooks") \
            or dest.is_relative_to(root / "data") or dest.is_relative_to(root / "aibook"):
        raise ValueError(f"refusing to build the workshop folder at {dest}: it would overwrite the project")
    dest.parent.mkdir(parents=True, exist_ok=True)
    stages = f".{dest.name}.stage-"
    recover_swap(dest, stages + "*")  # what an interrupted build left next to ``dest``
    if dest.exists() and (not dest.is_dir() or (any(dest.iterdir()) and not (dest / MARKER).exists())):
        raise FileExistsError(f"{dest} exists and was not made by build_workshop; remove it or choose another folder")
    stage = stage_dir(dest.parent, stages)
    try:
        stage.chmod(0o755)  # mkdtemp makes it private; the student folder is an ordinary folder
        _write_folder(stage, root)
        swap(stage, dest)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        recover_swap(dest, stages + "*")
        raise
    return dest


def main() -> None:
    """Build ``<repo>/workshop`` and print where it is."""
    print(build_workshop())


if __name__ == "__main__":
    main()
