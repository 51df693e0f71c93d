"""Remake the README's pictures of the pages, in headless Chromium (Debian's, through Playwright).

    python docs/screenshots.py [CORPUS_GRAPH.ttl]

- docs/graph-page.png: the bundled example's graph.html, TinyFusion selected (our own summaries);
- docs/technique-map.png: the technique map of the corpus graph, when one is given, zoomed on its centre, with
  no node selected (the side panel would show digest text, which must not be copied into the repository).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from kg.explore import html_page
from kg.pipeline import run_build

HERE = Path(__file__).resolve().parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def shoot(page_file: Path, picture: Path, select: str | None = None, zoom_on: str | None = None) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(page_file.as_uri())
        page.wait_for_function("window.kgReady !== undefined")
        if select:
            page.evaluate("id => { kgGo(id); network.fit({animation: false}); }", select)
        if zoom_on:
            page.evaluate("id => network.focus(id, {scale: 0.55, animation: false})", zoom_on)
        page.wait_for_timeout(300)
        page.screenshot(path=str(picture))
        browser.close()
    print(f"Wrote {picture}")


def main(corpus_graph: Path | None) -> None:
    out = Path(tempfile.mkdtemp(prefix="kg-shots-"))
    run_build([], out)
    shoot(out / "graph.html", HERE / "graph-page.png", "https://w3id.org/papers-kg/paper/2412.01199")
    if corpus_graph is not None:
        page, _ = html_page(corpus_graph, "technique", out=out / "techniques.html")
        shoot(page, HERE / "technique-map.png", zoom_on="https://w3id.org/papers-kg/concept/transformer")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
