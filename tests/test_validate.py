"""The SHACL contract: every graph the build writes conforms, and each kind of broken graph is caught
with a message that says what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from kg.cli import main
from kg.normalize import ARXIV_ID
from kg.pipeline import run_build
from kg.validate import SHAPES_NS, format_report, load_shapes, read_graph, validate_graph
from tests.conftest import CORPUS, DATA, need

PREAMBLE = """\
@base <https://w3id.org/papers-kg/> .
@prefix kg: <https://w3id.org/papers-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# A paper with what every paper must have; cases add to it or write their own.
PAPER = """
<digest/2024-08-01> schema:hasPart <paper/2407.21705> .
<paper/2407.21705> a schema:ScholarlyArticle ; schema:url <https://arxiv.org/abs/2407.21705> ;
"""
TITLED = PAPER + 'schema:name "Tora" ;'
WITH_ID = PAPER + 'schema:identifier "2407.21705" ;'
AUTHORED = """
<paper/2407.21705> prov:qualifiedAttribution <paper/2407.21705/author/1> .
<paper/2407.21705/author/1> prov:agent <person/Ann_Lee> ; schema:position 1 .
<person/Ann_Lee> schema:name "Ann Lee" .
"""
SCHEME = '<concept/> a skos:ConceptScheme ; skos:prefLabel "papers-kg concepts"@en .'
LORA = '<concept/lora> a kg:Technique ; skos:prefLabel "LoRA" ; skos:inScheme <concept/> ; kg:paperCount 1 .'
EVIDENCE = """
<paper/2407.21705> kg:mention <paper/2407.21705/mention/title/0-4> .
<paper/2407.21705/mention/title/0-4> kg:mentionOf <concept/lora> ; kg:inSection "title" ; kg:matchedText "LoRA" ;
"""
TECHNIQUE = '<concept/{0}> a kg:Technique ; skos:prefLabel "{0}" ; skos:inScheme <concept/> ; kg:paperCount 1 .'
PEOPLE = '<person/A> a schema:Person ; schema:name "A" . <person/B> a schema:Person ; schema:name "B" .'

