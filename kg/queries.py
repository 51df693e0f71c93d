"""Named SPARQL queries shipped in ``kg/queries/*.rq``, run in rdflib or in Oxigraph (pure but for
reading the shipped files).

Each ``.rq`` file starts with comment lines: a description, then one ``# @param NAME TYPE [>= MIN]
[= DEFAULT] help`` line per parameter. Values go in as values: rdflib's ``initBindings``, and for
Oxigraph and remote endpoints a ``VALUES`` row of escaped literals (``inline_values``); never is a
value pasted into the query's structure, so a name with quotes or braces is just a name. Each
query projects its parameters; the result leaves them out.

>>> from kg.build import build_graph
>>> from kg.parse import parse_digest
>>> d = parse_digest('''## Daily Papers (2024-08-01)
... ### [MoMa](https://arxiv.org/abs/2407.21770)
... Authors: Mike Lewis
... - **What's New**: Mixture of Modality-Aware Experts(MoMa)를 제안합니다.
... ''', "d.md")
>>> table = select(RdflibEngine(build_graph([d])), named_query("papers-by-technique"), {"technique": "MoE"})
>>> table.columns, table.rows
(('id', 'title', 'via'), [('2407.21770', 'MoMa', 'Mixture of Modality-Aware Experts')])
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.query import Result

if TYPE_CHECKING:
    from kg.endpoint import Endpoint

Value = str | int | float | None
_PARAM = re.compile(r"^#\s*@param\s+(\w+)\s+(string|integer)(?:\s*>=\s*(-?\d+))?(?:\s*=\s*(\S+))?\s*(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # "string" or "integer"
    default: str | None
    help: str
    minimum: int | None = None  # integers only: ``# @param min integer >= 2 = 2 ...``


@dataclass(frozen=True)
class Query:
    """A SPARQL SELECT with its declared parameters."""

    name: str
    text: str
    description: str
    params: tuple[Param, ...]


class Row(dict[str, Value]):
    """One result row: ``row["papers"]`` or ``row.papers``."""

    def __getattr__(self, name: str) -> Value:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Table:
    """Rows of a SELECT, values as Python values (``int`` for integers, ``str`` otherwise).

    Iterating gives ``Row`` objects keyed by variable name.
    """

    columns: tuple[str, ...]
    rows: list[tuple[Value, ...]]

    def records(self) -> list[Row]:
        return [Row(zip(self.columns, row, strict=True)) for row in self.rows]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.records())

    def __len__(self) -> int:
        return len(self.rows)


class QueryError(ValueError):
    """A query that cannot be run as asked: unknown name, missing or malformed parameter."""


def parse_query(text: str, name: str = "query") -> Query:
    """Description and ``@param`` lines from the leading comments of a query text.

    >>> q = parse_query("# Papers of one author.\\n# @param author string  a name\\nSELECT ?x ?author {}")
    >>> q.description, q.params[0].name, q.params[0].type
    ('Papers of one author.', 'author', 'string')
    """
    description: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m:
            minimum = int(m.group(3)) if m.group(3) is not None else None
            params.append(Param(m.group(1), m.group(2), m.group(4), m.group(5).strip(), minimum))
        else:
            description.append(line.lstrip("#").strip())
    return Query(name, text, " ".join(d for d in description if d), tuple(params))


def query_names() -> list[str]:
    """Names of the shipped queries."""
    folder = resources.files("kg").joinpath("queries")
    return sorted(e.name[:-3] for e in folder.iterdir() if e.name.endswith(".rq"))


@cache
def named_query(name: str) -> Query:
    """A shipped query; ``QueryError`` names the ones that exist."""
    if name not in query_names():
        raise QueryError(f"no query named {name!r}; known: {', '.join(query_names())}")
    text = resources.files("kg").joinpath(f"queries/{name}.rq").read_text(encoding="utf-8")
    return parse_query(text, name)


def bind(query: Query, given: Mapping[str, str | int]) -> dict[str, str | int]:
    """Parameter values: given ones checked and typed, defaults filled in, unknown ones refused."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        allowed = ", ".join(known) or "none"
        raise QueryError(f"{query.name}: unknown parameter {', '.join(unknown)} (parameters: {allowed})")
    out: dict[str, str | int] = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value is None:
            raise QueryError(f"{query.name}: missing parameter {p.name} ({p.help}); give --param {p.name}=VALUE")
        if p.type == "integer":
            try:
                value = int(value)
            except ValueError:
                raise QueryError(f"{query.name}: parameter {p.name} must be a whole number, got {value!r}") from None
            if p.minimum is not None and value < p.minimum:
                raise QueryError(f"{query.name}: parameter {p.name} must be at least {p.minimum}, got {value}")
        out[p.name] = value
    return out


