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

A paper's API keywords (``Paper.keywords``, Hugging Face ``ai_keywords``) name one concept each,
rule ``ai-keyword``, section ``keywords``, offsets into the keywords joined with ``"; "``: a
curated label in any case or plural, ``Long Form (ABBR)`` or ``ABBR (Long Form)`` resolved like a
definition, an abbreviation another keyword defines, a variant (``ZipLoRA``), or else a
discovered concept keyed by its long form and typed by its head noun.

>>> from kg.vocabulary import bundled_vocabulary
>>> ex = Extractor(bundled_vocabulary())
>>> found = ex.extract_text("Tora는 Diffusion Transformer(DiT)를 확장하고 LoRA와 결합합니다.", "whats-new")
>>> [(m.concept, m.label, m.rule) for m in found.mentions]
[('diffusion-transformer', 'Diffusion Transformer(DiT)', 'definition'), ('lora', 'LoRA', 'vocabulary')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from kg.alternation import label_atoms, trie_pattern
from kg.korean import korean_phrases
from kg.longforms import STOP_ABBRS, best_long_form, is_abbreviation
from kg.model import KEYWORD_SEPARATOR, KEYWORDS, Concept, Extraction, Mention, Paper
from kg.normalize import HANGUL
from kg.terms import (
    _KOREAN_TAIL,
    classify_term,
    concept_key,
    ends_in_korean_head,
    english_terms,
    korean_headed_terms,
    mixed_labels,
    names_a_method,
    numbered_keys,
)
from kg.titles import title_definitions, title_phrases
from kg.vocabulary import Vocabulary

_LATIN_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-'’.&/+]*(?:\s+[A-Za-z0-9][A-Za-z0-9\-'’.&/+]*)*\s*$")
_ABBR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-.]{0,11}$")
_PAREN = re.compile(r"\(([^()\n]{1,120})\)")
_BEFORE_WINDOW = 2000  # characters before a parenthesis searched for its long form or abbreviation
_BEFORE_ABBR = re.compile(r"([A-Za-z0-9][A-Za-z0-9\-.]{0,11})\s?$")
_LEFT = r"(?<![A-Za-z0-9])"
_RIGHT = r"(?:s|es)?(?![A-Za-z0-9])(?!-(?:[Bb]ench|[Ee]val|\d))"


def section_texts(paper: Paper) -> list[tuple[str, str]]:
    """``(section id, text)`` of a paper's summary; a key seen twice (a paper merged from two
    listings) gets a number, so that section ids, and so mention IRIs, stay unique."""
    keys = numbered_keys(s.key for s in paper.sections)
    return [(key, s.text) for key, s in zip(keys, paper.sections, strict=True)]


_LOOKUPS_KEPT = 200_000  # labels whose lookup an extractor remembers
_SEP = r"[\s\-]?"  # between the words of a label: a space, a hyphen or nothing


_GAPS = re.compile(r"[\s\-]+")  # spaces and hyphens between words
_SPACES = re.compile(r"\s+")
_CHECKPOINT = re.compile(r"(?:^|-)\d+(?:\.\d+)?[BMK]?(?:-|$)")  # X-70B-SFT
_LIST_SEPARATORS = re.compile(r"[;,]")


def _label_words(label: str) -> list[str]:
    return [p for p in _GAPS.split(label.strip()) if p]


@lru_cache(maxsize=4096)
def _bare_pattern(abbr: str) -> re.Pattern[str]:
    """An abbreviation used bare, as a whole word (compiled once: papers reuse abbreviations)."""
    return re.compile(_LEFT + re.escape(abbr) + _RIGHT)


