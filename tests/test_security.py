"""hplint reads code, never runs it; reads the project's configuration, never another's; writes its
cache and what the user asks for (`--add-noqa`, `-o`), nothing else; and rewrites a file only
atomically, byte for byte the same except the added comments."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import hplint.add_noqa
import hplint.rewrite
from hplint.config import CliOptions, ConfigError, Resolver
from tests.cli_support import PROBE, invoke, write

MARKER = "PWNED"


def _console_script() -> list[str]:
    """The installed `hplint` command. `python -m hplint` would put the current directory (the
    checked tree) first on sys.path, as `python -m` does for any tool: a `click.py` there would be
    imported. The console script (or `python -P -m hplint`) does not."""
    found = shutil.which("hplint")
    return [found] if found else [sys.executable, "-P", "-m", "hplint"]


def _run(tree: Path, *args: str, home: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HPLINT_", "PYTHON"))}
    if home is not None:
        env.update(HOME=str(home), TMPDIR=str(home / "tmp"), XDG_CACHE_HOME=str(home / ".cache"))
    return subprocess.run([*_console_script(), *args], cwd=tree, capture_output=True, env=env, timeout=300)


# -- never imports, executes or evaluates the checked code -----------------------------------------


def _hostile_tree(root: Path) -> Path:
    """Files that leave a marker file if anything imports, runs or evaluates them."""
    marker = root / MARKER
    touch = f"open({str(marker)!r}, 'a').close()"
    (root / ".git").mkdir()
    write(root / "train.py", f"{touch}\nimport os\nos.system('touch {marker}')\nlr = 0.1\n")
    write(root / "conftest.py", f"{touch}\npytest_plugins = ['evil']\n")
    write(root / "setup.py", f"{touch}\nfrom setuptools import setup\nsetup()\n")
    write(root / "pkg" / "__init__.py", f"{touch}\n")
    write(root / "pkg" / "__main__.py", f"{touch}\n")
    # Module names hplint and its dependencies import: only reachable if the tree were on sys.path.
    for shadow in ("click.py", "libcst.py", "rich.py", "tomllib.py", "sitecustomize.py", "usercustomize.py"):
        write(root / shadow, f"{touch}\n")
    write(root / "hplint" / "__init__.py", f"{touch}\n")
    write(root / "evil.py", f"{touch}\n")
    write(root / "cookie.py", f"# -*- coding: evil -*-\n{touch}\n")
    write(root / f"$(touch {MARKER}).py", f"{touch}\n")
    write(root / "eval_me.py", f"x = eval({touch!r})\nexec({touch!r})\nlr = __import__('os')\n")
    notebook = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": [f"!touch {marker}\n", "%run evil.py\n", f"{touch}\n"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": ["%%bash\n", f"touch {marker}\n"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": [f"get_ipython().system('touch {marker}')\n", "lr = 0.5\n"]},
        ],
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    write(root / "evil.ipynb", json.dumps(notebook))
    return marker


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_checked_code_is_never_run(tmp_path, jobs):
    marker = _hostile_tree(tmp_path)
    write(tmp_path / "pyproject.toml", '[tool.hplint]\nextend-select = ["ALL"]\n')
    result = _run(tmp_path, "--output-format", "json", "-j", jobs, ".")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr.decode()
    assert {d["filename"] for d in json.loads(result.stdout)} >= {"cookie.py"}  # checked, not run
    assert not marker.exists()
    with_add_noqa = _run(tmp_path, "--add-noqa", ".")
    assert with_add_noqa.returncode in (0, 1) and not marker.exists()


def test_python_dash_m_does_not_import_modules_of_the_checked_tree(tmp_path):
    """`python -m hplint` run inside the tree: its `click.py`, `libcst.py`, `rich.py` shadow nothing.
    (A package named `hplint` in the tree is imported by Python itself before hplint runs, as for
    any `python -m` tool: in a tree you do not trust, run the `hplint` command or `python -P -m`.)"""
    marker = _hostile_tree(tmp_path)
    shutil.rmtree(tmp_path / "hplint")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HPLINT_", "PYTHON"))}
    for args in (["--no-cache", "-j", "2", "."], ["--select", "ALL", "--output-format", "sarif", "."]):
        result = subprocess.run([sys.executable, "-m", "hplint", *args], cwd=tmp_path, capture_output=True, env=env, timeout=300)
        assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr.decode()
        assert not marker.exists()


def test_code_like_strings_in_the_configuration_are_not_evaluated(tmp_path):
    marker = tmp_path / MARKER
    code = f"__import__('os').system('touch {marker}')"
    write(tmp_path / "train.py", "lr = 0.1\n")
    for text in (
        f'[tool.hplint]\nselect = ["{code}"]\n',
        f'[tool.hplint]\nexclude = ["{code}"]\n[tool.hplint.per-file-ignores]\n"{code}" = ["HPL1"]\n',
        f'[tool.hplint.HPL101]\n"{code}" = 1\n',
        '[tool.hplint]\nselect = ["{0.__class__.__mro__}"]\n',
    ):
        write(tmp_path / "pyproject.toml", text)
        result = _run(tmp_path, "--no-cache", ".")
        assert result.returncode in (0, 1, 2) and "Traceback" not in result.stderr.decode()
        assert not marker.exists()


# -- configuration discovery stays in the project ---------------------------------------------------


def _config_root(path: Path) -> str:
    return Resolver(CliOptions(), cwd=path).for_path(path / "x.py").settings.root


def test_configuration_above_the_repository_is_not_used(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.hplint]\n")  # e.g. in the home directory
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write(tmp_path / "repo" / "src" / "x.py", "")
    assert _config_root(tmp_path / "repo" / "src") == str(tmp_path / "repo" / "src")  # defaults: cwd
    write(tmp_path / "repo" / "hplint.toml", "")
    assert _config_root(tmp_path / "repo" / "src") == str(tmp_path / "repo")  # the repository's own


def test_a_worktree_or_submodule_git_file_marks_a_repository(tmp_path):
    write(tmp_path / "hplint.toml", "")
    write(tmp_path / "sub" / ".git", "gitdir: ../.git/modules/sub\n")
    assert _config_root(tmp_path / "sub") == str(tmp_path / "sub")
    assert _config_root(tmp_path) == str(tmp_path)


@pytest.mark.parametrize("marker", [".hg", ".jj", ".svn"])
def test_other_version_control_systems(tmp_path, marker):
    write(tmp_path / "hplint.toml", "")
    (tmp_path / "repo" / marker).mkdir(parents=True)
    assert _config_root(tmp_path / "repo") == str(tmp_path / "repo")


def test_monorepo_root_configuration_reaches_a_package_without_a_table(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", "[tool.hplint]\n")
    write(tmp_path / "packages" / "a" / "pyproject.toml", '[project]\nname = "a"\n')
    assert _config_root(tmp_path / "packages" / "a") == str(tmp_path)


def test_outside_a_repository_the_first_pyproject_is_the_project_root(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.hplint]\n")
    write(tmp_path / "project" / "pyproject.toml", '[project]\nname = "p"\n')
    (tmp_path / "project" / "src").mkdir()
    cwd = tmp_path / "project" / "src"
    assert _config_root(cwd) == str(cwd)  # defaults, not the file above the project
    loose = tmp_path / "scripts"
    loose.mkdir()
    assert _config_root(loose) == str(tmp_path)  # no project of its own: the nearest above applies


def test_symlinked_configuration_outside_the_project_is_refused(tmp_path, monkeypatch, probe):
    outside = write(tmp_path / "shared" / "hplint.toml", f'ignore = ["{PROBE}"]\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "hplint.toml").symlink_to(outside)
    write(repo / "train.py", "lr = 0.1\n")
    monkeypatch.chdir(repo)
    result = invoke(["--no-cache", "train.py"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"hplint: hplint.toml: a symbolic link to {outside}, outside the project ({repo}); hplint does "
        f"not follow it unasked: pass `--config {outside}` to use it"
    )
    assert invoke(["--no-cache", "--config", str(outside), "train.py"]).exit_code == 0  # asked: used
    (repo / "hplint.toml").unlink()
    inside = write(repo / "config" / "hplint.toml", f'ignore = ["{PROBE}"]\n')
    (repo / "hplint.toml").symlink_to(inside)  # a link inside the repository is fine
    assert invoke(["--no-cache", "train.py"]).exit_code == 0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_planted_configuration_in_a_shared_temporary_directory_is_ignored(tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    planted = write(shared / "hplint.toml", 'ignore = ["ALL"]\n')
    os.chown(planted, 12345, 12345)
    (shared / "mine").mkdir()
    assert _config_root(shared / "mine") == str(shared / "mine")  # ignored: defaults
    os.chown(planted, os.getuid(), os.getgid())
    assert _config_root(shared / "mine") == str(shared)


def test_configuration_errors_never_read_files_outside(tmp_path):
    with pytest.raises(ConfigError):
        Resolver(CliOptions(config_file=tmp_path / "missing.toml"))


# -- writes nothing but its cache, unless asked --------------------------------------------------------


def _snapshot(*roots: Path) -> dict[str, tuple]:
    """Every path under the roots with its kind, bytes hash and mode."""
    found: dict[str, tuple] = {}
    for root in roots:
        for directory, subdirectories, files in os.walk(root):
            subdirectories.sort()
            for name in [*subdirectories, *files]:
                path = os.path.join(directory, name)
                info = os.lstat(path)
                digest = hashlib.sha256(Path(path).read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else None
                found[path] = (stat.S_IFMT(info.st_mode), digest, stat.S_IMODE(info.st_mode))
    return found


def _changed(before: dict, after: dict) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def test_a_run_writes_only_its_cache(tmp_path):
    tree, home = tmp_path / "tree", tmp_path / "home"
    (tree / ".git").mkdir(parents=True)
    (home / "tmp").mkdir(parents=True)
    write(tree / "pyproject.toml", "[tool.hplint]\n")
    write(tree / "train.py", "from sklearn.svm import SVC\nclf = SVC(C=12.5)\n")
    write(tree / "sub" / "nb.ipynb", json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    write(tree / "broken.py", "def f(:\n")
    before = _snapshot(tree, home)
    assert _run(tree, "--no-cache", "-j", "2", ".", home=home).returncode == 1
    assert _changed(before, _snapshot(tree, home)) == set()
    assert _run(tree, ".", home=home).returncode == 1
    changed = _changed(before, _snapshot(tree, home))
    assert changed and all(Path(p).is_relative_to(tree / ".hplint_cache") for p in changed), changed
    before = _snapshot(tree, home)
    assert _run(tree, "-o", "report.json", "--output-format", "json", ".", home=home).returncode == 1
    changed = {p for p in _changed(before, _snapshot(tree, home)) if not Path(p).is_relative_to(tree / ".hplint_cache")}
    assert changed == {str(tree / "report.json")}  # asked for


# -- rewriting a file (--add-noqa) ------------------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch, probe):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pyproject.toml", "[tool.hplint]\n")
    return tmp_path


def add_noqa(*paths: str):
    result = invoke(["--add-noqa", "--no-cache", *paths])
    assert "Traceback" not in result.stderr
    return result


NOQA = f"  # noqa: {PROBE}".encode()


@pytest.mark.parametrize(
    "ending",
    [b"\n", b"\r\n", b"\r"],
    ids=["LF", "CRLF", "CR"],
)
def test_line_endings_are_kept(project, ending):
    (project / "a.py").write_bytes(ending.join([b"lr = 0.1", b"x = 1", b"lr = 2", b""]))
    add_noqa("a.py")
    assert (project / "a.py").read_bytes() == ending.join([b"lr = 0.1" + NOQA, b"x = 1", b"lr = 2" + NOQA, b""])


def test_mixed_line_endings_and_no_final_newline_are_kept(project):
    (project / "a.py").write_bytes(b"lr = 0.1\r\nx = 1\rlr = 2\ny = 3\r\nlr = 4")
    add_noqa("a.py")
    assert (project / "a.py").read_bytes() == (
        b"lr = 0.1" + NOQA + b"\r\nx = 1\rlr = 2" + NOQA + b"\ny = 3\r\nlr = 4" + NOQA
    )


def test_encoding_and_bom_are_kept(project):
    latin = "# -*- coding: latin-1 -*-\nname = 'café'\nlr = 0.1\n".encode("latin-1")
    (project / "latin.py").write_bytes(latin)
    (project / "bom.py").write_bytes(b"\xef\xbb\xbfname = '\xc3\xa9'\nlr = 0.1\n")
    add_noqa("latin.py", "bom.py")
    assert (project / "latin.py").read_bytes() == latin.replace(b"lr = 0.1", b"lr = 0.1" + NOQA)
    assert b"caf\xe9" in (project / "latin.py").read_bytes()  # still latin-1, not UTF-8
    assert (project / "bom.py").read_bytes() == b"\xef\xbb\xbfname = '\xc3\xa9'\nlr = 0.1" + NOQA + b"\n"


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755, 0o664])
def test_permissions_are_kept(project, mode):
    path = write(project / "a.py", "lr = 0.1\n")
    path.chmod(mode)
    add_noqa("a.py")
    assert path.read_bytes() == b"lr = 0.1" + NOQA + b"\n"
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_file_with_nothing_to_add_is_not_rewritten(project):
    path = write(project / "a.py", f"lr = 0.1  # noqa: {PROBE}\nlr = 2  # noqa\n")
    os.utime(path, ns=(10**18, 10**18))
    before = path.stat()
    result = add_noqa("a.py")
    after = path.stat()
    assert "Added 0 noqa directives." in result.stderr
    assert (after.st_ino, after.st_mtime_ns, after.st_ctime_ns) == (before.st_ino, before.st_mtime_ns, before.st_ctime_ns)


def test_a_read_only_file_gives_a_clear_message_and_is_left_alone(project):
    path = write(project / "a.py", "lr = 0.1\n")
    path.chmod(0o444)
    result = add_noqa("a.py")
    assert path.read_text() == "lr = 0.1\n"
    assert "hplint: warning: a.py: noqa directives not added: the file is read-only (make it writable to add noqa directives)" in result.stderr
    assert "Added 0 noqa directives." in result.stderr


def test_the_rewrite_is_atomic(project, monkeypatch):
    write(project / "a.py", "lr = 0.1\n")
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def recording_replace(source, target):
        replaced.append((os.path.dirname(source), os.path.dirname(target)))
        real_replace(source, target)

    monkeypatch.setattr(hplint.rewrite.os, "replace", recording_replace)
    add_noqa("a.py")
    assert replaced == [(str(project), str(project))]  # a temporary file renamed in the same directory

    def crash(source, target):
        raise OSError(28, "No space left on device")

    write(project / "b.py", "lr = 0.2\n")
    monkeypatch.setattr(hplint.rewrite.os, "replace", crash)
    result = add_noqa("b.py")
    assert (project / "b.py").read_text() == "lr = 0.2\n"
    assert "b.py: noqa directives not added: No space left on device" in result.stderr
    assert sorted(p.name for p in project.iterdir()) == ["a.py", "b.py", "pyproject.toml"]  # no temporary left


def test_a_file_changed_during_the_rewrite_is_not_clobbered(project, monkeypatch):
    path = write(project / "a.py", "lr = 0.1\n")
    real_mkstemp = hplint.rewrite.tempfile.mkstemp

    def editor_saves_meanwhile(*args, **kwargs):
        with open(path, "a", encoding="utf-8") as stream:
            stream.write("y = 2\n")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(hplint.rewrite.tempfile, "mkstemp", editor_saves_meanwhile)
    result = add_noqa("a.py")
    assert path.read_text() == "lr = 0.1\ny = 2\n"
    assert "changed while hplint was adding noqa directives" in result.stderr


def test_a_symbolic_link_stays_a_link(project):
    target = write(project / "real" / "a.py", "lr = 0.1\n")
    (project / "link.py").symlink_to(target)
    add_noqa("link.py")
    assert (project / "link.py").is_symlink()
    assert target.read_bytes() == b"lr = 0.1" + NOQA + b"\n"


def test_a_notebook_keeps_every_byte_but_the_annotated_lines(project):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Caf\u00e9 \u2014 r\u00e9sum\u00e9\n"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["1.0e-05\n"]}], "source": ["x = 'caf\u00e9'\n", "lr = 0.1\n", "y = 1"]},
        {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [], "source": "lr = 2\nz = 3\n"},
    ]
    document = {"cells": cells, "metadata": {"b": 1, "a": 2}, "nbformat": 4, "nbformat_minor": 5}
    styles = {
        "nbformat": (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode(),
        "ascii-escapes-indent-2-crlf-bom": b"\xef\xbb\xbf" + json.dumps(document, indent=2).replace("\n", "\r\n").encode(),
        "one-line": json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode(),
    }
    for name, original in styles.items():
        path = project / f"{name}.ipynb"
        path.write_bytes(original)
        add_noqa(path.name)
        expected = original.replace(b'"lr = 0.1\\n"', b'"lr = 0.1' + NOQA + b'\\n"').replace(
            b'"lr = 2\\nz = 3\\n"', b'"lr = 2' + NOQA + b'\\nz = 3\\n"'
        )
        assert expected != original
        assert path.read_bytes() == expected, name


def test_the_rule_catalog_snapshot_goes_where_python_puts_bytecode(tmp_path):
    """hplint's one write outside the cache: a JSON list of its own rules' options beside its own
    bytecode (derived from hplint's code, never from the checked code). It follows
    PYTHONPYCACHEPREFIX and is not written at all when Python is told not to write bytecode."""
    write(tmp_path / "train.py", "x = 1\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HPLINT_", "PYTHON"))}
    command = [*_console_script(), "--no-cache", "--select", "HPL1", "."]
    prefix = tmp_path / "pycache-prefix"
    subprocess.run(command, cwd=tmp_path, env={**env, "PYTHONPYCACHEPREFIX": str(prefix), "PYTHONDONTWRITEBYTECODE": "1"}, check=True)
    assert not list(prefix.rglob("rule-catalog-*.json"))
    subprocess.run(command, cwd=tmp_path, env={**env, "PYTHONPYCACHEPREFIX": str(prefix)}, check=True)
    (snapshot,) = prefix.rglob("rule-catalog-*.json")
    assert snapshot.parent.name == "hplint" and "HPL101" in json.loads(snapshot.read_text())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pycache-prefix", "train.py"]


def test_a_notebook_source_hplint_cannot_reencode_identically_is_left_alone(project):
    text = '{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["lr = 0.1  # a\\/b\\n"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    path = project / "escaped.ipynb"
    path.write_text(text)
    result = add_noqa("escaped.ipynb")
    assert path.read_text() == text
    assert "escaped.ipynb: noqa directives not added: cell 1's source uses JSON escapes hplint cannot reproduce" in result.stderr
