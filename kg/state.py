"""What a store under update remembers beyond the graph: its stamp and its input files' records.

The ``urn:papers-kg:state:*`` terms live here, with ``UpdateStore`` (the store's lookups and queued
writes) and the records of input files: content hash, file name, digest days and every listing of
a paper, so that a later update can merge, skip or replace them.

>>> import pyoxigraph as ox
>>> from kg.emit import Terms
>>> from kg.parse import parse_digest
>>> d = parse_digest('''## Daily Papers (2024-08-01)
... ### [Tora](https://arxiv.org/abs/2407.21705)
... Authors: Long Qin
... ''', source="d.md")
>>> db = UpdateStore(ox.Store(), Terms("http://x/"))
>>> record_source(db, Source("d.md", d, "h1"))
>>> new, skipped = find_new_sources(db, [Source("d.md", d, "h1"), Source("e.md", d, "h2")])
>>> [s.key for s in new], skipped
(['e.md'], ['d.md'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kg.emit import Terms
from kg.model import Digest, Paper
from kg.records import from_json, to_json

FORMAT = "papers-kg store 1"
_ST = "urn:papers-kg:state:"


def state_term(name: str) -> ox.NamedNode:
    """The store's own term ``name`` (never exported with the graph).

    >>> state_term("date").value
    'urn:papers-kg:state:date'
    """
    return ox.NamedNode(_ST + name)


_META = state_term("store")
_FORMAT = state_term("format")
_BASE = state_term("base")
_VOCABULARY = state_term("extraction")
_HASH = state_term("sha256")
_LISTS = state_term("lists")
FILE_NAME = state_term("fileName")
DATE = state_term("date")
LISTING = state_term("listing")
DISCOVERED = state_term("discovered")
DISCOVERED_IN = state_term("discoveredIn")
BASE_OF = state_term("baseOf")
DISCOVERIES = state_term("discoveries")


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


class UpdateStore:
    """Lookups in the store that the update needs (every quad pattern in one place)."""

    def __init__(self, store: ox.Store, terms: Terms) -> None:
        self.store = store
        self.terms = terms
        self.pending: list[ox.Quad] = []
        self.bulk = False

    def objects(self, s: ox.NamedNode, p: ox.NamedNode, graph: ox.NamedNode | None = None) -> list[Any]:
        """The objects of ``s p ?`` (in ``graph``, or in any)."""
        return [q.object for q in self.store.quads_for_pattern(s, p, None, graph)]

    def subjects(self, p: ox.NamedNode, o: Any, graph: ox.NamedNode | None = None) -> list[Any]:
        """The subjects of ``? p o`` (in ``graph``, or in any)."""
        return [q.subject for q in self.store.quads_for_pattern(None, p, o, graph)]

    def has(self, s: ox.NamedNode | None, p: ox.NamedNode, o: Any | None) -> bool:
        """Whether any graph has a quad of this pattern (``None``: anything)."""
        return next(iter(self.store.quads_for_pattern(s, p, o, None)), None) is not None

    def remove_subject(self, s: ox.NamedNode, graph: ox.NamedNode) -> None:
        """Remove every quad of ``graph`` about ``s``."""
        for quad in list(self.store.quads_for_pattern(s, None, None, graph)):
            self.store.remove(quad)

    def put(self, triples: Iterable[ox.Triple], graph: ox.NamedNode) -> None:
        """Queue triples for ``flush``: on disk, every write is a transaction, so they go in together."""
        self.pending += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]

    def flush(self) -> None:
        """Write the queued quads."""
        self.write(self.pending)
        self.pending = []

    def load(self, nquads: str) -> None:
        """Add quads given as N-Quads text that ``kg.emit`` wrote, as ``write`` adds them. Its IRIs
        are minted or were checked when written, so the parser's checks are skipped (``lenient``:
        a third faster)."""
        if not nquads:
            return
        if self.bulk:
            self.store.bulk_load(nquads, ox.RdfFormat.N_QUADS, lenient=True)
        else:
            self.store.load(nquads, ox.RdfFormat.N_QUADS, lenient=True)

    def write(self, quads: list[ox.Quad]) -> None:
        """Add quads: without a transaction into a store that had no papers (a failed first build is
        simply built again), in one transaction otherwise."""
        if self.bulk:
            self.store.bulk_extend(quads)
        else:
            self.store.extend(quads)


def check_store(store: ox.Store, base: str, fingerprint: str) -> None:
    """Stamp an empty store; raise ``StoreMismatch`` if a used one was made differently.

    >>> store = ox.Store()
    >>> check_store(store, "http://x/", "f1")
    >>> try:
    ...     check_store(store, "http://y/", "f1")
    ... except StoreMismatch as e:
    ...     print(str(e).split(";")[0])
    the store was built with another base ('http://x/', now 'http://y/')
    """
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


def find_new_sources(db: UpdateStore, sources: Sequence[Source]) -> tuple[list[Source], list[str]]:
    """Sources not yet in the store with this content (the same file moved elsewhere counts as in),
    and the keys of the others."""
    new: list[Source] = []
    skipped: list[str] = []
    for source in sources:
        same = [
            s
            for s in db.subjects(_HASH, ox.Literal(source.sha256), db.terms.state)
            if source.name in {o.value for o in db.objects(s, FILE_NAME)}
        ]
        if same:
            skipped.append(source.key)
        else:
            new.append(source)
    return new, skipped


def source_node(key: str) -> ox.NamedNode:
    """The state node that records the input file ``key``.

    >>> source_node("a b/c.md").value
    'urn:papers-kg:state:source:a%20b%2Fc.md'
    """
    return state_term("source:" + quote(key, safe=""))


def arxiv_id_of(paper: ox.NamedNode) -> str:
    """The arXiv id of a paper node.

    >>> arxiv_id_of(ox.NamedNode("http://x/paper/2407.21705"))
    '2407.21705'
    """
    return unquote(paper.value.rsplit("/paper/", 1)[-1])


def drop_source(db: UpdateStore, source: Source) -> set[str]:
    """Forget an earlier version of ``source`` (its listings and record); the arXiv ids it listed."""
    node = source_node(source.key)
    affected: set[str] = set()
    for paper in db.objects(node, _LISTS, db.terms.state):
        for listing in db.objects(paper, LISTING, db.terms.state):
            if from_json(Paper, listing.value).source == source.digest.source:
                db.store.remove(ox.Quad(paper, LISTING, listing, db.terms.state))
        affected.add(arxiv_id_of(paper))
    db.remove_subject(node, db.terms.state)
    return affected


def record_source(db: UpdateStore, source: Source) -> None:
    """Remember ``source``: its content hash, file name, digest days and listings (for later merges)."""
    node = source_node(source.key)
    quads = [
        ox.Quad(node, _HASH, ox.Literal(source.sha256), db.terms.state),
        ox.Quad(node, FILE_NAME, ox.Literal(source.name), db.terms.state),
    ]
    for paper in source.digest.papers:
        paper_node = db.terms.paper(paper.arxiv_id)
        quads.append(ox.Quad(node, _LISTS, paper_node, db.terms.state))
        quads.append(ox.Quad(paper_node, LISTING, ox.Literal(to_json(paper)), db.terms.state))
        if paper.date is not None:
            quads.append(ox.Quad(node, DATE, ox.Literal(paper.date.isoformat()), db.terms.state))
    db.store.extend(quads)
