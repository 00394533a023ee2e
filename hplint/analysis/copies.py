"""Stacks whose parts copy one another's rows: `pd.concat([df, minority, minority])` with
`minority = df[df.fraud == 1]`, `np.concatenate([X, X[:, :, ::-1]])` (flipped copies). Split
afterwards, a row and its copy can land on both sides: the transfer layer records such a stack as a
resampling (`CallTransfer`, the `resampler` role that HPL405 reads).

Only certain copies count: one part is the whole (a name or attribute) and another is the same
expression again, or is taken from it by a subscript, a method or a function of it (directly or
through the name it was bound to just before; a function of it only when it is one of
ROW_COPY_FUNCTIONS, which give its rows back flipped or rotated). Parts that are all slices of one frame
(`pd.concat([df[df.y == 0], df[df.y == 1]])`, majority and minority) re-assemble it: no copies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import libcst as cst

from hplint.analysis.syntax import node_text, root_name
from hplint.analysis.values import literal_value
from hplint.knowledge.dataops import ROW_ACCESSORS, ROW_AXES, ROW_COPY_FUNCTIONS, ROW_STACKING_FUNCTIONS

if TYPE_CHECKING:
    from hplint.analysis.lineage import Value
    from hplint.analysis.semantic import SemanticModel


def stacks_rows(qualname: str | None, positional_nodes: Sequence[cst.BaseExpression],
                keyword_nodes: dict[str, cst.BaseExpression]) -> bool:
    """Whether a call of `qualname` stacks rows (not columns)."""
    if qualname not in ROW_STACKING_FUNCTIONS:
        return False
    keyword = ROW_STACKING_FUNCTIONS[qualname]
    if keyword is None:
        return True
    axis = keyword_nodes.get(keyword, positional_nodes[1] if len(positional_nodes) > 1 else None)
    return axis is None or literal_value(axis) in ROW_AXES


def _base(node: cst.BaseExpression, semantic: "SemanticModel") -> cst.BaseExpression | None:
    """The frame an expression takes its rows from: `df[m]`, `df.loc[m]`, `df.sample()`,
    `np.flip(X, 2)`, `X + noise` -> `df` / `X`; None when it is not taken from one."""
    seen = False
    while True:
        if isinstance(node, cst.Subscript):
            node = node.value
        elif isinstance(node, cst.Attribute) and node.attr.value in ROW_ACCESSORS:
            node = node.value
        elif isinstance(node, cst.Call):
            func = node.func
            module_function = isinstance(func, cst.Name) or root_name(func) in semantic.imports
            if not module_function and isinstance(func, cst.Attribute):
                node = func.value  # `df.sample(frac=0.5)`, `df[m].copy()`
            elif (
                node.args and node.args[0].keyword is None and not node.args[0].star
                and semantic.resolve(func) in ROW_COPY_FUNCTIONS
            ):
                node = node.args[0].value  # `np.flip(X, 2)`
            else:
                return None
        elif isinstance(node, cst.BinaryOperation):
            node = node.left
        else:
            return node if seen and isinstance(node, (cst.Name, cst.Attribute)) else None
        seen = True


def copied_part(parts: Sequence[cst.BaseExpression], values: Sequence["Value"], semantic: "SemanticModel",
                call: cst.Call) -> int | None:
    """The index of the part whose rows the others copy, or None when no part is copied."""
    if len(parts) < 2 or len(parts) != len(values):
        return None
    texts = [node_text(p) for p in parts]
    site = semantic.call_by_node.get(call)
    for whole, node in enumerate(parts):
        if not isinstance(node, (cst.Name, cst.Attribute)) or not values[whole].sources:
            continue
        for other, part in enumerate(parts):
            if other == whole or not values[other].sources <= values[whole].sources:
                continue
            if texts[other] == texts[whole]:
                return whole
            if site is not None and _taken_from(part, texts[whole], semantic, site):
                return whole
    return None


def _taken_from(part: cst.BaseExpression, whole: str, semantic: "SemanticModel", site, depth: int = 3) -> bool:
    """Whether `part` is rows of `whole`: taken from it directly or through names bound just before
    (`minority = df[df.fraud == 1]`, `upsampled = resample(minority)`)."""
    order = site.order
    for _ in range(depth):
        if isinstance(part, cst.Name):
            binding = semantic.last_binding(part.value, order, site.scope)
            if binding is None or binding.value is None or binding.unpack_index is not None:
                return False
            part, order = binding.value, binding.order
        base = _base(part, semantic)
        if base is None:
            return False
        if node_text(base) == whole:
            # The same `whole` then as at the stack: `dftt = train[m]; train = train.drop(dftt.index)`
            # takes the rows out, and stacking them back copies nothing.
            return not isinstance(base, cst.Name) or order == site.order \
                or semantic.last_binding(base.value, order, site.scope) is _binding_before(semantic, base.value, site)
        part = base
    return False


def _binding_before(semantic: "SemanticModel", name: str, site):
    """The binding of `name` the statement of `site` reads (not the one it makes: `df = pd.concat([df, ...])`)."""
    binding = semantic.last_binding(name, site.order, site.scope)
    if binding is not None and binding.statement is site.statement:
        binding = semantic.last_binding(name, binding.order, site.scope)
    return binding
