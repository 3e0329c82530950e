"""WCAG 2.2 AA on every rendered page: axe-core (npm, pinned in package.json/package-lock.json, installed into
node_modules/ by ``make setup``) runs inside Debian's headless Chromium on each page of the built book.

Zero violations at levels A and AA (tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa). The check is shown
to bite on a small page with an image without alt text and grey-on-white text. The provenance notes beside
glued numbers and table cells are operated with the keyboard alone (Tab, Enter, Esc) and carry the ARIA
state a screen reader announces. Where Chromium or axe-core is missing the tests skip loudly — in CI
(``CI=true``) they fail instead.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import subprocess
import tempfile
import warnings
from pathlib import Path

import pytest

from aibook import build as B
from aibook import toc
from aibook.paths import ROOT
from tests.test_browser import FLAGS, chromium

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: the rules that read colours: the only ones whose result can change when the page turns dark
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

#: axe.run is asynchronous: the result is written into the DOM, which --dump-dom prints once the page's
#: virtual time has run out. The page is checked in light mode with every rule of ``TAGS``, then (``dark``) in the
#: theme's dark mode with the colour rules, in one page load.
RUN_AXE = """<script src="{axe}"></script>
<script>
const aibookOptions = (only) => ({{runOnly: only, resultTypes: ["violations"]}});
const aibookReport = (r, mode) => r.violations.map((v) => ({{id: v.id, impact: v.impact, help: v.help, mode: mode,
  count: v.nodes.length, nodes: v.nodes.slice(0, 4).map((n) => ({{target: n.target.join(" "),
    html: n.html.slice(0, 200), why: (n.failureSummary || "").slice(0, 300)}}))}}));
const aibookDone = (out) => document.body.setAttribute("data-aibook-axe", JSON.stringify(out));
window.addEventListener("load", () => setTimeout(() => {{
  if ({open_notes}) document.querySelectorAll(".aibook-ref").forEach((r) => r.classList.add("aibook-open"));
  axe.run(document, aibookOptions({{type: "tag", values: {tags}}})).then((light) => {{
    const out = aibookReport(light, "light");
    if (!{dark}) return aibookDone(out);
    document.documentElement.dataset.theme = "dark"; document.documentElement.dataset.mode = "dark";
    setTimeout(() => axe.run(document, aibookOptions({{type: "rule", values: {colour_rules}}}))
      .then((dark) => aibookDone(out.concat(aibookReport(dark, "dark"))),
            (e) => aibookDone({{error: String(e)}})),
      2000);  // the theme's colour transitions end before axe reads the colours
  }}, (e) => aibookDone({{error: String(e)}}));
}}, 200));
</script>"""


def _missing_tool_message() -> str | None:
    if chromium() is None:
        return "Chromium is not installed: the accessibility check DID NOT RUN (debian-packages.txt, group test)"
    if not AXE.is_file():
        return ("axe-core is not installed: the accessibility check DID NOT RUN "
                "(`make setup` runs `npm ci`; npm and nodejs: debian-packages.txt, group test)")
    return None


def require_tools() -> None:
    message = _missing_tool_message()
    if message:
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        warnings.warn(message, stacklevel=2)
        pytest.skip(message)


def _dump(url: str, budget_ms: int, width: int = 1280, height: int = 900) -> str:
    flags = [f for f in FLAGS if not f.startswith("--virtual-time-budget")]
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([chromium(), *flags, f"--virtual-time-budget={budget_ms}", f"--user-data-dir={profile}",
                               f"--window-size={width},{height}", "--dump-dom", url],
                              capture_output=True, text=True, timeout=300)
    return proc.stdout


def _with_script(page: Path, script: str, suffix: str) -> Path:
    """A copy of ``page`` beside it (same relative links) with ``script`` before </body>."""
    probe = page.with_name(f"{page.stem}.{suffix}.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>", 1), encoding="utf-8")
    return probe


def axe_violations(page: Path, width: int = 1280, query: str = "", open_notes: bool = False,
                   dark: bool = False) -> list[dict]:
    """The A/AA violations axe-core finds on ``page`` (with ``?query``) as Chromium renders it at ``width`` px;
    ``open_notes``: with every provenance note open (axe checks only what is shown); ``dark``: also, after the
    light mode, the colour rules in the theme's dark mode (the reader's toggle, or a system set to dark). Each
    violation names its ``mode``."""
    script = RUN_AXE.format(axe=AXE.as_uri(), tags=json.dumps(TAGS), open_notes=json.dumps(open_notes),
                            dark=json.dumps(dark), colour_rules=json.dumps(COLOUR_RULES))
    probe = _with_script(page, script, "axe")
    try:
        dom = _dump(probe.as_uri() + (f"?{query}" if query else ""), budget_ms=60_000, width=width)
    finally:
        probe.unlink()
    found = re.search(r'data-aibook-axe="([^"]*)"', dom)
    assert found, f"{page.name}: axe did not finish on the page"
    result = json.loads(html_lib.unescape(found.group(1)))
    assert not isinstance(result, dict), f"{page.name}: axe failed: {result}"
    return result


def describe(page: str, violations: list[dict]) -> list[str]:
    return [f"{page}{' (dark mode)' if v.get('mode') == 'dark' else ''}: {v['id']} ({v['impact']}, {v['count']}×) "
            f"{v['help']}: "
            + "; ".join(f"{n['target']} {n['html'][:120]} — {n['why'][:160]}" for n in v["nodes"])
            for v in violations]


@pytest.fixture(scope="module")
def book(built_book: B.Layout) -> Path:
    require_tools()
    return built_book.html


# ------------------------------------------------------------------------------------- the check bites
BAD_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>测试页</title></head>
<body><main><h1>测试页</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" width="40" height="40">
<p style="color:#bbbbbb;background:#ffffff">浅灰色的字几乎看不清。</p>
</main></body></html>"""
GOOD_PAGE = BAD_PAGE.replace('<img src', '<img alt="一个像素" src').replace("#bbbbbb", "#333333")


