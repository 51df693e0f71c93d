"""Records -> RDF triples (pure; the only place that decides what triples say): a paper's as
N-Quads text, the rest as Oxigraph terms.

The graph is kept in an Oxigraph store, one named graph per part so that an update can replace a
part: a paper's own triples (the paper, its author order, sections, mention evidence, the digest
days that feature it) in ``graph/paper/ID``; people, concepts, digests, collaborations and
co-occurrences in one named graph each. The named graphs are bookkeeping: the exported Turtle is
their union.

>>> from kg.model import Paper
>>> from kg.merge import MergedPaper
>>> terms = Terms()
>>> p = Paper("2407.21705", "Tora", ("Long Qin",), 11, (), None, "d.md", 2)
>>> quads = list(ox.parse(paper_nquads(terms, MergedPaper(p, ()), (), None), format=ox.RdfFormat.N_QUADS))
>>> sorted(q.predicate.value.rsplit("/", 1)[-1] for q in quads if q.subject == terms.paper("2407.21705"))[:4]
['22-rdf-syntax-ns#type', 'author', 'identifier', 'name']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
    return ox.Literal(newman_text(weight), datatype=_DECIMAL)


def newman_text(weight: float) -> str:
    """The lexical form of ``newman_literal``.

    >>> newman_text(1 / 3), str(newman_literal(0.5))
    ('0.333333', '"0.500000"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    """
    return f"{weight:.6f}"


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

    def pair(self, kind: str, first: str, second: str, prefix: str) -> str:
        """``collaboration/A/B`` from two person IRIs, ``cooccurrence/a/b`` from two concept IRIs
        (as text: a build writes some 30,000 pairs as N-Quads)."""
        a, b = sorted((first[len(prefix) :], second[len(prefix) :]))
        return f"{self.base}{kind}/{a}/{b}"


def paper_nquads(terms: Terms, merged: MergedPaper, mentions: tuple[Mention, ...], mismatch: str | None) -> str:
    """Everything one paper says, as N-Quads text in its own graph (``terms.paper_graph``): itself,
    its author order, sections, days, mentions and their evidence.

    Written as text, not as Oxigraph terms: a build makes some 500,000 of these quads in worker
    processes and sends them to the store as text, and formatting them directly costs a fraction of
    making term objects first. Every IRI here is minted (valid by construction) or checked.
    """
    p = merged.paper
    node = terms.paper(p.arxiv_id)
    subject = str(node)
    paper_iri = node.value
    out = [
        (subject, _TYPE, _ARTICLE),
        (subject, _NAME, _literal(p.title)),
        (subject, _IDENTIFIER, _literal(p.arxiv_id)),
        (subject, _URL, str(ox.NamedNode(p.url))),
    ]
    if p.votes is not None:
        out.append((subject, _VOTES, _integer(p.votes)))
    for position, name in enumerate(p.authors, start=1):
        person = str(terms.person(name))
        attribution = f"<{paper_iri}/author/{position}>"
        out += [
            (subject, _AUTHOR, person),
            (subject, _ATTRIBUTION, attribution),
            (attribution, _AGENT, person),
            (attribution, _POSITION, _integer(position)),
        ]
    out += [(subject, _HIDDEN_AFTER, _integer(after)) for after in p.hidden_after]
    # A key seen twice is numbered as the mention evidence numbers it (two "Limitations" are two
    # nodes), and made a valid IRI segment whatever the label was ("확산_모델", ".").
    for section, key in zip(p.sections, numbered_keys(s.key for s in p.sections), strict=True):
        prop = _SECTION_TEXT.get(section.key)
        if prop is not None:
            out.append((subject, prop, _text(section.text)))
            continue
        part = f"<{terms.minter.section(p.arxiv_id, iri_key(key))}>"
        out += [
            (subject, _SUMMARY_SECTION, part),
            (part, _TYPE, _SECTION_CLASS),
            (part, _LABEL, _literal(section.label)),
            (part, _VALUE, _text(section.text)),
        ]
    out += [(str(terms.digest(date)), _HAS_PART, subject) for date in merged.dates]
    out += _api_statements(terms, merged, subject)
    out += [(subject, _MENTIONS, str(terms.concept(c))) for c in sorted({m.concept for m in mentions})]
    if mismatch is not None:
        out.append((subject, _MISMATCH, _literal(mismatch)))
    mention_of = _MentionIris(terms.minter, p.arxiv_id)
    for m in mentions:
        evidence = mention_of(m.section, m.start, m.end)
        out += [
            (subject, _MENTION, evidence),
            (evidence, _MENTION_OF, str(terms.concept(m.concept))),
            (evidence, _IN_SECTION, _literal(m.section)),
            (evidence, _START, _integer(m.start)),
            (evidence, _END, _integer(m.end)),
            (evidence, _MATCHED, _literal(m.label)),
            (evidence, _RULE, _literal(m.rule)),
        ]
        if mismatch is not None and m.section not in ("title", KEYWORDS):  # keywords come from the API, not the summary
            out.append((evidence, _SUSPECT, _TRUE))
    graph = str(terms.paper_graph(p.arxiv_id))
    return "".join(f"{a} {b} {c} {graph} .\n" for a, b, c in out)


class _MentionIris:
    """The mention evidence IRIs of one paper, as N-Quads text: ``Minter.mention``, with the paper's
    part and each section's key made once (a paper has some ten mentions, in two or three sections).

    >>> iris = _MentionIris(Minter(), "2407.21770")
    >>> iris("whats-new", 3, 6) == f"<{Minter().mention('2407.21770', 'whats-new', 3, 6)}>"
    True
    """

    def __init__(self, minter: Minter, arxiv_id: str) -> None:
        self.minter, self.arxiv_id = minter, arxiv_id
        self.sections: dict[str, str] = {}

    def __call__(self, section: str, start: int, end: int) -> str:
        prefix = self.sections.get(section)
        if prefix is None:  # the IRI of the first mention in this section, less its offsets
            first = str(self.minter.mention(self.arxiv_id, iri_key(section), 0, 0))
            prefix = self.sections[section] = "<" + first[: -len("0-0")]
        return f"{prefix}{start}-{end}>"


def _api_statements(terms: Terms, merged: MergedPaper, subject: str) -> list[tuple[str, str, str]]:
    """Facts that the Hugging Face API adds: every vote observed, the English abstract, keywords, links."""
    p = merged.paper
    out = []
    for seen in merged.votes:
        file_name = seen.source.replace("\\", "/").rsplit("/", 1)[-1]
        vote = f"<{terms.minter.vote(p.arxiv_id, seen.date, file_name)}>"
        out += [
            (vote, _TYPE, _VOTE_CLASS),
            (vote, _OBSERVATION_ABOUT, subject),
            (vote, _VOTES, _integer(seen.votes)),
            (vote, _SOURCE_FILE, _literal(file_name)),
        ]
        if seen.date is not None:
            out.append((vote, _OBSERVATION_DATE, _date(seen.date.isoformat())))
    if p.abstract_en:
        out.append((subject, _ABSTRACT, _literal(p.abstract_en) + "@en"))
    out += [(subject, _AI_KEYWORD, _literal(k)) for k in p.keywords]
    if p.keywords:
        out.append((subject, _AI_KEYWORD_TEXT, _literal(p.keywords_text)))
    if p.published is not None:
        out.append((subject, _DATE_PUBLISHED, _date(p.published.isoformat())))
    for prop, url in ((_CODE_REPOSITORY, p.code_url), (_PROJECT_PAGE, p.project_url)):
        if url and not has_dot_segment(url):  # "a/../b": readers would change it, so it is kept out
            try:
                out.append((subject, prop, str(ox.NamedNode(url))))
            except ValueError:  # not an IRI: kept out rather than written broken
                continue
    return out


# N-Quads text of the terms ``paper_nquads`` writes.
_TYPE, _ARTICLE, _NAME, _IDENTIFIER, _URL, _VOTES = map(str, (TYPE, P.article, P.name, P.identifier, P.url, P.votes))
_PERSON = str(P.person_class)
_AUTHOR, _ATTRIBUTION, _AGENT, _POSITION = map(str, (P.author, P.attribution, P.agent, P.position))
_HIDDEN_AFTER, _SUMMARY_SECTION, _SECTION_CLASS = map(str, (P.hidden_after, P.summary_section, P.section_class))
_LABEL, _VALUE, _HAS_PART, _MENTIONS, _MISMATCH = map(str, (P.label, P.value, P.has_part, P.mentions, P.mismatch))
_MENTION, _MENTION_OF, _IN_SECTION, _START, _END = map(str, (P.mention, P.mention_of, P.in_section, P.start, P.end))
_MATCHED, _RULE, _SUSPECT, _VOTE_CLASS = map(str, (P.matched, P.rule, P.suspect, P.vote_class))
_OBSERVATION_ABOUT, _OBSERVATION_DATE, _SOURCE_FILE = map(str, (P.observation_about, P.observation_date, P.source_file))
_ABSTRACT, _AI_KEYWORD, _AI_KEYWORD_TEXT = map(str, (P.abstract, P.ai_keyword, P.ai_keyword_text))
_DATE_PUBLISHED, _CODE_REPOSITORY, _PROJECT_PAGE = map(str, (P.date_published, P.code_repository, P.project_page))
_SECTION_TEXT = {key: str(prop) for key, prop in _SECTION_PROPERTIES.items()}
_TRUE = str(ox.Literal("true", datatype=_BOOLEAN))
_JOINT, _NEWMAN = str(P.joint), str(P.newman)
_PAIR_TERMS = {
    "collaboration": (str(P.collaboration), str(P.collaborator)),
    "cooccurrence": (str(P.cooccurrence), str(P.cooccurring)),
}
_INTEGER_TEXT = str(_INTEGER)
_DECIMAL_TEXT = str(_DECIMAL)
_DATE_TEXT = str(_DATE)


def _literal(text: str) -> str:
    r"""A plain literal in N-Quads (only ``\``, ``"``, line feed and carriage return need escapes).

    >>> print(_literal('a "b" \\ c' + chr(10) + "d"), _literal("한국어"))
    "a \"b\" \\ c\nd" "한국어"
    """
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"'


def _text(text: str) -> str:
    """Summary text, tagged @ko when it has Hangul (one corpus summary is all English: @en)."""
    return _literal(text) + ("@ko" if HANGUL.search(text) else "@en")


def _integer(value: int) -> str:
    return f'"{value}"^^{_INTEGER_TEXT}'


def _date(iso: str) -> str:
    return f'"{iso}"^^{_DATE_TEXT}'


def people_nquads(terms: Terms, names: Iterable[str]) -> str:
    """Each person named (a ``schema:Person`` and its name), as N-Quads text in the people's graph:
    as in ``paper_nquads``, text costs a fraction of term objects (a corpus has some 20,000 people).

    >>> for line in people_nquads(Terms("http://x/"), ['Ada "A" L']).splitlines():
    ...     print(line.replace("https://schema.org/", "schema:").replace(str(RDF), "rdf:"))
    <http://x/person/Ada_%22A%22_L> <rdf:type> <schema:Person> <http://x/graph/people> .
    <http://x/person/Ada_%22A%22_L> <schema:name> "Ada \\"A\\" L" <http://x/graph/people> .
    """
    graph = f"{terms.people} .\n"
    out = []
    for name in names:
        person = str(terms.person(name))
        out.append(f"{person} {_TYPE} {_PERSON} {graph}{person} {_NAME} {_literal(name)} {graph}")
    return "".join(out)


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


def pair_nquads(kind: str, node: str, pair: Pair, graph: str) -> str:
    """A ``collaboration`` (with its Newman weight) or ``cooccurrence`` pair as N-Quads text in ``graph``
    (``node``, the members and ``graph`` are IRIs).

    >>> text = pair_nquads("cooccurrence", "http://x/c/a/b", Pair("http://x/a", "http://x/b", 2, 0.0), "http://x/g")
    >>> [line.split()[1].rsplit("#", 1)[-1] for line in text.splitlines()]
    ['type>', 'cooccurring>', 'cooccurring>', 'jointPapers>']
    """
    cls, link = _PAIR_TERMS[kind]
    g = f"<{graph}> .\n"
    text = (
        f"<{node}> {_TYPE} {cls} {g}<{node}> {link} <{pair.first}> {g}<{node}> {link} <{pair.second}> {g}"
        f"<{node}> {_JOINT} {_integer(pair.papers)} {g}"
    )
    if kind == "collaboration":
        text += f'<{node}> {_NEWMAN} "{newman_text(pair.newman)}"^^{_DECIMAL_TEXT} {g}'
    return text
