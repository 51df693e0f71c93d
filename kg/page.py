"""The interactive page: a view rendered with pyvis into one self-contained, offline HTML file (pure).

The page holds every node of the view. The most connected ``max_nodes`` are drawn at positions
computed in Python (``kg.layout``; physics stays off, so the page is usable at once); the rest
wait in a table and join the drawing when searched for or expanded from a neighbour, and the page
counts them. Digest text never becomes markup: it travels as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the page builds
the side panel with ``textContent``. Should that ever fail, the page's Content-Security-Policy lets
only its own two scripts run (by hash): no injected script or event handler would.

>>> from kg.pipeline import run_build
>>> result = run_build([])                     # the bundled example, in memory
>>> html = render_html(result.graph, result.network, title="example")
>>> html.startswith("<!DOCTYPE html>"), "<script src" in html, "<link" in html
(True, False, False)
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from kg.facts import PageFacts, read_facts
from kg.layout import Selection, layout, select_nodes
from kg.network import TripleSource
from kg.views import CONCEPT_KINDS, View, whole_view

# kind -> (legend label, vis shape, colour)
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
# relation -> (legend label, colour, dashed, arrow)
EDGE_STYLE = {
    "author": ("wrote", "#f6c89f", False, False),
    "mentions": ("mentions", "#f3a6a7", True, False),
    "broader": ("narrower than", "#9c6b6c", False, True),
    "coauthor": ("wrote together", "#f3c69b", False, False),
    "cooccurs": ("mentioned together", "#e7b2b3", False, False),
}
# Topic clusters beyond the palette share the last colour.
CLUSTER_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5", "#dbdb8d",
    "#7f7f7f",
)  # fmt: skip
NO_CLUSTER = "#d0d0d0"
_FONT_SIZES = {"paper": 20, "person": 11, "technique": 24}
DEFAULT_MAX_NODES = 1500


MAX_SIZE = 50.0  # "Large Language Model" is in 1,500 corpus papers: uncapped, it would cover the page


def node_size(kind: str, papers: int, votes: int | None, degree: int) -> float:
    """Papers grow with their votes, people and concepts with their papers (or links, when they have none).

    >>> node_size("paper", 0, 9, 4), node_size("technique", 4, None, 7), node_size("technique", 1500, None, 9)
    (18.0, 14.0, 50.0)
    """
    if kind == "paper":
        size = 10 + 2 * math.sqrt(votes or 0) + math.sqrt(degree)
    else:
        size = 8 + 3 * math.sqrt(papers or degree)
    return round(min(size, MAX_SIZE), 1)


def cluster_colour(number: int) -> str:
    return CLUSTER_COLOURS[min(number, len(CLUSTER_COLOURS) - 1)]


def font_size(view: str, kind: str, size: float) -> int:
    """The whole graph sizes labels by kind (techniques largest, people smallest); a view of one kind
    by the node's size, so that the main techniques or people stand out."""
    if view in ("whole", "ego"):
        return _FONT_SIZES.get(kind, 16)
    return round(min(30.0, 4 + 0.8 * size))


def _short(label: str) -> str:
    return label if len(label) <= 40 else label[:38] + "…"


class _Tables:
    """The page's data: every node of the view and the papers the panel can show, by index."""

    def __init__(self, network: nx.DiGraph[str], facts: PageFacts) -> None:
        self.network, self.facts = network, facts
        # Node attributes in a plain dict, looked up some 200,000 times.
        self.node: dict[str, dict[str, Any]] = {n: d for n, d in network.nodes(data=True)}
        self.papers_of = _papers_of(network)
        self.days_of = _days_of(network)
        self.days = sorted({d for ds in self.days_of.values() for d in ds})
        self.day_index = {d: i for i, d in enumerate(self.days)}
        self.paper_rows: dict[str, int] = {}
        self.concept_rows: dict[str, int] = {}
        self.papers: list[list[object]] = []
        self.concepts: list[list[object]] = []

    def node_days(self, n: str) -> list[int]:
        papers = [n] if self.node[n].get("kind") == "paper" else self.papers_of.get(n, [])
        return sorted({self.day_index[d] for p in papers for d in self.days_of.get(p, ())})

    def paper(self, p: str) -> int:
        """The row of paper ``p``: id, arXiv id, title, URL, votes, days, authors, sections, mentions, mismatch."""
        known = self.paper_rows.get(p)
        if known is not None:
            return known
        self.paper_rows[p] = len(self.papers)
        row: list[object] = []
        self.papers.append(row)
        node = self.node
        data = node[p]
        authors = sorted(
            (d.get("position", 0), str(node[v]["label"]), v)
            for v, d in self.network.succ[p].items()
            if d["relation"] == "author"
        )
        mentions = [
            [self.concept(e.concept), e.section, e.start, e.end, e.text, e.rule, int(e.suspect)]
            for e in self.facts.evidence.get(p, ())
            if e.concept in node
        ]
        row.extend(
            [
                p,
                str(data.get("arxiv_id", "")),
                str(data.get("label", "")),
                self.facts.urls.get(p, ""),
                data.get("votes"),
                sorted(self.day_index[d] for d in self.days_of.get(p, ())),
                [[name, key] for _, name, key in authors],
                [[s.key, s.heading, s.text] for s in self.facts.sections.get(p, ())],
                mentions,
                self.facts.mismatch.get(p, ""),
            ]
        )
        return self.paper_rows[p]

    def concept(self, c: str) -> int:
        """The row of concept ``c``: id, label, kind, other labels, curated, broader and narrower labels."""
        known = self.concept_rows.get(c)
        if known is not None:
            return known
        data = self.node[c]
        related = self.network[c].items()
        broader = sorted(str(self.network.nodes[v]["label"]) for v, d in related if d["relation"] == "broader")
        narrower = sorted(
            str(self.network.nodes[u]["label"])
            for u in self.network.predecessors(c)
            if self.network.edges[u, c]["relation"] == "broader"
        )
        self.concept_rows[c] = len(self.concepts)
        self.concepts.append(
            [
                c,
                str(data.get("label", "")),
                STYLE.get(str(data.get("kind")), ("Concept",))[0],
                list(self.facts.alt_labels.get(c, ())),
                int(data.get("curated", True) and data.get("kind") != "discoveredconcept"),
                broader,
                narrower,
            ]
        )
        return self.concept_rows[c]


