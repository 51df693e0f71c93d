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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

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


def section_texts(paper: Paper) -> list[tuple[str, str]]:
    """``(section id, text)`` of a paper's summary; a key seen twice (a paper merged from two
    listings) gets a number, so that section ids, and so mention IRIs, stay unique."""
    seen: dict[str, int] = {}
    out = []
    for section in paper.sections:
        seen[section.key] = seen.get(section.key, 0) + 1
        key = section.key if seen[section.key] == 1 else f"{section.key}-{seen[section.key]}"
        out.append((key, section.text))
    return out


def concept_key(long_form: str) -> str:
    """The key of a discovered concept: a slug of its long form with the last word made singular,
    so that "Pre-trained Language Models" and "pre-trained language model" are one concept.

    >>> concept_key("Pre-trained Language Models"), concept_key("Gaussian Process")
    ('pre-trained-language-model', 'gaussian-process')
    """
    words = long_form.split()
    last = words[-1] if words else ""
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        words[-1] = last[:-1]
    return slugify(" ".join(words))


def is_abbreviation(token: str) -> bool:
    """An acronym-like token: short, no spaces, with two capitals or a capital and a digit.

    >>> [is_abbreviation(t) for t in ("DiT", "3DGS", "LoRA", "Sora", "ab", "2023")]
    [True, True, True, False, False, False]
    """
    if not _ABBR.match(token) or token in _STOP_ABBRS:
        return False
    upper = sum(c.isupper() for c in token)
    return upper >= 2 or (upper >= 1 and any(c.isdigit() for c in token))


_STOPWORDS = frozenset(
    {"of", "the", "and", "for", "with", "to", "in", "on", "a", "an", "from", "via", "by", "at", "or"}
)


def _align(abbr: str, tokens: list[list[str]]) -> bool:
    """Can the letters of ``abbr`` spell ``tokens`` (words, each split at hyphens) as an acronym?

    Every word must be entered at its first letter, except stop words, which may be skipped; later
    hyphen parts of a word may be entered or skipped. Inside a part, a letter of the abbreviation
    may match a later letter when it is lower case or a digit, or the part's letter is a capital.
    """
    chars = [c for c in abbr if c.isalnum()]
    parts = [(w, k, part) for w, word in enumerate(tokens) for k, part in enumerate(word) if part]

    @cache
    def go(i: int, at: int, pos: int) -> bool:  # next abbreviation char i; inside parts[at] after pos
        word_index = parts[at][0]
        if i == len(chars):
            return all(parts[n][0] == word_index for n in range(at, len(parts)))  # no word left unentered
        c = chars[i]
        part = parts[at][2]
        for q in range(pos, len(part)):  # stay inside the current part
            inside = c.islower() or c.isdigit() or part[q].isupper()
            if part[q].lower() == c.lower() and inside and go(i + 1, at, q + 1):
                return True
        for nxt in range(at + 1, len(parts)):  # enter a later part at its first letter
            _, k, text = parts[nxt]
            if text[0].lower() == c.lower() and go(i + 1, nxt, 1):
                return True
            # only skippable parts may be jumped over: later hyphen parts, and stop words
            if k == 0 and text.lower() not in _STOPWORDS:
                break
        return False

    if not parts or not chars or parts[0][2][0].lower() != chars[0].lower():
        return False
    return go(1, 0, 1)


def _schwartz_hearst(abbr: str, words: str) -> str | None:
    """Schwartz & Hearst's match: the shortest tail of ``words`` whose letters spell ``abbr``."""
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
    return words[words.rfind(" ", 0, i + 1) + 1 :]


def best_long_form(abbr: str, words: str) -> str | None:
    """The long form that ``abbr`` abbreviates at the end of ``words``, or ``None``.

    First the fewest whole words that ``abbr`` spells as an acronym (so PPO takes all of
    "Proximal Policy Optimization", not "Policy Optimization"); failing that, Schwartz & Hearst's
    shortest tail. A long form has at least two words and is longer than the abbreviation.

    >>> best_long_form("DiT", "a scalable Diffusion Transformer")
    'Diffusion Transformer'
    >>> best_long_form("PPO", "the Proximal Policy Optimization")
    'Proximal Policy Optimization'
    >>> best_long_form("MLLMs", "Multi-modal Large Language Models")
    'Multi-modal Large Language Models'
    >>> best_long_form("XYZ", "Diffusion Transformer") is None
    True
    """
    tokens = words.split()
    limit = min(len(tokens), max(len([c for c in abbr if c.isalnum()]) + 5, 2))
    for k in range(1, limit + 1):
        tail = tokens[-k:]
        if tail[0].lower() in _STOPWORDS:
            continue
        if _align(abbr, [t.split("-") for t in tail]):
            return _long_enough(abbr, " ".join(tail))
    found = _schwartz_hearst(abbr, " ".join(tokens[-limit:]))
    return _long_enough(abbr, found.strip(" -")) if found else None


