"""Digests into a graph kept in an Oxigraph store: a full build and a daily update are one path.

``add_sources`` adds parsed digest files to a store (empty for a full build, on disk for
``kg build --update``). Only what the new files touch is recomputed: the papers they list (merged
with earlier listings of the same arXiv ids, which the store keeps), the people, concepts and
digest days of those papers, and the collaboration and co-occurrence pairs among their authors and
techniques. So an update costs time in proportion to the new input, and its result is the graph a
full build of all the inputs gives (``tests/test_update.py`` proves it).

A file already in the store with the same content is skipped, so adding it again changes nothing;
a file whose content changed replaces its earlier version.

>>> import pyoxigraph as ox
>>> from kg.parse import parse_digest
>>> d = parse_digest('''## Daily Papers (2024-08-01)
... ### [Tora](https://arxiv.org/abs/2407.21705)
... Authors: Long Qin, Weizhi Wang
... - **What's New**: Diffusion Transformer(DiT)를 확장합니다.
... ''', source="d.md")
>>> store = ox.Store()
>>> first = add_sources(store, [Source("d.md", d, "h1")])
>>> again = add_sources(store, [Source("d.md", d, "h1")])
>>> first.papers, again.papers, again.skipped
(('2407.21705',), (), ('d.md',))
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kg import emit
from kg.emit import TYPE, P, Terms
from kg.mentions import Extractor
from kg.merge import MergedPaper, merge_papers
from kg.model import KEYWORDS, Concept, Digest, Extraction, Paper, Problem
from kg.namespace import DEFAULT_BASE
from kg.pairs import NEWMAN_SCALE, Pair, count_id_pairs, count_pairs
from kg.records import from_json, to_json
from kg.sanity import summary_mismatch
from kg.vocabulary import Vocabulary, bundled_vocabulary

FORMAT = "papers-kg store 1"
_ST = "urn:papers-kg:state:"


def _st(name: str) -> ox.NamedNode:
    return ox.NamedNode(_ST + name)


_META = _st("store")
_FORMAT = _st("format")
_BASE = _st("base")
_VOCABULARY = _st("extraction")
_HASH = _st("sha256")
_NAME = _st("fileName")
_LISTS = _st("lists")
_DATE = _st("date")
_LISTING = _st("listing")
_DISCOVERED = _st("discovered")
_DISCOVERED_IN = _st("discoveredIn")
_BASE_OF = _st("baseOf")
_DISCOVERIES = _st("discoveries")
PARALLEL_FROM = 400  # papers: below this, extracting in one process is faster than starting workers


class StoreMismatch(ValueError):
    """The store was made by another version, base IRI or vocabulary: a full rebuild is needed."""


@dataclass(frozen=True)
class Source:
    """One input file, parsed: ``key`` names it in the store, ``sha256`` is its content's hash."""

    key: str
    digest: Digest
    sha256: str

    @property
    def name(self) -> str:
        """The file name (``kg:sourceFile`` of its digest days)."""
        return self.digest.source.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Added:
    """What ``add_sources`` changed: papers (re)written, files skipped as unchanged, merge problems."""

    papers: tuple[str, ...]
    sources: tuple[str, ...]
    skipped: tuple[str, ...]
    problems: tuple[Problem, ...]


# The modules whose code decides what a paper's triples are: a store made by other code is rebuilt.
_EXTRACTION_CODE = (
    "parse.py",
    "hfjson.py",
    "merge.py",
    "mentions.py",
    "terms.py",
    "korean.py",
    "longforms.py",
    "titles.py",
    "sanity.py",
    "normalize.py",
    "emit.py",
    "update.py",
    "ontology/techniques.ttl",
)


