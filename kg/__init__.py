"""papers-kg: knowledge graphs of AI research from daily paper digests.

>>> from kg import load_digests, build_graph, to_networkx
>>> import kg
>>> sorted(kg.__all__)[:3]
['BuildResult', 'Concept', 'Digest']
"""

from kg.build import build_graph, merge_papers
from kg.load import InputError, example_digests, load_digests, read_digest
from kg.mentions import Extractor
from kg.model import Concept, Digest, Extraction, Mention, Paper, Problem, Section
from kg.namespace import KG, SCHEMA, Minter
from kg.network import coauthor_graph, to_networkx
from kg.page import render_html
from kg.parse import parse_digest
from kg.pipeline import BuildResult, run_build
from kg.turtle import serialize_turtle
from kg.vocabulary import Vocabulary, bundled_vocabulary, parse_vocabulary

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
