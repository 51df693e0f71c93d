"""Listings of one arXiv id, from any digests, API dumps and days, folded into one paper (pure).

>>> from kg.parse import parse_digest
>>> entry = "### [T](https://arxiv.org/abs/2410.09342)\\nVote: {}\\n"
>>> a = parse_digest("## Daily Papers (2024-10-16)\\n" + entry.format(5), source="a.md")
>>> b = parse_digest("## Daily Papers (2024-10-18)\\n" + entry.format(9), source="b.md")
>>> merged, problems = merge_papers([a, b])
>>> m = merged["2410.09342"]
>>> m.paper.votes, [d.isoformat() for d in m.dates], [(o.date.isoformat(), o.votes, o.source) for o in m.votes]
(9, ['2024-10-16', '2024-10-18'], [('2024-10-16', 5, 'a.md'), ('2024-10-18', 9, 'b.md')])
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from kg.model import HF_API, Digest, Paper, Problem, Section, VoteObservation

# On one day an API dump is read before the digest of that day: the digest's vote is the later
# snapshot (on the corpus it is higher in 891 of the 920 overlaps and never lower).
_ORIGIN_RANK = {HF_API: 0}
_NOT_WORD = re.compile(r"[\W_]+")
_T = TypeVar("_T")


@dataclass(frozen=True)
class MergedPaper:
    """All listings of one arXiv id folded into one paper.

    ``dates``: the digest days it was featured on; ``votes``: every vote observed, oldest first
    (``paper.votes`` is the last one); ``sources``: the files that list it, in the same order.
    """

    paper: Paper
    dates: tuple[dt.date, ...]
    votes: tuple[VoteObservation, ...] = ()
    sources: tuple[str, ...] = ()


def listing_order(paper: Paper) -> tuple[dt.date, int, str, int]:
    """The order in which listings were observed: by digest day, an API dump before a digest of
    the same day, then by file and line."""
    return (paper.date or dt.date.min, _ORIGIN_RANK.get(paper.origin, 1), paper.source, paper.line)


def title_key(title: str) -> str:
    """A title without case, white space or punctuation: listings whose titles share this key
    have the same title.

    >>> title_key("VLM^2-Bench: A Closer  Look") == title_key("VLM$^2$-Bench a closer look")
    True
    """
    return _NOT_WORD.sub("", title.casefold())


def merge_papers(digests: Iterable[Digest]) -> tuple[dict[str, MergedPaper], list[Problem]]:
    """Fold listings by arXiv id (see ``merge_listings``); a warning for each paper whose
    listings disagree on the title beyond case, white space and punctuation."""
    listings: dict[str, list[Paper]] = defaultdict(list)
    for digest in digests:
        for paper in digest.papers:
            listings[paper.arxiv_id].append(paper)
    merged: dict[str, MergedPaper] = {}
    problems: list[Problem] = []
    for arxiv_id, papers in listings.items():
        merged[arxiv_id] = merge_listings(papers)
        latest = merged[arxiv_id].paper
        titles = {title_key(p.title) for p in papers}
        if len(titles) > 1:
            problems.append(
                Problem(
                    latest.source,
                    latest.line,
                    f"paper {arxiv_id} has {len(titles)} different titles across listings; "
                    f"kept the latest, {latest.title!r}",
                    "warning",
                )
            )
    return merged, problems


def merge_listings(papers: Iterable[Paper]) -> MergedPaper:
    """One paper from listings of the same arXiv id.

    - title and the rest: the latest listing (``listing_order``);
    - authors: a complete list beats one truncated with ``+`` (or without authors); among complete
      lists an API list (in arXiv order) beats a digest's; then the latest;
    - votes: every observation kept; the latest is ``paper.votes``;
    - summary sections of every listing (the same text once); the API keywords of every listing
      (each once, first seen first); abstract, published day and links from the latest that has them.
    """
    ordered = sorted(papers, key=listing_order)
    if not ordered:
        raise ValueError("merge_listings needs at least one listing")
    latest = ordered[-1]
    complete = [p for p in ordered if p.authors and not p.authors_truncated]
    by_authors = (
        [p for p in complete if p.origin == HF_API] or complete or [p for p in ordered if p.authors] or ordered
    )[-1]
    votes = tuple(o for p in ordered if (o := p.vote_observation) is not None)
    sections: dict[tuple[str, str, str], Section] = {}
    for p in ordered:
        for s in p.sections:
            sections.setdefault((s.key, s.label, s.text), s)
    paper = replace(
        latest,
        authors=by_authors.authors,
        hidden_after=by_authors.hidden_after,
        votes=votes[-1].votes if votes else None,
        sections=tuple(sections.values()),
        abstract_en=_last([p.abstract_en for p in ordered], ""),
        keywords=tuple(dict.fromkeys(k for p in ordered for k in p.keywords)),
        published=_last([p.published for p in ordered], None),
        code_url=_last([p.code_url for p in ordered], ""),
        project_url=_last([p.project_url for p in ordered], ""),
    )
    dates = tuple(sorted({p.date for p in ordered if p.date is not None}))
    return MergedPaper(paper, dates, votes, tuple(dict.fromkeys(p.source for p in ordered)))


def _last(values: list[_T], empty: _T) -> _T:
    kept = [v for v in values if v]
    return kept[-1] if kept else empty


def digest_dates(digests: Iterable[Digest]) -> dict[dt.date, set[str]]:
    """The digest days that have papers, with the files each came from."""
    dates: dict[dt.date, set[str]] = defaultdict(set)
    for digest in digests:
        for paper in digest.papers:
            if paper.date is not None:
                dates[paper.date].add(digest.source.rsplit("/", 1)[-1])
    return dates
