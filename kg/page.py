"""The interactive page: a pyvis network rendered into one self-contained, offline HTML file (pure).

Digest text never becomes markup: node data travels as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the page
builds the details panel with ``textContent``. vis-network shows string tooltips as text.

Large graphs are cut to ``max_nodes`` (the best-connected concepts, the most-voted papers, and
the people on most of the shown papers); the page says how many of each kind are hidden.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.namespace import KG, SCHEMA

# kind -> (legend label, shape, colour)
STYLE = {
    "paper": ("Paper", "dot", "#4e79a7"),
    "person": ("Author", "diamond", "#f28e2b"),
    "technique": ("Technique", "star", "#e15759"),
    "model": ("Model", "triangle", "#76b7b2"),
    "dataset": ("Dataset", "square", "#59a14f"),
    "metric": ("Metric", "triangleDown", "#edc948"),
    "task": ("Task", "hexagon", "#b07aa1"),
    "discoveredconcept": ("Discovered term", "ellipse", "#bab0ac"),
}
EDGE_COLOURS = {"author": "#f6c89f", "mentions": "#f3a6a7", "broader": "#9c6b6c"}
_SECTION_NAMES = {
    KG.whatsNew: "What's New",
    KG.technicalDetails: "Technical Details",
    KG.performanceHighlights: "Performance Highlights",
    SCHEMA.abstract: "Summary",
}
_SHARES = {"concept": 0.25, "paper": 0.40}
_FONT_SIZES = {"paper": 20, "person": 11, "technique": 24}


@dataclass(frozen=True)
class Selection:
    """The nodes shown and, per kind, how many were left out."""

    nodes: tuple[str, ...]
    hidden: dict[str, int]


def select_nodes(network: nx.DiGraph[str], max_nodes: int) -> Selection:
    """All nodes but digests when they fit, else the most connected share of each kind."""
    shown = [n for n, d in network.nodes(data=True) if d["kind"] != "digest"]
    if len(shown) <= max_nodes:
        return Selection(tuple(sorted(shown)), {})
    degree = dict(network.degree())

    def by_kind(*kinds: str) -> list[str]:
        return [n for n in shown if network.nodes[n]["kind"] in kinds]

    concepts = sorted(
        by_kind(*[k for k in STYLE if k not in ("paper", "person")]),
        key=lambda n: (network.nodes[n]["kind"] == "discoveredconcept", -degree[n], n),
    )
    concepts = concepts[: int(max_nodes * _SHARES["concept"])]
    papers = sorted(by_kind("paper"), key=lambda n: (-(network.nodes[n].get("votes") or 0), -degree[n], n))
    papers = papers[: int(max_nodes * _SHARES["paper"])]
    chosen = set(papers)
    counts: dict[str, int] = {}
    for paper in papers:
        for v in network.successors(paper):
            if network.nodes[v]["kind"] == "person":
                counts[v] = counts.get(v, 0) + 1
    people = sorted(counts, key=lambda n: (-counts[n], -degree[n], n))
    people = people[: max_nodes - len(papers) - len(concepts)]
    chosen.update(concepts, people)
    hidden: dict[str, int] = {}
    for n in shown:
        if n not in chosen:
            kind = network.nodes[n]["kind"]
            hidden[kind] = hidden.get(kind, 0) + 1
    return Selection(tuple(sorted(chosen)), hidden)


def layout(network: nx.Graph[str], seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions computed once in Python (a page with physics off is interactive at once)."""
    if network.number_of_nodes() == 0:
        return {}
    k = 3.0 / math.sqrt(network.number_of_nodes())
    pos = nx.spring_layout(network, k=k, iterations=100, seed=seed)
    scale = 80 * math.sqrt(network.number_of_nodes())
    return {n: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for n, (x, y) in pos.items()}


