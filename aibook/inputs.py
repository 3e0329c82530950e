"""Reading the data package's files: UTF-8 checked, line ends normalised, and every read recorded.

The build needs to know which files a notebook read (to re-execute it when one changes), so every read goes
through :func:`read_text` or :func:`list_folder`, which record the file (or the folder's listing) with its digest.
:class:`DataError` is how every problem with the data reaches the reader: file, line, column, what was expected.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

#: Environment variable naming a JSON-lines file where each read input is appended (set by the build).
INPUT_LOG_ENV = "AIBOOK_INPUT_LOG"
MAX_PROBLEMS = 20

_READS: dict[str, str] = {}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, located as precisely as the check allows."""

    expected: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    kind: str = ""

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) or "file"
        if self.value is not None:
            text += f": value {self.value!r}"
        text += f": {self.expected}"
        return text + (f" [{self.kind}]" if self.kind else "")


class DataError(ValueError):
    """Bad input data. The message names the file and, per problem, line, column, value, expectation."""

    def __init__(self, path: str | os.PathLike[str], problems: list[Problem] | str, total: int | None = None):
        self.path = str(path)
        self.problems = [Problem(problems)] if isinstance(problems, str) else list(problems)
        self.total = total if total is not None else len(self.problems)
        lines = [f"{self.path}: {p}" for p in self.problems]
        if self.total > len(self.problems):
            lines.append(f"… and {self.total - len(self.problems)} more problem(s) in {self.path}")
        super().__init__("invalid data\n  " + "\n  ".join(lines))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _record(path: Path, digest: str) -> None:
    key = str(path.resolve())
    _READS[key] = digest
    log = os.environ.get(INPUT_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"path": key, "sha256": digest}) + "\n")


def listing_digest(folder: Path) -> str:
    """SHA-256 of a folder's file names (sorted); a folder that does not exist has its own digest."""
    if not folder.is_dir():
        return _sha256(b"\0absent")
    return _sha256("\n".join(sorted(p.name for p in folder.iterdir())).encode("utf-8"))


def list_folder(folder: Path) -> list[Path]:
    """The entries of ``folder`` (sorted; none when it does not exist), recorded as an input of the build.

    A notebook that enumerates a folder depends on what the folder holds: a file dropped in or removed
    there makes the build execute it again, exactly as a changed data file does.
    """
    key = str(folder.resolve())
    log = os.environ.get(INPUT_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"listing": key, "sha256": listing_digest(folder)}) + "\n")
    return sorted(folder.iterdir()) if folder.is_dir() else []


def inputs_read() -> dict[str, str]:
    """The files read so far in this process, with their SHA-256."""
    return dict(_READS)


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, "file not found") from None
    except IsADirectoryError:
        raise DataError(path, "expected a file, found a directory") from None
    except OSError as exc:
        raise DataError(path, f"cannot be read ({exc.strerror})") from None
    _record(path, _sha256(data))
    return data


def _decode_utf8(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = " (the file decodes as GBK/GB18030: re-save it as UTF-8)"
        except UnicodeDecodeError:
            pass
        raise DataError(
            path,
            [Problem(f"expected UTF-8 text; byte {data[exc.start]:#04x} is not valid UTF-8{hint}", line=line,
                     kind="encoding-error")],
        ) from None


def read_text(path: Path) -> str:
    """The file as text: recorded as an input, checked to be UTF-8 (a BOM is dropped), line ends as ``\\n``."""
    text = _decode_utf8(path, _read_bytes(path))
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text

