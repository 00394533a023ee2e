"""Small questions about libcst nodes asked by the data-flow analysis (the text of a node cut for a
message, a block's statements, parameters, slices, masks, saves)."""

from __future__ import annotations

import contextlib
from typing import Iterable

import libcst as cst
from libcst._nodes.internal import CodegenState

from hplint.analysis.lineage import ObjectInfo, Value
from hplint.analysis.values import dotted_name, literal_value
from hplint.analysis.walk import children, walk
from hplint.knowledge.dataops import (
    FORMULA_STATEFUL_TRANSFORMS,
    MASK_METHODS,
    SAVE_CALLS,
    STATISTIC_METHODS,
    TIME_WORDS,
)
from hplint.knowledge.schema import Api


def last_part(qualname: str | None) -> str:
    return qualname.rsplit(".", 1)[-1] if qualname else ""


def block_body(block) -> Iterable[cst.CSTNode]:
    if isinstance(block, cst.IndentedBlock):
        return block.body
    if isinstance(block, cst.SimpleStatementSuite):
        return [SuiteLine(block)]
    return ()


class SuiteLine:
    """`if x: a = 1` on one line: a statement suite behaves like a statement line."""

    def __init__(self, suite: cst.SimpleStatementSuite) -> None:
        self.body = suite.body


def sub_blocks(statement) -> list:
    result = []
    if isinstance(statement, cst.If):
        result += list(block_body(statement.body))
        if statement.orelse is not None:
            result += sub_blocks(statement.orelse) if isinstance(statement.orelse, cst.If) else list(
                block_body(statement.orelse.body))
    elif isinstance(statement, (cst.Try, cst.With)):
        result += list(block_body(statement.body))
    return result


def param_list(function: cst.FunctionDef) -> tuple[str, ...]:
    return param_list_of(function.params)


def param_list_of(params: cst.Parameters) -> tuple[str, ...]:
    return tuple(p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params))


def param_defaults(function: cst.FunctionDef) -> dict[str, cst.BaseExpression | None]:
    params = function.params
    return {p.name.value: p.default for p in (*params.posonly_params, *params.params, *params.kwonly_params)
            if p.default is not None}


_TEXT_LIMIT = 40


class _Enough(Exception):
    """More than `_TEXT_LIMIT` characters are written: the rest would be cut anyway."""


class _PrefixState(CodegenState):
    """Code generation that stops once the text is longer than `_TEXT_LIMIT` (names of data in
    messages are cut there; generating a whole `pd.concat([...])` argument is wasted work)."""

    __slots__ = ("length",)

    def __init__(self) -> None:
        super().__init__(default_indent="    ", default_newline="\n")
        self.length = 0

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.length += len(value)
        if self.length > _TEXT_LIMIT:
            raise _Enough

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):  # type: ignore[override]
        return _NO_RECORDING


_NO_RECORDING = contextlib.nullcontext()


def node_text(node: cst.CSTNode | None) -> str:
    """The code of `node` as `Module.code_for_node` writes it, cut to `_TEXT_LIMIT` characters."""
    if node is None:
        return ""
    state = _PrefixState()
    try:
        node._codegen(state)
    except _Enough:
        pass
    except Exception:
        return "…"
    text = "".join(state.tokens)
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 3] + "…"


def node_texts(nodes) -> tuple[str, ...]:
    return tuple(node_text(n) for n in nodes)


