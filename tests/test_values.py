"""analysis.values: literals read without running anything, and the exact type tests the analyses
use in place of isinstance."""

from __future__ import annotations

import libcst as cst

from hplint.analysis import values
from hplint.analysis.values import NOT_LITERAL, dotted_name, literal_value

# Classes the analyses test with `type(node) is ...` (values, the interpreter's `_eval`,
# `exec_statement`, `exec_small`, `_eval_call`): right only while libcst does not subclass them.
EXACT = (
    *values._LITERAL_SHAPES, cst.Attribute, cst.Call, cst.Subscript, cst.FormattedString, cst.Comparison,
    cst.BooleanOperation, cst.IfExp, cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp,
    cst.Lambda, cst.NamedExpr, cst.Await, cst.StarredElement, cst.Yield, cst.SimpleStatementLine,
    cst.FunctionDef, cst.ClassDef, cst.If, cst.For, cst.While, cst.With, cst.Try, cst.TryStar,
    cst.Match, cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Expr, cst.Return,
)


def test_exactly_tested_node_classes_have_no_subclasses() -> None:
    assert [klass.__name__ for klass in EXACT if klass.__subclasses__()] == []


def _expression(text: str) -> cst.BaseExpression:
    return cst.parse_expression(text)


def test_literal_values() -> None:
    cases = {
        "0.2": 0.2, "1_000": 1000, "-3": -3, "'a' 'b'": "ab", "b'x'": b"x", "(1, 'x')": (1, "x"),
        "[1, 2]": [1, 2], "{'lr': 1e-3}": {"lr": 1e-3}, "10 ** -3": 10**-3, "None": None, "True": True,
    }
    for text, expected in cases.items():
        assert literal_value(_expression(text)) == expected, text
        assert literal_value(_expression(text)) == expected, text  # the second read comes from the cache
    for text in ("f'{x}'", "x", "call(1)", "a.b", "[*a]", "10 ** 10 ** 10", "x + 1"):
        assert literal_value(_expression(text)) is NOT_LITERAL, text
    assert literal_value(None) is NOT_LITERAL
    long_text = "'" + "a" * 500 + "'"  # evaluated each time, not cached
    assert literal_value(_expression(long_text)) == "a" * 500


def test_dotted_names() -> None:
    assert dotted_name(_expression("sklearn.svm.SVC")) == "sklearn.svm.SVC"
    assert dotted_name(_expression("model")) == "model"
    assert dotted_name(_expression("models[0].fit")) is None
