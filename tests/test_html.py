"""The interactive pages: self-contained and offline, digest text never markup; used in a real Chromium.

Every browser test blocks all requests but file: and data:, and fails on any console error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph

from kg.cli import main
from kg.facts import read_facts
from kg.network import to_networkx
from kg.page import render_page
from kg.pipeline import run_build
from kg.views import coauthor_view, ego_view, find_node, technique_view, whole_view
from tests.conftest import DATA, SEED, need, need_tool

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KG = "https://w3id.org/papers-kg/"
VISIBLE = "network.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)"


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.count += tag == "script"


def script_elements(html: str) -> int:
    """Script elements as a browser's tokenizer sees them (script bodies are not markup)."""
    parser = _Scripts()
    parser.feed(html)
    return parser.count


def page_of(inputs: list[Path], out: Path, max_nodes: int = 1500) -> Path:
    result = run_build(inputs, out, max_nodes=max_nodes)
    return out / "graph.html" if result.outputs else pytest.fail("nothing built")


def test_page_has_no_outside_references(tmp_path: Path) -> None:
    html = page_of([], tmp_path).read_text("utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)\s*=", html, re.I)
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?https?:", html)
    for host in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "fonts.googleapis.com"):
        assert host not in html, host
    assert "sourceMappingURL" not in html


def test_hostile_text_never_appears_as_markup(tmp_path: Path) -> None:
    html = page_of([DATA / "hostile"], tmp_path).read_text("utf-8")
    data = html.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data  # the JSON block cannot close its script element
    assert "onerror" in data  # the text is there, as data
    assert script_elements(html) == 3  # the data block, vis-network, our code: nothing injected


def test_two_renders_of_one_graph_are_identical(tmp_path: Path) -> None:
    result = run_build([], None)
    facts = read_facts(result.graph)
    first = render_page(whole_view(result.network), result.network, facts, title="t", max_nodes=100)
    second = render_page(whole_view(result.network), result.network, facts, title="t", max_nodes=100)
    assert first == second  # seeded clusters and layout


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = need_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed; .ci/run must install it")
        pytest.skip("playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page opened offline, with the console errors and outside requests it made."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._block)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgReady !== undefined", timeout=30_000)

    def _block(self, route: Any) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def js(self, expression: str, arg: object = None) -> Any:
        return self.page.evaluate(expression, arg)

    def visible(self) -> set[str]:
        return set(self.js(VISIBLE))

    def click_node(self, node_id: str, *, hover_first: bool = False) -> None:
        self.js("id => network.focus(id, {scale: 1.5, animation: false})", node_id)
        xy = self.js("id => network.canvasToDOM(network.getPositions([id])[id])", node_id)
        box = self.page.locator("#graph").bounding_box()
        if hover_first:
            self.page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])  # hover shows the tooltip
            self.page.wait_for_timeout(400)
        self.page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])

    def search(self, text: str) -> list[str]:
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")
        return list(self.js("network.getSelectedNodes()"))

    def clean(self) -> bool:
        return self.errors == [] and self.outside == []


def test_seed_page_works_offline(browser: Any, tmp_path: Path) -> None:
    result = run_build([need(SEED, "the seed digest")], tmp_path)
    page = Page(browser, tmp_path / "graph.html")
    shown = sum(1 for _, d in result.network.nodes(data=True) if d["kind"] != "digest")
    assert page.js("network.body.data.nodes.length") == shown  # everything fits: all drawn
    links = sum(1 for _, _, d in result.network.edges(data=True) if d["relation"] != "has_part")
    assert page.js("network.body.data.edges.length") == links
    assert page.clean()
    assert page.search("확산 모델") == [KG + "concept/diffusion-model"]  # a Korean label
    assert page.search("3DGS") == [KG + "concept/3d-gaussian-splatting"]  # an exact abbreviation before papers
    page.click_node(KG + "paper/2407.21705")
    assert page.page.locator("#panel h2").inner_text() == (
        "Tora: Trajectory-oriented Diffusion Transformer for Video Generation"
    )
    assert page.page.locator("#panel a[target=_blank]").get_attribute("href") == "https://arxiv.org/abs/2407.21705"
    page.page.locator("#panel a.link", has_text="Junchao Liao").click()  # an author, as a link to the person
    assert page.js("network.getSelectedNodes()") == [KG + "person/Junchao_Liao"]
    page.page.screenshot(path=str(tmp_path / "seed.png"))
    assert page.clean()


def test_technique_panel_shows_why_each_paper_mentions_it(browser: Any, tmp_path: Path) -> None:
    page = Page(browser, page_of([need(SEED, "the seed digest")], tmp_path))
    page.click_node(KG + "concept/diffusion-transformer")
    panel = page.page.locator("#panel")
    assert panel.locator("h2").inner_text() == "Diffusion Transformer"
    assert "DiT" in panel.inner_text()  # its other labels
    marks = panel.locator("mark").all_inner_texts()
    assert marks and all(m in ("DiT", "Diffusion Transformer") for m in marks)  # the matched text, highlighted
    first = panel.locator(".why").first.inner_text()
    assert len(first) > len(marks[0]) + 20  # inside the sentence it came from
    assert any("rule" in t for t in panel.locator(".rule").all_inner_texts())
    panel.get_by_text("Tora: Trajectory-oriented Diffusion Transformer for Video Generation").click()
    assert page.js("network.getSelectedNodes()") == [KG + "paper/2407.21705"]  # the list links to the node
    assert page.clean()


