"""A synthetic digest corpus of any size, made from the real one (deterministic; for bench/ only).

    python bench/synthetic.py 100000 /tmp/synthetic-100k      (reads ../shared/corpus/daily-papers-ko)

The real papers are cycled through in their digest order. Copy ``k`` of the corpus gets fresh
arXiv ids, and every author name in copy ``k`` gets copy ``k``'s tag, so one copy has the real
co-author structure and copies share no one (the graph grows like more years of digests, not like
the same people writing 25 times as much). Papers are dealt into consecutive calendar days from
``START``, ``per_day`` a day (the real corpus has 17.6), and written in the real Markdown format,
one file per day. The seed picks the name tags.

The summaries are corpus text (CC BY-NC-ND): write the files outside the repo, never commit them.

>>> import datetime as dt
>>> from kg.model import Paper, Section
>>> real = [Paper("2407.21705", "Tora", ("Long Qin", "Weizhi Wang"), 11,
...               (Section("whats-new", "What's New", "Tora는 DiT를 확장합니다.", 5),),
...               dt.date(2024, 8, 1), "real.md", 2, (1,))]
>>> first, second = synthetic_listings(real, 2, per_day=1)
>>> first.paper.arxiv_id, first.day.isoformat(), second.paper.arxiv_id, second.day.isoformat()
('3001.00001', '2030-01-01', '3001.00002', '2030-01-02')
>>> first.paper.authors, second.paper.authors
(('Long Qin Zuzu', 'Weizhi Wang Zuzu'), ('Long Qin Zuri', 'Weizhi Wang Zuri'))
>>> print(render_digest(first.day, [first]))
## Daily Papers (2030-01-01)
<BLANKLINE>
### [Tora](https://arxiv.org/abs/3001.00001)
<BLANKLINE>
![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/3001.00001.png)
<BLANKLINE>
Vote: 11
<BLANKLINE>
Authors: Long Qin Zuzu, +, Weizhi Wang Zuzu
<BLANKLINE>
- **What's New**: Tora는 DiT를 확장합니다.
<BLANKLINE>
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import groupby
from pathlib import Path

from kg.load import load_digests
from kg.model import PLAIN_SUMMARY, Paper

START = dt.date(2030, 1, 1)  # after every real id (2030 -> "30MM.NNNNN"), so no id collides
LAST = dt.date(2099, 12, 31)  # new-style ids have two-digit years
PER_DAY = 18
SEED = 20261124
BOLD_ITALIC_FROM = dt.date(2024, 10, 18)  # the real digests switch from **Label** to ***Label*** here
_SYLLABLES = "ra vi no ka lu me so ti da ve ko ri ma zu pe lo na si ba te".split()
_LINE_START = re.compile(r"^(?:[-*#!<\[]|(?:vote|authors)\s*:)", re.IGNORECASE)
_THUMBNAIL = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{}.png"


@dataclass(frozen=True)
class Listing:
    """One synthetic paper on its digest day; ``marks`` is the bullet label style, ``**`` or ``***``."""

    paper: Paper
    day: dt.date
    marks: str


@cache
def copy_tag(copy: int, seed: int = SEED) -> str:
    """The name tag of copy ``copy``: a made-up word, distinct for every copy.

    >>> copy_tag(0), copy_tag(1), copy_tag(20) != copy_tag(0)
    ('Zuzu', 'Zuri', True)
    """
    syllables = list(_SYLLABLES)
    random.Random(seed).shuffle(syllables)
    digits: list[str] = []
    rest = copy
    while rest or len(digits) < 2:
        rest, digit = divmod(rest, len(syllables))
        digits.append(syllables[digit])
    return "".join(reversed(digits)).capitalize()


def synthetic_name(name: str, copy: int, seed: int = SEED) -> str:
    """A real author's name in copy ``copy``.

    >>> synthetic_name("Luke Zettlemoyer", 0)
    'Luke Zettlemoyer Zuzu'
    """
    return f"{name} {copy_tag(copy, seed)}"


def synthetic_day(index: int, per_day: int = PER_DAY) -> dt.date:
    """The digest day of the paper at ``index`` in the synthetic stream.

    >>> synthetic_day(17).isoformat(), synthetic_day(18).isoformat()
    ('2030-01-01', '2030-01-02')
    """
    day = START + dt.timedelta(days=index // per_day)
    if day > LAST:
        raise ValueError(f"paper {index:,} would fall after {LAST}: too many papers for two-digit arXiv years")
    return day


def synthetic_id(index: int, per_day: int = PER_DAY) -> str:
    """A new-style arXiv id ``YYMM.NNNNN`` for the paper at ``index``: its day's month, numbered
    within the month, so ids are distinct and never those of real (pre-2030) papers.

    >>> synthetic_id(0), synthetic_id(31 * 18 - 1), synthetic_id(31 * 18)
    ('3001.00001', '3001.00558', '3002.00001')
    """
    if not 1 <= per_day <= 99_999 // 31:
        raise ValueError(f"per_day must be between 1 and {99_999 // 31}, got {per_day}")
    day = synthetic_day(index, per_day)
    month_start = max((day.replace(day=1) - START).days, 0)
    return f"{day:%y%m}.{index - month_start * per_day + 1:05d}"


def synthetic_listings(
    real: Sequence[Paper], count: int, *, seed: int = SEED, per_day: int = PER_DAY, start: int = 0
) -> Iterator[Listing]:
    """Papers ``start`` to ``start + count - 1`` of the synthetic stream made by cycling ``real``.

    The same ``real``, ``seed`` and ``per_day`` always give the same stream, so a smaller corpus
    is a prefix of a larger one."""
    if not real:
        raise ValueError("no real papers to copy")
    for index in range(start, start + count):
        copy, which = divmod(index, len(real))
        paper = real[which]
        day = synthetic_day(index, per_day)
        marks = "***" if paper.date is not None and paper.date >= BOLD_ITALIC_FROM else "**"
        tag = copy_tag(copy, seed)
        authors = tuple(f"{name} {tag}" for name in paper.authors)
        paper = replace(paper, arxiv_id=synthetic_id(index, per_day), authors=authors, date=day, source="", line=0)
        yield Listing(paper, day, marks)


def render_digest(day: dt.date, listings: Iterable[Listing]) -> str:
    """One day's digest in the real Markdown format."""
    blocks = [f"## Daily Papers ({day.isoformat()})"]
    for listing in listings:
        blocks.extend(_render_paper(listing))
    return "\n\n".join(blocks) + "\n"


