"""The ``kg`` command: argument parsing and printing only; the work is in ``kg.pipeline``.

Exit codes: 0 when papers were built (problems, if any, are printed on stderr), 1 when nothing
could be built (for ``kg validate`` and ``kg build --validate``: when the graph does not conform),
2 on usage errors.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from kg import explore
from kg.analysis import AuthorNotFound
from kg.load import DEFAULT_MAX_BYTES, InputError
from kg.namespace import DEFAULT_BASE, KG, SCHEMA, check_base
from kg.queries import QueryError, Table, format_table, named_query, query_names
from kg.store import GraphFileError
from kg.views import VIEWS

if TYPE_CHECKING:
    from kg.pipeline import BuildResult

# The build and eval pipelines (extractor, vocabulary, page templates) are imported by their commands
# only, so that `kg query` starts in a fraction of a second.

EXIT_OK, EXIT_NOTHING_BUILT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)

BUILD_EXAMPLES = """\
examples:
  kg build                                         the bundled example -> output/graph.ttl, output/graph.html
  kg build ../shared/corpus/daily-papers-ko --out out/
  kg build day1.md day2.md --base http://example.org/kg/ --no-html
  kg build --update digests/ --out out/              keep the graph in out/store; add only new files
  kg build --update digests/2025-05-12.md --out out/ the next day: adds that day, rewrites out/graph.ttl
  kg build --validate                              build, then check graph.ttl against the SHACL shapes
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


