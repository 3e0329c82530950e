"""Where a number shown in the book comes from, in words a reader can follow.

Three kinds, as the book promises: a number the report states (fact id, verbatim quote, line of
``data/facts.csv``); a cell of a data file (file, line, column); or a number computed on the page from the
files it read (listed). The Sphinx extension (``book/_ext/aibook_sphinx.py``) shows the text on hover or tap
beside each glued number; the table renderer puts it on each number cell. The PDF keeps clean numbers.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from aibook.data import Fact, inputs_read

#: glue key prefix of the provenance record that accompanies a glued number
GLUE_PREFIX = "aibook-src:"
#: the data appendix page (beside the chapter pages in the book) and the link text to a row of it
APPENDIX = "appendix_data"
APPENDIX_LINK = "在数据附录中查看"


@dataclass
class Source:
    """Provenance of one shown number."""

    kind: str  # "fact" | "cell" | "computed" | "stated"
    text: str
    anchor: str = ""  # fragment on the data appendix page (fact-<id>, res-<name>), if it has a row there
    files: list[str] = field(default_factory=list)
    line: int = 0  # a data file's cell: its line (1 = the header) and printed column title, for the ledger
    column: str = ""

    def as_dict(self) -> dict[str, object]:
        """The fields, without an unset line and column: glued provenance stays as it was before they existed."""
        return {k: v for k, v in asdict(self).items() if v or k not in ("line", "column")}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True)


def _relative(path: str) -> str:
    """``data/…`` path of a file inside a data package (the folder holding ``datapackage.json``)."""
    p = Path(path)
    for parent in p.parents:
        if (parent / "datapackage.json").is_file():
            return "data/" + p.relative_to(parent).as_posix()
    return p.name


def of_fact(value: Fact) -> Source:
    line = f"，第 {value.line} 行" if value.line else ""
    return Source("fact", f"报告正文（data/facts.csv{line}，{value.fact_id}）：“{value.quote}”",
                  anchor=f"fact-{value.fact_id}", files=["data/facts.csv"])


def of_cell(resource_path: str, line: int, column: str) -> Source:
    return Source("cell", f"data/{resource_path} 第 {line} 行，列“{column}”",
                  anchor=f"res-{Path(resource_path).stem}", files=[f"data/{resource_path}"], line=int(line), column=str(column))


def computed(how: str = "") -> Source:
    """A number computed on the page: the data files the page had read when it was computed."""
    files = sorted(_relative(p) for p in inputs_read() if Path(p).suffix == ".csv")
    what = how or "由本页代码计算"
    listed = "、".join(files) if files else "无数据文件"
    # the row in the data appendix of the first input it lists (drop-in releases have no row there)
    listed_rows = [f for f in files if not f.startswith("data/releases/")]
    first = next((f for f in listed_rows if f != "data/facts.csv"), listed_rows[0] if listed_rows else "")
    anchor = f"res-{Path(first).stem}" if first else ""
    return Source("computed", f"{what}；输入：{listed}", anchor=anchor, files=files)


def describe(value: object, how: str = "") -> Source:
    """The provenance of a value about to be glued: a :class:`Fact` knows its own, anything else is computed."""
    if isinstance(value, Fact) and not how:
        return of_fact(value)
    return computed(how)
