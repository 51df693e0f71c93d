"""Time every named query on a built graph (default: the full corpus build in out/graph.ttl).

    kg build ../shared/corpus/daily-papers-ko --out out/
    python bench/query_times.py [out/graph.ttl]

Prints the Oxigraph load time, then per query: seconds in Oxigraph (median of 3), rows, and the
whole `kg query` command's wall time (a fresh process: start, load, query, print).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from kg.queries import OxigraphEngine, named_query, query_names, select

# Parameters a user would try on the corpus.
PARAMS = {"author": "Luke Zettlemoyer", "technique": "DiT", "arxiv": "2407.21705"}


def main() -> None:
    graph = Path(sys.argv[1] if len(sys.argv) > 1 else "out/graph.ttl")
    if not graph.is_file():
        sys.exit(f"{graph}: no graph; run: kg build ../shared/corpus/daily-papers-ko --out out/")
    start = time.perf_counter()
    engine = OxigraphEngine.from_turtle(graph)
    print(f"load {graph} into Oxigraph: {time.perf_counter() - start:.2f} s")
    print(f"{'query':26s} {'query s':>8s} {'rows':>6s} {'kg query s':>11s}")
    for name in query_names():
        query = named_query(name)
        params = {p.name: PARAMS[p.name] for p in query.params if p.name in PARAMS}
        times = []
        for _ in range(3):
            start = time.perf_counter()
            rows = select(engine, query, params).rows
            times.append(time.perf_counter() - start)
        args = ["kg", "query", name, "--graph", str(graph), "--format", "csv"]
        args += [f"--param={k}={v}" for k, v in params.items()]
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        whole = time.perf_counter() - start
        print(f"{name:26s} {statistics.median(times):8.3f} {len(rows):6d} {whole:11.2f}")


if __name__ == "__main__":
    main()