def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, got {value!r}")
    return int(value)


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
        "--update",
        action="store_true",
        help="keep the graph in a store on disk (OUT/store, or --store) and add only the inputs not in it yet; "
        "a file added again unchanged is skipped, a changed one replaces its earlier version; "
        "the result is what a full build of every input so far gives",
    )
    build.add_argument("--store", type=Path, metavar="DIR", help="the store folder for --update (default: OUT/store)")
    build.add_argument("--rebuild", action="store_true", help="with --update: start the store afresh from INPUTs")
    build.add_argument("--no-export", action="store_true", help="with --update: update the store only, write no files")
    build.add_argument(
        "--validate",
        action="store_true",
        help="check the written graph.ttl against the SHACL shapes (as 'kg validate'); exit 1 if it does not conform",
    )
    build.add_argument(
        "--workers", type=_positive, metavar="N", help="processes that extract mentions (default: one per core)"
    )
    build.add_argument(
        "--max-nodes",
        type=_count,
        default=1500,
        help="nodes drawn at first in graph.html; the page counts the rest and adds them on demand; "
        "0 draws all (default: 1500)",
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
    _add_analysis_commands(commands)
    _add_push_command(commands)
    _add_validate_command(commands)
    return parser


QUERY_EXAMPLES = (
    "kg query --list                                  the shipped queries and their parameters",
    'kg query coauthors --param author="Luke Zettlemoyer"',
    "kg query top-collaborations --param min=5 --format csv",
    "kg query top-collaborations --limit 20            the 20 strongest pairs",
    "kg query papers-by-technique --param technique=3DGS --format json",
    "kg query technique-trend --param technique=DiT",
    "kg query --file my.rq --graph out/graph.ttl       your own SELECT",
)
ANALYSIS_ERRORS = (QueryError, AuthorNotFound, GraphFileError, nx.NetworkXNoPath, LookupError)


def _analysis_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: Callable[[argparse.Namespace], int],
    *,
    help: str,
    description: str,
    examples: Sequence[str],
    formats: bool = True,
) -> argparse.ArgumentParser:
    """A command that reads graph.ttl: --graph and --format, examples, and usage errors as exit 2."""
    parser = commands.add_parser(
        name,
        help=help,
        description=description,
        epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--graph", type=Path, default=Path("output/graph.ttl"), help="graph to read (default: output/graph.ttl)"
    )
    if formats:
        parser.add_argument(
            "--format", choices=("table", "csv", "json"), default="table", help="output format (default: table)"
        )

    def guarded(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ANALYSIS_ERRORS as err:
            print(f"kg {name}: {err}", file=sys.stderr)
            return EXIT_USAGE

    parser.set_defaults(handler=guarded)
    return parser


def _add_analysis_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    query = _analysis_command(
        commands,
        "query",
        _query,
        help="run a named SPARQL query (or your own) over graph.ttl",
        description="Run a SPARQL SELECT shipped in kg/queries/ (see --list) or your own (--file) over the "
        "exported graph. Parameters are bound as values, never pasted into the query text.",
        examples=QUERY_EXAMPLES,
    )
    query.add_argument("name", nargs="?", help="query name (see --list)")
    query.add_argument("--file", type=Path, help="a .rq file with your own SELECT query")
    query.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="a parameter value (repeatable)"
    )
    query.add_argument("--list", action="store_true", help="list the shipped queries and their parameters")
    query.add_argument(
        "--limit",
        type=_count,
        default=0,
        metavar="N",
        help="the first N rows only (ranked queries list their best first); 0, the default, lists all",
    )
    query.add_argument(
        "--engine", choices=("oxigraph", "rdflib"), default="oxigraph", help="SPARQL engine (default: oxigraph)"
    )
    query.add_argument(
        "--store",
        type=Path,
        metavar="DIR",
        help="query the store that 'kg build --update' keeps (e.g. output/store) instead of --graph: "
        "nothing to load, so large graphs answer at once",
    )
    query.add_argument(
        "--endpoint",
        metavar="URL",
        help="run the query at a remote SPARQL query endpoint (e.g. http://localhost:7878/query) instead of --graph",
    )
    query.add_argument(
        "--default-graph",
        action="append",
        default=[],
        metavar="IRI",
        help="with --endpoint: query these named graphs as the default graph (repeatable; default: the store's)",
    )
    _add_credentials(query)

    collaborators = _analysis_command(
        commands,
        "collaborators",
        lambda args: _show(explore.collaborators(args.graph, args.author), args.format),
        help="an author's co-authors, with joint papers and Newman weights",
        description="List the people who wrote papers with AUTHOR (the name as the digests write it): joint "
        "papers and Newman's collaboration weight (each paper with n authors adds 1/(n-1)).",
        examples=['kg collaborators "Luke Zettlemoyer" --graph out/graph.ttl'],
    )
    collaborators.add_argument("author", help="an author's name")

    path = _analysis_command(
        commands,
        "path",
        lambda args: _show(explore.collaboration_path(args.graph, args.source, args.target), args.format),
        help="the shortest chain of co-authors between two authors",
        description="Find the fewest co-authorship links from one author to another.",
        examples=['kg path "Luke Zettlemoyer" "Yann LeCun" --graph out/graph.ttl'],
    )
    path.add_argument("source", help="an author's name")
    path.add_argument("target", help="another author's name")

    central = _analysis_command(
        commands,
        "central",
        lambda args: _show(explore.central(args.graph, args.top), args.format),
        help="the most central authors (weighted PageRank on co-authorship)",
        description="Rank authors by PageRank on the co-author graph weighted by Newman's collaboration weights.",
        examples=["kg central --top 20 --graph out/graph.ttl"],
    )
    central.add_argument("--top", type=_positive, default=20, help="authors listed (default: 20)")

    clusters = _analysis_command(
        commands,
        "clusters",
        _clusters,
        help="topic clusters of techniques, with their papers and authors",
        description="Cluster techniques by co-occurrence (seeded Leiden, so repeatable), label each cluster by "
        "its most characteristic techniques, and assign each paper to the cluster holding most of its techniques. "
        "Writes an overview picture next to the graph (clusters.svg) unless --no-plot.",
        examples=["kg clusters --graph out/graph.ttl", "kg clusters --format json > clusters.json"],
    )
    clusters.add_argument(
        "--min-papers", type=_positive, default=3, help="techniques in fewer papers are left out (default: 3)"
    )
    clusters.add_argument("--no-plot", action="store_true", help="do not write clusters.svg")

    trends = _analysis_command(
        commands,
        "trends",
        _trends,
        help="papers per week for techniques, as a table and a picture",
        description="Count papers per ISO week that mention each technique (any label or abbreviation; narrower "
        "concepts count). With no --technique, the most frequent ones. Writes trends.svg next to the graph "
        "unless --no-plot.",
        examples=["kg trends --technique DiT --technique 3DGS", "kg trends --top 5 --format csv"],
    )
    trends.add_argument("--technique", action="append", default=[], help="a technique label (repeatable)")
    trends.add_argument("--top", type=_positive, default=8, help="techniques when none is given (default: 8)")
    trends.add_argument("--no-plot", action="store_true", help="do not write trends.svg")

    html = _analysis_command(
        commands,
        "html",
        _html,
        help="an interactive page of one view: whole graph, co-authors, technique map, or an ego network",
        description="Write a self-contained, offline HTML page of the graph: the whole graph, the co-author "
        "network, the technique map, or the ego network of one person, technique or paper. Large views draw "
        "the best-connected --max-nodes nodes; the page counts the rest and adds them on search or expand.",
        examples=HTML_EXAMPLES,
        formats=False,
    )
    html.add_argument("--view", choices=VIEWS, default="whole", help="what the page shows (default: whole)")
    html.add_argument(
        "--centre", help="the ego view's centre: a name, technique label or abbreviation, title or arXiv id"
    )
    html.add_argument("--radius", type=_positive, default=2, help="links from the centre in the ego view (default: 2)")
    html.add_argument(
        "--max-nodes", type=_count, default=1500, help="nodes drawn at first; 0 draws all (default: 1500)"
    )
    html.add_argument("--out", type=Path, help="page to write (default: next to the graph, named after the view)")


