"""Unsafe fixes of leakage findings that move a fit to where it belongs: into a `Pipeline` given
to the cross-validation or search (HPL407, HPL404), after the train/test split (HPL403, HPL404,
HPL405), or early stopping on a validation split carved out of the training data (HPL402).

These rewrites move statements, so each builder accepts one exact shape and returns None for
everything else (the finding is then reported without a fix, the common case):
- the fit is one statement `Xt = Maker(...).fit_transform(X)` (or `fit_resample`, or a named
  transformer `scaler.fit_transform(X)` for the split fixes) directly in a block of the scope;
- the statement that consumes its output comes later in the same block (or, for a
  cross-validation, inside a later statement of that block, such as a loop over models);
- the output is read nowhere else, and nothing in between mentions the names involved, so
  moving the fit cannot change what any other statement sees;
- every edit is in the notebook cell of the finding (fixes are applied cell by cell).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from hplint.analysis.name_index import NameIndex, name_index
from hplint.analysis.syntax import contains, last_part
from hplint.analysis.values import dotted_name
from hplint.analysis.walk import children
from hplint.context import FixSpec
from hplint.rules.fixes import module_alias, seed_value

if TYPE_CHECKING:
    from hplint.analysis.events import FitEvent
    from hplint.context import FileContext

UNSAFE = "unsafe"
_SPLIT = "sklearn.model_selection.train_test_split"
_MAKE_PIPELINE = "sklearn.pipeline.make_pipeline"
_IMBLEARN_MAKE_PIPELINE = "imblearn.pipeline.make_pipeline"
# Search attributes that read the same after the estimator became a pipeline (`best_params_` keys
# gain the step prefix: allowed only where it is printed).
_SEARCH_READS = frozenset({"best_score_", "cv_results_", "best_index_", "n_splits_", "refit_time_", "scorer_"})
# Keyword arguments that name the estimator's own parameters: a pipeline would need them prefixed.
_STEP_KEYED = frozenset({"fit_params", "params"})
_DEFERRED = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


# -- where statements are ---------------------------------------------------------------------


@dataclass(slots=True)
class _Place:
    block: tuple  # the statements of the block, in order
    index: int
    scope: cst.CSTNode  # Module or FunctionDef


def _places(ctx: "FileContext") -> dict[int, _Place]:
    """id(simple statement line) -> its block and index, for the whole file (once per file)."""
    return ctx.shared("pipeline fix places", lambda: _collect_places(ctx.module.body, ctx.module, {}))


def _collect_places(block, scope: cst.CSTNode, places: dict[int, _Place]) -> dict[int, _Place]:
    # A module-level function, not a closure calling itself: that would be a reference cycle
    # keeping the file's tree alive until the cyclic collector runs (see hplint/pool.py).
    block = tuple(block)
    for index, statement in enumerate(block):
        if isinstance(statement, cst.SimpleStatementLine):
            places[id(statement)] = _Place(block, index, scope)
            continue
        inner = statement if isinstance(statement, cst.FunctionDef) else scope
        for sub in _sub_blocks(statement):
            _collect_places(sub, inner, places)
    return places


def _sub_blocks(statement: cst.CSTNode) -> list:
    """The statement lists inside a compound statement (not those of one-line suites)."""
    found = []
    for name in ("body", "orelse", "finalbody"):
        part = getattr(statement, name, None)
        if isinstance(part, cst.If):
            found += _sub_blocks(part)
            continue
        inner = getattr(part, "body", None) if part is not None else None
        if isinstance(part, cst.IndentedBlock):
            found.append(part.body)
        elif isinstance(inner, cst.IndentedBlock):
            found.append(inner.body)
    for handler in getattr(statement, "handlers", ()):
        if isinstance(handler.body, cst.IndentedBlock):
            found.append(handler.body.body)
    for case in getattr(statement, "cases", ()):
        if isinstance(case.body, cst.IndentedBlock):
            found.append(case.body.body)
    return found


def _statement(ctx: "FileContext", call: cst.Call) -> cst.SimpleStatementLine | None:
    site = ctx.semantic.call_by_node.get(call)
    statement = site.statement if site is not None else None
    return statement if isinstance(statement, cst.SimpleStatementLine) and id(statement) in _places(ctx) else None


def _top_in(block: tuple, node: cst.CSTNode, start: int) -> int | None:
    """Index of the statement of `block` (from `start`) that is or contains `node`."""
    for index in range(start, len(block)):
        if contains(block[index], node):
            return index
    return None


# -- names ------------------------------------------------------------------------------------


def _names(node: cst.CSTNode, wanted: set[str] | None = None, skip: cst.CSTNode | None = None) -> list[cst.Name]:
    """The variable names in `node` (not attribute or keyword names), in source order."""
    found: list[cst.Name] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current is skip:
            continue
        if type(current) is cst.Name:
            if wanted is None or current.value in wanted:
                found.append(current)
            continue
        kids = children(current)
        if isinstance(current, (cst.Attribute, cst.Arg)):
            kids = [current.value]
        elif isinstance(current, cst.Param):
            kids = [k for k in (current.default, current.annotation) if k is not None]
        stack.extend(reversed(kids))
    return found


def _uses_after(ctx: "FileContext", place: _Place, names: set[str]) -> list[cst.Name]:
    """Occurrences of `names` that may run after the statement at `place`: later in its scope,
    or inside functions and classes of the scope defined before it (their bodies run later).
    A nested function's own parameters and local variables of those names are other variables."""
    found: list[cst.Name] = []
    statement = place.block[place.index]
    index = _name_index(ctx)
    above = set()  # the statement and the nodes holding it: never pruned (they set `passed`)
    at = id(statement)
    while at is not None:
        above.add(at)
        at = index.parents.get(at)
    passed = False
    stack: list[tuple[cst.CSTNode, bool, frozenset]] = [(place.scope, False, frozenset(names))]
    while stack:
        node, deferred, wanted = stack.pop()
        if node is statement:
            passed = True
            continue
        if id(node) not in above and not (index.names.get(id(node), frozenset()) & wanted):
            continue  # no occurrence of a wanted name below: nothing to find there
        if type(node) is cst.Name:
            if node.value in wanted and (passed or deferred):
                found.append(node)
            continue
        if isinstance(node, (cst.Attribute, cst.Arg)):
            kids = [node.value]
        else:
            kids = children(node)
        inner = deferred or (isinstance(node, _DEFERRED) and node is not place.scope)
        if isinstance(node, (cst.FunctionDef, cst.Lambda)) and node is not place.scope:
            wanted = wanted - _locals(ctx, node, wanted)
        stack.extend((kid, inner, wanted) for kid in reversed(kids))
    return found


