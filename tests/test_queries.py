"""Named queries and the analysis commands: the same answers in rdflib, Oxigraph, networkx and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kg.analysis import coauthor_graph, cooccurrence_graph, find_author, topic_clusters
from kg.cli import main
from kg.network import to_networkx
from kg.pipeline import run_build
from kg.queries import OxigraphEngine, QueryError, RdflibEngine, named_query, parse_query, query_names, select
from kg.store import load_network

# Parameters that give every shipped query rows on the bundled example.
PARAMS = {
    "author": "Shenghai Yuan",  # two papers in the example (Open-Sora Plan, WF-VAE)
    "technique": "DiT",
    "arxiv": "2412.01199",
    "min": "2",  # the smallest threshold the pair queries accept (pairs are counted from 2 joint papers)
}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example")
    run_build([], out, html=False)
    return out / "graph.ttl"


@pytest.fixture(scope="module")
def engines(example: Path) -> tuple[RdflibEngine, OxigraphEngine]:
    return RdflibEngine(Graph().parse(example, format="turtle")), OxigraphEngine.from_turtle(example)


@pytest.mark.parametrize("name", query_names())
def test_every_query_gives_the_same_rows_in_rdflib_and_oxigraph(
    engines: tuple[RdflibEngine, OxigraphEngine], name: str
) -> None:
    query = named_query(name)
    params = {p.name: PARAMS[p.name] for p in query.params}
    rdflib_rows, oxigraph_rows = (select(e, query, params) for e in engines)
    assert rdflib_rows.columns == oxigraph_rows.columns
    assert rdflib_rows.rows == oxigraph_rows.rows
    assert rdflib_rows.rows, f"{name} gives no rows on the example: the comparison would prove nothing"
    for engine in engines:  # kg query --limit: the first rows of the same answer
        whole = rdflib_rows.rows
        assert select(engine, query, params, limit=1).rows == whole[:1], engine.name
        assert select(engine, query, params, limit=len(whole) + 5).rows == whole, engine.name


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("coauthors", {"author": "Nobody Here"}),  # no match: rdflib once returned every person here
        ("authors-of-technique", {"technique": "no such technique"}),  # the same, through skos:broader*
        ("author-papers", {"author": "Nobody Here"}),
        ("papers-by-technique", {"technique": "확산 모델"}),  # a Korean label, stored with @ko
        ("authors-of-technique", {"technique": 'DiT" } UNION { ?s ?p ?o'}),  # hostile, through the union
        ("top-collaborations", {"min": "3"}),  # a threshold that leaves some pairs out
        ("top-techniques", {"min": "3"}),
        ("technique-cooccurrence", {"min": "3"}),
    ],
)
def test_empty_and_filtered_answers_agree(
    engines: tuple[RdflibEngine, OxigraphEngine], name: str, params: dict[str, str]
) -> None:
    rdflib_rows, oxigraph_rows = (select(e, named_query(name), params) for e in engines)
    assert rdflib_rows.rows == oxigraph_rows.rows


def test_every_query_documents_itself() -> None:
    for name in query_names():
        query = named_query(name)
        assert query.description, name
        assert all(p.help for p in query.params), name
        assert all(f"?{p.name}" in query.text.split("WHERE")[0] for p in query.params), f"{name}: project params"


def test_sparql_coauthor_and_cooccurrence_counts_equal_networkx(
    engines: tuple[RdflibEngine, OxigraphEngine], example: Path
) -> None:
    """The pairs the build counted (read by SPARQL) are networkx's pairs with 2+ joint papers, same weights."""
    network = load_network(example)
    co = coauthor_graph(network)
    rows = select(engines[1], named_query("top-collaborations"), {"min": 2})
    sparql = {frozenset((str(r.author1), str(r.author2))): (r.papers, r.newman) for r in rows}
    python = {
        frozenset((co.nodes[a]["label"], co.nodes[b]["label"])): (d["papers"], round(d["newman"], 6))
        for a, b, d in co.edges(data=True)
        if d["papers"] >= 2
    }
    assert sparql == python and sparql
    assert any(d["papers"] == 1 for *_, d in co.edges(data=True))  # single-paper pairs exist, and are left out
    for engine in engines:  # a single author's co-authors still count single joint papers
        rows = select(engine, named_query("coauthors"), {"author": "Shenghai Yuan"})
        person = find_author(co, "Shenghai Yuan")
        assert {r.coauthor: r.papers for r in rows} == {
            co.nodes[b]["label"]: d["papers"] for b, d in co[person].items()
        }
    techniques = cooccurrence_graph(network)
    rows = select(engines[1], named_query("technique-cooccurrence"), {"min": 2})
    sparql = {frozenset((str(r.technique1), str(r.technique2))): r.papers for r in rows}
    python = {
        frozenset((techniques.nodes[a]["label"], techniques.nodes[b]["label"])): d["papers"]
        for a, b, d in techniques.edges(data=True)
        if d["papers"] >= 2
    }
    assert sparql == python and sparql


