"""The synthetic corpus of bench/synthetic.py: N distinct papers with valid new arXiv ids on the
expected consecutive days, which the real parser reads back as written, without a problem."""

from __future__ import annotations

import datetime as dt
import re
from itertools import islice
from pathlib import Path

import pytest

from bench.synthetic import START, Listing, synthetic_listings, write_days
from kg.load import load_digests
from kg.model import Digest, Paper
from kg.normalize import normalize_arxiv_id

NEW_STYLE_ID = re.compile(r"\d{2}(0[1-9]|1[0-2])\.\d{5}")


@pytest.fixture(scope="module")
def real(corpus_digests: list[Digest]) -> list[Paper]:
    return [paper for digest in corpus_digests for paper in digest.papers]


def facts(paper: Paper) -> tuple[object, ...]:
    """What a listing says, without where it was read from."""
    sections = tuple((s.key, s.label, s.text) for s in paper.sections)
    return (paper.arxiv_id, paper.title, paper.authors, paper.hidden_after, paper.votes, paper.date, sections)


def write_and_read(listings: list[Listing], folder: Path) -> tuple[list[Path], list[Paper], list[str]]:
    files = write_days(listings, folder)
    digests = load_digests([folder])
    return files, [p for d in digests for p in d.papers], [str(p) for d in digests for p in d.problems]


@pytest.mark.parametrize(
    ("count", "per_day", "days"),
    [
        (1, 18, 1),  # one paper: one day
        (18, 18, 1),  # a full day
        (19, 18, 2),  # one paper more starts the next day
        (600, 18, 34),  # 2030-02-01 is day 32: ids are numbered again from 00001 in February
        (40, 1, 40),  # one paper a day
    ],
)
def test_papers_are_distinct_valid_and_read_back(
    real: list[Paper], tmp_path: Path, count: int, per_day: int, days: int
) -> None:
    listings = list(synthetic_listings(real, count, per_day=per_day))
    files, papers, problems = write_and_read(listings, tmp_path)
    assert problems == []
    assert [facts(p) for p in papers] == [facts(listing.paper) for listing in listings]
    ids = [p.arxiv_id for p in papers]
    assert len(set(ids)) == count
    assert all(NEW_STYLE_ID.fullmatch(i) and normalize_arxiv_id(i) == i for i in ids)
    assert not set(ids) & {p.arxiv_id for p in real}
    expected_days = [START + dt.timedelta(days=n) for n in range(days)]
    assert sorted({p.date for p in papers}) == expected_days
    assert [f.stem for f in files] == [d.isoformat() for d in expected_days]


def test_every_real_paper_reads_back_unchanged(real: list[Paper], tmp_path: Path) -> None:
    """One whole copy of the corpus and the start of the next: every quirk of the real papers
    (hidden authors, no votes, extra sections, multi-line bullets) survives the round trip."""
    listings = list(synthetic_listings(real, len(real) + 30))
    _, papers, problems = write_and_read(listings, tmp_path)
    assert problems == []
    assert [facts(p) for p in papers] == [facts(listing.paper) for listing in listings]
    assert [p.title for p in papers[len(real) :]] == [p.title for p in real[:30]]


def test_copies_keep_the_coauthor_structure_and_share_no_one(real: list[Paper]) -> None:
    sample = real[:100]
    copies = [list(islice(synthetic_listings(sample, 300), k * 100, (k + 1) * 100)) for k in range(3)]
    people = [{name for listing in copy for name in listing.paper.authors} for copy in copies]
    assert not people[0] & people[1] and not people[1] & people[2] and not people[0] & people[2]
    # Within a copy, the same real person is the same synthetic person: the pair structure is the real one.
    for copy in copies:
        pairs = set(zip(_names(sample), _names([listing.paper for listing in copy]), strict=True))
        assert len(pairs) == len({real for real, _ in pairs}) == len({synthetic for _, synthetic in pairs})


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(real: list[Paper]) -> None:
    assert list(synthetic_listings(real, 40)) == list(synthetic_listings(real, 100))[:40]
    assert list(synthetic_listings(real, 60, start=40)) == list(synthetic_listings(real, 100))[40:]


def _names(papers: list[Paper]) -> list[str]:
    return [name for paper in papers for name in paper.authors]
