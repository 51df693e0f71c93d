"""Hugging Face ``daily_papers`` API JSON -> ``Digest`` (pure: never opens files, never raises on any text).

A file is the API's answer for one day, named ``YYYY-MM-DD.json``: an array of items
``{"paper": {"id", "title", "authors": [{"name", "hidden"}], "upvotes", "summary", "publishedAt",
"ai_keywords"?, "githubRepo"?, "projectPage"?}, "title", "summary"?, ...}``. Also read: the
``{"status": ..., "data": [...]}`` wrapper, items written as Python-repr strings, and flat
paper objects (an item that is itself the ``paper``).

- The digest day is the file name's date: ``submittedOnDailyAt`` is a UTC time, a day off in
  about 45% of items, and ``publishedAt`` is the arXiv day (kept as ``Paper.published``).
- Titles and abstracts lose arXiv's hard wraps (white space collapsed).
- An author with ``"hidden": true`` is still a named author: on Hugging Face the flag means the
  (claimed) author hid the paper from their profile, and the Korean digests list such authors
  by name. An author entry without a name is recorded like the digests' ``+``: a hidden author
  at that position (``Paper.hidden_after``).
- Every problem is a ``Problem`` at the JSON line of the offending item (or of its field); the
  other items still go in.

>>> d = parse_hf_json('''[{"paper": {"id": "2503.03601", "title": "Sparse\\\\n  Autoencoders",
...   "authors": [{"name": "Kristian Kuznetsov", "hidden": false}], "upvotes": 58,
...   "summary": "We study\\\\nfeatures.", "publishedAt": "2025-03-05T15:33:52.000Z",
...   "ai_keywords": ["Sparse Autoencoders", "residual stream"]}}]''', source="2025-03-11.json")
>>> p = d.papers[0]
>>> p.arxiv_id, p.title, p.authors, p.votes, p.date.isoformat(), p.published.isoformat()
('2503.03601', 'Sparse Autoencoders', ('Kristian Kuznetsov',), 58, '2025-03-11', '2025-03-05')
>>> p.abstract_en, p.keywords_text, d.problems
('We study features.', 'Sparse Autoencoders; residual stream', ())
"""

from __future__ import annotations

import ast
import bisect
import contextlib
import datetime as dt
import json
import re
import reprlib
from dataclasses import dataclass, field

from kg.model import HF_API, Digest, Paper, Problem
from kg.normalize import clean_text, normalize_arxiv_id
from kg.parse import date_in_file_name

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_SHAPE = re.compile(r"^\ufeff?\s*(?:\[|\{\s*\"(?:data|status)\"\s*:)")
_MAX_REPR = 2_000_000


def looks_like_hf_json(text: str) -> bool:
    """Whether ``text`` is shaped like a daily_papers answer (an array, or the ``data`` wrapper).

    >>> looks_like_hf_json('[{"paper": {}}]'), looks_like_hf_json('{"name": "a package"}')
    (True, False)
    """
    return _SHAPE.match(text) is not None


