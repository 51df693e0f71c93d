"""How fast ``kg build`` is and how much memory it takes (issue 6), in one run, as plain tables.

    python bench/build_speed.py                           # corpus, then 10k, 25k, 50k, 100k papers
    python bench/build_speed.py --quick                   # corpus, then 1k and 3k papers (development)
    python bench/build_speed.py --sizes 10000 --parts corpus,scale
    python bench/build_speed.py --work /tmp/speed         # keep every file there (default: a temp dir, removed)

Parts (``--parts``, all by default):

- ``corpus``: ``kg build`` of ../shared/corpus/daily-papers-ko with and without ``--no-html``, the
  plain reference pipeline (``bench/reference.py``: regex, ``rdflib.Graph.add``, rdflib Turtle) and
  the floor (``bench/floor.py``: read the inputs, load the built graph into Oxigraph, dump it),
  with the ratios reference/kg (target >= 3) and kg/floor (target <= 4).
- ``scale``: ``kg build --no-html`` of synthetic corpora (``bench/synthetic.py``) of each size: wall
  time, peak memory, memory and time per paper, and how both grow with size (target: linear
  time, peak under 1.5 GB at 100k).
- ``update``: at the largest size, the store made with ``kg build --update``, then one new day added
  without and with export, and the same day again (skipped), against the full build (target < 5%).
- ``queries``: every named query (median of 3, Oxigraph) on the corpus graph and the largest
  synthetic graph (target < 1 s each).

Every build runs the real CLI in a child process. "peak MB" is the largest single process's
maximum resident set (getrusage of that child, as ``/usr/bin/time`` reports it); "all MB" is the
largest total proportional set size (PSS, shared pages split) of the child and its workers,
sampled every 0.2 s. The corpus builds and the floor are short: their wall time is the median of
three runs without that sampling (which takes CPU from the child), and "all MB" comes from a
fourth, sampled run. The synthetic digests hold corpus text: they are written under the work
folder (a temp dir outside the repo) and never belong in the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from synthetic import PER_DAY, SEED, read_real_papers, synthetic_id, synthetic_listings, synthetic_name, write_days

from kg.model import Paper
from kg.queries import Table, Value, format_table

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "daily-papers-ko"
PARTS = ("corpus", "scale", "update", "queries")
SIZES = (10_000, 25_000, 50_000, 100_000)
QUICK_SIZES = (1_000, 3_000)
# The corpus parameters of bench/query_times.py, and the real paper whose synthetic copy stands in for its id.
QUERY_AUTHOR = "Luke Zettlemoyer"
QUERY_PAPER = "2407.21705"
MB = 1024 * 1024
CORPUS_REPEAT = 3  # the corpus builds and the floor are timed this many times (the median is shown)


@dataclass(frozen=True)
class Run:
    """One child process: wall seconds, the largest process's peak RSS, the peak PSS of the whole
    process tree (MB), and what it printed."""

    wall: float
    peak_mb: float
    all_mb: float
    stdout: str

    def number(self, pattern: str) -> int:
        """An integer the child printed.

        >>> Run(1.0, 2.0, 2.0, "Built 12 papers, 30 authors").number(r"Built (\\d+) papers")
        12
        """
        m = re.search(pattern, self.stdout)
        if m is None:
            raise ValueError(f"no {pattern!r} in the output: {self.stdout[:300]!r}")
        return int(m.group(1))


class ChildFailed(RuntimeError):
    pass


def run_measured(args: Sequence[str | Path], log: Path, *, sample: bool = True) -> Run:
    """Run ``args``, stdout and stderr to ``log``.out/.err; raise ``ChildFailed`` on a non-zero exit.
    ``sample=False``: no PSS sampling (``all_mb`` 0), which otherwise takes CPU from the child."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(a) for a in args], stdout=out, stderr=err)
        sampler = PssSampler(proc.pid)
        if sample:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sample:
            sampler.stop()
    if proc.returncode != 0:
        tail = err_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise ChildFailed(f"{' '.join(map(str, args))} exited with {proc.returncode}; {err_path}:\n{tail}")
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    return Run(wall, usage.ru_maxrss / 1024, sampler.peak / MB, stdout)


