"""Collaboration and topic analysis on the networkx view of the graph (pure).

Everything starts from ``kg.network.to_networkx`` (or ``kg.store.load_network`` for a Turtle file)
and returns networkx graphs or frozen dataclasses. Heavy algorithms run in igraph (Leiden, PageRank)
with a fixed seed, so the same graph always gives the same clusters.

>>> import networkx as nx
>>> net = nx.DiGraph()
>>> net.add_nodes_from([("p1", {"kind": "paper"}), ("p2", {"kind": "paper"})])
>>> net.add_nodes_from([(n, {"kind": "person", "label": n}) for n in "abc"])
>>> net.add_edges_from([("p1", "a"), ("p1", "b"), ("p2", "b"), ("p2", "c")], relation="author")
>>> collaboration_path(coauthor_graph(net), "a", "c")
['a', 'b', 'c']
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import random
import sys
import types
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from kg.network import coauthor_graph
from kg.pairs import tally_pairs

if TYPE_CHECKING:
    import igraph as ig

DEFAULT_SEED = 20261124

__all__ = [
    "AuthorNotFound",
    "Cluster",
    "central_authors",
    "coauthor_graph",
    "collaboration_path",
    "communities",
    "cooccurrence_graph",
    "paper_weeks",
    "topic_clusters",
    "trends",
]


class AuthorNotFound(LookupError):
    """No author of that name in the graph."""


def find_author(graph: nx.Graph[str], name: str) -> str:
    """The node whose label (or key) is ``name``; ``AuthorNotFound`` when there is none."""
    if name in graph and graph.nodes[name].get("label", name) == name:
        return name
    for node, data in graph.nodes(data=True):
        if data.get("label") == name:
            return str(node)
    raise AuthorNotFound(f"no author named {name!r} in the graph")


def collaboration_path(coauthors: nx.Graph[str], a: str, b: str) -> list[str]:
    """Labels along a shortest chain of co-authorship from author ``a`` to author ``b`` (by label).

    Raises ``AuthorNotFound`` for an unknown name and ``nx.NetworkXNoPath`` when none connects them.
    """
    path = nx.shortest_path(coauthors, find_author(coauthors, a), find_author(coauthors, b))
    return [str(coauthors.nodes[n].get("label", n)) for n in path]


def import_igraph() -> types.ModuleType:
    """igraph, imported when an algorithm runs (most commands need none), without its matplotlib
    drawing: when matplotlib is installed, igraph imports ``matplotlib.pyplot`` (0.3 s of the 0.4 s
    import) for plots that kg never asks igraph for (``kg.plots`` draws with matplotlib itself).
    If matplotlib is in use already, igraph gets it as usual."""
    if "igraph" in sys.modules or "matplotlib" in sys.modules:
        return importlib.import_module("igraph")
    sys.modules["matplotlib"] = None  # type: ignore[assignment]  # igraph's drawing takes a stand-in
    try:
        return importlib.import_module("igraph")
    finally:
        del sys.modules["matplotlib"]


def _to_igraph(graph: nx.Graph[str], weight: str) -> tuple[ig.Graph, list[str]]:
    ig = import_igraph()

    nodes = sorted(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges])
    g.es["weight"] = [float(d.get(weight, 1.0)) for _, _, d in graph.edges(data=True)]
    return g, nodes


def communities(graph: nx.Graph[str], weight: str = "papers", seed: int = DEFAULT_SEED) -> list[set[str]]:
    """Leiden communities maximising modularity (igraph), largest first; seeded, so repeatable."""
    if graph.number_of_nodes() == 0:
        return []
    ig = import_igraph()
    g, nodes = _to_igraph(graph, weight)
    ig.set_random_number_generator(random.Random(seed))
    try:
        parts = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    finally:
        ig.set_random_number_generator(random)
    groups = [{nodes[i] for i in part} for part in parts]
    return sorted(groups, key=lambda c: (-len(c), min(c)))


def central_authors(coauthors: nx.Graph[str], top: int = 20, weight: str = "newman") -> list[tuple[str, float, int]]:
    """Authors by weighted PageRank on the co-author graph: (label, score, papers written with others)."""
    if coauthors.number_of_nodes() == 0:
        return []
    g, nodes = _to_igraph(coauthors, weight)
    scores = g.pagerank(weights="weight")
    ranked = sorted(range(len(nodes)), key=lambda i: (-scores[i], nodes[i]))[:top]
    degree = {n: int(sum(d["papers"] for _, _, d in coauthors.edges(n, data=True))) for n in (nodes[i] for i in ranked)}
    return [(str(coauthors.nodes[nodes[i]].get("label", nodes[i])), scores[i], degree[nodes[i]]) for i in ranked]


def _paper_techniques(network: nx.DiGraph[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for paper, data in network.nodes(data=True):
        if data.get("kind") == "paper":
            out[paper] = {
                c
                for c, e in network.succ[paper].items()
                if e["relation"] == "mentions" and network.nodes[c].get("kind") == "technique"
            }
    return out


def cooccurrence_graph(network: nx.DiGraph[str], min_papers: int = 1) -> nx.Graph[str]:
    """Techniques linked by the papers that mention both.

    Nodes: techniques in at least ``min_papers`` papers, with ``label`` and ``papers``. Edges:
    ``papers`` (joint papers) and ``cosine`` (joint / sqrt(papers a * papers b), which keeps a hub
    such as "Large Language Model" from pulling every topic into one cluster).
    """
    return _cooccurrence(network, _paper_techniques(network), min_papers)


def _cooccurrence(network: nx.DiGraph[str], per_paper: dict[str, set[str]], min_papers: int) -> nx.Graph[str]:
    counts: Counter[str] = Counter(c for cs in per_paper.values() for c in cs)
    keep = {c for c, n in counts.items() if n >= min_papers}
    out: nx.Graph[str] = nx.Graph()
    for c in sorted(keep):
        out.add_node(c, label=network.nodes[c].get("label", c), papers=counts[c])
    for pair in tally_pairs(per_paper[paper] & keep for paper in sorted(per_paper)):
        out.add_edge(pair.first, pair.second, papers=pair.papers)
    for a, b, d in out.edges(data=True):
        d["cosine"] = d["papers"] / math.sqrt(counts[a] * counts[b])
    return out


@dataclass(frozen=True)
class Cluster:
    """A topic: techniques that are mentioned together, with the papers and authors around them."""

    number: int
    label: str  # its three most characteristic techniques
    techniques: tuple[str, ...]  # labels, most characteristic first
    papers: tuple[str, ...]  # paper keys assigned to this cluster
    authors: tuple[str, ...]  # labels of those papers' authors, most papers first
    keys: tuple[str, ...] = ()  # every technique in the cluster (node keys), most characteristic first


def topic_clusters(
    network: nx.DiGraph[str], *, min_papers: int = 3, seed: int = DEFAULT_SEED, top: int = 10
) -> list[Cluster]:
    """Seeded Leiden clusters of the technique co-occurrence graph (cosine weights), largest first.

    A technique's place in its cluster is its share of co-occurrence inside the cluster times its
    papers (characteristic and frequent first). Each paper joins the cluster that holds most of its
    techniques (ties: the earlier cluster); its authors come with it.
    """
    per_paper = _paper_techniques(network)
    co = _cooccurrence(network, per_paper, min_papers)
    co.remove_nodes_from([n for n in list(co.nodes) if co.degree(n) == 0])
    groups = communities(co, weight="cosine", seed=seed)
    ranked: list[list[str]] = []
    for members_of in groups:

        def inside(n: str, group: set[str] = members_of) -> float:
            total = sum(d["cosine"] for _, _, d in co.edges(n, data=True))
            own = sum(d["cosine"] for _, m, d in co.edges(n, data=True) if m in group)
            return (own / total if total else 0.0) * math.log1p(co.nodes[n]["papers"])

        ranked.append(sorted(members_of, key=lambda n: (-inside(n), n)))
    where = {n: i for i, group in enumerate(ranked) for n in group}
    members: dict[int, list[str]] = defaultdict(list)
    for paper, techniques in sorted(per_paper.items()):
        votes = Counter(where[t] for t in techniques if t in where)
        if votes:
            best = min(votes, key=lambda i: (-votes[i], i))
            members[best].append(paper)
    out = []
    for i, ordered in enumerate(ranked):
        labels = tuple(str(co.nodes[n]["label"]) for n in ordered)
        authors: Counter[str] = Counter()
        for paper in members[i]:
            for person in network.successors(paper):
                if network.edges[paper, person]["relation"] == "author":
                    authors[str(network.nodes[person].get("label", person))] += 1
        out.append(
            Cluster(
                number=i + 1,
                label=" / ".join(labels[:3]),
                techniques=labels[:top],
                papers=tuple(members[i]),
                authors=tuple(a for a, _ in sorted(authors.items(), key=lambda x: (-x[1], x[0]))[:top]),
                keys=tuple(ordered),
            )
        )
    return out


def paper_weeks(network: nx.DiGraph[str]) -> dict[str, str]:
    """Each paper's ISO week (``2024-W31``): the week of the first digest that lists it."""
    out: dict[str, str] = {}
    digests = [(str(d["date"]), n) for n, d in network.nodes(data=True) if d.get("kind") == "digest" and d.get("date")]
    for date, digest in sorted(digests):
        year, week, _ = dt.date.fromisoformat(date).isocalendar()
        for paper in network.successors(digest):
            out.setdefault(paper, f"{year}-W{week:02d}")
    return out


