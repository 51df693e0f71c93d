"""The one build pipeline, used by the CLI and by Python callers alike.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> result = run_build([], out)          # no inputs: the bundled example
>>> result.papers > 0, sorted(p.name for p in result.outputs)
(True, ['graph.html', 'graph.ttl'])
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import multiprocessing
import shutil
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from importlib import resources
from multiprocessing.process import BaseProcess
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from kg.atomic import (
    SCRATCH_PREFIX,
    begin_store_update,
    commit_store_update,
    discard,
    folder_lock,
    hold_lock,
    remove_leftovers,
    store_lock,
)
from kg.build import store_graph
from kg.counting import count, count_in_graph, count_subjects_with, count_typed
from kg.emit import Terms
from kg.evaluate import GoldPaper, Score, found_techniques, parse_generic, parse_gold, score_papers
from kg.export import EarlyPapers, paused_gc, write_html, write_store_turtle
from kg.forked import InOrder
from kg.load import DEFAULT_MAX_BYTES, InputFile, digest_from_bytes, example_digests, find_inputs, read_digest
from kg.mentions import Extractor
from kg.model import Concept, Problem
from kg.namespace import DEFAULT_BASE, KG, SCHEMA, check_base
from kg.network import to_networkx
from kg.store import OxigraphTriples
from kg.update import PAPERS_PER_WRITE, PARALLEL_FROM, Added, Source, add_sources, recount_pairs
from kg.vocabulary import Vocabulary, bundled_vocabulary


@dataclass(frozen=True)
class BuildResult:
    """What a build made: the graph (in an Oxigraph store; ``graph`` gives it as an rdflib ``Graph``),
    the files written, and every problem found."""

    store: ox.Store
    base: str
    files: tuple[str, ...]  # the input files read
    problems: tuple[Problem, ...]
    outputs: tuple[Path, ...]
    added: Added
    stored: Path | None = None  # the store folder of an update

    @cached_property
    def graph(self) -> Graph:
        """The built graph as an rdflib ``Graph`` (made on first use; for the corpus it takes seconds)."""
        return store_graph(self.store, self.base)

    @cached_property
    def network(self) -> nx.DiGraph[str]:
        return to_networkx(OxigraphTriples(self.store))

    @property
    def triples(self) -> int:
        return len(self.store) - count_in_graph(self.store, Terms(self.base).state)

    @property
    def papers(self) -> int:
        return self.count_type(SCHEMA.ScholarlyArticle)

    def count(self, kind: str) -> int:
        return sum(1 for _, d in self.network.nodes(data=True) if d["kind"] == kind)

    def count_type(self, cls: URIRef) -> int:
        return count_typed(self.store, _ox(cls))

    def concept_counts(self) -> dict[str, int]:
        """Concepts per kind; ``discoveredconcept``: discovered concepts of no known kind."""
        kinds = {
            "technique": KG.Technique,
            "model": KG.Model,
            "dataset": KG.Dataset,
            "metric": KG.Metric,
            "task": KG.Task,
        }
        counts = {name: self.count_type(cls) for name, cls in kinds.items()}
        counts["discoveredconcept"] = count(self.store, "of-unknown-kind")
        return counts

    def count_subjects(self, predicate: URIRef) -> int:
        return count_subjects_with(self.store, _ox(predicate))

    @property
    def with_technique(self) -> int:
        """Papers with at least one kg:Technique mention."""
        return count(self.store, "with-technique")


def _ox(iri: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def find_sources(inputs: Sequence[Path | str]) -> list[InputFile]:
    """The files to read (folders searched); raises ``InputError`` for a path that does not exist."""
    return find_inputs(Path(p) for p in inputs)


def read_source(found: InputFile, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """One input file, parsed and fingerprinted (its key is its absolute path)."""
    path = found.path
    try:
        data = path.read_bytes() if path.stat().st_size <= max_bytes else None
    except OSError:
        data = None
    if data is None:  # too large or unreadable: read_digest says which, without reading it
        return Source(str(path.resolve()), read_digest(path, max_bytes, searched=found.searched), "")
    digest = digest_from_bytes(data, str(path), max_bytes, searched=found.searched)
    return Source(str(path.resolve()), digest, hashlib.sha256(data).hexdigest())


def read_sources(inputs: Sequence[Path | str], max_bytes: int = DEFAULT_MAX_BYTES) -> list[Source]:
    """Every input file (folders searched), parsed and fingerprinted; the bundled example when empty."""
    if not inputs:
        return [Source(d.source, d, _hash_text(d.source)) for d in example_digests()]
    return [read_source(found, max_bytes) for found in find_sources(inputs)]


def _hash_text(name: str) -> str:
    return hashlib.sha256(resources.files("kg").joinpath(name).read_bytes()).hexdigest()


BATCH_PAPERS = 4000  # a build reads, extracts and stores this many papers at a time, then the next
IN_MEMORY_BYTES = 12 * 1024 * 1024  # larger inputs are built in a store on disk (RAM: ~400 bytes a triple)
# In memory, papers are written 50 at a time, so that when the last is extracted little is left to
# write before the next stage (with 500, the corpus build waited about 0.2 s on the last write).
IN_MEMORY_PAPERS_PER_WRITE = 50


def _batches(files: list[InputFile] | None, max_bytes: int, batch: int, workers: int = 1) -> Iterator[list[Source]]:
    """The files (``None``: the bundled example) parsed a batch at a time, so that only one batch of
    papers is in memory."""
    if files is None:
        yield read_sources([])
        return
    current: list[Source] = []
    papers = 0
    for source in _read_in_order(files, max_bytes, workers):
        current.append(source)
        papers += len(source.digest.papers)
        if papers >= batch:
            yield current
            current, papers = [], 0
    if current:
        yield current


READ_PARALLEL_FROM = 32  # files: fewer are read in one process (starting workers would cost more)


def _read_in_order(files: list[InputFile], max_bytes: int, workers: int) -> Iterator[Source]:
    """``read_source`` of each file, in order. Many files are read by forked workers (``workers``;
    0: one per core), ``READ_CHUNK`` files a task and two tasks a worker ahead of the caller, so
    that only those wait in memory (the corpus's 0.5 s of parsing held up everything after it)."""
    workers = workers or multiprocessing.cpu_count() or 1
    if len(files) < READ_PARALLEL_FROM:
        workers = 1
    chunks = [files[start : start + READ_CHUNK] for start in range(0, len(files), READ_CHUNK)]
    with contextlib.closing(
        InOrder(partial(_read_chunk, max_bytes=max_bytes), chunks, workers=workers, ahead=workers * 2 + 1)
    ) as read:
        yield from read


READ_CHUNK = 8  # files a worker reads at a time


def _read_chunk(files: list[InputFile], max_bytes: int) -> list[Source]:
    return [read_source(found, max_bytes) for found in files]


def _input_bytes(files: list[InputFile] | None) -> int:
    total = 0
    for found in files or ():
        with contextlib.suppress(OSError):
            total += found.path.stat().st_size
    return total


def run_build(
    inputs: Sequence[Path | str],
    out_dir: Path | None = None,
    *,
    base: str = DEFAULT_BASE,
    html: bool = True,
    max_nodes: int = 1500,
    max_bytes: int = DEFAULT_MAX_BYTES,
    vocabulary: Vocabulary | None = None,
    store: Path | None = None,
    rebuild: bool = False,
    export: bool = True,
    workers: int = 0,
    batch: int = BATCH_PAPERS,
) -> BuildResult:
    """Read ``inputs`` (the bundled example when empty), build, and write into ``out_dir``.

    With ``store`` (a folder), the graph is kept there between runs and only inputs not yet in it
    are added (``kg build --update``); ``rebuild`` starts that store afresh. Outputs are written
    only when the graph has papers, so a failed run never replaces a good ``graph.ttl``.
    ``out_dir=None`` builds in memory only; ``export=False`` updates the store without writing files.
    Inputs are read ``batch`` papers at a time; a large build keeps its graph in a temporary store
    on disk in ``out_dir``, so that memory stays bounded.
    """
    check_base(base)
    files = find_sources(inputs) if inputs else None
    with contextlib.ExitStack() as held:
        if out_dir is not None:  # one build at a time writes here; what a killed one left goes
            held.enter_context(hold_lock(folder_lock(out_dir), out_dir, "kg build"))
            remove_leftovers(out_dir)
        if store is not None:
            held.enter_context(hold_lock(store_lock(store), store, "kg build --update"))
            work = begin_store_update(store, rebuild)
            try:
                read, problems, changed = _add_batches(
                    ox.Store(str(work)), files, max_bytes, batch, base, vocabulary, workers
                )
                commit_store_update(store, work)
            except BaseException:  # Ctrl-C or an error: the store stays as it was
                discard(work)
                raise
            db = ox.Store.read_only(str(store))  # read-only, so that the next update may open it
            return _export(db, base, read, problems, changed, out_dir, html, export, max_nodes, store)
        if out_dir is None or _input_bytes(files) <= IN_MEMORY_BYTES:
            # The build makes no reference cycles worth collecting, while a full pass of Python's
            # cycle collector walks every object it holds (four times on the corpus, 0.2 s) and,
            # after a fork, makes this process copy the pages its workers share: paused, restored on
            # return. (A build on disk keeps it: there it let 7% more memory wait to be freed.)
            held.enter_context(paused_gc())
            db = ox.Store()
            # In memory, the Turtle is formatted in forked workers that read their copy of the store;
            # those of the papers' parts begin as soon as the papers are in.
            forks = workers or multiprocessing.cpu_count() or 1
            early = None
            if out_dir is not None and export and forks > 1:
                early = _EarlyOutputs(db, base, forks, out_dir, html, max_nodes)
            try:
                read, problems, changed = _add_batches(
                    db, files, max_bytes, 2**62, base, vocabulary, workers, in_memory=True, early=early
                )
                return _export(db, base, read, problems, changed, out_dir, html, export, max_nodes, None, forks, early)
            finally:
                if early is not None:
                    early.close()
        scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=out_dir))
        try:
            read, problems, changed = _add_batches(
                ox.Store(str(scratch)), files, max_bytes, batch, base, vocabulary, workers
            )
            db = ox.Store.read_only(str(scratch))
            result = _export(db, base, read, problems, changed, out_dir, html, export, max_nodes, None)
        except BaseException:
            discard(scratch)
            raise
        weakref.finalize(result, shutil.rmtree, scratch, True)  # the temporary store goes with the result
        return result


