"""papers-kg: knowledge graphs of AI research from daily paper digests.

>>> from kg import load_digests, build_graph, to_networkx
>>> import kg
>>> sorted(kg.__all__)[:3]
['BuildResult', 'Concept', 'Digest']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.build import build_graph
    from kg.load import InputError, example_digests, load_digests, read_digest
    from kg.mentions import Extractor
    from kg.merge import merge_papers
    from kg.model import Concept, Digest, Extraction, Mention, Paper, Problem, Section
    from kg.namespace import KG, SCHEMA, Minter
    from kg.network import coauthor_graph, to_networkx
    from kg.page import render_html
    from kg.parse import parse_digest
    from kg.pipeline import BuildResult, run_build
    from kg.turtle import serialize_turtle
    from kg.vocabulary import Vocabulary, bundled_vocabulary, parse_vocabulary

# Where each public name lives. They are imported on first use, so that `kg query` does not pay
# for the extractor, pyvis and IPython it never touches.
_HOMES = {
    "build_graph": "kg.build",
    "merge_papers": "kg.merge",
    "InputError": "kg.load",
    "example_digests": "kg.load",
    "load_digests": "kg.load",
    "read_digest": "kg.load",
    "Extractor": "kg.mentions",
    "Concept": "kg.model",
    "Digest": "kg.model",
    "Extraction": "kg.model",
    "Mention": "kg.model",
    "Paper": "kg.model",
    "Problem": "kg.model",
    "Section": "kg.model",
    "KG": "kg.namespace",
    "SCHEMA": "kg.namespace",
    "Minter": "kg.namespace",
    "coauthor_graph": "kg.network",
    "to_networkx": "kg.network",
    "render_html": "kg.page",
    "parse_digest": "kg.parse",
    "BuildResult": "kg.pipeline",
    "run_build": "kg.pipeline",
    "serialize_turtle": "kg.turtle",
    "Vocabulary": "kg.vocabulary",
    "bundled_vocabulary": "kg.vocabulary",
    "parse_vocabulary": "kg.vocabulary",
}


__all__ = [
    "KG",
    "SCHEMA",
    "BuildResult",
    "Concept",
    "Digest",
    "Extraction",
    "Extractor",
    "InputError",
    "Mention",
    "Minter",
    "Paper",
    "Problem",
    "Section",
    "Vocabulary",
    "build_graph",
    "bundled_vocabulary",
    "coauthor_graph",
    "example_digests",
    "load_digests",
    "merge_papers",
    "parse_digest",
    "parse_vocabulary",
    "read_digest",
    "render_html",
    "run_build",
    "serialize_turtle",
    "to_networkx",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
