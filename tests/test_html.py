"""The interactive pages: self-contained and offline, digest text never markup; used in a real Chromium.

Every browser test blocks all requests but file: and data:, and fails on any console error, dialog or popup.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markupsafe
import networkx as nx
import pytest
from rdflib import Graph

import kg
from kg.cli import main
from kg.facts import PageFacts, Section, read_facts
from kg.network import to_networkx
from kg.page import render_page, script_hash
from kg.pipeline import run_build
from kg.views import View, coauthor_view, ego_view, find_node, make_view, technique_view, whole_view
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
TOOLTIP = "document.querySelector('div.vis-tooltip')"
# A corner of the canvas with no node or edge under it (DOM coordinates), or null.
EMPTY_POINT = """() => {
  const c = document.querySelector('#graph canvas'), w = c.clientWidth, h = c.clientHeight;
  for (const [x, y] of [[3, 3], [w - 4, 3], [3, h - 4], [w - 4, h - 4]]) {
    if (network.getNodeAt({x, y}) === undefined && network.getEdgeAt({x, y}) === undefined) return {x, y};
  }
  return null;
}"""


class _Parsed(HTMLParser):
    """The elements a browser's tokenizer would make, and the text of each script (script bodies are not markup)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.scripts: list[tuple[dict[str, str | None], list[str]]] = []
        self.in_script = False
        self.policy = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "meta" and ("http-equiv", "Content-Security-Policy") in attrs:
            self.policy = dict(attrs)["content"] or ""
        if tag == "script":
            self.scripts.append((dict(attrs), []))
            self.in_script = True

    def handle_endtag(self, tag: str) -> None:
        self.in_script = self.in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.scripts[-1][1].append(data)

    def script_text(self, n: int) -> str:
        return "".join(self.scripts[n][1])


def parse_page(html: str) -> _Parsed:
    parser = _Parsed()
    parser.feed(html)
    parser.close()
    return parser


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


# Every `kg html --view` of tests/data/hostile: hostile titles, names, summary sections and headings,
# technique labels (API keywords), a javascript: link in the arXiv position and in the API's code and
# project links, "</script>", "<!--" and "]]>" inside strings. Each payload would set window.__pwned
# or open a dialog if it ever ran.
HOSTILE_AUTHOR = "<img src=x onerror=\"window.__pwned='author'\">"
HOSTILE_VIEWS = {
    "whole": ("whole", []),  # what kg build writes: papers, people and every kind of concept, with their panels
    "undrawn": ("whole", ["--max-nodes", "3"]),  # nodes drawn by the page's script, from search, links and "Add"
    "coauthor": ("coauthor", []),  # people only; the community labels are made of hostile names
    "technique": ("technique", []),  # techniques named by hostile keywords; cluster labels made of them
    "ego": ("ego", ["--centre", HOSTILE_AUTHOR]),  # a hostile centre: in the caption and its panel at once
}
MARKUP = re.compile(r"[<>&]")


class Hostile:
    """The hostile pages, one per view, and what each should show as text."""

    def __init__(self, out: Path) -> None:
        result = run_build([DATA / "hostile"], out, html=False)
        self.network, self.facts = result.network, read_facts(result.graph)
        self.pages: dict[str, Path] = {}
        self.views: dict[str, View] = {}
        for case, (view, args) in HOSTILE_VIEWS.items():
            self.pages[case] = out / f"{case}.html"
            command = ["html", "--graph", str(out / "graph.ttl"), "--view", view, *args, "--out", str(self.pages[case])]
            assert main(command) == 0
            centre = HOSTILE_AUTHOR if view == "ego" else None
            self.views[case] = make_view(self.network, view, centre=centre, aliases=self.facts.alt_labels)

    def labels(self, view: str) -> dict[str, str]:
        """Node -> label of the view's nodes."""
        return {n: str(d["label"]) for n, d in self.views[view].graph.nodes(data=True)}

    def texts(self, view: str) -> set[str]:
        """The view's text with markup characters in it: labels, cluster labels, caption, and the title,
        authors, sections, headings and matched text of every paper in the view or linked from its nodes."""
        graph = self.views[view].graph
        papers = {p for n in graph for p in (n, *self.network.predecessors(n)) if "/paper/" in p}
        texts = {*self.labels(view).values(), *self.views[view].clusters, self.views[view].caption}
        for p in papers:
            texts |= {str(self.network.nodes[n]["label"]) for n in (p, *self.network.successors(p))}
            texts |= {t for s in self.facts.sections.get(p, ()) for t in (s.heading, s.text)}
            texts |= {e.text for e in self.facts.evidence.get(p, ())}
        return {t for t in texts if MARKUP.search(t)}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    return Hostile(tmp_path_factory.mktemp("hostile"))


