"""Concept mentions in a paper's title and summary (pure).

Two sources of evidence, both recorded on each ``Mention`` as its ``rule``:

- ``definition``: an abbreviation defined next to its long form, in the spirit of Schwartz & Hearst
  (2003): ``Long Form(ABBR)``, ``Long Form (ABBR)``, ``ABBR(Long Form)``, ``(Long Form; ABBR)``;
  and ``한국어(English Term)`` / ``English Term(한국어)`` glosses of a known concept (``gloss``).
- ``vocabulary``: a label of a known concept anywhere in the text. English labels need a word
  boundary on the left and no Latin letter or digit on the right, so Korean particles glued to a
  term (``DiT를``, ``LoRA와``) still match; plurals (``LLMs``) and space/hyphen variants too.

A defined abbreviation absent from the vocabulary becomes a ``DiscoveredConcept``; a definition in
the paper beats the vocabulary for the same abbreviation (``local``) so that an acronym with
another meaning is not merged on a guess.

>>> from kg.vocabulary import bundled_vocabulary
>>> ex = Extractor(bundled_vocabulary())
>>> found = ex.extract_text("Tora는 Diffusion Transformer(DiT)를 확장하고 LoRA와 결합합니다.", "whats-new")
>>> [(m.concept, m.label, m.rule) for m in found.mentions]
[('diffusion-transformer', 'Diffusion Transformer(DiT)', 'definition'), ('lora', 'LoRA', 'vocabulary')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.model import Concept, Extraction, Mention, Paper
from kg.normalize import slugify
from kg.vocabulary import Vocabulary

_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LATIN_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-'’.&/+]*(?:\s+[A-Za-z0-9][A-Za-z0-9\-'’.&/+]*)*\s*$")
_ABBR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-.]{0,11}$")
_PAREN = re.compile(r"\(([^()\n]{1,120})\)")
_BEFORE_ABBR = re.compile(r"([A-Za-z0-9][A-Za-z0-9\-.]{0,11})\s?$")
_LEFT = r"(?<![A-Za-z0-9])"
_RIGHT = r"(?:s|es)?(?![A-Za-z0-9])(?!-(?:[Bb]ench|[Ee]val|\d))"
# Abbreviations that name no concept (or too many to be useful as one).
_STOP_ABBRS = frozenset(
    {
        "AI",
        "API",
        "APIs",
        "GPU",
        "GPUs",
        "CPU",
        "ID",
        "IDs",
        "UI",
        "URL",
        "PDF",
        "FPS",
        "SOTA",
        "SoTA",
        "TB",
        "GB",
        "MB",
        "KB",
        "USD",
        "ETC",
        "EU",
        "US",
        "UK",
        "PhD",
        "IoU",
        "FLOPs",
        "KO",
        "EN",
    }
)


def is_abbreviation(token: str) -> bool:
    """An acronym-like token: short, no spaces, with two capitals or a capital and a digit.

    >>> [is_abbreviation(t) for t in ("DiT", "3DGS", "LoRA", "Sora", "ab", "2023")]
    [True, True, True, False, False, False]
    """
    if not _ABBR.match(token) or token in _STOP_ABBRS:
        return False
    upper = sum(c.isupper() for c in token)
    return upper >= 2 or (upper >= 1 and any(c.isdigit() for c in token))


def best_long_form(abbr: str, words: str) -> str | None:
    """Schwartz & Hearst's match: the shortest tail of ``words`` whose letters spell ``abbr``.

    Each letter or digit of the abbreviation, right to left, must occur in order in the long form,
    and the first one must start a word.

    >>> best_long_form("DiT", "a scalable Diffusion Transformer")
    'Diffusion Transformer'
    >>> best_long_form("3DGS", "using 3D Gaussian Splatting")
    '3D Gaussian Splatting'
    >>> best_long_form("XYZ", "Diffusion Transformer") is None
    True
    """
    s, i = len(abbr) - 1, len(words) - 1
    while s >= 0:
        c = abbr[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (words[i].lower() != c or (s == 0 and i > 0 and words[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = max(words.rfind(" ", 0, i + 1), words.rfind("-", 0, i + 1) if i >= 0 and words[i] == "-" else -1) + 1
    long_form = words[start:].strip(" -")
    if len(long_form) <= len(abbr) or (" " not in long_form and "-" not in long_form):
        return None
    return long_form


def _label_pattern(label: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", label.strip()) if p]
    return r"[\s\-]?".join(parts)


def _canon(text: str, fold: bool) -> str:
    text = re.sub(r"[\s\-]+", "", text)
    text = text.lower() if fold else text
    if len(text) > 3 and text.endswith("es") and not text.endswith("ses"):
        return text[:-2]
    return text[:-1] if len(text) > 2 and text.endswith("s") else text


def _case_sensitive(label: str) -> bool:
    return " " not in label and (sum(c.isupper() for c in label) >= 2 or any(c.isdigit() for c in label))


@dataclass(frozen=True)
class _Found:
    concept: str
    label: str
    start: int
    end: int
    rule: str


class Extractor:
    """Compiled matchers for one vocabulary; ``extract(paper)`` is pure and repeatable."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.exact: dict[str, str] = {}  # case-sensitive canon -> concept key
        self.folded: dict[str, str] = {}  # case-folded canon -> concept key
        self.korean: dict[str, str] = {}  # Korean label without spaces -> concept key
        latin: set[str] = set()
        korean: set[str] = set()
        for c in sorted(vocabulary.concepts.values(), key=lambda c: c.key):
            for label in (c.pref_label, *c.alt_labels):
                if _case_sensitive(label):
                    self.exact.setdefault(_canon(label, False), c.key)
                else:
                    self.folded.setdefault(_canon(label, True), c.key)
                latin.add(label)
            for label in c.ko_labels:
                self.korean.setdefault(re.sub(r"\s+", "", label), c.key)
                korean.add(label)
        by_length = sorted(latin, key=lambda s: (-len(s), s))
        sensitive = [_label_pattern(s) for s in by_length if _case_sensitive(s)]
        insensitive = [_label_pattern(s) for s in by_length if not _case_sensitive(s)]
        self._sensitive = re.compile(_LEFT + "(?:" + "|".join(sensitive) + ")" + _RIGHT) if sensitive else None
        self._insensitive = (
            re.compile(_LEFT + "(?:" + "|".join(insensitive) + ")" + _RIGHT, re.IGNORECASE) if insensitive else None
        )
        ko = [r"\s?".join(map(re.escape, s.split())) for s in sorted(korean, key=lambda s: (-len(s), s))]
        self._korean = re.compile("|".join(ko)) if ko else None

    def lookup(self, label: str) -> str | None:
        """The concept key a label names in the vocabulary, or ``None``."""
        label = label.strip()
        if _HANGUL.search(label):
            return self.korean.get(re.sub(r"\s+", "", label))
        return self.exact.get(_canon(label, False)) or self.folded.get(_canon(label, True))

    def extract(self, paper: Paper) -> Extraction:
        """Mentions in the title and every summary section of ``paper``."""
        return self.extract_sections([("title", paper.title)] + [(s.key, s.text) for s in paper.sections])

    def extract_text(self, text: str, section: str = "text") -> Extraction:
        """``extract`` for a bare text, as if it were the only section of a paper."""
        return self.extract_sections([(section, text)])

    def extract_sections(self, texts: list[tuple[str, str]]) -> Extraction:
        """Mentions in ``(section key, text)`` pairs that belong to one paper.

        Definitions are read first in every section, so an abbreviation defined in the details
        also resolves a bare use of it in the title.
        """
        definitions: dict[str, Concept] = {}
        local: dict[str, str] = {}
        found: list[tuple[str, _Found]] = []
        for section, text in texts:
            for f, concept in self._definitions(text):
                found.append((section, f))
                if concept is not None:
                    definitions.setdefault(concept.key, concept)
                abbr = f.label.rsplit("(", 1)[-1].rstrip(")") if f.label.endswith(")") else ""
                if abbr and is_abbreviation(abbr):
                    local.setdefault(abbr, f.concept)
        for section, text in texts:
            found.extend((section, f) for f in self._vocabulary_matches(text, local))
        mentions = _dedupe(found)
        used = {m.concept for m in mentions}
        return Extraction(mentions, tuple(c for k, c in sorted(definitions.items()) if k in used))

    # -- definitions ---------------------------------------------------------------------------

    def _definitions(self, text: str) -> Iterator[tuple[_Found, Concept | None]]:
        for m in _PAREN.finditer(text):
            before = text[: m.start()]
            parts = [p.strip() for p in re.split(r"[;,]", m.group(1)) if p.strip()]
            yield from self._definition_at(text, before, m.start(), m.end(), parts)

    def _definition_at(
        self, text: str, before: str, ps: int, pe: int, parts: list[str]
    ) -> Iterator[tuple[_Found, Concept | None]]:
        abbrs = [p for p in parts if is_abbreviation(p)]
        if abbrs:
            abbr = abbrs[0]
            others = [p for p in parts if p is not abbr and not _HANGUL.search(p)]
            tail = _LATIN_WORDS.search(before)
            candidates: list[tuple[str, int]] = []
            for other in others:  # (Long Form; ABBR) or (ABBR, Long Form)
                candidates.append((other, ps))
            if tail:  # Long Form (ABBR)
                words = tail.group(0).rstrip()
                limit = min(len(abbr) + 5, len(abbr) * 2)
                words = " ".join(words.split(" ")[-limit:])
                candidates.append((words, ps - len(tail.group(0)) + tail.group(0).find(words)))
            for words, offset in candidates:
                long_form = best_long_form(abbr, words)
                if long_form is None:
                    continue
                start = offset + words.rfind(long_form) if offset != ps else ps
                start = start if text[start : start + len(long_form)] == long_form else ps
                yield self._resolve(long_form, abbr, start, pe, text)
                return
            return
        # ABBR(Long Form): the token right before the parenthesis is the abbreviation.
        prev = _BEFORE_ABBR.search(before)
        if prev and is_abbreviation(prev.group(1)) and parts and not _HANGUL.search(parts[0]):
            long_form = best_long_form(prev.group(1), parts[0])
            if long_form is not None and long_form == parts[0]:
                yield self._resolve(long_form, prev.group(1), prev.start(1), pe, text)
                return
        # 한국어(English Term) and English Term(한국어): a gloss of a known concept.
        inner = " ".join(parts)
        if _HANGUL.search(inner):
            tail = _LATIN_WORDS.search(before)
            if tail and (key := self.lookup(tail.group(0))):
                start = ps - len(tail.group(0))
                yield _Found(key, text[start:pe], start, pe, "gloss"), None
        elif before.rstrip()[-1:] and _HANGUL.match(before.rstrip()[-1]) and (key := self.lookup(inner)):
            yield _Found(key, text[ps:pe], ps, pe, "gloss"), None

    def _resolve(self, long_form: str, abbr: str, start: int, end: int, text: str) -> tuple[_Found, Concept | None]:
        label = text[start:end]
        key = self.lookup(long_form)
        if key is not None:
            return _Found(key, label, start, end, "definition"), None
        key = slugify(long_form)
        concept = Concept(key=key, kind="DiscoveredConcept", pref_label=long_form, alt_labels=(abbr,))
        return _Found(key, label, start, end, "definition"), concept

    # -- known labels ----------------------------------------------------------------------------

    def _vocabulary_matches(self, text: str, local: dict[str, str]) -> Iterator[_Found]:
        for pattern, fold in ((self._sensitive, False), (self._insensitive, True)):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                label = m.group(0)
                stem = label[:-2] if label.endswith("es") and label[:-2] in local else label.rstrip("s")
                if label in local or stem in local:
                    key: str | None = local.get(label) or local.get(stem)
                    rule = "local"
                else:
                    key = (self.exact if not fold else self.folded).get(_canon(label, fold))
                    rule = "vocabulary"
                if key is not None:
                    yield _Found(key, label, m.start(), m.end(), rule)
        for abbr, key in local.items():
            if self.lookup(abbr) is None:  # a discovered abbreviation used bare later on
                for m in re.finditer(_LEFT + re.escape(abbr) + _RIGHT, text):
                    yield _Found(key, m.group(0), m.start(), m.end(), "local")
        if self._korean is not None:
            for m in self._korean.finditer(text):
                ko_key = self.korean.get(re.sub(r"\s+", "", m.group(0)))
                if ko_key is not None:
                    yield _Found(ko_key, m.group(0), m.start(), m.end(), "vocabulary")


_RULE_RANK = {"definition": 0, "gloss": 1, "local": 2, "vocabulary": 3}


def _dedupe(found: Iterable[tuple[str, _Found]]) -> tuple[Mention, ...]:
    """One mention per span: definitions win over plain matches inside them; sorted by position."""
    ordered = sorted(found, key=lambda sf: (sf[0], sf[1].start, _RULE_RANK[sf[1].rule], -sf[1].end))
    kept: list[Mention] = []
    covered: dict[str, list[tuple[int, int]]] = {}
    for section, f in ordered:
        spans = covered.setdefault(section, [])
        if any(s <= f.start and f.end <= e for s, e in spans):
            continue
        spans.append((f.start, f.end))
        kept.append(Mention(f.concept, f.label, section, f.start, f.end, f.rule))
    return tuple(sorted(kept, key=lambda m: (m.section != "title", m.section, m.start, m.concept)))
