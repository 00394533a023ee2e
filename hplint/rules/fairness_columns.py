"""Which named columns the data given to a model holds, for HPL704 (sensitive attribute as feature).

The data flow tracks rows, not columns; this follows one expression back through its bindings and
the column operations pandas users write (`df[[...]]`, `df.drop(columns=...)`, `pd.get_dummies`,
`fillna`/`astype`/`copy` ..., a transformer's `fit_transform`) and answers whether a declared
attribute is among the columns, with the evidence:
- columns selected by name that include it (`df[["age", "sex"]]`, `df.loc[:, cols]` with `cols` a
  literal list);
- or a frame whose other columns were dropped but not it, when the code shows that frame has the
  column (`df["sex"]` or `df.sex` read elsewhere from the same binding).
Anything else (an unknown function, a rename, a frame nobody reads the attribute from) is no
evidence: the rule stays silent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from hplint.analysis.values import dotted_name, literal_value
from hplint.rules.fairness_facts import descendants, matches_attribute, short

if TYPE_CHECKING:
    from hplint.analysis.semantic import Binding
    from hplint.context import FileContext

# Methods that keep the columns of their receiver.
_KEEPS_COLUMNS = frozenset({
    "copy", "fillna", "astype", "reset_index", "dropna", "replace", "sample", "head", "tail",
    "to_numpy", "sort_values", "sort_index", "infer_objects", "convert_dtypes", "bfill", "ffill",
    "interpolate", "clip", "round", "abs", "set_index",
})  # fmt: skip
_TRANSFORMS = frozenset({"fit_transform", "transform"})
_MAX_STEPS = 16


def _strings(node: cst.BaseExpression | None, ctx: "FileContext", at: cst.CSTNode) -> list[str] | None:
    """Literal column names of an expression (a string, a list of them, or a name bound to one)."""
    if node is None:
        return None
    value = literal_value(node)
    if isinstance(node, cst.Name) and not isinstance(value, (str, list, tuple)):
        binding = _binding(ctx, node.value, at)
        if binding is not None and binding.unpack_index is None and binding.value is not None:
            value = literal_value(binding.value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _binding(ctx: "FileContext", name: str, at: cst.CSTNode) -> "Binding | None":
    semantic = ctx.semantic
    order, scope = _position(ctx, at)
    return semantic.last_binding(name, order, scope)


def _position(ctx: "FileContext", node: cst.CSTNode) -> tuple[int, object]:
    for inner in descendants(node):
        if isinstance(inner, cst.Call):
            site = ctx.semantic.call_by_node.get(inner)
            if site is not None:
                return site.order, site.scope
    return 10**12, None


def _dropped(call: cst.Call, ctx: "FileContext") -> list[str] | None:
    """Columns a `drop` call removes (None: it drops rows, or names it cannot read)."""
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    if "columns" in keywords:
        return _strings(keywords["columns"], ctx, call)
    axis = literal_value(keywords["axis"]) if "axis" in keywords else (
        literal_value(positional[1]) if len(positional) > 1 else 0)
    if axis not in (1, "columns"):
        return None
    labels = keywords.get("labels", positional[0] if positional else None)
    return _strings(labels, ctx, call)


def columns_given(ctx: "FileContext", node: cst.BaseExpression, attributes: tuple[str, ...],
                  order: int, scope) -> tuple[str, str, cst.CSTNode] | None:
    """(attribute, evidence, evidence node) when `node`, an expression at walk order `order` in
    `scope`, holds a declared attribute's column."""
    dropped: list[str] = []
    current: cst.BaseExpression = node
    frame: "Binding | None" = None
    # The frames passed through, with the columns dropped between them and the data given.
    chain: list[tuple["Binding", tuple[str, ...]]] = []
    for _ in range(_MAX_STEPS):
        if isinstance(current, cst.Name):
            # Names in a binding's value resolve to bindings before it (`X = X.reset_index()`).
            binding = ctx.semantic.last_binding(current.value, order, scope)
            if binding is not None:
                order, scope = binding.order, binding.scope
                chain.append((binding, tuple(dropped)))
            part = _split_input(ctx, binding)
            if part is not None:
                # `X_train, X_test, ... = train_test_split(X, y, A)`: rows of X, its columns.
                frame, current = binding, part
                continue
            if binding is None or binding.value is None or binding.unpack_index is not None \
                    or binding.augmented:
                frame = binding
                break
            frame = binding
            current = binding.value
            continue
        if isinstance(current, cst.Subscript):
            selected = _selected_columns(current, ctx)
            if selected is not None:
                for attribute in attributes:
                    for column in selected:
                        if matches_attribute(column, attribute) and not _is_dropped(column, dropped):
                            return attribute, f"`{short(current)}` selects the column `{column}` by name", current
                return None
            return None  # rows or positions selected: what remains is not known by name
        if isinstance(current, cst.Attribute) and current.attr.value == "values":
            current = current.value
            continue
        if isinstance(current, cst.Call):
            func = current.func
            name = dotted_name(func) or ""
            positional = [a.value for a in current.args if a.keyword is None and not a.star]
            if isinstance(func, cst.Attribute) and func.attr.value == "drop":
                names = _dropped(current, ctx)
                if names is not None:
                    dropped.extend(names)
                current = func.value
                continue
            if isinstance(func, cst.Attribute) and func.attr.value in _KEEPS_COLUMNS:
                current = func.value
                continue
            if name.rsplit(".", 1)[-1] == "get_dummies" and positional:
                current = positional[0]
                continue
            if isinstance(func, cst.Attribute) and func.attr.value in _TRANSFORMS and positional:
                current = positional[0]
                continue
        if frame is not None:
            # What made the frame (`pd.read_csv(...)`, `data.data.copy()`): the columns are those
            # the code shows it has.
            break
        return None
    else:
        return None
    if frame is None:
        return None
    # Frames whose columns nobody named: the code must show one of them holds the attribute
    # (and that it was not dropped on the way to the data given).
    for attribute in attributes:
        for binding, dropped_after in chain:
            shown = _column_read(ctx, binding, attribute, dropped_after)
            if shown is None:
                continue
            without = f" without {', '.join(f'`{d}`' for d in dropped_after)}" if dropped_after else ""
            return attribute, (
                f"it comes from `{binding.name}`{without}, and `{short(shown)}` at {ctx.where(shown)} shows "
                f"`{binding.name}` has that column (drop it, or keep it only in the sensitive features)"
            ), shown
    return None


