"""Finding and reading digest files (the input edge: all file reading happens here).

Folders are searched recursively for ``*.md`` (Markdown digests) and ``*.json`` (Hugging Face
daily_papers API dumps); files named directly are read whatever their name, as JSON when it ends
in ``.json`` and as Markdown otherwise. Nothing is skipped silently: an empty, binary, oversized
or non-UTF-8 file, or one with no papers, is reported as a ``Problem`` naming the file.

A file found in a folder that is plainly not a digest (a README or notes: Markdown with no
``## Daily Papers (YYYY-MM-DD)`` header and no ``###`` heading holding an arXiv link, or JSON
that is not an array of items) is skipped with one warning naming it. A file named directly is
always parsed, and each of its stray lines reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.hfjson import looks_like_hf_json, parse_hf_json
from kg.model import Digest, Problem
from kg.parse import looks_like_digest, parse_digest

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class InputError(Exception):
    """An input path that does not exist or cannot be read at all (a usage error)."""


SUFFIXES = (".md", ".json")


@dataclass(frozen=True)
class InputFile:
    """A file to read; ``searched`` when it was found in a folder rather than named."""

    path: Path
    searched: bool


def find_inputs(paths: Iterable[Path]) -> list[InputFile]:
    """Files to read, in a stable order: each named file, and every ``*.md`` and ``*.json`` below
    each folder (each file once, named beating searched)."""
    found: list[InputFile] = []
    for path in paths:
        if path.is_dir():
            below = (p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
            found.extend(InputFile(p, True) for p in sorted(below))
        elif path.is_file():
            found.append(InputFile(path, False))
        else:
            raise InputError(f"{path}: no such file or folder")
    named = {f.path.resolve() for f in found if not f.searched}
    seen: set[Path] = set()
    unique = []
    for f in found:
        key = f.path.resolve()
        if key not in seen and (not f.searched or key not in named):
            seen.add(key)
            unique.append(f)
    return unique


def find_digest_files(paths: Iterable[Path]) -> list[Path]:
    """The paths of ``find_inputs``."""
    return [f.path for f in find_inputs(paths)]


def decode_digest(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str | None, list[Problem]]:
    """Bytes -> text, or ``None`` with the reason when the bytes are not a digest at all.

    Invalid UTF-8 is decoded with U+FFFD replacements and reported at its line, so that the
    papers around it still go in.

    >>> decode_digest(b"", "e.md")[1][0].message
    'empty file: expected a digest'
    >>> text, problems = decode_digest("## Daily Papers (2024-08-01)\\ncaf\\xe9".encode("latin-1"), "l.md")
    >>> str(problems[0])
    'l.md:2: not valid UTF-8 (byte 0xE9); undecodable bytes were replaced by U+FFFD'
    """
    if len(data) > max_bytes:
        return None, [_too_large(name, len(data), max_bytes)]
    if not data.strip():
        return None, [Problem(name, 1, "empty file: expected a digest")]
    if b"\x00" in data:
        line = line_at(data, data.index(b"\x00"))
        return None, [Problem(name, line, "binary file (NUL byte): expected a UTF-8 Markdown digest; not read")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        # err.start counts in err.object: the bytes after a byte-order mark, not ``data``.
        line = line_at(err.object, err.start)
        problem = Problem(
            name,
            line,
            f"not valid UTF-8 (byte 0x{err.object[err.start]:02X}); undecodable bytes were replaced by U+FFFD",
        )
        return data.decode("utf-8-sig", errors="replace"), [problem]


def line_at(data: bytes, offset: int) -> int:
    """The line of byte ``offset``, numbered as the parser numbers lines (``\\n``, ``\\r\\n`` and a lone
    ``\\r`` each end one).

    >>> line_at(b"a\\rb\\r\\nc\\nd", 7)
    4
    """
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _too_large(name: str, size: int, max_bytes: int) -> Problem:
    return Problem(name, 1, f"file is {size:,} bytes, over the limit of {max_bytes:,} (--max-file-size); not read")


def digest_from_bytes(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES, *, searched: bool = False) -> Digest:
    """Decode and parse one file's bytes (JSON when ``name`` ends in ``.json``); every problem,
    including unreadable bytes, is in the result.

    >>> d = digest_from_bytes(b"# Notes", "x/README.md", searched=True)
    >>> d.papers, [(p.severity, p.message[:14]) for p in d.problems]
    ((), [('warning', 'not a digest (')])
    """
    text, problems = decode_digest(data, name, max_bytes)
    if text is None:
        return Digest(name, None, (), tuple(problems))
    is_json = name.lower().endswith(".json")
    if searched and not (looks_like_hf_json(text) if is_json else looks_like_digest(text)):
        return Digest(name, None, (), (*problems, _not_a_digest(name, is_json)))
    digest = parse_hf_json(text, source=name) if is_json else parse_digest(text, source=name)
    problems.extend(digest.problems)
    if not digest.papers and not any(p.severity == "error" for p in digest.problems):
        if is_json:
            problems.append(Problem(name, 1, "no papers found: the daily_papers array has no items", "warning"))
        else:
            problems.append(
                Problem(name, 1, "no papers found: expected '### [Title](https://arxiv.org/abs/ID)' headings")
            )
    return Digest(digest.source, digest.date, digest.papers, tuple(problems))


def _not_a_digest(name: str, is_json: bool) -> Problem:
    what = (
        "not a daily_papers JSON dump (expected an array of items)"
        if is_json
        else "not a digest (no '## Daily Papers (YYYY-MM-DD)' header and no '### [Title](https://arxiv.org/abs/ID)' "
        "heading)"
    )
    return Problem(name, 1, f"{what}; skipped (found in a folder; name the file to read it anyway)", "warning")


def read_digest(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None, *, searched: bool = False
) -> Digest:
    """Read and parse one file; a file over ``max_bytes`` is refused before it is read.

    ``searched``: the file was found in a folder, so one that is plainly not a digest is skipped
    with a single warning instead of being parsed line by line."""
    name = name or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:  # refused before reading, so a huge file costs no memory
            return Digest(name, None, (), (_too_large(name, size, max_bytes),))
        data = path.read_bytes()
    except OSError as err:
        return Digest(name, None, (), (Problem(name, 1, f"cannot read: {err.strerror or err}"),))
    return digest_from_bytes(data, name, max_bytes, searched=searched)


def load_digests(paths: Sequence[Path | str], max_bytes: int = DEFAULT_MAX_BYTES) -> list[Digest]:
    """Every digest under ``paths`` (files and folders), each with its problems.

    Raises ``InputError`` when a path does not exist.
    """
    return [read_digest(f.path, max_bytes, searched=f.searched) for f in find_inputs(Path(p) for p in paths)]


def example_digests() -> list[Digest]:
    """The bundled example digests (written by the papers-kg developers), as ``examples/NAME``."""
    folder = resources.files("kg").joinpath("examples")
    return [
        digest_from_bytes(entry.read_bytes(), f"examples/{entry.name}")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".md")
    ]
