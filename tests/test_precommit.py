"""The pre-commit hook, run by the real `pre-commit try-repo` against a temporary git repository.

pre-commit builds a virtualenv from this repository with pip, which needs hplint's dependencies
from the package index: without network access the test is skipped (with the reason), not failed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NO_NETWORK = (
    "Could not find a version",
    "No matching distribution",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
)


def test_hook_definition_is_shaped_like_ruffs():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    for line in (
        "- id: hplint",
        "entry: hplint check --force-exclude",
        "language: python",
        "types_or: [python, jupyter]",
        "require_serial: true",
    ):
        assert line in text


def test_pre_commit_try_repo_reports_the_bad_file(tmp_path):
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "bad.py").write_text("def f(:\n    pass\n")
    (repo / "good.py").write_text("x = 1\n")
    (repo / "build").mkdir()
    (repo / "build" / "generated.py").write_text("def g(:\n")  # excluded by default: --force-exclude
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("HPLINT_", "PRE_COMMIT"))},
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    }  # fmt: skip
    for command in (["git", "init", "-q"], ["git", "add", "."]):
        subprocess.run(command, cwd=repo, check=True, env=env, capture_output=True)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "hplint", "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 and any(marker in output for marker in NO_NETWORK):
        pytest.skip("pre-commit could not install hplint's dependencies (no package index reachable)")
    assert result.returncode == 1, output
    assert "bad.py:1:7: HPL901" in output
    assert "generated.py" not in output
    assert "good.py:" not in output
