"""One standard for sources: every URL of the data package has a standing, and only sources are drawn.

A value the book draws, compares or concludes from rests on its **publisher** (the government body or
statistics bureau, the company, the institute that published the study) or on a **news agency** quoting it.
Everything else — mirrors, reposts, document-sharing sites, wikis, essay pages — is a **lead**: listed, never
drawn, never the ground of a conclusion.

Each row that carries a URL has a ``standing`` column with that closed vocabulary (:data:`STANDINGS`). A row
may claim ``publisher`` or ``news agency`` only when its URL's host is on the reviewed list of hosts kept as
data (``data/external/source_hosts.csv``: host, optional path prefix, standing, what the host is). Figures,
tables and checks take their rows through :func:`drawable`, which refuses a frame that still holds a lead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

PUBLISHER, NEWS_AGENCY, LEAD = "publisher", "news agency", "lead"
#: the closed vocabulary of ``standing``
STANDINGS: tuple[str, ...] = (PUBLISHER, NEWS_AGENCY, LEAD)
#: the standings a figure, table or check may draw from
SOURCED: tuple[str, ...] = (PUBLISHER, NEWS_AGENCY)
#: how each standing reads in the book
LABEL = {PUBLISHER: "发布者", NEWS_AGENCY: "通讯社", LEAD: "线索（不作来源）"}
#: ``source_type`` of the time-series files (sh_stats, bulletins) → standing
FROM_SOURCE_TYPE = {"official": PUBLISHER, "news_agency": NEWS_AGENCY, "repost": LEAD}
HOSTS_FILE = "external/source_hosts.csv"
HOST_COLUMNS = ["host", "path_prefix", "standing", "what", "reviewed"]


class LeadDrawn(ValueError):
    """A lead row (or a row of unknown standing) was handed to a figure, table or check."""


@dataclass(frozen=True)
class Host:
    host: str
    path_prefix: str
    standing: str
    what: str


def read_hosts(data_dir: str | Path) -> list[Host]:
    """The reviewed hosts (``external/source_hosts.csv``); a malformed row is an error naming file, row, column."""
    path = Path(data_dir) / HOSTS_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in HOST_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; expected {HOST_COLUMNS}")
    hosts = []
    for i, r in enumerate(frame.itertuples(index=False), start=2):
        if r.standing not in SOURCED:
            raise ValueError(f"{path}, row {i}, column standing: {r.standing!r}; expected one of {list(SOURCED)}")
        if not r.host or not r.what:
            raise ValueError(f"{path}, row {i}: host and what are required")
        hosts.append(Host(r.host.lower(), r.path_prefix, r.standing, r.what))
    return hosts


def host_entry(url: str, hosts: Iterable[Host]) -> Host | None:
    """The reviewed host a URL lives on (exact host, and the path prefix if the entry has one), else None."""
    parsed = urlparse(str(url))
    name = (parsed.hostname or "").lower().rstrip(".")
    for h in hosts:
        if name == h.host and parsed.path.startswith(h.path_prefix):
            return h
    return None


def standing_problems(frame: pd.DataFrame, where: str, hosts: Iterable[Host], *,
                      url_column: str = "source_url", standing_column: str = "standing") -> list[str]:
    """Rows whose standing is outside the vocabulary, or that claim a standing their host does not have.

    ``where`` names the file in the messages; rows are numbered as in the CSV (header = row 1).
    """
    hosts = list(hosts)
    out = []
    if standing_column not in frame.columns:
        return [f"{where}: no {standing_column} column (expected one of {list(STANDINGS)} per row)"]
    for i, (url, standing) in enumerate(zip(frame[url_column], frame[standing_column], strict=True), start=2):
        if standing not in STANDINGS:
            out.append(f"{where}, row {i}, column {standing_column}: {standing!r}; expected one of {list(STANDINGS)}")
            continue
        if standing == LEAD:
            continue
        entry = host_entry(url, hosts)
        if entry is None:
            out.append(f"{where}, row {i}, column {url_column}: {url} is not on the reviewed list of "
                       f"{standing} hosts ({HOSTS_FILE}); mark the row {LEAD!r} or review the host")
        elif entry.standing != standing:
            out.append(f"{where}, row {i}, column {standing_column}: {standing!r}, but {entry.host} is reviewed "
                       f"as {entry.standing!r}")
    return out


def drawable(frame: pd.DataFrame, where: str, standing_column: str = "standing") -> pd.DataFrame:
    """``frame`` unchanged when every row is a source; a lead among them raises :class:`LeadDrawn`.

    Figures, tables and checks call this on exactly the rows they draw, so a lead can never be drawn.
    """
    bad = frame[~frame[standing_column].isin(SOURCED)]
    if len(bad):
        first = bad.iloc[0]
        label = first.get("id", first.get("source_url", bad.index[0]))
        raise LeadDrawn(f"{where}: {len(bad)} row(s) to be drawn are not sources (first: {label}, "
                        f"standing {first[standing_column]!r}); leads are listed, never drawn")
    return frame


def sourced(frame: pd.DataFrame, standing_column: str = "standing") -> pd.DataFrame:
    """The rows of ``frame`` that rest on a publisher or a news agency."""
    return frame[frame[standing_column].isin(SOURCED)]


def leads(frame: pd.DataFrame, standing_column: str = "standing") -> pd.DataFrame:
    """The rows of ``frame`` that are leads only."""
    return frame[frame[standing_column] == LEAD]
