"""HPL1xx: hyperparameters written as literals in training code.

All five rules read one shared collection, `_Collection`, built once per file from the semantic
model: every call to a known ML API with the literal values it receives for the API's parameters
(keyword or positional arguments, params dicts of booster `train` calls, `**params` dicts), plus the
literal bounds of epoch loops. The rules differ only in which of those literals they report.

What counts as *training code*: every statement of a non-test file (module level of a script or
notebook, function bodies, loops) except function signatures (a default value is a configuration
entry point), calls inside a search (`GridSearchCV(SVC(kernel="rbf"), grid)`: the fixed values are
deliberately fixed, the search tunes the rest), and functions that sample a search space (an Optuna
objective, where values next to `trial.suggest_*` are fixed on purpose).
"""

from __future__ import annotations

import io
import math
import re
import tokenize
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from hplint import knowledge
from hplint.analysis.semantic import Binding, CallSite, Scope, SemanticModel
from hplint.analysis.values import (
    NOT_LITERAL,
    is_number,
    literal_text,
    literal_value,
)
from hplint.knowledge.schema import Api, Param
from hplint.rules.base import Option, Rule, register
from hplint.knowledge.justification import REASON_WORDS, REFERENCE
from hplint.source import NOQA_RE

if TYPE_CHECKING:
    from hplint.context import FileContext, FixSpec

# Roles whose arguments are never training hyperparameters: evaluation, splitting, searching and
# the search spaces themselves (HPL5xx looks at those).
_NOT_TRAINING_ROLES = frozenset(
    {"metric", "splitter", "split_function", "search", "cv_scorer", "hpo_study", "hpo_space", "pipeline"}
)
# Roles that construct something whose own hyperparameters may be left implicit (HPL105).
_CONSTRUCTED_ROLES = frozenset({"estimator", "optimizer", "training_config", "trainer", "booster_train"})

_EPOCH_NAME = re.compile(r"^(e|ep|epoch|epochs|n_epoch|i_epoch|epoch_i|epoch_idx|epoch_num|epoch_id)$")
# Calls that make a loop body a training loop: an optimizer or scheduler step, a backward pass,
# a fit, or a call to a (user-defined) training function.
_TRAINING_METHODS = frozenset({"step", "backward", "fit", "train_on_batch", "fit_generator", "partial_fit"})
_TRAINING_FUNCTION = re.compile(r"(^|_)train($|_)")

DEFAULT_CONFIG_NAMES = (
    "config",
    "cfg",
    "conf",
    "configs",
    "hparams",
    "hyperparams",
    "hyperparameters",
    "settings",
    "args",
    "opt",
    "opts",
    "options",
    "flags",
)


# -- the shared collection ------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class LiteralArg:
    """A literal value given to a parameter of a known API."""

    name: str  # the parameter as written (keyword, dict key, or the parameter a position binds to)
    param: Param | None  # the knowledge-base parameter, None for names only an option declares
    node: cst.BaseExpression  # the literal expression
    value: object
    # The variable holding the params dict the value was written in (`params = {...}`), if any.
    holder: Binding | None = None

    @property
    def text(self) -> str:
        return literal_text(self.node)


@dataclass(slots=True, eq=False)
class CallLiterals:
    site: CallSite
    api: Api
    label: str  # how messages name the call: `RandomForestClassifier`, `xgb.train`, `model.fit`
    literals: list[LiteralArg] = field(default_factory=list)
    # False for calls whose literals are deliberate: inside a search, in a search-space sampling
    # function, in a function signature, or in a test file.
    training: bool = True
    # Parameters the call passes in some way (keyword, position, params dict), literal or not.
    passed: set[str] = field(default_factory=set)
    # The call forwards `*args`/`**kwargs` it cannot see into, or a dict that is a config object.
    opaque: bool = False


@dataclass(slots=True, eq=False)
class EpochLoop:
    loop: cst.For
    bound: cst.BaseExpression  # the literal upper bound of `range(...)`
    value: int


@dataclass(slots=True)
class _Collection:
    calls: list[CallLiterals]
    epoch_loops: list[EpochLoop]


# The collection of the file being checked: rules run one after the other on one file, so one
# slot shared by the HPL1xx rules is enough (libcst nodes take no weak references).
_last: tuple[cst.Module, _Collection] | None = None


def collect(ctx: FileContext) -> _Collection:
    """The literals of every known call in the file, computed once and shared by the HPL1xx rules."""
    global _last
    last = _last  # one read: the server lints two documents in two threads
    if last is None or last[0] is not ctx.module:
        skip_all = ctx.is_test_file and not ctx.settings.check_test_files
        last = _last = (ctx.module, _Collector(ctx.semantic, skip_all).run())
    return last[1]


