"""One figure style for the whole book: seaborn theme + a CJK font the project installs itself.

The font comes from the PyPI wheel ``noto-cjk-sans-otc`` (Noto Sans CJK, SIL OFL), never from whatever
the machine happens to have, so every machine draws the same glyphs and no label turns into boxes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast

import matplotlib
import matplotlib.font_manager as fm

FONT_FAMILY = "Noto Sans CJK SC"
#: Fixed salt so that SVG ids are the same run to run.
SVG_HASHSALT = "aibook"
PALETTE = "deep"
#: colour is never the only cue: the series of one figure also differ by marker (dots) or hatch (bars)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "oo", "++")
#: WCAG 2.2 AA: text contrast at least 4.5:1 against its background
MIN_TEXT_CONTRAST = 4.5


def _luminance(color: object) -> float:
    from matplotlib.colors import to_rgb

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(color))  # type: ignore[arg-type]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: object, background: object = "white") -> float:
    """WCAG contrast ratio of two colours (1 to 21), any colour matplotlib understands."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(color: object, background: object = "white", ratio: float = MIN_TEXT_CONTRAST) -> str:
    """``color`` as text on ``background``: itself where its contrast is enough, else darkened (the same hue)
    just until it is."""
    from matplotlib.colors import to_hex, to_rgb

    rgb = to_rgb(color)  # type: ignore[arg-type]
    for step in range(101):
        shade = tuple(c * (1 - step / 100) for c in rgb)
        if contrast_ratio(shade, background) >= ratio:
            return to_hex((shade[0], shade[1], shade[2]))
    return "#000000"


def text_on(background: object) -> str:
    """Black or white, whichever reads better on ``background`` (both ≥ 4.5:1 except on mid greys)."""
    return "#000000" if contrast_ratio("#000000", background) >= contrast_ratio("#ffffff", background) else "#ffffff"


def font_path() -> Path:
    """Path of the bundled Noto Sans CJK collection."""
    from noto_cjk_sans_otc import FONT_PATH

    return Path(str(FONT_PATH))


def register_font() -> str:
    """Register the bundled CJK font with matplotlib (idempotent) and return its family name.

    The font is chosen by file: a system font of the same family (Debian's ``fonts-noto-cjk`` registers
    "Noto Sans CJK SC" too, in another version) is taken out of matplotlib's list, so that the family name
    can only resolve to the wheel's file, whatever fonts the machine has.
    """
    path = str(font_path())
    manager = fm.fontManager
    if not any(f.fname == path for f in manager.ttflist):
        manager.addfont(path)
    ours = {f.name for f in manager.ttflist if f.fname == path}
    kept = [f for f in manager.ttflist if f.fname == path or f.name not in ours]
    if len(kept) != len(manager.ttflist):
        manager.ttflist = kept
        manager._findfont_cached.cache_clear()  # type: ignore[attr-defined]  # private cache, filled before the list changed
    return FONT_FAMILY


def rc_params() -> dict[str, object]:
    """The matplotlib settings the book uses on top of the seaborn theme."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_FAMILY],
        "axes.unicode_minus": False,  # many CJK fonts lack U+2212
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        "figure.dpi": 110,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "figure.figsize": (7.5, 4.2),
        "axes.titlesize": 13,
        "axes.titleweight": "normal",  # the bundled font is Regular only
    }


def use_book_style() -> None:
    """Apply the book's figure style (seaborn theme, CJK font, deterministic output)."""
    import seaborn as sns

    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")  # no timestamps in PDF/SVG metadata
    register_font()
    sns.set_theme(style="whitegrid", palette=PALETTE, rc=rc_params())
    matplotlib.rcParams.update(cast(Any, rc_params()))  # keys are rcParams names (typed as literals)
    try:  # inside a kernel: PNG output, so nbval/LaTeX get a stable, printable format
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except ImportError:  # pragma: no cover - outside IPython
        pass


def save_figure(fig: matplotlib.figure.Figure, path: str | os.PathLike[str]) -> Path:
    """Save ``fig`` without timestamps (``metadata`` Date/CreationDate cleared) and return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    ext = out.suffix.lower()
    metadata: dict[str, None] = {}
    if ext == ".svg":
        metadata = {"Date": None}
    elif ext == ".pdf":
        metadata = {"CreationDate": None, "ModDate": None}
    fig.savefig(out, metadata=metadata or None)
    return out
