"""Placing findings: rules report libcst nodes; here they become diagnostics with positions
(one code-generation pass for all the nodes of a file, see analysis/positions.py) and fixes
with edits in the same coordinates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hplint.context import FixSpec, _Finding
from hplint.diagnostics import Diagnostic, Edit, Fix, Position, Related, Span
from hplint.source import SourceFile

if TYPE_CHECKING:
    import libcst as cst


def place(
    source: SourceFile,
    module: "cst.Module | None",
    findings: list[_Finding],
    top_level: dict[int, int] | None = None,
) -> list[Diagnostic]:
    """Turn node-based findings into positioned diagnostics (one code generation pass)."""
    from hplint.analysis.positions import node_ranges

    if module is None:
        return []
    targets: set = set()
    for finding in findings:
        targets.add(finding.node)
        if finding.end_node is not None:
            targets.add(finding.end_node)
        targets.update(node for _, node in finding.related)
        if finding.fix is not None:
            targets.update(node for node, _ in finding.fix.replacements)
    ranges = node_ranges(module, targets, source.text, top_level)
    fixable = finding_fixes_allowed(source, module, findings)
    diagnostics = []
    for finding in findings:
        start = ranges.get(finding.node)
        if start is None:
            continue
        end = ranges.get(finding.end_node, start) if finding.end_node is not None else start
        cell, start_row = source.to_cell(start.start_line)
        _, end_row = source.to_cell(end.end_line)
        noqa_cell, noqa_row = source.to_cell(start.statement_line)
        related = []
        for message, node in finding.related:
            rng = ranges.get(node)
            if rng is not None:
                related_cell, row = source.to_cell(rng.start_line)
                _, end_row_related = source.to_cell(rng.end_line)
                related.append(
                    Related(
                        message,
                        Span(Position(row, rng.start_column + 1), Position(end_row_related, rng.end_column + 1)),
                        related_cell,
                    )
                )
        fix = _to_fix(source, finding.fix, ranges) if fixable and finding.fix is not None else None
        diagnostics.append(
            Diagnostic(
                code=finding.code,
                name=finding.name,
                message=finding.message,
                path=source.path,
                span=Span(
                    Position(start_row, start.start_column + 1), Position(end_row, end.end_column + 1)
                ),
                severity=finding.severity,  # type: ignore[arg-type]
                cell=cell,
                fix=fix,
                related=tuple(related),
                noqa_row=noqa_row if noqa_cell == cell else start_row,
            )
        )
    return diagnostics


def finding_fixes_allowed(source: SourceFile, module: "cst.Module", findings: list[_Finding]) -> bool:
    # libcst does not round-trip every file byte for byte; never offer an edit computed on a tree
    # whose text differs from the file.
    if not any(f.fix is not None for f in findings) or source.masked_lines:
        return False
    return module.code == source.text


def _to_fix(source: SourceFile, spec: FixSpec, ranges: dict) -> Fix | None:
    edits = []
    for node, text in spec.replacements:
        rng = ranges.get(node)
        if rng is None:
            return None
        _, start_row = source.to_cell(rng.start_line)
        _, end_row = source.to_cell(rng.end_line)
        edits.append(Edit(text, Position(start_row, rng.start_column + 1), Position(end_row, rng.end_column + 1)))
    return Fix(spec.message, tuple(edits), spec.applicability)  # type: ignore[arg-type]
