"""The resource-id constants of aibook.names and the data package agree, both ways."""

from __future__ import annotations

from aibook import names
from aibook.data import descriptor


def test_every_resource_has_one_constant_and_every_constant_a_resource() -> None:
    resources = [r["name"] for r in descriptor()["resources"]]
    ids = names.all_ids()
    assert sorted(ids.values()) == sorted(resources)
    assert len(set(ids.values())) == len(ids)


def test_source_body_drops_the_prefix_only() -> None:
    class Frame:
        attrs = {"source_line": "数据来源：上海市统计局；数据来源：重复"}

    assert names.source_body(Frame()) == "上海市统计局；数据来源：重复"

