"""A built graph in a SPARQL 1.1 store over HTTP: push it (Graph Store Protocol), query it (SPARQL
Protocol). The standard library's ``urllib`` only; this module is the I/O edge.

``push`` sends each named graph of a ``kg.named_graphs.Dataset`` to the store's Graph Store
endpoint (``PUT`` replaces a graph, ``POST`` merges into it), in N-Triples pieces of a few MB, so
neither side holds a large request in memory. ``select_json`` posts a SELECT to a query endpoint
and returns the SPARQL JSON results. Errors are ``EndpointError`` with the URL and what went
wrong: ``cannot reach URL: ...``, or the HTTP status and the first line of the answer's body.

Credentials: ``Endpoint.connect(url, user, password_env)`` reads the password from the environment
variable ``password_env``, never from the command line. It is sent as HTTP basic authentication
(up front), and HTTP digest authentication is answered when the server asks for it (Virtuoso's
``-auth`` endpoints do).

>>> Endpoint.connect("http://localhost:7878/store").with_graph("http://x/g 1")
'http://localhost:7878/store?graph=http%3A%2F%2Fx%2Fg+1'
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path
from typing import Any

from kg.named_graphs import Dataset, load_offline, ntriples_chunks, oxigraph_command, read_dataset
from kg.queries import EndpointEngine, Table, named_query, parse_query, select

DEFAULT_PASSWORD_ENV = "KG_ENDPOINT_PASSWORD"
CHUNK_BYTES = 8 * 1024 * 1024  # N-Triples per request: about 50,000 triples
TIMEOUT = 300.0  # seconds a request may take
_NTRIPLES = "application/n-triples"
_RESULTS = "application/sparql-results+json"


class EndpointError(OSError):
    """The store cannot be reached, refused a request, or answered something unreadable."""


@dataclass(frozen=True)
class Endpoint:
    """An HTTP endpoint of a triple store, with the opener that carries its credentials."""

    url: str
    user: str | None = None
    opener: urllib.request.OpenerDirector = field(default_factory=urllib.request.build_opener, compare=False)

    @classmethod
    def connect(cls, url: str, user: str | None = None, password_env: str = DEFAULT_PASSWORD_ENV) -> Endpoint:
        """An endpoint; with ``user``, the password is read from the environment variable ``password_env``."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(f"not an http(s) URL: {url!r}")
        if user is None:
            return cls(url)
        password = os.environ.get(password_env)
        if password is None:
            raise EndpointError(f"--user {user} needs the password in the environment variable {password_env}")
        basic = urllib.request.HTTPPasswordMgrWithPriorAuth()
        basic.add_password(None, url, user, password, is_authenticated=True)
        digest = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        digest.add_password(None, url, user, password)
        opener = urllib.request.build_opener(
            urllib.request.HTTPDigestAuthHandler(digest), urllib.request.HTTPBasicAuthHandler(basic)
        )
        return cls(url, user, opener)

    def with_graph(self, graph: str) -> str:
        """The Graph Store URL of one named graph (indirect identification: ``?graph=IRI``)."""
        return self.url + ("&" if "?" in self.url else "?") + urllib.parse.urlencode({"graph": graph})

    def send(self, method: str, url: str, body: bytes, headers: Mapping[str, str]) -> bytes:
        """One request; the answer's body, or ``EndpointError``."""
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
        try:
            with self.opener.open(request, timeout=TIMEOUT) as answer:
                data: bytes = answer.read()
                return data
        except urllib.error.HTTPError as err:
            raise EndpointError(f"{method} {url}: HTTP {err.code} {err.reason}: {_first_line(err.read())}") from None
        except (urllib.error.URLError, HTTPException, OSError) as err:
            reason = getattr(err, "reason", err)
            raise EndpointError(f"cannot reach {self.url}: {reason}") from None


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:300] if text else "(empty body)"


# -- push ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pushed:
    """What a push sent: each graph with its triples, requests made, seconds taken."""

    target: str
    replace: bool
    graphs: tuple[tuple[str, int], ...]
    requests: int
    seconds: float

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


