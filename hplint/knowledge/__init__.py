"""The knowledge base of ML APIs: which calls are estimators, optimizers, splitters, searches ...

`lookup(qualname)` answers for a fully qualified call name as the semantic layer resolves it
(`tensorflow.keras.optimizers.Adam`, `sklearn.ensemble._forest.RandomForestClassifier`, `xgb.train`
already expanded to `xgboost.train`). The data lives in one module per library family; each declares
`APIS`, a tuple of `schema.Api`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from hplint.knowledge.schema import Api, Param, Range  # noqa: F401  (re-exported for rules)

LIBRARY_MODULES = ("sklearn", "torch", "keras", "boosting", "huggingface", "hpo", "fairness")

# Top-level packages whose import makes a file ML code. Also the byte-level pre-check: a file that
# mentions none of these names is not analysed at all.
ML_ROOTS: frozenset[str] = frozenset(
    {
        "sklearn",
        "torch",
        "torchvision",
        "tensorflow",
        "keras",
        "tf_keras",
        "xgboost",
        "lightgbm",
        "catboost",
        "transformers",
        "datasets",
        "lightning",
        "pytorch_lightning",
        "optuna",
        "hyperopt",
        "ray",
        "keras_tuner",
        "kerastuner",
        "imblearn",
        "skopt",
        "scipy",
        "fairlearn",
        "aif360",
        "inFairness",
    }
)

# Import paths that are the same library under another name, rewritten before lookup.
PREFIX_ALIASES: tuple[tuple[str, str], ...] = (
    ("tensorflow.python.keras.", "keras."),
    ("tensorflow.keras.", "keras."),
    ("tensorflow.compat.v1.keras.", "keras."),
    ("tensorflow.compat.v2.keras.", "keras."),
    ("tf_keras.", "keras."),
    ("pytorch_lightning.", "lightning.pytorch."),
    ("lightning.pytorch.", "lightning.pytorch."),
    ("kerastuner.", "keras_tuner."),
)


def normalize(qualname: str) -> str:
    for prefix, replacement in PREFIX_ALIASES:
        if qualname.startswith(prefix):
            return replacement + qualname[len(prefix) :]
    return qualname


# Which library modules declare APIs under each top-level package (after `normalize`), so a lookup
# imports and indexes only the tables of the library it asks about: a torch script does not pay for
# sklearn's 900 lines of data at start-up. tests/test_startup.py checks this against the tables.
MODULES_BY_ROOT: dict[str, tuple[str, ...]] = {
    "aif360": ("fairness",),
    "catboost": ("boosting",),
    "fairlearn": ("fairness",),
    "hyperopt": ("hpo",),
    "imblearn": ("sklearn",),
    "inFairness": ("fairness",),
    "keras": ("keras",),
    "keras_tuner": ("hpo",),
    "lightgbm": ("boosting",),
    "lightning": ("huggingface",),
    "optuna": ("hpo",),
    "optuna_integration": ("hpo",),
    "ray": ("hpo",),
    "scipy": ("hpo",),
    "sklearn": ("sklearn",),
    "skopt": ("sklearn", "hpo"),
    "torch": ("torch",),
    "transformers": ("huggingface",),
    "trl": ("huggingface",),
    "xgboost": ("boosting",),
}


@lru_cache(maxsize=None)
def _index(root: str) -> tuple[dict[str, Api], dict[str, Api | None]]:
    """The APIs under top-level package `root`: by exact name, and by short name (None when two
    different APIs of the library share it: ambiguous)."""
    exact: dict[str, Api] = {}
    by_name: dict[str, Api | None] = {}
    for module_name in MODULES_BY_ROOT.get(root, ()):
        module = import_module(f"hplint.knowledge.{module_name}")
        for api in module.APIS:
            for name in (api.qualname, *api.aliases):
                name = normalize(name)
                if name.split(".", 1)[0] != root:
                    continue
                exact[name] = api
                short = name.rsplit(".", 1)[-1]
                if short in by_name and by_name[short] is not api:
                    by_name[short] = None
                else:
                    by_name[short] = api
    return exact, by_name


@lru_cache(maxsize=4096)
def lookup(qualname: str | None) -> Api | None:
    """The API a fully qualified name refers to, or None when it is not a known ML API.

    Private module paths and re-exports resolve through the library's short name when it is unique
    (`sklearn.linear_model._logistic.LogisticRegression`).
    """
    if not qualname:
        return None
    qualname = normalize(qualname)
    root, _, rest = qualname.partition(".")
    exact, by_name = _index(root)
    api = exact.get(qualname)
    if api is not None:
        return api
    if not rest:
        return None
    return by_name.get(qualname.rsplit(".", 1)[-1])


def all_apis() -> list[Api]:
    seen: dict[int, Api] = {}
    for module_name in LIBRARY_MODULES:
        for api in import_module(f"hplint.knowledge.{module_name}").APIS:
            seen.setdefault(id(api), api)
    return list(seen.values())