def _canon(text: str, fold: bool) -> str:
    text = _GAPS.sub("", text)
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
                self.korean.setdefault(_SPACES.sub("", label), c.key)
                korean.add(label)
        for c in sorted(vocabulary.concepts.values(), key=lambda c: c.key):
            for label in (c.pref_label, *c.alt_labels):
                for mixed in mixed_labels(label):
                    self.korean.setdefault(_SPACES.sub("", mixed), c.key)
                    korean.add(mixed)
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        for c in sorted(vocabulary.concepts.values(), key=lambda c: c.key):
            for label in c.ambiguous:
                self.ambiguous[label] = (*self.ambiguous.get(label, ()), c.key)
        self._korean_folded = {k.lower(): v for k, v in self.korean.items()}
        self.acronyms = {  # technique acronyms that brand-name variants are built on (ZipLoRA, ED-LoRA)
            label: c.key
            for c in vocabulary.concepts.values()
            if c.kind == "Technique"
            for label in (c.pref_label, *c.alt_labels)
            if _case_sensitive(label) and len(label) >= 3 and label.isalnum() and c.key not in _MODEL_CLASSES
        }
        self._acronym_order = {a: i for i, a in enumerate(self.acronyms)}  # the first variant base found wins
        self._acronym_lengths = sorted({len(a) for a in self.acronyms})
        # Each set of labels is one trie-shaped pattern (kg.alternation): the longest label wins.
        sensitive = [_label_words(s) for s in latin if _case_sensitive(s)]
        insensitive = [_label_words(s) for s in latin if not _case_sensitive(s)]
        self._sensitive = (
            re.compile(_LEFT + trie_pattern(label_atoms(w, _SEP, False) for w in sensitive) + _RIGHT)
            if sensitive
            else None
        )
        self._insensitive = (
            re.compile(_LEFT + trie_pattern(label_atoms(w, _SEP, True) for w in insensitive) + _RIGHT, re.IGNORECASE)
            if insensitive
            else None
        )
        # Names recur across papers: each is looked up, and judged as a variant, once.
        self._lookup_once = lru_cache(maxsize=_LOOKUPS_KEPT)(self._lookup)
        self._variant_once = lru_cache(maxsize=_LOOKUPS_KEPT)(self._variant)
        ko = [label_atoms(s.split(), r"\s?", True) for s in korean]
        self._korean = re.compile(r"(?<![A-Za-z0-9])" + trie_pattern(ko), re.IGNORECASE) if ko else None

    def lookup(self, label: str) -> str | None:
        """The concept key a label names in the vocabulary, or ``None``."""
        return self._lookup_once(label)

    def _lookup(self, label: str) -> str | None:
        label = label.strip()
        if HANGUL.search(label):
            return self.korean.get(_SPACES.sub("", label))
        return self.exact.get(_canon(label, False)) or self.folded.get(_canon(label, True))

    def extract(self, paper: Paper) -> Extraction:
        """Mentions in the title and every summary section of ``paper``, and in its API keywords."""
        found = self.extract_sections([("title", paper.title), *section_texts(paper)])
        if not paper.keywords:
            return found
        keywords = self.extract_keywords(paper.keywords)
        discovered = {c.key: c for c in (*keywords.discovered, *found.discovered)}
        mentions = sorted((*found.mentions, *keywords.mentions), key=_mention_order)
        return Extraction(tuple(mentions), tuple(c for _, c in sorted(discovered.items())))

    def extract_keywords(self, keywords: Sequence[str]) -> Extraction:
        """One mention per keyword that names a concept (see the module doc).

        >>> from kg.vocabulary import bundled_vocabulary
        >>> ex = Extractor(bundled_vocabulary())
        >>> found = ex.extract_keywords(["large language models (LLMs)", "Residual streams", "SOTA"])
        >>> [(m.concept, m.start, m.end) for m in found.mentions], [c.key for c in found.discovered]
        ([('large-language-model', 0, 28), ('residual-stream', 30, 46)], ['residual-stream'])
        """
        text = KEYWORD_SEPARATOR.join(keywords)
        spans: list[tuple[str, int]] = []
        for keyword in keywords:
            start = spans[-1][1] + len(spans[-1][0]) + len(KEYWORD_SEPARATOR) if spans else 0
            spans.append((keyword, start))
        chosen: dict[int, tuple[str, Concept | None]] = {}
        local: dict[str, str] = {}
        for keyword, start in spans:  # definitions first: they resolve bare abbreviations elsewhere
            pair = _keyword_definition(keyword)
            if pair is not None:
                f, concept = self._resolve(pair[0], pair[1], start, start + len(keyword), text)
                chosen[start] = (f.concept, concept)
                local.setdefault(pair[1], f.concept)
        for keyword, start in spans:
            if start not in chosen and (found := self._keyword_concept(keyword, local)) is not None:
                chosen[start] = found
        named = {key for key, _ in chosen.values()}
        for keyword, start in spans:  # an ambiguous acronym: the one sense the keywords also name
            senses = [k for k in self.ambiguous.get(keyword, ()) if k in named]
            if start not in chosen and len(senses) == 1:
                chosen[start] = (senses[0], None)
        mentions = tuple(
            Mention(chosen[start][0], keyword, KEYWORDS, start, start + len(keyword), "ai-keyword")
            for keyword, start in spans
            if start in chosen
        )
        discovered = {c.key: c for _, c in chosen.values() if c is not None}
        return Extraction(mentions, tuple(c for _, c in sorted(discovered.items())))

    def _keyword_concept(self, keyword: str, local: dict[str, str]) -> tuple[str, Concept | None] | None:
        """The concept a keyword that defines nothing names; ``None`` for stop words and ambiguous acronyms."""
        if keyword in STOP_ABBRS or keyword in self.ambiguous or not any(c.isalnum() for c in keyword):
            return None
        key = local.get(keyword) or local.get(keyword.removesuffix("s")) or self.lookup(keyword)
        if key is not None:
            return key, None
        for f, concept in self._variants(keyword):
            if (f.start, f.end) == (0, len(keyword)):
                return concept.key, concept
        phrase = _without_abbreviation(keyword)
        if phrase != keyword and (key := self.lookup(phrase)) is not None:
            return key, None
        concept = Concept(concept_key(phrase), classify_term(phrase), phrase, curated=False)
        return concept.key, concept

    def is_known(self, label: str) -> bool:
        """A label the vocabulary knows, or an abbreviation that names nothing in particular."""
        return label in STOP_ABBRS or self.lookup(label) is not None

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
            if section == "title":  # "VPTQ: ... Vector Post-Training Quantization ..."
                for long_form, abbr, start, end in title_definitions(text):
                    f, concept = self._resolve(long_form, abbr, start, end, text)
                    found.append((section, f))
                    if concept is not None:
                        definitions.setdefault(concept.key, concept)
                    local.setdefault(abbr, f.concept)
        for section, text in texts:
            found.extend((section, f) for f in self._vocabulary_matches(text, local))
        named = {f.concept for _, f in found}
        for section, text in texts:
            found.extend((section, f) for f in self._ambiguous_matches(text, local, named))
        blocking: dict[str, list[tuple[int, int]]] = {}  # a term may hold a known label, not overlap a definition
        known: dict[str, set[tuple[int, int]]] = {}
        for section, f in found:
            if f.rule in ("definition", "gloss", "local"):
                blocking.setdefault(section, []).append((f.start, f.end))
            known.setdefault(section, set()).add((f.start, f.end))
        for section, text in texts:
            for f, concept in self._variants(text):
                if (f.start, f.end) not in known.get(section, set()):
                    found.append((section, f))
                    definitions.setdefault(concept.key, concept)
                    known.setdefault(section, set()).add((f.start, f.end))
        # Korean-headed terms ("SEMANTIC 토큰화"), then names wholly in Korean ("계층적 토큰화"): like
        # English terms they may hold a known technique, and each blocks later terms over its span.
        for korean_terms in (korean_headed_terms, korean_phrases):
            for section, text in texts:
                for concept, label, start, end in korean_terms(text, blocking.get(section, []), self.is_known):
                    if (start, end) in known.get(section, set()):
                        continue
                    found.append((section, _Found(concept.key, label, start, end, "term")))
                    definitions.setdefault(concept.key, concept)
                    blocking.setdefault(section, []).append((start, end))
        for section, text in texts:
            for concept, label, start, end in english_terms(text, blocking.get(section, []), known.get(section, set())):
                found.append((section, _Found(concept.key, label, start, end, "term")))
                definitions.setdefault(concept.key, concept)
        for section, text in texts:
            if section != "title":
                continue
            spans = blocking.get(section, []) + list(known.get(section, set()))
            for phrase, start, end in title_phrases(text):
                if self.is_known(phrase) or any(s < end and start < e for s, e in spans):
                    continue
                concept = Concept(concept_key(phrase), "Technique", phrase, curated=False)
                found.append((section, _Found(concept.key, phrase, start, end, "term")))
                definitions.setdefault(concept.key, concept)
        mentions = _dedupe(found)
        used = {m.concept for m in mentions}
        return Extraction(mentions, tuple(c for k, c in sorted(definitions.items()) if k in used))

    def _variants(self, text: str) -> Iterator[tuple[_Found, Concept]]:
        """``ZipLoRA``, ``ED-LoRA``, ``VideoRAG``: a name built on a technique acronym is a variant of it.

        The acronym must sit at either end of the name, after a hyphen or a change of case, and the
        rest must carry a capital or a digit ("LoRA-based" is an adjective, not a variant).
        """
        for m in _NAME.finditer(text):
            if text[m.start() - 1 : m.start()] == ".":
                continue
            name = m.group(0)
            concept = self._variant_once(name)
            if concept is not None:
                yield _Found(concept.key, name, m.start(), m.end(), "variant"), concept

    def _variant(self, name: str) -> Concept | None:
        """The variant concept a name is, or ``None`` (see ``_variants``)."""
        if self.lookup(name) is not None or name in STOP_ABBRS or _CHECKPOINT.search(name):
            return None  # a known name, a stop word or a checkpoint such as X-70B-SFT
        ends = {name[:n] for n in self._acronym_lengths} | {name[-n:] for n in self._acronym_lengths}
        for acronym in sorted(ends & self.acronyms.keys(), key=self._acronym_order.__getitem__):
            key = self.acronyms[acronym]
            if name == acronym:
                continue
            rest = None
            if name.endswith(acronym) and (name[-len(acronym) - 1] == "-" or name[-len(acronym) - 1].islower()):
                rest = name[: -len(acronym)].rstrip("-")
            elif name.startswith(acronym) and (name[len(acronym)] == "-" or name[len(acronym)].isupper()):
                rest = name[len(acronym) :].lstrip("-")
            if rest and any(c.isupper() or c.isdigit() for c in rest):
                return Concept(concept_key(name), "Technique", name, broader=(key,), curated=False)
        return None

    def _ambiguous_matches(self, text: str, local: dict[str, str], named: set[str]) -> Iterator[_Found]:
        """A bare ambiguous acronym names the one sense the paper also names another way, else nothing."""
        for abbr, senses in self.ambiguous.items():
            if abbr in local:
                continue  # defined in this paper: the local rule links it
            present = [k for k in senses if k in named]
            if len(present) != 1:
                continue
            for m in _bare_pattern(abbr).finditer(text):
                yield _Found(present[0], m.group(0), m.start(), m.end(), "context")

    # -- definitions ---------------------------------------------------------------------------

    def _definitions(self, text: str) -> Iterator[tuple[_Found, Concept | None]]:
        for m in _PAREN.finditer(text):
            lo = max(0, m.start() - _BEFORE_WINDOW)  # a bounded look back: linear in the text's length
            parts = [p.strip() for p in _LIST_SEPARATORS.split(m.group(1)) if p.strip()]
            yield from self._definition_at(text, text[lo : m.start()], lo, m.start(), m.end(), parts)

    def _definition_at(
        self, text: str, before: str, lo: int, ps: int, pe: int, parts: list[str]
    ) -> Iterator[tuple[_Found, Concept | None]]:
        """The definition a parenthesis at ``ps``-``pe`` makes; ``before``: the text from ``lo`` to it."""
        abbrs = [p for p in parts if is_abbreviation(p)]
        korean_long = self._korean_long_form(before, parts, abbrs)
        if korean_long is not None:
            short, korean, at = korean_long
            yield self._resolve_korean(short, korean, lo + at if at >= 0 else ps, pe, text)
            return
        if abbrs:
            abbr = abbrs[0]
            for other in parts:  # (Long Form; ABBR) or (ABBR, Long Form): the evidence is the parenthesis
                if other is not abbr and not HANGUL.search(other):
                    long_form = best_long_form(abbr, other)
                    if long_form is not None:
                        yield self._resolve(long_form, abbr, ps, pe, text)
                        return
            tail = _LATIN_WORDS.search(before)
            if tail:  # Long Form (ABBR): the evidence starts at the long form
                long_form = best_long_form(abbr, tail.group(0).strip())
                if long_form is not None:
                    start = before.rstrip().rfind(long_form)
                    yield self._resolve(long_form, abbr, lo + start if start >= 0 else ps, pe, text)
            return
        # ABBR(Long Form): the token right before the parenthesis is the abbreviation.
        prev = _BEFORE_ABBR.search(before)
        if prev and is_abbreviation(prev.group(1)) and parts and not HANGUL.search(parts[0]):
            long_form = best_long_form(prev.group(1), parts[0])
            if long_form is not None and long_form == parts[0]:
                yield self._resolve(long_form, prev.group(1), lo + prev.start(1), pe, text)
                return
        # 한국어(English Term) and English Term(한국어): a gloss of a known concept.
        inner = " ".join(parts)
        if HANGUL.search(inner):
            tail = _LATIN_WORDS.search(before)
            if tail and (key := self.lookup(tail.group(0))):
                start = ps - len(tail.group(0))
                yield _Found(key, text[start:pe], start, pe, "gloss"), None
        elif before.rstrip()[-1:] and HANGUL.match(before.rstrip()[-1]) and (key := self.lookup(inner)):
            yield _Found(key, text[ps:pe], ps, pe, "gloss"), None

    def _korean_long_form(self, before: str, parts: list[str], abbrs: list[str]) -> tuple[str, str, int] | None:
        """``HPO(하이퍼 파라미터 최적화)`` or ``하이퍼 파라미터 최적화(HPO)``: an abbreviation whose long form
        is Korean, ending in a technique head noun. Returns (abbreviation, Korean long form, start)."""
        inner = " ".join(parts)
        prev = _BEFORE_ABBR.search(before)
        korean_inside = HANGUL.search(inner) and not _LATIN_IN.search(inner)
        if prev and is_abbreviation(prev.group(1)) and korean_inside and ends_in_korean_head(inner):
            return prev.group(1), inner, prev.start(1)
        if len(abbrs) == 1 and len(parts) == 1:
            tail = _KOREAN_TAIL.search(before)
            if tail and ends_in_korean_head(tail.group(0).strip()):
                phrase = tail.group(0).strip()
                return abbrs[0], phrase, before.rstrip().rfind(phrase)
        return None

    def _resolve_korean(
        self, abbr: str, long_form: str, start: int, end: int, text: str
    ) -> tuple[_Found, Concept | None]:
        label = text[start:end]
        key = self.lookup(long_form) or self.exact.get(_canon(abbr, False))
        if key is not None and key not in _MODEL_CLASSES:
            return _Found(key, label, start, end, "definition"), None
        concept = Concept(concept_key(abbr.lower()), "Technique", abbr, ko_labels=(long_form,), curated=False)
        return _Found(concept.key, label, start, end, "definition"), concept

    def _resolve(self, long_form: str, abbr: str, start: int, end: int, text: str) -> tuple[_Found, Concept | None]:
        label = text[start:end]
        key = self.lookup(long_form) or self._same_as_vocabulary(long_form, abbr)
        if key is not None:
            return _Found(key, label, start, end, "definition"), None
        key = concept_key(long_form)
        kind = classify_term(long_form)
        if kind == "DiscoveredConcept" and names_a_method(long_form):
            kind = "Technique"  # "Chain of Draft (CoD)": a defined name in an AI summary is most often a method
        concept = Concept(key=key, kind=kind, pref_label=long_form, alt_labels=(abbr,), curated=False)
        return _Found(key, label, start, end, "definition"), concept

    def _same_as_vocabulary(self, long_form: str, abbr: str) -> str | None:
        """The vocabulary concept of ``abbr`` when ``long_form`` is a near spelling of its long form.

        "Low-Rank Adaption (LoRA)" is LoRA; "Attack Success Rate (ASR)" is not speech recognition.
        """
        key = self.exact.get(_canon(abbr, False))
        if key is None:
            return None
        concept = self.vocabulary.concepts[key]
        wanted = long_form.lower()
        for label in (concept.pref_label, *concept.alt_labels):
            if " " in label and SequenceMatcher(None, wanted, label.lower()).ratio() >= 0.85:
                return key
        return None

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
                for m in _bare_pattern(abbr).finditer(text):
                    yield _Found(key, m.group(0), m.start(), m.end(), "local")
        if self._korean is not None:
            for m in self._korean.finditer(text):
                joined = _SPACES.sub("", m.group(0))
                ko_key = self.korean.get(joined) or self._korean_folded.get(joined.lower())
                if ko_key is not None:
                    yield _Found(ko_key, m.group(0), m.start(), m.end(), "vocabulary")