def extraction_fingerprint(vocabulary: Vocabulary | None) -> str:
    """Identifies what decides the graph of a paper: this code and the vocabulary."""
    digest = hashlib.sha256()
    for name in _EXTRACTION_CODE:
        entry = resources.files("kg").joinpath(name)
        if entry.is_file():
            digest.update(entry.read_bytes())
    if vocabulary is not None:
        digest.update("\n".join(to_json(c) for _, c in sorted(vocabulary.concepts.items())).encode())
    return digest.hexdigest()[:16]


class _Store:
    """Lookups in the store that the update needs (every quad pattern in one place)."""

    def __init__(self, store: ox.Store, terms: Terms) -> None:
        self.store = store
        self.terms = terms
        self.pending: list[ox.Quad] = []
        self.bulk = False

    def objects(self, s: ox.NamedNode, p: ox.NamedNode, graph: ox.NamedNode | None = None) -> list[Any]:
        return [q.object for q in self.store.quads_for_pattern(s, p, None, graph)]

    def subjects(self, p: ox.NamedNode, o: Any, graph: ox.NamedNode | None = None) -> list[Any]:
        return [q.subject for q in self.store.quads_for_pattern(None, p, o, graph)]

    def has(self, s: ox.NamedNode | None, p: ox.NamedNode, o: Any | None) -> bool:
        return next(iter(self.store.quads_for_pattern(s, p, o, None)), None) is not None

    def remove_subject(self, s: ox.NamedNode, graph: ox.NamedNode) -> None:
        for quad in list(self.store.quads_for_pattern(s, None, None, graph)):
            self.store.remove(quad)

    def put(self, triples: Iterable[ox.Triple], graph: ox.NamedNode) -> None:
        """Queue triples for ``flush``: on disk, every write is a transaction, so they go in together."""
        self.pending += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]

    def flush(self) -> None:
        self.write(self.pending)
        self.pending = []

    def write(self, quads: list[ox.Quad]) -> None:
        """Add quads: without a transaction into a store that had no papers (a failed first build is
        simply built again), in one transaction otherwise."""
        if self.bulk:
            self.store.bulk_extend(quads)
        else:
            self.store.extend(quads)


def check_store(store: ox.Store, base: str, fingerprint: str) -> None:
    """Stamp an empty store; raise ``StoreMismatch`` if a used one was made differently."""
    found = {
        q.predicate.value: str(getattr(q.object, "value", "")) for q in store.quads_for_pattern(_META, None, None, None)
    }
    wanted = {_FORMAT.value: FORMAT, _BASE.value: base, _VOCABULARY.value: fingerprint}
    if not found:
        if next(iter(store.quads_for_pattern(None, None, None, None)), None) is not None:
            raise StoreMismatch("the store holds data but no papers-kg stamp: not a papers-kg store")
        graph = ox.NamedNode(f"{base}graph/state")
        store.extend(ox.Quad(_META, ox.NamedNode(p), ox.Literal(v), graph) for p, v in wanted.items())
        return
    for predicate, value in wanted.items():
        if found.get(predicate) != value:
            what = predicate.rsplit(":", 1)[-1]
            raise StoreMismatch(
                f"the store was built with another {what} ({found.get(predicate)!r}, now {value!r}); "
                "rebuild it from all inputs (kg build --update --rebuild)"
            )


@dataclass
class _Before:
    """What the affected papers said before the update (to know what else it changes)."""

    authors: set[ox.NamedNode]
    concepts: set[ox.NamedNode]
    dates: set[ox.NamedNode]
    discovered: set[str]
    bases: set[ox.NamedNode]  # curated concepts that the papers' discovered variants are built on