def push(
    dataset: Dataset,
    endpoint: Endpoint,
    *,
    replace: bool,
    chunk_bytes: int = CHUNK_BYTES,
    progress: Callable[[str, int], None] | None = None,
) -> Pushed:
    """Send every named graph of ``dataset`` to the Graph Store endpoint.

    A graph is replaced (its first piece by ``PUT``) when ``replace`` is set or the layout always
    replaces it (the pairs graph); otherwise every piece is merged in by ``POST``. Pushing the
    same dataset again leaves the store as it was.
    """
    started = time.perf_counter()
    requests = 0
    for graph in dataset.graphs:
        url = endpoint.with_graph(graph.iri)
        first_method = "PUT" if replace or dataset.layout.always_replaced(graph.term) else "POST"
        for n, chunk in enumerate(ntriples_chunks(graph, chunk_bytes, whole=dataset.blank_nodes)):
            endpoint.send(first_method if n == 0 else "POST", url, chunk, {"Content-Type": _NTRIPLES})
            requests += 1
        if progress is not None:
            progress(graph.iri, graph.triples)
    seconds = time.perf_counter() - started
    return Pushed(endpoint.url, replace, tuple((g.iri, g.triples) for g in dataset.graphs), requests, seconds)


def push_graph_file(
    graph: Path,
    *,
    endpoint: str | None = None,
    store_dir: Path | None = None,
    layout: str = "day",
    single_graph: str | None = None,
    replace: bool = False,
    user: str | None = None,
    password_env: str = DEFAULT_PASSWORD_ENV,
    chunk_bytes: int = CHUNK_BYTES,
    loader: str = "auto",
) -> str:
    """``kg push``: the graph file into a store over HTTP, or into an Oxigraph store folder offline.

    Returns the summary the command prints.
    """
    if (endpoint is None) == (store_dir is None):
        raise EndpointError("give --endpoint URL (a Graph Store endpoint) or --store-dir DIR, not both")
    target = Endpoint.connect(endpoint, user, password_env) if endpoint else None
    dataset = read_dataset(graph, layout, single_graph)
    kinds = _describe(dataset)
    mode = "replaced" if replace else "merged (pairs replaced)" if layout == "day" else "merged"
    if target is not None:
        done = push(dataset, target, replace=replace, chunk_bytes=chunk_bytes)
        return (
            f"Pushed {done.triples:,} triples in {len(done.graphs)} named graphs ({kinds}) to {target.url}: "
            f"{mode}; {done.requests} requests in {done.seconds:.1f} s."
        )
    assert store_dir is not None
    command = oxigraph_command() if loader in ("auto", "oxigraph") else None
    if loader == "oxigraph" and command is None:
        raise EndpointError("--loader oxigraph needs the oxigraph command (pip install oxigraph)")
    started = time.perf_counter()
    loaded = load_offline(dataset, store_dir, replace=replace, command=command)
    return (
        f"Loaded {dataset.triples:,} triples in {len(dataset.graphs)} named graphs ({kinds}) into {store_dir} "
        f"with {loaded.loader}: {mode}; {time.perf_counter() - started:.1f} s. "
        f"Serve it with: oxigraph serve --location {store_dir} --union-default-graph"
    )


def _describe(dataset: Dataset) -> str:
    days = sum("/published/day/" in g.iri for g in dataset.graphs)
    others = [g.iri.rsplit("/", 1)[-1] for g in dataset.graphs if "/published/day/" not in g.iri]
    return ", ".join(([f"{days} days"] if days else []) + others)


# -- query -----------------------------------------------------------------------------------------


def select_json(endpoint: Endpoint, text: str, default_graphs: Sequence[str] = ()) -> dict[str, Any]:
    """POST a SELECT to a SPARQL query endpoint; the SPARQL 1.1 JSON results."""
    form = [("query", text)] + [("default-graph-uri", g) for g in default_graphs]
    body = urllib.parse.urlencode(form).encode("utf-8")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": _RESULTS}
    answer = endpoint.send("POST", endpoint.url, body, headers)
    try:
        results: dict[str, Any] = json.loads(answer)
    except ValueError:
        raise EndpointError(f"{endpoint.url} did not answer with SPARQL JSON results: {_first_line(answer)}") from None
    if "results" not in results:
        raise EndpointError(f"{endpoint.url}: only SELECT queries are supported")
    return results


def query_endpoint(
    url: str,
    name: str | None = None,
    *,
    text: str | None = None,
    params: Mapping[str, str] | None = None,
    default_graphs: Sequence[str] = (),
    user: str | None = None,
    password_env: str = DEFAULT_PASSWORD_ENV,
    limit: int | None = None,
) -> Table:
    """``kg query --endpoint``: a shipped query by ``name``, or the user's own ``text``, at a query endpoint."""
    query = named_query(name) if name else parse_query(text or "", "query")
    engine = EndpointEngine(Endpoint.connect(url, user, password_env), tuple(default_graphs))
    return select(engine, query, params or {}, limit)
