"""The kg command as a user runs it: outputs, exit codes, stderr messages and help."""

from __future__ import annotations

import argparse
import gc
import shutil
import subprocess
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest

from kg.cli import main, make_parser
from tests.conftest import DATA, SEED, need


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    kg = shutil.which("kg")
    command = [kg] if kg else [sys.executable, "-m", "kg.cli"]
    return subprocess.run(command + args, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_main_called_from_python_frees_what_it_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the ``kg`` program leaves its graph to the operating system at exit; a script or a
    test that calls ``main`` again and again must not keep every graph it built."""
    import kg.pipeline

    built: list[weakref.ref[kg.pipeline.BuildResult]] = []
    real = kg.pipeline.run_build

    def spy(*args: Any, **kwargs: Any) -> kg.pipeline.BuildResult:
        result = real(*args, **kwargs)
        built.append(weakref.ref(result))
        return result

    monkeypatch.setattr(kg.pipeline, "run_build", spy)
    assert main(["build", "--out", str(tmp_path), "--no-html"]) == 0
    gc.collect()
    assert len(built) == 1 and built[0]() is None


def test_build_without_arguments_builds_the_bundled_example(tmp_path: Path) -> None:
    done = run(["build"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output" / "graph.ttl").stat().st_size > 0
    assert (tmp_path / "output" / "graph.html").stat().st_size > 0
    assert "Built 21 papers" in done.stdout
    assert done.stderr == ""


def test_two_builds_write_identical_bytes(tmp_path: Path) -> None:
    assert main(["build", "--out", str(tmp_path / "a")]) == 0
    assert main(["build", "--out", str(tmp_path / "b")]) == 0
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_good_and_bad_files_build_the_good_and_report_the_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(DATA / "broken", folder)
    shutil.copy(need(SEED, "the seed digest"), folder / "2024-08-01.md")
    assert main(["build", str(folder), "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    assert "Built 30 papers" in out  # 12 seed + 18 distinct ids from the broken files
    for name in (
        "empty.md:1: error: empty file",
        "binary.md:2: error: binary file",
        "latin1.md:3: error: not valid UTF-8",
        "no-link.md:3: error:",
        "no-papers.md:1: warning: not a digest",  # found in a folder: skipped with a warning
    ):
        assert f"{folder}/{name}" in err, name
    assert (tmp_path / "out" / "graph.ttl").exists()


def test_nothing_buildable_exits_1_and_keeps_the_old_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("previous", "utf-8")
    code = main(["build", str(DATA / "broken" / "empty.md"), str(DATA / "broken" / "binary.md"), "--out", str(out)])
    assert code == 1
    assert "no papers could be built" in capsys.readouterr().err
    assert (out / "graph.ttl").read_text("utf-8") == "previous"


@pytest.mark.parametrize(
    "args",
    [
        ["build", "does-not-exist.md"],  # a missing input path
        ["build", "--base", "not-an-iri"],  # a base IRI that cannot prefix data IRIs
        ["build", "--max-nodes", "-5"],  # a negative limit (0 means draw all)
        ["html", "--view", "ego", "--graph", "missing.ttl"],  # no graph to read
        ["html", "--view", "sideways"],  # an unknown view
        [],  # no command at all
        ["frobnicate"],  # an unknown command
    ],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    done = run(args, tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.strip()


def test_every_command_has_help_with_examples() -> None:
    parser = make_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert sub.choices
    for name, command in sub.choices.items():
        text = command.format_help()
        assert command.description, name
        assert "examples:" in text and f"kg {name}" in text, name
        for action in command._actions:
            assert action.help, f"{name} {action.dest} has no help"


def test_no_html_and_other_base(tmp_path: Path) -> None:
    assert main(["build", "--no-html", "--base", "http://example.org/kg/", "--out", str(tmp_path)]) == 0
    assert not (tmp_path / "graph.html").exists()
    assert "@base <http://example.org/kg/> ." in (tmp_path / "graph.ttl").read_text("utf-8")


def test_html_ego_needs_a_known_centre(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--no-html", "--out", str(tmp_path)]) == 0
    graph = str(tmp_path / "graph.ttl")
    assert main(["html", "--graph", graph, "--view", "ego"]) == 2
    assert "needs --centre" in capsys.readouterr().err
    assert main(["html", "--graph", graph, "--view", "ego", "--centre", "Nobody Anywhere"]) == 2
    assert "no paper, person or concept named 'Nobody Anywhere'" in capsys.readouterr().err
    assert main(["html", "--graph", graph, "--view", "ego", "--centre", "2412.01199"]) == 0
    assert (tmp_path / "ego-2412.01199.html").exists()
