"""HPL410: train and test share rows because the split was written by hand.

Scope-local and syntactic on purpose: it compares the right-hand sides of two assignments in the
same statement list (module, function or class body), one bound to a train-named variable and one
to a test-named variable, and only reports when the overlap is certain from the code alone
(literal bounds or the same length symbol plus constants, two `sample` draws from one frame, two
independent `choice` draws over the same population).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from hplint.rules.base import Rule, register
from hplint.analysis.walk import walk  # as node.visit(v), without rebuilding the tree

if TYPE_CHECKING:
    from hplint.context import FileContext

_TRAIN = re.compile(r"(^|_)(train|training|trn)(_|$|\d)", re.I)
_TEST = re.compile(r"(^|_)(test|testing|tst|val|valid|validation)(_|$|\d)", re.I)
_END = ("end", 0)


def _role(name: str) -> str | None:
    lowered = name.lower().replace("train", "_train_").replace("test", "_test_")
    is_train, is_test = bool(_TRAIN.search(lowered)), bool(_TEST.search(lowered))
    if is_train == is_test:
        return None
    return "train" if is_train else "test"


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


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _row_range(node: cst.BaseExpression) -> tuple[str, tuple, tuple] | None:
    """`X[a:b]`, `df.iloc[a:b]`, `df.loc[a:b]` → (base code, start, stop)."""
    if not isinstance(node, cst.Subscript) or len(node.slice) != 1:
        return None
    piece = node.slice[0].slice
    if not isinstance(piece, cst.Slice) or piece.step is not None:
        return None
    base = node.value
    if isinstance(base, cst.Attribute) and base.attr.value in ("iloc", "loc"):
        if base.attr.value == "loc":
            return None  # label slices are inclusive and not positions: leave them alone
        base = base.value
    if not isinstance(base, (cst.Name, cst.Attribute, cst.Subscript)):
        return None
    start, stop = _bound(piece.lower, (None, 0)), _bound(piece.upper, _END)
    if start is None or stop is None:
        return None
    return _code(base), start, stop


def _draw(node: cst.BaseExpression) -> tuple[str, str] | None:
    """`df.sample(...)` → ("sample", "df"); `rng.choice(N, ...)` → ("choice", "N")."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    attr = node.func.attr.value
    if attr == "sample" and isinstance(node.func.value, cst.Name):
        if any(a.keyword and a.keyword.value == "replace" for a in node.args):
            return None  # bootstraps are another matter
        return "sample", node.func.value.value
    if attr == "choice" and node.args and node.args[0].keyword is None:
        return "choice", _code(node.args[0].value)
    return None


def _pairs(body) -> Iterator[tuple[cst.CSTNode, str, cst.BaseExpression, int]]:
    """(statement, target name, value, index) for simple assignments, tuples unpacked."""
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.Assign) or len(small.targets) != 1:
                continue
            target, value = small.targets[0].target, small.value
            if isinstance(target, cst.Name):
                yield statement, target.value, value, index
            elif isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple):
                if len(target.elements) == len(value.elements):
                    for t, v in zip(target.elements, value.elements):
                        if isinstance(t.value, cst.Name):
                            yield statement, t.value.value, v.value, index


def _assigned(body, first: int, last: int) -> set[str]:
    names: set[str] = set()
    for statement in body[first + 1 : last]:
        for node in _walk_names(statement):
            names.add(node)
    return names


