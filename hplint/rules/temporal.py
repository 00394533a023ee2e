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
    TARGET_NAMES,
    TARGET_WORDS,
    TIME_COLUMN_WORDS,
)
from hplint.analysis.lineage import name_kinds
from hplint.analysis.series import keeps_series_whole
from hplint.analysis.parts import HELD_OUT_PART, TRAIN_PART, named_parts
from hplint.analysis.syntax import row_slice, slice_base, string_parts
from hplint.analysis.values import literal_text, literal_value
from hplint.analysis.walk import children, walk
from hplint.knowledge.dataops import APPLY_FUNCTION_METHODS
from hplint.rules.base import Rule, register
from hplint.rules.leakage import _text, _where

if TYPE_CHECKING:
    from hplint.context import FileContext


def _keyword(call: cst.Call, name: str):
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _negative_int(node) -> bool:
    value = literal_value(node)
    return isinstance(value, int) and not isinstance(value, bool) and value < 0


class _Collector(cst.CSTVisitor):
    """Calls with an attribute callee, `frame["col"] = <call>` assignments, and string lists."""

    def __init__(self) -> None:
        self.calls: list[cst.Call] = []
        self.column_of: dict[cst.Call, str] = {}
        self.listed: set[str] = set()
        self.dropped: set[str] = set()
        self.functions: dict[str, cst.FunctionDef] = {}
        self.pending_keys: list[cst.BaseExpression] = []
        # (shift call, the transform/apply call it runs in, the assigned column's key)
        self.applied_shifts: list[tuple[cst.Call, cst.Call, cst.BaseExpression]] = []

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
                name = literal_value(index) if index is not None else None
                if isinstance(name, str):
                    self.column_of[node.value] = name

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        # `df[col] = df.groupby(k)[c].transform(lambda x: x.shift(-1))`: shifts inside functions
        # passed to transform/apply, with the column the result is assigned to.
        target = node.target
        if isinstance(target, cst.Subscript) and len(target.slice) == 1:
            key = getattr(target.slice[0].slice, "value", None)
            if key is not None:
                self.pending_keys.append(key)

    def leave_Assign(self, node: cst.Assign) -> None:
        keys, self.pending_keys = self.pending_keys, []
        if len(keys) != 1:
            return
        for applied, function in _applied_functions(node.value, self.functions):
            for shift in _shift_calls(function):
                self.applied_shifts.append((shift, applied, keys[0]))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.setdefault(node.name.value, node)

    def visit_List(self, node: cst.List) -> None:
        names: set[str] = set()
        self._strings(node, names)
        if len(names) >= 2:
            self.listed |= names

    @staticmethod
    def _strings(node, into: set[str]) -> None:
        if isinstance(node, (cst.List, cst.Tuple)):
            for element in node.elements:
                value = literal_value(element.value)
                if isinstance(value, str):
                    into.add(value)
        else:
            value = literal_value(node)
            if isinstance(value, str):
                into.add(value)