def test_the_check_catches_a_missing_alt_text_and_a_low_contrast_text(tmp_path: Path) -> None:
    require_tools()
    bad, good = tmp_path / "bad.html", tmp_path / "good.html"
    bad.write_text(BAD_PAGE, encoding="utf-8")
    good.write_text(GOOD_PAGE, encoding="utf-8")
    found = {v["id"]: v for v in axe_violations(bad)}
    assert {"image-alt", "color-contrast"} <= set(found), found
    assert "浅灰色" in found["color-contrast"]["nodes"][0]["html"]
    assert axe_violations(good) == []


def test_the_dark_pass_catches_text_that_is_dark_on_dark(tmp_path: Path) -> None:
    """Readable in light mode, too dark in the theme's dark mode: found in the dark pass of the same page load."""
    require_tools()
    page = tmp_path / "dark.html"
    page.write_text(GOOD_PAGE.replace("</head>", "<style>html[data-theme=dark] p {background: #222222 !important;}"
                                                 "</style></head>"), encoding="utf-8")
    assert axe_violations(page) == []
    found = axe_violations(page, dark=True)
    assert [(v["id"], v["mode"]) for v in found] == [("color-contrast", "dark")], found
    assert describe("dark.html", found)[0].startswith("dark.html (dark mode): color-contrast")


# ------------------------------------------------------------------------------------- the book
def every_page(book: Path) -> list[Path]:
    """Every page a reader can open: the chapters and appendices, the book's own pages, the index and search."""
    pages = sorted(p for p in book.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)
    return [p for p in pages if p != book / "index.html"]  # index.html only redirects to the home page


#: every page a reader can open, named before the book is built (one test each, so that the workers share them):
#: the pages of _toc.yml, the index of terms and the search page
PAGES = [f"{file}.html" for file in toc.files()] + ["genindex.html", "search.html"]