class _Collector:
    def __init__(self, semantic: SemanticModel, skip_all: bool) -> None:
        self.semantic = semantic
        self.skip_all = skip_all

    def run(self) -> _Collection:
        semantic = self.semantic
        sampling_scopes = {site.scope for site in semantic.calls if _samples_space(site)}
        sampling_scopes.update(self._objective_scopes())
        searched = self._calls_inside_searches()
        calls: list[CallLiterals] = []
        for site in semantic.calls:
            api = site.api
            if api is None:
                continue
            entry = CallLiterals(site, api, _label(site, api))
            self._read_arguments(entry)
            entry.training = not (
                self.skip_all
                or api.role in _NOT_TRAINING_ROLES
                or (api.role == "data_loader" and _assigned_to_evaluation(site))
                or site.node in searched
                or _in_signature(site)
                or _inside_any(site.scope, sampling_scopes)
            )
            calls.append(entry)
        epoch_loops = [] if self.skip_all else list(self._epoch_loops(sampling_scopes))
        return _Collection(calls, epoch_loops)

    # -- arguments ---------------------------------------------------------------------------
    def _read_arguments(self, entry: CallLiterals) -> None:
        api, site = entry.api, entry.site
        dict_position = api.params_dict_position
        position = 0
        for arg in site.node.args:
            if arg.star == "**":
                self._read_dict(entry, arg.value)
                continue
            if arg.star == "*":
                entry.opaque = True
                continue
            if arg.keyword is not None:
                name = arg.keyword.value
                if name == api.params_dict_keyword:
                    self._read_dict(entry, arg.value)
                    continue
                param = api.param(name)
            else:
                index, position = position, position + 1
                if index == dict_position:
                    self._read_dict(entry, arg.value)
                    continue
                param = api.param_at(index)
                if param is None:
                    continue
                name = param.name
            entry.passed.add(param.name if param is not None else name)
            self._add_literal(entry, name, param, arg.value)

    def _add_literal(
        self,
        entry: CallLiterals,
        name: str,
        param: Param | None,
        node: cst.BaseExpression,
        holder: Binding | None = None,
    ) -> None:
        value = literal_value(node)
        if value is NOT_LITERAL or not _is_value(value):
            return
        entry.literals.append(LiteralArg(name, param, node, value, holder))

    def _read_dict(self, entry: CallLiterals, expression: cst.BaseExpression) -> None:
        """Literal entries of a params dict: written in place, or a variable bound to one."""
        site = entry.site
        elements = _dict_items(expression)
        holder: Binding | None = None
        if elements is None and isinstance(expression, cst.Name):
            holder = self._binding_of(expression.value, site)
            if holder is not None and holder.value is not None:
                elements = _dict_items(holder.value)
            if elements is not None and holder is not None:
                elements = elements + self._item_assignments(expression.value, holder, site)
        if elements is None:
            entry.opaque = True
            return
        for key, value in elements:
            param = entry.api.param(key)
            entry.passed.add(param.name if param is not None else key)
            self._add_literal(entry, key, param, value, holder)

    def _binding_of(self, name: str, site: CallSite) -> Binding | None:
        binding = self.semantic.last_binding(name, site.order, site.scope)
        if binding is None:
            return None
        # A parameter of a function between the use and the binding shadows it.
        scope: Scope | None = site.scope
        while scope is not None and scope is not binding.scope:
            if name in scope.params:
                return None
            scope = scope.parent
        return binding

    def _item_assignments(
        self, name: str, binding: Binding, site: CallSite
    ) -> list[tuple[str, cst.BaseExpression]]:
        items = []
        for assignment in self.semantic.item_assignments.get(name, ()):
            if not binding.order < assignment.order < site.order or assignment.scope is not binding.scope:
                continue
            key = literal_value(assignment.key) if isinstance(assignment.key, cst.BaseExpression) else None
            if isinstance(key, str):
                items.append((key, assignment.value))
        return items

    # -- deliberate literals -------------------------------------------------------------------
    def _objective_scopes(self) -> set[Scope]:
        """Functions handed to a search (`fmin(objective, space)`, `study.optimize(objective)`,
        `RandomSearch(build_model)`): the values they fix next to the sampled ones are deliberate."""
        scopes: set[Scope] = set()
        for site in self.semantic.calls:
            if site.api is None or site.api.role != "hpo_study":
                continue
            for arg in site.node.args:
                if isinstance(arg.value, cst.Name):
                    function = self.semantic.functions.get(arg.value.value)
                    scope = self.semantic.scopes.get(function) if function is not None else None
                    if scope is not None:
                        scopes.add(scope)
        return scopes


    def _calls_inside_searches(self) -> set[cst.Call]:
        """Calls that build the estimator a search tunes, directly or through a variable."""
        found: set[cst.Call] = set()
        for site in self.semantic.calls:
            api = site.api
            if api is None or api.role not in ("search", "hpo_study"):
                continue
            estimator = site.keyword("estimator")
            if estimator is None and api.estimator_position is not None:
                estimator = site.positional(api.estimator_position)
            if estimator is not None:
                self._mark_calls(estimator.value, site, found, depth=0)
        return found

    def _mark_calls(self, node: cst.BaseExpression, site: CallSite, found: set[cst.Call], depth: int) -> None:
        if depth > 4:
            return
        if isinstance(node, cst.Call):
            found.add(node)
            for arg in node.args:
                self._mark_calls(arg.value, site, found, depth + 1)
        elif isinstance(node, (cst.List, cst.Tuple)):
            for element in node.elements:
                self._mark_calls(element.value, site, found, depth + 1)
        elif isinstance(node, cst.Name):
            binding = self._binding_of(node.value, site)
            if binding is not None and binding.value is not None and binding.unpack_index is None:
                self._mark_calls(binding.value, site, found, depth + 1)

    # -- epoch loops ------------------------------------------------------------------------------
    def _epoch_loops(self, sampling_scopes: set[Scope]) -> Iterator[EpochLoop]:
        for site in self.semantic.calls:
            loop = site.statement
            if (
                site.written != "range"
                or "range" in self.semantic.imports
                or not isinstance(loop, cst.For)
                or loop.iter is not site.node
                or not isinstance(loop.target, cst.Name)
                or not _EPOCH_NAME.match(loop.target.value)
                or _inside_any(site.scope, sampling_scopes)
            ):
                continue
            args = [a for a in site.node.args if a.keyword is None and not a.star]
            if not 1 <= len(args) <= 2:
                continue
            bound = args[-1].value
            value = literal_value(bound)
            if not isinstance(value, int) or isinstance(value, bool) or value < 2:
                continue
            if self._trains(loop, site.order):
                yield EpochLoop(loop, bound, value)

    def _trains(self, loop: cst.For, after: int) -> bool:
        for call in self.semantic.calls:
            if call.order <= after or loop not in call.loops:
                continue
            method = call.method
            if method is not None and method in _TRAINING_METHODS:
                return True
            written = call.written
            if written is not None and "." not in written and _TRAINING_FUNCTION.search(written):
                return True
        return False


def _is_value(value: object) -> bool:
    """Numbers, strings and tuples/lists of numbers; flags (bool/None) are choices, not values."""
    if isinstance(value, str):
        return True
    if isinstance(value, (tuple, list)):
        return bool(value) and all(is_number(v) for v in value)
    return is_number(value)


def _dict_items(node: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]] | None:
    """`{"eta": 0.1}` or `dict(eta=0.1)` as (key, value) pairs; None for anything else."""
    if isinstance(node, cst.Dict):
        items = []
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = literal_value(element.key)
                if isinstance(key, str):
                    items.append((key, element.value))
        return items
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        if any(a.keyword is None for a in node.args):
            return None  # `dict(base, silent=0)`: the base's entries are unknown here
        return [(a.keyword.value, a.value) for a in node.args]  # type: ignore[union-attr]
    return None


