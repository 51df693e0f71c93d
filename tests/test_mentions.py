"""First-version technique mentions: the required patterns, one table row each."""

from __future__ import annotations

import pytest

from kg.longforms import best_long_form, is_abbreviation
from kg.mentions import Extractor
from kg.vocabulary import bundled_vocabulary

EX = Extractor(bundled_vocabulary())


def concepts(text: str) -> dict[str, str]:
    return {m.concept: m.rule for m in EX.extract_text(text).mentions}


# (text, concept key expected, rule expected)
FOUND = [
    # Long Form(ABBR), no space before the parenthesis, a particle after it.
    ("Diffusion Transformer(DiT)을 사용합니다.", "diffusion-transformer", "definition"),
    # Long Form (ABBR) with a space.
    ("우리는 Low-Rank Adaptation (LoRA) 기법을 씁니다.", "lora", "definition"),
    # ABBR(Long Form).
    ("MoE(Mixture of Experts) 구조를 확장합니다.", "mixture-of-experts", "definition"),
    # (Long Form; ABBR) inside one parenthesis.
    ("희소 구조(Mixture of Experts; MoE)를 제안합니다.", "mixture-of-experts", "definition"),
    # 한국어(English Term): a gloss of a known concept.
    ("확산 모델(Diffusion Model)로 영상을 만듭니다.", "diffusion-model", "gloss"),
    # English Term(한국어): the other direction.
    ("Knowledge Distillation(지식 증류)을 적용합니다.", "knowledge-distillation", "gloss"),
    # Korean particles glued to a known abbreviation, no definition nearby.
    ("DiT를 확장하여 영상을 만듭니다.", "diffusion-transformer", "vocabulary"),
    ("LoRA와 결합했습니다.", "lora", "vocabulary"),
    # Plural abbreviation.
    ("여러 LLMs의 성능을 비교합니다.", "large-language-model", "vocabulary"),
    # Space and hyphen variants of a long form, any case.
    ("mixture-of-experts 계층", "mixture-of-experts", "vocabulary"),
    # A Korean label from the vocabulary.
    ("강화 학습으로 정책을 학습합니다.", "reinforcement-learning", "vocabulary"),
    # A term spread over hyphen and space in its definition.
    ("3D Gaussian Splatting(3DGS)으로 장면을 표현합니다.", "3d-gaussian-splatting", "definition"),
    # ABBR defined by its long form among other words: the whole acronym is aligned, not the shortest tail.
    ("근접 정책 Proximal Policy Optimization(PPO)를 씁니다.", "ppo", "definition"),
    # A near spelling of a curated long form is the curated concept.
    ("Low-Rank Adaption(LoRA)으로 미세 조정합니다.", "lora", "definition"),
    # An English label with its head noun in Korean, as mixed digests write it.
    ("Diffusion 모델을 사용합니다.", "diffusion-model", "vocabulary"),
    # A Korean transliteration in the vocabulary.
    ("메타러닝 기법과 비교합니다.", "meta-learning", "vocabulary"),
    # An ambiguous acronym resolved by the concept's Korean name in the same text: the metric.
    ("평균 절대 오차를 줄였습니다. MAE가 0.3입니다.", "mean-absolute-error", "context"),
    # The same acronym resolved the other way by the technique's name.
    ("Masked Autoencoder 구조를 씁니다. MAE로 사전 학습합니다.", "masked-autoencoder", "context"),
    # A name built on a technique acronym is a variant of it.
    ("ZipLoRA는 두 LoRA를 병합합니다.", "ziplora", "variant"),
    # An English technique phrase set in Korean text.
    ("dependency noise model을 도입하여 일관성을 높입니다.", "dependency-noise-model", "term"),
    # English modifiers before a Korean technique head noun name a technique in English.
    ("SEMANTIC 토큰화 방식을 씁니다.", "semantic-tokenization", "term"),
    # An abbreviation defined with a Korean long form that the vocabulary knows.
    ("HPO(하이퍼 파라미터 최적화)를 자동화합니다.", "hyperparameter-optimization", "definition"),
    # An abbreviation defined with an unknown Korean long form ending in a technique head noun.
    ("ABCO(에이비씨 기반 최적화)로 학습합니다.", "abco", "definition"),
    # A one-word English gloss of a Korean term.
    ("연결성 기반 규제자(regularizer)를 사용합니다.", "regularizer", "term"),
    # A technique named wholly in Korean: bare nouns before a technique head, translated word by word.
    ("새로운 계층적 토큰화를 사용합니다.", "hierarchical-tokenization", "term"),
    # ... and kept in Korean when a word has no entry in the lexicon.
    ("정규화 손실을 도입합니다.", "%EC%A0%95%EA%B7%9C%ED%99%94-%EC%86%90%EC%8B%A4", "term"),
    # A wrapper noun after the head ("메커니즘") is not part of the name.
    ("피처 융합 메커니즘을 사용합니다.", "feature-fusion", "term"),
]

