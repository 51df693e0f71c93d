"""Parser robustness: generated digests, mutated every way a file goes wrong.

The parser has no error type of its own: ``parse_digest`` and the byte path (``read_digest``,
``digest_from_bytes``) promise never to raise, and report everything as a ``Problem``. So, on any
input:

(a) parsing does not raise;
(b) every paper it reports goes into the graph (``build_graph``) with its title, its authors in
    order and its vote; and, for a digest that is well formed apart from its text, the parsed
    title and names are the generated ones normalised as the build documents (``clean_text``:
    NFC, invisible characters dropped, white space collapsed; ``+`` marks hidden authors);
(c) nothing is lost silently: every ``### [`` heading line is a parsed paper or a problem at that
    line, and every problem points at a line of the file.

Big inputs (10,000 authors, 1 MB bullets and titles) are fixed cases: each runs in well under a
second through the parser, which shows it is linear (no regular expression backtracking).
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV

from kg.build import build_graph
from kg.cli import main
from kg.load import digest_from_bytes, read_digest
from kg.merge import merge_papers
from kg.model import Digest
from kg.namespace import SCHEMA
from kg.normalize import clean_text
from kg.parse import parse_digest
from kg.pipeline import run_build
from tests.conftest import CORPUS, DATA, need
from tests.test_load import EXPECTED

HEADER = "## Daily Papers (2024-08-01)"

# ---- what the graph says -----------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A paper as the graph holds it: title, authors by position, vote."""

    title: str
    authors: tuple[str, ...]
    votes: int | None


def listed(graph: Graph, arxiv_id: str) -> Listed:
    """The paper with ``arxiv_id`` in ``graph``; fails unless there is exactly one."""
    nodes = set(graph.subjects(SCHEMA.identifier, Literal(arxiv_id)))
    assert len(nodes) == 1, f"{arxiv_id}: {len(nodes)} paper nodes"
    (node,) = nodes
    by_position: dict[int, str] = {}
    for attribution in graph.objects(node, PROV.qualifiedAttribution):
        position = graph.value(attribution, SCHEMA.position)
        assert isinstance(position, Literal)
        by_position[position.toPython()] = str(graph.value(graph.value(attribution, PROV.agent), SCHEMA.name))
    assert sorted(by_position) == list(range(1, len(by_position) + 1)), by_position
    votes = graph.value(node, SCHEMA.upvoteCount)
    return Listed(
        str(graph.value(node, SCHEMA.name)),
        tuple(by_position[i] for i in sorted(by_position)),
        int(votes.toPython()) if isinstance(votes, Literal) else None,
    )


def assert_in_graph(digest: Digest) -> None:
    """(b): each paper the digest reports is in the graph with its title, authors and vote (for a
    paper listed twice, those of the merged listings, as ``kg.merge`` documents)."""
    if not digest.papers:
        return
    graph = build_graph([digest])
    merged, _ = merge_papers([digest])
    for p in digest.papers:
        m = merged[p.arxiv_id].paper if [q.arxiv_id for q in digest.papers].count(p.arxiv_id) > 1 else p
        assert listed(graph, p.arxiv_id) == Listed(m.title, m.authors, m.votes), p.arxiv_id


# ---- what the input holds -----------------------------------------------------------------

_LINE_END = re.compile(r"\r\n|\r|\n")


def heading_lines(text: str) -> list[int]:
    """Lines (1-based) that start with ``### [``, ends of line counted as documented (``\\n``,
    ``\\r\\n``, a lone ``\\r``); a byte-order mark at the start does not count."""
    lines = _LINE_END.split(text.removeprefix("\ufeff"))
    return [i for i, line in enumerate(lines, start=1) if line.startswith("### [")]


def line_count(text: str) -> int:
    return len(_LINE_END.split(text))


REFUSED = ("empty file", "binary file")  # whole-file errors: nothing is read from the file


