"""Guards the measured quality of technique mentions on the hand-made gold set (tests/gold/).

Figures when this was written (kg eval, fourth round: Korean labels): tune P 0.905 R 0.860; held-out
P 0.882 R 0.786; fresh (blind after the first freeze; now seen) P 0.831 R 0.778; fresh2 (blind
after the second freeze; now seen) P 0.863 R 0.729; fresh3 (blind in the third round; now seen)
P 0.885 R 0.672; fresh4 (36 papers drawn and annotated blind during the fourth round, scored once
after its freeze) P 0.757 R 0.572.
The floors below sit a little under them, so that a change that makes extraction worse fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.evaluate import Score, parse_gold
from kg.pipeline import run_eval
from tests.conftest import CORPUS, need

GOLD = Path(__file__).resolve().parent / "gold"
FLOORS = {
    "tune": (0.88, 0.82),
    "held_out": (0.86, 0.75),
    "fresh": (0.80, 0.74),
    "fresh2": (0.83, 0.69),
    "fresh3": (0.86, 0.65),
    "fresh4": (0.73, 0.55),
}


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return run_eval(GOLD, need(CORPUS, "the corpus"))


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_quality_does_not_fall(scores: dict[str, Score], split: str) -> None:
    precision, recall = FLOORS[split]
    score = scores[split]
    assert score.precision >= precision, (split, score.precision, score.wrong.most_common(10))
    assert score.recall >= recall, (split, score.recall, score.missed.most_common(10))


def test_gold_covers_the_selection() -> None:
    selection = json.loads((GOLD / "selection.json").read_text("utf-8"))
    ids = [e["id"] for split in ("tune", "held_out") for e in selection[split]]
    ids += [e["id"] for split in ("fresh", "fresh2", "fresh3", "fresh4") for e in selection[split]]
    gold: dict[str, object] = {}
    for path in GOLD.glob("*.json"):
        if path.name not in ("selection.json", "generic.json"):
            gold.update(parse_gold(path.read_text("utf-8")))
    assert sorted(gold) == sorted(ids)
    assert len(ids) == 180 and len(set(ids)) == 180
    days = {e["date"] for e in selection["tune"] + selection["held_out"] if e["date"] != "2024-08-01"}
    assert len(days) >= 20