def test_network_from_oxigraph_equals_network_from_rdflib(example: Path) -> None:
    from_rdflib = to_networkx(Graph().parse(example, format="turtle"))
    from_oxigraph = load_network(example)
    assert dict(from_rdflib.nodes(data=True)) == dict(from_oxigraph.nodes(data=True))
    assert sorted(from_rdflib.edges(data=True)) == sorted(from_oxigraph.edges(data=True))


@pytest.mark.parametrize(
    "hostile",
    [
        'Shenghai Yuan" } UNION { ?s ?p ?o } #',  # breaking out of a string literal
        "} ; DROP ALL ; {",  # an update smuggled in
        "'Shenghai Yuan'",  # other quotes
        "Shenghai\\ Yuan",  # a backslash escape
    ],
)
def test_parameters_are_values_not_query_text(engines: tuple[RdflibEngine, OxigraphEngine], hostile: str) -> None:
    for engine in engines:
        assert select(engine, named_query("coauthors"), {"author": hostile}).rows == []


def test_missing_unknown_and_malformed_parameters_are_refused(engines: tuple[RdflibEngine, OxigraphEngine]) -> None:
    with pytest.raises(QueryError, match="missing parameter author"):
        select(engines[1], named_query("coauthors"), {})
    with pytest.raises(QueryError, match="unknown parameter colour"):
        select(engines[1], named_query("coauthors"), {"author": "x", "colour": "red"})
    with pytest.raises(QueryError, match="whole number"):
        select(engines[1], named_query("top-collaborations"), {"min": "many"})
    with pytest.raises(QueryError, match="at least 2"):  # single-paper pairs are not stored: say so, not []
        select(engines[1], named_query("technique-cooccurrence"), {"min": "1"})


def test_topic_clusters_are_repeatable_and_cover_papers(example: Path) -> None:
    network = load_network(example)
    first, second = topic_clusters(network, min_papers=1), topic_clusters(network, min_papers=1)
    assert first == second and first
    papers = [p for c in first for p in c.papers]
    assert len(papers) == len(set(papers))  # each paper in at most one cluster
    assert all(c.label and c.techniques for c in first)


# -- the command line ------------------------------------------------------------------------------


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_kg_query_json_is_an_array_of_objects(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["query", "coauthors", "--param", "author=Shenghai Yuan", "--graph", str(example),
                        "--format", "json"], capsys)  # fmt: skip
    rows = json.loads(out)
    assert code == 0 and rows and set(rows[0]) == {"coauthor", "papers"}
    assert max(r["papers"] for r in rows) == 2