def _config_pattern(names: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n.lower()) for n in names)
    return re.compile(rf"(^|_)({alternatives})($|_)")


def _is_config_dict(holder: Binding, pattern: re.Pattern[str]) -> bool:
    """A module-level UPPER_CASE dict, or one named like a config object, is the configuration."""
    if holder.scope.is_module and holder.name.isupper():
        return True
    return pattern.search(holder.name.lower()) is not None


def _samples_space(site: CallSite) -> bool:
    """A call that samples a search space: `trial.suggest_float`, `hp.uniform`, `tune.choice`."""
    if site.api is not None:
        return site.api.role == "hpo_space"
    method = site.method
    return method is not None and method.startswith("suggest_")


_EVALUATION_NAME = re.compile(r"(^|_)(test|val|valid|validation|eval|dev)($|_)")


def _assigned_to_evaluation(site: CallSite) -> bool:
    """`test_loader = DataLoader(..., batch_size=1000)` or `{"valid": DataLoader(...)}`: an
    evaluation batch size is not tuned."""
    statement = site.statement
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if not isinstance(small, cst.Assign):
            continue
        if small.value is site.node:
            return any(
                isinstance(t.target, cst.Name) and _EVALUATION_NAME.search(t.target.value.lower())
                for t in small.targets
            )
        if isinstance(small.value, cst.Dict):  # loaders = {"train": ..., "valid": DataLoader(...)}
            for element in small.value.elements:
                if isinstance(element, cst.DictElement) and element.value is site.node:
                    key = literal_value(element.key)
                    return isinstance(key, str) and _EVALUATION_NAME.search(key.lower()) is not None
    return False


def _in_signature(site: CallSite) -> bool:
    # The semantic walk enters a function's scope and statement before its defaults and decorators;
    # calls in the body sit in statements of their own.
    return isinstance(site.statement, (cst.FunctionDef, cst.ClassDef))


def _inside_any(scope: Scope | None, scopes: set[Scope]) -> bool:
    while scope is not None:
        if scope in scopes:
            return True
        scope = scope.parent
    return False


def _label(site: CallSite, api: Api) -> str:
    """The callee as written when it names the API (`xgb.train`, `SFTConfig`), else the API's name."""
    written = site.written
    if written is not None:
        last = written.rsplit(".", 1)[-1]
        if any(name.rsplit(".", 1)[-1] == last for name in (api.qualname, *api.aliases)):
            return written
    return api.qualname.rsplit(".", 1)[-1]


def _format_args(literals: list[LiteralArg]) -> str:
    return ", ".join(f"{lit.name}={lit.text}" for lit in literals)


def _is_hyperparameter(lit: LiteralArg, entry: CallLiterals, extra: frozenset[str] = frozenset()) -> bool:
    if lit.name in extra or f"{entry.api.qualname.rsplit('.', 1)[-1]}.{lit.name}" in extra:
        return True
    param = lit.param
    return param is not None and param.is_hyperparameter and not _is_switch(param, lit.value)


def _is_tuned_number(lit: LiteralArg, entry: CallLiterals) -> bool:
    """What HPL102 and HPL103 look at: HPL101's default selection, numbers only."""
    return (
        not isinstance(lit.value, str)
        and _is_hyperparameter(lit, entry)
        and not _is_architecture(lit, entry)
    )


def _is_architecture(lit: LiteralArg, entry: CallLiterals) -> bool:
    """Sizes and shapes of a network layer, as opposed to its regularization (a dropout rate)."""
    return entry.api.role == "layer" and (lit.param is None or lit.param.kind != "regularization")


def _is_switch(param: Param, value: object) -> bool:
    """A value that turns a mechanism on or off rather than tuning it.

    `alpha=0`, `C=1e6` (regularization off), `l1_ratio=1` (pure L1: the end of its range), zero
    for a training knob that starts at zero (`momentum=0`, `min_delta=0`), and a
    component count of 2 or 3, which is a plotting choice (`PCA(n_components=2)` to draw a scatter).
    """
    if value in param.off_values:
        return True
    if not is_number(value):
        return False
    if param.off_at_least is not None and value >= param.off_at_least:  # type: ignore[operator]
        return True
    valid = param.valid
    if value == 0 and param.kind == "optimization" and valid is not None and valid.low == 0:
        return True  # `momentum=0`, `min_delta=0`, a `lr=0.0` placeholder a scheduler overwrites
    at_low = valid is not None and valid.low_inclusive and value == valid.low
    at_high = valid is not None and valid.high_inclusive and value == valid.high
    if param.kind == "regularization" and (at_low or at_high):
        return True
    return param.name in _PLOT_DIMENSION_PARAMS and param.kind == "tunable" and value in (1, 2, 3)


# Parameters that are the number of output dimensions of an embedding or decomposition.
_PLOT_DIMENSION_PARAMS = frozenset({"n_components"})


# -- HPL101 ------------------------------------------------------------------------------------------


