"""How fast the interactive pages open: file size, render time, and load-to-interactive in Chromium.

    python bench/page_load.py [GRAPH.ttl]     (default: builds ../shared/corpus/daily-papers-ko first)

For the whole-graph page with 1,000, 5,000 and every node drawn, and for the full co-author and
technique views, it prints the time to write the page, its size, and in headless Chromium (Debian's,
through Playwright, network blocked): the time from navigation to the first drawing with every
control wired (``window.kgReady``), and how long a search for a node that is not drawn takes to
draw it, select it and fill the side panel (a node that is drawn, when all are). Median of 3 page loads.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from kg.facts import read_facts
from kg.layout import select_nodes
from kg.network import to_networkx
from kg.page import render_page
from kg.pipeline import run_build
from kg.store import OxigraphTriples, load_store
from kg.views import View, coauthor_view, technique_view, whole_view

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# Search a label of a node that is not drawn (any node when all are), from the middle of the alphabet.
SEARCH = """q => {
  const t = performance.now();
  document.getElementById("search").value = q;
  document.getElementById("search-form").requestSubmit();
  return [performance.now() - t, network.getSelectedNodes().length, document.querySelector("#panel h2").textContent];
}"""


def load_once(browser: Any, path: Path, query: str) -> tuple[float, float, int, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("window.kgReady !== undefined", timeout=120_000)
    wall = time.perf_counter() - started
    ready = page.evaluate("window.kgReady") / 1000
    drawn = page.evaluate("network.body.data.nodes.length")
    search_ms, selected, _ = page.evaluate(SEARCH, query)
    if errors or selected != 1:
        raise RuntimeError(f"{path.name}: errors {errors}, selected {selected}")
    page.close()
    return ready, wall, drawn, search_ms


def main(graph: Path | None) -> None:
    work = Path(tempfile.mkdtemp(prefix="page-bench-"))
    if graph is None:
        started = time.perf_counter()
        run_build([Path("../shared/corpus/daily-papers-ko")], work, html=False)
        graph = work / "graph.ttl"
        print(f"built the corpus graph in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    triples = OxigraphTriples(load_store(graph))
    network = to_networkx(triples)
    facts = read_facts(triples)
    print(f"read {graph} into networkx and the panel facts in {time.perf_counter() - started:.1f} s")
    cases: list[tuple[str, View, int]] = [
        ("whole, 1,000 drawn", whole_view(network), 1000),
        ("whole, 1,500 drawn (default)", whole_view(network), 1500),
        ("whole, 5,000 drawn", whole_view(network), 5000),
        ("whole, all drawn", whole_view(network), 0),
        ("co-author, 1,500 drawn", coauthor_view(network), 1500),
        ("co-author, all drawn", coauthor_view(network), 0),
        ("technique map, all drawn", technique_view(network), 0),
    ]
    columns = ("nodes", 7), ("drawn", 7), ("write s", 8), ("MB", 6), ("ready s", 8), ("wall s", 7), ("search ms", 9)
    print(f"{'page':32} " + " ".join(f"{name:>{width}}" for name, width in columns))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, view, max_nodes in cases:
            drawn = set(select_nodes(view, max_nodes).nodes)
            waiting = sorted(str(d["label"]) for n, d in view.graph.nodes(data=True) if n not in drawn)
            query = (waiting or sorted(str(d["label"]) for _, d in view.graph.nodes(data=True)))[len(waiting) // 2]
            started = time.perf_counter()
            html = render_page(view, network, facts, title="bench", max_nodes=max_nodes)
            write = time.perf_counter() - started
            path = work / f"{name.split(',')[0].replace(' ', '-')}-{max_nodes}.html"
            path.write_text(html, encoding="utf-8")
            runs = [load_once(browser, path, query) for _ in range(3)]
            ready = statistics.median(r[0] for r in runs)
            wall = statistics.median(r[1] for r in runs)
            search = statistics.median(r[3] for r in runs)
            size = path.stat().st_size / 1e6
            print(
                f"{name:32} {view.graph.number_of_nodes():>7,} {runs[0][2]:>7,} {write:>8.1f} {size:>6.1f} "
                f"{ready:>8.2f} {wall:>7.2f} {search:>9.0f}"
            )
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
