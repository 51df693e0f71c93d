"""The ``kg`` command keeps freed memory for reuse (kg.allocator): a large block made again after
being freed costs no new page faults, where plain glibc maps it afresh and faults every page."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

PROBE = """
import resource, sys
from kg.allocator import keep_freed_memory
if sys.argv[1] == "kept":
    assert keep_freed_memory()
block = bytearray(48 << 20)  # made (every page touched) and freed
del block
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
block = bytearray(48 << 20)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""

glibc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's"
)


def faults_of_second_block(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
    return int(done.stdout)


@glibc
def test_a_freed_block_is_reused_without_page_faults() -> None:
    pages = (48 << 20) // 4096
    assert faults_of_second_block("plain") > pages // 2  # plain glibc: mapped again, faulted again
    assert faults_of_second_block("kept") < pages // 100  # kept: the same memory, already in


def test_every_kg_command_keeps_freed_memory(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg import cli

    calls: list[int] = []
    monkeypatch.setattr(cli, "keep_freed_memory", lambda: bool(calls.append(1)))
    assert cli.main(["query", "--list"]) == 0
    assert calls == [1] and "top-collaborations" in capsys.readouterr().out
