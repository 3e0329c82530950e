"""aibook.pages.appendix_data: the steps of Appendix A, called on data/ and on a broken copy of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aibook import sources
from aibook.data import descriptor
from aibook.inputs import DataError
from aibook.pages import appendix_data as page
from aibook.paths import DATA_DIR
from tests.conftest import record_glue


@pytest.fixture
def glued(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return record_glue(monkeypatch, page, "glue_number")


def test_every_resource_is_listed_once_with_its_rows(glued: dict[str, Any]) -> None:
    catalog = page.resources(DATA_DIR)
    names = [r["name"] for r in descriptor(DATA_DIR)["resources"]]
    assert list(catalog["资源"]) == names
    assert (catalog["行数"] >= 0).all()
    table = page.resources_table(DATA_DIR)
    assert "附表 A-1" in table._repr_html_()
    assert glued["data_resources"] == len(names) and glued["data_rows"] == catalog["行数"].sum()
    assert glued["data_tables"] == sum("report_table" in r for r in descriptor(DATA_DIR)["resources"])


def test_the_standings_add_up_to_the_rows_with_a_url(glued: dict[str, Any]) -> None:
    per_file = page.standings(DATA_DIR)
    labels = [sources.LABEL[s] for s in sources.STANDINGS]
    assert (per_file[labels].sum(axis=1) == per_file["带网址的行"]).all()
    page.standings_table(DATA_DIR)
    assert glued["src_rows"] == glued["src_publisher"] + glued["src_news"] + glued["src_leads"] > 0
    assert glued["src_hosts"] > 0


def test_facts_in_and_out_of_the_prose_add_up(glued: dict[str, Any]) -> None:
    table = page.facts_not_in_prose(DATA_DIR)
    assert glued["appendix_facts_in_prose"] + glued["appendix_facts_excluded"] == glued["appendix_facts_total"]
    assert "附表 A-4" in table._repr_html_()
    assert "附表 A-2" in page.facts_by_chapter(DATA_DIR)._repr_html_()
    assert 'id="fact-' in page.facts_listing(DATA_DIR)._repr_html_()


def test_a_resource_that_does_not_validate_stops_the_listing(data_copy: Path) -> None:
    """The guard of 附表 A-1 (a validation record): a bad row in any resource is a clear error naming its file."""
    pkg = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in pkg["resources"] if r["name"] == "facts")
    path = data_copy / res["path"]
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(",".join(["x"] * len(lines[0].split(","))))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="facts.csv"):
        page.resources(data_copy)


def test_the_reviewed_hosts_are_shown_as_table_a5() -> None:
    """The prose sends the reader to 附表 A-5 for the reviewed hosts: the page shows it, one row per host."""
    from aibook import load, names

    table = page.hosts_table(DATA_DIR)
    assert "附表 A-5" in table._repr_html_()
    assert len(table.frame) == len(load(names.SOURCE_HOSTS, DATA_DIR))
