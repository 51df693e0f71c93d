"""Rewriting what the papers of an update reach: their people, concepts and digest days.

Each ``update_*`` function is given the nodes that may have changed, reads what the store says of
them now and writes them again (or removes them when no paper reaches them any more).
``Discoveries`` is how a discovered concept grows as more papers find it.

>>> c = Concept("x", "Technique", "X net", ("XN",))
>>> grown = Discoveries.of("2401.2", c).add("2401.1", replace(c, pref_label="Xnet")).concept()
>>> grown.pref_label, grown.alt_labels
('X net', ('XN', 'Xnet'))
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pyoxigraph as ox

from kg import emit
from kg.emit import TYPE, P
from kg.merge import MergedPaper
from kg.model import Concept
from kg.records import from_json, to_json
from kg.state import BASE_OF, DATE, DISCOVERED, DISCOVERED_IN, DISCOVERIES, FILE_NAME, UpdateStore, arxiv_id_of
from kg.vocabulary import Vocabulary


def update_people(db: UpdateStore, before: set[ox.NamedNode], merged: dict[str, MergedPaper]) -> None:
    """Write the authors of the ``merged`` papers; remove those of ``before`` who have no paper left."""
    names = {a for m in merged.values() for a in m.paper.authors}
    db.flush()
    db.load(emit.people_nquads(db.terms, sorted(names)))
    for person in before - {db.terms.person(n) for n in names}:
        if not db.has(None, P.author, person):
            db.remove_subject(person, db.terms.people)


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
        """The discoveries of one paper."""
        return cls(arxiv_id, concept, 1, (concept.pref_label,), concept.alt_labels)

    def add(self, arxiv_id: str, concept: Concept) -> Discoveries:
        """These discoveries and what one more paper found."""
        first, base = min((self.first, self.base), (arxiv_id, concept), key=lambda t: t[0])
        prefs = tuple(sorted({*self.prefs, concept.pref_label}))
        alts = tuple(sorted({*self.alts, *concept.alt_labels}))
        return Discoveries(first, base, self.count + 1, prefs, alts)

    def concept(self) -> Concept:
        """The concept that the graph holds."""
        if self.count == 1:
            return self.base
        prefs = sorted(set(self.prefs))
        return replace(self.base, pref_label=prefs[0], alt_labels=tuple(sorted({*self.alts, *prefs[1:]})))


def update_discovered(
    db: UpdateStore,
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
            new[c.key].append((arxiv_id_of(paper), c))
    for key in sorted(keys - vocab.concepts.keys()):
        node = terms.concept(key)
        stored = db.objects(node, DISCOVERIES, terms.state)
        found: Discoveries | None = None
        if key in refold or not stored:
            for arxiv_id, paper in sorted((arxiv_id_of(p), p) for p in db.objects(node, DISCOVERED_IN, terms.state)):
                in_paper = known.get(paper)
                if in_paper is None:
                    in_paper = tuple(from_json(Concept, x.value) for x in db.objects(paper, DISCOVERED, terms.state))
                for c in in_paper:
                    if c.key == key:
                        found = found.add(arxiv_id, c) if found else Discoveries.of(arxiv_id, c)
        else:
            found = from_json(Discoveries, stored[0].value)
            for arxiv_id, c in new.get(key, ()):
                found = found.add(arxiv_id, c)
        for literal in stored:
            db.store.remove(ox.Quad(node, DISCOVERIES, literal, terms.state))
        kinds_before = set(db.objects(node, TYPE, terms.concepts))
        db.remove_subject(node, terms.concepts)
        triples = emit.concept_triples(terms, found.concept()) if found is not None else []
        db.put(triples, terms.concepts)
        if found is not None:
            db.put([ox.Triple(node, DISCOVERIES, ox.Literal(to_json(found)))], terms.state)
        if {t.object for t in triples if t.predicate == TYPE} != kinds_before:
            changed.add(node)
    db.flush()
    return changed


def update_curated(db: UpdateStore, vocab: Vocabulary, concepts: set[ox.NamedNode]) -> None:
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


def _used(db: UpdateStore, node: ox.NamedNode) -> bool:
    return db.has(None, P.mentions, node) or db.has(node, BASE_OF, None)


def _narrower(vocab: Vocabulary) -> dict[str, set[str]]:
    below: dict[str, set[str]] = defaultdict(set)
    for key in vocab.concepts:
        for ancestor in vocab.ancestors(key):
            below[ancestor].add(key)
    return below


def _self_and_below(key: str, narrower: dict[str, set[str]]) -> Iterator[str]:
    yield key
    yield from sorted(narrower.get(key, ()))


def update_digests(db: UpdateStore, dates: set[ox.NamedNode]) -> None:
    """Write the digest days ``dates`` again from their papers and source files (none: removed)."""
    terms = db.terms
    for node in sorted(dates, key=lambda n: n.value):
        db.remove_subject(node, terms.digests)
        if not db.has(node, P.has_part, None):
            continue
        day = node.value.rsplit("/", 1)[-1]
        sources = db.subjects(DATE, ox.Literal(day), terms.state)
        names = sorted({o.value for s in sources for o in db.objects(s, FILE_NAME, terms.state)})
        db.put(emit.digest_triples(terms, _date(day), names), terms.digests)
    db.flush()


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