def test_the_checked_pages_are_every_page_of_the_built_book(book: Path) -> None:
    assert sorted(PAGES) == sorted(p.relative_to(book).as_posix() for p in every_page(book))


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_no_wcag_a_or_aa_violation(book: Path, page: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Levels A and AA, in light mode and (the colour rules) in the theme's dark mode."""
    problems = describe(page, axe_violations(book / page, dark=True))
    if page == "search.html":
        problems += describe("search.html?q=徐汇", axe_violations(book / page, query="q=徐汇"))
    with capsys.disabled():  # the measure shows in the test output, passed or not
        print(f"\n[a11y] axe-core {TAGS}, light and dark mode: {page}: {len(problems)} violations")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("page", ["book/intro.html", "notebooks/ch3_industry_base.html",
                                  "notebooks/ch4_applications.html", "notebooks/appendix_data.html"])
def test_pages_at_phone_width_have_no_violation(book: Path, page: str) -> None:
    problems = describe(page, axe_violations(book / page, width=500))  # headless Chromium's narrowest window
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_open_provenance_notes_have_no_violation(book: Path) -> None:
    """The notes are hidden until opened, and axe checks only what is shown: here every note is open."""
    page = book / "notebooks" / "ch3_industry_base.html"
    problems = describe(page.name, axe_violations(page, open_notes=True))
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------- keyboard alone
#: a glued number in the prose and a table cell: reached by Tab (in the focus order), opened by focus and by
#: Enter, closed by Esc (focus stays), its link reachable; the ARIA state follows, the note is its description
KEYBOARD = """<script>
window.addEventListener("load", () => setTimeout(() => {
  const key = (el, k) => el.dispatchEvent(new KeyboardEvent("keydown", {key: k, bubbles: true, cancelable: true}));
  const shown = (note) => getComputedStyle(note).display !== "none" && note.getBoundingClientRect().height > 0;
  const state = (num, note) => ({expanded: num.getAttribute("aria-expanded"), shown: shown(note),
                                 focused: document.activeElement === num});
  const out = {};
  for (const [kind, selector] of [["glued", "p .aibook-num"], ["cell", "td .aibook-num"]]) {
    const num = Array.from(document.querySelectorAll(selector)).find((el) => el.offsetParent !== null);
    if (!num) continue;
    const ref = num.closest(".aibook-ref"), note = ref && ref.querySelector(".aibook-src");
    const r = {role: num.getAttribute("role"), tabIndex: num.tabIndex, inNum: !!num.querySelector(".aibook-src"),
               describedby: num.getAttribute("aria-describedby"), controls: num.getAttribute("aria-controls"),
               noteId: note && note.id, noteText: note && note.textContent.trim()};
    if (!note) { out[kind] = r; continue; }
    r.initial = state(num, note);
    num.focus(); r.focused = state(num, note);
    key(num, "Escape"); r.escaped = state(num, note);
    key(num, "Enter"); r.entered = state(num, note);
    const link = note.querySelector("a");
    if (link) { link.focus(); r.link = {focused: document.activeElement === link, shown: shown(note)};
                key(link, "Escape"); r.linkEscaped = state(num, note); }
    num.blur(); r.blurred = state(num, note);
    out[kind] = r;
  }
  document.body.setAttribute("data-aibook-keys", JSON.stringify(out));
}, 100));
</script>"""


def keyboard_report(page: Path) -> dict:
    probe = _with_script(page, KEYBOARD, "keys")
    try:
        dom = _dump(probe.as_uri(), budget_ms=5000)
    finally:
        probe.unlink()
    found = re.search(r'data-aibook-keys="([^"]*)"', dom)
    assert found, f"{page.name}: the keyboard script did not run"
    return json.loads(html_lib.unescape(found.group(1)))


@pytest.mark.slow
def test_provenance_notes_work_with_the_keyboard_and_are_announced(book: Path) -> None:
    report = keyboard_report(book / "notebooks" / "ch3_industry_base.html")
    assert set(report) == {"glued", "cell"}, report
    for kind, r in report.items():
        assert r["role"] == "button" and r["tabIndex"] == 0, (kind, r)  # in the Tab order, announced as a button
        assert not r["inNum"], (kind, r)  # the note (and its link) is not inside the button
        assert r["noteId"] and r["describedby"] == r["noteId"] == r["controls"], (kind, r)
        assert r["noteText"], (kind, r)
        closed = {"expanded": "false", "shown": False}
        assert r["initial"] | closed == r["initial"] and not r["initial"]["focused"], (kind, r)
        assert r["focused"] == {"expanded": "true", "shown": True, "focused": True}, (kind, r)  # Tab: opens
        assert r["escaped"] == {"expanded": "false", "shown": False, "focused": True}, (kind, r)  # Esc: closes
        assert r["entered"] == {"expanded": "true", "shown": True, "focused": True}, (kind, r)  # Enter: opens
        assert r["link"] == {"focused": True, "shown": True}, (kind, r)  # the appendix link can be reached
        assert r["linkEscaped"] == {"expanded": "false", "shown": False, "focused": True}, (kind, r)
        assert r["blurred"]["expanded"] == "false" and not r["blurred"]["shown"], (kind, r)


def test_the_keyboard_check_bites_on_a_bare_note(tmp_path: Path) -> None:
    """Without the markup and script, a note is neither a button nor closed by Esc: the check says so."""
    require_tools()
    page = tmp_path / "bare.html"
    page.write_text('<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>t</title><style>'
                    ".aibook-src{display:none}.aibook-num:focus .aibook-src{display:block}</style></head><body>"
                    '<p>产值 <span class="aibook-num" tabindex="0">8.5<span class="aibook-src">来源</span></span></p>'
                    "</body></html>", encoding="utf-8")
    report = keyboard_report(page)
    assert report["glued"]["role"] is None and report["glued"]["inNum"] and report["glued"]["noteId"] is None


# ------------------------------------------------------------------------------------- figures
def _figure_texts(fig) -> list:  # type: ignore[no-untyped-def]
    import matplotlib.text

    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]