class Engine(Protocol):
    name: str

    def run(self, text: str, bindings: Mapping[str, str | int]) -> Table: ...


class RdflibEngine:
    """rdflib's own SPARQL engine over an in-memory ``Graph``."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def run(self, text: str, bindings: Mapping[str, str | int]) -> Table:
        result: Result = self.graph.query(text, initBindings={k: Literal(v) for k, v in bindings.items()})
        columns = tuple(str(v) for v in result.vars or ())
        rows = [tuple(_rdflib_value(term) for term in row) for row in result]  # type: ignore[union-attr]
        return Table(columns, rows)


class OxigraphEngine:
    """Oxigraph's SPARQL engine (embedded, Rust) over an in-memory store: fast on joins."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, union: bool = False) -> None:
        self.store = store
        self.union = union  # query the union of the named graphs (a build store keeps its parts in them)

    @classmethod
    def from_turtle(cls, path: Path) -> OxigraphEngine:
        from kg.store import load_store

        return cls(load_store(path))

    @classmethod
    def from_store(cls, path: Path) -> OxigraphEngine:
        """The store folder of ``kg build --update``, opened read-only (a running update may hold it)."""
        from kg.store import open_build_store

        return cls(open_build_store(path), union=True)

    def run(self, text: str, bindings: Mapping[str, str | int]) -> Table:
        # The values go in as a VALUES row of escaped literals (inline_values), not as Oxigraph's
        # substitutions: those are applied after the query is planned, so a technique query scanned
        # every mention (0.12 s on the corpus) where a VALUES row lets it look them up (0.002 s).
        solutions = self.store.query(inline_values(text, bindings), use_default_graph_as_union=self.union)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT queries are supported")
        columns = tuple(v.value for v in solutions.variables)
        rows = [tuple(_ox_value(s[c]) for c in columns) for s in solutions]
        return Table(columns, rows)


class EndpointEngine:
    """A remote SPARQL 1.1 query endpoint (``kg.endpoint``), over HTTP.

    The SPARQL Protocol has no bindings, so the values go in as a ``VALUES`` row, each value
    written as an escaped RDF term (never pasted into the query's structure), at the start of every
    group of the query (``inline_values``): the same rows as rdflib's ``initBindings`` and Oxigraph's
    ``substitutions``. ``default_graphs`` are sent as ``default-graph-uri`` (none: the store's
    default graph, which should be the union of its named graphs).
    """

    name = "endpoint"

    def __init__(self, endpoint: Endpoint, default_graphs: tuple[str, ...] = ()) -> None:
        self.endpoint = endpoint
        self.default_graphs = default_graphs

    def run(self, text: str, bindings: Mapping[str, str | int]) -> Table:
        from kg.endpoint import select_json

        results = select_json(self.endpoint, inline_values(text, bindings), self.default_graphs)
        columns = tuple(results["head"]["vars"])
        rows = [tuple(_json_value(b.get(c)) for c in columns) for b in results["results"]["bindings"]]
        return Table(columns, rows)


_TOKEN = re.compile(
    r"""(?P<skip>\#[^\n]*|<[^<>"{}|^`\\\x00-\x20]*>"""  # a comment, an IRI
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""  # long strings
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""  # strings
    r"""|(?P<open>\{)|(?P<close>\})|(?<![?$:\w])(?P<word>[A-Za-z_]\w*)"""
)


