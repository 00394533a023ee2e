"""Integrity of the ML API knowledge base and of its lookups."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import warnings
from collections import Counter

import pytest

from hplint.knowledge import LIBRARY_MODULES, all_apis, lookup, normalize
from hplint.knowledge.schema import Api, Param

ROLES = {
    "estimator", "preprocessor", "feature_selector", "resampler", "splitter", "split_function", "search",
    "cv_scorer", "metric", "optimizer", "scheduler", "layer", "regularizer", "callback", "trainer",
    "training_config", "booster_train", "data_loader", "hpo_study", "hpo_space", "pipeline", "model",
    "auditor", "constraint", "dataset",
}
KINDS = {"capacity", "regularization", "optimization", "tunable", "infrastructure", "data", "structural"}


def _modules():
    return [importlib.import_module(f"hplint.knowledge.{name}") for name in LIBRARY_MODULES]


def _every_api() -> list[tuple[str, Api]]:
    """Every Api of every module, methods included, with its owner's qualname for messages."""
    out = []
    for module in _modules():
        for api in module.APIS:
            out.append((api.qualname, api))
            out.extend((f"{api.qualname} (method)", m) for m in api.methods)
    return out


def _every_param() -> list[tuple[Api, Param]]:
    return [(api, p) for _, api in _every_api() for p in api.params]


# --- integrity ---------------------------------------------------------------------------------


def test_every_module_declares_apis():
    for module in _modules():
        assert isinstance(module.APIS, tuple) and module.APIS, module.__name__
        assert all(isinstance(api, Api) for api in module.APIS), module.__name__


def test_qualnames_and_aliases_are_unique():
    names = Counter()
    for module in _modules():
        for api in module.APIS:
            for name in {normalize(n) for n in (api.qualname, *api.aliases)}:
                names[name] += 1
    assert [n for n, c in names.items() if c > 1] == []


def test_qualnames_are_normalized_and_rooted():
    for module in _modules():
        for api in module.APIS:
            assert normalize(api.qualname) == api.qualname, api.qualname
            assert "." in api.qualname, api.qualname


def test_roles_and_kinds_are_valid():
    for owner, api in _every_api():
        assert api.role in ROLES, owner
        for p in api.params:
            assert p.kind in KINDS, (owner, p.name)
            assert p.scale in (None, "log", "linear"), (owner, p.name)


def test_param_names_and_aliases_unique_per_api():
    for owner, api in _every_api():
        spellings = [n for p in api.params for n in (p.name, *p.aliases)]
        assert [n for n, c in Counter(spellings).items() if c > 1] == [], owner


def test_positions_unique_and_dense_per_api():
    for owner, api in _every_api():
        positions = sorted(p.position for p in api.params if p.position is not None)
        assert positions == list(range(len(positions))), (owner, positions)


def test_method_qualnames_extend_their_owner():
    for module in _modules():
        for api in module.APIS:
            names = [m.qualname.rsplit(".", 1)[-1] for m in api.methods]
            assert len(names) == len(set(names)), api.qualname
            for m in api.methods:
                assert m.qualname.startswith(api.qualname + "."), m.qualname
                assert api.method(m.qualname.rsplit(".", 1)[-1]) is m


def test_off_values_only_on_regularization():
    for api, p in _every_param():
        if p.off_values or p.off_at_least is not None:
            assert p.kind == "regularization", (api.qualname, p.name)


def test_ranges_are_consistent():
    for api, p in _every_param():
        if p.valid is not None and p.valid.low is not None and p.valid.high is not None:
            assert p.valid.low <= p.valid.high, (api.qualname, p.name)


def test_key_params_are_hyperparameters():
    for api, p in _every_param():
        if p.key:
            assert p.is_hyperparameter, (api.qualname, p.name)