@register
class HardcodedHyperparameter(Rule):
    code = "HPL101"
    name = "hardcoded-hyperparameter"
    summary = "A tunable hyperparameter of a known ML API is written as a literal in training code"
    doc = """
    ## What it does
    Reports literal numbers (and, with `report-strings`, strings) passed to tunable
    hyperparameters of known ML APIs
    (estimators, optimizers, schedulers, layers, trainers, booster `train` calls): keyword or
    positional arguments (`SGD(model.parameters(), 0.1)`), literal entries of a params dict that
    flows into `xgb.train(params, ...)`/`lgb.train(...)` or into `Estimator(**params)` (a dict
    literal, `dict(...)`, or a variable bound to one, with `params["eta"] = 0.1` assignments), and
    literal epoch counts of training loops (`for epoch in range(90):`, the loop variable named
    `epoch`, `epochs`, `ep`, `e`, `epoch_idx` ..., and a body that calls an optimizer `step`,
    `backward`, `fit`, or a `train...` function). One diagnostic per call names every such
    argument. A literal equal to the library default is reported too: an explicit default is still
    a decision made in code, and defaults change between library versions.

    Training code is every statement of a script, notebook or function body, except:
    function signatures (a default value *is* the configuration), estimators handed to a search
    (`GridSearchCV(SVC(kernel="rbf"), grid)`: the search tunes what it tunes, the rest is fixed on
    purpose), functions that sample a search space (an Optuna objective), and test files.

    Not reported, because a user would not call them hardcoded hyperparameters:
    - values read from config objects, argparse, the environment or function parameters, and
      names bound to a value (`LR = 3e-4` then `Adam(params, lr=LR)`);
    - dicts that are configuration objects: module-level UPPER_CASE names, or names matching
      `config-names` (`cfg`, `xgb_config`, `hparams` ...);
    - infrastructure, data and structural arguments (`random_state`, `n_jobs`, `verbose`,
      `device`, `max_iter` of a solver, `n_init`, `test_size`), as the knowledge base classifies
      them, and the batch size of a loader assigned to (or keyed by) a `test`/`val`/`eval` name;
    - booleans and `None` (switches), and values that switch a mechanism off rather than tune it:
      `alpha=0`, `C=1e6`, an end of a regularization range (`l1_ratio=1`);
    - a literal whose line carries a justification comment (`betas=(0.9, 0.98),  # from the
      paper`): a documented choice, not an arbitrary one (see `honour-justification-comments`);
    - `n_components` of 1, 2 or 3 (a projection for a plot);
    - string choices (`kernel="rbf"`, `loss="quantile"`: which model is built), unless
      `report-strings` is set;
    - the sizes and shapes of network layers (`Conv2d(3, 64, kernel_size=3)`, `Dense(128)`): a
      model definition spells out its architecture; layer regularization (dropout rates) is
      reported, architecture only with `report-layer-architecture`.

    ## Why is this bad?
    A literal buried in a call records a decision without its reason: nobody can tell whether
    `n_estimators=700` was tuned, copied, or guessed, and changing it means editing code. Values kept
    in a config (or a search space) can be logged with each run, compared and searched.

    ## Example
    ```python
    from sklearn.ensemble import RandomForestClassifier

    clf = RandomForestClassifier(n_estimators=700, max_depth=14)
    clf.fit(X_train, y_train)
    ```

    ## Use instead
    ```python
    from sklearn.ensemble import RandomForestClassifier

    clf = RandomForestClassifier(n_estimators=config.n_estimators, max_depth=config.max_depth)
    clf.fit(X_train, y_train)
    ```

    ## Fix safety
    The fix is safe: it hoists every hardcoded value of the file to a named module-level constant
    (`N_ESTIMATORS = 700`) placed after the docstring and the imports, and uses the constant at the
    call site. Names come from the keyword (`learning_rate` -> `LEARNING_RATE`), prefixed with the
    callee, or numbered, when two values would share a name or the name is already used in the
    file; the literal's text is copied as written, so no value changes. It is
    `hplint extract-config --to constants`, and one fix serves all the file's findings. Not
    hoisted: justified and `noqa`-suppressed values (they are not findings), and values inside an
    f-string (that finding has no fix). No fix in a file with a star import, nor in a notebook with
    IPython magics; in a notebook, only the values of the cell that receives the constants (the
    cell holding the first statement after the imports) are hoisted, since a fix edits one cell.
    """
    options = {
        "extra-hyperparameters": Option(
            tuple,
            (),
            'More arguments to treat as tunable: `"Api.param"` (the callee\'s class or function name, '
            'also for your own functions) or a bare parameter name (any known API).',
        ),
        "config-names": Option(
            tuple,
            DEFAULT_CONFIG_NAMES,
            "Names of configuration objects: a params dict bound to such a name (alone or as a "
            "`_`-separated part, `xgb_config`) is configuration, not a hardcoded value.",
        ),
        "check-epoch-loops": Option(bool, True, "Report literal epoch counts of training loops."),
        "report-layer-architecture": Option(
            bool,
            False,
            "Also report the architecture arguments of network layers (`Conv2d(..., kernel_size=3)`, "
            "`Dense(64)`, `LSTM(hidden_size=128)`). Off by default: a model definition spells out its "
            "layers; only layer regularization (dropout rates) is reported.",
        ),
        "report-strings": Option(
            bool,
            False,
            'Also report string choices (`kernel="rbf"`, `solver="lbfgs"`, `loss="quantile"`). Off by '
            "default: a string usually says which model is built, not how it is tuned.",
        ),
        "honour-justification-comments": Option(
            bool,
            True,
            "Do not report a literal whose line carries a comment that justifies it "
            "(`betas=(0.9, 0.98),  # from the paper`): a documented choice is not an arbitrary one. "
            "A justification is a comment of at least two words that says where the value comes from or "
            "why it was chosen (`from`, `paper`, `tuned`, `grid search`, `because`, a URL, `et al` ...: "
            "`# a simple model` describes, it does not justify), that is not commented-out code "
            "(`# 0.001`, `# lr=1e-3`), not a pragma (`# noqa`, `# type: ignore`, `# pylint: ...`) "
            "and not a `TODO`/`FIXME` nor a note naming a rule code (`# HPL103: hand-tuned`). Set to "
            "`false` to report every literal.",
        ),
    }
    valid = (
        """
        import torch.optim as optim
        LEARNING_RATE = 3e-4
        optimizer = optim.Adam(model.parameters(), lr=LEARNING_RATE)
        """,
        """
        from sklearn.svm import SVC
        def train(X, y, C=1.0):
            return SVC(C=C).fit(X, y)
        """,
        """
        from sklearn.model_selection import GridSearchCV
        from sklearn.svm import SVC
        search = GridSearchCV(SVC(kernel="rbf"), {"C": [0.1, 1, 10]}, cv=5)
        """,
        """
        from sklearn.ensemble import RandomForestClassifier
        clf = RandomForestClassifier(random_state=42, n_jobs=-1, verbose=0)
        """,
        """
        import xgboost as xgb
        booster = xgb.train(CONFIG["xgb"], dtrain, num_boost_round=config.rounds)
        """,
    )
    invalid = (
        """
        from sklearn.ensemble import RandomForestClassifier as RF
        clf = RF(n_estimators=700, max_depth=14).fit(X, y)
        """,
        """
        import torch.optim as optim
        optimizer = optim.SGD(model.parameters(), 0.1)
        """,
        """
        import xgboost as xgb
        params = {"eta": 0.1, "max_depth": 6}
        booster = xgb.train(params, dtrain)
        """,
        """
        import torch
        for epoch in range(90):
            loss = model(x).sum()
            loss.backward()
            optimizer.step()
        """,
    )

    def check(self, ctx: FileContext) -> None:
        extra = frozenset(self.option("extra-hyperparameters"))
        calls = list(self.hardcoded_calls(ctx))
        loops = list(self.hardcoded_epoch_loops(ctx))
        fix = None
        if calls or loops:
            from hplint.codemods.hoist import covers, hoist_fix  # the codemod imports this module

            fix = hoist_fix(ctx, calls, loops) if ctx.fixes_wanted else None
        for entry, group in calls:
            self._report(ctx, entry, group, fix if covers(fix, [lit.node for lit in group]) else None)
        if extra:
            self._report_extra_on_unknown_calls(ctx, extra)
        for loop in loops:
            target = loop.loop.target.value  # type: ignore[attr-defined]
            ctx.report(
                self,
                loop.bound,
                f"epoch loop `for {target} in range(...)`: the number of epochs ({loop.value}) is "
                "hardcoded; move it to a config",
                fix=fix if covers(fix, [loop.bound]) else None,
            )

    # What the rule reports, also read by `hplint extract-config` (hplint/codemods), which moves
    # exactly these literals and no others.
    def hardcoded_calls(self, ctx: FileContext) -> Iterator[tuple[CallLiterals, list[LiteralArg]]]:
        """Each reported call with its hardcoded literals, one group per params dict."""
        extra = frozenset(self.option("extra-hyperparameters"))
        config = _config_pattern(self.option("config-names"))
        strings = self.option("report-strings")
        architecture = self.option("report-layer-architecture")
        justified = _justified_rows(ctx) if self.option("honour-justification-comments") else None
        collection = collect(ctx)
        reported: set[cst.BaseExpression] = set()  # a params dict passed to several calls counts once
        found: list[tuple[CallLiterals, list[LiteralArg]]] = []
        for entry in collection.calls:
            if not entry.training:
                continue
            hardcoded = [
                lit
                for lit in entry.literals
                if lit.node not in reported
                and _is_hyperparameter(lit, entry, extra)
                and (strings or not isinstance(lit.value, str))
                and (architecture or not _is_architecture(lit, entry))
                and (lit.holder is None or not _is_config_dict(lit.holder, config))
            ]
            reported.update(lit.node for lit in hardcoded)
            found.append((entry, hardcoded))
        if justified is not None and justified.candidates:
            # Their lines in one code generation pass, not one per literal.
            ctx.prefetch_positions(lit.node for _, hardcoded in found for lit in hardcoded)
        for entry, hardcoded in found:
            if justified is not None and justified.candidates:
                hardcoded = [lit for lit in hardcoded if not justified.holds(ctx.line_of(lit.node))]
            # Literals of a params dict written elsewhere are reported at the dict, the call's own
            # literals at the call.
            groups: dict[int, list[LiteralArg]] = {}
            for lit in hardcoded:
                groups.setdefault(id(lit.holder), []).append(lit)
            for group in groups.values():
                yield entry, group

    def hardcoded_epoch_loops(self, ctx: FileContext) -> Iterator[EpochLoop]:
        if not self.option("check-epoch-loops"):
            return
        justified = _justified_rows(ctx) if self.option("honour-justification-comments") else None
        for loop in collect(ctx).epoch_loops:
            if justified is None or not justified.candidates or not justified.holds(ctx.line_of(loop.bound)):
                yield loop

    def _report(self, ctx: FileContext, entry: CallLiterals, hardcoded: list[LiteralArg], fix: FixSpec | None = None) -> None:
        verb = "is" if len(hardcoded) == 1 else "are"
        where = ""
        related = ()
        if hardcoded[0].holder is not None:
            where = f" in the params dict passed at {ctx.where(entry.site.node)}"
            related = (("the dict is passed here", entry.site.node),)
        ctx.report(
            self,
            hardcoded[0].node,
            f"{entry.label}: {_format_args(hardcoded)} {verb} hardcoded{where}; "
            "move them to a config or a search space"
            if len(hardcoded) > 1
            else f"{entry.label}: {_format_args(hardcoded)} {verb} hardcoded{where}; "
            "move it to a config or a search space",
            end_node=hardcoded[-1].node,
            related=related,
            fix=fix,
        )

    def _report_extra_on_unknown_calls(self, ctx: FileContext, extra: frozenset[str]) -> None:
        """`Api.param` entries of the option also name the user's own functions and classes."""
        qualified = {e.split(".", 1)[0]: set() for e in extra if "." in e}
        for entry in extra:
            if "." in entry:
                qualified[entry.split(".", 1)[0]].add(entry.split(".", 1)[1])
        if not qualified or (ctx.is_test_file and not ctx.settings.check_test_files):
            return
        for site in ctx.semantic.calls:
            if site.api is not None or site.written is None or _in_signature(site):
                continue
            short = site.written.rsplit(".", 1)[-1]
            names = qualified.get(short)
            if not names:
                continue
            hardcoded = []
            for arg in site.node.args:
                if arg.keyword is not None and arg.keyword.value in names:
                    value = literal_value(arg.value)
                    if value is not NOT_LITERAL and _is_value(value):
                        hardcoded.append(LiteralArg(arg.keyword.value, None, arg.value, value))
            if hardcoded:
                entry = CallLiterals(site, Api(short, "model"), short, hardcoded)
                self._report(ctx, entry, hardcoded)


