"""Run the built book's own search in headless Chromium and read the result lists.

The book is served over HTTP from a local thread (as a reader gets it: the search page fetches pages for its
summaries and its ranking). One Chromium runs a probe page that opens ``search.html?q=TERM`` in an iframe,
term after term, and waits until the page says it finished; then it reads the links of the result list in the
order shown. ``python tests/search_probe.py [HTML_DIR]`` prints the rate for tests/search_terms.csv.
"""

from __future__ import annotations

import csv
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TERMS_CSV = Path(__file__).with_name("search_terms.csv")
PROBE_PATH = "/__aibook_search_probe.html"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><script>
const terms = %s;
const out = {};
let next = 0;
function run() {
  if (next >= terms.length) { document.body.setAttribute("data-aibook-search", JSON.stringify(out)); return; }
  const term = terms[next++];
  const frame = document.createElement("iframe");
  frame.src = "search.html?q=" + encodeURIComponent(term);
  document.body.appendChild(frame);
  let waited = 0;
  const poll = () => {
    const doc = frame.contentDocument;
    const status = doc && doc.querySelector("#search-results p.search-summary");
    if (status && status.textContent.trim()) {  // set by the search when the whole list is shown
      out[term] = Array.from(doc.querySelectorAll("#search-results ul.search > li > a"))
        .map((a) => a.getAttribute("href"));
      frame.remove();
      run();
    } else if ((waited += 25) > 20000) {
      out[term] = null;  // the search never finished
      frame.remove();
      run();
    } else setTimeout(poll, 25);
  };
  poll();
}
run();
</script></body></html>"""


@dataclass(frozen=True)
class Term:
    term: str
    expected: str  # docname, e.g. notebooks/ch4_ecosystem
    kind: str
    why: str


def load_terms(path: Path = TERMS_CSV) -> list[Term]:
    """The report terms and the page that treats each (tests/search_terms.csv)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    terms = []
    for line, row in enumerate(rows, start=2):
        missing = [c for c in ("term", "expected", "kind", "why") if not (row.get(c) or "").strip()]
        if missing:
            raise ValueError(f"{path.name}, row {line}: column(s) {', '.join(missing)} empty; expected a value")
        terms.append(Term(row["term"].strip(), row["expected"].strip(), row["kind"].strip(), row["why"].strip()))
    return terms


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def serve(book: Path, probe: str) -> Iterator[str]:
    """The built book over HTTP on a free local port, with the probe page at PROBE_PATH."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            if self.path == PROBE_PATH:
                body = probe.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Handler, directory=str(book)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_searches(book: Path, terms: list[str], exe: str | None = None) -> dict[str, list[str] | None]:
    """``{term: [docname of each result, in the order shown]}`` from the book's own search page."""
    exe = exe or chromium()
    if exe is None:
        raise RuntimeError("Chromium is not installed")
    probe = PROBE % json.dumps(terms, ensure_ascii=False)
    budget = 30000 + 3000 * len(terms)
    with serve(book, probe) as base, tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget}",
                               "--dump-dom", base + PROBE_PATH], capture_output=True, text=True,
                              timeout=60 + 10 * len(terms))
    found = re.search(r'data-aibook-search="([^"]*)"', proc.stdout)
    if not found:
        raise RuntimeError(f"the search probe did not finish; Chromium said: {proc.stderr[-2000:]}")
    raw = json.loads(html.unescape(found.group(1)))
    return {term: None if links is None else [docname(link) for link in links] for term, links in raw.items()}


def docname(href: str) -> str:
    """``notebooks/ch4_ecosystem.html#id3`` → ``notebooks/ch4_ecosystem``."""
    return href.split("#", 1)[0].split("?", 1)[0].removesuffix(".html")


def rate(results: dict[str, list[str] | None], terms: list[Term], top: int = 3) -> tuple[float, list[str]]:
    """Share of terms whose expected page is among the first ``top`` results, and the misses explained."""
    misses = []
    for t in terms:
        got = results.get(t.term)
        if not got or t.expected not in got[:top]:
            misses.append(f"{t.term} ({t.kind}) → expected {t.expected}, got {got[:5] if got else got}")
    return (len(terms) - len(misses)) / len(terms), misses


def main(argv: list[str]) -> int:
    book = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "_build" / "html"
    terms = load_terms()
    results = run_searches(book, [t.term for t in terms])
    if os.environ.get("SEARCH_PROBE_DUMP"):
        for t in terms:
            print(t.term, results.get(t.term))
    for top in (1, 3):
        share, misses = rate(results, terms, top)
        print(f"top {top}: {share:.1%} ({len(terms) - len(misses)}/{len(terms)})")
    print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
