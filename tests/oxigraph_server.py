"""A real Oxigraph server (``oxigraph serve``, from ``pip install oxigraph``) on 127.0.0.1, for tests.

``running_server(location)`` starts it on a free port with its store in ``location`` and the union
of the named graphs as default graph, waits until it answers, and stops it on leaving.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STARTUP_SECONDS = 30.0


@dataclass(frozen=True)
class Server:
    root: str  # http://127.0.0.1:PORT

    @property
    def store(self) -> str:
        """The Graph Store Protocol endpoint."""
        return f"{self.root}/store"

    @property
    def query(self) -> str:
        return f"{self.root}/query"

    def update(self, text: str) -> None:
        """A SPARQL update (tests only: to put triples the push must keep or replace)."""
        request = urllib.request.Request(
            f"{self.root}/update", data=text.encode(), headers={"Content-Type": "application/sparql-update"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()

    def nquads(self) -> set[str]:
        """Every quad in the store, as N-Quads lines."""
        request = urllib.request.Request(self.store, headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return {line for line in answer.read().decode().splitlines() if line}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def running_server(command: str, location: Path, *, union: bool = True) -> Iterator[Server]:
    """``oxigraph serve`` on a free port of 127.0.0.1, stopped (and waited for) on leaving."""
    port = free_port()
    args = [command, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*args, "--union-default-graph"] if union else args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    server = Server(f"http://127.0.0.1:{port}")
    try:
        _wait_until_it_answers(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _wait_until_it_answers(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"oxigraph serve exited with {process.returncode}: {error.strip()[:500]}")
        try:
            with urllib.request.urlopen(f"{server.query}?query=ASK%7B%7D", timeout=2) as answer:
                answer.read()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise RuntimeError(f"oxigraph serve did not answer at {server.root} within {STARTUP_SECONDS:.0f} s")