def test_search_and_scorer_hooks():
    for _, api in _every_api():
        if api.role == "search":
            assert api.estimator_position == 0, api.qualname
            assert api.space_keyword in ("param_grid", "param_distributions", "search_spaces"), api.qualname
            assert api.space_position == 1, api.qualname
            assert api.cv_keyword == "cv" and api.default_folds == 5, api.qualname
            assert api.param(api.space_keyword) is not None, api.qualname
            assert api.param(api.space_keyword).position == 1, api.qualname
        if api.role == "cv_scorer":
            assert api.estimator_position == 0 and api.cv_keyword == "cv", api.qualname
        if api.cv_keyword is not None:
            assert api.param(api.cv_keyword) is not None, api.qualname
            assert api.param(api.cv_keyword).kind == "infrastructure", api.qualname
        if api.params_dict_position is not None or api.params_dict_keyword is not None:
            assert api.params, api.qualname


def test_randomized_searches_sample():
    for name in ("RandomizedSearchCV", "HalvingRandomSearchCV"):
        api = lookup(f"sklearn.model_selection.{name}")
        assert api.samples and {"randomized", "needs_seed"} <= api.tags
    assert not lookup("sklearn.model_selection.GridSearchCV").samples
    assert lookup("skopt.BayesSearchCV").samples


# --- classification ----------------------------------------------------------------------------

ALWAYS_INFRASTRUCTURE = {
    "random_state", "n_jobs", "verbose", "seed", "device", "output_dir", "num_workers", "pin_memory",
    "logging_steps", "save_steps", "eval_steps", "warm_start", "copy", "tol", "scoring", "n_splits",
    "test_size", "train_size", "verbosity", "thread_count", "nthread", "num_threads", "random_seed",
    "report_to", "logging_dir", "cv", "silent", "enable_categorical", "tree_method", "missing",
}


def test_infrastructure_everywhere():
    for api, p in _every_param():
        if p.name in ALWAYS_INFRASTRUCTURE:
            assert p.kind == "infrastructure", (api.qualname, p.name)


LOG_NAMES = {"lr", "C", "eta", "learning_rate_init", "weight_decay", "reg_alpha", "reg_lambda", "l2_leaf_reg",
             "lambda_l1", "lambda_l2", "min_child_weight"}


def test_log_scale_for_rates_and_penalties():
    for api, p in _every_param():
        numeric_rate = p.name == "learning_rate" and p.kind == "optimization"
        penalty_alpha = p.name == "alpha" and p.kind == "regularization"
        if p.name in LOG_NAMES or numeric_rate or penalty_alpha:
            assert p.scale == "log", (api.qualname, p.name)


def test_unit_interval_params():
    for api, p in _every_param():
        if p.name in ("dropout", "rate", "momentum", "beta_1", "beta_2") and p.kind != "data":
            assert p.valid is not None and p.valid.contains(0.5), (api.qualname, p.name)
            assert not p.valid.contains(1.5), (api.qualname, p.name)
        if p.name in ("subsample", "colsample_bytree", "colsample_bylevel", "colsample_bynode") and p.is_hyperparameter:
            assert p.valid is not None and p.valid.contains(1.0) and not p.valid.contains(0.0)


