"""Listings of one arXiv id, from any digests and days, folded into one paper (pure).

>>> from kg.parse import parse_digest
>>> entry = "### [T](https://arxiv.org/abs/2410.09342)\\nVote: {}\\n"
>>> a = parse_digest("## Daily Papers (2024-10-16)\\n" + entry.format(5), source="a.md")
>>> b = parse_digest("## Daily Papers (2024-10-18)\\n" + entry.format(9), source="b.md")
>>> merged, problems = merge_papers([a, b])
>>> merged["2410.09342"].paper.votes, [d.isoformat() for d in merged["2410.09342"].dates]
(9, ['2024-10-16', '2024-10-18'])
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.model import Digest, Paper, Problem, Section


@dataclass(frozen=True)
class MergedPaper:
    """All listings of one arXiv id folded into one paper, with the digest days it was featured on."""

    paper: Paper
    dates: tuple[dt.date, ...]


def merge_papers(digests: Iterable[Digest]) -> tuple[dict[str, MergedPaper], list[Problem]]:
    """Fold listings by arXiv id. The latest listing gives title, authors and votes.

    Authors: a complete list beats one truncated with ``+``; votes: the latest day that has one.
    Summary sections of every listing are kept (the same text once).
    """
    listings: dict[str, list[Paper]] = defaultdict(list)
    for digest in digests:
        for paper in digest.papers:
            listings[paper.arxiv_id].append(paper)
    merged: dict[str, MergedPaper] = {}
    problems: list[Problem] = []
    for arxiv_id, papers in listings.items():
        ordered = sorted(papers, key=lambda p: (p.date or dt.date.min, p.source, p.line))
        latest = ordered[-1]
        titles = {p.title for p in ordered}
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
        complete = [p for p in ordered if p.authors and not p.authors_truncated]
        by_authors = (complete or [p for p in ordered if p.authors] or ordered)[-1]
        voted = [p for p in ordered if p.votes is not None]
        sections: dict[tuple[str, str, str], Section] = {}
        for p in ordered:
            for s in p.sections:
                sections.setdefault((s.key, s.label, s.text), s)
        paper = replace(
            latest,
            authors=by_authors.authors,
            hidden_after=by_authors.hidden_after,
            votes=voted[-1].votes if voted else None,
            sections=tuple(sections.values()),
        )
        dates = tuple(sorted({p.date for p in ordered if p.date is not None}))
        merged[arxiv_id] = MergedPaper(paper, dates)
    return merged, problems


def digest_dates(digests: Iterable[Digest]) -> dict[dt.date, set[str]]:
    """The digest days that have papers, with the files each came from."""
    dates: dict[dt.date, set[str]] = defaultdict(set)
    for digest in digests:
        for paper in digest.papers:
            if paper.date is not None:
                dates[paper.date].add(digest.source.rsplit("/", 1)[-1])
    return dates