def _name_index(ctx: "FileContext") -> NameIndex:
    return ctx.shared("pipeline_fixes name index", lambda: name_index(ctx.module))


def _locals(ctx: "FileContext", function: cst.CSTNode, names: frozenset) -> set[str]:
    """Which of `names` are parameters or local variables of a nested function."""
    scope = ctx.semantic.scopes.get(function)
    if scope is None or any(isinstance(n, (cst.Global, cst.Nonlocal)) for n in _walk(function)):
        return set()
    return {
        name for name in names
        if name in scope.params or any(b.scope is scope for b in ctx.semantic.bindings_of(name))
    }


def _walk(node: cst.CSTNode):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))


def _simple_data(node: cst.BaseExpression) -> bool:
    """Data written without calls (`X`, `df[features]`, `data.X`): it can be repeated elsewhere."""
    if isinstance(node, cst.Name):
        return True
    if isinstance(node, cst.Attribute):
        return _simple_data(node.value)
    if isinstance(node, cst.Subscript):
        if not _simple_data(node.value) or any(not isinstance(e.slice, cst.Index) for e in node.slice):
            return False
        return all(_constant_or_name(e.slice.value) for e in node.slice)
    return False


def _constant_or_name(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer)):
        return True
    if isinstance(node, (cst.List, cst.Tuple)):
        return all(_constant_or_name(e.value) for e in node.elements if not isinstance(e, cst.StarredElement))
    return _simple_data(node)


def _has_multiline_string(node: cst.CSTNode) -> bool:
    """Statements are re-indented when moved: a string spanning lines would change."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.SimpleString, cst.FormattedStringText)) and "\n" in current.value:
            return True
        stack.extend(children(current))
    return False


def _all_names(ctx: "FileContext") -> set[str]:
    return ctx.shared("pipeline fix names", lambda: {n.value for n in _names(ctx.module)})


def _snake(class_name: str) -> str:
    """`StandardScaler` -> `standard_scaler`, `SelectKBest` -> `select_k_best`, `PCA` -> `pca`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", class_name).lower()


def _same_cell(ctx: "FileContext", *nodes: cst.CSTNode) -> bool:
    if not ctx.source.is_notebook:
        return True
    cells = {ctx.source.to_cell(ctx.line_of(node))[0] for node in nodes}
    return len(cells) == 1


def _code(ctx: "FileContext", node: cst.CSTNode) -> str:
    return ctx.module.code_for_node(node)


def _line(ctx: "FileContext", statement: cst.SimpleStatementLine) -> str:
    """The statement as written (without its leading comments), at indentation 0."""
    return _code(ctx, statement.with_changes(leading_lines=()))


# -- imports ----------------------------------------------------------------------------------


