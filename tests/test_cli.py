from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from aibook.__main__ import _parse_params, main


def test_validate_passes_on_the_shipped_package() -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "ok      table06_six_key_industries_output_2018" in result.output


def test_validate_reports_bad_file_and_exits_nonzero(data_copy: Path) -> None:
    f = data_copy / "tables" / "table08_talent_city_shares.csv"
    f.write_text(f.read_text(encoding="utf-8").replace("上海,信息技术,17.30", "上海,信息技术,x"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--data-dir", str(data_copy)])
    assert result.exit_code == 1
    assert "INVALID table08_talent_city_shares" in result.output
    assert "column 'share_pct" in result.output


def test_parameters_are_typed(tmp_path: Path) -> None:
    p = tmp_path / "p.yml"
    p.write_text("reference_year: 2018\ndata_dir: ../data\n", encoding="utf-8")
    assert _parse_params(("reference_year=2019",), str(p)) == {"reference_year": 2019, "data_dir": "../data"}


def test_unknown_notebook_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["build", "--only", "no_such_chapter"])
    assert result.exit_code == 1
    assert "no notebook named" in result.output


def test_the_test_command_runs_every_layer_on_every_core_over_the_default_paths(monkeypatch) -> None:
    from aibook.__main__ import NBVAL, PARALLEL, pytest_command
    from aibook.paths import ROOT

    monkeypatch.chdir(ROOT)
    full = pytest_command(["--durations=20"], fast=False)
    assert full[3:] == [*NBVAL, *PARALLEL, "--durations=20", "tests", "notebooks"]  # an option keeps the paths
    assert pytest_command([], fast=True)[3:] == ["-m", "unit", *PARALLEL, "tests"]
    one = pytest_command(["tests/test_cli.py::test_x"], fast=False)
    assert one[-1] == "tests/test_cli.py::test_x" and "notebooks" not in one and "-n" not in one  # one process
    assert pytest_command(["notebooks/ch1_meaning.ipynb", "-n", "2"], fast=False)[-2:] == ["-n", "2"]
