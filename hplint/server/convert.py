"""hplint diagnostics -> LSP diagnostics, each on the document (script or notebook cell) it is in.

Each LSP diagnostic carries the rule's code, a link to its page (`codeDescription.href`, the URL
the JSON and SARIF reporters give), severity, `source: "hplint"`, the other end of a finding as
`relatedInformation` ("split here"), and the Unnecessary tag for unused `noqa` directives (editors
fade them, as for ruff's RUF100).
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types

from hplint.diagnostics import Diagnostic, Position, Span
from hplint.server import positions
from hplint.server.documents import CODE, Snapshot
from hplint.server.linting import UNUSED_NOQA, LintResult

SOURCE = "hplint"

_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


@dataclass(frozen=True, slots=True)
class Entry:
    """A published diagnostic and the hplint diagnostic it came from (for code actions, hover)."""

    uri: str
    lsp: types.Diagnostic
    diagnostic: Diagnostic


class Placer:
    """Converts hplint positions in one snapshot to LSP ranges in the negotiated encoding."""

    def __init__(self, snapshot: Snapshot, encoding: str) -> None:
        self.snapshot = snapshot
        self.encoding = encoding
        self._texts = {part.uri: part.text for part in snapshot.parts}
        self._indexes: dict[str, positions.LineIndex] = {}

    def uri_of(self, cell: int | None) -> str:
        part = self.snapshot.part(cell)
        if part is None:  # a notebook-wide finding (HPL903): its first code cell
            part = next((p for p in self.snapshot.parts if p.kind == CODE), None)
        return part.uri if part is not None else self.snapshot.uri

    def index(self, uri: str) -> positions.LineIndex:
        found = self._indexes.get(uri)
        if found is None:
            found = self._indexes[uri] = positions.LineIndex(self._texts.get(uri, ""))
        return found

    def _clamped(self, uri: str, position: Position) -> tuple[int, int]:
        """(0-based line, 0-based code-point column) inside the text."""
        index = self.index(uri)
        line = max(0, position.row - 1)
        if line >= len(index.starts):
            line = len(index.starts) - 1
            return line, len(index.line(line))
        return line, max(0, min(position.column - 1, len(index.line(line))))

    def position(self, uri: str, position: Position) -> types.Position:
        line, column = self._clamped(uri, position)
        return types.Position(line=line, character=positions.to_client(self.index(uri).line(line), column, self.encoding))

    def range(self, uri: str, span: Span) -> types.Range:
        return types.Range(start=self.position(uri, span.start), end=self.position(uri, span.end))

    def offset(self, uri: str, position: Position) -> int:
        """The string offset of an hplint position in the document's text (to apply fixes)."""
        line, column = self._clamped(uri, position)
        return self.index(uri).starts[line] + column


def entries(result: LintResult, encoding: str) -> list[Entry]:
    placer = Placer(result.snapshot, encoding)
    found = []
    for diagnostic in result.diagnostics:
        uri = placer.uri_of(diagnostic.cell)
        found.append(Entry(uri, to_lsp(diagnostic, uri, placer), diagnostic))
    return found


def by_uri(result: LintResult, found: list[Entry]) -> dict[str, list[types.Diagnostic]]:
    """The diagnostics to publish on each document of the snapshot: every code cell gets a list,
    empty when it has none, so that fixed findings disappear."""
    published: dict[str, list[types.Diagnostic]] = {
        part.uri: [] for part in result.snapshot.parts if part.kind == CODE or not result.snapshot.notebook
    }
    for entry in found:
        published.setdefault(entry.uri, []).append(entry.lsp)
    return published


def to_lsp(diagnostic: Diagnostic, uri: str, placer: Placer) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=placer.uri_of(item.cell) if item.cell is not None else uri,
                range=placer.range(placer.uri_of(item.cell) if item.cell is not None else uri, item.span),
            ),
            message=item.message,
        )
        for item in diagnostic.related
    ]
    return types.Diagnostic(
        range=placer.range(uri, diagnostic.span),
        message=diagnostic.message,
        severity=_SEVERITY.get(diagnostic.severity, types.DiagnosticSeverity.Warning),
        code=diagnostic.code,
        code_description=types.CodeDescription(href=diagnostic.url),
        source=SOURCE,
        related_information=related or None,
        tags=[types.DiagnosticTag.Unnecessary] if diagnostic.code == UNUSED_NOQA else None,
    )
