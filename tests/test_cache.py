"""The result cache: reuse, invalidation, corruption, read-only directories, --no-cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hplint.pool
from hplint.cache import CACHE_DIR, ResultCache
from tests.cli_support import PROBE, invoke, write


@pytest.fixture
def project(tmp_path, monkeypatch, probe):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pyproject.toml", "[tool.hplint]\n")
    write(tmp_path / "train.py", "lr = 0.1\n")
    write(tmp_path / "clean.py", "x = 1\n")
    return tmp_path


@pytest.fixture
def checked(monkeypatch):
    """Records the files the engine really checks (not answered by the cache)."""
    seen: list[str] = []
    real_run = hplint.pool.run

    def recording_run(tasks, *args, **kwargs):
        seen.extend(task.display for task in tasks)
        return real_run(tasks, *args, **kwargs)

    monkeypatch.setattr(hplint.pool, "run", recording_run)
    return seen


def lint(*args: str) -> str:
    result = invoke(["--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


def test_cache_directory_layout(project):
    lint(".")
    cache = project / CACHE_DIR
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert len(list(cache.glob("index-*.json"))) == 1


def test_warm_run_checks_nothing_and_reports_the_same(project, checked):
    cold = lint(".")
    assert sorted(checked) == ["clean.py", "train.py"]
    checked.clear()
    warm = lint(".")
    assert checked == [] and warm == cold


def test_changed_content_and_changed_settings_invalidate(project, checked):
    lint(".")
    checked.clear()
    write(project / "clean.py", "lr = 2\n")
    assert json.loads(lint("."))[0]["filename"] == "clean.py"
    assert checked == ["clean.py"]
    checked.clear()
    write(project / "pyproject.toml", "[tool.hplint.HPL990]\nlimit = 9\n")
    assert "limit 9" in lint(".")
    assert sorted(checked) == ["clean.py", "train.py"]
    checked.clear()
    lint("--ignore", PROBE, ".")  # the command line is part of the settings too
    assert sorted(checked) == ["clean.py", "train.py"]


def test_no_cache_neither_reads_nor_writes(project, checked):
    lint("--no-cache", ".")
    assert not (project / CACHE_DIR).exists()
    lint(".")
    checked.clear()
    lint("--no-cache", ".")
    assert sorted(checked) == ["clean.py", "train.py"]


def test_corrupt_index_is_ignored(project, checked):
    expected = lint(".")
    for index in (project / CACHE_DIR).glob("index-*.json"):
        index.write_text('{"format": 1, "files": {"' + str(project / "train.py") + '": [1, 2]}')
    assert lint(".") == expected
    for index in (project / CACHE_DIR).glob("index-*.json"):
        index.write_bytes(b"\x00garbage")
    assert lint(".") == expected


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_cache_directory_is_not_an_error(project):
    (project / CACHE_DIR).mkdir()
    (project / CACHE_DIR).chmod(0o500)
    try:
        assert json.loads(lint("."))[0]["code"] == PROBE
    finally:
        (project / CACHE_DIR).chmod(0o700)


def test_unwritable_cache_location_is_not_an_error(project):
    (project / CACHE_DIR).write_text("a file where the directory should be")
    assert json.loads(lint("."))[0]["code"] == PROBE


def test_unchanged_stat_skips_reading_and_a_rewrite_is_noticed(project, checked, monkeypatch):
    import hplint.cache

    monkeypatch.setattr(hplint.cache, "_RACY_NS", 0)  # trust stats at once (files are brand new)
    lint(".")
    index = next((project / CACHE_DIR).glob("index-*.json"))
    entries = json.loads(index.read_text())["files"]
    assert all(entry[1] is not None for entry in entries.values())  # stats recorded
    checked.clear()
    write(project / "train.py", "lr = 0.2\n")  # same size: the mtime and the hash tell
    os.utime(project / "train.py", ns=(1, 1))
    assert "limit 3" in lint(".")
    assert checked == ["train.py"]


def test_recently_modified_files_are_hashed_not_trusted(project):
    lint(".")
    index = next((project / CACHE_DIR).glob("index-*.json"))
    entries = json.loads(index.read_text())["files"]
    assert all(entry[1] is None for entry in entries.values())  # written just now: racy


def test_cache_lives_next_to_the_configuration_root(project):
    write(project / "pkg" / "hplint.toml", "")
    write(project / "pkg" / "model.py", "lr = 1\n")
    lint(".")
    assert (project / "pkg" / CACHE_DIR).is_dir() and (project / CACHE_DIR).is_dir()


def test_concurrent_writers_leave_a_readable_index(tmp_path):
    from hplint.diagnostics import FileResult

    paths = []
    for index in range(2):
        path = tmp_path / f"f{index}.py"
        path.write_text("x = 1\n")
        paths.append(str(path))
    first, second = ResultCache(str(tmp_path)), ResultCache(str(tmp_path))
    assert first.entries == second.entries == {}  # both read the index before either writes
    first.put(paths[0], "h0", None, "s", "f0.py", FileResult("f0.py", [], 1))
    second.put(paths[1], "h1", None, "s", "f1.py", FileResult("f1.py", [], 1))
    first.save()
    second.save()  # merges with what the first wrote
    fresh = ResultCache(str(tmp_path))
    assert fresh.get(paths[0], "h0", "s", "f0.py", "f0.py") is not None
    assert fresh.get(paths[1], "h1", "s", "f1.py", "f1.py") is not None
    assert not list(Path(tmp_path, CACHE_DIR).glob("*.tmp"))


def test_two_processes_at_once_agree_with_no_cache(tmp_path):
    for index in range(30):
        write(tmp_path / f"m{index}.py", "def f(:\n" if index % 3 == 0 else "x = 1\n")
    command = [sys.executable, "-m", "hplint", "--output-format", "json", "."]
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPLINT_")}
    processes = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, env=env) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in processes]
    reference = subprocess.run([*command, "--no-cache"], cwd=tmp_path, capture_output=True, env=env).stdout
    warm = subprocess.run(command, cwd=tmp_path, capture_output=True, env=env).stdout
    assert outputs[0] == outputs[1] == reference == warm
    assert len(json.loads(reference)) == 10


def test_warm_run_imports_neither_libcst_nor_the_rules(tmp_path):
    """A fully cached run, even with selectors to validate, never pays for libcst."""
    write(tmp_path / "pyproject.toml", '[tool.hplint]\nextend-select = ["HPL9"]\n')
    write(tmp_path / "a.py", "def f(:\n")
    write(tmp_path / "b.py", "import sklearn\nx = 1\n")
    # The rule catalog that spares the import is a bytecode-like file `python -B` does not write.
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPLINT_") and k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "hplint", "--select", "ALL", "--output-format", "concise", "."]
    cold = subprocess.run(command, cwd=tmp_path, capture_output=True, env=env)
    probe_script = (
        "import sys\n"
        "from hplint.cli import main\n"
        "sys.argv = ['hplint', '--select', 'ALL', '--output-format', 'concise', '.']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('libcst' in sys.modules, 'hplint.rules.hardcoded' in sys.modules, file=sys.stderr)\n"
    )
    warm = subprocess.run([sys.executable, "-c", probe_script], cwd=tmp_path, capture_output=True, env=env)
    assert warm.stdout == cold.stdout and b"HPL901" in warm.stdout
    assert warm.stderr.decode().strip().splitlines()[-1] == "False False"
