"""The RDF graph as a networkx graph of typed nodes (pure; works on any graph with our contract).

Nodes are keyed by IRI and carry ``kind`` (``paper``, ``person``, ``digest``, or the concept
class in lower case: ``technique``, ``model``, ``dataset``, ``metric``, ``task``,
``discoveredconcept``) and ``label``. Edges carry ``relation``: ``author`` (paper -> person, with
``position``), ``mentions`` (paper -> concept), ``broader`` (concept -> concept) and ``has_part``
(digest -> paper).

>>> from kg.build import build_graph
>>> from kg.parse import parse_digest
>>> d = parse_digest('''## Daily Papers (2024-08-01)
... ### [MoMa](https://arxiv.org/abs/2407.21770)
... Authors: Xi Victoria Lin, Mike Lewis
... - **What's New**: MoMa는 Mixture of Experts(MoE)를 확장합니다.
... ''', "d.md")
>>> nxg = to_networkx(build_graph([d]))
>>> sorted(nxg.nodes[n]["kind"] for n in nxg.successors("https://w3id.org/papers-kg/paper/2407.21770"))
['person', 'person', 'technique', 'technique']
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import networkx as nx
from rdflib import RDF, URIRef
from rdflib.namespace import PROV, SKOS
from rdflib.term import Node

from kg.namespace import KG, SCHEMA
from kg.pairs import tally_pairs

CONCEPT_CLASSES = {
    KG.Technique: "technique",
    KG.Model: "model",
    KG.Dataset: "dataset",
    KG.Metric: "metric",
    KG.Task: "task",
    KG.DiscoveredConcept: "discoveredconcept",
}
NODE_CLASSES = {SCHEMA.ScholarlyArticle: "paper", SCHEMA.Person: "person", KG.Digest: "digest", **CONCEPT_CLASSES}
_EDGES = {SCHEMA.author: "author", SCHEMA.mentions: "mentions", SKOS.broader: "broader", SCHEMA.hasPart: "has_part"}


class TripleSource(Protocol):
    """What ``to_networkx`` reads: an rdflib ``Graph``, or ``kg.store.OxigraphTriples``."""

    def subjects(self, predicate: Node, object: Node) -> Iterator[Node]: ...

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]: ...

    def value(self, subject: Node, predicate: Node) -> Node | None: ...


def to_networkx(graph: TripleSource) -> nx.DiGraph[str]:
    """Papers, people, digests and concepts as typed nodes with the edges between them."""
    out: nx.DiGraph[str] = nx.DiGraph()
    # Each property is read once for every node (one value per node in our contract: the first is kept).
    names, labels = _first_values(graph, SCHEMA.name), _first_values(graph, SKOS.prefLabel)
    for cls, kind in NODE_CLASSES.items():
        for node in sorted(str(s) for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)):
            if node in out:  # a discovered technique is typed both ways: keep the specific kind
                out.nodes[node]["curated"] = False
                continue
            label = (labels if kind in CONCEPT_CLASSES.values() else names).get(node)
            out.add_node(node, kind=kind, label=label if label is not None else node.rsplit("/", 1)[-1])
    ids, votes = _first_values(graph, SCHEMA.identifier), _first_values(graph, SCHEMA.upvoteCount)
    dates = _first_values(graph, SCHEMA.datePublished)
    for n, data in out.nodes(data=True):
        if data["kind"] == "paper":
            data["arxiv_id"] = ids.get(n, "")
            data["votes"] = int(votes[n]) if n in votes else None
        elif data["kind"] == "digest":
            data["date"] = dates.get(n, "")
    agents, at = _first_values(graph, PROV.agent), _first_values(graph, SCHEMA.position)
    positions: dict[tuple[str, str], int] = {}
    for paper, attribution in text_pairs(graph, PROV.qualifiedAttribution):
        if attribution in at and attribution in agents:
            positions[(paper, agents[attribution])] = int(at[attribution])
    for predicate, relation in _EDGES.items():
        for s, o in sorted(text_pairs(graph, predicate)):
            if s in out and o in out:
                attrs: dict[str, object] = {"relation": relation}
                if relation == "author":
                    attrs["position"] = positions.get((s, o), 0)
                out.add_edge(s, o, **attrs)
    return out


def text_pairs(graph: TripleSource, predicate: URIRef) -> Iterator[tuple[str, str]]:
    """(subject, object) of ``predicate`` as text (IRIs and lexical forms); an Oxigraph source
    (``kg.store.OxigraphTriples``) gives them without making rdflib terms."""
    fast = getattr(graph, "subject_object_values", None)
    if fast is not None:
        yield from fast(predicate)
        return
    for s, o in graph.subject_objects(predicate):
        yield str(s), str(o)


def _first_values(graph: TripleSource, predicate: URIRef) -> dict[str, str]:
    values: dict[str, str] = {}
    for s, o in text_pairs(graph, predicate):
        values.setdefault(s, o)
    return values


def coauthor_graph(network: nx.DiGraph[str]) -> nx.Graph[str]:
    """People linked by the papers they share: edge attributes ``papers`` (a plain count) and
    ``newman`` (Newman's collaboration weight: each paper with n authors adds 1/(n-1) to each pair).

    >>> g = nx.DiGraph()
    >>> g.add_nodes_from([("p", {"kind": "paper"}), ("a", {"kind": "person"}), ("b", {"kind": "person"})])
    >>> g.add_edges_from([("p", "a", {"relation": "author"}), ("p", "b", {"relation": "author"})])
    >>> list(coauthor_graph(g).edges(data=True))
    [('a', 'b', {'papers': 1, 'newman': 1.0})]
    """
    out: nx.Graph[str] = nx.Graph()
    for n, data in network.nodes(data=True):
        if data.get("kind") == "person":
            out.add_node(n, **data)
    authors = (
        [v for v in network.successors(paper) if network.edges[paper, v]["relation"] == "author"]
        for paper, data in network.nodes(data=True)
        if data.get("kind") == "paper"
    )
    for pair in tally_pairs(authors):
        out.add_edge(pair.first, pair.second, papers=pair.papers, newman=pair.newman)
    return out
