"""Records -> RDF triples as Oxigraph terms (pure; the only place that decides what triples say).

The graph is kept in an Oxigraph store, one named graph per part so that an update can replace a
part: a paper's own triples (the paper, its author order, sections, mention evidence, the digest
days that feature it) in ``graph/paper/ID``; people, concepts, digests, collaborations and
co-occurrences in one named graph each. The named graphs are bookkeeping: the exported Turtle is
their union.

>>> from kg.model import Paper
>>> from kg.merge import MergedPaper
>>> terms = Terms()
>>> p = Paper("2407.21705", "Tora", ("Long Qin",), 11, (), None, "d.md", 2)
>>> quads = paper_quads(terms, MergedPaper(p, ()), (), None, terms.paper_graph("2407.21705"))
>>> sorted(q.predicate.value.rsplit("/", 1)[-1] for q in quads if q.subject == terms.paper("2407.21705"))[:4]
['22-rdf-syntax-ns#type', 'author', 'identifier', 'name']
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, XSD
from rdflib.namespace import PROV, RDFS, SKOS

from kg.merge import MergedPaper
from kg.model import KEYWORDS, PERFORMANCE_HIGHLIGHTS, PLAIN_SUMMARY, TECHNICAL_DETAILS, WHATS_NEW, Concept, Mention
from kg.namespace import DEFAULT_BASE, KG, SCHEMA, Minter
from kg.normalize import HANGUL
from kg.pairs import Pair
from kg.terms import has_dot_segment, iri_key, numbered_keys


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


TYPE = _n(RDF.type)
_INTEGER = _n(XSD.integer)
_DECIMAL = _n(XSD.decimal)
_DATE = _n(XSD.date)
_BOOLEAN = _n(XSD.boolean)
_SECTION_PROPERTIES = {
    WHATS_NEW: _n(KG.whatsNew),
    TECHNICAL_DETAILS: _n(KG.technicalDetails),
    PERFORMANCE_HIGHLIGHTS: _n(KG.performanceHighlights),
    PLAIN_SUMMARY: _n(SCHEMA.abstract),
}


class P:
    """Predicates and classes as Oxigraph terms."""

    article = _n(SCHEMA.ScholarlyArticle)
    person_class = _n(SCHEMA.Person)
    name = _n(SCHEMA.name)
    identifier = _n(SCHEMA.identifier)
    url = _n(SCHEMA.url)
    votes = _n(SCHEMA.upvoteCount)
    author = _n(SCHEMA.author)
    position = _n(SCHEMA.position)
    has_part = _n(SCHEMA.hasPart)
    mentions = _n(SCHEMA.mentions)
    date_published = _n(SCHEMA.datePublished)
    attribution = _n(PROV.qualifiedAttribution)
    agent = _n(PROV.agent)
    hidden_after = _n(KG.hiddenAuthorsAfter)
    summary_section = _n(KG.summarySection)
    section_class = _n(KG.SummarySection)
    label = _n(RDFS.label)
    value = _n(RDF.value)
    mismatch = _n(KG.summaryMismatch)
    mention = _n(KG.mention)
    mention_of = _n(KG.mentionOf)
    in_section = _n(KG.inSection)
    start = _n(KG.startOffset)
    end = _n(KG.endOffset)
    matched = _n(KG.matchedText)
    rule = _n(KG.extractionRule)
    suspect = _n(KG.fromSuspectSummary)
    digest_class = _n(KG.Digest)
    iso_week = _n(KG.isoWeek)
    source_file = _n(KG.sourceFile)
    discovered = _n(KG.DiscoveredConcept)
    technique = _n(KG.Technique)
    in_scheme = _n(SKOS.inScheme)
    pref_label = _n(SKOS.prefLabel)
    alt_label = _n(SKOS.altLabel)
    broader = _n(SKOS.broader)
    definition = _n(SKOS.definition)
    scheme_class = _n(SKOS.ConceptScheme)
    vote_class = _n(KG.VoteObservation)
    observation_about = _n(SCHEMA.observationAbout)
    observation_date = _n(SCHEMA.observationDate)
    abstract = _n(SCHEMA.abstract)
    ai_keyword = _n(KG.aiKeyword)
    ai_keyword_text = _n(KG.aiKeywordText)
    code_repository = _n(SCHEMA.codeRepository)
    project_page = _n(KG.projectPage)
    collaboration = _n(KG.Collaboration)
    collaborator = _n(KG.collaborator)
    cooccurrence = _n(KG.Cooccurrence)
    cooccurring = _n(KG.cooccurring)
    joint = _n(KG.jointPapers)
    newman = _n(KG.newmanWeight)
    rank = _n(KG.rank)
    paper_count = _n(KG.paperCount)
    first_seen = _n(KG.firstSeen)
    last_seen = _n(KG.lastSeen)


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_INTEGER)


def date_literal(day: dt.date | str) -> ox.Literal:
    """An ``xsd:date`` (from a date or its ISO text)."""
    return ox.Literal(day if isinstance(day, str) else day.isoformat(), datatype=_DATE)


def newman_literal(weight: float) -> ox.Literal:
    """Newman's weight as written: an ``xsd:decimal`` rounded to 6 decimals."""
    return ox.Literal(f"{weight:.6f}", datatype=_DECIMAL)