# (title, concept key expected, rule expected): titles are English and name the paper's method.
TITLE_FOUND = [
    # The name before the colon abbreviates a phrase after it: a definition across the colon.
    (
        "VPTQ: Extreme Low-bit Vector Post-Training Quantization for Large Language Models",
        "vector-post-training-quantization",
        "definition",
    ),
    # A capitalised phrase between title join words, with a technique head noun.
    (
        "I-Max: Maximize the Resolution Potential of Pre-trained Transformers with Projected Flow",
        "projected-flow",
        "term",
    ),
]


@pytest.mark.parametrize(("title", "key", "rule"), TITLE_FOUND, ids=[t[0][:24] for t in TITLE_FOUND])
def test_title_found(title: str, key: str, rule: str) -> None:
    found = {m.concept: m.rule for m in EX.extract_text(title, "title").mentions}
    assert found.get(key) == rule, found


@pytest.mark.parametrize(
    "title",
    [
        "Boosting Instance Control for Visual Generation",  # "Control" names a topic, not a method
        "High-Efficiency Optical Flow Estimation on Edge Devices",  # estimation: a task
        "Teaching Generative Language Models to Reference Answers",  # a claim, not a name
    ],
)
def test_title_topics_are_not_terms(title: str) -> None:
    assert [m for m in EX.extract_text(title, "title").mentions if m.rule == "term"] == []


@pytest.mark.parametrize(("text", "key", "rule"), FOUND, ids=[f[0][:24] for f in FOUND])
def test_found(text: str, key: str, rule: str) -> None:
    assert concepts(text).get(key) == rule, concepts(text)


NOT_FOUND = [
    # MT-Bench is a benchmark, not machine translation.
    ("MT-Bench에서 평가했습니다.", "machine-translation"),
    # An abbreviation defined in the text with another meaning beats the vocabulary's.
    ("Multi-Token (MT) 예측을 씁니다. MT는 빠릅니다.", "machine-translation"),
    # Letters inside a longer word are not a mention.
    ("DiTTO 모델", "diffusion-transformer"),
    # A bare ambiguous acronym with nothing else to tell its sense is linked to no concept.
    ("MAE가 낮습니다.", "masked-autoencoder"),
    ("MAE가 낮습니다.", "mean-absolute-error"),
    # "LoRA-based" is an adjective, not a variant of LoRA.
    ("LoRA-based 방법입니다.", "lora-based"),
    # A model built on a model-class acronym is a model, not a technique variant.
    ("OpenVLA를 평가합니다.", "openvla"),
    # "X 모델" is not made a technique by the Korean-head rule: it usually names a model.
    ("GPT 모델을 비교합니다.", "gpt-model"),
    # A one-word gloss of a field or activity is not a term; only components ("regularizer") are.
    ("어텐션(attention)을 씁니다.", "attention"),
    # Generic English words with a technique head are not a term.
    ("the proposed method를 씁니다.", "the-proposed-method"),
    # Activities with a weak head and a non-technical modifier are not names.
    ("빠른 학습과 분류기 훈련을 합니다.", "%EB%B9%A0%EB%A5%B8-%ED%95%99%EC%8A%B5"),
    ("모델 학습을 합니다.", "%EB%AA%A8%EB%8D%B8-%ED%95%99%EC%8A%B5"),
    # A word with a particle ends the name: "과정에서" is not part of it.
    ("노이즈 제거 과정에서 임베딩을 씁니다.", "%EA%B3%BC%EC%A0%95%EC%97%90%EC%84%9C-%EC%9E%84%EB%B2%A0%EB%94%A9"),
    # A citation is not a term.
    ("Wang et al 2023의 모델을 따릅니다.", "wang-et-al-2023"),
    # A whole English sentence is not a term.
    ("We train a large diffusion model with a new sampling method for video.", "sampling-method"),
]