def assert_nothing_lost(digest: Digest, text: str) -> None:
    """(c): every heading is a paper or a problem at its line; every problem is within the file."""
    last = max(1, line_count(text))
    for problem in digest.problems:
        assert 1 <= problem.line <= last, problem
        assert str(problem).startswith(f"{problem.file}:{problem.line}: ")
    if any(p.message.startswith(REFUSED) for p in digest.problems):
        assert digest.papers == ()
        return
    accounted = {p.line for p in digest.papers} | {p.line for p in digest.problems}
    missing = [line for line in heading_lines(text) if line not in accounted]
    assert not missing, f"headings at lines {missing} are neither papers nor problems"


# ---- generated digests --------------------------------------------------------------------

# Characters that have broken parsers: right-to-left text and overrides, zero-width and other
# invisible characters, Korean (syllables, NFD jamo, compatibility jamo), control characters,
# Unicode line and paragraph separators, astral characters, combining marks, non-characters,
# and the Markdown punctuation of the heading itself.
SPECIALS = (
    *("\u202e", "\u200f", "\u202b", "שלום", "مرحبا"),
    *("\u200b", "\u200d", "\u2060", "\ufeff", "\u2062", "\u00ad"),
    *("확산 모델", "\u1100\u1161\u11a8", "ㄱㄴ"),
    *("\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x1c", "\x7f", "\x85", "\t"),
    *("\u2028", "\u2029", "\u00a0", "\u3000", " "),
    *("😀", "𝒵", "\U0010fffd", "\U000e0041", "\ufffd", "\ufffe"),
    *("e\u0301", "\u0338", "\u2126"),
    *("[", "]", "(", ")", "](", ")[", "[[", "]]", "\\", "*", "#", "'", '"', ":", "+", "-", "|", "`"),
)


def content(exclude: str = "", max_size: int = 30) -> st.SearchStrategy[str]:
    """Text without line ends (``\\n``, ``\\r``) or the ``exclude`` characters."""
    specials = [s for s in SPECIALS if not set(s) & set(exclude)]
    char = st.one_of(
        st.characters(exclude_categories=["Cs"], exclude_characters="\n\r" + exclude), st.sampled_from(specials)
    )
    return st.lists(char, max_size=max_size).map("".join)


@dataclass(frozen=True)
class GenPaper:
    arxiv_id: str  # the id as the link writes it (maybe with a version)
    bare_id: str  # the id the graph should hold
    title: str
    authors: tuple[str, ...] | None  # None: no Authors: line
    vote: int | str | None  # None: no Vote: line; "-": no vote
    thumbnail: bool
    bullets: tuple[tuple[str, str], ...]  # (label or "", text)


@st.composite
def gen_paper(draw: st.DrawFn, number: int) -> GenPaper:
    form = draw(st.sampled_from(["new", "versioned", "old"]))
    bare = f"hep-th/99{number:05d}" if form == "old" else f"2408.{10000 + number}"
    arxiv_id = f"{bare}v{draw(st.integers(1, 12))}" if form == "versioned" else bare
    # Names hold no comma (the separator) and no bracket (a list in brackets is read as Python).
    names = draw(st.one_of(st.none(), st.lists(content(exclude=",[]", max_size=15), max_size=8).map(tuple)))
    labels = st.sampled_from(["", "What's New", "Technical Details", "Performance Highlights", "한계"])
    return GenPaper(
        arxiv_id=arxiv_id,
        bare_id=bare,
        title=draw(content(max_size=60)),
        authors=names,
        vote=draw(st.one_of(st.none(), st.just("-"), st.integers(0, 10**6))),
        thumbnail=draw(st.booleans()),
        bullets=tuple(draw(st.lists(st.tuples(labels, content(max_size=80)), max_size=3))),
    )


