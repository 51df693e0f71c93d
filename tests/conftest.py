"""Shared fixtures. Corpus tests read ../shared/corpus and skip, saying why, where it is absent.

In CI (CI=true) a missing external tool (rapper, chromium, firefox-esr) fails instead of skipping: CI installs them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings
from rdflib import Graph

from kg.build import build_graph
from kg.load import load_digests
from kg.model import Digest

# Hypothesis checks what the code does, not how fast: no per-example deadline (a busy CI machine
# would otherwise fail a correct example); speed is measured in bench/.
settings.register_profile("papers-kg", deadline=None)
settings.load_profile("papers-kg")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seeds" / "daily-papers-2024-08-01.md"


def need(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.skip(f"{what} not found at {path} (it lives in ../shared beside the repo)")
    return path


def need_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run must install it")
        pytest.skip(f"{name} is not installed (apt-get install it; .ci/run does)")
    return found


@pytest.fixture(scope="session")
def seed_digests() -> list[Digest]:
    return load_digests([need(SEED, "the seed digest")])


@pytest.fixture(scope="session")
def seed_graph(seed_digests: list[Digest]) -> Graph:
    return build_graph(seed_digests)


@pytest.fixture(scope="session")
def corpus_digests() -> list[Digest]:
    return load_digests([need(CORPUS / "daily-papers-ko", "the daily-papers-ko corpus")])


@pytest.fixture(scope="session")
def corpus_graph(corpus_digests: list[Digest]) -> Graph:
    return build_graph(corpus_digests)
