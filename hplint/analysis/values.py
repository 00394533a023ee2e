"""Reading values out of expressions without running anything."""

from __future__ import annotations

from ast import literal_eval
from functools import lru_cache

import libcst as cst

_NOT_LITERAL = object()
# Beyond this, an int power has thousands of digits: no hyperparameter, and slow to compute.
_MAX_EXPONENT = 1024


# What libcst's `evaluated_value` computes (`ast.literal_eval` of the literal's text), read once per
# text: each literal_eval call compiles the text and leaves closures that refer to themselves
# (garbage for the cyclic collector, about 8 objects a call), and literal texts repeat a lot
# (0, 1, 0.2, column names). The values (int, float, str, bytes) are immutable, so sharing is safe.
# Long texts (embedded data, docstrings) rarely repeat and would make the cache large in the
# long-running server: they are evaluated each time.
_evaluated_short = lru_cache(maxsize=8192)(literal_eval)
_SHORT = 200


def _evaluated(text: str) -> object:
    return _evaluated_short(text) if len(text) <= _SHORT else literal_eval(text)


# The node types a literal can be. Exact type tests: isinstance on libcst's ABC-based classes
# costs a Python-level ABCMeta.__instancecheck__ per miss, and the concrete classes have no
# subclasses.
_LITERAL_SHAPES = frozenset({
    cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString, cst.Name, cst.UnaryOperation,
    cst.List, cst.Tuple, cst.Set, cst.Dict, cst.BinaryOperation,
})


def literal_value(node: cst.BaseExpression | None) -> object:
    """The Python value of a literal expression, or `NOT_LITERAL`.

    Literals are numbers (with a sign), strings (not f-strings), True/False/None, and lists, tuples,
    sets and dicts made only of literals. Names, calls and arithmetic other than a sign are not.
    """
    node_type = type(node)
    if node_type not in _LITERAL_SHAPES:  # most expressions asked about: calls, names, attributes
        return _NOT_LITERAL
    if node_type in (cst.Integer, cst.Float):
        return _evaluated(node.value)
    if node_type is cst.SimpleString:
        try:
            return _evaluated(node.value)
        except Exception:  # byte strings with odd escapes
            return _NOT_LITERAL
    if node_type is cst.ConcatenatedString:
        left, right = literal_value(node.left), literal_value(node.right)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return _NOT_LITERAL
    if node_type is cst.Name:
        return {"True": True, "False": False, "None": None}.get(node.value, _NOT_LITERAL)
    if node_type is cst.UnaryOperation and isinstance(node.operator, (cst.Minus, cst.Plus)):
        inner = literal_value(node.expression)
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner if isinstance(node.operator, cst.Minus) else inner
        return _NOT_LITERAL
    if node_type in (cst.List, cst.Tuple, cst.Set):
        items = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                return _NOT_LITERAL
            value = literal_value(element.value)
            if value is _NOT_LITERAL:
                return _NOT_LITERAL
            items.append(value)
        if node_type is cst.Tuple:
            return tuple(items)
        return items if node_type is cst.List else frozenset_or_list(items)
    if node_type is cst.Dict:
        result = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return _NOT_LITERAL
            key, value = literal_value(element.key), literal_value(element.value)
            if key is _NOT_LITERAL or value is _NOT_LITERAL:
                return _NOT_LITERAL
            try:
                result[key] = value
            except TypeError:
                return _NOT_LITERAL
        return result
    if node_type is cst.BinaryOperation and isinstance(node.operator, cst.Power):
        # 1e-3 is often written 10 ** -3; treat numeric powers as literals.
        base, exponent = literal_value(node.left), literal_value(node.right)
        if isinstance(exponent, int) and exponent > _MAX_EXPONENT and isinstance(base, int) and abs(base) > 1:
            return _NOT_LITERAL  # `10 ** 10 ** 10` would take minutes and gigabytes to compute
        if _is_number(base) and _is_number(exponent):
            try:
                return base**exponent
            except (OverflowError, ZeroDivisionError):
                return _NOT_LITERAL
    return _NOT_LITERAL


def frozenset_or_list(items: list) -> object:
    try:
        return frozenset(items)
    except TypeError:
        return items


NOT_LITERAL = _NOT_LITERAL


def is_literal(node: cst.BaseExpression | None) -> bool:
    return literal_value(node) is not _NOT_LITERAL


def is_number(value: object) -> bool:
    return _is_number(value)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def literal_text(node: cst.BaseExpression) -> str:
    """The source text of a (small) expression, as written."""
    return cst.Module(body=()).code_for_node(node)


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for Name/Attribute chains, else None."""
    parts: list[str] = []
    while type(node) is cst.Attribute:  # exact type tests, as in `literal_value`
        parts.append(node.attr.value)
        node = node.value
    if type(node) is cst.Name:
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def number_text_precision(text: str) -> int:
    """Significant digits of a numeric literal as written (`0.00137` → 3, `487` → 3, `1e-3` → 1)."""
    text = text.replace("_", "").lower().lstrip("+-")
    mantissa = text.split("e", 1)[0]
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")
    return len(digits)

