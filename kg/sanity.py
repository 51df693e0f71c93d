"""Digest sanity: does a summary talk about the paper its title names? (pure)

Some generated summaries describe another paper altogether (the seed's "The Llama 3 Herd of
Models" is summarised as a generic learning-rate method). A summary that shares none of the
title's distinctive names and terms is flagged, with the words that were looked for as evidence.

>>> known = {"CNN", "CIFAR-10"}.__contains__
>>> summary_mismatch("LiveBench: A Challenging Benchmark", ["CNN을 CIFAR-10에서 학습합니다."], is_known=known)
"none of the title's names or terms appear in the summary: LiveBench, Challenging"
>>> summary_mismatch("Tora: Trajectory-oriented DiT", ["Tora는 영상을 만듭니다."]) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet

# Title words that say nothing about which paper it is.
_COMMON = frozenset(
    """
    a an the of for and or in on with via by to from at as into over under towards toward beyond
    without through is are be can do does your you we our how what when why which who its their more
    less than not no all any new novel efficient effective simple scalable large small general
    unified towards using based better best first learning learn model models modeling language
    languages large vision visual image images video videos data dataset datasets benchmark
    benchmarks generation generative training train trained network networks neural deep multimodal
    multi task tasks method methods approach framework system systems study analysis survey towards
    understanding reasoning evaluation evaluating improving improved enhancing enhanced scaling via
    fast faster high quality open source paper report technical agent agents text long short free
    """.split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z]")


def title_terms(title: str) -> list[str]:
    """The distinctive words of a title: the name before a colon, and uncommon words of 4+ letters.

    >>> title_terms("MoMa: Efficient Early-Fusion Pre-training with Mixture of Modality-Aware Experts")
    ['MoMa', 'Early-Fusion', 'Pre-training', 'Mixture', 'Modality-Aware', 'Experts']
    """
    terms: list[str] = []
    name = title.split(":", 1)[0].strip() if ":" in title else ""
    if name and len(name.split()) <= 3:
        terms.append(name)
    else:
        name = ""
    for word in _WORD.findall(title):
        if len(word) >= 4 and word.lower() not in _COMMON and word not in terms and word not in name.split():
            terms.append(word)
    return terms


_NOT_A_NAME = re.compile(
    r"^(?:\d+(?:\.\d+)?[KMBTkmbt]?|[Tt]op-\d+|[Pp]ass@\d+|[Vv]\d+(?:\.\d+)*|\d+[Dd]|\d+[Kk]?[Pp])$"
)
_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![A-Za-z0-9])")


def own_names(text: str, is_known: Callable[[str], bool]) -> list[str]:
    """Names the summary gives its subject (UNO, CoSyn, 3to4D): capitalised or mixed tokens of three or
    more characters with a second capital or a digit that are neither known labels nor abbreviations
    the text defines ("Adaptive Learning Rate(ALR)" makes ALR a term, not a name).

    >>> own_names("CoSyn은 LLM과 Adaptive Learning Rate(ALR)를 씁니다.", lambda s: s == "LLM")
    ['CoSyn']
    """
    names = []
    for m in _NAME.finditer(text):
        token = m.group(0)
        capitals = sum(c.isupper() for c in token)
        if len(token) < 3 or not (capitals >= 2 or any(c.isdigit() for c in token)) or is_known(token):
            continue
        if _NOT_A_NAME.match(token):  # sizes (27B), ranks (Top-1), years and versions
            continue
        if text[m.end() : m.end() + 1] == ")" and text[m.start() - 1 : m.start()] == "(":
            continue  # a defined abbreviation
        if token not in names:
            names.append(token)
    return names


def summary_mismatch(
    title: str,
    sections: Sequence[str],
    title_concepts: AbstractSet[str] = frozenset(),
    summary_concepts: AbstractSet[str] = frozenset(),
    is_known: Callable[[str], bool] = lambda _: False,
) -> str | None:
    """Evidence that the summary is about another paper, or ``None`` when it shares a title term.

    Words are compared case-insensitively, and a hyphenated word also counts when its parts
    appear separately. A concept named in both the title and the summary (in any language the
    vocabulary knows) also clears the paper, and so does a summary that gives its subject a name of
    its own (generated summaries of another paper are generic). Titles with no distinctive word are
    never flagged.
    """
    if title_concepts & summary_concepts:
        return None
    terms = title_terms(title)
    if not terms:
        return None
    text = " ".join(sections).lower()
    if not text.strip():
        return None
    for term in terms:
        low = term.lower()
        if low in text or low.replace("-", " ") in text or low.replace("-", "") in text:
            return None
        if "-" in low and all(part in text for part in low.split("-") if len(part) >= 4):
            return None
    if own_names(" ".join(sections), is_known):
        return None
    shown = ", ".join(terms[:6])
    return f"none of the title's names or terms appear in the summary: {shown}"
