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
import tokenize
from collections import defaultdict
from pathlib import Path
from typing import Callable

from hplint.diagnostics import ALWAYS_REPORTED, Diagnostic
from hplint.rewrite import identity, notebook_bytes, script_bytes, split_keeping_endings, write_atomically
from hplint.source import NOQA_RE, SourceError, SourceFile, _codes, from_bytes


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
    before = identity(path)
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
    lines = split_keeping_endings(source.text)
    changed = _edit_lines(lines, targets)
    if changed:
        write_atomically(path, script_bytes(raw, source.text, "".join(lines)), before)
    return changed


def _edit_notebook(path: Path, raw: bytes, source: SourceFile, targets: dict[int, set[str]], before: tuple) -> int:
    """Edit the cells' sources; rewrite.py re-encodes only the changed lines' JSON literals."""
    per_cell: dict[int, dict[int, set[str]]] = defaultdict(dict)
    for row, codes in targets.items():
        cell, cell_row = source.to_cell(row)
        if cell is not None:
            per_cell[cell][cell_row] = codes
    cells = json.loads(raw.decode("utf-8-sig"))["cells"]
    new_sources: dict[int, str] = {}
    changed = 0
    for index, edits in sorted(per_cell.items()):
        original = cells[index - 1].get("source", "")
        text = "".join(original) if isinstance(original, list) else original
        if not isinstance(text, str):
            raise ValueError(f"cell {index}'s source is not text; not rewritten")
        lines = split_keeping_endings(text)
        cell_changed = _edit_lines(lines, edits)
        if cell_changed:
            changed += cell_changed
            new_sources[index] = "".join(lines)
    if changed:
        write_atomically(path, notebook_bytes(raw, new_sources), before)
    return changed
