"""Rankings kept in the graph, so that the ranking queries read a few nodes instead of every pair.

- ``kg:rank`` on the ``RANKED_PAIRS`` strongest ``kg:Collaboration`` pairs (by joint papers, then
  Newman's weight as written, then by IRI) and ``kg:Cooccurrence`` pairs (by joint papers, then
  IRI). At 100,000 papers there are 667,055 collaborations; sorting them at query time takes 10 s
  in memory and minutes in a store on disk, while reading the ranked 1,000 takes milliseconds.
  Only the top is ranked, so that a new day rewrites at most ``RANKED_PAIRS`` rank triples (a
  rank on every pair would move hundreds of thousands).
- ``kg:paperCount``, ``kg:firstSeen`` and ``kg:lastSeen`` on every concept: how many papers mention
  it, and the first and last digest day that lists one of them.

A full build ranks from every pair (``rank_all_pairs``) and counts from one pass over the mentions
(``recount_concepts``); an update re-ranks from the ranked pairs and the pairs it rewrote, and reads
every pair only when a ranked pair weakened or went (``rank_pairs``).

>>> import datetime as dt
>>> from kg.emit import Terms
>>> t = Terms("http://x/")
>>> store = ox.Store()
>>> quads = [ox.Quad(t.paper(i), P.mentions, t.concept("lora"), t.paper_graph(i)) for i in "12"]
>>> quads += [ox.Quad(t.concept("lora"), P.in_scheme, t.scheme(), t.concepts)]
>>> days = {"1": dt.date(2024, 8, 1), "2": dt.date(2024, 8, 2)}
>>> quads += [ox.Quad(t.digest(days[i]), P.has_part, t.paper(i), t.paper_graph(i)) for i in "12"]
>>> store.extend(quads)
>>> recount_concepts(UpdateStore(store, t))
>>> sorted(q.object.value for q in store.quads_for_pattern(t.concept("lora"), None, None, t.concepts))
['2', '2024-08-01', '2024-08-02', 'http://x/concept/']
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

import pyoxigraph as ox

from kg.emit import P, date_literal, integer
from kg.state import UpdateStore

RANKED_PAIRS = 1000
# An update that recounts concepts with more papers than this reads every paper's days in one pass
# (at 100,000 papers on disk: 87,000 lookups took 6 s, one pass over the 100,000 listings 1.7 s).
SCAN_DAYS_FROM = 5000

RankKey = tuple[int, Decimal, str]  # smaller is stronger: (-joint papers, -Newman weight, IRI)


def rank_key(papers: int, newman: str, node: str) -> RankKey:
    """The order of the ranking: most joint papers, then highest Newman weight (as written; "0" for
    co-occurrences, which have none), then IRI.

    >>> sorted([rank_key(2, "0.5", "p/b"), rank_key(3, "0.1", "p/c"), rank_key(2, "0.5", "p/a")])[0][2]
    'p/c'
    """
    return (-papers, -Decimal(newman), node)


def ranked_keys(db: UpdateStore, graph: ox.NamedNode) -> dict[ox.NamedNode, RankKey]:
    """The ranked pairs of ``graph`` (collaborations or co-occurrences) and their keys as the store
    has them now."""
    ranked = [_named(q.subject) for q in db.store.quads_for_pattern(None, P.rank, None, graph)]
    return {node: key for node in ranked if (key := _stored_key(db, graph, node)) is not None}


def _named(term: object) -> ox.NamedNode:
    """A subject or object that the graph's shape makes an IRI."""
    assert isinstance(term, ox.NamedNode), term
    return term


def _stored_key(db: UpdateStore, graph: ox.NamedNode, node: ox.NamedNode) -> RankKey | None:
    papers = db.objects(node, P.joint, graph)
    newman = db.objects(node, P.newman, graph) if graph == db.terms.collaborations else [ox.Literal("0")]
    return rank_key(int(papers[0].value), newman[0].value, node.value) if papers and newman else None


def rank_pairs(
    db: UpdateStore, graph: ox.NamedNode, before: dict[ox.NamedNode, RankKey], written: Iterable[RankKey]
) -> None:
    """Rank the pairs of ``graph`` again after an update: ``before`` is ``ranked_keys`` read before
    the pairs were rewritten, ``written`` the keys of the pairs written since. Pairs that were neither ranked
    nor rewritten did not change and were weaker than the last ranked one; they can only come in
    when the new last one is weaker than the old, and then every pair is read."""
    candidates = {node: key for node in before if (key := _stored_key(db, graph, node)) is not None}
    candidates.update((ox.NamedNode(key[2]), key) for key in written)
    top = heapq.nsmallest(RANKED_PAIRS, ((key, node) for node, key in candidates.items()))
    if len(before) >= RANKED_PAIRS:
        last_before = max(before.values())
        if len(top) < RANKED_PAIRS or top[-1][0] > last_before:
            top = heapq.nsmallest(RANKED_PAIRS, _every_pair(db, graph))
    _write_ranks(db, graph, [node for _, node in top])