def test_filters_by_kind_cluster_date_and_neighbourhood(browser: Any, tmp_path: Path) -> None:
    result = run_build([], tmp_path)  # the bundled example: three digest days
    page = Page(browser, tmp_path / "graph.html")
    net = result.network
    everything = page.visible()
    people = {n for n in everything if net.nodes[n]["kind"] == "person"}
    page.page.locator('#legend input[data-kind="person"]').uncheck()
    assert page.visible() == everything - people
    page.page.click("#reset")
    assert page.visible() == everything

    view = whole_view(net)
    page.page.select_option("#cluster", "1")
    assert page.visible() == {n for n in everything if view.cluster_of.get(n) == 1}
    page.page.click("#reset")

    dates = {n: str(d["date"]) for n, d in net.nodes(data=True) if d["kind"] == "digest"}
    last = max(dates.values())
    page.page.fill("#date-from", last)
    page.page.dispatch_event("#date-from", "change")
    on_last_day = {p for digest, day in dates.items() if day == last for p in net.successors(digest)}
    papers = {n for n in page.visible() if net.nodes[n]["kind"] == "paper"}
    assert papers == on_last_day
    page.page.click("#reset")

    paper = KG + "paper/2412.01199"
    page.click_node(paper)
    page.page.check("#around")
    around = {paper, *net.successors(paper)} - set(dates)
    assert page.visible() == around
    page.page.select_option("#depth", "2")
    two = {n for m in around for n in (*net.successors(m), *net.predecessors(m))} - set(dates)
    assert page.visible() == around | two
    page.page.select_option("#colour-by", "cluster")
    assert page.clean()


def test_nodes_not_drawn_are_found_and_added_on_demand(browser: Any, tmp_path: Path) -> None:
    result = run_build([], tmp_path, max_nodes=60)
    page = Page(browser, tmp_path / "graph.html")
    drawn = set(page.js("network.body.data.nodes.getIds()"))
    assert len(drawn) <= 60
    status = page.page.locator("#status").inner_text()
    waiting = sum(1 for _, d in result.network.nodes(data=True) if d["kind"] != "digest") - len(drawn)
    assert f"{waiting:,} less connected ones are not drawn" in status
    person = next(n for n, d in result.network.nodes(data=True) if d["kind"] == "person" and n not in drawn)
    name = result.network.nodes[person]["label"]
    assert page.search(name) == [person]  # found although not drawn, then drawn next to a neighbour
    assert person in page.js("network.body.data.nodes.getIds()")
    before = page.js("network.body.data.nodes.length")
    add = page.page.get_by_text(re.compile(r"^Add \d+ linked nodes? not drawn$"))
    if add.count():
        add.click()
        assert page.js("network.body.data.nodes.length") > before
    assert page.clean()


def test_views_coauthor_technique_and_ego(browser: Any, tmp_path: Path) -> None:
    run_build([], tmp_path, html=False)
    graph = tmp_path / "graph.ttl"
    assert main(["html", "--graph", str(graph), "--view", "coauthor"]) == 0
    page = Page(browser, tmp_path / "coauthors.html")
    kinds = set(page.js("network.body.data.nodes.map(n => n.group)"))
    assert kinds == {"person"}
    assert page.js("network.body.data.edges.get()[0].title").startswith("wrote together")
    assert page.clean()

    assert main(["html", "--graph", str(graph), "--view", "technique"]) == 0
    page = Page(browser, tmp_path / "techniques.html")
    assert set(page.js("network.body.data.nodes.map(n => n.group)")) <= {"technique"}
    assert page.js("document.getElementById('colour-by').value") == "cluster"
    assert page.clean()

    assert main(["html", "--graph", str(graph), "--view", "ego", "--centre", "DiT", "--radius", "1"]) == 0
    page = Page(browser, tmp_path / "ego-diffusion-transformer.html")
    assert page.js("network.getSelectedNodes()") == [KG + "concept/diffusion-transformer"]
    assert page.page.locator("#panel h2").inner_text() == "Diffusion Transformer"
    assert all("/paper/" in n or n.endswith("diffusion-transformer") or "/concept/" in n for n in page.visible())
    assert page.clean()


