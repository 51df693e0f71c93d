"""Finding and reading digest files (the input edge: all file reading happens here).

Folders are searched recursively for ``*.md``; files named directly are read whatever their
name. Nothing is skipped silently: an empty, binary, oversized or non-UTF-8 file, or one with no
papers, is reported as a ``Problem`` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from kg.model import Digest, Problem
from kg.parse import parse_digest

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class InputError(Exception):
    """An input path that does not exist or cannot be read at all (a usage error)."""


def find_digest_files(paths: Iterable[Path]) -> list[Path]:
    """Files to read, in a stable order: each named file, and every ``*.md`` below each folder."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


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
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, [Problem(name, line, "binary file (NUL byte): expected a UTF-8 Markdown digest; not read")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        problem = Problem(
            name, line, f"not valid UTF-8 (byte 0x{data[err.start]:02X}); undecodable bytes were replaced by U+FFFD"
        )
        return data.decode("utf-8-sig", errors="replace"), [problem]


def _too_large(name: str, size: int, max_bytes: int) -> Problem:
    return Problem(name, 1, f"file is {size:,} bytes, over the limit of {max_bytes:,} (--max-file-size); not read")


def digest_from_bytes(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Digest:
    """Decode and parse one file's bytes; every problem, including unreadable bytes, is in the result."""
    text, problems = decode_digest(data, name, max_bytes)
    if text is None:
        return Digest(name, None, (), tuple(problems))
    digest = parse_digest(text, source=name)
    problems.extend(digest.problems)
    if not digest.papers and not any(p.severity == "error" for p in digest.problems):
        problems.append(Problem(name, 1, "no papers found: expected '### [Title](https://arxiv.org/abs/ID)' headings"))
    return Digest(digest.source, digest.date, digest.papers, tuple(problems))


def read_digest(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None) -> Digest:
    """Read and parse one file; a file over ``max_bytes`` is refused before it is read."""
    name = name or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:  # refused before reading, so a huge file costs no memory
            return Digest(name, None, (), (_too_large(name, size, max_bytes),))
        data = path.read_bytes()
    except OSError as err:
        return Digest(name, None, (), (Problem(name, 1, f"cannot read: {err.strerror or err}"),))
    return digest_from_bytes(data, name, max_bytes)


def load_digests(paths: Sequence[Path | str], max_bytes: int = DEFAULT_MAX_BYTES) -> list[Digest]:
    """Every digest under ``paths`` (files and folders), each with its problems.

    Raises ``InputError`` when a path does not exist.
    """
    return [read_digest(p, max_bytes) for p in find_digest_files(Path(p) for p in paths)]


def example_digests() -> list[Digest]:
    """The bundled example digests (written by the papers-kg developers), as ``examples/NAME``."""
    folder = resources.files("kg").joinpath("examples")
    return [
        digest_from_bytes(entry.read_bytes(), f"examples/{entry.name}")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".md")
    ]