def _imported(ctx: "FileContext", qualname: str) -> tuple[str, str | None] | None:
    """(local name, import line to add or None) for a function the fix calls; None when the
    name it would be imported as is already taken by something else."""
    local = module_alias(ctx, qualname)
    if local is not None:
        return local, None
    module, _, name = qualname.rpartition(".")
    if name in _all_names(ctx):
        return None
    return name, f"from {module} import {name}\n"


def _with_imports(ctx: "FileContext", replacements: list, lines: list[str], anchor: cst.SimpleStatementLine) -> bool:
    """Add import lines after the last module-level import before `anchor` (in its cell), or
    else in front of the anchor's own replacement. False when neither is possible."""
    lines = [line for line in dict.fromkeys(lines) if line]
    if not lines:
        return True
    index = ctx.semantic.top_level_statement.get(id(anchor))
    if index is None:
        return False
    host = None
    for statement in ctx.module.body[:index]:
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
        ):
            host = statement
    if host is not None and _same_cell(ctx, host, anchor) and all(node is not host for node, _ in replacements):
        replacements.append((host, _line(ctx, host) + "".join(lines)))
        return True
    for index, (node, text) in enumerate(replacements):
        if node is anchor:
            replacements[index] = (node, "".join(lines) + text)
            return True
    return False


def _spec(ctx: "FileContext", message: str, replacements: list, report_node: cst.CSTNode) -> FixSpec | None:
    nodes = [node for node, _ in replacements]
    if not _same_cell(ctx, report_node, *nodes) or any(_has_multiline_string(n) for n in nodes):
        return None
    return FixSpec(message, tuple(replacements), UNSAFE)


# -- the fit statement ------------------------------------------------------------------------


@dataclass(slots=True)
class _Fit:
    statement: cst.SimpleStatementLine
    place: _Place
    targets: list[str]  # `Xt` or `X_res, y_res`
    maker: cst.Call | None  # the inline constructor `StandardScaler()`, or None
    receiver: str | None  # the named transformer (`scaler`), or None
    inputs: list[cst.BaseExpression]  # X, and y when given

    def class_name(self, ctx: "FileContext") -> str | None:
        if self.maker is None:
            return None
        return last_part(ctx.semantic.resolve(self.maker.func)) or last_part(dotted_name(self.maker.func))


def _fit_statement(ctx: "FileContext", fit: "FitEvent", methods: tuple[str, ...], targets: int) -> _Fit | None:
    call = fit.node
    if fit.site is not None or not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return None
    if call.func.attr.value not in methods or fit.method not in methods:
        return None
    statement = _statement(ctx, call)
    if statement is None or len(statement.body) != 1 or not isinstance(statement.body[0], cst.Assign):
        return None
    assign = statement.body[0]
    if assign.value is not call or len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    if targets == 1:
        names = [target.value] if isinstance(target, cst.Name) else []
    else:
        elements = target.elements if isinstance(target, (cst.Tuple, cst.List)) else ()
        names = [e.value.value for e in elements if isinstance(e, cst.Element) and isinstance(e.value, cst.Name)]
        if len(names) != len(elements):
            return None
    if len(names) != targets or len(set(names)) != targets:
        return None
    args = call.args
    if not 1 <= len(args) <= 2 or any(a.keyword is not None or a.star for a in args):
        return None
    inputs = [a.value for a in args]
    if not all(_simple_data(value) for value in inputs):
        return None
    receiver = call.func.value
    maker = name = None
    if isinstance(receiver, cst.Call):
        if dotted_name(receiver.func) is None or any(a.star for a in receiver.args):
            return None
        maker = receiver
    elif isinstance(receiver, cst.Name):
        name = receiver.value
        if name in names:
            return None
    else:
        return None
    return _Fit(statement, _places(ctx)[id(statement)], names, maker, name, inputs)


def _quiet_between(fit: _Fit, end: int, names: set[str]) -> bool:
    """No statement between the fit and the block's statement `end` mentions `names`."""
    return not any(_names(fit.place.block[i], names) for i in range(fit.place.index + 1, end))


def _input_names(fit: _Fit) -> set[str]:
    found: set[str] = set()
    for value in fit.inputs:
        found |= {n.value for n in _names(value)}
    return found


# -- HPL403 / HPL404 / HPL405: fit after the split -----------------------------------------------


# Transformers with `fit_transform` but no `transform`: the test part cannot be transformed.
_NO_TRANSFORM = frozenset({"TSNE", "MDS", "SpectralEmbedding", "ClassicalMDS"})