def _applied_functions(node, functions: dict) -> list[tuple[cst.Call, cst.CSTNode]]:
    """(`transform`/`apply` call, the lambda or file function it is given) inside `node`."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Call) and isinstance(current.func, cst.Attribute) \
                and current.func.attr.value in APPLY_FUNCTION_METHODS and current.args \
                and current.args[0].keyword is None:
            function = current.args[0].value
            if isinstance(function, cst.Lambda):
                found.append((current, function.body))
            elif isinstance(function, cst.Name) and function.value in functions:
                found.append((current, functions[function.value].body))
        stack.extend(children(current))
    return found


def _shift_calls(node) -> list[cst.Call]:
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Call) and isinstance(current.func, cst.Attribute) \
                and current.func.attr.value == "shift":
            found.append(current)
        stack.extend(children(current))
    return found


def _times_of_later_rows(node) -> str | None:
    """The time column a grouped transform runs on (`g.click_time`, `g["date"]`): shifted back, it
    holds the time of a later row."""
    name = _column_name(node)
    return name if name is not None and _name_has(name, TIME_COLUMN_WORDS) else None


def _column_name(node) -> str | None:
    """`frame.date` / `frame["date"]` -> "date"."""
    name = None
    if isinstance(node, cst.Attribute):
        name = node.attr.value
    elif isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = getattr(node.slice[0].slice, "value", None)
        name = literal_value(index) if index is not None else None
    return name if isinstance(name, str) else None


def _names_a_part(node) -> bool:
    """`train["x"]`, `X_test.col`: rows of one part of a split written by hand (`iloc[:n]`), which
    the lattice does not type; the name only ever silences, never makes a finding."""
    while isinstance(node, (cst.Subscript, cst.Attribute, cst.Call)):
        node = node.func if isinstance(node, cst.Call) else node.value
    return isinstance(node, cst.Name) and bool(name_kinds(node.value))


def _bound_strings(ctx: "FileContext", key) -> list[str]:
    """A column-name variable's name and the strings it is built from (`newname =
    "{}_gap".format(...)`): a variable `target_col` names a target."""
    if not isinstance(key, cst.Name):
        return []
    words = [key.value]
    bindings = ctx.semantic.bindings_of(key.value)
    value = bindings[0].value if len(bindings) == 1 else None
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
        words += string_parts(value.func.value)  # the template of `"{}_gap".format(...)`
    return words + (string_parts(value) if value is not None else [])


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
    columns, not named like a target), `shift(-k)` inside a lambda or a function of the file given
    to `transform`/`apply` (`df.groupby("user").click_time.transform(lambda x: x.diff().shift(-1))`:
    each row takes a later row of its group; the data is time ordered, or the grouped column is a
    time column, and the assigned column is not named like a target), `rolling(..., center=True)`,
    `bfill()`/`backfill()`,
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
        from sklearn.linear_model import Ridge
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("s.csv", parse_dates=["date"]).sort_values("date")
        df["smooth"] = df["sales"].rolling(7, center=True).mean()
        X_train, X_test, y_train, y_test = train_test_split(df[["smooth"]], df["y"], shuffle=False)
        print(Ridge(alpha=1.0).fit(X_train, y_train).score(X_test, y_test))
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        dataflow = ctx.dataflow
        if not dataflow.splits and not dataflow.evaluations:
            return  # no model is trained or scored on these rows: nothing is leaked
        if keeps_series_whole(ctx):
            return  # features per series, folds grouped: a series' later rows stay in its fold
        collector = _Collector()
        walk(ctx.module, collector)
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

        self._check_applied_shifts(ctx, collector)

    def _check_applied_shifts(self, ctx: "FileContext", collector: _Collector) -> None:
        """`shift(-k)` inside a function given to `transform`/`apply` (`df.groupby("id")[c]
        .transform(lambda x: x.shift(-1))`): each row takes a later row's value of its group."""
        for shift, applied, key in collector.applied_shifts:
            positional = [a.value for a in shift.args if a.keyword is None]
            periods = positional[0] if positional else _keyword(shift, "periods")
            if periods is None or not _negative_int(periods) or _keyword(shift, "freq") is not None:
                continue
            column = literal_value(key)
            words = [column] if isinstance(column, str) else string_parts(key) or _bound_strings(ctx, key)
            if not words or any(_target_like(w) for w in words) or column in collector.dropped:
                continue
            frame = applied.func.value
            value = ctx.dataflow.value_of(frame)
            if value is None or value.kind not in ("full", "unknown") or _names_a_part(frame):
                continue
            time_column = _times_of_later_rows(frame)
            if value.time_order is None and time_column is None:
                continue
            evidence = (f"data that is time ordered at {_where(ctx, value.time_order)} (`{_text(value.time_order)}`)"
                        if value.time_order is not None else f"the time column `{time_column}`")
            ctx.report(
                self,
                shift,
                f"`{_text(shift)}` inside `{applied.func.attr.value}` (assigned to column `{_text(key)}`) reads "
                f"{-literal_value(periods)} row(s) ahead on {evidence}: each row's feature takes a value from a later "
                "row, which the model will not have when it predicts",
                related=[("applied here", applied)] + ([("time order established here", value.time_order)]
                                                       if value.time_order is not None else []),
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
            return f"`{_text(call)}` (assigned to feature column `{column}`) reads {-literal_value(periods)} row(s) ahead"
        if method == "rolling":
            center = _keyword(call, "center")
            if center is None or literal_value(center) is not True:
                return None
            return f"`{_text(call)}` is a centred window: it averages rows after each row"
        if method == "fillna":
            fill = _keyword(call, "method")
            if fill is None or literal_value(fill) not in BACKWARD_FILL_ARGUMENTS:
                return None
        if method in BACKWARD_FILL_METHODS or method == "fillna":
            return f"`{_text(call)}` fills each gap with the next later value"
        if method == "interpolate":
            how = _keyword(call, "method")
            if how is not None and literal_value(how) in LOOK_BACK_INTERPOLATION:
                return None
            return f"`{_text(call)}` interpolates each gap towards the next later value, over all rows before the split"
        return None


def _name_has(name: str, words) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in words)


def _slice_side(node) -> str | None:
    """"later" for `x.iloc[k:]` / `x[k:]`, "earlier" for `x.iloc[:k]`; None otherwise."""
    parsed = row_slice(node)
    if parsed is None:
        return None
    _, _, lower, upper = parsed
    if lower is not None and upper is None:
        return "later"
    if upper is not None and lower is None:
        return "earlier"
    return None


def _comparison_side(node) -> tuple[str, str] | None:
    """("later"/"earlier", column) for `df[df.date >= cutoff]` / `df.loc[df["date"] < cutoff]`."""
    if not isinstance(node, cst.Subscript) or len(node.slice) != 1:
        return None
    test = getattr(node.slice[0].slice, "value", None)
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    name = _column_name(test.left)
    if name is None or not _name_has(name, TIME_COLUMN_WORDS):
        return None
    operator = test.comparisons[0].operator
    if isinstance(operator, (cst.GreaterThan, cst.GreaterThanEqual)):
        return "later", name
    if isinstance(operator, (cst.LessThan, cst.LessThanEqual)):
        return "earlier", name
    return None


def _descending(order) -> bool:
    if isinstance(order, cst.Call):
        ascending = _keyword(order, "ascending")
        return ascending is not None and literal_value(ascending) is False
    return False


@register
class ChronologicalSplitReversed(Rule):
    code = "HPL413"
    name = "chronological-split-reversed"
    summary = "A chronological split trains on the most recent rows and tests on older ones"
    severity = "warning"
    doc = """
    ## What it does
    Finds hand-written chronological splits taken backwards: the training part is the later
    rows and the test part the earlier rows of data ordered in time, either by a filter on a
    date/time column (`train = df[df.date >= cutoff]; test = df[df.date < cutoff]`) or by
    position on data sorted by date (`test = df.iloc[:n]; train = df.iloc[n:]`). The parts are
    told apart by their names (`train`, `test`/`valid`); a descending sort flips the order.

    ## Why is this bad?
    The model learns from the future and is scored on the past. Trends, drift and the values
    that follow each test row are all in the training data, so the score says nothing about
    how the model will do on rows that come after it.

    ## Example
    ```python
    df = df.sort_values("date")
    test = df.iloc[:cut]
    train = df.iloc[cut:]
    ```

    ## Use instead
    ```python
    train = df.iloc[:cut]
    test = df.iloc[cut:]
    ```
    """
    valid = (
        """
        df = pd.read_csv("s.csv").sort_values("date")
        train = df.iloc[:100]
        test = df.iloc[100:]
        """,
    )
    invalid = (
        """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("s.csv", parse_dates=["date"])
        train = df[df["date"] >= "2020-01-01"]
        test = df[df["date"] < "2020-01-01"]
        model = LogisticRegression(C=1.0).fit(train[["x"]], train["y"])
        print(model.score(test[["x"]], test["y"]))
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        parts = [p for p in named_parts(ctx) if isinstance(p.value, cst.Subscript)]
        trains = [(p.name, p.value, p.assign) for p in parts if p.role == TRAIN_PART]
        held = [(p.name, p.value, p.assign) for p in parts if p.role == HELD_OUT_PART]
        for train_name, train_sel, train_assign in trains:
            for test_name, test_sel, test_assign in held:
                if not _text(slice_base(train_sel)) or literal_text(slice_base(train_sel)) != literal_text(slice_base(test_sel)):
                    continue
                found = self._backwards(ctx, train_sel, test_sel)
                if found is None:
                    continue
                evidence, anchor = found
                ctx.report(
                    self,
                    train_assign,
                    f"`{train_name}` takes the later rows and `{test_name}` ({_where(ctx, test_assign)}) "
                    f"the earlier rows of `{literal_text(slice_base(train_sel))}`, {evidence}: the model trains on the "
                    "future and is tested on the past (swap the parts)",
                    related=[("test part taken here", test_assign)] + ([("time order established here", anchor)] if anchor is not None else []),
                )
                break

    @staticmethod
    def _backwards(ctx: "FileContext", train_sel, test_sel):
        train_cmp, test_cmp = _comparison_side(train_sel), _comparison_side(test_sel)
        if train_cmp and test_cmp:
            if train_cmp[0] == "later" and test_cmp[0] == "earlier" and train_cmp[1] == test_cmp[1]:
                return f"filtered on the time column `{train_cmp[1]}`", None
            return None
        train_side, test_side = _slice_side(train_sel), _slice_side(test_sel)
        if train_side is None or test_side is None or train_side == test_side:
            return None
        value = ctx.dataflow.value_of(slice_base(train_sel))
        if value is None or value.time_order is None:
            return None
        order = value.time_order
        if isinstance(order, cst.Call) and isinstance(order.func, cst.Attribute) and order.func.attr.value == "shift":
            return None  # lag features say the rows are in time, not which way they are sorted
        later = "earlier" if _descending(order) else "later"
        if train_side != later:
            return None
        return f"which is time ordered at {_where(ctx, order)} (`{_text(order)}`)", order
