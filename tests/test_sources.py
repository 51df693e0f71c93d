"""Every real source goes in: both digest variants and Hugging Face daily_papers JSON, merged by arXiv id.

Parsing (JSON quirks and broken JSON, one table row each), loading (dispatch by suffix, files that
are not digests), merging (authors, votes, abstract, keywords) and keyword mentions, on our own
data in tests/data/sources; then the whole of ../shared/corpus (skipped where it is absent).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.hfjson import parse_hf_json
from kg.load import load_digests, read_digest
from kg.mentions import Extractor
from kg.merge import MergedPaper, merge_papers
from kg.model import HF_API, KEYWORDS, Digest, Paper, VoteObservation
from kg.normalize import clean_text
from kg.vocabulary import bundled_vocabulary
from tests.conftest import CORPUS, DATA, need

SOURCES = DATA / "sources"
DAY = dt.date(2025, 4, 23)


def item(arxiv_id: str = "2504.11703", **paper: object) -> dict[str, object]:
    fields: dict[str, object] = {"id": arxiv_id, "title": "T", "authors": [{"name": "A B"}], "upvotes": 3}
    fields.update(paper)
    return {"paper": {k: v for k, v in fields.items() if v is not None}}


def dump(*items: object) -> str:
    return json.dumps(list(items), indent=2)


GOOD = dump(item("2504.00002"))

# (case id, JSON text, ids built, [(line, severity, start of message)])
JSON_CASES = [
    # The API's own shape: nothing to report.
    ("api-shape", dump(item("2504.00001"), item("2504.00002")), ["2504.00001", "2504.00002"], []),
    # The 2025-01-10 wrapper {"status": ..., "data": [...]}.
    ("data-wrapper", '{"status": "ok", "data": ' + GOOD + "}", ["2504.00002"], []),
    # Items written as Python-repr strings (2024-12 dumps).
    ("repr-items", json.dumps([repr(item("2504.00003"))]), ["2504.00003"], []),
    # A flat paper object (no "paper" wrapper) is read as the paper.
    ("flat-item", json.dumps([item("2504.00004")["paper"]]), ["2504.00004"], []),
    # Not JSON at all: one error at line 1.
    ("not-json", "## Daily Papers (2025-04-23)\n", [], [(1, "error", "expected a JSON array")]),
    # JSON, but an object that is not the wrapper.
    ("other-object", '{"name": "pkg"}', [], [(1, "error", "expected a JSON array")]),
    # An item that is a number: error at its line, the next item still goes in.
    ("number-item", "[\n  7,\n" + GOOD[1:], ["2504.00002"], [(2, "error", "expected an item object")]),
    # An item without an id: error at its line; its neighbour goes in.
    ("no-id", dump(item(None), item("2504.00002")), ["2504.00002"], [(2, "error", "expected an arXiv id")]),
    # A missing comma inside an item: reported at the broken line, reading resumes at the next item.
    (
        "syntax-error",
        '[\n  {"paper": {"id": "2504.00001" "title": "T"}},\n  {"paper": {"id": "2504.00002", "title": "T", '
        '"authors": [], "upvotes": 1}}\n]',
        ["2504.00002"],
        [(2, "error", "not valid JSON (Expecting ',' delimiter) in the item starting at line 2; skipped")],
    ),
    # A file cut short: the items before the cut are kept.
    ("truncated", GOOD[:-2] + ',\n  {"paper": {"id": "2504.', ["2504.00002"], [(14, "error", "not valid JSON")]),
    # Upvotes that are not a count: warning at the upvotes line, the paper stays without a vote.
    (
        "bad-upvotes",
        dump(item(upvotes="many")),
        ["2504.11703"],
        [(11, "warning", "paper 2504.11703: expected a count")],
    ),
    # A publishedAt that is not a time, a code link that is not a URL, keywords that are not a list.
    (
        "bad-fields",
        dump(item(publishedAt="last week", githubRepo="github.com/x", ai_keywords="a, b")),
        ["2504.11703"],
        [
            (12, "warning", "paper 2504.11703: expected an ISO time"),
            (13, "warning", "paper 2504.11703: expected an http(s) URL in 'githubRepo'"),
            (14, "warning", "paper 2504.11703: expected 'ai_keywords' to be a list"),
        ],
    ),
    # An author without a name is a hidden author, like the digests' '+'.
    (
        "nameless-author",
        dump(item(authors=[{"name": "A B"}, {"name": " "}])),
        ["2504.11703"],
        [(6, "warning", "paper 2504.11703 has authors without a name")],
    ),
    # The same id twice in one file: both kept (the merge folds them), with a warning.
    (
        "duplicate",
        dump(item(), item()),
        ["2504.11703", "2504.11703"],
        [(14, "warning", "paper 2504.11703 is listed again")],
    ),
    # An empty array is a day without papers: nothing to report here (the loader warns).
    ("empty-array", "[]", [], []),
    # Deep nesting must not crash the reader.
    ("deep-nesting", "[" + "[" * 100_000, [], [(1, "error", "not valid JSON (nested too deeply)")]),
]


@pytest.mark.parametrize(("text", "ids", "problems"), [c[1:] for c in JSON_CASES], ids=[c[0] for c in JSON_CASES])
def test_json_quirk(text: str, ids: list[str], problems: list[tuple[int, str, str]]) -> None:
    digest = parse_hf_json(text, source="hf/2025-04-23.json")
    assert [p.arxiv_id for p in digest.papers] == ids
    got = sorted((p.line, p.severity, p.message) for p in digest.problems)
    assert [(line, severity) for line, severity, _ in got] == [(line, severity) for line, severity, _ in problems], got
    for (_, _, message), (_, _, start) in zip(got, problems, strict=True):
        assert message.startswith(start), message
    assert all(p.date == DAY and p.origin == HF_API for p in digest.papers)


def test_json_file_gives_every_api_fact() -> None:
    digest = read_digest(SOURCES / "hf" / "2025-04-23.json")
    papers = {p.arxiv_id: p for p in digest.papers}
    describe, kuwain, progent = papers["2504.16072"], papers["2504.15120"], papers["2504.11703"]
    assert digest.date == DAY  # the file name's day, not submittedOnDailyAt (a UTC time, here the day before)
    assert describe.title == "Describe Anything: Detailed Localized Image and Video Captioning"  # hard wrap gone
    assert describe.abstract_en.startswith("This example abstract was written by the papers-kg developers. It")
    assert describe.published == dt.date(2025, 4, 22)
    assert (describe.code_url, describe.project_url) == (
        "https://github.com/NVlabs/describe-anything/",
        "https://describe-anything.github.io",  # the stray space before it is gone
    )
    assert describe.votes == 24 and describe.line == 2
    assert progent.authors[0] == "Tianneng Shi"  # "hidden": true, yet named: a named author
    assert (kuwain.authors[-1], kuwain.hidden_after, kuwain.keywords) == ("Omar Hadid", (5,), ())
    assert [str(p) for p in digest.problems] == [
        f"{SOURCES / 'hf' / '2025-04-23.json'}:88: paper 2504.15120 has authors without a name; "
        "recorded as hidden authors"
    ]


def test_json_file_without_a_date_in_its_name_is_reported() -> None:
    digest = parse_hf_json(GOOD, source="dump.json")
    assert digest.date is None and digest.papers[0].date is None
    assert digest.problems[0].message.startswith("expected a YYYY-MM-DD.json file name")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.recursive(st.none() | st.integers() | st.text(), lambda c: st.lists(c)).map(json.dumps)))
def test_any_text_parses_as_json_without_raising(text: str) -> None:
    digest = parse_hf_json(text, "2025-04-23.json")
    assert all(p.file == "2025-04-23.json" and p.line >= 1 for p in digest.problems)


# ---- loading ----------------------------------------------------------------------------------


def test_a_folder_of_mixed_sources_is_read_by_suffix() -> None:
    digests = {Path(d.source).relative_to(SOURCES).as_posix(): d for d in load_digests([SOURCES])}
    assert {name: len(d.papers) for name, d in digests.items()} == {
        "README.md": 0,  # plainly not a digest: skipped with one warning that names it
        "early/2023-11-20.md": 1,
        "early/2023-12-04.md": 2,
        "hf/2025-04-23.json": 3,
        "ko/2025-04-23.md": 3,
    }
    (readme,) = digests["README.md"].problems
    assert (readme.line, readme.severity) == (1, "warning")
    assert readme.message.startswith("not a digest (no '## Daily Papers (YYYY-MM-DD)' header")


def test_a_file_that_is_not_a_digest_is_parsed_when_named() -> None:
    problems = read_digest(SOURCES / "README.md").problems
    assert len(problems) > 1 and any(p.severity == "error" and "no papers found" in p.message for p in problems)


def test_early_variant_reads_without_votes_with_video_and_plus() -> None:
    (digest,) = load_digests([SOURCES / "early" / "2023-12-04.md"])
    mamba, merlin = digest.papers
    assert (mamba.votes, merlin.votes) == (None, None)
    assert merlin.authors == ("En Yu", "Liang Zhao", "Yana Wei", "Xiangyu Zhang", "Wenbing Tao")
    assert merlin.hidden_after == (3,)
    assert [s.key for s in merlin.sections] == ["summary"] and digest.problems == ()


def test_json_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "2025-04-23.json"
    big.write_text(GOOD, "utf-8")
    (problem,) = read_digest(big, max_bytes=10).problems
    assert "over the limit of 10 (--max-file-size); not read" in problem.message


def test_json_that_is_not_a_dump_is_skipped_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}', "utf-8")
    (tmp_path / "2025-04-23.json").write_text("[]", "utf-8")
    got = {Path(d.source).name: [(p.severity, p.message[:28]) for p in d.problems] for d in load_digests([tmp_path])}
    assert got == {
        "2025-04-23.json": [("warning", "no papers found: the daily_p")],
        "package.json": [("warning", "not a daily_papers JSON dump")],
    }


# ---- merging ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def merged() -> dict[str, MergedPaper]:
    papers, problems = merge_papers(load_digests([SOURCES]))
    assert problems == []  # the titles agree once the JSON hard wrap is gone
    return papers


def test_json_author_list_beats_truncated_absent_and_shuffled_ones(merged: dict[str, MergedPaper]) -> None:
    progent, describe, kuwain = (merged[i].paper for i in ("2504.11703", "2504.16072", "2504.15120"))
    assert progent.authors[:2] == ("Tianneng Shi", "Jingxuan He") and not progent.authors_truncated  # over '+'
    assert len(describe.authors) == 11  # over no Authors: line
    # Kuwain's JSON list has an author without a name (recorded like '+'), so the complete digest list is kept.
    assert kuwain.authors[0] == "Mohamed Motaism Hamed" and not kuwain.authors_truncated


def test_every_vote_is_kept_and_the_latest_shown(merged: dict[str, MergedPaper]) -> None:
    m = merged["2504.11703"]
    assert [(o.date, o.votes, Path(o.source).name) for o in m.votes] == [
        (DAY, 2, "2025-04-23.json"),  # the API dump is the earlier snapshot of the day
        (DAY, 4, "2025-04-23.md"),
    ]
    assert m.paper.votes == 4 and m.dates == (DAY,)
    assert [Path(s).parent.name for s in m.sources] == ["hf", "ko"]


def test_abstract_keywords_and_links_sit_beside_the_korean_summary(merged: dict[str, MergedPaper]) -> None:
    p = merged["2504.11703"].paper
    assert [s.key for s in p.sections] == ["whats-new", "technical-details"]
    assert p.abstract_en.startswith("An example abstract of our own")
    assert p.keywords[:2] == ("LLM agents", "Large Language Models (LLMs)")
    assert p.published == dt.date(2025, 4, 16)
    assert merged["2504.16072"].paper.project_url == "https://describe-anything.github.io"


def listing(source: str, date: str, votes: int | None, **fields: object) -> Paper:
    day = dt.date.fromisoformat(date)
    return replace(Paper("2504.11703", "T", ("A",), votes, (), day, source, 1), **fields)


# (case id, listings, expected authors, expected votes [(date, votes)])
MERGE_CASES = [
    # A complete API list (arXiv order) beats a complete digest list of the same names in another order.
    (
        "api-order-wins",
        [
            listing("d.md", "2025-04-23", 5, authors=("B", "A")),
            listing("d.json", "2025-04-23", 2, authors=("A", "B"), origin=HF_API),
        ],
        ("A", "B"),
        [("2025-04-23", 2), ("2025-04-23", 5)],
    ),
    # A later digest day beats an earlier API snapshot for the vote; the API still gives the authors.
    (
        "later-digest-vote",
        [listing("a.json", "2025-02-04", 7, authors=("A", "B"), origin=HF_API), listing("b.md", "2025-02-05", 9)],
        ("A", "B"),
        [("2025-02-04", 7), ("2025-02-05", 9)],
    ),
    # A digest without a vote adds no observation; the API's stays the latest.
    (
        "no-vote",
        [listing("a.json", "2025-02-04", 7, origin=HF_API), listing("b.md", "2025-02-05", None)],
        ("A",),
        [("2025-02-04", 7)],
    ),
]


@pytest.mark.parametrize(("papers", "authors", "votes"), [c[1:] for c in MERGE_CASES], ids=[c[0] for c in MERGE_CASES])
def test_merge_rule(papers: list[Paper], authors: tuple[str, ...], votes: list[tuple[str, int]]) -> None:
    for order in (papers, papers[::-1]):  # the input order never matters
        m = merge_papers([Digest("x", None, tuple(order))])[0]["2504.11703"]
        assert m.paper.authors == authors
        assert [(o.date.isoformat() if o.date else "", o.votes) for o in m.votes] == votes
        assert m.paper.votes == votes[-1][1]


def test_titles_that_differ_only_in_case_space_or_punctuation_do_not_warn() -> None:
    same = [
        listing("a.json", "2025-04-22", 1, title="VLM$^2$-Bench: A Look", origin=HF_API),
        listing("b.md", "2025-04-23", 1, title="VLM^2-Bench a look"),
    ]
    assert merge_papers([Digest("x", None, tuple(same))])[1] == []
    other = [*same, listing("c.md", "2025-04-24", 1, title="VLM^2-Bench: A Second Look")]
    (problem,) = merge_papers([Digest("x", None, tuple(other))])[1]
    assert "has 2 different titles" in problem.message


def test_vote_observation_of_a_listing() -> None:
    assert listing("a.md", "2025-04-23", 3).vote_observation == VoteObservation(DAY, 3, "a.md")
    assert listing("a.md", "2025-04-23", None).vote_observation is None


# ---- keyword mentions ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(bundled_vocabulary())


# (case id, keywords of one paper, the concept each names (None: no mention), discovered kind or "")
KEYWORD_CASES = [
    # Curated labels in any case and plural, and both parenthesised forms.
    ("long-abbr", ["Large Language Models (LLMs)"], ["large-language-model"], ""),
    ("abbr-long", ["LLMs (Large Language Models)"], ["large-language-model"], ""),
    ("lower-plural", ["large language models"], ["large-language-model"], ""),
    ("abbr-only", ["LoRA"], ["lora"], ""),
    ("dit-long-in-parens", ["DiT (Diffusion Transformer)"], ["diffusion-transformer"], ""),
    # The long form is resolved when the abbreviation only spells its tail ("rule-based" is dropped).
    ("compound-long-form", ["rule-based reinforcement learning (RL)"], ["reinforcement-learning"], ""),
    # Unknown long forms become discovered concepts keyed by the long form, typed by the head noun.
    (
        "discovered-technique",
        ["Sparse Expert Activation Pruning (SEAP)"],
        ["sparse-expert-activation-pruning"],
        "Technique",
    ),
    ("discovered-dataset", ["segmentation datasets"], ["segmentation-dataset"], "Dataset"),
    ("discovered-unknown-kind", ["residual stream"], ["residual-stream"], "DiscoveredConcept"),
    # Case and plural variants of one unknown keyword are one concept.
    (
        "discovered-merge",
        ["Residual Streams", "residual stream"],
        ["residual-stream", "residual-stream"],
        "DiscoveredConcept",
    ),
    # A bare abbreviation defined by another keyword of the paper names the same concept.
    (
        "local-abbr",
        ["Progressive Thinking Suppression Training (PTST)", "PTST"],
        ["progressive-thinking-suppression-training"] * 2,
        "Technique",
    ),
    # An abbreviation that does not spell its parenthesised neighbour is dropped from the name.
    ("bad-abbr", ["function evaluations (NFEs)"], ["function-evaluation"], "DiscoveredConcept"),
    # A name built on a technique acronym is a variant of it.
    ("variant", ["ZipLoRA"], ["ziplora"], "Technique"),
    # Stop abbreviations name nothing; an ambiguous acronym alone names nothing either.
    ("stop-abbr", ["SOTA", "GPU"], [None, None], ""),
    ("ambiguous-alone", ["MAE"], [None], ""),
    # ... but the one sense another keyword names is taken.
    ("ambiguous-resolved", ["masked autoencoders", "MAE"], ["masked-autoencoder", "masked-autoencoder"], ""),
]


@pytest.mark.parametrize(
    ("keywords", "concepts", "kind"), [c[1:] for c in KEYWORD_CASES], ids=[c[0] for c in KEYWORD_CASES]
)
def test_keyword_names_a_concept(
    extractor: Extractor, keywords: list[str], concepts: list[str | None], kind: str
) -> None:
    paper = Paper("2504.00001", "Title", (), None, (), DAY, "x.json", 1, keywords=tuple(keywords), origin=HF_API)
    found = extractor.extract(paper)
    in_keywords = [m for m in found.mentions if m.section == KEYWORDS]
    by_label = {m.label: m.concept for m in in_keywords}
    assert [by_label.get(k) for k in keywords] == concepts
    for m in in_keywords:  # the evidence points into the keywords joined with "; "
        assert paper.keywords_text[m.start : m.end] == m.label and m.rule == "ai-keyword"
    discovered = {c.key: c for c in found.discovered}
    kinds = {discovered[c].kind for c in concepts if c in discovered and c not in extractor.vocabulary.concepts}
    assert kinds == ({kind} if kind else set())


def test_variant_keyword_keeps_its_base(extractor: Extractor) -> None:
    (concept,) = extractor.extract_keywords(["ZipLoRA"]).discovered
    assert concept.broader == ("lora",)


def test_keyword_mentions_join_the_summary_ones(extractor: Extractor, merged: dict[str, MergedPaper]) -> None:
    paper = merged["2504.11703"].paper
    found = extractor.extract(paper)
    assert {m.section for m in found.mentions} >= {"title", "whats-new", KEYWORDS}
    assert found == extractor.extract(paper)  # a pure function of the merged paper
    without = extractor.extract(replace(paper, keywords=()))
    assert [m for m in found.mentions if m.section != KEYWORDS] == list(without.mentions)


# ---- the real corpus ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> list[Digest]:
    return load_digests([need(CORPUS, "the corpus")])


def folder(digest: Digest) -> str:
    return Path(digest.source).parent.name


def test_corpus_every_source_once(corpus: list[Digest]) -> None:
    ids = {
        name: {p.arxiv_id for d in corpus if folder(d) == name for p in d.papers}
        for name in {folder(d) for d in corpus}
    }
    assert {name: len(v) for name, v in ids.items()} == {
        "corpus": 0,  # SOURCES.md (not a digest); the CSV index is not read
        "daily-papers-ko": 4074,
        "daily-papers-ko-early": 1413,
        "hf-daily-json": 950,
    }
    merged, problems = merge_papers(corpus)
    assert len(merged) == 5517
    assert len(ids["hf-daily-json"] & ids["daily-papers-ko"]) == 920
    assert problems == []  # 0 of the 920 overlaps differ in title once white space is normalised
    kinds = Counter(
        (p.severity, "no Authors line" if "no 'Authors:' line" in p.message else p.message[:12])
        for d in corpus
        for p in d.problems
    )
    assert kinds == {("warning", "no Authors line"): 11, ("warning", "not a digest"): 1}  # 2023-11-20 and SOURCES.md


def test_corpus_overlap_merges_authors_votes_and_abstract(corpus: list[Digest]) -> None:
    merged, _ = merge_papers(corpus)
    api = {
        it["paper"]["id"]: it["paper"]
        for path in sorted((CORPUS / "hf-daily-json").glob("*.json"))
        for it in json.loads(path.read_text("utf-8"))
    }
    progent = merged["2504.11703"]
    assert list(progent.paper.authors) == [
        a["name"] for a in api["2504.11703"]["authors"]
    ]  # arXiv order, not the digest's
    assert [(o.date, Path(o.source).suffix) for o in progent.votes] == [(DAY, ".json"), (DAY, ".md")]
    assert progent.votes[0].votes == api["2504.11703"]["upvotes"] and progent.paper.votes == progent.votes[-1].votes
    assert progent.paper.abstract_en == clean_text(api["2504.11703"]["summary"])
    assert progent.paper.sections  # the Korean summary stays beside it
    both = [m for i, m in merged.items() if i in api and len(m.sources) > 1]
    assert len(both) == 920 and all(len(m.votes) == 2 and m.paper.abstract_en for m in both)


def test_corpus_keywords_all_have_evidence(corpus: list[Digest], extractor: Extractor) -> None:
    merged, _ = merge_papers(corpus)
    with_keywords = [m.paper for m in merged.values() if m.paper.keywords]
    assert len(with_keywords) == 510
    curated = discovered = 0
    for paper in with_keywords:
        found = [m for m in extractor.extract_keywords(paper.keywords).mentions]
        assert all(paper.keywords_text[m.start : m.end] == m.label for m in found)
        curated += sum(m.concept in extractor.vocabulary.concepts for m in found)
        discovered += sum(m.concept not in extractor.vocabulary.concepts for m in found)
    assert curated > 700 and discovered > 5000  # measured: 751 curated, 5,434 discovered, 7 stop words