def _long_enough(abbr: str, long_form: str) -> str | None:
    if len(long_form) <= len(abbr) or (" " not in long_form and "-" not in long_form):
        return None
    return long_form


# Head nouns that tell what kind of thing a discovered long form names.
_HEADS = {
    "Technique": (
        "attention",
        "learning",
        "optimization",
        "optimisation",
        "network",
        "transformer",
        "encoder",
        "decoder",
        "autoencoder",
        "module",
        "mechanism",
        "algorithm",
        "method",
        "tuning",
        "finetuning",
        "training",
        "pretraining",
        "sampling",
        "decoding",
        "distillation",
        "regularization",
        "quantization",
        "embedding",
        "adapter",
        "adaptation",
        "architecture",
        "search",
        "pruning",
        "merging",
        "alignment",
        "prompting",
        "fusion",
        "pooling",
        "normalization",
        "loss",
        "objective",
        "guidance",
        "diffusion",
        "flow",
        "matching",
        "model",
        "splatting",
        "field",
        "layer",
        "head",
        "block",
        "tokenizer",
        "quantizer",
        "cache",
        "routing",
        "parallelism",
        "policy",
        "estimation",
        "augmentation",
        "masking",
        "scheduling",
        "scaling",
        "unlearning",
        "inference",
        "reasoning",
        "planning",
        "retrieval",
        "compression",
        "sparsification",
        "refinement",
        "feedback",
        "reward",
        "extractor",
        "fuser",
        "predictor",
        "generator",
        "discriminator",
        "planner",
        "verifier",
        "critic",
        "router",
        "resampler",
        "aggregator",
        "projector",
        "estimator",
        "retriever",
        "reranker",
        "selector",
        "scheduler",
        "controller",
        "regularizer",
        "backbone",
        "gating",
        "connector",
        "mixer",
        "function",
        "insertion",
        "removal",
        "control",
        "prompt",
        "token",
        "factorization",
        "resampling",
        "verification",
        "modeling",
        "modelling",
        "injection",
        "inversion",
        "decomposition",
        "transform",
        "gradient",
        "convolution",
        "kernel",
        "filter",
    ),
    "Dataset": ("dataset", "benchmark", "bench", "corpus", "suite", "collection", "arena", "leaderboard"),
    "Metric": (
        "score",
        "rate",
        "error",
        "accuracy",
        "distance",
        "ratio",
        "index",
        "metric",
        "similarity",
        "precision",
        "recall",
        "proportion",
        "perplexity",
        "correlation",
        "coefficient",
        "f1",
    ),
    "Task": (
        "generation",
        "recognition",
        "answering",
        "translation",
        "segmentation",
        "detection",
        "classification",
        "understanding",
        "captioning",
        "synthesis",
        "reconstruction",
        "editing",
        "tracking",
        "completion",
        "localization",
        "summarization",
        "grounding",
        "forecasting",
        "extraction",
        "linking",
    ),
}
_HEAD_KIND = {head: kind for kind, heads in _HEADS.items() for head in heads}
# Two-word heads that override the last word ("learning rate" is a technique, not a metric).
_HEAD_KIND.update({"learning rate": "Technique", "language model": "Technique", "reward model": "Technique"})


# Last words of defined names that are not methods: properties, settings, data and fields.
_NOT_METHOD_HEADS = frozenset(
    {
        "distribution",
        "domain",
        "value",
        "key",
        "art",
        "resolution",
        "range",
        "intelligence",
        "language",
        "vision",
        "view",
        "image",
        "images",
        "video",
        "videos",
        "text",
        "data",
        "level",
        "time",
        "space",
        "world",
        "vehicle",
        "vehicles",
        "system",
        "systems",
        "agent",
        "agents",
        "interface",
        "robot",
        "robots",
        "user",
        "human",
        "humans",
        "content",
        "question",
        "questions",
        "answer",
        "answers",
        "instruction",
        "instructions",
        "set",
        "sets",
        "problem",
        "problems",
        "environment",
        "environments",
        "capability",
        "capabilities",
        "reality",
        "imaging",
        "process",
        "processing",
        "graph",
        "graphs",
        "logic",
        "theory",
        "languages",
        "sequence",
        "sequences",
    }
)


