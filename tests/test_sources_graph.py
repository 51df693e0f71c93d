"""Every source in one graph: digests of both formats and Hugging Face API JSON, merged by arXiv id.

`tests/test_sources.py` checks reading and merging; these tests check what the graph says, that an
update adding the sources one at a time gives the same graph, and the whole corpus at once.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.build import build_graph
from kg.load import load_digests
from kg.namespace import KG, SCHEMA
from kg.pipeline import run_build
from tests.conftest import CORPUS, DATA, need

SOURCES = DATA / "sources"
BROKEN = DATA / "broken"
PAPER = URIRef("https://w3id.org/papers-kg/paper/2504.11703")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph(load_digests([SOURCES]))


def test_votes_from_every_source_are_kept_with_their_day(graph: Graph) -> None:
    rows = graph.query(
        """SELECT ?day ?votes ?file WHERE {
             ?o a kg:VoteObservation ; schema:observationAbout ?paper ; schema:upvoteCount ?votes ;
                schema:observationDate ?day ; kg:sourceFile ?file } ORDER BY ?file""",
        initNs={"kg": KG._NS, "schema": SCHEMA},
        initBindings={"paper": PAPER},
    )
    assert [(str(r.day), int(r.votes), str(r.file)) for r in rows] == [  # type: ignore[union-attr]
        ("2025-04-23", 2, "2025-04-23.json"),
        ("2025-04-23", 4, "2025-04-23.md"),
    ]
    assert list(graph.objects(PAPER, SCHEMA.upvoteCount)) == [Literal(4, datatype=XSD.integer)]  # the latest


def test_english_abstract_keywords_and_dates_sit_beside_the_korean_summary(graph: Graph) -> None:
    abstracts = {o.language for o in graph.objects(PAPER, SCHEMA.abstract) if isinstance(o, Literal)}
    assert "en" in abstracts
    assert all(o.language == "ko" for o in graph.objects(PAPER, KG.whatsNew) if isinstance(o, Literal))
    assert Literal("LLM agents") in set(graph.objects(PAPER, KG.aiKeyword))
    assert list(graph.objects(PAPER, SCHEMA.datePublished)) == [Literal("2025-04-16", datatype=XSD.date)]


def test_api_author_list_replaces_the_truncated_one(graph: Graph) -> None:
    assert (PAPER, KG.hiddenAuthorsAfter, None) not in graph
    first = graph.query(
        """SELECT ?name WHERE {
             ?paper prov:qualifiedAttribution [ schema:position 1 ; prov:agent/schema:name ?name ] }""",
        initNs={"prov": "http://www.w3.org/ns/prov#", "schema": SCHEMA},
        initBindings={"paper": PAPER},
    )
    assert [str(r.name) for r in first] == ["Tianneng Shi"]  # type: ignore[union-attr]


def test_keywords_map_into_the_same_concepts_with_evidence(graph: Graph) -> None:
    rows = graph.query(
        """SELECT ?label ?text WHERE { ?paper kg:mention ?m . ?m kg:inSection "keywords" ;
             kg:extractionRule "ai-keyword" ; kg:matchedText ?text ; kg:mentionOf/skos:prefLabel ?label }""",
        initNs={"kg": KG._NS, "skos": "http://www.w3.org/2004/02/skos/core#"},
        initBindings={"paper": PAPER},
    )
    labels = {str(r.label) for r in rows}  # type: ignore[union-attr]
    assert "Large Language Model" in labels  # "Large Language Models (LLMs)" is the curated concept


@pytest.mark.parametrize("order", [["hf", "ko", "early"], ["ko", "early", "hf"]])
def test_sources_added_one_at_a_time_give_the_full_build(tmp_path: Path, order: list[str]) -> None:
    folders = [SOURCES / name for name in order]
    run_build(folders, tmp_path / "full", html=False, workers=1)
    for folder in folders:
        run_build([folder], tmp_path / "inc", html=False, store=tmp_path / "inc" / "store", workers=1)
    assert (tmp_path / "inc" / "graph.ttl").read_bytes() == (tmp_path / "full" / "graph.ttl").read_bytes()


def test_whole_corpus_with_the_broken_set_loses_no_good_paper(tmp_path: Path) -> None:
    """All of ../shared/corpus and the hand-made broken files in one build: 5,517 corpus papers,
    each once, every good paper of the broken files too, and errors only where the input is broken."""
    need(CORPUS / "hf-daily-json", "the corpus")
    folders = [CORPUS / "daily-papers-ko", CORPUS / "daily-papers-ko-early", CORPUS / "hf-daily-json"]
    broken = run_build([BROKEN], None, html=False)  # the broken set alone: its good papers
    broken_ids = {str(o) for o in broken.graph.objects(None, SCHEMA.identifier)}
    assert broken_ids and [p for p in broken.problems if p.severity == "error"]
    result = run_build([*folders, BROKEN], tmp_path, html=False)
    errors = {(Path(p.file).parent, p.line, p.message) for p in result.problems if p.severity == "error"}
    assert errors == {(Path(p.file).parent, p.line, p.message) for p in broken.problems if p.severity == "error"}
    assert all(folder == BROKEN for folder, _, _ in errors)
    text = (tmp_path / "graph.ttl").read_text(encoding="utf-8")
    ids = re.findall(r'schema:identifier "([^"]+)"', text)
    assert len(ids) == len(set(ids)) == result.papers
    with (CORPUS / "daily-papers-ko-index" / "papers_list.csv").open(encoding="utf-8") as f:
        index = {row["url"].rsplit("/", 1)[-1] for row in csv.DictReader(f)}
    listed = {p.arxiv_id for d in load_digests(folders) for p in d.papers}  # what the files list
    # 5,487 from the digests, every one in the generator's own index, and 30 only the API JSON has
    assert len(listed) == 5517 and len(listed & index) == 5487
    assert set(ids) == listed | broken_ids
    shutil.rmtree(tmp_path)
