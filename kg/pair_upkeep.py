"""The collaboration and co-occurrence pairs of a store, kept up to date (``kg.pairs`` counts them).

An update recounts only the pairs among the people and techniques whose papers changed
(``update_collaborations``, ``update_cooccurrences``); a build into an empty store counts every pair
once at the end (``recount_pairs``).

>>> t = Terms("http://x/")
>>> store = ox.Store()
>>> store.extend(ox.Quad(t.paper(i), P.author, t.person(n), t.paper_graph(i)) for i in "12" for n in ("Ann", "Bo"))
>>> recount_pairs(store, "http://x/")
>>> sorted(q.object.value for q in store.quads_for_pattern(None, P.collaborator, None, t.collaborations))
['http://x/person/Ann', 'http://x/person/Bo']
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg import emit
from kg.emit import TYPE, P, Terms
from kg.namespace import DEFAULT_BASE
from kg.pairs import NEWMAN_SCALE, Pair, count_id_pairs, count_pairs
from kg.rankings import RankKey, rank_all_pairs, rank_key, rank_pairs, ranked_keys, recount_concepts
from kg.state import UpdateStore


def update_collaborations(db: UpdateStore, people: set[ox.NamedNode]) -> None:
    """Recount every pair of two people in ``people`` (those whose papers changed), and rank again."""
    terms = db.terms
    papers = {p for person in people for p in db.subjects(P.author, person)}
    groups = ([o.value for o in db.objects(p, P.author)] for p in sorted(papers, key=lambda n: n.value))
    members = {p.value for p in people}
    pairs = count_pairs(groups, within=members)
    ranked = ranked_keys(db, terms.collaborations)  # before any pair is dropped
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
    rank_pairs(db, terms.collaborations, ranked, written)


def update_cooccurrences(db: UpdateStore, concepts: set[ox.NamedNode]) -> None:
    """Recount every pair of two techniques in ``concepts`` (those whose papers or kind changed)."""
    terms = db.terms
    techniques = {s.value for s in db.subjects(TYPE, P.technique, terms.concepts)}
    papers = {p for c in concepts for p in db.subjects(P.mentions, c)}
    groups = ([o.value for o in db.objects(p, P.mentions)] for p in sorted(papers, key=lambda n: n.value))
    pairs = count_pairs(([c for c in group if c in techniques] for group in groups), within={c.value for c in concepts})
    ranked = ranked_keys(db, terms.cooccurrences)  # before any pair is dropped
    _drop_pairs(db, concepts, P.cooccurring, terms.cooccurrences)
    prefix = f"{terms.base}concept/"
    triples: list[ox.Triple] = []
    written: list[tuple[RankKey, ox.NamedNode]] = []
    for pair in pairs:
        first, second = ox.NamedNode(pair.first), ox.NamedNode(pair.second)
        node = terms.pair("cooccurrence", first, second, prefix)
        triples += emit.cooccurrence_triples(node, first, second, pair)
        written.append((rank_key(pair.papers, "0", node.value), node))
    db.put(triples, terms.cooccurrences)
    db.flush()
    rank_pairs(db, terms.cooccurrences, ranked, written)


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
            weight = emit.newman_literal(pair.newman).value if kind == "collaboration" else "0"
            keys.append((rank_key(papers, weight, node.value), node))
            if len(db.pending) >= 100_000:
                db.flush()
        db.flush()
        del found, names
        rank_all_pairs(db, graph, keys)
        del keys
    recount_concepts(db)
