"""The one build pipeline, used by the CLI and by Python callers alike.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> result = run_build([], out)          # no inputs: the bundled example
>>> result.papers > 0, sorted(p.name for p in result.outputs)
(True, ['graph.html', 'graph.ttl'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.build import digest_dates, graph_from_papers, merge_papers
from kg.export import write_html, write_turtle
from kg.load import DEFAULT_MAX_BYTES, example_digests, load_digests
from kg.model import Digest, Problem
from kg.namespace import DEFAULT_BASE, check_base
from kg.network import to_networkx
from kg.vocabulary import Vocabulary


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
