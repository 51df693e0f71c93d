"""The ``kg`` command: argument parsing and printing only; the work is in ``kg.pipeline``.

Exit codes: 0 when papers were built (problems, if any, are printed on stderr), 1 when nothing
could be built, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kg.evaluate import format_score
from kg.load import DEFAULT_MAX_BYTES, InputError
from kg.namespace import DEFAULT_BASE, KG, check_base
from kg.pipeline import BuildResult, run_build, run_eval

EXIT_OK, EXIT_NOTHING_BUILT, EXIT_USAGE = 0, 1, 2

BUILD_EXAMPLES = """\
examples:
  kg build                                         the bundled example -> output/graph.ttl, output/graph.html
  kg build ../shared/corpus/daily-papers-ko --out out/
  kg build day1.md day2.md --base http://example.org/kg/ --no-html
"""


EVAL_EXAMPLES = """\
examples:
  kg eval                                          tests/gold against ../shared/corpus
  kg eval --gold tests/gold --corpus /data/corpus --examples 40
"""


def _base(value: str) -> str:
    try:
        return check_base(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value!r}")
    return number


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build a knowledge graph of AI research from daily paper digests.",
        epilog="Run 'kg COMMAND --help' for a command's options and examples.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build = commands.add_parser(
        "build",
        help="digests -> graph.ttl (RDF) and graph.html (interactive page)",
        description="Read digest files and folders (*.md, searched recursively) and write the knowledge "
        "graph as Turtle and as an offline HTML page. With no inputs, builds the bundled example. "
        "Problems are printed on stderr as FILE:LINE: severity: message; the good papers are still built.",
        epilog=BUILD_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("inputs", nargs="*", type=Path, metavar="INPUT", help="digest files or folders")
    build.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    build.add_argument("--base", type=_base, default=DEFAULT_BASE, help=f"base of data IRIs (default: {DEFAULT_BASE})")
    build.add_argument("--no-html", action="store_true", help="write graph.ttl only")
    build.add_argument(
        "--max-nodes",
        type=_positive,
        default=1500,
        help="most nodes shown in graph.html; the rest are counted as hidden (default: 1500)",
    )
    build.add_argument(
        "--max-file-size",
        type=_positive,
        default=DEFAULT_MAX_BYTES // (1024 * 1024),
        metavar="MB",
        help="refuse input files larger than this (default: 64)",
    )
    build.set_defaults(handler=_build)

    evaluate = commands.add_parser(
        "eval",
        help="precision and recall of technique mentions on the hand-made gold set",
        description="Score kg:Technique mentions against the gold annotations (tests/gold/) on the papers they "
        "name in the corpus, for the tuning split, the held-out split and both, and list the worst false "
        "positives and the misses.",
        epilog=EVAL_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument("--gold", type=Path, default=Path("tests/gold"), help="gold folder (default: tests/gold)")
    evaluate.add_argument(
        "--corpus",
        type=Path,
        default=Path("../shared/corpus"),
        help="corpus folder the selection's file names are relative to (default: ../shared/corpus)",
    )
    evaluate.add_argument(
        "--examples", type=_positive, default=15, help="false positives and misses listed (default: 15)"
    )
    evaluate.set_defaults(handler=_eval)
    return parser


def _eval(args: argparse.Namespace) -> int:
    for folder, what in ((args.gold, "gold folder"), (args.corpus, "corpus folder")):
        if not folder.is_dir():
            print(f"kg eval: {folder}: no such {what}", file=sys.stderr)
            return EXIT_USAGE
    scores = run_eval(args.gold, args.corpus)
    for name, score in scores.items():
        print(format_score(name, score, args.examples))
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    try:
        result = run_build(
            args.inputs,
            args.out,
            base=args.base,
            html=not args.no_html,
            max_nodes=args.max_nodes,
            max_bytes=args.max_file_size * 1024 * 1024,
        )
    except InputError as err:
        print(f"kg build: {err}", file=sys.stderr)
        return EXIT_USAGE
    _print_problems(result)
    if not result.papers:
        print("kg build: no papers could be built; nothing was written", file=sys.stderr)
        return EXIT_NOTHING_BUILT
    print(_summary(result))
    return EXIT_OK


def _print_problems(result: BuildResult) -> None:
    for p in sorted(result.problems, key=lambda p: (p.file, p.line, p.message)):
        print(f"{p.file}:{p.line}: {p.severity}: {p.message}", file=sys.stderr)


def _summary(result: BuildResult) -> str:
    concepts = {k: result.count(k) for k in ("technique", "model", "dataset", "metric", "task", "discoveredconcept")}
    errors = sum(p.severity == "error" for p in result.problems)
    warnings = len(result.problems) - errors
    lines = [
        f"Built {result.papers} papers, {result.count('person')} authors, {result.count('digest')} digest days "
        f"from {len(result.digests)} files.",
        "Concepts: "
        + ", ".join(f"{n} {k if k != 'discoveredconcept' else 'of unknown kind'}" for k, n in concepts.items()),
        f"Papers with a technique: {result.with_technique} of {result.papers}. Discovered concepts: "
        f"{result.count_type(KG.DiscoveredConcept)}. Summaries that may describe another paper "
        f"(kg:summaryMismatch): {result.count_subjects(KG.summaryMismatch)}.",
        f"Triples: {len(result.graph)}. Problems: {errors} errors, {warnings} warnings"
        + (" (listed on stderr)." if result.problems else "."),
    ]
    lines += [f"Wrote {path}" for path in result.outputs]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