def test_views_hold_the_right_nodes() -> None:
    result = run_build([], None)
    net = result.network
    co = coauthor_view(net).graph
    assert {d["kind"] for _, d in co.nodes(data=True)} == {"person"}
    assert all(d["relation"] == "coauthor" and d["weight"] >= 1 for _, _, d in co.edges(data=True))
    tech = technique_view(net).graph
    assert {d["kind"] for _, d in tech.nodes(data=True)} == {"technique"}
    centre = find_node(net, "DiT", read_facts(result.graph).alt_labels)
    assert centre == KG + "concept/diffusion-transformer"
    ego = ego_view(net, centre, radius=1).graph
    assert set(ego.nodes) == {centre, *net.predecessors(centre), *net.successors(centre)}
    undirected = nx.Graph(net.to_undirected())
    assert set(ego_view(net, centre, radius=2).graph) == {
        n for n, hops in nx.single_source_shortest_path_length(undirected, centre, 2).items() if "/digest/" not in n
    }


def test_hostile_page_runs_no_injected_script(browser: Any, tmp_path: Path) -> None:
    page = Page(browser, page_of([DATA / "hostile"], tmp_path))
    paper = KG + "paper/2408.20001"
    page.click_node(paper, hover_first=True)
    for person in page.js("network.body.data.nodes.getIds()"):
        if "/person/" in person:
            page.click_node(person, hover_first=True)
    page.click_node(KG + "concept/diffusion-transformer")
    for link in page.page.locator("#panel a.link").all():
        link.click()  # every link in the panel, including the hostile title and names
    page.search("<script>")
    page.search("onerror")
    assert page.js("window.__pwned") is None
    assert page.js("document.querySelectorAll('#panel script, #panel img, #panel b, #panel [onerror]').length") == 0
    hrefs = page.js("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    assert all(h == "#" or h.startswith("https://arxiv.org/abs/") for h in hrefs)  # no javascript: link
    page.click_node(paper)
    assert "<script>" in page.page.locator("#panel h2").inner_text()  # shown as text
    assert page.clean()


@pytest.fixture(scope="module")
def corpus_page(corpus_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nx.DiGraph[str]]:
    network = to_networkx(corpus_graph)
    path = tmp_path_factory.mktemp("corpus") / "graph.html"
    html = render_page(whole_view(network), network, read_facts(corpus_graph), title="corpus")
    path.write_text(html, encoding="utf-8")
    return path, network


def test_corpus_page_opens_and_finds_what_is_not_drawn(browser: Any, corpus_page: tuple[Path, Any]) -> None:
    path, network = corpus_page
    page = Page(browser, path)
    drawn = set(page.js("network.body.data.nodes.getIds()"))
    assert 1000 <= len(drawn) <= 1500
    total = sum(1 for _, d in network.nodes(data=True) if d["kind"] != "digest")
    assert f"of {total:,} nodes" in page.page.locator("#status").inner_text()
    assert page.search("3D 가우시안 스플래팅") == [KG + "concept/3d-gaussian-splatting"]
    person = min(
        (n for n, d in network.nodes(data=True) if d["kind"] == "person" and n not in drawn),
        key=lambda n: network.nodes[n]["label"],
    )
    assert page.search(network.nodes[person]["label"]) == [person]
    assert page.page.locator("#panel h2").inner_text() == network.nodes[person]["label"]
    page.click_node(KG + "concept/diffusion-transformer")
    assert page.page.locator("#panel mark").count() > 0
    assert page.clean()


def test_pages_work_in_firefox(tmp_path: Path) -> None:
    """Debian's Firefox over Marionette: the seed and hostile pages load offline, draw, search and show details."""
    from tests.firefox import Firefox

    firefox = need_tool("firefox-esr")
    seed = page_of([need(SEED, "the seed digest")], tmp_path / "seed")
    hostile = page_of([DATA / "hostile"], tmp_path / "hostile")
    with Firefox(firefox) as ff:
        ff.open(seed.as_uri())
        ff.run(
            "return new Promise(done => { const t = setInterval(() => window.kgReady && done(clearInterval(t)), 50); })"
        )
        assert ff.run("return network.body.data.nodes.length") == len(
            {
                n
                for n, d in to_networkx(Graph().parse(tmp_path / "seed" / "graph.ttl")).nodes(data=True)
                if d["kind"] != "digest"
            }
        )
        assert ff.run("return performance.getEntriesByType('resource').length") == 0  # nothing fetched
        ff.run("document.getElementById('search').value = arguments[0]", "확산 모델")
        ff.run("document.getElementById('search-form').requestSubmit()")
        assert ff.run("return network.getSelectedNodes()") == [KG + "concept/diffusion-model"]
        ff.run("kgGo(arguments[0])", KG + "paper/2407.21705")
        assert ff.run("return document.querySelector('#panel h2').textContent").startswith("Tora:")
        ff.open(hostile.as_uri())
        ff.run(
            "return new Promise(done => { const t = setInterval(() => window.kgReady && done(clearInterval(t)), 50); })"
        )
        for node in ff.run("return network.body.data.nodes.getIds()"):
            ff.run("kgGo(arguments[0])", node)
            ff.run("document.querySelectorAll('#panel a.link').forEach(a => a.click())")
        assert ff.run("return window.__pwned === undefined") is True
    assert ff.errors == []