def split_fix(ctx: "FileContext", fit: "FitEvent") -> FixSpec | None:
    """`Xt = scaler.fit_transform(X)` then `a, b, ... = train_test_split(Xt, y)` becomes the split
    of `X`, then `a = scaler.fit_transform(a)` and `b = scaler.transform(b)` (a selector is fitted
    with the training labels; a resampler resamples the training part only)."""
    resample = fit.method == "fit_resample"
    parsed = _fit_statement(ctx, fit, ("fit_resample",) if resample else ("fit_transform",), 2 if resample else 1)
    if parsed is None or (resample and len(parsed.inputs) != 2):
        return None
    block, start = parsed.place.block, parsed.place.index
    outputs = set(parsed.targets)
    uses = _uses_after(ctx, parsed.place, outputs)
    split_call = _split_call(ctx, uses)
    if split_call is None:
        return None
    split_statement = _statement(ctx, split_call)
    end = _top_in(block, split_statement, start + 1) if split_statement is not None else None
    if end is None or block[end] is not split_statement:
        return None
    split_assign = split_statement.body[0]
    if len(split_statement.body) != 1 or not isinstance(split_assign, cst.Assign) or split_assign.value is not split_call:
        return None
    if any(not contains(split_call, use) for use in uses):
        return None  # the fitted output is read elsewhere too
    watched = outputs | _input_names(parsed) | ({parsed.receiver} if parsed.receiver else set())
    if not _quiet_between(parsed, end, watched):
        return None
    arrays = [a for a in split_call.args if a.keyword is None]
    if any(a.star for a in split_call.args) or not arrays:
        return None
    targets = split_assign.targets[0].target if len(split_assign.targets) == 1 else None
    elements = targets.elements if isinstance(targets, (cst.Tuple, cst.List)) else ()
    parts = [e.value.value for e in elements if isinstance(e, cst.Element) and isinstance(e.value, cst.Name)]
    if len(parts) != len(elements) or len(parts) != 2 * len(arrays) or len(set(parts)) != len(parts):
        return None
    if parsed.receiver in parts:
        return None  # the split would rebind the transformer
    texts = [_code(ctx, a.value) for a in arrays]

    def part_of(text: str) -> tuple[str, str] | None:
        if texts.count(text) != 1:
            return None
        index = texts.index(text)
        return parts[2 * index], parts[2 * index + 1]

    # The split now divides the raw data: each fitted output becomes the input it came from.
    raw = {name: _code(ctx, value) for name, value in zip(parsed.targets, parsed.inputs)}
    x_part = part_of(parsed.targets[0])
    if x_part is None:
        return None
    new_split = _substituted(ctx, split_statement, raw)
    if new_split is None:
        return None
    lines = [new_split]
    if resample:
        y_part = part_of(parsed.targets[1])
        if y_part is None or len(arrays) != 2:
            return None  # another array split along would have had the resampled rows
        maker = _code(ctx, parsed.maker) if parsed.maker is not None else parsed.receiver
        lines.append(f"{x_part[0]}, {y_part[0]} = {maker}.fit_resample({x_part[0]}, {y_part[0]})\n")
        message = f"Split first, then resample only the training part ({x_part[0]}, {y_part[0]})"
    else:
        fit_args = x_part[0]
        if len(parsed.inputs) == 2:
            y_part = part_of(_code(ctx, parsed.inputs[1]))
            if y_part is None:
                return None
            fit_args += f", {y_part[0]}"
        name = parsed.receiver
        if (fit.api is not None and last_part(fit.api.qualname) in _NO_TRANSFORM) or fit.api is None:
            return None
        if name is None:
            class_name = parsed.class_name(ctx)
            name = _snake(class_name) if class_name else None
            if not name or not name.isidentifier() or name in _all_names(ctx):
                return None
            lines.append(f"{name} = {_code(ctx, parsed.maker)}\n")
        lines.append(f"{x_part[0]} = {name}.fit_transform({fit_args})\n")
        lines.append(f"{x_part[1]} = {name}.transform({x_part[1]})\n")
        message = f"Split first, fit `{name}` on `{x_part[0]}` and transform `{x_part[1]}` with it"
    replacements = [(parsed.statement, ""), (split_statement, "".join(lines))]
    return _spec(ctx, message, replacements, fit.report_node)


def _split_call(ctx: "FileContext", uses: list[cst.Name]) -> cst.Call | None:
    """The `train_test_split` call the first read of the fitted output is an argument of."""
    if not uses:
        return None
    for site in ctx.semantic.calls:
        if site.qualname == _SPLIT or (site.api is not None and site.api.qualname == _SPLIT):
            if any(contains(arg.value, uses[0]) for arg in site.node.args):
                return site.node
    return None


def _substituted(ctx: "FileContext", statement: cst.SimpleStatementLine, names: dict[str, str]) -> str | None:
    """The statement with each read of `names` replaced by the given code."""
    assign = statement.body[0]
    value = assign.value.visit(_Replace(names))  # type: ignore[union-attr]
    new = statement.with_changes(leading_lines=(), body=[assign.with_changes(value=value)])
    return _code(ctx, new)


