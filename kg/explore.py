"""The analysis commands over an exported graph: one function per ``kg`` command, shared with Python.

Each reads ``graph.ttl`` into Oxigraph once (about 1.6 s for the corpus), answers with named queries
or the networkx analysis, and returns a ``Table`` (or clusters) that the CLI prints as text, CSV or
JSON. Pictures are written next to the graph.

>>> import tempfile, pathlib
>>> from kg.pipeline import run_build
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> _ = run_build([], out, html=False)
>>> table = collaborators(out / "graph.ttl", "Shenghai Yuan")
>>> table.columns, table.rows[0][1]
(('coauthor', 'papers', 'newman'), 2)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg import analysis
from kg.queries import Engine, OxigraphEngine, QueryError, RdflibEngine, Table, named_query, parse_query, select
from kg.store import check_graph_file, load_network, load_store


def open_engine(graph: Path, engine: str = "oxigraph", store: Path | None = None) -> Engine:
    """A SPARQL engine over the Turtle file ``graph``: ``oxigraph`` (fast) or ``rdflib``; or Oxigraph
    over the store folder that ``kg build --update`` keeps (``store``)."""
    if store is not None:
        return OxigraphEngine.from_store(store)
    if engine == "rdflib":
        return RdflibEngine(Graph().parse(check_graph_file(graph), format="turtle"))
    return OxigraphEngine(load_store(graph))


def query_graph(
    graph: Path,
    name: str | None = None,
    *,
    text: str | None = None,
    params: Mapping[str, str] | None = None,
    engine: str = "oxigraph",
    store: Path | None = None,
    limit: int | None = None,
) -> Table:
    """A shipped query by ``name``, or else the user's own query ``text``, over the graph file (or
    store); ``limit``: the first rows only."""
    if not name and not (text or "").strip():
        raise QueryError("give a query name or --file")
    query = named_query(name) if name else parse_query(text or "", "query")
    return select(open_engine(graph, engine, store), query, params or {}, limit)


def collaborators(graph: Path, author: str) -> Table:
    """An author's co-authors with joint papers and Newman's collaboration weight, strongest first."""
    co = analysis.coauthor_graph(load_network(graph))
    node = analysis.find_author(co, author)
    rows = sorted(
        (
            (str(co.nodes[v]["label"]), int(d["papers"]), round(float(d["newman"]), 3))
            for _, v, d in co.edges(node, data=True)
        ),
        key=lambda r: (-r[1], -r[2], r[0]),
    )
    return Table(("coauthor", "papers", "newman"), list(rows))


def collaboration_path(graph: Path, a: str, b: str) -> Table:
    """The shortest chain of co-authors from ``a`` to ``b``, with the papers each link shares."""
    co = analysis.coauthor_graph(load_network(graph))
    names = analysis.collaboration_path(co, a, b)
    keys = [analysis.find_author(co, n) for n in names]
    rows = [(i, names[i], int(co.edges[keys[i - 1], keys[i]]["papers"]) if i else None) for i in range(len(names))]
    return Table(("step", "author", "papers_with_previous"), list(rows))


def central(graph: Path, top: int = 20) -> Table:
    """Authors by weighted PageRank on the co-author graph (Newman weights)."""
    co = analysis.coauthor_graph(load_network(graph))
    rows = [(name, round(score * 1000, 4), papers) for name, score, papers in analysis.central_authors(co, top)]
    return Table(("author", "pagerank_x1000", "coauthored_links"), list(rows))


def clusters(
    graph: Path, *, min_papers: int = 3, plot: Path | None = None
) -> tuple[list[analysis.Cluster], nx.DiGraph[str]]:
    """Topic clusters of the graph's techniques; with ``plot``, an overview picture is written there."""
    network = load_network(graph)
    found = analysis.topic_clusters(network, min_papers=min_papers)
    if plot is not None:
        from kg.plots import plot_clusters  # matplotlib only when a picture is asked for

        plot_clusters(found, plot)
    return found, network


def cluster_records(found: Sequence[analysis.Cluster], network: nx.DiGraph[str]) -> list[dict[str, object]]:
    """Clusters for JSON: papers by arXiv id."""
    return [
        {
            "cluster": c.number,
            "label": c.label,
            "techniques": list(c.techniques),
            "papers": [str(network.nodes[p].get("arxiv_id", p)) for p in c.papers],
            "top_authors": list(c.authors),
        }
        for c in found
    ]


def clusters_table(found: Sequence[analysis.Cluster]) -> Table:
    rows = [(c.number, len(c.papers), c.label, ", ".join(c.authors[:3])) for c in found]
    return Table(("cluster", "papers", "techniques", "top_authors"), list(rows))


def trends(graph: Path, techniques: Sequence[str] = (), *, top: int = 8, plot: Path | None = None) -> Table:
    """Papers per ISO week for each technique (any label; narrower concepts count), by SPARQL.

    With no ``techniques``, the ``top`` techniques by papers. Weeks with no paper show as 0.
    """
    engine = open_engine(graph)
    if not techniques:
        ranked = select(engine, named_query("top-techniques"), {"min": 1})
        techniques = [str(r[0]) for r in ranked.rows[:top]]
    series: dict[str, dict[str, int]] = {}
    for technique in techniques:
        rows = select(engine, named_query("technique-trend"), {"technique": technique}).rows
        series[technique] = {str(week): int(str(n)) for week, n in rows}
    weeks = analysis.all_weeks(sorted(str(row[0]) for row in select(engine, named_query("weeks")).rows))
    values = {t: [s.get(w, 0) for w in weeks] for t, s in series.items()}
    if plot is not None:
        from kg.plots import plot_trends

        plot_trends(weeks, values, plot)
    return Table(("week", *techniques), [(w, *(values[t][i] for t in techniques)) for i, w in enumerate(weeks)])


PAGE_NAMES = {"whole": "graph.html", "coauthor": "coauthors.html", "technique": "techniques.html"}


def html_page(
    graph: Path,
    view: str = "whole",
    *,
    centre: str | None = None,
    radius: int = 2,
    max_nodes: int = 1500,
    out: Path | None = None,
) -> tuple[Path, str]:
    """Write the page of one view of the graph file: ``whole``, ``coauthor``, ``technique`` or ``ego``
    (around ``centre``: a person, concept label or abbreviation, paper title or arXiv id).

    Returns the file written (default: next to the graph) and the view's caption.
    """
    from kg import views
    from kg.export import write_atomic
    from kg.facts import read_facts
    from kg.network import to_networkx
    from kg.page import render_page
    from kg.store import OxigraphTriples

    triples = OxigraphTriples(load_store(graph))
    network = to_networkx(triples)
    facts = read_facts(triples)
    chosen = views.make_view(network, view, centre=centre, aliases=facts.alt_labels, radius=radius)
    ego = chosen.centre.rstrip("/").rsplit("/", 1)[-1] if chosen.centre is not None else None
    name = f"ego-{ego}.html" if ego else PAGE_NAMES[view]
    papers = sum(1 for _, d in network.nodes(data=True) if d.get("kind") == "paper")
    html = render_page(chosen, network, facts, title=f"papers-kg: {papers} papers", max_nodes=max_nodes)
    target = out if out is not None else graph.parent / name
    return write_atomic(target, html), chosen.caption
