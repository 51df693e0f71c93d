"""Bad input: every broken file is named with FILE:LINE, and good papers in it still go in."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.load import InputError, load_digests, read_digest
from tests.conftest import DATA

BROKEN = DATA / "broken"

# file -> (arXiv ids built from it, [(line, severity, start of message)])
EXPECTED = {
    # An empty file is an error by name, never skipped silently.
    "empty.md": ([], [(1, "error", "empty file")]),
    # A NUL byte marks a binary file: not read, reported at the NUL's line.
    "binary.md": ([], [(2, "error", "binary file")]),
    # Latin-1 bytes: reported at their line; the paper still goes in (é becomes U+FFFD).
    "latin1.md": (["2408.10001"], [(3, "error", "not valid UTF-8 (byte 0xE9)")]),
    # A link that never closes: the id is still read, with a warning; the neighbour is unharmed.
    "unclosed-link.md": (["2408.10002", "2408.10003"], [(3, "warning", "expected '### [Title]")]),
    # A heading with no link at all: that paper is skipped (error), the next one goes in.
    "no-link.md": (
        ["2408.10004"],
        [(3, "error", "expected '### [Title](https://arxiv.org/abs/ID)' but found no arXiv")],
    ),
    # Markdown that is not a digest: each stray line is a warning, and "no papers" an error.
    "no-papers.md": (
        [],
        [
            (1, "warning", "expected a '### [Title]"),
            (1, "error", "no papers found"),
            (3, "warning", "expected a '### [Title]"),
        ],
    ),
    # Old-style id, versioned id, bad vote, duplicate listing without authors, wrapped heading.
    "mixed.md": (
        ["hep-th/9901001", "2409.00002", "2409.00002", "2409.00003"],
        [
            (11, "warning", "expected 'Vote: N' or 'Vote: -'"),
            (15, "warning", "paper 2409.00002 has no 'Authors:'"),
            (15, "warning", "paper 2409.00002 is listed again"),
            (19, "warning", "the heading spans 2 lines"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file(name: str) -> None:
    ids, problems = EXPECTED[name]
    digest = read_digest(BROKEN / name)
    assert [p.arxiv_id for p in digest.papers] == ids
    got = sorted((p.line, p.severity, p.message) for p in digest.problems)
    assert len(got) == len(problems), got
    for (line, severity, message), (want_line, want_severity, want_start) in zip(got, sorted(problems), strict=True):
        assert (line, severity) == (want_line, want_severity), message
        assert message.startswith(want_start), message
    for p in digest.problems:
        assert str(p).startswith(f"{BROKEN / name}:{p.line}: ")


def test_every_broken_file_is_in_the_table() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


def test_folders_are_searched_recursively_for_markdown(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "2024-08-01.md").write_text(
        "## Daily Papers (2024-08-01)\n### [T](https://arxiv.org/abs/2408.00001)\n", "utf-8"
    )
    (tmp_path / "a" / "notes.txt").write_text("not a digest", "utf-8")
    assert [len(d.papers) for d in load_digests([tmp_path])] == [1]


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        load_digests([tmp_path / "nope"])


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 2000)
    (problem,) = read_digest(big, max_bytes=1000).problems
    assert str(problem) == f"{big}:1: file is 2,000 bytes, over the limit of 1,000 (--max-file-size); not read"