class _Replace(cst.CSTTransformer):
    """Replaces each read of a variable of `names` by the given code (not attribute or keyword
    names). A module-level class: one made per call would be cyclic garbage (a class refers to
    itself through its method resolution order)."""

    def __init__(self, names: dict[str, str]) -> None:
        super().__init__()
        self.names = names

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if original.value in self.names:
            return cst.parse_expression(self.names[original.value])
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)


# -- HPL407 / HPL404 / HPL405: the transformer into a pipeline given to the cross-validation -------


def pipeline_fix(ctx: "FileContext", fit: "FitEvent") -> FixSpec | None:
    """`Xt = Maker(...).fit_transform(X)` whose only reader is `cross_val_score(model, Xt, y)` (or a
    search's `fit(Xt, y)`) becomes `cross_val_score(make_pipeline(Maker(...), model), X, y)`; the
    search's grid keys get the model's step prefix (`C` -> `svc__C`). A resampler goes into an
    imbalanced-learn pipeline."""
    resample = fit.method == "fit_resample"
    parsed = _fit_statement(ctx, fit, ("fit_resample",) if resample else ("fit_transform",), 2 if resample else 1)
    if parsed is None or (resample and len(parsed.inputs) != 2):
        return None
    maker_statement = None
    if parsed.maker is None:
        maker_statement = _named_maker(ctx, parsed)
        if maker_statement is None:
            return None
    if not _stable(ctx, parsed.maker):
        return None
    place = parsed.place
    uses = _uses_after(ctx, place, set(parsed.targets))
    if len(uses) != len(parsed.targets):
        return None
    consumer = _consumer(ctx, uses[0])
    if consumer is None:
        return None
    call, estimator, x_arg, y_arg, search = consumer
    site = ctx.semantic.call_by_node[call]
    if site.scope.node is not place.scope:
        return None
    end = _top_in(place.block, call, place.index + 1)
    if end is None or not _quiet_between(parsed, end, set(parsed.targets) | _input_names(parsed)):
        return None
    if _names(place.block[end], _input_names(parsed) | set(parsed.targets), skip=call) and place.block[end] is not site.statement:
        return None  # a loop around the cross-validation also touches the data
    # Every read of the fitted output is an argument of the cross-validation: X, and y for a resampler.
    expected = [x_arg] + ([y_arg] if resample else [])
    if any(e is None for e in expected) or sorted(id(u) for u in uses) != sorted(id(e.value) for e in expected):
        return None
    if len(parsed.inputs) == 2 and not resample:  # a selector learns from y: the same y the CV gives
        if y_arg is None or _code(ctx, y_arg.value) != _code(ctx, parsed.inputs[1]):
            return None
    pipeline = _imported(ctx, _IMBLEARN_MAKE_PIPELINE if resample else _MAKE_PIPELINE)
    if pipeline is None:
        return None
    maker_code = _code(ctx, parsed.maker)
    estimator_statement = _enclosing_statement(ctx, estimator.value)
    if estimator_statement is None:
        return None
    new_estimator = cst.parse_expression(f"{pipeline[0]}({maker_code}, {_code(ctx, estimator.value)})")
    changes: dict[cst.CSTNode, dict[cst.CSTNode, cst.CSTNode]] = {}

    def change(node: cst.CSTNode, new: cst.CSTNode) -> bool:
        statement = _enclosing_statement(ctx, node)
        if statement is None:
            return False
        changes.setdefault(statement, {})[node] = new
        return True

    ok = change(estimator.value, new_estimator)
    for target, value in zip(parsed.targets, parsed.inputs):
        for use in uses:
            if use.value == target:
                ok = ok and change(use, value)
    if search is not None:
        ok = ok and _prefix_grid(ctx, parsed, estimator.value, search, change)
    if not ok:
        return None
    replacements: list = [(parsed.statement, "")]
    if maker_statement is not None:
        replacements.append((maker_statement, ""))
    for statement, mapping in changes.items():
        if statement is parsed.statement or statement is maker_statement:
            return None
        replacements.append((statement, _rewritten(ctx, statement, mapping)))
    if not _with_imports(ctx, replacements, [pipeline[1] or ""], estimator_statement):
        return None
    message = f"Move `{maker_code}` into `{pipeline[0]}(...)` given to the cross-validation"
    if search is not None:
        message += " (grid keys get the model's step prefix)"
    return _spec(ctx, message, replacements, fit.report_node)


