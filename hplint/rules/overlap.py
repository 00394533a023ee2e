"""HPL410: train and test share rows because the split was written by hand.

Scope-local and syntactic on purpose: it compares the right-hand sides of two assignments in the
same statement list (module, function or class body), one bound to a train-named variable and one
to a test-named variable, and only reports when the overlap is certain from the code alone
(literal bounds or the same length symbol plus constants, two `sample` draws from one frame, two
independent `choice` draws over the same population).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import libcst as cst

from hplint.analysis.lineage import MIXED, TEST, TRAIN, VALIDATION
from hplint.analysis.parts import HELD_OUT_PART, TRAIN_PART, NamedPart, assigned_between, named_parts
from hplint.analysis.syntax import row_slice
from hplint.analysis.values import literal_text
from hplint.analysis.walk import walk
from hplint.rules.base import Rule, register
from hplint.rules.leakage import _name, _text, _where

if TYPE_CHECKING:
    from hplint.analysis.events import EvalEvent
    from hplint.context import FileContext

_END = ("end", 0)


def _int(node: cst.BaseExpression) -> int | None:
    if isinstance(node, cst.Integer):
        return int(node.value, 0)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _int(node.expression)
        return -inner if inner is not None else None
    return None


def _bound(node: cst.BaseExpression | None, default: tuple) -> tuple | None:
    """(symbol, constant): `None`→default, `800`→(None, 800), `n+k`→("n", k); else None."""
    if node is None:
        return default
    value = _int(node)
    if value is not None:
        return None if value < 0 else (None, value)
    if isinstance(node, cst.Name):
        return (node.value, 0)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.left, cst.Name):
        k = _int(node.right)
        if k is not None and isinstance(node.operator, (cst.Add, cst.Subtract)):
            return (node.left.value, k if isinstance(node.operator, cst.Add) else -k)
    return None


def _less(a: tuple, b: tuple) -> bool | None:
    """a < b, or None when the code does not say."""
    if b == _END:
        return a != _END
    if a == _END:
        return False
    if a[0] == b[0]:
        return a[1] < b[1]
    if a == (None, 0) and b[1] >= 0:
        return True  # a length symbol is positive
    return None


def _row_range(node: cst.BaseExpression) -> tuple[str, tuple, tuple] | None:
    """`X[a:b]`, `df.iloc[a:b]` → (base code, start, stop); label slices (`loc`) are inclusive and
    not positions: left alone."""
    parsed = row_slice(node)
    if parsed is None or parsed[1] == "loc":
        return None
    base, _, lower, upper = parsed
    if not isinstance(base, (cst.Name, cst.Attribute, cst.Subscript)):
        return None
    start, stop = _bound(lower, (None, 0)), _bound(upper, _END)
    if start is None or stop is None:
        return None
    return literal_text(base), start, stop


def _draw(node: cst.BaseExpression, resolve) -> tuple[str, str] | None:
    """`df.sample(...)` → ("sample", "df"); `rng.choice(N, ...)` → ("choice", "N");
    `random.sample(files, k)` → ("population", "files"): the stdlib form draws from its first
    argument, not from its receiver (two draws from two listings are not one frame sampled twice)."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    attr = node.func.attr.value
    positional = [a for a in node.args if a.keyword is None and not a.star]
    if attr == "sample" and (resolve(node.func) == "random.sample" or len(positional) >= 2):
        # `random.sample(population, k)`, also `rng.sample(...)` of a `random.Random`: a frame's
        # `.sample` takes its row count alone positionally
        return ("population", literal_text(positional[0].value)) if positional else None
    if attr == "sample" and isinstance(node.func.value, cst.Name):
        if any(a.keyword and a.keyword.value == "replace" for a in node.args):
            return None  # bootstraps are another matter
        return "sample", node.func.value.value
    if attr == "choice" and node.args and node.args[0].keyword is None:
        return "choice", literal_text(node.args[0].value)
    return None


def _fmt(bound: tuple) -> str:
    if bound == _END:
        return "end"
    symbol, k = bound
    if symbol is None:
        return str(k)
    return symbol if k == 0 else f"{symbol}{k:+d}"


