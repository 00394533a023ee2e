"""HPL410, sliding-window form: windows of a series taken with a stride shorter than the window
(`[s[i:i + 30] for i in range(0, n, 5)]`, or appended in such a loop) share rows with their
neighbours; a shuffled split of the windows (`train_test_split` by default, a shuffling K-fold)
puts neighbours on both sides. A chronological split (`shuffle=False`, `TimeSeriesSplit`) shares
only the windows at the border and is not reported. Window and stride must be integers the code
states (literals, or names bound once to literals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from hplint.analysis.syntax import contains, names_in, node_text
from hplint.analysis.values import literal_value
from hplint.analysis.walk import walk

if TYPE_CHECKING:
    from hplint.analysis.events import SplitEvent
    from hplint.context import FileContext

# Calls that turn a list of windows into an array (or keep it one): the windows stay the rows.
_KEEPS_ROWS = frozenset({"array", "asarray", "stack", "vstack", "tensor", "from_numpy", "list", "reshape",
                         "astype", "expand_dims", "FloatTensor", "Tensor"})


@dataclass(frozen=True, slots=True)
class Windows:
    node: cst.CSTNode  # the comprehension or the append call
    window: int
    stride: int
    window_text: str
    stride_text: str


def _window_piece(node: cst.BaseExpression, index: str) -> cst.BaseExpression | None:
    """`B[i:i + W]`, `B.iloc[i:i + W]`, `B[i:i + W, :]` → W (rows i to i+W of B)."""
    if not isinstance(node, cst.Subscript) or not node.slice:
        return None
    piece = node.slice[0].slice
    if not isinstance(piece, cst.Slice) or piece.step is not None:
        return None
    lower, upper = piece.lower, piece.upper
    if not (isinstance(lower, cst.Name) and lower.value == index):
        return None
    if isinstance(upper, cst.BinaryOperation) and isinstance(upper.operator, cst.Add):
        if isinstance(upper.left, cst.Name) and upper.left.value == index:
            return upper.right
        if isinstance(upper.right, cst.Name) and upper.right.value == index:
            return upper.left
    return None


def _range_step(iterable: cst.BaseExpression) -> cst.BaseExpression | int | None:
    """The step of `range(...)` (1 when not given), or None for any other iterable."""
    if not (isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name)
            and iterable.func.value == "range"):
        return None
    args = [a.value for a in iterable.args if a.keyword is None and not a.star]
    return args[2] if len(args) == 3 else 1 if args else None


def _integer(ctx: "FileContext", node, scope) -> int | None:
    """An integer literal, or a name bound exactly once, to one (`window, stride = 30, 5`)."""
    if isinstance(node, int):
        return node
    value = literal_value(node)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(node, cst.Name):
        return None
    bindings = ctx.semantic.bindings_of(node.value)
    if len(bindings) != 1:
        return None
    binding = bindings[0]
    bound = binding.value
    if binding.unpack_index is not None and isinstance(bound, (cst.Tuple, cst.List)) \
            and binding.unpack_index < len(bound.elements):
        bound = bound.elements[binding.unpack_index].value
    value = literal_value(bound) if bound is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _Finder(cst.CSTVisitor):
    """Window slices under a loop over `range(...)` indexed by the loop's variable."""

    def __init__(self) -> None:
        self.found: list[tuple[cst.CSTNode, cst.BaseExpression, object, cst.BaseExpression, str | None]] = []

    def _scan(self, owner, element, target, iterable, name) -> None:
        if not isinstance(target, cst.Name):
            return
        step = _range_step(iterable)
        if step is None:
            return
        for node in _subscripts(element):
            window = _window_piece(node, target.value)
            if window is not None:
                self.found.append((owner, window, step, node, name))
                return

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._scan(node, node.elt, node.for_in.target, node.for_in.iter, None)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._scan(node, node.elt, node.for_in.target, node.for_in.iter, None)

    def visit_For(self, node: cst.For) -> None:
        # `for i in range(0, n, stride): windows.append(series[i:i + window])`
        for call in _appends(node.body):
            name = call.func.value.value if isinstance(call.func.value, cst.Name) else None
            if name is not None and call.args:
                self._scan(call, call.args[0].value, node.target, node.iter, name)


