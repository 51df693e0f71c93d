"""The networkx graph: typed nodes and edges, and co-author counts that agree with SPARQL."""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph

from kg.build import build_graph
from kg.load import example_digests
from kg.namespace import KG, SCHEMA
from kg.network import coauthor_graph, to_networkx
from kg.queries import run_query


def test_nodes_are_typed_like_the_rdf(seed_graph: Graph) -> None:
    nxg = to_networkx(seed_graph)
    kinds = Counter(d["kind"] for _, d in nxg.nodes(data=True))
    assert kinds["paper"] == len(set(seed_graph.subjects(RDF.type, SCHEMA.ScholarlyArticle))) == 12
    assert kinds["person"] == len(set(seed_graph.subjects(RDF.type, SCHEMA.Person)))
    assert kinds["technique"] == len(set(seed_graph.subjects(RDF.type, KG.Technique)))
    assert kinds["digest"] == 1


def test_edges_carry_their_relation(seed_graph: Graph) -> None:
    nxg = to_networkx(seed_graph)
    relations = Counter(d["relation"] for *_, d in nxg.edges(data=True))
    assert relations["author"] == len(list(seed_graph.triples((None, SCHEMA.author, None))))
    assert relations["mentions"] == len(list(seed_graph.triples((None, SCHEMA.mentions, None))))
    assert relations["has_part"] == 12
    moma = "https://w3id.org/papers-kg/paper/2407.21770"
    moe = "https://w3id.org/papers-kg/concept/mixture-of-experts"
    mentioned = [v for v in nxg.successors(moma) if nxg.edges[moma, v]["relation"] == "mentions"]
    assert any(moe in nxg.successors(c) for c in mentioned)  # MoMa reaches MoE through a broader edge


def test_coauthor_counts_equal_sparql() -> None:
    graph = build_graph(example_digests())
    co = coauthor_graph(to_networkx(graph))
    by_name = {d["label"]: n for n, d in co.nodes(data=True)}
    author = "Shenghai Yuan"  # on Open-Sora Plan and WF-VAE in the example
    rows = {str(r.coauthor): int(r.papers) for r in run_query(graph, "coauthors", author=author)}
    node = by_name[author]
    expected = {co.nodes[v]["label"]: co.edges[node, v]["papers"] for v in co.neighbors(node)}
    assert rows == expected
    assert max(rows.values()) == 2
