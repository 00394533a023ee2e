"""A fast pre-order walk of a libcst tree that calls a CSTVisitor's `visit_X` / `leave_X` methods.

`module.visit(visitor)` rebuilds every node it passes through (libcst's traversal is written for
transformers), which costs more than parsing the file. This walk reads the children in place and
calls the same methods in the same order, so a `cst.CSTVisitor` subclass gives the same result
through either; it is about five times faster.

Order: each node type's children are read in the order libcst's own traversal visits them, learned
once per type by letting libcst announce its fields (`on_visit_attribute`) without descending.
Whitespace, comments and punctuation are skipped unless the visitor has a method for one of them.
Not supported (the visitor is then walked by libcst itself): overriding `on_visit`/`on_leave` and
attribute hooks (`visit_Call_func`).
"""

from __future__ import annotations

from typing import Callable

import libcst as cst
from libcst._nodes import op as _op
from libcst._nodes import whitespace as _whitespace

_Handlers = tuple["Callable[[cst.CSTVisitor, cst.CSTNode], object] | None", "Callable | None"]

# Nodes that hold only whitespace, comments or fixed tokens (and nodes of the same kind).
TRIVIA: frozenset[type] = frozenset(
    value
    for module in (_whitespace, _op)
    for value in vars(module).values()
    if isinstance(value, type) and issubclass(value, cst.CSTNode) and value.__module__ == module.__name__
) | {cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace,
     cst.RightCurlyBrace}


class _FieldRecorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False


# node type -> (child fields in traversal order, fields libcst skipped because they were None)
_CHILD_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _learn_fields(node: cst.CSTNode) -> tuple[str, ...]:
    recorder = _FieldRecorder()
    node._visit_and_replace_children(recorder)
    fields = tuple(dict.fromkeys(recorder.fields))
    # A few types visit a field only when it is set (FormattedStringExpression.format_spec): note
    # the unset fields, and learn again from the first node that sets one.
    unseen = tuple(
        name
        for name in getattr(type(node), "__dataclass_fields__", ())
        if name not in fields and getattr(node, name) is None
    )
    _CHILD_FIELDS[type(node)] = (fields, unseen)
    return fields


def child_fields(node: cst.CSTNode) -> tuple[str, ...]:
    """Names of the fields of `node` that hold children, in libcst's traversal order."""
    known = _CHILD_FIELDS.get(type(node))
    if known is None:
        return _learn_fields(node)
    fields, unseen = known
    if unseen and any(getattr(node, name) is not None for name in unseen):
        return _learn_fields(node)
    return fields


_NODE, _SEQUENCE, _OTHER = 1, 2, 0
# type of a field's value -> what it is. isinstance(x, cst.CSTNode) goes through ABCMeta's
# __instancecheck__, a Python-level call; a dict lookup by type is several times cheaper.
_VALUE_KIND: dict[type, int] = {list: _SEQUENCE, tuple: _SEQUENCE, type(None): _OTHER}


