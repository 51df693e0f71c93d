"""What a page shows: the whole graph, the co-author network, the technique map, or one ego network (pure).

Each view is a networkx graph of the nodes the page may show, with their topic clusters, cut from
the typed graph of ``kg.network.to_networkx``. Clusters are seeded (igraph Leiden), so the same
graph always gives the same colours.

>>> import networkx as nx
>>> net = nx.DiGraph()
>>> net.add_nodes_from([("p1", {"kind": "paper", "label": "P1"}), ("p2", {"kind": "paper", "label": "P2"})])
>>> net.add_nodes_from([(n, {"kind": "person", "label": n.upper()}) for n in "abc"])
>>> net.add_edges_from([("p1", "a"), ("p1", "b"), ("p2", "b"), ("p2", "c")], relation="author")
>>> view = coauthor_view(net)
>>> sorted(view.graph.edges(data="weight"))
[('a', 'b', 1.0), ('b', 'c', 1.0)]
>>> sorted(ego_view(net, find_node(net, "A"), radius=1).graph.nodes)
['a', 'p1']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from kg import analysis
from kg.network import CONCEPT_CLASSES

VIEWS = ("whole", "coauthor", "technique", "ego")
CONCEPT_KINDS = tuple(CONCEPT_CLASSES.values())  # node kinds of concepts in kg.network's graph


class NodeNotFound(LookupError):
    """No paper, person or concept of that name, label or id in the graph."""


@dataclass(frozen=True)
class View:
    """The nodes and edges a page may show, and their clusters.

    ``graph`` edges carry ``relation`` and ``weight``; ``clusters`` are labels (cluster ``i`` is
    ``clusters[i]``) and ``cluster_of`` maps nodes to them; ``centre`` is the ego of an ego view.
    """

    name: str
    caption: str
    graph: nx.DiGraph[str]
    clusters: tuple[str, ...] = ()
    cluster_of: Mapping[str, int] = field(default_factory=dict)
    centre: str | None = None


def whole_view(network: nx.DiGraph[str], *, seed: int = analysis.DEFAULT_SEED) -> View:
    """Papers, people and concepts with their authorship, mention and broader links; topic clusters."""
    keep = [n for n, d in network.nodes(data=True) if d.get("kind") != "digest"]
    graph = _typed_subgraph(network, keep)
    clusters, cluster_of = _topic_clusters(network, seed)
    return View("whole", "Papers, authors and the techniques they mention", graph, clusters, cluster_of)


def coauthor_view(network: nx.DiGraph[str], *, min_newman: float = 0.1, seed: int = analysis.DEFAULT_SEED) -> View:
    """People linked by the papers they wrote together; communities (seeded Leiden) as clusters.

    A link is kept when the pair's Newman weight (each joint paper with n authors adds 1/(n-1)) is at
    least ``min_newman``: with the default 0.1, one paper with at most 11 authors, or several larger
    ones. A single paper with hundreds of authors would otherwise add tens of thousands of links
    (627,337 pairs in the corpus, 60,143 kept) and bury the real collaborations. Everyone stays in
    the view, and the page lists each person's co-authors from their papers.
    """
    co = analysis.coauthor_graph(network)
    weak = [(a, b) for a, b, d in co.edges(data=True) if d["newman"] < min_newman]
    co.remove_edges_from(weak)
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(co.nodes(data=True))
    for a, b, d in co.edges(data=True):
        first, second = sorted((a, b))
        graph.add_edge(first, second, relation="coauthor", weight=float(d["papers"]), newman=float(d["newman"]))
    groups = analysis.communities(co, seed=seed) if co.number_of_edges() else []
    groups = [g for g in groups if len(g) > 1]
    labels = []
    cluster_of: dict[str, int] = {}
    for i, group in enumerate(groups):
        ranked = sorted(group, key=lambda n: (-co.degree(n, weight="papers"), n))
        names = [str(co.nodes[n].get("label", n)) for n in ranked[:2]]
        labels.append(", ".join(names) + (f" +{len(group) - 2}" if len(group) > 2 else ""))
        cluster_of.update(dict.fromkeys(group, i))
    caption = f"Co-author network: people linked by papers written together (Newman weight >= {min_newman:g})"
    return View("coauthor", caption, graph, tuple(labels), cluster_of)


def technique_view(network: nx.DiGraph[str], *, min_joint: int = 2, seed: int = analysis.DEFAULT_SEED) -> View:
    """Techniques linked by skos:broader and by the papers that mention both (weight: joint papers).

    A co-occurrence link needs ``min_joint`` joint papers (default 2, the threshold of ``kg:Cooccurrence`` in the
    graph): a pair that met in one summary says little, and there are ten times as many of them.
    """
    co = analysis.cooccurrence_graph(network)
    graph: nx.DiGraph[str] = nx.DiGraph()
    for n in co.nodes:
        graph.add_node(n, **network.nodes[n])
    for u, v, d in network.edges(data=True):
        if d["relation"] == "broader" and u in graph and network.nodes[v].get("kind") == "technique":
            graph.add_node(v, **network.nodes[v])
            graph.add_edge(u, v, relation="broader", weight=1.0)
    for a, b, d in co.edges(data=True):
        first, second = sorted((a, b))
        if d["papers"] >= min_joint and not graph.has_edge(first, second) and not graph.has_edge(second, first):
            graph.add_edge(first, second, relation="cooccurs", weight=float(d["papers"]))
    clusters, cluster_of = _topic_clusters(network, seed)
    caption = f"Technique map: techniques linked by broader concepts and by {min_joint}+ papers mentioning both"
    return View("technique", caption, graph, clusters, {n: c for n, c in cluster_of.items() if n in graph})


def ego_view(network: nx.DiGraph[str], centre: str, *, radius: int = 2, seed: int = analysis.DEFAULT_SEED) -> View:
    """Everything within ``radius`` links of ``centre`` (a paper, person or concept key), digests aside."""
    keep = [n for n, d in network.nodes(data=True) if d.get("kind") != "digest"]
    undirected = network.subgraph(keep).to_undirected(as_view=True)
    near = nx.single_source_shortest_path_length(undirected, centre, cutoff=radius)
    graph = _typed_subgraph(network, near)
    for n, hops in near.items():
        graph.nodes[n]["hops"] = hops
    clusters, cluster_of = _topic_clusters(network, seed)
    label = network.nodes[centre].get("label", centre)
    caption = f"Ego network of {label}: everything within {radius} link{'s' if radius != 1 else ''}"
    return View("ego", caption, graph, clusters, {n: c for n, c in cluster_of.items() if n in graph}, centre)


def make_view(
    network: nx.DiGraph[str],
    name: str,
    *,
    centre: str | None = None,
    aliases: Mapping[str, Iterable[str]] | None = None,
    radius: int = 2,
) -> View:
    """The view called ``name`` (one of ``VIEWS``); an ego view needs ``centre``, any name of a node."""
    if name == "ego":
        if not centre:
            raise NodeNotFound("the ego view needs --centre NAME (a person, technique or paper)")
        return ego_view(network, find_node(network, centre, aliases), radius=radius)
    builders = {"whole": whole_view, "coauthor": coauthor_view, "technique": technique_view}
    if name not in builders:
        raise ValueError(f"unknown view {name!r}; expected one of {', '.join(VIEWS)}")
    return builders[name](network)


def find_node(network: nx.DiGraph[str], name: str, aliases: Mapping[str, Iterable[str]] | None = None) -> str:
    """The node a user means by ``name``: its key, arXiv id, label, or a concept's other label.

    Exact matches first, then case-insensitive ones; people and techniques before other kinds.
    """
    if name in network and network.nodes[name].get("kind") != "digest":
        return name
    wanted = name.strip().casefold()
    order = {"person": 0, "technique": 1, "paper": 2}
    found: list[tuple[int, int, str]] = []
    for n, d in network.nodes(data=True):
        if d.get("kind") == "digest":
            continue
        names = [str(d.get("label", "")), str(d.get("arxiv_id", "")), *(aliases or {}).get(n, ())]
        if name in names:
            found.append((0, order.get(str(d.get("kind")), 3), n))
        elif wanted in (x.casefold() for x in names):
            found.append((1, order.get(str(d.get("kind")), 3), n))
    if not found:
        raise NodeNotFound(f"no paper, person or concept named {name!r} in the graph")
    return min(found)[2]


def _typed_subgraph(network: nx.DiGraph[str], keep: Iterable[str]) -> nx.DiGraph[str]:
    """A copy of the part of ``network`` on ``keep`` (nodes and edges in its order), every edge with a
    weight. Made directly: copying a subgraph view filters every adjacency through the view (on the
    corpus, 0.4 s of the page)."""
    kept = set(keep)
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.graph.update(network.graph)
    graph.add_nodes_from((n, dict(d)) for n, d in network.nodes(data=True) if n in kept)
    graph.add_edges_from(
        (u, v, {**d, "weight": d.get("weight", 1.0)})
        for u, successors in network.adj.items()
        if u in kept
        for v, d in successors.items()
        if v in kept
    )
    return graph


def _topic_clusters(network: nx.DiGraph[str], seed: int) -> tuple[tuple[str, ...], dict[str, int]]:
    """Topic clusters of techniques; papers join theirs, people and other concepts their papers' most common.

    Techniques in fewer than 3 papers are left out of the clustering (as ``kg clusters`` does), except in
    a small graph (under 200 papers), where that would leave almost nothing to cluster.
    """
    found = analysis.topic_clusters(network, min_papers=1 if _papers(network) < 200 else 3, seed=seed)
    cluster_of: dict[str, int] = {}
    for i, cluster in enumerate(found):
        cluster_of.update(dict.fromkeys(cluster.keys, i))
        cluster_of.update(dict.fromkeys(cluster.papers, i))
    kinds = {n: d.get("kind") for n, d in network.nodes(data=True)}
    for n, kind in kinds.items():
        if n in cluster_of or kind in ("paper", "digest"):
            continue
        theirs = [cluster_of[p] for p in network.pred[n] if p in cluster_of and kinds[p] == "paper"]
        if theirs:
            votes = Counter(theirs)
            cluster_of[n] = min(votes, key=lambda i: (-votes[i], i))
    return tuple(c.label for c in found), cluster_of


def _papers(network: nx.DiGraph[str]) -> int:
    return sum(1 for _, d in network.nodes(data=True) if d.get("kind") == "paper")
