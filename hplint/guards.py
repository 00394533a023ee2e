"""Guards against input that libcst or hplint's own analysis cannot take, checked before parsing.

libcst's native parser overflows its stack on deep nesting (a segmentation fault from about 2,000
nested brackets, or 8,000 `+` terms) and its time grows with the square of the nesting or chain
length (`1 + 1 + ...`: 2,000 terms ~1.6 s, 6,000 terms ~40 s; a 200-deep `f(f(...))` ~0.2 s). Real
files hold such expressions: pixel data written as `[0]*44 + [18] + [42] + ...`, 2,000 terms. The
analysis walks the tree recursively, and CPython 3.12 stops libcst's code generation at about 800
nested nodes whatever the recursion limit.

`guard(text)` decides what libcst gets:
- almost every file: the text itself. `screen` looks at the bytes only (`translate`, `replace`,
  `count`, `splitlines`): about 0.4% of a libcst parse on the scikit-learn examples, none flagged;
- a flagged file (long computed lines, deep brackets or indentation, long `elif` chains, runs of
  continued lines; 1.8% of the Kaggle scripts) is parsed by CPython (~8% of a libcst parse) and
  measured on that tree:
  - CPython rejects it for its own limits (200 nested brackets, 100 indentation levels): a
    syntax error with CPython's message and position;
  - CPython gives up (RecursionError or MemoryError, chains of ~10,000+ terms): too deep to
    analyse, the file is not checked;
  - an expression deeper than `MAX_EXPRESSION_DEPTH` levels or `MAX_BRACKET_DEPTH` brackets: the
    whole chain is replaced by `(...)` padded with spaces, every line and column kept, and the
    rest of the file is analysed as usual (positions elsewhere are unchanged; fixes are refused
    because the text differs). Where `(...)` cannot stand (an assignment target), or statements
    nest deeper than `MAX_STATEMENT_DEPTH`, the file is too deep to analyse.
What the screen lets through is shallow enough: lines under `_LONG_LINE` characters or with few
operators, at most `_SCREEN_BRACKETS` brackets deep, fewer than `_OPERATOR_RUN` operators in a
row and `_CONTINUED_LINES` lines in a row continued by an operator or a backslash.
Blind spots: brackets in strings and comments count as brackets, so closing brackets in strings,
interleaved with real nesting, hide as many levels; a chain split over fewer than
`_CONTINUED_LINES` lines with many operators on each line and none at the line ends.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from dataclasses import dataclass

# Deepest expression analysed as written, in levels of CPython's tree (`1 + 1 + 1` is 2 levels,
# `a.f().g()` is 4). Deeper ones are replaced by `(...)`. In 21,000 files of real code (the
# corpora, the standard library, site-packages) the deepest ML code reaches 46; beyond 100 there
# are only generated data and sympy tables, where libcst spends ~60 ms on each 167-deep
# polynomial line (sympy's bench_solvers.py: 11 s for 544 lines, 2.5 s with them masked).
MAX_EXPRESSION_DEPTH = 100
# Deepest bracket nesting analysed as written (calls, subscripts, displays, comprehensions):
# libcst's cost grows fastest with it (a 100-deep `f(f(...))` costs ~0.1 s).
MAX_BRACKET_DEPTH = 50

# Deepest statement nesting analysed: blocks (CPython allows 100 levels of indentation) and
# `elif` chains, which both parsers nest (each `elif` is an `if` in the previous `else`). Deeper
# files are not checked: no statement can stand in for part of a chain.
MAX_STATEMENT_DEPTH = 300

# The screen's thresholds (see the module docstring).
_SCREEN_BRACKETS = MAX_BRACKET_DEPTH
_LONG_LINE = 600
_LONG_LINE_LEVELS = 75
_OPERATOR_RUN = 100
_CONTINUED_LINES = 20
_TOO_MANY_INDENTS = 100
# CPython's own limit (its tokenizer's MAXLEVEL); libcst overflows its stack from ~2,000.
_CPYTHON_BRACKETS = 200

_OPENERS_CLOSERS = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"()[]{}")
# Operators (and backslashes) as `+`, blanks deleted: a run of unary operators is a run of `+`,
# and a line continued by an operator has `+\n` or `\n+`.
_OPERATORS_AS_PLUS = bytes.maketrans(b"-*/%@&|^<>~.\\", b"+" * 13)
_BLANKS = b" \t\r\f"
_UNARY_RUN = b"+" * _OPERATOR_RUN
_NOT_END_MARKS = bytes(b for b in range(256) if b not in b"\x01\n")
# What makes one level of expression on a long line: an operator, an attribute, a trailer
# after a trailer (`)(`, `][`, `).`), a keyword that nests. Brackets are counted apart.
_LEVEL = re.compile(
    rb"[-+*/%@&|^~<>]|\.[A-Za-z_]|[)\]][(\[.]|\b(?:not|lambda|if|await|and|or)\b|['\"][ \t]+['\"]"
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to parse. `text` is None when nothing can be parsed: then `syntax_error` says CPython
    rejected the file (report its error) or `depth` how deep the nesting that defeats us is."""

    text: str | None
    syntax_error: bool = False
    depth: int = 0
    reason: str = ""
    inspected: bool = False  # CPython parsed the text (it is valid Python)

    @property
    def masked(self) -> bool:
        return self.text is not None and self.reason != ""


