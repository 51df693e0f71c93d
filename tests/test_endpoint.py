"""The graph in a real triple store: `kg push` and `kg query --endpoint` against an Oxigraph server
started on 127.0.0.1 for the tests, with the same answers as the embedded engines."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.endpoint import Endpoint, EndpointError, push
from kg.named_graphs import Layout, oxigraph_command, read_dataset
from kg.pipeline import run_build
from kg.queries import EndpointEngine, OxigraphEngine, Table, inline_values, named_query, query_names, select
from tests.conftest import CORPUS, need
from tests.oxigraph_server import Server, free_port, running_server
from tests.test_queries import PARAMS

BASE = "https://w3id.org/papers-kg/"
EXAMPLE_GRAPHS = {f"{BASE}published/day/2024-12-0{d}" for d in (4, 5, 6)} | {
    f"{BASE}published/shared",
    f"{BASE}published/pairs",
}


@pytest.fixture(scope="session")
def oxigraph() -> str:
    command = oxigraph_command()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("the oxigraph command is not installed; the test extra (pip install -e '.[test]') has it")
        pytest.skip("the oxigraph command is not installed (pip install oxigraph)")
    return command


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example")
    run_build([], out, html=False)
    return out / "graph.ttl"


@pytest.fixture
def server(oxigraph: str, tmp_path: Path) -> Iterator[Server]:
    with running_server(oxigraph, tmp_path / "store") as running:
        yield running


@pytest.fixture(scope="module")
def pushed(oxigraph: str, example: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server holding the example, pushed with `kg push` in the day layout."""
    with running_server(oxigraph, tmp_path_factory.mktemp("pushed") / "store") as running:
        assert main(["push", "--graph", str(example), "--endpoint", running.store, "--replace"]) == 0
        yield running


@cache
def embedded(graph: Path) -> OxigraphEngine:
    return OxigraphEngine.from_turtle(graph)


def same_rows(server: Server, graph: Path, name: str, params: dict[str, str]) -> Table:
    """The query's rows at the endpoint, checked equal to the embedded Oxigraph engine's."""
    query = named_query(name)
    remote = select(EndpointEngine(Endpoint.connect(server.query)), query, params)
    local = select(embedded(graph), query, params)
    assert (remote.columns, remote.rows) == (local.columns, local.rows), name
    return remote


def graph_quads(graph: Path, layout: str = "day") -> set[str]:
    return set(read_dataset(graph, layout).nquads().decode().splitlines())


# -- the same answers ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", query_names())
def test_every_query_gives_the_embedded_rows_at_the_endpoint(pushed: Server, example: Path, name: str) -> None:
    params = {p.name: PARAMS[p.name] for p in named_query(name).params}
    assert same_rows(pushed, example, name, params).rows, f"{name} gives no rows: the comparison proves nothing"


@pytest.mark.parametrize("name", ["top-collaborations", "top-techniques", "technique-cooccurrence"])
def test_a_row_limit_gives_the_first_rows_at_the_endpoint(pushed: Server, example: Path, name: str) -> None:
    query = named_query(name)
    params = {p.name: PARAMS[p.name] for p in query.params}
    whole = select(embedded(example), query, params).rows
    remote = select(EndpointEngine(Endpoint.connect(pushed.query)), query, params, limit=2)
    assert len(whole) > 2 and remote.rows == whole[:2]


