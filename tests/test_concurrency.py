"""The cache can cost time, never a finding: concurrent runs, damaged or read-only cache
directories and files rewritten behind the cache's back all give exactly what `--no-cache` gives,
with the same exit status and never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hplint.cache
from hplint.cache import CACHE_DIR, ResultCache, decode_diagnostic, encode_diagnostic
from hplint.diagnostics import Diagnostic, Edit, FileResult, Fix, Position, Related, Span
from tests.cli_support import invoke, write

# -- in-process runs (the probe rule) ---------------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch, probe):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pyproject.toml", "[tool.hplint]\n")
    write(tmp_path / "train.py", "lr = 0.1\nx = 1\nlr = 3\n")
    write(tmp_path / "clean.py", "x = 1\n")
    write(tmp_path / "broken.py", "def f(:\n")
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = invoke(["--output-format", "json", *args, "."])
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stdout


def index_of(project: Path) -> Path:
    (index,) = (project / CACHE_DIR).glob("index-*.json")
    return index


def test_warm_and_cold_runs_match_no_cache(project):
    expected = run("--no-cache")
    assert expected[0] == 1 and len(json.loads(expected[1])) == 3
    assert run() == expected  # cold: writes the index
    assert run() == expected  # warm: answered by the index


def _mutations(document: dict, path: str) -> dict[str, object]:
    """Damaged versions of a valid index whose entry for `path` has diagnostics."""
    entry = document["files"][path]

    def with_entry(change) -> dict:
        copy = json.loads(json.dumps(document))
        change(copy["files"][path])
        return copy

    def set_in_first_diagnostic(index: int, value: object):
        return lambda e: e[5][0].__setitem__(index, value)

    return {
        "wrong format number": {**document, "format": 1},
        "files is a list": {"format": document["format"], "files": [entry]},
        "entry is a string": {"format": document["format"], "files": {path: "entry"}},
        "entry too short": with_entry(lambda e: e.pop()),
        "lines is a string": with_entry(lambda e: e.__setitem__(4, "14")),
        "lines is true": with_entry(lambda e: e.__setitem__(4, True)),
        "diagnostics is a dict": with_entry(lambda e: e.__setitem__(5, {"a": 1})),
        "code is a number": with_entry(set_in_first_diagnostic(0, 990)),
        "span of strings": with_entry(set_in_first_diagnostic(3, ["1", "1", "1", "5"])),
        "span of floats": with_entry(set_in_first_diagnostic(3, [1.0, 1.0, 1.0, 5.5])),
        "negative row": with_entry(set_in_first_diagnostic(3, [-1, 1, 1, 5])),
        "cell is a string": with_entry(set_in_first_diagnostic(5, "1")),
        "fix of the wrong shape": with_entry(set_in_first_diagnostic(6, ["m", [[1, 2]], "safe"])),
        "related of the wrong shape": with_entry(set_in_first_diagnostic(7, [["m", [1, 1, 1, 1]]])),
        "noqa row is a string": with_entry(set_in_first_diagnostic(8, "1")),
        "diagnostic too long": with_entry(lambda e: e[5][0].append(None)),
    }


def test_damaged_index_gives_the_no_cache_findings(project):
    expected = run("--no-cache")
    run()
    index = index_of(project)
    valid = json.loads(index.read_text())
    texts: dict[str, bytes] = {
        "truncated": index.read_bytes()[: len(index.read_bytes()) // 2],
        "garbage": b"\x00\xff\xfe garbage",
        "empty": b"",
        "not UTF-8 JSON": "{'files': 1}".encode("utf-16"),
        "a JSON list": b"[1, 2, 3]",
        "a JSON string": b'"files"',
        "nested too deep": b"[" * 200_000 + b"]" * 200_000,
    }
    for name, document in _mutations(valid, str(project / "train.py")).items():
        texts[name] = json.dumps(document).encode()
    for name, data in texts.items():
        index.write_bytes(data)
        assert run() == expected, name
        index.write_bytes(data)  # the run above may have repaired it: damage it again for the
        assert run() == expected, name  # warm path (stat unchanged: answered without reading)


def test_a_directory_where_the_index_should_be(project):
    expected = run("--no-cache")
    run()
    index = index_of(project)
    index.unlink()
    index.mkdir()
    assert run() == expected
    assert run() == expected
    assert index.is_dir() and not list((project / CACHE_DIR).glob(".index-*.tmp"))


def test_a_file_where_the_cache_directory_should_be(project):
    expected = run("--no-cache")
    write(project / CACHE_DIR, "not a directory")
    assert run() == expected
    assert run() == expected


def test_unreadable_and_unwritable_cache_is_skipped(project, monkeypatch):
    """Root ignores permission bits, so the refusals are simulated as well as (when not root) real."""
    expected = run("--no-cache")
    run()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(hplint.cache.tempfile, "mkstemp", refuse)
    write(project / "clean.py", "lr = 7\n")  # a miss the run would like to store
    expected = run("--no-cache")
    assert run() == expected
    monkeypatch.setattr(hplint.cache, "open", refuse, raising=False)  # the index cannot be read
    assert run() == expected
    monkeypatch.undo()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores permission bits")
def test_read_only_cache_directory(project):
    expected = run("--no-cache")
    run()
    cache = project / CACHE_DIR
    write(project / "clean.py", "lr = 7\n")
    expected = run("--no-cache")
    cache.chmod(0o500)
    try:
        assert run() == expected
        index_of(project).chmod(0o000)
        assert run() == expected
    finally:
        cache.chmod(0o700)
        index_of(project).chmod(0o600)


def test_rewrite_with_the_same_size_and_mtime_is_noticed(project, monkeypatch):
    """`cp -p`, `git stash` + restore, or an editor putting the mtime back: the stat the cache
    trusts includes the ctime, which only the kernel sets."""
    monkeypatch.setattr(hplint.cache, "_RACY_NS", 0)  # trust stats at once (files are brand new)
    target = project / "train.py"
    os.utime(target, ns=(10**18, 10**18))
    run()
    before = os.stat(target)
    assert json.loads(index_of(project).read_text())["files"][str(target)][1] is not None  # stat-trusted
    with open(target, "r+", encoding="utf-8") as stream:  # same inode, same size
        stream.write("lx = 0.1\nx = 1\nlr = 3\n")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(target)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert run() == run("--no-cache")
    assert len(json.loads(run()[1])) == 2


def test_stale_temporary_files_are_removed(project):
    run()
    orphan = project / CACHE_DIR / ".index-killed.tmp"
    orphan.write_text("{")
    os.utime(orphan, (1, 1))
    fresh = project / CACHE_DIR / ".index-running.tmp"
    fresh.write_text("{")
    write(project / "clean.py", "x = 2\n")  # something to save
    run()
    assert not orphan.exists() and fresh.exists()  # a concurrent run's file is left alone


def test_every_field_of_a_decoded_diagnostic_is_checked():
    diagnostic = Diagnostic(
        code="HPL401",
        name="leak",
        message="`scaler` is fitted on `X` at line 12",
        path="a.ipynb",
        span=Span(Position(3, 4), Position(3, 9)),
        severity="error",
        cell=2,
        fix=Fix("use train", (Edit("X_train", Position(3, 4), Position(3, 5)),), "unsafe"),
        related=(Related("split here", Span(Position(1, 1), Position(1, 2)), 1),),
        noqa_row=2,
    )
    encoded = encode_diagnostic(diagnostic)
    assert decode_diagnostic(json.loads(json.dumps(encoded)), "a.ipynb") == diagnostic

    nullable = {(5,), (6,), (8,), (7, 0, 2)}  # cell, fix, noqa row, a related location's cell

    def trails(value, trail=()):
        yield trail
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from trails(item, (*trail, index))

    def replaced(trail: tuple, wrong: object) -> object:
        damaged = json.loads(json.dumps(encoded))
        if not trail:
            return wrong
        holder = damaged
        for step in trail[:-1]:
            holder = holder[step]
        holder[trail[-1]] = wrong
        return damaged

    checked = 0
    for trail in trails(encoded):
        original = _at(encoded, trail)
        wrongs: list[object] = [{"x": 1}, 1.5, True]
        wrongs += [1, [1]] if isinstance(original, str) else ["1", -1] if type(original) is int else ["x", 1]
        if trail not in nullable:
            wrongs.append(None)
        for wrong in wrongs:
            with pytest.raises(ValueError):
                decode_diagnostic(replaced(trail, wrong), "a.ipynb")
            checked += 1
    assert checked > 100


def _at(value: object, trail: tuple) -> object:
    for step in trail:
        value = value[step]  # type: ignore[index]
    return value


def test_concurrent_savers_merge_and_never_leave_a_partial_index(tmp_path):
    paths = [write(tmp_path / f"f{i}.py", "x = 1\n") for i in range(2)]
    first, second = ResultCache(str(tmp_path)), ResultCache(str(tmp_path))
    assert first.entries == second.entries == {}
    first.put(str(paths[0]), "h0", None, "s", "f0.py", FileResult("f0.py", [], 1))
    second.put(str(paths[1]), "h1", None, "s", "f1.py", FileResult("f1.py", [], 1))
    first.save()
    second.save()
    fresh = ResultCache(str(tmp_path))
    assert fresh.get(str(paths[0]), "h0", "s", "f0.py", "f0.py") is not None
    assert fresh.get(str(paths[1]), "h1", "s", "f1.py", "f1.py") is not None
    assert not list((tmp_path / CACHE_DIR).glob(".index-*.tmp"))


# -- real processes (the real rules) ------------------------------------------------------------

_SOURCES = {
    "svc.py": "from sklearn.svm import SVC\nclf = SVC(C=12.5, gamma=0.013)\n",
    "adam.py": "import torch\nopt = torch.optim.Adam(params, lr=0.00123)\n",
    "clean.py": "from sklearn.svm import SVC\nclf = SVC(C=config.c)\n",
    "broken.py": "def f(:\n",
    "nb.ipynb": json.dumps(
        {
            "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["import torch\n", "opt = torch.optim.SGD(p, lr=0.0173)\n"]}],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    ),
}

# A run whose cache trusts stats at once (files written a moment ago are otherwise always hashed),
# so the rounds below exercise the stat path too.
_TRUSTING_RUN = (
    "import sys, hplint.cache\n"
    "hplint.cache._RACY_NS = 0\n"
    "from hplint.cli import main\n"
    "sys.argv = ['hplint', *sys.argv[1:]]\n"
    "main()\n"
)


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", _TRUSTING_RUN, "--output-format", "json", "-j", "1", *args, "."]


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("HPLINT_")}


def _change_round(tree: Path, round_number: int) -> None:
    """Between rounds: a same-size rewrite with the mtime put back, a growing file, a new file,
    a deleted file."""
    svc = tree / "svc.py"
    info = os.stat(svc)
    digit = str(round_number % 10)
    svc.write_text(_SOURCES["svc.py"].replace("12.5", f"1{digit}.5"))
    os.utime(svc, ns=(info.st_atime_ns, info.st_mtime_ns))
    (tree / "adam.py").write_text(_SOURCES["adam.py"] + f"opt2 = torch.optim.SGD(params, lr=0.0{round_number + 2}7)\n")
    (tree / f"new{round_number}.py").write_text(_SOURCES["svc.py"])
    if round_number == 2:
        (tree / "clean.py").unlink()


def test_two_processes_at_once_over_several_rounds_agree_with_no_cache(tmp_path):
    for name, text in _SOURCES.items():
        (tmp_path / name).write_text(text)
    for extra in range(12):
        (tmp_path / f"m{extra}.py").write_text(_SOURCES["adam.py" if extra % 2 else "clean.py"])
    env = _environment()
    for round_number in range(3):
        if round_number:
            _change_round(tmp_path, round_number)
        processes = [
            subprocess.Popen(_command(), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            for _ in range(2)
        ]
        outcomes = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in processes]
        for process in processes:
            process.stdout.close()
            process.stderr.close()
        reference = subprocess.run(_command("--no-cache"), cwd=tmp_path, capture_output=True, env=env)
        warm = subprocess.run(_command(), cwd=tmp_path, capture_output=True, env=env)
        assert reference.returncode == 1 and reference.stderr == b""
        findings = json.loads(reference.stdout)
        assert {d["filename"] for d in findings} >= {"svc.py", "adam.py", "broken.py", "nb.ipynb"}
        for status, stdout, stderr in [*outcomes, (warm.returncode, warm.stdout, warm.stderr)]:
            assert (status, stdout, stderr) == (1, reference.stdout, b""), f"round {round_number}"
    assert not list((tmp_path / CACHE_DIR).glob(".index-*.tmp"))
