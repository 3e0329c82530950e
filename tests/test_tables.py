"""Tables escape every cell, keep a stable id and always carry their source line."""

from __future__ import annotations

import pandas as pd
import pytest

from aibook import load
from aibook.tables import show_table

EVIL = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "R&D 50% _x_ $5 #1 {a} ~ ^ \\"]


def _frame() -> pd.DataFrame:
    df = pd.DataFrame({"名称": EVIL, "值": [1.5, 2.25, 3.0]})
    df.attrs.update(title="表格 X <b>测试</b>", source_line="数据来源：<i>某处</i>")
    return df


def test_html_is_escaped_in_cells_caption_and_source() -> None:
    html = show_table(_frame())._repr_html_()
    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html


def test_html_escapes_column_headers() -> None:
    df = pd.DataFrame({"<script>x</script>": [1]})
    html = show_table(df, caption="c", source="s")._repr_html_()
    assert "<script>" not in html


def test_markdown_for_the_pdf_escapes_everything() -> None:
    md = show_table(_frame())._repr_markdown_()
    assert r"R\&D 50% \_x\_ \$5 \#1 \{a\} \~ \^ \\" in md
    assert r"\<script\>alert\(1\)\</script\>" in md and "<script>" not in md
    assert md.splitlines()[0] == r"**表格 X \<b\>测试\</b\>**"
    assert md.rstrip().endswith(r"数据来源：\<i\>某处\</i\>")


def test_source_line_is_printed_under_the_table() -> None:
    t6 = load("table06_six_key_industries_output_2018")
    html = show_table(t6)._repr_html_()
    assert html.index("</table>") < html.index("数据来源：上海市统计局、中国信通院华东分院整理")
    assert "表格 6 2018 年六个重点行业工业总产值及其增长速度" in html  # the report's title, shown with the spacing rule
    assert "绝对值（亿元）" in html  # printed column titles


def test_output_is_identical_run_to_run() -> None:
    assert show_table(_frame())._repr_html_() == show_table(_frame())._repr_html_()


def test_numbers_keep_requested_decimals_and_plain_form() -> None:
    t6 = load("table06_six_key_industries_output_2018")
    html = show_table(t6, formats={"value": "{:.2f}"})._repr_html_()
    assert "1176.60" in html and "4171.70" in html
    plain = show_table(t6)._repr_html_()
    assert "23870.77" in plain and "1.400000" not in plain


def test_a_table_without_source_is_refused() -> None:
    with pytest.raises(ValueError, match="no source line"):
        show_table(pd.DataFrame({"a": [1]}), caption="无来源")


def test_booleans_read_as_shi_fou() -> None:
    import pandas as pd

    from aibook.tables import show_table

    t = show_table(pd.DataFrame({"一致": [True, False]}), caption="c", source="数据来源：x")
    html_text = t._repr_html_()
    assert "<td>是</td>" in html_text and "<td>否</td>" in html_text and "True" not in html_text


def test_a_loaded_table_links_its_csv_file_for_download() -> None:
    from aibook import load
    from aibook.tables import DATA_URL, show_table

    html_text = show_table(load("table06_six_key_industries_output_2018"))._repr_html_()
    assert f'href="{DATA_URL}tables/table06_six_key_industries_output_2018.csv" download' in html_text


def test_every_download_link_of_the_book_reaches_its_csv(built_book) -> None:  # noqa: ANN001
    """Each table's CSV link resolves to the file copied beside the HTML, and it is the package's own file."""
    import re

    from aibook.paths import DATA_DIR

    pages = sorted((built_book.html / "notebooks").glob("*.html"))
    links = {(page, href) for page in pages
             for block in re.findall(r'class="aibook-download">(.*?)</(?:p|details)>', page.read_text(encoding="utf-8"), re.S)
             for href in re.findall(r'href="([^"]+)"', block)}
    assert len({p for p, _ in links}) >= 6, "tables on most pages link their data"
    for page, href in links:
        target = (page.parent / href).resolve()
        assert target.is_file(), f"{page.name}: {href} does not resolve"
        assert target.read_bytes() == (DATA_DIR / target.relative_to(built_book.html / "_static" / "data")).read_bytes()


def test_a_table_computed_on_the_page_folds_the_pages_inputs() -> None:
    import pandas as pd

    from aibook.tables import Table

    files = [f"data/tables/t{i}.csv" for i in range(5)]
    folded = Table(pd.DataFrame({"a": [1]}), "c", "数据来源：x", files=files, files_own=False)._repr_html_()
    assert '<details class="aibook-download">' in folded and "5 个数据文件" in folded and folded.count(" download>") == 5
    own = Table(pd.DataFrame({"a": [1]}), "c", "数据来源：x", files=files[:1])._repr_html_()
    assert '<p class="aibook-download">下载数据（CSV）：<a href="../_static/data/tables/t0.csv" download>' in own
