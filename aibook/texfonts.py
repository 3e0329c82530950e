"""The PDF edition's Chinese faces: Noto CJK SC, as standalone OpenType files made from Debian's collections.

Debian's ``fonts-noto-cjk`` ships OpenType *collections* (``.ttc``): the JP, KR, SC, TC and HK faces share
one CFF table whose internal name is the Japanese face's. XeTeX shapes with the face asked for (index 2,
Simplified Chinese), but xdvipdfmx embeds the shared CFF under its internal name, so ``pdffonts`` reports
``NotoSerifCJKjp-Regular`` and nobody can tell from the PDF which face set the text. We therefore copy the
SC face out of the collection into its own ``.otf`` (tables copied byte for byte; only the CFF name is set
to the face's PostScript name, ``NotoSerifCJKsc-Regular``, same length, so no offset moves) and give
fontspec that file. The faces are found by family name through fontconfig, never by a hard-coded path.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

#: fontspec slot → fontconfig pattern of the face that fills it
FACES = {
    "serif": "Noto Serif CJK SC:style=Regular",
    "serif-bold": "Noto Serif CJK SC:style=Bold",
    "sans": "Noto Sans CJK SC:style=Regular",
    "sans-bold": "Noto Sans CJK SC:style=Bold",
}
#: Latin monospace from fonts-lmodern (a dependency of TeX). Noto's mono CJK face is not used: it shares the
#: collection's CFF too, and its PostScript name is longer than the CFF's, so it could not be renamed in place.
LATIN_MONO = "lmmono10-regular.otf"


def locate(pattern: str) -> tuple[Path, int]:
    """File and face index fontconfig chooses for ``pattern``; an error when it falls back to another family."""
    proc = subprocess.run(["fc-match", "-f", "%{family}|%{file}|%{index}", pattern],
                          capture_output=True, text=True, check=True)
    families, file, index = proc.stdout.rsplit("|", 2)
    wanted = pattern.split(":")[0]
    if wanted not in [f.strip() for f in families.split(",")]:
        raise FileNotFoundError(f"no font for {wanted!r} (fontconfig offers {families!r}); install fonts-noto-cjk")
    return Path(file), int(index)


def _cff_name_span(cff: bytes) -> tuple[int, int]:
    """Start and end of the first name in a CFF table's Name INDEX (CFF spec §5, §8)."""
    header_size = cff[2]
    count = int.from_bytes(cff[header_size:header_size + 2], "big")
    off_size = cff[header_size + 2]
    if count < 1:
        raise ValueError("CFF table without a font name")
    first = header_size + 3
    offsets = [int.from_bytes(cff[first + k * off_size:first + (k + 1) * off_size], "big") for k in (0, 1)]
    base = first + (count + 1) * off_size - 1
    return base + offsets[0], base + offsets[1]


def extract_face(src: Path, index: int, dest: Path) -> str:
    """Write face ``index`` of collection ``src`` to ``dest`` as a standalone font; return its PostScript name."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    font = TTFont(str(src), fontNumber=index, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    ps_name = font["name"].getDebugName(6)
    if "CFF " in font.reader.keys():
        raw = font.reader["CFF "]
        start, end = _cff_name_span(raw)
        if end - start == len(ps_name.encode("ascii")):  # same length: no offset in the table moves
            table = DefaultTable("CFF ")
            table.data = raw[:start] + ps_name.encode("ascii") + raw[end:]
            font["CFF "] = table
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    font.save(str(tmp))
    font.close()
    os.replace(tmp, dest)
    return str(ps_name)


def sc_fonts(folder: Path) -> dict[str, Path]:
    """The SC faces as standalone files in ``folder`` (made once; again only when the system font changes)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for slot, pattern in FACES.items():
        src, index = locate(pattern)
        stat = src.stat()
        key = hashlib.sha256(json.dumps([str(src), index, stat.st_size, stat.st_mtime_ns]).encode()).hexdigest()[:16]
        dest = folder / f"{slot}-{key}.otf"
        if not dest.is_file():
            for old in folder.glob(f"{slot}-*.otf"):
                old.unlink()
            extract_face(src, index, dest)
        out[slot] = dest
    return out


def fontpkg(fonts: dict[str, Path]) -> str:
    """The LaTeX that sets the Latin and the CJK main, sans and mono fonts to the SC files."""
    def spec(regular: str, bold: str | None = None) -> str:
        path = fonts[regular].parent.as_posix() + "/"
        opts = f"Path={path}" + (f", BoldFont={fonts[bold].name}" if bold else "")
        return f"{{{fonts[regular].name}}}[{opts}]"

    serif, sans = spec("serif", "serif-bold"), spec("sans", "sans-bold")
    return "\n".join([f"\\setmainfont{serif}", f"\\setsansfont{sans}", f"\\setmonofont{{{LATIN_MONO}}}",
                      f"\\setCJKmainfont{serif}", f"\\setCJKsansfont{sans}", f"\\setCJKmonofont{sans}", ""])