def _render_paper(listing: Listing) -> list[str]:
    p = listing.paper
    blocks = [
        f"### [{p.title}](https://arxiv.org/abs/{p.arxiv_id})",
        f"![]({_THUMBNAIL.format(p.arxiv_id)})",
        f"Vote: {'-' if p.votes is None else p.votes}",
    ]
    if p.authors:
        blocks.append(f"Authors: {_render_authors(p.authors, p.hidden_after)}")
    for section in p.sections:
        if section.key == PLAIN_SUMMARY:  # plain bullets, one per line; the parser joins them again
            blocks.extend(f"- {line}" for line in section.text.split("\n") if line.strip())
        else:
            text = "\n".join(_continuation_lines(section.text.split("\n")))
            blocks.append(f"- {listing.marks}{section.label}{listing.marks}: {text}")
    return blocks


def _continuation_lines(lines: Sequence[str]) -> list[str]:
    """A bullet's lines, each joined to the one before when it could read as something else
    (a bullet, heading, media, vote or authors line) or is blank.

    >>> _continuation_lines(["first", "1. second", "- third", "Vote: 3", ""])
    ['first', '1. second - third Vote: 3']
    """
    out: list[str] = []
    for line in lines:
        if out and (not line.strip() or _LINE_START.match(line.strip())):
            out[-1] = f"{out[-1]} {line}".rstrip()
        else:
            out.append(line)
    return out


def _render_authors(names: Sequence[str], hidden_after: Sequence[int]) -> str:
    """``a, b, +, c``; a Python list, as some real digests write it, when a name holds a comma.

    >>> _render_authors(["A", "B, Jr."], [1])
    "['A', '+', 'B, Jr.']"
    """
    tokens: list[str] = []
    for position, name in enumerate(names, start=1):
        tokens.append(name)
        if position in hidden_after:
            tokens.append("+")
    if 0 in hidden_after:
        tokens.insert(0, "+")
    return repr(tokens) if any("," in name for name in names) else ", ".join(tokens)


def write_days(listings: Iterable[Listing], out_dir: Path) -> list[Path]:
    """Write the listings as one ``YYYY-MM-DD.md`` per day into ``out_dir``; the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for day, group in groupby(listings, key=lambda listing: listing.day):
        path = out_dir / f"{day.isoformat()}.md"
        path.write_text(render_digest(day, group), encoding="utf-8")
        written.append(path)
    return written


def read_real_papers(corpus: Path) -> list[Paper]:
    """Every paper listing of the real digests under ``corpus``, in file order."""
    return [paper for digest in load_digests([corpus]) for paper in digest.papers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("papers", type=int, help="papers to make")
    parser.add_argument("out", type=Path, help="folder to write the day files into (outside the repo)")
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared/corpus/daily-papers-ko"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--per-day", type=int, default=PER_DAY)
    args = parser.parse_args()
    real = read_real_papers(args.corpus)
    files = write_days(synthetic_listings(real, args.papers, seed=args.seed, per_day=args.per_day), args.out)
    print(f"wrote {args.papers:,} papers in {len(files):,} day files to {args.out}")


if __name__ == "__main__":
    main()
