"""The closed kg: namespace matches ontology/kg.ttl both ways; minted IRIs are safe and injective."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.namespace import KG, Minter, check_base
from kg.normalize import clean_text, person_key, segment_key

NS = str(KG._NS)


def ontology() -> Graph:
    return Graph().parse(data=resources.files("kg").joinpath("ontology/kg.ttl").read_text("utf-8"), format="turtle")


def test_namespace_and_ontology_agree_both_ways() -> None:
    g = ontology()
    defined = {str(s)[len(NS) :] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}
    assert defined == set(KG.__annotations__)


def test_every_term_has_a_label_and_a_comment() -> None:
    g = ontology()
    for name in KG.__annotations__:
        term = KG[name]
        assert g.value(term, RDFS.label) is not None, name
        assert g.value(term, RDFS.comment) is not None, name
        assert set(g.objects(term, RDF.type)) & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, name


def test_misspelt_term_fails_at_once() -> None:
    with pytest.raises(AttributeError):
        _ = KG.Tecnique


@given(st.text(min_size=1), st.text(min_size=1))
def test_person_keys_are_injective(a: str, b: str) -> None:
    a, b = clean_text(a), clean_text(b)
    if a and b and a != b:
        assert person_key(a) != person_key(b)


# Names near the edge of the unquoted fast path: dots, spaces, "_", "%", "~" and a non-ASCII letter.
@given(st.text(alphabet="aZ0 .-_~%é/", max_size=6))
def test_person_keys_are_the_quoted_names(name: str) -> None:
    assert person_key(name) == segment_key(name).replace("_", "%5F").replace("%20", "_")


@given(st.text(min_size=1))
def test_person_iris_need_no_escaping(name: str) -> None:
    iri = str(Minter().person(clean_text(name) or "x"))
    assert not set(iri) & set(' <>"{}|^`\\')


@pytest.mark.parametrize(
    "base",
    [
        "example.org/",  # not absolute
        "http://example.org/kg",  # data IRIs would run into the last segment
        "http://exa mple.org/",  # a space
        "http://example.org/a\x01/",  # a control character, which Oxigraph refuses mid-build
        "http://example.org/%zz/",  # '%' that is not an escape
        "http://example.org/a#b#",  # two fragments
        "http://example.org/kg/../",  # a dot segment: readers would resolve it away
        "http://example.org/./kg/",  # the same, with '.'
    ],
)
def test_bad_base_is_refused(base: str) -> None:
    with pytest.raises(ValueError, match="base IRI"):
        check_base(base)
