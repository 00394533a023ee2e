"""Source positions for the few nodes that are reported.

libcst's PositionProvider records a range for every node of the tree, which costs about as much as
parsing. A file has a handful of findings, so this regenerates the code once, tracking only line and
column, and records ranges just for the requested nodes, plus the statement each one sits in (the
line where a `# noqa` for a multi-line statement goes).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst._nodes.internal import CodegenState

_STATEMENT_TYPES = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


@dataclass(frozen=True, slots=True)
class NodeRange:
    start_line: int  # 1-based
    start_column: int  # 0-based, code points
    end_line: int
    end_column: int
    statement_line: int  # first line of the innermost statement containing the node


class _TrackingState(CodegenState):
    """A codegen state that counts lines and columns and records ranges of target nodes."""

    def __init__(self, module: cst.Module, targets: set[cst.CSTNode]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.targets = targets
        self.line = 1
        self.column = 0
        self.open: dict[int, tuple[int, int]] = {}
        self.ranges: dict[cst.CSTNode, NodeRange] = {}
        self.statement_lines: list[int] = []
        self.pending_statements: list[cst.CSTNode] = []

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self._advance(value)

    def pop_trailing_newline(self) -> None:
        pass

    def _advance(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
            self.line += value.count("\n")
            self.column = len(value) - value.rfind("\n") - 1
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        if isinstance(node, _STATEMENT_TYPES):
            # The statement's own first line is known once its leading blank lines and comments
            # are written: `record_syntactic_position` fires there.
            self.statement_lines.append(-1)
            self.pending_statements.append(node)
        if node in self.targets:
            self.open[id(node)] = (self.line, self.column)

    def after_codegen(self, node: cst.CSTNode) -> None:
        if node in self.targets:
            start = self.open.pop(id(node), (self.line, self.column))
            if node not in self.ranges:
                statement_line = self._current_statement_line(start[0])
                self.ranges[node] = NodeRange(start[0], start[1], self.line, self.column, statement_line)
        if isinstance(node, _STATEMENT_TYPES):
            self.statement_lines.pop()
            self.pending_statements.pop()

    def _current_statement_line(self, fallback: int) -> int:
        for line in reversed(self.statement_lines):
            if line > 0:
                return line
        return fallback

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):  # type: ignore[override]
        return _SyntacticRecorder(self, node, start_node, end_node)


class _SyntacticRecorder:
    """Records where a statement starts once its leading lines are written; positions of targets
    that libcst reports syntactically (statements, decorators excluded) override the inclusive ones."""

    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _TrackingState, node, start_node, end_node) -> None:
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self) -> None:
        state = self.state
        self.start = (state.line, state.column)
        if state.pending_statements and state.pending_statements[-1] is self.node:
            state.statement_lines[-1] = state.line
        if self.node in state.targets:
            # The syntactic range of a target borrows the bounds of these children: track them too.
            for child in (self.start_node, self.end_node):
                if child is not None and child not in state.targets:
                    state.targets.add(child)

    def __exit__(self, *exc) -> None:
        state = self.state
        if self.node in state.targets:
            start = self.start
            if self.start_node is not None and self.start_node in state.ranges:
                rng = state.ranges[self.start_node]
                start = (rng.start_line, rng.start_column)
            end = (state.line, state.column)
            if self.end_node is not None and self.end_node in state.ranges:
                rng = state.ranges[self.end_node]
                end = (rng.end_line, rng.end_column)
            statement_line = state._current_statement_line(start[0])
            state.ranges[self.node] = NodeRange(start[0], start[1], end[0], end[1], statement_line)
        return None


def node_ranges(module: cst.Module, nodes: set[cst.CSTNode]) -> dict[cst.CSTNode, NodeRange]:
    """Ranges of `nodes` (which must belong to `module`), in one code generation pass."""
    if not nodes:
        return {}
    state = _TrackingState(module, set(nodes))
    module._codegen(state)
    return state.ranges