_RULE_RANK = {"definition": 0, "gloss": 1, "local": 2, "context": 3, "vocabulary": 4, "variant": 5, "term": 6}
# Model classes: a name built on them (OpenVLA, VideoLLM) is a model, not a technique variant.
_MODEL_CLASSES = frozenset(
    """
    language-model large-language-model large-multimodal-model large-vision-language-model
    multimodal-large-language-model small-language-model vision-language-action-model
    vision-language-model
    """.split()
)
_LATIN_IN = re.compile(r"[A-Za-z]{2,}")
_NAME = re.compile(r"(?<![A-Za-z0-9\-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![A-Za-z0-9\-])")


_KEYWORD_PAIR = re.compile(r"(?P<outside>[^()]+?)\s*\((?P<inside>[^()]+)\)")


def _keyword_definition(keyword: str) -> tuple[str, str] | None:
    """``(long form, abbreviation)`` of a keyword ``Long Form (ABBR)`` or ``ABBR (Long Form)``.

    >>> _keyword_definition("LLMs (Large Language Models)"), _keyword_definition("function evaluations (NFEs)")
    (('Large Language Models', 'LLMs'), None)
    """
    m = _KEYWORD_PAIR.fullmatch(keyword)
    if m is None:
        return None
    outside, inside = m.group("outside").strip(), m.group("inside").strip()
    abbr, words = (inside, outside) if is_abbreviation(inside) else (outside, inside)
    if not is_abbreviation(abbr) or is_abbreviation(words):
        return None
    long_form = best_long_form(abbr, words)
    return (long_form, abbr) if long_form is not None else None


