"""Kinds of named things from their head nouns, and technique phrases in mixed Korean-English text (pure).

>>> classify_term("Segmented Cross-Attention"), concept_key("Pre-trained Language Models")
('Technique', 'pre-trained-language-model')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from kg.model import Concept
from kg.normalize import HANGUL, slugify

# A key as data IRIs hold it (``kg.namespace.Minter`` checks the same): lower-case letters, digits,
# inner hyphens and %XX escapes. ``slugify`` gives such keys, except where it percent-encodes text
# with characters ``quote`` leaves bare (``.``, ``_``, ``~``) or that is only hyphens or white space.
_KEY = re.compile(r"^(?:[0-9a-z]|%[0-9A-F]{2})(?:[0-9a-z\-]|%[0-9A-F]{2})*$")
_KEY_PART = re.compile(r"%[0-9A-F]{2}|[0-9a-z]|.", re.DOTALL)


def iri_key(key: str) -> str:
    """``key`` (a slug) as a valid IRI path segment: a valid key unchanged; in any other, each
    character a key may not hold (``.``, ``_``, ``~``, a leading ``-``) percent-encoded as its
    UTF-8 bytes, and the empty key as ``%20``. ``slugify`` never writes those escapes (``quote``
    leaves ``-._~`` bare), so keys that differ stay different.

    >>> iri_key("diffusion-model"), iri_key("%ED%99%95_a.b"), iri_key("-"), iri_key("")
    ('diffusion-model', '%ED%99%95%5Fa%2Eb', '%2D', '%20')
    """
    if _KEY.match(key):
        return key
    if not key:
        return "%20"
    return "".join(
        part if len(part) == 3 or _KEY.match(part) or (part == "-" and m.start() > 0) else _escape_bytes(part)
        for m in _KEY_PART.finditer(key)
        for part in (m.group(),)
    )


def _escape_bytes(text: str) -> str:
    return "".join(f"%{b:02X}" for b in text.encode("utf-8"))


_DOT_SEGMENT = re.compile(r"(?:^|/)\.\.?(?:/|$)")
_QUERY_OR_FRAGMENT = re.compile(r"[?#]")


def has_dot_segment(iri: str) -> bool:
    """Whether the path of ``iri`` (or relative reference) has a ``.`` or ``..`` segment, which
    RFC 3986 resolution removes: Oxigraph reads a relative ``<a/../b>`` as ``b``, and Raptor every
    such IRI in a Turtle file, absolute or not.

    >>> has_dot_segment("http://x/a/../b"), has_dot_segment("person/."), has_dot_segment("http://x/a.b?c/../d")
    (True, True, False)
    """
    if not iri.startswith(".") and "/." not in iri:  # a dot segment starts the path or follows a "/"
        return False
    return _DOT_SEGMENT.search(_QUERY_OR_FRAGMENT.split(iri, maxsplit=1)[0]) is not None


def numbered_keys(keys: Iterable[str]) -> list[str]:
    """Keys of a paper's summary sections, a key seen again numbered (``limitations-2``): the section
    nodes (``kg.emit``) and the mention evidence (``kg.mentions.section_texts``) both number them so.

    >>> numbered_keys(["whats-new", "limitations", "limitations"])
    ['whats-new', 'limitations', 'limitations-2']
    """
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return out


def concept_key(long_form: str) -> str:
    """The key of a discovered concept: a slug of its long form with the last word made singular,
    so that "Pre-trained Language Models" and "pre-trained language model" are one concept; always
    a valid key (``iri_key``), whatever the long form holds.

    >>> concept_key("Pre-trained Language Models"), concept_key("Gaussian Process"), concept_key("확산_모델")
    ('pre-trained-language-model', 'gaussian-process', '%ED%99%95%EC%82%B0%5F%EB%AA%A8%EB%8D%B8')
    """
    words = long_form.split()
    last = words[-1] if words else ""
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        words[-1] = last[:-1]
    return iri_key(slugify(" ".join(words)))


# Head nouns that tell what kind of thing a discovered long form names.
_HEADS = {
    "Technique": tuple(
        """
        attention learning optimization optimisation network transformer encoder decoder autoencoder
        module mechanism algorithm method tuning finetuning training pretraining sampling decoding
        distillation regularization quantization embedding adapter adaptation architecture search
        pruning merging alignment prompting fusion pooling normalization loss objective guidance
        diffusion flow matching model splatting field layer head block tokenizer quantizer cache
        routing parallelism policy estimation augmentation masking scheduling scaling unlearning
        inference reasoning planning retrieval compression sparsification refinement feedback reward
        extractor fuser predictor generator discriminator planner verifier critic router resampler
        aggregator projector estimator retriever reranker selector scheduler controller regularizer
        backbone gating connector mixer function insertion removal control prompt token
        factorization resampling verification modeling modelling injection inversion decomposition
        transform gradient convolution kernel filter tokenization backpropagation propagation
        minimization maximization
        """.split()
    ),
    "Dataset": tuple(["dataset", "benchmark", "bench", "corpus", "suite", "collection", "arena", "leaderboard"]),
    "Metric": tuple(
        """
        score rate error accuracy distance ratio index metric similarity precision recall proportion
        perplexity correlation coefficient f1
        """.split()
    ),
    "Task": tuple(
        """
        generation recognition answering translation segmentation detection classification
        understanding captioning synthesis reconstruction editing tracking completion localization
        summarization grounding forecasting extraction linking
        """.split()
    ),
}
_HEAD_KIND = {head: kind for kind, heads in _HEADS.items() for head in heads}
# Two-word heads that override the last word ("learning rate" is a technique, not a metric).
_HEAD_KIND.update({"learning rate": "Technique", "language model": "Technique", "reward model": "Technique"})


# Last words of defined names that are not methods: properties, settings, data and fields.
_NOT_METHOD_HEADS = frozenset(
    """
    agent agents answer answers art capabilities capability content data distribution domain
    environment environments graph graphs human humans image images imaging instruction instructions
    intelligence interface key language languages level logic problem problems process processing
    question questions range reality resolution robot robots sequence sequences set sets space
    system systems text theory time user value vehicle vehicles video videos view vision world
    """.split()
)


def names_a_method(long_form: str) -> bool:
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


# Korean head nouns and the English head they stand for, used two ways: "label" entries give
# mixed spellings of curated labels ("Diffusion 모델" for Diffusion Model); "name" entries turn
# English modifiers before a Korean head into an English technique name ("SEMANTIC 토큰화" is
# Semantic Tokenization). 모델 only labels: "GPT 모델" names a model, not a technique.
_KOREAN_HEAD_TABLE = (
    # (English head, Korean head, used for labels, used for names)
    ("model", "모델", True, False),
    ("models", "모델", True, False),
    ("learning", "학습", True, True),
    ("learning", "러닝", True, False),
    ("network", "네트워크", True, True),
    ("network", "신경망", True, False),
    ("attention", "어텐션", True, True),
    ("search", "검색", True, False),
    ("search", "탐색", True, False),
    ("optimization", "최적화", True, True),
    ("tuning", "튜닝", True, True),
    ("tuning", "조정", True, False),
    ("fine-tuning", "미세 조정", True, True),
    ("fine-tuning", "파인튜닝", True, False),
    ("distillation", "증류", True, True),
    ("sampling", "샘플링", True, True),
    ("decoding", "디코딩", True, True),
    ("encoder", "인코더", True, True),
    ("decoder", "디코더", True, True),
    ("embedding", "임베딩", True, True),
    ("quantization", "양자화", True, True),
    ("generation", "생성", True, False),
    ("alignment", "정렬", True, False),
    ("retrieval", "검색", True, False),
    ("transformer", "트랜스포머", True, False),
    ("mechanism", "메커니즘", True, True),
    ("algorithm", "알고리즘", True, True),
    # Labels with cache (캐시, 캐싱) and tokenization (토큰화) are not enabled yet: that changes
    # extraction and needs a fresh blind measurement (tests/gold/README.md).
    ("caching", "캐싱", False, True),
    ("tokenization", "토큰화", False, True),
    ("module", "모듈", False, True),
    ("regularization", "정규화", False, True),
    ("pruning", "가지치기", False, True),
    ("prompting", "프롬프팅", False, True),
)
# English head -> Korean spellings, for mixed labels.
_KOREAN_HEADS: dict[str, tuple[str, ...]] = {}
for _english, _korean, _label, _ in _KOREAN_HEAD_TABLE:
    if _label:
        _KOREAN_HEADS[_english] = (*_KOREAN_HEADS.get(_english, ()), _korean)
# Korean head -> English head, for naming techniques ("Fine-Tuning", "Optimization").
_KOREAN_TECHNIQUE_HEADS = {korean: english.title() for english, korean, _, name in _KOREAN_HEAD_TABLE if name}
_KOREAN_HEAD = re.compile(
    r"(?<![A-Za-z0-9\-])((?:[A-Za-z][A-Za-z0-9\-]*\s){0,3}[A-Za-z][A-Za-z0-9\-]*)\s?("
    + "|".join(sorted(map(re.escape, _KOREAN_TECHNIQUE_HEADS), key=len, reverse=True))
    + ")"
)


def korean_headed_terms(
    text: str, taken: list[tuple[int, int]], is_known: Callable[[str], bool]
) -> Iterator[tuple[Concept, str, int, int]]:
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
        yield concept, text[start : m.end()], start, m.end()


def mixed_labels(label: str) -> list[str]:
    """Spellings of an English label with its head noun in Korean, as mixed digests write them.

    >>> mixed_labels("Diffusion Model")
    ['Diffusion 모델']
    """
    words = label.split()
    if len(words) < 2 or HANGUL.search(label):
        return []
    head = words[-1].lower()
    return [f"{' '.join(words[:-1])} {ko}" for ko in _KOREAN_HEADS.get(head, ())]


_TERM_TOKEN = r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?(?:-[A-Za-z0-9]+(?:['’][A-Za-z]+)?)*"
_TERM_RUN = re.compile(rf"(?<![A-Za-z0-9\-])(?:{_TERM_TOKEN})(?:[ ](?:{_TERM_TOKEN}))*")
_GENERIC = frozenset(
    """
    a additional advanced ai an based basic best both conventional core data deep different each
    effective efficient entire existing final first general generic improved its key large learning
    machine main method model models more most multiple neural new novel other our overall powerful
    previous prior proposed robust same second simple single small specific standard such that the
    their these this those three traditional training two unified various whole
    """.split()
)
_NOT_IN_TERM = frozenset({"and", "or", "vs", "et", "al", "is", "are", "was", "be", "to", "can", "not"})
_MAX_TERM_WORDS = 6


def english_terms(
    text: str, taken: list[tuple[int, int]], known: set[tuple[int, int]]
) -> Iterator[tuple[Concept, str, int, int]]:
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
        yield concept, phrase, start, end


def _names_a_part(word: str) -> bool:
    """A one-word term must name a component ("regularizer", "tokenizer"), not a field or an
    activity ("attention", "learning", "training")."""
    return word.lower().rstrip("s").endswith(("er", "or"))


def _is_gloss(text: str, start: int, end: int) -> bool:
    """``규제자(regularizer)``: the whole parenthesis right after Hangul is this one English word."""
    return (
        text[start - 1 : start] == "("
        and text[end : end + 1] == ")"
        and bool(HANGUL.match(text[start - 2 : start - 1]))
    )


def _next_to_hangul(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 3) : start]
    after = text[end : end + 3]
    return bool(HANGUL.search(before) or HANGUL.search(after))


_KOREAN_TAIL = re.compile(r"(?:[\uac00-\ud7a3]+\s){0,4}[\uac00-\ud7a3]+\s*$")


def ends_in_korean_head(phrase: str) -> bool:
    """A Korean phrase of two or more words ending in a technique head noun (하이퍼 파라미터 최적화)."""
    return any(phrase.endswith(head) for head in _KOREAN_TECHNIQUE_HEADS) and len(phrase.split()) >= 2