_SKIP_COMMENT = re.compile(r"#[^\n]*")


def inline_values(text: str, bindings: Mapping[str, str | int]) -> str:
    """``text`` with a ``VALUES`` row of the bindings at the start of every group graph pattern.

    Each group gets the row (a group is evaluated on its own, so a ``BIND`` in a ``UNION`` branch
    sees the value only there), except the group around a sub-``SELECT`` (which takes no other
    pattern) and ``MINUS`` groups (where a new shared variable would change what is removed).
    Comments, strings, IRIs and ``VALUES`` data blocks are skipped, whatever they hold.

    >>> print(inline_values('SELECT ?x WHERE { ?x ?p "{" { SELECT ?y { ?y ?q ?n } } }', {"n": 'a"} #'}))
    SELECT ?x WHERE { VALUES (?n) { ("a\\"} #") } ?x ?p "{" { SELECT ?y { VALUES (?n) { ("a\\"} #") } ?y ?q ?n } } }
    """
    if not bindings:
        return text
    names = sorted(bindings)
    row = " VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(sparql_term(bindings[n]) for n in names)
    row += ") } "
    tokens = [m for m in _TOKEN.finditer(text) if m.lastgroup != "skip"]
    out: list[str] = []
    done = 0
    stack: list[bool] = []  # per open group: inside MINUS (no row) or not
    data_block = False
    for i, m in enumerate(tokens):
        if m.lastgroup == "word" and m.group().upper() == "VALUES":
            data_block = True
        elif m.lastgroup == "open":
            if data_block:
                stack.append(True)
                continue
            previous = tokens[i - 1].group().upper() if i else ""
            following = tokens[i + 1].group().upper() if i + 1 < len(tokens) else ""
            skip = previous == "MINUS" or (bool(stack) and stack[-1])
            stack.append(skip)
            if not skip and following != "SELECT":
                out.append(text[done : m.end()] + row.rstrip(" ") + " ")
                done = m.end() + (1 if text[m.end() : m.end() + 1] == " " else 0)
        elif m.lastgroup == "close" and stack:
            stack.pop()
            data_block = False
    return "".join(out) + text[done:]


_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.IGNORECASE)


