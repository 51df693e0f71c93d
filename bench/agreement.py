"""Agreement between two independent hand annotations of the same papers.

    python bench/agreement.py FIRST.json SECOND.json [generic.json]

Scores the second annotator's core techniques against the first annotation with the same scorer
that `kg eval` applies to the extractor, and the other way round. It tells how high precision and
recall can meaningfully go when two careful people judge "core technique" differently.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.evaluate import GoldPaper, format_score, parse_generic, parse_gold, score_papers
from kg.model import Concept


def as_found(paper: GoldPaper) -> list[Concept]:
    return [Concept(f"item-{i}", "Technique", item[0], tuple(item[1:])) for i, item in enumerate(paper.core)]


def main(first: str, second: str, generic_file: str | None) -> None:
    generic = parse_generic(Path(generic_file).read_text("utf-8")) if generic_file else ()
    a = parse_gold(Path(first).read_text("utf-8"), generic)
    b = parse_gold(Path(second).read_text("utf-8"), generic)
    ids = sorted(a.keys() & b.keys())
    print(f"{len(ids)} papers annotated twice")
    print(format_score("second vs first", score_papers((a[i], as_found(b[i])) for i in ids)))
    print(format_score("first vs second", score_papers((b[i], as_found(a[i])) for i in ids)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