def _add_batches(
    db: ox.Store,
    files: list[InputFile] | None,
    max_bytes: int,
    batch: int,
    base: str,
    vocabulary: Vocabulary | None,
    workers: int,
    *,
    in_memory: bool = False,
    early: _EarlyOutputs | None = None,
) -> tuple[list[str], list[Problem], Added]:
    """Add the input files to ``db`` ``batch`` papers at a time. A store on disk is flushed and
    closed at the end (pass it without keeping a reference); the caller reopens or moves it."""
    read: list[str] = []
    problems: list[Problem] = []
    changed = Added((), (), (), ())
    # When there are several batches, the pairs are counted once at the end rather than after each.
    batches = _batches(files, max_bytes, batch, workers)
    sources = next(batches, [])
    following = next(batches, None)
    several = following is not None
    new_store = next(iter(db.quads_for_pattern(None, _ox(RDF.type), _ox(SCHEMA.ScholarlyArticle), None)), None) is None
    # Bulk writes skip transactions on disk; in memory, plain writes are as fast (and text loads faster).
    bulk = new_store and not in_memory
    while sources:
        added = add_sources(
            db,
            sources,
            vocabulary=vocabulary,
            base=base,
            workers=workers,
            pairs=not several,
            bulk=bulk,
            papers_per_write=IN_MEMORY_PAPERS_PER_WRITE if in_memory else PAPERS_PER_WRITE,
            papers_stored=early.papers_stored if early is not None and not several else None,
            nodes_stored=early.nodes_stored if early is not None and not several else None,
        )
        skipped = set(added.skipped)
        for source in sources:
            read.append(source.digest.source)
            if source.key not in skipped:
                problems.extend(source.digest.problems)
        problems.extend(added.problems)
        changed = Added(*(a + b for a, b in zip(changed.__dict__.values(), added.__dict__.values(), strict=True)))
        sources, following = following or [], next(batches, None) if following is not None else None
    if several and changed.papers:
        recount_pairs(db, base, bulk=bulk)
    db.flush()
    del db  # the last reference to a store on disk: it closes here (an in-memory one lives on in the caller)
    return read, problems, changed