def with_limit(text: str, limit: int) -> str:
    """``text`` answering at most ``limit`` rows: a ``LIMIT`` after the query's last group, or its
    own ``LIMIT`` lowered to ``limit`` when that is smaller. The limit is a checked whole number,
    never text from the user.

    >>> print(with_limit("SELECT ?s { ?s ?p '}' } ORDER BY ?s", 5))
    SELECT ?s { ?s ?p '}' } ORDER BY ?s
    LIMIT 5
    <BLANKLINE>
    >>> print(with_limit("SELECT ?s { ?s ?p ?o } LIMIT 50 # at most 50", 5))
    SELECT ?s { ?s ?p ?o } LIMIT 5 # at most 50
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise QueryError(f"a row limit must be a whole number of 1 or more, got {limit!r}")
    start, values, depth, word = 0, None, 0, ""
    for m in _TOKEN.finditer(text):  # the end of the last top-level group, and a VALUES block after it
        if m.lastgroup == "word":
            word = m.group().upper()
            if word == "VALUES" and depth == 0:
                values = m.start()
        elif m.lastgroup == "open":
            depth += 1
        elif m.lastgroup == "close" and depth:
            depth -= 1
            if depth == 0 and word != "VALUES":
                start, values = m.end(), None
    end = values if values is not None else len(text)
    modifiers = _SKIP_COMMENT.sub(lambda m: " " * len(m.group()), text[start:end])  # comments blanked
    own = _LIMIT.search(modifiers)
    if own:
        new = str(min(int(own.group(1)), limit))
        return text[: start + own.start(1)] + new + text[start + own.end(1) :]
    if values is not None:
        return text[:values] + f"LIMIT {limit}\n" + text[values:]
    return text.rstrip() + f"\nLIMIT {limit}\n"  # on its own line: the text may end in a comment


def sparql_term(value: str | int) -> str:
    """A value as a SPARQL literal: escaped quotes, backslashes and line ends; integers typed.

    >>> print(sparql_term('say "hi"\\n'), sparql_term("C:\\\\new"), sparql_term(-3))
    "say \\"hi\\"\\n" "C:\\\\new" "-3"^^<http://www.w3.org/2001/XMLSchema#integer>
    """
    if isinstance(value, int):
        return f'"{value}"^^<{XSD.integer}>'
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    escaped = escaped.replace("\t", "\\t")  # rdflib's parser (pyparsing) turns a raw tab into spaces
    # rdflib expands \uXXXX before it parses, even after an escaped backslash: write that u as an escape
    return '"' + _ESCAPED_U.sub(lambda m: "\\\\" + f"\\U{ord(m.group(1)):08X}", escaped) + '"'


_ESCAPED_U = re.compile(r"\\\\([uU])")


def select(
    engine: Engine, query: Query, params: Mapping[str, str | int] | None = None, limit: int | None = None
) -> Table:
    """Run ``query`` with its parameters bound; the parameter columns are left out of the result.

    ``limit`` keeps the first rows only (``with_limit``); ``None`` or 0 keeps them all.
    """
    bindings = bind(query, params or {})
    table = engine.run(with_limit(query.text, limit) if limit else query.text, bindings)
    keep = [i for i, c in enumerate(table.columns) if c not in bindings]
    return Table(tuple(table.columns[i] for i in keep), [tuple(row[i] for i in keep) for row in table.rows])


def _rdflib_value(term: object) -> Value:
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.int, XSD.long):
            return int(term)
        if term.datatype in (XSD.decimal, XSD.double, XSD.float):
            return float(term)
        return str(term)
    return str(term)


_INTEGERS = {str(XSD.integer), str(XSD.int), str(XSD.long)}
_FLOATS = {str(XSD.decimal), str(XSD.double), str(XSD.float)}


def _ox_value(term: object) -> Value:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype in _FLOATS:
            return float(term.value)
        return term.value
    return str(getattr(term, "value", term))


def _json_value(term: Mapping[str, str] | None) -> Value:
    """A term of SPARQL JSON results as a Python value, as ``_ox_value`` makes it."""
    if term is None:
        return None
    datatype = term.get("datatype")
    if term.get("type") in ("literal", "typed-literal") and datatype in _INTEGERS:
        return int(term["value"])
    if term.get("type") in ("literal", "typed-literal") and datatype in _FLOATS:
        return float(term["value"])
    return term["value"]


# -- output ------------------------------------------------------------------------------------


def format_table(table: Table, fmt: str = "table") -> str:
    """The rows as an aligned text table, CSV, or JSON (an array of objects keyed by variable)."""
    if fmt == "json":
        return json.dumps(table.records(), ensure_ascii=False, indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(["" if v is None else v for v in row] for row in table.rows)
        return out.getvalue().rstrip("\n")
    return _aligned(table.columns, table.rows)


def _aligned(columns: Sequence[str], rows: Iterable[Sequence[Value]]) -> str:
    cells = [[str(c) for c in columns]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(columns))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(v + " " * (w - _width(v)) for v, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: Hangul and other wide characters take two columns."""
    return sum(
        2 if "\u1100" <= ch <= "\u115f" or "\u2e80" <= ch <= "\ua4cf" or "\uac00" <= ch <= "\ud7a3" else 1
        for ch in text
    )


def run_query(source: Graph | Engine, name: str, **params: str | int) -> Table:
    """A shipped query by name over an rdflib ``Graph`` (rdflib's engine) or any ``Engine``.

    ``run_query(result.graph, "coauthors", author="Luke Zettlemoyer").records()``
    """
    engine = RdflibEngine(source) if isinstance(source, Graph) else source
    return select(engine, named_query(name), params)
