"""The values that flow from rules to reporters.

Positions follow ruff's conventions: rows are 1-based, columns are 1-based and count Unicode code
points, and end columns are exclusive. For notebooks, rows are relative to the cell named by `cell`
(1-based index among all cells of the notebook, markdown included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

DOCS_URL = "https://github.com/hplint/hplint/blob/main/rules/{code}.md"


@dataclass(frozen=True, slots=True, order=True)
class Position:
    row: int
    column: int


@dataclass(frozen=True, slots=True)
class Span:
    start: Position
    end: Position


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between `start` and `end` (same coordinates as diagnostics) by `content`."""

    content: str
    start: Position
    end: Position


@dataclass(frozen=True, slots=True)
class Fix:
    message: str
    edits: tuple[Edit, ...]
    applicability: Literal["safe", "unsafe", "display-only"] = "safe"


@dataclass(frozen=True, slots=True)
class Related:
    """A second location that explains a diagnostic ("`X` is split at line 14")."""

    message: str
    span: Span
    cell: int | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    message: str
    path: str
    span: Span
    severity: Severity = "warning"
    cell: int | None = None
    fix: Fix | None = None
    related: tuple[Related, ...] = field(default=())
    noqa_row: int | None = None

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code)

    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.span.start.row, self.span.start.column, self.code)


@dataclass(slots=True)
class FileResult:
    """Everything one checked file produced; what the cache stores and reporters read."""

    path: str
    diagnostics: list[Diagnostic]
    lines: int = 0
    # Tracebacks of hplint's own failures on this file (each also an HPL903 diagnostic), printed
    # by `--debug`. Results that carry any are not cached, so a rerun reproduces them.
    tracebacks: list[str] = field(default_factory=list)


# hplint's own codes, reported by the engine rather than by a rule.
SYNTAX_ERROR = "HPL901"
UNUSED_NOQA = "HPL902"
INTERNAL_ERROR = "HPL903"
ENGINE_CODES = frozenset({SYNTAX_ERROR, UNUSED_NOQA, INTERNAL_ERROR})
# Say what hplint could not check: reported whatever the selection, never suppressed by `noqa`.
ALWAYS_REPORTED = frozenset({SYNTAX_ERROR, INTERNAL_ERROR})


def describe(error: BaseException) -> str:
    detail = " ".join(str(error).split())
    if len(detail) > 200:
        detail = detail[:197] + "..."
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def internal_error(
    path: str, place: str, what: str, consequence: str, traceback_at: str = "`--debug` prints the traceback"
) -> Diagnostic:
    """HPL903: hplint failed; say where, with what, what was therefore not checked, and where the
    traceback is (`traceback_at`: the CLI prints it with --debug, the server logs it)."""
    return Diagnostic(
        code=INTERNAL_ERROR,
        name="internal-error",
        message=f"hplint failed {place} ({what}). {consequence}. Please report this; {traceback_at}",
        path=path,
        span=Span(Position(1, 1), Position(1, 1)),
        severity="error",
    )


def format_exc() -> str:
    """The current traceback; `traceback` is imported only on a failure (start-up does not pay for it)."""
    import traceback

    return traceback.format_exc()
