"""Placing findings: rules report libcst nodes; here they become diagnostics with positions
(one code-generation pass for all the nodes of a file, see analysis/positions.py) and fixes
with edits in the same coordinates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

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
    round_trips: "Callable[[cst.Module, str], bool] | None" = None,
    positions: dict | None = None,
) -> list[Diagnostic]:
    """Turn node-based findings into positioned diagnostics (one code generation pass).
    `round_trips(module, text)` answers `module.code == text` (the server's statement cache
    knows it without generating the whole module; `positions`, the ranges of its unchanged
    statements)."""
    from hplint.analysis.positions import placed_ranges

    if module is None:
        return []
    targets: set = set()
    replaced: set = set()
    for finding in findings:
        targets.add(finding.node)
        if finding.end_node is not None:
            targets.add(finding.end_node)
        targets.update(node for _, node in finding.related)
        if finding.fix is not None:
            replaced.update(node for node, _ in finding.fix.replacements)
    targets |= replaced
    # Without the server's answer, the positions pass checks the round trip of the statements
    # that fixes edit, at no extra code generation.
    checked = replaced if replaced and round_trips is None and not source.masked_lines else None
    placement = placed_ranges(module, targets, source.text, top_level, positions, checked)
    ranges = placement.ranges
    allowed = _FixesAllowed(source, module, round_trips, placement.written_back)
    diagnostics = []
    fixes: dict[int, Fix | None] = {}  # one Fix per FixSpec: findings may share one (HPL101's)
    lines: list[str] = []  # the text's lines, split once for all fixes
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
        fix = None
        if finding.fix is not None:
            key = id(finding.fix)
            if key not in fixes:
                if allowed(finding.fix):
                    lines = lines or source.text.split("\n")
                    fixes[key] = _to_fix(source, module, finding.fix, ranges, lines)
                else:
                    fixes[key] = None
            fix = fixes[key]
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


class _FixesAllowed:
    """Whether a fix may be offered. libcst does not round-trip every file byte for byte; never
    offer an edit computed on a tree whose text differs from the file where the edit is. Known
    per statement when the positions pass checked the statements fixes edit (`written_back`),
    else for the whole file: the server's per-chunk answer (`round_trips`), or `module.code`.
    (A fix's insertions are made at rows its rule read from the file's text, see codemods/hoist.py.)"""

    def __init__(
        self,
        source: SourceFile,
        module: "cst.Module",
        round_trips: "Callable[[cst.Module, str], bool] | None",
        written_back: set[int] | None,
    ) -> None:
        self.source, self.module, self.round_trips, self.written_back = source, module, round_trips, written_back
        self.whole_file: bool | None = None  # computed on first need

    def __call__(self, fix: FixSpec) -> bool:
        if self.source.masked_lines:
            return False
        if self.written_back is not None:
            return all(id(node) in self.written_back for node, _ in fix.replacements)
        if self.whole_file is None:
            if self.round_trips is not None:
                self.whole_file = self.round_trips(self.module, self.source.text)
            else:
                self.whole_file = self.module.code == self.source.text
        return self.whole_file


def _to_fix(source: SourceFile, module: "cst.Module", spec: FixSpec, ranges: dict, lines: list[str]) -> Fix | None:
    edits = []
    for node, text in spec.replacements:
        rng = ranges.get(node)
        if rng is None:
            return None
        if _is_statement_line(node):
            edit = _statement_edit(source, module, node, rng, lines, text)
            if edit is None:
                return None
            edits.append(edit)
            continue
        start, end = _with_parentheses(module, node, rng, lines)
        if start is None:
            return None
        written = "\n".join(lines[rng.start_line - 1 : rng.end_line])
        written = written[start : len(written) - len(lines[rng.end_line - 1]) + end]
        text = _indented_like(written, module.code_for_node(node), text)
        if text is None:
            return None
        _, start_row = source.to_cell(rng.start_line)
        _, end_row = source.to_cell(rng.end_line)
        edits.append(Edit(text, Position(start_row, start + 1), Position(end_row, end + 1)))
    for row, text in reversed(spec.insertions):  # they come first: the edits stay in source order
        _, cell_row = source.to_cell(row)
        edits.insert(0, Edit(text, Position(cell_row, 1), Position(cell_row, 1)))
    return Fix(spec.message, tuple(edits), spec.applicability)  # type: ignore[arg-type]


def _is_statement_line(node: "cst.CSTNode") -> bool:
    import libcst as cst

    return isinstance(node, cst.SimpleStatementLine)


def _statement_edit(source: SourceFile, module: "cst.Module", node, rng, lines: list[str], text: str) -> Edit | None:
    """An edit replacing the whole lines of a simple statement (its leading comments stay) by
    `text`: statements written at indentation 0 as libcst writes a nested one, each line ending
    in a newline, "" to delete the statement. Moving statements needs whole lines: a replacement
    of the statement's own range would leave its indentation and line end behind."""
    indent = lines[rng.start_line - 1][: rng.start_column]
    if indent.strip():
        return None  # the statement shares its line (`if x: y = 1`)
    written = "\n".join(lines[rng.start_line - 1 : rng.end_line])[rng.start_column :].rstrip("\r")
    generated = module.code_for_node(node.with_changes(leading_lines=())).rstrip("\r\n")
    if _indented_like(written, generated, generated) is None:
        return None
    newline = module.default_newline  # the file's (libcst reads it from the first line end)
    new = "".join(
        (indent + line if line.strip() else line).replace("\r\n", "\n").replace("\n", newline)
        for line in text.splitlines(keepends=True)
    )
    cell, start_row = source.to_cell(rng.start_line)
    _, end_row = source.to_cell(rng.end_line)
    if cell is None:
        last_line = rng.end_line == len(lines)  # `lines` ends with "" when the text ends with a newline
    else:
        last_line = any(c.index == cell and c.first_line + c.line_count - 1 == rng.end_line for c in source.cells)
    if last_line:  # no line end after the statement (end of the file or of a notebook cell)
        end = Position(end_row, len(lines[rng.end_line - 1]) + 1)
        return Edit(new.removesuffix(newline), Position(start_row, 1), end)
    return Edit(new, Position(start_row, 1), Position(end_row + 1, 1))


