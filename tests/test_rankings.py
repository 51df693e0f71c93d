"""Rankings the build keeps in the graph: ``kg:rank`` on the strongest collaborations, and each
concept's ``kg:paperCount``, ``kg:firstSeen`` and ``kg:lastSeen``.

Each is checked against what SPARQL computes from the plain facts (authorships, mentions, digest
days), after full builds of every kind and after updates, including the update where a ranked pair
weakens and the ranking has to be read from every pair again.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg import rankings
from kg.pipeline import run_build
from tests.conftest import CORPUS, need

# Our own digests. Ann and Bob share two papers, Cat and Dan two, Eve and Fay two (one with Gus,
# so their Newman weight is lower).
DAY1 = """## Daily Papers (2025-05-01)
### [Paper A on Tiny Experts](https://arxiv.org/abs/2505.00001)
Authors: Ann Ahn, Bob Baek
- **What's New**: Mixture of Experts(MoE)를 작은 모델에 씁니다.
### [Paper B on Routing](https://arxiv.org/abs/2505.00002)
Authors: Ann Ahn, Bob Baek
- **What's New**: MoE 라우터를 LoRA로 조정합니다.
### [Paper C on Splats](https://arxiv.org/abs/2505.00003)
Authors: Cat Choi, Dan Do
- **What's New**: 3D Gaussian Splatting(3DGS)을 압축합니다.
### [Paper D on Splat Editing](https://arxiv.org/abs/2505.00004)
Authors: Cat Choi, Dan Do
- **What's New**: 3DGS 장면을 편집합니다.
### [Paper E on Adapters](https://arxiv.org/abs/2505.00005)
Authors: Eve Eom, Fay Fu
- **What's New**: Low-Rank Adaptation(LoRA)의 순위를 고릅니다.
### [Paper F on Adapter Merging](https://arxiv.org/abs/2505.00006)
Authors: Eve Eom, Fay Fu, Gus Go
- **What's New**: LoRA 어댑터를 합칩니다.
"""
# A later day: Eve and Gus write two more papers together, the strongest pair now.
DAY2 = """## Daily Papers (2025-05-02)
### [Paper G on Expert Adapters](https://arxiv.org/abs/2505.00007)
Authors: Eve Eom, Gus Go
- **What's New**: MoE 전문가마다 LoRA를 붙입니다.
### [Paper H on Adapter Routing](https://arxiv.org/abs/2505.00008)
Authors: Eve Eom, Gus Go
- **What's New**: LoRA 어댑터 사이를 라우팅합니다.
"""

ALL_PAIRS = """
PREFIX kg: <https://w3id.org/papers-kg/ontology#>
SELECT ?pair ?papers ?newman WHERE {
  ?pair a ?kind ; kg:jointPapers ?papers OPTIONAL { ?pair kg:newmanWeight ?newman }
}
"""
RANKS = "PREFIX kg: <https://w3id.org/papers-kg/ontology#> SELECT ?pair ?rank WHERE { ?pair a ?kind ; kg:rank ?rank }"
KG = "https://w3id.org/papers-kg/ontology#"
COUNTS = """
PREFIX kg: <https://w3id.org/papers-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?n ?first ?last WHERE {
  ?concept skos:inScheme ?scheme ; kg:paperCount ?n .
  OPTIONAL { ?concept kg:firstSeen ?first } OPTIONAL { ?concept kg:lastSeen ?last }
}
"""
FROM_FACTS = """
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept (COUNT(DISTINCT ?paper) AS ?n) (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {
  ?concept skos:inScheme ?scheme .
  OPTIONAL { ?paper schema:mentions ?concept OPTIONAL { ?digest schema:hasPart ?paper ; schema:datePublished ?day } }
}
GROUP BY ?concept
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def graph_of(out: Path) -> Graph:
    return Graph().parse(out / "graph.ttl", format="turtle")


def expected_ranks(graph: Graph, top: int, kind: str = "Collaboration") -> list[str]:
    """The ranking computed from every pair: most joint papers, highest Newman weight (collaborations
    only), then IRI."""
    found = graph.query(ALL_PAIRS, initBindings={"kind": URIRef(KG + kind)})
    rows = [(-int(r.papers), -Decimal(str(r.newman or 0)), str(r.pair)) for r in found]  # type: ignore[union-attr]
    return [iri for *_, iri in sorted(rows)[:top]]


def stored_ranks(graph: Graph, kind: str = "Collaboration") -> list[str]:
    found = graph.query(RANKS, initBindings={"kind": URIRef(KG + kind)})
    rows = sorted((int(r.rank), str(r.pair)) for r in found)  # type: ignore[union-attr]
    assert [rank for rank, _ in rows] == list(range(1, len(rows) + 1))  # 1, 2, ... with no gap
    return [iri for _, iri in rows]


def assert_counts_match_the_facts(graph: Graph) -> None:
    stored = {str(r.concept): (int(r.n), r.first, r.last) for r in graph.query(COUNTS)}  # type: ignore[union-attr]
    facts = {str(r.concept): (int(r.n), r.first, r.last) for r in graph.query(FROM_FACTS)}  # type: ignore[union-attr]
    assert stored == facts


def build(inputs: list[Path], out: Path, **kw: object) -> Graph:
    run_build(inputs, out, html=False, workers=1, **kw)  # type: ignore[arg-type]
    return graph_of(out)


@pytest.mark.parametrize(
    "top",
    [
        1,  # only the strongest pair: Eve and Gus, three papers
        3,  # the cut falls inside a tie (Ann-Bob and Cat-Dan, 2 papers, weight 2.0 each): by IRI
        1000,  # more ranks than pairs: all four are ranked
    ],
)
def test_ranks_are_the_strongest_pairs_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, top: int) -> None:
    monkeypatch.setattr(rankings, "RANKED_PAIRS", top)
    days = [write(tmp_path / "in", "2025-05-01.md", DAY1), write(tmp_path / "in", "2025-05-02.md", DAY2)]
    graph = build(days, tmp_path / "o")
    ranked = stored_ranks(graph)
    assert ranked == expected_ranks(graph, top)
    assert len(ranked) == min(top, 4) and ranked[0].endswith("/Eve_Eom/Gus_Go")
    techniques = stored_ranks(graph, "Cooccurrence")
    assert techniques == expected_ranks(graph, top, "Cooccurrence") and techniques  # MoE and LoRA, in B and G
    assert_counts_match_the_facts(graph)