def _walk_names(statement: cst.CSTNode) -> Iterator[str]:
    class Collect(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: list[str] = []

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            for name in _names(node.target):
                self.found.append(name)

    collector = Collect()
    walk(statement, collector)
    return iter(collector.found)


def _names(node: cst.BaseExpression) -> Iterator[str]:
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            yield from _names(element.value)


class _Bodies(cst.CSTVisitor):
    def __init__(self) -> None:
        self.bodies: list = []

    def visit_Module(self, node: cst.Module) -> None:
        self.bodies.append(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.bodies.append(node.body)


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
        collector = _Bodies()
        walk(ctx.module, collector)
        for body in collector.bodies:
            self._check_body(ctx, body)

    def _check_body(self, ctx: "FileContext", body) -> None:
        trains: list = []
        tests: list = []
        for statement, name, value, index in _pairs(body):
            role = _role(name)
            if role is None:
                continue
            (trains if role == "train" else tests).append((statement, name, value, index))
        reported: set = set()
        for train in trains:
            for test in tests:
                key = (id(train[0]), id(test[0]))
                if key in reported:
                    continue
                message = self._overlap(body, train, test)
                if message is None:
                    continue
                reported.add(key)
                later, earlier = (test, train) if test[3] >= train[3] else (train, test)
                ctx.report(
                    self,
                    later[0],
                    message.format(train=f"`{train[1]}` ({ctx.where(train[0])})",
                                   test=f"`{test[1]}` ({ctx.where(test[0])})"),
                    related=[(f"`{earlier[1]}` is drawn here", earlier[0])],
                )

    def _overlap(self, body, train, test) -> str | None:
        first, last = sorted((train[3], test[3]))
        ranges = _row_range(train[2]), _row_range(test[2])
        if ranges[0] and ranges[1]:
            (base_a, a, b), (base_c, c, d) = ranges
            if base_a != base_c or _base_rebound(body, base_a, first, last):
                return None
            if _less(c, b) is True and _less(a, d) is True:
                low = a if _less(c, a) else c
                high = b if _less(b, d) else d
                joint = "-" if low[0] is None and high[0] is None else " to "
                return (f"rows {_fmt(low)}{joint}{_fmt(high)} of `{base_a}` are in both "
                        "{train} and {test}: make the ranges meet at one bound")
            return None
        draws = _draw(train[2]), _draw(test[2])
        if draws[0] and draws[0] == draws[1]:
            kind, population = draws[0]
            if _base_rebound(body, population, first, last):
                return None
            if kind == "sample":
                return (f"{{train}} and {{test}} are two independent `{population}.sample(...)` draws, "
                        f"so they share rows: take the test rows as `{population}.drop(train.index)`")
            return (f"{{train}} and {{test}} are two independent `choice({population}, ...)` draws, "
                    "so they share indices: cut one `permutation` into two parts")
        return None


def _base_rebound(body, base: str, first: int, last: int) -> bool:
    root = re.match(r"[A-Za-z_][A-Za-z_0-9]*", base)
    return bool(root) and root.group(0) in _assigned(body, first, last)


# --- HPL406 (fit-on-test), the stacked shape: `np.vstack([X_train, X_test])` / `pd.concat([train,
# test])` fitted, then the same test part scored. Called from `FitOnTest.check`; syntactic and
# body-local like HPL410, and silent unless the test part is evaluated after the fit (a final
# refit on all rows, with no score after it, is fine).
_STACKS = frozenset({"vstack", "concatenate", "concat", "row_stack"})
_EVALUATIONS = frozenset({"score", "predict", "predict_proba", "evaluate", "decision_function"})


def _callee(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Name):
        return node.value
    return None


def _stacked_parts(node: cst.BaseExpression) -> tuple[str, str] | None:
    """`vstack([A_train, A_test])` → ("A_train", "A_test") when one part is train, one test."""
    if not isinstance(node, cst.Call) or _callee(node.func) not in _STACKS or not node.args:
        return None
    parts = node.args[0].value
    if not isinstance(parts, (cst.List, cst.Tuple)):
        return None
    names = [e.value.value for e in parts.elements if isinstance(e.value, cst.Name)]
    if len(names) != len(parts.elements):
        return None
    trains = [n for n in names if _role(n) == "train"]
    tests = [n for n in names if _role(n) == "test" and _TEST_ONLY.search(n.lower())]
    return (trains[0], tests[0]) if trains and tests else None


_TEST_ONLY = re.compile(r"test")  # validation parts may be stacked back for the final refit


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)


def _calls(statement: cst.CSTNode) -> list[cst.Call]:
    collector = _Calls()
    walk(statement, collector)
    return collector.calls


def stacked_test_fits(ctx: "FileContext", rule: Rule) -> None:
    """Report fits on train+test stacked together whose test part is scored afterwards."""
    collector = _Bodies()
    walk(ctx.module, collector)
    for body in collector.bodies:
        stacked: dict[str, tuple[cst.CSTNode, tuple[str, str]]] = {}
        for index, statement in enumerate(body):
            for owner, name, value, _ in _pairs([statement]):
                parts = _stacked_parts(value)
                if parts:
                    stacked[name] = (owner, parts)
            for call in _calls(statement):
                if _callee(call.func) != "fit" or not call.args:
                    continue
                first = call.args[0].value
                parts = _stacked_parts(first)
                where = statement
                if parts is None and isinstance(first, cst.Name) and first.value in stacked:
                    where, parts = stacked[first.value]
                if parts is None:
                    continue
                train, test = parts
                scored = next((c for later in body[index + 1:] for c in _calls(later)
                               if _callee(c.func) in _EVALUATIONS and c.args
                               and isinstance(c.args[0].value, cst.Name) and c.args[0].value.value == test), None)
                if scored is None:
                    continue
                ctx.report(
                    rule, call,
                    f"the model is fitted on `{train}` stacked with `{test}` ({ctx.where(where)}) and then "
                    f"scored on `{test}` at {ctx.where(scored)}: the test rows are training rows; "
                    "stack train and validation only, or do not score the refit model on the test part",
                    related=[(f"`{test}` stacked into the training data here", where),
                             (f"`{test}` scored here", scored)],
                )
