"""The shipped SKOS vocabulary loads, is well-formed SKOS, and types things sensibly."""

from __future__ import annotations

from importlib import resources

import pytest
from rdflib import RDF, Graph
from rdflib.namespace import SKOS

from kg.vocabulary import bundled_vocabulary, parse_vocabulary


def test_vocabulary_is_skos_with_one_preflabel_per_language() -> None:
    text = resources.files("kg").joinpath("ontology/techniques.ttl").read_text("utf-8")
    g = Graph().parse(data=text, format="turtle")
    concepts = set(g.subjects(SKOS.inScheme, None))
    assert len(concepts) >= 100
    for c in concepts:
        langs = [lbl.language for lbl in g.objects(c, SKOS.prefLabel)]
        assert len(langs) == len(set(langs)) == 1, c
        # S14: a label is not both preferred and alternative
        assert not set(g.objects(c, SKOS.prefLabel)) & set(g.objects(c, SKOS.altLabel)), c


def test_broader_has_no_cycles() -> None:
    vocab = bundled_vocabulary()
    for key in vocab.concepts:
        assert key not in vocab.ancestors(key)


def test_no_two_concepts_share_a_label() -> None:
    seen: dict[str, str] = {}
    for c in bundled_vocabulary().concepts.values():
        for label in (c.pref_label, *c.alt_labels, *c.ko_labels):
            assert seen.setdefault(label.lower(), c.key) == c.key, label


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("diffusion-transformer", "Technique"),
        ("lora", "Technique"),
        ("gpt-4o", "Model"),
        ("imagenet", "Dataset"),
        ("fid", "Metric"),
        ("text-to-video-generation", "Task"),
    ],
)
def test_kinds(key: str, kind: str) -> None:
    assert bundled_vocabulary().concepts[key].kind == kind


def test_broader_to_an_unknown_concept_is_an_error() -> None:
    text = """@prefix c: <https://w3id.org/papers-kg/concept/> . @prefix kg: <https://w3id.org/papers-kg/ontology#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    c:a a kg:Technique ; skos:prefLabel "A" ; skos:broader c:missing ."""
    with pytest.raises(ValueError, match="unknown concept missing"):
        parse_vocabulary(text)


def test_ambiguous_labels_are_never_plain_labels() -> None:
    concepts = bundled_vocabulary().concepts.values()
    plain = {label for c in concepts for label in (c.pref_label, *c.alt_labels, *c.ko_labels)}
    ambiguous = {label for c in concepts for label in c.ambiguous}
    assert ambiguous and not ambiguous & plain


def test_each_concept_has_exactly_one_kind() -> None:
    text = resources.files("kg").joinpath("ontology/techniques.ttl").read_text("utf-8")
    g = Graph().parse(data=text, format="turtle")
    for c in set(g.subjects(SKOS.inScheme, None)):
        kinds = [t for t in g.objects(c, RDF.type) if str(t).startswith("https://w3id.org/papers-kg/ontology#")]
        assert len(kinds) == 1, (c, kinds)
