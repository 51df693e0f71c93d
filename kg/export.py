"""Writing outputs (the output edge): every file is written to a temporary name and renamed.

A crash or Ctrl-C mid-write leaves the previous file intact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.build import PREFIXES
from kg.namespace import DEFAULT_BASE
from kg.page import render_html
from kg.turtle import serialize_turtle


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
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


def write_html(graph: Graph, network: nx.DiGraph[str], path: Path, *, title: str, max_nodes: int) -> Path:
    return write_atomic(path, render_html(graph, network, title=title, max_nodes=max_nodes))