def guard(text: str, path: str = "<unknown>") -> Verdict:
    """The text to hand to libcst: `text` itself, the same with too-deep expressions masked, or
    nothing (a syntax error, or too deep)."""
    if not screen(text):
        return Verdict(text)
    return inspect(text, path)


def screen(text: str) -> bool:
    """Whether `text` may hold nesting or chains too deep for libcst and the analysis (cheap,
    with false alarms: big literals, long computed lines)."""
    data = _bytes(text)
    lines = data.splitlines()
    if max(map(len, lines), default=0) > _LONG_LINE and any(
        len(_LEVEL.findall(line)) > _LONG_LINE_LEVELS for line in lines if len(line) > _LONG_LINE
    ):
        return True
    if _bracket_depth_exceeds(data, _SCREEN_BRACKETS):
        return True
    if b"\n" + b" " * _TOO_MANY_INDENTS in data or b"\n" + b"\t" * _TOO_MANY_INDENTS in data:
        return True
    if data.count(b"elif") > MAX_STATEMENT_DEPTH - _TOO_MANY_INDENTS:
        return True
    operators = data.translate(_OPERATORS_AS_PLUS, _BLANKS)
    if _UNARY_RUN in operators:
        return True
    if operators.count(b"+\n") + operators.count(b"\n+") < _CONTINUED_LINES:
        return False
    return _continued_run(operators)


def _continued_run(operators: bytes) -> bool:
    """Whether `_CONTINUED_LINES` lines in a row end with an operator, or start with one: each
    such line end (start) is marked, everything but the marks and line ends deleted."""
    ends = operators.replace(b"+\n", b"\x01\n").translate(None, _NOT_END_MARKS)
    if b"\x01\n" * _CONTINUED_LINES in ends:
        return True
    starts = operators.replace(b"\n+", b"\n\x01").translate(None, _NOT_END_MARKS)
    return b"\n\x01" * _CONTINUED_LINES in starts


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _bracket_depth_exceeds(data: bytes, limit: int) -> bool:
    # Only the brackets, as `(` and `)`; each pass deletes the innermost pairs, so `()` survives
    # `limit` passes only where brackets nest deeper than `limit`. Most files need a few passes.
    brackets = data.translate(_OPENERS_CLOSERS, _NOT_BRACKETS)
    for _ in range(limit):
        if b"()" not in brackets:
            return False
        brackets = brackets.replace(b"()", b"")
    return b"()" in brackets