def json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from json_strings(v)


TEMPLATE_TAGS = parse_page((Path(kg.__file__).parent / "templates" / "graph.html").read_text("utf-8")).tags


def data_block(html: str) -> str:
    """The page's JSON data, once sure that the page is the template's markup and nothing more."""
    parsed = parse_page(html)
    assert len(parsed.scripts) == 3  # the data block, vis-network, our code: nothing injected
    assert parsed.tags == TEMPLATE_TAGS  # no element made from digest text
    assert parsed.scripts[0][0] == {"type": "application/json", "id": "kg-data"}
    data = parsed.script_text(0)
    assert not re.search(r"[<>\u2028\u2029]", data)  # no "</script", "<!--" or "<script": it ends where it should
    scripts = f"script-src '{script_hash(parsed.script_text(1))}' '{script_hash(parsed.script_text(2))}';"
    assert scripts in parsed.policy  # only vis-network and our code may run: no other script, no event handler
    return data


@pytest.mark.parametrize("view", HOSTILE_VIEWS)
def test_hostile_text_never_appears_as_markup(hostile: Hostile, view: str) -> None:
    html = hostile.pages[view].read_text("utf-8")
    data = data_block(html)
    strings = set(json_strings(json.loads(data)))
    outside = html.replace(data, "")
    texts = hostile.texts(view)
    assert HOSTILE_AUTHOR in texts and all(any(x in t for t in texts) for x in ("</script>", "<!--", "]]>"))
    for text in texts | {t for t in strings if MARKUP.search(t)}:
        assert text not in outside, text  # not in the markup, the title or the caption
    for text in texts - {hostile.views[view].caption}:
        assert any(text in s for s in strings), text  # but there, as data
    caption = hostile.views[view].caption
    assert f'<span id="caption">{markupsafe.escape(caption)}</span>' in outside  # the ego caption names the centre


