"""The closed ``kg:`` namespace and the minting of data IRIs from content keys.

Every ``kg:`` term used in code comes from ``KG``; a misspelt term fails at import time, and a
test checks ``KG`` against ``ontology/kg.ttl`` both ways.

>>> str(KG.Technique)
'https://w3id.org/papers-kg/ontology#Technique'
>>> iris = Minter()
>>> str(iris.paper("hep-th/9901001")), str(iris.person("Long Qin"))
('https://w3id.org/papers-kg/paper/hep-th%2F9901001', 'https://w3id.org/papers-kg/person/Long_Qin')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.normalize import id_key, person_key, segment_key

DEFAULT_BASE = "https://w3id.org/papers-kg/"
SCHEMA = Namespace("https://schema.org/")
_CONCEPT_KEY = re.compile(r"^(?:[0-9a-z]|%[0-9A-F]{2})(?:[0-9a-z\-]|%[0-9A-F]{2})*$")
_BASE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s<>\"{}|\\^`]*[/#]$")
_BASE_FLAWS = re.compile(r"[\x00-\x1f\x7f-\x9f]|%(?![0-9A-Fa-f]{2})|/\.\.?(?=[/?#]|$)")


class KG(DefinedNamespace):
    """Terms of ``https://w3id.org/papers-kg/ontology#`` (see ``ontology/kg.ttl``)."""

    _NS = Namespace("https://w3id.org/papers-kg/ontology#")
    _fail = True

    Digest: URIRef
    Technique: URIRef
    Model: URIRef
    Dataset: URIRef
    Metric: URIRef
    Task: URIRef
    DiscoveredConcept: URIRef
    SummarySection: URIRef
    whatsNew: URIRef
    technicalDetails: URIRef
    performanceHighlights: URIRef
    summarySection: URIRef
    hiddenAuthorsAfter: URIRef
    sourceFile: URIRef
    isoWeek: URIRef
    ambiguousLabel: URIRef
    Mention: URIRef
    mention: URIRef
    mentionOf: URIRef
    inSection: URIRef
    startOffset: URIRef
    endOffset: URIRef
    matchedText: URIRef
    extractionRule: URIRef
    fromSuspectSummary: URIRef
    summaryMismatch: URIRef
    Collaboration: URIRef
    collaborator: URIRef
    Cooccurrence: URIRef
    cooccurring: URIRef
    jointPapers: URIRef
    newmanWeight: URIRef
    rank: URIRef
    paperCount: URIRef
    firstSeen: URIRef
    lastSeen: URIRef
    VoteObservation: URIRef
    aiKeyword: URIRef
    aiKeywordText: URIRef
    projectPage: URIRef


def check_base(base: str) -> str:
    """Return ``base`` if it can prefix data IRIs (absolute, ending in ``/`` or ``#``), else raise.

    >>> check_base("http://example.org/kg/")
    'http://example.org/kg/'
    """
    if not _BASE.match(base):
        raise ValueError(f"base IRI must be absolute and end with '/' or '#', got {base!r}")
    if _BASE_FLAWS.search(base) or base.count("#") > 1:
        raise ValueError(
            f"base IRI must have no control characters, '%' only before two hex digits, at most one '#' "
            f"and no '.' or '..' path segments, got {base!r}"
        )
    return base


@dataclass(frozen=True)
class Minter:
    """Mints stable data IRIs under ``base`` from content keys (ids, names, dates, concept keys)."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        check_base(self.base)

    def paper(self, arxiv_id: str) -> URIRef:
        return URIRef(f"{self.base}paper/{id_key(arxiv_id)}")

    def attribution(self, arxiv_id: str, position: int) -> URIRef:
        return URIRef(f"{self.base}paper/{id_key(arxiv_id)}/author/{position}")

    def mention(self, arxiv_id: str, section: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}paper/{id_key(arxiv_id)}/mention/{self._concept_key(section)}/{start}-{end}")

    def section(self, arxiv_id: str, key: str) -> URIRef:
        return URIRef(f"{self.base}paper/{id_key(arxiv_id)}/section/{self._concept_key(key)}")

    def vote(self, arxiv_id: str, date: dt.date | None, file_name: str) -> URIRef:
        """A vote observation: one paper's vote on one digest day, as one file (its base name) showed it.

        >>> str(Minter().vote("2503.03601", dt.date(2025, 3, 11), "2025-03-11.json"))
        'https://w3id.org/papers-kg/paper/2503.03601/vote/2025-03-11/2025-03-11.json'
        """
        day = date.isoformat() if date is not None else "undated"
        return URIRef(f"{self.base}paper/{id_key(arxiv_id)}/vote/{day}/{segment_key(file_name)}")

    def person(self, name: str) -> URIRef:
        return URIRef(f"{self.base}person/{person_key(name)}")

    def collaboration(self, a: str, b: str) -> URIRef:
        """Two people's names, in either order."""
        first, second = sorted((person_key(a), person_key(b)))
        return URIRef(f"{self.base}collaboration/{first}/{second}")

    def cooccurrence(self, a: str, b: str) -> URIRef:
        """Two concept keys, in either order."""
        first, second = sorted((self._concept_key(a), self._concept_key(b)))
        return URIRef(f"{self.base}cooccurrence/{first}/{second}")

    def digest(self, date: dt.date) -> URIRef:
        return URIRef(f"{self.base}digest/{date.isoformat()}")

    def concept(self, key: str) -> URIRef:
        return URIRef(f"{self.base}concept/{self._concept_key(key)}")

    def scheme(self) -> URIRef:
        return URIRef(f"{self.base}concept/")

    @staticmethod
    def _concept_key(key: str) -> str:
        if not _CONCEPT_KEY.match(key):
            raise ValueError(f"not a valid concept key: {key!r}")
        return key
