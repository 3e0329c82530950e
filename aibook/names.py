"""Names the chapters share: the data package's resource ids, the scenario batches' labels, source lines.

A resource id typed by hand in a notebook fails only when the cell runs; a constant fails at import and is
found by search. The ids are those of ``data/datapackage.json`` (a test checks that every constant names
a resource there and every resource has a constant).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The report's 17 tables (表格 1–17), in the report's order.
T01 = "table01_national_ai_policies"
T02 = "table02_sh_real_economy_policies"
T03 = "table03_sh_manufacturing_policies"
T04 = "table04_sh_producer_services_policies"
T05 = "table05_sh_ai_policies"
T06 = "table06_six_key_industries_output_2018"
T07 = "table07_strategic_emerging_value_added_2018"
T08 = "table08_talent_city_shares"
T09 = "table09_sh_university_ai_majors_2019"
T10 = "table10_moe_ai_expert_group"
T11 = "table11_scenarios_batch1"
T12 = "table12_scenarios_batch2"
T13 = "table13_sh_ai_chips"
T14 = "table14_sh_intelligent_vehicles"
T15 = "table15_miit_2018_projects_sh"
T16 = "table16_sh_ai_funds"
T17 = "table17_international_cooperation_policies"

# The numbers of the report's prose, and the sourced external data.
FACTS = "facts"
FIGURE_FACTS = "external_figure_facts"
SH_STATS = "external_sh_stats"
SERIES_CATALOG = "timeseries_catalog"
AI_STRATEGIES = "external_ai_strategies"
AI_TALENT = "external_ai_talent_by_country"
AI_CITY_SHARES = "external_ai_city_shares"
SOURCE_HOSTS = "source_hosts"  # the reviewed publisher / news-agency hosts (the one source rule)

# The book's own structured datasets (data/curated/).
INDUSTRY_MAP_ORGS = "ch4_industry_map_orgs"
SCENARIO_POINTS = "ch4_scenario_points"
SCENARIO_TYPE_MAP = "ch4_scenario_type_map"
CLAIMS = "claims"
ORG_ALIASES = "ch4_org_aliases"
REPORT_TOC = "report_toc"
FACTS_NOT_IN_PROSE = "facts_not_in_prose"
DIGIT_NAMES = "digit_names"
FRONT_MATTER = "front_matter"
EXHIBITS = "exhibits"

#: The two batches of Shanghai's AI application scenarios (表格 11 and 12), as every table and figure labels them.
BATCH_LABELS: Mapping[int, str] = {1: "首批（表格 11）", 2: "第二批（表格 12）"}

SOURCE_PREFIX = "数据来源："


def source_body(frame: Any) -> str:
    """The source line of a loaded resource without its "数据来源：" prefix, to be joined with other sources."""
    return str(frame.attrs["source_line"]).removeprefix(SOURCE_PREFIX)


def all_ids() -> dict[str, str]:
    """Every resource-id constant of this module, by constant name."""
    return {k: v for k, v in globals().items() if k.isupper() and isinstance(v, str) and k != "SOURCE_PREFIX"}