# (Turtle, the line the report gives for the one rule it breaks)
BROKEN = [
    # a paper with two identifiers
    (
        TITLED + 'schema:identifier "2407.21705", "2407.21706" .',
        "paper/2407.21705: schema:identifier must be one arXiv id matching the arXiv pattern: 2407.21705 or "
        "hep-th/9901001, no version (sh:maxCount, 2 found; shape PaperShape)",
    ),
    # an identifier that is no arXiv id
    (TITLED + 'schema:identifier "abc" .', 'paper/2407.21705: schema:identifier "abc" must be one arXiv id'),
    # an identifier with its version left on
    (TITLED + 'schema:identifier "2407.21705v2" .', 'schema:identifier "2407.21705v2" must be one arXiv id'),
    # an identifier as a number, not a string
    (TITLED + "schema:identifier 2407.21705 .", "schema:identifier 2407.21705 must be one arXiv id"),
    # no title
    (
        WITH_ID + " schema:upvoteCount 3 .",
        "paper/2407.21705: schema:name must be one title: a plain string, not empty, white space normalised "
        "(sh:minCount, 0 found; shape PaperShape)",
    ),
    # a title with white space left in
    (WITH_ID + ' schema:name " Tora" .', 'schema:name " Tora" must be one title'),
    # no arXiv link
    (
        "<digest/2024-08-01> schema:hasPart <paper/1> . <paper/1> a schema:ScholarlyArticle ; "
        'schema:identifier "2407.21705" ; schema:name "Tora" .',
        "paper/1: schema:url must be one arXiv link, https://arxiv.org/abs/ID (sh:minCount, 0 found",
    ),
    # an author that is not a schema:Person
    (
        WITH_ID + ' schema:name "Tora" ; schema:author <person/Ann_Lee> .' + AUTHORED,
        "person/Ann_Lee: rdf:type must include schema:Person (every schema:author, prov:agent and kg:collaborator is "
        "a person) (sh:hasValue; shape PersonShape)",
    ),
    # an author missing from the author order
    (
        WITH_ID
        + ' schema:name "Tora" ; schema:author <person/Ann_Lee>, <person/Bo_Li> .'
        + AUTHORED
        + '<person/Ann_Lee> a schema:Person . <person/Bo_Li> a schema:Person ; schema:name "Bo Li" .',
        "paper/2407.21705: (prov:qualifiedAttribution/prov:agent) person/Bo_Li must be the same people as "
        "schema:author (the author order lists every author, and only them) (sh:equals; shape PaperShape)",
    ),
    # an author position of 0 (positions count from 1)
    (
        WITH_ID
        + ' schema:name "Tora" ; schema:author <person/Ann_Lee> .'
        + AUTHORED.replace("schema:position 1", "schema:position 0")
        + "<person/Ann_Lee> a schema:Person .",
        "paper/2407.21705/author/1: schema:position 0 must be one author position, an xsd:integer of 1 or more "
        "(sh:minInclusive; shape AuthorOrderShape)",
    ),
    # negative votes
    (
        WITH_ID + ' schema:name "Tora" ; schema:upvoteCount -3 .',
        "paper/2407.21705: schema:upvoteCount -3 must be at most one vote count, an xsd:integer of 0 or more "
        "(sh:minInclusive; shape PaperShape)",
    ),
    # votes as a string
    (
        WITH_ID + ' schema:name "Tora" ; schema:upvoteCount "12" .',
        'schema:upvoteCount "12" must be at most one vote count, an xsd:integer of 0 or more (sh:datatype;',
    ),
    # two vote counts on one paper
    (WITH_ID + ' schema:name "Tora" ; schema:upvoteCount 3, 5 .', "(sh:maxCount, 2 found; shape PaperShape)"),
    # a Korean summary without its language tag
    (
        WITH_ID + ' schema:name "Tora" ; kg:whatsNew "새 방법입니다." .',
        'kg:whatsNew|kg:technicalDetails|kg:performanceHighlights|schema:abstract) "새 방법입니다." must be summary '
        "text tagged @ko (@en where the text is English) (sh:languageIn;",
    ),
    # a paper no digest lists
    (
        '<paper/2407.21705> a schema:ScholarlyArticle ; schema:identifier "2407.21705" ; schema:name "Tora" ; '
        "schema:url <https://arxiv.org/abs/2407.21705> .",
        "paper/2407.21705: ^schema:hasPart must include a kg:Digest: every paper is schema:hasPart of a digest "
        "(sh:minCount, 0 found;",
    ),
    # a concept without a preferred label
    (
        SCHEME + " <concept/lora> a kg:Technique ; skos:inScheme <concept/> ; kg:paperCount 0 .",
        "concept/lora: skos:prefLabel must be one label, not empty (a concept has one preferred label) "
        "(sh:minCount, 0 found; shape ConceptShape)",
    ),
    # a concept with two preferred labels
    (
        SCHEME + ' <concept/lora> a kg:Technique ; skos:prefLabel "LoRA", "Low-Rank Adaptation" ; '
        "skos:inScheme <concept/> ; kg:paperCount 1 .",
        "concept/lora: skos:prefLabel must be one label",
    ),
    # a concept of two kinds
    (
        SCHEME + LORA + " <concept/lora> a kg:Model .",
        "concept/lora: rdf:type must include at most one of kg:Technique, kg:Model, kg:Dataset, kg:Metric and "
        "kg:Task (a concept has one kind) (sh:qualifiedMaxCount; shape ConceptShape)",
    ),
    # a broader concept that is no concept
    (
        SCHEME + LORA + ' <concept/lora> skos:broader <concept/adapter> . <concept/adapter> skos:prefLabel "Adapter" ; '
        "skos:inScheme <concept/> ; kg:paperCount 0 .",
        "concept/adapter: rdf:type must include a concept kind",
    ),
    # a mentioned concept without evidence
    (
        WITH_ID + ' schema:name "Tora" ; schema:mentions <concept/lora> .' + SCHEME + LORA,
        "paper/2407.21705: (kg:mention/kg:mentionOf) concept/lora must be the same concepts as schema:mentions",
    ),
    # evidence whose span ends before it starts
    (
        WITH_ID
        + ' schema:name "Tora" ; schema:mentions <concept/lora> .'
        + SCHEME
        + LORA
        + EVIDENCE
        + ' kg:extractionRule "vocabulary" ; kg:startOffset 4 ; kg:endOffset 0 .',
        "paper/2407.21705/mention/title/0-4: kg:startOffset 4 must be one offset, an xsd:integer of 0 or more and less "
        "than kg:endOffset (sh:lessThan; shape MentionShape)",
    ),
    # evidence with a rule the extractor does not have
    (
        WITH_ID
        + ' schema:name "Tora" ; schema:mentions <concept/lora> .'
        + SCHEME
        + LORA
        + EVIDENCE
        + ' kg:extractionRule "guess" ; kg:startOffset 0 ; kg:endOffset 4 .',
        'kg:extractionRule "guess" must be one rule: definition, gloss, local, context, vocabulary, variant, term or '
        "ai-keyword (sh:in; shape MentionShape)",
    ),
    # a section whose text has no language tag
    (
        WITH_ID + ' schema:name "Tora" ; kg:summarySection <paper/2407.21705/section/limitations> .'
        ' <paper/2407.21705/section/limitations> a kg:SummarySection ; rdfs:label "Limitations" ; '
        'rdf:value "짧은 영상만 봅니다." .',
        "(sh:languageIn; shape SummarySectionShape)",
    ),
    # a digest without its day
    (
        '<digest/2024-08-01> a kg:Digest ; kg:isoWeek "2024-W31" ; schema:name "Daily Papers" ; '
        'kg:sourceFile "2024-08-01.md" .' + TITLED + ' schema:identifier "2407.21705" .',
        "digest/2024-08-01: schema:datePublished must be one xsd:date (the digest's day) (sh:minCount, 0 found;",
    ),
    # a digest day written as a plain string
    (
        '<digest/2024-08-01> a kg:Digest ; kg:isoWeek "2024-W31" ; schema:name "Daily Papers" ; '
        'kg:sourceFile "2024-08-01.md" ; schema:datePublished "2024-08-01" .'
        + TITLED
        + ' schema:identifier "2407.21705" .',
        'digest/2024-08-01: schema:datePublished "2024-08-01" must be one xsd:date (the digest\'s day) (sh:datatype;',
    ),
    # a vote observation about a node that is not a paper
    (
        "<paper/x/vote/2024-08-01/a.md> a kg:VoteObservation ; schema:observationAbout <paper/x> ; "
        'schema:upvoteCount 3 ; kg:sourceFile "a.md" . <digest/2024-08-01> schema:hasPart <paper/x> . '
        '<paper/x> schema:identifier "2407.21705" ; schema:name "Tora" ; '
        "schema:url <https://arxiv.org/abs/2407.21705> .",
        "paper/x: rdf:type must include schema:ScholarlyArticle",
    ),
    # a collaboration of one person
    (
        PEOPLE + " <collaboration/A/B> a kg:Collaboration ; kg:collaborator <person/A> ; kg:jointPapers 2 ; "
        "kg:newmanWeight 1.5 .",
        "collaboration/A/B: kg:collaborator must be exactly two people (sh:minCount, 1 found; "
        "shape CollaborationShape)",
    ),
    # a collaboration with a single joint paper
    (
        PEOPLE
        + " <collaboration/A/B> a kg:Collaboration ; kg:collaborator <person/A>, <person/B> ; kg:jointPapers 1 ; "
        "kg:newmanWeight 1.0 .",
        "collaboration/A/B: kg:jointPapers 1 must be one xsd:integer of 2 or more",
    ),
    # Newman's weight as a double, not a decimal
    (
        PEOPLE
        + " <collaboration/A/B> a kg:Collaboration ; kg:collaborator <person/A>, <person/B> ; kg:jointPapers 2 ; "
        "kg:newmanWeight 1.5e0 .",
        'kg:newmanWeight "1.5"^^xsd:double must be one xsd:decimal above 0',
    ),
    # a co-occurrence of a technique and a model
    (
        SCHEME + TECHNIQUE.format("lora") + ' <concept/gpt-4> a kg:Model ; skos:prefLabel "GPT-4" ; '
        "skos:inScheme <concept/> ; kg:paperCount 1 . <cooccurrence/gpt-4/lora> a kg:Cooccurrence ; "
        "kg:cooccurring <concept/lora>, <concept/gpt-4> ; kg:jointPapers 3 .",
        "cooccurrence/gpt-4/lora: kg:cooccurring concept/gpt-4 must be exactly two kg:Technique concepts (sh:class;",
    ),
    # a co-occurrence with one member
    (
        SCHEME + TECHNIQUE.format("lora") + " <cooccurrence/lora/lora> a kg:Cooccurrence ; "
        "kg:cooccurring <concept/lora> ; kg:jointPapers 3 .",
        "(sh:minCount, 1 found; shape CooccurrenceShape)",
    ),
    # a concept without its paper count
    (
        SCHEME + ' <concept/lora> a kg:Technique ; skos:prefLabel "LoRA" ; skos:inScheme <concept/> .',
        "concept/lora: kg:paperCount must be one xsd:integer of 0 or more (how many papers mention the concept) "
        "(sh:minCount, 0 found; shape ConceptShape)",
    ),
    # a first day that is not a date
    (
        SCHEME + TECHNIQUE.format("lora") + ' <concept/lora> kg:firstSeen "yesterday" .',
        'concept/lora: kg:firstSeen "yesterday" must be absent or one xsd:date',
    ),
    # a rank past the 1,000 ranked pairs
    (
        PEOPLE + " <collaboration/A/B> a kg:Collaboration ; kg:collaborator <person/A>, <person/B> ; "
        "kg:jointPapers 2 ; kg:newmanWeight 1.0 ; kg:rank 1001 .",
        "collaboration/A/B: kg:rank 1001 must be absent or one xsd:integer from 1 to 1,000 (only the 1,000 strongest "
        "pairs are ranked) (sh:maxInclusive;",
    ),
    # a person with two names
    (
        '<person/Ann_Lee> a schema:Person ; schema:name "Ann Lee", "Anne Lee" .',
        "person/Ann_Lee: schema:name must be one name",
    ),
]


