"""Our Turtle writer: parsed back by rdflib (isomorphic) and by Raptor's rapper, for any literal."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from kg.export import turtle_text, write_turtle
from kg.turtle import TurtleTerms, format_block, serialize_turtle
from tests.conftest import need_tool

S = URIRef("https://w3id.org/papers-kg/paper/2407.21705")


def rapper_graph(path: Path) -> Graph:
    """What Raptor's rapper reads from a Turtle file, as N-Triples parsed back into rdflib."""
    rapper = need_tool("rapper")
    done = subprocess.run([rapper, "-q", "-i", "turtle", "-o", "ntriples", str(path)], capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return Graph().parse(data=done.stdout.decode("utf-8"), format="nt")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from([None, "ko", "en"]))
def test_any_literal_round_trips(text: str, lang: str | None) -> None:
    g = Graph()
    g.add((S, SKOS.note, Literal(text, lang=lang)))
    back = Graph().parse(data=serialize_turtle(g), format="turtle")
    assert isomorphic(g, back)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_integers_round_trip(n: int) -> None:
    g = Graph()
    g.add((S, SKOS.note, Literal(n, datatype=XSD.integer)))
    assert isomorphic(g, Graph().parse(data=serialize_turtle(g), format="turtle"))


def test_hostile_strings_parse_in_rapper_too(tmp_path: Path) -> None:
    g = Graph()
    for i, text in enumerate(
        [
            '"quoted"',
            "back\\slash",
            "new\nline",
            "]]>",
            "<script>alert(1)</script>",
            "tab\tand\x01control",
            "𝒵𝒮2𝒵 한국어",
            '"""',
            "\u2028",
        ]
    ):
        g.add((URIRef(f"{S}/x{i}"), SKOS.note, Literal(text)))
    path = write_turtle(g, tmp_path / "g.ttl")
    assert isomorphic(Graph().parse(path, format="turtle"), g)
    assert isomorphic(rapper_graph(path), g)


def test_seed_round_trips_in_rdflib_and_rapper(seed_graph: Graph, tmp_path: Path) -> None:
    path = write_turtle(seed_graph, tmp_path / "seed.ttl")
    assert isomorphic(Graph().parse(path, format="turtle"), seed_graph)
    assert isomorphic(rapper_graph(path), seed_graph)


def test_output_is_readable(seed_graph: Graph) -> None:
    text = turtle_text(seed_graph)
    head = text.split("\n\n", 1)[0]
    for prefix in ("schema:", "skos:", "prov:", "xsd:", "kg:"):
        assert f"@prefix {prefix}" in head
    assert "<paper/2407.21705> a schema:ScholarlyArticle ;" in text  # grouped subject, relative IRI


def test_a_block_sorts_its_objects_and_writes_a_term_read_twice_once() -> None:
    """A digest's block is read from two graphs (its own and the papers'), so the same triple may
    come twice; objects are in natural order (10 after 9), literals after IRIs, integers by value."""
    terms = TurtleTerms("https://w3id.org/papers-kg/", {"schema": "https://schema.org/"})
    day = ox.NamedNode("https://w3id.org/papers-kg/digest/2024-08-01")
    part = ox.NamedNode("https://schema.org/hasPart")
    papers = [ox.NamedNode(f"https://w3id.org/papers-kg/paper/2408.{n}") for n in (10, 9, 10)]
    numbers = [ox.Literal(str(n), datatype=ox.NamedNode(str(XSD.integer))) for n in (12, 3, 3)]
    block = format_block(terms, day, [(part, p) for p in papers] + [(part, n) for n in numbers])
    assert block == (
        "<digest/2024-08-01> schema:hasPart <paper/2408.9>,\n        <paper/2408.10>,\n        3,\n        12 .\n"
    )
