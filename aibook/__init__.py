"""aibook: helpers for the reproducible edition of 《上海人工智能与实体经济融合发展研究报告》(2019).

Notebooks import from here; everything longer than a few lines lives in this package and is tested.
"""

from aibook.data import DataError, facts, load, resource_info

__all__ = ["DataError", "facts", "load", "resource_info"]
__version__ = "0.1.0"