def _named_maker(ctx: "FileContext", parsed: _Fit) -> cst.SimpleStatementLine | None:
    """`scaler = StandardScaler()` earlier in the block, when `scaler` is used only by the fit:
    its statement (to delete); `parsed.maker` becomes the constructor."""
    name = parsed.receiver
    bindings = ctx.semantic.bindings_of(name)
    if len(bindings) != 1 or len(_names(ctx.module, {name})) != 2 or not isinstance(bindings[0].value, cst.Call):
        return None
    statement = bindings[0].statement
    place = _places(ctx).get(id(statement))
    if place is None or place.block is not parsed.place.block or place.index >= parsed.place.index:
        return None
    assign = statement.body[0] if len(statement.body) == 1 else None
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
        return None
    maker = assign.value
    if dotted_name(maker.func) is None or any(a.star for a in maker.args):
        return None
    parsed.maker = maker
    return statement


def _stable(ctx: "FileContext", maker: cst.Call) -> bool:
    """The constructor's arguments mean the same wherever it is evaluated in the scope: every
    variable they read is bound only before it."""
    site = ctx.semantic.call_by_node.get(maker)
    if site is None:
        return False
    for name in _names(maker, skip=maker.func):
        if any(b.order >= site.order for b in ctx.semantic.bindings_of(name.value)):
            return False
    return True


def _enclosing_statement(ctx: "FileContext", node: cst.CSTNode) -> cst.SimpleStatementLine | None:
    """The simple statement line holding `node`, found down from its module-level statement."""
    index = ctx.semantic.top_level_statement.get(id(node))
    statement = ctx.module.body[index] if index is not None and index >= 0 else None
    while statement is not None and not isinstance(statement, cst.SimpleStatementLine):
        inner = [s for block in _sub_blocks(statement) for s in block if contains(s, node)]
        statement = inner[0] if inner else None
    return statement if statement is not None and id(statement) in _places(ctx) else None


def _rewritten(ctx: "FileContext", statement: cst.SimpleStatementLine, mapping: dict) -> str:
    class Replace(cst.CSTTransformer):
        def on_leave(self, original, updated):
            return mapping.get(original, updated) if original in mapping else updated

    return _code(ctx, statement.with_changes(leading_lines=()).visit(Replace()))


# Cross-validation functions whose estimator may become a pipeline (`validation_curve` names an
# estimator parameter, which would need the step prefix).
_CONSUMER_FUNCTIONS = {"cross_val_score", "cross_validate", "cross_val_predict", "learning_curve", "permutation_test_score"}


def _consumer(ctx: "FileContext", use: cst.Name):
    """(call, estimator arg, X arg, y arg, search constructor or None) of the cross-validation that
    reads `use` as its X: a CV function, or a search's `fit`."""
    semantic = ctx.semantic
    for site in semantic.calls:
        if not any(arg.value is use for arg in site.node.args):
            continue
        if any(arg.star for arg in site.node.args):
            return None
        if any(arg.keyword is not None and arg.keyword.value in _STEP_KEYED for arg in site.node.args):
            return None
        api = site.api
        if api is not None and api.role == "cv_scorer" and last_part(api.qualname) in _CONSUMER_FUNCTIONS:
            estimator, x_arg, y_arg = site.argument("estimator", 0), site.argument("X", 1), site.argument("y", 2)
            if estimator is None or x_arg is None or x_arg.value is not use:
                return None
            return site.node, estimator, x_arg, y_arg, None
        if site.method != "fit":
            return None
        x_arg, y_arg = site.argument("X", 0), site.argument("y", 1)
        if x_arg is None or x_arg.value is not use or any(
            a.keyword is not None and a.keyword.value not in ("X", "y", "groups") for a in site.node.args
        ):
            return None
        search = _search_of(ctx, site)
        if search is None:
            return None
        estimator = search.argument("estimator", 0)
        if estimator is None:
            return None
        return site.node, estimator, x_arg, y_arg, search
    return None


def _search_of(ctx: "FileContext", fit_site):
    """The `*SearchCV(...)` call site a `.fit` is called on: inline, or through a name bound once
    whose other reads only look at scores."""
    semantic = ctx.semantic
    receiver = fit_site.receiver
    if isinstance(receiver, cst.Call):
        site = semantic.call_by_node.get(receiver)
        return site if _is_search(site) else None
    if not isinstance(receiver, cst.Name):
        return None
    bindings = semantic.bindings_of(receiver.value)
    if len(bindings) != 1 or not isinstance(bindings[0].value, cst.Call) or bindings[0].unpack_index is not None:
        return None
    site = semantic.call_by_node.get(bindings[0].value)
    if not _is_search(site) or bindings[0].scope is not fit_site.scope:
        return None
    if any(arg.star or (arg.keyword is not None and arg.keyword.value == "fit_params") for arg in site.node.args):
        return None
    # Every other read of the search: score attributes, or `best_params_` printed.
    reads = _attribute_reads(ctx.module, receiver.value)
    printed = _printed_nodes(ctx)
    for name_node, attribute, attribute_node in reads:
        if name_node is receiver or name_node is bindings[0].target:
            continue
        if attribute in _SEARCH_READS:
            continue
        if attribute == "best_params_" and id(attribute_node) in printed:
            continue
        return None
    return site