def figure_contrast_problems(fig, background: object = "white") -> list[str]:  # type: ignore[no-untyped-def]
    """Texts of ``fig`` whose colour is below 4.5:1 on the figure's background (a text in a box: on its box)."""
    from aibook.style import MIN_TEXT_CONTRAST, contrast_ratio

    problems = []
    for text in _figure_texts(fig):
        patch = text.get_bbox_patch()
        behind = patch.get_facecolor() if patch is not None else text.get_gid() or background
        ratio = contrast_ratio(text.get_color(), behind)
        if ratio < MIN_TEXT_CONTRAST:
            problems.append(f"{text.get_text()!r}: {text.get_color()} at {ratio:.2f}:1")
    return problems


def _sample_figures():  # type: ignore[no-untyped-def]
    """One figure of every builder whose text sits on white (the heat map and the map: their own tests)."""
    import pandas as pd

    from aibook import analysis, figures, load

    t6 = load("table06_six_key_industries_output_2018")
    parts = t6[t6["level"] == "component"]
    yield "bar_with_growth", figures.bar_with_growth(parts.assign(growth_pct=[-1.0, *parts["growth_pct"][1:]]),
                                                     "indicator", "value", "growth_pct")
    yield "ranked_bars", figures.ranked_bars(parts.assign(growth_pct=[-1.0, *parts["growth_pct"][1:]]),
                                             "indicator", "growth_pct")
    pol = pd.concat([load(f"table0{i}_{n}").assign(lane=f"表格 {i}") for i, n in
                     [(2, "sh_real_economy_policies"), (5, "sh_ai_policies")]])
    yield "timeline", figures.timeline(pol, "date", "lane", "policy")
    counts = pd.concat([analysis.count_by(load("table11_scenarios_batch1"), "scenario_type").assign(batch=b)
                        for b in ("首批", "第二批")])
    yield "count_bars", figures.count_bars(counts, "scenario_type", "batch")
    years = pd.DataFrame({"year": [2015, 2016, 2018], "value": [1.0, 2.0, 3.0], "kind": ["统计", "统计", "报道"]})
    yield "year_bars", figures.year_bars(years, "year", "value", "kind")
    dots = pd.DataFrame({"label": ["北京", "上海", "北京", "上海"], "value": [1.0, 2.0, 1.5, 2.5],
                         "hue": ["甲", "甲", "乙", "乙"]})
    yield "dot_compare", figures.dot_compare(dots, "value", "label", "hue")


