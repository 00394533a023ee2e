"""File discovery: suffixes, default excludes, .gitignore, symlinks, explicit paths, order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hplint.config import CliOptions, Resolver
from hplint.discovery import discover, gitignored, glob_regex, parse_gitignore


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def found(root: Path, *paths: str, force_exclude: bool = False) -> list[str]:
    resolver = Resolver(CliOptions(), cwd=root)
    return [f.display for f in discover(list(paths) or ["."], resolver, force_exclude).files]


def test_python_files_and_notebooks_only_in_sorted_order(tmp_path):
    touch(tmp_path, "b.py", "a.py", "sub/c.ipynb", "stub.pyi", "notes.txt", "sub/a.py", "Z.py")
    assert found(tmp_path) == ["Z.py", "a.py", "b.py", "sub/a.py", "sub/c.ipynb"]


def test_default_excludes(tmp_path):
    names = [
        ".git/x.py", ".venv/lib/x.py", "venv/x.py", ".tox/x.py", "build/x.py", "dist/x.py",
        "node_modules/x.py", "__pycache__/x.py", "lib/site-packages/x.py", "pkg.egg-info/x.py",
        ".ipynb_checkpoints/x-checkpoint.ipynb", ".hplint_cache/x.py", ".mypy_cache/x.py",
    ]  # fmt: skip
    touch(tmp_path, *names, "src/keep.py")
    assert found(tmp_path) == ["src/keep.py"]


def test_explicit_files_are_always_checked_unless_forced(tmp_path):
    touch(tmp_path, "build/gen.py", "notes.txt")
    assert found(tmp_path, "build/gen.py", "notes.txt") == ["build/gen.py", "notes.txt"]
    assert found(tmp_path, "build/gen.py", force_exclude=True) == []


def test_a_path_given_twice_is_checked_once(tmp_path):
    touch(tmp_path, "a.py")
    assert found(tmp_path, "a.py", ".", "./a.py") == ["a.py"]


def test_directory_named_like_a_file_is_recursed(tmp_path):
    touch(tmp_path, "x.py/inner.py")
    assert found(tmp_path) == ["x.py/inner.py"]
    assert found(tmp_path, "x.py") == ["x.py/inner.py"]


def test_nonexistent_path_is_an_error_and_others_go_on(tmp_path):
    touch(tmp_path, "a.py")
    resolver = Resolver(CliOptions(), cwd=tmp_path)
    result = discover(["missing/thing.py", "a.py"], resolver)
    assert result.errors == ["hplint: missing/thing.py: No such file or directory"]
    assert [f.display for f in result.files] == ["a.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symlink_loop_is_reported_once_and_not_followed(tmp_path):
    touch(tmp_path, "pkg/a.py")
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "loop")
    os.symlink(tmp_path / "nowhere.py", tmp_path / "pkg" / "dangling.py")
    resolver = Resolver(CliOptions(), cwd=tmp_path)
    result = discover(["."], resolver)
    assert [f.display for f in result.files] == ["pkg/a.py"]
    assert result.warnings == [
        "hplint: warning: pkg/dangling.py: broken symbolic link, not checked",
        "hplint: warning: pkg/loop: symbolic link loop, not followed",
    ]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads every directory")
def test_unreadable_directory_is_reported(tmp_path):
    touch(tmp_path, "locked/a.py", "b.py")
    (tmp_path / "locked").chmod(0)
    try:
        resolver = Resolver(CliOptions(), cwd=tmp_path)
        result = discover(["."], resolver)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [f.display for f in result.files] == ["b.py"]
    assert result.unreadable[0][0] == "locked"


def test_fifo_given_explicitly_is_not_read(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.py")
    resolver = Resolver(CliOptions(), cwd=tmp_path)
    result = discover(["pipe.py"], resolver)
    assert result.files == [] and result.unreadable == [("pipe.py", "not a regular file")]


# -- .gitignore -----------------------------------------------------------------------------------


def ignored(patterns: str, path: str, is_dir: bool = False) -> bool:
    return gitignored((parse_gitignore(patterns, "/repo"),), "/repo/" + path, is_dir)


def test_gitignore_patterns():
    assert ignored("*.py", "a/b/c.py")  # no slash: any depth
    assert ignored("gen_*.py\n!gen_keep.py", "x/gen_a.py")
    assert not ignored("gen_*.py\n!gen_keep.py", "x/gen_keep.py")  # negation, last match wins
    assert ignored("out/", "out", is_dir=True) and not ignored("out/", "out")  # directories only
    assert ignored("/top.py", "top.py") and not ignored("/top.py", "sub/top.py")  # anchored
    assert ignored("docs/*.py", "docs/a.py") and not ignored("docs/*.py", "x/docs/a.py")
    assert not ignored("docs/*.py", "docs/sub/a.py")  # `*` stays in one component
    assert ignored("**/fixtures/*.py", "a/b/fixtures/x.py") and ignored("**/fixtures/*.py", "fixtures/x.py")
    assert ignored("data/**", "data/a/b.py") and not ignored("data/**", "data", is_dir=True)
    assert ignored("a/**/b.py", "a/b.py") and ignored("a/**/b.py", "a/x/y/b.py")
    assert ignored("# comment\n\n\\#hash.py", "#hash.py")
    assert ignored("file[0-9].py", "file3.py") and not ignored("file[!0-9].py", "file3.py")
    assert ignored("name?.py", "name1.py") and not ignored("name?.py", "name12.py")


def test_glob_regex_never_crosses_directories_with_one_star():
    assert glob_regex("*.py").match("a.py") and not glob_regex("*.py").match("a/b.py")


def test_nested_gitignore_files_and_negation_in_walk(tmp_path):
    (tmp_path / ".git").mkdir()
    touch(tmp_path, "a.py", "logs/x.py", "sub/gen_1.py", "sub/gen_keep.py", "sub/deep/gen_2.py", "other/gen_3.py")
    (tmp_path / ".gitignore").write_text("logs/\n")
    (tmp_path / "sub" / ".gitignore").write_text("gen_*.py\n!gen_keep.py\n")
    assert found(tmp_path) == ["a.py", "other/gen_3.py", "sub/gen_keep.py"]


def test_gitignore_above_the_checked_directory_applies_inside_a_repository(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*_generated.py\n")
    touch(tmp_path, "src/a.py", "src/b_generated.py")
    assert found(tmp_path, "src") == ["src/a.py"]


def test_git_info_exclude_is_respected(tmp_path):
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("scratch_*.py\n")
    touch(tmp_path, "a.py", "scratch_1.py", "sub/scratch_2.py")
    assert found(tmp_path) == ["a.py"]
    (tmp_path / ".gitignore").write_text("!scratch_1.py\n")  # .gitignore takes precedence
    assert found(tmp_path) == ["a.py", "scratch_1.py"]
