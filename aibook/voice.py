"""The two voices of a chapter page, and the digit rule of its prose.

A chapter gives the report's content; the book's own checks and notes sit only in MyST colon-fence admonitions
of class ``aibook-voice``::

    :::{admonition} 本书核对
    :class: aibook-voice
    ……
    :::

This module reads a Markdown cell into lines, each marked as inside or outside such a box (:func:`parse`), and
applies the two rules that ``tests/test_voice.py`` enforces on every chapter notebook:

* :func:`digit_violations` — outside code, glue roles, inline code and headings, no ASCII digit appears, except
  in exhibit labels (表格 6, 图表 10–18, 补图 4-1, 补表 4-7, 附表 A-4), inside 《》 titles, and in the names
  listed in ``data/curated/digit_names.csv`` (5G, G60 …): every other number reaches the prose from data;
* :func:`voice_violations` — outside ``aibook-voice`` boxes, none of 本书/推算/倒推/反推/核对 and no verdict word
  (一致/不一致/相符/不符).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

VOICE_CLASS = "aibook-voice"
BOOK_WORDS = ("本书", "推算", "倒推", "反推", "核对")
VERDICT_WORDS = ("不一致", "一致", "相符", "不符")

_COLON_OPEN = re.compile(r"^(\s*)(:{3,})\{(\w[\w:-]*)\}(.*)$")
_COLON_CLOSE = re.compile(r"^\s*(:{3,})\s*$")
_BACKTICK_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_OPTION = re.compile(r"^\s*:(\w[\w-]*):\s*(.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_TITLE = re.compile(r"《[^《》]*》")
_LABEL = re.compile(r"(?:表格|图表|补图|补表|附表|附图|练习)\s*(?:[A-Z]-?)?\d+(?:-\d+)?"
                    r"(?:\s*(?:[–—~、,，]|和|与|至)\s*(?:[A-Z]-?)?\d+(?:-\d+)?(?![\d.%]))*")
_DIGIT = re.compile(r"[0-9]")
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s")


class VoiceParseError(ValueError):
    """A colon fence that is opened and never closed."""


@dataclass(frozen=True)
class Line:
    """One line of a Markdown cell: its 1-based number, its text and where it stands."""

    number: int
    text: str
    in_voice: bool  # inside an admonition of class aibook-voice (at any depth)
    prose: bool  # neither a code fence, a directive's option line, a fence marker nor a heading


@dataclass(frozen=True)
class Violation:
    """A rule broken on one line: what was found, and the line."""

    line: int
    found: str
    text: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.found}｜{self.text.strip()[:120]}"


def parse(source: str) -> list[Line]:
    """Split a Markdown cell into lines marked by box and kind.

    Colon fences nest (a fence closes on a line of colons at least as long as its opening); backtick fences are
    code and hide everything up to their close. Raises :class:`VoiceParseError` for a colon fence left open.
    """
    stack: list[tuple[int, bool, int]] = []  # (colons, is voice box, line opened)
    pending: int | None = None  # index in stack of a box whose option lines may still follow
    fence: str | None = None
    out: list[Line] = []
    for number, text in enumerate(source.splitlines(), start=1):
        in_voice = any(voice for _, voice, _ in stack)
        if fence is not None:
            if text.strip().startswith(fence) and not text.strip()[len(fence):].strip():
                fence = None
            out.append(Line(number, text, in_voice, False))
            continue
        if m := _BACKTICK_FENCE.match(text):
            fence = m.group(1)
            pending = None
            out.append(Line(number, text, in_voice, False))
            continue
        if m := _COLON_OPEN.match(text):
            stack.append((len(m.group(2)), False, number))
            pending = len(stack) - 1
            out.append(Line(number, text, in_voice, False))
            continue
        if (m := _COLON_CLOSE.match(text)) and stack and len(m.group(1)) >= stack[-1][0]:
            stack.pop()
            pending = None
            out.append(Line(number, text, any(v for _, v, _ in stack), False))
            continue
        if pending is not None and (m := _OPTION.match(text)):
            if m.group(1) == "class" and VOICE_CLASS in m.group(2).split():
                colons, _, opened = stack[pending]
                stack[pending] = (colons, True, opened)
            out.append(Line(number, text, any(v for _, v, _ in stack), False))
            continue
        pending = None
        out.append(Line(number, text, in_voice, not _HEADING.match(text)))
    if stack:
        raise VoiceParseError(f"第 {stack[-1][2]} 行打开的 “{':' * stack[-1][0]}” 围栏没有关闭")
    if fence is not None:
        raise VoiceParseError(f"代码围栏 “{fence}” 没有关闭")
    return out


def _visible(text: str) -> str:
    """A prose line without what the rules do not read: glue and other roles, inline code, link targets."""
    text = _ROLE.sub(" ", text)
    text = _INLINE_CODE.sub(" ", text)
    return _LINK_TARGET.sub("]", text)


def digit_violations(source: str, names: Iterable[str] = ()) -> list[Violation]:
    """ASCII digits of the prose that are not an exhibit label, inside 《》 or part of a listed name.

    The number of an ordered list item (``1. …``) is Markdown, not prose.
    """
    ordered = sorted({n for n in names if n}, key=len, reverse=True)
    found = []
    for line in parse(source):
        if not line.prose:
            continue
        text = _TITLE.sub(" ", _visible(_LIST_MARKER.sub(" ", line.text)))
        text = _LABEL.sub(" ", text)
        for name in ordered:
            text = text.replace(name, " ")
        if _DIGIT.search(text):
            found.append(Violation(line.number, "、".join(re.findall(r"\S*[0-9]\S*", text)), line.text))
    return found


def voice_violations(source: str, words: Sequence[str] = BOOK_WORDS + VERDICT_WORDS,
                     values: dict[str, str] | None = None) -> list[Violation]:
    """Lines outside ``aibook-voice`` boxes that use the book's own words (本书, 推算 …) or a verdict word.

    With ``values`` (key → glued text), a glue role reads as the text it inserts, so a glued verdict
    (``与正文{glue:md}`x_agrees```) counts like a typed one.
    """
    found = []
    glued = values or {}
    for line in parse(source):
        if line.in_voice or not line.prose:
            continue
        text = _GLUE_ROLE.sub(lambda m: glued.get(m.group(2), " ") if m.group(1) == "md" else " ", line.text)
        text = _visible(text)
        hits = [w for w in words if w in text]
        if hits:
            found.append(Violation(line.number, "、".join(hits), line.text))
    return found


def markdown_cells(notebook: Path, skip_tags: Iterable[str] = ()) -> list[tuple[int, str]]:
    """The Markdown cells of a notebook as (cell index, source), leaving out cells carrying any of ``skip_tags``."""
    import nbformat

    skip = set(skip_tags)
    nb = nbformat.read(notebook, as_version=4)
    return [(i, c.source) for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and not skip & set(c.get("metadata", {}).get("tags", []))]


def notebook_violations(notebook: Path, rule: str, names: Iterable[str] = ()) -> list[str]:
    """Every violation of ``rule`` (``digits``, ``voice`` or ``spacing``) in a notebook, each naming its cell and line.

    The voice rule reads the chapter, not its workshop exercises (cells tagged ``exercise`` or
    ``exercise-heading``), which speak to the student in the book's own voice by design.
    """
    if rule not in {"digits", "voice", "spacing"}:
        raise ValueError(f"unknown rule {rule!r}: expected 'digits', 'voice' or 'spacing'")
    values = glued_values(notebook) if rule in {"spacing", "voice"} else {}
    name_list = list(names)
    skip = ("exercise", "exercise-heading") if rule == "voice" else ()
    out = []
    for index, source in markdown_cells(notebook, skip):
        try:
            found = (digit_violations(source, name_list) if rule == "digits" else voice_violations(source, values=values)
                     if rule == "voice" else spacing_violations(source, values))
        except VoiceParseError as exc:
            out.append(f"{notebook.name} 单元格 {index}：{exc}")
            continue
        out.extend(f"{notebook.name} 单元格 {index} {v}" for v in found)
    return out


_GLUE_ROLE = re.compile(r"\{glue:(md|text)\}`([^`:]+)(?::[^`]*)?`")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_CHAR = re.compile(r"[0-9A-Za-z%]")


def glued_values(notebook: Path) -> dict[str, str]:
    """The values glued in a notebook's committed outputs, by key (Markdown form when there is one)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    values: dict[str, str] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            data = output.get("data", {})
            forms = [v for k, v in data.items() if k.endswith("text/markdown")] or \
                    [v for k, v in data.items() if k.endswith("text/plain")]
            if name and forms:
                values[name] = str(forms[0]).strip("'")
    return values


