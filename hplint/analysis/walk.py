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

import threading
from bisect import bisect_left
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


# visitor type -> the node types seen so far that it has a method for
_HANDLED: dict[type, set[type]] = {}


def _handlers(visitor_type: type, node_type: type) -> _Handlers:
    name = node_type.__name__
    handlers = (_own_method(visitor_type, f"visit_{name}"), _own_method(visitor_type, f"leave_{name}"))
    _DISPATCH[visitor_type][0][node_type] = handlers
    if handlers != (None, None):
        _HANDLED.setdefault(visitor_type, set()).add(node_type)
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
    statement holding the node, for every node walked (from the flat arrays, every node of each
    statement, also those below a node whose visit_X returned False); positions use it to
    regenerate only the statements they need."""
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
    record = top_level is not None and isinstance(node, cst.Module)
    if skip is TRIVIA and _walk_flat(node, visitor, dispatch, top_level if record else None):
        return
    fields_table = _CHILD_FIELDS
    value_kinds = _VALUE_KIND
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


# -- walking from flat pre-order arrays ---------------------------------------------------------
#
# Rules walk the same module several times (the semantic model, then HPL406, HPL410, HPL412,
# HPL413 and the own-statistic fills each once, HPL406 again per statement). Each top-level
# statement is flattened once into its pre-order nodes (trivia left out, as the walk skips them)
# with the end of each node's subtree; a walk then loops over the positions of the node types the
# visitor handles, skipping a subtree when `visit_X` returns False and calling `leave_X` when the
# loop passes the end of that node's subtree: the same calls in the same order as the recursive
# walk. libcst nodes are immutable, so a statement's arrays stay right as long as it lives; the
# server's incremental parse (hplint/incremental.py) reuses unchanged statements, and with them
# these arrays. Only the statements of the last `_KEPT_MODULES` modules walked are kept.


class _Flat:
    __slots__ = ("statement", "order", "ends", "where", "by_type", "by_visitor")

    def __init__(self, statement: cst.CSTNode) -> None:
        self.statement = statement
        order: list[cst.CSTNode] = []
        ends: list[int] = []
        by_type: dict[type, list[int]] = {}
        fields_table = _CHILD_FIELDS
        value_kinds = _VALUE_KIND

        def add(current: cst.CSTNode) -> None:
            index = len(order)
            order.append(current)
            ends.append(0)
            node_type = type(current)
            at = by_type.get(node_type)
            if at is None:
                by_type[node_type] = [index]
            else:
                at.append(index)
            known = fields_table.get(node_type)
            if known is None or (known[1] and any(getattr(current, name) is not None for name in known[1])):
                fields = child_fields(current)
            else:
                fields = known[0]
            for name in fields:
                value = getattr(current, name)
                kind = value_kinds.get(type(value))
                if kind is None:
                    kind = _value_kind(type(value))
                if kind == _NODE:
                    if type(value) not in TRIVIA:
                        add(value)
                elif kind == _SEQUENCE:
                    for child in value:
                        if type(child) not in TRIVIA:
                            add(child)
            ends[index] = len(order)

        try:
            add(statement)
        finally:
            del add  # the closure refers to itself: break the cycle (see walk)
        self.order = order
        self.ends = ends
        self.where = dict(zip(map(id, order), range(len(order))))
        # node type -> its positions, ascending: a visitor's positions are merged from the lists of
        # the types it handles instead of testing every node of the statement once per visitor type.
        self.by_type = by_type
        # visitor type -> positions of the nodes it has a method for
        self.by_visitor: dict[type, list[int]] = {}

    def positions_for(self, visitor_type: type, dispatch: dict) -> list[int]:
        found = self.by_visitor.get(visitor_type)
        if found is None:
            by_type = self.by_type
            # Set operations on the types (in C), not a loop over them: the types the visitor has
            # not met yet are looked up once, then the statement's types it handles are picked.
            for node_type in by_type.keys() - dispatch.keys():
                _handlers(visitor_type, node_type)
            handled = by_type.keys() & _HANDLED.get(visitor_type, ())
            if len(handled) == 1:
                found = by_type[handled.pop()]
            else:
                found = []
                for node_type in handled:
                    found += by_type[node_type]
                found.sort()  # ascending runs: timsort merges them
            self.by_visitor[visitor_type] = found
        return found


_KEPT_MODULES = 2
_kept: list[cst.Module] = []  # the modules walked last, newest last
_flats: dict[int, _Flat] = {}  # id(top-level statement) -> its arrays
_owners: dict[int, _Flat] = {}  # id(node) -> the arrays holding it (statements of _kept)
# The server lints two documents in two threads: the tables change under this lock. A walk
# holds the arrays it uses, so one pruned meanwhile is only built again (or walked recursively).
_lock = threading.Lock()


def _flat(statement: cst.CSTNode) -> _Flat:
    found = _flats.get(id(statement))
    if found is None or found.statement is not statement:
        found = _Flat(statement)
        with _lock:
            _flats[id(statement)] = found
            _owners.update(dict.fromkeys(found.where, found))
    return found


def _keep(module: cst.Module) -> None:
    """Make `module` the newest kept module; forget the statements no kept module holds."""
    global _kept, _owners
    kept = _kept
    if kept and kept[-1] is module:
        return
    with _lock:
        _kept = [m for m in _kept if m is not module][-(_KEPT_MODULES - 1) :] + [module]
        live = {id(statement) for kept_module in _kept for statement in kept_module.body}
        gone = [key for key in _flats if key not in live]
        if gone:
            for statement_id in gone:
                del _flats[statement_id]
            # Built again from the statements left (dict operations in C), rather than deleting
            # the forgotten nodes one by one in Python.
            owners: dict[int, _Flat] = {}
            for flat in _flats.values():
                owners.update(dict.fromkeys(flat.where, flat))
            _owners = owners


def _walk_flat(node: cst.CSTNode, visitor: cst.CSTVisitor, dispatch: dict, top_level: dict[int, int] | None) -> bool:
    """Walk `node` from flat arrays: a module, or a node of a module walked before. False when
    the node is in no arrays (the caller walks it recursively)."""
    visitor_type = type(visitor)
    if isinstance(node, cst.Module):
        _keep(node)
        on_visit, on_leave = dispatch.get(cst.Module) or _handlers(visitor_type, cst.Module)
        if top_level is not None:
            top_level[id(node)] = -1
        if on_visit is None or on_visit(visitor, node) is not False:
            for index, statement in enumerate(node.body):
                flat = _flat(statement)
                if top_level is not None:
                    # Every node of the statement, in one dict operation: also those below a node
                    # whose visit_X returns False, which the walk skips (they are in this statement
                    # all the same).
                    top_level.update(dict.fromkeys(flat.where, index))
                _run(flat, 0, len(flat.order), visitor, dispatch)
        if on_leave is not None:
            on_leave(visitor, node)
        return True
    flat = _owners.get(id(node))
    if flat is None:
        return False
    start = flat.where.get(id(node))
    if start is None or flat.order[start] is not node:
        return False
    _run(flat, start, flat.ends[start], visitor, dispatch)
    return True


def _run(flat: _Flat, start: int, stop: int, visitor: cst.CSTVisitor, dispatch: dict) -> None:
    visitor_type = type(visitor)
    positions = flat.positions_for(visitor_type, dispatch)
    order, ends = flat.order, flat.ends
    pending: list[tuple[int, cst.CSTNode, Callable]] = []  # (end of subtree, node, its leave_X)
    skip_until = -1
    for at in range(bisect_left(positions, start) if start else 0, len(positions)):
        index = positions[at]
        if index >= stop:
            break
        if index < skip_until:
            continue
        while pending and pending[-1][0] <= index:
            _, done, on_leave = pending.pop()
            on_leave(visitor, done)
        current = order[index]
        on_visit, on_leave = dispatch[type(current)]
        if on_visit is not None and on_visit(visitor, current) is False:
            skip_until = ends[index]
        if on_leave is not None:
            pending.append((ends[index], current, on_leave))
    while pending:
        _, done, on_leave = pending.pop()
        on_leave(visitor, done)
