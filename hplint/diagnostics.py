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
