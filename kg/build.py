"""Digests -> one rdflib graph, for Python callers (``kg build`` keeps its graph in Oxigraph).

The graph is made by ``kg.update.add_sources`` into an in-memory Oxigraph store (papers listed
on several days are merged by arXiv id, see ``kg.merge``; what each paper says is in
``kg.emit``) and handed over as an rdflib ``Graph``.

>>> from kg.parse import parse_digest
>>> d = parse_digest('''## Daily Papers (2024-08-01)
... ### [Tora](https://arxiv.org/abs/2407.21705)
... Vote: 11
... Authors: Long Qin, Weizhi Wang
... - **What's New**: Diffusion Transformer(DiT)를 확장합니다.
... ''', source="d.md")
>>> g = build_graph([d])
>>> from kg.namespace import SCHEMA
>>> sorted(str(o) for o in g.objects(None, SCHEMA.identifier))
['2407.21705']
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF, XSD, Graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDFS, SKOS

from kg.emit import Terms
from kg.model import Digest
from kg.namespace import DEFAULT_BASE, KG, SCHEMA
from kg.records import to_json
from kg.store import rdflib_graph
from kg.update import Source, add_sources
from kg.vocabulary import Vocabulary

PREFIXES = {
    "rdf": RDF,
    "schema": SCHEMA,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "xsd": XSD,
    "rdfs": RDFS,
    "owl": OWL,
    "kg": KG._NS,
}


def memory_sources(digests: Iterable[Digest]) -> list[Source]:
    """Parsed digests as store inputs; each one is its own source, even when two share a name."""
    return [
        Source(f"{i}:{d.source}", d, hashlib.sha256(to_json(d).encode()).hexdigest()) for i, d in enumerate(digests)
    ]


def store_graph(store: ox.Store, base: str = DEFAULT_BASE) -> Graph:
    """The graph built in ``store`` (its bookkeeping left out) as an rdflib ``Graph``."""
    state = Terms(base).state
    graph = rdflib_graph(q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != state)
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def build_graph(digests: Iterable[Digest], *, vocabulary: Vocabulary | None = None, base: str = DEFAULT_BASE) -> Graph:
    """The knowledge graph of ``digests`` (merge warnings are available from ``merge_papers``)."""
    store = ox.Store()
    add_sources(store, memory_sources(digests), vocabulary=vocabulary, base=base, workers=1)
    return store_graph(store, base)
