"""Bad input gets a diagnostic or a one-line error, and the run goes on with the other files."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from unittest import mock

import pytest

from tests.cli_support import invoke, write


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "ok.py", "def f(:\n")  # a known finding, to prove the run went on
    return tmp_path


def run_json(*paths: str):
    result = invoke(["--output-format", "json", "--no-cache", *paths])
    assert "Traceback" not in result.stderr
    return result, json.loads(result.stdout)


def only(diagnostics: list[dict], filename: str) -> list[dict]:
    return [d for d in diagnostics if d["filename"] == filename]


def test_syntax_error_has_cpythons_position(project):
    result, items = run_json("ok.py")
    assert result.exit_code == 1
    [item] = items
    assert (item["code"], item["location"]["row"], item["location"]["column"]) == ("HPL901", 1, 7)


def test_non_utf8_bytes(project):
    (project / "latin.py").write_bytes(b"x = 1\nname = '\xe9t\xe9'\n")
    result, items = run_json("latin.py", "ok.py")
    [item] = only(items, "latin.py")
    assert item["code"] == "HPL901" and "not valid utf-8" in item["message"] and item["location"]["row"] == 2
    assert only(items, "ok.py")


def test_bom_is_accepted(project):
    (project / "bom.py").write_bytes(b"\xef\xbb\xbfx = 1\n")
    result, items = run_json("bom.py")
    assert result.exit_code == 0 and items == []


def test_nul_byte(project):
    (project / "nul.py").write_bytes(b"x = 1\ny = '\x00'\n")
    result, items = run_json("nul.py", "ok.py")
    [item] = only(items, "nul.py")
    assert item["code"] == "HPL901" and "NUL" in item["message"] and item["location"]["row"] == 2
    assert result.exit_code == 1


def test_empty_file(project):
    (project / "empty.py").write_bytes(b"")
    result, items = run_json("empty.py")
    assert result.exit_code == 0 and items == []


def test_five_megabyte_file_is_quick(project):
    # Generated code that imports no ML library: hplint's byte-level pre-check skips the analysis
    # and only CPython's parser looks for syntax errors. (5 MB of ML code takes libcst itself
    # tens of seconds to parse; that is measured by the benchmark, not here.)
    # (Long lines keep CPython's parser quick: token-dense code costs it seconds per megabyte.)
    block = "".join(f"TABLE_{i} = ({'x' * 900!r}, {i})  # {'generated ' * 10}\n" for i in range(500))
    text = block * (5_000_000 // len(block) + 1)
    (project / "huge.py").write_text(text)
    assert (project / "huge.py").stat().st_size >= 5_000_000
    start = time.perf_counter()
    result, items = run_json("huge.py")
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0 and items == []
    assert elapsed < 20, f"5 MB took {elapsed:.1f} s"


def test_deep_nesting(project):
    (project / "deep.py").write_text("x = " + "(" * 500 + "1" + ")" * 500 + "\n")
    (project / "deep_list.py").write_text("y = " + "[" * 500 + "]" * 500 + "\n")
    result, items = run_json("deep.py", "deep_list.py", "ok.py")
    assert result.exit_code == 1
    assert only(items, "ok.py")
    for name in ("deep.py", "deep_list.py"):
        assert all(item["code"] == "HPL901" for item in only(items, name))


def test_directory_named_like_a_python_file(project):
    write(project / "weird.py" / "inside.py", "def g(:\n")
    result, items = run_json("weird.py", "ok.py")
    assert sorted(item["filename"] for item in items) == ["ok.py", "weird.py/inside.py"]


def test_broken_notebooks(project):
    (project / "invalid.ipynb").write_text('{"cells": [')
    (project / "cells_not_list.ipynb").write_text('{"cells": {"a": 1}, "nbformat": 4}')
    (project / "cell_source_number.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code", "source": 7}]}))
    result, items = run_json(".")
    messages = {item["filename"]: item["message"] for item in items if item["code"] == "HPL901"}
    assert "not valid JSON" in messages["invalid.ipynb"]
    assert "no list of cells" in messages["cells_not_list.ipynb"]
    assert "not text" in messages["cell_source_number.ipynb"]
    assert "ok.py" in messages
    assert result.exit_code == 1


def test_nonexistent_path(project):
    result = invoke(["--output-format", "concise", "--no-cache", "no/such/path.py", "ok.py"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "hplint: no/such/path.py: No such file or directory"
    assert "ok.py:1:7: HPL901" in result.stdout


def test_unreadable_file(project):
    target = project / "secret.py"
    target.write_text("x = 1\n")
    real_read_bytes = Path.read_bytes
    real_open = open

    def refuse_read_bytes(self):
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    def refuse_open(file, *args, **kwargs):
        if str(file).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    # root reads everything whatever chmod says, so the refusal is simulated (serial run: in-process)
    with mock.patch.object(Path, "read_bytes", refuse_read_bytes), mock.patch("builtins.open", refuse_open):
        result = invoke(["--output-format", "json", "secret.py", "ok.py"])
    items = json.loads(result.stdout)
    [item] = only(items, "secret.py")
    assert item["code"] == "HPL901" and "permission denied" in item["message"]
    assert only(items, "ok.py") and result.exit_code == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_really_chmod(project):
    target = project / "secret.py"
    target.write_text("x = 1\n")
    target.chmod(0)
    try:
        result, items = run_json("secret.py", "ok.py")
    finally:
        target.chmod(0o644)
    assert "permission denied" in only(items, "secret.py")[0]["message"]


def test_bad_pyproject_is_one_line_and_exit_2(project):
    write(project / "pyproject.toml", "[tool.hplint\nselect = 1\n")
    result = invoke(["--no-cache", "ok.py"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("hplint: pyproject.toml:1:")
    assert "Traceback" not in result.stderr


def test_fixtures_directory_runs_cleanly():
    root = Path(__file__).resolve().parent.parent
    result = invoke(["--output-format", "json", "--select", "ALL", "--no-cache", str(root / "fixtures")])
    assert result.exit_code in (0, 1), result.stderr
    assert isinstance(json.loads(result.stdout), list)
