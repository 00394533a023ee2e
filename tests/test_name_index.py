"""The per-statement name index the pipeline fixes use (hplint/analysis/name_index.py)."""

from __future__ import annotations

import libcst as cst

from hplint.analysis import name_index as index_module
from hplint.analysis.name_index import name_index
from hplint.incremental import StatementCache
from hplint.source import SourceFile

CODE = """\
import numpy as np
X = np.load("x.npy")  # a comment
def f(a, b=X):
    return obj.X + g(X=a)
y = f(X)
"""


def test_names_below_each_node_and_parents() -> None:
    module = cst.parse_module(CODE)
    index = name_index(module)
    assign, function, call = module.body[1], module.body[2], module.body[3]
    assert index.names[id(module)] == {"numpy", "np", "X", "f", "a", "b", "obj", "g", "y"}
    assert index.names[id(assign)] == {"X", "np"}
    # An attribute or a keyword argument contributes only its value: `obj.X`, `g(X=a)` hold no `X`.
    returned = function.body.body[0].body[0].value
    assert index.names[id(returned)] == {"obj", "g", "a"}
    assert index.names[id(call)] == {"y", "f", "X"}
    assert index.parents[id(assign)] == id(module)
    assert index.parents[id(returned)] == id(function.body.body[0].body[0])


def test_a_statement_an_edit_left_alone_is_not_indexed_again() -> None:
    cache = StatementCache()
    before, _ = cache.parse(SourceFile(path="t.py", text=CODE))
    name_index(before)
    kept = index_module._statements[id(before.body[1])]
    after, _ = cache.parse(SourceFile(path="t.py", text=CODE.replace("y = f(X)", "y = f(X, X)")))
    assert after.body[1] is before.body[1]  # reused by the incremental parse
    index = name_index(after)
    assert index_module._statements[id(after.body[1])] is kept
    assert index.names[id(after.body[3])] == {"y", "f", "X"}
