"""Deterministic, readable Turtle (pure; rdflib's own serializer takes ~70 s on the corpus graph).

Same graph, same bytes: subjects in natural IRI order (a paper's author nodes follow the paper),
``rdf:type`` first, then predicates and objects sorted. Data IRIs under ``base`` are written
relative to an ``@base`` line; vocabulary IRIs as prefixed names.

>>> from rdflib import Graph, Literal, URIRef, RDF
>>> from rdflib.namespace import SKOS
>>> g = Graph()
>>> c = URIRef("https://w3id.org/papers-kg/concept/lora")
>>> _ = g.add((c, SKOS.prefLabel, Literal('Low-Rank "Adaptation"')))
>>> print(serialize_turtle(g, prefixes={"skos": str(SKOS)}))
@base <https://w3id.org/papers-kg/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<BLANKLINE>
<concept/lora> skos:prefLabel "Low-Rank \\"Adaptation\\"" .
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespace import DEFAULT_BASE

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_STRING_BAD = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')
_LANG = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")
_DIGITS = re.compile(r"(\d+)")


def _escape_string(text: str) -> str:
    return _STRING_BAD.sub(lambda m: _STRING_ESCAPES.get(m.group(0)) or f"\\u{ord(m.group(0)):04X}", text)


def _escape_iri(iri: str) -> str:
    return _IRI_BAD.sub(lambda m: f"\\u{ord(m.group(0)):04X}", iri)


class _Terms:
    def __init__(self, base: str, prefixes: Mapping[str, str]) -> None:
        self.base = base
        # Longest namespace first, so that a namespace inside another one wins.
        self.prefixes = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda t: -len(t[0]))

    def iri(self, node: URIRef) -> str:
        text = str(node)
        for ns, prefix in self.prefixes:
            if text.startswith(ns) and _LOCAL.match(text[len(ns) :]):
                return f"{prefix}:{text[len(ns) :]}"
        if self.base and text.startswith(self.base) and len(text) > len(self.base):
            rest = text[len(self.base) :]
            if not rest.startswith(("/", "#", "?")) and ":" not in rest.split("/", 1)[0]:
                return f"<{_escape_iri(rest)}>"
        return f"<{_escape_iri(text)}>"

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return "a" if node == RDF.type else self.iri(node)
        if isinstance(node, BNode):
            return f"_:{re.sub(r'[^A-Za-z0-9]', '_', str(node))}"
        if isinstance(node, Literal):
            lexical = str(node)
            if node.datatype == XSD.integer and _INTEGER.match(lexical):
                return lexical
            body = f'"{_escape_string(lexical)}"'
            if node.language and _LANG.match(node.language):
                return f"{body}@{node.language}"
            if node.datatype is not None and node.datatype != XSD.string:
                return f"{body}^^{self.iri(node.datatype)}"
            return body
        raise TypeError(f"cannot write {node!r} as Turtle")


def _natural(text: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(text))


def _object_key(node: Node) -> tuple[object, ...]:
    if isinstance(node, Literal):
        lexical = str(node)
        number = int(lexical) if node.datatype == XSD.integer and _INTEGER.match(lexical) else 0
        return (1, str(node.datatype or ""), node.language or "", number, lexical)
    return (0, *_natural(str(node)))


def serialize_turtle(graph: Graph, base: str = DEFAULT_BASE, prefixes: Mapping[str, str] | None = None) -> str:
    """The graph as Turtle text; ``prefixes`` maps prefix to namespace (used ones are written)."""
    terms = _Terms(base, prefixes or {})
    by_subject: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        by_subject[s][p].append(o)
    subject_text = {s: terms.term(s) for s in by_subject}
    chunks: list[str] = []
    for s in sorted(by_subject, key=lambda s: (isinstance(s, BNode), _natural(str(s)))):
        predicates = by_subject[s]
        lines = []
        for p in sorted(predicates, key=lambda p: (p != RDF.type, terms.term(p))):
            objs = [terms.term(o) for o in sorted(predicates[p], key=_object_key)]
            lines.append(f"{terms.term(p)} " + ",\n        ".join(objs))
        chunks.append(f"{subject_text[s]} " + " ;\n    ".join(lines) + " .\n")
    body = "\n".join(chunks)
    used = [(p, ns) for ns, p in terms.prefixes if f"{p}:" in body]
    head = [f"@base <{_escape_iri(base)}> ."] if base else []
    head += [f"@prefix {p}: <{_escape_iri(ns)}> ." for p, ns in sorted(used)]
    return "\n".join(head) + "\n\n" + body