_INNER = re.compile(r"\s*\(\s*([^()]*?)\s*\)")


def _without_abbreviation(keyword: str) -> str:
    """A keyword without parenthesised abbreviations that define nothing in it.

    >>> _without_abbreviation("Chain-of-Thought (CoT) reasoning"), _without_abbreviation("f (x)")
    ('Chain-of-Thought reasoning', 'f (x)')
    """
    bare = _INNER.sub(lambda m: "" if is_abbreviation(m.group(1)) else m.group(0), keyword).strip()
    return bare if any(c.isalnum() for c in bare) else keyword


def _mention_order(m: Mention) -> tuple[bool, str, int, str]:
    return (m.section != "title", m.section, m.start, m.concept)


def _dedupe(found: Iterable[tuple[str, _Found]]) -> tuple[Mention, ...]:
    """One mention per span: definitions win over plain matches inside them; sorted by position."""
    ordered = sorted(found, key=lambda sf: (sf[0], sf[1].start, _RULE_RANK[sf[1].rule], -sf[1].end))
    kept: list[Mention] = []
    reach: dict[str, int] = {}  # per section, the furthest end of a span kept so far
    for section, f in ordered:
        # every span kept so far starts at or before f (sorted by start): f is inside one of them
        # exactly when the furthest of their ends reaches f's end
        if reach.get(section, -1) >= f.end:
            continue
        if f.rule != "term":  # a term ("audio-conditioned Transformer decoder") keeps the technique inside it
            reach[section] = max(reach.get(section, -1), f.end)
        kept.append(Mention(f.concept, f.label, section, f.start, f.end, f.rule))
    return tuple(sorted(kept, key=_mention_order))