def _names_a_method(long_form: str) -> bool:
    head = re.split(r"[\s\-]+", long_form.lower())[-1]
    return (
        head not in _NOT_METHOD_HEADS
        and head.rstrip("s") not in _NOT_METHOD_HEADS
        and not head.endswith(("al", "ive", "ic", "ous", "ed", "able"))
    )


def classify_term(long_form: str) -> str:
    """The kind of a discovered long form from its last word, or ``DiscoveredConcept`` when unknown.

    >>> classify_term("Segmented Cross-Attention"), classify_term("Attack Success Rate")
    ('Technique', 'Metric')
    >>> classify_term("Video Dataset"), classify_term("Out-of-Distribution")
    ('Dataset', 'DiscoveredConcept')
    """
    words = re.split(r"[\s\-]+", long_form.lower().strip())
    head = words[-1] if words else ""
    pair = " ".join(words[-2:])
    if pair in _HEAD_KIND:
        return _HEAD_KIND[pair]
    for candidate in (head, head[:-1] if head.endswith("s") else head, head[:-2] if head.endswith("es") else head):
        if candidate in _HEAD_KIND:
            return _HEAD_KIND[candidate]
    return "DiscoveredConcept"


# Korean words used for the head noun of an English term in mixed text ("Diffusion 모델").
_KOREAN_HEADS = {
    "model": ("모델",),
    "models": ("모델",),
    "learning": ("학습", "러닝"),
    "network": ("네트워크", "신경망"),
    "attention": ("어텐션",),
    "search": ("검색", "탐색"),
    "optimization": ("최적화",),
    "tuning": ("튜닝", "조정"),
    "fine-tuning": ("미세 조정", "파인튜닝"),
    "distillation": ("증류",),
    "sampling": ("샘플링",),
    "decoding": ("디코딩",),
    "encoder": ("인코더",),
    "decoder": ("디코더",),
    "embedding": ("임베딩",),
    "quantization": ("양자화",),
    "generation": ("생성",),
    "alignment": ("정렬",),
    "retrieval": ("검색",),
    "transformer": ("트랜스포머",),
    "mechanism": ("메커니즘",),
    "algorithm": ("알고리즘",),
}


# Korean head nouns of technique phrases, with their English head ("SEMANTIC 토큰화" is Semantic
# Tokenization; "하이퍼 파라미터 최적화" ends in optimization). 모델 is left out on purpose: "GPT 모델"
# names a model, not a technique.
_KOREAN_TECHNIQUE_HEADS = {
    "최적화": "Optimization",
    "학습": "Learning",
    "토큰화": "Tokenization",
    "네트워크": "Network",
    "어텐션": "Attention",
    "증류": "Distillation",
    "샘플링": "Sampling",
    "인코더": "Encoder",
    "디코더": "Decoder",
    "임베딩": "Embedding",
    "양자화": "Quantization",
    "정렬": "Alignment",
    "미세 조정": "Fine-Tuning",
    "메커니즘": "Mechanism",
    "알고리즘": "Algorithm",
    "모듈": "Module",
    "정규화": "Regularization",
    "가지치기": "Pruning",
    "캐싱": "Caching",
    "디코딩": "Decoding",
    "프롬프팅": "Prompting",
    "튜닝": "Tuning",
}
_KOREAN_HEAD = re.compile(
    r"(?<![A-Za-z0-9\-])((?:[A-Za-z][A-Za-z0-9\-]*\s){0,3}[A-Za-z][A-Za-z0-9\-]*)\s?("
    + "|".join(sorted(map(re.escape, _KOREAN_TECHNIQUE_HEADS), key=len, reverse=True))
    + ")"
)


