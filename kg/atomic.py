"""Crash safety at the output edge: a build that is killed, or stopped with Ctrl-C, leaves the
previous outputs and the previous store as they were.

- Files are written to a temporary name and renamed (``kg.export.write_atomic``).
- The store of ``kg build --update`` is never written in place. The update works on a copy beside
  it (``.NAME.next``: a RocksDB checkpoint, made of hard links, so it costs milliseconds even for
  gigabytes), and the copy replaces the store by two renames once it is complete
  (``begin_store_update``, ``commit_store_update``). A process killed at any point leaves either
  the old store or the new one; ``recover_store`` tidies what a kill left behind.
- One build at a time writes into an output folder, and one update at a time into a store
  (``hold_lock``); a second one is refused with a message rather than mixing its files in.

>>> import tempfile, pathlib
>>> store = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> with hold_lock(store_lock(store), store, "kg build --update"):
...     work = begin_store_update(store, rebuild=False)
...     _ = (work / "data").write_text("new")
...     commit_store_update(store, work)
>>> (store / "data").read_text(), sorted(p.name for p in store.parent.iterdir())
('new', ['.store.lock', 'store'])
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox


class Busy(RuntimeError):
    """Another build holds the output folder or the store."""


def store_lock(store: Path) -> Path:
    """The lock file of a store: beside it, as the store folder itself is swapped."""
    return store.parent / f".{store.name}.lock"


def folder_lock(out_dir: Path) -> Path:
    """The lock file of an output folder: inside it."""
    return out_dir / ".kg-build.lock"


@contextlib.contextmanager
def hold_lock(lock: Path, path: Path, what: str) -> Iterator[Path]:
    """Hold the ``lock`` file of ``path`` for the duration (an OS lock: it goes with the process, so
    a killed build never leaves a stale lock); ``Busy`` when another process holds it."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"{path}: another {what} is using it; wait for it to finish") from None
        try:
            yield lock
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _next(store: Path) -> Path:
    return store.parent / f".{store.name}.next"


def _old(store: Path) -> Path:
    return store.parent / f".{store.name}.old"


def recover_store(store: Path) -> None:
    """Undo what a killed update left (call while holding the store's lock): a swap stopped
    between its two renames puts the old store back; an unfinished working copy is removed."""
    old, work = _old(store), _next(store)
    if old.exists() and not store.exists():
        os.replace(old, store)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)


def begin_store_update(store: Path, rebuild: bool) -> Path:
    """The folder to update instead of ``store``: a checkpoint copy of it, or a new empty folder
    for a store not made yet or ``rebuild``. ``store`` is only read."""
    recover_store(store)
    work = _next(store)
    if rebuild or not (store / "CURRENT").is_file():
        work.mkdir(parents=True)
        return work
    ox.Store.read_only(str(store)).backup(str(work))  # the handle closes with this line
    return work


def commit_store_update(store: Path, work: Path) -> None:
    """Put the finished working copy in place of ``store`` (the store must be closed)."""
    old = _old(store)
    if store.exists():
        os.replace(store, old)
    try:
        os.replace(work, store)  # killed before this: recover_store (or a reader) takes ``old``
    except BaseException:  # Ctrl-C between the renames: the old store goes back at once
        if old.exists() and not store.exists():
            os.replace(old, store)
        raise
    shutil.rmtree(old, ignore_errors=True)


def readable_store(store: Path) -> Path:
    """The folder holding the store's latest complete content: ``store``, or the old store that a
    kill between the two renames of ``commit_store_update`` left aside (until the next update)."""
    old = _old(store)
    return old if not store.exists() and (old / "CURRENT").is_file() else store


def discard(work: Path) -> None:
    """Drop a working copy after a failed or interrupted update; the store is untouched."""
    shutil.rmtree(work, ignore_errors=True)


SCRATCH_PREFIX = ".kg-build-"  # temporary stores of large builds, in the output folder


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Temporary files and build stores a killed build left in ``out_dir`` (call while holding the
    folder's lock, so that none of them belongs to a running build). Returns what was removed."""
    removed = []
    for path in sorted(out_dir.glob(".*")):
        scratch = path.is_dir() and path.name.startswith(SCRATCH_PREFIX)
        partial = path.is_file() and path.name.endswith(".tmp")  # kg.export.write_atomic's names
        if scratch or partial:
            shutil.rmtree(path, ignore_errors=True) if scratch else path.unlink(missing_ok=True)
            removed.append(path)
    return removed