def test_updates_keep_the_ranking_of_a_full_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rankings, "RANKED_PAIRS", 2)
    every_pair_reads: list[int] = []
    read_every_pair = rankings._every_pair

    def count_reads(db: object, graph: object) -> object:
        if str(graph).endswith("collaborations>"):
            every_pair_reads.append(1)
        return read_every_pair(db, graph)  # type: ignore[arg-type]

    monkeypatch.setattr(rankings, "_every_pair", count_reads)
    folder = tmp_path / "in"
    day1, day2 = write(folder, "2025-05-01.md", DAY1), write(folder, "2025-05-02.md", DAY2)
    store = tmp_path / "inc" / "store"
    run_build([day1], tmp_path / "inc", html=False, store=store, workers=1)
    run_build([day2], tmp_path / "inc", html=False, store=store, workers=1)
    # Eve and Gus came in first; no ranked pair weakened, so the ranked and the rewritten pairs sufficed.
    assert every_pair_reads == []
    assert graph_of(tmp_path / "inc").isomorphic(build([day1, day2], tmp_path / "full"))
    # Paper B is taken out of its day: Ann and Bob, ranked second, are no longer a pair, so the
    # next strongest pair (Cat and Dan) comes in from outside the ranking; only reading every pair finds it.
    fixed = write(
        folder, "2025-05-01.md", DAY1.replace(DAY1[DAY1.index("### [Paper B") : DAY1.index("### [Paper C")], "")
    )
    run_build([fixed], tmp_path / "inc", html=False, store=store, workers=1)
    assert every_pair_reads == [1]
    got = (tmp_path / "inc" / "graph.ttl").read_bytes()
    full = build([fixed, day2], tmp_path / "full2")
    assert got == (tmp_path / "full2" / "graph.ttl").read_bytes()
    assert stored_ranks(full) == expected_ranks(full, 2)
    assert [iri.split("collaboration/")[1] for iri in stored_ranks(full)] == ["Eve_Eom/Gus_Go", "Cat_Choi/Dan_Do"]
    assert_counts_match_the_facts(full)


def test_corpus_ranks_and_counts_match_the_facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = need(CORPUS / "daily-papers-ko", "the daily-papers-ko corpus")
    monkeypatch.setattr(rankings, "RANKED_PAIRS", 40)
    days = sorted(folder.glob("*.md"))[:30]
    in_memory = build(days, tmp_path / "memory")
    assert stored_ranks(in_memory) == expected_ranks(in_memory, 40)
    assert stored_ranks(in_memory, "Cooccurrence") == expected_ranks(in_memory, 40, "Cooccurrence")
    assert len(stored_ranks(in_memory, "Cooccurrence")) == 40  # more pairs than ranks
    assert_counts_match_the_facts(in_memory)
    # In batches of 100 papers into a store: pairs, ranks and counts are counted once at the end.
    run_build(days, tmp_path / "batches", html=False, store=tmp_path / "batches" / "store", workers=1, batch=100)
    assert (tmp_path / "batches" / "graph.ttl").read_bytes() == (tmp_path / "memory" / "graph.ttl").read_bytes()
    # Day by day, newest first: every update re-ranks from the ranked pairs and its own, and reads
    # every paper's days in one pass (as when it recounts many papers) instead of a lookup each.
    monkeypatch.setattr(rankings, "SCAN_DAYS_FROM", 0)
    for day in reversed(days[-6:]):
        run_build([day], tmp_path / "daily", html=False, store=tmp_path / "daily" / "store", workers=1)
    build(days[-6:], tmp_path / "six")
    assert (tmp_path / "daily" / "graph.ttl").read_bytes() == (tmp_path / "six" / "graph.ttl").read_bytes()


def test_the_shapes_allow_exactly_the_ranks_the_build_gives() -> None:
    shapes = Graph().parse(Path(rankings.__file__).parent / "ontology" / "shapes.ttl")
    highest = shapes.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX kg: <https://w3id.org/papers-kg/ontology#> "
        "SELECT ?max WHERE { ?p sh:path kg:rank ; sh:maxInclusive ?max }"
    )
    assert [int(row[0]) for row in highest] == [rankings.RANKED_PAIRS] * 2  # type: ignore[index]  # both kinds
