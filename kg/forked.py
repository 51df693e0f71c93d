"""Tasks done by forked worker processes, their results given back in the order the tasks were given.

Reading the input files and extracting the papers both hand tasks to workers a few at a time ahead
of the caller and take the results back in order; ``InOrder`` is that loop, written once. The
workers are forked, so that what they need (``inherit``, read in a task with ``inherited()``)
is not pickled, and they run without Python's cycle collector, which would walk everything they
inherit again and again (what tasks make here holds no cycles). They start at once: the caller
may do other work before it asks for the first result. With one worker, the tasks run in the
caller's process, one when its results are needed.

>>> list(InOrder(_twice, [[1, 2], [3]], workers=1, ahead=1))
[2, 4, 6]
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

_INHERITED: object = None  # what the workers of the open ``InOrder`` inherit


def inherited() -> Any:
    """What the ``InOrder`` running this task was given as ``inherit``."""
    return _INHERITED


class InOrder(Iterator[T]):
    """``task(arg)`` for each of ``args``, in ``workers`` forked processes with ``ahead`` tasks in
    flight, its results (a list per task) given back one at a time, in order. ``close`` ends the
    workers early (what they have not begun is dropped); running out of results ends them too."""

    def __init__(
        self, task: Callable[[Any], list[T]], args: Iterable[Any], *, workers: int, ahead: int, inherit: object = None
    ) -> None:
        global _INHERITED
        self._task, self._args, self._ahead_max = task, iter(args), ahead
        self._ready: deque[T] = deque()
        self._ahead: deque[Future[list[T]]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        self._inherits = inherit is not None
        if self._inherits:
            _INHERITED = inherit
        if workers > 1:
            fork = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(workers, mp_context=fork, initializer=gc.disable)
            try:
                self._submit()
            except BaseException:
                self.close()
                raise

    def _submit(self) -> None:
        assert self._pool is not None
        while len(self._ahead) < self._ahead_max:
            arg = next(self._args, _DONE)
            if arg is _DONE:
                return
            self._ahead.append(self._pool.submit(self._task, arg))

    def __next__(self) -> T:
        while not self._ready:
            if self._pool is None:
                arg = next(self._args, _DONE)
                if arg is _DONE:
                    self.close()
                    raise StopIteration
                self._ready.extend(self._task(arg))
            elif self._ahead:
                self._ready.extend(self._ahead.popleft().result())
                self._submit()
            else:
                self.close()
                raise StopIteration
        return self._ready.popleft()

    def close(self) -> None:
        global _INHERITED
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._inherits:
            _INHERITED = None
            self._inherits = False


_DONE = object()


def _twice(numbers: list[int]) -> list[int]:
    return [2 * n for n in numbers]