def _export(
    db: ox.Store,
    base: str,
    read: list[str],
    problems: list[Problem],
    changed: Added,
    out_dir: Path | None,
    html: bool,
    export: bool,
    max_nodes: int,
    store: Path | None,
    forks: int = 1,
    early: _EarlyOutputs | None = None,
) -> BuildResult:
    outputs: list[Path] = []
    papers = count_typed(db, _ox(SCHEMA.ScholarlyArticle))
    network = None
    if out_dir is not None and papers and export:
        page = out_dir / "graph.html"
        title = _page_title(papers)
        parallel = forks > 1 and papers >= PARALLEL_FROM
        begun = early is not None and early.page is not None
        # In memory, a forked process writes the page while the Turtle is written (each reads its copy).
        writer = _start_page_writer(db, page, title, max_nodes) if html and parallel and not begun else None
        turtle = write_store_turtle(
            db, out_dir / "graph.ttl", base, workers=forks if parallel else 1, early=early.turtle if early else None
        )
        outputs.append(turtle)
        if early is not None and early.page is not None:
            outputs.append(early.finish_page(page))
        elif writer is not None:
            _wait_for_page(writer, page)
            outputs.append(page)
        elif html:
            network = to_networkx(OxigraphTriples(db))
            outputs.append(write_html(OxigraphTriples(db), network, page, title=title, max_nodes=max_nodes))
    result = BuildResult(db, base, tuple(read), tuple(problems), tuple(outputs), changed, store)
    if network is not None:
        result.__dict__["network"] = network  # already computed: seed the cached property
    return result