def _split_input(ctx: "FileContext", binding: "Binding | None") -> cst.BaseExpression | None:
    """The input a part of `train_test_split(a, b, ...)` was cut from (`a` for parts 0 and 1)."""
    if binding is None or binding.unpack_index is None or not isinstance(binding.value, cst.Call):
        return None
    site = ctx.semantic.call_by_node.get(binding.value)
    if site is None or site.api is None or site.api.role != "split_function":
        return None
    inputs = [a.value for a in binding.value.args if a.keyword is None and not a.star]
    index = binding.unpack_index // 2
    return inputs[index] if index < len(inputs) else None


def _is_dropped(column: str, dropped: list[str]) -> bool:
    return any(matches_attribute(column, d) for d in dropped)


def _selected_columns(node: cst.Subscript, ctx: "FileContext") -> list[str] | None:
    """`df[["a", "b"]]`, `df["a"]`, `df.loc[:, ["a", "b"]]`: the columns chosen by name."""
    base = node.value
    elements = node.slice
    if isinstance(base, cst.Attribute) and base.attr.value == "loc" and len(elements) == 2:
        inner = elements[1].slice
        return _strings(inner.value, ctx, node) if isinstance(inner, cst.Index) else None
    if len(elements) == 1 and isinstance(elements[0].slice, cst.Index) \
            and not (isinstance(base, cst.Attribute) and base.attr.value in ("iloc", "loc")):
        return _strings(elements[0].slice.value, ctx, node)
    return None


def _column_read(ctx: "FileContext", frame: "Binding", attribute: str,
                 dropped: tuple[str, ...]) -> cst.CSTNode | None:
    """A read of the attribute's column from the frame bound by `frame`: `df["sex"]`, `df.sex`,
    `df[["race", "sex"]]` (in an assignment or a call's arguments, with `frame` the binding then
    visible)."""
    semantic = ctx.semantic
    for binding_list in semantic.bindings.values():
        for binding in binding_list:
            if binding.value is not None and binding.order > frame.order:
                found = _read_in(ctx, binding.value, frame, attribute, dropped, binding.order, binding.scope)
                if found is not None:
                    return found
    for site in semantic.calls:
        for arg in site.node.args:
            found = _read_in(ctx, arg.value, frame, attribute, dropped, site.order, site.scope)
            if found is not None:
                return found
    # `df["sex"] = ...`: the column is written into the frame.
    for assignment in semantic.item_assignments.get(frame.name, ()):
        key = literal_value(assignment.key) if isinstance(assignment.key, cst.BaseExpression) else None
        if isinstance(key, str) and matches_attribute(key, attribute) and not _is_dropped(key, list(dropped)) \
                and assignment.order > frame.order \
                and semantic.last_binding(frame.name, assignment.order, assignment.scope) is frame:
            return assignment.target
    return None


def _read_in(ctx: "FileContext", expression: cst.CSTNode, frame: "Binding", attribute: str,
             dropped: tuple[str, ...], order: int, scope) -> cst.CSTNode | None:
    name = frame.name
    for inner in descendants(expression):
        if isinstance(inner, cst.Subscript) and isinstance(inner.value, cst.Name) and inner.value.value == name:
            columns = _selected_columns(inner, ctx)
            if not columns or not any(matches_attribute(c, attribute) and not _is_dropped(c, list(dropped))
                                      for c in columns):
                continue
        elif not (isinstance(inner, cst.Attribute) and isinstance(inner.value, cst.Name)
                  and inner.value.value == name and inner.attr.value == attribute
                  and not _is_dropped(attribute, list(dropped))):
            continue
        if ctx.semantic.last_binding(name, order, scope) is frame:
            return inner
    return None
