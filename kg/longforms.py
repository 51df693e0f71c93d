"""Abbreviations and their long forms (pure).

An abbreviation defined in a digest (``Diffusion Transformer(DiT)``) is matched to its long form
by an acronym alignment over whole words, falling back to Schwartz & Hearst (2003).

>>> best_long_form("PPO", "the Proximal Policy Optimization"), is_abbreviation("LoRA")
('Proximal Policy Optimization', True)
"""

from __future__ import annotations

import re

_ABBR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-.]{0,11}$")
# Abbreviations that name no concept (or too many to be useful as one).
STOP_ABBRS = frozenset(
    """
    AI API APIs CPU EN ETC EU FLOPs FPS GB GPU GPUs ID IDs IoU KB KO MB PDF PhD SOTA SoTA TB UI UK
    URL US USD
    """.split()
)


def is_abbreviation(token: str) -> bool:
    """An acronym-like token: short, no spaces, with two capitals or a capital and a digit.

    >>> [is_abbreviation(t) for t in ("DiT", "3DGS", "LoRA", "Sora", "ab", "2023")]
    [True, True, True, False, False, False]
    """
    if not _ABBR.match(token) or token in STOP_ABBRS:
        return False
    upper = sum(c.isupper() for c in token)
    return upper >= 2 or (upper >= 1 and any(c.isdigit() for c in token))


_STOPWORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "via", "with"]
)


def _align(abbr: str, tokens: list[list[str]]) -> bool:
    """Can the letters of ``abbr`` spell ``tokens`` (words, each split at hyphens) as an acronym?

    Every word must be entered at its first letter, except stop words, which may be skipped; later
    hyphen parts of a word may be entered or skipped. Inside a part, a letter of the abbreviation
    may match a later letter when it is lower case or a digit, or the part's letter is a capital.
    """
    chars = [c for c in abbr if c.isalnum()]
    parts = [(w, k, part) for w, word in enumerate(tokens) for k, part in enumerate(word) if part]

    seen: dict[tuple[int, int, int], bool] = {}  # a memo (cheaper to make than a functools cache)

    def go(i: int, at: int, pos: int) -> bool:
        found = seen.get((i, at, pos))
        if found is None:
            found = seen[i, at, pos] = step(i, at, pos)
        return found

    def step(i: int, at: int, pos: int) -> bool:  # next abbreviation char i; inside parts[at] after pos
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
