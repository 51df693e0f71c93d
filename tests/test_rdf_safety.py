"""RDF safety: hostile text in every field of every input reaches every output parseable and intact.

One build from a digest and two API JSON files that we write here (titles, names, summaries,
section labels, keywords and file names full of hostile strings), then each output read back by
rdflib, Oxigraph and Raptor's rapper and compared with the built graph: graph.ttl, the store of
``kg build --update``, the N-Triples and N-Quads that ``kg push`` sends and its offline load, the
SPARQL the query path sends, and the data in graph.html.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Dataset, Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.plugins.sparql import prepareQuery

from kg import emit
from kg.build import build_graph
from kg.emit import Terms
from kg.merge import MergedPaper
from kg.model import Paper, Section
from kg.named_graphs import Layout, load_offline, ntriples_chunks, oxigraph_command, read_dataset, split_graph
from kg.namespace import KG, SCHEMA, Minter
from kg.normalize import clean_block, clean_text, slugify
from kg.parse import parse_digest
from kg.pipeline import BuildResult, run_build
from kg.queries import (
    OxigraphEngine,
    RdflibEngine,
    Table,
    inline_values,
    named_query,
    query_names,
    select,
)
from kg.store import from_ox
from kg.terms import concept_key, iri_key
from kg.turtle import serialize_turtle
from tests.conftest import need_tool
from tests.test_build import assert_isomorphic

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")

HOSTILE = [
    "Ann <Lee>",  # angle brackets end an IRI in Turtle, N-Triples and SPARQL
    'Bo "Quote" Chen',  # double quotes end a string
    "O'Brien",  # a single quote starts a SPARQL string
    "C:\\new\\",  # backslashes, one right before the closing quote
    "A B",  # a space: person IRIs write it as _ ...
    "A_B",  # ... so an underscore must be written otherwise ...
    "A%20B",  # ... and so must a percent escape of the space
    "x ]]> y",  # the end of a CDATA section
    "{braces} }",  # braces open and close SPARQL groups
    'z" } UNION { ?s ?p ?o } #',  # breaking out of a string into the query
    "line one\nline two",  # a line break (kept in summaries, a space in names)
    "tab\there",  # a tab
    "# not a comment",  # starts a comment in Turtle and SPARQL
    "100%00 sure",  # a percent-encoded NUL, as text
    "ctrl\x01\x1f\x7f end",  # control characters (dropped from digest text; kept in file names)
    "para\u2028sep",  # U+2028, a line terminator to JavaScript and to str.splitlines
    "non\ufdd0char \U0001fffe",  # noncharacters Raptor reads (U+FFFE and U+FFFF: see the xfail below)
    "rtl \u200fmark \u202eover שלום",  # RTL marks (format characters, dropped) and Hebrew
    "emoji 🎉🧪",  # astral characters (surrogate pairs in JSON \\u escapes and UTF-16)
    "한국어 이름",  # Korean
    "\\u0022 not an escape",  # a codepoint escape that SPARQL expands before parsing
    "\"\"\" and '''",  # long-string delimiters
    "@prefix x: <y> .",  # a Turtle directive
    "> . <http://e/s> <http://e/p> <http://e/o",  # a triple smuggled into an IRI
    "long " + "x" * 10_000,  # very long
    ".",  # a name that is a dot segment: person/. would be read as person/
    "..",  # ... and person/.. as the base itself
    "확산_모델.v2~",  # slugify percent-encodes it but leaves _ . ~ bare: not a valid key
]
# Extra summary sections of one paper: each label becomes a section IRI.
SECTION_LABELS = [
    "Limitations",  # a plain label
    "Limitations!",  # the same key: a second node, numbered like its mentions
    "확산_모델",  # Korean with an underscore: not a valid key until encoded
    ".",  # a dot segment
    'a <b> "c" {d} ]]>',  # hostile characters in the label text
]
# Code links of the first API papers: only real IRIs that readers keep unchanged go in.
LINKS = {
    0: ("https://github.com/ok/repo", True),  # a plain link
    1: ("https://github.com/a/../b", False),  # a dot segment: Raptor and Oxigraph would read /b
    2: ("https://github.com/%zz", False),  # a bad percent escape: not an IRI
    3: ("https://github.com/\x01x", False),  # a control character: not an IRI
    4: ("https://github.com/x}y", False),  # a brace: the API reader refuses it
}
DIGEST_NAME = '2024-08-01 it\'s "hostile" <#1> %41%00 ]]> 한국어 🎉.md'
API_NAMES = ('2024-08-02 "api" #2 %20 한국 🎉.json', "2024-08-03 ]]> {api}\t%zz\x01 ü.json")  # a tab, a control
EXTRA_IDS = ("hep-th/9901001", "math.GT/0309136")  # old-style arXiv ids, with a slash


def one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def write_inputs(folder: Path) -> list[Path]:
    """The digest and the two API JSON files, every field full of hostile strings."""
    lines = ["## Daily Papers (2024-08-01)", ""]
    for i, text in enumerate(HOSTILE):
        lines += [
            f"### [Paper {i}: {one_line(text)}](https://arxiv.org/abs/2408.2{i:04d})",
            f"Vote: {i}",
            f"Authors: {[text, 'Plain Person']!r}",
            f"- **What's New**: {text} 를 씁니다.",
            "",
        ]
    lines += [f"### [Old style {EXTRA_IDS[0]}](https://arxiv.org/abs/{EXTRA_IDS[0]}v2)", "Authors: Plain Person"]
    lines += [f"- **{label}**: 섹션 {n} 입니다. LoRA를 씁니다." for n, label in enumerate(SECTION_LABELS)]
    digest = folder / DIGEST_NAME
    digest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    files = [digest]
    for day, name in enumerate(API_NAMES):
        items: list[dict[str, object]] = [
            {
                "paper": {
                    "id": f"2408.{3 + day}{i:04d}",
                    "title": f"API {i}: {text}",
                    "authors": [{"_id": f"a{i}", "name": text, "hidden": False}, {"name": "Plain Person"}],
                    "upvotes": i,
                    "summary": f"Abstract: {text}",
                    "publishedAt": "2024-07-30T00:00:00.000Z",
                    "ai_keywords": [text, f"{one_line(text)} Attention", "Plain Attention"],
                    "githubRepo": LINKS.get(i, ("", True))[0] if day == 0 else None,
                }
            }
            for i, text in enumerate(HOSTILE)
        ]
        items.append({"paper": {"id": EXTRA_IDS[1], "title": "Old style", "authors": [{"name": "Plain Person"}]}})
        files.append(folder / name)
        files[-1].write_text(json.dumps(items, ensure_ascii=day == 0, indent=1), encoding="utf-8")
    return files


@dataclass(frozen=True)
class Built:
    result: BuildResult
    out: Path
    inputs: list[Path]

    @property
    def graph(self) -> Graph:
        return self.result.graph


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("hostile in")
    inputs = write_inputs(folder)
    out = tmp_path_factory.mktemp("hostile out")
    result = run_build(inputs, out, workers=1)
    assert not [p for p in result.problems if p.severity == "error"], result.problems
    return Built(result, out, inputs)


# -- every output parses, in every parser, to the built graph ---------------------------------------


def rapper(path: Path, syntax: str) -> bytes:
    """What Raptor's rapper reads from ``path`` in ``syntax``, written back as N-Quads."""
    done = subprocess.run(
        [need_tool("rapper"), "-q", "-i", syntax, "-o", "nquads", str(path)], capture_output=True, timeout=600
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout


def quads_of(data: bytes | str, fmt: str = "nquads") -> set[tuple[object, ...]]:
    """rdflib's reading of N-Quads or N-Triples, as a set of (s, p, o, graph IRI or None)."""
    ds = Dataset()
    ds.parse(data=data, format=fmt)
    return {(s, p, o, None if g == ds.default_graph.identifier else g) for s, p, o, g in ds.quads()}


def triples(quads: Iterable[tuple[object, ...]]) -> Graph:
    g = Graph()
    for s, p, o, *_ in quads:
        g.add((s, p, o))  # type: ignore[arg-type]
    return g


def ox_quads(quads: Iterable[ox.Quad]) -> set[tuple[object, ...]]:
    return {
        (
            from_ox(q.subject),
            from_ox(q.predicate),
            from_ox(q.object),
            None if q.graph_name == ox.DefaultGraph() else from_ox(q.graph_name),
        )
        for q in quads
    }


def test_graph_ttl_reads_back_the_same_in_rdflib_oxigraph_and_rapper(built: Built) -> None:
    path = built.out / "graph.ttl"
    assert_isomorphic(built.graph, Graph().parse(path, format="turtle"))
    assert_isomorphic(built.graph, triples(ox_quads(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))))
    assert_isomorphic(built.graph, triples(quads_of(rapper(path, "turtle"))))


