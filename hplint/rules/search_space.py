"""HPL5xx: search-space design and scalability.

Every rule here reads the shared `search_spaces(ctx)` (hplint/analysis/search_space.py): the grids and
distributions of scikit-learn searches, Optuna, Hyperopt, Ray Tune and Keras-Tuner, with the
knowledge-base parameter each dimension sets. What counts as a log-scale parameter, a valid value or
a pipeline step comes from the knowledge base, never from names written here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import libcst as cst

from hplint.analysis.search_space import (
    DISTRIBUTION,
    GRID,
    Dimension,
    Estimator,
    SearchSpace,
    search_spaces,
    step_of,
)
from hplint.analysis.values import is_number, literal_value
from hplint.context import FixSpec
from hplint.rules.base import Option, Rule, register
from hplint.rules.fixes import add_keyword, callee_name, module_alias, rename_callee, replace_arg_values

if TYPE_CHECKING:
    from hplint.context import FileContext


def fmt(value: float) -> str:
    """A number as people write it in code: 0.001, 100, 1e-05, 1,000 for counts."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e6:
        value = int(value)
    if isinstance(value, int):
        return str(value)
    return f"{value:.4g}"


def count(value: int) -> str:
    return f"{value:,}"


def log_sampling_hint(space: SearchSpace, dim: Dimension) -> str:
    """How to sample `dim` log-uniformly in the framework its space is written for."""
    low = fmt(dim.low) if dim.low else "<a positive lower bound>"
    high = fmt(dim.high) if dim.high is not None else "<high>"
    if space.framework == "optuna":
        return "pass `log=True`"
    if space.framework == "hyperopt":
        return f"use `hp.loguniform({dim.name!r}, np.log({low}), np.log({high}))`"
    if space.framework == "ray":
        return f"use `tune.loguniform({low}, {high})`"
    if space.framework == "keras_tuner":
        return 'pass `sampling="log"`'
    if space.call is not None and (space.call.qualname or "").startswith("skopt"):
        return f'use `Real({low}, {high}, prior="log-uniform")`'
    return f"use `scipy.stats.loguniform({low}, {high})`"


def _values_text(values: list[float], limit: int = 6) -> str:
    shown = ", ".join(fmt(v) for v in values[:limit])
    return shown + (", ..." if len(values) > limit else "")


