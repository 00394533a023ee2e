"""Whether a file keeps each series whole: it builds features series by series and every split
that trains and scores a model is grouped.

Series by series means rows are taken per key, either by an equality filter on a column inside a
loop over that column's unique values (`for phone in df["phone"].unique(): df[df["phone"] ==
phone]`) or by a `groupby(...)` chained straight into a time-dependent method
(`df.groupby("track").x.bfill()`, `.shift(...)`, `.interpolate()`, `.transform(...)`). Grouped
means a group-aware splitter (`GroupKFold`, `GroupShuffleSplit`, `LeaveOneGroupOut` ...) for
every split and every `cv=` of the file. Then a value a feature takes from later rows of its
series stays in the series' fold: the later rows never cross from test into training (HPL412)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from hplint.analysis.values import literal_text
from hplint.analysis.walk import walk

if TYPE_CHECKING:
    from hplint.context import FileContext

# Methods whose values depend on a row's neighbours: chained on a groupby they run per series.
_PER_SERIES_METHODS = frozenset({"shift", "diff", "bfill", "backfill", "ffill", "fillna", "interpolate",
                                 "rolling", "transform", "apply", "pct_change"})


def keeps_series_whole(ctx: "FileContext") -> bool:
    def compute() -> bool:
        return _all_splits_grouped(ctx) and _builds_per_series(ctx.module)

    return ctx.shared("series kept whole", compute)


def _group_aware(obj) -> bool:
    return obj is not None and obj.api is not None and "group_aware" in obj.api.tags


def _all_splits_grouped(ctx: "FileContext") -> bool:
    flow = ctx.dataflow
    if not flow.splits:
        return False
    if any(split.method != "kfold" or not _group_aware(split.splitter) for split in flow.splits):
        return False
    for event in flow.evaluations:
        if event.role != "cv":
            continue
        site = ctx.semantic.call_by_node.get(event.node)
        cv = site.keyword("cv") if site is not None else None
        value = flow.value_of(cv.value) if cv is not None else None
        if value is None or not _group_aware(value.obj):
            return False
    return True


def _unique_column(node: cst.BaseExpression) -> str | None:
    """`df["phone"].unique()` / `df.phone.unique()` -> the text of `df["phone"]`."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "unique":
        return literal_text(node.func.value)
    return None


class _Finder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False
        self._loops: list[tuple[str, str]] = []  # (loop variable, column text) of `.unique()` loops

    def visit_For(self, node: cst.For) -> None:
        column = _unique_column(node.iter)
        if column is not None and isinstance(node.target, cst.Name):
            self._loops.append((node.target.value, column))

    def leave_For(self, original_node: cst.For) -> None:
        if self._loops and _unique_column(original_node.iter) is not None \
                and isinstance(original_node.target, cst.Name):
            self._loops.pop()

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) != 1 or not isinstance(node.comparisons[0].operator, cst.Equal):
            return
        left, right = literal_text(node.left), literal_text(node.comparisons[0].comparator)
        if any((left, right) in ((column, name), (name, column)) for name, column in self._loops):
            self.found = True

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _PER_SERIES_METHODS:
            return
        inner = func.value
        while isinstance(inner, (cst.Attribute, cst.Subscript)):
            inner = inner.value  # `df.groupby("k")["x"].shift(1)`, `df.groupby("k").x.bfill()`
        if isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute) and inner.func.attr.value == "groupby":
            self.found = True


def _builds_per_series(module: cst.Module) -> bool:
    finder = _Finder()
    walk(module, finder)
    return finder.found
