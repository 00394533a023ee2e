"""The result cache: `.hplint_cache/` next to the configuration root (or the current directory).

A file's findings are reused when its bytes, hplint's code and the effective settings are the same
as when they were computed (content hashes, not mtimes: CI checkouts reset mtimes). A file whose
size, mtime, ctime and inode are unchanged since it was hashed is not even read (as git does, with
the same care for "racily clean" files modified just before they were hashed; the ctime catches a
rewrite whose mtime was put back, which no user can set). Each root has ONE index file, so a warm
run reads one file instead of one per source.

The cache can only ever cost time, never change a result:
- The index is JSON, not pickle: a cache directory inside a checked repository must never be able
  to run code. Every entry is checked field by field when read; an index or an entry that is not
  exactly what hplint writes (truncated, garbage, another shape, wrong types, too deep, a directory
  in its place) is a miss, and the file is checked again.
- Concurrent runs: each writes its index to a temporary file with a unique name in the cache
  directory and renames it into place, so a reader sees a whole index or none. Before writing, a
  run merges its results into the index as it is on disk then, so two runs finishing together lose
  at most the other's newest entries (between the read and the rename), never an answer: an entry is
  keyed by content hash and settings, so whichever writer wins, every entry in it is right.
- A cache that cannot be created, read or written (read-only, full disk) is skipped silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from hplint import __version__
from hplint.diagnostics import Diagnostic, Edit, FileResult, Fix, Position, Related, Span

CACHE_DIR = ".hplint_cache"
_INDEX_PREFIX = "index-"
_FORMAT = 3
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by hplint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# A file modified this recently may be modified again within the file system's timestamp
# granularity without its mtime changing ("racy git"): its stat is not trusted, its bytes are hashed.
_RACY_NS = 2_000_000_000


def stat_key(path: str) -> list[int] | None:
    """[size, mtime_ns, ctime_ns, inode] of a file, taken BEFORE its bytes are read; None when its
    mtime or ctime is too recent to prove that a later change would alter it."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if max(info.st_mtime_ns, info.st_ctime_ns) > time.time_ns() - _RACY_NS:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


_code_fingerprint: str | None = None


def code_fingerprint() -> str:
    """hplint's version plus the size and mtime of its own modules: an edited rule in a development
    checkout invalidates the cache even though the version number did not change."""
    global _code_fingerprint
    if _code_fingerprint is None:
        package = Path(__file__).resolve().parent
        hasher = hashlib.blake2b(f"{__version__}:{_FORMAT}".encode(), digest_size=8)
        for directory, subdirectories, files in os.walk(package):
            subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    info = os.stat(os.path.join(directory, name))
                    hasher.update(f"{directory}/{name}:{info.st_size}:{info.st_mtime_ns};".encode())
        _code_fingerprint = hasher.hexdigest()
    return _code_fingerprint


# -- Diagnostic <-> JSON --------------------------------------------------------------------------


def _span(span: Span) -> list[int]:
    return [span.start.row, span.start.column, span.end.row, span.end.column]


def _unspan(values: object) -> Span:
    if not isinstance(values, list) or len(values) != 4:
        raise ValueError("a span is 4 integers")
    start_row, start_column, end_row, end_column = (_count(value) for value in values)
    return Span(Position(start_row, start_column), Position(end_row, end_column))


def encode_diagnostic(diagnostic: Diagnostic) -> list:
    """A compact JSON form of a diagnostic without its path (the cache knows the path)."""
    fix = diagnostic.fix
    return [
        diagnostic.code,
        diagnostic.name,
        diagnostic.message,
        _span(diagnostic.span),
        diagnostic.severity,
        diagnostic.cell,
        None
        if fix is None
        else [fix.message, [[e.content, *_span(Span(e.start, e.end))] for e in fix.edits], fix.applicability],
        [[r.message, _span(r.span), r.cell] for r in diagnostic.related],
        diagnostic.noqa_row,
    ]


def decode_diagnostic(values: object, path: str) -> Diagnostic:
    """The inverse of `encode_diagnostic`; ValueError for anything it would not have written
    (an index edited or damaged on disk must not be able to change what is reported)."""
    code, name, message, span, severity, cell, fix, related, noqa_row = _fields(values, 9)
    return Diagnostic(
        code=_text(code),
        name=_text(name),
        message=_text(message),
        path=path,
        span=_unspan(span),
        severity=_text(severity),  # type: ignore[arg-type]
        cell=_optional_count(cell),
        fix=None if fix is None else _decode_fix(fix),
        related=tuple(_decode_related(r) for r in _list(related)),
        noqa_row=_optional_count(noqa_row),
    )


def _decode_fix(values: object) -> Fix:
    message, edits, applicability = _fields(values, 3)
    decoded = []
    for edit in _list(edits):
        content, *span = _fields(edit, 5)
        position = _unspan(span)
        decoded.append(Edit(_text(content), position.start, position.end))
    return Fix(_text(message), tuple(decoded), _text(applicability))  # type: ignore[arg-type]


def _decode_related(values: object) -> Related:
    message, span, cell = _fields(values, 3)
    return Related(_text(message), _unspan(span), _optional_count(cell))


def _fields(values: object, count: int) -> list:
    if not isinstance(values, list) or len(values) != count:
        raise ValueError(f"expected a list of {count}")
    return values


def _list(values: object) -> list:
    if not isinstance(values, list):
        raise ValueError("expected a list")
    return values


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _count(value: object) -> int:
    """A row, column, cell or line count: a non-negative int (JSON `true` is not one)."""
    if type(value) is not int or value < 0:
        raise ValueError("expected a non-negative integer")
    return value