def inspect(text: str, path: str = "<unknown>") -> Verdict:
    """Parse `text` with CPython and decide from its tree (see the module docstring)."""
    try:
        tree = _compile(text, path)
    except SyntaxError as error:
        if "too many" in (error.msg or "") or _bracket_depth_exceeds(_bytes(text), _CPYTHON_BRACKETS):
            return Verdict(None, syntax_error=True)  # "too many nested parentheses", "... levels of indentation"
        # Another error may be syntax newer than this interpreter's, which libcst reads; the
        # caller's own syntax checks decide, as for files the screen lets through.
        return Verdict(text)
    except (RecursionError, MemoryError) as error:
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return Verdict(None, depth=_rough_depth(text), reason=f"Python's own parser gives up ({reason})")
    except ValueError:  # NUL bytes: the caller's syntax error path says so
        return Verdict(None, syntax_error=True)
    targets, deepest = _too_deep_expressions(tree, text.split("\n"))
    if targets is not None and not targets:
        return Verdict(text, inspected=True)
    masked = _mask(text, targets) if targets is not None else None
    if masked is None:
        return Verdict(None, depth=deepest, reason="nothing can stand in for the deepest part")
    try:
        _compile(masked, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return Verdict(None, depth=deepest, reason="nothing can stand in for the deepest part")
    return Verdict(masked, depth=deepest, reason=f"{len(targets)} expression(s) nested too deeply", inspected=True)


# CPython's tree building stops at a depth tied to the recursion limit (3.11: a 5,000-term chain
# fails at the default 1,000). The CLI runs with 4,000, which CPython 3.10-3.13 turn into a clean
# RecursionError, not a crash, on chains of any length (tried up to 100,000 terms).
_COMPILE_RECURSION_LIMIT = 4000


def _compile(text: str, path: str) -> ast.Module:
    limit = sys.getrecursionlimit()
    if limit < _COMPILE_RECURSION_LIMIT:
        sys.setrecursionlimit(_COMPILE_RECURSION_LIMIT)
    try:
        with warnings.catch_warnings():
            # CPython's warnings about the checked code (`1if x else 2`: "invalid decimal
            # literal") would be printed on hplint's stderr, outside any output format.
            warnings.simplefilter("ignore")
            return compile(text, path, "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    finally:
        sys.setrecursionlimit(limit)


def too_deep_message(depth: int = 0) -> str:
    levels = f" ({depth} levels)" if depth else ""
    return f"code is nested too deeply to analyse{levels}; the file was not checked"


def _rough_depth(text: str) -> int:
    """A size for the message when CPython's parser gave up: the levels counted on the longest
    line (0, no number, when the nesting spans lines)."""
    longest = max(text.encode("utf-8", "surrogatepass").splitlines(), key=len, default=b"")
    levels = len(_LEVEL.findall(longest))
    return levels if levels > MAX_EXPRESSION_DEPTH else 0


# CPython nodes written with brackets of their own.
_BRACKETED = (
    ast.Call, ast.Subscript, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.SetComp,
    ast.DictComp, ast.GeneratorExp, ast.JoinedStr,
)


def _too_deep_expressions(tree: ast.AST, lines: list[str]) -> tuple[list[ast.expr] | None, int]:
    """The expressions to mask (none inside another; None if one cannot be masked) and the
    deepest expression level seen."""
    parents: dict[int, ast.AST] = {}
    targets: dict[int, ast.expr] = {}
    deepest = 0
    # (node, expression depth, bracket depth); statements reset both (a lambda body does not).
    stack: list[tuple[ast.AST, int, int, int]] = [(tree, 0, 0, 0)]
    while stack:
        node, depth, brackets, statements = stack.pop()
        if isinstance(node, ast.expr):
            # libcst nests what CPython keeps flat: `a and b and c` is two BooleanOperations,
            # `"a" "b" "c"` two ConcatenatedStrings.
            depth += _flat_levels(node, lines) if isinstance(node, _FLAT_CHAINS) else 1
            deepest = max(deepest, depth)
            if depth > MAX_EXPRESSION_DEPTH or brackets > MAX_BRACKET_DEPTH:
                target = _mask_target(node, parents)
                if target is None:
                    return None, deepest
                targets[id(target)] = target
                continue  # what lies below is masked with it
        elif isinstance(node, ast.stmt):
            depth = brackets = 0
            statements += 1  # an `elif` is an `if` inside the previous one's `else`
            if statements > MAX_STATEMENT_DEPTH:
                return None, statements
        inside = brackets + 1 if isinstance(node, _BRACKETED) else brackets
        # A call's function and a subscript's value sit before the brackets: `a[0][0]` and
        # `f()()` are chains, not nesting.
        outside = getattr(node, "func", None) if isinstance(node, ast.Call) else (
            node.value if isinstance(node, ast.Subscript) else None
        )
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
            stack.append((child, depth, brackets if child is outside else inside, statements))
    # A target found early may sit inside one found later: masks must not overlap.
    return [t for t in targets.values() if not _inside_any(t, targets, parents)], deepest


_FLAT_CHAINS = (ast.BoolOp, ast.Constant, ast.JoinedStr)
_STRING_PARTS = re.compile(r"""['"][ \t]*(?:\\?\r?\n[ \t]*)?[rRbBuUfF]{0,2}['"]""")


def _flat_levels(node: ast.expr, lines: list[str]) -> int:
    if isinstance(node, ast.BoolOp):
        return max(1, len(node.values) - 1)
    if isinstance(node, ast.Constant) and not isinstance(node.value, (str, bytes)):
        return 1
    # A string: as many levels as the parts written one after the other (roughly: a quote,
    # blanks, a quote), looked for only in strings long enough to hold many.
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    if last == first and (node.end_col_offset or 0) - node.col_offset < 2 * MAX_EXPRESSION_DEPTH:
        return 1
    segment = "\n".join(lines[first : last + 1])
    return max(1, len(_STRING_PARTS.findall(segment)))


def _inside_any(node: ast.AST, targets: dict[int, ast.expr], parents: dict[int, ast.AST]) -> bool:
    current = parents.get(id(node))
    while isinstance(current, ast.expr):
        if id(current) in targets:
            return True
        current = parents.get(id(current))
    return False


def _mask_target(node: ast.expr, parents: dict[int, ast.AST]) -> ast.expr | None:
    """The expression to replace for a too-deep `node`: the top of the chain it belongs to (the
    whole `1 + 1 + ...`, `f(f(...))` or `a.f().f()...`), else the statement's outermost expression.
    None when that cannot be replaced by `(...)` (an assignment target)."""
    path = [node]  # from `node` up to the statement's outermost expression
    current = parents.get(id(node))
    while isinstance(current, ast.expr):
        path.append(current)
        current = parents.get(id(current))
    # A leaf hanging off the chain (the last operand) stands for its parent.
    start = 0
    if len(path) > 2 and type(path[1]) is not type(node) and type(path[2]) is not type(node):
        start = 1
    kind = type(path[start])
    top = start
    # Climb through nodes of the same kind, directly or every other level (`.f()` is an
    # Attribute under a Call under an Attribute...).
    while True:
        if top + 1 < len(path) and type(path[top + 1]) is kind:
            top += 1
        elif top + 2 < len(path) and type(path[top + 2]) is kind and _spine(path[top], path[top + 1]):
            top += 2
        else:
            break
    chain_top = path[top]
    # What stays above the mask must be shallow, and f-string parts cannot be cut out alone.
    if len(path) - 1 - top > MAX_EXPRESSION_DEPTH // 2 or any(
        isinstance(p, (ast.JoinedStr, ast.FormattedValue)) for p in path[top:]
    ):
        chain_top = path[-1]
    if isinstance(getattr(chain_top, "ctx", None), (ast.Store, ast.Del)):
        return None
    return chain_top


def _spine(child: ast.expr, parent: ast.expr) -> bool:
    """Whether `child` is what `parent` is applied to (`x` in `x.a`, `x(...)`, `x[...]`)."""
    return child is getattr(parent, "func", None) or child is getattr(parent, "value", None)


def _mask(text: str, targets: list[ast.expr]) -> str | None:
    """`text` with each target's source replaced by `(...)` and spaces (newlines kept), or None if
    a target's place cannot hold it."""
    if "\r" in text.replace("\r\n", ""):
        return None  # lone carriage returns: CPython's line numbers are not ours
    lines = text.split("\n")
    for target in targets:
        start_row, end_row = target.lineno - 1, (target.end_lineno or target.lineno) - 1
        start = _column(lines[start_row], target.col_offset)
        end = _column(lines[end_row], target.end_col_offset or 0)
        # The characters to overwrite, per line (not the line ends).
        spans = []
        for row in range(start_row, end_row + 1):
            line = lines[row]
            first = start if row == start_row else 0
            last = end if row == end_row else len(line.rstrip("\r"))
            spans.append((row, first, last))
        if not _fill(lines, spans):
            return None
    return "\n".join(lines)


def _fill(lines: list[str], spans: list[tuple[int, int, int]]) -> bool:
    """Write `(` at the first character, `...` on one line, `)` at the last, spaces elsewhere."""
    room = [last - first for _, first, last in spans]
    ellipsis_row = next((i for i, r in enumerate(room) if r >= (4 if i == 0 else 3) + (i == len(room) - 1)), None)
    if ellipsis_row is None or room[0] < 1 or room[-1] < 1 or sum(room) < 5:
        return False
    for index, (row, first, last) in enumerate(spans):
        fill = [" "] * (last - first)
        if index == 0:
            fill[0] = "("
        if index == ellipsis_row:
            at = 1 if index == 0 else 0
            fill[at : at + 3] = "..."
        if index == len(spans) - 1:
            fill[-1] = ")"
        line = lines[row]
        lines[row] = line[:first] + "".join(fill) + line[last:]
    return True


def _column(line: str, byte_offset: int) -> int:
    """CPython's UTF-8 byte offset in `line` as a code point column."""
    if line.isascii():
        return byte_offset
    return len(line.encode("utf-8", "surrogatepass")[:byte_offset].decode("utf-8", "replace"))
