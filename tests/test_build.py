"""The build pipeline: dependency-aware execution, failure handling, atomic swap of the book."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from aibook import build as B


def _nb(path: Path, source: str, outputs=None) -> Path:
    cell = new_code_cell(source)
    cell.outputs = outputs or []
    nbformat.write(new_notebook(cells=[cell]), path)
    return path


def test_notebook_digest_ignores_outputs_but_not_sources(tmp_path: Path) -> None:
    a = _nb(tmp_path / "a.ipynb", "x = 1")
    b = _nb(tmp_path / "b.ipynb", "x = 1", [new_output("stream", name="stdout", text="1")])
    c = _nb(tmp_path / "c.ipynb", "x = 2")
    assert B.notebook_digest(a) == B.notebook_digest(b) != B.notebook_digest(c)


def test_stale_reason_tracks_key_and_inputs(tmp_path: Path) -> None:
    nb = _nb(tmp_path / "n.ipynb", "x = 1")
    data = tmp_path / "d.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    layout = B.Layout(tmp_path / "build")
    job = B.Job(nb)
    assert B.stale_reason(job, layout, "k1") == "not executed yet"
    layout.executed.mkdir(parents=True)
    layout.cache.mkdir(parents=True)
    shutil.copy(nb, layout.output(job))
    layout.record(job).write_text(json.dumps({"key": "k1", "inputs": {str(data): B.sha256_file(data)}}))
    assert B.stale_reason(job, layout, "k1") is None
    assert "changed" in B.stale_reason(job, layout, "k2")
    data.write_text("a\n2\n", encoding="utf-8")
    assert B.stale_reason(job, layout, "k1").startswith("input changed")
    data.unlink()
    assert B.stale_reason(job, layout, "k1").startswith("input removed")


def test_stderr_outputs_are_found() -> None:
    nb = new_notebook(cells=[new_code_cell("x")])
    nb.cells[0].outputs = [new_output("stream", name="stderr",
                                      text="UserWarning: Glyph 20013 (\\N{CJK}) missing from font(s) DejaVu Sans.")]
    found = B.stderr_outputs(nb)
    assert found and "missing from font" in found[0]


def test_swap_and_recover(tmp_path: Path) -> None:
    target = tmp_path / "html"
    target.mkdir()
    (target / "v").write_text("old")
    new = tmp_path / "new"
    new.mkdir()
    (new / "v").write_text("new")
    B.swap(new, target)
    assert (target / "v").read_text() == "new" and not new.exists()
    # interrupted between the two renames: only html.old is left → recover restores it
    target.rename(tmp_path / "html.old")
    B.recover(B.Layout(tmp_path))
    assert (target / "v").read_text() == "new"


# ------------------------------------------------------------------------------------- end to end
@pytest.mark.slow
def test_build_end_to_end(tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layout = B.Layout(tmp_path / "build")
    logs: list[str] = []
    params = {"data_dir": str(data_copy)}

    def run(**kw):
        return B.build(parameters=params, layout=layout, log=logs.append, workers=2, **kw)

    html = run()
    index = html / "index.html"
    ch3 = (html / "notebooks" / "ch3_industry_base.html").read_text(encoding="utf-8")
    assert index.exists()
    assert "第三章" in ch3 and "表格 6 2018年六个重点行业工业总产值及其增长速度" in ch3 and "<img" in ch3
    assert "23870.77" in ch3
    first = [m for m in logs if "executed in" in m]
    assert len(first) == len(B.chapter_notebooks())

    # (b) no-op rebuild executes nothing and does not re-render
    logs.clear()
    run()
    assert not [m for m in logs if "executed in" in m]
    assert any("book: up to date" in m for m in logs)

    # (c) a changed data file re-executes exactly the notebooks that read it
    t13 = data_copy / "tables" / "table13_sh_ai_chips.csv"
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    t13.write_text(t13.read_text(encoding="utf-8").replace("全球首款商用", evil, 1), encoding="utf-8")
    logs.clear()
    run()
    ch4 = (html / "notebooks" / "ch4_ecosystem.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in ch4  # shown as text
    assert "<script>alert(1)" not in ch4 and "<img src=x" not in ch4
    executed = sorted(m.split(":")[0].split()[-1] for m in logs if "executed in" in m)
    readers = sorted(
        p.stem for p in layout.cache.glob("*.json")
        if any(k.endswith("table13_sh_ai_chips.csv") for k in json.loads(p.read_text())["inputs"])
    )
    assert executed == readers
    assert "appendix_data" in executed and "ch3_industry_base" not in executed  # ch3 does not read table 13

    # bad data is rejected before anything executes; the last good book stays
    stamp = (html / B.RENDER_STAMP).read_text()
    t6 = data_copy / "tables" / "table06_six_key_industries_output_2018.csv"
    good = t6.read_bytes()
    t6.write_bytes(good.decode("utf-8").encode("gbk"))
    with pytest.raises(B.BuildError) as exc:
        run()
    msg = str(exc.value)
    assert "table06_six_key_industries_output_2018.csv" in msg and "line 2" in msg and "UTF-8" in msg
    assert "nothing was executed" in msg
    assert (html / B.RENDER_STAMP).read_text() == stamp
    assert (html / "notebooks" / "ch3_industry_base.html").read_text(encoding="utf-8") == ch3
    t6.write_bytes(good)

    # a notebook that fails in a cell is named with the cell; nothing is rendered
    broken = tmp_path / "nb" / "zz_broken.ipynb"
    broken.parent.mkdir()
    nb = new_notebook(cells=[new_code_cell("data_dir = '../data'"), new_code_cell("x = 1"),
                             new_code_cell("raise ValueError('deliberate failure')")])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, broken)
    real = B.chapter_notebooks()
    monkeypatch.setattr(B, "chapter_notebooks", lambda root=None: [*real, broken])
    with pytest.raises(B.BuildError) as exc:
        run()
    msg = str(exc.value)
    assert "zz_broken" in msg and "cell 2" in msg and "ValueError: deliberate failure" in msg
    assert not (layout.executed / "zz_broken.ipynb").exists()
    assert (html / B.RENDER_STAMP).read_text() == stamp
