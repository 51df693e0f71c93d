"""graph.html: self-contained and offline, digest text never markup; checked in a real Chromium."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from kg.pipeline import run_build
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


def page_of(inputs: list[Path], out: Path) -> Path:
    result = run_build(inputs, out)
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


def open_page(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def block(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", block)
    page.goto(path.as_uri())
    page.wait_for_function("window.network !== undefined && network.body.data.nodes.length > 0")
    return page, errors, outside


def click_node(page: Any, node_id: str) -> None:
    page.evaluate("id => network.focus(id, {scale: 1.5, animation: false})", node_id)
    xy = page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", node_id)
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])


def test_seed_page_works_offline(browser: Any, tmp_path: Path) -> None:
    result = run_build([need(SEED, "the seed digest")], tmp_path)
    page, errors, outside = open_page(browser, tmp_path / "graph.html")
    shown = sum(1 for _, d in result.network.nodes(data=True) if d["kind"] != "digest")
    assert page.evaluate("network.body.data.nodes.length") == shown
    assert page.evaluate("network.body.data.edges.length") > shown // 2
    assert errors == [] and outside == []
    page.fill("#search", "확산 모델")  # a Korean label of a technique
    page.press("#search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == ["https://w3id.org/papers-kg/concept/diffusion-model"]
    page.fill("#search", "3DGS")  # an exact abbreviation finds the technique before papers that mention it
    page.press("#search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == ["https://w3id.org/papers-kg/concept/3d-gaussian-splatting"]
    paper = "https://w3id.org/papers-kg/paper/2407.21705"
    click_node(page, paper)
    assert (
        page.locator("#panel h2").inner_text() == "Tora: Trajectory-oriented Diffusion Transformer for Video Generation"
    )
    assert page.locator("#panel a").get_attribute("href") == "https://arxiv.org/abs/2407.21705"
    page.screenshot(path=str(tmp_path / "seed.png"))


def test_hostile_page_runs_no_injected_script(browser: Any, tmp_path: Path) -> None:
    page, errors, outside = open_page(browser, page_of([DATA / "hostile"], tmp_path))
    paper = "https://w3id.org/papers-kg/paper/2408.20001"
    page.evaluate("id => network.focus(id, {scale: 1.5, animation: false})", paper)
    xy = page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", paper)
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])  # hover shows the tooltip
    page.wait_for_timeout(400)
    click_node(page, paper)
    for person in page.evaluate("network.body.data.nodes.getIds()"):
        if "/person/" in person:
            click_node(page, person)
    page.locator("#panel").click()
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('#panel script, #panel img, #panel b').length") == 0
    click_node(page, paper)
    assert "<script>" in page.locator("#panel h2").inner_text()  # shown as text
    assert errors == [] and outside == []