# Strings the parser never lets through (it collapses white space and reads no raw Turtle), put into
# a page directly: the data block must hold each exactly and still end where it should.
@pytest.mark.parametrize(
    "text",
    [
        "line\u2028separator",  # a line terminator in older JavaScript, not in JSON
        "paragraph\u2029separator",  # the same
        "</SCRIPT >",  # the end tag in another case, with a space
        "</script\t\nfoo>",  # and with a tab and a new line before its end
        "<!--<script>",  # the start of the double-escaped state: </script> would no longer end the block
        "<![CDATA[ ]]>",  # CDATA markers
        "\\u003c/script>",  # an escape sequence written out
        "&lt;b&gt; &amp;",  # entities stay entities: never decoded into markup
        "😀 𝒵 한국어",  # characters beyond the Basic Multilingual Plane, and Korean
    ],
)
def test_page_data_holds_any_text_exactly(text: str) -> None:
    paper, person = KG + "paper/2408.00001", KG + "person/p"
    net: nx.DiGraph[str] = nx.DiGraph()
    net.add_node(paper, kind="paper", label=text, arxiv_id="2408.00001", votes=1)
    net.add_node(person, kind="person", label=text)
    net.add_edge(paper, person, relation="author", position=0)
    facts = PageFacts(sections={paper: (Section("whats-new", text, text),)})
    html = render_page(ego_view(net, person), net, facts, title=text)
    data = data_block(html)
    page = json.loads(data)
    assert page["papers"][0][2] == text and page["papers"][0][7] == [["whats-new", text, text]]
    assert text not in html.replace(data, "") or not MARKUP.search(text)


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
    """A page opened offline, with the console errors, outside requests, dialogs and popups it made."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.on("popup", lambda p: self.outside.append(p.url))
        self.page.route("**/*", self._block)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgReady !== undefined", timeout=30_000)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

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

    def click_node(self, node_id: str, *, hover_first: bool = False) -> str | None:
        """Click a node (hovering first: the tooltip then shown, as its HTML)."""
        self.js("id => network.focus(id, {scale: 1.5, animation: false})", node_id)
        xy = self.js("id => network.canvasToDOM(network.getPositions([id])[id])", node_id)
        box = self.page.locator("#graph").bounding_box()
        tooltip = None
        if hover_first:
            # First a point of the canvas off every node and edge, until the last tooltip is gone:
            # else the wait below may read the tooltip of the node hovered before.
            empty = self.js(EMPTY_POINT)
            if empty is not None:
                self.page.mouse.move(box["x"] + empty["x"], box["y"] + empty["y"])
                self.page.wait_for_function(f"() => {TOOLTIP}?.style.visibility !== 'visible'")
            self.page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])  # hover shows the tooltip
            shown = self.page.wait_for_function(f"() => {TOOLTIP}?.style.visibility === 'visible' && {TOOLTIP}")
            tooltip = shown.evaluate("e => e.innerHTML")
        self.page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
        return tooltip

    def search(self, text: str) -> list[str]:
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")
        return list(self.js("network.getSelectedNodes()"))

    def clean(self) -> bool:
        return self.errors == [] and self.outside == [] and self.dialogs == []


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


# What a page holds once used, read in the page (Chromium and Firefox): a payload that ran would have set
# window.__pwned, made an element the page never makes, or left an event-handler attribute or a link.
CENSUS = """(() => {
  const all = Array.from(document.querySelectorAll("*"));
  return {
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    tags: Array.from(new Set(all.map(e => e.localName))).sort(),
    scripts: document.scripts.length,
    handlers: all.flatMap(e => Array.from(e.attributes, a => a.name)).filter(n => n.startsWith("on")),
    links: all.filter(e => e.hasAttribute("href") || e.hasAttribute("src"))
      .map(e => e.getAttribute("href") ?? e.getAttribute("src")),
    title: document.title,
    caption: document.getElementById("caption").textContent,
  };
})()"""
# The elements page.js and vis-network make, besides the template's.
SCRIPT_TAGS = {"a", "canvas", "div", "h2", "h3", "input", "label", "li", "mark", "option", "p", "span", "ul"}
# Select a node, then click each link and button of its panel in turn (authors, papers, mentions, "Add").
CLICK_EVERY_LINK = """id => {
  const links = () => document.querySelectorAll("#panel a.link, #panel button");
  kgGo(id);
  const count = links().length;
  for (let k = 0; k < count; k++) { kgGo(id); links()[k]?.click(); }
  kgGo(id);
  return count;
}"""


def assert_untouched(census: dict[str, Any], view: View) -> None:
    """Nothing ran, nothing was made from the data, and the header shows the caption as text."""
    assert census["pwned"] is None
    assert set(census["tags"]) <= TEMPLATE_TAGS | SCRIPT_TAGS
    assert census["scripts"] == 3 and census["handlers"] == []
    assert all(h == "#" or re.fullmatch(r"https://arxiv\.org/abs/2408\.\d{5}", h) for h in census["links"])
    assert census["caption"] == view.caption


@pytest.mark.parametrize("view", HOSTILE_VIEWS)
def test_hostile_page_runs_no_injected_script(browser: Any, hostile: Hostile, view: str) -> None:
    page = Page(browser, hostile.pages[view])
    labels = hostile.labels(view)
    drawn = "network.body.data.nodes.get().map(n => [n.id, n.title])"
    assert dict(page.js(drawn)).items() <= labels.items()
    clicked = 0
    for node, label in labels.items():
        clicked += page.js(CLICK_EVERY_LINK, node)  # draws the node too, if it was not
        assert page.js("document.querySelector('#panel h2').textContent") == label
        if MARKUP.search(label):  # the tooltip (vis-network's title) shows the label as text, not as markup
            assert page.click_node(node, hover_first=True) == escape(label, quote=False)
        if "/paper/" in node:  # sections, headings and matched text, as text; the arXiv link rebuilt from the id
            panel = page.js("document.getElementById('panel').textContent")
            assert all(s.heading in panel and s.text in panel for s in hostile.facts.sections.get(node, ()))
            assert all(e.text in panel for e in hostile.facts.evidence.get(node, ()))
            arxiv = page.page.locator("#panel a[target=_blank]").get_attribute("href")
            assert arxiv == "https://arxiv.org/abs/" + hostile.network.nodes[node]["arxiv_id"]
    assert clicked >= len(labels)  # links to papers, people and concepts, hostile names among them
    assert dict(page.js(drawn)) == labels  # every node drawn by now, with its label as its tooltip
    for node, label in labels.items():
        assert page.search(label) == [node]  # found by its label, exactly
    for fragment in ("<script>", "</script>", "onerror", "javascript:", "<!--", "]]>", "{{"):
        page.search(fragment)
    page.page.select_option("#colour-by", "cluster")
    options = page.page.locator("#cluster option").all_text_contents()
    for i, cluster in enumerate(hostile.views[view].clusters):
        assert options[i + 1].startswith(f"{i + 1}. {cluster} (")  # the cluster labels, as text
        page.page.select_option("#cluster", str(i))
    legend = page.js("document.getElementById('cluster-legend').textContent")
    assert all(c in legend for c in hostile.views[view].clusters)
    for box in page.page.locator("#legend input").all():
        box.uncheck()
        box.check()
    page.page.wait_for_timeout(300)  # time for an injected image to fail and fire its handler
    assert_untouched(page.js(CENSUS), hostile.views[view])
    assert page.page.url == hostile.pages[view].as_uri()  # no navigation, to javascript: or anywhere
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


def test_pages_work_in_firefox(tmp_path: Path, hostile: Hostile) -> None:
    """Debian's Firefox over Marionette: the seed and hostile pages load offline, draw, search and show details."""
    from tests.firefox import Firefox

    firefox = need_tool("firefox-esr")
    seed = page_of([need(SEED, "the seed digest")], tmp_path / "seed")
    ready = "return new Promise(done => { const t = setInterval(() => window.kgReady && done(clearInterval(t)), 50); })"
    with Firefox(firefox) as ff:
        ff.open(seed.as_uri())
        ff.run(ready)
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
        for view, path in hostile.pages.items():  # a dialog left open would fail the next command
            ff.open(path.as_uri())
            ff.run(ready)
            for node, label in hostile.labels(view).items():
                ff.run(f"return ({CLICK_EVERY_LINK})(arguments[0])", node)
                assert ff.run("return document.querySelector('#panel h2').textContent") == label
                ff.run("document.getElementById('search').value = arguments[0]", label)
                ff.run("document.getElementById('search-form').requestSubmit()")
                assert ff.run("return network.getSelectedNodes()") == [node]
            ff.run(
                "const s = document.getElementById('colour-by'); s.value = 'cluster';"
                " s.dispatchEvent(new Event('change'));"
            )
            ff.run("return new Promise(done => setTimeout(done, 300))")  # time for an injected image to fire
            assert_untouched(ff.run(f"return {CENSUS}"), hostile.views[view])
            assert ff.run("return location.href") == path.as_uri()
    assert ff.errors == []
