"""Building fixes for rules: small libcst rewrites of one node, returned as a `FixSpec`.

Each builder returns None when it cannot be sure of the rewrite (a call with `*args`, a name the
file does not import); the finding is then reported without a fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from hplint.context import FixSpec

if TYPE_CHECKING:
    from hplint.context import FileContext

# Module-level names taken to hold the file's seed, in order of preference.
SEED_CONSTANTS = ("SEED", "RANDOM_SEED", "RANDOM_STATE")


def seed_value(ctx: "FileContext", before: cst.CSTNode) -> str:
    """The file's seed constant when one is assigned at module level before `before`, else `0`."""
    line = ctx.line_of(before)
    assigned = ctx.shared("seed constants", lambda: _seed_constants(ctx))
    for name in SEED_CONSTANTS:
        if assigned.get(name, line) < line:
            return name
    return "0"


def _seed_constants(ctx: "FileContext") -> dict[str, int]:
    # Once per file, not once per fix: a script with many unseeded calls asked for it each time.
    assigned: dict[str, int] = {}
    for statement in ctx.module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            targets = []
            if isinstance(small, cst.Assign):
                targets = [t.target for t in small.targets]
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                targets = [small.target]
            for target in targets:
                if isinstance(target, cst.Name) and target.value in SEED_CONSTANTS:
                    assigned.setdefault(target.value, ctx.line_of(statement))
    return assigned


def module_alias(ctx: "FileContext", module: str) -> str | None:
    """The name under which the file imports `module` (`np` for numpy), or None."""
    for local, qualified in ctx.semantic.imports.items():
        if qualified == module:
            return local
    return None


def add_keyword(ctx: "FileContext", call: cst.Call, name: str, value: str, message: str, applicability: str = "safe") -> FixSpec | None:
    """`call` with `name=value` appended to its arguments, laid out like the existing ones."""
    if any(arg.star for arg in call.args) or any(arg.keyword is not None and arg.keyword.value == name for arg in call.args):
        return None
    try:
        expression = cst.parse_expression(value)
    except cst.ParserSyntaxError:
        return None
    args = list(call.args)
    new = cst.Arg(value=expression, keyword=cst.Name(name), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    if args:
        last = args[-1]
        if isinstance(last.comma, cst.Comma):  # a trailing comma: one argument per line
            between = args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else cst.Comma(whitespace_after=call.whitespace_before_args)
            args[-1] = last.with_changes(comma=between)
            new = new.with_changes(comma=last.comma)
        else:  # the space before `)` (a newline in a multi-line call) moves after the new argument
            args[-1] = last.with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")), whitespace_after_arg=cst.SimpleWhitespace("")
            )
            new = new.with_changes(whitespace_after_arg=last.whitespace_after_arg)
    args.append(new)
    code = ctx.module.code_for_node(call.with_changes(args=args))
    return FixSpec(message, ((call, code),), applicability)


def callee_name(call: cst.Call) -> str | None:
    """The last name of the callee: `suggest_float` in `trial.suggest_float(...)`."""
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return None


def rename_callee(ctx: "FileContext", call: cst.Call, new_name: str, message: str, applicability: str = "safe", args=None) -> FixSpec | None:
    """`call` with the last name of its callee replaced (`tune.uniform` -> `tune.loguniform`); bare
    names are left alone (the new name would need an import)."""
    if not isinstance(call.func, cst.Attribute):
        return None
    changed = call.with_changes(func=call.func.with_changes(attr=cst.Name(new_name)))
    if args is not None:
        changed = changed.with_changes(args=args)
    return FixSpec(message, ((call, ctx.module.code_for_node(changed)),), applicability)


def replace_arg_values(call: cst.Call, values: dict[int, str]) -> list[cst.Arg] | None:
    """The call's arguments with the positional ones at the given indexes replaced by new code."""
    args = list(call.args)
    for index, code in values.items():
        if index >= len(args) or args[index].keyword is not None or args[index].star:
            return None
        args[index] = args[index].with_changes(value=cst.parse_expression(code))
    return args