def add_sources(
    store: ox.Store,
    sources: Sequence[Source],
    *,
    vocabulary: Vocabulary | None = None,
    base: str = DEFAULT_BASE,
    workers: int = 0,
    pairs: bool = True,
    bulk: bool = False,
) -> Added:
    """Add parsed input files to ``store`` (see the module docstring). ``workers=0``: one per core.

    ``pairs=False`` leaves the collaboration and co-occurrence pairs to a later ``recount_pairs``
    (a large build adds its files in batches, then counts the pairs once). ``bulk``: write without
    transactions, for a build into a new store (a store that had no papers also gets this)."""
    check_store(store, base, extraction_fingerprint(vocabulary))
    vocab = vocabulary or bundled_vocabulary()
    terms = Terms(base)
    db = _Store(store, terms)
    new, skipped = _new_sources(db, sources)
    fresh = not db.has(None, TYPE, P.article)  # a full build: nothing stored to read back or recount
    db.bulk = fresh or bulk
    affected: set[str] = set()
    for source in new:
        affected |= _drop_source(db, source)
        affected |= {p.arxiv_id for p in source.digest.papers}
    before = _Before(set(), set(), set(), set(), set())
    listings: dict[str, list[Paper]] = defaultdict(list)
    for arxiv_id in sorted(affected) if not fresh else ():
        node = terms.paper(arxiv_id)
        before.authors.update(db.objects(node, P.author))
        before.concepts.update(db.objects(node, P.mentions))
        before.dates.update(db.subjects(P.has_part, node))
        before.discovered.update(from_json(Concept, lit.value).key for lit in db.objects(node, _DISCOVERED))
        before.bases.update(db.subjects(_BASE_OF, node, terms.state))
        listings[arxiv_id] = [from_json(Paper, lit.value) for lit in db.objects(node, _LISTING)]
    for source in new:
        _record_source(db, source)
        for paper in source.digest.papers:
            listings[paper.arxiv_id].append(paper)
    merged, problems = merge_papers([Digest("", None, tuple(p for ps in listings.values() for p in ps))])
    extractor = Extractor(vocab)
    ids = sorted(merged)
    found = dict(zip(ids, extract_papers([merged[i].paper for i in ids], extractor, workers), strict=True))
    after_authors: set[ox.NamedNode] = set()
    after_discovered: set[str] = set()
    pending: list[ox.Quad] = []
    for arxiv_id in sorted(affected):
        pending += _write_paper(db, arxiv_id, merged.get(arxiv_id), found.get(arxiv_id))
        if len(pending) >= 200_000:  # one write per many papers: on disk, each write costs
            db.write(pending)
            pending = []
    db.write(pending)
    for arxiv_id, m in merged.items():
        after_authors.update(terms.person(a) for a in m.paper.authors)
        after_discovered.update(c.key for c in found[arxiv_id][0].discovered)
    _update_people(db, before.authors, merged)
    known = {terms.paper(i): e.discovered for i, (e, _) in found.items()}
    changed_kinds = _update_discovered(db, vocab, before.discovered | after_discovered, known, before.discovered)
    concepts = before.concepts | {terms.concept(m.concept) for e, _ in found.values() for m in e.mentions}
    bases = before.bases | {terms.concept(b) for e, _ in found.values() for c in e.discovered for b in c.broader}
    _update_curated(db, vocab, concepts | bases)
    dates = before.dates | {terms.digest(d) for m in merged.values() for d in m.dates}
    dates |= {terms.digest(p.date) for s in new for p in s.digest.papers if p.date is not None}
    _update_digests(db, dates)
    if pairs and fresh:  # every paper is in memory: count the pairs from there
        author_groups = [[terms.person(a).value for a in merged[i].paper.authors] for i in ids]
        _update_collaborations(db, before.authors | after_authors, author_groups)
        concept_groups = [[terms.concept(m.concept).value for m in found[i][0].mentions] for i in ids]
        _update_cooccurrences(db, concepts | changed_kinds, concept_groups)
    elif pairs:
        _update_collaborations(db, before.authors | after_authors)
        _update_cooccurrences(db, concepts | changed_kinds)
    return Added(tuple(sorted(affected)), tuple(s.key for s in new), tuple(skipped), tuple(problems))


