"""The one build pipeline, used by the CLI and by Python callers alike.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> result = run_build([], out)          # no inputs: the bundled example
>>> result.papers > 0, sorted(p.name for p in result.outputs)
(True, ['graph.html', 'graph.ttl'])
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import RDF, Graph, URIRef

from kg.build import graph_from_papers
from kg.evaluate import GoldPaper, Score, found_techniques, parse_generic, parse_gold, score_papers
from kg.export import write_html, write_turtle
from kg.load import DEFAULT_MAX_BYTES, example_digests, load_digests, read_digest
from kg.mentions import Extractor
from kg.merge import digest_dates, merge_papers
from kg.model import Concept, Digest, Problem
from kg.namespace import DEFAULT_BASE, KG, SCHEMA, check_base
from kg.network import to_networkx
from kg.vocabulary import Vocabulary, bundled_vocabulary


@dataclass(frozen=True)
class BuildResult:
    """What a build made: the graph in both forms, the files written, and every problem found."""

    graph: Graph
    network: nx.DiGraph[str]
    digests: tuple[Digest, ...]
    problems: tuple[Problem, ...]
    outputs: tuple[Path, ...]

    @property
    def papers(self) -> int:
        return sum(1 for _, d in self.network.nodes(data=True) if d["kind"] == "paper")

    def count(self, kind: str) -> int:
        return sum(1 for _, d in self.network.nodes(data=True) if d["kind"] == kind)

    def count_type(self, cls: URIRef) -> int:
        return len(set(self.graph.subjects(RDF.type, cls)))

    def count_subjects(self, predicate: URIRef) -> int:
        return len(set(self.graph.subjects(predicate, None)))

    @property
    def with_technique(self) -> int:
        """Papers with at least one kg:Technique mention."""
        techniques = set(self.graph.subjects(RDF.type, KG.Technique))
        return len({p for p, c in self.graph.subject_objects(SCHEMA.mentions) if c in techniques})


def run_build(
    inputs: Sequence[Path | str],
    out_dir: Path | None = None,
    *,
    base: str = DEFAULT_BASE,
    html: bool = True,
    max_nodes: int = 1500,
    max_bytes: int = DEFAULT_MAX_BYTES,
    vocabulary: Vocabulary | None = None,
) -> BuildResult:
    """Read ``inputs`` (the bundled example when empty), build, and write into ``out_dir``.

    Outputs are written only when at least one paper was built, so a failed run never replaces
    a good ``graph.ttl``. ``out_dir=None`` builds in memory only.
    """
    check_base(base)
    digests = load_digests(inputs, max_bytes) if inputs else example_digests()
    merged, merge_problems = merge_papers(digests)
    graph = graph_from_papers(merged, digest_dates(digests), vocabulary=vocabulary, base=base)
    network = to_networkx(graph)
    problems = tuple(p for d in digests for p in d.problems) + tuple(merge_problems)
    outputs: list[Path] = []
    if out_dir is not None and merged:
        outputs.append(write_turtle(graph, out_dir / "graph.ttl", base))
        if html:
            title = f"papers-kg: {len(merged)} papers"
            outputs.append(write_html(graph, network, out_dir / "graph.html", title=title, max_nodes=max_nodes))
    return BuildResult(graph, network, tuple(digests), problems, tuple(outputs))


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