@pytest.mark.parametrize(
    "base",
    [
        "http://example.org/kg/",  # another base: IRIs written relative to it
        "http://example.org/kg#",  # a fragment base: <paper/1> would resolve to http://example.org/paper/1
        "http://example.org/?set=1/",  # a query base: resolution drops the query
    ],
)
def test_turtle_reads_back_under_any_base(built: Built, base: str, tmp_path: Path) -> None:
    g = run_build(built.inputs, tmp_path, base=base, html=False, workers=1).graph
    path = tmp_path / "graph.ttl"
    assert_isomorphic(g, Graph().parse(path, format="turtle"))
    assert_isomorphic(g, triples(quads_of(rapper(path, "turtle"))))
    assert any(str(s).startswith(f"{base}person/") for s in g.subjects())


def test_update_store_dumps_to_nquads_every_parser_reads(built: Built, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    result = run_build(built.inputs, tmp_path, store=store_dir, html=False, workers=1)
    assert (tmp_path / "graph.ttl").read_bytes() == (built.out / "graph.ttl").read_bytes()  # update = full build
    store = ox.Store.read_only(str(store_dir))
    dump = store.dump(format=ox.RdfFormat.N_QUADS) or b""
    (tmp_path / "store.nq").write_bytes(dump)
    stored = ox_quads(store)
    assert quads_of(dump) == stored
    assert quads_of(rapper(tmp_path / "store.nq", "nquads")) == stored
    graph = [q for q in stored if not str(q[3]).endswith("graph/state")]  # the store's records stay out of the graph
    assert_isomorphic(result.graph, triples(graph))
    assert_isomorphic(built.graph, result.graph)


def test_push_pieces_and_offline_load_hold_the_graph(built: Built, tmp_path: Path) -> None:
    dataset = read_dataset(built.out / "graph.ttl")
    sent: set[tuple[object, ...]] = set()
    pieces = 0
    for graph in dataset.graphs:
        for n, piece in enumerate(ntriples_chunks(graph, 64_000, whole=dataset.blank_nodes)):
            pieces += 1
            path = tmp_path / f"piece{n}.nt"
            path.write_bytes(piece)
            mine = {(s, p, o, URIRef(graph.iri)) for s, p, o, _ in quads_of(piece, "nt")}
            assert {(s, p, o, URIRef(graph.iri)) for s, p, o, _ in quads_of(rapper(path, "ntriples"))} == mine
            sent |= mine
    assert pieces > len(dataset.graphs)  # some graphs went in several pieces
    (tmp_path / "all.nq").write_bytes(dataset.nquads())
    assert quads_of(dataset.nquads()) == sent == quads_of(rapper(tmp_path / "all.nq", "nquads"))
    assert_isomorphic(built.graph, triples(sent))
    found = oxigraph_command()
    for command in (None, *([found] if found else [])):  # pyoxigraph's bulk loader, `oxigraph load`
        location = tmp_path / f"offline-{command is not None}"
        load_offline(dataset, location, replace=True, command=command)
        assert ox_quads(ox.Store.read_only(str(location))) == sent


@pytest.mark.parametrize(
    "published",
    [
        "2024-08-01",  # what kg build writes: the graph published/day/2024-08-01
        'a b <c> "d"',  # a graph from elsewhere may hold any text there: percent-encoded
        "한국 🎉",  # non-ASCII
    ],
)
def test_day_graphs_are_iris_whatever_the_day_says(published: str) -> None:
    digest, kind = ox.NamedNode("http://x/digest/1"), ox.NamedNode(str(KG.Digest))
    store = ox.Store()
    store.add(ox.Quad(digest, ox.NamedNode(str(RDF.type)), kind))
    store.add(ox.Quad(digest, ox.NamedNode(str(SCHEMA.datePublished)), ox.Literal(published)))
    dataset = split_graph(store, Layout("http://x/"))
    (graph,) = {q[3] for q in quads_of(dataset.nquads())}
    assert graph == URIRef(f"http://x/published/day/{quote(published, safe='')}")


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])  # the noncharacters Raptor cannot hold
def test_noncharacters_are_dropped_so_rapper_reads_the_graph(char: str, tmp_path: Path) -> None:
    digest = parse_digest(f"## Daily Papers (2024-08-01)\n### [a{char}b](https://arxiv.org/abs/2408.00001)\n", "d.md")
    assert digest.papers[0].title == "ab"
    g = build_graph([digest])
    path = tmp_path / "g.ttl"
    path.write_text(serialize_turtle(g), encoding="utf-8")
    assert_isomorphic(g, triples(quads_of(rapper(path, "turtle"))))


