"""Parts of a split written by hand, found by their names: every simple assignment (tuples
unpacked) of a name whose words say train, or say held out (test, validation), and not both, in
each statement list of the file. Shared by HPL410 (overlapping ranges and draws) and HPL413
(chronological split taken backwards), computed once per file (`named_parts(ctx)`). The words
are the data flow's (`lineage.name_kinds`). A name never makes a finding by itself: the rules
ask what the assigned expressions do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Sequence

import libcst as cst

from hplint.analysis.lineage import TEST, TRAIN, VALIDATION, name_kinds
from hplint.analysis.walk import walk

if TYPE_CHECKING:
    from hplint.context import FileContext

TRAIN_PART, HELD_OUT_PART = "train", "held_out"


@dataclass(frozen=True, slots=True, eq=False)
class NamedPart:
    name: str
    role: str  # TRAIN_PART or HELD_OUT_PART
    value: cst.BaseExpression  # the expression assigned to the name
    assign: cst.Assign
    statement: cst.CSTNode  # the statement line (or one-line suite) holding the assignment
    body: Sequence[cst.CSTNode]  # the statement list holding `statement`
    index: int  # position of `statement` in `body`


def part_role(name: str) -> str | None:
    kinds = name_kinds(name)
    is_train, is_held_out = TRAIN in kinds, bool(kinds & {TEST, VALIDATION})
    if is_train == is_held_out:
        return None
    return TRAIN_PART if is_train else HELD_OUT_PART


def named_parts(ctx: "FileContext") -> list[NamedPart]:
    """The file's named parts in source order."""
    def compute() -> list[NamedPart]:
        collector = _Collector()
        walk(ctx.module, collector)
        return collector.parts

    return ctx.shared("split parts by name", compute)


def assigned_between(part: NamedPart, other: NamedPart) -> set[str]:
    """Names assigned by the statements strictly between two parts of one body."""
    first, last = sorted((part.index, other.index))
    names: set[str] = set()
    for statement in part.body[first + 1: last]:
        names |= _assigned_names(statement)
    return names


class _Targets(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.found.update(_names(node.target))


def _assigned_names(statement: cst.CSTNode) -> set[str]:
    collector = _Targets()
    walk(statement, collector)
    return collector.found


def _names(node: cst.BaseExpression) -> Iterator[str]:
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            yield from _names(element.value)


class _Collector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.parts: list[NamedPart] = []
        self._bodies: list[tuple[Sequence[cst.CSTNode], dict[int, int]]] = []

    def _enter(self, body: Sequence[cst.CSTNode]) -> None:
        self._bodies.append((body, {id(s): i for i, s in enumerate(body)}))

    def visit_Module(self, node: cst.Module) -> None:
        self._enter(node.body)

    def leave_Module(self, node: cst.Module) -> None:
        self._bodies.pop()

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._enter(node.body)

    def leave_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._bodies.pop()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        body, positions = self._bodies[-1]
        self._add(node, body, positions[id(node)])

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._add(node, (node,), 0)  # `if x: train = df[:n]`: a body of its own

    def _add(self, statement, body, index: int) -> None:
        for small in statement.body:
            if not isinstance(small, cst.Assign) or len(small.targets) != 1:
                continue
            target, value = small.targets[0].target, small.value
            pairs = []
            if isinstance(target, cst.Name):
                pairs.append((target.value, value))
            elif isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) \
                    and len(target.elements) == len(value.elements):
                pairs += [(t.value.value, v.value) for t, v in zip(target.elements, value.elements)
                          if isinstance(t.value, cst.Name)]
            for name, expression in pairs:
                role = part_role(name)
                if role is not None:
                    self.parts.append(NamedPart(name, role, expression, small, statement, body, index))
