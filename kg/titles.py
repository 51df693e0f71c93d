"""Technique names in English paper titles (pure).

Titles are English even when the summary is Korean, and they name the paper's own method in two
ways the summary rules miss:

- ``VPTQ: Extreme Low-bit Vector Post-Training Quantization for ...``: the name before the colon is
  an acronym of a phrase after it (a definition across the colon);
- ``... with Projected Flow``, ``Dual Preference Alignment for ...``: a capitalised phrase between
  title function words whose head noun names a technique.

>>> [(long_form, abbr) for long_form, abbr, _, _ in title_definitions(
...     "VPTQ: Extreme Low-bit Vector Post-Training Quantization for Large Language Models")]
[('Vector Post-Training Quantization', 'VPTQ')]
>>> [phrase for phrase, _, _ in title_phrases("I-Max: Maximize the Resolution Potential with Projected Flow")]
['Projected Flow']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.longforms import best_long_form, is_abbreviation
from kg.terms import classify_term

# Words that join the phrases of a title; a phrase never spans one.
_JOINS = frozenset(
    """
    for via with in on of using from to towards toward and or by at as through into beyond without
    under over is are all you need meets a an the your our its their how what when why can do does
    """.split()
)
_CHUNK = re.compile(r"[^:,;?!()]+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-'’]*")
# Leading words that make a phrase a claim rather than a name ("Scaling Diffusion Models").
_LEADING = frozenset(
    """
    efficient effective scalable simple towards improving enhancing boosting scaling making teaching
    learning training rethinking revisiting unlocking unleashing understanding exploring evaluating
    benchmarking leveraging taming mastering bridging fast faster better large small new novel
    general generalist universal unified open
    """.split()
)

# Head nouns that make a title phrase a method's name; "Control", "Reasoning", "Models" and
# "Estimation" more often name a task or a topic.
_NAME_HEADS = frozenset(
    """
    alignment distillation quantization flow fusion pooling tokenization embedding embeddings encoding
    decoding guidance adapter tuning pruning merging minimization inversion injection insertion splatting
    attention prompting caching regularization normalization augmentation masking routing sparsity
    factorization decomposition transformer autoencoder
    """.split()
)


def _phrases(text: str) -> Iterator[list[tuple[str, int]]]:
    """Runs of (word, offset) between title join words."""
    for chunk in _CHUNK.finditer(text):
        run: list[tuple[str, int]] = []
        for m in _WORD.finditer(chunk.group(0)):
            if m.group(0).lower() not in _JOINS:
                run.append((m.group(0), chunk.start() + m.start()))
            elif run:
                yield run
                run = []
        if run:
            yield run


def title_definitions(title: str) -> Iterator[tuple[str, str, int, int]]:
    """``ABBR: ... Long Form ...``: the long form after the colon that the name before it abbreviates.

    Yields (long form, abbreviation, start, end) with the span of the long form in ``title``.
    """
    name, sep, rest = title.partition(":")
    abbr = name.strip()
    if not sep or not is_abbreviation(abbr) or not any(c.isupper() for c in abbr[1:]):
        return
    offset = len(name) + 1
    for run in _phrases(rest):
        start = run[0][1]
        long_form = best_long_form(abbr, " ".join(w for w, _ in run))
        if long_form is not None:
            at = rest.find(long_form, start)
            if at >= 0:
                yield long_form, abbr, offset + at, offset + at + len(long_form)
                return


def title_phrases(title: str) -> Iterator[tuple[str, int, int]]:
    """Capitalised multi-word phrases of a title whose head noun names a technique.

    The part before a colon is the paper's name and is left to the other rules.
    """
    name, sep, _ = title.partition(":")
    offset = len(name) + 1 if sep else 0
    for run in _phrases(title[offset:]):
        while run and run[0][0].lower() in _LEADING:
            run = run[1:]
        words = [w for w, _ in run]
        if len(words) < 2 or not all(w[:1].isupper() or w[:1].isdigit() for w in words):
            continue
        phrase = " ".join(words)
        if classify_term(phrase) != "Technique" or re.split(r"[\s\-]+", phrase.lower())[-1] not in _NAME_HEADS:
            continue
        at = title.find(phrase, offset + run[0][1])
        if at >= 0:
            yield phrase, at, at + len(phrase)
