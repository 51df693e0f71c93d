"""What the page's side panel tells about a node, read from the RDF graph (pure over a triple source).

The networkx view holds the structure; the panel also needs each paper's summary sections and the
evidence behind each mention (section, character span, matched text, rule), and each concept's
other labels. ``read_facts`` gathers them predicate by predicate, so it is as fast on the corpus
from an rdflib ``Graph`` as from Oxigraph (``kg.store.OxigraphTriples``).

>>> from kg.build import build_graph
>>> from kg.parse import parse_digest
>>> d = parse_digest('''## Daily Papers (2024-08-01)
... ### [MoMa](https://arxiv.org/abs/2407.21770)
... Authors: Xi Victoria Lin
... - **What's New**: MoMa는 Mixture of Experts(MoE)를 확장합니다.
... ''', "d.md")
>>> facts = read_facts(build_graph([d]))
>>> paper = "https://w3id.org/papers-kg/paper/2407.21770"
>>> [(e.section, e.text, e.rule) for e in facts.evidence[paper]][-1]
('whats-new', 'Mixture of Experts(MoE)', 'definition')
>>> [(s.key, s.text[:4]) for s in facts.sections[paper]]
[('whats-new', 'MoMa')]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from kg.model import PERFORMANCE_HIGHLIGHTS, PLAIN_SUMMARY, TECHNICAL_DETAILS, WHATS_NEW
from kg.namespace import KG, SCHEMA
from kg.network import TripleSource, text_pairs

# The summary sections stored as properties of the paper: key, property, heading shown.
STANDARD_SECTIONS = (
    (WHATS_NEW, KG.whatsNew, "What's New"),
    (TECHNICAL_DETAILS, KG.technicalDetails, "Technical Details"),
    (PERFORMANCE_HIGHLIGHTS, KG.performanceHighlights, "Performance Highlights"),
    (PLAIN_SUMMARY, SCHEMA.abstract, "Summary"),
)


@dataclass(frozen=True)
class Section:
    """One summary section of a paper: the key mentions refer to, its heading and its text."""

    key: str
    heading: str
    text: str


@dataclass(frozen=True, order=True)
class Evidence:
    """Why a paper mentions a concept: the text matched at ``start:end`` (code points) of a section."""

    section: str
    start: int
    end: int
    concept: str
    text: str
    rule: str
    suspect: bool = False


@dataclass(frozen=True)
class PageFacts:
    """Per paper: sections, mention evidence, URL, mismatch note; per concept: other labels."""

    sections: dict[str, tuple[Section, ...]] = field(default_factory=dict)
    evidence: dict[str, tuple[Evidence, ...]] = field(default_factory=dict)
    alt_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    mismatch: dict[str, str] = field(default_factory=dict)


def _pairs(source: TripleSource, predicate: URIRef) -> list[tuple[str, str]]:
    return sorted(text_pairs(source, predicate))


def _lookup(source: TripleSource, predicate: URIRef) -> dict[str, str]:
    """Subject -> object, for a property with one value per subject (no order needed)."""
    return dict(text_pairs(source, predicate))


def read_facts(source: TripleSource) -> PageFacts:
    """Everything the side panel shows that the networkx view does not hold."""
    sections: dict[str, list[Section]] = defaultdict(list)
    for key, prop, heading in STANDARD_SECTIONS:
        for paper, text in _pairs(source, prop):
            seen = sum(s.key.startswith(key) for s in sections[paper])
            sections[paper].append(Section(key if not seen else f"{key}-{seen + 1}", heading, str(text)))
    labels = _lookup(source, RDFS.label)
    values = _lookup(source, RDF.value)
    for paper, part in _pairs(source, KG.summarySection):
        key = str(part).rsplit("/section/", 1)[-1]
        sections[paper].append(Section(key, str(labels.get(str(part), key)), str(values.get(str(part), ""))))
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    owner = {m: paper for paper, m in _pairs(source, KG.mention)}
    section_of, start_of, end_of, concept_of, text_of, rule_of = (
        _lookup(source, p)
        for p in (KG.inSection, KG.startOffset, KG.endOffset, KG.mentionOf, KG.matchedText, KG.extractionRule)
    )
    suspect = {m for m, v in _lookup(source, KG.fromSuspectSummary).items() if v in ("true", "1")}
    for m, paper in owner.items():
        try:
            found = Evidence(
                section_of[m], int(start_of[m]), int(end_of[m]), concept_of[m], text_of[m], rule_of[m], m in suspect
            )
        except (KeyError, ValueError):  # an incomplete mention node (a hand-edited graph): no evidence to show
            continue
        evidence[paper].append(found)
    alt: dict[str, list[str]] = defaultdict(list)
    for concept, label in _pairs(source, SKOS.altLabel):
        alt[concept].append(str(label))
    return PageFacts(
        sections={p: tuple(s) for p, s in sections.items()},
        evidence={p: tuple(sorted(e)) for p, e in evidence.items()},
        alt_labels={c: tuple(sorted(set(a))) for c, a in alt.items()},
        urls={p: str(u) for p, u in _lookup(source, SCHEMA.url).items()},
        mismatch={p: str(v) for p, v in _lookup(source, KG.summaryMismatch).items()},
    )