def check(turtle: str) -> Graph:
    return Graph().parse(data=PREAMBLE + turtle, format="turtle")


@pytest.fixture(scope="module")
def example_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example")
    run_build([], out, html=False)
    return out / "graph.ttl"


def assert_conforms(graph: Graph) -> None:
    report = validate_graph(graph)
    assert report.conforms, format_report(report)
    assert report.violations == ()


def test_the_bundled_example_conforms(example_graph: Path) -> None:
    assert_conforms(read_graph(example_graph))


def test_the_seed_conforms(seed_graph: Graph) -> None:
    assert_conforms(seed_graph)


def test_the_golden_graph_conforms() -> None:
    assert_conforms(Graph().parse(DATA / "golden" / "expected.ttl"))


@pytest.mark.parametrize(
    "inputs",
    [
        ["hostile"],  # hostile titles, names, section labels and headings
        ["sources"],  # every source kind at once: API JSON, both digest formats, merged listings, votes
        ["sources/early"],  # the older format alone: no votes, plain bullets, a day without authors
    ],
)
def test_test_data_builds_conform(inputs: list[str], tmp_path: Path) -> None:
    run_build([DATA / i for i in inputs], tmp_path, html=False)
    assert_conforms(read_graph(tmp_path / "graph.ttl"))


