"""`--add-noqa`: append `# noqa: CODES` to every line with a finding, for adopting hplint in an
existing code base.

The comment goes on the diagnostic's `noqa_row` (the first line of a multi-line statement) or its
start row, and merges with a `# noqa: X` comment already there. A file where appending a comment
would change the program (a line that ends inside a multi-line string or with a backslash
continuation) is left untouched, with a warning. Notebook magics are never annotated. Files are
rewritten atomically and keep their encoding, BOM, line endings and permissions.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import tokenize
from collections import defaultdict
from pathlib import Path
from typing import Callable

from hplint.diagnostics import Diagnostic
from hplint.diagnostics import ALWAYS_REPORTED
from hplint.source import NOQA_RE, SourceError, SourceFile, _codes, _coding_cookie, from_bytes

_BOM = b"\xef\xbb\xbf"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def add_noqa_directives(
    diagnostics: list[Diagnostic],
    sources: dict[str, tuple[str, bytes | None]],
    warn: Callable[[str], None],
) -> int:
    """Add the comments; returns how many lines were changed."""
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        if diagnostic.code not in ALWAYS_REPORTED:  # syntax and internal errors cannot be suppressed
            by_path[diagnostic.path].append(diagnostic)
    added = 0
    for display, found in sorted(by_path.items()):
        path, data = sources.get(display, (display, None))
        if data is not None:
            continue  # stdin: nothing to rewrite
        try:
            added += _add_to_file(Path(path), display, found, warn)
        except (OSError, SourceError, ValueError) as error:
            reason = getattr(error, "strerror", None) or error  # "Permission denied", not "[Errno 13] ..."
            warn(f"hplint: warning: {display}: noqa directives not added: {reason}")
    return added


def _add_to_file(path: Path, display: str, diagnostics: list[Diagnostic], warn: Callable[[str], None]) -> int:
    path = Path(os.path.realpath(path))  # a symbolic link stays a link: its target is rewritten
    before = _identity(path)
    raw = path.read_bytes()
    notebook = path.suffix == ".ipynb"
    source = from_bytes(raw, display, is_notebook=notebook)
    targets: dict[int, set[str]] = defaultdict(set)  # program row -> codes
    for diagnostic in diagnostics:
        row = diagnostic.noqa_row or diagnostic.span.start.row
        program_row = _program_row(source, diagnostic.cell, row)
        if program_row is None or program_row in source.masked_lines:
            continue  # an IPython magic: a comment there would be lost or change the magic
        targets[program_row].add(diagnostic.code)
    if not targets:
        return 0
    unsafe = _unsafe_rows(source)
    blocked = sorted(row for row in targets if row in unsafe)
    if blocked:
        reason = unsafe[blocked[0]]
        warn(f"hplint: warning: {display}: noqa directives not added: line {_describe_row(source, blocked[0])} {reason}")
        return 0
    if notebook:
        return _edit_notebook(path, raw, source, targets, before)
    return _edit_script(path, raw, source, targets, before)


def _program_row(source: SourceFile, cell: int | None, row: int) -> int | None:
    if cell is None:
        return row
    for candidate in source.cells:
        if candidate.index == cell:
            return candidate.first_line + row - 1 if row <= candidate.line_count else None
    return None


def _describe_row(source: SourceFile, row: int) -> str:
    cell, cell_row = source.to_cell(row)
    return f"{cell_row} of cell {cell}" if cell is not None else str(row)


_CONTINUES = "continues onto the next line (a multi-line string or a backslash)"
_NO_TOKENS = "is in code that does not tokenize"


def _unsafe_rows(source: SourceFile) -> dict[int, str]:
    """Program rows where appending a comment would change or break the program -> why.
    A notebook's cells are tokenized one by one: a string never spans two cells, and one broken
    cell (already reported as HPL901) does not block the others."""
    lines = source.text.split("\n")
    if not source.is_notebook:
        return _rows_that_cannot_take_a_comment(source.text, 1, len(lines))
    unsafe: dict[int, str] = {}
    for cell in source.cells:
        start = cell.first_line - 1
        text = "\n".join(lines[start : start + cell.line_count]) + "\n"
        unsafe.update(_rows_that_cannot_take_a_comment(text, cell.first_line, cell.line_count))
    return unsafe


def _rows_that_cannot_take_a_comment(text: str, first_row: int, row_count: int) -> dict[int, str]:
    """Rows (numbered from `first_row`) whose end is inside a token (a multi-line string) or that
    end with a backslash; every row when the text does not tokenize."""
    offset = first_row - 1
    unsafe: dict[int, str] = {}
    open_strings: list[int] = []  # start rows of f-/t-strings being tokenized (3.12+)
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            name = tokenize.tok_name[token.type]
            if name.endswith("STRING_START"):
                open_strings.append(token.start[0])
            elif name.endswith("STRING_END") and open_strings:
                unsafe.update((row + offset, _CONTINUES) for row in range(open_strings.pop(), token.end[0]))
            elif token.type == tokenize.STRING and token.end[0] > token.start[0]:
                unsafe.update((row + offset, _CONTINUES) for row in range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        return {row: _NO_TOKENS for row in range(first_row, first_row + row_count)}
    for number, line in enumerate(text.split("\n"), start=first_row):
        if line.rstrip().endswith("\\"):
            unsafe[number] = _CONTINUES
    return unsafe


def _with_directive(line: str, codes: set[str]) -> str | None:
    """The line (without its line ending) with `codes` in its noqa comment; None if unchanged."""
    match = NOQA_RE.search(line)
    if match is None:
        return f"{line.rstrip()}  # noqa: {', '.join(sorted(codes))}"
    existing = _codes(match.group("codes"))
    if not existing or codes <= existing:
        return None  # a bare `# noqa` already covers everything
    merged = ", ".join(sorted(existing | codes))
    return f"{line[: match.start()]}# noqa: {merged}{line[match.end() :]}"


def _split_keeping_endings(text: str) -> list[str]:
    lines = _LINE.findall(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _edit_lines(lines: list[str], edits: dict[int, set[str]], first_row: int = 1) -> int:
    """Apply the directives for rows first_row.. to `lines` (with endings) in place."""
    changed = 0
    for row, codes in edits.items():
        index = row - first_row
        if not 0 <= index < len(lines):
            continue
        line = lines[index]
        body = line.rstrip("\r\n")
        updated = _with_directive(body, codes)
        if updated is not None:
            lines[index] = updated + line[len(body) :]
            changed += 1
    return changed


def _edit_script(path: Path, raw: bytes, source: SourceFile, targets: dict[int, set[str]], before: tuple) -> int:
    bom = raw.startswith(_BOM)
    body = raw[len(_BOM) :] if bom else raw
    encoding = _coding_cookie(body) or "utf-8"
    lines = _split_keeping_endings(source.text)
    if "".join(lines).encode(encoding) != body:
        raise ValueError(f"its text does not encode back to the same {encoding} bytes; not rewritten")
    changed = _edit_lines(lines, targets)
    if changed:
        _write_atomically(path, (_BOM if bom else b"") + "".join(lines).encode(encoding), before)
    return changed


def _edit_notebook(path: Path, raw: bytes, source: SourceFile, targets: dict[int, set[str]], before: tuple) -> int:
    """Edit the notebook's JSON text in place: only the string literals of the changed source
    lines are re-encoded, every other byte (indentation, key order, escapes, outputs, line
    endings, BOM) stays as it was."""
    bom = raw.startswith(_BOM)
    text = raw[len(_BOM) :].decode("utf-8") if bom else raw.decode("utf-8")
    cells = json.loads(text)["cells"]
    literals = _source_literals(text)
    per_cell: dict[int, dict[int, set[str]]] = defaultdict(dict)
    for row, codes in targets.items():
        cell, cell_row = source.to_cell(row)
        if cell is not None:
            per_cell[cell][cell_row] = codes
    replacements: list[tuple[int, int, str]] = []  # (start, end, new literal) in the JSON text
    changed = 0
    for index, edits in sorted(per_cell.items()):
        original = cells[index - 1].get("source", "")
        pieces = original if isinstance(original, list) else [original]
        if not all(isinstance(piece, str) for piece in pieces):
            raise ValueError(f"cell {index}'s source is not text; not rewritten")
        lines = _split_keeping_endings("".join(pieces))
        if isinstance(original, list) and pieces != lines:
            raise ValueError(f"cell {index}'s source is not stored one line per string; not rewritten")
        edited = list(lines)
        cell_changed = _edit_lines(edited, edits)
        if not cell_changed:
            continue
        changed += cell_changed
        if isinstance(original, list):
            pairs = [((index - 1, "source", i), old, new) for i, (old, new) in enumerate(zip(lines, edited)) if old != new]
        else:
            pairs = [((index - 1, "source"), original, "".join(edited))]
        for key, old, new in pairs:
            span = literals.get(("cells", *key))
            if span is None:  # a key written twice, or JSON this scanner does not follow
                raise ValueError(f"cell {index}'s source was not found in the notebook's text; not rewritten")
            start, end = span
            replacements.append((start, end, _same_style(text[start:end], old, new, index)))
    if changed:
        for start, end, literal in sorted(replacements, reverse=True):
            text = text[:start] + literal + text[end:]
        _write_atomically(path, (_BOM if bom else b"") + text.encode("utf-8"), before)
    return changed


_JSON_TOKEN = re.compile(r'\s*("[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]|[^\s{}\[\],:"]+)')


def _source_literals(text: str) -> dict[tuple, tuple[int, int]]:
    """(text start, end) of the JSON string literals of the notebook's cell sources, keyed by
    ("cells", cell index, "source") or ("cells", cell index, "source", line index)."""
    spans: dict[tuple, tuple[int, int]] = {}
    stack: list[list] = []  # [is_object, current key or index, expecting a key]
    for match in _JSON_TOKEN.finditer(text):
        token = match.group(1)
        if token in ("{", "["):
            stack.append([token == "{", None if token == "{" else 0, token == "{"])
        elif token in ("}", "]"):
            stack.pop()
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
    return spans


def _same_style(literal: str, old: str, new: str, cell: int) -> str:
    """`new` as a JSON string literal written the way `literal` (which encodes `old`) was: with
    non-ASCII characters as they are or as \\u escapes."""
    for ensure_ascii in (False, True):
        if json.dumps(old, ensure_ascii=ensure_ascii) == literal:
            return json.dumps(new, ensure_ascii=ensure_ascii)
    raise ValueError(f"cell {cell}'s source uses JSON escapes hplint cannot reproduce; not rewritten")


def _identity(path: Path) -> tuple[int, int, int, int]:
    """What tells that a file was replaced or written: (inode, size, mtime, ctime). Raises
    ReadOnlyFile for a file nobody may write: read-only is the user's way of saying "not this one"."""
    info = path.stat()
    if not info.st_mode & 0o222:
        raise ReadOnlyFile("the file is read-only (make it writable to add noqa directives)")
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class ReadOnlyFile(OSError):
    """A file (or its directory) hplint may not rewrite."""


def _write_atomically(path: Path, data: bytes, before: tuple) -> None:
    """Replace `path` by `data` through a temporary file in the same directory, with the file's
    permission bits: a reader sees the old file or the new one, never a mix, and a crash leaves
    the old one. Nothing is written when the file changed since it was read (an editor saved it
    meanwhile): its new content would be lost."""
    mode = path.stat().st_mode & 0o7777
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".hplint")
    except PermissionError:
        raise ReadOnlyFile(f"its directory {path.parent} is not writable") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        if _identity(path) != before:
            raise OSError("the file changed while hplint was adding noqa directives; run it again")
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
