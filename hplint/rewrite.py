"""Rewriting a checked file in place, for `--add-noqa` and `--fix`.

Writes are atomic (a temporary file in the same directory, then `os.replace`) and keep the
file's encoding, BOM, line endings and permission bits. A notebook is edited cell by cell in its
JSON text: only the string literals of changed source lines are re-encoded, so outputs,
metadata, key order, indentation and escapes stay byte for byte. Nothing is written when the
file changed since it was read.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from hplint.source import _coding_cookie

BOM = b"\xef\xbb\xbf"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_JSON_TOKEN = re.compile(r'\s*("[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]|[^\s{}\[\],:"]+)')


class ReadOnlyFile(OSError):
    """A file (or its directory) hplint may not rewrite."""


def split_keeping_endings(text: str) -> list[str]:
    lines = _LINE.findall(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def identity(path: Path, purpose: str = "add noqa directives") -> tuple[int, int, int, int]:
    """What tells that a file was replaced or written: (inode, size, mtime, ctime). Raises
    ReadOnlyFile for a file nobody may write: read-only is the user's way of saying "not this one"."""
    info = path.stat()
    if not info.st_mode & 0o222:
        raise ReadOnlyFile(f"the file is read-only (make it writable to {purpose})")
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def script_bytes(raw: bytes, old_text: str, new_text: str) -> bytes:
    """`new_text` encoded as the script `raw` (whose decoded text is `old_text`) was: same BOM and
    coding. Line endings are the text's own (SourceFile keeps them)."""
    bom = raw.startswith(BOM)
    body = raw[len(BOM) :] if bom else raw
    encoding = _coding_cookie(body) or "utf-8"
    if old_text.encode(encoding) != body:
        raise ValueError(f"its text does not encode back to the same {encoding} bytes; not rewritten")
    return (BOM if bom else b"") + new_text.encode(encoding)


def notebook_bytes(raw: bytes, new_sources: dict[int, str]) -> bytes:
    """The notebook `raw` with the sources of the cells in `new_sources` (1-based index -> full
    source text) replaced; every other byte stays as it was."""
    bom = raw.startswith(BOM)
    text = raw[len(BOM) :].decode("utf-8") if bom else raw.decode("utf-8")
    cells = json.loads(text)["cells"]
    literals, arrays = _source_spans(text)
    replacements: list[tuple[int, int, str]] = []  # (start, end, new JSON text)
    for index, new in sorted(new_sources.items()):
        original = cells[index - 1].get("source", "")
        pieces = original if isinstance(original, list) else [original]
        if not all(isinstance(piece, str) for piece in pieces):
            raise ValueError(f"cell {index}'s source is not text; not rewritten")
        old = "".join(pieces)
        if old == new:
            continue
        if not isinstance(original, list):
            span = _span(literals, (index - 1, "source"), index)
            replacements.append((*span, _same_style(text[slice(*span)], old, new, index)))
            continue
        lines, edited = split_keeping_endings(old), split_keeping_endings(new)
        if pieces != lines:
            raise ValueError(f"cell {index}'s source is not stored one line per string; not rewritten")
        if len(lines) == len(edited):
            for i, (before, after) in enumerate(zip(lines, edited)):
                if before != after:
                    span = _span(literals, (index - 1, "source", i), index)
                    replacements.append((*span, _same_style(text[slice(*span)], before, after, index)))
            continue
        # Lines added or removed: the array is rewritten with its items laid out as before.
        start, end = _span(arrays, (index - 1, "source"), index)
        replacements.append((start, end, _array(text, start, end, lines, edited, literals, index)))
    for start, end, literal in sorted(replacements, reverse=True):
        text = text[:start] + literal + text[end:]
    return (BOM if bom else b"") + text.encode("utf-8")


def _span(spans: dict, key: tuple, cell: int) -> tuple[int, int]:
    span = spans.get(("cells", *key))
    if span is None:  # a key written twice, or JSON this scanner does not follow
        raise ValueError(f"cell {cell}'s source was not found in the notebook's text; not rewritten")
    return span


def _array(text: str, start: int, end: int, lines: list[str], edited: list[str], literals: dict, cell: int) -> str:
    """The source array with `edited` as its items, laid out (separators, closing whitespace,
    \\u escapes or not) like the array it replaces."""
    first = literals.get(("cells", cell - 1, "source", 0))
    inner = text[start + 1 : end - 1]
    if first is None:
        separator, closing, ensure_ascii = "", "", False
    else:
        separator = text[start + 1 : first[0]]
        closing = inner[len(inner.rstrip()) :]
        sample = text[first[0] : first[1]]
        ensure_ascii = json.dumps(lines[0], ensure_ascii=False) != sample
    if not edited:
        return "[]"
    items = [json.dumps(line, ensure_ascii=ensure_ascii) for line in edited]
    join = "," + separator if "\n" in separator else ", "
    return "[" + separator + join.join(items) + closing + "]"


def _source_spans(text: str) -> tuple[dict[tuple, tuple[int, int]], dict[tuple, tuple[int, int]]]:
    """(text start, end) of the JSON string literals of the notebook's cell sources, keyed by
    ("cells", cell index, "source") or ("cells", cell index, "source", line index); and of the
    source arrays, keyed by ("cells", cell index, "source")."""
    spans: dict[tuple, tuple[int, int]] = {}
    arrays: dict[tuple, tuple[int, int]] = {}
    stack: list[list] = []  # [is_object, current key or index, expecting a key, start]
    for match in _JSON_TOKEN.finditer(text):
        token = match.group(1)
        if token in ("{", "["):
            stack.append([token == "{", None if token == "{" else 0, token == "{", match.start(1)])
        elif token in ("}", "]"):
            level = stack.pop()
            path = tuple(item[1] for item in stack)
            if token == "]" and len(path) == 3 and path[0] == "cells" and path[2] == "source":
                arrays[path] = (level[3], match.end(1))
        elif token == ":":
            stack[-1][2] = False
        elif token == ",":
            if stack[-1][0]:
                stack[-1][2] = True
            else:
                stack[-1][1] += 1
        elif token.startswith('"'):
            if stack and stack[-1][0] and stack[-1][2]:
                stack[-1][1] = json.loads(token)
            else:
                path = tuple(level[1] for level in stack)
                if len(path) in (3, 4) and path[0] == "cells" and path[2] == "source":
                    spans[path] = match.span(1)
    return spans, arrays


def _same_style(literal: str, old: str, new: str, cell: int) -> str:
    """`new` as a JSON string literal written the way `literal` (which encodes `old`) was: with
    non-ASCII characters as they are or as \\u escapes."""
    for ensure_ascii in (False, True):
        if json.dumps(old, ensure_ascii=ensure_ascii) == literal:
            return json.dumps(new, ensure_ascii=ensure_ascii)
    raise ValueError(f"cell {cell}'s source uses JSON escapes hplint cannot reproduce; not rewritten")


def write_atomically(path: Path, data: bytes, before: tuple | None, doing: str = "adding noqa directives") -> None:
    """Replace `path` by `data` through a temporary file in the same directory, with the file's
    permission bits: a reader sees the old file or the new one, never a mix, and a crash leaves
    the old one. Nothing is written when the file changed since it was read (an editor saved it
    meanwhile): its new content would be lost. `before=None` creates a new file, with the
    permissions the umask gives."""
    if before is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    else:
        mode = path.stat().st_mode & 0o7777
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".hplint")
    except PermissionError:
        raise ReadOnlyFile(f"its directory {path.parent} is not writable") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        if before is not None and identity(path) != before:
            raise OSError(f"the file changed while hplint was {doing}; run it again")
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