# --- lookups -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("tensorflow.keras.optimizers.Adam", "keras.optimizers.Adam"),
        ("tf.keras.optimizers.Adam", None),  # `tf` is an import alias the semantic layer expands
        ("keras.layers.Dense", "keras.layers.Dense"),
        ("tensorflow.keras.layers.Dropout", "keras.layers.Dropout"),
        ("sklearn.ensemble._forest.RandomForestClassifier", "sklearn.ensemble.RandomForestClassifier"),
        ("sklearn.linear_model._logistic.LogisticRegression", "sklearn.linear_model.LogisticRegression"),
        ("xgboost.sklearn.XGBClassifier", "xgboost.XGBClassifier"),
        ("xgboost.training.train", "xgboost.train"),
        ("lightgbm.sklearn.LGBMRegressor", "lightgbm.LGBMRegressor"),
        ("catboost.core.CatBoostClassifier", "catboost.CatBoostClassifier"),
        ("torch.optim.adam.Adam", "torch.optim.Adam"),
        ("torch.optim.lr_scheduler.StepLR", "torch.optim.lr_scheduler.StepLR"),
        ("torch.nn.modules.dropout.Dropout", "torch.nn.Dropout"),
        ("pytorch_lightning.Trainer", "lightning.pytorch.Trainer"),
        ("transformers.training_args.TrainingArguments", "transformers.TrainingArguments"),
        ("optuna.create_study", "optuna.create_study"),
        ("kerastuner.RandomSearch", "keras_tuner.RandomSearch"),
        ("imblearn.over_sampling._smote.base.SMOTE", "imblearn.over_sampling.SMOTE"),
        ("sklearn.model_selection._split.train_test_split", "sklearn.model_selection.train_test_split"),
        ("sklearn.not_a_thing.Foo", None),
        ("numpy.mean", None),
        (None, None),
    ],
)
def test_lookup_through_aliases(name, expected):
    api = lookup(name)
    assert (api.qualname if api else None) == expected


def test_param_lookup_by_alias_and_position():
    xgb = lookup("xgboost.train")
    assert xgb.params_dict_position == 0
    assert xgb.param("eta") is xgb.param("learning_rate")
    assert xgb.param("num_boost_round").kind == "capacity"
    lgb = lookup("lightgbm.train")
    assert lgb.param("num_leaf") is lgb.param("num_leaves") is lgb.param("max_leaves")
    assert lgb.param("min_data_in_leaf") is lgb.param("min_child_samples")
    assert lookup("torch.optim.SGD").param_at(1).name == "lr"
    assert lookup("torch.optim.SGD").param_at(0).kind == "data"
    assert lookup("torch.nn.Dropout").param_at(0).name == "p"
    assert lookup("keras.layers.Dropout").param_at(0).name == "rate"
    assert lookup("keras.layers.Dense").param_at(0).name == "units"
    assert lookup("torch.nn.Linear").param_at(1).kind == "structural"
    assert [lookup("torch.nn.LSTM").param_at(i).name for i in range(3)] == [
        "input_size", "hidden_size", "num_layers"]
    assert lookup("sklearn.svm.SVC").param_at(0) is None


def test_representative_classifications():
    rf = lookup("sklearn.ensemble.RandomForestClassifier")
    assert rf.param("n_estimators").kind == "capacity" and rf.param("n_estimators").key
    assert rf.param("min_samples_leaf").kind == "regularization"
    assert "tree" in rf.tags
    lr = lookup("sklearn.linear_model.LogisticRegression")
    assert lr.param("C").off_at_least == 1e6 and lr.param("C").scale == "log"
    assert None in lr.param("penalty").off_values
    assert lr.param("max_iter").kind == "infrastructure"
    assert 0 in lookup("sklearn.linear_model.Ridge").param("alpha").off_values
    assert lookup("keras.layers.Dense").param("units").kind == "capacity"
    assert lookup("keras.Model").method("fit").param("epochs").kind == "optimization"
    assert lookup("keras.Sequential").method("compile") is not None
    assert "adaptive" in lookup("torch.optim.Adam").tags and "network" in lookup("torch.optim.Adam").tags
    assert "adaptive" not in lookup("torch.optim.SGD").tags
    assert lookup("xgboost.XGBClassifier").method("fit").param("eval_set").kind == "data"
    assert lookup("sklearn.model_selection.TimeSeriesSplit").tags >= {"time_ordered"}
    assert "group_aware" in lookup("sklearn.model_selection.GroupKFold").tags
    assert lookup("sklearn.model_selection.train_test_split").param("test_size").valid.contains(0.2)
    assert lookup("imblearn.over_sampling.SMOTE").role == "resampler"
    assert lookup("optuna.trial.Trial.suggest_float").role == "hpo_space"
    assert lookup("transformers.TrainingArguments").param("output_dir").kind == "infrastructure"
    assert lookup("transformers.TrainingArguments").param("learning_rate").scale == "log"


