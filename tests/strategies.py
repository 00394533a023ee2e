"""Random ML-flavoured programs for the property tests (tests/test_properties.py).

Programs grammar-generated at random (hypothesmith) almost never call an ML API, so they barely
reach the rules. `MLProgram` composes real calls from the knowledge base (estimators, splitters,
searches, optimizers, search spaces ...) with random Python around them: every import form, splits
unpacked into shapes of any arity, fits and scores on random variables, loops, functions calling
each other, classes, lambdas, comprehensions, walrus, match, global/nonlocal, del, odd arguments.

Every random decision goes through a `Chooser`, so the same generator runs under hypothesis
(`DrawChooser`: shrinkable, derandomized in CI) and in fast local campaigns (`RandomChooser`).
The generator aims at programs libcst parses, not at programs CPython would run: `return` at
module level or `nonlocal` of an unknown name are fine, the analysis must survive them too.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

from hypothesis import strategies as st

from hplint.knowledge import all_apis
from hplint.knowledge.schema import Api

# -- choices ------------------------------------------------------------------------------------


class RandomChooser:
    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        return self._random.randint(low, high)

    def choice(self, options: Sequence):
        return options[self._random.randrange(len(options))]

    def chance(self, percent: int) -> bool:
        return self._random.randrange(100) < percent


class DrawChooser:
    """Choices drawn from hypothesis data: failures shrink to the fewest, smallest choices."""

    def __init__(self, draw: Callable) -> None:
        self._draw = draw

    def integer(self, low: int, high: int) -> int:
        return self._draw(st.integers(low, high))

    def choice(self, options: Sequence):
        return options[self._draw(st.integers(0, len(options) - 1))]

    def chance(self, percent: int) -> bool:
        # Shrinks towards 0, i.e. towards "no": minimal examples keep only the needed constructs.
        return self._draw(st.integers(0, 99)) >= 100 - percent


# -- vocabulary ---------------------------------------------------------------------------------

NAMES = (
    "X", "y", "X_train", "X_test", "y_train", "y_test", "X_val", "y_val", "X_tr", "X_te", "df",
    "train", "test", "data", "features", "target", "model", "clf", "reg", "est", "scaler", "pipe",
    "grid", "search", "cv", "kf", "folds", "scores", "params", "param_grid", "space", "study",
    "trial", "best", "preds", "opt", "optimizer", "net", "loader", "lr", "i", "fold", "train_idx",
    "test_idx", "args", "cfg", "result", "x", "z", "_", "self", "labels", "train_df", "test_df",
)
METHODS = (
    "fit", "predict", "predict_proba", "score", "transform", "fit_transform", "fit_resample",
    "split", "get_n_splits", "set_params", "get_params", "compile", "train", "evaluate", "step",
    "zero_grad", "backward", "suggest_float", "suggest_int", "suggest_categorical", "optimize",
    "partial_fit", "inverse_transform", "decision_function", "fit_predict", "parameters", "to",
    "eval", "item", "mean", "std", "fillna", "drop", "copy", "append", "reshape", "values", "apply",
    "hyperparameter_search", "validate", "test", "add", "summary", "save", "load_state_dict",
)
ATTRIBUTES = (
    "best_params_", "best_estimator_", "best_score_", "cv_results_", "coef_", "feature_importances_",
    "shape", "columns", "values", "T", "loc", "iloc", "weight", "data", "grad", "best_trial",
    "best_value", "trials", "history", "classes_", "n_features_in_", "lr", "keras", "nn", "optim",
)
DATA_CALLS = (
    'pd.read_csv("train.csv")', 'pd.read_csv("data/test.csv")', "pd.concat([{a}, {b}])",
    "pd.concat([{a}, {b}], axis=1)", "np.concatenate(({a}, {b}))", "np.vstack([{a}, {b}])",
    '{a}.drop(columns=["target"])', '{a}["target"]', "{a}.fillna({a}.mean())", "{a}.values",
    "{a}[:100]", "{a}[100:]", "{a}.iloc[:, :-1]", "{a}.loc[{a}.index < 10]", "{a}[{b} > 0]",
    "np.random.rand(100, 4)", "np.zeros(({a}, 3))", "load_iris(return_X_y=True)",
    "make_classification(n_samples=100, random_state=0)", "torch.randn(8, 3)",
    "{a}.sample(frac=1.0)", "{a}.head()", "{a}.tail(10)", "{a}.to_numpy()", "np.log1p({a})",
    "{a}.groupby({b}).transform('mean')", "{a}.shift(1)", "{a}.rolling(3).mean()",
    "tf.keras.datasets.mnist.load_data()", "DataLoader({a}, batch_size=32, shuffle=True)",
    "random_split({a}, [0.8, 0.2])", "{a}.dropna()", "{a} - {a}.mean()", "{a} / {a}.std()",
)
SEED_CALLS = (
    "np.random.seed({n})", "random.seed({n})", "torch.manual_seed({n})", "tf.random.set_seed({n})",
    "seed_everything({n})", "set_seed({n})", "torch.cuda.manual_seed_all({n})",
    "np.random.default_rng({n})", "optuna.samplers.TPESampler(seed={n})",
)
BASE_IMPORTS = (
    "import numpy as np", "import pandas as pd", "import random", "import torch",
    "import torch.nn as nn", "import tensorflow as tf", "from tensorflow import keras",
    "import xgboost as xgb", "import lightgbm as lgb", "import optuna", "from hyperopt import hp",
    "from ray import tune", "from sklearn.datasets import load_iris, make_classification",
    "from torch.utils.data import DataLoader, random_split", "import sklearn", "from sklearn import *",
    "from numpy import *", "import os, sys as system", "from . import helpers", "from .. import *",
    "import sklearn.model_selection as ms", "from sklearn import model_selection, metrics as mt",
    "from torch import optim", "import catboost as cb", "from __future__ import annotations",
)
DECORATORS = (
    "staticmethod", "classmethod", "property", "torch.no_grad()", "functools.lru_cache(maxsize=None)",
    "ray.remote", "ray.remote(num_gpus=1)", "tf.function", "pytest.mark.parametrize('lr', [0.1, 1.0])",
    "dataclass", "np.vectorize", "{name}", "{name}.setter", "(lambda f: f)",
)
MAGICS = (
    "%matplotlib inline", "!pip install -q xgboost", "%load_ext autoreload", "%autoreload 2",
    "x = !ls", "%time {name} = 1", "model?", "??np.mean", "%pip install optuna", "!nvidia-smi",
    "%env SEED=0", "files = %sx ls", "!pip install \\\n    xgboost \\\n  optuna",
)
CELL_MAGICS = ("%%time", "%%capture", "%%timeit", "%%bash", "%%writefile helpers.py", "%%html")
BINARY_OPERATORS = ("+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>")
COMPARISONS = ("<", ">", "==", "!=", "<=", ">=", "in", "not in", "is", "is not")
AUGMENTED = ("+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", "<<=", ">>=")
STRINGS = (
    '"rbf"', "'gini'", '""', "'l2'", '"adam"', "r'\\d+'", "b'bytes'", '"a" "b"', "'''multi\nline'''",
    '"\\N{GREEK SMALL LETTER ALPHA}"', "'é'", '"ünïcode"', "'\\t'", '"log_loss"', "u'x'", "rb'\\x00'",
)
NUMBERS = (
    "0", "1", "-1", "2", "3", "5", "10", "42", "100", "1000", "0.0", "0.5", "1.0", "0.1", "0.01",
    "1e-3", "1e-4", "3e-4", "0.001234567", "1e308", "1e999", "-1e999", ".5", "5.", "1_000",
    "0x1F", "0o17", "0b101", "1j", "2.5j", "10**30", "123456789012345678901234567890", "-0.0",
    "float('inf')", "float('nan')", "~3", "+7", "-(-2)", "2**-3", "1/3", "10**400", "-10**400",
    "10**10**10", "(-1)**0.5", "2**-1074", "0**-1", "1 << 2000",
)

UNQUOTED_NUMBERS = tuple(n for n in NUMBERS if "'" not in n)


@dataclass(frozen=True)
class _ApiSpec:
    module: str  # import path of the defining module
    name: str  # the class or function
    api: Api


@lru_cache(maxsize=1)
def _apis() -> tuple[_ApiSpec, ...]:
    specs = []
    for api in sorted(all_apis(), key=lambda a: a.qualname):
        for qualname in (api.qualname, *api.aliases):
            module, _, name = qualname.rpartition(".")
            if module:
                specs.append(_ApiSpec(module, name, api))
    return tuple(specs)


@lru_cache(maxsize=1)
def _apis_by_role() -> dict[str, tuple[_ApiSpec, ...]]:
    roles: dict[str, list[_ApiSpec]] = {}
    for spec in _apis():
        roles.setdefault(spec.api.role, []).append(spec)
    return {role: tuple(specs) for role, specs in sorted(roles.items())}


# -- the generator ------------------------------------------------------------------------------


@dataclass
class _Scope:
    in_function: bool = False
    in_async: bool = False
    in_loop: bool = False
    in_class: bool = False
    enclosing_locals: tuple[str, ...] = ()  # names a nested function may declare nonlocal


@dataclass
class MLProgram:
    """One random program: `statements()` gives its top-level statements as lists of lines."""

    choose: RandomChooser | DrawChooser
    max_depth: int = 3
    max_statements: int = 14
    callees: dict[str, str] = field(default_factory=dict)  # qualname -> how this file spells it
    functions: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)  # variables earlier workflow steps bound to data
    models: list[str] = field(default_factory=list)  # ... and to models
    _counter: int = 0

    # names -----------------------------------------------------------------------------------

    def name(self) -> str:
        c = self.choose
        if c.chance(6):
            self._counter += 1
            return f"v{self._counter}"
        if self.functions and c.chance(5):
            return c.choice(self.functions)
        return c.choice(NAMES)

    def fresh(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter}"

    # imports ---------------------------------------------------------------------------------

    def import_api(self, spec: _ApiSpec) -> tuple[str | None, str]:
        """An import statement (or None) and how the imported API is then spelled."""
        c = self.choose
        module, name = spec.module, spec.name
        root = module.split(".")[0]
        form = c.integer(0, 10)
        alias = self.fresh(name[:3].lower() or "a")
        if form == 0:
            return f"from {module} import {name}", name
        if form == 1:
            return f"from {module} import {name} as {alias}", alias
        if form == 2:
            return f"import {module}", f"{module}.{name}"
        if form == 3:
            return f"import {module} as {alias}", f"{alias}.{name}"
        if form == 4:
            return f"from {module} import *", name
        if form == 5 and "." in module:
            parent, _, sub = module.rpartition(".")
            return f"from {parent} import {sub}", f"{sub}.{name}"
        if form == 6:
            return f"import {root}", f"{module}.{name}"
        if form == 7 and root == "keras":
            return "import tensorflow as tf", f"tf.{module}.{name}"
        if form == 8:
            return f"from {module} import ({name}, {name} as {alias},)", c.choice((name, alias))
        if form == 9:
            return None, name  # never imported: an unresolved bare name
        return f"from {module} import {name}", name

    def callee(self, role: str | None = None) -> tuple[str, _ApiSpec, list[str]]:
        """A callable from the knowledge base, and the import lines it needs (maybe none)."""
        c = self.choose
        by_role = _apis_by_role()
        pool = by_role[role] if role in by_role else by_role[c.choice(tuple(by_role))]
        spec = c.choice(pool)
        known = self.callees.get(spec.api.qualname)
        if known is not None and c.chance(70):
            return known, spec, []
        statement, spelled = self.import_api(spec)
        self.callees[spec.api.qualname] = spelled
        return spelled, spec, [statement] if statement else []

    # expressions -----------------------------------------------------------------------------

    def literal(self, depth: int = 0) -> str:
        c = self.choose
        kind = c.integer(0, 9)
        if kind <= 3:
            return c.choice(NUMBERS)
        if kind == 4:
            return c.choice(STRINGS)
        if kind == 5:
            return c.choice(("None", "True", "False", "...", "()", "[]", "{}", "set()"))
        if kind == 6:
            return self.f_string()
        if depth >= 2:
            return c.choice(NUMBERS)
        items = [self.literal(depth + 1) for _ in range(c.integer(0, 3))]
        if kind == 7:
            return "[" + ", ".join(items) + "]"
        if kind == 8:
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        return "{" + ", ".join(f"{c.choice(STRINGS)}: {item}" for item in items) + "}"

    def space_value(self, depth: int) -> str:
        """A value a search space might hold: a list, a distribution, a suggest call, a range."""
        c = self.choose
        kind = c.integer(0, 6)
        if kind == 0:
            return "[" + ", ".join(c.choice(NUMBERS + STRINGS) for _ in range(c.integer(0, 5))) + "]"
        if kind == 1:
            return c.choice(("np.logspace(-3, 3, 7)", "np.linspace(0, 1, 5)", "range(1, 10)",
                             "[10**i for i in range(-3, 3)]", "loguniform(1e-4, 1e-1)",
                             "uniform(0, 1)", "randint(1, 100)", "stats.expon(scale=1.0)"))
        if kind == 2:
            return (f"trial.suggest_{c.choice(('float', 'int', 'categorical', 'loguniform', 'uniform'))}"
                    f"({c.choice(STRINGS)}, {c.choice(NUMBERS)}, {c.choice(NUMBERS)}"
                    f"{c.choice(('', ', log=True', ', step=2', ', log=False'))})")
        if kind == 3 or depth >= self.max_depth:
            callee, spec, _ = self.callee("hpo_space")  # imports of a space call are optional
            return self.call_text(callee, spec.api, depth + 1)
        if kind == 4:
            return self.param_grid(depth + 1)
        return self.expr(depth + 1)

    def param_grid(self, depth: int) -> str:
        c = self.choose
        entries = []
        for _ in range(c.integer(0, 4)):
            api = c.choice(_apis()).api
            key = c.choice(api.params).name if api.params and c.chance(80) else self.name()
            if c.chance(30):
                key = f"{self.name()}__{key}"
            key_text = c.choice((f'"{key}"', f"'{key}'", c.choice(NUMBERS), f"{self.name()}"))
            entries.append(f"{key_text}: {self.space_value(depth + 1)}")
        if c.chance(10):
            entries.append(f"**{self.name()}")
        text = "{" + ", ".join(entries) + "}"
        form = c.integer(0, 5)
        if form == 0:
            return f"[{text}, {text}]"
        if form == 1:
            return "dict(" + ", ".join(f"{c.choice(_apis()).name.lower()}={self.space_value(depth + 1)}"
                                      for _ in range(c.integer(0, 2))) + ")"
        return text

    def argument(self, depth: int) -> str:
        c = self.choose
        kind = c.integer(0, 9)
        if kind <= 3:
            return self.literal()
        if kind == 4:
            return self.name()
        if kind == 5:
            return c.choice((f'cfg["{self.name()}"]', f"args.{self.name()}", "config.get('lr', 0.1)",
                             "os.environ['SEED']", "int(sys.argv[1])", "CONSTANT", "self.lr"))
        if kind == 6:
            return self.space_value(depth + 1)
        return self.expr(depth + 1)

    def call_text(self, callee: str, api: Api | None, depth: int) -> str:
        """`callee(...)` with random arguments drawn from the API's parameters (and odd ones)."""
        c = self.choose
        positional: list[str] = []
        keywords: list[str] = []
        params = list(api.params) if api is not None else []
        for _ in range(c.integer(0, 4)):
            if params and c.chance(75):
                param = c.choice(params)
                value = self.argument(depth)
                if param.position is not None and c.chance(40):
                    positional.append(value)
                else:
                    keywords.append(f"{param.name}={value}")
            elif c.chance(50):
                positional.append(self.argument(depth))
            else:
                keywords.append(f"{self.name()}={self.argument(depth)}")
        if c.chance(12):  # anywhere among the positional arguments: analyses that count them miscount
            positional.insert(c.integer(0, len(positional)), f"*{c.choice((self.name(), '[]', '(1, 2)'))}")
        if c.chance(8):
            keywords.append(f"**{c.choice((self.name(), '{}', self.param_grid(depth + 1)))}")
        if c.chance(5):
            keywords.append(f"*{self.name()}")  # `f(x=1, *rest)` is valid Python
        if api is not None and api.role in ("search", "cv_scorer", "pipeline") and c.chance(60):
            inner, spec, _ = self.callee(c.choice(("estimator", "preprocessor", "resampler")))
            positional.insert(0, self.call_text(inner, spec.api, depth + 1) if depth < self.max_depth else inner)
            if api.role == "search":
                positional.insert(1, self.param_grid(depth + 1))
        if api is not None and api.role == "pipeline" and c.chance(50):
            steps = []
            for _ in range(c.integer(0, 3)):
                inner, spec, _ = self.callee(c.choice(("estimator", "preprocessor", "feature_selector")))
                steps.append(f"({c.choice(STRINGS)}, {inner}())")
            positional.insert(0, "[" + ", ".join(steps) + "]")
        return f"{callee}({', '.join(positional + keywords)})"

    def ml_call(self, depth: int) -> tuple[str, list[str]]:
        """A knowledge-base call or method call; returns the expression and imports it needs."""
        c = self.choose
        callee, spec, imports = self.callee()
        text = self.call_text(callee, spec.api, depth)
        if spec.api.methods and c.chance(30):
            method = c.choice(spec.api.methods)
            text = self.call_text(f"{text}.{method.qualname.rsplit('.', 1)[-1]}", method, depth)
        return text, imports

    def expr(self, depth: int = 0) -> str:
        c = self.choose
        if depth >= self.max_depth:
            return c.choice((self.name, self.literal))()
        kind = c.integer(0, 24)
        d = depth + 1
        if kind <= 3:
            return self.name()
        if kind <= 5:
            return self.literal()
        if kind <= 8:
            return self.ml_call(d)[0]
        if kind == 9:
            method = c.choice(METHODS)
            receiver = self.expr(d)
            if not receiver[:1].isalpha() and not receiver.startswith(("(", "[", "{", "_")):
                receiver = f"({receiver})"  # `1.fit()` is a decimal literal error, `(1).fit()` a call
            return f"{receiver}.{method}({', '.join(self.argument(d) for _ in range(c.integer(0, 3)))})"
        if kind == 10:
            return f"{self.name()}.{c.choice(ATTRIBUTES)}"
        if kind == 11:
            return f"{self.name()}[{self.subscript(d)}]"
        if kind == 12:
            return f"({self.expr(d)} {c.choice(BINARY_OPERATORS)} {self.expr(d)})"
        if kind == 13:
            return f"({self.expr(d)} {c.choice(COMPARISONS)} {self.expr(d)} {c.choice(('and', 'or'))} not {self.expr(d)})"
        if kind == 14:
            return f"({self.expr(d)} if {self.expr(d)} else {self.expr(d)})"
        if kind == 15:
            params = c.choice(("", "x", "x, y=1", "*a, **k", "trial", "p"))
            return f"(lambda {params}: {self.expr(d)})"
        if kind == 16:
            return self.comprehension(d)
        if kind == 17:
            return f"({self.name()} := {self.expr(d)})"
        if kind == 18 and self.functions:
            return self.call_text(c.choice(self.functions), None, d)
        if kind == 19:
            return c.choice(DATA_CALLS).format(a=self.name(), b=self.expr(d))
        if kind == 20:
            return "[" + ", ".join(c.choice(("*", "")) + self.expr(d) for _ in range(c.integer(0, 3))) + "]"
        if kind == 21:
            return self.f_string()
        if kind == 22:
            return f"{self.name()}.{self.name()}.{c.choice(METHODS)}({self.argument(d)})"
        if kind == 23:
            return "(" + ", ".join(self.expr(d) for _ in range(c.integer(2, 4))) + ")"
        return c.choice(SEED_CALLS).format(n=c.choice(NUMBERS))

    def f_string(self) -> str:
        """An f-string whose replacement fields hold no quotes or backslashes (Python < 3.12)."""
        c = self.choose
        fields = []
        for _ in range(c.integer(1, 3)):
            value = c.choice((self.name(), f"{self.name()}.{c.choice(ATTRIBUTES)}", f"{self.name()}[0]",
                              f"{self.name()}.{c.choice(METHODS)}()", c.choice(UNQUOTED_NUMBERS)))
            spec = c.choice(("", "!r", ":.3f", "!r:>10", ":{width}", "=", ":,"))
            fields.append("{" + value + spec + "}")
        prefix = c.choice(("f", "rf", "F", "fR"))
        return f'{prefix}"{"_".join(fields)} {{{{literal braces}}}}"'

    def subscript(self, depth: int) -> str:
        c = self.choose
        kind = c.integer(0, 7)
        if kind == 0:
            return f"{self.expr(depth)}:{self.expr(depth)}"
        if kind == 1:
            return f":, {c.choice(('1:', ':-1', '0', '::2', '[0, 1]'))}"
        if kind == 2:
            return c.choice(STRINGS)
        if kind == 3:
            return f"{self.name()} > {c.choice(NUMBERS)}"
        if kind == 4:
            return "..."
        if kind == 5:
            return f"{self.expr(depth)}, {self.expr(depth)}"
        return self.expr(depth)

    def comprehension(self, depth: int) -> str:
        c = self.choose
        clauses = " ".join(
            f"{c.choice(('async ', '')) if c.chance(5) else ''}for {self.target(1)} in {self.expr(depth)}"
            + (f" if {self.expr(depth)}" if c.chance(40) else "")
            for _ in range(c.integer(1, 2))
        )
        element = self.expr(depth)
        form = c.integer(0, 3)
        if form == 0:
            return f"[{element} {clauses}]"
        if form == 1:
            return f"{{{element} {clauses}}}"
        if form == 2:
            return f"{{{self.expr(depth)}: {element} {clauses}}}"
        return f"({element} {clauses})"

    def single_target(self) -> str:
        c = self.choose
        kind = c.integer(0, 2)
        if kind == 0:
            return self.name()
        if kind == 1:
            return f"{self.name()}.{c.choice(ATTRIBUTES + NAMES)}"
        return f"{self.name()}[{self.subscript(self.max_depth)}]"

    def target(self, depth: int = 0) -> str:
        """An assignment target: names, attributes, subscripts, tuples of any shape, starred."""
        c = self.choose
        kind = c.integer(0, 9)
        if kind <= 4 or depth >= 2:
            return self.name()
        if kind == 5:
            return f"{self.name()}.{c.choice(ATTRIBUTES + NAMES)}"
        if kind == 6:
            return f"{self.name()}[{self.subscript(self.max_depth)}]"
        elements = [self.target(depth + 1) for _ in range(c.integer(1, 5))]
        if c.chance(25):
            elements[c.integer(0, len(elements) - 1)] = f"*{self.name()}"
        inner = ", ".join(elements) + ("," if len(elements) == 1 else "")
        if kind == 7:
            return f"[{inner}]"
        return f"({inner})" if depth or c.chance(50) else inner

    # statements ------------------------------------------------------------------------------

    def statements(self) -> list[list[str]]:
        c = self.choose
        result: list[list[str]] = []
        if c.chance(70):
            for _ in range(c.integer(1, 4)):
                result.append([c.choice(BASE_IMPORTS)])
        for _ in range(c.integer(1, self.max_statements)):
            result.extend(self.statement(0, _Scope()))
        return result

    def block(self, depth: int, scope: _Scope) -> list[str]:
        lines: list[str] = []
        for _ in range(self.choose.integer(1, 3)):
            for statement in self.statement(depth, scope):
                lines.extend("    " + line for line in statement)
        return lines

    def statement(self, depth: int, scope: _Scope) -> list[list[str]]:
        """One statement, preceded by the import statements it needs."""
        c = self.choose
        imports: list[str] = []
        compound = depth < self.max_depth and c.chance(30)
        lines = self.compound(depth, scope) if compound else self.simple(depth, scope, imports)
        return [[line] for line in imports] + [lines]

    def simple(self, depth: int, scope: _Scope, imports: list[str]) -> list[str]:
        c = self.choose
        if c.chance(45):
            return self.workflow_step(imports)
        kind = c.integer(0, 23)
        if kind <= 4:
            value, needed = self.ml_call(0)
            imports.extend(needed)
            return [f"{self.target()} = {value}"]
        if kind <= 6:
            return [self.split_statement(imports)]
        if kind == 7:
            method = c.choice(("fit", "fit", "predict", "score", "fit_transform", "transform", "fit_resample",
                               "partial_fit", "evaluate", "train"))
            args = ", ".join(c.choice(NAMES[:10]) for _ in range(c.integer(1, 3)))
            extra = c.choice(("", ", epochs=10", ", eval_set=[(X_test, y_test)]", ", validation_data=(X_test, y_test)",
                              ", early_stopping_rounds=10", ", callbacks=[cb]", ", **fit_params"))
            return [f"{self.target() if c.chance(50) else self.name()} = {self.name()}.{method}({args}{extra})"]
        if kind == 8:
            return [f"{self.target()} = {self.expr()}"]
        if kind == 9:
            return [f"{self.single_target()} {c.choice(AUGMENTED)} {self.expr()}"]
        if kind == 10:
            annotation = c.choice(("int", "float", "list[int]", "'Model'", "nn.Module", "dict[str, float]"))
            value = f" = {self.expr()}" if c.chance(70) else ""
            return [f"{self.name()}: {annotation}{value}"]
        if kind == 11:
            return [self.expr()]
        if kind == 12:
            names = ", ".join(self.name() for _ in range(c.integer(1, 3)))
            if scope.enclosing_locals and c.chance(50):
                return [f"nonlocal {names}"]
            return [f"{c.choice(('global', 'nonlocal'))} {names}"]
        if kind == 13:
            return ["del " + ", ".join(self.single_target() for _ in range(c.integer(1, 3)))]
        if kind == 14:
            if scope.in_loop and c.chance(60):
                return [c.choice(("break", "continue"))]
            return [c.choice(("pass", "...", "raise", f"raise ValueError({self.expr()})",
                              f"assert {self.expr()}, {self.literal()}"))]
        if kind == 15:
            keyword = c.choice(("return", "yield", "yield from", "return") if scope.in_function else ("return",))
            return [f"{keyword} {self.expr()}" if keyword != "return" or c.chance(80) else "return"]
        if kind == 16:
            return [f"{self.target()} = {self.target()} = {self.expr()}"]
        if kind == 17:
            return [f"{self.name()} = {self.expr()}; {self.name()} = {self.expr()}"]
        if kind == 18:
            return [c.choice(SEED_CALLS).format(n=c.choice(NUMBERS))]
        if kind == 19:
            statement, _ = self.import_api(c.choice(_apis()))
            return [statement or c.choice(BASE_IMPORTS)]
        if kind == 20:
            return [f"{self.name()} = {self.param_grid(1)}"]
        if kind == 21:
            return [f"{self.name()} = {self.expr()} \\", f"    {c.choice(BINARY_OPERATORS)} {self.expr()}"]
        if kind == 22:
            return [f"{self.target()} = {self.expr()}  # noqa: {c.choice(('HPL101', 'HPL403', 'E501'))}"]
        return [f"await {self.expr()}" if scope.in_async else f"print({self.expr()}, sep={self.literal()})"]

    # workflow steps: random names make flows that rarely connect, so half of the simple statements
    # are steps of an ML workflow on variables earlier steps bound (in any order, anywhere).

    def data_name(self) -> str:
        return self.choose.choice(self.data or ["X", "y", "df"])

    def model_name(self) -> str:
        return self.choose.choice(self.models or ["model"])

    def workflow_step(self, imports: list[str]) -> list[str]:
        c = self.choose
        kind = c.integer(0, 15)
        if kind == 0:
            name = c.choice(("df", "train_df", "data", "test_df"))
            self.data.append(name)
            return [f"{name} = {c.choice(DATA_CALLS[:2])}"]
        if kind == 1:
            self.data += ["X", "y"]
            frame = self.data_name()
            return [c.choice((f'X, y = {frame}.drop(columns=["target"]), {frame}["target"]',
                              "X, y = load_iris(return_X_y=True)",
                              f"X = {frame}.iloc[:, :-1].values; y = {frame}.iloc[:, -1].values"))]
        if kind in (2, 3):
            callee, spec, needed = self.callee(c.choice(("preprocessor", "feature_selector", "resampler")))
            imports.extend(needed)
            name = c.choice(("scaler", "pre", "selector", "enc", "imputer", "sm"))
            data = self.data_name()
            method = c.choice(("fit_transform", "fit_resample", "fit", "transform"))
            out = c.choice((data, f"{data}_t", f"{data}, y"))
            self.data.append(out.split(",")[0])
            constructor = self.call_text(callee, spec.api, 2)
            if c.chance(50):
                return [f"{name} = {constructor}", f"{out} = {name}.{method}({data}{c.choice(('', ', y'))})"]
            return [f"{out} = {constructor}.{method}({data}{c.choice(('', ', y'))})"]
        if kind in (4, 5):
            callee, spec, needed = self.callee("split_function")
            imports.extend(needed)
            inputs = ", ".join(self.data_name() for _ in range(c.integer(1, 3)))
            outputs = c.choice(("X_train, X_test, y_train, y_test", "X_train, X_test", "train, test",
                                "X_tr, X_val, y_tr, y_val", "X_train, X_val, y_train, y_val"))
            self.data += [o.strip() for o in outputs.split(",")]
            extra = c.choice(("", ", test_size=0.2", ", test_size=0.25, random_state=0", ", stratify=y", ", shuffle=False"))
            return [f"{outputs} = {callee}({inputs}{extra})"]
        if kind in (6, 7):
            callee, spec, needed = self.callee(c.choice(("estimator", "estimator", "model", "trainer", "optimizer")))
            imports.extend(needed)
            name = c.choice(("model", "clf", "reg", "est", "net", "m", "opt", "trainer"))
            self.models.append(name)
            return [f"{name} = {self.call_text(callee, spec.api, 2)}"]
        if kind in (8, 9):
            method = c.choice(("fit", "fit", "fit", "train", "partial_fit", "fit_transform"))
            args = ", ".join(self.data_name() for _ in range(c.integer(1, 2)))
            extra = c.choice(("", f", eval_set=[({self.data_name()}, {self.data_name()})]", ", epochs=20",
                              f", validation_data=({self.data_name()}, {self.data_name()})", ", early_stopping_rounds=10"))
            return [f"{self.model_name()}.{method}({args}{extra})"]
        if kind == 10:
            preds = c.choice(("preds", "y_pred", "p"))
            self.data.append(preds)
            return [f"{preds} = {self.model_name()}.{c.choice(('predict', 'predict_proba', 'transform'))}({self.data_name()})"]
        if kind == 11:
            callee, spec, needed = self.callee(c.choice(("metric", "cv_scorer")))
            imports.extend(needed)
            target = c.choice(("score", "acc", "scores", "print("))
            args = ", ".join(self.data_name() for _ in range(c.integer(1, 2)))
            if spec.api.role == "cv_scorer":
                args = f"{self.model_name()}, {args}"
            extra = c.choice(("", ", cv=5", ", cv=kf", ", scoring='accuracy'"))
            call = f"{callee}({args}{extra})"
            return [f"print({call})" if target == "print(" else f"{target} = {call}"]
        if kind == 12:
            callee, spec, needed = self.callee("search")
            imports.extend(needed)
            name = c.choice(("search", "grid", "gs"))
            self.models.append(name)
            return [f"{name} = {callee}({self.model_name()}, {self.param_grid(1)}{c.choice(('', ', cv=3', ', n_iter=10'))})",
                    f"{name}.fit({self.data_name()}, {self.data_name()})",
                    c.choice((f"print({name}.best_score_)", f"best = {name}.best_estimator_", f"{name}.best_params_"))]
        if kind == 13:
            best = c.choice(("best", "best_score"))
            model, spec, needed = self.callee("estimator")
            imports.extend(needed)
            param = c.choice(spec.api.params).name if spec.api.params else "alpha"
            return [f"{best} = 0",
                    f"for value in {self.space_value(2)}:",
                    f"    m = {model}({param}=value)",
                    f"    m.fit({self.data_name()}, {self.data_name()})",
                    f"    s = m.score({self.data_name()}, {self.data_name()})",
                    f"    if s > {best}:",
                    f"        {best}, chosen = s, value"]
        if kind == 14:
            callee, spec, needed = self.callee(c.choice(("hpo_study", "booster_train", "optimizer", "scheduler")))
            imports.extend(needed)
            return [f"{c.choice(('study', 'booster', 'opt', 'sched'))} = {self.call_text(callee, spec.api, 2)}"]
        return [f"{self.name()} = {c.choice(DATA_CALLS).format(a=self.data_name(), b=self.data_name())}"]

    def split_statement(self, imports: list[str]) -> str:
        """A split unpacked into a random shape: right or wrong arity, starred, nested."""
        c = self.choose
        callee, spec, needed = self.callee(c.choice(("split_function", "split_function", "splitter")))
        imports.extend(needed)
        arrays = ", ".join(c.choice(NAMES[:12] + ("df", "data", "*arrays")) for _ in range(c.integer(1, 4)))
        extras = c.choice(("", ", test_size=0.2", ", test_size=.25, random_state=42", ", shuffle=False",
                           ", stratify=y", ", train_size=0.8, test_size=None", ", [0.8, 0.2]", ", **kw"))
        if spec.api.role == "splitter":
            call = f"{callee}({c.choice(('', 'n_splits=5', '5, shuffle=True'))}).split({arrays})"
            wrapper = c.choice(("list({})", "next({})", "{}", "[*{}]"))
            return f"{self.target()} = {wrapper.format(call)}"
        shape = c.integer(0, 5)
        names = ["X_train", "X_test", "y_train", "y_test", "X_val", "y_val"]
        if shape == 0:
            target = ", ".join(names[: c.integer(1, 6)])
        elif shape == 1:
            target = "X_train, *rest"
        elif shape == 2:
            target = "(X_train, X_test), (y_train, y_test)"
        elif shape == 3:
            target = "[a, b], c, d" if c.chance(50) else "train, test"
        elif shape == 4:
            target = "parts"
        else:
            target = self.target()
        return f"{target} = {callee}({arrays}{extras})"

    def compound(self, depth: int, scope: _Scope) -> list[str]:
        c = self.choose
        kind = c.integer(0, 13)
        d = depth + 1
        if kind <= 1:
            return self.for_loop(d, scope)
        if kind == 2:
            lines = [f"if {self.expr()}:", *self.block(d, scope)]
            for _ in range(c.integer(0, 2)):
                lines += [f"elif {self.expr()}:", *self.block(d, scope)]
            if c.chance(50):
                lines += ["else:", *self.block(d, scope)]
            return lines
        if kind == 3:
            loop = _Scope(**{**scope.__dict__, "in_loop": True})
            return [f"while {self.expr()}:", *self.block(d, loop)] + (
                ["else:", *self.block(d, scope)] if c.chance(20) else [])
        if kind <= 6:
            return self.function(d, scope)
        if kind == 7:
            return self.class_def(d, scope)
        if kind == 8:
            items = ", ".join(f"{self.expr()}" + (f" as {self.target(1)}" if c.chance(60) else "")
                              for _ in range(c.integer(1, 2)))
            prefix = "async " if scope.in_async and c.chance(40) else ""
            return [f"{prefix}with {items}:", *self.block(d, scope)]
        if kind == 9:
            star = "*" if c.chance(15) else ""
            lines = ["try:", *self.block(d, scope)]
            for _ in range(c.integer(1, 2)):
                lines += [f"except{star} {c.choice(('Exception', 'ValueError as e', '(KeyError, IndexError)'))}:",
                          *self.block(d, scope)]
            if c.chance(30):
                lines += ["else:", *self.block(d, scope)]
            if c.chance(30):
                lines += ["finally:", *self.block(d, scope)]
            return lines
        if kind == 10:
            lines = [f"match {self.expr()}:"]
            for _ in range(c.integer(1, 3)):
                pattern = c.choice((
                    "1 | 2", "[a, *rest]", "{'lr': lr, **others}", "Point(x=0, y=yy)", "str() as s",
                    "(X_train, X_test)", "None", "_", "[*_]", "{'k': [1, (2 | 3)]}", "float(v) if v > 0",
                    "sklearn.svm.SVC()", '"adam" | "sgd" as name',
                ))
                lines += [f"    case {pattern}:", *("    " + line for line in self.block(d, scope))]
            return lines
        if kind == 11:
            guard = c.choice(('"__main__"', "'__main__'", "__name__"))
            return [f"if __name__ == {guard}:", *self.block(d, scope)]
        if kind == 12:
            return [f"if {self.expr()}: {self.name()} = {self.expr()}; {self.expr()}"]
        return [f"for {self.target()} in {self.expr()}: {self.expr()}"]

    def for_loop(self, depth: int, scope: _Scope) -> list[str]:
        c = self.choose
        loop = _Scope(**{**scope.__dict__, "in_loop": True})
        kind = c.integer(0, 4)
        if kind == 0:
            splitter, spec, _ = self.callee("splitter")
            header = (f"for {c.choice(('train_idx, test_idx', 'fold, (train_idx, test_idx)', 'idx', '(a, b)'))} "
                      f"in {c.choice(('', 'enumerate('))}{splitter}({c.choice(('', 'n_splits=5', '3'))})"
                      f".split({c.choice(('X, y', 'X', 'df', 'X, y, groups'))})")
            header += ")" if "enumerate(" in header else ""
            body = [f"    {c.choice(('X_tr', 'X_train'))}, {c.choice(('X_te', 'X_test'))} = X[train_idx], X[test_idx]",
                    *self.block(depth, loop)]
            return [header + ":", *body]
        if kind == 1:
            grid_value = self.space_value(1)
            model, spec, _ = self.callee("estimator")
            param = c.choice(spec.api.params).name if spec.api.params else "alpha"
            body = [f"    {self.name()} = {model}({param}={c.choice(('value', 'v', self.expr(2)))})",
                    f"    {self.name()}.fit({c.choice(('X_train, y_train', 'X, y', 'X_test, y_test'))})",
                    f"    {c.choice(('score', 'scores[value]', 's'))} = {self.name()}.score("
                    f"{c.choice(('X_test, y_test', 'X_val, y_val', 'X, y'))})",
                    *self.block(depth, loop)]
            return [f"for {c.choice(('value', 'v', '(value, v)'))} in {grid_value}:", *body]
        if kind == 2:
            prefix = "async " if scope.in_async and c.chance(50) else ""
            return [f"{prefix}for {self.target()} in {self.expr()}:", *self.block(depth, loop)] + (
                ["else:", *self.block(depth, scope)] if c.chance(20) else [])
        if kind == 3:
            return [f"for epoch in range({c.choice(NUMBERS)}):",
                    "    for batch in loader:",
                    "        optimizer.zero_grad()",
                    f"        loss = {c.choice(('criterion(net(batch), y)', 'model(batch).loss', self.expr(2)))}",
                    "        loss.backward()",
                    "        optimizer.step()",
                    *("    " + line for line in self.block(depth + 1, loop))]
        return [f"for {self.target()}, {self.target()} in zip({self.expr()}, {self.expr()}):",
                *self.block(depth, loop)]

    def function(self, depth: int, scope: _Scope) -> list[str]:
        c = self.choose
        name = self.fresh("fn") if c.chance(70) or not self.functions else c.choice(self.functions)
        self.functions.append(name)  # visible (recursion, mutual recursion) before its body exists
        params = c.choice((
            "", "X, y", "model, X, y", "trial", "self", "self, X, y=None", "*args, **kwargs",
            "X, /, y, *, cv=5", "config: dict = {}", "lr=0.1, n=10", "data=None, *, seed=42",
            "params, X_train, y_train, X_test, y_test", "a, b=[], **kw",
        ))
        if scope.in_class and not params.startswith("self"):
            params = "self" + (", " + params if params else "")
        is_async = c.chance(15)
        decorators = [f"@{c.choice(DECORATORS).format(name=self.name())}" for _ in range(c.integer(0, 2) if c.chance(30) else 0)]
        inner = _Scope(in_function=True, in_async=is_async, in_class=False,
                       enclosing_locals=("X", "model", "best") if scope.in_function else ())
        body = self.block(depth, inner)
        if c.chance(50):
            body.append(f"    return {self.expr()}")
        if c.chance(40):
            body.append(f"    {c.choice(self.functions)}({', '.join(self.argument(2) for _ in range(c.integer(0, 2)))})")
        annotation = c.choice(("", " -> None", " -> 'Model'", " -> tuple[float, float]"))
        return [*decorators, f"{'async ' if is_async else ''}def {name}({params}){annotation}:", *body]

    def class_def(self, depth: int, scope: _Scope) -> list[str]:
        c = self.choose
        name = self.fresh("Model")
        self.classes.append(name)
        base = c.choice(("", "(nn.Module)", "(BaseEstimator, ClassifierMixin)", "(object)",
                         "(metaclass=ABCMeta)", "(keras.Model)", "(tf.keras.callbacks.Callback)",
                         "(pl.LightningModule)", f"({c.choice(self.classes)})", "(*bases, **kw)"))
        inside = _Scope(in_class=True)
        body = [
            "    def __init__(self, lr=0.01, *args, **kwargs):",
            "        super().__init__()",
            f"        self.{self.name()} = {self.ml_call(2)[0]}",
        ]
        for statement in self.statement(depth, inside):
            body.extend("    " + line for line in statement)
        body += [
            "    def forward(self, x):",
            f"        return self.{self.name()}(x)",
        ]
        if c.chance(40):
            body += [f"    {self.name()} = {self.expr(1)}"]
        return [f"class {name}{base}:", *body]


