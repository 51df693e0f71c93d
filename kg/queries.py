"""Named SPARQL queries shipped in ``kg/queries/*.rq``; values go in by binding, never by formatting.

>>> from kg.build import build_graph
>>> from kg.parse import parse_digest
>>> d = parse_digest('''## Daily Papers (2024-08-01)
... ### [MoMa](https://arxiv.org/abs/2407.21770)
... Authors: Mike Lewis
... - **What's New**: Mixture of Modality-Aware Experts(MoMa)를 제안합니다.
... ''', "d.md")
>>> [(str(r.id), str(r.via)) for r in run_query(build_graph([d]), "papers-by-technique", technique="MoE")]
[('2407.21770', 'Mixture of Modality-Aware Experts')]
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from rdflib import Graph, Literal
from rdflib.query import Result


def query_names() -> list[str]:
    """Names of the shipped queries."""
    folder = resources.files("kg").joinpath("queries")
    return sorted(e.name[:-3] for e in folder.iterdir() if e.name.endswith(".rq"))


@cache
def query_text(name: str) -> str:
    """The SPARQL text of a shipped query; ``KeyError`` names the ones that exist."""
    if name not in query_names():
        raise KeyError(f"no query named {name!r}; known: {', '.join(query_names())}")
    return resources.files("kg").joinpath(f"queries/{name}.rq").read_text(encoding="utf-8")


def run_query(graph: Graph, name: str, **params: str | int) -> Result:
    """Run a shipped query with ``params`` bound as literals (``technique="MoE"`` binds ``?technique``)."""
    bindings = {k: Literal(v) for k, v in params.items()}
    return graph.query(query_text(name), initBindings=bindings)