def _korean_headed(
    text: str, taken: list[tuple[int, int]], is_known: Callable[[str], bool]
) -> Iterator[tuple[_Found, Concept]]:
    """``SEMANTIC 토큰화``: English modifiers before a Korean technique head noun name a technique,
    written in English as the modifiers plus the head's English ("Semantic Tokenization")."""
    for m in _KOREAN_HEAD.finditer(text):
        modifiers = [w for w in m.group(1).split() if w.lower() not in _GENERIC]
        if not modifiers or any(w.lower() in _NOT_IN_TERM for w in modifiers) or is_known(modifiers[-1]):
            continue  # "LLM 학습", "KV 캐싱": the vocabulary already names what this is
        start = m.start(1) + m.group(1).find(modifiers[0])
        if any(s < m.end() and start < e for s, e in taken):
            continue
        name = " ".join(w if not w.isupper() else w.capitalize() for w in modifiers)
        name = f"{name[:1].upper()}{name[1:]} {_KOREAN_TECHNIQUE_HEADS[m.group(2)]}"
        concept = Concept(concept_key(name), "Technique", name, ko_labels=(text[start : m.end()],), curated=False)
        yield _Found(concept.key, text[start : m.end()], start, m.end(), "term"), concept


def _mixed_labels(label: str) -> list[str]:
    """Spellings of an English label with its head noun in Korean, as mixed digests write them.

    >>> _mixed_labels("Diffusion Model")
    ['Diffusion 모델']
    """
    words = label.split()
    if len(words) < 2 or _HANGUL.search(label):
        return []
    head = words[-1].lower()
    return [f"{' '.join(words[:-1])} {ko}" for ko in _KOREAN_HEADS.get(head, ())]


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
        for c in sorted(vocabulary.concepts.values(), key=lambda c: c.key):
            for label in (c.pref_label, *c.alt_labels):
                for mixed in _mixed_labels(label):
                    self.korean.setdefault(re.sub(r"\s+", "", mixed), c.key)
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
        by_length = sorted(latin, key=lambda s: (-len(s), s))
        sensitive = [_label_pattern(s) for s in by_length if _case_sensitive(s)]
        insensitive = [_label_pattern(s) for s in by_length if not _case_sensitive(s)]
        self._sensitive = re.compile(_LEFT + "(?:" + "|".join(sensitive) + ")" + _RIGHT) if sensitive else None
        self._insensitive = (
            re.compile(_LEFT + "(?:" + "|".join(insensitive) + ")" + _RIGHT, re.IGNORECASE) if insensitive else None
        )
        ko = [r"\s?".join(map(re.escape, s.split())) for s in sorted(korean, key=lambda s: (-len(s), s))]
        self._korean = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(ko) + ")", re.IGNORECASE) if ko else None

    def lookup(self, label: str) -> str | None:
        """The concept key a label names in the vocabulary, or ``None``."""
        label = label.strip()
        if _HANGUL.search(label):
            return self.korean.get(re.sub(r"\s+", "", label))
        return self.exact.get(_canon(label, False)) or self.folded.get(_canon(label, True))

    def extract(self, paper: Paper) -> Extraction:
        """Mentions in the title and every summary section of ``paper``."""
        return self.extract_sections([("title", paper.title), *section_texts(paper)])

    def is_known(self, label: str) -> bool:
        """A label the vocabulary knows, or an abbreviation that names nothing in particular."""
        return label in _STOP_ABBRS or self.lookup(label) is not None

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
        for section, text in texts:  # like English terms, these may hold a known technique
            for f, concept in _korean_headed(text, blocking.get(section, []), self.is_known):
                if (f.start, f.end) in known.get(section, set()):
                    continue
                found.append((section, f))
                definitions.setdefault(concept.key, concept)
                blocking.setdefault(section, []).append((f.start, f.end))
        for section, text in texts:
            for f, concept in _terms(text, blocking.get(section, []), known.get(section, set())):
                found.append((section, f))
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
            name = m.group(0)
            if self.lookup(name) is not None or name in _STOP_ABBRS or text[m.start() - 1 : m.start()] == ".":
                continue
            if re.search(r"(?:^|-)\d+(?:\.\d+)?[BMK]?(?:-|$)", name):  # a checkpoint such as X-70B-SFT
                continue
            for acronym, key in self.acronyms.items():
                if name == acronym or acronym not in name:
                    continue
                rest = None
                if name.endswith(acronym) and (name[-len(acronym) - 1] == "-" or name[-len(acronym) - 1].islower()):
                    rest = name[: -len(acronym)].rstrip("-")
                elif name.startswith(acronym) and (name[len(acronym)] == "-" or name[len(acronym)].isupper()):
                    rest = name[len(acronym) :].lstrip("-")
                if rest and any(c.isupper() or c.isdigit() for c in rest):
                    concept = Concept(concept_key(name), "Technique", name, broader=(key,), curated=False)
                    yield _Found(concept.key, name, m.start(), m.end(), "variant"), concept
                    break

    def _ambiguous_matches(self, text: str, local: dict[str, str], named: set[str]) -> Iterator[_Found]:
        """A bare ambiguous acronym names the one sense the paper also names another way, else nothing."""
        for abbr, senses in self.ambiguous.items():
            if abbr in local:
                continue  # defined in this paper: the local rule links it
            present = [k for k in senses if k in named]
            if len(present) != 1:
                continue
            for m in re.finditer(_LEFT + re.escape(abbr) + _RIGHT, text):
                yield _Found(present[0], m.group(0), m.start(), m.end(), "context")

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
        korean_long = self._korean_long_form(before, parts, abbrs)
        if korean_long is not None:
            short, korean, at = korean_long
            yield self._resolve_korean(short, korean, at if at >= 0 else ps, pe, text)
            return
        if abbrs:
            abbr = abbrs[0]
            for other in parts:  # (Long Form; ABBR) or (ABBR, Long Form): the evidence is the parenthesis
                if other is not abbr and not _HANGUL.search(other):
                    long_form = best_long_form(abbr, other)
                    if long_form is not None:
                        yield self._resolve(long_form, abbr, ps, pe, text)
                        return
            tail = _LATIN_WORDS.search(before)
            if tail:  # Long Form (ABBR): the evidence starts at the long form
                long_form = best_long_form(abbr, tail.group(0).strip())
                if long_form is not None:
                    start = before.rstrip().rfind(long_form)
                    yield self._resolve(long_form, abbr, start if start >= 0 else ps, pe, text)
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

    def _korean_long_form(self, before: str, parts: list[str], abbrs: list[str]) -> tuple[str, str, int] | None:
        """``HPO(하이퍼 파라미터 최적화)`` or ``하이퍼 파라미터 최적화(HPO)``: an abbreviation whose long form
        is Korean, ending in a technique head noun. Returns (abbreviation, Korean long form, start)."""
        inner = " ".join(parts)
        prev = _BEFORE_ABBR.search(before)
        korean_inside = _HANGUL.search(inner) and not _LATIN_IN.search(inner)
        if prev and is_abbreviation(prev.group(1)) and korean_inside and _ends_in_korean_head(inner):
            return prev.group(1), inner, prev.start(1)
        if len(abbrs) == 1 and len(parts) == 1:
            tail = _KOREAN_TAIL.search(before)
            if tail and _ends_in_korean_head(tail.group(0).strip()):
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
        if kind == "DiscoveredConcept" and _names_a_method(long_form):
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
                for m in re.finditer(_LEFT + re.escape(abbr) + _RIGHT, text):
                    yield _Found(key, m.group(0), m.start(), m.end(), "local")
        if self._korean is not None:
            for m in self._korean.finditer(text):
                ko_key = self.korean.get(re.sub(r"\s+", "", m.group(0))) or self._korean_folded.get(
                    re.sub(r"\s+", "", m.group(0)).lower()
                )
                if ko_key is not None:
                    yield _Found(ko_key, m.group(0), m.start(), m.end(), "vocabulary")