@dataclass
class _Reader:
    """Walks the top-level array item by item, so that each item keeps its line number."""

    text: str
    source: str
    problems: list[Problem] = field(default_factory=list)
    newlines: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.newlines = [m.start() for m in re.finditer("\n", self.text)]

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def report(self, pos: int, message: str, severity: str = "error") -> None:
        self.problems.append(
            Problem(self.source, self.line(pos), message, "warning" if severity == "warning" else "error")
        )

    def skip(self, pos: int) -> int:
        m = _SPACE.match(self.text, pos)
        return m.end() if m else pos

    def items(self) -> list[tuple[int, int, object]]:
        """``(start, end, value)`` of every item that decodes; problems for the rest."""
        pos = self.skip(1 if self.text.startswith("\ufeff") else 0)
        if self.text.startswith("{", pos):
            pos = self.find_data(pos)
            if pos < 0:
                return []
        if not self.text.startswith("[", pos):
            self.report(pos, 'expected a JSON array of daily_papers items (or {"data": [...]}); nothing read')
            return []
        found, end = self.array(pos)
        if end >= 0 and self.skip(end) < len(self.text) and not self.text.startswith("}", self.skip(end)):
            self.report(self.skip(end), "unexpected text after the array; ignored", "warning")
        return found

    def find_data(self, pos: int) -> int:
        """The position of the ``data`` array inside ``{"status": ..., "data": [...]}``, or -1."""
        pos = self.skip(pos + 1)
        while pos < len(self.text) and self.text[pos] == '"':
            try:
                key, pos = _DECODER.raw_decode(self.text, pos)
                pos = self.skip(pos)
                if not self.text.startswith(":", pos):
                    break
                pos = self.skip(pos + 1)
                if key == "data":
                    return pos
                _, pos = _DECODER.raw_decode(self.text, pos)
            except (json.JSONDecodeError, RecursionError):
                break
            pos = self.skip(pos)
            pos = self.skip(pos + 1) if self.text.startswith(",", pos) else pos
        self.report(pos, 'expected a JSON array of daily_papers items (or {"data": [...]}); nothing read')
        return -1

    def array(self, pos: int) -> tuple[list[tuple[int, int, object]], int]:
        found: list[tuple[int, int, object]] = []
        pos = self.skip(pos + 1)
        if self.text.startswith("]", pos):
            return found, pos + 1
        while pos < len(self.text):
            start = pos
            try:
                value, pos = _DECODER.raw_decode(self.text, pos)
            except (json.JSONDecodeError, RecursionError) as err:
                at = err.pos if isinstance(err, json.JSONDecodeError) else start
                reason = err.msg if isinstance(err, json.JSONDecodeError) else "nested too deeply"
                pos = self.resume(start, at)
                what = "skipped; reading resumes at the next item" if pos >= 0 else "it and the rest are skipped"
                self.report(at, f"not valid JSON ({reason}) in the item starting at line {self.line(start)}; {what}")
                if pos < 0:
                    return found, -1
                continue
            found.append((start, pos, value))
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
            elif self.text.startswith("]", pos):
                return found, pos + 1
            else:
                self.report(pos, "expected ',' or ']' after an item; the rest is skipped")
                return found, -1
        self.report(len(self.text), "the array never closes (truncated file?); the items read so far are kept")
        return found, -1

    def resume(self, start: int, at: int) -> int:
        """After a broken item, the start of the next item at the same indentation, or -1."""
        indent = self.text[self.text.rfind("\n", 0, start) + 1 : start]
        if indent.strip():
            return -1
        nxt = self.text.find("\n" + indent + "{", max(at, start + 1))
        return -1 if nxt < 0 else nxt + 1 + len(indent)

    def key_pos(self, start: int, end: int, key: str) -> int:
        """Where ``"key"`` first appears in an item, for a problem's line; the item start if absent."""
        found = self.text.find(f'"{key}"', start, end)
        return start if found < 0 else found


def parse_hf_json(text: str, source: str = "<json>") -> Digest:
    """Parse one daily_papers JSON file's text. Problems travel in ``Digest.problems``."""
    reader = _Reader(text, source)
    date = date_in_file_name(source)
    if date is None:
        reader.report(0, "expected a YYYY-MM-DD.json file name: papers are built without a digest date", "warning")
    papers: list[Paper] = []
    seen: dict[str, int] = {}
    for start, end, value in reader.items():
        paper = _paper(reader, start, end, value, date)
        if paper is None:
            continue
        if paper.arxiv_id in seen:
            reader.report(
                start,
                f"paper {paper.arxiv_id} is listed again (first at line {seen[paper.arxiv_id]}); "
                "both listings are merged into one paper",
                "warning",
            )
        else:
            seen[paper.arxiv_id] = paper.line
        papers.append(paper)
    return Digest(source, date, tuple(papers), tuple(reader.problems))