# -- the SPARQL the query path sends ----------------------------------------------------------------


class InlineRdflib(RdflibEngine):
    """rdflib running the very text that Oxigraph and endpoints get: the values inlined, no bindings."""

    name = "rdflib, values inlined"

    def run(self, text: str, bindings: Mapping[str, str | int]) -> Table:
        inlined = inline_values(text, bindings)
        prepareQuery(inlined)  # rdflib's SPARQL parser reads it
        ox.Store().query(inlined)  # and Oxigraph's
        return super().run(inlined, {})


@pytest.fixture(scope="module")
def engines(built: Built) -> tuple[RdflibEngine, OxigraphEngine, InlineRdflib]:
    return RdflibEngine(built.graph), OxigraphEngine.from_turtle(built.out / "graph.ttl"), InlineRdflib(built.graph)


def string_queries() -> list[str]:
    return [n for n in query_names() if any(p.type == "string" for p in named_query(n).params)]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("name", string_queries())
def test_every_query_with_a_hostile_value_agrees_in_every_engine(
    engines: tuple[RdflibEngine, OxigraphEngine, InlineRdflib], name: str, text: str
) -> None:
    query = named_query(name)
    for value in dict.fromkeys((text, clean_text(text))):  # as given, and as the graph holds it
        params = {p.name: value for p in query.params if p.type == "string"}
        tables = [select(engine, query, params) for engine in engines]
        assert tables[0] == tables[1], (name, value)
        assert tables[0] == tables[2], (name, value)


