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
    papers = {p for person in people for p in db.subjects(P.author, person)}
    groups = ([o.value for o in db.objects(p, P.author)] for p in sorted(papers, key=lambda n: n.value))
    _rewrite_pairs(db, "collaboration", people, count_pairs(groups, within={p.value for p in people}))


def update_cooccurrences(db: UpdateStore, concepts: set[ox.NamedNode]) -> None:
    """Recount every pair of two techniques in ``concepts`` (those whose papers or kind changed), and
    rank again."""
    techniques = {s.value for s in db.subjects(TYPE, P.technique, db.terms.concepts)}
    papers = {p for c in concepts for p in db.subjects(P.mentions, c)}
    groups = ([o.value for o in db.objects(p, P.mentions)] for p in sorted(papers, key=lambda n: n.value))
    pairs = count_pairs(([c for c in group if c in techniques] for group in groups), within={c.value for c in concepts})
    _rewrite_pairs(db, "cooccurrence", concepts, pairs)


# Per kind of pair: the link to its two members, and the folder of their IRIs.
_KINDS = {"collaboration": (P.collaborator, "person/"), "cooccurrence": (P.cooccurring, "concept/")}


def _pair_graph(terms: Terms, kind: str) -> ox.NamedNode:
    return terms.collaborations if kind == "collaboration" else terms.cooccurrences


def _rewrite_pairs(db: UpdateStore, kind: str, members: set[ox.NamedNode], pairs: list[Pair]) -> None:
    """Replace the pairs of two of ``members`` by ``pairs``, and rank again."""
    terms = db.terms
    link, folder = _KINDS[kind]
    graph = _pair_graph(terms, kind)
    ranked = ranked_keys(db, graph)  # before any pair is dropped
    _drop_pairs(db, members, link, graph)
    keys = [_rank_key(kind, pair, terms.pair(kind, pair.first, pair.second, f"{terms.base}{folder}")) for pair in pairs]
    db.load("".join(emit.pair_nquads(kind, key[2], pair, graph.value) for key, pair in zip(keys, pairs, strict=True)))
    rank_pairs(db, graph, ranked, keys)


def _rank_key(kind: str, pair: Pair, node: str) -> RankKey:
    weight = emit.newman_text(pair.newman) if kind == "collaboration" else "0"  # co-occurrences have none
    return rank_key(pair.papers, weight, node)


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
    strongest of each and count the concepts' papers (bounded memory; ``bulk``: write without a
    transaction, for a new store)."""
    terms = Terms(base)
    db = UpdateStore(store, terms)
    db.bulk = bulk
    techniques = {s.value for s in db.subjects(TYPE, P.technique, terms.concepts)}
    for link, kind, keep in ((P.author, "collaboration", None), (P.mentions, "cooccurrence", techniques)):
        graph = _pair_graph(terms, kind)
        folder = _KINDS[kind][1]
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
        keys: list[RankKey] = []
        text: list[str] = []
        for a, b, papers, newman in found:
            pair = Pair(names[a], names[b], papers, newman / NEWMAN_SCALE)
            keys.append(_rank_key(kind, pair, terms.pair(kind, pair.first, pair.second, f"{base}{folder}")))
            text.append(emit.pair_nquads(kind, keys[-1][2], pair, graph.value))
            if len(text) >= 20_000:  # pairs per write
                db.load("".join(text))
                text = []
        db.load("".join(text))
        del found, names
        rank_all_pairs(db, graph, keys)
        del keys
    recount_concepts(db)
