"""Digests into a graph kept in an Oxigraph store: a full build and a daily update are one path.

``add_sources`` adds parsed digest files to a store (empty for a full build, on disk for
``kg build --update``). Only what the new files touch is recomputed: the papers they list (merged
with earlier listings of the same arXiv ids, which the store keeps), the people, concepts and
digest days of those papers, and the collaboration and co-occurrence pairs among their authors and
techniques. So an update costs time in proportion to the new input, and its result is the graph a
full build of all the inputs gives (``tests/test_update.py`` proves it).

A file already in the store with the same content is skipped, so adding it again changes nothing;
a file whose content changed replaces its earlier version.

This module is that stage (extraction included); the store's own records are in ``kg.state``, the
rewriting of people, concepts and digest days in ``kg.upkeep``, that of the pairs in ``kg.pair_upkeep``.

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

import hashlib
import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

import pyoxigraph as ox

from kg import emit
from kg.emit import TYPE, P, Terms
from kg.forked import InOrder, inherited
from kg.mentions import Extractor
from kg.merge import MergedPaper, merge_papers
from kg.model import KEYWORDS, Concept, Digest, Extraction, Paper, Problem
from kg.namespace import DEFAULT_BASE
from kg.pair_upkeep import recount_pairs, update_collaborations, update_cooccurrences
from kg.pairs import MAX_PAIR_MEMBERS
from kg.rankings import update_concepts
from kg.records import from_json, to_json
from kg.sanity import summary_mismatch
from kg.state import (
    BASE_OF,
    DISCOVERED,
    DISCOVERED_IN,
    LISTING,
    Source,
    StoreMismatch,
    UpdateStore,
    check_store,
    drop_source,
    find_new_sources,
    record_source,
)
from kg.upkeep import update_curated, update_digests, update_discovered, update_people
from kg.vocabulary import Vocabulary, bundled_vocabulary

__all__ = [
    "Added",
    "Source",
    "StoreMismatch",
    "add_sources",
    "check_store",
    "extraction_fingerprint",
    "prepare_papers",
    "recount_pairs",
]

PARALLEL_FROM = 400  # papers: below this, extracting in one process is faster than starting workers
# Papers written to the store at a time, on disk: each write costs, and a larger one swells the bulk
# loader (at 10,000 papers, 2,000 papers a write peaked at 815 MB, 500 at 503 MB).
PAPERS_PER_WRITE = 500


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
    "state.py",
    "upkeep.py",
    "pair_upkeep.py",
    "ontology/techniques.ttl",
)


def extraction_fingerprint(vocabulary: Vocabulary | None) -> str:
    """Identifies what decides the graph of a paper: this code and the vocabulary."""
    digest = hashlib.sha256(_code_fingerprint())
    if vocabulary is not None:
        digest.update("\n".join(to_json(c) for _, c in sorted(vocabulary.concepts.items())).encode())
    return digest.hexdigest()[:16]


@cache
def _code_fingerprint() -> bytes:
    """The code's part, read once per process: the code that runs, even if its files change on disk
    mid-build (an upgrade, or an edit while a long build runs)."""
    digest = hashlib.sha256()
    for name in _EXTRACTION_CODE:
        entry = resources.files("kg").joinpath(name)
        if entry.is_file():
            digest.update(entry.read_bytes())
    return digest.digest()


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
    papers_per_write: int = PAPERS_PER_WRITE,
    papers_stored: Callable[[], None] | None = None,
    nodes_stored: Callable[[], None] | None = None,
) -> Added:
    """Add parsed input files to ``store`` (see the module docstring). ``workers=0``: one per core.

    ``pairs=False`` leaves the collaboration and co-occurrence pairs, the ranks and the concepts'
    paper counts to a later ``recount_pairs`` (a large build adds its files in batches, then counts
    once). ``bulk``: write without transactions, for a build into a new store on disk (in memory,
    plain writes are as fast). ``papers_per_write``: the papers' quads are written this many at a
    time (in memory, fewer is as fast, and less is left to write when the last paper is ready).
    ``papers_stored`` is called once the papers' own graphs are written (they do not change after),
    before the people, concepts and pairs are; ``nodes_stored`` once the papers, people, concepts
    and digest days are, before the pairs, ranks and counts."""
    check_store(store, base, extraction_fingerprint(vocabulary))
    vocab = vocabulary or bundled_vocabulary()
    terms = Terms(base)
    db = UpdateStore(store, terms)
    new, skipped = find_new_sources(db, sources)
    fresh = not db.has(None, TYPE, P.article)  # a full build: nothing stored to read back or recount
    db.bulk = bulk
    affected: set[str] = set()
    for source in new:
        affected |= drop_source(db, source)
        affected |= {p.arxiv_id for p in source.digest.papers}
    before = _Before(set(), set(), set(), set(), set())
    listings: dict[str, list[Paper]] = defaultdict(list)
    for arxiv_id in sorted(affected) if not fresh else ():
        node = terms.paper(arxiv_id)
        before.authors.update(db.objects(node, P.author))
        before.concepts.update(db.objects(node, P.mentions))
        before.dates.update(db.subjects(P.has_part, node))
        before.discovered.update(from_json(Concept, lit.value).key for lit in db.objects(node, DISCOVERED))
        before.bases.update(db.subjects(BASE_OF, node, terms.state))
        listings[arxiv_id] = [from_json(Paper, lit.value) for lit in db.objects(node, LISTING)]
    for source in new:
        for paper in source.digest.papers:
            listings[paper.arxiv_id].append(paper)
    merged, problems = merge_papers([Digest("", None, tuple(p for ps in listings.values() for p in ps))])
    problems += [hyperauthorship(m.paper) for _, m in sorted(merged.items()) if _too_many(m)]
    extractor = Extractor(vocab)
    ids = sorted(merged)
    preparing = prepare_papers([merged[i] for i in ids], extractor, terms, workers)
    try:
        for source in new:  # while the workers extract the first papers
            record_source(db, source)
        found = _store_papers(db, preparing, ids, merged, sorted(affected), fresh, papers_per_write)
    finally:
        preparing.close()
    after_authors: set[ox.NamedNode] = set()
    after_discovered: set[str] = set()
    if papers_stored is not None:
        papers_stored()
    for arxiv_id, m in merged.items():
        if pairs and not fresh:  # only an update recounts the pairs of these people
            after_authors.update(terms.person(a) for a in m.paper.authors)
        after_discovered.update(c.key for c in found[arxiv_id][1])
    update_people(db, before.authors, merged)
    known = {terms.paper(i): discovered for i, (_, discovered) in found.items()}
    changed_kinds = update_discovered(db, vocab, before.discovered | after_discovered, known, before.discovered)
    concepts = before.concepts | {terms.concept(key) for keys, _ in found.values() for key in keys}
    bases = before.bases | {terms.concept(b) for _, discovered in found.values() for c in discovered for b in c.broader}
    update_curated(db, vocab, concepts | bases)
    dates = before.dates | {terms.digest(d) for m in merged.values() for d in m.dates}
    dates |= {terms.digest(p.date) for s in new for p in s.digest.papers if p.date is not None}
    update_digests(db, dates)
    if nodes_stored is not None:
        nodes_stored()
    if pairs and fresh:  # nothing to recount from: count every pair and concept once
        db.flush()
        recount_pairs(store, base, bulk=db.bulk)
    elif pairs:
        update_collaborations(db, before.authors | after_authors)
        update_cooccurrences(db, concepts | changed_kinds)
        update_concepts(db, concepts)
    return Added(tuple(sorted(affected)), tuple(s.key for s in new), tuple(skipped), tuple(problems))


def _too_many(merged: MergedPaper) -> bool:
    return len(set(merged.paper.authors)) > MAX_PAIR_MEMBERS


def hyperauthorship(paper: Paper) -> Problem:
    """The warning for a paper whose authors are too many to pair (``kg.pairs.MAX_PAIR_MEMBERS``)."""
    return Problem(
        paper.source,
        paper.line,
        f"paper {paper.arxiv_id} lists {len(set(paper.authors)):,} authors, over {MAX_PAIR_MEMBERS:,}: its "
        "authors are kept, but it adds no collaboration pairs (kg:Collaboration)",
        "warning",
    )


def _store_papers(
    db: UpdateStore,
    preparing: Iterator[Prepared],
    ids: list[str],
    merged: dict[str, MergedPaper],
    affected: list[str],
    fresh: bool,
    papers_per_write: int,
) -> dict[str, tuple[tuple[str, ...], tuple[Concept, ...]]]:
    """Write the prepared papers (``ids``, the part of ``affected`` still in the graph), each as it
    comes in from the workers, which go on with the next ones; an update first clears every
    affected paper. Gives the concept keys each paper mentions and the concepts it discovered."""
    found: dict[str, tuple[tuple[str, ...], tuple[Concept, ...]]] = {}
    prepared = zip(ids, preparing, strict=True)
    pending: list[str] = []
    for arxiv_id in affected:
        if not fresh:
            _clear_paper(db, arxiv_id)
        if arxiv_id in merged:
            got, ready = next(prepared)
            assert got == arxiv_id
            found[arxiv_id] = (ready.mentioned, ready.discovered)
            pending.append(ready.nquads)
        if len(pending) >= papers_per_write:
            db.load("".join(pending))
            pending = []
    db.load("".join(pending))
    assert next(prepared, None) is None  # every paper was prepared; the workers have ended
    return found


class Prepared(NamedTuple):
    """What the build needs of one extracted paper; its quads travel as N-Quads text. (A named tuple:
    it crosses between processes cheaper than the extraction's records would.)"""

    mentioned: tuple[str, ...]  # the concept keys it mentions
    discovered: tuple[Concept, ...]
    nquads: str


def prepare_papers(
    papers: Sequence[MergedPaper], extractor: Extractor, terms: Terms, workers: int = 0
) -> InOrder[Prepared]:
    """Each paper's mentioned concepts, discovered concepts and quads, in order, as they are ready: in
    worker processes for many papers. The quads come as N-Quads text, which crosses between
    processes cheaply and which the store loads about as fast as quads made in the main process
    (the point is that the workers make them). The workers are forked with the papers and the
    extractor, so that only the results travel. They start at once: the caller may do other work
    before it takes the first result (``close`` ends them early)."""
    workers = workers or (multiprocessing.cpu_count() or 1)
    if len(papers) < PARALLEL_FROM:
        workers = 1
    chunk = max(1, min(64, len(papers) // (workers * 8)))  # small chunks: the first results come soon
    spans = [(start, min(start + chunk, len(papers))) for start in range(0, len(papers), chunk)]
    # A few spans per worker in flight: results wait in memory only until the writer takes them.
    return InOrder(_prepare_span, spans, workers=workers, ahead=workers * 4 + 1, inherit=(extractor, terms, papers))


def _prepare_span(span: tuple[int, int]) -> list[Prepared]:
    extractor, terms, papers = inherited()
    return [_prepare_one(extractor, terms, papers[i]) for i in range(*span)]


def _prepare_one(extractor: Extractor, terms: Terms, merged: MergedPaper) -> Prepared:
    extraction, mismatch = _extract_one(extractor, merged.paper)
    node = terms.paper(merged.paper.arxiv_id)
    state = []
    for concept in extraction.discovered:
        state.append(ox.Quad(node, DISCOVERED, ox.Literal(to_json(concept)), terms.state))
        state.append(ox.Quad(terms.concept(concept.key), DISCOVERED_IN, node, terms.state))
        state += [ox.Quad(terms.concept(b), BASE_OF, node, terms.state) for b in concept.broader]
    quads = emit.paper_nquads(terms, merged, extraction.mentions, mismatch)
    mentioned = tuple(sorted({m.concept for m in extraction.mentions}))
    return Prepared(mentioned, extraction.discovered, quads + "".join(f"{q} .\n" for q in state))


def _extract_one(extractor: Extractor, paper: Paper) -> tuple[Extraction, str | None]:
    extraction = extractor.extract(paper)
    in_title = {m.concept for m in extraction.mentions if m.section == "title"}
    in_summary = {m.concept for m in extraction.mentions if m.section not in ("title", KEYWORDS)}
    texts = [s.text for s in paper.sections]
    return extraction, summary_mismatch(paper.title, texts, in_title, in_summary, extractor.is_known)


def _clear_paper(db: UpdateStore, arxiv_id: str) -> None:
    """Remove what the store says of a paper (``prepare_papers`` gives what it says now)."""
    terms = db.terms
    node = terms.paper(arxiv_id)
    graph = terms.paper_graph(arxiv_id)
    db.store.remove_graph(graph) if db.store.contains_named_graph(graph) else None
    for literal in db.objects(node, DISCOVERED, terms.state):
        found_in = terms.concept(from_json(Concept, literal.value).key)
        db.store.remove(ox.Quad(node, DISCOVERED, literal, terms.state))
        db.store.remove(ox.Quad(found_in, DISCOVERED_IN, node, terms.state))
    for quad in list(db.store.quads_for_pattern(None, BASE_OF, node, terms.state)):
        db.store.remove(quad)
