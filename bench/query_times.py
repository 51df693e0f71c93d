"""Time every named query on a built graph (default: the full corpus build in out/graph.ttl).

    kg build ../shared/corpus/daily-papers-ko --out out/
    python bench/query_times.py [out/graph.ttl]
    python bench/query_times.py big/graph.ttl --no-cli --param author="Luke Zettlemoyer Zuzu"

Prints the Oxigraph load time, then per query: seconds in Oxigraph (median of 3), rows, and the
whole `kg query` command's wall time (a fresh process: start, load, query, print; left out with
--no-cli). ``--param KEY=VALUE`` replaces a default parameter (``bench/build_speed.py`` passes the
synthetic graph's names and ids).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.queries import Engine, OxigraphEngine, Table, Value, format_table, named_query, query_names, select

# Parameters a user would try on the corpus.
PARAMS = {"author": "Luke Zettlemoyer", "technique": "DiT", "arxiv": "2407.21705"}


@dataclass(frozen=True)
class QueryTime:
    """One named query: the median seconds over ``repeat`` runs, the rows, and its parameters."""

    name: str
    seconds: float
    rows: int
    params: dict[str, str]
    limited: float | None = None  # seconds for the first ``--limit`` rows (kg query --limit)


def time_queries(
    engine: Engine, params: Mapping[str, str] = PARAMS, repeat: int = 3, limit: int = 0
) -> list[QueryTime]:
    """Every shipped query, each run ``repeat`` times with the parameters it declares (and, with a
    ``limit``, as many times for its first ``limit`` rows).

    >>> import pyoxigraph as ox
    >>> timings = time_queries(OxigraphEngine(ox.Store()), repeat=1)
    >>> len(timings) == len(query_names()), timings[0].rows
    (True, 0)
    """
    out = []
    for name in query_names():
        query = named_query(name)
        given = {p.name: params[p.name] for p in query.params if p.name in params}
        times, first = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            rows = len(select(engine, query, given).rows)
            times.append(time.perf_counter() - start)
            if limit:
                start = time.perf_counter()
                select(engine, query, given, limit)
                first.append(time.perf_counter() - start)
        out.append(QueryTime(name, statistics.median(times), rows, given, statistics.median(first) if first else None))
    return out


def time_command(graph: Path, timing: QueryTime) -> float:
    """Wall seconds of the whole ``kg query`` command for one query."""
    args = ["kg", "query", timing.name, "--graph", str(graph), "--format", "csv"]
    args += [f"--param={k}={v}" for k, v in timing.params.items()]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graph", type=Path, nargs="?", default=Path("out/graph.ttl"))
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="replace a parameter")
    parser.add_argument("--no-cli", action="store_true", help="skip the whole `kg query` command times")
    parser.add_argument("--store", type=Path, help="query this kg build --update store instead of loading GRAPH")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; the median is shown (default: 3)")
    parser.add_argument("--limit", type=int, default=0, help="also time each query's first N rows (kg query --limit N)")
    args = parser.parse_args()
    if not args.graph.is_file():
        parser.exit(1, f"{args.graph}: no graph; run: kg build ../shared/corpus/daily-papers-ko --out out/\n")
    params = PARAMS | dict(pair.split("=", 1) for pair in args.param)
    start = time.perf_counter()
    engine = OxigraphEngine.from_store(args.store) if args.store else OxigraphEngine.from_turtle(args.graph)
    print(f"load {args.graph} into Oxigraph: {time.perf_counter() - start:.2f} s ({len(engine.store):,} triples)")
    timings = time_queries(engine, params, args.repeat, args.limit)
    columns = ("query", "query s", "rows") + (() if args.no_cli else ("kg query s",))
    columns += (f"first {args.limit} s",) if args.limit else ()
    rows: list[tuple[Value, ...]] = [
        (t.name, f"{t.seconds:.3f}", t.rows)
        + (() if args.no_cli else (f"{time_command(args.graph, t):.2f}",))
        + ((f"{t.limited:.3f}",) if t.limited is not None else ())
        for t in timings
    ]
    print(format_table(Table(columns, rows)))


if __name__ == "__main__":
    main()