def _papers_of(network: nx.DiGraph[str]) -> dict[str, list[str]]:
    """People and concepts -> the papers that name them, most voted first."""
    papers = sorted((-(d.get("votes") or 0), p) for p, d in network.nodes(data=True) if d.get("kind") == "paper")
    out: dict[str, list[str]] = defaultdict(list)
    for _, p in papers:  # in that order, so that every list comes out in it
        for v, e in network.succ[p].items():
            if e["relation"] in ("author", "mentions"):
                out[v].append(p)
    return out


def _days_of(network: nx.DiGraph[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for digest, d in network.nodes(data=True):
        if d.get("kind") == "digest" and d.get("date"):
            for p in network.successors(digest):
                out[p].append(str(d["date"]))
    return {p: sorted(ds) for p, ds in out.items()}


def _search_text(tables: _Tables, n: str) -> str:
    data = tables.node[n]
    names = [str(data.get("label", "")), str(data.get("arxiv_id", "")), *tables.facts.alt_labels.get(n, ())]
    return "\n".join(x for x in names if x)


def page_data(view: View, network: nx.DiGraph[str], facts: PageFacts, max_nodes: int) -> dict[str, object]:
    """The page's data, JSON-ready: the pyvis network of the nodes drawn at first (``vis_nodes``,
    ``vis_edges``, ``options``) and the tables of every node, edge, paper and concept of the view."""
    g = view.graph
    selection = select_nodes(view, max_nodes)
    if view.centre is not None and view.centre not in selection.nodes:
        selection = Selection(tuple(sorted({*selection.nodes, view.centre})), selection.hidden)
    shown = set(selection.nodes)
    pos = layout(g.subgraph(shown))
    tables = _Tables(network, facts)
    order = [*selection.nodes, *sorted(n for n in g.nodes if n not in shown)]
    index = {n: i for i, n in enumerate(order)}
    degree = dict(g.degree())
    colour_by = "cluster" if view.name in ("coauthor", "technique") and view.clusters else "kind"  # one kind: clusters
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    rows: list[list[object]] = []
    attributes: dict[str, dict[str, Any]] = {n: d for n, d in g.nodes(data=True)}
    papers_of = tables.papers_of
    for n in order:
        data = attributes[n]
        kind = str(data.get("kind", "discoveredconcept"))
        label = str(data.get("label", n))
        size = node_size(kind, len(papers_of.get(n, ())), data.get("votes"), degree[n])
        cluster = view.cluster_of.get(n, -1)
        link = tables.paper(n) if kind == "paper" else tables.concept(n) if kind in CONCEPT_KINDS else -1
        papers = [] if kind == "paper" else [tables.paper(p) for p in papers_of.get(n, ())]
        font = font_size(view.name, kind, size)
        rows.append([n, kind, label, _search_text(tables, n), cluster, tables.node_days(n), size, link, papers, font])
        if n in shown:
            x, y = pos[n]
            _, shape, colour = STYLE.get(kind, STYLE["discoveredconcept"])
            if colour_by == "cluster":
                colour = cluster_colour(cluster) if 0 <= cluster < len(view.clusters) else NO_CLUSTER
            net.nodes.append(  # pyvis's add_node checks a list per node: quadratic at corpus size
                {
                    "id": n,
                    "label": _short(label),
                    "title": label,
                    "shape": shape,
                    "color": colour,
                    "size": size,
                    "x": x,
                    "y": y,
                    "group": kind,
                    "font": {"size": font},
                }
            )
            net.node_ids.append(n)
    edges: list[list[object]] = []
    for u, v, d in sorted(g.edges(data=True)):
        relation = str(d["relation"])
        weight = float(d.get("weight", 1.0))
        edges.append([index[u], index[v], relation, weight, edge_width(weight)])
        if u in shown and v in shown:
            net.edges.append(_vis_edge(len(edges) - 1, u, v, relation, weight))
    net.set_options(
        json.dumps(
            {
                "physics": {"enabled": False},
                "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
                "edges": {"smooth": False},
                "nodes": {"borderWidth": 1},
                "layout": {"improvedLayout": False},
            }
        )
    )
    counts: dict[str, int] = defaultdict(int)
    for data in attributes.values():
        counts[str(data.get("kind"))] += 1
    data = {
        "view": view.name,
        "caption": view.caption,
        "centre": view.centre,
        "shown": len(selection.nodes),
        "kinds": [
            {
                "kind": k,
                "label": s[0],
                "shape": s[1],
                "colour": s[2],
                "total": counts[k],
            }
            for k, s in STYLE.items()
            if counts.get(k)
        ],
        "relations": [
            {"relation": r, "label": s[0], "colour": s[1], "dashes": s[2], "arrow": s[3]}
            for r, s in EDGE_STYLE.items()
            if any(e[2] == r for e in edges)
        ],
        "clusters": [{"label": label, "colour": cluster_colour(i)} for i, label in enumerate(view.clusters)],
        "colourBy": colour_by,
        "noCluster": NO_CLUSTER,
        "days": tables.days,
        "nodes": rows,
        "edges": edges,
        "papers": tables.papers,
        "concepts": tables.concepts,
        "edges_shown": len(net.edges),
        "options": net.options,
        "vis_nodes": net.nodes,
        "vis_edges": net.edges,
    }
    return data


def edge_width(weight: float) -> float:
    """1 px for one joint paper, growing slowly (logarithmically) with more."""
    return round(1 + 0.6 * math.log2(weight), 2) if weight > 1 else 1.0


def _vis_edge(key: int, u: str, v: str, relation: str, weight: float) -> dict[str, object]:
    label, colour, dashed, arrow = EDGE_STYLE.get(relation, (relation, "#cccccc", False, False))
    return {
        "id": key,
        "from": u,
        "to": v,
        "color": colour,
        "title": f"{label} ({weight:g})" if weight > 1 else label,
        "dashes": dashed,
        "arrows": "to" if arrow else "",
        "width": edge_width(weight),
    }


def _script_json(value: object) -> str:
    """JSON safe to put inside a <script> element: no '<', '>' or '&' survive (nor the line
    separators U+2028 and U+2029), each written as its JSON escape in one pass over the text.

    >>> _script_json({"t": "</script>&"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _UNSAFE_IN_SCRIPT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_UNSAFE_IN_SCRIPT = re.compile("[<>&\u2028\u2029]")


def _vis_assets() -> tuple[str, str]:
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    js = "\n".join(line for line in js.split("\n") if not line.startswith("//# sourceMappingURL"))
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("the bundled vis-network assets cannot be inlined safely")
    return js, css


def render_page(
    view: View, network: nx.DiGraph[str], facts: PageFacts, *, title: str, max_nodes: int = DEFAULT_MAX_NODES
) -> str:
    """The whole page as one string: no external requests, no digest text as markup."""
    data = page_data(view, network, facts, max_nodes)
    js, css = _vis_assets()
    folder = resources.files("kg").joinpath("templates")
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"]))
    script = folder.joinpath("page.js").read_text(encoding="utf-8")
    if "</script" in script.lower():
        raise RuntimeError("page.js cannot be inlined safely")
    return env.get_template("graph.html").render(
        title=title,
        caption=view.caption,
        vis_js=js,
        vis_css=css,
        page_js=script,
        data=_script_json(data),
        script_hashes=[script_hash(js), script_hash(script)],
    )


def script_hash(script: str) -> str:
    """The Content-Security-Policy hash of an inline script: the page runs its two scripts and nothing
    else, so that a script or event handler that ever got into the page from data would be refused.

    >>> script_hash("")
    'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
    """
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def render_html(
    graph: TripleSource, network: nx.DiGraph[str], *, title: str = "papers-kg", max_nodes: int = DEFAULT_MAX_NODES
) -> str:
    """The whole-graph page of a built graph (what ``kg build`` writes as ``graph.html``)."""
    return render_page(whole_view(network), network, read_facts(graph), title=title, max_nodes=max_nodes)