@pytest.mark.parametrize(("text", "key"), NOT_FOUND, ids=[n[0][:24] for n in NOT_FOUND])
def test_not_found(text: str, key: str) -> None:
    assert key not in concepts(text)


def test_unknown_definition_becomes_a_discovered_concept_and_resolves_later_uses() -> None:
    found = EX.extract_text("Trajectory Extractor(TE)를 설계했습니다. TE는 궤적을 인코딩합니다.")
    (concept,) = found.discovered
    assert (concept.key, concept.kind, concept.pref_label, concept.alt_labels, concept.curated) == (
        "trajectory-extractor",
        "Technique",
        "Trajectory Extractor",
        ("TE",),
        False,
    )
    assert [m.rule for m in found.mentions] == ["definition", "local"]


def test_spans_point_at_the_matched_text() -> None:
    text = "Tora는 Diffusion Transformer(DiT)를 확장하고 LoRA와 결합합니다."
    for m in EX.extract_text(text).mentions:
        assert text[m.start : m.end] == m.label


def test_definitions_after_a_long_text_and_many_in_a_row() -> None:
    # a definition far into a section is found as near the start (the look-back is bounded) ...
    text = "가" * 5000 + " Diffusion Transformer(DiT)를 확장합니다."
    (m,) = EX.extract_text(text).mentions
    assert (m.concept, m.rule, text[m.start : m.end]) == ("diffusion-transformer", "definition", m.label)
    assert m.label == "Diffusion Transformer(DiT)"
    # ... and each of 2,000 definitions in one bullet (once quadratic: 100 KB took two minutes)
    many = "Diffusion Transformer(DiT) " * 2000
    mentions = EX.extract_text(many).mentions
    assert [m.start for m in mentions] == [27 * i for i in range(2000)]
    assert {(m.label, m.rule) for m in mentions} == {("Diffusion Transformer(DiT)", "definition")}


@pytest.mark.parametrize(
    ("abbr", "words", "expected"),
    [
        ("DiT", "a scalable Diffusion Transformer", "Diffusion Transformer"),  # shortest tail that spells it
        ("MoMa", "Mixture of Modality-Aware Experts", "Mixture of Modality-Aware Experts"),
        ("ALR", "변형된 Adaptive Learning Rate", "Adaptive Learning Rate"),
        ("XYZ", "Diffusion Transformer", None),  # letters absent
        ("TE", "Tex", None),  # one word only is no long form
    ],
)
def test_best_long_form(abbr: str, words: str, expected: str | None) -> None:
    assert best_long_form(abbr, words) == expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("DiT", True),
        ("3DGS", True),
        ("GPT-4o", True),
        ("SOTA", False),
        ("Sora", False),
        ("2023", False),
    ],
)
def test_is_abbreviation(token: str, expected: bool) -> None:
    assert is_abbreviation(token) is expected
