"""The floor a build cannot go under: read the inputs, load the built graph into Oxigraph, write it.

    python bench/floor.py out/graph.ttl /tmp/floor.ttl ../shared/corpus/daily-papers-ko

Reads every input file's bytes (the files ``kg build`` would read), loads the Turtle that
``kg build`` wrote into an in-memory Oxigraph store and dumps it as Turtle again. That is the I/O
and RDF work of a build with no parsing, extraction or graph logic. Prints one JSON line: bytes
read, triples and the seconds of each step.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "g.ttl").write_text('<http://x/a> <http://x/p> "v" .\\n', encoding="utf-8")
>>> figures = measure_floor(folder / "g.ttl", folder / "out.ttl", [folder])
>>> figures["triples"], figures["files"]
(1, 0)
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.load import find_digest_files


def measure_floor(graph: Path, out: Path, inputs: Sequence[Path]) -> dict[str, float | int]:
    """Read the inputs, load ``graph``, dump it to ``out``; the figures of each step."""
    start = time.perf_counter()
    files = find_digest_files(inputs)
    size = sum(len(path.read_bytes()) for path in files)
    read = time.perf_counter()
    store = ox.Store()
    store.load(path=str(graph), format=ox.RdfFormat.TURTLE)
    loaded = time.perf_counter()
    store.dump(output=str(out), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    done = time.perf_counter()
    return {
        "files": len(files),
        "bytes": size,
        "triples": len(store),
        "read_s": read - start,
        "load_s": loaded - read,
        "dump_s": done - loaded,
    }


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit("usage: python bench/floor.py GRAPH.ttl OUT.ttl INPUT...")
    graph, out, *inputs = (Path(a) for a in sys.argv[1:])
    print(json.dumps(measure_floor(graph, out, inputs)))


if __name__ == "__main__":
    main()