# -- justification comments (HPL101's `honour-justification-comments`) ---------------------------

# Comments that are tool directives, not reasons.
_PRAGMA = re.compile(
    r"^(noqa\b|type\s*:|pragma\b|pylint\s*:|fmt\s*:|isort\s*:|mypy\s*:|pyright\s*:|ruff\s*:|"
    r"flake8\s*[:-]|hplint\s*:|nosec\b|nolint\b|pyre-|black\b)",
    re.IGNORECASE,
)
# A comment that says the value is not settled is the opposite of a justification.
_UNSETTLED = re.compile(r"^(todo|fixme|xxx|hack|tbd)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}")
_RULE_CODE = re.compile(r"\b[A-Z]{1,5}[0-9]{3,4}\b")


def is_justification(comment: str) -> bool:
    """Whether a comment (with its `#`) gives a reason: two words or more, one of them naming a
    source, a search or a constraint (hplint/knowledge/justification.py), not code, no pragma.

    `# from the paper`, `# noqa: HPL101 - tuned on the dev set` (the text after a directive counts)
    are reasons; `# noqa`, `# type: ignore`, `# 0.001`, `# lr=1e-3`, `# TODO tune`, `# tuned` (a
    label, and valid Python), `# HPL103: hand-tuned` (a note about a finding) are not."""
    for part in comment.split("#"):
        text = part.strip()
        if not text:
            continue
        match = NOQA_RE.match("#" + text)
        if match:
            text = text[match.end() - 1 :].strip(" \t-:—–,;")
            if not text:
                continue
        elif _PRAGMA.match(text):
            continue
        if _UNSETTLED.match(text) or _RULE_CODE.search(text):
            return False  # unsettled, or a note about a linter's finding (`# HPL103: hand-tuned`)
        words = _WORD.findall(text)
        if len(words) < 2 or not (
            REFERENCE.search(text) or any(word.lower() in REASON_WORDS for word in words)
        ):
            continue  # a label or a description of the call (`# the forest`), not a reason
        try:
            with warnings.catch_warnings():
                # `# 1st pass` is code with a SyntaxWarning: Python would print it on hplint's
                # stderr as if hplint's own source were at fault.
                warnings.simplefilter("ignore")
                compile(text.strip(" \t,;)("), "<comment>", "exec")
        except (SyntaxError, ValueError):
            return True  # prose, not commented-out code
        except RecursionError:  # pragma: no cover - a pathological comment
            return False
    return False