def _is_search(site) -> bool:
    return site is not None and site.api is not None and site.api.role == "search" and bool(site.api.space_keyword)


def _attribute_reads(root: cst.CSTNode, name: str) -> list[tuple[cst.Name, str | None, cst.CSTNode | None]]:
    """Every occurrence of the variable `name`: (the Name, the attribute read on it or None, that
    Attribute node)."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Attribute):
            if isinstance(node.value, cst.Name) and node.value.value == name:
                found.append((node.value, node.attr.value, node))
                continue
            stack.append(node.value)
            continue
        if type(node) is cst.Name:
            if node.value == name:
                found.append((node, None, None))
            continue
        if isinstance(node, cst.Arg):
            stack.append(node.value)
            continue
        stack.extend(children(node))
    return found


def _printed_nodes(ctx: "FileContext") -> set[int]:
    """ids of every node inside the arguments of a `print(...)` call."""
    ids: set[int] = set()
    for site in ctx.semantic.calls:
        if isinstance(site.node.func, cst.Name) and site.node.func.value == "print":
            stack = list(site.node.args)
            while stack:
                node = stack.pop()
                ids.add(id(node))
                stack.extend(children(node))
    return ids


def _prefix_grid(ctx: "FileContext", parsed: _Fit, estimator: cst.BaseExpression, search, change) -> bool:
    """Prefix the search's grid keys with the model's step name (`make_pipeline` names steps by
    their lowercased class names)."""
    step = _class_of(ctx, estimator, search)
    transformer = parsed.class_name(ctx)
    if not step or not transformer or step.lower() == transformer.lower():
        return False
    grid_arg = search.argument(search.api.space_keyword, 1)
    if grid_arg is None:
        return False
    grid = grid_arg.value
    if isinstance(grid, cst.Name):
        bindings = ctx.semantic.bindings_of(grid.value)
        if len(bindings) != 1 or len(_names(ctx.module, {grid.value})) != 2 or bindings[0].unpack_index is not None:
            return False
        if bindings[0].order > search.order or bindings[0].value is None:
            return False
        grid = bindings[0].value
    prefix = step.lower() + "__"
    if _is_dict_call(ctx, grid):  # `dict(C=[1, 10])` -> `{"svc__C": [1, 10]}`
        elements = [cst.DictElement(cst.SimpleString(f'"{prefix}{a.keyword.value}"'), a.value) for a in grid.args]
        return change(grid, cst.Dict(elements))
    dicts = [grid] if isinstance(grid, cst.Dict) else [
        e.value for e in grid.elements if isinstance(e, cst.Element)
    ] if isinstance(grid, cst.List) else []
    if not dicts or (isinstance(grid, cst.List) and len(dicts) != len(grid.elements)):
        return False
    for mapping in dicts:
        if not isinstance(mapping, cst.Dict):
            return False
        for element in mapping.elements:
            key = element.key if isinstance(element, cst.DictElement) else None
            if not isinstance(key, cst.SimpleString):
                return False
            match = re.match(r"([rRuU]?)(['\"])(.*)$", key.value, re.DOTALL)
            if match is None or key.value.startswith(match.group(1) + match.group(2) * 3):
                return False
            if not change(key, key.with_changes(value=match.group(1) + match.group(2) + prefix + match.group(3))):
                return False
    return True


def _is_dict_call(ctx: "FileContext", node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == "dict"
        and not ctx.semantic.bindings_of("dict")
        and "dict" not in ctx.semantic.imports
        and bool(node.args)
        and all(a.keyword is not None and not a.star for a in node.args)
    )


def _class_of(ctx: "FileContext", estimator: cst.BaseExpression, search) -> str | None:
    """The class name of the model given to the search: `SVC(...)`, or a name bound once to it."""
    semantic = ctx.semantic
    if isinstance(estimator, cst.Name):
        bindings = semantic.bindings_of(estimator.value)
        if len(bindings) != 1 or bindings[0].order > search.order or not isinstance(bindings[0].value, cst.Call):
            return None
        if bindings[0].unpack_index is not None:
            return None
        estimator = bindings[0].value
    if not isinstance(estimator, cst.Call):
        return None
    name = last_part(semantic.resolve(estimator.func)) or last_part(dotted_name(estimator.func))
    if name == "make_pipeline":
        name = "Pipeline"  # a pipeline is a step named `pipeline`
    return name if name and name[0].isupper() else None


# -- HPL402: early stopping on a validation split ----------------------------------------------

# Keyword arguments that carry per-row data of the training set: rows would no longer match.
_ROW_KEYWORDS = re.compile(r"weight|group|margin|init_score|qid|base_score", re.IGNORECASE)
_EVAL_KEYWORDS = ("eval_set", "validation_data")


def validation_fix(ctx: "FileContext", fit: "FitEvent") -> FixSpec | None:
    """`model.fit(X_train, y_train, eval_set=[(X_test, y_test)])` becomes a split of the training
    data into `X_fit`/`X_val` and `model.fit(X_fit, y_fit, eval_set=[(X_val, y_val)])`."""
    call = fit.node
    if fit.site is not None or not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return None
    if call.func.attr.value != "fit":
        return None
    statement = _statement(ctx, call)
    if statement is None or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not ((isinstance(small, cst.Expr) and small.value is call) or (isinstance(small, cst.Assign) and small.value is call)):
        return None
    args = call.args
    positional = [a for a in args if a.keyword is None]
    if len(positional) != 2 or any(a.star for a in args) or not all(isinstance(a.value, cst.Name) for a in positional):
        return None
    x_train, y_train = positional[0].value.value, positional[1].value.value
    evals = [a for a in args if a.keyword is not None and a.keyword.value in _EVAL_KEYWORDS]
    others = [a for a in args if a.keyword is not None and a.keyword.value not in _EVAL_KEYWORDS]
    if len(evals) != 1 or any(_ROW_KEYWORDS.search(a.keyword.value) and a.keyword.value != "class_weight" for a in others):
        return None
    tuples = _eval_tuples(evals[0].value)
    if tuples is None:
        return None
    dataflow = ctx.dataflow
    test_pairs = []
    for pair in tuples:
        first = dataflow.value_of(pair.elements[0].value)
        if first is not None and (first.is_test or first.is_test_by_name):
            test_pairs.append(pair)
        elif [e.value.value for e in pair.elements] != [x_train, y_train]:
            return None  # some other data: not a shape this fix knows
    if not test_pairs or len({tuple(e.value.value for e in p.elements) for p in test_pairs}) != 1:
        return None
    x_test, y_test = (e.value.value for e in test_pairs[0].elements)
    if {x_test, y_test} & {x_train, y_train} or x_train == y_train:
        return None
    names = _renamed(x_train, "train", "fit"), _renamed(y_train, "train", "fit"), \
        _renamed(x_test, "test", "val"), _renamed(y_test, "test", "val")
    taken = _all_names(ctx)
    if len(set(names)) != 4 or any(n in taken for n in names):
        return None
    x_fit, y_fit, x_val, y_val = names
    split = _imported(ctx, _SPLIT)
    if split is None:
        return None
    mapping: dict[cst.CSTNode, cst.CSTNode] = {
        positional[0].value: cst.Name(x_fit),
        positional[1].value: cst.Name(y_fit),
    }
    for pair in tuples:
        test = pair in test_pairs
        mapping[pair.elements[0].value] = cst.Name(x_val if test else x_fit)
        mapping[pair.elements[1].value] = cst.Name(y_val if test else y_fit)
    seed = seed_value(ctx, statement)
    lines = [
        f"{x_fit}, {x_val}, {y_fit}, {y_val} = {split[0]}({x_train}, {y_train}, test_size=0.2, random_state={seed})\n",
        _rewritten(ctx, statement, mapping),
    ]
    replacements: list = [(statement, "".join(lines))]
    if not _with_imports(ctx, replacements, [split[1] or ""], statement):
        return None
    message = (
        f"Stop early on `{x_val}, {y_val}`, a validation split of `{x_train}, {y_train}`, instead of the test data"
    )
    return _spec(ctx, message, replacements, fit.report_node)


def _eval_tuples(value: cst.BaseExpression) -> list[cst.Tuple] | None:
    """The `(X, y)` pairs of an `eval_set=[(...), ...]` / `validation_data=(X, y)`, all of names."""
    if isinstance(value, cst.Tuple) and len(value.elements) == 2 and all(
        isinstance(e, cst.Element) and isinstance(e.value, cst.Name) for e in value.elements
    ):
        return [value]
    if not isinstance(value, (cst.List, cst.Tuple)) or not value.elements:
        return None
    pairs = []
    for element in value.elements:
        if not isinstance(element, cst.Element) or not isinstance(element.value, cst.Tuple):
            return None
        pair = element.value
        if len(pair.elements) != 2 or not all(
            isinstance(e, cst.Element) and isinstance(e.value, cst.Name) for e in pair.elements
        ):
            return None
        pairs.append(pair)
    return pairs


def _renamed(name: str, old: str, new: str) -> str:
    """`X_train` -> `X_fit`, `x_test` -> `x_val`; a name without the word gets it as a suffix."""
    if old in name:
        return name.replace(old, new, 1)
    return f"{name}_{new}"