def _details(graph: Graph, node: str, data: dict[str, object], network: nx.DiGraph[str]) -> dict[str, object]:
    iri = URIRef(node)
    kind = str(data["kind"])
    out: dict[str, object] = {"kind": STYLE.get(kind, (kind,))[0], "label": data["label"]}
    if kind == "paper":
        url = graph.value(iri, SCHEMA.url)
        out["url"] = str(url) if url is not None else ""
        out["arxiv"] = data.get("arxiv_id", "")
        out["votes"] = data.get("votes")
        authors = sorted(
            (d.get("position", 0), network.nodes[v]["label"])
            for v, d in network[node].items()
            if d["relation"] == "author"
        )
        out["authors"] = [name for _, name in authors]
        out["days"] = sorted(
            str(network.nodes[u].get("date", ""))
            for u in network.predecessors(node)
            if network.nodes[u]["kind"] == "digest"
        )
        out["sections"] = [
            [name, str(text)]
            for prop, name in _SECTION_NAMES.items()
            for text in sorted(graph.objects(iri, prop), key=str)
            if isinstance(text, Literal)
        ]
        out["mentions"] = sorted(
            network.nodes[v]["label"] for v, d in network[node].items() if d["relation"] == "mentions"
        )
    elif kind == "person":
        out["papers"] = sorted(
            network.nodes[u]["label"] for u in network.predecessors(node) if network.nodes[u]["kind"] == "paper"
        )
    else:
        out["altLabels"] = sorted(str(a) for a in graph.objects(iri, SKOS.altLabel))
        out["broader"] = sorted(
            network.nodes[v]["label"] for v, d in network[node].items() if d["relation"] == "broader"
        )
        out["papers"] = sorted(
            network.nodes[u]["label"] for u in network.predecessors(node) if network.nodes[u]["kind"] == "paper"
        )
    return out


def _search_terms(graph: Graph, node: str, label: str) -> str:
    labels = [label, *(str(a) for a in graph.objects(URIRef(node), SKOS.altLabel))]
    return "\n".join(labels)


def build_pyvis(graph: Graph, network: nx.DiGraph[str], selection: Selection) -> tuple[Network, dict[str, object]]:
    """The pyvis network of the selected nodes, and the per-node details for the side panel."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    chosen = set(selection.nodes)
    sub = network.subgraph(chosen)
    pos = layout(sub.to_undirected(as_view=True))
    degree = dict(sub.degree())
    details: dict[str, object] = {}
    for n in selection.nodes:
        data = network.nodes[n]
        kind = str(data["kind"])
        _, shape, colour = STYLE.get(kind, STYLE["discoveredconcept"])
        label = str(data["label"])
        short = label if len(label) <= 40 else label[:38] + "…"
        size = 8 + 3 * math.sqrt(degree.get(n, 0))
        if kind == "paper" and data.get("votes"):
            size += math.sqrt(float(data["votes"]))
        x, y = pos.get(n, (0.0, 0.0))
        net.nodes.append(
            {
                "id": n,
                "label": short,
                "title": label,
                "shape": shape,
                "color": colour,
                "size": round(size, 1),
                "x": x,
                "y": y,
                "group": kind,
                "font": {"size": _FONT_SIZES.get(kind, 16)},
                "search": _search_terms(graph, n, label),
            }
        )
        net.node_ids.append(n)
        details[n] = _details(graph, n, dict(data), network)
    for u, v, d in sorted(sub.edges(data=True)):
        net.edges.append(
            {
                "from": u,
                "to": v,
                "color": EDGE_COLOURS.get(d["relation"], "#cccccc"),
                "title": d["relation"],
                "arrows": "to" if d["relation"] == "broader" else "",
            }
        )
    net.set_options(
        json.dumps(
            {
                "physics": {"enabled": False},
                "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
                "edges": {"smooth": False, "width": 1},
                "nodes": {"borderWidth": 1},
            }
        )
    )
    return net, details


def _script_json(value: object) -> str:
    """JSON safe to put inside a <script> element: no '<', '>' or '&' survive."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _vis_assets() -> tuple[str, str]:
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    js = "\n".join(line for line in js.split("\n") if not line.startswith("//# sourceMappingURL"))
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("the bundled vis-network assets cannot be inlined safely")
    return js, css


def render_html(graph: Graph, network: nx.DiGraph[str], *, title: str = "papers-kg", max_nodes: int = 1500) -> str:
    """The whole page as one string: no external requests, no digest text as markup."""
    selection = select_nodes(network, max_nodes)
    net, details = build_pyvis(graph, network, selection)
    counts: dict[str, int] = {}
    for n in selection.nodes:
        kind = str(network.nodes[n]["kind"])
        counts[kind] = counts.get(kind, 0) + 1
    legend = [
        {"kind": k, "label": v[0], "colour": v[2], "shown": counts.get(k, 0), "hidden": selection.hidden.get(k, 0)}
        for k, v in STYLE.items()
        if counts.get(k) or selection.hidden.get(k)
    ]
    js, css = _vis_assets()
    folder = resources.files("kg").joinpath("templates")
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"]))
    data = {"nodes": net.nodes, "edges": net.edges, "details": details, "legend": legend, "options": net.options}
    return env.get_template("graph.html").render(
        title=title,
        vis_js=js,
        vis_css=css,
        data=_script_json(data),
        legend=legend,
        total_hidden=sum(selection.hidden.values()),
        shown=len(selection.nodes),
    )
