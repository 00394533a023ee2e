"""ruff's conventions: --show-settings, --show-files, `extend`, --cache-dir / cache-dir /
$HPLINT_CACHE_DIR and --isolated (in-process through click.testing, and as subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_support import invoke, write

ROOT = Path(__file__).resolve().parent.parent
BAD = "from sklearn.svm import SVC\nmodel = SVC(C=3.7, gamma=0.01)\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", """\
        [tool.hplint]
        select = ["HPL1"]
        extend-select = ["HPL6"]
        cache-dir = "build-cache"
        """)
    write(tmp_path / "pkg" / "hplint.toml", """\
        extend = "../pyproject.toml"
        ignore = ["HPL102"]
        extend-select = ["HPL5"]
        """)
    write(tmp_path / "pkg" / "train.py", BAD)
    write(tmp_path / "pkg" / "data" / "notes.txt", "not python\n")
    write(tmp_path / "top.py", BAD)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HPLINT_CACHE_DIR", raising=False)
    return tmp_path


def test_show_settings_names_the_files_and_the_resolved_values(project):
    result = invoke(["check", "--show-settings", "pkg/train.py"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert f"Resolved settings for: {project / 'pkg' / 'train.py'}" in out
    assert f"Settings path: {project / 'pkg' / 'hplint.toml'}" in out
    assert f"Extends: {project / 'pyproject.toml'}" in out
    assert 'select (configuration) = ["HPL1"]' in out  # from the extended file
    assert 'extend-select (configuration) = ["HPL6", "HPL5"]' in out  # accumulated along the chain
    assert 'ignore (configuration) = ["HPL102"]' in out
    assert f"cache-dir = {str(project / 'build-cache')!r}" in out  # relative to the file that sets it
    enabled = next(line for line in out.splitlines() if line.startswith("enabled rules"))
    assert '"HPL101"' in enabled and '"HPL102"' not in enabled and '"HPL501"' in enabled and '"HPL601"' in enabled
    assert '"HPL401"' not in enabled


def test_show_settings_with_the_command_line_layer_and_isolated(project):
    result = invoke(["check", "--show-settings", "--isolated", "--select", "HPL2", "pkg/train.py"])
    assert result.exit_code == 0, result.stderr
    assert "Settings path: none (defaults)" in result.stdout
    assert "Isolated: configuration files ignored (--isolated)" in result.stdout
    assert 'select (command line) = ["HPL2"]' in result.stdout
    assert "Extends" not in result.stdout


def test_show_files_lists_what_would_be_checked(project):
    result = invoke(["check", "--show-files", "."])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == sorted([str(project / "pkg" / "train.py"), str(project / "top.py")])


def test_extend_applies_the_chain_when_checking(project):
    result = invoke(["check", "--no-cache", "--output-format", "concise", "pkg/train.py"])
    codes = {line.split()[1] for line in result.stdout.splitlines() if ": HPL" in line}
    assert codes == {"HPL101"}
    write(project / "pyproject.toml", '[tool.hplint]\nselect = ["HPL6"]\n')  # the extended file decides
    result = invoke(["check", "--no-cache", "--output-format", "concise", "pkg/train.py"])
    assert "HPL101" not in result.stdout


def test_extend_cycle_and_missing_file_are_clear_errors(project):
    write(project / "pyproject.toml", '[tool.hplint]\nextend = "pkg/hplint.toml"\n')
    result = invoke(["check", "pkg/train.py"])
    assert result.exit_code == 2
    assert "extend each other in a cycle: pkg/hplint.toml -> pyproject.toml -> pkg/hplint.toml" in result.stderr
    assert "Traceback" not in result.stderr
    write(project / "pkg" / "hplint.toml", 'extend = "../nowhere.toml"\n')
    result = invoke(["check", "pkg/train.py"])
    assert result.exit_code == 2
    assert "pkg/hplint.toml:1: `extend`: nowhere.toml: configuration file not found" in result.stderr


def test_a_mistake_in_the_extended_file_names_that_file(project):
    write(project / "pyproject.toml", '[tool.hplint]\nselect = ["HPL1"]\nbogus = 1\n')
    result = invoke(["check", "pkg/train.py"])
    assert result.exit_code == 2
    assert "pyproject.toml:3: `tool.hplint.bogus`: unknown key" in result.stderr


def test_cache_dir_option_env_and_key(project, tmp_path_factory):
    invoke(["check", "--exit-zero", "pkg/train.py"])
    assert list((project / "build-cache").glob("index-*.json"))  # the `cache-dir` key
    elsewhere = tmp_path_factory.mktemp("cache")
    invoke(["check", "--exit-zero", "--cache-dir", str(elsewhere), "pkg/train.py"])
    (root_cache,) = elsewhere.iterdir()
    assert list(root_cache.glob("index-*.json"))
    env_dir = tmp_path_factory.mktemp("envcache")
    invoke(["check", "--exit-zero", "top.py"], env={"HPLINT_CACHE_DIR": str(env_dir)})
    assert list(env_dir.glob("root-*/index-*.json"))
    assert not (project / ".hplint_cache").exists()


def test_isolated_ignores_configuration_and_conflicts_with_config(project):
    write(project / "pyproject.toml", '[tool.hplint]\nignore = ["ALL"]\n')
    result = invoke(["check", "--no-cache", "--output-format", "concise", "--isolated", "top.py"])
    assert "HPL101" in result.stdout
    result = invoke(["check", "--isolated", "--config", "pyproject.toml", "top.py"])
    assert result.exit_code == 2 and "cannot be combined with --config" in result.stderr


def _subprocess(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("HPLINT_")}
    full_env.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "hplint", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120)


def test_subprocess_show_settings_show_files_and_cache_dir(project, tmp_path_factory):
    done = _subprocess(["--show-settings", "pkg"], project)
    assert done.returncode == 0 and f"Extends: {project / 'pyproject.toml'}" in done.stdout
    done = _subprocess(["--show-files", "pkg"], project)
    assert done.returncode == 0 and done.stdout == f"{project / 'pkg' / 'train.py'}\n"
    cache = tmp_path_factory.mktemp("sub-cache")
    done = _subprocess(["--exit-zero", "--isolated", "top.py"], project, HPLINT_CACHE_DIR=str(cache))
    assert done.returncode == 0 and "HPL101" in done.stdout
    assert list(cache.glob("root-*/index-*.json"))