_TERM_TOKEN = r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?(?:-[A-Za-z0-9]+(?:['’][A-Za-z]+)?)*"
_TERM_RUN = re.compile(rf"(?<![A-Za-z0-9\-])(?:{_TERM_TOKEN})(?:[ ](?:{_TERM_TOKEN}))*")
_GENERIC = frozenset(
    {
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "our",
        "their",
        "its",
        "new",
        "novel",
        "proposed",
        "existing",
        "previous",
        "prior",
        "simple",
        "efficient",
        "effective",
        "general",
        "generic",
        "basic",
        "standard",
        "traditional",
        "conventional",
        "overall",
        "main",
        "key",
        "core",
        "specific",
        "various",
        "different",
        "same",
        "such",
        "each",
        "both",
        "other",
        "more",
        "most",
        "two",
        "three",
        "multiple",
        "single",
        "large",
        "small",
        "deep",
        "neural",
        "machine",
        "ai",
        "model",
        "models",
        "method",
        "training",
        "learning",
        "based",
        "data",
        "final",
        "best",
        "whole",
        "entire",
        "first",
        "second",
        "additional",
        "unified",
        "improved",
        "advanced",
        "powerful",
        "robust",
    }
)
_NOT_IN_TERM = frozenset({"and", "or", "vs", "et", "al", "is", "are", "was", "be", "to", "can", "not"})
_MAX_TERM_WORDS = 6


def _terms(text: str, taken: list[tuple[int, int]], known: set[tuple[int, int]]) -> Iterator[tuple[_Found, Concept]]:
    """English technique phrases set in Korean text (``term``): a run of Latin words next to Hangul
    whose head noun names a technique, that no other rule has claimed.

    "... dependency noise model을 도입" gives "dependency noise model"; runs of generic words
    ("proposed method"), citations ("Wang et al") and whole English sentences are not terms.
    """
    for m in _TERM_RUN.finditer(text):
        run = m.group(0)
        words = run.split(" ")
        if len(words) > _MAX_TERM_WORDS or any(w.lower() in _NOT_IN_TERM or w.isdigit() for w in words):
            continue
        start, end = m.start(), m.end()
        while words and words[0].lower() in _GENERIC and len(words) > 1:  # "the proposed X model" -> "X model"
            start += len(words[0]) + 1
            words = words[1:]
        phrase = " ".join(words)
        if len(words) == 1 and "-" not in phrase and not (_is_gloss(text, start, end) and _names_a_part(phrase)):
            continue
        modifiers = re.split(r"[\s\-]+", phrase)[:-1]
        if modifiers and all(w.lower() in _GENERIC for w in modifiers):
            continue
        if classify_term(phrase) != "Technique" or not _next_to_hangul(text, m.start(), end):
            continue
        if (start, end) in known or any(s < end and start < e for s, e in taken):
            continue
        concept = Concept(key=concept_key(phrase), kind="Technique", pref_label=phrase, curated=False)
        yield _Found(concept.key, phrase, start, end, "term"), concept


def _names_a_part(word: str) -> bool:
    """A one-word term must name a component ("regularizer", "tokenizer"), not a field or an
    activity ("attention", "learning", "training")."""
    return word.lower().rstrip("s").endswith(("er", "or"))


def _is_gloss(text: str, start: int, end: int) -> bool:
    """``규제자(regularizer)``: the whole parenthesis right after Hangul is this one English word."""
    return (
        text[start - 1 : start] == "("
        and text[end : end + 1] == ")"
        and bool(_HANGUL.match(text[start - 2 : start - 1]))
    )


def _next_to_hangul(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 3) : start]
    after = text[end : end + 3]
    return bool(_HANGUL.search(before) or _HANGUL.search(after))


_RULE_RANK = {"definition": 0, "gloss": 1, "local": 2, "context": 3, "vocabulary": 4, "variant": 5, "term": 6}
# Model classes: a name built on them (OpenVLA, VideoLLM) is a model, not a technique variant.
_MODEL_CLASSES = frozenset(
    {
        "large-language-model",
        "vision-language-model",
        "multimodal-large-language-model",
        "large-multimodal-model",
        "small-language-model",
        "large-vision-language-model",
        "vision-language-action-model",
        "language-model",
    }
)
_LATIN_IN = re.compile(r"[A-Za-z]{2,}")
_KOREAN_TAIL = re.compile(r"(?:[\uac00-\ud7a3]+\s){0,4}[\uac00-\ud7a3]+\s*$")


def _ends_in_korean_head(phrase: str) -> bool:
    return any(phrase.endswith(head) for head in _KOREAN_TECHNIQUE_HEADS) and len(phrase.split()) >= 2


_NAME = re.compile(r"(?<![A-Za-z0-9\-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![A-Za-z0-9\-])")


def _dedupe(found: Iterable[tuple[str, _Found]]) -> tuple[Mention, ...]:
    """One mention per span: definitions win over plain matches inside them; sorted by position."""
    ordered = sorted(found, key=lambda sf: (sf[0], sf[1].start, _RULE_RANK[sf[1].rule], -sf[1].end))
    kept: list[Mention] = []
    covered: dict[str, list[tuple[int, int]]] = {}
    for section, f in ordered:
        spans = covered.setdefault(section, [])
        if any(s <= f.start and f.end <= e for s, e in spans):
            continue
        if f.rule != "term":  # a term ("audio-conditioned Transformer decoder") keeps the technique inside it
            spans.append((f.start, f.end))
        kept.append(Mention(f.concept, f.label, section, f.start, f.end, f.rule))
    return tuple(sorted(kept, key=lambda m: (m.section != "title", m.section, m.start, m.concept)))
