"""The RDF contract: golden graph, the seed, merging, determinism and the base IRI."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import SKOS

from kg.build import build_graph
from kg.export import turtle_text
from kg.load import load_digests
from kg.merge import merge_papers
from kg.model import Digest
from kg.namespace import KG, SCHEMA
from kg.parse import parse_digest
from kg.pipeline import run_build
from kg.queries import run_query
from kg.vocabulary import parse_vocabulary
from tests.conftest import CORPUS, DATA, need

GOLDEN = DATA / "golden"
BASE = "https://w3id.org/papers-kg/"


def assert_isomorphic(actual: Graph, expected: Graph) -> None:
    """Fail with the triples each side has and the other lacks (N-Triples form)."""
    if isomorphic(actual, expected):
        return
    _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
    lines = ["graphs differ; only in the built graph:"]
    lines += sorted(f"  + {s.n3()} {p.n3()} {o.n3()}" for s, p, o in only_actual)
    lines.append("only in the expected graph:")
    lines += sorted(f"  - {s.n3()} {p.n3()} {o.n3()}" for s, p, o in only_expected)
    pytest.fail("\n".join(lines[:200]))


def golden_graph() -> Graph:
    vocabulary = parse_vocabulary((GOLDEN / "vocabulary.ttl").read_text(encoding="utf-8"))
    return build_graph(load_digests([GOLDEN]), vocabulary=vocabulary)


def test_golden_graph_is_isomorphic_to_the_reviewed_one() -> None:
    expected = Graph().parse(GOLDEN / "expected.ttl", format="turtle")
    assert_isomorphic(golden_graph(), expected)


def test_golden_turtle_is_byte_identical_across_builds() -> None:
    first, second = turtle_text(golden_graph()), turtle_text(golden_graph())
    assert first == second
    assert first == (GOLDEN / "expected.ttl").read_text(encoding="utf-8")


# ---- the seed -----------------------------------------------------------------------------


def paper(graph: Graph, arxiv_id: str) -> URIRef:
    (node,) = graph.subjects(SCHEMA.identifier, Literal(arxiv_id))
    assert isinstance(node, URIRef)
    return node


def test_two_processes_write_the_same_bytes_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Extraction streamed from worker processes, Turtle formatted by forked workers (the papers'
    parts begun while the pairs are counted) and the page written by a forked process (a build in
    memory of 400 papers or more) give exactly what one process gives."""
    from kg.export import PAPERS_PER_PART, EarlyPapers
    from kg.pipeline import run_build
    from kg.update import PARALLEL_FROM

    begun: list[int] = []
    start = EarlyPapers.start

    def spy(self: EarlyPapers) -> None:
        start(self)
        begun.append(len(self.texts))

    monkeypatch.setattr(EarlyPapers, "start", spy)
    days = sorted(need(CORPUS / "daily-papers-ko", "the daily-papers-ko corpus").glob("*.md"))[:40]
    one = run_build(days, tmp_path / "one", workers=1)
    assert begun == []  # one process: nothing begun early
    two = run_build(days, tmp_path / "two", workers=2)
    assert one.papers >= max(PARALLEL_FROM, 2 * PAPERS_PER_PART)  # the parallel paths ran, in parts
    assert begun == [-(-one.papers // PAPERS_PER_PART)]  # every papers' part was begun early
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == [".kg-build.lock", "graph.html", "graph.ttl"]
    assert [p.name for p in two.outputs] == ["graph.ttl", "graph.html"]
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name


def _worker_state() -> tuple[int, bool]:
    import gc

    return os.nice(0), gc.isenabled()


def test_turtle_workers_give_way_to_the_page_writer() -> None:
    """The Turtle's forked workers run at a lower priority than the build and its page writer, which
    the build waits for, and without the cycle collector (see ``kg.export``)."""
    import pyoxigraph as ox

    from kg.export import EXPORT_NICENESS, _forked_pool

    with _forked_pool(1, ox.Store(), BASE) as pool:
        niceness, collecting = pool.submit(_worker_state).result()
    assert niceness == min(19, os.nice(0) + EXPORT_NICENESS)
    assert not collecting


def test_pages_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Two runs, each with its own string hashing (PYTHONHASHSEED), write the same bytes: every
    page, also when only part of a view is drawn (the layout once followed a set's order)."""
    days = sorted(need(CORPUS / "daily-papers-ko", "the daily-papers-ko corpus").glob("*.md"))[:8]
    pages: dict[str, list[bytes]] = {}
    for seed in ("1", "4"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        commands = [["build", *map(str, days), "--out", str(out), "--max-nodes", "60"]]
        commands += [
            ["html", "--graph", str(out / "graph.ttl"), "--view", v, "--out", str(out / f"{v}.html")]
            for v in ("coauthor", "technique")
        ]
        for command in commands:
            subprocess.run([sys.executable, "-m", "kg.cli", *command], env=env, check=True, capture_output=True)
        for name in ("graph.ttl", "graph.html", "coauthor.html", "technique.html"):
            pages.setdefault(name, []).append((out / name).read_bytes())
    for name, (first, second) in pages.items():
        assert first == second, name


def test_seed_has_exactly_its_twelve_papers(seed_graph: Graph, seed_digests: list[Digest]) -> None:
    ids = sorted(str(o) for o in seed_graph.objects(None, SCHEMA.identifier))
    assert ids == sorted(p.arxiv_id for p in seed_digests[0].papers)
    assert len(ids) == 12
    assert len(set(seed_graph.subjects(RDF.type, SCHEMA.ScholarlyArticle))) == 12


def test_seed_keeps_every_author_and_vote(seed_graph: Graph, seed_digests: list[Digest]) -> None:
    for p in seed_digests[0].papers:
        node = paper(seed_graph, p.arxiv_id)
        names = {str(seed_graph.value(a, SCHEMA.name)) for a in seed_graph.objects(node, SCHEMA.author)}
        assert names == set(p.authors), p.arxiv_id
        votes = seed_graph.value(node, SCHEMA.upvoteCount)
        if p.votes is None:
            assert votes is None
        else:
            assert votes == Literal(p.votes, datatype=XSD.integer)
    persons = {str(seed_graph.value(s, SCHEMA.name)) for s in seed_graph.subjects(RDF.type, SCHEMA.Person)}
    assert persons == {a for p in seed_digests[0].papers for a in p.authors}
    assert "+" not in persons


def test_seed_author_order_and_hidden_marker(seed_graph: Graph) -> None:
    llama = paper(seed_graph, "2407.21783")
    rows = seed_graph.query(
        "SELECT ?pos ?name WHERE { ?p prov:qualifiedAttribution ?a . ?a schema:position ?pos ; prov:agent ?x . "
        "?x schema:name ?name } ORDER BY ?pos",
        initBindings={"p": llama},
    )
    names = [str(r.name) for r in rows]
    assert names[:2] == ["Alan Schelten", "Abhinav Pandey"] and len(names) == 22
    assert list(seed_graph.objects(llama, KG.hiddenAuthorsAfter)) == [Literal(13, datatype=XSD.integer)]


@pytest.mark.parametrize(
    ("label", "arxiv_id"),
    [
        ("DiT", "2407.21705"),  # Tora: "Diffusion Transformer(DiT)"
        ("3DGS", "2407.21686"),  # the 3D Gaussian avatar
        ("Mixture of Experts", "2407.21770"),  # MoMa, reached only through skos:broader
        ("MoE", "2407.21770"),  # the same, by abbreviation
    ],
)
def test_seed_techniques_reachable(seed_graph: Graph, label: str, arxiv_id: str) -> None:
    ids = {str(r.id) for r in run_query(seed_graph, "papers-by-technique", technique=label)}
    assert arxiv_id in ids


def test_seed_technique_nodes_have_labels(seed_graph: Graph) -> None:
    dit = URIRef(BASE + "concept/diffusion-transformer")
    assert (dit, RDF.type, KG.Technique) in seed_graph
    assert seed_graph.value(dit, SKOS.prefLabel) == Literal("Diffusion Transformer")
    assert Literal("DiT") in set(seed_graph.objects(dit, SKOS.altLabel))
    moe = URIRef(BASE + "concept/mixture-of-experts")
    assert (URIRef(BASE + "concept/mixture-of-modality-aware-experts"), SKOS.broader, moe) in seed_graph


def test_seed_summaries_are_korean_literals(seed_graph: Graph) -> None:
    tora = paper(seed_graph, "2407.21705")
    for prop in (KG.whatsNew, KG.technicalDetails, KG.performanceHighlights):
        (text,) = seed_graph.objects(tora, prop)
        assert isinstance(text, Literal) and text.language == "ko"


def test_seed_digest_node(seed_graph: Graph) -> None:
    digest = URIRef(BASE + "digest/2024-08-01")
    assert (digest, RDF.type, KG.Digest) in seed_graph
    assert seed_graph.value(digest, SCHEMA.datePublished) == Literal("2024-08-01", datatype=XSD.date)
    assert len(set(seed_graph.objects(digest, SCHEMA.hasPart))) == 12


def test_other_kinds_are_not_techniques(seed_graph: Graph) -> None:
    sora = URIRef(BASE + "concept/sora")
    assert (sora, RDF.type, KG.Model) in seed_graph
    assert (sora, RDF.type, KG.Technique) not in seed_graph


def test_discovered_terms_are_marked_and_typed_only_when_their_kind_is_known(seed_graph: Graph) -> None:
    discovered = set(seed_graph.subjects(RDF.type, KG.DiscoveredConcept))
    label = {str(seed_graph.value(c, SKOS.prefLabel)): c for c in discovered}
    # "Valid Information Proportion (VIP)": a metric by its head noun, never a technique
    assert (label["Valid Information Proportion"], RDF.type, KG.Metric) in seed_graph
    # "Trajectory Extractor (TE)": a named module, so a technique, still marked as discovered
    assert set(seed_graph.objects(label["Trajectory Extractor"], RDF.type)) == {KG.Technique, KG.DiscoveredConcept}
    # "Membership Inference Attacks (MIA)" is curated now: not discovered
    assert "Membership Inference Attacks" not in label
    # "Adaptive Learning Rate (ALR)": "learning rate" is a technique, though "rate" alone reads as a metric
    assert (label["Adaptive Learning Rate"], RDF.type, KG.Technique) in seed_graph


# ---- merging ------------------------------------------------------------------------------


def listing(date: str, vote: str, authors: str, title: str = "T") -> Digest:
    text = (
        f"## Daily Papers ({date})\n### [{title}](https://arxiv.org/abs/2410.09342)\nVote: {vote}\nAuthors: {authors}\n"
    )
    return parse_digest(text, f"{date}.md")


def test_paper_on_two_days_is_one_node_featured_on_both() -> None:
    g = build_graph([listing("2024-10-16", "5", "A, B"), listing("2024-10-18", "9", "A, B")])
    node = URIRef(BASE + "paper/2410.09342")
    assert len(set(g.subjects(RDF.type, SCHEMA.ScholarlyArticle))) == 1
    assert set(g.subjects(SCHEMA.hasPart, node)) == {
        URIRef(BASE + "digest/2024-10-16"),
        URIRef(BASE + "digest/2024-10-18"),
    }
    assert g.value(node, SCHEMA.upvoteCount) == Literal(9, datatype=XSD.integer)  # the latest day's vote


def test_complete_author_list_beats_a_truncated_later_one() -> None:
    merged, _ = merge_papers([listing("2024-10-16", "5", "A, B, C"), listing("2024-10-18", "-", "A, +, C")])
    p = merged["2410.09342"].paper
    assert p.authors == ("A", "B", "C") and not p.authors_truncated
    assert p.votes == 5  # the latest day had no vote, so the last observed one stays


def test_conflicting_titles_are_reported() -> None:
    _, problems = merge_papers([listing("2024-10-16", "1", "A", "Old"), listing("2024-10-18", "1", "A", "New")])
    assert [p.severity for p in problems] == ["warning"]
    assert "kept the latest, 'New'" in problems[0].message


def test_input_order_does_not_change_the_output() -> None:
    a, b = listing("2024-10-16", "5", "A, B"), listing("2024-10-18", "9", "B, C")
    assert turtle_text(build_graph([a, b])) == turtle_text(build_graph([b, a]))


def test_other_base_iri() -> None:
    g = build_graph([listing("2024-10-16", "5", "A")], base="http://example.org/kg/")
    assert (URIRef("http://example.org/kg/paper/2410.09342"), RDF.type, SCHEMA.ScholarlyArticle) in g
    assert all(not str(s).startswith(BASE) for s in g.subjects())


def test_tricky_names_make_valid_distinct_iris() -> None:
    names = ['A "quoted" <name>', "A_B", "A B", "]]> x", "José", "Jose\u0301"]  # the last two are one name (NFC)
    g = build_graph([listing("2024-10-16", "1", ", ".join(names))])
    people = {str(g.value(s, SCHEMA.name)) for s in g.subjects(RDF.type, SCHEMA.Person)}
    assert len(people) == 5
    text = turtle_text(g)
    assert isomorphic(Graph().parse(data=text, format="turtle"), g)


def test_date_of_a_digest_without_header_comes_from_file_name(tmp_path: Path) -> None:
    (tmp_path / "2024-09-09.md").write_text("### [T](https://arxiv.org/abs/2409.00001)\nAuthors: A\n", "utf-8")
    (digest,) = load_digests([tmp_path])
    assert digest.papers[0].date == dt.date(2024, 9, 9)


def test_every_mention_edge_has_evidence(seed_graph: Graph) -> None:
    edges = set(seed_graph.subject_objects(SCHEMA.mentions))
    evidence = {(p, seed_graph.value(m, KG.mentionOf)) for p, m in seed_graph.subject_objects(KG.mention)}
    assert edges == evidence


def test_why_does_tora_mention_dit(seed_graph: Graph) -> None:
    rows = list(run_query(seed_graph, "why-mentions", arxiv="2407.21705", technique="DiT"))
    assert ("whats-new", "Diffusion Transformer(DiT)", "definition") in {
        (str(r.section), str(r.text), str(r.rule)) for r in rows
    }
    tora = paper(seed_graph, "2407.21705")
    for r in rows:  # the offsets point at the matched text
        section = {"whats-new": KG.whatsNew, "technical-details": KG.technicalDetails, "title": SCHEMA.name}
        text = str(seed_graph.value(tora, section[str(r.section)]))
        assert text[int(r.start) : int(r.end)] == str(r.text)


def test_llama_summary_is_flagged_and_its_mentions_marked(seed_graph: Graph) -> None:
    llama = paper(seed_graph, "2407.21783")
    assert "Llama" in str(seed_graph.value(llama, KG.summaryMismatch))
    suspect = {
        str(seed_graph.value(m, KG.inSection))
        for m in seed_graph.objects(llama, KG.mention)
        if seed_graph.value(m, KG.fromSuspectSummary) == Literal(True)
    }
    assert suspect and "title" not in suspect
    assert seed_graph.value(paper(seed_graph, "2407.21705"), KG.summaryMismatch) is None  # Tora is fine


def test_a_variant_brings_its_curated_base() -> None:
    text = "## Daily Papers (2024-12-06)\n### [ZipLoRA: Merging](https://arxiv.org/abs/2311.13600)\nAuthors: A\n"
    g = build_graph([parse_digest(text, "z.md")])
    zip_lora, lora = URIRef(BASE + "concept/ziplora"), URIRef(BASE + "concept/lora")
    assert {KG.Technique, KG.DiscoveredConcept} <= set(g.objects(zip_lora, RDF.type))
    assert (zip_lora, SKOS.broader, lora) in g
    assert (lora, RDF.type, KG.Technique) in g


def test_build_summary_counts_match_the_graph_counted_in_rdflib() -> None:
    """The summary's figures (counted in Oxigraph's SPARQL engine) against the same graph counted
    triple by triple in rdflib: every source kind, so that there are discovered concepts, concepts
    of several kinds, a summary mismatch and the bookkeeping graph the triples leave out."""
    result = run_build([DATA / "sources"], None)
    graph = result.graph

    def typed(cls: URIRef) -> set[object]:
        return set(graph.subjects(RDF.type, cls))

    kinds = {"technique": KG.Technique, "model": KG.Model, "dataset": KG.Dataset, "metric": KG.Metric, "task": KG.Task}
    known = set().union(*(typed(cls) for cls in kinds.values()))
    expected = {name: len(typed(cls)) for name, cls in kinds.items()}
    expected["discoveredconcept"] = len(typed(KG.DiscoveredConcept) - known)
    assert result.concept_counts() == expected
    assert expected["technique"] > 0 and expected["discoveredconcept"] > 0
    for cls in (SCHEMA.ScholarlyArticle, SCHEMA.Person, KG.Digest, KG.DiscoveredConcept):
        assert result.count_type(cls) == len(typed(cls)) > 0, cls
    techniques = typed(KG.Technique)
    assert result.with_technique == len({s for s, o in graph.subject_objects(SCHEMA.mentions) if o in techniques})
    assert result.count_subjects(KG.summaryMismatch) == len(set(graph.subjects(KG.summaryMismatch)))
    assert result.triples == len(graph) < len(result.store)  # the store also holds the update bookkeeping


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_build_in_memory_pauses_the_cycle_collector_and_restores_it(
    on_disk: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In memory the build runs without Python's cycle collector (it only walks the build's objects
    again and again); on disk it keeps it (uncollected cycles would raise the peak of large builds).
    Either way the caller's collector is as it was afterwards."""
    import gc

    from kg import pipeline

    seen: list[bool] = []
    real = pipeline._add_batches

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_add_batches", spy)
    if on_disk:
        monkeypatch.setattr(pipeline, "IN_MEMORY_BYTES", 0)
    assert gc.isenabled()
    result = run_build([DATA / "sources"], tmp_path, html=False)
    assert result.papers > 0
    assert seen == [on_disk]
    assert gc.isenabled()
