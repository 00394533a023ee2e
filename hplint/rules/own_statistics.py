"""HPL406, fill form: the test part's gaps filled with the test part's own statistics
(`X_test.fillna(X_test.mean())`). The fill is a fit of a mean imputer on the test rows, written
without an imputer, so the data flow has no fit event for it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from hplint.analysis.lineage import TEST
from hplint.analysis.values import literal_text
from hplint.analysis.walk import walk  # as node.visit(v), without rebuilding the tree

if TYPE_CHECKING:
    from hplint.context import FileContext

# Column statistics a fill value can be computed from (`df.mean()`, `df["age"].median()`).
FILL_STATISTICS = frozenset({"mean", "median", "mode", "min", "max", "quantile", "std"})


class _Fills(cst.CSTVisitor):
    def __init__(self) -> None:
        self.fills: list[tuple[cst.Call, cst.BaseExpression, cst.Call]] = []

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "fillna" and node.args):
            return
        value = node.args[0].value if node.args[0].keyword is None else None
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "value":
                value = arg.value
        while isinstance(value, cst.Subscript):  # `X_test.mode().iloc[0]`, `...mode()[0]`
            value = value.value
            if isinstance(value, cst.Attribute) and value.attr.value in ("iloc", "loc"):
                value = value.value
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) \
                and value.func.attr.value in FILL_STATISTICS:
            self.fills.append((node, func.value, value))


def _root(node) -> str:
    while isinstance(node, (cst.Subscript, cst.Attribute)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else ""


def own_statistic_fills(ctx: "FileContext") -> Iterator[tuple[cst.Call, cst.Call, object]]:
    """(fillna call, statistic call, receiver value) where the receiver is the test part of a
    split (by what the code does, not a file named test) and the statistic is computed on the
    same test frame."""
    visitor = _Fills()
    walk(ctx.module, visitor)
    for call, receiver, statistic in visitor.fills:
        value = ctx.dataflow.value_of(receiver)
        if value is None or value.kind != TEST or not value.is_test or value.evidence == "path":
            continue
        if not _root(receiver) or _root(receiver) != _root(statistic.func.value):
            continue
        yield call, statistic, value


def statistic_text(statistic: cst.Call) -> str:
    return literal_text(statistic)