class _Justified:
    """The program lines whose comment justifies the values written on them.

    Which `#` starts a comment only tokenize knows for sure (a `#` may sit in a string), and
    tokenizing a file costs a tenth of its check. So the lines are found in two steps: candidates,
    the lines where some text from a `#` to the line end (what a comment token would be) is a
    justification, a cheap scan of the text; and tokenize's confirmation, run once per file and
    only when a value that would be reported sits on a candidate line."""

    # The text, not the file's context: kept among the context's shared facts, a reference back to
    # it would be a cycle holding the whole tree until the cyclic collector runs (hplint/pool.py).
    __slots__ = ("text", "candidates", "_confirmed")

    def __init__(self, text: str, candidates: frozenset[int]) -> None:
        self.text, self.candidates = text, candidates
        self._confirmed: frozenset[int] | None = None

    def holds(self, row: int) -> bool:
        if row not in self.candidates:
            return False  # a comment token on this line would be one of the texts scanned
        if self._confirmed is None:
            self._confirmed = _comment_justified_rows(self.text)
        return row in self._confirmed


def _justified_rows(ctx: FileContext) -> _Justified:
    text = ctx.source.text
    return ctx.shared("justification comments", lambda: _Justified(text, _candidate_rows(text)))


# What tokenize takes as a comment from its `#`: up to the line end.
_COMMENT_TEXT = re.compile(r"#[^\r\n]*")


def _candidate_rows(text: str) -> frozenset[int]:
    """Lines where some text from a `#` to the line end is a justification: a superset of the
    lines whose comment token is one."""
    if "#" not in text:
        return frozenset()
    rows = set()
    for number, line in enumerate(text.split("\n"), start=1):  # tokenize's rows (it reads by "\n")
        start = line.find("#")
        while start != -1:
            if is_justification(_COMMENT_TEXT.match(line, start).group()):  # type: ignore[union-attr]
                rows.add(number)
                break
            start = line.find("#", start + 1)
    return frozenset(rows)


def _comment_justified_rows(text: str) -> frozenset[int]:
    rows = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and is_justification(token.string):
                rows.add(token.start[0])
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass  # a file libcst parsed but tokenize does not: no comment is honoured after the error
    return frozenset(rows)


# -- HPL102 ------------------------------------------------------------------------------------------


@register
class HyperparameterLiteralDuplicated(Rule):
    code = "HPL102"
    name = "hyperparameter-literal-duplicated"
    summary = "The same hyperparameter literal is repeated at several calls of one API in a file"
    default_enabled = False
    doc = """
    ## What it does
    Reports a numeric hyperparameter literal that repeats at two or more calls of the same API in
    one file (`Adam(..., lr=3e-4)` in the training script twice, `XGBClassifier(max_depth=6)` in
    two notebook cells) when the two calls are copies of one configuration: they pass the same
    literals with the same values (two experiments that differ in another literal are not copies). Layers
    are not checked (the layers of one network repeat their settings by design). The first place
    the value is written is named in the message.

    Off by default: every finding is also an HPL101 finding; enable it when HPL101 is off or
    suppressed and you still want copies of one value to be defined once.

    ## Why is this bad?
    Copies drift: someone tunes one of them and the others silently keep the old value, so the
    model that is evaluated is not the model that is trained (or deployed).

    ## Example
    ```python
    import torch.optim as optim

    pretrain_opt = optim.Adam(encoder.parameters(), lr=3e-4)
    finetune_opt = optim.Adam(model.parameters(), lr=3e-4)
    ```

    ## Use instead
    ```python
    import torch.optim as optim

    LR = 3e-4
    pretrain_opt = optim.Adam(encoder.parameters(), lr=LR)
    finetune_opt = optim.Adam(model.parameters(), lr=LR)
    ```
    """
    valid = (
        """
        import torch.optim as optim
        LR = 3e-4
        a = optim.Adam(encoder.parameters(), lr=LR)
        b = optim.Adam(model.parameters(), lr=LR)
        """,
        """
        from sklearn.svm import SVC
        a = SVC(C=1.0)
        b = SVC(C=10.0)
        """,
    )
    invalid = (
        """
        from sklearn.ensemble import RandomForestClassifier
        a = RandomForestClassifier(n_estimators=500).fit(X, y)
        b = RandomForestClassifier(n_estimators=500).fit(X2, y2)
        """,
    )

    def check(self, ctx: FileContext) -> None:
        earlier: dict[tuple[str, str, str], list[tuple[CallLiterals, LiteralArg]]] = {}
        for entry in collect(ctx).calls:
            if not entry.training or entry.api.role == "layer":
                continue  # layers of one network repeat their settings by design
            repeated: list[tuple[LiteralArg, LiteralArg]] = []
            for lit in entry.literals:
                if not _is_tuned_number(lit, entry) or lit.param is None:
                    continue
                key = (entry.api.qualname, lit.param.name, repr(lit.value))
                previous = earlier.setdefault(key, [])
                copied = next(
                    (
                        first
                        for call, first in previous
                        if first.node is not lit.node and _same_configuration(call, entry)
                    ),
                    None,
                )
                if copied is not None:
                    repeated.append((lit, copied))
                previous.append((entry, lit))
            if repeated:
                lits = [lit for lit, _ in repeated]
                origin = repeated[0][1].node
                values = "repeats the value" if len(lits) == 1 else "repeat the values"
                ctx.report(
                    self,
                    lits[0].node,
                    f"{entry.label}: {_format_args(lits)} {values} written at {ctx.where(origin)}; "
                    "define it once and use the name in both places",
                    end_node=lits[-1].node,
                    related=(("first written here", origin),),
                )


