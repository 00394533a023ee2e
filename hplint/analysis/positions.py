"""Source positions for the few nodes that are reported.

libcst's PositionProvider records a range for every node of the tree, which costs about as much as
parsing. A file has a handful of findings, so this regenerates the code once, tracking only line and
column, and records ranges just for the requested nodes, plus the statement each one sits in (the
line where a `# noqa` for a multi-line statement goes).

Even one code generation pass costs as much as the rest of the analysis, so only the top-level
statements that contain a requested node are regenerated: where each top-level statement starts
is read from CPython's parser (`ast`, a fraction of the cost), and generation stops as soon as every
requested node is placed. When the two parsers disagree, the whole module is regenerated.

In the server, a document's re-lints reuse the statement nodes that an edit did not touch
(hplint/incremental.py), so `node_ranges` can also keep, per top-level statement, the ranges of
its nodes counted from the statement's first line (`StatementRanges`): an unchanged statement is
not generated again, its ranges are shifted to the line it now starts on, and the statement
starts come from where the incremental parse cut the text.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from typing import Sequence

import libcst as cst
from libcst._nodes.internal import CodegenState

from hplint.analysis.walk import TRIVIA, child_fields

_STATEMENT_TYPES = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
# node type -> whether it is a statement. isinstance on libcst's abstract base classes goes through
# ABCMeta.__instancecheck__ (a Python-level call), and every generated node is tested twice.
_IS_STATEMENT: dict[type, bool] = {}


def _is_statement(node_type: type) -> bool:
    known = _IS_STATEMENT.get(node_type)
    if known is None:
        known = _IS_STATEMENT[node_type] = issubclass(node_type, _STATEMENT_TYPES)
    return known


@dataclass(frozen=True, slots=True)
class NodeRange:
    start_line: int  # 1-based
    start_column: int  # 0-based, code points
    end_line: int
    end_column: int
    statement_line: int  # first line of the innermost statement containing the node


class _AllPlaced(Exception):
    """Every requested node has its range: the rest of the code need not be generated."""


class _TrackingState(CodegenState):
    """A codegen state that counts lines and columns and records ranges of target nodes."""

    def __init__(self, module: cst.Module, targets: set[cst.CSTNode]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        # Ids, not nodes: a node's __hash__ is a Python function, and every generated node is tested.
        self.target_ids = {id(node) for node in targets}
        self.line = 1
        self.column = 0
        self.open: dict[int, tuple[int, int]] = {}
        self.ranges: dict[cst.CSTNode, NodeRange] = {}
        self.statement_lines: list[int] = []
        self.pending_statements: list[cst.CSTNode] = []
        self.unplaced = len(targets)
        self.stop_when_placed = True
        # The text written while a statement's round trip is checked (None: not checked).
        self.written: list[str] | None = None

    def add_target(self, node: cst.CSTNode) -> None:
        if id(node) not in self.target_ids:
            self.target_ids.add(id(node))
            self.unplaced += 1

    def place(self, node: cst.CSTNode, rng: "NodeRange") -> None:
        if node not in self.ranges:
            self.unplaced -= 1
        self.ranges[node] = rng
        if self.unplaced <= 0 and self.stop_when_placed:
            raise _AllPlaced

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self._advance(value)

    def pop_trailing_newline(self) -> None:
        pass

    def _advance(self, value: str) -> None:
        if self.written is not None:
            self.written.append(value)
        if "\n" in value or "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
            self.line += value.count("\n")
            self.column = len(value) - value.rfind("\n") - 1
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        is_statement = _IS_STATEMENT.get(type(node))
        if is_statement is None:
            is_statement = _is_statement(type(node))
        if is_statement:
            # The statement's own first line is known once its leading blank lines and comments
            # are written: `record_syntactic_position` fires there.
            self.statement_lines.append(-1)
            self.pending_statements.append(node)
        if id(node) in self.target_ids:
            self.open[id(node)] = (self.line, self.column)

    def after_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.target_ids:
            start = self.open.pop(id(node), (self.line, self.column))
            if node not in self.ranges:
                statement_line = self._current_statement_line(start[0])
                self.place(node, NodeRange(start[0], start[1], self.line, self.column, statement_line))
        if _IS_STATEMENT[type(node)]:  # filled by before_codegen
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
        if id(self.node) in state.target_ids:
            # The syntactic range of a target borrows the bounds of these children: track them too.
            for child in (self.start_node, self.end_node):
                if child is not None:
                    state.add_target(child)

    def __exit__(self, *exc) -> None:
        state = self.state
        if id(self.node) in state.target_ids:
            start = self.start
            if self.start_node is not None and self.start_node in state.ranges:
                rng = state.ranges[self.start_node]
                start = (rng.start_line, rng.start_column)
            end = (state.line, state.column)
            if self.end_node is not None and self.end_node in state.ranges:
                rng = state.ranges[self.end_node]
                end = (rng.end_line, rng.end_column)
            statement_line = state._current_statement_line(start[0])
            state.place(self.node, NodeRange(start[0], start[1], end[0], end[1], statement_line))
        return None


# id(top-level statement) -> (the statement, ranges of its nodes counted from its first line as
# line 1, the line its code generation ends on): positions that survive an edit elsewhere.
StatementRanges = dict[int, tuple[cst.CSTNode, dict[cst.CSTNode, "NodeRange"], int]]


@dataclass(slots=True)
class Placement:
    ranges: dict[cst.CSTNode, NodeRange]
    # Ids of the `checked` nodes whose top-level statement libcst writes back exactly as the text
    # has it (the lines from its start to the next statement's); None when this was not learnt
    # (the whole module was generated, or the server's cache was used).
    written_back: set[int] | None = None


def node_ranges(
    module: cst.Module,
    nodes: set[cst.CSTNode],
    text: str | None = None,
    top_level: dict[int, int] | None = None,
    cache: StatementRanges | None = None,
) -> dict[cst.CSTNode, NodeRange]:
    """Ranges of `nodes` (which must belong to `module`); see `placed_ranges`."""
    return placed_ranges(module, nodes, text, top_level, cache).ranges


def placed_ranges(
    module: cst.Module,
    nodes: set[cst.CSTNode],
    text: str | None = None,
    top_level: dict[int, int] | None = None,
    cache: StatementRanges | None = None,
    checked: set[cst.CSTNode] | None = None,
) -> Placement:
    """Ranges of `nodes` (which must belong to `module`). Given `text`, the source `module` was
    parsed from, only the top-level statements holding the nodes are regenerated; `top_level`
    (SemanticModel.top_level_statement) says which statements those are without a search.

    `checked` (a subset of `nodes`: the nodes fixes replace): the statements holding them are
    generated to their end and their text compared with the file's, which tells which of them
    round-trip at no extra code generation (`Placement.written_back`).

    `cache` (the server's, per document) keeps each regenerated statement's ranges relative to
    its first line: a statement the next parse reuses (hplint/incremental.py) is not generated
    again, its ranges are shifted to where it now starts."""
    if not nodes:
        return Placement({}, set() if checked is not None else None)
    targets = set(nodes)
    if text is not None and module not in targets:
        if cache is not None and top_level:
            ranges = _cached_ranges_by_statement(module, text, targets, top_level, cache)
            if ranges is not None:
                return Placement(ranges)
        placement = _ranges_by_statement(module, text, targets, top_level, checked)
        if placement is not None:
            return placement
    state = _TrackingState(module, targets)
    try:
        module._codegen(state)
    except _AllPlaced:
        pass
    return Placement(state.ranges)


def _ranges_by_statement(
    module: cst.Module,
    text: str,
    targets: set[cst.CSTNode],
    top_level: dict[int, int] | None,
    checked: set[cst.CSTNode] | None,
) -> Placement | None:
    """Regenerate only the top-level statements holding a target, each from its first line.
    None when those lines cannot be trusted (then the caller regenerates everything)."""
    body = module.body
    if len(body) < 2:
        return None
    indices = [top_level.get(id(node), -1) for node in targets] if top_level else [-1]
    wanted = sorted(set(indices)) if min(indices) >= 0 else _statements_holding(body, targets)
    if not wanted:
        return None
    starts = _statement_starts(module, text)
    if starts is None:
        return None
    # The statements whose round trip is checked: those holding a checked node (all the
    # generated ones when the statement of some node is not known).
    check: set[int] = set()
    if checked:
        of_checked = [top_level.get(id(node), -1) for node in checked] if top_level else [-1]
        check = set(of_checked) if min(of_checked) >= 0 else set(wanted)
    padded = text if text.endswith("\n") else text + "\n"  # libcst drops a missing last line end at the very end
    offsets: list[int] | None = None
    failed: set[int] = set()
    state = _TrackingState(module, targets)
    for index in wanted:
        state.line, state.column = starts[index], 0
        checking = index in check
        state.stop_when_placed = index == wanted[-1] and not checking
        state.written = [] if checking else None
        try:
            body[index]._codegen(state)
        except _AllPlaced:
            break
        # Code generation is contiguous: a statement ends where the next one starts. Anything
        # else means CPython and libcst disagree about this file's lines.
        if index + 1 < len(starts) and (state.line, state.column) != (starts[index + 1], 0):
            return None
        if checking:
            if offsets is None:
                offsets = _line_offsets(padded)
            end = state.line - 1
            if state.column or end >= len(offsets) or "".join(state.written) != padded[offsets[starts[index] - 1] : offsets[end]]:
                failed.add(index)
    written_back = None
    if checked is not None:
        if top_level and all(top_level.get(id(node), -1) >= 0 for node in checked):
            written_back = {id(node) for node in checked if top_level[id(node)] not in failed}
        else:
            written_back = set() if failed else {id(node) for node in checked}
    return Placement(state.ranges, written_back)


def _line_offsets(text: str) -> list[int]:
    """The offset where each line of `text` (which ends with a line end) starts, and len(text)
    for the line after the last."""
    offsets = [0]
    position = text.find("\n")
    while position != -1:
        offsets.append(position + 1)
        position = text.find("\n", position + 1)
    return offsets


def _cached_ranges_by_statement(
    module: cst.Module, text: str, targets: set[cst.CSTNode], top_level: dict[int, int], cache: StatementRanges
) -> dict[cst.CSTNode, NodeRange] | None:
    """`_ranges_by_statement` through `cache`: each statement holding a target is generated
    alone from line 1, once for the targets it holds, and its ranges shifted to its start."""
    body = module.body
    groups: dict[int, set[cst.CSTNode]] = {}
    for node in targets:
        index = top_level.get(id(node), -1)
        if index < 0 or len(body) < 2:
            return None
        groups.setdefault(index, set()).add(node)
    starts = _statement_starts(module, text)
    if starts is None:
        return None
    ranges: dict[cst.CSTNode, NodeRange] = {}
    for index in sorted(groups):
        statement, wanted = body[index], groups[index]
        entry = cache.get(id(statement))
        if entry is None or entry[0] is not statement or not wanted.issubset(entry[1].keys()):
            known = entry[1].keys() if entry is not None and entry[0] is statement else ()
            state = _TrackingState(module, wanted | set(known))
            state.stop_when_placed = False
            statement._codegen(state)
            if state.column != 0:
                return None
            entry = cache[id(statement)] = (statement, state.ranges, state.line)
        shift = starts[index] - 1
        # Code generation is contiguous: a statement ends where the next one starts. Anything
        # else means CPython and libcst disagree about this file's lines.
        if index + 1 < len(starts) and entry[2] + shift != starts[index + 1]:
            return None
        known = entry[1]
        for node in wanted:
            rng = known[node]
            ranges[node] = NodeRange(
                rng.start_line + shift, rng.start_column, rng.end_line + shift, rng.end_column, rng.statement_line + shift
            )
    return ranges


def _statements_holding(body: "Sequence[cst.BaseStatement]", targets: set[cst.CSTNode]) -> list[int]:
    """Indices of the top-level statements that contain at least one of `targets`."""
    skip = frozenset() if any(type(node) in TRIVIA for node in targets) else TRIVIA
    remaining = {id(node) for node in targets}  # ids: a node's __hash__ is a Python function
    wanted = []
    for index, statement in enumerate(body):
        stack: list[cst.CSTNode] = [statement]
        found = False
        while stack and remaining:
            node = stack.pop()
            if id(node) in remaining:
                remaining.discard(id(node))
                found = True
            for name in child_fields(node):
                value = getattr(node, name)
                if isinstance(value, cst.CSTNode):
                    if type(value) not in skip:
                        stack.append(value)
                elif isinstance(value, (tuple, list)):
                    stack.extend(child for child in value if type(child) not in skip)
        if found:
            wanted.append(index)
        if not remaining:
            break
    return wanted


# The last module's statement starts: rules ask for positions several times per file.
_last_starts: tuple[cst.Module | None, list[int] | None] = (None, None)


def remember_statement_starts(module: cst.Module, starts: list[int]) -> None:
    """Statement starts known without a scan (the server's incremental parse cut the text there)."""
    global _last_starts
    _last_starts = (module, starts)


def _statement_starts(module: cst.Module, text: str) -> list[int] | None:
    """The line where the code of each top-level statement begins (its leading blank and comment
    lines included), from CPython's parser; None if the two parsers do not pair up."""
    global _last_starts
    last = _last_starts  # one read: the server lints two documents in two threads
    if last[0] is module:
        return last[1]
    starts = _compute_statement_starts(module, text)
    _last_starts = (module, starts)
    return starts


def _compute_statement_starts(module: cst.Module, text: str) -> list[int] | None:
    if "\r" in text:
        return None  # old Mac line ends: leave line counting to libcst alone
    scanned = _scanned_statement_starts(module, text)
    return scanned if scanned is not None else _parsed_statement_starts(module, text)


# The keyword a top-level statement of each type starts with (`@` for a decorator).
_FIRST_WORDS: dict[type, frozenset[str]] = {
    cst.If: frozenset({"if"}),
    cst.For: frozenset({"for", "async"}),
    cst.While: frozenset({"while"}),
    cst.Try: frozenset({"try"}),
    cst.TryStar: frozenset({"try"}),
    cst.With: frozenset({"with", "async"}),
    cst.FunctionDef: frozenset({"def", "async", "@"}),
    cst.ClassDef: frozenset({"class", "@"}),
    cst.Match: frozenset({"match"}),
}
_COMPOUND_WORDS = frozenset({"if", "for", "while", "try", "with", "def", "class", "async", "@"})
# Clauses that continue the compound statement above them at the same indentation.
_CLAUSE_WORDS = frozenset({"else", "elif", "except", "finally"})
_FIRST_WORD = re.compile(r"@|[^\W\d]\w*")


def _scanned_statement_starts(module: cst.Module, text: str) -> list[int] | None:
    """Statement starts from a scan of the text's lines (several times cheaper than `ast.parse`):
    a top-level statement begins on a line that starts in column 0 outside brackets, strings and
    backslash continuations, and is neither a comment, a clause (`else:`, `except ...:`) nor the
    `def`/`class` line under a decorator. Trusted only when the lines found pair up one to one
    with libcst's statements and each line starts with its statement's keyword; else None."""
    from hplint.source import _LineScanner

    body = module.body
    firsts: list[tuple[int, str]] = []  # (line, first word) of each top-level statement
    scanner = _LineScanner()
    after_decorator = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not scanner.inside and line and line[0] not in " \t\f#":
            match = _FIRST_WORD.match(line)
            word = match.group() if match else ""
            if word in _CLAUSE_WORDS or (after_decorator and word != "@"):
                after_decorator = False
            elif not (after_decorator and word == "@"):
                firsts.append((number, word))
                after_decorator = word == "@"
            if len(firsts) > len(body):
                return None
        scanner.feed(line)
    if len(firsts) != len(body):
        return None
    starts = []
    for statement, (line, word) in zip(body, firsts):
        expected = _FIRST_WORDS.get(type(statement))
        if expected is None:
            if word in _COMPOUND_WORDS or not isinstance(statement, cst.SimpleStatementLine):
                return None
        elif word not in expected:
            return None
        if word == "@":
            decorators = getattr(statement, "decorators", ())
            if not decorators:
                return None
            line -= len(decorators[0].leading_lines)
        starts.append(line - len(statement.leading_lines))
    return starts


def _parsed_statement_starts(module: cst.Module, text: str) -> list[int] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    statements = tree.body
    starts = []
    position = 0
    for statement in module.body:
        if position >= len(statements):
            return None
        first = statements[position]
        line = first.lineno
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.decorators:
            decorators = getattr(first, "decorator_list", None)
            if not decorators:
                return None
            line = decorators[0].lineno - len(statement.decorators[0].leading_lines)
        starts.append(line - len(statement.leading_lines))
        position += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return starts if position == len(statements) else None
