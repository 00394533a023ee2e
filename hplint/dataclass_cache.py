"""The code `@dataclass` compiles, kept between runs the way Python keeps a module's .pyc file.

`@dataclass` writes each class's `__init__`, `__repr__`, `__eq__`, `__hash__` (and a frozen
class's `__setattr__`/`__delattr__`) as source text and compiles it on every start: for libcst's
190 node classes and hplint's own dataclasses that is about 600 compilations, 50 ms of a one-file
run of 300 ms. While `compiled_dataclass_methods()` is active, `dataclasses` calls `_exec` below in
place of the built-in `exec` (a module global shadows a built-in); it runs the code object a
previous run compiled from exactly the same text, and compiles only text it has not seen. The same
text compiled with the same flags is the same code, so the classes are what they would have been.

The code objects are kept in one file per top-level package that defines the classes (libcst,
hplint, ...), read when that package first makes a dataclass (a cached run, which never imports
libcst, does not read libcst's file; `--version` reads none). A file is saved when the run compiled
new code for it, next to hplint's .pyc files and under the same rules: one file per Python version
(`sys.implementation.cache_tag`), `sys.pycache_prefix` respected, nothing written when Python writes
no bytecode (`-B`, PYTHONDONTWRITEBYTECODE) or the directory is not writable. A file that cannot be
read is ignored (and replaced).
"""

from __future__ import annotations

import marshal
import os
import sys
from contextlib import contextmanager
from types import CodeType
from typing import Iterator

# More entries than hplint and libcst's dataclasses ever need (about 700): the saved file is then
# cut down to the entries this run used, so texts from an older libcst do not pile up.
_MAX_ENTRIES = 3000


def cache_path(package: str) -> str | None:
    """The file for `package`'s dataclasses, beside this module's own .pyc (where config.py keeps
    the rule catalog): the installed package's __pycache__, or under PYTHONPYCACHEPREFIX."""
    from importlib.util import cache_from_source

    try:
        pyc = cache_from_source(os.path.abspath(__file__))
    except NotImplementedError:  # an implementation without a bytecode cache
        return None
    return os.path.join(os.path.dirname(pyc), f"dataclass-methods.{package}.{sys.implementation.cache_tag}.marshal")


def _package(globals: dict | None) -> str:  # noqa: A002
    """The top-level package of the module a dataclass is defined in (`exec` gets its globals)."""
    name = str((globals or {}).get("__name__") or "").partition(".")[0]
    return name if name.isidentifier() else "other"


def _load(path: str | None) -> dict[str, object]:
    if path is None:
        return {}
    try:
        with open(path, "rb") as stream:
            data = stream.read()  # marshal.load(stream) would read it in thousands of small calls
        version, codes = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if version != sys.hexversion or type(codes) is not dict:
        return {}
    if not all(type(text) is str and type(code) is CodeType for text, code in codes.items()):
        return {}  # not a file this module wrote
    return codes


def _save(path: str | None, codes: dict[str, object]) -> None:
    if path is None:
        return
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as stream:
            stream.write(marshal.dumps((sys.hexversion, codes)))
        os.replace(temporary, path)  # atomic: a concurrent run reads the old file or the new one
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


class _Shard:
    """One package's code objects: those read from its file, and which this run used or compiled."""

    def __init__(self, package: str) -> None:
        self.path = cache_path(package)
        self.codes = _load(self.path)
        self.used: set[str] = set()
        self.compiled = 0

    def code(self, source: str) -> CodeType:
        code = self.codes.get(source)
        if code is None:
            # dont_inherit: compile as `exec(text)` in dataclasses does, without this module's
            # `from __future__ import annotations` (it would turn annotations into strings).
            code = self.codes[source] = compile(source, "<string>", "exec", dont_inherit=True)
            self.compiled += 1
        self.used.add(source)
        return code

    def save(self) -> None:
        if self.compiled:
            codes = self.codes
            _save(self.path, codes if len(codes) <= _MAX_ENTRIES else {text: codes[text] for text in self.used})


@contextmanager
def compiled_dataclass_methods() -> Iterator[None]:
    import dataclasses

    if "exec" in vars(dataclasses):  # already active (nested), or someone else's: leave it alone
        yield
        return
    shards: dict[str, _Shard] = {}

    def _exec(source, globals=None, locals=None, /):  # noqa: A002 - exec's own parameter names
        if type(source) is str:
            package = _package(globals)
            shard = shards.get(package)
            if shard is None:
                shard = shards[package] = _Shard(package)
            source = shard.code(source)
        return exec(source, globals, locals)

    dataclasses.exec = _exec
    try:
        yield
    finally:
        if vars(dataclasses).get("exec") is _exec:
            del dataclasses.exec
        if not sys.dont_write_bytecode:
            for shard in shards.values():
                shard.save()
