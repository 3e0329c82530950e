"""The build pipeline: dependency-aware execution, failure handling, atomic swap of the book."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from aibook import build as B
from aibook.build import noop


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


def _notebook_and_data(tmp_path: Path) -> tuple[Path, Path]:
    """A one-cell notebook and a one-row CSV it is said to read."""
    data = tmp_path / "d.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    return _nb(tmp_path / "n.ipynb", "x = 1"), data


def test_stale_reason_tracks_key_and_inputs(tmp_path: Path) -> None:
    nb, data = _notebook_and_data(tmp_path)
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


def test_folder_listing_is_an_input(tmp_path: Path) -> None:
    from aibook.data import listing_digest

    folder = tmp_path / "releases"
    absent = listing_digest(folder)
    folder.mkdir()
    empty = listing_digest(folder)
    (folder / "a.csv").write_text("x", encoding="utf-8")
    one = listing_digest(folder)
    assert len({absent, empty, one}) == 3
    (folder / "a.csv").write_text("changed content, same name", encoding="utf-8")
    assert listing_digest(folder) == one  # the listing tracks names; file contents are tracked per read
    rec = {"inputs": {}, "listings": {str(folder): one}}
    assert B.inputs_changed(rec) is None
    (folder / "b.csv").write_text("y", encoding="utf-8")
    assert B.inputs_changed(rec).startswith("folder contents changed")


def test_store_reuses_an_execution_only_with_the_same_key_and_inputs(tmp_path: Path) -> None:
    nb, data = _notebook_and_data(tmp_path)
    first = B.Layout(tmp_path / "default")
    job = B.Job(nb)
    first.executed.mkdir(parents=True)
    shutil.copy(nb, first.output(job))
    rec = {"key": "k1", "inputs": {str(data): B.sha256_file(data)}, "listings": {}}
    B.store_put(first, job, rec)
    variant = B.Layout(tmp_path / "variant", shared=tmp_path / "default")
    assert B.store_get(variant, job, "k2") is False  # other parameters or code
    assert B.store_get(variant, job, "k1") is True and variant.output(job).is_file()
    assert B.stale_reason(job, variant, "k1") is None
    data.write_text("a\n2\n", encoding="utf-8")
    assert B.store_get(B.Layout(tmp_path / "third", shared=tmp_path / "default"), job, "k1") is False


# ------------------------------------------------------------------------------------- end to end
def _release_for(month: int, data: Path) -> Path:
    """A copy of the shipped June 2019 release relabelled as another month (a month the project lacks)."""
    from aibook.releases import MONTHS

    src = data / "releases" / "tjj-industrial-production-2019-06.csv"
    mon = MONTHS[month - 1]
    text = src.read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    header = header.replace("june_2019", f"{mon}_2019").replace("jan_jun_2019", f"jan_{mon}_2019") \
        .replace("june_growth_pct", f"{mon}_growth_pct").replace("jan_jun_growth_pct", f"jan_{mon}_growth_pct")
    dest = src.with_name(f"tjj-industrial-production-2019-{month:02d}.csv")
    dest.write_text(header + "\n" + body, encoding="utf-8")
    return dest


def _executed(logs: list[str]) -> list[str]:
    return sorted(m.split(":")[0].split()[-1] for m in logs if "executed in" in m)


@pytest.mark.slow
def test_build_end_to_end(tmp_path: Path, data_copy: Path, minibook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layout = B.Layout(tmp_path / "build")
    logs: list[str] = []
    params = {"data_dir": str(data_copy)}

    def run(**kw):
        logs.clear()
        return B.build(parameters=params, layout=layout, log=logs.append, workers=2, root=minibook, **kw)

    html = run()
    page = html / "notebooks" / "mini_industry.html"
    first_page = page.read_text(encoding="utf-8")
    assert (html / "index.html").exists() and "23870.77" in first_page and "2019-06" in first_page
    assert _executed(logs) == ["mini_chips", "mini_industry"]

    # (b) no-op rebuild executes nothing and does not re-render; the saved state says so without the build
    run()
    assert not _executed(logs) and any("book: up to date" in m for m in logs)
    how = noop.invocation(minibook, params, "off")
    assert noop.stale(layout.build_dir, how) is None

    # (c) a changed data file re-executes exactly the notebooks that read it; markup in a cell stays text
    t13 = data_copy / "tables" / "table13_sh_ai_chips.csv"
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    t13.write_text(t13.read_text(encoding="utf-8").replace("全球首款商用", evil, 1), encoding="utf-8")
    assert "table13_sh_ai_chips.csv" in (noop.stale(layout.build_dir, how) or "")
    run()
    assert _executed(logs) == ["mini_chips"]
    chips = (html / "notebooks" / "mini_chips.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in chips
    assert "<script>alert(1)" not in chips and "<img src=x" not in chips

    # (d) a release dropped into releases/ re-executes the notebook that lists the folder, and only it
    _release_for(7, data_copy)
    run()
    assert _executed(logs) == ["mini_industry"]
    assert "2019-07" in page.read_text(encoding="utf-8")
    (data_copy / "releases" / "tjj-industrial-production-2019-07.csv").unlink()
    run()  # back to the folder as it was: the earlier execution is taken from the store
    assert not _executed(logs) and any("mini_industry: reused" in m for m in logs)
    assert "2019-07" not in page.read_text(encoding="utf-8")

    # (e) a variant executes only the notebooks that take the changed parameter; the rest are reused
    variant = B.Layout(tmp_path / "variant", shared=layout.build_dir)
    logs.clear()
    B.build(parameters={**params, "period": "2019-06"}, layout=variant, log=logs.append, workers=2, root=minibook)
    assert _executed(logs) == ["mini_industry"]
    assert any("mini_chips: reused" in m for m in logs)

    # bad data is rejected before anything executes; the last good book stays
    stamp = (html / B.RENDER_STAMP).read_text()
    before = page.read_text(encoding="utf-8")
    t6 = data_copy / "tables" / "table06_six_key_industries_output_2018.csv"
    good = t6.read_bytes()
    t6.write_bytes(good.decode("utf-8").encode("gbk"))
    with pytest.raises(B.BuildError) as exc:
        run()
    msg = str(exc.value)
    assert "table06_six_key_industries_output_2018.csv" in msg and "line 2" in msg and "UTF-8" in msg
    assert "nothing was executed" in msg
    assert (html / B.RENDER_STAMP).read_text() == stamp and page.read_text(encoding="utf-8") == before
    t6.write_bytes(good)

    # a notebook that fails in a cell is named with the cell; nothing is rendered
    broken = minibook / "notebooks" / "zz_broken.ipynb"
    nb = new_notebook(cells=[new_code_cell("data_dir = '../data'"), new_code_cell("x = 1"),
                             new_code_cell("raise ValueError('deliberate failure')")])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, broken)
    toc = minibook / "_toc.yml"  # a page is a notebook listed in _toc.yml, the book's one list of pages
    toc.write_text(toc.read_text(encoding="utf-8") + "  - file: notebooks/zz_broken\n", encoding="utf-8")
    with pytest.raises(B.BuildError) as exc:
        run()
    msg = str(exc.value)
    assert "zz_broken" in msg and "cell 2" in msg and "ValueError: deliberate failure" in msg
    assert not (layout.executed / "zz_broken.ipynb").exists()
    assert (html / B.RENDER_STAMP).read_text() == stamp


@pytest.mark.slow
def test_incomplete_tex_builds_the_html_and_names_the_packages(tmp_path: Path, minibook: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from aibook import system

    monkeypatch.setattr(system, "pdf_missing", lambda: {"texlive-fonts-recommended": ["tex:pzdr.tfm"]})
    layout = B.Layout(tmp_path / "build")
    logs: list[str] = []
    B.build(layout=layout, root=minibook, pdf="auto", log=logs.append)
    assert (layout.html / "index.html").is_file() and not layout.pdf.exists()
    note = next(m for m in logs if "PDF edition skipped" in m)
    assert "texlive-fonts-recommended" in note and "pzdr.tfm" in note and "apt-get install" in note
    with pytest.raises(B.BuildError, match="texlive-fonts-recommended"):
        B.build(layout=layout, root=minibook, pdf="on", log=logs.append)


def test_inputs_lists_the_records_and_skips_other_cache_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from aibook import paths
    from aibook.__main__ import main

    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "pairs-in-sync.json").write_text('["abc"]', encoding="utf-8")  # the pairing cache: not a record
    (cache / "ch1.json").write_text(json.dumps({"key": "k", "inputs": {"/d/facts.csv": "0" * 64}}), encoding="utf-8")
    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path)
    result = CliRunner().invoke(main, ["inputs"])
    assert result.exit_code == 0, result.output
    assert result.output == "ch1:\n  /d/facts.csv\n"


@pytest.mark.slow
def test_a_book_from_the_committed_outputs_executes_nothing_and_is_the_default_edition(minibook: Path,
                                                                                      tmp_path: Path) -> None:
    """``--from-reference`` (the test suite's shared book) renders the committed notebooks as they are: nothing
    executes, nothing is cached as executed, and only the default edition can be made so."""
    first = B.Layout(tmp_path / "first")
    B.build(layout=first, root=minibook, render_book=False, log=lambda _m: None)
    for nb in B.book_notebooks(minibook):  # the committed outputs, as `make reference` writes them
        shutil.copyfile(first.output(B.Job(nb)), nb)
    logs: list[str] = []
    layout = B.Layout(tmp_path / "build")
    B.build(layout=layout, root=minibook, from_reference=True, log=logs.append)
    assert not [m for m in logs if "executed in" in m or "executing" in m], logs
    for nb in B.book_notebooks(minibook):
        assert layout.output(B.Job(nb)).read_bytes() == nb.read_bytes()
        assert not layout.record(B.Job(nb)).exists()  # a later build executes it
    assert (layout.html / "index.html").is_file()
    with pytest.raises(B.BuildError, match="default edition"):
        B.build(parameters={"period": "2019-06"}, layout=B.Layout(tmp_path / "v"), root=minibook, from_reference=True,
                log=logs.append)