def spacing_violations(source: str, values: dict[str, str]) -> list[Violation]:
    """Glue roles that break the one spacing rule: a Chinese character directly before a value that starts with a
    Latin letter or digit, or directly after one that ends with one, or a glued value that itself joins Chinese
    and Latin letters or digits without a space (``5亿``). A number glued with ``{glue:text}`` always starts and
    ends with a digit."""
    found = []
    for number, text in enumerate(source.splitlines(), start=1):
        for m in _GLUE_ROLE.finditer(text):
            value = "0" if m.group(1) == "text" else values.get(m.group(2))
            if not value:
                continue
            before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
            if _CJK_CHAR.fullmatch(before or "x") and _LATIN_CHAR.match(value[0]):
                found.append(Violation(number, f"“{before}”与 {m.group(2)}（{value}）之间缺空格", text))
            if _CJK_CHAR.fullmatch(after or "x") and _LATIN_CHAR.match(value[-1]):
                found.append(Violation(number, f"{m.group(2)}（{value}）与“{after}”之间缺空格", text))
            if re.search(r"[\u3400-\u9fff][0-9A-Za-z]|[0-9A-Za-z][\u3400-\u9fff]", value):
                found.append(Violation(number, f"插入的值 {m.group(2)}（{value}）内部缺空格", text))
    return found