@register
class LogScaleParamSampledLinearly(Rule):
    code = "HPL501"
    name = "log-scale-param-sampled-linearly"
    summary = "A log-scale hyperparameter (learning rate, C, alpha, gamma, weight decay) is sampled uniformly over orders of magnitude"
    doc = """
    ## What it does
    Flags a distribution that samples a log-scale hyperparameter — a learning rate, `C`, `alpha`,
    `gamma`, weight decay, `reg_*`, as the knowledge base marks them — uniformly (`scipy.stats.uniform`,
    `randint`, `trial.suggest_float` without `log=True`, `hp.uniform`, `tune.uniform`, Keras-Tuner
    `hp.Float` without `sampling="log"`) over more than an order of magnitude.

    ## Why is this bad?
    These parameters act multiplicatively: 0.001 and 0.01 differ as much as 0.1 and 1. Sampled
    uniformly between 1e-4 and 1, 90% of the draws land between 0.1 and 1 and the small values are
    almost never tried, so the search wastes its budget on one decade.

    ## Example
    ```python
    def objective(trial):
        lr = trial.suggest_float("lr", 1e-5, 1e-1)
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    ```

    ## Use instead
    ```python
    def objective(trial):
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    ```

    ## Fix safety
    The fix is unsafe: sampling the same bounds log-uniformly (`log=True`, `sampling="log"`,
    `tune.loguniform`, `hp.loguniform(name, np.log(low), np.log(high))`, skopt's
    `prior="log-uniform"`, `scipy.stats.loguniform(low, high)` with the two ends `uniform(loc,
    scale)` covered) changes which values the search tries, and so its results. No fix when the
    lower bound is 0 or with optuna's `step=`.
    """
    options = {
        "min-ratio": Option((int, float), 10, "Fire when high / low exceeds this (10 = one order of magnitude)."),
    }
    valid = (
        """
        import optuna
        def objective(trial):
            lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
            momentum = trial.suggest_float("momentum", 0.0, 0.99)
        """,
        """
        from scipy.stats import uniform, loguniform
        from sklearn.svm import SVC
        from sklearn.model_selection import RandomizedSearchCV
        search = RandomizedSearchCV(SVC(), {"C": loguniform(1e-3, 1e3), "gamma": uniform(0.5, 1.0)})
        """,
    )
    invalid = (
        """
        import optuna
        def objective(trial):
            lr = trial.suggest_float("lr", 1e-5, 1e-1)
        """,
        """
        from scipy.stats import uniform
        from sklearn.svm import SVC
        from sklearn.model_selection import RandomizedSearchCV
        search = RandomizedSearchCV(SVC(), {"C": uniform(0.01, 100)})
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        min_ratio = float(self.option("min-ratio"))
        for space in search_spaces(ctx):
            for dim in space.dimensions:
                if dim.kind != DISTRIBUTION or dim.log or dim.source not in ("uniform", "int"):
                    continue
                if dim.param is None or dim.param.scale != "log" or dim.low is None or dim.high is None:
                    continue
                low, high = dim.low, dim.high
                if low < 0 or high <= 0 or (low > 0 and high / low <= min_ratio):
                    continue
                top = max(low, high / 10)
                share = (high - top) / (high - low)
                span = "from 0" if low == 0 else f"over {math.log10(high / low):.1f} orders of magnitude"
                ctx.report(
                    self,
                    dim.values_node or dim.node,
                    f"`{dim.name}` is sampled uniformly between {fmt(low)} and {fmt(high)} ({span}): "
                    f"{share:.0%} of the draws fall between {fmt(top)} and {fmt(high)}; "
                    f"`{dim.param.name}` is a log-scale parameter, {log_sampling_hint(space, dim)}",
                    fix=_log_sampling_fix(ctx, space, dim) if low > 0 else None,
                )


_UNSAFE = "unsafe"  # a log-scale draw or grid tries other values: the search's results change


def _log_sampling_fix(ctx: "FileContext", space: SearchSpace, dim: Dimension):
    """Sample the same range log-uniformly, in the framework's own way."""
    call = dim.values_node
    if not isinstance(call, cst.Call) or any(a.star for a in call.args):
        return None
    name = callee_name(call)
    keywords = {a.keyword.value for a in call.args if a.keyword is not None}
    if space.framework == "optuna" and name in ("suggest_float", "suggest_int") and "step" not in keywords:
        return add_keyword(ctx, call, "log", "True", "Sample on a log scale (`log=True`)", _UNSAFE)
    if space.framework == "keras_tuner" and name in ("Float", "Int") and not keywords & {"step", "sampling"}:
        return add_keyword(ctx, call, "sampling", '"log"', 'Sample on a log scale (`sampling="log"`)', _UNSAFE)
    if space.framework == "ray" and name in ("uniform", "randint"):
        new = "loguniform" if name == "uniform" else "lograndint"
        return rename_callee(ctx, call, new, f"Sample on a log scale (`tune.{new}` with the same bounds)", _UNSAFE)
    if space.framework == "hyperopt" and name == "uniform":
        numpy = module_alias(ctx, "numpy")
        if numpy is None or len(call.args) != 3:
            return None
        low, high = (ctx.module.code_for_node(a.value) for a in call.args[1:3])
        args = replace_arg_values(call, {1: f"{numpy}.log({low})", 2: f"{numpy}.log({high})"})
        return rename_callee(ctx, call, "loguniform", "Sample on a log scale (`hp.loguniform` of the logs of the same bounds)", _UNSAFE, args)
    if name == "Real" and (space.call is None or (space.call.qualname or "").startswith("skopt")) and "prior" not in keywords:
        return add_keyword(ctx, call, "prior", '"log-uniform"', 'Sample on a log scale (`prior="log-uniform"`)', _UNSAFE)
    if dim.source == "uniform" and name == "uniform" and not dim.integer and dim.low and dim.high is not None:
        # scipy's uniform(loc, scale) covers loc..loc+scale; loguniform takes the two ends.
        ends = {0: _exact(dim.low), 1: _exact(dim.high)}
        if len(call.args) != 2 or any(a.keyword is not None for a in call.args):
            return None
        args = replace_arg_values(call, ends)
        message = f"Sample on a log scale (`loguniform({ends[0]}, {ends[1]})`, the same range)"
        if isinstance(call.func, cst.Attribute):
            return rename_callee(ctx, call, "loguniform", message, _UNSAFE, args)
        local = next((n for n, q in ctx.semantic.imports.items() if q == "scipy.stats.loguniform"), None)
        if local is None or args is None:
            return None
        return FixSpec(message, ((call, ctx.module.code_for_node(call.with_changes(func=cst.Name(local), args=args))),), _UNSAFE)
    return None


def _exact(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _log_grid_fix(ctx: "FileContext", dim: Dimension):
    """`np.linspace(a, b, n)` -> the same number of points between the same ends, spaced
    logarithmically: `np.logspace(log10(a), log10(b), n)` when the ends are powers of ten,
    else `np.geomspace(a, b, n)`."""
    call = dim.values_node
    if dim.source != "linspace" or not isinstance(call, cst.Call) or len(call.args) < 2:
        return None
    low, high = (literal_value(a.value) for a in call.args[:2])
    if not (is_number(low) and is_number(high)) or low <= 0 or high <= 0 or any(a.keyword for a in call.args[:2]):
        return None
    exponents = [math.log10(v) for v in (low, high)]
    if all(abs(e - round(e)) < 1e-12 for e in exponents):
        ends = {0: str(round(exponents[0])), 1: str(round(exponents[1]))}
        args = replace_arg_values(call, ends)
        return rename_callee(ctx, call, "logspace", f"Space the grid logarithmically (`logspace` from 1e{ends[0]} to 1e{ends[1]})", _UNSAFE, args)
    return rename_callee(ctx, call, "geomspace", "Space the grid logarithmically (`geomspace` between the same ends)", _UNSAFE)


def _linear_spacing(values: list[float]) -> bool:
    """Equal steps (within 10%) whose ratios shrink: 1, 2, 3, 4 — not 1, 10, 100 or 0.01, 0.05, 0.1."""
    if len(values) < 3:
        return False
    steps = [b - a for a, b in zip(values, values[1:])]
    mean = sum(steps) / len(steps)
    if mean <= 0 or any(abs(s - mean) > 0.1 * mean for s in steps):
        return False
    return values[-1] / values[-2] < 2


@register
class LinearGridForScaleParam(Rule):
    code = "HPL502"
    name = "linear-grid-for-scale-param"
    summary = "A grid for a log-scale hyperparameter is spaced linearly"
    doc = """
    ## What it does
    Flags a grid of candidate values for a log-scale hyperparameter (learning rate, `C`, `alpha`,
    `gamma`, weight decay, `reg_*`) whose values are evenly spaced — `[1, 2, 3, 4]`,
    `np.linspace(0.001, 1, 10)`, `np.arange(0.1, 1, 0.1)` — and cover at least a factor of `min-ratio`.

    ## Why is this bad?
    For a parameter that acts multiplicatively, 1 → 2 is a big step and 3 → 4 a small one: a linear
    grid spends most of its points at the top of the range and leaves the smaller decades untried.
    The grid is as expensive as a logarithmic one and covers much less.

    ## Example
    ```python
    GridSearchCV(SVC(), {"C": [1, 2, 3, 4, 5]})
    ```

    ## Use instead
    ```python
    GridSearchCV(SVC(), {"C": [0.01, 0.1, 1, 10, 100]})  # or np.logspace(-2, 2, 5)
    ```

    ## Fix safety
    The fix is unsafe: `np.linspace(a, b, n)` becomes `np.logspace(log10(a), log10(b), n)` when the
    ends are powers of ten, else `np.geomspace(a, b, n)` — same ends and number of points, other
    values in between, so the grid's results change. Literal lists and `np.arange` get no fix.
    """
    options = {
        "min-ratio": Option((int, float), 4, "Fire when the largest value is at least this many times the smallest."),
    }
    valid = (
        """
        from sklearn.svm import SVC
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(SVC(), {"C": [0.01, 0.1, 1, 10, 100], "degree": [1, 2, 3, 4]})
        """,
        """
        from sklearn.svm import SVC
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(SVC(), {"C": [8, 9, 10, 11, 12]})  # refining around a value found earlier
        """,
    )
    invalid = (
        """
        from sklearn.svm import SVC
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(SVC(), {"C": [1, 2, 3, 4, 5]})
        """,
        """
        import numpy as np
        from sklearn.linear_model import Ridge
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(Ridge(), {"alpha": np.linspace(0.001, 10, 20)})
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        min_ratio = float(self.option("min-ratio"))
        for space in search_spaces(ctx):
            for dim in space.dimensions:
                if dim.kind != GRID or dim.log or dim.param is None or dim.param.scale != "log":
                    continue
                values = sorted({v for v in dim.numeric_values if v > 0})
                if not _linear_spacing(values) or values[-1] / values[0] < min_ratio:
                    continue
                built = f"`np.{dim.source}`" if dim.source in ("linspace", "arange") else dim.source
                shown = _values_text(values)
                how = f"{built} ({shown})" if dim.source != "list" else shown
                ctx.report(
                    self,
                    dim.values_node or dim.node,
                    f"The grid for `{dim.name}` is spaced linearly ({how}): most points sit in the top "
                    f"decade of {fmt(values[0])}..{fmt(values[-1])}; `{dim.param.name}` is a log-scale "
                    f"parameter, space it logarithmically (`np.logspace(...)` or values like "
                    f"{_log_example(values[0], values[-1])})",
                    fix=_log_grid_fix(ctx, dim),
                )


def _log_example(low: float, high: float) -> str:
    start = math.floor(math.log10(low))
    stop = math.ceil(math.log10(high))
    if stop - start < 2:
        start -= 1
        stop += 1
    return "[" + ", ".join(fmt(10.0**e) for e in range(start, stop + 1)[:6]) + "]"


@register
class GridExplosion(Rule):
    code = "HPL503"
    name = "grid-explosion"
    summary = "An exhaustive grid search needs more fits than the budget"
    doc = """
    ## What it does
    Multiplies the sizes of every dimension of an exhaustive grid (`GridSearchCV`, `ParameterGrid`;
    lists of grids are added) by the number of cross-validation folds and flags searches above
    `max-fits` model fits. Grids built in variables, updated with `grid["x"] = ...`, and pipeline
    grids are followed; dimensions the analysis cannot size count as one value, so the number
    reported is a lower bound.

    ## Why is this bad?
    Grid cost grows as the product of the dimension sizes: adding one parameter with five values
    multiplies the run time by five. Such searches take hours, get cut short, or push people to
    coarsen the grid in the dimensions that matter. Random search finds equally good configurations
    with a fixed budget, and successive halving discards bad candidates early.

    ## Example
    ```python
    grid = {"n_estimators": [100, 200, 500, 1000], "max_depth": [3, 5, 7, 9, None],
            "min_samples_leaf": [1, 2, 4, 8], "max_features": ["sqrt", "log2", 0.5, 1.0]}
    GridSearchCV(RandomForestClassifier(), grid, cv=5)  # 320 candidates x 5 folds = 1,600 fits
    ```

    ## Use instead
    ```python
    RandomizedSearchCV(RandomForestClassifier(), grid, n_iter=60, cv=5, random_state=0)
    # or HalvingGridSearchCV(RandomForestClassifier(), grid, cv=5), or an Optuna study
    ```
    """
    options = {"max-fits": Option(int, 1000, "Largest acceptable number of model fits (candidates x folds).")}
    valid = (
        """
        from sklearn.svm import SVC
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(SVC(), {"C": [0.1, 1, 10, 100], "gamma": [0.001, 0.01, 0.1]}, cv=5)
        """,
        """
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import RandomizedSearchCV
        grid = {"n_estimators": list(range(100, 1000, 10)), "max_depth": list(range(2, 30))}
        RandomizedSearchCV(RandomForestClassifier(), grid, n_iter=50, random_state=0)
        """,
    )
    invalid = (
        """
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import GridSearchCV
        grid = {"n_estimators": [100, 200, 500, 1000], "max_depth": [3, 5, 7, 9, None]}
        grid["min_samples_leaf"] = [1, 2, 4, 8]
        grid["max_features"] = ["sqrt", "log2", 0.5, 1.0]
        GridSearchCV(RandomForestClassifier(), grid, cv=5)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        budget = int(self.option("max-fits"))
        for space in search_spaces(ctx):
            if space.framework != "sklearn" or space.samples or space.halving or space.call is None:
                continue
            candidates, sized = _candidates_lower_bound(space)
            if candidates is None:
                continue
            folds = space.folds if space.folds and space.folds > 1 else 1
            fits = candidates * folds
            if fits <= budget:
                continue
            per_fold = f"{count(candidates)} candidates × {space.folds} folds" if folds > 1 else (
                f"{count(candidates)} candidates"
            )
            bound = "at least " if not sized else ""
            api = space.call.api
            if api is not None and api.role == "search":
                what = f"fits {bound}{count(fits)} models ({per_fold}; {_dimension_sizes(space)})"
            else:  # ParameterGrid in a hand-written loop: each candidate is at least one fit
                what = f"enumerates {bound}{count(fits)} candidates ({_dimension_sizes(space)})"
            ctx.report(
                self,
                space.call.node.func,
                f"`{space.label}` {what}, above the budget of {count(budget)} fits: use "
                f"`RandomizedSearchCV`, `HalvingGridSearchCV` or an Optuna study",
            )


def _candidates_lower_bound(space: SearchSpace) -> tuple[int | None, bool]:
    """Grid points, counting dimensions of unknown size as one; and whether every size was known."""
    total = 0
    sized = space.complete
    for grid in space.grids:
        product = 1
        for dim in grid:
            if dim.kind == GRID and dim.size is not None:
                product *= max(dim.size, 1)
            else:
                sized = False
        total += product
    return (total if space.grids else None), sized


def _dimension_sizes(space: SearchSpace) -> str:
    parts = []
    for grid in space.grids:
        sizes = [f"`{d.name}` {d.size}" for d in grid if d.kind == GRID and d.size and d.size > 1]
        if sizes:
            parts.append(" × ".join(sizes))
    return " + ".join(f"({p})" for p in parts) if len(parts) > 1 else (parts[0] if parts else "")


@register
class ContinuousParamAsShortList(Rule):
    code = "HPL504"
    name = "continuous-param-as-short-list"
    summary = "A randomized search draws a continuous hyperparameter from a short list instead of a distribution"
    doc = """
    ## What it does
    Flags a sampling search (`RandomizedSearchCV`, `HalvingRandomSearchCV`, `BayesSearchCV`,
    `trial.suggest_categorical`, `hp.choice`, `tune.choice`, Keras-Tuner `hp.Choice`) that picks a
    continuous hyperparameter — a log-scale one such as `C` or a learning rate, or one given as
    fractional values — from a list of at most `max-values` numbers.

    ## Why is this bad?
    Random and Bayesian searches are better than grids because every trial tries a new value of
    each continuous parameter. Drawn from a list of four values, the search can only ever return one
    of them and repeats them across trials: it is a grid search with extra randomness.

    ## Example
    ```python
    RandomizedSearchCV(SVC(), {"C": [0.1, 1, 10, 100]}, n_iter=20)
    ```

    ## Use instead
    ```python
    RandomizedSearchCV(SVC(), {"C": scipy.stats.loguniform(0.1, 100)}, n_iter=20)
    ```
    """
    options = {"max-values": Option(int, 10, "Lists longer than this are not reported.")}
    valid = (
        """
        from scipy.stats import loguniform
        from sklearn.svm import SVC
        from sklearn.model_selection import RandomizedSearchCV, GridSearchCV
        RandomizedSearchCV(SVC(), {"C": loguniform(0.1, 100), "kernel": ["rbf", "linear"], "degree": [2, 3]})
        GridSearchCV(SVC(), {"C": [0.1, 1, 10, 100]})
        """,
    )
    invalid = (
        """
        from sklearn.svm import SVC
        from sklearn.model_selection import RandomizedSearchCV
        RandomizedSearchCV(SVC(), {"C": [0.1, 1, 10, 100]}, n_iter=20)
        """,
        """
        import optuna
        def objective(trial):
            lr = trial.suggest_categorical("learning_rate", [0.001, 0.01, 0.1])
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        limit = int(self.option("max-values"))
        for space in search_spaces(ctx):
            if not space.samples:
                continue
            for dim in space.dimensions:
                if dim.kind != GRID or dim.param is None or not dim.values or dim.size is None:
                    continue
                numbers = dim.numeric_values
                if len(numbers) != len(dim.values) or len(set(numbers)) < 2 or dim.size > limit:
                    continue
                # Continuous: log-scale (C, learning rate), or a fraction given as fractions.
                valid = dim.param.valid
                fraction = valid is not None and valid.high is not None and valid.high <= 1
                continuous = dim.param.scale == "log" or (
                    fraction and any(isinstance(v, float) and not v.is_integer() for v in numbers)
                )
                if not continuous or dim.integer:
                    continue
                low, high = min(numbers), max(numbers)
                hint = (
                    log_sampling_hint(space, _with_bounds(dim, low, high))
                    if dim.param.scale == "log" and low > 0
                    else "sample it from a continuous distribution"
                )
                ctx.report(
                    self,
                    dim.values_node or dim.node,
                    f"{_sampler_name(space)} draws `{dim.name}` from a list of {len(numbers)} values "
                    f"({_values_text(numbers)}), so it can only ever try those; `{dim.param.name}` is "
                    f"continuous: {hint.replace('pass `log=True`', 'use `suggest_float(..., log=True)`')}",
                )


def _with_bounds(dim: Dimension, low: float, high: float) -> Dimension:
    probe = Dimension(dim.name, dim.node, dim.values_node)
    probe.low, probe.high = low, high
    return probe


def _sampler_name(space: SearchSpace) -> str:
    if space.call is not None:
        return f"`{space.label}`"
    return {
        "optuna": "`suggest_categorical`",
        "hyperopt": "`hp.choice`",
        "ray": "`tune.choice`",
        "keras_tuner": "`hp.Choice`",
    }.get(space.framework, "The search")


# scikit-learn's LogisticRegression: penalties each solver supports (scikit-learn >= 1.2).
# `None` and "none" both mean "no penalty".
SOLVER_PENALTIES: dict[str, frozenset] = {
    "lbfgs": frozenset({"l2", None, "none"}),
    "newton-cg": frozenset({"l2", None, "none"}),
    "newton-cholesky": frozenset({"l2", None, "none"}),
    "sag": frozenset({"l2", None, "none"}),
    "saga": frozenset({"l1", "l2", "elasticnet", None, "none"}),
    "liblinear": frozenset({"l1", "l2"}),
}


@register
class InvalidSearchSpace(Rule):
    code = "HPL505"
    name = "invalid-search-space"
    summary = "A search space contains values that cannot work: empty or duplicated lists, out-of-range values, incompatible combinations"
    doc = """
    ## What it does
    Flags search-space values that make candidates fail or waste fits:
    - an empty list of candidates, or a list that repeats a value;
    - a value or distribution bound outside the parameter's valid range, per the knowledge base
      (`dropout` ≥ 1, `subsample` = 0, `max_depth` = 0 for scikit-learn trees);
    - `scipy.stats.uniform(loc, scale)` read as `uniform(low, high)`, which leaves the valid range;
    - a distribution whose lower bound exceeds its upper bound, or a log-scale one starting at ≤ 0;
    - `penalty` values a `solver` of `LogisticRegression` does not support (`penalty="l1"` with
      `solver="lbfgs"`) in the same grid or fixed on the estimator.

    ## Why is this bad?
    scikit-learn scores failing candidates as `nan` (with a warning that is easy to miss) and
    Optuna/Hyperopt raise mid-study; duplicated values fit the same model twice. Either way the
    search explores less than it seems to.

    ## Example
    ```python
    GridSearchCV(LogisticRegression(), {"penalty": ["l1", "l2"], "solver": ["lbfgs", "liblinear"]})
    ```

    ## Use instead
    ```python
    GridSearchCV(LogisticRegression(), [
        {"penalty": ["l1", "l2"], "solver": ["liblinear"]},
        {"penalty": ["l2"], "solver": ["lbfgs"]},
    ])
    ```
    """
    valid = (
        """
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(LogisticRegression(solver="liblinear"), {"penalty": ["l1", "l2"], "C": [0.1, 1, 10]})
        """,
        """
        from scipy.stats import uniform
        from xgboost import XGBClassifier
        from sklearn.model_selection import RandomizedSearchCV
        RandomizedSearchCV(XGBClassifier(), {"subsample": uniform(0.5, 0.5)})
        """,
    )
    invalid = (
        """
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(LogisticRegression(), {"penalty": ["l1", "l2"], "solver": ["lbfgs", "liblinear"]})
        """,
        """
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(RandomForestClassifier(), {"max_depth": [3, 5, 5, 7], "min_samples_leaf": []})
        """,
        """
        from scipy.stats import uniform
        from xgboost import XGBClassifier
        from sklearn.model_selection import RandomizedSearchCV
        RandomizedSearchCV(XGBClassifier(), {"subsample": uniform(0.6, 1.0)})
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        for space in search_spaces(ctx):
            for grid in space.grids:
                for dim in grid:
                    message = self._problem(space, dim)
                    if message:
                        ctx.report(self, dim.values_node or dim.node, message)
                if space.framework == "sklearn":
                    self._check_solvers(ctx, space, grid)

    def _problem(self, space: SearchSpace, dim: Dimension) -> str | None:
        if dim.kind == GRID and dim.size == 0:
            return f"`{dim.name}` has no candidate values: the search cannot run"
        if dim.kind == GRID and dim.values:
            seen: list = []
            for value in dim.values:
                if _hashable_literal(value) and any(_same(value, s) for s in seen):
                    return (
                        f"`{dim.name}` lists {value!r} more than once: every duplicate candidate is "
                        "fitted again for nothing"
                    )
                seen.append(value)
        # Valid ranges only where a concrete API receives the value: a name alone does not say
        # which library's range applies (`max_depth=-1` is LightGBM's "no limit").
        valid = dim.param.valid if dim.param is not None and dim.api is not None else None
        if dim.kind == DISTRIBUTION and dim.low is not None and dim.high is not None:
            if dim.low > dim.high:
                return f"`{dim.name}` has a lower bound {fmt(dim.low)} above its upper bound {fmt(dim.high)}"
            if dim.log and dim.low <= 0:
                return f"`{dim.name}` is sampled log-uniformly from {fmt(dim.low)}: a log scale needs a lower bound above 0"
            if valid is not None:
                outside = [b for b in (dim.low, dim.high) if not valid.contains(b) and not _open_bound(b, valid)]
                if outside:
                    note = ""
                    if space.framework == "sklearn" and dim.source == "uniform" and _is_scipy_uniform(dim):
                        note = " (`scipy.stats.uniform(loc, scale)` covers [loc, loc + scale], not [low, high])"
                    return (
                        f"`{dim.name}` is sampled from {fmt(dim.low)} to {fmt(dim.high)}{note}, outside the "
                        f"valid range of `{dim.param.name}` {_range_text(valid)}"  # type: ignore[union-attr]
                    )
        if dim.kind == GRID and valid is not None:
            bad = [v for v in dim.numeric_values if not valid.contains(v)]
            if bad:
                return (
                    f"`{dim.name}` includes {_values_text(bad)}, outside the valid range of "
                    f"`{dim.param.name}` {_range_text(valid)}: those candidates fail"  # type: ignore[union-attr]
                )
        return None

    def _check_solvers(self, ctx: "FileContext", space: SearchSpace, grid: list[Dimension]) -> None:
        """Penalty/solver pairs a grid would try, each side from the grid or fixed on the estimator."""
        by_name = {d.name: d for d in grid}
        prefixes = {
            d.name[: -len(d.param_name)]
            for d in grid
            if d.param_name in ("penalty", "solver") and d.api is not None and d.api.param("solver") is not None
            and d.api.param("penalty") is not None
        }
        for prefix in sorted(prefixes):
            penalty_dim, solver_dim = by_name.get(prefix + "penalty"), by_name.get(prefix + "solver")
            path = tuple(prefix.split("__")[:-1])
            sides = []
            for dim, name in ((penalty_dim, "penalty"), (solver_dim, "solver")):
                if dim is not None:
                    values = [v for v in (dim.values or ()) if v is None or isinstance(v, str)]
                    sides.append((values, f"the grid's `{dim.name}`"))
                    continue
                fixed = _fixed_argument(space.estimator, path, name)
                if fixed is _UNSET:
                    break  # the default solver changed across versions: stay quiet
                sides.append(([fixed], f"`{name}={fixed!r}` on the estimator"))
            if len(sides) < 2:
                continue
            (penalties, _), (solvers, _) = sides
            pairs = [
                (p, s) for s in solvers for p in penalties if s in SOLVER_PENALTIES and p not in SOLVER_PENALTIES[s]
            ]
            if not pairs:
                continue
            anchor = penalty_dim or solver_dim
            other = sides[1][1] if anchor is penalty_dim else sides[0][1]
            shown = ", ".join(f"penalty={p!r} with solver={s!r}" for p, s in pairs[:4])
            ctx.report(
                self,
                anchor.values_node or anchor.node,  # type: ignore[union-attr]
                f"`{anchor.name}` combined with {other} gives unsupported candidates ({shown}); they "  # type: ignore[union-attr]
                "fail and score nan: split the grid into a list of compatible grids",
            )


_UNSET = object()


def _fixed_argument(estimator: Estimator | None, path: tuple[str, ...], name: str) -> object:
    """The literal string (or None) a constructor sets for `name`, else `_UNSET`."""
    step = step_of(estimator, path)
    if step is None or step.call is None:
        return _UNSET
    for arg in step.call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            value = literal_value(arg.value)
            return value if value is None or isinstance(value, str) else _UNSET
    return _UNSET


def _hashable_literal(value: object) -> bool:
    return value is None or isinstance(value, (int, float, str, bool))


def _same(a: object, b: object) -> bool:
    # 1 and True are equal in Python but different candidates.
    return (type(a) is type(b) and a == b) or (is_number(a) and is_number(b) and a == b)


def _open_bound(bound: float, valid) -> bool:
    """A continuous distribution touching an excluded bound (`uniform(0, 1)` for (0, 1]) never draws it."""
    return bound in (valid.low, valid.high)


def _range_text(valid) -> str:
    low = "-inf" if valid.low is None else fmt(valid.low)
    high = "inf" if valid.high is None else fmt(valid.high)
    left = "[" if valid.low_inclusive and valid.low is not None else "("
    right = "]" if valid.high_inclusive and valid.high is not None else ")"
    return f"{left}{low}, {high}{right}"


def _is_scipy_uniform(dim: Dimension) -> bool:
    import libcst as cst

    from hplint.analysis.values import dotted_name

    node = dim.values_node
    return isinstance(node, cst.Call) and (dotted_name(node.func) or "").rsplit(".", 1)[-1] == "uniform"


@register
class UnknownPipelineParam(Rule):
    code = "HPL506"
    name = "unknown-pipeline-param"
    summary = "A grid key names no step or parameter of the estimator or pipeline it searches"
    doc = """
    ## What it does
    Checks each key of a scikit-learn search grid against the estimator it tunes: for a pipeline,
    the key must be `<step>__<parameter>` with an existing step name (`make_pipeline` names steps
    after their lower-cased class), or a step name alone (replacing the step); for a
    scikit-learn estimator, the parameter must exist. Steps and estimators are followed through
    variables and nested pipelines; anything the analysis cannot resolve is not checked.

    ## Why is this bad?
    scikit-learn raises `ValueError: Invalid parameter` only when the search runs — often after the
    preprocessing of a long notebook — and a key meant for the classifier (`C` instead of
    `svc__C`) is a common slip when a model is wrapped in a pipeline.

    ## Example
    ```python
    pipe = make_pipeline(StandardScaler(), SVC())
    GridSearchCV(pipe, {"C": [0.1, 1, 10], "svc__gama": [0.01, 0.1]})
    ```

    ## Use instead
    ```python
    pipe = make_pipeline(StandardScaler(), SVC())
    GridSearchCV(pipe, {"svc__C": [0.1, 1, 10], "svc__gamma": [0.01, 0.1]})
    ```
    """
    valid = (
        """
        from sklearn.pipeline import Pipeline, make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GridSearchCV
        pipe = Pipeline([("scale", StandardScaler()), ("clf", SVC())])
        GridSearchCV(pipe, {"clf__C": [1, 10], "scale__with_mean": [True, False]})
        GridSearchCV(pipe, {"clf": [SVC(), LogisticRegression()], "clf__C": [1, 10]})
        GridSearchCV(make_pipeline(StandardScaler(), SVC()), {"svc__C": [1, 10]})
        """,
    )
    invalid = (
        """
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(make_pipeline(StandardScaler(), SVC()), {"C": [1, 10]})
        """,
        """
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        from sklearn.model_selection import GridSearchCV
        pipe = Pipeline([("scaler", StandardScaler()), ("svm", SVC())])
        GridSearchCV(pipe, {"clf__C": [1, 10]})
        """,
        """
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(RandomForestClassifier(), {"n_estimator": [100, 200]})
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        for space in search_spaces(ctx):
            if space.framework != "sklearn" or space.estimator is None:
                continue
            for grid in space.grids:
                replaced = {d.name for d in grid}
                for dim in grid:
                    message = _key_problem(dim.name, space.estimator, replaced)
                    if message:
                        # A grid built apart from its search may serve several: name this one.
                        search = space.call.node if space.call is not None else dim.node
                        if ctx.line_of(search) != ctx.line_of(dim.node):
                            message += f" (searched by `{space.label}` at {ctx.where(search)})"
                        ctx.report(self, dim.node, message, related=[(f"`{space.label}` using this grid", search)])


# Parameters of ensembles that hold estimators under names of the user's choosing.
NAMED_ESTIMATORS = ("estimators", "transformers", "transformer_list")


def _key_problem(key: str, estimator: Estimator, replaced: set[str]) -> str | None:
    parts = key.split("__")
    current: Estimator | None = estimator
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if current is None or current.api is None:
            return None
        if current.is_pipeline:
            steps = current.steps
            if steps is None:
                return None
            if part in steps:
                prefix = "__".join(parts[: index + 1])
                current = None if prefix in replaced else steps[part]
                continue
            if last and current.api.param(part) is not None:
                return None
            names = ", ".join(steps)
            if last:
                owners = [name for name, step in steps.items() if step and step.api and step.api.param(part)]
                hint = f"; did you mean `{owners[-1]}__{part}`?" if owners else f" (steps: {names})"
                return (
                    f"`{key}` names no step of the pipeline: parameters of a step are set as "
                    f"`<step>__<parameter>`{hint}"
                )
            close = _close_matches(part, list(steps), n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            return f"`{key}`: the pipeline has no step `{part}` (steps: {names}){hint}"
        api = current.api
        if api.library != "sklearn":
            return None
        if not last and any(api.param(n) is not None for n in NAMED_ESTIMATORS):
            return None  # `lr__C` on VotingClassifier(estimators=[("lr", ...)]): names we do not read
        if api.param(part) is None:
            known = [p.name for p in api.params]
            close = _close_matches(part, known, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            return f"`{key}`: `{current.short_name}` has no parameter `{part}`{hint}"
        current = None  # a nested estimator parameter (`estimator__C`): not followed further
    return None


def _close_matches(word: str, candidates: list[str], n: int) -> list[str]:
    import difflib  # only when a name is unknown: start-up does not pay for it

    return difflib.get_close_matches(word, candidates, n=n)