def _with_parentheses(module: "cst.Module", node: "cst.CSTNode", rng, lines: list[str]) -> tuple[int | None, int]:
    """The 0-based start and end columns of `node` with its own parentheses: positions leave them
    out (`(40,)` starts at `4`), but a fix's text replaces the whole node, as libcst generates it.
    (None, 0) when a parenthesis is on a line of its own or is not where it should be."""
    lead = "".join(module.code_for_node(paren) for paren in getattr(node, "lpar", ()))
    trail = "".join(module.code_for_node(paren) for paren in getattr(node, "rpar", ()))
    if not lead and not trail:
        return rng.start_column, rng.end_column
    start, end = rng.start_column - len(lead), rng.end_column + len(trail)
    if "\n" in lead + trail or start < 0:
        return None, 0
    if lines[rng.start_line - 1][start : rng.start_column] != lead or lines[rng.end_line - 1][rng.end_column : end] != trail:
        return None, 0
    return start, end


def _indented_like(written: str, generated: str, new: str) -> str | None:
    """`new` (generated by libcst for a node, like `generated`) as the file writes the node.

    libcst generates a nested node without the indentation of its block, so the continuation lines
    of a multi-line call come out dedented; they get the block's indentation back. A node whose
    text differs otherwise from the file gets no fix."""
    if generated == written:
        return new
    old_lines, file_lines = generated.split("\n"), written.split("\n")
    if len(old_lines) != len(file_lines) or old_lines[0] != file_lines[0]:
        return None
    indent = None
    for old, line in zip(old_lines[1:], file_lines[1:]):
        if not line.endswith(old) or line[: len(line) - len(old)].strip():
            return None
        extra = line[: len(line) - len(old)]
        if indent is None:
            indent = extra
        elif extra != indent:
            return None
    return "\n".join(line if i == 0 or not line else indent + line for i, line in enumerate(new.split("\n")))
