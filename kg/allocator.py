"""The C allocator set up for a batch run: the ``kg`` command calls this, a library caller's process
is left as it is.

By default glibc's ``malloc`` gives large blocks (from 128 KB, a limit it raises as it goes) and
the free top of its heap back to the system at once, and the next allocation faults the same
memory in again, a page at a time. A build makes and drops large texts and tables all the time
(page data, Turtle parts, N-Quads batches), in the main process and in its forked workers: on the
corpus, 780,000 page faults and 2.2 s of system time. Keeping freed memory for reuse instead
(blocks of up to 64 MB from the heap, which is trimmed only past 1 GB free) leaves 640,000 faults
and 1.8 s, and ``kg build`` of the corpus ends about 0.2 s sooner. The peak is the same: it is
the heap's high-water mark either way. Forked workers inherit the setting.

>>> keep_freed_memory() in (True, False)   # False where the C library is not glibc
True
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

# mallopt(3) parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
MMAP_THRESHOLD = 64 << 20  # blocks below this come from the heap, where freed memory is reused
TRIM_THRESHOLD = 1 << 30  # the heap's free top is given back past this
TOP_PAD = 64 << 20  # the heap grows this much beyond what is asked, in fewer steps


def keep_freed_memory() -> bool:
    """Ask glibc's ``malloc`` to keep freed memory for reuse; whether it could (glibc on Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt to call
        return False
    settings = ((_M_MMAP_THRESHOLD, MMAP_THRESHOLD), (_M_TRIM_THRESHOLD, TRIM_THRESHOLD), (_M_TOP_PAD, TOP_PAD))
    return all(mallopt(param, value) == 1 for param, value in settings)
