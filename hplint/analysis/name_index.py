"""Which variable names occur below each node of a module, and each node's parent (by id).

The pipeline fixes ask, once per finding, where names are used after a statement
(rules/pipeline_fixes.py `_uses_after`): with this index they skip every subtree that holds none of
the names, instead of walking the whole module for each finding.

Names are counted as `_uses_after` reads them: an attribute or an argument contributes only its
value (`obj.X` and `f(X=1)` hold no variable `X`).

The index is kept per top-level statement: libcst nodes are immutable, and the server's incremental
parse (hplint/incremental.py) reuses the statements an edit did not touch, so a re-lint indexes only
the statements that changed. Only the statements of the last `_KEPT_MODULES` modules are kept, as
the walker keeps its arrays (analysis/walk.py).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import libcst as cst

from hplint.analysis.walk import children

_KEPT_MODULES = 2


@dataclass(frozen=True, slots=True)
class NameIndex:
    names: dict[int, frozenset[str]]  # id(node) -> the names occurring in its subtree
    parents: dict[int, int]  # id(node) -> id(its parent)


class _Statement:
    __slots__ = ("statement", "names", "parents")

    def __init__(self, statement: cst.CSTNode) -> None:
        self.statement = statement
        self.names: dict[int, frozenset[str]] = {}
        self.parents: dict[int, int] = {}
        order: list[cst.CSTNode] = []
        stack: list[cst.CSTNode] = [statement]
        while stack:
            node = stack.pop()
            order.append(node)
            kids = [node.value] if isinstance(node, (cst.Attribute, cst.Arg)) else children(node)
            for kid in kids:
                self.parents[id(kid)] = id(node)
            stack.extend(kids)
        below: dict[int, set[str]] = {}
        for node in reversed(order):  # children before their parents
            mine = below.pop(id(node), set())
            if type(node) is cst.Name:
                mine.add(node.value)
            self.names[id(node)] = frozenset(mine)
            parent = self.parents.get(id(node))
            if parent is not None:
                below.setdefault(parent, set()).update(mine)


_statements: dict[int, _Statement] = {}  # id(top-level statement) -> its index
_kept: list[cst.Module] = []
# The server lints two documents in two threads: the tables change under this lock.
_lock = threading.Lock()


def name_index(module: cst.Module) -> NameIndex:
    """The index of `module`, from the per-statement indexes (built for statements not seen before)."""
    parts = [_statement(statement) for statement in module.body]
    _keep(module)
    names: dict[int, frozenset[str]] = {}
    parents: dict[int, int] = {}
    everything: set[str] = set()
    for statement, part in zip(module.body, parts):
        names.update(part.names)
        parents.update(part.parents)
        parents[id(statement)] = id(module)
        everything |= part.names[id(statement)]
    for kid in children(module):  # the header's and footer's comments and blank lines
        parents.setdefault(id(kid), id(module))
    names[id(module)] = frozenset(everything)
    return NameIndex(names, parents)


def _statement(statement: cst.CSTNode) -> _Statement:
    found = _statements.get(id(statement))
    if found is None or found.statement is not statement:
        found = _Statement(statement)
        with _lock:
            _statements[id(statement)] = found
    return found


def _keep(module: cst.Module) -> None:
    """Make `module` the newest kept module; forget the statements no kept module holds."""
    global _kept
    if _kept and _kept[-1] is module:
        return
    with _lock:
        _kept = [m for m in _kept if m is not module][-(_KEPT_MODULES - 1) :] + [module]
        live = {id(statement) for kept in _kept for statement in kept.body}
        for key in [key for key in _statements if key not in live]:
            del _statements[key]
