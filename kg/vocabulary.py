"""The SKOS vocabulary (``ontology/techniques.ttl``) as ``Concept`` records.

>>> vocab = bundled_vocabulary()
>>> vocab.concepts["diffusion-transformer"].alt_labels
('DiT',)
>>> sorted(vocab.ancestors("mixture-of-modality-aware-experts"))
['mixture-of-experts']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.model import Concept
from kg.namespace import DEFAULT_BASE, KG

CONCEPT_BASE = f"{DEFAULT_BASE}concept/"
CONCEPT_KINDS = ("Technique", "Model", "Dataset", "Metric", "Task", "DiscoveredConcept")


@dataclass(frozen=True)
class Vocabulary:
    """Concepts by key; ``broader`` links stay inside the vocabulary."""

    concepts: Mapping[str, Concept]

    def ancestors(self, key: str) -> set[str]:
        """Every concept reachable from ``key`` by ``skos:broader`` (not ``key`` itself)."""
        seen: set[str] = set()
        todo = list(self.concepts[key].broader) if key in self.concepts else []
        while todo:
            k = todo.pop()
            if k not in seen and k in self.concepts:
                seen.add(k)
                todo.extend(self.concepts[k].broader)
        seen.discard(key)
        return seen


def parse_vocabulary(text: str, source: str = "techniques.ttl") -> Vocabulary:
    """Read a SKOS vocabulary in Turtle whose concepts live under ``…/papers-kg/concept/``."""
    graph = Graph().parse(data=text, format="turtle", publicID=CONCEPT_BASE)
    kinds = {getattr(KG, k): k for k in CONCEPT_KINDS}
    concepts: dict[str, Concept] = {}
    for cls, kind in kinds.items():
        for node in graph.subjects(RDF.type, cls):
            key = _key(node, source)
            alts = sorted(graph.objects(node, SKOS.altLabel), key=str)
            pref = graph.value(node, SKOS.prefLabel)
            if not isinstance(pref, Literal):
                raise ValueError(f"{source}: concept {key} has no skos:prefLabel")
            concepts[key] = Concept(
                key=key,
                kind=kind,
                pref_label=str(pref),
                alt_labels=tuple(str(a) for a in alts if isinstance(a, Literal) and a.language != "ko"),
                ko_labels=tuple(str(a) for a in alts if isinstance(a, Literal) and a.language == "ko"),
                broader=tuple(sorted(_key(b, source) for b in graph.objects(node, SKOS.broader))),
                definition=str(graph.value(node, SKOS.definition) or ""),
                ambiguous=tuple(sorted(str(a) for a in graph.objects(node, KG.ambiguousLabel))),
            )
    for concept in concepts.values():
        for b in concept.broader:
            if b not in concepts:
                raise ValueError(f"{source}: {concept.key} is skos:broader than unknown concept {b}")
    return Vocabulary(concepts)


def _key(node: object, source: str) -> str:
    if not isinstance(node, URIRef) or not str(node).startswith(CONCEPT_BASE):
        raise ValueError(f"{source}: concept IRIs must start with {CONCEPT_BASE}, got {node}")
    return str(node)[len(CONCEPT_BASE) :]


@cache
def bundled_vocabulary() -> Vocabulary:
    """The vocabulary shipped in the package (read once per process)."""
    text = resources.files("kg").joinpath("ontology/techniques.ttl").read_text(encoding="utf-8")
    return parse_vocabulary(text)