@pytest.fixture(scope="module")
def corpus_slice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 digest days spread over the daily-papers-ko corpus (every 19th file), built as a user would."""
    days = sorted(need(CORPUS / "daily-papers-ko", "the daily-papers-ko corpus").glob("*.md"))[::19]
    out = tmp_path_factory.mktemp("corpus-slice")
    run_build(days, out, html=False, workers=1)
    return out / "graph.ttl"


def test_corpus_slice_gives_the_embedded_rows_for_every_query(server: Server, corpus_slice: Path) -> None:
    assert main(["push", "--graph", str(corpus_slice), "--endpoint", server.store]) == 0
    engine = embedded(corpus_slice)
    top = select(engine, named_query("top-collaborations"), {"min": 2}).rows[0]  # rank, author1, ...
    technique = str(select(engine, named_query("top-techniques"), {"min": 2}).rows[0][0])
    paper = str(select(engine, named_query("papers-by-technique"), {"technique": technique}).rows[0][0])
    params = {"author": str(top[1]), "technique": technique, "arxiv": paper, "min": "2"}
    for name in query_names():
        rows = same_rows(server, corpus_slice, name, {p.name: params[p.name] for p in named_query(name).params})
        assert rows.rows, name


HOSTILE = [
    'He said "hi"',  # double quotes end a SPARQL string
    "O'Brien",  # single quotes start one
    "{braces} and }",  # braces open and close groups
    'x" } UNION { ?s ?p ?o } #',  # breaking out of the string into the query
    "first line\nsecond line",  # a line break, not allowed raw in a short string
    "carriage\rreturn\tand tab",
    "back\\slash\\",  # a backslash escape, and one at the very end
    "\\u0022 looks like an escape",  # a codepoint escape some parsers expand before parsing
    'long """ quotes',  # the long-string delimiter
    "# not a comment",
    "<http://not.an/iri>",
    "VALUES ?author { 1 }",  # the keyword the values go in with
    "한국어 이름",
]


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """People whose names are hostile strings, each with one paper written with 'Plain Person'."""
    schema = "https://schema.org/"
    plain = ox.NamedNode(f"{BASE}person/plain")
    triples = [ox.Triple(plain, ox.NamedNode(schema + "name"), ox.Literal("Plain Person"))]
    for n, name in enumerate(HOSTILE):
        person, paper = ox.NamedNode(f"{BASE}person/h{n}"), ox.NamedNode(f"{BASE}paper/h{n}")
        triples += [
            ox.Triple(person, ox.NamedNode(schema + "name"), ox.Literal(name)),
            ox.Triple(paper, ox.NamedNode(schema + "author"), person),
            ox.Triple(paper, ox.NamedNode(schema + "author"), plain),
            ox.Triple(paper, ox.NamedNode(schema + "identifier"), ox.Literal(f"h{n}")),
            ox.Triple(paper, ox.NamedNode(schema + "name"), ox.Literal(f"Paper {n}")),
        ]
    path = tmp_path_factory.mktemp("hostile") / "graph.ttl"
    ox.serialize(triples, str(path), ox.RdfFormat.TURTLE)
    return path


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_values_go_in_as_values(server: Server, hostile_graph: Path, name: str) -> None:
    assert main(["push", "--graph", str(hostile_graph), "--endpoint", server.store]) == 0
    assert same_rows(server, hostile_graph, "coauthors", {"author": name}).rows == [("Plain Person", 1)]
    assert len(same_rows(server, hostile_graph, "author-papers", {"author": name}).rows) == 1
    assert same_rows(server, hostile_graph, "coauthors", {"author": name + " "}).rows == []  # no near miss


# -- the layout, replace and merge -----------------------------------------------------------------


def test_each_triple_is_in_one_named_graph_per_day(pushed: Server, example: Path) -> None:
    quads = pushed.nquads()
    graphs = {q.rsplit(" <", 1)[1].removesuffix("> .") for q in quads}
    assert graphs == EXAMPLE_GRAPHS
    assert quads == graph_quads(example)
    triples = {q.rsplit(" <", 1)[0] for q in quads}
    assert len(triples) == len(quads) == len(embedded(example).store)  # none in two graphs


def test_repushing_changes_nothing(server: Server, example: Path) -> None:
    for mode in ([], ["--replace"], [], ["--replace"]):  # merge, replace, merge again, replace again
        assert main(["push", "--graph", str(example), "--endpoint", server.store, *mode]) == 0
        assert server.nquads() == graph_quads(example), mode


def test_merge_keeps_other_triples_and_replace_drops_them_but_pairs_are_always_replaced(
    server: Server, example: Path
) -> None:
    day, shared, pairs = (f"{BASE}published/{g}" for g in ("day/2024-12-05", "shared", "pairs"))
    assert main(["push", "--graph", str(example), "--endpoint", server.store]) == 0
    foreign = {g: f"<http://example.org/s> <http://example.org/p> <{g}> <{g}> ." for g in (day, shared, pairs)}
    server.update(
        "INSERT DATA { " + " ".join(f"GRAPH <{g}> {{ {q.rsplit(' <', 1)[0]} }}" for g, q in foreign.items()) + " }"
    )
    assert set(foreign.values()) <= server.nquads()

    assert main(["push", "--graph", str(example), "--endpoint", server.store]) == 0  # merge
    assert server.nquads() == graph_quads(example) | {foreign[day], foreign[shared]}  # pairs: stale counts gone

    assert main(["push", "--graph", str(example), "--endpoint", server.store, "--replace"]) == 0
    assert server.nquads() == graph_quads(example)


def test_pieces_of_a_graph_add_up_to_the_graph(server: Server, example: Path) -> None:
    """A graph larger than one request goes as a PUT and then POSTs: the same store as in one piece."""
    dataset = read_dataset(example)
    done = push(dataset, Endpoint.connect(server.store), replace=True, chunk_bytes=16 * 1024)
    assert done.requests > 2 * len(dataset.graphs)
    assert server.nquads() == graph_quads(example)


