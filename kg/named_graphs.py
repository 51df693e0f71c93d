"""A built graph split into named graphs for a triple store, and the offline load of an Oxigraph store.

The ``day`` layout puts every triple in exactly one named graph (IRIs under ``BASE published/``):

- ``published/day/2024-12-04``: that day's digest node, and every paper first listed that day with
  everything under its IRI (author order, sections, mention evidence);
- ``published/pairs``: the ``kg:Collaboration`` and ``kg:Cooccurrence`` nodes, whose counts change
  every day; ``kg push`` always replaces this graph, even when it merges the others;
- ``published/shared``: everything else (people, concepts, the concept scheme), the nodes many
  days point at.

The ``single`` layout puts everything in ``published/all`` (or a graph the user names). As no
triple is in two graphs, a store whose default graph is the union of its named graphs answers
every query as the graph file does (Oxigraph's union default graph does not drop a triple found in
two graphs, so that matters).

>>> store = ox.Store()
>>> store.bulk_load(input=b'''@prefix s: <https://schema.org/> .
... @prefix kg: <https://w3id.org/papers-kg/ontology#> .
... <http://x/digest/2024-08-01> a kg:Digest ; s:datePublished "2024-08-01" ; s:hasPart <http://x/paper/1> .
... <http://x/paper/1> s:author <http://x/person/A> . <http://x/paper/1/author/1> s:position 1 .
... <http://x/person/A> s:name "A" .''', format=ox.RdfFormat.TURTLE)
>>> dataset = split_graph(store, Layout("http://x/"))
>>> [(g.iri, g.triples) for g in dataset.graphs]
[('http://x/published/day/2024-08-01', 5), ('http://x/published/shared', 1)]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespace import DEFAULT_BASE, KG, SCHEMA
from kg.store import load_store

LAYOUTS = ("day", "single")
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DIGEST = ox.NamedNode(str(KG.Digest))
_PUBLISHED = ox.NamedNode(str(SCHEMA.datePublished))
_HAS_PART = ox.NamedNode(str(SCHEMA.hasPart))
_PAIR_CLASSES = (ox.NamedNode(str(KG.Collaboration)), ox.NamedNode(str(KG.Cooccurrence)))
_DIGEST_IRI = re.compile(r"^(.*)digest/\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Layout:
    """How a graph is split: ``day`` (a graph per digest day, plus shared and pairs) or ``single``."""

    base: str = DEFAULT_BASE
    kind: str = "day"
    single: str | None = None  # the graph IRI of the single layout (default: BASE published/all)

    def __post_init__(self) -> None:
        if self.kind not in LAYOUTS:
            raise ValueError(f"unknown layout {self.kind!r}; choose from {', '.join(LAYOUTS)}")

    def day(self, date: str) -> ox.NamedNode:
        """The graph of a digest day (percent-encoded: a graph not built by us may hold any text there)."""
        return ox.NamedNode(f"{self.base}published/day/{quote(date, safe='')}")

    @property
    def shared(self) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}published/shared")

    @property
    def pairs(self) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}published/pairs")

    @property
    def all(self) -> ox.NamedNode:
        return ox.NamedNode(self.single or f"{self.base}published/all")

    def always_replaced(self, graph: ox.NamedNode) -> bool:
        """The pairs graph is replaced even by a merging push: its counts are of the graph pushed."""
        return self.kind == "day" and graph == self.pairs


@dataclass(frozen=True)
class NamedGraph:
    iri: str
    ntriples: bytes  # its triples as N-Triples, one a line

    @property
    def triples(self) -> int:
        return self.ntriples.count(b"\n")

    @property
    def term(self) -> ox.NamedNode:
        return ox.NamedNode(self.iri)


@dataclass(frozen=True)
class Dataset:
    """The graph's triples split into named graphs, sorted by IRI."""

    graphs: tuple[NamedGraph, ...]
    layout: Layout
    blank_nodes: bool = False  # a graph with blank nodes is never cut into pieces

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    def nquads(self) -> bytes:
        """The whole dataset as N-Quads (N-Triples lines end in `` .``; no literal holds a raw newline)."""
        return b"".join(g.ntriples.replace(b" .\n", f" <{g.iri}> .\n".encode()) for g in self.graphs)


def detect_base(store: ox.Store) -> str:
    """The base of the data IRIs, read off a digest IRI (``BASE digest/2024-08-01``)."""
    for quad in store.quads_for_pattern(None, _TYPE, _DIGEST):
        m = _DIGEST_IRI.match(str(quad.subject)[1:-1])
        if m:
            return m.group(1)
    return DEFAULT_BASE


def read_dataset(path: Path, kind: str = "day", single: str | None = None) -> Dataset:
    """The graph file ``path`` split by the layout ``kind`` (graph IRIs under the data's own base)."""
    store = load_store(path)
    return split_graph(store, Layout(detect_base(store), kind, single))


def split_graph(store: ox.Store, layout: Layout) -> Dataset:
    """The default graph of ``store`` in the named graphs of ``layout``.

    Works on N-Triples lines (each starts with its subject): three times faster than making quads.
    """
    lines = (store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b"").splitlines(keepends=True)
    if layout.kind == "single":
        return Dataset((NamedGraph(layout.all.value, b"".join(lines)),) if lines else (), layout)
    owners = _owners(store, layout)
    cache: dict[bytes, str] = {}
    groups: dict[str, list[bytes]] = {}
    for line in lines:
        subject = line[: line.index(b" ")]
        graph = cache.get(subject)
        if graph is None:
            graph = cache[subject] = _owner_graph(subject, owners) or layout.shared.value
        groups.setdefault(graph, []).append(line)
    graphs = tuple(NamedGraph(iri, b"".join(groups[iri])) for iri in sorted(groups))
    return Dataset(graphs, layout, any(subject.startswith(b"_:") for subject in cache))


