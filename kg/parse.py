"""Digest Markdown -> ``Digest`` (pure: never opens files, never raises on any text).

The format, one paper after another under a ``## Daily Papers (YYYY-MM-DD)`` header::

    ### [Title](https://arxiv.org/abs/ID)
    ![](thumbnail or avatar)            (ignored; may be a <video> line or absent)
    Vote: N | Vote: -                   (may be absent)
    Authors: a, b, +, c | Authors: ['a', 'b']
    - **What's New**: ...               (also ***Label***:, other labels, plain "- text" bullets)
      continuation lines

>>> d = parse_digest('''## Daily Papers (2024-08-01)
... ### [Tora: a DiT for Video](https://arxiv.org/abs/2407.21705v2)
... Vote: 11
... Authors: Long Qin, +, Weizhi Wang
... - **What's New**: Tora는 DiT를 확장합니다.
... ''', source="d.md")
>>> p = d.papers[0]
>>> p.arxiv_id, p.title, p.authors, p.hidden_after, p.votes, p.sections[0].key
('2407.21705', 'Tora: a DiT for Video', ('Long Qin', 'Weizhi Wang'), (1,), 11, 'whats-new')
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.model import (
    PERFORMANCE_HIGHLIGHTS,
    PLAIN_SUMMARY,
    TECHNICAL_DETAILS,
    WHATS_NEW,
    Digest,
    Paper,
    Problem,
    Section,
)
from kg.normalize import ARXIV_URL, clean_block, clean_text, normalize_arxiv_id, slugify, strip_invisible

_HEADER = re.compile(r"^#{1,2}\s*Daily Papers\s*\((?P<date>[^)]*)\)\s*$", re.IGNORECASE)
# "### [Title](...)", also without the space ("###[Title]"), which is then read with a warning.
_PAPER = re.compile(r"^###(?:\s|(?=\[))")
# The title is greedy so that "[IDK]" inside it does not end it; the URL has no spaces or parens.
# Possessive quantifiers (*+) keep a long run of spaces from being split every way: linear time.
_LINK = re.compile(r"^###\s+\[(?P<title>.*)\]\(\s*+(?P<url>[^()\s]*+)\s*+\)\s*$")
_VOTE = re.compile(r"^Vote\s*:\s*(?P<value>.*)$", re.IGNORECASE)
_AUTHORS = re.compile(r"^Authors\s*:\s*(?P<value>.*)$", re.IGNORECASE)
# Thumbnails, avatars and the early variant's "[Watch Video](url)" and "<div><video ...>" lines.
_MEDIA = re.compile(r"^(?:!\[[^\]]*\]\(.*\)|\[Watch Video\].*|<(?:div|video|img)\b.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^[-*]\s+(?P<body>.*)$")
# "**Label**: text", "***Label***: text", "**Label:** text", "***Label*: text" (a corpus typo).
# The white space around the label is possessive (*+), so that a long run of it is not tried every way.
_LABEL = re.compile(
    r"^\*{1,4}\s*+(?P<label>[^*\n]{1,80}?)\s*+(?P<colon>:)?\s*+\*{1,4}\s*+(?(colon)|:)\s*+(?P<text>.*)$"
)
# A vote: decimal digits, at most 9 (an int() of thousands of digits, or of "²", would raise).
_VOTE_DIGITS = 9
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_MAX_HEADING_LINES = 3
_MAX_LITERAL = 200_000
# An author list written as a Python list of strings, recognised in linear time whatever its
# length (10,000 names is over 200,000 characters); each string is then read by ast on its own.
_STRING = r"""'(?:[^'\\]|\\.)*+'|"(?:[^"\\]|\\.)*+\""""
_STRINGS = re.compile(_STRING)
_STRING_LIST = re.compile(rf"\[\s*+(?:(?:{_STRING})\s*+,\s*+)*+(?:(?:{_STRING})\s*+)?\]")
_STANDARD_LABELS = {
    "what's new": WHATS_NEW,
    "whats new": WHATS_NEW,
    "technical details": TECHNICAL_DETAILS,
    "performance highlights": PERFORMANCE_HIGHLIGHTS,
}


