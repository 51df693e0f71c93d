"""A build killed, or stopped with Ctrl-C, at the worst moment leaves the earlier outputs and the
earlier store as they were, and the next build tidies up and succeeds.

Each case runs a real ``kg build`` in a child process and stops it with a real signal: the child
wraps one function of the build so that the signal comes at a chosen moment (half-way through
writing graph.ttl, after the papers went into the store, between the two renames that put a new
store in place). Nothing is mocked: the build, the store and the files are the real ones.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.atomic import Busy, begin_store_update, commit_store_update, folder_lock, hold_lock, recover_store
from kg.cli import main
from kg.store import open_build_store
from tests.conftest import DATA

DAY1, DAY2 = DATA / "golden" / "2024-08-01.md", DATA / "golden" / "2024-08-02.md"

# Where the child stops: the function it wraps, and whether the signal comes before or after it runs.
STOPS = {
    # Half-way through writing graph.ttl: the head is written, the triples are not.
    "mid-turtle": ("kg.export", "write_blocks", "head"),
    # The new day's papers are in the working copy of the store; the copy is not in place yet.
    "after-papers": ("kg.pipeline", "commit_store_update", "before"),
    # Between the two renames that put the new store in place: the old one is moved aside.
    "mid-swap": ("kg.atomic", "os.replace", "second"),
}

CHILD = """
import os, signal, sys
import importlib
# Ctrl-C as in a terminal, even where the tests run with SIGINT ignored (a background job of a shell
# without job control: its processes inherit the ignored signal, and Python keeps it ignored).
signal.signal(signal.SIGINT, signal.default_int_handler)
module_name, attr, when, sig = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
module = importlib.import_module(module_name)
stop = lambda: os.kill(os.getpid(), sig)
if attr == "os.replace":
    calls = []
    real = os.replace
    def wrapped(*a, **k):
        calls.append(a)
        if len(calls) == 2:
            stop()
        return real(*a, **k)
    module.os = type(sys)("os_wrapped")
    module.os.__dict__.update(os.__dict__)
    module.os.replace = wrapped
elif when == "head":
    real = getattr(module, attr)
    def wrapped(out, blocks, *a, **k):
        out.write("@prefix half: <http://example.org/> .\\n")
        out.flush()
        stop()
        return real(out, blocks, *a, **k)
    setattr(module, attr, wrapped)
else:
    real = getattr(module, attr)
    def wrapped(*a, **k):
        stop()
        return real(*a, **k)
    setattr(module, attr, wrapped)
from kg.cli import main
from kg.store import open_build_store
sys.exit(main(sys.argv[5:]))
"""


def run_stopped(stop: str, sig: signal.Signals, args: list[str]) -> subprocess.CompletedProcess[str]:
    module, attr, when = STOPS[stop]
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), module, attr, when, str(int(sig)), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def quads(store: Path) -> set[str]:
    db = open_build_store(store)  # what kg query --store reads
    try:
        return {str(q) for q in db}
    finally:
        del db


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if not p.name.endswith(".lock"))


@pytest.mark.parametrize(
    ("sig", "code"),
    [
        (signal.SIGKILL, -signal.SIGKILL),  # killed: nothing runs after, not even a clean-up
        (signal.SIGINT, 130),  # Ctrl-C: the partial file is removed, and the exit code says so
    ],
)
def test_a_build_stopped_mid_write_keeps_the_previous_graph(tmp_path: Path, sig: signal.Signals, code: int) -> None:
    out = tmp_path / "out"
    assert main(["build", str(DAY1), "--out", str(out), "--no-html"]) == 0
    before = (out / "graph.ttl").read_bytes()
    stopped = run_stopped("mid-turtle", sig, ["build", str(DAY1), str(DAY2), "--out", str(out), "--no-html"])
    assert stopped.returncode == code, stopped.stderr
    assert (out / "graph.ttl").read_bytes() == before
    if sig == signal.SIGINT:
        assert "interrupted" in stopped.stderr and leftovers(out) == []
    else:
        assert [n for n in leftovers(out) if n.startswith(".graph.ttl.")]  # the half-written temporary file
    assert main(["build", str(DAY1), str(DAY2), "--out", str(out), "--no-html"]) == 0
    assert leftovers(out) == []  # the next build removed what the killed one left
    assert (out / "graph.ttl").read_bytes() != before


@pytest.mark.parametrize("stop", ["after-papers", "mid-swap"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_an_update_stopped_mid_way_leaves_the_old_store(tmp_path: Path, stop: str, sig: signal.Signals) -> None:
    out = tmp_path / "out"
    assert main(["build", "--update", str(DAY1), "--out", str(out), "--no-html"]) == 0
    old = quads(out / "store")
    stopped = run_stopped(stop, sig, ["build", "--update", str(DAY2), "--out", str(out), "--no-html"])
    assert stopped.returncode == (130 if sig == signal.SIGINT else -signal.SIGKILL), stopped.stderr
    if stop == "mid-swap":  # killed between the renames, the store folder is aside until the next update
        assert (out / "store").exists() == (sig == signal.SIGINT)
    assert quads(out / "store") == old  # opens, with the old content
    # The next update recovers (a kill between the renames leaves no store until then) and adds the day.
    assert main(["build", "--update", str(DAY2), "--out", str(out), "--no-html"]) == 0
    assert leftovers(out) == []
    full = tmp_path / "full"
    assert main(["build", str(DAY1), str(DAY2), "--out", str(full), "--no-html"]) == 0
    assert (out / "graph.ttl").read_bytes() == (full / "graph.ttl").read_bytes()


@pytest.mark.parametrize(
    ("left", "kept"),
    [
        ({"store": "old", ".store.next": "partial"}, "old"),  # killed while updating the working copy
        ({".store.old": "old", ".store.next": "new"}, "old"),  # killed between the two renames
        ({"store": "new", ".store.old": "old"}, "new"),  # killed after the swap, before the old one went
        ({".store.next": "partial"}, None),  # killed while making the first store: there is none yet
    ],
)
def test_recovery_after_a_kill_at_each_step(tmp_path: Path, left: dict[str, str], kept: str | None) -> None:
    for name, content in left.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "content").write_text(content)
    recover_store(tmp_path / "store")
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if kept is None else ["store"])
    if kept is not None:
        assert (tmp_path / "store" / "content").read_text() == kept


def test_a_second_build_into_the_same_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    with hold_lock(folder_lock(out), out, "kg build"):
        assert main(["build", str(DAY1), "--out", str(out), "--no-html"]) == 1
        assert "another kg build is using it" in capsys.readouterr().err
        assert not (out / "graph.ttl").exists()
        with pytest.raises(Busy), hold_lock(folder_lock(out), out, "kg build"):
            pass
    assert main(["build", str(DAY1), "--out", str(out), "--no-html"]) == 0  # the lock went with its holder


def test_an_unfinished_working_copy_never_touches_the_store(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", "--update", str(DAY1), "--out", str(out), "--no-html"]) == 0
    store = out / "store"
    old = quads(store)
    work = begin_store_update(store, rebuild=False)
    db = ox.Store(str(work))
    db.clear()  # the working copy is a copy: emptying it leaves the store whole
    db.flush()
    del db
    assert quads(store) == old and quads(work) == set()
    commit_store_update(store, work)
    assert quads(store) == set() and not work.exists()
    assert os.listdir(out) and leftovers(out) == []