def _owners(store: ox.Store, layout: Layout) -> dict[bytes, str]:
    """Digest, paper and pair nodes (as N-Triples terms) with the graph each goes in."""
    dates: dict[bytes, str] = {}
    for quad in store.quads_for_pattern(None, _TYPE, _DIGEST):
        for published in store.quads_for_pattern(quad.subject, _PUBLISHED, None):
            dates[_term(quad.subject)] = str(getattr(published.object, "value", ""))
    owners = {digest: layout.day(date).value for digest, date in dates.items()}
    first: dict[bytes, str] = {}
    for quad in store.quads_for_pattern(None, _HAS_PART, None):
        date = dates.get(_term(quad.subject))
        paper = _term(quad.object)
        if date is not None and (paper not in first or date < first[paper]):
            first[paper] = date
    owners.update((paper, layout.day(date).value) for paper, date in first.items())
    for cls in _PAIR_CLASSES:
        owners.update((_term(q.subject), layout.pairs.value) for q in store.quads_for_pattern(None, _TYPE, cls))
    return owners


def _term(term: object) -> bytes:
    return str(term).encode()


def _owner_graph(term: bytes, owners: dict[bytes, str]) -> str | None:
    """The graph of the node itself, or of the nearest node whose IRI its IRI extends by ``/...``.

    >>> _owner_graph(b"<http://x/paper/1/mention/title/0-3>", {b"<http://x/paper/1>": "http://g"})
    'http://g'
    """
    head = term
    while True:
        found = owners.get(head)
        if found is not None or not head.startswith(b"<"):
            return found
        cut = head.rfind(b"/", 0, len(head) - 1)
        if cut <= len("<http://"):
            return None
        head = head[:cut] + b">"


def ntriples_chunks(graph: NamedGraph, chunk_bytes: int, *, whole: bool = False) -> Iterator[bytes]:
    """The triples of one graph as N-Triples, in pieces of about ``chunk_bytes`` cut at line ends.

    >>> lines = b"".join(b"<http://x/%d> <http://p> \\"v\\" .\\n" % i for i in range(3))
    >>> [c.count(b"\\n") for c in ntriples_chunks(NamedGraph("http://g", lines), 40)]
    [1, 1, 1]
    """
    data = graph.ntriples
    if whole:  # blank nodes are scoped to one document: send such a graph whole
        yield data
        return
    start = 0
    while start < len(data):
        end = data.rfind(b"\n", start, start + chunk_bytes) + 1
        if end <= start:  # one line longer than a chunk
            end = data.index(b"\n", start) + 1
        yield data[start:end]
        start = end


# -- the fast path: an Oxigraph server's on-disk store, loaded offline ---------------------------------


@dataclass(frozen=True)
class OfflineLoad:
    location: Path
    loader: str  # "oxigraph load (VERSION)" or "pyoxigraph VERSION"
    replaced: tuple[ox.NamedNode, ...]  # graphs cleared before loading


def oxigraph_command() -> str | None:
    """The ``oxigraph`` command (``pip install oxigraph``): on PATH or beside this Python."""
    beside = Path(sys.executable).parent / "oxigraph"
    return shutil.which("oxigraph") or (str(beside) if beside.is_file() else None)


def load_offline(dataset: Dataset, location: Path, *, replace: bool, command: str | None = None) -> OfflineLoad:
    """Write ``dataset`` into the on-disk Oxigraph store at ``location`` for ``oxigraph serve --location``.

    The server must be stopped (it locks the store while it runs). With ``replace`` the graphs
    pushed are cleared first; otherwise they are merged into (the pairs graph is still replaced).
    ``command`` is the ``oxigraph`` command, which loads with ``oxigraph load``; without it,
    pyoxigraph's bulk loader writes the store (the same on-disk format within Oxigraph 0.5).
    """
    location.mkdir(parents=True, exist_ok=True)
    cleared = tuple(g.term for g in dataset.graphs if replace or dataset.layout.always_replaced(g.term))
    store = ox.Store(str(location))
    for graph in cleared:
        store.remove_graph(graph)
    if command is None:
        store.bulk_load(dataset.nquads(), format=ox.RdfFormat.N_QUADS)
        store.flush()
        return OfflineLoad(location, f"pyoxigraph {ox.__version__}", cleared)
    store.flush()
    del store  # the command opens the store itself: release its lock
    with tempfile.TemporaryDirectory(prefix="kg-push-") as tmp:
        files = _write_parts(dataset.nquads(), Path(tmp), os.cpu_count() or 1)  # loaded in parallel
        _run([command, "load", "--location", str(location), "--file", *map(str, files)])
    return OfflineLoad(location, f"oxigraph load ({_run([command, '--version'])})", cleared)


def _write_parts(data: bytes, folder: Path, parts: int) -> list[Path]:
    """``data`` (lines) in about ``parts`` files of similar size, cut at line ends."""
    files: list[Path] = []
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + max(1, len(data) // parts)) + 1 or len(data)
        files.append(folder / f"part{len(files)}.nq")
        files[-1].write_bytes(data[start:end])
        start = end
    return files


def _run(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "RUST_BACKTRACE": "0"})
    if done.returncode != 0:
        message = (done.stderr.strip() or done.stdout.strip() or "no message").splitlines()[0]
        raise OSError(f"{' '.join(args[:2])} failed (exit {done.returncode}): {message}")
    return done.stdout.strip()
