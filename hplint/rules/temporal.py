"""HPL412: features computed from future rows of time-ordered data.

The notion of "time ordered" is the data-flow lattice's `Value.time_order` (sorted by a date,
a date index, lag features), the same one HPL409 uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from hplint.knowledge.temporal import (
    BACKWARD_FILL_ARGUMENTS,
    BACKWARD_FILL_METHODS,
    LOOK_BACK_INTERPOLATION,
    PART_WORDS,
    TARGET_NAMES,
    TARGET_WORDS,
)
from hplint.rules.base import Rule, register
from hplint.rules.leakage import _text, _where

if TYPE_CHECKING:
    from hplint.context import FileContext


def _literal(node):
    from hplint.analysis.values import literal_value

    return literal_value(node)


def _keyword(call: cst.Call, name: str):
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _negative_int(node) -> bool:
    value = _literal(node)
    return isinstance(value, int) and not isinstance(value, bool) and value < 0


class _Collector(cst.CSTVisitor):
    """Calls with an attribute callee, `frame["col"] = <call>` assignments, and string lists."""

    def __init__(self) -> None:
        self.calls: list[cst.Call] = []
        self.column_of: dict[cst.Call, str] = {}
        self.listed: set[str] = set()
        self.dropped: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute):
            self.calls.append(node)
            if node.func.attr.value == "drop":
                for arg in node.args:
                    self._strings(arg.value, self.dropped)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.value, cst.Call):
            target = node.targets[0].target
            if isinstance(target, cst.Subscript) and len(target.slice) == 1:
                index = getattr(target.slice[0].slice, "value", None)
                name = _literal(index) if index is not None else None
                if isinstance(name, str):
                    self.column_of[node.value] = name

    def visit_List(self, node: cst.List) -> None:
        names: set[str] = set()
        self._strings(node, names)
        if len(names) >= 2:
            self.listed |= names

    @staticmethod
    def _strings(node, into: set[str]) -> None:
        if isinstance(node, (cst.List, cst.Tuple)):
            for element in node.elements:
                value = _literal(element.value)
                if isinstance(value, str):
                    into.add(value)
        else:
            value = _literal(node)
            if isinstance(value, str):
                into.add(value)


def _names_a_part(node) -> bool:
    """`train["x"]`, `X_test.col`: rows of one part of a split written by hand (`iloc[:n]`), which
    the lattice does not type; the name only ever silences, never makes a finding."""
    while isinstance(node, (cst.Subscript, cst.Attribute, cst.Call)):
        node = node.func if isinstance(node, cst.Call) else node.value
    name = node.value.lower() if isinstance(node, cst.Name) else ""
    return any(part in name for part in PART_WORDS)


def _target_like(name: str) -> bool:
    lowered = name.lower()
    return lowered in TARGET_NAMES or any(word in lowered for word in TARGET_WORDS)


@register
class FeatureFromTheFuture(Rule):
    code = "HPL412"
    name = "feature-from-the-future"
    summary = "A feature of time-ordered data is computed from later rows"
    severity = "warning"
    doc = """
    ## What it does
    Finds features of data the code treats as time ordered (parsed or sorted by a date or time
    column, a date index, lag features) that are computed from rows later in time:
    `shift(-k)` assigned to a column that is used as a feature (listed with other feature
    columns, not named like a target), `rolling(..., center=True)`, `bfill()`/`backfill()`,
    `fillna(method="bfill")`, and `interpolate()` (which fills each gap from the next valid
    value) applied to the data before it is split.

    ## Why is this bad?
    In production the future is not known. A feature that reads tomorrow's value (directly, or
    through a centred window, a backward fill or an interpolation towards the next observation)
    gives the model information it will never have, and in a chronological split the last
    training rows read values from the test period. Scores come out far better than reality.

    ## Example
    ```python
    df = pd.read_csv("sensor.csv", parse_dates=["time"], index_col="time").sort_index()
    df["smooth"] = df["reading"].rolling(window=12, center=True).mean()
    df["reading"] = df["reading"].bfill()
    ```

    ## Use instead
    ```python
    df["smooth"] = df["reading"].rolling(window=12).mean()  # trailing window
    df["reading"] = df["reading"].ffill()
    ```
    `shift(-k)` is fine for the target (what is to be predicted); `shift(k)` with `k > 0` makes lags.
    Interpolate after the split, within the training rows.
    """
    valid = (
        """
        import pandas as pd
        df = pd.read_csv("s.csv", parse_dates=["date"]).sort_values("date")
        df["lag_1"] = df["sales"].shift(1)
        df["target"] = df["sales"].shift(-1)
        df["smooth"] = df["sales"].rolling(7).mean()
        df["sales"] = df["sales"].ffill()
        """,
    )
    invalid = (
        """
        import pandas as pd
        df = pd.read_csv("s.csv", parse_dates=["date"]).sort_values("date")
        df["smooth"] = df["sales"].rolling(7, center=True).mean()
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        dataflow = ctx.dataflow
        if not dataflow.splits and not dataflow.evaluations:
            return  # no model is trained or scored on these rows: nothing is leaked
        collector = _Collector()
        ctx.module.visit(collector)
        for call in collector.calls:
            method = call.func.attr.value
            how = self._future(call, method, collector)
            if how is None:
                continue
            value = ctx.dataflow.value_of(call.func.value)
            if value is None or value.time_order is None or value.kind not in ("full", "unknown") \
                    or _names_a_part(call.func.value):
                continue  # already split: a fill within the training rows reads no test row
            ordered = value.time_order
            ctx.report(
                self,
                call,
                f"{how} on data that is time ordered at {_where(ctx, ordered)} (`{_text(ordered)}`): "
                "each row's feature takes a value from later rows, which the model will not have when it predicts",
                related=[("time order established here", ordered)],
            )

    @staticmethod
    def _future(call: cst.Call, method: str, collector: _Collector) -> str | None:
        positional = [a.value for a in call.args if a.keyword is None]
        if method == "shift":
            periods = positional[0] if positional else _keyword(call, "periods")
            if periods is None or not _negative_int(periods) or _keyword(call, "freq") is not None:
                return None
            column = collector.column_of.get(call)
            if column is None or _target_like(column) or column not in collector.listed \
                    or column in collector.dropped:
                return None
            return f"`{_text(call)}` (assigned to feature column `{column}`) reads {-_literal(periods)} row(s) ahead"
        if method == "rolling":
            center = _keyword(call, "center")
            if center is None or _literal(center) is not True:
                return None
            return f"`{_text(call)}` is a centred window: it averages rows after each row"
        if method in BACKWARD_FILL_METHODS:
            return f"`{_text(call)}` fills each gap with the next later value"
        if method == "fillna":
            fill = _keyword(call, "method")
            if fill is None or _literal(fill) not in BACKWARD_FILL_ARGUMENTS:
                return None
            return f"`{_text(call)}` fills each gap with the next later value"
        if method == "interpolate":
            how = _keyword(call, "method")
            if how is not None and _literal(how) in LOOK_BACK_INTERPOLATION:
                return None
            return f"`{_text(call)}` interpolates each gap towards the next later value, over all rows before the split"
        return None