HTML_EXAMPLES = (
    "kg html                                          output/graph.ttl -> output/graph.html (whole graph)",
    "kg html --view coauthor --graph out/graph.ttl    -> out/coauthors.html",
    "kg html --view technique --max-nodes 0           every technique drawn",
    'kg html --view ego --centre "Luke Zettlemoyer"   -> output/ego-Luke_Zettlemoyer.html',
    "kg html --view ego --centre DiT --radius 1 --out dit.html",
)


def _html(args: argparse.Namespace) -> int:
    path, caption = explore.html_page(
        args.graph, args.view, centre=args.centre, radius=args.radius, max_nodes=args.max_nodes, out=args.out
    )
    print(f"Wrote {path} ({caption})")
    return EXIT_OK


def _params(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param needs KEY=VALUE, got {pair!r}")
        out[key.strip()] = value
    return out


def _show(table: Table, fmt: str, limit: int = 0) -> int:
    print(format_table(table, fmt))
    if fmt == "table":
        more = "; there may be more: --limit 0 lists all" if limit and len(table.rows) == limit else ""
        print(f"({len(table.rows)} rows{more})", file=sys.stderr)
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    if args.list:
        for name in query_names():
            q = named_query(name)
            params = " ".join(f"{p.name}=" + (p.default or "...") for p in q.params)
            print(f"{name}  {params}\n    {q.description}")
        return EXIT_OK
    if bool(args.name) == bool(args.file):
        raise QueryError("give a query name or --file, not both or neither (kg query --list shows the names)")
    text = args.file.read_text(encoding="utf-8") if args.file else None
    if args.endpoint:
        from kg.endpoint import EndpointError, query_endpoint

        try:
            table = query_endpoint(
                args.endpoint, args.name, text=text, params=_params(args.param), default_graphs=args.default_graph,
                user=args.user, password_env=args.password_env, limit=args.limit,
            )  # fmt: skip
        except EndpointError as err:
            print(f"kg query: {err}", file=sys.stderr)
            return EXIT_NOTHING_BUILT
        return _show(table, args.format, args.limit)
    table = explore.query_graph(
        args.graph, args.name, text=text, params=_params(args.param), engine=args.engine, store=args.store,
        limit=args.limit,
    )  # fmt: skip
    return _show(table, args.format, args.limit)


PUSH_EXAMPLES = """\
examples:
  kg push --endpoint http://localhost:7878/store --replace          Oxigraph (oxigraph serve --union-default-graph)
  kg push --endpoint http://localhost:3030/ds/data --graph out/graph.ttl --replace   Apache Jena Fuseki
  KG_ENDPOINT_PASSWORD=... kg push --endpoint https://host/repositories/kg/rdf-graphs/service --user me
  kg push --store-dir /srv/oxigraph --replace                       offline, the server stopped; then
                                                                    oxigraph serve --location /srv/oxigraph
named graphs (--layout day): BASE published/day/DATE (a digest day and the papers first listed that day),
BASE published/shared (people, concepts), BASE published/pairs (collaboration and co-occurrence counts,
always replaced); --layout single: BASE published/all. No triple is in two graphs: query the union.
"""


def _add_credentials(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="NAME", help="user name for HTTP basic (or digest) authentication")
    parser.add_argument(
        "--password-env",
        default="KG_ENDPOINT_PASSWORD",
        metavar="VAR",
        help="environment variable holding the password for --user (default: KG_ENDPOINT_PASSWORD)",
    )


def _add_push_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    push = commands.add_parser(
        "push",
        help="load graph.ttl into a SPARQL 1.1 triple store (Graph Store Protocol), or an Oxigraph store offline",
        description="Send the built graph to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol, "
        "split into named graphs (one per digest day, or one in all). Without --replace each graph is merged "
        "into (POST); with it, each graph pushed is replaced (PUT). --store-dir writes an Oxigraph server's "
        "on-disk store directly (the fast path for large graphs; the server must be stopped).",
        epilog=PUSH_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    push.add_argument(
        "--graph", type=Path, default=Path("output/graph.ttl"), help="graph to push (default: output/graph.ttl)"
    )
    target = push.add_mutually_exclusive_group(required=True)
    target.add_argument("--endpoint", metavar="URL", help="the store's Graph Store Protocol endpoint")
    target.add_argument("--store-dir", type=Path, metavar="DIR", help="an Oxigraph store folder, loaded offline")
    push.add_argument(
        "--layout", choices=("day", "single"), default="day", help="named graphs: one per day, or one (default: day)"
    )
    push.add_argument("--graph-iri", metavar="IRI", help="the graph of --layout single (default: BASE published/all)")
    push.add_argument("--replace", action="store_true", help="replace the graphs pushed (PUT) instead of merging")
    push.add_argument(
        "--chunk-mb", type=_positive, default=8, metavar="MB", help="largest request body, in MB (default: 8)"
    )
    push.add_argument(
        "--loader",
        choices=("auto", "oxigraph", "pyoxigraph"),
        default="auto",
        help="with --store-dir: 'oxigraph load' (auto: when the command is installed) or pyoxigraph's bulk loader",
    )
    _add_credentials(push)
    push.set_defaults(handler=_push)


def _push(args: argparse.Namespace) -> int:
    from kg.endpoint import EndpointError, push_graph_file

    if args.graph_iri and args.layout != "single":
        print("kg push: --graph-iri goes with --layout single", file=sys.stderr)
        return EXIT_USAGE
    try:
        summary = push_graph_file(
            args.graph, endpoint=args.endpoint, store_dir=args.store_dir, layout=args.layout,
            single_graph=args.graph_iri, replace=args.replace, user=args.user, password_env=args.password_env,
            chunk_bytes=args.chunk_mb * 1024 * 1024, loader=args.loader,
        )  # fmt: skip
    except GraphFileError as err:
        print(f"kg push: {err}", file=sys.stderr)
        return EXIT_USAGE
    except (EndpointError, OSError) as err:
        print(f"kg push: {err}", file=sys.stderr)
        return EXIT_NOTHING_BUILT
    print(summary)
    return EXIT_OK


VALIDATE_EXAMPLES = """\
examples:
  kg validate                                      output/graph.ttl against the shipped shapes
  kg validate out/graph.ttl --max 50               list up to 50 violations (0: all)
  kg validate graph.ttl --shapes my-shapes.ttl     other shapes
exit codes: 0 the graph conforms, 1 violations found, 2 a file is missing or not readable Turtle.
"""


def _add_validate_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate = commands.add_parser(
        "validate",
        help="check graph.ttl against the RDF contract (SHACL shapes)",
        description="Check a built graph against the SHACL shapes of its contract (ontology/shapes.ttl: papers, "
        "author order, people, concepts, mention evidence, digests, votes, collaboration and co-occurrence "
        "pairs) with pySHACL, and print each violation on a line, counted by rule.",
        epilog=VALIDATE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument(
        "graph",
        nargs="?",
        type=Path,
        default=Path("output/graph.ttl"),
        help="graph to check (default: output/graph.ttl)",
    )
    validate.add_argument(
        "--shapes", type=Path, metavar="FILE", help="SHACL shapes in Turtle (default: the shipped ones)"
    )
    validate.add_argument(
        "--max", type=_count, default=20, metavar="N", help="violations listed, after the counts (default: 20; 0: all)"
    )
    validate.set_defaults(handler=_validate)


def _validate(args: argparse.Namespace) -> int:
    return _check_graph("kg validate", args.graph, args.shapes, args.max)


def _check_graph(command: str, graph: Path, shapes: Path | None, limit: int) -> int:
    from kg.validate import ShapesError, validate_file

    try:
        report, text = validate_file(graph, shapes, limit)
    except (GraphFileError, ShapesError) as err:
        print(f"{command}: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(text)
    return EXIT_OK if report.conforms else EXIT_NOTHING_BUILT


def _clusters(args: argparse.Namespace) -> int:
    plot = None if args.no_plot else args.graph.parent / "clusters.svg"
    found, network = explore.clusters(args.graph, min_papers=args.min_papers, plot=plot)
    if args.format == "json":
        print(json.dumps(explore.cluster_records(found, network), ensure_ascii=False, indent=1))
    else:
        _show(explore.clusters_table(found), args.format)
    if plot is not None:
        print(f"Wrote {plot}", file=sys.stderr)
    return EXIT_OK


def _trends(args: argparse.Namespace) -> int:
    plot = None if args.no_plot else args.graph.parent / "trends.svg"
    _show(explore.trends(args.graph, args.technique, top=args.top, plot=plot), args.format)
    if plot is not None:
        print(f"Wrote {plot}", file=sys.stderr)
    return EXIT_OK


def _eval(args: argparse.Namespace) -> int:
    for folder, what in ((args.gold, "gold folder"), (args.corpus, "corpus folder")):
        if not folder.is_dir():
            print(f"kg eval: {folder}: no such {what}", file=sys.stderr)
            return EXIT_USAGE
    from kg.evaluate import format_score
    from kg.pipeline import run_eval

    scores = run_eval(args.gold, args.corpus)
    for name, score in scores.items():
        print(format_score(name, score, args.examples))
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from kg.atomic import Busy
    from kg.pipeline import run_build
    from kg.update import StoreMismatch

    update = args.update or args.store is not None
    if (args.rebuild or args.no_export) and not update:
        print("kg build: --rebuild and --no-export need --update", file=sys.stderr)
        return EXIT_USAGE
    if args.validate and args.no_export:
        print("kg build: --validate checks graph.ttl, which --no-export does not write", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = run_build(
            args.inputs,
            args.out,
            base=args.base,
            html=not args.no_html,
            max_nodes=args.max_nodes,
            max_bytes=args.max_file_size * 1024 * 1024,
            store=(args.store or args.out / "store") if update else None,
            rebuild=args.rebuild,
            export=not args.no_export,
            workers=args.workers or 0,
        )
    except (InputError, StoreMismatch) as err:
        print(f"kg build: {err}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as err:  # the store is locked by another kg process, or unreadable
        print(f"kg build: cannot open the store: {err}", file=sys.stderr)
        return EXIT_USAGE
    except Busy as err:  # another build writes into the same folder or store
        print(f"kg build: {err}", file=sys.stderr)
        return EXIT_NOTHING_BUILT
    _left_to_exit(result)
    _print_problems(result)
    if not result.papers:
        print("kg build: no papers could be built; nothing was written", file=sys.stderr)
        return EXIT_NOTHING_BUILT
    print(_summary(result))
    if args.validate:
        return _check_graph("kg build", args.out / "graph.ttl", None, 20)
    return EXIT_OK


def _print_problems(result: BuildResult) -> None:
    for p in sorted(result.problems, key=lambda p: (p.file, p.line, p.message)):
        print(f"{p.file}:{p.line}: {p.severity}: {p.message}", file=sys.stderr)


def _summary(result: BuildResult) -> str:
    errors = sum(p.severity == "error" for p in result.problems)
    warnings = len(result.problems) - errors
    problems = f"Problems: {errors} errors, {warnings} warnings" + (" (listed on stderr)." if result.problems else ".")
    stored = []
    if result.stored:
        added = result.added
        stored.append(
            f"Store {result.stored}: added {len(added.sources)} files ({len(added.skipped)} unchanged, skipped); "
            f"wrote {len(added.papers)} papers."
        )
        if not result.outputs:  # an update only: the counts below would read the whole store
            return "\n".join([*stored, f"The graph has {result.papers} papers. {problems}"])
    concepts = result.concept_counts()
    lines = [
        f"Built {result.papers} papers, {result.count_type(SCHEMA.Person)} authors, "
        f"{result.count_type(KG.Digest)} digest days "
        f"from {len(result.files)} files.",
        "Concepts: "
        + ", ".join(f"{n} {k if k != 'discoveredconcept' else 'of unknown kind'}" for k, n in concepts.items()),
        f"Papers with a technique: {result.with_technique} of {result.papers}. Discovered concepts: "
        f"{result.count_type(KG.DiscoveredConcept)}. Summaries that may describe another paper "
        f"(kg:summaryMismatch): {result.count_subjects(KG.summaryMismatch)}.",
        f"Triples: {result.triples}. {problems}",
        *stored,
    ]
    lines += [f"Wrote {path}" for path in result.outputs]
    return "\n".join(lines)


_AS_PROGRAM = False  # set by ``run``: the process ends with the command


def _left_to_exit(built: object) -> None:
    """Never free ``built`` when ``kg`` runs as a program (``run``): the operating system takes a
    process's memory back at once when it ends, while freeing the graph of the corpus object by
    object takes 0.25 s after the work is done. ``main`` called from Python frees it as usual.
    """
    if _AS_PROGRAM:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(built))  # a reference nobody gives back


def run() -> None:
    """The ``kg`` program (the console script, ``python -m kg.cli``): ``main``, then exit with its code."""
    global _AS_PROGRAM
    _AS_PROGRAM = True
    sys.exit(main())


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except BrokenPipeError:  # the reader (head, less) stopped early: not an error
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:  # Ctrl-C: outputs are renamed into place only when complete
        print(f"kg {args.command}: interrupted; files and stores written before are unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    return code


if __name__ == "__main__":
    run()
