"""aibook: helpers for the reproducible edition of 《上海人工智能与实体经济融合发展研究报告》(2019).

Notebooks import from here; everything longer than a few lines lives in this package and is tested.
The names below are loaded on first use (PEP 562): ``python -m aibook`` runs this file first, and a no-op
build must not pay for pandas, which :mod:`aibook.data` imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aibook.data import DataError, facts, load, resource_info

__all__ = ["DataError", "facts", "load", "resource_info"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in __all__:
        from aibook import data

        value = getattr(data, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'aibook' has no attribute {name!r}")