class _Collect(cst.CSTVisitor):
    """Subscripts, `append` calls (not inside nested functions) and returns under one node. One
    class at module level: the fast walk learns a visitor class's dispatch once."""

    def __init__(self, function: cst.FunctionDef | None = None) -> None:
        self.function = function
        self.subscripts: list[cst.Subscript] = []
        self.appends: list[cst.Call] = []
        self.returns: list[cst.BaseExpression] = []

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.subscripts.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "append":
            self.appends.append(node)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.returns.append(node.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self.function


def _collected(node: cst.CSTNode, function: cst.FunctionDef | None = None) -> _Collect:
    collector = _Collect(function)
    walk(node, collector)
    return collector


def _subscripts(node: cst.CSTNode) -> list[cst.Subscript]:
    return _collected(node).subscripts


def _appends(body: cst.BaseSuite) -> list[cst.Call]:
    return _collected(body).appends


def _text(node) -> str:
    return node_text(node) if isinstance(node, cst.CSTNode) else str(node)


def _window_names(ctx: "FileContext", owners: dict) -> dict[str, Windows]:
    """Names holding the windows: the list appended to, the target of an assignment whose value
    holds the comprehension, and names computed from those by row-keeping calls (`np.array(X)`)."""
    names: dict[str, Windows] = {}
    pending = []
    for name, bindings in ctx.semantic.bindings.items():
        for binding in bindings:
            if binding.value is not None:
                pending.append((binding.order, name, binding.value, binding.unpack_index))
    pending.sort(key=lambda item: item[0])
    for owner, windows in owners.items():
        if isinstance(owner, str):
            names[owner] = windows
    for _, name, value, unpack in pending:
        if name in names:
            continue
        returned = _returned_windows(ctx, value, unpack, names)
        if returned is not None:
            names[name] = returned
            continue
        for owner, windows in owners.items():
            if not isinstance(owner, str) and contains(value, owner):
                names[name] = windows
                break
        else:
            if _keeps_rows(value):
                used = names_in(value) & names.keys()
                if used:
                    names[name] = names[sorted(used)[0]]
    return names


def _returned_windows(ctx: "FileContext", value, unpack: int | None, names: dict) -> Windows | None:
    """`X, y = make_windows(series)`: what the file's function returns at that position holds
    windows (`return np.array(inputs), np.array(targets)`)."""
    if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Name)):
        return None
    function = ctx.semantic.functions.get(value.func.value)
    if function is None:
        return None
    for returned in _returns(function):
        if unpack is not None:
            if not isinstance(returned, cst.Tuple) or unpack >= len(returned.elements):
                continue
            returned = returned.elements[unpack].value
        if _keeps_rows(returned):
            used = names_in(returned) & names.keys()
            if used:
                return names[sorted(used)[0]]
    return None


def _returns(function: cst.FunctionDef) -> list[cst.BaseExpression]:
    return _collected(function, function).returns


def _keeps_rows(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Name):
        return True
    if isinstance(value, cst.Call):
        func = value.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        return name in _KEEPS_ROWS
    return False


def overlapping_window_splits(ctx: "FileContext") -> Iterator[tuple["SplitEvent", Windows, str, str]]:
    """(split, windows, name of the split data, how it shuffles) for shuffled splits of windows
    that overlap."""
    from hplint.rules.leakage import _shuffles

    finder = _Finder()
    walk(ctx.module, finder)
    if not finder.found:
        return
    owners: dict = {}
    for owner, window_node, step, _, name in finder.found:
        window, stride = _integer(ctx, window_node, None), _integer(ctx, step, None)
        if window is None or stride is None or stride <= 0 or window <= stride:
            continue
        windows = Windows(owner, window, stride, _text(window_node), _text(step))
        owners[name if name is not None else owner] = windows
    if not owners:
        return
    names = _window_names(ctx, owners)
    for split in ctx.dataflow.splits:
        node = split.node
        if not isinstance(node, cst.Call):
            continue
        if split.method == "train_test_split":
            site = ctx.semantic.call_by_node.get(node)
            shuffle = site.keyword("shuffle") if site is not None else None
            if shuffle is not None and literal_value(shuffle.value) is not True:
                continue
            how = "`train_test_split` shuffles"
        elif split.method == "kfold":
            splitter = split.splitter
            if splitter is None or splitter.api is None or not _shuffles(splitter):
                continue
            how = f"`{splitter.name or _text(splitter.node)}` shuffles"
        else:
            continue
        for arg in node.args:
            if arg.keyword is not None:
                continue
            used = names_in(arg.value) & names.keys()
            if used:
                name = sorted(used)[0]
                yield split, names[name], name, how
                break
