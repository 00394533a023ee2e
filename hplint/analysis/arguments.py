"""What a call site's argument is by the names it is made from: `run(ParallelLoader(valid_loader))`
or `run(para_loader.per_device_loader(device))` (with `para_loader = ParallelLoader(valid_loader)`)
passes validation data, whatever the helper's parameter is called. Read through wrapper calls
(first positional argument of an imported callable, receiver of a method call) and the latest
binding of a plain name, down to the innermost name that says train, validation or test."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from hplint.analysis.lineage import kind_from_name
from hplint.analysis.values import literal_value

if TYPE_CHECKING:
    from hplint.analysis.semantic import Scope, SemanticModel

_MAX_DEPTH = 6  # wrappers and re-bindings followed before giving up
_MAX_STACK_DEPTH = 20  # a stack is often several re-bindings and conversions upstream


def innermost_name_kind(node: cst.BaseExpression, semantic: "SemanticModel", order: int,
                        scope: "Scope | None", depth: int = 0) -> str | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, cst.Name):
        kind = kind_from_name(node.value)
        if kind is not None:
            return kind
        binding = semantic.last_binding(node.value, order, scope)
        if binding is None or binding.value is None or binding.unpack_index is not None or binding.augmented:
            return None
        return innermost_name_kind(binding.value, semantic, binding.order, binding.scope, depth + 1)
    if isinstance(node, cst.Call):
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        if isinstance(node.func, cst.Attribute) and semantic.resolve(node.func) is None:
            # `loader.per_device_loader(device)`: a view of the receiver's data
            return innermost_name_kind(node.func.value, semantic, order, scope, depth + 1)
        if positional:  # `pl.ParallelLoader(valid_loader, [device])`: wraps its first argument
            return innermost_name_kind(positional[0], semantic, order, scope, depth + 1)
    return None


# Calls that stack the rows of several frames or arrays into one.
_ROW_STACKS = frozenset({"pandas.concat", "numpy.concatenate", "numpy.vstack", "numpy.row_stack"})


def stacked_rows(node: cst.BaseExpression, semantic: "SemanticModel", order: int,
                 scope: "Scope | None", depth: int = 0) -> bool:
    """Whether `node` is (read through bindings, wrappers, method calls, column picks) the rows of
    a stack of several parts (`pd.concat([train, sub])`): slices of it take the parts back apart
    at their seam rather than split one data set."""
    if depth > _MAX_STACK_DEPTH:
        return False
    if isinstance(node, cst.Name):
        binding = semantic.last_binding(node.value, order, scope)
        if binding is None or binding.value is None or binding.augmented:
            return False  # (an unpacking `scaled, scaler = scale(stack)` is read as its call)
        return stacked_rows(binding.value, semantic, binding.order, binding.scope, depth + 1)
    if isinstance(node, (cst.Subscript, cst.Attribute)):
        return stacked_rows(node.value, semantic, order, scope, depth + 1)
    if isinstance(node, cst.Call):
        qualified = semantic.resolve(node.func)
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        if qualified in _ROW_STACKS:
            parts = positional[0] if positional else None
            if not isinstance(parts, (cst.List, cst.Tuple)) or not parts.elements:
                return False
            axis = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "axis"), None)
            if axis is not None and literal_value(axis) in (1, "columns"):
                # columns put side by side: the rows are the first part's
                return stacked_rows(parts.elements[0].value, semantic, order, scope, depth + 1)
            return len(parts.elements) >= 2
        if isinstance(node.func, cst.Attribute) and qualified is None:
            # `x.reshape(n)` keeps the receiver's rows, `scaler.transform(x)` its argument's
            return stacked_rows(node.func.value, semantic, order, scope, depth + 1) or bool(positional) \
                and stacked_rows(positional[0], semantic, order, scope, depth + 1)
        if positional:
            return stacked_rows(positional[0], semantic, order, scope, depth + 1)
    return False
