"""The plain reference pipeline that ``kg build`` is measured against: regex, rdflib, Turtle.

    python bench/reference.py ../shared/corpus/daily-papers-ko /tmp/reference.ttl

What a user would write without papers-kg: split each digest into papers with regular
expressions (title, arXiv id, votes, authors in order, summary bullets, digest day), add those
facts to an ``rdflib.Graph`` with the predicates papers-kg uses for them, and serialise it with
rdflib's Turtle writer. No technique extraction, no pairs, no checks. Prints one JSON line:
papers, triples and the seconds of each step.

>>> papers = split_digest('''## Daily Papers (2024-08-01)
... ### [Tora: a DiT](https://arxiv.org/abs/2407.21705)
... Vote: 11
... Authors: Long Qin, +, Weizhi Wang
... - **What's New**: Tora는 DiT를 확장합니다.
... ''')
>>> p = papers[0]
>>> p.arxiv_id, p.title, p.votes, p.authors, p.day
('2407.21705', 'Tora: a DiT', 11, ('Long Qin', 'Weizhi Wang'), '2024-08-01')
>>> p.bullets
(("What's New", 'Tora는 DiT를 확장합니다.'),)
>>> g = Graph()
>>> add_paper(g, p)
>>> len(g)
21
"""

from __future__ import annotations

import ast
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from kg.namespace import DEFAULT_BASE, KG, SCHEMA

_DAY = re.compile(r"^##\s*Daily Papers\s*\((\d{4}-\d{2}-\d{2})\)\s*$", re.MULTILINE)
_HEADING = re.compile(r"^###\s*\[(.*)\]\((\S*?arxiv\.org/abs/([0-9.]+)\S*?)\)\s*$", re.MULTILINE)
_VOTE = re.compile(r"^Vote:\s*(\d+)\s*$", re.MULTILINE)
_AUTHORS = re.compile(r"^Authors:\s*(.*)$", re.MULTILINE)
_BULLET = re.compile(r"^[-*]\s+(?:\*+([^*]+?):?\*+:?\s*)?(.*)$", re.MULTILINE)
_SECTIONS = {
    "What's New": KG.whatsNew,
    "Technical Details": KG.technicalDetails,
    "Performance Highlights": KG.performanceHighlights,
}


@dataclass(frozen=True)
class PlainPaper:
    arxiv_id: str
    title: str
    url: str
    votes: int | None
    authors: tuple[str, ...]
    bullets: tuple[tuple[str, str], ...]  # (label, text); label "" for a plain bullet
    day: str | None


def split_digest(text: str) -> list[PlainPaper]:
    """The papers of one digest text, each with the day of the header above it."""
    days = [(m.start(), m.group(1)) for m in _DAY.finditer(text)]
    headings = list(_HEADING.finditer(text))
    papers = []
    for i, heading in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        body = text[heading.end() : end]
        day = next((d for start, d in reversed(days) if start < heading.start()), None)
        vote = _VOTE.search(body)
        authors = _AUTHORS.search(body)
        bullets = tuple((m.group(1) or "", m.group(2).strip()) for m in _BULLET.finditer(body))
        papers.append(
            PlainPaper(
                arxiv_id=heading.group(3),
                title=heading.group(1).strip(),
                url=heading.group(2),
                votes=int(vote.group(1)) if vote else None,
                authors=split_authors(authors.group(1)) if authors else (),
                bullets=bullets,
                day=day,
            )
        )
    return papers


def split_authors(raw: str) -> tuple[str, ...]:
    """``a, +, b`` or ``['a', 'b']`` -> names, ``+`` dropped.

    >>> split_authors("['A One', 'B Two']"), split_authors("A One, +, B Two")
    (('A One', 'B Two'), ('A One', 'B Two'))
    """
    raw = raw.strip()
    names = ast.literal_eval(raw) if raw.startswith("[") else raw.split(",")
    return tuple(n.strip() for n in names if n.strip() not in ("", "+"))


def add_paper(graph: Graph, paper: PlainPaper, base: str = DEFAULT_BASE) -> None:
    """The paper's facts, its authors' names and its digest day, with papers-kg's predicates."""
    node = URIRef(f"{base}paper/{quote(paper.arxiv_id, safe='')}")
    graph.add((node, RDF.type, SCHEMA.ScholarlyArticle))
    graph.add((node, SCHEMA.name, Literal(paper.title)))
    graph.add((node, SCHEMA.identifier, Literal(paper.arxiv_id)))
    graph.add((node, SCHEMA.url, URIRef(paper.url)))
    if paper.votes is not None:
        graph.add((node, SCHEMA.upvoteCount, Literal(paper.votes)))
    for position, name in enumerate(paper.authors, start=1):
        person = URIRef(f"{base}person/{quote(name.replace(' ', '_'), safe='')}")
        attribution = URIRef(f"{node}/author/{position}")
        graph.add((person, RDF.type, SCHEMA.Person))
        graph.add((person, SCHEMA.name, Literal(name)))
        graph.add((node, SCHEMA.author, person))
        graph.add((node, PROV.qualifiedAttribution, attribution))
        graph.add((attribution, PROV.agent, person))
        graph.add((attribution, SCHEMA.position, Literal(position)))
    for label, text in paper.bullets:
        graph.add((node, _SECTIONS.get(label, SCHEMA.abstract), Literal(text, lang="ko")))
    if paper.day is not None:
        digest = URIRef(f"{base}digest/{paper.day}")
        graph.add((digest, RDF.type, KG.Digest))
        graph.add((digest, SCHEMA.datePublished, Literal(paper.day, datatype=XSD.date)))
        graph.add((digest, SCHEMA.hasPart, node))


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/reference.py CORPUS_FOLDER OUT.ttl")
    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    start = time.perf_counter()
    papers = [p for path in sorted(corpus.rglob("*.md")) for p in split_digest(path.read_text(encoding="utf-8"))]
    split = time.perf_counter()
    graph = Graph()
    graph.bind("schema", SCHEMA)
    graph.bind("kg", KG._NS)
    for paper in papers:
        add_paper(graph, paper)
    added = time.perf_counter()
    graph.serialize(destination=str(out), format="turtle")
    done = time.perf_counter()
    figures = {"papers": len(papers), "triples": len(graph), "split_s": split - start}
    figures |= {"add_s": added - split, "serialize_s": done - added}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