# Values rdflib's SPARQL parser would read otherwise than the inlined text says, were they not
# escaped for it (kg.queries.sparql_term): a backslash before u (rdflib expands \\uXXXX before
# parsing, even after an escaped backslash) and a tab (pyparsing expands tabs to spaces).
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("coauthors", {"author": "\\u0022 not an escape"}),  # read as '" not an escape'
        ("technique-trend", {"technique": "tab\there"}),  # read as "tab here", which is in the graph
    ],
)
def test_rdflib_reads_inlined_values_as_written(
    engines: tuple[RdflibEngine, OxigraphEngine, InlineRdflib], name: str, params: dict[str, str]
) -> None:
    assert select(engines[0], named_query(name), params) == select(engines[2], named_query(name), params)


@pytest.mark.parametrize("text", [t for t in HOSTILE if clean_text(t)])
def test_hostile_names_are_found_by_value(
    engines: tuple[RdflibEngine, OxigraphEngine, InlineRdflib], text: str
) -> None:
    """Each hostile author wrote three papers with Plain Person: found by the name, exactly."""
    for engine in engines:
        rows = select(engine, named_query("coauthors"), {"author": clean_text(text)}).rows
        assert ("Plain Person", 3) in rows, engine.name


def test_queries_without_values_agree_in_every_engine(
    engines: tuple[RdflibEngine, OxigraphEngine, InlineRdflib],
) -> None:
    for name in query_names():
        if name not in string_queries():
            tables = [select(engine, named_query(name)) for engine in engines]
            assert tables[0] == tables[1] == tables[2], name
    assert select(engines[1], named_query("top-collaborations")).rows  # the hostile pairs were counted


