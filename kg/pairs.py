"""Pair weights computed once at build time: co-authors and co-mentioned techniques (pure).

Ranking every pair of authors by joint papers is a self-join over all authorships; on the full
corpus that is 627k pairs and seconds of SPARQL. The build counts pairs once and writes the ones
that share at least ``MIN_JOINT_PAPERS`` papers as ``kg:Collaboration`` and ``kg:Cooccurrence``
nodes, so the named queries ``top-collaborations`` and ``technique-cooccurrence`` only read them.
Pairs that met on a single paper are not written: every author list of n names would add
n(n-1)/2 of them (600k on the corpus), and they stay answerable per author (``coauthors``).

>>> [(p.first, p.second, p.papers, p.newman) for p in count_pairs([["a", "b", "c"], ["a", "b"]])]
[('a', 'b', 2, 1.5)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

MIN_JOINT_PAPERS = 2
# A paper with more members than this adds no pairs (hyperauthorship: 10,000 authors would be 50
# million pairs, each weighing 1/9,999). Its authors and mentions are kept; the build warns. The
# corpus's largest author list has 663 names, so every real paper counts.
MAX_PAIR_MEMBERS = 1000
# Newman shares are summed as whole numbers of 1e-12, so that a sum does not depend on the order
# in which papers are counted (a full build and an update count them in different orders).
NEWMAN_SCALE = 10**12


def newman_share(members: int) -> int:
    """One paper's share of Newman's weight for each pair of its ``members`` authors, in 1e-12."""
    return round(NEWMAN_SCALE / (members - 1)) if members > 1 else 0


@dataclass(frozen=True)
class Pair:
    """Two members (``first`` < ``second``) and what they share."""

    first: str
    second: str
    papers: int  # papers that have both
    newman: float  # Newman's weight: each shared paper with n members adds 1/(n-1)


def count_pairs(
    groups: Iterable[Iterable[str]], min_papers: int = MIN_JOINT_PAPERS, within: set[str] | None = None
) -> list[Pair]:
    """Pairs of members that appear together in at least ``min_papers`` groups, sorted.

    A group is one paper's authors (or techniques); a member listed twice in a group counts once, and
    a group of more than ``MAX_PAIR_MEMBERS`` members adds no pairs.
    With ``within``, only pairs of two members of ``within`` are counted (a group's Newman share
    still counts all its members): what an update needs to recount the pairs it may have changed.

    >>> [(p.first, p.second, p.newman) for p in count_pairs([["a", "b", "c"], ["a", "b"]], within={"a", "b"})]
    [('a', 'b', 1.5)]
    """
    pairs = _tally(groups, min_papers, within)
    return sorted(pairs, key=lambda p: (p.first, p.second))


def tally_pairs(groups: Iterable[Iterable[str]]) -> list[Pair]:
    """Every pair that appears together at all, in the order pairs are first seen (within a group,
    by name), which is the edge order of the networkx graphs built from them.

    >>> [(p.first, p.second, p.papers) for p in tally_pairs([["b", "c"], ["a", "b"], ["c", "b"]])]
    [('b', 'c', 2), ('a', 'b', 1)]
    """
    return _tally(groups, 1)


def _tally(groups: Iterable[Iterable[str]], min_papers: int, within: set[str] | None = None) -> list[Pair]:
    index: dict[str, int] = {}
    papers: dict[int, int] = {}
    newman: dict[int, int] = {}
    for group in groups:
        members = sorted(set(group))
        if len(members) > MAX_PAIR_MEMBERS:
            continue
        share = newman_share(len(members))
        if within is not None:
            members = [m for m in members if m in within]
        ids = [index.setdefault(m, len(index)) for m in members]
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                key = a << 32 | b
                papers[key] = papers.get(key, 0) + 1
                newman[key] = newman.get(key, 0) + share
    names = list(index)
    return [
        Pair(names[key >> 32], names[key & 0xFFFFFFFF], n, newman[key] / NEWMAN_SCALE)
        for key, n in papers.items()
        if n >= min_papers
    ]


def count_id_pairs(
    groups: Iterable[Sequence[int]], min_papers: int = MIN_JOINT_PAPERS
) -> list[tuple[int, int, int, int]]:
    """``count_pairs`` for a whole graph, in bounded memory: members are whole numbers, and the result
    is ``(first, second, papers, newman in 1e-12)`` with ``first < second``, sorted.

    Every pair of every group is first counted in one sorted array (8 bytes a pair); only pairs seen
    at least ``min_papers`` times are then summed, in a second pass.

    >>> count_id_pairs([[0, 1, 2], [1, 0], [2]])
    [(0, 1, 2, 1500000000000)]
    """
    arrays = [a for a in (np.unique(np.asarray(g, dtype=np.int64)) for g in groups) if a.size <= MAX_PAIR_MEMBERS]
    codes = np.concatenate([_pair_codes(g) for g in arrays] or [np.zeros(0, dtype=np.int64)])
    codes.sort()
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    counts = np.diff(np.r_[starts, codes.size])
    kept = codes[starts[counts >= min_papers]]
    del codes
    totals = np.zeros(kept.size, dtype=np.int64)
    for g in arrays:
        found = _pair_codes(g)
        at = np.searchsorted(kept, found)
        hit = at < kept.size
        hit[hit] = kept[at[hit]] == found[hit]
        np.add.at(totals, at[hit], newman_share(g.size))
    seen = counts[counts >= min_papers]
    return [(int(c >> 32), int(c & 0xFFFFFFFF), int(n), int(t)) for c, n, t in zip(kept, seen, totals, strict=True)]


def _pair_codes(members: NDArray[np.int64]) -> NDArray[np.int64]:
    first, second = _upper_triangle(members.size)
    codes: NDArray[np.int64] = (members[first] << 32) | members[second]
    return codes


@lru_cache(maxsize=256)
def _upper_triangle(size: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The index pairs (i < j) of ``size`` members: most groups have one of a few sizes."""
    first, second = np.triu_indices(size, 1)
    return first, second