def _page_title(papers: int) -> str:
    return f"papers-kg: {papers} papers"


class _EarlyOutputs:
    """Outputs begun in forked processes while a build in memory goes on: the papers' Turtle parts
    once the papers are stored (``EarlyPapers``), and the page once the papers, people, concepts and
    days are (the page shows no pair, rank or count, which are written last). The page is written
    to a temporary file, moved into place only when the Turtle is written too."""

    def __init__(self, db: ox.Store, base: str, forks: int, out_dir: Path, html: bool, max_nodes: int) -> None:
        self.db, self.html, self.max_nodes = db, html, max_nodes
        self.turtle = EarlyPapers(db, base, forks, PARALLEL_FROM)
        self.page: BaseProcess | None = None
        self.page_file = out_dir / ".graph.html.early.tmp"  # a leftover for remove_leftovers if killed

    def papers_stored(self) -> None:
        self.turtle.start()

    def nodes_stored(self) -> None:
        papers = count_typed(self.db, _ox(SCHEMA.ScholarlyArticle))
        if self.html and self.page is None and papers >= PARALLEL_FROM:
            self.page = _start_page_writer(self.db, self.page_file, _page_title(papers), self.max_nodes)

    def finish_page(self, page: Path) -> Path:
        """Wait for the page and move it into place."""
        assert self.page is not None
        _wait_for_page(self.page, page)
        self.page = None
        self.page_file.replace(page)
        return page

    def close(self) -> None:
        """End what is still running (after an error or Ctrl-C) and remove the unfinished page."""
        self.turtle.close()
        if self.page is not None:
            self.page.terminate()
            self.page.join()
            self.page = None
        self.page_file.unlink(missing_ok=True)


def _start_page_writer(db: ox.Store, page: Path, title: str, max_nodes: int) -> BaseProcess:
    writer = multiprocessing.get_context("fork").Process(target=_write_page, args=(db, page, title, max_nodes))
    writer.start()
    return writer


def _wait_for_page(writer: BaseProcess, page: Path) -> None:
    writer.join()
    if writer.exitcode != 0:
        raise RuntimeError(f"writing {page} failed (the page writer exited with {writer.exitcode})")


def _write_page(db: ox.Store, page: Path, title: str, max_nodes: int) -> None:
    gc.disable()  # a forked writer that ends with the page (see ``kg.export.paused_gc``)
    write_html(OxigraphTriples(db), to_networkx(OxigraphTriples(db)), page, title=title, max_nodes=max_nodes)


def run_eval(gold_dir: Path, corpus_dir: Path, *, vocabulary: Vocabulary | None = None) -> dict[str, Score]:
    """Score technique mentions on the gold papers, per split of ``selection.json`` and for ``all``.

    ``gold_dir`` holds ``selection.json`` (splits: lists of ``{"id", "file"}``), the annotations
    (every other ``*.json`` but ``generic.json``), and ``generic.json``; paper entries are read from
    the digest files under ``corpus_dir`` that the selection names. A split whose papers are not
    all annotated yet is left out.
    """
    selection = json.loads((gold_dir / "selection.json").read_text(encoding="utf-8"))
    splits = {k: v for k, v in selection.items() if isinstance(v, list)}
    generic_file = gold_dir / "generic.json"
    generic = parse_generic(generic_file.read_text(encoding="utf-8")) if generic_file.exists() else ()
    gold: dict[str, GoldPaper] = {}
    for path in sorted(gold_dir.glob("*.json")):
        if path.name not in ("selection.json", "generic.json"):
            gold.update(parse_gold(path.read_text(encoding="utf-8"), generic))
    vocabulary = vocabulary or bundled_vocabulary()
    extractor = Extractor(vocabulary)
    found: dict[str, list[Concept]] = {}
    for name in sorted({entry["file"] for entries in splits.values() for entry in entries}):
        for paper in read_digest(corpus_dir / name).papers:
            found[paper.arxiv_id] = found_techniques(extractor.extract(paper), vocabulary)
    scores: dict[str, Score] = {}
    everything: list[tuple[GoldPaper, list[Concept]]] = []
    for split, entries in splits.items():
        if not all(e["id"] in gold for e in entries):
            continue
        results = [(gold[e["id"]], found[e["id"]]) for e in entries]
        scores[split] = score_papers(results)
        everything.extend(results)
    scores["all"] = score_papers(everything)
    return scores
