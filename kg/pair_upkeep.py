"""The collaboration and co-occurrence pairs of a store, kept up to date (``kg.pairs`` counts them).

An update recounts only the pairs among the people and techniques whose papers changed
(``update_collaborations``, ``update_cooccurrences``); a large build counts every pair once at the
end (``recount_pairs``).

>>> t = Terms("http://x/")
>>> store = ox.Store()
>>> store.extend(ox.Quad(t.paper(i), P.author, t.person(n), t.paper_graph(i)) for i in "12" for n in ("Ann", "Bo"))
>>> recount_pairs(store, "http://x/")
>>> sorted(q.object.value for q in store.quads_for_pattern(None, P.collaborator, None, t.collaborations))
['http://x/person/Ann', 'http://x/person/Bo']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg import emit
from kg.emit import TYPE, P, Terms
from kg.namespace import DEFAULT_BASE
from kg.pairs import NEWMAN_SCALE, Pair, count_id_pairs, count_pairs
from kg.rankings import RankKey, rank_all_collaborations, rank_collaborations, rank_key, ranked_keys, recount_concepts
from kg.state import UpdateStore


def update_collaborations(
    db: UpdateStore, people: set[ox.NamedNode], groups: Iterable[list[str]] | None = None
) -> None:
    """Recount every pair of two people in ``people`` (those whose papers changed); ``groups``: the
    author IRIs of every paper that has one of them, when the caller has them at hand."""
    terms = db.terms
    if groups is None:
        papers = {p for person in people for p in db.subjects(P.author, person)}
        groups = ([o.value for o in db.objects(p, P.author)] for p in sorted(papers, key=lambda n: n.value))
    members = {p.value for p in people}
    pairs = count_pairs(groups, within=members)
    ranked = ranked_keys(db)  # before any pair is dropped
    _drop_pairs(db, people, P.collaborator, terms.collaborations)
    prefix = f"{terms.base}person/"
    triples: list[ox.Triple] = []
    written: list[tuple[RankKey, ox.NamedNode]] = []
    for pair in pairs:
        first, second = ox.NamedNode(pair.first), ox.NamedNode(pair.second)
        node = terms.pair("collaboration", first, second, prefix)
        triples += emit.collaboration_triples(node, first, second, pair)
        written.append((rank_key(pair.papers, emit.newman_literal(pair.newman).value, node.value), node))
    db.put(triples, terms.collaborations)
    db.flush()
    rank_collaborations(db, ranked, written)


def update_cooccurrences(
    db: UpdateStore, concepts: set[ox.NamedNode], groups: Iterable[list[str]] | None = None
) -> None:
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


def _drop_pairs(db: UpdateStore, members: set[ox.NamedNode], link: ox.NamedNode, graph: ox.NamedNode) -> None:
    """Remove pair nodes both of whose members are in ``members``."""
    doomed: set[ox.NamedNode] = set()
    for member in members:
        for node in db.subjects(link, member, graph):
            if all(o in members for o in db.objects(node, link, graph)):
                doomed.add(node)
    for node in doomed:
        db.remove_subject(node, graph)


def recount_pairs(store: ox.Store, base: str = DEFAULT_BASE, *, bulk: bool = False) -> None:
    """Count every collaboration and co-occurrence pair of the stored graph afresh, rank the
    collaborations and count the concepts' papers (bounded memory; ``bulk``: write without a
    transaction, for a new store)."""
    terms = Terms(base)
    db = UpdateStore(store, terms)
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
        keys: list[tuple[RankKey, ox.NamedNode]] = []
        for a, b, papers, newman in found:
            first, second = ox.NamedNode(names[a]), ox.NamedNode(names[b])
            pair = Pair(first.value, second.value, papers, newman / NEWMAN_SCALE)
            node = terms.pair(kind, first, second, prefix)
            db.put(write(node, first, second, pair), graph)
            if kind == "collaboration":
                keys.append((rank_key(papers, emit.newman_literal(pair.newman).value, node.value), node))
            if len(db.pending) >= 100_000:
                db.flush()
        db.flush()
        del found, names
        if kind == "collaboration":
            rank_all_collaborations(db, keys)
            del keys
    recount_concepts(db)