def paper_lines(p: GenPaper) -> list[str]:
    lines = [f"### [{p.title}](https://arxiv.org/abs/{p.arxiv_id})", ""]
    if p.thumbnail:
        lines += [f"![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{p.bare_id}.png)", ""]
    if p.vote is not None:
        lines += [f"Vote: {p.vote}", ""]
    if p.authors is not None:
        lines += [f"Authors: {', '.join(p.authors)}", ""]
    lines += [f"- **{label}**: {text}" if label else f"- {text}" for label, text in p.bullets]
    return [*lines, ""]


@dataclass(frozen=True)
class GenDigest:
    papers: tuple[GenPaper, ...]
    text: str
    wrapped: int | None  # the paper whose heading was split over two lines


@st.composite
def gen_digest(draw: st.DrawFn, max_papers: int = 5) -> GenDigest:
    """A digest-shaped text, then mutated: line ends, a byte-order mark, NFD, a wrapped heading."""
    count = draw(st.integers(0, max_papers))
    papers = tuple(draw(gen_paper(i)) for i in range(count))
    blocks = [[HEADER, ""], *(paper_lines(p) for p in papers)]
    wrapped = draw(st.one_of(st.none(), st.integers(0, count - 1))) if count else None
    if wrapped is not None:  # the heading wraps before its link closes
        heading = blocks[wrapped + 1][0]
        cut = draw(st.integers(5, heading.index("](https://")).filter(lambda c: not heading[c:].startswith("### [")))
        blocks[wrapped + 1][0:1] = [heading[:cut], heading[cut:]]
    lines = [line for block in blocks for line in block]
    ends = draw(
        st.one_of(
            st.sampled_from(["\n", "\r\n", "\r"]).map(lambda end: [end] * len(lines)),
            st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines), max_size=len(lines)),
        )
    )
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    if draw(st.booleans()):
        text = "\ufeff" + text
    return GenDigest(papers, text, wrapped)


def expected_authors(p: GenPaper) -> tuple[str, ...]:
    if p.authors is None:
        return ()
    names = [clean_text(n) for n in p.authors]
    return tuple(n for n in names if n and n != "+")


def expected_vote(p: GenPaper) -> int | None:
    return p.vote if isinstance(p.vote, int) else None


# ---- the properties -----------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gen_digest())
def test_generated_digests_parse_whole_and_reach_the_graph(gen: GenDigest) -> None:
    digest = parse_digest(gen.text, "gen.md")  # (a): returns, whatever the text
    assert_nothing_lost(digest, gen.text)  # (c)
    assert_in_graph(digest)  # (b)
    by_line = {p.line: p for p in digest.papers}
    headings = heading_lines(gen.text)
    assert len(headings) == len(gen.papers)
    for i, (want, line) in enumerate(zip(gen.papers, headings, strict=True)):
        got = by_line.get(line)
        if i == gen.wrapped:  # read as one heading with a warning, or reported as unreadable
            assert got is not None or any(p.line == line and p.severity == "error" for p in digest.problems)
            continue
        if not clean_text(want.title):
            assert got is None  # no title: an error at the heading (checked above), not a paper
            continue
        assert got is not None, f"paper {want.arxiv_id} at line {line} was not read"
        assert (got.arxiv_id, got.title) == (want.bare_id, clean_text(want.title))
        assert (got.authors, got.votes) == (expected_authors(want), expected_vote(want))


# Hostile edits anywhere in the text: any of the special characters, line ends, stray headings,
# brackets and half links.
_EDIT = st.one_of(
    st.sampled_from(SPECIALS),
    st.sampled_from(
        ["\n", "\r", "\r\n", "\n### [", "### [", "](https://arxiv.org/abs/", ")", "\nVote: ", "\nAuthors: "]
    ),
    st.text(max_size=5),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gen_digest(max_papers=3), st.lists(st.tuples(st.floats(0, 1), _EDIT), max_size=6))