def _same_configuration(first: CallLiterals, second: CallLiterals) -> bool:
    """Two calls are copies of one configuration when they pass the same literals, equal.

    `DecisionTreeClassifier(max_depth=5, criterion="entropy")` and `(max_depth=5)` are two
    experiments, not a copy that can drift.
    """
    if first is second:
        return False
    return _literal_settings(first) == _literal_settings(second)


def _literal_settings(entry: CallLiterals) -> dict[str, str]:
    return {
        lit.name: repr(lit.value)
        for lit in entry.literals
        if lit.param is not None and lit.param.is_hyperparameter
    }


# -- HPL103 ------------------------------------------------------------------------------------------


def looks_hand_tuned(text: str, value: object, max_digits: int) -> bool:
    """Is a numeric literal as written more precise than anyone would choose by hand?

    Round values are fine whatever their digit count: powers of ten (`1e-8`), half steps
    (`0.25`, `0.975`, `0.0125`: a trailing 5 is not counted), repeated digits (`0.99`, `0.999`:
    momentum and betas; `0.333`), and integers that are multiples of 5 or of 16 or one below a power
    of two (`1000`, `768`, `1023`).
    """
    if not is_number(value) or value == 0:
        return False
    digits = _significant_digits(text)
    if isinstance(value, int) or (digits and "." not in text and "e" not in text.lower()):
        number = abs(int(value))
        if number % 5 == 0 or number % 16 == 0 or (number + 1) & number == 0:
            return False  # round, a multiple of 16, or 2**k - 1 (`max_bin=1023`)
        return len(str(number).rstrip("0")) >= max_digits
    digits = digits.removesuffix("5")
    if len(set(digits)) == 1:
        return False  # 0.9, 0.99, 0.999 below one; 0.333 and 0.0333 are thirds
    digits = digits.rstrip("9") or digits  # 0.1999 is a hair below 0.2
    return len(digits) >= max_digits


def _significant_digits(text: str) -> str:
    text = text.replace("_", "").lower().lstrip("+-")
    if "**" in text:
        return ""
    mantissa = text.split("e", 1)[0]
    digits = mantissa.replace(".", "").lstrip("0")
    if "." in mantissa:
        digits = digits.rstrip("0")
    return digits


@register
class HyperparameterExcessivePrecision(Rule):
    code = "HPL103"
    name = "hyperparameter-excessive-precision"
    summary = "A hyperparameter literal is more precise than a hand-picked value (a tuning leftover)"
    doc = """
    ## What it does
    Reports numeric hyperparameter literals with more significant digits than anyone picks by
    hand (`alpha=0.1001`, `lr=0.00137`, `n_estimators=487`). Digits are counted as written; round
    values are never reported: powers of ten (`1e-8`, `0.001`), a trailing half step (`0.25`,
    `0.975`), repeated digits (`0.999` for Adam's `beta2`, `0.333`), and integers that are multiples
    of 5 or of 16 or one below a power of two (`1000`, `768`, `1023`). Only hyperparameters (as HPL101 sees them) are checked, not seeds or sizes.

    ## Why is this bad?
    Such values are the output of a tuning run pasted into code. The search that produced them —
    its space, its budget, the data it ran on — is lost, so nobody can tell whether the value is
    still right after the data or the model changes, and it invites overfitting to one split.

    ## Example
    ```python
    from sklearn.linear_model import Lasso

    model = Lasso(alpha=0.001372)
    ```

    ## Use instead
    ```python
    from sklearn.linear_model import Lasso

    # tuned with LassoCV on 2024-05 data, see experiments/lasso.md
    model = Lasso(alpha=config.alpha)
    ```
    """
    options = {
        "max-significant-digits": Option(
            int, 3, "A literal with at least this many significant digits (after the rules above) is reported."
        ),
    }
    valid = (
        """
        import torch.optim as optim
        opt = optim.Adam(model.parameters(), lr=3e-4, betas=(0.9, 0.999), eps=1e-8)
        """,
        """
        from sklearn.ensemble import RandomForestClassifier
        clf = RandomForestClassifier(n_estimators=500, max_features=0.25)
        """,
    )
    invalid = (
        """
        from sklearn.linear_model import Lasso
        model = Lasso(alpha=0.001372)
        """,
        """
        from sklearn.ensemble import GradientBoostingClassifier
        model = GradientBoostingClassifier(n_estimators=487)
        """,
    )

    def check(self, ctx: FileContext) -> None:
        max_digits = self.option("max-significant-digits")
        seen: set[cst.BaseExpression] = set()  # a params dict passed to several calls counts once
        for entry in collect(ctx).calls:
            if not entry.training:
                continue
            precise = []
            for lit in entry.literals:
                if lit.node in seen or not _is_tuned_number(lit, entry):
                    continue
                seen.add(lit.node)
                values = lit.value if isinstance(lit.value, (tuple, list)) else (lit.value,)
                texts = _element_texts(lit.node, len(values))
                if any(looks_hand_tuned(t, v, max_digits) for t, v in zip(texts, values)):
                    precise.append(lit)
            if precise:
                verb = "looks like a tuning result" if len(precise) == 1 else "look like tuning results"
                ctx.report(
                    self,
                    precise[0].node,
                    f"{entry.label}: {_format_args(precise)} {verb} pasted into code; record where "
                    f"{'it comes' if len(precise) == 1 else 'they come'} from or load "
                    f"{'it' if len(precise) == 1 else 'them'} from a config",
                    end_node=precise[-1].node,
                )


