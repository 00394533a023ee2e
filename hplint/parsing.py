"""Parsing a source with libcst, and the syntax verdicts (HPL901) for what does not parse.

Nesting too deep for libcst is caught before it gets there (guards.py); CPython's parser has the
last word on what is a syntax error, and gives the positions.
"""

from __future__ import annotations

import ast
import re
import warnings
from typing import TYPE_CHECKING

from hplint.diagnostics import SYNTAX_ERROR, Diagnostic, Position, Span
from hplint.source import SourceError, SourceFile

if TYPE_CHECKING:
    import libcst as cst

# Text where libcst's grammar is more lenient than CPython's (see `parse`).
_LIBCST_LENIENT = re.compile(r"^[ \t]*except\b[^:#\n]*,|\\N\{", re.MULTILINE)

# libcst's tree takes about 300 bytes of memory per byte of source: a 10 MB file needs 3 GB,
# which a CI runner may not have (the OOM killer takes the whole run with it). Code this large is
# generated; it is checked for syntax only.
MAX_ANALYSED_CHARS = 4_000_000


def parse_module(text: str) -> "cst.Module":
    """`libcst.parse_module` without validating each node the parser builds.

    Every node's `__post_init__` only runs `_validate()`, checks meant for trees built by hand;
    the parser's output passes them by construction, and skipping them saves ~16% of parsing.
    (libcst's own comment there: "It might make more sense to move validation work into the
    visitor, which would allow us to avoid validating the tree when parsing a file".) Nodes
    built elsewhere are still validated: the method is restored right after parsing."""
    import libcst as cst
    from libcst._nodes.base import CSTNode

    validate = CSTNode.__post_init__
    CSTNode.__post_init__ = _skip_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = validate  # type: ignore[method-assign]


def _skip_validation(node: object) -> None:
    return None


