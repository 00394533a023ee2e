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


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Api], dict[tuple[str, str], Api | None]]:
    exact: dict[str, Api] = {}
    by_root_and_name: dict[tuple[str, str], Api | None] = {}
    for module_name in LIBRARY_MODULES:
        module = import_module(f"hplint.knowledge.{module_name}")
        for api in module.APIS:
            for name in (api.qualname, *api.aliases):
                name = normalize(name)
                exact[name] = api
                key = (name.split(".", 1)[0], name.rsplit(".", 1)[-1])
                # A short name shared by two different APIs of one library is ambiguous: drop it.
                if key in by_root_and_name and by_root_and_name[key] is not api:
                    by_root_and_name[key] = None
                else:
                    by_root_and_name[key] = api
    return exact, by_root_and_name


@lru_cache(maxsize=4096)
def lookup(qualname: str | None) -> Api | None:
    """The API a fully qualified name refers to, or None when it is not a known ML API.

    Private module paths and re-exports resolve through the library's short name when it is unique
    (`sklearn.linear_model._logistic.LogisticRegression`).
    """
    if not qualname:
        return None
    qualname = normalize(qualname)
    exact, by_root_and_name = _index()
    api = exact.get(qualname)
    if api is not None:
        return api
    root, _, rest = qualname.partition(".")
    if not rest:
        return None
    return by_root_and_name.get((root, qualname.rsplit(".", 1)[-1]))


def all_apis() -> list[Api]:
    exact, _ = _index()
    seen: dict[int, Api] = {}
    for api in exact.values():
        seen.setdefault(id(api), api)
    return list(seen.values())