def test_coverage_floor():
    counts = Counter(api.library for api in all_apis())
    assert counts["sklearn"] >= 150
    assert counts["torch"] >= 40 and counts["keras"] >= 40


def test_import_cost_is_small():
    # CPU time, best of three: wall time on a loaded machine says little. ~15 ms locally with cached
    # bytecode; the bound is generous for slow CI and for runs that must compile the modules.
    code = (
        "import time; t = time.process_time(); from hplint.knowledge import lookup; "
        "lookup('sklearn.svm.SVC'); print(time.process_time() - t)"
    )
    best = min(float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(3))
    assert best < 0.1


def test_no_ml_library_imported():
    code = (
        "import sys; from hplint.knowledge import all_apis; all_apis(); "
        "print(sorted(m for m in ('sklearn', 'torch', 'tensorflow', 'xgboost', 'lightgbm', 'optuna') "
        "if m in sys.modules))"
    )
    assert subprocess.check_output([sys.executable, "-c", code], text=True).strip() == "[]"


# --- against the real libraries, when installed ------------------------------------------------

# Parameters kept for older library versions that notebooks still use (renamed or removed since).
LEGACY = {
    "multi_class", "n_alphas", "fit_params", "n_jobs", "algorithm", "base_estimator", "n_iter", "sparse",
    "affinity", "iid", "store_cv_values", "alpha_H",
}
# Booster `fit` arguments that moved to the constructor (XGBoost 2, LightGBM 4).
LEGACY_FIT = {"early_stopping_rounds", "eval_metric", "callbacks", "verbose"}


def _resolve(qualname: str):
    parts = qualname.split(".")
    for split in range(len(parts) - 1, 0, -1):  # the longest importable module prefix
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            obj = getattr(obj, part)
        return obj
    raise ImportError(qualname)


def _signature(qualname: str):
    obj = _resolve(qualname)
    return inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)


def _check_against_signatures(root: str) -> list[str]:
    problems = []
    apis = [a for a in all_apis() if a.library == root]
    # Methods of classes only: a method listed on a factory function (`optuna.create_study(...).optimize`)
    # belongs to the object it returns.
    methods = [m for a in apis if a.methods and inspect.isclass(_resolve(a.qualname)) for m in a.methods]
    for api in [*apis, *methods]:
        try:
            sig = _signature(api.qualname)
        except (ImportError, AttributeError) as exc:
            problems.append(f"{api.qualname}: {exc!r}")
            continue
        params = [p for p in sig.parameters.values() if p.name != "self"]
        if any(p.kind is p.VAR_KEYWORD for p in params):
            continue  # **kwargs: cannot check names
        positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        names = {p.name for p in params}
        for p in api.params:
            dict_key = api.params_dict_position is not None  # may be a key of the params dict
            if p.name not in names and not (set(p.aliases) & names) and p.name not in LEGACY and not dict_key\
                    and not (api.qualname.endswith(".fit") and p.name in LEGACY_FIT):
                problems.append(f"{api.qualname}: no parameter {p.name}")
            misplaced = p.position is not None and p.name in names and (
                p.position >= len(positional) or positional[p.position] != p.name
            )
            if misplaced:
                problems.append(f"{api.qualname}: {p.name} is not at position {p.position}")
    return problems


def test_sklearn_matches_installed_signatures():
    pytest.importorskip("sklearn")
    pytest.importorskip("imblearn")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        importlib.import_module("sklearn.experimental.enable_halving_search_cv")
        importlib.import_module("sklearn.experimental.enable_iterative_imputer")
        problems = [*_check_against_signatures("sklearn"), *_check_against_signatures("imblearn"),
                    *_check_against_signatures("skopt")]
    assert problems == []


@pytest.mark.parametrize("root", ["xgboost", "lightgbm", "catboost", "optuna", "hyperopt"])
def test_other_libraries_match_installed_signatures(root):
    pytest.importorskip(root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _check_against_signatures(root) == []