def _optional_count(value: object) -> int | None:
    return None if value is None else _count(value)


# -- one root's index -------------------------------------------------------------------------------


# An index entry: [content hash, stat key or None, settings fingerprint, relative path, lines,
# [encoded diagnostics]].
_ENTRY_FIELDS = 6
# Temporary index files older than this were left by a run that was killed before its rename.
_ORPHAN_SECONDS = 3600


class ResultCache:
    """The cached results of the files under one root, loaded once and written at most once."""

    def __init__(self, root: str, directory: str | None = None) -> None:
        self.directory = Path(directory) if directory else Path(root) / CACHE_DIR
        self.index_path = self.directory / f"{_INDEX_PREFIX}{code_fingerprint()}.json"
        self._entries: dict[str, list] | None = None
        self._updates: dict[str, list] = {}

    def _load(self) -> dict[str, list]:
        """The index's entries keyed by path; {} when it is missing or not one hplint wrote."""
        try:
            with open(self.index_path, "rb") as stream:
                document = json.load(stream)
        except (OSError, ValueError, RecursionError):  # RecursionError: `[[[[...` nested too deep
            return {}
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            return {}
        entries = document.get("files")
        return entries if isinstance(entries, dict) else {}

    @property
    def entries(self) -> dict[str, list]:
        if self._entries is None:
            self._entries = self._load()
        return self._entries

    def _entry(self, path: str, settings: str, relative: str) -> list | None:
        entry = self.entries.get(path)
        if not isinstance(entry, list) or len(entry) != _ENTRY_FIELDS or entry[2:4] != [settings, relative]:
            return None
        return entry

    def _result(self, entry: list, display: str) -> FileResult | None:
        try:
            return FileResult(display, [decode_diagnostic(d, display) for d in _list(entry[5])], _count(entry[4]))
        except ValueError:
            return None  # a damaged entry is a miss

    def get_unchanged(self, path: str, stat: list[int] | None, settings: str, relative: str, display: str) -> FileResult | None:
        """The cached result when the file's size, mtime, ctime and inode are those recorded when
        its content was hashed (and they were old enough to be trusted): no need to read it."""
        entry = self._entry(path, settings, relative)
        if entry is None or stat is None or entry[1] != stat:
            return None
        return self._result(entry, display)

    def get(self, path: str, content: str, settings: str, relative: str, display: str) -> FileResult | None:
        """The cached result for these bytes (by hash) under these settings."""
        entry = self._entry(path, settings, relative)
        if entry is None or entry[0] != content:
            return None
        return self._result(entry, display)

    def put(self, path: str, content: str, stat: list[int] | None, settings: str, relative: str, result: FileResult) -> None:
        known = self.entries.get(path)
        if isinstance(known, list) and known[:4] == [content, stat, settings, relative]:
            return  # a hit already recorded as it is: nothing new to write
        self._updates[path] = [
            content,
            stat,
            settings,
            relative,
            result.lines,
            [encode_diagnostic(d) for d in result.diagnostics],
        ]

    def save(self) -> None:
        """Merge this run's results into the index on disk. Failing to write is not an error."""
        if not self._updates:
            return
        try:
            self._prepare_directory()
            entries = self._load()  # another run may have written since we read
            entries.update(self._updates)
            entries = {path: entry for path, entry in entries.items() if os.path.exists(path)}
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".index-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump({"format": _FORMAT, "files": entries}, stream, separators=(",", ":"))
                os.replace(temporary, self.index_path)
            except BaseException:
                _remove(temporary)
                raise
            self._remove_stale_files()
        except (OSError, ValueError):
            pass
        self._updates.clear()

    def _prepare_directory(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _CACHEDIR_TAG), (".gitignore", "# Created by hplint.\n*\n")):
            target = self.directory / name
            if not target.exists():
                target.write_text(text, encoding="utf-8")

    def _remove_stale_files(self) -> None:
        """Indexes written by other versions of hplint can never be read again; temporary files of
        runs killed before their rename would pile up."""
        for other in self.directory.glob(f"{_INDEX_PREFIX}*.json"):
            if other != self.index_path:
                _remove(other)
        too_old = time.time() - _ORPHAN_SECONDS
        for temporary in self.directory.glob(".index-*.tmp"):
            try:
                if temporary.stat().st_mtime < too_old:
                    _remove(temporary)
            except OSError:
                pass


def _remove(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def cache_directory(root: str, configured: str | None = None, explicit: str | None = None) -> str:
    """Where the cache of `root` lives: `--cache-dir` / $HPLINT_CACHE_DIR (`explicit`), else the
    configuration's `cache-dir`, else `<root>/.hplint_cache`. A directory given for the whole run
    may serve several roots: each has its own subdirectory there (named by a hash of the root), so
    their indexes never overwrite each other."""
    if explicit:
        name = hashlib.sha256(os.path.abspath(root).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return os.path.join(os.path.abspath(explicit), f"root-{name}")
    if configured:
        return configured
    return os.path.join(root, CACHE_DIR)


class CacheSet:
    """One ResultCache per cache directory, created on first use."""

    def __init__(self, explicit_directory: str | None = None) -> None:
        self._caches: dict[str, ResultCache] = {}
        self.explicit_directory = explicit_directory

    def for_root(self, root: str, configured: str | None = None) -> ResultCache:
        directory = cache_directory(root, configured, self.explicit_directory)
        cache = self._caches.get(directory)
        if cache is None:
            cache = self._caches[directory] = ResultCache(root, directory)
        return cache

    def save(self) -> None:
        for cache in self._caches.values():
            cache.save()