def test_another_base_conforms_and_reads_relative_to_it(tmp_path: Path) -> None:
    run_build([DATA / "golden" / "2024-08-01.md"], tmp_path, base="http://example.org/kg/", html=False)
    graph = read_graph(tmp_path / "graph.ttl")
    assert graph.base == "http://example.org/kg/"
    assert_conforms(graph)


def test_twenty_corpus_days_conform(tmp_path: Path) -> None:
    days = sorted(need(CORPUS / "daily-papers-ko", "the daily-papers-ko corpus").glob("*.md"))[::11][:20]
    run_build(days, tmp_path, html=False)
    assert_conforms(read_graph(tmp_path / "graph.ttl"))


def test_corpus_days_of_every_source_conform(tmp_path: Path) -> None:
    """API JSON days merged with the digests of the same days, and days of the older digest format.

    The whole corpus (962,832 triples) conforms too, but its check takes about 68 s of CPU on top of a
    75 s build, so it is measured, not tested: `kg build ../shared/corpus --out DIR --no-html` and
    `kg validate DIR/graph.ttl`."""
    corpus = need(CORPUS, "the corpus")
    api = sorted((corpus / "hf-daily-json").glob("*.json"))[::9]
    same_days = [corpus / "daily-papers-ko" / f"{p.stem}.md" for p in api]
    early = sorted((corpus / "daily-papers-ko-early").glob("*.md"))[::16]
    run_build([*api, *(p for p in same_days if p.exists()), *early], tmp_path, html=False)
    assert_conforms(read_graph(tmp_path / "graph.ttl"))


@pytest.mark.parametrize(("turtle", "line"), BROKEN, ids=[line[:60] for _, line in BROKEN])
def test_a_broken_graph_gives_its_violation(turtle: str, line: str) -> None:
    report = validate_graph(check(turtle))
    text = format_report(report)
    assert not report.conforms
    assert len({(v.shape, v.path, v.message) for v in report.violations}) == 1, text  # one rule broken, no other
    assert any(line in listed for listed in text.splitlines()[2:]), text


