"""Precision and recall of technique mentions against a hand-made gold set (pure).

A gold entry per paper lists ``core`` techniques (must be found), ``acceptable`` ones (fine to
find, not counted when missed) and ``other`` named things (models, datasets, metrics, tasks: a
technique mention of one of them is a false positive). Each item is a list of equivalent names.

A system concept matches a gold item when one of its labels equals one of the item's names after
folding case, spaces, hyphens and a plural ``s``.

>>> from kg.model import Concept
>>> gold = GoldPaper("1", core=(("Diffusion Transformer", "DiT"),), acceptable=(), other=())
>>> found = [Concept("diffusion-transformer", "Technique", "Diffusion Transformer", ("DiT",))]
>>> score_papers([(gold, found)]).precision
1.0
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.model import Concept, Extraction
from kg.vocabulary import Vocabulary

Item = tuple[str, ...]


def fold(label: str) -> str:
    """Case, space, hyphen and plural folding used for matching names."""
    text = re.sub(r"[\s\-_’'·]+", "", label.lower())
    if len(text) > 4 and text.endswith("es") and text[-3] in "sxz":
        return text[:-2]
    return text[:-1] if len(text) > 3 and text.endswith("s") and not text.endswith("ss") else text


@dataclass(frozen=True)
class GoldPaper:
    arxiv_id: str
    core: tuple[Item, ...]
    acceptable: tuple[Item, ...]
    other: tuple[Item, ...]  # the last name of each item is its kind


def parse_gold(text: str, generic: Sequence[Item] = ()) -> dict[str, GoldPaper]:
    """Annotations in the JSON form of ``tests/gold/annotations-*.json``.

    ``generic`` items (``tests/gold/generic.json``) are acceptable in every paper.
    """
    data = json.loads(text)
    out = {}
    for arxiv_id, entry in data.items():
        out[arxiv_id] = GoldPaper(
            arxiv_id,
            tuple(tuple(i) for i in entry.get("core", []) if i),
            tuple(tuple(i) for i in entry.get("acceptable", []) if i) + tuple(generic),
            tuple(tuple(i[:-1]) for i in entry.get("other", []) if len(i) > 1),
        )
    return out


def parse_generic(text: str) -> tuple[Item, ...]:
    """The generic acceptable items of ``tests/gold/generic.json``."""
    return tuple(tuple(i) for i in json.loads(text).get("acceptable", []) if i)


def found_techniques(extraction: Extraction, vocabulary: Vocabulary) -> list[Concept]:
    """The distinct ``Technique`` concepts an extraction reaches (curated or discovered)."""
    discovered = {c.key: c for c in extraction.discovered}
    out: dict[str, Concept] = {}
    for m in extraction.mentions:
        concept = vocabulary.concepts.get(m.concept) or discovered.get(m.concept)
        if concept is not None and concept.kind == "Technique":
            out[concept.key] = concept
    return [out[k] for k in sorted(out)]


def _labels(concept: Concept) -> set[str]:
    return {fold(x) for x in (concept.pref_label, *concept.alt_labels, *concept.ko_labels)}


def _matches(concept: Concept, item: Item) -> bool:
    return bool(_labels(concept) & {fold(n) for n in item})


@dataclass
class Score:
    """Counts over a set of papers, with the examples behind them."""

    true_positives: int = 0
    false_positives: int = 0
    acceptable: int = 0
    found_core: int = 0
    core: int = 0
    wrong: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        judged = self.true_positives + self.false_positives
        return self.true_positives / judged if judged else 1.0

    @property
    def recall(self) -> float:
        return self.found_core / self.core if self.core else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_papers(results: Iterable[tuple[GoldPaper, Sequence[Concept]]]) -> Score:
    """Score technique concepts found per paper against gold.

    A found concept matching a core item is a true positive; matching an acceptable item it is
    neither right nor wrong (counted apart); otherwise, a false positive.
    """
    score = Score()
    for gold, found in results:
        for concept in found:
            if any(_matches(concept, item) for item in gold.core):
                score.true_positives += 1
            elif any(_matches(concept, item) for item in gold.acceptable):
                score.acceptable += 1
            else:
                score.false_positives += 1
                score.wrong[concept.pref_label] += 1
        for item in gold.core:
            score.core += 1
            if any(_matches(c, item) for c in found):
                score.found_core += 1
            else:
                score.missed[item[0]] += 1
    return score


def format_score(name: str, score: Score, examples: int = 15) -> str:
    """A short report: the three figures, then the worst false positives and the misses."""
    lines = [
        f"{name}: precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}  "
        f"(found {score.true_positives} right, {score.false_positives} wrong, {score.acceptable} acceptable; "
        f"{score.found_core} of {score.core} core techniques)",
    ]
    if score.wrong:
        lines.append(
            "  worst false positives: " + ", ".join(f"{k} ({n})" for k, n in score.wrong.most_common(examples))
        )
    if score.missed:
        lines.append("  misses: " + ", ".join(f"{k} ({n})" for k, n in score.missed.most_common(examples)))
    return "\n".join(lines)