def _value_kind(value_type: type) -> int:
    kind = _VALUE_KIND.get(value_type)
    if kind is None:
        if issubclass(value_type, cst.CSTNode):
            kind = _NODE
        elif issubclass(value_type, (tuple, list)):
            kind = _SEQUENCE
        else:
            kind = _OTHER
        _VALUE_KIND[value_type] = kind
    return kind


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`node.children` (the same nodes, in the same order) without libcst rebuilding the node."""
    found: list[cst.CSTNode] = []
    for name in child_fields(node):
        value = getattr(node, name)
        kind = _VALUE_KIND.get(type(value))
        if kind is None:
            kind = _value_kind(type(value))
        if kind == _NODE:
            found.append(value)
        elif kind == _SEQUENCE:
            found.extend(value)
    return found


# visitor type -> (node type -> its visit/leave methods, node types not walked into)
_DISPATCH: dict[type, tuple[dict[type, _Handlers], frozenset[type]]] = {}


def _own_method(visitor_type: type, name: str) -> Callable | None:
    """The visitor's method `name`, unless it is CSTVisitor's no-op default."""
    method = getattr(visitor_type, name, None)
    return None if method is None or method is getattr(cst.CSTVisitor, name, None) else method


def _handlers(visitor_type: type, node_type: type) -> _Handlers:
    name = node_type.__name__
    handlers = (_own_method(visitor_type, f"visit_{name}"), _own_method(visitor_type, f"leave_{name}"))
    _DISPATCH[visitor_type][0][node_type] = handlers
    return handlers


def _own_names(visitor_type: type) -> set[str]:
    """Names the visitor's own classes define: the only ones `_own_method` can find (a name only
    CSTVisitor and its bases define is their default). Not `dir()`: that lists libcst's 1,600
    default visit/leave methods, and scanning them cost milliseconds per visitor type."""
    defaults = set(cst.CSTVisitor.__mro__)
    return {name for klass in visitor_type.__mro__ if klass not in defaults for name in vars(klass)}


def _supported(visitor_type: type) -> bool:
    return (
        visitor_type.on_visit is cst.CSTVisitor.on_visit
        and visitor_type.on_leave is cst.CSTVisitor.on_leave
        and visitor_type.on_visit_attribute is cst.CSTVisitor.on_visit_attribute
        and not any(
            attribute.count("_") > 1
            and attribute.startswith(("visit_", "leave_"))
            and attribute.split("_", 2)[1][:1].isupper()
            and _own_method(visitor_type, attribute) is not None
            for attribute in _own_names(visitor_type)
        )
    )


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor, top_level: dict[int, int] | None = None) -> None:
    """Call `visitor`'s `visit_X`/`leave_X` methods on `node` and its descendants, pre-order, like
    `node.visit(visitor)` but without rebuilding the tree.

    Given `top_level` and a Module, also fills it with `id(node)` -> index of the module-level
    statement holding the node, for every node walked (positions use it to regenerate only the
    statements they need)."""
    visitor_type = type(visitor)
    entry = _DISPATCH.get(visitor_type)
    if entry is None:
        if not _supported(visitor_type):
            node.visit(visitor)
            return
        own = _own_names(visitor_type)
        handles_trivia = any(
            _own_method(visitor_type, name)
            for trivia in TRIVIA
            for name in (f"visit_{trivia.__name__}", f"leave_{trivia.__name__}")
            if name in own
        )
        entry = _DISPATCH[visitor_type] = ({}, frozenset() if handles_trivia else TRIVIA)
    dispatch, skip = entry
    fields_table = _CHILD_FIELDS
    value_kinds = _VALUE_KIND
    record = top_level is not None and isinstance(node, cst.Module)
    statement_index = -1

    def visit(current: cst.CSTNode) -> None:
        if record:
            top_level[id(current)] = statement_index  # type: ignore[index]
        node_type = type(current)
        on_visit, on_leave = dispatch.get(node_type) or _handlers(visitor_type, node_type)
        if on_visit is None or on_visit(visitor, current) is not False:
            known = fields_table.get(node_type)
            if known is None or (known[1] and any(getattr(current, name) is not None for name in known[1])):
                fields = child_fields(current)
            else:
                fields = known[0]
            for name in fields:
                value = getattr(current, name)
                value_type = type(value)
                kind = value_kinds.get(value_type)
                if kind is None:
                    kind = _value_kind(value_type)
                if kind == _NODE:
                    if value_type not in skip:
                        visit(value)
                elif kind == _SEQUENCE:
                    for child in value:
                        if type(child) not in skip:
                            visit(child)
        if on_leave is not None:
            on_leave(visitor, current)

    try:
        if not record:
            visit(node)
            return
        # The module's own level, unrolled to know which statement each node belongs to.
        on_visit, on_leave = dispatch.get(type(node)) or _handlers(visitor_type, type(node))
        if on_visit is None or on_visit(visitor, node) is not False:
            for name in child_fields(node):
                value = getattr(node, name)
                for index, child in enumerate(value if isinstance(value, (tuple, list)) else (value,)):
                    statement_index = index if name == "body" else -1
                    if isinstance(child, cst.CSTNode) and type(child) not in skip:
                        visit(child)
        if on_leave is not None:
            on_leave(visitor, node)
    finally:
        # `visit` reaches itself through its closure cell: a reference cycle holding the visitor and
        # every node it stored (the whole tree) until the cyclic GC runs. The engine pauses the GC
        # while a file is checked, so the next collection would traverse all of it. Break it here.
        del visit
