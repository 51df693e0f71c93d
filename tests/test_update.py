"""`kg build --update`: adding digests to a stored graph gives exactly the graph of a full build.

Each test builds the same inputs twice, once in one go and once file by file (or in batches, out of
date order) into a store on disk, and compares the exported Turtle byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.pipeline import run_build
from kg.update import StoreMismatch
from tests.conftest import CORPUS, need

EXAMPLES = Path(__file__).resolve().parent.parent / "kg" / "examples"

# Our own small digests (not corpus text): one paper moves between days, one loses its "+".
DAY1 = """## Daily Papers (2025-03-03)
### [Sparse Mixture of Experts for Tiny Models](https://arxiv.org/abs/2503.00001)
Vote: 4
Authors: Ada Kim, Bo Lee, +
- **What's New**: Mixture of Experts(MoE)를 작은 모델에 적용합니다.
### [Gaussian Splatting Without Tears](https://arxiv.org/abs/2503.00002)
Vote: 7
Authors: Cy Park, Ada Kim
- **What's New**: 3D Gaussian Splatting(3DGS)의 학습을 안정화합니다.
"""
DAY2 = """## Daily Papers (2025-03-04)
### [Sparse Mixture of Experts for Tiny Models](https://arxiv.org/abs/2503.00001)
Vote: 9
Authors: Ada Kim, Bo Lee, Dan Cho
- **What's New**: Mixture of Experts(MoE)를 작은 모델에 적용합니다.
- **Technical Details**: Low-Rank Adaptation(LoRA)로 전문가를 미세 조정합니다.
### [Routing Tokens with Learned Gates](https://arxiv.org/abs/2503.00003)
Vote: 2
Authors: Bo Lee, Dan Cho
- **What's New**: MoE 라우팅을 LoRA 어댑터로 학습합니다.
"""


def full_build(inputs: list[Path], out: Path) -> bytes:
    run_build(inputs, out, html=False, workers=1)
    return (out / "graph.ttl").read_bytes()


def update(inputs: list[Path], out: Path) -> bytes:
    run_build(inputs, out, html=False, store=out / "store", workers=1)
    return (out / "graph.ttl").read_bytes()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_files_added_one_by_one_give_the_full_build(tmp_path: Path) -> None:
    files = sorted(EXAMPLES.glob("*.md"))
    expected = full_build(files, tmp_path / "full")
    for path in reversed(files):  # newest day first: order must not matter
        got = update([path], tmp_path / "inc")
    assert got == expected


def test_a_paper_listed_again_later_is_merged_as_in_a_full_build(tmp_path: Path) -> None:
    day1 = write(tmp_path / "in", "2025-03-03.md", DAY1)
    day2 = write(tmp_path / "in", "2025-03-04.md", DAY2)
    expected = full_build([day1, day2], tmp_path / "full")
    update([day1], tmp_path / "inc")
    got = update([day2], tmp_path / "inc")
    assert got == expected
    text = got.decode()
    assert "<person/Dan_Cho>" in text and "kg:hiddenAuthorsAfter" not in text  # the full list won over "+"
    assert "<collaboration/Bo_Lee/Dan_Cho>" in text  # two joint papers only after day 2


def test_adding_a_file_again_changes_nothing(tmp_path: Path) -> None:
    day1 = write(tmp_path / "in", "2025-03-03.md", DAY1)
    first = run_build([day1], tmp_path / "inc", html=False, store=tmp_path / "inc" / "store", workers=1)
    again = run_build([day1], tmp_path / "inc", html=False, store=tmp_path / "inc" / "store", workers=1)
    assert first.added.papers == ("2503.00001", "2503.00002")
    assert again.added.papers == () and again.added.skipped == (str(day1.resolve()),)
    assert again.triples == first.triples


def test_a_changed_file_replaces_its_earlier_version(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    day2 = write(folder, "2025-03-04.md", DAY2)
    update([write(folder, "2025-03-03.md", DAY1), day2], tmp_path / "inc")
    # The digest of 03-03 is regenerated without its second paper: that paper, its author Cy Park
    # (who wrote nothing else) and its concepts leave the graph, as in a full build.
    fixed = write(folder, "2025-03-03.md", DAY1.split("### [Gaussian")[0])
    got = update([fixed], tmp_path / "inc")
    assert got == full_build([fixed, day2], tmp_path / "full")
    assert b"2503.00002" not in got and b"Cy_Park" not in got and b"gaussian-splatting" not in got


def test_a_store_made_with_another_base_is_refused(tmp_path: Path) -> None:
    day1 = write(tmp_path / "in", "2025-03-03.md", DAY1)
    run_build([day1], tmp_path / "inc", html=False, store=tmp_path / "inc" / "store", workers=1)
    with pytest.raises(StoreMismatch, match="another base"):
        run_build([day1], tmp_path / "inc", html=False, store=tmp_path / "inc" / "store", base="http://x.org/kg/")


def test_cli_update_reports_what_it_added_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    day1 = write(tmp_path / "in", "2025-03-03.md", DAY1)
    out = tmp_path / "out"
    assert main(["build", "--update", str(day1), "--out", str(out), "--no-html"]) == 0
    assert "added 1 files (0 unchanged, skipped); wrote 2 papers" in capsys.readouterr().out
    assert main(["build", "--update", str(day1), "--out", str(out), "--no-export"]) == 0
    assert "added 0 files (1 unchanged, skipped); wrote 0 papers" in capsys.readouterr().out
    assert main(["build", "--update", str(day1), "--out", str(out), "--base", "http://x.org/kg/"]) == 2
    assert "rebuild" in capsys.readouterr().err
    assert main(["build", "--update", "--rebuild", str(day1), "--out", str(out), "--base", "http://x.org/kg/"]) == 0
    assert main(["build", str(day1), "--no-export"]) == 2  # --no-export needs --update


@pytest.mark.parametrize(
    "batches",
    [
        # the three days around the corpus's one paper listed on two days (2410.09342), in date order
        [["2024-10-16.md"], ["2024-10-17.md"], ["2024-10-18.md"]],
        # later days first, then the earlier ones: the merged paper and its pairs still come out equal
        [["2024-10-18.md", "2024-10-21.md"], ["2024-10-16.md"], ["2024-10-17.md", "2024-06-12.md"]],
    ],
)
def test_corpus_days_added_in_batches_give_the_full_build(tmp_path: Path, batches: list[list[str]]) -> None:
    folder = need(CORPUS / "daily-papers-ko", "the daily-papers-ko corpus")
    files = [folder / name for batch in batches for name in batch]
    expected = full_build(files, tmp_path / "full")
    for batch in batches:
        got = update([folder / name for name in batch], tmp_path / "inc")
    assert got == expected
    # the store survives being reopened by a new process and adding nothing
    shutil.rmtree(tmp_path / "full")
    assert update(files, tmp_path / "inc") == expected


def test_every_named_query_gives_the_same_rows_on_the_store_as_on_graph_ttl(tmp_path: Path) -> None:
    from kg.explore import query_graph
    from kg.queries import named_query, query_names

    out = tmp_path / "out"
    run_build([], out, html=False, store=out / "store", workers=1)
    params = {"technique": "Diffusion Transformer", "author": "Sara Hooker", "arxiv": "2412.01199"}
    answered = 0
    for name in query_names():
        own = {p.name: params[p.name] for p in named_query(name).params if p.name in params}
        on_file = query_graph(out / "graph.ttl", name, params=own)
        on_store = query_graph(out / "graph.ttl", name, params=own, store=out / "store")
        assert on_store.rows == on_file.rows, name
        answered += bool(on_file.rows)
    assert answered >= 8  # the example is small: no technique pair is in two papers, no top technique in 5


def test_query_on_a_folder_without_a_store_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "weeks", "--store", str(tmp_path)]) == 2
    assert "kg build --update" in capsys.readouterr().err


def test_papers_are_prepared_in_workers_that_start_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers begin extracting when ``prepare_papers`` returns, so that the build records its
    sources meanwhile; they give every paper, in order, as one process would, and ``close`` ends them."""
    import multiprocessing

    from kg import update
    from kg.emit import Terms
    from kg.load import example_digests
    from kg.mentions import Extractor
    from kg.merge import merge_papers
    from kg.vocabulary import bundled_vocabulary

    merged, _ = merge_papers(example_digests())
    papers = [merged[i] for i in sorted(merged)]
    extractor, terms = Extractor(bundled_vocabulary()), Terms()
    one = list(update.prepare_papers(papers, extractor, terms, workers=1))
    monkeypatch.setattr(update, "PARALLEL_FROM", 1)
    preparing = update.prepare_papers(papers, extractor, terms, workers=2)
    assert len(multiprocessing.active_children()) == 2  # before the first result is asked for
    assert list(preparing) == one
    assert multiprocessing.active_children() == []
    stopped = update.prepare_papers(papers, extractor, terms, workers=2)
    assert next(stopped) == one[0]
    stopped.close()
    assert multiprocessing.active_children() == []
