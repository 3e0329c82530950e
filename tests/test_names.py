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



def _literal_ids(source: str, ids: set[str]) -> list[str]:
    """Resource ids written as string literals in a module's source (outside aibook/names.py)."""
    import ast

    return sorted({node.value for node in ast.walk(ast.parse(source))
                   if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ids})


def test_resource_ids_are_written_only_in_names() -> None:
    """A resource id is typed once, in aibook/names.py; the package and the pages use the constants."""
    from aibook.paths import ROOT

    ids = {v for v in names.all_ids().values() if "_" in v}  # "facts", "claims": also plain words and keys
    found = {}
    for path in sorted((ROOT / "aibook").rglob("*.py")):
        if path.name != "names.py":
            literals = _literal_ids(path.read_text(encoding="utf-8"), ids)
            if literals:
                found[path.relative_to(ROOT).as_posix()] = literals
    assert not found


def test_a_retyped_id_is_found() -> None:
    assert _literal_ids('T6 = "table06_six_key_industries_output_2018"\nx = "other"',
                        set(names.all_ids().values())) == ["table06_six_key_industries_output_2018"]