def _new_sources(db: _Store, sources: Sequence[Source]) -> tuple[list[Source], list[str]]:
    """Sources not yet in the store with this content (the same file moved elsewhere counts as in)."""
    new: list[Source] = []
    skipped: list[str] = []
    for source in sources:
        same = [
            s
            for s in db.subjects(_HASH, ox.Literal(source.sha256), db.terms.state)
            if source.name in {o.value for o in db.objects(s, _NAME)}
        ]
        if same:
            skipped.append(source.key)
        else:
            new.append(source)
    return new, skipped


def source_node(key: str) -> ox.NamedNode:
    return _st("source:" + quote(key, safe=""))


def _drop_source(db: _Store, source: Source) -> set[str]:
    """Forget an earlier version of ``source`` (its listings and record); the arXiv ids it listed."""
    node = source_node(source.key)
    affected: set[str] = set()
    for paper in db.objects(node, _LISTS, db.terms.state):
        for listing in db.objects(paper, _LISTING, db.terms.state):
            if from_json(Paper, listing.value).source == source.digest.source:
                db.store.remove(ox.Quad(paper, _LISTING, listing, db.terms.state))
        affected.add(_id_of(paper))
    db.remove_subject(node, db.terms.state)
    return affected


def _record_source(db: _Store, source: Source) -> None:
    """Remember ``source``: its content hash, file name, digest days and listings (for later merges)."""
    node = source_node(source.key)
    quads = [
        ox.Quad(node, _HASH, ox.Literal(source.sha256), db.terms.state),
        ox.Quad(node, _NAME, ox.Literal(source.name), db.terms.state),
    ]
    for paper in source.digest.papers:
        paper_node = db.terms.paper(paper.arxiv_id)
        quads.append(ox.Quad(node, _LISTS, paper_node, db.terms.state))
        quads.append(ox.Quad(paper_node, _LISTING, ox.Literal(to_json(paper)), db.terms.state))
        if paper.date is not None:
            quads.append(ox.Quad(node, _DATE, ox.Literal(paper.date.isoformat()), db.terms.state))
    db.store.extend(quads)


