"""Sphinx glue for the book.

sphinx-thebe (pulled in by Jupyter Book 1.x) registers its inline configuration script once per read
phase; on notebook pages the same ``const THEBE_JS_URL = …`` script then appears twice and the browser
reports ``SyntaxError: Identifier 'THEBE_JS_URL' has already been declared``. We drop exact duplicate
script entries from each page's context (same file — None and "" alike —, same attributes, same inline body).
"""

from __future__ import annotations

from typing import Any


def _dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    unique = []
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        key = (str(getattr(js, "filename", js) or ""), tuple(sorted((k, str(v)) for k, v in attrs.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