@register
class TrainTestRowsOverlap(Rule):
    code = "HPL410"
    name = "train-test-rows-overlap"
    summary = "A hand-made split puts the same rows in train and test"
    severity = "error"
    doc = """
    ## What it does
    Finds splits written by hand whose train and test parts share rows: slices or `iloc` ranges
    of one array or frame that overlap (`df.iloc[:1000]` and `df.iloc[800:]`, `X[:n+k]` and
    `X[n:]`), two independent `df.sample(...)` draws from the same frame, and two independent
    `choice(...)` draws of row indices over the same population. Only train- and test-named
    variables (`train`, `X_train`, `test_df`, `val_idx` ...) assigned in the same body are compared,
    and only bounds the code states (integer literals, or one length symbol plus constants).
    Also sliding windows whose stride is shorter than the window (`[s[i:i + 30] for i in
    range(0, n, 5)]`, or windows appended in such a loop, also inside a helper that returns them)
    split with shuffling (`train_test_split`'s default, `KFold(shuffle=True)`, `ShuffleSplit`):
    neighbouring windows share rows and land on both sides. Window and stride must be integers
    the code states; a chronological split (`shuffle=False`, `TimeSeriesSplit`) is not reported.

    ## Why is this bad?
    Rows that are in both parts are scored after the model has seen them: the test score is
    inflated by memorisation, and hyperparameters chosen on it favour overfitting.

    ## Example
    ```python
    train = df.iloc[:1000]
    test = df.iloc[800:]
    ```

    ## Use instead
    ```python
    train = df.iloc[:800]
    test = df.iloc[800:]
    # or: train = df.sample(frac=0.8, random_state=0); test = df.drop(train.index)
    # or: order = rng.permutation(len(X)); train_idx, test_idx = order[:800], order[800:]
    ```
    """
    valid = (
        """
        import pandas as pd
        from sklearn.tree import DecisionTreeClassifier
        df = pd.read_csv("data.csv")
        n = 800
        train = df.iloc[:n]
        test = df.iloc[n:]
        tree = DecisionTreeClassifier(max_depth=5).fit(train.drop(columns="y"), train["y"])
        print(tree.score(test.drop(columns="y"), test["y"]))
        """,
        """
        import pandas as pd
        from sklearn.tree import DecisionTreeClassifier
        df = pd.read_csv("data.csv")
        train = df.sample(frac=0.8, random_state=1)
        test = df.drop(train.index)
        tree = DecisionTreeClassifier(max_depth=5).fit(train.drop(columns="y"), train["y"])
        print(tree.score(test.drop(columns="y"), test["y"]))
        """,
    )
    invalid = (
        """
        import pandas as pd
        from sklearn.tree import DecisionTreeClassifier
        df = pd.read_csv("data.csv")
        train = df.iloc[:1000]
        test = df.iloc[800:]
        tree = DecisionTreeClassifier(max_depth=5).fit(train.drop(columns="y"), train["y"])
        print(tree.score(test.drop(columns="y"), test["y"]))
        """,
        """
        import pandas as pd
        from sklearn.tree import DecisionTreeClassifier
        df = pd.read_csv("data.csv")
        train = df.sample(frac=0.8, random_state=1)
        test = df.sample(frac=0.2, random_state=2)
        tree = DecisionTreeClassifier(max_depth=5).fit(train.drop(columns="y"), train["y"])
        print(tree.score(test.drop(columns="y"), test["y"]))
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        by_body: dict[int, list[NamedPart]] = {}
        for part in named_parts(ctx):
            by_body.setdefault(id(part.body), []).append(part)
        for parts in by_body.values():
            self._check_body(ctx, parts)
        from hplint.rules.windows import overlapping_window_splits  # leak-forms: sliding windows

        for split, windows, name, how in overlapping_window_splits(ctx):
            shared = windows.window - windows.stride
            window = _stated(windows.window, windows.window_text)
            stride = _stated(windows.stride, windows.stride_text)
            parts = "train and validation folds" if split.method == "kfold" else "train and test"
            held = "validation" if split.method == "kfold" else "test"
            ctx.report(
                self,
                split.line_node,
                f"`{name}` holds windows of {window} rows, one every {stride} rows, taken at "
                f"{_where(ctx, windows.node)}, and {how} them into {parts}: each {held} window shares "
                f"{shared} rows with its neighbours in training (split the series in time first, or use a "
                "stride of at least the window)",
                related=[("overlapping windows taken here", windows.node)],
            )

    def _check_body(self, ctx: "FileContext", parts: list[NamedPart]) -> None:
        trains = [p for p in parts if p.role == TRAIN_PART]
        tests = [p for p in parts if p.role == HELD_OUT_PART]
        reported: set = set()
        for train in trains:
            for test in tests:
                key = (id(train.statement), id(test.statement))
                if key in reported:
                    continue
                message = self._overlap(train, test, ctx.semantic.resolve)
                if message is None:
                    continue
                reported.add(key)
                later, earlier = (test, train) if test.index >= train.index else (train, test)
                ctx.report(
                    self,
                    later.statement,
                    message.format(train=f"`{train.name}` ({ctx.where(train.statement)})",
                                   test=f"`{test.name}` ({ctx.where(test.statement)})"),
                    related=[(f"`{earlier.name}` is drawn here", earlier.statement)],
                )

    def _overlap(self, train: NamedPart, test: NamedPart, resolve) -> str | None:
        ranges = _row_range(train.value), _row_range(test.value)
        if ranges[0] and ranges[1]:
            (base_a, a, b), (base_c, c, d) = ranges
            if base_a != base_c or _base_rebound(base_a, train, test):
                return None
            if _less(c, b) is True and _less(a, d) is True:
                low = a if _less(c, a) else c
                high = b if _less(b, d) else d
                joint = "-" if low[0] is None and high[0] is None else " to "
                return (f"rows {_fmt(low)}{joint}{_fmt(high)} of `{base_a}` are in both "
                        "{train} and {test}: make the ranges meet at one bound")
            return None
        draws = _draw(train.value, resolve), _draw(test.value, resolve)
        if draws[0] and draws[0] == draws[1]:
            kind, population = draws[0]
            if _base_rebound(population, train, test):
                return None
            if kind == "population":
                return (f"{{train}} and {{test}} are two independent `sample({population}, ...)` draws, "
                        "so they share items: shuffle once and cut the list into two parts")
            if kind == "sample":
                return (f"{{train}} and {{test}} are two independent `{population}.sample(...)` draws, "
                        f"so they share rows: take the test rows as `{population}.drop(train.index)`")
            return (f"{{train}} and {{test}} are two independent `choice({population}, ...)` draws, "
                    "so they share indices: cut one `permutation` into two parts")
        return None


def _stated(number: int, text: str) -> str:
    return text if text == str(number) else f"{number} (`{text}`)"


def _base_rebound(base: str, train: NamedPart, test: NamedPart) -> bool:
    root = re.match(r"[A-Za-z_][A-Za-z_0-9]*", base)
    return bool(root) and root.group(0) in assigned_between(train, test)


# --- HPL406 (fit-on-test), the stacked shape: `np.vstack([X_train, X_test])` / `pd.concat([train,
# test])` fitted on, where the test part is labelled (the held-out part of a split, or data loaded
# as the test split) and is then scored with its labels: by the model fitted on the stack, or by a
# model reading the output of a transformer fitted on it. Called from `FitOnTest.check`. A file
# named test is a competition's unlabelled test set: stacking its features in (transductive
# preprocessing) scores nothing with its labels; HPL403 speaks of that. A final refit on all rows
# with no score after it is fine.
_STACKS = frozenset({"vstack", "concatenate", "concat", "row_stack"})
_TRANSFORMER_ROLES = frozenset({"preprocessor", "feature_selector"})


class _Stacks(cst.CSTVisitor):
    def __init__(self) -> None:
        self.stacks: list[tuple[cst.Call, tuple[cst.BaseExpression, ...]]] = []

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        if name in _STACKS and node.args and isinstance(node.args[0].value, (cst.List, cst.Tuple)):
            self.stacks.append((node, tuple(e.value for e in node.args[0].value.elements)))


def _labelled_test(value) -> bool:
    """Test rows whose labels the code has: a split's held-out part, data loaded as the test split."""
    return value is not None and value.kind == TEST and value.evidence in ("split", "key")


def _same_part(value, part) -> bool:
    if value.split is not None and part.split is not None:
        return value.split is part.split
    return bool(value.sources & part.sources)


def stacked_test_fits(ctx: "FileContext", rule: Rule) -> None:
    """Report models fitted on train and labelled test rows stacked together whose test part is then
    scored with its labels (a transformer fitted on such a stack is HPL403's: preprocessing fitted
    on rows that include test rows)."""
    dataflow = ctx.dataflow
    collector = _Stacks()
    walk(ctx.module, collector)
    applied: dict[int, set] = {}
    for application in dataflow.applications:
        applied.setdefault(id(application.node), set()).add(application.fit)
    reported: set[int] = set()
    for stack, parts in collector.stacks:
        whole = dataflow.value_of(stack)
        values = [(part, dataflow.value_of(part)) for part in parts]
        tests = [(node, v) for node, v in values if _labelled_test(v)]
        if whole is None or not tests or not any(
                v is not None and v.kind in (TRAIN, VALIDATION) for _, v in values):
            continue
        test_node, test = tests[0]
        for fit in dataflow.fits:
            data = fit.data[0] if fit.data else None
            if data is None or data.kind != MIXED or not whole.sources <= data.sources or id(fit) in reported:
                continue
            if fit.role in _TRANSFORMER_ROLES:
                continue  # a transformer fitted on rows that hold test rows: HPL403 reports it
            evaluation = _scored_with_labels(ctx, dataflow, fit, test, applied)
            if evaluation is None:
                continue
            reported.add(id(fit))
            test_text = _text(test_node)
            fitted = f"`{fit.obj.name}`" if fit.obj is not None and fit.obj.name else _name(fit)
            origin = f" of the split at {_where(ctx, test.split.line_node)}" if test.split is not None else ""
            ctx.report(
                rule, fit.report_node,
                f"{fitted} is fitted on `{_text(stack)}` ({_where(ctx, stack)}), which stacks the test part "
                f"`{test_text}`{origin} into its training rows, and is then scored on it with its labels at {_where(ctx, evaluation.node)}: "
                "the test score is measured on rows that were fitted on; stack train and validation only",
                related=[(f"`{test_text}` stacked into the training data here", stack),
                         (f"`{test_text}` scored here", evaluation.node)],
            )


def _scored_with_labels(ctx: "FileContext", dataflow, fit, test, applied) -> "EvalEvent | None":
    """The first score or metric that uses the labels of the stacked test part and reads the state
    of `fit` (when scoring is this fit, or its predictions are scored)."""
    for evaluation in dataflow.evaluations:
        if evaluation.role not in ("score", "metric"):
            continue
        if not any(_labelled_test(v) and _same_part(v, test) for v in evaluation.data):
            continue
        scoring = [evaluation] if evaluation.role == "score" else \
            [p for v in evaluation.data for p in v.predictions]
        if any(fit in applied.get(id(event.node), ()) or _same_receiver_later(ctx, fit, event) for event in scoring):
            return evaluation
    return None


def _same_receiver_later(ctx: "FileContext", fit, event) -> bool:
    """An object of a class the knowledge base does not know (`model.fit(...)` then `model.score(...)`)
    has no tracked identity: the same receiver, scored after the fit, in the same scope."""
    if fit.obj is not None and fit.obj.api is not None or not fit.receiver:
        return False
    sites = ctx.semantic.call_by_node
    fitted, scored = sites.get(fit.node), sites.get(event.node)
    return fitted is not None and scored is not None and fitted.scope is scored.scope \
        and fitted.order < scored.order and _receiver(event) == fit.receiver


def _receiver(event) -> str | None:
    node = event.node
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return _text(node.func.value)
    return None
