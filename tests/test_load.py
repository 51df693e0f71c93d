"""Bad input: every broken file is named with FILE:LINE, and good papers in it still go in."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.load import InputError, load_digests, read_digest
from tests.conftest import DATA

BROKEN = DATA / "broken"

# file -> (arXiv ids built from it, [(line, severity, start of message)]). One hand-written file per
# case; every message is FILE:LINE (checked below).
EXPECTED = {
    # An empty file is an error by name, never skipped silently.
    "empty.md": ([], [(1, "error", "empty file")]),
    # A NUL byte marks a binary file: not read, reported at the NUL's line.
    "binary.md": ([], [(2, "error", "binary file")]),
    # Latin-1 bytes: reported at their line; the paper still goes in (é becomes U+FFFD).
    "latin1.md": (["2408.10001"], [(3, "error", "not valid UTF-8 (byte 0xE9)")]),
    # The same after a byte-order mark: the bad byte and its line are counted from the file's start
    # (they were taken from the bytes after the mark: "byte 0x61" on line 4).
    "bom-latin1.md": (["2409.00013"], [(5, "error", "not valid UTF-8 (byte 0xE9)")]),
    # Lone CR line ends (old Mac files) end lines like LF: both papers are read, and the bad byte
    # is on line 9 as the parser counts lines (the whole file was one line, every paper lost).
    "cr-line-ends.md": (["2409.00011", "2409.00012"], [(9, "error", "not valid UTF-8 (byte 0xE9)")]),
    # A link that never closes: the id is still read, with a warning; the neighbour is unharmed.
    "unclosed-link.md": (["2408.10002", "2408.10003"], [(3, "warning", "expected '### [Title]")]),
    # A heading that wraps onto a second line before its link: read as one, with a warning.
    "wrapped-heading.md": (["2409.00003"], [(3, "warning", "the heading spans 2 lines")]),
    # "###[Title](link)" without the space: read, with a warning (it was silently a stray line).
    "no-space-heading.md": (["2409.00010"], [(3, "warning", "expected '### [Title]")]),
    # A heading with no link at all: that paper is skipped (error), the next one goes in.
    "no-link.md": (
        ["2408.10004"],
        [(3, "error", "expected '### [Title](https://arxiv.org/abs/ID)' but found no arXiv")],
    ),
    # A link whose id runs on into a sixth digit is no id: skipped (error), not read as 2409.12345.
    "long-id.md": (
        ["2409.12345"],
        [(3, "error", "expected '### [Title](https://arxiv.org/abs/ID)' but found no arXiv")],
    ),
    # A paper with no Authors: line: built without authors, with a warning at its heading.
    "no-authors.md": (["2409.00004"], [(3, "warning", "paper 2409.00004 has no 'Authors:' line")]),
    # An Authors: line with no names: the same, with the warning at that line.
    "empty-authors.md": (["2409.00006"], [(7, "warning", "expected author names after 'Authors:'")]),
    # An old-style id is kept whole (its IRI is paper/hep-th%2F9901001: tests/test_robustness.py).
    "old-style-id.md": (["hep-th/9901001"], []),
    # A versioned id is the paper without its version, silently: the RDF contract says ids carry no
    # version, and a link to a version is no mistake.
    "versioned-id.md": (["2409.00002"], []),
    # The same paper twice in one file: both listings read (one paper node), a warning at the second.
    "duplicate.md": (["2409.00005", "2409.00005"], [(9, "warning", "paper 2409.00005 is listed again")]),
    # Votes that are not a number: a word, a superscript (int() raised on it) and ten digits; each
    # paper is built without its vote.
    "bad-vote.md": (
        ["2409.00007", "2409.00008", "2409.00009"],
        [
            (5, "warning", "expected 'Vote: N' or 'Vote: -', got 'Vote: many'"),
            (11, "warning", "expected 'Vote: N' or 'Vote: -', got 'Vote: ²'"),
            (17, "warning", "expected 'Vote: N' or 'Vote: -', got 'Vote: 1234567890'"),
        ],
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