def text_literal(text: str) -> ox.Literal:
    """Summary text tagged @ko when it has Hangul (one corpus summary is all English: @en)."""
    return ox.Literal(text, language="ko" if HANGUL.search(text) else "en")


class Terms:
    """Data IRIs (minted by ``kg.namespace.Minter``) and the store's named graphs, as Oxigraph terms."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base
        self.minter = Minter(base)
        self.people = _n(f"{base}graph/people")
        self.concepts = _n(f"{base}graph/concepts")
        self.digests = _n(f"{base}graph/digests")
        self.collaborations = _n(f"{base}graph/collaborations")
        self.cooccurrences = _n(f"{base}graph/cooccurrences")
        self.state = _n(f"{base}graph/state")
        self.paper_graph_prefix = f"{base}graph/paper/"
        self.person = lru_cache(maxsize=200_000)(self._person)
        self.concept = lru_cache(maxsize=50_000)(self._concept)

    def paper(self, arxiv_id: str) -> ox.NamedNode:
        return _n(self.minter.paper(arxiv_id))

    def paper_graph(self, arxiv_id: str) -> ox.NamedNode:
        return _n(self.paper_graph_prefix + str(self.minter.paper(arxiv_id))[len(self.base) + len("paper/") :])

    def _person(self, name: str) -> ox.NamedNode:
        return _n(self.minter.person(name))

    def _concept(self, key: str) -> ox.NamedNode:
        return _n(self.minter.concept(key))

    def digest(self, date: dt.date) -> ox.NamedNode:
        return _n(self.minter.digest(date))

    def scheme(self) -> ox.NamedNode:
        return _n(self.minter.scheme())

    def pair(self, kind: str, first: ox.NamedNode, second: ox.NamedNode, prefix: str) -> ox.NamedNode:
        """``collaboration/A/B`` from two person IRIs, ``cooccurrence/a/b`` from two concept IRIs."""
        a, b = sorted((first.value[len(prefix) :], second.value[len(prefix) :]))
        return _n(f"{self.base}{kind}/{a}/{b}")


def paper_quads(
    terms: Terms, merged: MergedPaper, mentions: tuple[Mention, ...], mismatch: str | None, graph: ox.NamedNode
) -> list[ox.Quad]:
    """Everything one paper says, in ``graph``: itself, its author order, sections, days, mentions and
    their evidence."""
    p = merged.paper
    node = terms.paper(p.arxiv_id)
    out = [
        ox.Quad(node, TYPE, P.article, graph),
        ox.Quad(node, P.name, ox.Literal(p.title), graph),
        ox.Quad(node, P.identifier, ox.Literal(p.arxiv_id), graph),
        ox.Quad(node, P.url, _n(p.url), graph),
    ]
    if p.votes is not None:
        out.append(ox.Quad(node, P.votes, integer(p.votes), graph))
    paper_iri = node.value
    for position, name in enumerate(p.authors, start=1):
        person = terms.person(name)
        attribution = _n(f"{paper_iri}/author/{position}")
        out += [
            ox.Quad(node, P.author, person, graph),
            ox.Quad(node, P.attribution, attribution, graph),
            ox.Quad(attribution, P.agent, person, graph),
            ox.Quad(attribution, P.position, integer(position), graph),
        ]
    out += [ox.Quad(node, P.hidden_after, integer(after), graph) for after in p.hidden_after]
    # A key seen twice is numbered as the mention evidence numbers it (two "Limitations" are two
    # nodes), and made a valid IRI segment whatever the label was ("확산_모델", ".").
    for section, key in zip(p.sections, numbered_keys(s.key for s in p.sections), strict=True):
        prop = _SECTION_PROPERTIES.get(section.key)
        if prop is not None:
            out.append(ox.Quad(node, prop, text_literal(section.text), graph))
            continue
        part = _n(terms.minter.section(p.arxiv_id, iri_key(key)))
        out += [
            ox.Quad(node, P.summary_section, part, graph),
            ox.Quad(part, TYPE, P.section_class, graph),
            ox.Quad(part, P.label, ox.Literal(section.label), graph),
            ox.Quad(part, P.value, text_literal(section.text), graph),
        ]
    out += [ox.Quad(terms.digest(date), P.has_part, node, graph) for date in merged.dates]
    out += _api_quads(terms, merged, node, graph)
    out += [ox.Quad(node, P.mentions, terms.concept(c), graph) for c in sorted({m.concept for m in mentions})]
    if mismatch is not None:
        out.append(ox.Quad(node, P.mismatch, ox.Literal(mismatch), graph))
    true = ox.Literal("true", datatype=_BOOLEAN)
    for m in mentions:
        evidence = _n(terms.minter.mention(p.arxiv_id, iri_key(m.section), m.start, m.end))
        out += [
            ox.Quad(node, P.mention, evidence, graph),
            ox.Quad(evidence, P.mention_of, terms.concept(m.concept), graph),
            ox.Quad(evidence, P.in_section, ox.Literal(m.section), graph),
            ox.Quad(evidence, P.start, integer(m.start), graph),
            ox.Quad(evidence, P.end, integer(m.end), graph),
            ox.Quad(evidence, P.matched, ox.Literal(m.label), graph),
            ox.Quad(evidence, P.rule, ox.Literal(m.rule), graph),
        ]
        if mismatch is not None and m.section not in ("title", KEYWORDS):  # keywords come from the API, not the summary
            out.append(ox.Quad(evidence, P.suspect, true, graph))
    return out


def _api_quads(terms: Terms, merged: MergedPaper, node: ox.NamedNode, graph: ox.NamedNode) -> list[ox.Quad]:
    """Facts that the Hugging Face API adds: every vote observed, the English abstract, keywords, links."""
    p = merged.paper
    out = []
    for seen in merged.votes:
        file_name = seen.source.replace("\\", "/").rsplit("/", 1)[-1]
        vote = _n(terms.minter.vote(p.arxiv_id, seen.date, file_name))
        out += [
            ox.Quad(vote, TYPE, P.vote_class, graph),
            ox.Quad(vote, P.observation_about, node, graph),
            ox.Quad(vote, P.votes, integer(seen.votes), graph),
            ox.Quad(vote, P.source_file, ox.Literal(file_name), graph),
        ]
        if seen.date is not None:
            out.append(ox.Quad(vote, P.observation_date, ox.Literal(seen.date.isoformat(), datatype=_DATE), graph))
    if p.abstract_en:
        out.append(ox.Quad(node, P.abstract, ox.Literal(p.abstract_en, language="en"), graph))
    out += [ox.Quad(node, P.ai_keyword, ox.Literal(k), graph) for k in p.keywords]
    if p.keywords:
        out.append(ox.Quad(node, P.ai_keyword_text, ox.Literal(p.keywords_text), graph))
    if p.published is not None:
        out.append(ox.Quad(node, P.date_published, ox.Literal(p.published.isoformat(), datatype=_DATE), graph))
    for prop, url in ((P.code_repository, p.code_url), (P.project_page, p.project_url)):
        if url and not has_dot_segment(url):  # "a/../b": readers would change it, so it is kept out
            try:
                out.append(ox.Quad(node, prop, ox.NamedNode(url), graph))
            except ValueError:  # not an IRI: kept out rather than written broken
                continue
    return out


def person_triples(terms: Terms, name: str) -> list[ox.Triple]:
    person = terms.person(name)
    return [ox.Triple(person, TYPE, P.person_class), ox.Triple(person, P.name, ox.Literal(name))]


def digest_triples(terms: Terms, date: dt.date, sources: list[str]) -> list[ox.Triple]:
    node = terms.digest(date)
    year, week, _ = date.isocalendar()
    return [
        ox.Triple(node, TYPE, P.digest_class),
        ox.Triple(node, P.name, ox.Literal(f"Daily Papers ({date.isoformat()})")),
        ox.Triple(node, P.date_published, ox.Literal(date.isoformat(), datatype=_DATE)),
        ox.Triple(node, P.iso_week, ox.Literal(f"{year}-W{week:02d}")),
        *(ox.Triple(node, P.source_file, ox.Literal(source)) for source in sources),
    ]


def concept_triples(terms: Terms, concept: Concept) -> list[ox.Triple]:
    node = terms.concept(concept.key)
    out = [ox.Triple(node, TYPE, _n(getattr(KG, concept.kind)))]
    if not concept.curated:
        out.append(ox.Triple(node, TYPE, P.discovered))
    out += [
        ox.Triple(node, P.in_scheme, terms.scheme()),
        ox.Triple(node, P.pref_label, ox.Literal(concept.pref_label)),
        *(ox.Triple(node, P.alt_label, ox.Literal(label)) for label in concept.alt_labels),
        *(ox.Triple(node, P.alt_label, ox.Literal(label, language="ko")) for label in concept.ko_labels),
        *(ox.Triple(node, P.broader, terms.concept(b)) for b in concept.broader),
    ]
    if concept.definition:
        out.append(ox.Triple(node, P.definition, ox.Literal(concept.definition, language="en")))
    return out


def scheme_triples(terms: Terms) -> list[ox.Triple]:
    return [
        ox.Triple(terms.scheme(), TYPE, P.scheme_class),
        ox.Triple(terms.scheme(), P.pref_label, ox.Literal("papers-kg concepts", language="en")),
    ]


def collaboration_triples(node: ox.NamedNode, first: ox.NamedNode, second: ox.NamedNode, pair: Pair) -> list[ox.Triple]:
    newman = ox.Triple(node, P.newman, newman_literal(pair.newman))
    return [*_pair_triples(node, P.collaboration, P.collaborator, first, second, pair), newman]


def cooccurrence_triples(node: ox.NamedNode, first: ox.NamedNode, second: ox.NamedNode, pair: Pair) -> list[ox.Triple]:
    return _pair_triples(node, P.cooccurrence, P.cooccurring, first, second, pair)


def _pair_triples(
    node: ox.NamedNode, cls: ox.NamedNode, link: ox.NamedNode, first: ox.NamedNode, second: ox.NamedNode, pair: Pair
) -> list[ox.Triple]:
    return [
        ox.Triple(node, TYPE, cls),
        ox.Triple(node, link, first),
        ox.Triple(node, link, second),
        ox.Triple(node, P.joint, integer(pair.papers)),
    ]
