"""The trie pattern of many labels: its look-ahead of first characters changes no match, and
every match is one of the labels."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.alternation import label_atoms, trie_pattern

# Few letters, so that labels share prefixes and overlap in the texts; a Hangul syllable, a digit
# and a hyphen, as in real labels ("3D 가우시안", "Low-Rank"); upper case for the folded patterns;
# regex metacharacters, which must stay literal inside the look-ahead's class.
_WORDS = st.text(alphabet="aAbB가1-^]\\", min_size=1, max_size=4)
_LABELS = st.lists(st.lists(_WORDS, min_size=1, max_size=3), min_size=1, max_size=12)
_TEXT = st.text(alphabet="aAbB가1-^]\\ x", max_size=40)
_LEFT = r"(?<![A-Za-z0-9])"  # as the vocabulary patterns of kg.mentions start


@given(_LABELS, _TEXT, st.booleans())
def test_the_look_ahead_changes_no_match(labels: list[list[str]], text: str, fold: bool) -> None:
    flags = re.IGNORECASE if fold else 0
    atoms = [label_atoms(words, r"[\s\-]?", fold) for words in labels]
    pattern = trie_pattern(atoms)
    assert pattern.startswith("(?=[")
    body = pattern[pattern.index("])") + 2 :]
    found = [m.span() for m in re.finditer(_LEFT + pattern, text, flags)]
    assert found == [m.span() for m in re.finditer(_LEFT + body, text, flags)]
    for start, end in found:
        assert any(re.fullmatch("".join(a), text[start:end], flags) for a in atoms)


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ([["a", "b"], ["x"]], True),  # single characters
        ([["\\-", "a"], ["가"]], True),  # an escaped character counts as one
        ([["(?:ab)"], ["x"]], False),  # a wider first atom: no class
        ([[]], False),  # the empty label matches anywhere: nothing to look ahead to
    ],
)
def test_a_look_ahead_only_of_single_characters(labels: list[list[str]], expected: bool) -> None:
    assert trie_pattern(labels).startswith("(?=[") is expected
