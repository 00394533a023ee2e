"""The compiled-dataclass-method cache: the classes are exactly what `@dataclass` alone makes, a
second run compiles nothing, and a bad or foreign file is ignored.

No `from __future__ import annotations` here: the classes' annotations are real types, so a
compilation that turned them into strings would show."""

import dataclasses
import marshal
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from hplint import dataclass_cache


def _classes():
    """A few shapes: frozen with defaults and a factory, ordered, slots, keyword-only, a __post_init__."""

    @dataclasses.dataclass(frozen=True)
    class Point:
        x: int
        y: float = 0.5
        tags: list = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(order=True, unsafe_hash=True)
    class Version:
        major: int
        minor: int = 0

    @dataclasses.dataclass(slots=True, kw_only=True)
    class Options:
        name: str
        level: int = 1

        def __post_init__(self) -> None:
            self.level = max(self.level, 0)

    return Point, Version, Options


_METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__lt__", "__le__", "__gt__", "__ge__")


def _codes(classes) -> list:
    return [
        (cls.__name__, name, vars(cls)[name].__code__, vars(cls)[name].__annotations__)
        for cls in classes
        for name in _METHODS
        if name in vars(cls) and hasattr(vars(cls)[name], "__code__")
    ]


_PACKAGE = __name__.partition(".")[0]  # the shard this module's dataclasses land in


@pytest.fixture
def cache_file(tmp_path, monkeypatch) -> Path:
    """This module's shard's file, in a private directory (every shard goes there)."""
    directory = tmp_path / "pycache"
    monkeypatch.setattr(dataclass_cache, "cache_path", lambda package: str(directory / f"dataclass-methods.{package}.marshal"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return directory / f"dataclass-methods.{_PACKAGE}.marshal"


def _compiles(monkeypatch) -> list[str]:
    """The texts the cache had to compile (it calls the built-in `compile` through its module)."""
    seen: list[str] = []
    real = compile

    def counting(source, *args, **kwargs):
        seen.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(dataclass_cache, "compile", counting, raising=False)
    return seen


def test_cached_code_makes_the_same_classes(cache_file, monkeypatch):
    plain = _codes(_classes())
    compiled = _compiles(monkeypatch)
    with dataclass_cache.compiled_dataclass_methods():
        first = _codes(_classes())
    assert compiled and cache_file.exists()
    compiled.clear()
    saved = cache_file.read_bytes()
    with dataclass_cache.compiled_dataclass_methods():
        classes = _classes()
        second = _codes(classes)
    assert compiled == [] and cache_file.read_bytes() == saved  # nothing new: nothing compiled or written
    assert first == plain and second == plain  # same code objects, annotations real types (not strings)
    assert all(not isinstance(v, str) for *_, annotations in second for v in annotations.values())
    point, version, options = classes
    assert point(1) == point(1, 0.5, []) and repr(point(2)).endswith("Point(x=2, y=0.5, tags=[])")
    with pytest.raises(dataclasses.FrozenInstanceError):
        point(1).x = 3
    assert version(1, 2) < version(1, 3) and hash(version(1)) == hash(version(1, 0))
    assert options(name="a", level=-4).level == 0
    assert "exec" not in vars(dataclasses)  # the built-in is back


def test_nothing_is_written_when_python_writes_no_bytecode(cache_file, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    with dataclass_cache.compiled_dataclass_methods():
        _classes()
    assert not cache_file.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not marshal at all",
        marshal.dumps((sys.hexversion - 1, {})),  # another Python
        marshal.dumps((sys.hexversion, {"def f(): pass": "print('not code')"})),  # not text -> code
        marshal.dumps([1, 2, 3]),
    ],
    ids=["empty", "garbage", "other-python", "not-code", "not-a-pair"],
)
def test_a_bad_or_foreign_file_is_ignored_and_replaced(cache_file, monkeypatch, content):
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(content)
    with dataclass_cache.compiled_dataclass_methods():
        classes = _classes()
    assert _codes(classes) == _codes(_classes())
    version, codes = marshal.loads(cache_file.read_bytes())
    assert version == sys.hexversion and codes and all(isinstance(text, str) for text in codes)


def test_one_file_per_package_read_only_when_that_package_makes_a_dataclass(cache_file, monkeypatch):
    loaded: list[str | None] = []
    real = dataclass_cache._load
    monkeypatch.setattr(dataclass_cache, "_load", lambda path: loaded.append(path) or real(path))
    other = types.ModuleType("elsewhere.sub")  # dataclasses reads the module of a class from sys.modules
    monkeypatch.setitem(sys.modules, other.__name__, other)
    with dataclass_cache.compiled_dataclass_methods():
        pass
    assert loaded == []  # no dataclass made: nothing read (`hplint --version`)
    with dataclass_cache.compiled_dataclass_methods():
        _classes()
        exec("import dataclasses\n@dataclasses.dataclass\nclass Other:\n    x: int\n", vars(other))
    assert [Path(path).name for path in loaded] == [f"dataclass-methods.{_PACKAGE}.marshal", "dataclass-methods.elsewhere.marshal"]
    assert sorted(path.name for path in cache_file.parent.iterdir()) == sorted(Path(path).name for path in loaded)


def test_nested_use_leaves_the_outer_one_in_charge(cache_file):
    with dataclass_cache.compiled_dataclass_methods():
        outer = vars(dataclasses)["exec"]
        with dataclass_cache.compiled_dataclass_methods():
            assert vars(dataclasses)["exec"] is outer
        assert vars(dataclasses)["exec"] is outer
    assert "exec" not in vars(dataclasses)


def test_a_second_hplint_run_compiles_no_dataclass_method(tmp_path):
    """End to end, under a private PYTHONPYCACHEPREFIX: the first run writes the file beside the
    .pyc files, the second finds every text in it (the file is not rewritten), and the output is
    what a run without any cache (-B) prints."""
    (tmp_path / "train.py").write_text("from sklearn.svm import SVC\nmodel = SVC(C=10.0)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPLINT_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "prefix")
    command = [sys.executable, "-m", "hplint", "check", "--no-cache", "--output-format", "concise", "train.py"]

    def run(**extra: str) -> bytes:
        done = subprocess.run(command, cwd=tmp_path, env={**env, **extra}, capture_output=True, timeout=120)
        assert done.returncode == 1, done.stderr
        return done.stdout

    first = run()
    written = sorted((tmp_path / "prefix").rglob("dataclass-methods.*.marshal"))
    assert [path.name.split(".")[1] for path in written] == ["hplint", "libcst"]
    before = [(path.stat().st_mtime_ns, path.read_bytes()) for path in written]
    assert run() == first
    assert [(path.stat().st_mtime_ns, path.read_bytes()) for path in written] == before
    uncached = run(PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=str(tmp_path / "other"))
    assert uncached == first and b"HPL101" in first
    assert not list((tmp_path / "other").rglob("dataclass-methods.*"))