# -- the text itself survives ------------------------------------------------------------------------


def test_hostile_text_is_in_the_graph_exactly(built: Built) -> None:
    g = built.graph
    names = {str(o) for o in g.objects(None, SCHEMA.name)}
    keywords = {str(o) for o in g.objects(None, KG.aiKeyword)}
    abstracts = {str(o) for o in g.objects(None, SCHEMA.abstract)}
    summaries = {str(o) for o in g.objects(None, KG.whatsNew)}
    for i, text in enumerate(HOSTILE):
        assert clean_text(f"Paper {i}: {one_line(text)}") in names
        assert clean_text(f"API {i}: {text}") in names
        assert not clean_text(text) or clean_text(text) in names  # the author
        assert clean_block(f"{text} 를 씁니다.") in summaries
        assert clean_text(f"Abstract: {text}") in abstracts
        assert not clean_text(text) or clean_text(text) in keywords
    sources = {str(o) for o in g.objects(None, KG.sourceFile)}
    assert {DIGEST_NAME, *API_NAMES} <= {s.replace("\\", "/").rsplit("/", 1)[-1] for s in sources}
    labels = {str(o) for o in g.objects(None, SKOS.prefLabel)}
    assert "Plain Attention" in labels and clean_text("확산_모델.v2~") in labels


def test_links_are_kept_only_when_readers_keep_them(built: Built) -> None:
    links = {str(o) for o in built.graph.objects(None, SCHEMA.codeRepository)}
    assert links == {url for url, kept in LINKS.values() if kept}


def test_every_data_iri_is_a_valid_iri_without_dot_segments(built: Built) -> None:
    iris = {str(t) for triple in built.graph for t in triple if isinstance(t, URIRef)}
    for iri in iris:
        ox.NamedNode(iri)  # RFC 3987, as Oxigraph checks it
        assert not re.search(r'[\x00-\x20<>"{}|^`\\]', iri), iri  # what Turtle's IRIREF refuses
        assert not re.search(r"/\.\.?(?:/|$)", iri.split("?")[0]), iri
    people = set(built.graph.subjects(RDF.type, SCHEMA.Person))
    names = [list(built.graph.objects(p, SCHEMA.name)) for p in people]
    assert all(len(n) == 1 for n in names) and len({n[0] for n in names}) == len(people)  # one IRI per name
    for old in EXTRA_IDS:  # old-style ids: the slash percent-encoded, one paper each
        assert str(Minter().paper(old)) in iris and "%2F" in str(Minter().paper(old))