# -- rendering ----------------------------------------------------------------------------------


def script(statements: list[list[str]]) -> str:
    return "".join(line + "\n" for statement in statements for line in statement)


@dataclass(frozen=True)
class Notebook:
    """A notebook and the script that is the same program (magics written as `pass`)."""

    document: bytes
    equivalent_script: str


def notebook(statements: list[list[str]], choose: RandomChooser | DrawChooser) -> Notebook:
    """Split top-level statements into code cells, with markdown/raw cells and line magics around."""
    c = choose
    cells: list[dict] = []
    script_lines: list[str] = []
    index = 0
    while index < len(statements) or not cells:
        take = c.integer(1, 4)
        chunk = statements[index : index + take]
        index += take
        cell_lines: list[str] = []
        if c.chance(15):
            magic = c.choice(("%%time", "%%capture", "%%timeit"))
            cell_lines.append(magic)
            script_lines.append("pass")
        for statement in chunk:
            if c.chance(15):
                magic = c.choice(MAGICS).format(name=c.choice(NAMES)).split("\n")
                cell_lines.extend(magic)
                script_lines.extend("pass" for _ in magic)
            cell_lines.extend(statement)
            script_lines.extend(statement)
        if c.chance(10):
            cells.append({"cell_type": "markdown", "metadata": {}, "source": f"# Step {index}\n"})
        if c.chance(5):
            cells.append({"cell_type": "raw", "metadata": {}, "source": ["%%bash\n", "ls\n"]})
        text = "\n".join(cell_lines)
        source = [line + "\n" for line in cell_lines] if c.chance(50) else text
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source})
        if index >= len(statements):
            break
    document = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return Notebook(json.dumps(document, indent=1).encode(), "\n".join(script_lines) + "\n")


def with_non_python_cell(document: bytes, choose: RandomChooser | DrawChooser) -> bytes:
    """The notebook with one extra cell whose magic makes it not Python (%%bash ...)."""
    parsed = json.loads(document)
    position = choose.integer(0, len(parsed["cells"]))
    body = choose.choice(("ls -la\nrm -rf /tmp/x", "<b>html</b>", "def broken(:\n  pass"))
    parsed["cells"].insert(position, {"cell_type": "code", "metadata": {}, "outputs": [],
                                      "source": f"{choose.choice(CELL_MAGICS[3:])}\n{body}"})
    return json.dumps(parsed).encode()


@st.composite
def ml_programs(draw) -> str:
    """Hypothesis strategy: the text of a random ML-flavoured program (libcst may still reject it)."""
    return script(MLProgram(DrawChooser(draw)).statements())


@st.composite
def ml_notebooks(draw) -> Notebook:
    choose = DrawChooser(draw)
    return notebook(MLProgram(choose).statements(), choose)
