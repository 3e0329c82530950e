"""Figures: the bundled CJK font is used, no glyph is missing, output is byte-stable."""

from __future__ import annotations

import hashlib
import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from aibook import analysis, figures, load  # noqa: E402
from aibook.style import FONT_FAMILY, font_path, save_figure, use_book_style  # noqa: E402


@pytest.fixture(autouse=True)
def _style():
    use_book_style()
    yield
    plt.close("all")


def _all_text(fig) -> str:
    return "".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def _render_strict(fig) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" is a UserWarning
        for fmt in ("png", "svg", "pdf"):
            fig.savefig(io.BytesIO(), format=fmt)


def test_font_comes_from_the_project_wheel() -> None:
    """On CI the system's fonts-noto-cjk registers the same family: the wheel's file must still win."""
    assert font_path().exists() and font_path().name == "NotoSansCJK-Regular.ttc"
    from matplotlib import font_manager

    assert str(font_manager.findfont(FONT_FAMILY, fallback_to_default=False)) == str(font_path())


def test_font_is_chosen_by_file_when_another_file_has_the_same_family(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    from aibook.style import register_font

    manager = font_manager.fontManager
    wheel = next(f for f in manager.ttflist if f.fname == str(font_path()) and f.name == FONT_FAMILY)
    impostor = font_manager.FontEntry(fname=font_manager.findfont("DejaVu Sans"), name=FONT_FAMILY,
                                      style=wheel.style, variant=wheel.variant, weight=wheel.weight,
                                      stretch=wheel.stretch, size=wheel.size)
    monkeypatch.setattr(manager, "ttflist", [impostor, *manager.ttflist])  # a system font listed first
    manager._findfont_cached.cache_clear()
    register_font()
    assert str(font_manager.findfont(FONT_FAMILY, fallback_to_default=False)) == str(font_path())
    manager._findfont_cached.cache_clear()


def _chapter_figures():
    t6 = load("table06_six_key_industries_output_2018")
    parts = t6[t6["level"] == "component"]
    yield figures.bar_with_growth(parts, "indicator", "value", "growth_pct", title="六个重点行业（−负数测试）")
    yield figures.share_heatmap(load("table08_talent_city_shares"), "city", "field", "share_pct", title="人才")
    pol = pd.concat([load(f"table0{i}_{n}").assign(lane=f"表格 {i}") for i, n in
                     [(2, "sh_real_economy_policies"), (5, "sh_ai_policies")]])
    yield figures.timeline(pol, "date", "lane", "policy", title="时间线")
    counts = analysis.count_by(load("table11_scenarios_batch1"), "scenario_type").assign(batch="首批")
    yield figures.count_bars(counts, "scenario_type", "batch", title="场景")


def test_no_missing_glyphs_in_any_chapter_figure() -> None:
    for fig in _chapter_figures():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in _all_text(fig))
        _render_strict(fig)


def _negative_tick_labels() -> list[str]:
    fig, ax = plt.subplots()
    ax.plot([-3, -1, 2], [1, -2, 3])
    ax.set_title("负数")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    _render_strict(fig)
    plt.close(fig)
    return labels


def test_negative_numbers_are_drawn_with_an_ascii_hyphen() -> None:
    """Many CJK fonts lack U+2212: the book writes negative ticks with '-' (axes.unicode_minus off)."""
    labels = _negative_tick_labels()
    assert any(t.startswith("-") for t in labels), labels
    assert not any("\u2212" in t for t in labels), labels


def test_the_minus_sign_check_bites_when_unicode_minus_is_on() -> None:
    with matplotlib.rc_context({"axes.unicode_minus": True}):
        labels = _negative_tick_labels()
    assert any("\u2212" in t for t in labels), labels  # the check above would fail on these labels


def test_saved_figures_are_byte_identical(tmp_path) -> None:
    digests = []
    for i in range(2):
        fig = next(_chapter_figures())
        out = {}
        for ext in ("png", "svg", "pdf"):
            p = save_figure(fig, tmp_path / f"{i}.{ext}")
            out[ext] = hashlib.sha256(p.read_bytes()).hexdigest()
        digests.append(out)
        plt.close(fig)
    assert digests[0] == digests[1]
    svg = (tmp_path / "0.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def test_period_panels_puts_later_years_in_their_own_panel() -> None:
    import pandas as pd

    from aibook import figures

    data = pd.DataFrame({"year": [2017, 2018, 2024, 2025], "value": [867.6, 1303.2, 5200.0, 6496.8],
                         "implied": [True, False, True, False]})
    fig = figures.period_panels(data, 2019, (900.0, "报告：接近900亿元"))
    assert len(fig.axes) == 2
    assert fig.axes[0].get_ylim()[1] < 2000 < fig.axes[1].get_ylim()[1]
    only_report = figures.period_panels(data[data["year"] < 2019], 2019)
    assert len(only_report.axes) == 1