def test_hostile_edits_never_raise_or_lose_a_heading(gen: GenDigest, edits: list[tuple[float, str]]) -> None:
    text = gen.text
    for where, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at:]
    digest = parse_digest(text, "hostile.md")
    assert_nothing_lost(digest, text)
    assert_in_graph(digest)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gen_digest(max_papers=3), st.floats(0, 1), st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_truncated_files_never_raise_or_lose_a_heading(gen: GenDigest, where: float, encoding: str) -> None:
    data = gen.text.encode(encoding, errors="replace")
    data = data[: int(where * len(data))]  # anywhere: mid-line, mid-UTF-8 sequence, mid-BOM
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "2024-08-01.md"
        path.write_bytes(data)
        digest = read_digest(path)  # the real path: bytes, decoding, parsing
    text = data.decode("utf-8", errors="replace")
    assert_nothing_lost(digest, text)
    assert_in_graph(digest)


# ---- big inputs and regressions -------------------------------------------------------------

HEAD = HEADER + "\n\n"
LINK = "(https://arxiv.org/abs/2408.00001)"
MB = 1_000_000
NAMES = [f"Given{i} Family{i % 97}" for i in range(10_000)]


@pytest.mark.parametrize(
    "authors",
    [
        ", ".join(NAMES),  # the usual comma-separated form
        repr(NAMES),  # as a Python list (2024-10-18 .. 2024-10-25)
        ", ".join(f"{n}, +" if i % 1000 == 999 else n for i, n in enumerate(NAMES)),  # with hidden authors
    ],
    ids=["commas", "python-list", "hidden-markers"],
)
def test_ten_thousand_authors_are_read_in_order(authors: str) -> None:
    digest = parse_digest(HEAD + f"### [T]{LINK}\nAuthors: {authors}\n", "big.md")
    (paper,) = digest.papers
    assert list(paper.authors) == NAMES
    assert digest.problems == ()


def test_a_thousand_authors_reach_the_graph_in_order() -> None:
    # 1,000, not 10,000: the build counts every co-author pair of a paper (n^2/2), so 10,000 authors
    # take minutes there (kg/pairs.py); the parser itself reads 10,000 in a fraction of a second.
    digest = parse_digest(HEAD + f"### [T]{LINK}\nVote: 5\nAuthors: {', '.join(NAMES[:1000])}\n", "big.md")
    assert listed(build_graph([digest]), "2408.00001") == Listed("T", tuple(NAMES[:1000]), 5)


PROSE = "the model reads each line once and writes it out again "  # no vocabulary label in it


