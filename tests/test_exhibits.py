"""Every exhibit (a labelled table or figure) is a small data package: CSV, metadata JSON, citation, stable anchor.

The unit tests cover :mod:`aibook.exhibits`, the table and figure helpers and the extension's figure links; the
notebook tests read the committed reference outputs; the built-book tests check the HTML and the files beside it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from aibook import exhibits as X
from aibook import load, names
from aibook.paths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: the report's figures the book draws (图表 5 is a picture without data: the book says so and does not draw it;
#: 图表 26 is drawn only when the data package holds official values)
DRAWN_FIGURES = {1, 2, 3, *range(6, 26)}


def _extension() -> Any:
    spec = importlib.util.spec_from_file_location("aibook_sphinx_under_test", ROOT / "book/_ext/aibook_sphinx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- labels and anchors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("caption", "expected"), [
    ("表格 6 2018年六个重点行业工业总产值及其增长速度", ("表格 6", "table-6")),
    ("图表 23", ("图表 23", "figure-23")),
    ("补图 4-1", ("补图 4-1", "sfigure-4-1")),
    ("补表 4-4 图表 24：重算的需求点数与报告所述", ("补表 4-4", "stable-4-4")),
    ("附表 A-1 数据包中的资源", ("附表 A-1", "atable-a-1")),
    ("附图 C-1", ("附图 C-1", "afigure-c-1")),
    ("图表 23 的数据", ("图表 23 的数据", "figure-23-data")),
    ("表格 6 同口径：2019年1—6月", ("表格 6", "table-6")),
])
def test_a_label_gives_a_stable_anchor(caption: str, expected: tuple[str, str]) -> None:
    assert X.parse_label(caption) == expected


@pytest.mark.parametrize("caption", ["练习 1 参考答案：表格 6", "本章读取的数据文件", "", "图表"])
def test_a_caption_without_a_label_is_no_exhibit(caption: str) -> None:
    assert X.parse_label(caption) is None


def test_the_title_is_what_follows_the_label_as_printed() -> None:
    assert X.split_caption("补表 4-4 图表 24：重算的需求点数与报告所述") == ("补表 4-4", "stable-4-4",
                                                                       "图表 24：重算的需求点数与报告所述")
    assert X.split_caption("图表 25 的数据") == ("图表 25 的数据", "figure-25-data", "")


# --- the curated catalogue ----------------------------------------------------------------------------------------

def _catalogue_frame(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["label", "anchor", "title", "unit", "alt"])


@pytest.mark.parametrize(("row", "says"), [
    (("第 6 表", "table-6", "t", "", ""), "line 2, column label"),
    (("表格 6", "table-06", "t", "", ""), "line 2, column anchor: expected 'table-6'"),
])
def test_a_bad_catalogue_row_is_named(row: tuple[str, str, str, str, str], says: str) -> None:
    with pytest.raises(X.ExhibitError, match=re.escape(says)):
        X.catalogue_from(_catalogue_frame([row]))


def test_an_anchor_listed_twice_is_an_error() -> None:
    rows = [("表格 6", "table-6", "t", "", ""), ("表格 6", "table-6", "u", "", "")]
    with pytest.raises(X.ExhibitError, match="line 3, column anchor: 'table-6' is listed twice"):
        X.catalogue_from(_catalogue_frame(rows))


def test_the_catalogue_lists_every_report_table_and_every_figure_with_an_alt_text() -> None:
    cat = X.catalogue_from(load(names.EXHIBITS))
    assert {f"table-{n}" for n in range(1, 18)} <= set(cat)
    assert {f"figure-{n}" for n in DRAWN_FIGURES | {26}} <= set(cat)
    for anchor, entry in cat.items():
        if "figure" in anchor:
            assert len(entry.alt) >= 40, f"{entry.label}: the alt text says too little"
            assert entry.alt != entry.title and entry.title not in entry.alt, f"{entry.label}: alt repeats the caption"
            assert "图要说明的是" in entry.alt, f"{entry.label}: the alt text should say the figure's message"


def test_alt_texts_cite_no_number_that_is_not_a_label() -> None:
    """Alt texts are typed, so they carry no numbers: a number a reader should trust comes from data."""
    cat = X.catalogue_from(load(names.EXHIBITS))
    for entry in cat.values():
        bare = re.sub(r"(表格|图表|补表|补图|附表|附图) ?[0-9A-Z]+(-[0-9]+)?", "", entry.alt)
        assert not re.search(r"[0-9０-９]", bare), f"{entry.label}: a number in the alt text: {entry.alt}"


def test_the_catalogue_titles_agree_with_the_report_tables() -> None:
    cat = X.catalogue_from(load(names.EXHIBITS))
    for n in range(1, 18):
        title = load(getattr(names, f"T{n:02d}")).attrs["title"]
        assert title == f"表格 {n} {cat[f'table-{n}'].title}"


# --- tables and figures as exhibits -------------------------------------------------------------------------------

def test_a_labelled_table_carries_its_cells_as_shown_and_its_inputs() -> None:
    from aibook.tables import show_table

    t6 = load(names.T06)
    table = show_table(t6, columns=["indicator", "value", "growth_pct"], formats={"value": "{:.2f}"})
    bundle = table._repr_mimebundle_()
    payload = bundle[X.EXHIBIT_MIME]
    assert payload["anchor"] == "table-6"
    back = pd.read_csv(io.StringIO(payload["csv"]), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(table.frame.columns)
    assert back.iloc[5, 1] == "4171.70"  # as shown, with the report's decimals
    meta = payload["metadata"]
    assert meta["title"] == "2018年六个重点行业工业总产值及其增长速度" and meta["unit"] == "亿元；增长率为%"
    # no digest in the notebook's output (golden files change only with what the reader sees): write() adds it
    assert meta["inputs"] == [{"path": "data/tables/table06_six_key_industries_output_2018.csv",
                               "resource": names.T06, "title": t6.attrs["title"],
                               "source_line": t6.attrs["source_line"], "standing": X.STANDING_REPORT}]
    digest = hashlib.sha256((ROOT / "data/tables/table06_six_key_industries_output_2018.csv").read_bytes()).hexdigest()
    assert X.with_digests(meta["inputs"], ROOT / "data")[0]["sha256"] == digest
    page = table._repr_html_()
    assert 'id="table-6"' in page and 'href="../_static/exhibits/table-6.csv"' in page
    assert 'href="../_static/exhibits/table-6.json"' in page and "aibook-citation" in page
    assert 'aria-label="复制表格 6 的链接"' in page


def test_an_unlabelled_table_is_no_exhibit() -> None:
    from aibook.tables import show_table

    table = show_table(load(names.T06), caption="练习 1 参考答案")
    assert table.exhibit is None and X.EXHIBIT_MIME not in table._repr_mimebundle_()


def test_a_figure_exhibit_carries_the_frame_it_was_drawn_from() -> None:
    frame = pd.DataFrame({"行业": ["甲", "乙"], "value": [1.25, 1 / 3], "n": [1, None]})
    exhibit = X.make("补图 3-2", "六个重点行业", "figure", "数据来源：测试", frame)
    assert exhibit is not None and exhibit.anchor == "sfigure-3-2" and "图要说明的是" in exhibit.alt
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(exhibit.csv)), frame)
    shown = X.FigureExhibit(exhibit)
    assert 'data-alt="' in shown._repr_html_() and X.EXHIBIT_MIME in shown._repr_mimebundle_()


def test_a_figure_without_an_alt_text_in_the_catalogue_is_an_error() -> None:
    with pytest.raises(X.ExhibitError, match="exhibits.csv: no row with anchor 'sfigure-9-9'"):
        X.make("补图 9-9", "无", "figure", "数据来源：测试", pd.DataFrame({"a": [1]}))


def test_write_puts_csv_and_json_beside_the_html(tmp_path: Path) -> None:
    exhibit = X.make("表格 6", "t", "table", "数据来源：测试", pd.DataFrame({"a": [1]}), files=[])
    assert exhibit is not None
    written = X.write([("notebooks/ch3.html", exhibit.payload())], tmp_path, {"notebooks/ch3.html": {"period": "2018"}})
    assert written == ["table-6"]
    assert (tmp_path / "table-6.csv").read_text(encoding="utf-8") == "a\n1\n"
    meta = json.loads((tmp_path / "table-6.json").read_text(encoding="utf-8"))
    assert meta["url"] == "notebooks/ch3.html#table-6" and meta["edition"]["parameters"] == {"period": "2018"}
    assert meta["citation"].endswith("表格 6“t”，notebooks/ch3.html#table-6")
    other = X.make("表格 6", "t", "table", "数据来源：测试", pd.DataFrame({"a": [2]}), files=[])
    assert other is not None
    with pytest.raises(X.ExhibitError, match="'table-6' is used twice with different data"):
        X.write([("a.html", exhibit.payload()), ("b.html", other.payload())], tmp_path)


def test_the_edition_names_the_parameters_a_notebook_ran_with() -> None:
    nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": 'data_dir = "../data"\nperiod = "2018"'},
                    {"cell_type": "code", "metadata": {"tags": ["injected-parameters"]}, "source": 'period = "2019-06"'}],
          "metadata": {"papermill": {"parameters": {"period": "2019-06"}}}}
    assert X.notebook_parameters(nb) == {"data_dir": "../data", "period": "2019-06"}
    assert X.notebook_parameters({"cells": []}) == {}


def test_the_extension_puts_the_alt_text_and_the_anchor_on_the_image() -> None:
    ext = _extension()
    body = ('<div class="cell_output"><img alt="" src="../_images/x.png" />'
            '<div class="aibook-exhibit aibook-figure-exhibit" id="figure-9" data-alt="说明 &amp; 含义">'
            '<p class="aibook-figure-caption"><strong>图表 9</strong> 标题</p></div>'
            '<img alt="" src="../_images/y.png" /><p class="aibook-figure-caption"><strong>练习</strong> 答案</p></div>')
    context = {"body": body}
    ext._link_figures(None, "p", "page.html", context, None)
    out = context["body"]
    assert '<a class="aibook-figure-link" id="figure-9" href="../_images/x.png"' in out
    assert '<img alt="说明 &amp; 含义" src="../_images/x.png"' in out
    assert out.count('id="figure-9"') == 1 and 'data-for="figure-9"' in out
    assert '<img alt="练习 答案" src="../_images/y.png"' in out  # not an exhibit: the caption, as before


def test_citation_cff_and_the_home_page_say_how_to_cite() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["message"] and cff["title"]
    assert cff["authors"] == [{"name": "可复现分析书项目组"}]
    report = next(r for r in cff["references"] if r["type"] == "report")
    assert report["authors"][0] == {"name": "中国信息通信研究院华东分院"} and report["year"] == 2019
    front = load(names.FRONT_MATTER)
    editors = "".join(front["text"])
    for person in report["authors"][1:]:
        assert person["family-names"] + person["given-names"] in editors.replace(" ", "")
    intro = (ROOT / "book/intro.md").read_text(encoding="utf-8")
    assert "## 如何引用" in intro and "CITATION.cff" in intro


# --- the committed notebooks ------------------------------------------------------------------------------------

def _payloads() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        out += [(path.stem, p) for p in X.from_notebook(nb)]
    return out


def test_every_exhibit_of_the_notebooks_has_data_and_a_unique_anchor() -> None:
    payloads = _payloads()
    anchors = [p["anchor"] for _, p in payloads]
    assert len(anchors) == len(set(anchors)), sorted(a for a in anchors if anchors.count(a) > 1)
    assert {f"table-{n}" for n in range(1, 18)} <= set(anchors)
    assert {f"figure-{n}" for n in DRAWN_FIGURES} <= set(anchors)
    for page, p in payloads:
        assert p["csv"].strip(), f"{page}: {p['anchor']} has no data (pass the drawn frame: show_figure(…, data=frame))"
        assert len(pd.read_csv(io.StringIO(p["csv"]))) > 0
        meta = p["metadata"]
        # its inputs, without digests (the committed outputs change only with what the reader sees; the JSON
        # written beside the HTML adds each file's SHA-256: see the built-book test below)
        assert meta["inputs"] and not any("sha256" in i for i in meta["inputs"]), f"{page}: {p['anchor']}"
        assert meta["edition"]["version"] and meta["sources"]


# --- the built book -----------------------------------------------------------------------------------------------

def _text(node: Any) -> str:
    for note in node.select(".aibook-src"):
        note.decompose()
    return node.get_text().strip(" \n\t\r")  # an ideographic space (indentation) is part of the cell


def test_every_exhibit_of_the_built_book_has_its_three_links_and_a_stable_anchor(built_book: Any) -> None:
    from bs4 import BeautifulSoup

    html_dir: Path = built_book.html
    folder = html_dir / "_static" / X.EXHIBITS_DIR
    executed = {}
    for nb in built_book.executed.glob("*.ipynb"):
        executed[nb.stem] = {q["anchor"]: q for q in X.from_notebook(json.loads(nb.read_text(encoding="utf-8")))}
    seen: dict[str, str] = {}
    for page in sorted((html_dir / "notebooks").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for box in soup.select(".aibook-exhibit-links"):
            anchor = box["data-anchor"]
            assert anchor not in seen, f"{anchor} on {seen.get(anchor)} and {page.name}"
            seen[anchor] = page.name
            where = f"{page.name}#{anchor}"
            assert len(soup.select(f'[id="{anchor}"]')) == 1, f"{where}: the anchor is not on exactly one element"
            csv_link = box.select_one("a.aibook-exhibit-csv")
            json_link = box.select_one("a.aibook-exhibit-json")
            cite = box.select_one(".aibook-citation")
            button = box.select_one("button.aibook-copy-link")
            assert csv_link and json_link and cite and button, f"{where}: a link is missing"
            assert csv_link["href"] == f"../_static/exhibits/{anchor}.csv"
            assert json_link["href"] == f"../_static/exhibits/{anchor}.json"
            assert cite.get_text().endswith(f"#{anchor}") and "《" in cite.get_text()
            assert button.get("aria-label", "").startswith("复制") and button.get("type") == "button"
            data = (folder / f"{anchor}.csv").read_text(encoding="utf-8")
            meta = json.loads((folder / f"{anchor}.json").read_text(encoding="utf-8"))
            assert meta["url"] == f"notebooks/{page.name}#{anchor}" and meta["citation"].endswith(meta["url"])
            assert {"title", "unit", "sources", "inputs", "edition"} <= set(meta)
            assert "data_dir" in meta["edition"]["parameters"] and meta["edition"]["version"]
            assert meta["inputs_note"] in (X.INPUTS_OWN, X.INPUTS_PAGE)
            for item in meta["inputs"]:
                actual = hashlib.sha256((ROOT / item["path"]).read_bytes()).hexdigest()
                assert item["sha256"] == actual, f"{where}: digest of {item['path']}"
            shown = pd.read_csv(io.StringIO(data), dtype=str, keep_default_na=False)
            if meta["kind"] == "table":  # the CSV is the table's cells as shown
                table = soup.select_one(f'[id="{anchor}"] table')
                head = [_text(th) for th in table.select("thead th")]
                cells = [[_text(td) for td in tr.select("td")] for tr in table.select("tbody tr")]
                assert list(shown.columns) == head, where
                as_shown = [["" if c == "—" else c for c in row] for row in cells]
                assert shown.values.tolist() == as_shown, where
            else:  # the CSV is the frame passed to the figure; the image says what the figure shows
                assert data == executed[page.stem][anchor]["csv"], where
                image = soup.select_one(f'a.aibook-figure-link[id="{anchor}"] img')
                assert image is not None, f"{where}: the anchor is not on the image"
                assert image["alt"] == meta["alt"] and "图要说明的是" in image["alt"], where
    anchors = set(seen)
    assert {f"table-{n}" for n in range(1, 18)} <= anchors
    assert {f"figure-{n}" for n in DRAWN_FIGURES} <= anchors
    assert any(a.startswith("sfigure-") for a in anchors) and any(a.startswith("stable-") for a in anchors)
    js = (html_dir / "_static" / "aibook-exhibits.js")
    assert js.is_file() and "aibook-exhibits.js" in (html_dir / "notebooks" / "ch3_industry_base.html").read_text(
        encoding="utf-8")


def test_the_copy_link_button_works_from_the_keyboard(built_book: Any, tmp_path: Path) -> None:
    """In headless Chromium: Tab reaches the button, Enter copies the exhibit's link and the page announces it;
    the citation line carries the page's full link."""
    import asyncio
    import functools
    import http.server
    import shutil
    import subprocess
    import threading
    import urllib.request

    from tornado.websocket import websocket_connect

    exe = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if exe is None:
        pytest.skip("Chromium is not installed: the keyboard check of the copy-link button DID NOT RUN")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built_book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/notebooks/ch3_industry_base.html"
    browser = subprocess.Popen([exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                f"--user-data-dir={tmp_path / 'profile'}", "--remote-debugging-port=0", url],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        port = None
        for line in browser.stderr:  # type: ignore[union-attr]
            if m := re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line):
                port = m.group(1)
                break
        assert port, "Chromium did not open its DevTools port"

        async def run() -> dict[str, Any]:
            for _ in range(50):
                pages = [t for t in json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                         if t["type"] == "page" and t["url"].startswith(url)]
                if pages:
                    break
                await asyncio.sleep(0.2)
            ws = await websocket_connect(pages[0]["webSocketDebuggerUrl"], max_message_size=50_000_000)
            counter = iter(range(1, 10_000))

            async def call(method: str, **params: Any) -> dict[str, Any]:
                ident = next(counter)
                ws.write_message(json.dumps({"id": ident, "method": method, "params": params}))
                while True:
                    msg = json.loads(await ws.read_message())
                    if msg.get("id") == ident:
                        return msg

            async def value(expr: str) -> Any:
                reply = await call("Runtime.evaluate", expression=expr, awaitPromise=True, returnByValue=True)
                return reply["result"]["result"].get("value")

            box = '[data-anchor="table-6"]'
            for _ in range(300):  # the chapter (not the blank page before it) and its scripts loaded
                if await value(f"document.readyState === 'complete' && !!document.querySelector('{box}')"):
                    break
                await asyncio.sleep(0.1)
            await value(f"document.querySelector('{box} a.aibook-exhibit-json').focus()")
            for _ in range(2):  # Tab: to the citation's summary, then to the button
                for kind in ("keyDown", "keyUp"):
                    await call("Input.dispatchKeyEvent", type=kind, key="Tab", code="Tab", windowsVirtualKeyCode=9)
            out = {"focused": await value("document.activeElement.getAttribute('aria-label') || "
                                          "document.activeElement.outerHTML.slice(0, 120)")}
            for kind in ("keyDown", "keyUp"):
                await call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13,
                           text="\r" if kind == "keyDown" else "")
            for _ in range(50):
                out["status"] = await value("(document.getElementById('aibook-exhibit-status') || {}).textContent")
                if out["status"]:
                    break
                await asyncio.sleep(0.1)
            out["cite"] = await value(f"document.querySelector('{box} .aibook-citation').textContent")
            ws.close()
            return out

        out = asyncio.run(run())
    finally:
        browser.terminate()
        browser.wait(timeout=30)
        server.shutdown()
    assert out["focused"] == "复制表格 6 的链接", out
    assert out["status"].endswith(f"{url}#table-6") and ("已复制" in out["status"] or "手动复制" in out["status"])
    assert out["cite"].endswith(f"，{url}#table-6")
