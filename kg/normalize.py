"""Text, name, id and key normalisation (pure).

>>> clean_text("Tora\\u2062 : a  DiT\\u00a0model")
'Tora : a DiT model'
>>> normalize_arxiv_id("2409.00002v3")
'2409.00002'
>>> person_key("Iker García-Ferrero")
'Iker_Garc%C3%ADa-Ferrero'
>>> slugify("Diffusion Transformer (DiT)")
'diffusion-transformer-dit'
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache
from urllib.parse import quote

# New-style arXiv ids (0704.0001 onwards) and old-style ones (hep-th/9901001), each with an
# optional version suffix that we drop. In a link, the id must not run on into more digits:
# "2409.123456" is no id, not 2409.12345.
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID = re.compile(rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?")
ARXIV_URL = re.compile(rf"arxiv\.org/(?:abs|pdf|html)/(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?(?!\d)", re.IGNORECASE)

_SPACES = re.compile(r"\s+")
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")  # syllables and compatibility jamo
_KEEP_CONTROLS = frozenset("\n\t")


def strip_invisible(text: str) -> str:
    """NFC-normalise and drop format (Cf) and control (Cc) characters and U+FFFE and U+FFFF,
    keeping newlines and tabs.

    >>> strip_invisible("\\ufeff𝒵\\u2062𝒮")
    '𝒵𝒮'
    """
    text = unicodedata.normalize("NFC", text)
    if text.isascii() and text.isprintable():
        return text
    return _invisible().sub("", text)


# U+FFFE and U+FFFF are no characters (a byte-swapped BOM, and "not a character"); Raptor cuts a
# string at either one, so they would break the graph for other readers.
_NOT_TEXT = (0xFFFE, 0xFFFF)


# The planes that hold format, control and surrogate code points: the Basic and Supplementary
# Multilingual Planes and the tags of plane 14 (Unicode 14; a test checks every plane).
INVISIBLE_PLANES = (0, 1, 14)


@cache
def _invisible() -> re.Pattern[str]:
    """Every format, control and surrogate code point but the kept controls, and the two code points
    of ``_NOT_TEXT``, as one character class (made once per process from ``unicodedata``: 0.05 s)."""
    return re.compile("[" + "".join(invisible_ranges(INVISIBLE_PLANES)) + "]")


def invisible_ranges(planes: tuple[int, ...]) -> list[str]:
    """The code points ``_invisible`` drops in ``planes``, as character class ranges."""
    ranges: list[str] = []
    for plane in planes:
        start = None
        for code in range(plane << 16, (plane + 1) << 16 | 1):  # one past the plane's end closes a range
            hit = code < (plane + 1) << 16 and code <= sys.maxunicode and chr(code) not in _KEEP_CONTROLS
            hit = hit and (unicodedata.category(chr(code)) in ("Cf", "Cc", "Cs") or code in _NOT_TEXT)
            if hit and start is None:
                start = code
            elif not hit and start is not None:
                ranges.append(_escape(start) if start == code - 1 else f"{_escape(start)}-{_escape(code - 1)}")
                start = None
    return ranges


def _escape(code: int) -> str:
    return f"\\U{code:08x}"


def clean_text(text: str) -> str:
    """``strip_invisible`` then collapse every run of white space (NBSP included) to one space."""
    return _SPACES.sub(" ", strip_invisible(text)).strip()


def clean_block(text: str) -> str:
    """Like ``clean_text`` but keeps line breaks: each line is collapsed, blank edges dropped."""
    lines = [_SPACES.sub(" ", line).strip() for line in strip_invisible(text).split("\n")]
    return "\n".join(lines).strip()


def normalize_arxiv_id(raw: str) -> str | None:
    """The bare arXiv id without version, or ``None`` when ``raw`` holds none.

    >>> normalize_arxiv_id("https://arxiv.org/abs/hep-th/9901001v2")
    'hep-th/9901001'
    >>> normalize_arxiv_id("not an id") is None, normalize_arxiv_id("https://arxiv.org/abs/2409.123456") is None
    (True, True)
    """
    m = ARXIV_URL.search(raw) or ARXIV_ID.fullmatch(raw.strip())
    return m.group("id") if m else None


def person_key(name: str) -> str:
    """An IRI-safe key that is unique per distinct (already cleaned) name.

    Spaces become ``_``, so a literal ``_`` is percent-encoded: different names never share a key.

    >>> person_key("Long Qin"), person_key("a_b"), person_key("..")
    ('Long_Qin', 'a%5Fb', '%2E%2E')
    """
    if _QUOTED_AS_IS.fullmatch(name) and name not in (".", ".."):  # most names: no need to quote
        return name.replace(" ", "_")
    return segment_key(name).replace("_", "%5F").replace("%20", "_")


_QUOTED_AS_IS = re.compile(r"[A-Za-z0-9.~ \-]*")  # what ``quote`` leaves alone, and spaces (written _)


def segment_key(text: str) -> str:
    """``text`` percent-encoded as one IRI path segment. A segment ``.`` or ``..`` becomes ``%2E`` or
    ``%2E%2E``: readers remove dot segments (Raptor does, in every IRI of a Turtle file), so
    ``person/..`` would be read back as the base itself. ``quote`` leaves ``.`` bare, so no other
    key holds ``%2E`` and keys stay distinct.

    >>> segment_key("a b/c.md"), segment_key(".")
    ('a%20b%2Fc.md', '%2E')
    """
    key = quote(text, safe="")
    return "%2E" * len(key) if key in (".", "..") else key


def id_key(arxiv_id: str) -> str:
    """An IRI path segment for an arXiv id (``/`` of old-style ids is percent-encoded)."""
    return quote(arxiv_id, safe="")


_NON_SLUG = re.compile(r"[^0-9a-z]+")


def slugify(text: str) -> str:
    """Lower-case ASCII slug for concept keys; non-Latin text is percent-encoded instead of lost.

    >>> slugify("3D Gaussian Splatting")
    '3d-gaussian-splatting'
    >>> slugify("확산 모델")
    '%ED%99%95%EC%82%B0-%EB%AA%A8%EB%8D%B8'
    """
    folded = unicodedata.normalize("NFKD", clean_text(text)).encode("ascii", "ignore").decode().lower()
    slug = _NON_SLUG.sub("-", folded).strip("-")
    if slug and len(slug) * 2 >= len(re.sub(r"\s", "", text)):
        return slug
    return quote(clean_text(text).lower().replace(" ", "-"), safe="-")