def cpython_parse(text: str, path: str) -> ast.Module:
    """CPython's verdict on `text` (raises SyntaxError). Its warnings about the checked code
    (`1if x else 2`: "invalid decimal literal") are not printed: on hplint's stderr they would sit
    outside every output format."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile(text, path, "exec", ast.PyCF_ONLY_AST)


def parse(source: SourceFile) -> tuple["cst.Module | None", list[Diagnostic]]:
    import libcst as cst

    from hplint.guards import guard

    # Nesting too deep for libcst (a segfault, or minutes) never reaches it: see guards.py.
    verdict = guard(source.text, source.path)
    if verdict.text is not None:
        try:
            module = parse_module(verdict.text)
        except cst.ParserSyntaxError:
            pass
        except RecursionError:
            return None, [too_deep(source)]
        else:
            # libcst accepts Python 2's `except E, e:` and unknown `\N{...}` names, which CPython's
            # parser rejects: such files are asked of CPython too (a file Python cannot run is
            # reported). A file the guard inspected has been asked already.
            if verdict.inspected or not _LIBCST_LENIENT.search(source.text) or not _rejected_for_leniency(source):
                return module, []
    elif not verdict.syntax_error and not source.is_notebook:
        return None, [too_deep(source, verdict.depth)]
    if source.is_notebook:
        return _parse_notebook_around_errors(source)
    return None, [syntax_error(source, source.text, line_offset=0)]


def _rejected_for_leniency(source: SourceFile) -> bool:
    """Whether CPython rejects the file at a line libcst is lenient with. An error elsewhere is
    newer syntax than this interpreter's (a 3.12 f-string checked on 3.11), which libcst reads:
    the file stays analysed."""
    try:
        cpython_parse(source.text, source.path)
    except SyntaxError as error:
        return bool(error.lineno and _LIBCST_LENIENT.search(source.line(error.lineno)))
    except (ValueError, RecursionError, MemoryError):
        return False
    return False


def _parse_notebook_around_errors(source: SourceFile) -> tuple["cst.Module | None", list[Diagnostic]]:
    """A cell that does not parse is reported and blanked; the other cells are still checked."""
    import libcst as cst

    from hplint.guards import guard

    lines = source.text.split("\n")
    errors: list[Diagnostic] = []
    for cell in source.cells:
        start = cell.first_line - 1
        cell_text = "\n".join(lines[start : start + cell.line_count]) + "\n"
        try:
            cpython_parse(cell_text, source.path)
        except SyntaxError:
            errors.append(syntax_error(source, cell_text, line_offset=start))
            for index in range(start, start + cell.line_count):
                lines[index] = ""
        except (ValueError, RecursionError, MemoryError):
            errors.append(too_deep(source))
            for index in range(start, start + cell.line_count):
                lines[index] = ""
    verdict = guard("\n".join(lines), source.path)
    if verdict.text is None:
        return None, errors or [too_deep(source, verdict.depth)]
    try:
        return parse_module(verdict.text), errors
    except (cst.ParserSyntaxError, RecursionError):
        # The cells parse one by one but not together (an unclosed block across cells).
        return None, errors or [syntax_error(source, source.text, line_offset=0)]


def syntax_errors_only(source: SourceFile) -> list[Diagnostic]:
    try:
        cpython_parse(source.text, source.path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        if source.is_notebook:
            return _parse_notebook_around_errors(source)[1]
        return [syntax_error(source, source.text, line_offset=0)]
    return []


def syntax_error(source: SourceFile, text: str, line_offset: int) -> Diagnostic:
    # CPython's positions are exact where libcst's are not (it points past the error).
    row, column, message = 1, 1, "invalid syntax"
    try:
        cpython_parse(text, source.path)
    except SyntaxError as error:
        message = f"SyntaxError: {error.msg or message}"
        row = error.lineno or 1
        column = error.offset or 1
    except (ValueError, RecursionError, MemoryError) as error:
        message = f"SyntaxError: {str(error) or type(error).__name__}"
    else:
        # Valid Python that libcst's grammar lacks (`(x): int = 1`): not the user's error.
        row, column = _libcst_error_position(text)
        message = "Python accepts this code but hplint's parser (libcst) cannot read it"
    row = max(1, row) + line_offset
    cell, cell_row = source.to_cell(row)
    line = source.line(row)
    column = max(1, min(column, len(line) + 1))
    span = Span(Position(cell_row, column), Position(cell_row, column))
    return Diagnostic(
        code=SYNTAX_ERROR,
        name="syntax-error",
        message=f"{message}; the file was not checked" if cell is None else f"{message}; this cell was not checked",
        path=source.path,
        span=span,
        severity="error",
        cell=cell,
    )


def _libcst_error_position(text: str) -> tuple[int, int]:
    import libcst as cst

    try:
        parse_module(text)
    except cst.ParserSyntaxError as error:
        found = re.search(r"error at (\d+):(\d+)", error.message)
        if found:
            return int(found.group(1)), int(found.group(2))
        return error.raw_line, error.raw_column + 1
    except RecursionError:
        pass
    return 1, 1


def too_large(source: SourceFile) -> Diagnostic:
    size = len(source.text) / 1_000_000
    limit = MAX_ANALYSED_CHARS // 1_000_000
    return not_analysed(source, f"file is too large to analyse ({size:.1f} MB of code; the limit is {limit} MB); only its syntax was checked")


def too_deep(source: SourceFile, depth: int = 0) -> Diagnostic:
    from hplint.guards import too_deep_message

    return not_analysed(source, too_deep_message(depth))


def not_analysed(source: SourceFile, message: str) -> Diagnostic:
    """HPL901 for a whole file hplint could not analyse, at its start."""
    return Diagnostic(
        code=SYNTAX_ERROR,
        name="syntax-error",
        message=message,
        path=source.path,
        span=Span(Position(1, 1), Position(1, 1)),
        severity="error",
    )


def source_error_diagnostic(path: str, error: SourceError) -> Diagnostic:
    position = Position(max(1, error.row), max(1, error.column))
    return Diagnostic(
        code=SYNTAX_ERROR,
        name="syntax-error",
        message=error.message,
        path=path,
        span=Span(position, position),
        severity="error",
        cell=error.cell,
    )