def root_name(node: cst.CSTNode) -> str | None:
    while isinstance(node, (cst.Subscript, cst.Attribute)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def is_true(node: cst.CSTNode | None) -> bool:
    return node is not None and literal_value(node) is True


def row_slice(value: cst.CSTNode) -> tuple[cst.CSTNode, str | None, cst.CSTNode | None, cst.CSTNode | None] | None:
    """`X[a:b]`, `df.iloc[a:b]`, `df.loc[a:b]` -> (base `X`/`df`, accessor None/"iloc"/"loc", lower,
    upper); None for anything but one step-less slice. The one reading of a row range shared by
    the hand-written split in the data flow, HPL410's overlapping ranges and HPL413's sides."""
    if not isinstance(value, cst.Subscript) or len(value.slice) != 1:
        return None
    return _first_axis_slice(value)


def _first_axis_slice(value: cst.Subscript):
    """The step-less slice on the first axis of `value`, with its base and accessor, or None."""
    inner = value.slice[0].slice
    if not isinstance(inner, cst.Slice) or inner.step is not None:
        return None
    base, accessor = value.value, None
    if isinstance(base, cst.Attribute) and base.attr.value in ("iloc", "loc"):
        base, accessor = base.value, base.attr.value
    return base, accessor, inner.lower, inner.upper


def head_tail_slice(value: cst.CSTNode) -> tuple[str, str, bool, cst.CSTNode] | None:
    """`X[:n]` -> ("X", "n", True), `df.iloc[n:]` -> ("df", "n", False); also the spelled-out
    ends `X[0:n]`, `X[n:len(X)]` and the rows of a 2-D array `X[0:n, :]`, `X[n:, 0]`."""
    parsed = row_slice(value) or _leading_row_slice(value)
    if parsed is None:
        return None
    base, _, lower, upper = parsed
    if lower is not None and upper is not None:
        if isinstance(lower, cst.Integer) and lower.value == "0":
            lower = None  # `X[0:n]` is `X[:n]`
        elif _is_len_of(upper, base):
            upper = None  # `X[n:len(X)]` is `X[n:]`
    base_name = dotted_name(base) or (node_text(base) if isinstance(base, cst.Subscript) else None)
    if base_name is None:
        return None
    if lower is None and upper is not None:
        return base_name, node_text(upper), True, value
    if upper is None and lower is not None:
        return base_name, node_text(lower), False, value
    return None


def _leading_row_slice(value: cst.CSTNode):
    """`X[a:b, ...]`: the row range of a multi-axis subscript (numpy rows, then columns)."""
    if not isinstance(value, cst.Subscript) or len(value.slice) < 2:
        return None
    return _first_axis_slice(value)


def _is_len_of(node: cst.CSTNode, base: cst.CSTNode) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "len" \
        and len(node.args) == 1 and node_text(node.args[0].value) == node_text(base)


def selects_rows(node: cst.Subscript, base: Value, index_values) -> bool:
    """`X[:n]`, `df.iloc[n:]`, `df.loc[idx, :]`, `df[df["is_train"] == 1]`, `df[mask]`: the subscript
    picks rows (not columns: `df["a"]`, `df[cols]`, `X[:, 0]`, `df.loc[:, cols]`)."""
    accessor = node.value.attr.value if isinstance(node.value, cst.Attribute) else None
    first = node.slice[0].slice
    if isinstance(first, cst.Slice):
        return first.lower is not None or first.upper is not None
    if accessor in ("loc", "iloc", "ix"):
        return True
    if len(node.slice) != 1 or not index_values:
        return False
    index_node, index_value = index_values[0]
    return _is_row_mask(index_node) or (not index_value.literal and bool(index_value.sources & base.sources))



def _is_row_mask(node: cst.CSTNode) -> bool:
    """A boolean mask written in place: `df.a == 1`, `df.index.isin(idx)`, `~m & n`."""
    if isinstance(node, cst.Comparison):
        return True
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.BitInvert):
        return _is_row_mask(node.expression)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitAnd, cst.BitOr)):
        return _is_row_mask(node.left) or _is_row_mask(node.right)
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) \
        and node.func.attr.value in MASK_METHODS


def slice_base(value: cst.Subscript) -> cst.CSTNode:
    """The frame rows are selected from: `df` in `df.iloc[:k]`, `df.loc[...]`, `df[...]`."""
    base = value.value
    if isinstance(base, cst.Attribute) and base.attr.value in ("iloc", "loc"):
        base = base.value
    return base


def candidate_loop(loops: tuple[cst.CSTNode, ...], pick: cst.CSTNode) -> cst.CSTNode | None:
    """The loop whose iterations are the candidates a pick chooses among.

    `if score > best:` compares across the iterations of the innermost loop containing it;
    `np.argmax(scores)` after the loops chooses among the iterations of the outermost loop that
    does not contain it.
    """
    if isinstance(pick, cst.If):
        return next((loop for loop in reversed(loops) if contains(loop, pick)), None)
    return next((loop for loop in loops if not contains(loop, pick)), None)


def names_statistic(node: cst.CSTNode) -> bool:
    """`"mean"` in `.transform("mean")`."""
    value = literal_value(node)
    return isinstance(value, str) and value in STATISTIC_METHODS


