"""Writing outputs (the output edge): every file is written to a temporary name and renamed.

A crash or Ctrl-C mid-write leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TextIO

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from kg.build import PREFIXES
from kg.emit import Terms
from kg.namespace import DEFAULT_BASE
from kg.network import TripleSource
from kg.turtle import TurtleTerms, format_block, serialize_turtle, subject_key, write_blocks


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str | Callable[[TextIO], None]) -> Path:
    """Write ``text`` (UTF-8; or what a writer function writes) to ``path`` through a temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            if isinstance(text, str):
                f.write(text)
            else:
                text(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def turtle_text(graph: Graph, base: str = DEFAULT_BASE) -> str:
    """The graph as our deterministic Turtle, with the contract's prefixes."""
    return serialize_turtle(graph, base=base, prefixes={p: str(ns) for p, ns in PREFIXES.items()})


def write_turtle(graph: Graph, path: Path, base: str = DEFAULT_BASE) -> Path:
    return write_atomic(path, turtle_text(graph, base))


Part = tuple[str | None, ...]  # ("graph", graph IRI, IRI to read from or None) or ("papers", graph IRI, ...)
PAPERS_PER_PART = 250


def store_blocks(store: ox.Store, base: str = DEFAULT_BASE) -> Iterator[str]:
    """The Turtle blocks of a built store, one per subject, in natural IRI order.

    Each part is read from its named graph (see ``kg.emit``), so that only one part at a time, or
    one paper, is held in memory: the order of the parts' IRIs (``collaboration/`` < ``concept/`` <
    ``cooccurrence/`` < ``digest/`` < ``paper/`` < ``person/``) is the order of the whole.
    """
    terms = _turtle_terms(base)
    for part in export_parts(store, base):
        yield from _part_blocks(store, terms, base, part)


def export_parts(store: ox.Store, base: str = DEFAULT_BASE) -> list[Part]:
    """The parts of the Turtle, in order: each graph but the papers', and the papers a few hundred at a time."""
    graphs = Terms(base)
    parts: list[Part] = [
        ("graph", g.value, g.value) for g in (graphs.collaborations, graphs.concepts, graphs.cooccurrences)
    ]
    parts.append(("graph", graphs.digests.value, None))  # with hasPart from the paper graphs
    prefix = len(graphs.paper_graph_prefix)
    papers = [g.value for g in store.named_graphs() if g.value.startswith(graphs.paper_graph_prefix)]
    papers.sort(key=lambda g: subject_key(ox.NamedNode(f"{base}paper/{g[prefix:]}")))
    parts += [("papers", *papers[i : i + PAPERS_PER_PART]) for i in range(0, len(papers), PAPERS_PER_PART)]
    parts.append(("graph", graphs.people.value, graphs.people.value))
    return parts


def _turtle_terms(base: str) -> TurtleTerms:
    return TurtleTerms(base, {p: str(ns) for p, ns in PREFIXES.items()})


def _part_blocks(store: ox.Store, terms: TurtleTerms, base: str, part: Part) -> Iterator[str]:
    kind, *names = part
    if kind == "graph":
        graph, read_from = names
        assert graph is not None
        yield from _large_graph_blocks(
            store, terms, ox.NamedNode(graph), None if read_from is None else ox.NamedNode(read_from)
        )
        return
    prefix = len(Terms(base).paper_graph_prefix)
    for name in names:
        assert name is not None
        paper = f"{base}paper/{name[prefix:]}"
        by_subject: dict[Any, list[tuple[object, object]]] = defaultdict(list)
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            subject = q.subject
            if subject.value.startswith(paper):  # type: ignore[union-attr]  # no triple terms here
                by_subject[subject].append((q.predicate, q.object))
        for subject in sorted(by_subject, key=subject_key):
            yield format_block(terms, subject, by_subject[subject])


def parallel_blocks(store: ox.Store, base: str, workers: int, early: EarlyPapers | None = None) -> Iterator[str]:
    """``store_blocks`` formatted by ``workers`` forked processes, a part each at a time, and given
    back in order, a part's blocks as one text. Only for a store in memory: the workers read their
    copy of it. The paper parts that ``early`` began are taken from it."""
    parts = export_parts(store, base)
    begun = early.texts if early is not None else {}
    with _forked_pool(workers, store, base) as pool:
        late = {part: pool.submit(_part_text, part) for part in parts if part not in begun}
        for part in parts:
            text = (begun.get(part) or late[part]).result()
            if text:
                yield text


class EarlyPapers:
    """The papers' parts of the Turtle, begun in forked workers as soon as the papers are stored.

    A paper's part is its own graph (``kg.emit``), final once the paper is written, while the rest
    (people, concepts, pairs and their ranks) is still being counted: the papers are formatted
    beside that counting instead of after it. ``start`` begins (a build calls it when the papers are
    in), ``parallel_blocks`` takes the texts, ``close`` ends the workers.
    """

    def __init__(self, store: ox.Store, base: str, workers: int, min_papers: int) -> None:
        self.store, self.base, self.workers, self.min_papers = store, base, workers, min_papers
        self.texts: dict[Part, Future[str]] = {}
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        parts = [part for part in export_parts(self.store, self.base) if part[0] == "papers"]
        if self._pool is not None or sum(len(part) - 1 for part in parts) < self.min_papers:
            return  # begun already, or too few papers to be worth the workers
        self._pool = _forked_pool(self.workers, self.store, self.base)
        self.texts = {part: self._pool.submit(_part_text, part) for part in parts}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _forked_pool(workers: int, store: ox.Store, base: str) -> ProcessPoolExecutor:
    """Workers forked with their copy of ``store`` (fork passes it without pickling)."""
    fork = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(workers, mp_context=fork, initializer=_begin_export, initargs=(store, base))


_EXPORTING: tuple[ox.Store, str, TurtleTerms] | None = None  # in an export worker: what it reads
# The Turtle's workers run at a lower priority: the build (which the page waits for) and the page
# writer go first, the workers take what CPU is left. A build with its page ends when the page
# does, so this shortens it (corpus, 2 cores: 11.6 -> 10.8 s); the Turtle's bytes do not change.
EXPORT_NICENESS = 10


def _begin_export(store: ox.Store, base: str) -> None:
    global _EXPORTING
    os.nice(EXPORT_NICENESS)
    gc.disable()  # a worker lives for one export and makes text, no cycles: see ``paused_gc``
    _EXPORTING = (store, base, _turtle_terms(base))  # one writer per worker: its caches serve every part


def _part_text(part: Part) -> str:
    assert _EXPORTING is not None
    store, base, terms = _EXPORTING
    return "\n".join(_part_blocks(store, terms, base, part))


def _large_graph_blocks(
    store: ox.Store, terms: TurtleTerms, graph: ox.NamedNode, read_from: ox.NamedNode | None
) -> Iterator[str]:
    """The blocks of one part, sorted. The part is read in one pass and held as text, which is far
    smaller than the quads. Its quads mostly come grouped by subject; a subject met again (the
    in-memory store keeps quads written later apart, such as a rank) is read again whole."""
    blocks: dict[Any, str] = {}
    subject: Any = None
    pairs: list[tuple[Any, Any]] = []

    def close() -> None:
        if subject in blocks:
            pairs[:] = [(q.predicate, q.object) for q in store.quads_for_pattern(subject, None, None, graph)]
        blocks[subject] = _block(store, terms, subject, pairs, graph, read_from)

    for q in store.quads_for_pattern(None, None, None, graph):
        if q.subject != subject:
            if subject is not None:
                close()
            subject, pairs = q.subject, []
        pairs.append((q.predicate, q.object))
    if subject is not None:
        close()
    for key in sorted(blocks, key=subject_key):
        yield blocks[key]


def _block(
    store: ox.Store,
    terms: TurtleTerms,
    subject: Any,
    pairs: list[tuple[Any, Any]],
    graph: ox.NamedNode,
    read_from: ox.NamedNode | None,
) -> str:
    if read_from is None:  # a digest: its hasPart triples live in the paper graphs
        pairs += [
            (q.predicate, q.object) for q in store.quads_for_pattern(subject, None, None) if q.graph_name != graph
        ]
    return format_block(terms, subject, pairs)


def write_store_turtle(
    store: ox.Store, path: Path, base: str = DEFAULT_BASE, *, workers: int = 1, early: EarlyPapers | None = None
) -> Path:
    """The built graph in ``store`` as sorted Turtle at ``path`` (atomically; streamed, not held whole).
    ``workers`` > 1 formats it in that many processes: only for a store in memory (``early``: with
    the paper parts begun already)."""
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    blocks = parallel_blocks(store, base, workers, early) if workers > 1 else store_blocks(store, base)
    return write_atomic(path, lambda out: write_blocks(out, blocks, base, prefixes))


def write_html(graph: TripleSource, network: nx.DiGraph[str], path: Path, *, title: str, max_nodes: int) -> Path:
    from kg.page import render_html  # pyvis takes 0.3 s to import: only when a page is written

    with paused_gc():
        return write_atomic(path, render_html(graph, network, title=title, max_nodes=max_nodes))


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector paused while an output is made, and restored after.

    The collector runs every few hundred new objects and now and then walks every object alive,
    the large graph included, again and again: a fifth of the page's time on the corpus. What the
    writers make (text, lists, dicts) holds no cycles, so nothing waits for it to be freed.

    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
