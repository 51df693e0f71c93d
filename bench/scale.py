"""Co-author analysis at 100k synthetic papers: which engine runs the heavy algorithms.

    python bench/scale.py                 # 100k papers, ~175k authors (several minutes: networkx Louvain)
    python bench/scale.py --papers 20000  # a quicker look
    python bench/scale.py --skip-networkx # only the engines papers-kg uses

The papers are synthetic and seeded: authors belong to labs of 10-60 people; a paper's team is
drawn mostly from one lab, sometimes with outside collaborators, with sizes skewed like real
author lists (most 3-10, a few consortium papers of 50+). Prints, for the co-author graph:
counting the pairs once (what ``kg build`` does), building the networkx graph users get back,
communities by networkx Louvain and by igraph Leiden (``kg.analysis.communities``) with their
modularity, and PageRank by networkx and by igraph (``kg.analysis.central_authors``) with the
overlap of their top 100.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable
from typing import TypeVar

import igraph as ig
import networkx as nx
import numpy as np

from kg.analysis import central_authors, communities
from kg.pairs import count_pairs, tally_pairs

T = TypeVar("T")


def synthetic_papers(papers: int, authors: int, seed: int) -> list[list[str]]:
    """Author lists (names "A123") for ``papers`` papers among ``authors`` people in labs."""
    rng = np.random.default_rng(seed)
    lab_sizes = rng.integers(10, 61, size=authors // 10)
    bounds = np.cumsum(lab_sizes)
    bounds = bounds[bounds <= authors]
    starts = np.concatenate(([0], bounds[:-1]))
    sizes = np.clip(np.round(rng.lognormal(mean=1.95, sigma=0.6, size=papers)).astype(int), 1, 400)
    out = []
    for size in sizes:
        lab = int(rng.integers(len(starts)))
        lo, hi = int(starts[lab]), int(bounds[lab])
        inside = rng.integers(lo, hi, size=size)
        outside = rng.random(size) < 0.15  # some collaborators from anywhere
        team = np.where(outside, rng.integers(0, authors, size=size), inside)
        out.append([f"A{i}" for i in np.unique(team)])
    return out


def timed(label: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    print(f"{label:52s} {time.perf_counter() - start:8.1f} s")
    return result


def coauthor_graph_from(pairs_of: list[list[str]]) -> nx.Graph[str]:
    graph: nx.Graph[str] = nx.Graph()
    for pair in tally_pairs(pairs_of):
        graph.add_edge(pair.first, pair.second, papers=pair.papers, newman=pair.newman)
    return graph


def modularity(graph: nx.Graph[str], parts: list[set[str]], weight: str) -> float:
    nodes = sorted(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges])
    membership = [0] * len(nodes)
    for k, part in enumerate(parts):
        for n in part:
            membership[index[n]] = k
    weights = [float(d[weight]) for _, _, d in graph.edges(data=True)]
    return float(g.modularity(membership, weights=weights))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--authors", type=int, default=175_000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--skip-networkx", action="store_true", help="skip networkx Louvain and PageRank")
    args = parser.parse_args()

    papers = timed(
        f"synthetic papers ({args.papers:,})", lambda: synthetic_papers(args.papers, args.authors, args.seed)
    )
    pairs = timed("count co-author pairs once (as kg build does)", lambda: count_pairs(papers))
    print(f"  pairs with 2+ joint papers (written as kg:Collaboration): {len(pairs):,}")
    graph = timed("networkx co-author graph (what users get back)", lambda: coauthor_graph_from(papers))
    print(f"  {graph.number_of_nodes():,} authors with a co-author, {graph.number_of_edges():,} co-author edges")

    leiden = timed("communities: igraph Leiden, seeded (kg.analysis)", lambda: communities(graph, weight="papers"))
    print(f"  {len(leiden):,} communities, modularity {modularity(graph, leiden, 'papers'):.4f}")
    if not args.skip_networkx:
        louvain = timed(
            "communities: networkx Louvain, seeded",
            lambda: nx.community.louvain_communities(graph, weight="papers", seed=args.seed),
        )
        print(f"  {len(louvain):,} communities, modularity {modularity(graph, louvain, 'papers'):.4f}")

    top = timed("PageRank: igraph, Newman weights (kg.analysis)", lambda: central_authors(graph, top=100))
    if not args.skip_networkx:
        timed("PageRank: networkx (scipy), Newman weights", lambda: nx.pagerank(graph, weight="newman"))
        # networkx stops when the summed change is under n * 1e-6, loose for the top scores; converged
        # further, it gives igraph's answer.
        ranks = timed(
            "PageRank: networkx, converged to tol 1e-10",
            lambda: nx.pagerank(graph, weight="newman", tol=1e-10, max_iter=1000),
        )
        best = {n for n, _ in sorted(ranks.items(), key=lambda kv: (-kv[1], kv[0]))[:100]}
        shared = len(best & {name for name, _, _ in top})
        gap = max(abs(score - ranks[name]) / ranks[name] for name, score, _ in top)
        print(f"  top-100 authors shared by both engines: {shared}; largest score difference {gap:.2%}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