def section_key(label: str) -> str:
    """The key of a bullet label: one of the three standard keys, or a slug of the label.

    >>> section_key("What’s New"), section_key("Limitations")
    ('whats-new', 'limitations')
    """
    norm = " ".join(label.replace("’", "'").replace("‘", "'").lower().split())
    return _STANDARD_LABELS.get(norm) or slugify(label) or "section"


def flatten_literal(text: str) -> str:
    """Turn a Python list/dict string, as some digests write bullets, into readable lines.

    Text that is not such a literal is returned unchanged.

    >>> flatten_literal("['first point', 'second point']")
    'first point\\nsecond point'
    >>> flatten_literal("[{'code': 'HumanEval 90.2%'}]")
    'code: HumanEval 90.2%'
    >>> flatten_literal("[not python")
    '[not python'
    """
    stripped = text.strip()
    if not (stripped[:1] in ("[", "{") and stripped[-1:] in ("]", "}")) or len(stripped) > _MAX_LITERAL:
        return text
    if max(stripped.count("["), stripped.count("{")) > 64:
        return text
    try:
        value = ast.literal_eval(stripped)
        if not isinstance(value, (list, dict, tuple)):
            return text
        # Inside the try: str() of an int of over 4,300 digits ("[0xfff…]") raises ValueError.
        return "\n".join(_walk_literal(value))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def _walk_literal(value: object, prefix: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk_literal(v, f"{prefix}{k}: ")
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk_literal(item, prefix)
    else:
        yield f"{prefix}{value}"


def parse_authors(raw: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Names in order and the positions after which ``+`` (hidden authors) stood.

    >>> parse_authors("A One, B Two, +, C Three")
    (('A One', 'B Two', 'C Three'), (2,))
    >>> parse_authors("['A One', 'B, Jr.']")
    (('A One', 'B, Jr.'), ())
    """
    raw = raw.strip()
    tokens: list[str] | None = None
    if raw.startswith("[") and _STRING_LIST.fullmatch(raw):
        try:
            tokens = [ast.literal_eval(s) for s in _STRINGS.findall(raw)]
        except (ValueError, SyntaxError, MemoryError, RecursionError):  # a bad escape such as '\\N{x}'
            tokens = None
    if tokens is None:
        tokens = raw.split(",")
    names: list[str] = []
    hidden: list[int] = []
    for token in tokens:
        name = clean_text(token)
        if name == "+":
            if not hidden or hidden[-1] != len(names):
                hidden.append(len(names))
        elif name:
            names.append(name)
    return tuple(names), tuple(hidden)


@dataclass
class _Draft:
    """A paper being read; becomes a ``Paper`` when the next heading or the end arrives."""

    line: int
    arxiv_id: str
    title: str
    date: dt.date | None
    votes: int | None = None
    authors: tuple[str, ...] | None = None
    hidden_after: tuple[int, ...] = ()
    sections: list[tuple[str, str, list[str], int]] = field(default_factory=list)

    def freeze(self, source: str) -> Paper:
        sections = tuple(
            Section(key=key, label=label, text=clean_block(flatten_literal("\n".join(lines))), line=line)
            for key, label, lines, line in self.sections
        )
        return Paper(
            arxiv_id=self.arxiv_id,
            title=self.title,
            authors=self.authors or (),
            votes=self.votes,
            sections=tuple(s for s in sections if s.text),
            date=self.date,
            source=source,
            line=self.line,
            hidden_after=self.hidden_after,
        )


@dataclass
class _Reader:
    source: str
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)
    first_date: dt.date | None = None
    date: dt.date | None = None
    saw_header: bool = False
    draft: _Draft | None = None
    skipping: bool = False  # inside a paper whose heading could not be read
    seen: dict[str, int] = field(default_factory=dict)

    def report(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.source, line, message, "warning" if severity == "warning" else "error"))

    def run(self) -> Digest:
        i = 0
        while i < len(self.lines):
            i = self.step(i)
        self.finish_paper()
        return Digest(self.source, self.first_date, tuple(self.papers), tuple(self.problems))

    def step(self, i: int) -> int:
        line = self.lines[i].strip()
        number = i + 1
        if not line:
            return i + 1
        if m := _HEADER.match(line):
            self.finish_paper()
            self.read_header(m.group("date"), number)
            return i + 1
        if _PAPER.match(line):
            self.finish_paper()
            return self.read_heading(i)
        if self.skipping:
            return i + 1
        if self.draft is None:
            self.report(
                number, f"expected a '### [Title](https://arxiv.org/abs/ID)' heading; ignored {_show(line)}", "warning"
            )
            return i + 1
        self.read_body_line(line, number)
        return i + 1

    def read_header(self, raw: str, number: int) -> None:
        self.saw_header = True
        try:
            self.date = dt.date.fromisoformat(raw.strip())
        except ValueError:
            self.date = None
            self.report(
                number,
                f"expected a date YYYY-MM-DD in the header, got {_show(raw)}; "
                "the papers below are built without a digest date",
            )
        if self.first_date is None:
            self.first_date = self.date

    def read_heading(self, i: int) -> int:
        number = i + 1
        text = self.lines[i].strip()
        used = 1
        m = _LINK.match(text)
        # A heading may wrap onto the next lines before its link closes.
        while m is None and used < _MAX_HEADING_LINES and i + used < len(self.lines):
            nxt = self.lines[i + used].strip()
            if not nxt or _PAPER.match(nxt) or _HEADER.match(nxt):
                break
            text = f"{text} {nxt}"
            used += 1
            m = _LINK.match(text)
        if m is None:
            used = 1
            text = self.lines[i].strip()
        elif used > 1:
            self.report(number, f"the heading spans {used} lines; read as one", "warning")
        title = clean_text(m.group("title")) if m else _loose_title(text)
        arxiv_id = normalize_arxiv_id(m.group("url")) if m else None
        if arxiv_id is None:
            found = ARXIV_URL.search(text)
            arxiv_id = found.group("id") if found else None
            if arxiv_id is not None:
                self.report(
                    number,
                    f"expected '### [Title](https://arxiv.org/abs/ID)'; read id {arxiv_id} from a malformed heading",
                    "warning",
                )
        if arxiv_id is None or not title:
            what = "title"
            if arxiv_id is None:  # a link to arxiv.org whose id is malformed is not "no link"
                what = "arXiv link with a valid id" if "arxiv.org/" in text.lower() else "arXiv link"
            self.report(
                number,
                f"expected '### [Title](https://arxiv.org/abs/ID)' but found no {what} in "
                f"{_show(text)}; this paper is skipped",
            )
            self.skipping = True
            return i + used
        self.skipping = False
        if self.date is None and not self.saw_header:
            self.date = self.date_from_name()
        if arxiv_id in self.seen:
            self.report(
                number,
                f"paper {arxiv_id} is listed again (first at line {self.seen[arxiv_id]}); "
                "both listings are merged into one paper",
                "warning",
            )
        else:
            self.seen[arxiv_id] = number
        self.draft = _Draft(line=number, arxiv_id=arxiv_id, title=title, date=self.date)
        return i + used

    def date_from_name(self) -> dt.date | None:
        """Without a header, the date comes from a YYYY-MM-DD file name (reported once)."""
        if self.saw_header:
            return self.date
        self.saw_header = True
        date = date_in_file_name(self.source)
        if date is None:
            self.report(
                1, "expected a '## Daily Papers (YYYY-MM-DD)' header; papers are built without a digest date", "warning"
            )
        else:
            self.report(
                1, f"expected a '## Daily Papers (YYYY-MM-DD)' header; date {date} taken from the file name", "warning"
            )
        self.date = self.first_date = date
        return date

    def read_body_line(self, line: str, number: int) -> None:
        draft = self.draft
        assert draft is not None
        if _MEDIA.match(line):
            return
        if m := _VOTE.match(line):
            value = m.group("value").strip()
            if value.isdecimal() and len(value) <= _VOTE_DIGITS:
                draft.votes = int(value)
            elif value not in ("-", ""):
                self.report(number, f"expected 'Vote: N' or 'Vote: -', got {_show(line)}; vote left out", "warning")
            return
        if m := _AUTHORS.match(line):
            draft.authors, draft.hidden_after = parse_authors(m.group("value"))
            if not draft.authors:
                self.report(number, "expected author names after 'Authors:'; the paper has no authors", "warning")
            return
        if m := _BULLET.match(line):
            body = m.group("body")
            if lab := _LABEL.match(body):
                label = clean_text(lab.group("label"))
                draft.sections.append((section_key(label), label, [lab.group("text")], number))
            elif draft.sections and draft.sections[-1][0] == PLAIN_SUMMARY:
                draft.sections[-1][2].append(body)
            else:
                draft.sections.append((PLAIN_SUMMARY, "", [body], number))
            return
        if draft.sections:  # a continuation line of the bullet above
            draft.sections[-1][2].append(line)
            return
        self.report(number, f"expected 'Vote:', 'Authors:' or a '- ' bullet; ignored {_show(line)}", "warning")

    def finish_paper(self) -> None:
        draft, self.draft = self.draft, None
        self.skipping = False
        if draft is None:
            return
        if draft.authors is None:
            self.report(draft.line, f"paper {draft.arxiv_id} has no 'Authors:' line; built without authors", "warning")
        self.papers.append(draft.freeze(self.source))


def _loose_title(text: str) -> str:
    """Best-effort title from a malformed heading: the bracketed part, or the text before a URL."""
    body = re.sub(r"^###\s*", "", text)
    if body.startswith("[") and "](" in body:
        return clean_text(body[1 : body.rindex("](")])
    body = re.split(r"\(?https?://", body, maxsplit=1)[0]
    return clean_text(body.strip("[]() "))


def _show(text: str, limit: int = 60) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[:limit] + "…")


def date_in_file_name(source: str) -> dt.date | None:
    """The ``YYYY-MM-DD`` date in a file's base name, or ``None``.

    >>> date_in_file_name("corpus/hf-daily-json/2025-04-23.json"), date_in_file_name("2025-13-01.md")
    (datetime.date(2025, 4, 23), None)
    """
    m = _DATE_IN_NAME.search(source.replace("\\", "/").rsplit("/", 1)[-1])
    try:
        return dt.date.fromisoformat(m.group(1)) if m else None
    except ValueError:
        return None


def looks_like_digest(text: str) -> bool:
    """Whether a Markdown text is a digest at all: it has a ``## Daily Papers (YYYY-MM-DD)``
    header with a real date, or a ``###`` heading that holds an arXiv link.

    A README, or notes that show the format with placeholders, is not one.

    >>> looks_like_digest("### [T](https://arxiv.org/abs/2407.21705)")
    True
    >>> looks_like_digest("# Notes\\n## Daily Papers (YYYY-MM-DD)\\n### [Title](https://arxiv.org/abs/ID)")
    False
    """
    for line in text.splitlines():
        line = line.strip()
        if (m := _HEADER.match(line)) and _DATE_IN_NAME.fullmatch(m.group("date").strip()):
            return True
        if _PAPER.match(line) and ARXIV_URL.search(line):
            return True
    return False


def parse_digest(text: str, source: str = "<digest>") -> Digest:
    """Parse one digest's text. Problems travel in ``Digest.problems``; this never raises."""
    # Line ends first: strip_invisible drops control characters, "\r" among them.
    return _Reader(source, split_lines(text)).run()


def split_lines(text: str) -> list[str]:
    """The lines of a digest, as the parser numbers them: ``\\n``, ``\\r\\n`` and a lone ``\\r`` each end
    one; invisible characters are dropped and the text NFC-normalised.

    >>> split_lines("a\\r\\nb\\rc\\u200b\\nd")
    ['a', 'b', 'c', 'd']
    """
    return strip_invisible(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
