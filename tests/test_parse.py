"""The digest parser: every quirk of the real corpus, one table row each, plus properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import PLAIN_SUMMARY, TECHNICAL_DETAILS, WHATS_NEW
from kg.parse import parse_digest

HEAD = "## Daily Papers (2024-08-01)\n\n"


def one(text: str, source: str = "t.md"):
    digest = parse_digest(text, source=source)
    assert len(digest.papers) == 1, digest
    return digest.papers[0], digest


# (case id, digest text, expected attributes of the single paper)
CASES = [
    # The plain seed form: bold labels, thumbnail, votes, comma-separated authors.
    (
        "seed-form",
        HEAD + "### [Tora: A DiT](https://arxiv.org/abs/2407.21705)\n\n"
        "![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2407.21705.png)\n\nVote: 11\n\n"
        "Authors: Long Qin, Junchao Liao\n\n- **What's New**: 새 모델.\n- **Technical Details**: DiT 구조.\n",
        {
            "arxiv_id": "2407.21705",
            "title": "Tora: A DiT",
            "authors": ("Long Qin", "Junchao Liao"),
            "votes": 11,
            "keys": (WHATS_NEW, TECHNICAL_DETAILS),
        },
    ),
    # Square brackets inside a title must not end it (a naive \[(.*?)\] would).
    (
        "title-brackets",
        HEAD + "### [Teaching Models to Say [IDK] Token](https://arxiv.org/abs/2412.06676)\nAuthors: A B\n",
        {"title": "Teaching Models to Say [IDK] Token"},
    ),
    # GPT-[n] style brackets twice in one title.
    (
        "title-two-brackets",
        HEAD + "### [GPT-[n] and o-[n] Models](https://arxiv.org/abs/2501.00001)\nAuthors: A B\n",
        {"title": "GPT-[n] and o-[n] Models"},
    ),
    # Authors written as a Python list (2024-10-18 .. 2024-10-25); a comma inside a name survives.
    (
        "authors-python-list",
        HEAD + "### [T](https://arxiv.org/abs/2410.00001)\nAuthors: ['Zihan Zhou', 'B, Jr.']\n",
        {"authors": ("Zihan Zhou", "B, Jr."), "hidden_after": ()},
    ),
    # '+' marks hidden authors, not a person; its position is kept.
    (
        "authors-plus",
        HEAD + "### [T](https://arxiv.org/abs/2407.21783)\nAuthors: A One, B Two, +, C Three\n",
        {"authors": ("A One", "B Two", "C Three"), "hidden_after": (2,)},
    ),
    # An uploader avatar instead of the thumbnail: ignored, the id comes from the heading.
    (
        "avatar-image",
        HEAD + "### [T](https://arxiv.org/abs/2406.11111)\n![](/avatars/e4f6.svg)\nAuthors: A B\n",
        {"arxiv_id": "2406.11111"},
    ),
    # Curly apostrophe in a label is the same standard section.
    (
        "curly-apostrophe",
        HEAD + "### [T](https://arxiv.org/abs/2407.00001)\nAuthors: A\n- **What’s New**: x\n",
        {"keys": (WHATS_NEW,)},
    ),
    # Bold-italic labels (from 2024-10-18 on).
    (
        "bold-italic",
        HEAD + "### [T](https://arxiv.org/abs/2410.00002)\nAuthors: A\n- ***What's New***: x\n"
        "- ***Technical Details***: y\n",
        {"keys": (WHATS_NEW, TECHNICAL_DETAILS)},
    ),
    # A real typo: three stars open, one closes ("***Technical Details*:").
    (
        "label-typo",
        HEAD + "### [T](https://arxiv.org/abs/2503.00001)\nAuthors: A\n- ***Technical Details*: IMM 설명\n",
        {"keys": (TECHNICAL_DETAILS,), "texts": ("IMM 설명",)},
    ),
    # Invisible U+2062 and NBSP in a title: dropped / folded to a space, NFC applied.
    (
        "invisible-chars",
        HEAD + "### [𝒵\u2062𝒮2𝒵:\u00a0Zero  Shot](https://arxiv.org/abs/2408.00001)\nAuthors: A\n",
        {"title": "𝒵𝒮2𝒵: Zero Shot"},
    ),
    # NFD Hangul in a name is normalised to NFC (one person node per distinct name).
    (
        "nfd-name",
        HEAD + "### [T](https://arxiv.org/abs/2408.00002)\nAuthors: \u1100\u1161\u11a8 Kim\n",
        {"authors": ("각 Kim",)},
    ),
    # Extra labels become their own sections; missing standard ones are simply absent.
    (
        "extra-labels",
        HEAD + "### [T](https://arxiv.org/abs/2408.00003)\nAuthors: A\n- **What's New**: x\n- **Limitations**: y\n",
        {"keys": (WHATS_NEW, "limitations")},
    ),
    # Python-list strings as bullet text become readable lines.
    (
        "python-list-bullet",
        HEAD + "### [T](https://arxiv.org/abs/2406.00004)\nAuthors: A\n"
        "- **Performance Highlights**: ['첫째 결과.', '둘째 결과.']\n",
        {"texts": ("첫째 결과.\n둘째 결과.",)},
    ),
    # Continuation lines (a numbered list) belong to the bullet above.
    (
        "continuation",
        HEAD + "### [T](https://arxiv.org/abs/2408.00005)\nAuthors: A\n- **Technical Details**: 구성:\n"
        "1. **Tokenizer**: BPE\n2. **GQA**: 어텐션\n",
        {"texts": ("구성:\n1. **Tokenizer**: BPE\n2. **GQA**: 어텐션",)},
    ),
    # 'Vote: -' means no vote (not zero).
    ("vote-dash", HEAD + "### [T](https://arxiv.org/abs/2404.01300)\nVote: -\nAuthors: A\n", {"votes": None}),
    # A versioned id loses its version.
    ("versioned-id", HEAD + "### [T](https://arxiv.org/abs/2409.00002v3)\nAuthors: A\n", {"arxiv_id": "2409.00002"}),
    # An old-style arXiv id is kept whole.
    (
        "old-style-id",
        HEAD + "### [T](https://arxiv.org/abs/hep-th/9901001)\nAuthors: A\n",
        {"arxiv_id": "hep-th/9901001"},
    ),
    # Plain bullets (the early variant) form one plain summary.
    (
        "plain-bullets",
        HEAD + "### [T](https://arxiv.org/abs/2312.00001)\nAuthors: A\n- 첫 문장.\n- 둘째 문장.\n",
        {"keys": (PLAIN_SUMMARY,), "texts": ("첫 문장.\n둘째 문장.",)},
    ),
    # CRLF line ends and a byte-order mark.
    (
        "crlf-bom",
        "\ufeff" + HEAD.replace("\n", "\r\n") + "### [T](https://arxiv.org/abs/2408.00006)\r\nVote: 3\r\n"
        "Authors: A B\r\n",
        {"votes": 3, "authors": ("A B",)},
    ),
    # A video line instead of an image (early variant).
    (
        "video-line",
        HEAD + "### [T](https://arxiv.org/abs/2312.00002)\n<video src='https://x/y.mp4'></video>\nAuthors: A\n",
        {"arxiv_id": "2312.00002"},
    ),
    # The early variant's "[Watch Video]" link (sometimes without parentheses) and <div><video> line.
    (
        "watch-video",
        HEAD + "### [T](https://arxiv.org/abs/2311.12052)\n[Watch Video]https://x/y.mp4\n"
        "<div><video controls src='https://x/y.mp4'></video></div>\nAuthors: A\n",
        {"authors": ("A",)},
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_quirk(text: str, expected: dict[str, object]) -> None:
    paper, digest = one(text)
    assert not [p for p in digest.problems if p.severity == "error"], digest.problems
    for name, value in expected.items():
        if name == "keys":
            assert tuple(s.key for s in paper.sections) == value
        elif name == "texts":
            assert tuple(s.text for s in paper.sections) == value
        else:
            assert getattr(paper, name) == value, name


def test_two_headers_in_one_file_keep_every_paper() -> None:
    text = (
        HEAD
        + "### [A](https://arxiv.org/abs/2410.00010)\nAuthors: X\n\n"
        + HEAD
        + "### [B](https://arxiv.org/abs/2410.00011)\nAuthors: Y\n"
    )
    digest = parse_digest(text, "2024-08-01.md")
    assert [p.arxiv_id for p in digest.papers] == ["2410.00010", "2410.00011"]
    assert {p.date for p in digest.papers} == {dt.date(2024, 8, 1)}
    assert digest.problems == ()


def test_bad_heading_is_reported_and_neighbours_survive() -> None:
    text = (
        HEAD + "### [Good one](https://arxiv.org/abs/2408.00020)\nAuthors: A\n\n"
        "### [No link here]\nVote: 3\nAuthors: B\n- **What's New**: lost?\n\n"
        "### [Good two](https://arxiv.org/abs/2408.00021)\nAuthors: C\n"
    )
    digest = parse_digest(text, "x.md")
    assert [p.arxiv_id for p in digest.papers] == ["2408.00020", "2408.00021"]
    assert digest.papers[0].sections == ()  # the skipped paper's bullet went nowhere else
    (err,) = [p for p in digest.problems if p.severity == "error"]
    assert str(err).startswith("x.md:6: expected '### [Title](https://arxiv.org/abs/ID)'")


def test_heading_over_two_lines_is_joined_with_a_warning() -> None:
    paper, digest = one(HEAD + "### [A Title That\nWraps](https://arxiv.org/abs/2408.00030)\nAuthors: A\n")
    assert (paper.title, paper.arxiv_id) == ("A Title That Wraps", "2408.00030")
    assert [p.line for p in digest.problems] == [3]


def test_missing_header_takes_the_date_from_the_file_name() -> None:
    paper, digest = one("### [T](https://arxiv.org/abs/2408.00040)\nAuthors: A\n", source="dir/2024-08-05.md")
    assert paper.date == dt.date(2024, 8, 5)
    assert "taken from the file name" in digest.problems[0].message


def test_paper_without_authors_is_built_and_reported() -> None:
    paper, digest = one(HEAD + "### [T](https://arxiv.org/abs/2408.00050)\nVote: 1\n- **What's New**: x\n")
    assert paper.authors == ()
    assert [(p.line, p.severity) for p in digest.problems] == [(3, "warning")]


def test_duplicate_paper_in_one_file_is_reported() -> None:
    text = HEAD + "### [T](https://arxiv.org/abs/2408.00060)\nAuthors: A\n### [T](https://arxiv.org/abs/2408.00060)\n"
    digest = parse_digest(text + "Authors: A\n", "d.md")
    assert len(digest.papers) == 2  # both kept; the builder merges them into one paper node
    assert "listed again (first at line 3)" in digest.problems[0].message


def test_bad_vote_is_a_warning_and_the_paper_stays() -> None:
    paper, digest = one(HEAD + "### [T](https://arxiv.org/abs/2408.00070)\nVote: many\nAuthors: A\n")
    assert paper.votes is None
    assert str(digest.problems[0]) == "t.md:4: expected 'Vote: N' or 'Vote: -', got 'Vote: many'; vote left out"


# ---- properties ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_parses_without_raising(text: str) -> None:
    digest = parse_digest(text, "fuzz.md")
    for p in digest.problems:
        assert p.file == "fuzz.md" and p.line >= 1


_name = st.text(st.characters(categories=["L"], exclude_characters="+"), min_size=1, max_size=12)
_title = st.text(st.characters(categories=["L", "N", "Zs"], include_characters="[]:-'"), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(
    title=_title.filter(lambda t: t.strip() and "\n" not in t),
    authors=st.lists(st.builds(lambda a, b: f"{a} {b}", _name, _name), min_size=1, max_size=30, unique=True),
    votes=st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)),
    number=st.integers(min_value=10000, max_value=99999),
)
def test_generated_papers_round_trip(title: str, authors: list[str], votes: int | None, number: int) -> None:
    from kg.normalize import clean_text

    vote = "-" if votes is None else str(votes)
    text = (
        HEAD + f"### [{title}](https://arxiv.org/abs/2408.{number})\n\nVote: {vote}\n\n"
        f"Authors: {', '.join(authors)}\n\n- **What's New**: 요약.\n"
    )
    paper, digest = one(text)
    assert paper.title == clean_text(title)
    assert list(paper.authors) == [clean_text(a) for a in authors]
    assert paper.votes == votes
    assert digest.problems == ()


def test_invisible_characters_lie_only_in_the_planes_searched() -> None:
    """``strip_invisible`` builds its character class from planes 0, 1 and 14 only (0.05 s instead of
    0.25 s per process); no other plane has a format, control or surrogate code point."""
    from kg.normalize import INVISIBLE_PLANES, invisible_ranges, strip_invisible

    assert invisible_ranges(tuple(p for p in range(17) if p not in INVISIBLE_PLANES)) == []
    assert strip_invisible("a\u200bb\U000e0041c\x07d\ufffe") == "abcd"  # plane 0 format, plane 14 tag, control