def test_the_report_counts_by_rule_and_lists_at_most_limit() -> None:
    people = " ".join(f'<person/P{i}> a schema:Person ; schema:name "P {i}", "Q {i}" .' for i in range(5))
    pair = "<collaboration/P0/P1> a kg:Collaboration ; kg:collaborator <person/P0> ; kg:jointPapers 2 ; "
    pair += "kg:newmanWeight 1.0 ."
    report = validate_graph(check(people + pair))
    lines = format_report(report, limit=2).splitlines()
    assert lines[0] == "6 violations of the shapes:"
    assert lines[1].split()[:3] == ["5", "PersonShape", "schema:name"]  # the most frequent rule first
    assert lines[2].split()[:3] == ["1", "CollaborationShape", "kg:collaborator"]
    assert lines[3] == (
        "collaboration/P0/P1: kg:collaborator must be exactly two people "
        "(sh:minCount, 1 found; shape CollaborationShape)"
    )
    assert lines[4].startswith("person/P0: schema:name must be one name") and "2 found" in lines[4]
    assert lines[-1] == "(4 more violations not listed)"
    assert len(format_report(report, limit=0).splitlines()) == 3 + 6


def test_violations_carry_terms_for_callers() -> None:
    (v,) = validate_graph(check(TITLED + 'schema:identifier "abc" .')).violations
    assert (v.value, v.constraint, v.severity, v.shape) == (
        Literal("abc"),
        "pattern",
        "Violation",
        SHAPES_NS.PaperShape,
    )


def test_the_shapes_arxiv_pattern_is_the_parsers() -> None:
    shapes = load_shapes()
    (pattern,) = {str(p) for p in shapes.objects(None, SH.pattern) if "[0-9]{4}" in str(p) and "/" in str(p)}
    for good in ("2407.21705", "0704.0001", "2501.12345", "hep-th/9901001", "math.AG/0601001", "cond-mat/0101001"):
        assert re.search(pattern, good) and ARXIV_ID.fullmatch(good), good
    for bad in ("2407.21705v2", "abc", "hep-th/99", "2407.217", "HEP-TH/9901001", " 2407.21705"):
        assert not re.search(pattern, bad), bad
        assert not (ARXIV_ID.fullmatch(bad) and ARXIV_ID.fullmatch(bad).group("id") == bad), bad  # type: ignore[union-attr]


def test_every_property_shape_says_what_is_wrong() -> None:
    shapes = load_shapes()
    for prop in shapes.objects(None, SH.property):
        assert shapes.value(prop, SH.message), shapes.value(prop, SH.path)


# ---- the command -----------------------------------------------------------------------------


def test_kg_validate_exit_codes_and_output(
    example_graph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(example_graph)]) == 0
    assert capsys.readouterr().out == "The graph conforms to the shapes.\n"
    broken = tmp_path / "broken.ttl"
    broken.write_text(PREAMBLE + TITLED + 'schema:identifier "abc" ; schema:upvoteCount -1 .', "utf-8")
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("2 violations of the shapes:\n")
    assert 'paper/2407.21705: schema:identifier "abc" must be one arXiv id' in out
    assert main(["validate", str(broken), "--max", "1"]) == 1
    assert "(1 more violation not listed)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["validate", "missing.ttl"], "missing.ttl: no such graph file"),  # no graph to check
        (["validate", "{graph}", "--shapes", "missing-shapes.ttl"], "not a readable Turtle shapes file"),  # no shapes
        (["validate", "{bad}"], "not a readable Turtle graph"),  # a graph that is not Turtle
        (["build", "--validate", "--update", "--no-export"], "--no-export does not write"),  # nothing to check
    ],
)
def test_kg_validate_usage_errors_exit_2(
    args: list[str], error: str, example_graph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", "utf-8")
    args = [a.format(graph=example_graph, bad=bad) for a in args]
    assert main([*args, "--out", str(tmp_path)] if args[0] == "build" else args) == 2
    assert error in capsys.readouterr().err


def test_kg_validate_with_other_shapes(example_graph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .\n"
        "<#NoVotes> a sh:NodeShape ; sh:targetClass schema:ScholarlyArticle ;\n"
        '  sh:property [ sh:path schema:upvoteCount ; sh:maxCount 0 ; sh:message "must be absent here" ] .\n',
        "utf-8",
    )
    assert main(["validate", str(example_graph), "--shapes", str(shapes), "--max", "0"]) == 1
    out = capsys.readouterr().out
    assert "schema:upvoteCount must be absent here (sh:maxCount, 1 found; shape <file://" in out


def test_build_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--validate", "--no-html", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Built 21 papers" in out
    assert out.endswith("Wrote " + str(tmp_path / "graph.ttl") + "\nThe graph conforms to the shapes.\n")
