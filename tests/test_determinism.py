"""The same input gives byte-identical output: across runs, hash seeds, worker counts, cold and
warm caches, and the directory the tree was checked out in, in every output format.

The fixtures tree runs in CI. A larger tree (e.g. a sample of /work/corpora, which is not in the
repository) runs when HPLINT_DETERMINISM_TREE names it:
    HPLINT_DETERMINISM_TREE=/path/to/tree python -m pytest tests/test_determinism.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FORMATS = ("json", "sarif", "concise", "full", "junit", "gitlab", "github", "pylint")


def _command() -> list[str]:
    found = shutil.which("hplint")
    return [found] if found else [sys.executable, "-P", "-m", "hplint"]


def _run(tree: Path, *args: str, seed: int = 0) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPLINT_") and k not in ("NO_COLOR", "FORCE_COLOR")}
    env["PYTHONHASHSEED"] = str(seed)  # set and dict-of-set iteration orders differ between seeds
    result = subprocess.run([*_command(), "--no-color", *args, "."], cwd=tree, capture_output=True, env=env, timeout=900)
    assert result.returncode == 1, result.stderr.decode()
    assert result.stderr == b"", result.stderr.decode()
    return result.stdout


def _copies(source: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The tree at two unrelated absolute paths (absolute paths must not leak into any output)."""
    first = tmp_path / "a" / "tree"
    second = tmp_path / "b" / "deeper" / "checkout"
    for target in (first, second):
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".hplint_cache", "__pycache__"))
    return first, second


def _check_tree(source: Path, tmp_path: Path, jobs: tuple[str, ...]) -> None:
    first, second = _copies(source, tmp_path)
    reference = _run(first, "--no-cache", "--output-format", "json", "-j", "1", seed=1)
    assert reference.startswith(b"[")
    for index, count in enumerate(jobs):
        assert _run(first, "--no-cache", "--output-format", "json", "-j", count, seed=10 + index) == reference, f"-j{count}"
    # Cold caches (each tree's own), in parallel: the cache must hand back what was computed.
    assert _run(first, "--output-format", "json", "-j", jobs[-1], seed=2) == reference
    assert _run(second, "--output-format", "json", "-j", jobs[0], seed=3) == reference
    for output_format in FORMATS:
        outputs = {
            "first": _run(first, "--output-format", output_format, seed=4),
            "first again": _run(first, "--output-format", output_format, seed=5),
            "second tree": _run(second, "--output-format", output_format, seed=6),
        }
        assert len(set(outputs.values())) == 1, f"{output_format}: {sorted(outputs)} differ"
        for location in (str(first), str(second), str(tmp_path)):
            assert location.encode() not in outputs["first"], f"{output_format} names an absolute path"


def test_fixtures_output_is_byte_identical(tmp_path):
    _check_tree(FIXTURES, tmp_path, jobs=("1", "2", "4"))


@pytest.mark.skipif(not os.environ.get("HPLINT_DETERMINISM_TREE"), reason="set HPLINT_DETERMINISM_TREE to a tree")
def test_a_larger_tree_is_byte_identical(tmp_path):
    _check_tree(Path(os.environ["HPLINT_DETERMINISM_TREE"]), tmp_path, jobs=("1", "2", "4"))
