"""Which nodes a page draws first, and where (pure): the selection and the precomputed layout.

>>> import networkx as nx
>>> from kg.views import View
>>> g = nx.DiGraph()
>>> g.add_nodes_from([("a", {"kind": "person"}), ("b", {"kind": "person"}), ("c", {"kind": "person"})])
>>> g.add_edge("a", "b", relation="coauthor", weight=2.0)
>>> select_nodes(View("coauthor", "", g), max_nodes=2)
Selection(nodes=('a', 'b'), hidden={'person': 1})
>>> sorted(layout(g.subgraph(["a", "b"])))
['a', 'b']
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from kg.views import CONCEPT_KINDS, View

_SHARES = {"concept": 0.25, "paper": 0.40}
LAYOUT_SEED = 7
SPRING_MAX = 500


@dataclass(frozen=True)
class Selection:
    """The nodes drawn at first and, per kind, how many wait in the page's table."""

    nodes: tuple[str, ...]
    hidden: dict[str, int]


def select_nodes(view: View, max_nodes: int) -> Selection:
    """All nodes when they fit (or ``max_nodes`` is 0), else the most connected share of each kind.

    The whole graph keeps a quarter for concepts, two fifths for the most voted papers and the rest
    for the people on most of those papers; other views rank by weighted degree (an ego view by
    distance from its centre first).
    """
    g = view.graph
    if max_nodes <= 0 or g.number_of_nodes() <= max_nodes:
        return Selection(tuple(sorted(g.nodes)), {})
    chosen = set(_whole_share(g, max_nodes) if view.name == "whole" else _ranked(view, max_nodes))
    # A node with no link among the chosen ones would only stretch the drawing: it waits in the table.
    linked = {n for edge in g.subgraph(chosen).edges for n in edge}
    chosen = {n for n in chosen if n in linked or n == view.centre}
    hidden: dict[str, int] = defaultdict(int)
    for n, d in g.nodes(data=True):
        if n not in chosen:
            hidden[str(d.get("kind"))] += 1
    return Selection(tuple(sorted(chosen)), dict(hidden))


def _whole_share(g: nx.DiGraph[str], max_nodes: int) -> list[str]:
    degree = dict(g.degree())
    kind_of = {n: str(d.get("kind")) for n, d in g.nodes(data=True)}
    concepts = sorted(
        (n for n, k in kind_of.items() if k in CONCEPT_KINDS),
        key=lambda n: (g.nodes[n]["kind"] == "discoveredconcept", -degree[n], n),
    )[: int(max_nodes * _SHARES["concept"])]
    papers = sorted(
        (n for n, k in kind_of.items() if k == "paper"),
        key=lambda n: (-(g.nodes[n].get("votes") or 0), -degree[n], n),
    )[: int(max_nodes * _SHARES["paper"])]
    counts: dict[str, int] = defaultdict(int)
    for paper in papers:
        for v in g.successors(paper):
            if g.nodes[v]["kind"] == "person":
                counts[v] += 1
    people = sorted(counts, key=lambda n: (-counts[n], -degree[n], n))[: max_nodes - len(papers) - len(concepts)]
    return [*concepts, *papers, *people]


def _ranked(view: View, max_nodes: int) -> list[str]:
    g = view.graph
    strength = dict(g.degree(weight="weight"))
    order = sorted(g.nodes, key=lambda n: (g.nodes[n].get("hops", 0), -strength[n], n))
    return order[:max_nodes]


def layout(graph: nx.Graph[str] | nx.DiGraph[str], seed: int = LAYOUT_SEED) -> dict[str, tuple[float, float]]:
    """Positions computed once, seeded: each connected part laid out alone, the largest first, the
    smaller ones in rows under it (a force layout of the whole would push them to the far edges and
    shrink the main part to a dot when the page fits everything in view)."""
    found = nx.weakly_connected_components(graph) if isinstance(graph, nx.DiGraph) else nx.connected_components(graph)
    parts = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    out: dict[str, tuple[float, float]] = {}
    width = 0.0
    x = y = row_height = 0.0
    for i, nodes in enumerate(parts):
        local = _layout_part(graph.subgraph(nodes), nodes, seed)
        xs, ys = [p[0] for p in local.values()], [p[1] for p in local.values()]
        w, h = max(xs) - min(xs) + 120, max(ys) - min(ys) + 120
        if i == 0:
            width, x0, y0 = max(w, 600.0), min(xs) - 60, min(ys) - 60
            y = h
        else:
            if x + w > width and x > 0:
                x, y, row_height = 0.0, y + row_height, 0.0
            x0, y0 = min(xs) - 60 - x, min(ys) - 60 - y
            x, row_height = x + w, max(row_height, h)
        for n, (px, py) in local.items():
            out[n] = (round(px - x0, 1), round(py - y0, 1))
    return out


def _layout_part(graph: nx.Graph[str] | nx.DiGraph[str], nodes: list[str], seed: int) -> dict[str, tuple[float, float]]:
    """One connected part, about 90 px per node along a side. Up to 500 nodes networkx's spring
    layout (even spacing, 0.3 s); beyond, igraph's Fruchterman-Reingold (1,500 nodes in 0.1 s,
    30,000 in 2 s, where networkx takes 8 s and 80 s for 1,500 and 5,000)."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) <= SPRING_MAX:
        # Nodes in the sorted order of ``nodes``: the layout's random start follows the node order,
        # which in a subgraph of a set of nodes is the set's (it changed with PYTHONHASHSEED).
        undirected: nx.Graph[str] = nx.Graph()
        undirected.add_nodes_from(nodes)
        undirected.add_edges_from(graph.edges)
        found = nx.spring_layout(undirected, k=3.0 / math.sqrt(len(nodes)), iterations=100, seed=seed)
        coords = [(float(found[n][0]), float(found[n][1])) for n in nodes]
    else:
        from kg.analysis import import_igraph  # only for a large page

        ig = import_igraph()

        index = {n: i for i, n in enumerate(nodes)}
        edges = sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in graph.edges if a != b})
        g = ig.Graph(n=len(nodes), edges=edges)
        ig.set_random_number_generator(random.Random(seed))
        try:
            coords = [(float(x), float(y)) for x, y in g.layout_fruchterman_reingold(niter=500)]
        finally:
            ig.set_random_number_generator(random)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = 90 * math.sqrt(len(nodes)) / span
    return {n: (x * scale, y * scale) for n, (x, y) in zip(nodes, coords, strict=True)}
