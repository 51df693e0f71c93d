"""A graph into an Oxigraph server's on-disk store: over HTTP (`kg push --endpoint`) or offline
(`kg push --store-dir`, by `oxigraph load` or by pyoxigraph's bulk loader).

    kg build ../shared/corpus/daily-papers-ko --out /tmp/corpus-out --no-html
    python bench/push.py /tmp/corpus-out/graph.ttl [--layout day|single] [--repeat 3] [--keep DIR]

Prints, for each way, the wall time (the median of --repeat runs, each into a new store; reading
graph.ttl and splitting it into named graphs included) and the store folder's size on disk once the
server or loader has closed it, and checks that each store holds every triple. The server for the
HTTP push runs on 127.0.0.1 on a free port.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.oxigraph_server

from kg.endpoint import Endpoint, push
from kg.named_graphs import load_offline, oxigraph_command, read_dataset
from tests.oxigraph_server import running_server


def disk_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def count_quads(command: str, location: Path) -> int:
    text = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    done = subprocess.run(
        [command, "query", "--location", str(location), "--query", text, "--results-format", "tsv"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.splitlines()[1].split("^^")[0].strip('"'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graph", type=Path, help="a graph.ttl written by kg build")
    parser.add_argument("--layout", choices=("day", "single"), default="day")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each way; the median is printed (default: 3)")
    parser.add_argument("--keep", type=Path, help="keep the stores in this folder (default: a temporary one)")
    args = parser.parse_args()
    command = oxigraph_command()
    if command is None:
        sys.exit("the oxigraph command is needed: pip install oxigraph")
    root = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-push-"))
    root.mkdir(parents=True, exist_ok=True)

    times: dict[str, list[float]] = {"split": [], "http": [], "oxigraph": [], "pyoxigraph": []}
    requests = 0
    for run in range(args.repeat):
        started = time.perf_counter()
        dataset = read_dataset(args.graph, args.layout)
        split = time.perf_counter() - started
        times["split"].append(split)
        with running_server(command, root / f"http{run}") as server:
            pushed = push(dataset, Endpoint.connect(server.store), replace=True)
        times["http"].append(split + pushed.seconds)
        requests = pushed.requests
        for loader in ("oxigraph", "pyoxigraph"):
            started = time.perf_counter()
            load_offline(
                dataset, root / f"{loader}{run}", replace=True, command=command if loader == "oxigraph" else None
            )
            times[loader].append(split + time.perf_counter() - started)

    print(f"{args.graph}: {dataset.triples:,} triples, {len(dataset.graphs)} named graphs ({args.layout} layout)")
    print(f"median of {args.repeat}; read and split into named graphs: {statistics.median(times['split']):.1f} s")
    print(f"{'way':<52} {'time (s)':>9} {'disk (MB)':>10} {'quads':>10}")
    ways = {
        "http": f"HTTP push, {requests} requests (kg push --endpoint)",
        "oxigraph": "offline, oxigraph load (kg push --store-dir)",
        "pyoxigraph": "offline, pyoxigraph bulk loader (--store-dir)",
    }
    for key, name in ways.items():
        location = root / f"{key}0"
        size = disk_bytes(location) / 1e6
        seconds = statistics.median(times[key])
        print(f"{name:<52} {seconds:>9.1f} {size:>10.1f} {count_quads(command, location):>10,}")
    if args.keep is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