def _as_object(reader: _Reader, start: int, value: object) -> dict[str, object] | None:
    """An item as a dict: a JSON object, or a Python-repr string of one (older dumps)."""
    if isinstance(value, str) and value.lstrip().startswith("{") and len(value) <= _MAX_REPR:
        with contextlib.suppress(ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            value = ast.literal_eval(value.strip())
    if isinstance(value, dict):
        return value
    reader.report(start, f"expected an item object, got {_kind(value)}; skipped")
    return None


def _paper(reader: _Reader, start: int, end: int, value: object, date: dt.date | None) -> Paper | None:
    item = _as_object(reader, start, value)
    if item is None:
        return None
    paper = item.get("paper", item)
    if not isinstance(paper, dict):
        reader.report(
            reader.key_pos(start, end, "paper"), f"expected 'paper' to be an object, got {_kind(paper)}; skipped"
        )
        return None
    raw_id = paper.get("id")
    arxiv_id = normalize_arxiv_id(raw_id) if isinstance(raw_id, str) else None
    if arxiv_id is None:
        reader.report(start, f"expected an arXiv id in 'paper.id', got {_show(raw_id)}; this item is skipped")
        return None
    title = _text(paper.get("title")) or _text(item.get("title"))
    if not title:
        reader.report(start, f"paper {arxiv_id} has no title; this item is skipped")
        return None

    def at(key: str) -> int:
        return reader.key_pos(start, end, key)

    authors, hidden = _authors(reader, at("authors"), arxiv_id, paper.get("authors"))
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        authors=authors,
        votes=_votes(reader, at("upvotes"), arxiv_id, paper.get("upvotes")),
        sections=(),
        date=date,
        source=reader.source,
        line=reader.line(start),
        hidden_after=hidden,
        abstract_en=_text(paper.get("summary")) or _text(item.get("summary")),
        keywords=_keywords(reader, at("ai_keywords"), arxiv_id, paper.get("ai_keywords")),
        published=_published(reader, at("publishedAt"), arxiv_id, paper.get("publishedAt", item.get("publishedAt"))),
        code_url=_url(reader, at("githubRepo"), arxiv_id, "githubRepo", paper.get("githubRepo")),
        project_url=_url(reader, at("projectPage"), arxiv_id, "projectPage", paper.get("projectPage")),
        origin=HF_API,
    )


def _authors(reader: _Reader, pos: int, arxiv_id: str, raw: object) -> tuple[tuple[str, ...], tuple[int, ...]]:
    if raw is None:
        reader.report(pos, f"paper {arxiv_id} has no 'authors'; built without authors", "warning")
        return (), ()
    if not isinstance(raw, list):
        reader.report(pos, f"expected 'authors' to be a list, got {_kind(raw)}; built without authors", "warning")
        return (), ()
    names: list[str] = []
    hidden: list[int] = []
    for entry in raw:
        name = _text(entry.get("name") if isinstance(entry, dict) else entry)
        if name:
            names.append(name)
        elif not hidden or hidden[-1] != len(names):  # a nameless author: like the digests' '+'
            hidden.append(len(names))
    if hidden:
        reader.report(pos, f"paper {arxiv_id} has authors without a name; recorded as hidden authors", "warning")
    return tuple(names), tuple(hidden)


def _votes(reader: _Reader, pos: int, arxiv_id: str, raw: object) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw
    got = "nothing" if raw is None else _show(raw)
    reader.report(pos, f"paper {arxiv_id}: expected a count in 'upvotes', got {got}; vote left out", "warning")
    return None


def _keywords(reader: _Reader, pos: int, arxiv_id: str, raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.report(
            pos, f"paper {arxiv_id}: expected 'ai_keywords' to be a list, got {_kind(raw)}; left out", "warning"
        )
        return ()
    kept = [_text(k) for k in raw if isinstance(k, str)]
    if len(kept) < len(raw):
        reader.report(
            pos, f"paper {arxiv_id}: {len(raw) - len(kept)} 'ai_keywords' entries are not text; left out", "warning"
        )
    return tuple(dict.fromkeys(k for k in kept if k))


def _published(reader: _Reader, pos: int, arxiv_id: str, raw: object) -> dt.date | None:
    if raw is None:
        return None
    try:
        stamp = dt.datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        stamp = None
    if stamp is None:
        reader.report(
            pos, f"paper {arxiv_id}: expected an ISO time in 'publishedAt', got {_show(raw)}; left out", "warning"
        )
        return None
    return (stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp).date()


def _url(reader: _Reader, pos: int, arxiv_id: str, key: str, raw: object) -> str:
    url = raw.strip() if isinstance(raw, str) else ""
    if raw is None or (isinstance(raw, str) and not url) or _URL.match(url):
        return url
    reader.report(pos, f"paper {arxiv_id}: expected an http(s) URL in '{key}', got {_show(raw)}; left out", "warning")
    return ""


def _text(raw: object) -> str:
    return clean_text(raw) if isinstance(raw, str) else ""


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


def _show(value: object, limit: int = 40) -> str:
    text = reprlib.repr(value)
    return text if len(text) <= limit else text[:limit] + "…"
