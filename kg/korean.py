"""Technique names written wholly in Korean (pure).

Digest summaries often name a technique only in Korean: ``정규화 손실``, ``계층적 토큰화``,
``저랭크 가중치 분해``. Such a name is a run of bare nouns (no particle or verb ending glued on)
that ends in a technique head noun (``손실`` loss, ``토큰화`` tokenization, ``분해`` decomposition).
The run stops at the first word that carries a particle (``과정에서``), a verb ending
(``제안된``) or is too generic to be part of a name (``모델``, ``새로운``).

The English name is translated word by word with a small lexicon written for this project; when
a word is missing, the Korean name is kept as the only label rather than guessed.

>>> [(c.pref_label, label) for c, label, _, _ in korean_phrases("저분산의 중요도 가중치 추정을 가능하게 합니다.")]
[('Importance Weight Estimation', '중요도 가중치 추정')]
>>> [c.pref_label for c, *_ in korean_phrases("정규화 손실을 도입하여")]
['정규화 손실']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from kg.model import Concept
from kg.terms import concept_key

# Korean technique head nouns and their English, in the sense of kg:Technique head nouns
# (kg.terms: a "loss", an "embedding", a "tokenization"). None: the head has two common
# English readings (정규화 is regularization or normalization), so the name stays Korean.
_HEADS: dict[str, str | None] = {
    "학습": "Learning",
    "훈련": "Training",
    "최적화": "Optimization",
    "증류": "Distillation",
    "임베딩": "Embedding",
    "인코더": "Encoder",
    "디코더": "Decoder",
    "손실": "Loss",
    "풀링": "Pooling",
    "융합": "Fusion",
    "추정": "Estimation",
    "샘플링": "Sampling",
    "재샘플링": "Resampling",
    "정규화": None,
    "양자화": "Quantization",
    "분해": "Decomposition",
    "토큰화": "Tokenization",
    "어텐션": "Attention",
    "튜닝": "Tuning",
    "프롬프팅": "Prompting",
    "가지치기": "Pruning",
    "디코딩": "Decoding",
    "캐싱": "Caching",
    "검증": "Verification",
    "가이던스": "Guidance",
    "증강": "Augmentation",
    "병합": "Merging",
    "라우팅": "Routing",
    "마스킹": "Masking",
    "압축": "Compression",
    "오토인코더": "Autoencoder",
    "트랜스포머": "Transformer",
}
# Heads that also name activities in general ("모델 학습", "실시간 최적화", "포즈 추정"): only
# with modifiers from the technical lexicon below.
_WEAK_HEADS = frozenset("학습 훈련 최적화 샘플링 압축 디코딩 트랜스포머 추정 검증 증류 튜닝".split())
# Wrapper nouns ("피처 융합 메커니즘"): never part of a name; a name before one ends at its head.
_WRAPPERS = frozenset("메커니즘 기법 방식 방법 전략 프레임워크 구조 아키텍처 접근법 접근 기술 모듈 과정 단계".split())
# Particles and endings that may follow a head noun in the same word.
_PARTICLES = frozenset(
    """
    을 를 은 는 이 가 의 에 에서 에는 과 와 로 으로 도 만 을통해 이라는 라는 인 으로써 로써 및 과의 와의
    에서의 에의 으로의 로의 이며 이고 하여 해 하고 하는 한 된 되는 되어 하며 기반 과정 방식
    """.split()
)
# Last syllables that mark a particle or an ending, so the word is not a bare noun ...
_ENDINGS = frozenset(
    """
    을 를 은 는 에 와 과 로 의 서 며 고 여 해 한 된 인 던 할 될 운 게 지 면 다
    및 등 이 가 도 만 써 히 러 든 나 야 요 죠
    """.split()
)
# ... except in these nouns.
_NOUNS = frozenset(
    """
    도메인 파이프라인 체인 온라인 오프라인 라인 정확도 중요도 밀도 속도 유사도 신뢰도 해상도 난이도 강도 온도
    경로 회로 문서 순서 이미지 장면 표면 평가 전문가 차이 길이 깊이 높이 노이즈 시퀀스 레이어 트리 그래프
    """.split()
)
# Words too generic to start or continue a name.
_GENERIC = frozenset(
    """
    모델 모델의 기존 추가 전체 기본 일반 최종 효과 성능 본 이 그 해당 우리 다양 대규모 소규모 새로운 제안 방법
    기술 시스템 과정 단계 이후 이전 직접 동시 실제 대상 각 두 세 여러 모든 같은 다른 별도 통합 효율 개선
    향상 사용 활용 적용 기반의 위한 통한 대한 관련 주요 핵심 간단 단순 최근 초기 후속 추론 연구 논문 실험
    기반 단일 대형 첨단 실시간 경량형 번째 년간 현재 처음부터 긴 빠른 짧은 높은 낮은 큰 작은 좋은 수 있어 다단계 사전
    결과 모델링 데이터셋 벤치마크 작업들 문제 목표 기존의 전통적 일반적 효율적 효과적 다양한 강력한
    """.split()
)
# Korean modifiers and their English, for the English name of a Korean technique phrase.
_WORDS = {
    "가중치": "Weight",
    "중요도": "Importance",
    "주파수": "Frequency",
    "인식": "Aware",
    "계층적": "Hierarchical",
    "계층": "Hierarchical",
    "동적": "Dynamic",
    "정적": "Static",
    "적응적": "Adaptive",
    "적응형": "Adaptive",
    "다중": "Multi",
    "멀티": "Multi",
    "작업": "Task",
    "혼합": "Mixed",
    "저랭크": "Low-Rank",
    "저차원": "Low-Dimensional",
    "컨텍스트": "Context",
    "문맥": "Context",
    "피처": "Feature",
    "특징": "Feature",
    "특성": "Feature",
    "시각": "Visual",
    "시각적": "Visual",
    "텍스트": "Text",
    "이미지": "Image",
    "비디오": "Video",
    "오디오": "Audio",
    "음성": "Speech",
    "토큰": "Token",
    "위치": "Position",
    "상대": "Relative",
    "상대적": "Relative",
    "대조": "Contrastive",
    "대조적": "Contrastive",
    "지식": "Knowledge",
    "자기": "Self",
    "자가": "Self",
    "교차": "Cross",
    "모달": "Modal",
    "공간": "Spatial",
    "공간적": "Spatial",
    "시간": "Temporal",
    "시간적": "Temporal",
    "점진적": "Progressive",
    "반복": "Iterative",
    "반복적": "Iterative",
    "선호": "Preference",
    "보상": "Reward",
    "정책": "Policy",
    "그래디언트": "Gradient",
    "경사": "Gradient",
    "희소": "Sparse",
    "밀집": "Dense",
    "잠재": "Latent",
    "확률적": "Stochastic",
    "구조적": "Structured",
    "양방향": "Bidirectional",
    "인과": "Causal",
    "인과적": "Causal",
    "병렬": "Parallel",
    "분산": "Distributed",
    "연속": "Continual",
    "커리큘럼": "Curriculum",
    "메타": "Meta",
    "전이": "Transfer",
    "도메인": "Domain",
    "그래프": "Graph",
    "트리": "Tree",
    "노이즈": "Noise",
    "마스크": "Mask",
    "레이어": "Layer",
    "헤드": "Head",
    "스케일": "Scale",
    "멀티스케일": "Multi-Scale",
    "앙상블": "Ensemble",
    "픽셀": "Pixel",
    "패치": "Patch",
    "프레임": "Frame",
    "시퀀스": "Sequence",
    "어텐션": "Attention",
    "임베딩": "Embedding",
    "보조": "Auxiliary",
    "예측": "Prediction",
    "신경": "Neural",
}
_WORD = re.compile(r"[\uac00-\ud7a3]+(?:-[\uac00-\ud7a3]+)*")
_LONGEST_HEAD = max(map(len, _HEADS))


def _is_bare_noun(word: str) -> bool:
    return word in _NOUNS or word in _WORDS or word[-1] not in _ENDINGS


@lru_cache(maxsize=100_000)  # Korean words recur across papers
def _split_head(word: str) -> str | None:
    """The head noun a word starts with, when the rest is a particle: ``손실을`` -> ``손실``."""
    for end in range(min(len(word), _LONGEST_HEAD), 0, -1):  # the longest head first: 재샘플링 before 샘플링
        if word[:end] in _HEADS and (end == len(word) or word[end:] in _PARTICLES):
            return word[:end]
    return None


def english_name(words: list[str]) -> str | None:
    """Word-by-word English for a Korean technique name, or ``None`` when a word is unknown.

    >>> english_name(["계층적", "토큰화"]), english_name(["정규화", "손실"])
    ('Hierarchical Tokenization', None)
    """
    out = []
    for word in words:
        english = _HEADS.get(word) if word in _HEADS else _WORDS.get(word)
        if english is None:
            return None
        out.append(english)
    return " ".join(out).replace("Multi ", "Multi-").replace(" Aware", "-Aware")


def korean_phrases(
    text: str, taken: Sequence[tuple[int, int]] = (), is_known: Callable[[str], bool] = lambda _: False
) -> Iterator[tuple[Concept, str, int, int]]:
    """Korean technique names: 1-4 bare nouns before a technique head noun (see the module doc).

    ``taken`` spans (claimed by other rules) are skipped; a name the vocabulary knows
    (``is_known``, ``강화 학습``) is left to the vocabulary rule.
    """
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    for i, (word, _, _) in enumerate(words):
        head = _split_head(word)
        if head is None:
            continue
        names: list[int] = []
        k = i - 1
        while k >= 0 and len(names) < 4:
            prev, _, pe = words[k]
            if text[pe : words[k + 1][1]] != " " or prev in _GENERIC or prev in _WRAPPERS or not _is_bare_noun(prev):
                break
            names.insert(0, k)
            k -= 1
        if not names:
            continue
        modifiers = [words[n][0] for n in names]
        if head in _WEAK_HEADS and not all(w in _WORDS for w in modifiers):
            continue  # "빠른 학습", "분류기 훈련": a weak head needs modifiers that are technical words
        if not all(w in _WORDS or w.endswith("적") or len(w) >= 3 for w in modifiers):
            continue  # "긴", "단일": short words that are not technical modifiers
        start, end = words[names[0]][1], words[i][1] + len(head)
        phrase_words = [*modifiers, head]
        phrase = " ".join(phrase_words)
        if is_known(phrase) or is_known("".join(phrase_words)) or any(s < end and start < e for s, e in taken):
            continue
        name = english_name(phrase_words) or phrase
        yield (
            Concept(concept_key(name), "Technique", name, ko_labels=(phrase,), curated=False),
            text[start:end],
            start,
            end,
        )