def megabyte(unit: str) -> str:
    return (unit * (MB // len(unit) + 1))[:MB]


def test_a_megabyte_bullet_reaches_the_graph() -> None:
    text = HEAD + f"### [T]{LINK}\nAuthors: A B\n- **What's New**: {megabyte(PROSE).strip()}\n"
    digest = parse_digest(text, "big.md")
    (paper,) = digest.papers
    assert len(paper.sections[0].text) == len(megabyte(PROSE).strip())
    assert listed(build_graph([digest]), "2408.00001") == Listed("T", ("A B",), None)


# Inputs that raised or took minutes (regular expressions backtracking over a long line) before
# the fixes in kg/parse.py; each now parses in milliseconds. (case id, digest text, ids read,
# (line, severity) of each problem)
REGRESSIONS = [
    # 1 MB of spaces between "(" and the link: the old _LINK split the run every way (quadratic).
    (
        "spaces-in-link",
        HEAD + f"### [T]({' ' * MB}https://arxiv.org/abs/2408.00001\n\nAuthors: A\n",
        ["2408.00001"],
        [(3, "warning")],
    ),
    # 1 MB of spaces after a bullet's "**": the old _LABEL tried every split of it (cubic).
    ("spaces-in-label", HEAD + f"### [T]{LINK}\nAuthors: A\n- ** {' ' * MB}x\n", ["2408.00001"], []),
    ("spaces-after-label", HEAD + f"### [T]{LINK}\nAuthors: A\n- **a:{' ' * MB}x\n", ["2408.00001"], []),
    # A 1 MB title of nested, unbalanced brackets and parentheses.
    ("bracket-title", HEAD + f"### [{'[(' * (MB // 2)}]{LINK}\nAuthors: A\n", ["2408.00001"], []),
    ("bracket-title-no-link", HEAD + f"### [{'](' * (MB // 2)}\nAuthors: A\n", [], [(3, "error")]),
    # A vote of 5,000 digits: int() refused it with ValueError (Python's 4,300-digit limit).
    ("huge-vote", HEAD + f"### [T]{LINK}\nVote: {'9' * 5000}\nAuthors: A\n", ["2408.00001"], [(4, "warning")]),
    # "Vote: ²": str.isdigit() is true, int() raised ValueError.
    ("superscript-vote", HEAD + f"### [T]{LINK}\nVote: ²\nAuthors: A\n", ["2408.00001"], [(4, "warning")]),
    # A bullet that is a Python list holding a 5,000-digit number: str() of it raised ValueError.
    ("huge-int-literal", HEAD + f"### [T]{LINK}\nAuthors: A\n- [0x{'f' * 5000}]\n", ["2408.00001"], []),
    # Lone CR line ends (old Mac files): the CRs were dropped as control characters before the lines
    # were split, so the whole file became one line and every paper was lost.
    ("lone-cr", (HEAD + f"### [T]{LINK}\rAuthors: A\r").replace("\n", "\r"), ["2408.00001"], []),
    # An id that runs on into a sixth digit was read as another paper (2409.12345); now an error.
    ("long-id", HEAD + "### [T](https://arxiv.org/abs/2409.123456)\nAuthors: A\n", [], [(3, "error")]),
    # "###[Title](link)" without the space: was a continuation of the bullet above, silently.
    (
        "no-space",
        HEAD + f"### [A]{LINK}\nAuthors: A\n- x\n###[B](https://arxiv.org/abs/2408.00002)\nAuthors: B\n",
        ["2408.00001", "2408.00002"],
        [(6, "warning")],
    ),
]


@pytest.mark.parametrize(("text", "ids", "problems"), [c[1:] for c in REGRESSIONS], ids=[c[0] for c in REGRESSIONS])
def test_regression(text: str, ids: list[str], problems: list[tuple[int, str]]) -> None:
    digest = parse_digest(text, "r.md")
    assert [p.arxiv_id for p in digest.papers] == ids
    assert sorted((p.line, p.severity) for p in digest.problems) == problems
    assert_nothing_lost(digest, text)


def test_bytes_and_text_give_the_same_digest() -> None:
    text = HEAD + f"### [Ünïcödé]{LINK}\r\nVote: 3\r\nAuthors: 김 철수, A B\r\n"
    from_text = parse_digest(text, "same.md")
    from_bytes = digest_from_bytes(b"\xef\xbb\xbf" + unicodedata.normalize("NFD", text).encode(), "same.md")
    assert from_bytes == from_text


# ---- the broken set with real days, through the whole build ---------------------------------

BROKEN = DATA / "broken"


def corpus_days(count: int = 10) -> list[Path]:
    """``count`` days spread evenly over the corpus (its formats changed over time)."""
    days = sorted(need(CORPUS / "daily-papers-ko", "the daily-papers-ko corpus").glob("*.md"))
    step = max(1, len(days) // count)
    return days[::step][:count]


def test_broken_files_with_real_days_build_every_good_paper(tmp_path: Path) -> None:
    days = corpus_days()
    broken = sorted(BROKEN.iterdir())
    result = run_build([*broken, *days], tmp_path, html=False)
    graph = result.graph
    # Every problem is one that reading the file alone reports (FILE:LINE), or a merge warning.
    alone = [read_digest(path) for path in [*broken, *days]]
    merged, merge_problems = merge_papers(alone)
    assert sorted(result.problems) == sorted([*(p for d in alone for p in d.problems), *merge_problems])
    # Every paper of the real days is there, as the merge of its listings says.
    real = {p.arxiv_id for d in alone[len(broken) :] for p in d.papers}
    assert len(real) > 100
    for arxiv_id in real:
        m = merged[arxiv_id].paper
        assert listed(graph, arxiv_id) == Listed(m.title, m.authors, m.votes), arxiv_id
    # The broken files give the papers the table in tests/test_load.py says, each once.
    ids = {str(o) for o in graph.objects(None, SCHEMA.identifier)}
    assert ids == real | {i for built, _ in EXPECTED.values() for i in built}
    assert result.papers == len(ids)
    # The Turtle written reads back with the same papers (old-style ids' IRIs included).
    written = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    assert {str(o) for o in written.objects(None, SCHEMA.identifier)} == ids


def test_files_read_by_workers_keep_their_order_and_every_problem(tmp_path: Path) -> None:
    """From READ_PARALLEL_FROM files on, worker processes read and parse them: the build still reads
    every file in order, reports the same problems in the same order and writes the same graph."""
    from kg.pipeline import READ_PARALLEL_FROM

    files = [*sorted(BROKEN.iterdir()), *corpus_days(20)]
    assert len(files) >= READ_PARALLEL_FROM
    one = run_build(files, tmp_path / "one", html=False, workers=1)
    two = run_build(files, tmp_path / "two", html=False, workers=2)
    assert two.files == one.files and len(one.files) == len(files)
    assert two.problems == one.problems and len(one.problems) >= len(EXPECTED)
    assert (tmp_path / "two" / "graph.ttl").read_bytes() == (tmp_path / "one" / "graph.ttl").read_bytes()


def test_old_style_and_versioned_ids_in_the_graph() -> None:
    graph = build_graph([read_digest(BROKEN / name) for name in ("old-style-id.md", "versioned-id.md", "duplicate.md")])
    base = "https://w3id.org/papers-kg/"
    # The "/" of an old-style id is percent-encoded in its IRI; the id and the arXiv link keep it.
    old = URIRef(base + "paper/hep-th%2F9901001")
    assert graph.value(old, SCHEMA.identifier) == Literal("hep-th/9901001")
    assert graph.value(old, SCHEMA.url) == URIRef("https://arxiv.org/abs/hep-th/9901001")
    # A versioned id is the paper without its version, in id, IRI and link alike.
    versioned = URIRef(base + "paper/2409.00002")
    assert graph.value(versioned, SCHEMA.identifier) == Literal("2409.00002")
    assert graph.value(versioned, SCHEMA.url) == URIRef("https://arxiv.org/abs/2409.00002")
    # A paper listed twice in one file is one node, with the later listing's vote.
    assert listed(graph, "2409.00005") == Listed("Listed Twice", ("Bo Chen",), 4)


def test_cli_builds_the_good_papers_of_broken_files_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = sorted(BROKEN.iterdir())
    assert main(["build", *map(str, broken), "--out", str(tmp_path), "--no-html"]) == 0
    err = capsys.readouterr().err.splitlines()
    want = sorted(
        f"{p.file}:{p.line}: {p.severity}: {p.message}" for path in broken for p in read_digest(path).problems
    )
    assert sorted(err) == want  # every problem, as FILE:LINE: severity: message, and nothing else
    assert (tmp_path / "graph.ttl").exists()


def test_cli_exits_1_and_writes_nothing_when_no_file_has_a_paper(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unreadable = [str(BROKEN / name) for name in ("empty.md", "binary.md", "no-papers.md")]
    assert main(["build", *unreadable, "--out", str(tmp_path), "--no-html"]) == 1
    err = capsys.readouterr().err
    assert f"{BROKEN / 'empty.md'}:1: error: empty file" in err
    assert f"{BROKEN / 'binary.md'}:2: error: binary file" in err
    assert "no papers could be built; nothing was written" in err
    assert not (tmp_path / "graph.ttl").exists()
