"""Pair weights counted at build time (kg.pairs) and written as kg:Collaboration / kg:Cooccurrence."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, Graph

from kg.analysis import coauthor_graph, cooccurrence_graph
from kg.build import build_graph
from kg.load import example_digests
from kg.namespace import KG, SCHEMA
from kg.network import to_networkx
from kg.pairs import MAX_PAIR_MEMBERS, count_id_pairs, count_pairs
from kg.pipeline import run_build


@pytest.mark.parametrize(
    ("groups", "min_papers", "expected"),
    [
        ([["a", "b"], ["b", "a"]], 2, [("a", "b", 2, 2.0)]),  # order inside a paper does not matter
        ([["a", "b"]], 2, []),  # one joint paper is below the default threshold
        ([["a", "b"]], 1, [("a", "b", 1, 1.0)]),  # ... and counted when asked for
        ([["a", "a", "b"], ["a", "b"]], 2, [("a", "b", 2, 2.0)]),  # a name listed twice counts once
        ([["a"], ["a"], []], 1, []),  # solo papers and empty lists make no pair
        ([["a", "b", "c"], ["a", "b"]], 2, [("a", "b", 2, 1.5)]),  # Newman: a 3-author paper adds 1/2
        ([["b", "c"], ["a", "b"], ["c", "b"], ["a", "b"]], 2, [("a", "b", 2, 2.0), ("b", "c", 2, 2.0)]),  # sorted
    ],
)
def test_count_pairs(groups: list[list[str]], min_papers: int, expected: list[tuple[str, str, int, float]]) -> None:
    assert [(p.first, p.second, p.papers, p.newman) for p in count_pairs(groups, min_papers)] == expected


@pytest.mark.parametrize(
    ("members", "pairs"),
    [
        (MAX_PAIR_MEMBERS, MAX_PAIR_MEMBERS * (MAX_PAIR_MEMBERS - 1) // 2),  # the largest paper that pairs
        (MAX_PAIR_MEMBERS + 1, 0),  # hyperauthorship: no pairs (50 million for 10,000 authors)
    ],
)
def test_papers_with_too_many_authors_add_no_pairs(members: int, pairs: int) -> None:
    group = [f"p{i:05}" for i in range(members)]
    assert len(count_pairs([group, group])) == pairs
    assert len(count_id_pairs([range(members), range(members)])) == pairs


def test_a_hyperauthored_paper_keeps_its_authors_with_a_warning(tmp_path: Path) -> None:
    names = ", ".join(f"Given{i} Family{i}" for i in range(MAX_PAIR_MEMBERS + 1))
    day = tmp_path / "2024-08-01.md"
    day.write_text(
        "## Daily Papers (2024-08-01)\n"
        + "".join(f"### [Big {n}](https://arxiv.org/abs/2408.0000{n})\nAuthors: {names}\n" for n in (1, 2)),
        encoding="utf-8",
    )
    result = run_build([day], None, html=False)
    assert result.count_type(SCHEMA.Person) == MAX_PAIR_MEMBERS + 1
    assert result.count_type(KG.Collaboration) == 0
    assert [(p.line, p.severity) for p in result.problems] == [(2, "warning"), (4, "warning")]
    assert "lists 1,001 authors, over 1,000" in result.problems[0].message


@given(st.lists(st.lists(st.sampled_from("abcdefg"), max_size=6), max_size=30), st.integers(1, 3))
def test_count_pairs_equals_counting_every_pair_by_hand(groups: list[list[str]], min_papers: int) -> None:
    counts: dict[tuple[str, str], int] = {}
    for group in groups:
        for pair in combinations(sorted(set(group)), 2):
            counts[pair] = counts.get(pair, 0) + 1
    expected = sorted((a, b, n) for (a, b), n in counts.items() if n >= min_papers)
    assert [(p.first, p.second, p.papers) for p in count_pairs(groups, min_papers)] == expected


def stored_pairs(graph: Graph, cls: object, member: object) -> dict[frozenset[str], tuple[int, float]]:
    out = {}
    for node in graph.subjects(RDF.type, cls):
        members = frozenset(str(m) for m in graph.objects(node, member))
        assert len(members) == 2, node
        newman = graph.value(node, KG.newmanWeight)
        out[members] = (int(graph.value(node, KG.jointPapers)), float(newman) if newman is not None else 0.0)
    return out


def assert_pairs_equal_networkx(graph: Graph) -> int:
    """The build's pairs are exactly networkx's pairs with 2+ joint papers, with the same weights."""
    network = to_networkx(graph)
    co = coauthor_graph(network)
    stored = stored_pairs(graph, KG.Collaboration, KG.collaborator)
    expected = {frozenset((a, b)): (d["papers"], d["newman"]) for a, b, d in co.edges(data=True) if d["papers"] >= 2}
    assert stored.keys() == expected.keys()
    for key, (papers, newman) in expected.items():
        assert stored[key][0] == papers and abs(stored[key][1] - newman) < 1e-6, key
    techniques = cooccurrence_graph(network)
    stored_techniques = {k: v[0] for k, v in stored_pairs(graph, KG.Cooccurrence, KG.cooccurring).items()}
    expected_techniques = {
        frozenset((a, b)): d["papers"] for a, b, d in techniques.edges(data=True) if d["papers"] >= 2
    }
    assert stored_techniques == expected_techniques
    return len(stored)


def test_example_pairs_equal_networkx() -> None:
    assert assert_pairs_equal_networkx(build_graph(example_digests())) > 0
