"""The benchmark script runs end to end on a tiny tree (it is not a benchmark of anything here)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench.py"

TRAIN = """\
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = SVC(C=10.0).fit(X_train, y_train)
print(model.score(X_test, y_test))
"""

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
        {"cell_type": "code", "metadata": {}, "source": ["%matplotlib inline\n", "import torch\n", "x = 1\n"],
         "outputs": [], "execution_count": None},
    ],
    "metadata": {"language_info": {"name": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("hplint_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["hplint_bench"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "train.py").write_text(TRAIN)
    (tmp_path / "plain.py").write_text("print('no ML here')\n")
    (tmp_path / "explore.ipynb").write_text(json.dumps(NOTEBOOK))
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "ignored.py").write_text("x = 1\n")
    return tmp_path


def test_runs_on_a_tiny_tree(bench, tree: Path, capsys) -> None:
    peers = "ruff,flake8"
    assert bench.main([str(tree), "--runs", "1", "--scale", "1,2", "--peers", peers, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["corpus"] == {"files": 3, "py_files": 2, "notebooks": 1, "lines": 10}
    timings = result["timings"]
    for name in ("hplint cold", "hplint warm", "hplint one file", "hplint --version"):
        assert timings[name]["median_s"] > 0
        assert timings[name]["max_rss_mb"] > 0
    assert timings["hplint one file"]["note"].startswith("pkg/train.py")
    for peer in peers.split(","):
        if shutil.which(peer):
            assert timings[peer]["median_s"] > 0
            assert f"hplint/{peer}" in result["ratios"]
        else:
            assert f"{peer}: not installed, skipped" in result["notes"]
    assert [entry["copies"] for entry in result["scaling"]] == [1, 2]
    assert result["scaling"][1]["files"] == 6


def test_missing_peer_is_skipped_with_a_note(bench, tree: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(bench.shutil, "which", lambda name: None)
    monkeypatch.setattr(bench, "measure", lambda command, cwd, env=None: bench.Sample(0.1, 0.1, 10.0, 10.0, 0))
    assert bench.main([str(tree), "--runs", "1", "--scale", "", "--peers", "pylint"]) == 0
    out = capsys.readouterr().out
    assert "hplint cold" in out
    assert "note: pylint: not installed, skipped" in out


def test_notebooks_are_exported_for_peers(bench, tree: Path, tmp_path_factory) -> None:
    corpus = bench.prepare(tree, tmp_path_factory.mktemp("workspace"))
    exported = (corpus.peer_root / "explore_ipynb.py").read_text()
    assert exported == "pass\nimport torch\nx = 1\n"
    assert not (corpus.peer_root / "explore.ipynb").exists()
    assert (corpus.root / "explore.ipynb").exists()
    assert not (corpus.root / ".git").exists()


def test_startup_only_measures_the_start_up_rows(bench, tree: Path, capsys) -> None:
    assert bench.main([str(tree), "--runs", "2", "--startup-only", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result["timings"]) == ["hplint one file", "hplint --version"]
    one = result["timings"]["hplint one file"]
    assert one["note"] == "pkg/train.py (6 lines)"
    assert one["min_s"] == min(one["runs_s"]) and one["cpu_min_s"] <= one["cpu_median_s"]
    assert result["scaling"] == []