def test_sections_with_hostile_labels_are_distinct_nodes(built: Built) -> None:
    g = built.graph
    paper = Minter().paper(EXTRA_IDS[0])
    sections = set(g.objects(paper, KG.summarySection))
    assert sorted(str(g.value(s, RDFS.label)) for s in sections) == sorted(SECTION_LABELS)
    in_sections = {str(g.value(m, KG.inSection)) for m in g.objects(paper, KG.mention)} - {"title"}
    assert len(in_sections) == len(SECTION_LABELS)  # LoRA in each
    nodes = {str(s).rsplit("/", 1)[-1] for s in sections}
    assert {iri_key(k) for k in in_sections} <= nodes  # the evidence's section is a node


def page_strings(html: str) -> set[str]:
    """Every string in the JSON data embedded in the page."""
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.DOTALL)
    assert m, "no data block in the page"
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(m.group(1)))
    return found


def test_page_data_holds_the_hostile_text_exactly(built: Built) -> None:
    strings = page_strings((built.out / "graph.html").read_text(encoding="utf-8"))
    for i, text in enumerate(HOSTILE):
        assert clean_text(f"Paper {i}: {one_line(text)}") in strings, i
        assert not clean_text(text) or clean_text(text) in strings, i  # the author's name
        assert clean_block(f"{text} 를 씁니다.") in strings, i  # the summary


# -- the keys IRIs are minted from -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mint", "inputs"),
    [
        (lambda t: Terms().person(t).value, ["A B", "A_B", "A%20B", "A+B", "a b", ".", "..", "%2E"]),  # names
        (lambda t: Minter().paper(t), ["2408.00001", "hep-th/9901001", "hep-th%2F9901001"]),  # arXiv ids
        (lambda t: Minter().concept(concept_key(t)), ["확산_모델", "확산.모델", "확산~모델", "-", "   ", "%5F"]),
        (lambda t: Minter().vote("1", None, t), ["a b.json", "a_b.json", "a%20b.json", "a\nb.json"]),  # file names
    ],
)
def test_distinct_keys_make_distinct_valid_iris(mint: Callable[[str], object], inputs: list[str]) -> None:
    iris = [str(mint(t)) for t in inputs]
    assert len(set(iris)) == len(inputs)
    for iri in iris:
        ox.NamedNode(iri)
        assert not re.search(r"/\.\.?$", iri)


@given(st.text(max_size=30), st.text(max_size=30))
def test_concept_keys_are_valid_and_keep_slugs_apart(a: str, b: str) -> None:
    ka, kb = iri_key(slugify(a)), iri_key(slugify(b))
    ox.NamedNode(str(Minter().concept(ka)))  # Minter checks the key, Oxigraph the IRI
    if slugify(a) != slugify(b):
        assert ka != kb


# Any cleaned text (what the parsers keep) as a paper's title, author name, section label and text.
@given(st.text(max_size=40).map(clean_text), st.text(max_size=40).map(clean_block))
def test_paper_text_reaches_the_store_exactly(line: str, block: str) -> None:
    terms = Terms()
    section = Section("limitations", line or "x", block or "y", 2)
    paper = Paper("2407.21705", line or "t", (line or "a",), 3, (section,), None, "d.md", 1)
    text = emit.paper_nquads(terms, MergedPaper(paper, ()), (), None)
    strict = list(ox.parse(text, format=ox.RdfFormat.N_QUADS))  # every check of the parser on
    store = ox.Store()
    store.load(text, ox.RdfFormat.N_QUADS, lenient=True)  # as a build loads it
    assert set(store) == set(strict)
    node = terms.paper("2407.21705")
    values = {q.predicate.value.rsplit("/", 1)[-1]: q.object.value for q in strict if q.subject == node}
    assert values["name"] == paper.title
    assert {q.object.value for q in strict if q.predicate == emit.P.name and q.subject != node} == set()
    assert terms.person(paper.authors[0]) in {q.object for q in strict if q.predicate == emit.P.author}
    texts = {q.object.value for q in strict if q.predicate in (emit.P.label, emit.P.value)}
    assert texts == {section.label, section.text}