def test_kg_query_csv_and_own_file(example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    own = tmp_path / "mine.rq"
    own.write_text(
        "# Papers and titles.\nPREFIX schema: <https://schema.org/>\n"
        "SELECT ?id WHERE { ?p schema:identifier ?id } ORDER BY ?id",
        encoding="utf-8",
    )
    code, out, _ = run(["query", "--file", str(own), "--graph", str(example), "--format", "csv"], capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "id" and len(lines) == 22  # header + the example's 21 papers


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("SELECT ?id { ?p <https://schema.org/identifier> ?id } ORDER BY ?id", 3),  # no LIMIT of its own
        ("SELECT ?id { ?p <https://schema.org/identifier> ?id } ORDER BY ?id LIMIT 2", 2),  # its own is smaller
        ("SELECT ?id { ?p <https://schema.org/identifier> ?id } ORDER BY ?id limit 50", 3),  # its own is larger
        ("SELECT ?id { ?p <https://schema.org/identifier> ?id } ORDER BY ?id # LIMIT 1", 3),  # LIMIT in a comment
        # LIMIT in a string
        ("SELECT ?id { ?p <https://schema.org/identifier> ?id FILTER (?id != 'LIMIT 1') } ORDER BY ?id", 3),
        ("SELECT ?id { ?p <https://schema.org/identifier> ?id } ORDER BY ?id VALUES ?x { 1 }", 3),  # a trailing VALUES
        ("SELECT ?id { ?p <https://schema.org/identifier> ?id } ORDER BY ?id OFFSET 1", 3),  # an OFFSET
    ],
)
def test_a_row_limit_fits_the_users_own_query(
    engines: tuple[RdflibEngine, OxigraphEngine], text: str, rows: int
) -> None:
    for engine in engines:
        whole = select(engine, parse_query(text)).rows
        assert select(engine, parse_query(text), limit=3).rows == whole[:rows], engine.name


def test_kg_query_limit_says_when_rows_may_be_left_out(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["query", "top-collaborations", "--limit", "3", "--graph", str(example)], capsys)
    assert code == 0 and len(out.splitlines()) == 2 + 3 and "--limit 0 lists all" in err
    code, out, err = run(["query", "top-collaborations", "--limit", "1000", "--graph", str(example)], capsys)
    assert code == 0 and "--limit 0" not in err
    with pytest.raises(SystemExit) as usage:  # a negative limit is a usage error
        main(["query", "top-collaborations", "--limit", "-1", "--graph", str(example)])
    assert usage.value.code == 2 and "--limit" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no-such-query"], "no query named"),  # a typo in the name
        (["query", "coauthors"], "missing parameter author"),  # a required parameter left out
        (["query", "coauthors", "--param", "author"], "KEY=VALUE"),  # a parameter without a value
        (["query"], "give a query name or --file"),  # nothing to run
        (["collaborators", "Nobody Here"], "no author named"),  # an unknown author
    ],
)
def test_query_usage_errors_exit_2(
    args: list[str], message: str, example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([*args, "--graph", str(example)], capsys)
    assert code == 2 and message in err


def test_missing_graph_says_to_build_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["query", "top-techniques", "--graph", str(tmp_path / "none.ttl")], capsys)
    assert code == 2 and "run 'kg build' first" in err


def test_analysis_commands(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["collaborators", "Shenghai Yuan", "--graph", str(example)], capsys)
    assert code == 0 and out.splitlines()[0].split() == ["coauthor", "papers", "newman"]
    code, out, _ = run(["clusters", "--min-papers", "1", "--graph", str(example), "--format", "json"], capsys)
    clusters = json.loads(out)
    assert code == 0 and clusters[0]["techniques"] and (example.parent / "clusters.svg").is_file()
    code, out, _ = run(["trends", "--technique", "DiT", "--graph", str(example), "--format", "csv"], capsys)
    assert code == 0 and out.splitlines()[0] == "week,DiT" and (example.parent / "trends.svg").is_file()
    assert sum(int(line.split(",")[1]) for line in out.splitlines()[1:]) >= 1
    code, out, _ = run(["central", "--top", "3", "--graph", str(example), "--format", "json"], capsys)
    assert code == 0 and len(json.loads(out)) == 3


def test_analysis_commands_start_without_the_build_and_plot_libraries() -> None:
    """`kg query` on the corpus must answer in under 3 s: the extractor, pyvis, igraph and matplotlib
    (about 1 s of imports together) are loaded only by the commands that use them."""
    heavy = ("pyvis", "igraph", "matplotlib", "kg.mentions", "kg.pipeline")
    code = f"import sys, kg.cli; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_public_name_of_kg_still_imports() -> None:
    """The package's names are loaded lazily; each one listed must resolve, and none be missing."""
    import kg

    assert sorted(kg.__all__) == sorted(kg._HOMES)
    assert all(getattr(kg, name) is not None for name in kg.__all__)
    with pytest.raises(AttributeError):
        _ = kg.no_such_name  # type: ignore[attr-defined]
