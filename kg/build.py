"""Digests -> one rdflib graph (the only module that adds triples).

Papers listed on several days, or twice in one file, are merged by arXiv id first
(``merge_papers``), then every merged paper is written with its authors, summary, votes,
digests and concept mentions (``graph_from_papers``).

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

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDFS, SKOS

from kg.mentions import Extractor
from kg.merge import MergedPaper, digest_dates, merge_papers
from kg.model import (
    PERFORMANCE_HIGHLIGHTS,
    PLAIN_SUMMARY,
    TECHNICAL_DETAILS,
    WHATS_NEW,
    Concept,
    Digest,
    Mention,
)
from kg.namespace import DEFAULT_BASE, KG, SCHEMA, Minter
from kg.normalize import HANGUL
from kg.pairs import Pair, count_pairs
from kg.sanity import summary_mismatch
from kg.vocabulary import Vocabulary, bundled_vocabulary

_SECTION_PROPERTIES = {
    WHATS_NEW: KG.whatsNew,
    TECHNICAL_DETAILS: KG.technicalDetails,
    PERFORMANCE_HIGHLIGHTS: KG.performanceHighlights,
    PLAIN_SUMMARY: SCHEMA.abstract,
}
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


def _text_literal(text: str) -> Literal:
    """Summary text tagged @ko when it has Hangul (one corpus summary is all English: @en)."""
    return Literal(text, lang="ko" if HANGUL.search(text) else "en")


class _Writer:
    def __init__(self, minter: Minter) -> None:
        self.g = Graph()
        self.iri = minter
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns, override=True, replace=True)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.g.add((s, p, o))

    def paper(self, merged: MergedPaper, mentions: tuple[Mention, ...], mismatch: str | None = None) -> None:
        p = merged.paper
        node = self.iri.paper(p.arxiv_id)
        self.add(node, RDF.type, SCHEMA.ScholarlyArticle)
        self.add(node, SCHEMA.name, Literal(p.title))
        self.add(node, SCHEMA.identifier, Literal(p.arxiv_id))
        self.add(node, SCHEMA.url, URIRef(p.url))
        if p.votes is not None:
            self.add(node, SCHEMA.upvoteCount, Literal(p.votes, datatype=XSD.integer))
        for position, name in enumerate(p.authors, start=1):
            person = self.iri.person(name)
            self.add(person, RDF.type, SCHEMA.Person)
            self.add(person, SCHEMA.name, Literal(name))
            self.add(node, SCHEMA.author, person)
            attribution = self.iri.attribution(p.arxiv_id, position)
            self.add(node, PROV.qualifiedAttribution, attribution)
            self.add(attribution, PROV.agent, person)
            self.add(attribution, SCHEMA.position, Literal(position, datatype=XSD.integer))
        for after in p.hidden_after:
            self.add(node, KG.hiddenAuthorsAfter, Literal(after, datatype=XSD.integer))
        for section in p.sections:
            prop = _SECTION_PROPERTIES.get(section.key)
            if prop is not None:
                self.add(node, prop, _text_literal(section.text))
                continue
            part = self.iri.section(p.arxiv_id, section.key)
            self.add(node, KG.summarySection, part)
            self.add(part, RDF.type, KG.SummarySection)
            self.add(part, RDFS.label, Literal(section.label))
            self.add(part, RDF.value, _text_literal(section.text))
        for date in merged.dates:
            self.add(self.iri.digest(date), SCHEMA.hasPart, node)
        for concept in sorted({m.concept for m in mentions}):
            self.add(node, SCHEMA.mentions, self.iri.concept(concept))
        if mismatch is not None:
            self.add(node, KG.summaryMismatch, Literal(mismatch))
        for m in mentions:
            evidence = self.iri.mention(p.arxiv_id, m.section, m.start, m.end)
            self.add(node, KG.mention, evidence)
            self.add(evidence, KG.mentionOf, self.iri.concept(m.concept))
            self.add(evidence, KG.inSection, Literal(m.section))
            self.add(evidence, KG.startOffset, Literal(m.start, datatype=XSD.integer))
            self.add(evidence, KG.endOffset, Literal(m.end, datatype=XSD.integer))
            self.add(evidence, KG.matchedText, Literal(m.label))
            self.add(evidence, KG.extractionRule, Literal(m.rule))
            if mismatch is not None and m.section != "title":
                self.add(evidence, KG.fromSuspectSummary, Literal(True))

    def digest(self, date: dt.date, sources: Iterable[str]) -> None:
        node = self.iri.digest(date)
        self.add(node, RDF.type, KG.Digest)
        self.add(node, SCHEMA.name, Literal(f"Daily Papers ({date.isoformat()})"))
        self.add(node, SCHEMA.datePublished, Literal(date.isoformat(), datatype=XSD.date))
        year, week, _ = date.isocalendar()
        self.add(node, KG.isoWeek, Literal(f"{year}-W{week:02d}"))
        for source in sources:
            self.add(node, KG.sourceFile, Literal(source))

    def concept(self, concept: Concept) -> None:
        node = self.iri.concept(concept.key)
        self.add(node, RDF.type, getattr(KG, concept.kind))
        if not concept.curated:
            self.add(node, RDF.type, KG.DiscoveredConcept)
        self.add(node, SKOS.inScheme, self.iri.scheme())
        self.add(node, SKOS.prefLabel, Literal(concept.pref_label))
        for label in concept.alt_labels:
            self.add(node, SKOS.altLabel, Literal(label))
        for label in concept.ko_labels:
            self.add(node, SKOS.altLabel, Literal(label, lang="ko"))
        for broader in concept.broader:
            self.add(node, SKOS.broader, self.iri.concept(broader))
        if concept.definition:
            self.add(node, SKOS.definition, Literal(concept.definition, lang="en"))

    def collaboration(self, pair: Pair) -> None:
        node = self.iri.collaboration(pair.first, pair.second)
        self._pair(node, KG.Collaboration, KG.collaborator, self.iri.person(pair.first), self.iri.person(pair.second))
        self.add(node, KG.jointPapers, Literal(pair.papers, datatype=XSD.integer))
        self.add(node, KG.newmanWeight, Literal(f"{pair.newman:.6f}", datatype=XSD.decimal))

    def cooccurrence(self, pair: Pair) -> None:
        node = self.iri.cooccurrence(pair.first, pair.second)
        self._pair(node, KG.Cooccurrence, KG.cooccurring, self.iri.concept(pair.first), self.iri.concept(pair.second))
        self.add(node, KG.jointPapers, Literal(pair.papers, datatype=XSD.integer))

    def _pair(self, node: URIRef, cls: URIRef, member: URIRef, first: URIRef, second: URIRef) -> None:
        self.add(node, RDF.type, cls)
        self.add(node, member, first)
        self.add(node, member, second)

    def scheme(self) -> None:
        self.add(self.iri.scheme(), RDF.type, SKOS.ConceptScheme)
        self.add(self.iri.scheme(), SKOS.prefLabel, Literal("papers-kg concepts", lang="en"))


def graph_from_papers(
    merged: dict[str, MergedPaper],
    digest_sources: dict[dt.date, set[str]],
    *,
    vocabulary: Vocabulary | None = None,
    base: str = DEFAULT_BASE,
) -> Graph:
    """Write merged papers, their digests and every concept they reach into a new graph."""
    vocabulary = vocabulary or bundled_vocabulary()
    extractor = Extractor(vocabulary)
    writer = _Writer(Minter(base))
    used: set[str] = set()
    discovered: dict[str, Concept] = {}
    mentioned: list[set[str]] = []
    for arxiv_id in sorted(merged):
        paper = merged[arxiv_id].paper
        extraction = extractor.extract(paper)
        in_title = {m.concept for m in extraction.mentions if m.section == "title"}
        in_summary = {m.concept for m in extraction.mentions if m.section != "title"}
        mismatch = summary_mismatch(
            paper.title, [s.text for s in paper.sections], in_title, in_summary, extractor.is_known
        )
        writer.paper(merged[arxiv_id], extraction.mentions, mismatch)
        used.update(m.concept for m in extraction.mentions)
        mentioned.append({m.concept for m in extraction.mentions})
        for concept in extraction.discovered:
            discovered[concept.key] = _merge_concepts(discovered.get(concept.key), concept)
    for date in sorted(digest_sources):
        writer.digest(date, sorted(digest_sources[date]))
    reached = set()
    for concept in discovered.values():  # a variant (ZipLoRA) brings its curated base (LoRA) along
        used.update(b for b in concept.broader if b in vocabulary.concepts)
    for key in used & vocabulary.concepts.keys():
        reached.add(key)
        reached.update(vocabulary.ancestors(key))
    for key in sorted(reached):
        writer.concept(vocabulary.concepts[key])
    for key in sorted(discovered.keys() - vocabulary.concepts.keys()):
        writer.concept(discovered[key])
    if reached or discovered:
        writer.scheme()
    for pair in count_pairs(merged[arxiv_id].paper.authors for arxiv_id in sorted(merged)):
        writer.collaboration(pair)
    kinds = {key: vocabulary.concepts[key].kind for key in reached}
    kinds.update((key, concept.kind) for key, concept in discovered.items() if key not in kinds)
    for pair in count_pairs({c for c in concepts if kinds.get(c) == "Technique"} for concepts in mentioned):
        writer.cooccurrence(pair)
    return writer.g


def _merge_concepts(old: Concept | None, new: Concept) -> Concept:
    """Discovered concepts with one key: the alphabetically first spelling as prefLabel, all abbreviations."""
    if old is None:
        return new
    labels = sorted({old.pref_label, new.pref_label})
    alts = tuple(sorted(set(old.alt_labels) | set(new.alt_labels) | set(labels[1:])))
    return replace(old, pref_label=labels[0], alt_labels=alts)


def build_graph(digests: Iterable[Digest], *, vocabulary: Vocabulary | None = None, base: str = DEFAULT_BASE) -> Graph:
    """The knowledge graph of ``digests`` (merge warnings are available from ``merge_papers``)."""
    digests = list(digests)
    merged, _ = merge_papers(digests)
    return graph_from_papers(merged, digest_dates(digests), vocabulary=vocabulary, base=base)