def trends(
    network: nx.DiGraph[str], groups: dict[str, Iterable[str]] | None = None, top: int = 8
) -> tuple[list[str], dict[str, list[int]]]:
    """Papers per week for named groups of technique keys (default: the ``top`` techniques by papers).

    Returns the weeks (every week from the first to the last digest) and, per group name, the
    number of papers that week mentioning any technique of the group.
    """
    weeks_of = paper_weeks(network)
    per_paper = _paper_techniques(network)
    if groups is None:
        counts = Counter(c for cs in per_paper.values() for c in cs)
        chosen = sorted(counts, key=lambda c: (-counts[c], c))[:top]
        groups = {str(network.nodes[c].get("label", c)): [c] for c in chosen}
    weeks = all_weeks(sorted(set(weeks_of.values())))
    series: dict[str, list[int]] = {}
    for name, keys in groups.items():
        wanted = set(keys)
        by_week = Counter(weeks_of[p] for p, cs in per_paper.items() if p in weeks_of and cs & wanted)
        series[name] = [by_week.get(w, 0) for w in weeks]
    return weeks, series


def all_weeks(seen: list[str]) -> list[str]:
    """Every ISO week from the first to the last seen, so gaps show as zeros."""
    if not seen:
        return []
    first = dt.date.fromisocalendar(int(seen[0][:4]), int(seen[0][6:]), 1)
    last = dt.date.fromisocalendar(int(seen[-1][:4]), int(seen[-1][6:]), 1)
    out = []
    day = first
    while day <= last:
        y, w, _ = day.isocalendar()
        out.append(f"{y}-W{w:02d}")
        day += dt.timedelta(days=7)
    return out