def test_single_graph_queried_as_the_default_graph(oxigraph: str, example: Path, tmp_path: Path) -> None:
    with running_server(oxigraph, tmp_path / "store", union=False) as server:
        graph = "http://example.org/papers-kg"
        args = ["push", "--graph", str(example), "--endpoint", server.store, "--layout", "single", "--graph-iri", graph]
        assert main(args) == 0
        assert {q.rsplit(" <", 1)[1] for q in server.nquads()} == {graph + "> ."}
        query = named_query("coauthors")
        local = select(embedded(example), query, {"author": PARAMS["author"]})
        store_default = select(EndpointEngine(Endpoint.connect(server.query)), query, {"author": PARAMS["author"]})
        named = select(EndpointEngine(Endpoint.connect(server.query), (graph,)), query, {"author": PARAMS["author"]})
        assert store_default.rows == [] and named.rows == local.rows and named.rows


# -- the command line ------------------------------------------------------------------------------


def test_kg_query_endpoint_prints_what_the_embedded_query_prints(
    pushed: Server, example: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["query", "coauthors", "--param", f"author={PARAMS['author']}", "--format", "json"]
    assert main([*args, "--endpoint", pushed.query]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert main([*args, "--graph", str(example)]) == 0
    assert remote == json.loads(capsys.readouterr().out) and remote
    own = tmp_path / "mine.rq"
    own.write_text("PREFIX schema: <https://schema.org/>\nSELECT ?id { ?p schema:identifier ?id } ORDER BY ?id")
    assert main(["query", "--file", str(own), "--endpoint", pushed.query, "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 22  # header + the example's 21 papers


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["push", "--endpoint", "{closed}/store"], "kg push: cannot reach {closed}/store: "),  # nothing listens
        (["query", "weeks", "--endpoint", "{closed}/query"], "kg query: cannot reach {closed}/query: "),
        (["push", "--endpoint", "{root}/no-such-path"], "HTTP 404"),  # not a Graph Store endpoint
        (["query", "--file", "{bad}", "--endpoint", "{root}/query"], "HTTP 400 Bad Request: error at"),  # bad SPARQL
        (["query", "weeks", "--endpoint", "{root}/store"], "HTTP 415 Unsupported Media Type"),  # the push endpoint
        (["push", "--endpoint", "ftp://example.org/"], "not an http(s) URL"),
    ],
)
def test_errors_name_the_url_and_what_the_server_said(
    server: Server, example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?y }")
    slots = {"closed": f"http://127.0.0.1:{free_port()}", "root": server.root, "bad": str(bad)}
    code = main([a.format(**slots) for a in args] + (["--graph", str(example)] if args[0] == "push" else []))
    err = capsys.readouterr().err
    assert code == 1 and message.format(**slots) in err, err
    assert len(err.strip().splitlines()) == 1  # one line, no traceback


# -- credentials -----------------------------------------------------------------------------------


class _Guarded(BaseHTTPRequestHandler):
    """Accepts a request only with the credentials `me:s3cret`: HTTP basic on /basic/..., HTTP digest
    (RFC 7616, MD5, qop=auth) on /digest/...; records what it accepted."""

    accepted: ClassVar[list[str]] = []

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        digest = self.path.startswith("/digest/")
        if not (self._digest_ok() if digest else self._basic_ok()):
            self.send_response(401)
            challenge = f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", algorithm=MD5' if digest else "Basic"
            self.send_header("WWW-Authenticate", challenge)
            self.end_headers()
            self.wfile.write(b"who are you?\n")
            return
        self.accepted.append(self.command)
        self.send_response(204)
        self.end_headers()

    do_PUT = do_POST = _answer

    def _basic_ok(self) -> bool:
        return self.headers.get("Authorization") == "Basic " + base64.b64encode(b"me:s3cret").decode()

    def _digest_ok(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Digest "):
            return False
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header[len("Digest ") :]))
        ha1 = _md5(f"me:{REALM}:s3cret")
        ha2 = _md5(f"{self.command}:{fields.get('uri')}")
        expected = _md5(f"{ha1}:{NONCE}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
        return fields.get("username") == "me" and fields.get("uri") == self.path and fields.get("response") == expected

    def log_message(self, format: str, *args: object) -> None:
        pass


REALM, NONCE = "kg", "5ee0c1d2"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


@pytest.fixture
def guarded() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that wants credentials (Oxigraph's server has none)."""
    _Guarded.accepted = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Guarded)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.mark.parametrize("scheme", ["basic", "digest"])  # digest: as Virtuoso's -auth endpoints ask
def test_credentials_come_from_the_environment(
    guarded: str, example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], scheme: str
) -> None:
    endpoint = f"{guarded}/{scheme}/store"
    args = ["push", "--graph", str(example), "--endpoint", endpoint, "--user", "me", "--password-env", "KG_TEST_PW"]
    monkeypatch.delenv("KG_TEST_PW", raising=False)
    assert main(args) == 1 and "environment variable KG_TEST_PW" in capsys.readouterr().err
    monkeypatch.setenv("KG_TEST_PW", "wrong")
    assert main(args) == 1 and "HTTP 401" in capsys.readouterr().err
    assert main(args[:-4]) == 1 and "HTTP 401" in capsys.readouterr().err  # no --user: no credentials
    monkeypatch.setenv("KG_TEST_PW", "s3cret")
    assert main(args) == 0
    assert _Guarded.accepted == ["POST", "POST", "POST", "PUT", "POST"]  # 3 days, pairs (replaced), shared
    assert "s3cret" not in capsys.readouterr().out