@pytest.fixture
def _style():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from aibook.style import use_book_style

    use_book_style()
    yield
    plt.close("all")


@pytest.mark.usefixtures("_style")
def test_figure_texts_have_a_contrast_of_at_least_4_5() -> None:
    problems = [f"{name}: {p}" for name, fig in _sample_figures() for p in figure_contrast_problems(fig)]
    assert not problems, problems


@pytest.mark.usefixtures("_style")
def test_the_contrast_check_bites_on_grey_text() -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "无数据", color="#888888")
    assert any("无数据" in p for p in figure_contrast_problems(fig))


@pytest.mark.usefixtures("_style")
def test_heatmap_values_read_on_their_cells() -> None:
    import numpy as np
    import pandas as pd

    from aibook import figures
    from aibook.style import MIN_TEXT_CONTRAST, contrast_ratio

    grid = pd.DataFrame([(r, c, float(v)) for r, row in enumerate("ABCDEFGH") for c, v in
                         enumerate(np.linspace(0, 100, 8) + r)], columns=["row", "col", "v"])
    fig = figures.share_heatmap(grid, "row", "col", "v")
    ax = fig.axes[0]
    cells = ax.collections[0].get_facecolors()
    assert len(ax.texts) == 64
    for text in ax.texts:
        x, y = text.get_position()
        cell = cells[int(y) * 8 + int(x)]
        assert contrast_ratio(text.get_color(), cell) >= MIN_TEXT_CONTRAST, (text.get_text(), text.get_color(), cell)


@pytest.mark.usefixtures("_style")
def test_map_band_names_read_on_their_band() -> None:
    import pandas as pd

    from aibook import figures
    from aibook.figures.maps import _tint
    from aibook.style import MIN_TEXT_CONTRAST, contrast_ratio

    df = pd.DataFrame({"seg": [f"环节{i}" for i in range(10)], "org": [f"机构{i}" for i in range(10)]})
    fig = figures.landscape(df, "seg", "org")
    names = [t for t in fig.axes[0].texts if t.get_text().startswith("环节")]
    assert len(names) == 10
    for text in names:  # the band behind a name: the band patch of its row
        y = text.get_position()[1]
        band = next(p for p in fig.axes[0].patches if p.get_y() <= y <= p.get_y() + p.get_height())
        assert contrast_ratio(text.get_color(), _tint(band.get_facecolor()[:3])) >= MIN_TEXT_CONTRAST, text


@pytest.mark.usefixtures("_style")
def test_colour_is_never_the_only_cue() -> None:
    """Series told apart by colour also differ by marker (dots) or hatch (bars)."""
    import matplotlib.collections

    figs = dict(_sample_figures())
    for name in ("timeline", "dot_compare"):
        ax = figs[name].axes[0]
        dots = [c for c in ax.collections if isinstance(c, matplotlib.collections.PathCollection) and c.get_label()
                and not c.get_label().startswith("_")]
        shapes = {tuple(map(tuple, c.get_paths()[0].vertices.round(3))) for c in dots}
        assert len(dots) >= 2 and len(shapes) == len(dots), name
    for name in ("count_bars", "bar_with_growth"):
        ax = figs[name].axes[0]
        by_colour: dict[tuple, set] = {}
        for patch in ax.patches:
            by_colour.setdefault(tuple(patch.get_facecolor()), set()).add(patch.get_hatch())
        assert len(by_colour) >= 2, name
        hatches = [h for h in by_colour.values()]
        assert all(len(h) == 1 for h in hatches) and len({next(iter(h)) for h in hatches}) == len(hatches), name