def rank_all_pairs(db: UpdateStore, graph: ox.NamedNode, keys: Iterable[RankKey]) -> None:
    """Rank from the keys of every pair of ``graph`` (a full build)."""
    _write_ranks(db, graph, [ox.NamedNode(key[2]) for key in heapq.nsmallest(RANKED_PAIRS, keys)])


def _every_pair(db: UpdateStore, graph: ox.NamedNode) -> list[tuple[RankKey, ox.NamedNode]]:
    papers = {_named(q.subject): int(_value(q.object)) for q in db.store.quads_for_pattern(None, P.joint, None, graph)}
    if graph != db.terms.collaborations:
        return [(rank_key(count, "0", node.value), node) for node, count in papers.items()]
    out = []
    for q in db.store.quads_for_pattern(None, P.newman, None, graph):
        node = _named(q.subject)
        count = papers.get(node)
        if count is not None:
            out.append((rank_key(count, _value(q.object), node.value), node))
    return out


def _value(term: object) -> str:
    assert isinstance(term, ox.Literal), term
    return term.value


def _write_ranks(db: UpdateStore, graph: ox.NamedNode, order: list[ox.NamedNode]) -> None:
    """Give ``order`` the ranks 1, 2, ...; only ranks that change are written or removed."""
    wanted = {ox.Quad(node, P.rank, integer(i), graph) for i, node in enumerate(order, 1)}
    present = set(db.store.quads_for_pattern(None, P.rank, None, graph))
    for quad in present - wanted:
        db.store.remove(quad)
    db.write(sorted(wanted - present, key=str))


def recount_concepts(db: UpdateStore) -> None:
    """Write every concept's paper count and first and last day, from one pass over the mentions
    and the digest days (a full build)."""
    terms = db.terms
    days = _paper_days(db.store.quads_for_pattern(None, P.has_part, None, None))
    papers: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    for q in db.store.quads_for_pattern(None, P.mentions, None, None):
        papers[_named(q.object)].add(_named(q.subject))
    for predicate in (P.paper_count, P.first_seen, P.last_seen):
        for quad in list(db.store.quads_for_pattern(None, predicate, None, terms.concepts)):
            db.store.remove(quad)
    for q in db.store.quads_for_pattern(None, P.in_scheme, None, terms.concepts):
        node = _named(q.subject)
        db.put(_count_triples(node, papers.get(node, set()), days), terms.concepts)
    db.flush()


def update_concepts(db: UpdateStore, changed: set[ox.NamedNode]) -> None:
    """Write the counts again for the ``changed`` concepts (whose papers or days may have changed)
    and for every concept without counts (new, or rewritten by the update)."""
    terms = db.terms
    counted = {_named(q.subject) for q in db.store.quads_for_pattern(None, P.paper_count, None, terms.concepts)}
    present = {_named(q.subject) for q in db.store.quads_for_pattern(None, P.in_scheme, None, terms.concepts)}
    nodes = sorted(changed | (present - counted), key=lambda n: n.value)
    papers = {node: set(db.subjects(P.mentions, node)) for node in nodes if node in present}
    wanted = set().union(*papers.values())
    if len(wanted) > SCAN_DAYS_FROM:  # reading every listing once beats a lookup per paper
        days = _paper_days(db.store.quads_for_pattern(None, P.has_part, None, None))
    else:
        days = {paper: {_day(d) for d in db.subjects(P.has_part, paper)} for paper in wanted}
    for node in nodes:
        _drop_counts(db, node)
        if node in papers:
            db.put(_count_triples(node, papers[node], days), terms.concepts)
    db.flush()


def _paper_days(quads: Iterable[ox.Quad]) -> dict[ox.NamedNode, set[str]]:
    days: dict[ox.NamedNode, set[str]] = defaultdict(set)
    for q in quads:
        days[_named(q.object)].add(_day(_named(q.subject)))
    return days


def _day(digest: ox.NamedNode) -> str:
    return digest.value.rsplit("/", 1)[-1]


def _drop_counts(db: UpdateStore, node: ox.NamedNode) -> None:
    for predicate in (P.paper_count, P.first_seen, P.last_seen):
        for quad in list(db.store.quads_for_pattern(node, predicate, None, db.terms.concepts)):
            db.store.remove(quad)


def _count_triples(
    node: ox.NamedNode, papers: set[ox.NamedNode], days: dict[ox.NamedNode, set[str]]
) -> list[ox.Triple]:
    out = [ox.Triple(node, P.paper_count, integer(len(papers)))]
    seen = {d for paper in papers for d in days.get(paper, ())}
    if seen:
        out += [
            ox.Triple(node, P.first_seen, date_literal(min(seen))),
            ox.Triple(node, P.last_seen, date_literal(max(seen))),
        ]
    return out
