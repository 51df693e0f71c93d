"""Frozen records passed between pipeline stages. No rdflib here.

The pipeline is ``text -> Digest -> (Paper, Mention) -> rdflib graph``; each arrow is a
pure function taking and returning these records.

>>> p = Problem("a.md", 3, "expected 'Vote: N' or 'Vote: -'")
>>> str(p)
"a.md:3: expected 'Vote: N' or 'Vote: -'"
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# Keys of the three standard summary sections, plus the key used for unlabelled bullets.
WHATS_NEW = "whats-new"
TECHNICAL_DETAILS = "technical-details"
PERFORMANCE_HIGHLIGHTS = "performance-highlights"
PLAIN_SUMMARY = "summary"
# Section key of mentions found in a paper's API keywords, and the separator their offsets assume.
KEYWORDS = "keywords"
KEYWORD_SEPARATOR = "; "


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in the input, located as ``FILE:LINE``.

    ``error``: a paper or a file could not be built. ``warning``: the paper was built but a part
    of it was odd (and what was done about it is in the message).
    """

    file: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Section:
    """One bullet of a summary: ``- **Label**: text`` (``label`` is ``""`` for a plain bullet)."""

    key: str
    label: str
    text: str
    line: int


# Where a listing comes from: a Markdown digest, or a Hugging Face daily_papers API item.
DIGEST = "digest"
HF_API = "hf-api"


@dataclass(frozen=True)
class VoteObservation:
    """One vote count as one source showed it on one digest day (``date`` is ``None`` when the file
    had no date).

    >>> VoteObservation(dt.date(2025, 3, 11), 58, "2025-03-11.json").date.isoformat()
    '2025-03-11'
    """

    date: dt.date | None
    votes: int
    source: str


@dataclass(frozen=True)
class Paper:
    """One paper as one digest (or one API item) lists it.

    ``authors`` holds the visible names in order; ``hidden_after`` the positions (1-based, counted
    in visible names) after which the digest wrote ``+`` for hidden authors (an API author without
    a name is recorded the same way). The fields after ``hidden_after`` come from the Hugging Face
    API only: the English abstract, ``ai_keywords`` (cleaned, in API order), the arXiv publication
    day, and the code and project links. ``origin`` is ``DIGEST`` or ``HF_API``.
    """

    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    votes: int | None
    sections: tuple[Section, ...]
    date: dt.date | None
    source: str
    line: int
    hidden_after: tuple[int, ...] = ()
    abstract_en: str = ""
    keywords: tuple[str, ...] = ()
    published: dt.date | None = None
    code_url: str = ""
    project_url: str = ""
    origin: str = DIGEST

    @property
    def url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def authors_truncated(self) -> bool:
        return bool(self.hidden_after)

    @property
    def keywords_text(self) -> str:
        """The keywords joined with ``"; "``: the text that ``keywords`` mention offsets index."""
        return KEYWORD_SEPARATOR.join(self.keywords)

    @property
    def vote_observation(self) -> VoteObservation | None:
        """This listing's vote with its digest day and file, or ``None`` when it showed no vote."""
        return None if self.votes is None else VoteObservation(self.date, self.votes, self.source)


@dataclass(frozen=True)
class Digest:
    """One digest file: its date (from the first header), papers in file order, problems found."""

    source: str
    date: dt.date | None
    papers: tuple[Paper, ...]
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Concept:
    """A named thing in the vocabulary or discovered in a digest.

    ``kind`` is the local name of its ``kg:`` class (``Technique``, ``Model``, ``Dataset``,
    ``Metric``, ``Task``, or ``DiscoveredConcept`` when the kind is unknown). ``curated`` is false
    for a concept discovered in a digest rather than taken from the vocabulary.
    ``ambiguous`` holds abbreviations shared with other concepts: they name this concept only
    where the same paper also names it another way.
    """

    key: str
    kind: str
    pref_label: str
    alt_labels: tuple[str, ...] = ()
    ko_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    definition: str = ""
    curated: bool = True
    ambiguous: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A concept named in a paper: where (section key or ``title``), the span, what matched, which rule."""

    concept: str
    label: str
    section: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class Extraction:
    """Mentions found in one paper, with concepts discovered there (absent from the vocabulary)."""

    mentions: tuple[Mention, ...]
    discovered: tuple[Concept, ...] = field(default=())