def lag_feature(node: cst.CSTNode | None) -> cst.CSTNode | None:
    """`shift()` lag features passed into a frame (polars `df.select(pl.col(c).shift(1))`) make
    it time ordered; another frame's sort order (`df.merge(sorted_counts)`) does not."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "shift":
        return node
    return None


def keeps_result(small: cst.BaseSmallStatement) -> bool:
    """An assignment to a real name (not `_ = ax.annotate(...)`) or a return."""
    if isinstance(small, cst.Return):
        return True
    if isinstance(small, cst.Assign):
        return any(not (isinstance(t.target, cst.Name) and t.target.value == "_") for t in small.targets)
    return isinstance(small, (cst.AnnAssign, cst.AugAssign))


def assigns(block: cst.CSTNode) -> bool:
    for statement in block_body(block):
        for small in getattr(statement, "body", ()) if isinstance(statement, (cst.SimpleStatementLine, SuiteLine)) else ():
            if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                return True
    return False


def method_of(cls: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    if not isinstance(cls.body, cst.IndentedBlock):
        return None
    for statement in cls.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return statement
    return None


def is_function_form(api: Api) -> bool:
    """`sklearn.preprocessing.scale` rather than `StandardScaler`: data is its first parameter."""
    data = api.param("X")
    return data is not None and data.position == 0


def bins_from_data(node: cst.Call) -> bool:
    func = node.func
    if (func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")) == "qcut":
        return True
    bins = next((a.value for a in node.args[1:2] if a.keyword is None), None)
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "bins":
            bins = arg.value
    value = literal_value(bins) if bins is not None else None
    return isinstance(value, int) and not isinstance(value, bool)


def string_parts(node: cst.CSTNode) -> list[str]:
    result = []
    if isinstance(node, cst.BinaryOperation):
        result += string_parts(node.left) + string_parts(node.right)
    elif isinstance(node, cst.FormattedString):
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                result.append(part.value)
    elif isinstance(node, cst.Call):
        for arg in node.args:
            result += string_parts(arg.value)
    else:
        value = literal_value(node)
        if isinstance(value, str):
            result.append(value)
    return result



def sorts_by_time(node: cst.Call) -> bool:
    if isinstance(node.func, cst.Attribute) and node.func.attr.value == "sort_index":
        return _index_may_be_time(node)
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value not in ("by", "keys"):
            continue
        value = literal_value(arg.value)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and TIME_WORDS.search(v) for v in values):
            return True
    return False


def _index_may_be_time(node: cst.Call) -> bool:
    """`sort_index()` sorts in time unless the code says the index is something else: a `level=`
    not named like time (`sort_index(level="cell_id")`), or an index set in the same chain from
    keys not named like time (`set_index("id").sort_index()`: notebook or cell ids, ranks)."""
    keys = None
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "level":
            keys = arg.value
    current = node.func.value if isinstance(node.func, cst.Attribute) else None
    while keys is None and isinstance(current, cst.Call) and isinstance(current.func, cst.Attribute):
        if current.func.attr.value == "set_index":
            keys = current.args[0].value if current.args and current.args[0].keyword is None else None
            break
        current = current.func.value
    if keys is None:
        return True
    value = literal_value(keys)
    values = value if isinstance(value, list) else [value]
    return not all(isinstance(v, str) for v in values) or any(TIME_WORDS.search(v) for v in values)


def is_early_stopping(obj: ObjectInfo) -> bool:
    """An early-stopping callback, or a checkpoint that keeps only the best model."""
    api = obj.api
    if api is None:
        return False
    if "early_stopping" in api.tags:
        return True
    name = last_part(api.qualname)
    if "EarlyStopping" in name or name == "early_stopping":
        return True
    if "checkpoint_best" in api.tags or "Checkpoint" in name:
        node = obj.node
        if isinstance(node, cst.Call):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value in ("save_best_only", "save_top_k") \
                        and literal_value(arg.value) not in (False, None, 0, -1):
                    return True
    return False


def is_pick_test(test: cst.CSTNode) -> bool:
    return isinstance(test, cst.Comparison) and any(
        isinstance(c.operator, (cst.GreaterThan, cst.LessThan, cst.GreaterThanEqual, cst.LessThanEqual))
        for c in test.comparisons
    )


def comparison_sides(test: cst.Comparison) -> list[cst.CSTNode]:
    return [test.left, *(c.comparator for c in test.comparisons)]


class _SaveFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: cst.CSTNode | None = None

    def visit_Call(self, node: cst.Call) -> bool:
        written = dotted_name(node.func) or ""
        if self.found is None and SAVE_CALLS.search(written):
            self.found = node
        return self.found is None


def find_save(block: cst.CSTNode) -> cst.CSTNode | None:
    finder = _SaveFinder()
    walk(block, finder)  # as block.visit(finder), without rebuilding the tree
    return finder.found


def contains(outer: cst.CSTNode, inner: cst.CSTNode) -> bool:
    stack = [outer]
    while stack:
        node = stack.pop()
        if node is inner:
            return True
        stack.extend(children(node))
    return False


def names_in(node: cst.CSTNode | None) -> set[str]:
    names: set[str] = set()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if type(current) is cst.Name:
            names.add(current.value)
        stack.extend(children(current))
    return names


def scope_is(scope, function: cst.CSTNode) -> bool:
    while scope is not None:
        if scope.node is function:
            return True
        scope = scope.parent
    return False


def stateful_formula(node: cst.Call, position: int) -> bool:
    """`dmatrices("y ~ standardize(x)", df)`: the formula (a literal at `position`) calls a
    transform that learns from the rows (knowledge: `FORMULA_STATEFUL_TRANSFORMS`)."""
    args = [a for a in node.args if a.keyword is None]
    formula = next((a.value for a in node.args if a.keyword is not None
                    and a.keyword.value in ("formula_like", "formula")), None)
    if formula is None and len(args) > position:
        formula = args[position].value
    text = literal_value(formula) if formula is not None else None
    return isinstance(text, str) and FORMULA_STATEFUL_TRANSFORMS.search(text) is not None
