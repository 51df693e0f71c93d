"""An exported graph loaded into Oxigraph, for fast queries and analysis (I/O at the edge).

rdflib needs about 30 s to parse the corpus graph; Oxigraph loads it in about 1 s. ``load_store``
reads a Turtle file; ``OxigraphTriples`` lets code written for an rdflib ``Graph``
(``kg.network.to_networkx``) read the store, with terms converted to rdflib terms.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_text('<http://x/a> <http://x/p> "v" .\\n', encoding="utf-8")
>>> triples = OxigraphTriples(load_store(path))
>>> str(triples.value(URIRef("http://x/a"), URIRef("http://x/p")))
'v'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.network import to_networkx


class GraphFileError(FileNotFoundError):
    """The graph file to query is missing or unreadable."""


def check_graph_file(path: Path) -> Path:
    """``path`` when it is a file; else ``GraphFileError`` telling the user to build first."""
    if not path.is_file():
        raise GraphFileError(f"{path}: no such graph file; run 'kg build' first or give --graph")
    return path


def load_store(path: Path) -> ox.Store:
    """An in-memory Oxigraph store holding the Turtle file ``path``."""
    check_graph_file(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, ValueError, OSError) as err:
        raise GraphFileError(f"{path}: not a readable Turtle graph: {err}") from err
    return store


def open_build_store(path: Path) -> ox.Store:
    """The store that ``kg build --update`` keeps, read-only; ``GraphFileError`` if there is none.
    After an update killed while putting its new store in place, this is the old store."""
    from kg.atomic import readable_store

    path = readable_store(path)
    if not (path / "CURRENT").is_file():
        raise GraphFileError(f"{path}: no store here; make one with 'kg build --update ... --out DIR' (DIR/store)")
    try:
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise GraphFileError(f"{path}: cannot open the store: {err}") from err


def rdflib_graph(quads: Iterable[ox.Quad]) -> Graph:
    """The triples of ``quads`` (graph names ignored) as an rdflib ``Graph``; each distinct term is
    converted once (the corpus graph has 682,001 triples but 195,155 distinct terms)."""
    graph = Graph()
    terms: dict[object, Node] = {}

    def term(t: object) -> Node:
        found = terms.get(t)
        if found is None:
            found = terms[t] = from_ox(t)
        return found

    for quad in quads:
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


def load_network(path: Path) -> nx.DiGraph[str]:
    """``kg.network.to_networkx`` of the graph in the Turtle file ``path``."""
    return to_networkx(OxigraphTriples(load_store(path)))


class OxigraphTriples:
    """The three triple lookups ``to_networkx`` needs, answered by an Oxigraph store."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def subjects(self, predicate: Node, object: Node) -> Iterator[Node]:
        for quad in self.store.quads_for_pattern(None, _named(predicate), to_ox(object)):
            yield from_ox(quad.subject)

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for quad in self.store.quads_for_pattern(None, _named(predicate), None):
            yield from_ox(quad.subject), from_ox(quad.object)

    def subject_object_values(self, predicate: Node) -> Iterator[tuple[str, str]]:
        """``subject_objects`` as plain text (IRIs and lexical forms), without making rdflib terms."""
        for quad in self.store.quads_for_pattern(None, _named(predicate), None):
            yield quad.subject.value, quad.object.value  # type: ignore[union-attr]

    def value(self, subject: Node, predicate: Node) -> Node | None:
        for quad in self.store.quads_for_pattern(_subject(subject), _named(predicate), None):
            return from_ox(quad.object)
        return None


def _named(term: Node) -> ox.NamedNode:
    if not isinstance(term, URIRef):
        raise TypeError(f"not an IRI: {term!r}")
    return ox.NamedNode(str(term))


def _subject(term: Node) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(str(term)) if isinstance(term, BNode) else _named(term)


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as an Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def from_ox(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")