def extract_papers(
    papers: Sequence[Paper], extractor: Extractor, workers: int = 0
) -> list[tuple[Extraction, str | None]]:
    """Each paper's mentions and summary-mismatch verdict, in worker processes for many papers."""
    workers = workers or (multiprocessing.cpu_count() or 1)
    if workers == 1 or len(papers) < PARALLEL_FROM:
        return [_extract_one(extractor, p) for p in papers]
    global _WORKER_EXTRACTOR
    _WORKER_EXTRACTOR = extractor  # inherited by the forked workers, not pickled
    chunk = max(1, len(papers) // (workers * 8))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_extract_in_worker, papers, chunksize=chunk))


_WORKER_EXTRACTOR: Extractor | None = None


def _extract_in_worker(paper: Paper) -> tuple[Extraction, str | None]:
    assert _WORKER_EXTRACTOR is not None
    return _extract_one(_WORKER_EXTRACTOR, paper)


def _extract_one(extractor: Extractor, paper: Paper) -> tuple[Extraction, str | None]:
    extraction = extractor.extract(paper)
    in_title = {m.concept for m in extraction.mentions if m.section == "title"}
    in_summary = {m.concept for m in extraction.mentions if m.section not in ("title", KEYWORDS)}
    texts = [s.text for s in paper.sections]
    return extraction, summary_mismatch(paper.title, texts, in_title, in_summary, extractor.is_known)


def _write_paper(
    db: _Store, arxiv_id: str, merged: MergedPaper | None, found: tuple[Extraction, str | None] | None
) -> list[ox.Quad]:
    """Remove what the store says of a paper; the quads that say it now (for the caller to add)."""
    terms = db.terms
    node = terms.paper(arxiv_id)
    graph = terms.paper_graph(arxiv_id)
    db.store.remove_graph(graph) if db.store.contains_named_graph(graph) else None
    for literal in db.objects(node, _DISCOVERED, terms.state):
        found_in = terms.concept(from_json(Concept, literal.value).key)
        db.store.remove(ox.Quad(node, _DISCOVERED, literal, terms.state))
        db.store.remove(ox.Quad(found_in, _DISCOVERED_IN, node, terms.state))
    for quad in list(db.store.quads_for_pattern(None, _BASE_OF, node, terms.state)):
        db.store.remove(quad)
    if merged is None or found is None:
        return []
    extraction, mismatch = found
    quads = emit.paper_quads(terms, merged, extraction.mentions, mismatch, graph)
    for concept in extraction.discovered:
        quads.append(ox.Quad(node, _DISCOVERED, ox.Literal(to_json(concept)), terms.state))
        quads.append(ox.Quad(terms.concept(concept.key), _DISCOVERED_IN, node, terms.state))
        quads += [ox.Quad(terms.concept(b), _BASE_OF, node, terms.state) for b in concept.broader]
    return quads


def _update_people(db: _Store, before: set[ox.NamedNode], merged: dict[str, MergedPaper]) -> None:
    names = {a for m in merged.values() for a in m.paper.authors}
    db.put((t for name in sorted(names) for t in emit.person_triples(db.terms, name)), db.terms.people)
    db.flush()
    for person in before - {db.terms.person(n) for n in names}:
        if not db.has(None, P.author, person):
            db.remove_subject(person, db.terms.people)


def _id_of(paper: ox.NamedNode) -> str:
    return unquote(paper.value.rsplit("/paper/", 1)[-1])


@dataclass(frozen=True)
class Discoveries:
    """What the papers that found one discovered concept say of it, kept so that it can grow.

    The concept is that of the paper with the lowest arXiv id, with the alphabetically first of
    every paper's spelling as its prefLabel and every other spelling and abbreviation as altLabels;
    none of that depends on the order papers come in.
    """

    first: str  # the lowest arXiv id that found it
    base: Concept  # as that paper found it
    count: int = 1
    prefs: tuple[str, ...] = ()
    alts: tuple[str, ...] = ()

    @classmethod
    def of(cls, arxiv_id: str, concept: Concept) -> Discoveries:
        return cls(arxiv_id, concept, 1, (concept.pref_label,), concept.alt_labels)

    def add(self, arxiv_id: str, concept: Concept) -> Discoveries:
        first, base = min((self.first, self.base), (arxiv_id, concept), key=lambda t: t[0])
        prefs = tuple(sorted({*self.prefs, concept.pref_label}))
        alts = tuple(sorted({*self.alts, *concept.alt_labels}))
        return Discoveries(first, base, self.count + 1, prefs, alts)

    def concept(self) -> Concept:
        if self.count == 1:
            return self.base
        prefs = sorted(set(self.prefs))
        return replace(self.base, pref_label=prefs[0], alt_labels=tuple(sorted({*self.alts, *prefs[1:]})))


def _update_discovered(
    db: _Store,
    vocab: Vocabulary,
    keys: set[str],
    known: dict[ox.NamedNode, tuple[Concept, ...]],
    refold: set[str],
) -> set[ox.NamedNode]:
    """Rewrite discovered concepts (``known``: what the papers just extracted found); the concepts
    whose kind changed. A concept that a rewritten paper had found (``refold``) is made again from
    every paper that finds it now; any other grows by the new papers only."""
    terms = db.terms
    changed: set[ox.NamedNode] = set()
    new: dict[str, list[tuple[str, Concept]]] = defaultdict(list)
    for paper, concepts in known.items():
        for c in concepts:
            new[c.key].append((_id_of(paper), c))
    for key in sorted(keys - vocab.concepts.keys()):
        node = terms.concept(key)
        stored = db.objects(node, _DISCOVERIES, terms.state)
        found: Discoveries | None = None
        if key in refold or not stored:
            for arxiv_id, paper in sorted((_id_of(p), p) for p in db.objects(node, _DISCOVERED_IN, terms.state)):
                in_paper = known.get(paper)
                if in_paper is None:
                    in_paper = tuple(from_json(Concept, x.value) for x in db.objects(paper, _DISCOVERED, terms.state))
                for c in in_paper:
                    if c.key == key:
                        found = found.add(arxiv_id, c) if found else Discoveries.of(arxiv_id, c)
        else:
            found = from_json(Discoveries, stored[0].value)
            for arxiv_id, c in new.get(key, ()):
                found = found.add(arxiv_id, c)
        for literal in stored:
            db.store.remove(ox.Quad(node, _DISCOVERIES, literal, terms.state))
        kinds_before = set(db.objects(node, TYPE, terms.concepts))
        db.remove_subject(node, terms.concepts)
        triples = emit.concept_triples(terms, found.concept()) if found is not None else []
        db.put(triples, terms.concepts)
        if found is not None:
            db.put([ox.Triple(node, _DISCOVERIES, ox.Literal(to_json(found)))], terms.state)
        if {t.object for t in triples if t.predicate == TYPE} != kinds_before:
            changed.add(node)
    db.flush()
    return changed


def _update_curated(db: _Store, vocab: Vocabulary, concepts: set[ox.NamedNode]) -> None:
    """Curated concepts are in the graph while a paper reaches them (mentions, or a discovered variant,
    or anything narrower); the concept scheme while any concept is."""
    terms = db.terms
    keys = {c.value.rsplit("/concept/", 1)[-1] for c in concepts}
    candidates = {k for k in keys if k in vocab.concepts}
    candidates |= {a for k in set(candidates) for a in vocab.ancestors(k)}
    narrower = _narrower(vocab)
    for key in sorted(candidates):
        node = terms.concept(key)
        reached = any(_used(db, terms.concept(d)) for d in _self_and_below(key, narrower))
        present = db.has(node, P.pref_label, None)
        if reached and not present:
            db.put(emit.concept_triples(terms, vocab.concepts[key]), terms.concepts)
        elif present and not reached:
            db.remove_subject(node, terms.concepts)
    db.flush()
    scheme = terms.scheme()
    any_concept = next(iter(db.store.quads_for_pattern(None, P.in_scheme, scheme, terms.concepts)), None)
    if any_concept is not None:
        db.put(emit.scheme_triples(terms), terms.concepts)
        db.flush()
    else:
        db.remove_subject(scheme, terms.concepts)


def _used(db: _Store, node: ox.NamedNode) -> bool:
    return db.has(None, P.mentions, node) or db.has(node, _BASE_OF, None)


def _narrower(vocab: Vocabulary) -> dict[str, set[str]]:
    below: dict[str, set[str]] = defaultdict(set)
    for key in vocab.concepts:
        for ancestor in vocab.ancestors(key):
            below[ancestor].add(key)
    return below


def _self_and_below(key: str, narrower: dict[str, set[str]]) -> Iterator[str]:
    yield key
    yield from sorted(narrower.get(key, ()))


def _update_digests(db: _Store, dates: set[ox.NamedNode]) -> None:
    terms = db.terms
    for node in sorted(dates, key=lambda n: n.value):
        db.remove_subject(node, terms.digests)
        if not db.has(node, P.has_part, None):
            continue
        day = node.value.rsplit("/", 1)[-1]
        sources = db.subjects(_DATE, ox.Literal(day), terms.state)
        names = sorted({o.value for s in sources for o in db.objects(s, _NAME, terms.state)})
        db.put(emit.digest_triples(terms, _date(day), names), terms.digests)
    db.flush()


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _update_collaborations(db: _Store, people: set[ox.NamedNode], groups: Iterable[list[str]] | None = None) -> None:
    """Recount every pair of two people in ``people`` (those whose papers changed); ``groups``: the
    author IRIs of every paper that has one of them, when the caller has them at hand."""
    terms = db.terms
    if groups is None:
        papers = {p for person in people for p in db.subjects(P.author, person)}
        groups = ([o.value for o in db.objects(p, P.author)] for p in sorted(papers, key=lambda n: n.value))
    members = {p.value for p in people}
    pairs = count_pairs(groups, within=members)
    _drop_pairs(db, people, P.collaborator, terms.collaborations)
    prefix = f"{terms.base}person/"
    triples: list[ox.Triple] = []
    for pair in pairs:
        first, second = ox.NamedNode(pair.first), ox.NamedNode(pair.second)
        node = terms.pair("collaboration", first, second, prefix)
        triples += emit.collaboration_triples(node, first, second, pair)
    db.put(triples, terms.collaborations)
    db.flush()


def _update_cooccurrences(db: _Store, concepts: set[ox.NamedNode], groups: Iterable[list[str]] | None = None) -> None:
    """Recount every pair of two techniques in ``concepts`` (those whose papers or kind changed);
    ``groups``: the mentioned concepts of every paper that mentions one of them, when at hand."""
    terms = db.terms
    techniques = {s.value for s in db.subjects(TYPE, P.technique, terms.concepts)}
    if groups is None:
        papers = {p for c in concepts for p in db.subjects(P.mentions, c)}
        groups = ([o.value for o in db.objects(p, P.mentions)] for p in sorted(papers, key=lambda n: n.value))
    groups = ([c for c in group if c in techniques] for group in groups)
    pairs = count_pairs(groups, within={c.value for c in concepts})
    _drop_pairs(db, concepts, P.cooccurring, terms.cooccurrences)
    prefix = f"{terms.base}concept/"
    triples: list[ox.Triple] = []
    for pair in pairs:
        first, second = ox.NamedNode(pair.first), ox.NamedNode(pair.second)
        triples += emit.cooccurrence_triples(terms.pair("cooccurrence", first, second, prefix), first, second, pair)
    db.put(triples, terms.cooccurrences)
    db.flush()


def _drop_pairs(db: _Store, members: set[ox.NamedNode], link: ox.NamedNode, graph: ox.NamedNode) -> None:
    """Remove pair nodes both of whose members are in ``members``."""
    doomed: set[ox.NamedNode] = set()
    for member in members:
        for node in db.subjects(link, member, graph):
            if all(o in members for o in db.objects(node, link, graph)):
                doomed.add(node)
    for node in doomed:
        db.remove_subject(node, graph)


def recount_pairs(store: ox.Store, base: str = DEFAULT_BASE, *, bulk: bool = False) -> None:
    """Count every collaboration and co-occurrence pair of the stored graph afresh (bounded memory;
    ``bulk``: write without a transaction, for a new store)."""
    terms = Terms(base)
    db = _Store(store, terms)
    db.bulk = bulk
    techniques = {s.value for s in db.subjects(TYPE, P.technique, terms.concepts)}
    for link, graph, kind, prefix, keep in (
        (P.author, terms.collaborations, "collaboration", f"{base}person/", None),
        (P.mentions, terms.cooccurrences, "cooccurrence", f"{base}concept/", techniques),
    ):
        ids: dict[str, int] = {}
        groups: dict[str, list[int]] = defaultdict(list)
        for q in store.quads_for_pattern(None, link, None, None):
            member = q.object.value  # type: ignore[union-attr]
            if keep is None or member in keep:
                groups[q.subject.value].append(ids.setdefault(member, len(ids)))  # type: ignore[union-attr]
        names = list(ids)
        del ids
        found = count_id_pairs(groups.values())
        del groups
        store.clear_graph(graph)
        write = emit.collaboration_triples if kind == "collaboration" else emit.cooccurrence_triples
        for a, b, papers, newman in found:
            first, second = ox.NamedNode(names[a]), ox.NamedNode(names[b])
            pair = Pair(first.value, second.value, papers, newman / NEWMAN_SCALE)
            db.put(write(terms.pair(kind, first, second, prefix), first, second, pair), graph)
            if len(db.pending) >= 100_000:
                db.flush()
        db.flush()
        del found, names