# -- the fast path: the server's store loaded offline ---------------------------------------------


@pytest.mark.parametrize("loader", ["oxigraph", "pyoxigraph"])
def test_offline_load_is_served_with_the_same_answers(
    oxigraph: str, example: Path, tmp_path: Path, loader: str
) -> None:
    location = tmp_path / "store"
    for _ in range(2):  # loading again replaces: the same store
        args = ["push", "--graph", str(example), "--store-dir", str(location), "--replace", "--loader", loader]
        assert main(args) == 0
    with running_server(oxigraph, location) as server:
        assert server.nquads() == graph_quads(example)
        for name in ("coauthors", "papers-by-technique", "top-collaborations"):
            same_rows(server, example, name, {p.name: PARAMS[p.name] for p in named_query(name).params})


def test_offline_load_into_a_running_servers_store_is_refused(
    server: Server, example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = tmp_path / "store"  # the server fixture's store, locked while it runs
    assert main(["push", "--graph", str(example), "--store-dir", str(location)]) == 1
    assert "kg push:" in capsys.readouterr().err


def test_layouts_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown layout"):
        Layout(kind="weekly")
    with pytest.raises(EndpointError, match="not an http"):
        Endpoint.connect("localhost:7878/store")


# -- values inlined into query text: the same rows as Oxigraph's substitutions ----------------------

S = "PREFIX schema: <https://schema.org/>\n"


@pytest.mark.parametrize(
    "text",
    [
        S + "SELECT ?t ?author { ?p schema:author/schema:name ?author ; schema:name ?t }",  # the plain case
        S + "SELECT ?t ?author { ?p schema:name ?t OPTIONAL { ?p schema:author/schema:name ?author } }",  # OPTIONAL
        S + "SELECT ?t ?author { ?p schema:name ?t FILTER EXISTS { ?p schema:author/schema:name ?author } }",  # EXISTS
        S + "SELECT ?t ?author { { ?p schema:name ?t } UNION { BIND (STRLANG(?author, 'ko') AS ?k) ?p schema:name ?k }"
        " ?p schema:author/schema:name ?author }",  # a BIND in a UNION branch needs the value there
        S + "SELECT ?n ?author { { SELECT ?author (COUNT(?p) AS ?n) { ?p schema:author/schema:name ?author }"
        " GROUP BY ?author HAVING (COUNT(?p) >= 1) } }",  # a sub-SELECT: the row goes inside, not around it
        S + 'SELECT ?t ?author { VALUES ?x { "{" "}" } ?p schema:name ?t ; schema:author/schema:name ?author }',  # data
        S + "SELECT ?t ?author { # a comment with { and }\n ?p schema:name ?t ; schema:author/schema:name ?author }",
        # a long string holding braces:
        S + 'SELECT ?t ?author { ?p schema:name ?t ; schema:author/schema:name ?author FILTER (?t != """}{""") }',
        S + "SELECT ?t ?author { ?p schema:name ?t ; schema:author ?a . ?a schema:name ?author"
        " FILTER (?a != <http://x/#y>) }",  # a '#' in an IRI starts no comment
        S + "SELECT ?t $author { ?p schema:name ?t ; schema:author/schema:name $author }",  # $ variables
        S + "SELECT ?t ?author { ?p schema:name ?t ; schema:author/schema:name ?author"
        " MINUS { ?p schema:identifier '2412.01199' } }",  # MINUS: no row inside
    ],
)
def test_inlined_values_give_the_rows_of_substitutions(example: Path, text: str) -> None:
    engine = embedded(example)
    substituted = engine.run(text, {"author": PARAMS["author"]})
    inlined = engine.run(inline_values(text, {"author": PARAMS["author"]}), {})
    assert sorted(map(str, inlined.rows)) == sorted(map(str, substituted.rows)) and substituted.rows