def run_timed(args: Sequence[str | Path], log: Path, repeat: int = CORPUS_REPEAT) -> Run:
    """``run_measured`` for a short run: the median wall time of ``repeat`` runs without PSS
    sampling (reading every process's memory map five times a second took about 0.3 s of the
    corpus build's 9 s), the largest peak RSS, and the PSS of one more, sampled run."""
    timed = [run_measured(args, log, sample=False) for _ in range(repeat)]
    sampled = run_measured(args, log)
    wall = statistics.median(r.wall for r in timed)
    return Run(wall, max(r.peak_mb for r in [*timed, sampled]), sampled.all_mb, sampled.stdout)


class PssSampler(threading.Thread):
    """Samples the total PSS of a process and its descendants until stopped; ``peak`` in bytes."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, sum(_pss(p) for p in _process_tree(self.pid)))
            self.done.wait(self.every)

    def stop(self) -> None:
        self.done.set()
        self.join()


def _process_tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def _pss(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    m = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(m.group(1)) * 1024 if m else 0


def kg_build(*args: str | Path) -> list[str | Path]:
    """The command line of the installed ``kg build``: the console script beside this Python, as the
    floor runs this Python directly (a version manager's shim found first on PATH, such as pyenv's,
    runs a shell and its own lookup first: 0.07 s here that is not kg's)."""
    beside = Path(sys.executable).parent / "kg"
    kg = str(beside) if beside.exists() else shutil.which("kg") or "kg"
    return [kg, "build", *args]


def bench_script(name: str, *args: str | Path) -> list[str | Path]:
    return [sys.executable, BENCH / name, *args]


def show(title: str, columns: Sequence[str], rows: Sequence[Sequence[Value]]) -> None:
    print(f"\n{title}\n")
    print(format_table(Table(tuple(columns), [tuple(r) for r in rows])))


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _f(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


# -- the machine ---------------------------------------------------------------------------------


def describe_machine() -> list[tuple[str, str]]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    ram = re.search(r"MemTotal:\s+(\d+) kB", _read("/proc/meminfo"))
    commit = _git("rev-parse", "--short", "HEAD")
    if _git("status", "--porcelain", "--", "kg") != "?":  # "?" is what _git gives for no output
        commit += " (with uncommitted changes in kg/)"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("RAM", f"{int(ram.group(1)) / MB:.1f} GB" if ram else "?"),
        ("load average at start", f"{load} (other work on the machine slows every figure)"),
        ("Python", platform.python_version()),
        ("rdflib, pyoxigraph", f"{version('rdflib')}, {version('pyoxigraph')}"),
        ("papers-kg commit", commit),
    ]


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


# -- the parts -------------------------------------------------------------------------------------


@dataclass
class Results:
    """What later parts need from earlier ones."""

    full_build: dict[int, float] = field(default_factory=dict)  # size -> seconds of kg build --no-html
    written: set[int] = field(default_factory=set)  # sizes of synthetic corpora written in this run
    corpus_graph: Path | None = None
    largest_graph: Path | None = None


def bench_corpus(corpus: Path, work: Path, results: Results) -> None:
    progress(f"corpus: kg build (with the HTML page), {CORPUS_REPEAT} + 1 runs")
    html = run_timed(kg_build(corpus, "--out", work / "corpus-html"), work / "logs" / "corpus-html")
    progress(f"corpus: kg build --no-html, {CORPUS_REPEAT} + 1 runs")
    plain = run_timed(kg_build(corpus, "--out", work / "corpus", "--no-html"), work / "logs" / "corpus")
    results.corpus_graph = work / "corpus" / "graph.ttl"
    progress("corpus: the plain reference pipeline (regex, rdflib, rdflib Turtle)")
    reference = run_measured(bench_script("reference.py", corpus, work / "reference.ttl"), work / "logs" / "reference")
    progress(f"corpus: the floor (read inputs, Oxigraph load and dump), {CORPUS_REPEAT} + 1 runs")
    floor_args = bench_script("floor.py", results.corpus_graph, work / "floor.ttl", corpus)
    floor = run_timed(floor_args, work / "logs" / "floor")
    papers = plain.number(r"Built (\d+) papers")
    ref, flo = _json(reference.stdout), _json(floor.stdout)
    rows = [
        _corpus_row("kg build", html, papers, plain.number(r"Triples: (\d+)")),
        _corpus_row("kg build --no-html", plain, papers, plain.number(r"Triples: (\d+)")),
        _corpus_row("reference (regex, rdflib)", reference, int(ref["papers"]), int(ref["triples"])),
        _corpus_row("floor (read, Oxigraph load+dump)", floor, papers, int(flo["triples"])),
    ]
    show(
        f"Full build of {corpus.name} ({papers:,} papers)",
        ("step", "wall s", "peak MB", "all MB", "papers/s", "triples"),
        rows,
    )
    print(
        f"\nreference steps: split {ref['split_s']:.1f} s, Graph.add {ref['add_s']:.1f} s, "
        f"serialize turtle {ref['serialize_s']:.1f} s ({ref['triples'] / ref['serialize_s']:,.0f} triples/s)"
    )
    print(
        f"floor steps: read {flo['files']:.0f} files ({flo['bytes'] / MB:.1f} MB) {flo['read_s']:.2f} s, "
        f"load {flo['load_s']:.2f} s, dump {flo['dump_s']:.2f} s"
    )
    for label, run in (("kg build", html), ("kg build --no-html", plain)):
        print(
            f"{label}: reference/kg {reference.wall / run.wall:.2f} (target >= 3), "
            f"kg/floor {run.wall / floor.wall:.2f} (target <= 4)"
        )


def _corpus_row(label: str, run: Run, papers: int, triples: int) -> tuple[Value, ...]:
    return (label, _f(run.wall), _f(run.peak_mb, 0), _f(run.all_mb, 0), _f(papers / run.wall), f"{triples:,}")


def _json(text: str) -> dict[str, float]:
    value: dict[str, float] = json.loads(text.strip().splitlines()[-1])
    return value


def bench_scale(
    real: list[Paper], sizes: Sequence[int], work: Path, results: Results, args: argparse.Namespace
) -> None:
    rows: list[tuple[Value, ...]] = []
    first: tuple[int, Run] | None = None
    previous: tuple[int, Run] | None = None
    for size in sizes:
        days = write_synthetic(real, size, work, results, args)
        files = list(days.iterdir())
        megabytes = sum(f.stat().st_size for f in files) / MB
        out = work / f"scale-{size}"
        shutil.rmtree(out, ignore_errors=True)
        # The largest build keeps its store (--update into a new folder: the same batched build into
        # a store on disk that a plain build of this size makes in a temporary folder), for the
        # update and query parts.
        keep_store = ("--update",) if size == max(sizes) else ()
        progress(f"scale: kg build --no-html {' '.join(keep_store)} of {size:,} papers")
        run = run_measured(kg_build(days, "--out", out, "--no-html", *keep_store), work / "logs" / f"scale-{size}")
        papers, triples = run.number(r"Built (\d+) papers"), run.number(r"Triples: (\d+)")
        results.full_build[size] = run.wall
        if size == max(sizes):
            results.largest_graph = out / "graph.ttl"
        elif not args.keep:
            shutil.rmtree(out)
            shutil.rmtree(days)
        first = first or (papers, run)
        grow_size, grow_time = papers / first[0], run.wall / first[1].wall
        step = (
            ("", "")
            if previous is None
            else (
                _f((run.wall - previous[1].wall) * 1000 / (papers - previous[0]), 2),
                _f((run.peak_mb - previous[1].peak_mb) * 1024 / (papers - previous[0])),
            )
        )
        previous = (papers, run)
        rows.append(
            (
                f"{papers:,}",
                f"{len(files):,}",
                _f(megabytes),
                _f(run.wall),
                _f(run.peak_mb, 0),
                _f(run.all_mb, 0),
                _f(run.wall * 1000 / papers, 2),
                step[0],
                _f(run.peak_mb * 1024 / papers),
                step[1],
                f"{triples:,}",
                f"{grow_size:.1f}x / {grow_time:.1f}x = {grow_time / grow_size:.2f}",
            )
        )
    show(
        "Synthetic corpora, kg build --no-html",
        (
            "papers",
            "days",
            "input MB",
            "wall s",
            "peak MB",
            "all MB",
            "ms/paper",
            "ms/extra paper",
            "KB/paper",
            "KB/extra paper",
            "triples",
            "size x / time x = ratio",
        ),
        rows,
    )
    print(
        "\n(extra paper: the growth from the size above, divided by the papers added; constant when growth is"
        "\nlinear. ratio: time growth over size growth from the smallest size, 1.00 when linear; fixed start-up"
        "\ncosts push it under 1 at small sizes.)"
    )
    print("target: 100k papers with peak memory under 1.5 GB, time growing linearly")


def write_synthetic(real: list[Paper], size: int, work: Path, results: Results, args: argparse.Namespace) -> Path:
    """The folder of the ``size``-paper synthetic corpus, written afresh once per run."""
    days = work / f"synthetic-{size}"
    if size not in results.written:
        progress(f"writing {size:,} synthetic papers")
        shutil.rmtree(days, ignore_errors=True)
        write_days(synthetic_listings(real, size, seed=args.seed, per_day=args.per_day), days)
        results.written.add(size)
    return days


def bench_update(real: list[Paper], size: int, work: Path, results: Results, args: argparse.Namespace) -> None:
    if "--update" not in subprocess.run(kg_build("--help"), capture_output=True, text=True, check=False).stdout:
        print("\nIncremental update: not available yet (kg build --help shows no --update)")
        return
    days = write_synthetic(real, size, work, results, args)
    # Two new days after the last one (a fresh day even when the last day of `size` is partial).
    start = -(-size // args.per_day) * args.per_day
    shutil.rmtree(work / "new-days", ignore_errors=True)
    new = write_days(
        synthetic_listings(real, 2 * args.per_day, seed=args.seed, per_day=args.per_day, start=start), work / "new-days"
    )
    out = work / f"scale-{size}"
    logs = work / "logs"
    steps = []
    if not (out / "store").is_dir():  # the scale part did not run: make the store here
        shutil.rmtree(out, ignore_errors=True)
        steps.append((f"create the store from {size:,} papers", days, "--no-html", "update-create"))
    steps += [
        (f"add day {new[0].stem} --no-export", new[0], "--no-export", "update-day"),
        ("add the same day again --no-export", new[0], "--no-export", "update-again"),
        (f"add day {new[1].stem}, export graph.ttl", new[1], "--no-html", "update-export"),
    ]
    runs = []
    for label, inputs, option, log in steps:
        progress(f"update: {label}")
        runs.append((label, run_measured(kg_build("--update", inputs, "--out", out, option), logs / log)))
    full = results.full_build.get(size)
    base_label = "full build (kg build --no-html)" if full is not None else "store creation"
    base = full if full is not None else runs[0][1].wall
    rows = [
        (
            label,
            _f(run.wall, 2),
            _f(run.peak_mb, 0),
            _f(run.all_mb, 0),
            f"{100 * run.wall / base:.1f}%",
            _store_line(run),
        )
        for label, run in runs
    ]
    show(
        f"Incremental update at {size:,} papers ({base_label}: {base:.1f} s)",
        ("step", "wall s", "peak MB", "all MB", "% of full", "kg says"),
        rows,
    )
    print("\ntarget: one new day in under 5% of a full rebuild")


def _store_line(run: Run) -> str:
    m = re.search(r"added (\d+) files \((\d+) unchanged, skipped\); wrote (\d+) papers", run.stdout)
    return f"{m.group(1)} files added, {m.group(2)} skipped, {m.group(3)} papers written" if m else ""


def bench_queries(real: list[Paper], work: Path, results: Results, args: argparse.Namespace) -> None:
    if results.corpus_graph is None:
        progress("queries: kg build --no-html of the corpus (the corpus part did not run)")
        run_measured(kg_build(args.corpus, "--out", work / "corpus", "--no-html"), work / "logs" / "corpus")
        results.corpus_graph = work / "corpus" / "graph.ttl"
    graphs: list[tuple[str, Path | None, list[str]]] = [("the corpus graph", results.corpus_graph, [])]
    if results.largest_graph is not None:
        index = next((i for i, p in enumerate(real) if p.arxiv_id == QUERY_PAPER), 0)
        params = [
            f"author={synthetic_name(QUERY_AUTHOR, 0, args.seed)}",
            f"arxiv={synthetic_id(index, args.per_day)}",
        ]
        size = results.largest_graph.parent.name.removeprefix("scale-")
        store = results.largest_graph.parent / "store"
        if store.is_dir():  # query the store (kg query --store): loading 16M triples would need ~6 GB
            params.append(f"store={store}")
        graphs.append((f"the {int(size):,}-paper synthetic graph", results.largest_graph, params))
    for label, graph, params in graphs:
        if graph is None or not graph.is_file():
            print(f"\nNamed queries on {label}: no graph (run the corpus part)")
            continue
        progress(f"queries: {label}")
        store = [p.split("=", 1)[1] for p in params if p.startswith("store=")]
        params = [p for p in params if not p.startswith("store=")]
        args_ = bench_script(
            "query_times.py",
            graph,
            "--no-cli",
            *(a for p in params for a in ("--param", p)),
            *(("--store", store[0], "--repeat", "1") if store else ()),
        )
        run = run_measured(args_, work / "logs" / f"queries-{graph.parent.name}")
        runs = "one run, on the store" if store else "median of 3"
        print(f"\nNamed queries on {label} (Oxigraph, {runs}; peak {run.peak_mb:,.0f} MB)\n")
        print(run.stdout.rstrip())
        seconds = [float(m.group(1)) for m in re.finditer(r"^\S+\s+(\d+\.\d+)\s+\d+\s*$", run.stdout, re.MULTILINE)]
        if seconds:
            print(f"slowest: {max(seconds):.3f} s (target < 1 s)")


# -- main ------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", help="synthetic corpus sizes, comma-separated (default: 10000,25000,50000,100000)")
    parser.add_argument("--quick", action="store_true", help="sizes 1000,3000 (for development)")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"what to run (default: {','.join(PARTS)})")
    parser.add_argument("--work", type=Path, help="work folder, kept (default: a temp dir, removed at the end)")
    parser.add_argument("--keep", action="store_true", help="keep every output (default: only what later parts use)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"real digests (default: {CORPUS})")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the synthetic corpora")
    parser.add_argument("--per-day", type=int, default=PER_DAY, help=f"synthetic papers a day (default: {PER_DAY})")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else SIZES
    args.sizes = sorted({int(s) for s in args.sizes.split(",")}) if args.sizes else list(sizes)
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}; parts: {', '.join(PARTS)}")
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: no corpus folder")
    work = args.work.resolve() if args.work else None
    if work is not None and (work == ROOT or ROOT in work.parents):
        parser.error("--work must be outside the repo: the synthetic digests hold corpus text")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="build-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    args.keep = args.keep or args.work is not None
    print("Machine")
    for key, value in describe_machine():
        print(f"  {key}: {value}")
    print(f"\nwork folder: {work}")
    results = Results()
    real = read_real_papers(args.corpus) if set(args.parts) & {"scale", "update", "queries"} else []
    started = time.perf_counter()
    try:
        if "corpus" in args.parts:
            bench_corpus(args.corpus, work, results)
        if "scale" in args.parts:
            bench_scale(real, args.sizes, work, results, args)
        if "update" in args.parts:
            bench_update(real, max(args.sizes), work, results, args)
        if "queries" in args.parts:
            bench_queries(real, work, results, args)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nwhole run: {time.perf_counter() - started:,.0f} s")


if __name__ == "__main__":
    main()