def _element_texts(node: cst.BaseExpression, count: int) -> list[str]:
    if isinstance(node, (cst.Tuple, cst.List)):
        return [literal_text(e.value) for e in node.elements]
    return [literal_text(node)] * count


# -- HPL104 ------------------------------------------------------------------------------------------


@register
class HyperparameterOutOfRange(Rule):
    code = "HPL104"
    name = "hyperparameter-out-of-range"
    summary = "A literal hyperparameter value is invalid or implausible for its API"
    severity = "error"
    doc = """
    ## What it does
    Checks literal values against the valid range the knowledge base records for each parameter:
    dropout and momentum in [0, 1), non-negative weight decay, `C > 0`, `n_splits >= 2`,
    `test_size` below 1 when it is a fraction, and a learning rate below 1 for adaptive optimizers
    (Adam and its relatives). An integer given to a parameter whose range is a fraction is a count
    (`test_size=200`, `max_features=5`) and is not checked. Params dicts of booster `train` calls
    are checked too. Test files are skipped (they test errors on purpose).

    ## Why is this bad?
    Libraries reject some of these values only at fit time, hours into a job, and accept others
    silently: `Dropout(1.0)` zeroes every activation, `momentum=1.0` never forgets a gradient, and
    `Adam(lr=1)` diverges.

    ## Example
    ```python
    import torch.nn as nn

    head = nn.Dropout(p=1.5)
    ```

    ## Use instead
    ```python
    import torch.nn as nn

    head = nn.Dropout(p=0.5)
    ```
    """
    valid = (
        """
        from sklearn.model_selection import train_test_split
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=200)
        """,
        """
        from sklearn.model_selection import KFold
        folds = KFold(n_splits=5)
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import KFold
        folds = KFold(n_splits=1)
        """,
        """
        from sklearn.svm import SVC
        clf = SVC(C=-1.0)
        """,
    )

    def check(self, ctx: FileContext) -> None:
        if ctx.is_test_file and not ctx.settings.check_test_files:
            return
        for entry in collect(ctx).calls:
            for lit in entry.literals:
                problem = _out_of_range(entry.api, lit)
                if problem:
                    ctx.report(self, lit.node, f"{entry.label}: {lit.name}={lit.text} {problem}")


def _out_of_range(api: Api, lit: LiteralArg) -> str | None:
    param, value = lit.param, lit.value
    if param is None or not is_number(value) or (isinstance(value, float) and math.isnan(value)):
        return None
    valid = param.valid
    if valid is not None and not valid.contains(value):  # type: ignore[arg-type]
        if isinstance(value, int) and valid.high is not None and valid.high <= 1 and value > valid.high:
            return None  # an integer for a fraction parameter is a count
        return f"is outside its valid range {_describe(valid)}"
    is_learning_rate = param.kind == "optimization" and param.scale == "log"
    if "adaptive" in api.tags and is_learning_rate and value >= 1:  # type: ignore[operator]
        return "is implausible: adaptive optimizers diverge with learning rates of 1 or more"
    return None


def _describe(valid: knowledge.Range) -> str:
    low = "-inf" if valid.low is None else _number(valid.low)
    high = "inf" if valid.high is None else _number(valid.high)
    left = "[" if valid.low is not None and valid.low_inclusive else "("
    right = "]" if valid.high is not None and valid.high_inclusive else ")"
    return f"{left}{low}, {high}{right}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# -- HPL105 ------------------------------------------------------------------------------------------


@register
class KeyHyperparameterImplicit(Rule):
    code = "HPL105"
    name = "key-hyperparameter-implicit"
    summary = "A key hyperparameter is left at the library default when constructing a model or optimizer"
    default_enabled = False
    doc = """
    ## What it does
    Reports constructions of estimators, optimizers, trainers and booster `train` calls that do
    not pass one of the API's key hyperparameters (`RandomForestClassifier()` without
    `n_estimators`/`max_depth`, `SVC()` without `C`). Any explicit value satisfies it, preferably
    one read from a config. Calls that forward `*args`/`**kwargs` or a config dict, estimators handed
    to a search (the search sets them), and test files are not reported.

    Off by default: library defaults are often good, and this is the complement of HPL101 for teams
    that want every key choice spelled out.

    ## Why is this bad?
    Defaults change between library versions (`n_estimators` went from 10 to 100 in
    scikit-learn 0.22), so the same code trains a different model after an upgrade, and a run's log
    does not show the value it used.

    ## Example
    ```python
    from sklearn.svm import SVC

    clf = SVC()
    ```

    ## Use instead
    ```python
    from sklearn.svm import SVC

    clf = SVC(C=config.C)
    ```
    """
    valid = (
        """
        from sklearn.linear_model import Ridge
        model = Ridge(alpha=config.alpha)
        """,
        """
        from sklearn.linear_model import Ridge
        model = Ridge(**config.ridge)
        """,
    )
    invalid = (
        """
        from sklearn.linear_model import Ridge
        model = Ridge()
        """,
    )

    def check(self, ctx: FileContext) -> None:
        for entry in collect(ctx).calls:
            if not entry.training or entry.opaque or entry.api.role not in _CONSTRUCTED_ROLES:
                continue
            if ctx.semantic.resolve(entry.site.node.func) is None:
                continue  # a method called on an object, not a construction
            missing = [p.name for p in entry.api.params if p.key and p.name not in entry.passed]
            if missing:
                names = ", ".join(missing)
                ctx.report(
                    self,
                    entry.site.node.func,
                    f"{entry.label}: {names} left at the library default; set "
                    f"{'it' if len(missing) == 1 else 'them'} explicitly, from a config",
                )
