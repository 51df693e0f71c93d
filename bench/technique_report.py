"""Technique mentions across a whole corpus: how many, how widespread, the top 20, and merges.

    python bench/technique_report.py [../shared/corpus/daily-papers-ko]

Prints figures only; nothing is written.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from rdflib import RDF
from rdflib.namespace import SKOS

from kg.namespace import KG, SCHEMA
from kg.pipeline import run_build


def main(folder: str) -> None:
    start = time.perf_counter()
    result = run_build([Path(folder)])
    g = result.graph
    techniques = set(g.subjects(RDF.type, KG.Technique))
    discovered = set(g.subjects(RDF.type, KG.DiscoveredConcept))
    papers = set(g.subjects(RDF.type, SCHEMA.ScholarlyArticle))
    papers_of: dict[object, set[object]] = defaultdict(set)
    for paper, concept in g.subject_objects(SCHEMA.mentions):
        if concept in techniques:
            papers_of[concept].add(paper)
    with_one = {p for ps in papers_of.values() for p in ps}
    print(f"corpus: {folder} ({len(papers)} papers, built in {time.perf_counter() - start:.1f} s)")
    print(
        f"techniques found: {len(papers_of)} ({len(papers_of.keys() - discovered)} curated, "
        f"{len(papers_of.keys() & discovered)} discovered)"
    )
    print(
        f"papers with at least one technique: {len(with_one)} of {len(papers)} "
        f"({100 * len(with_one) / len(papers):.1f}%)"
    )
    print("top 20 techniques by papers:")
    top = sorted(papers_of, key=lambda c: (-len(papers_of[c]), str(c)))[:20]
    for c in top:
        print(f"  {len(papers_of[c]):5d}  {g.value(c, SKOS.prefLabel)}")
    # Discovered concepts are keyed by their long form: every paper after the first that names the
    # same long form (in any case or hyphenation) merged into the same node.
    mentioned = Counter(c for _, c in g.subject_objects(SCHEMA.mentions) if c in discovered)
    shared = [c for c, n in mentioned.items() if n >= 2]
    print(
        f"discovered concepts: {len(discovered)}; named in 2+ papers (merged by long form): {len(shared)}, "
        f"merging {sum(mentioned[c] - 1 for c in shared)} later mentions"
    )
    abbreviations: dict[str, set[object]] = defaultdict(set)
    for c in discovered:
        for alt in g.objects(c, SKOS.altLabel):
            abbreviations[str(alt)].add(c)
    clashing = {a: cs for a, cs in abbreviations.items() if len(cs) >= 2}
    print(
        f"abbreviations defined with 2+ different long forms (kept apart, not merged): {len(clashing)}, "
        f"e.g. "
        + "; ".join(
            f"{a}: " + " / ".join(sorted(str(g.value(c, SKOS.prefLabel)) for c in cs)[:3])
            for a, cs in sorted(clashing.items(), key=lambda t: -len(t[1]))[:3]
        )
    )
    print(f"summaries flagged kg:summaryMismatch: {len(set(g.subjects(KG.summaryMismatch, None)))}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/daily-papers-ko")
