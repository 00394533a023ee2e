"""The shared search-space reader: grids, distributions, pipelines and sampled dimensions."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from hplint.analysis.search_space import DISTRIBUTION, GRID, is_in_search_space, search_spaces
from hplint.context import FileContext
from hplint.settings import Settings
from hplint.source import from_bytes


def context(code: str) -> FileContext:
    source = from_bytes(textwrap.dedent(code).encode(), "train.py", False)
    return FileContext(source, cst.parse_module(source.text), Settings(), "train.py", True)


def spaces(code: str):
    return search_spaces(context(code))


def dims(code: str) -> dict:
    return {d.name: d for s in spaces(code) for d in s.dimensions}


SKLEARN = """
import numpy as np
from scipy.stats import loguniform, randint, uniform
from sklearn.svm import SVC
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, KFold
"""


def test_grid_in_variable_with_item_assignment_update_and_folds() -> None:
    found = spaces(SKLEARN + """
grid = {"C": [0.1, 1, 10]}
grid["gamma"] = np.logspace(-3, 0, 4)
grid.update({"kernel": ["rbf", "linear"]})
cv = KFold(n_splits=10, shuffle=True, random_state=0)
search = GridSearchCV(SVC(), grid, cv=cv)
""")
    (space,) = found
    assert space.framework == "sklearn" and not space.samples and space.complete
    assert [d.name for d in space.dimensions] == ["C", "gamma", "kernel"]
    assert space.candidates() == 3 * 4 * 2
    assert space.folds == 10
    gamma = next(d for d in space.dimensions if d.name == "gamma")
    assert gamma.kind == GRID and gamma.log and gamma.low == pytest.approx(1e-3) and gamma.high == pytest.approx(1)
    assert gamma.param is not None and gamma.param.scale == "log" and gamma.api.qualname == "sklearn.svm.SVC"


def test_list_of_grids_and_default_folds() -> None:
    (space,) = spaces(SKLEARN + """
search = GridSearchCV(SVC(), [{"kernel": ["linear"], "C": [1, 10]}, {"kernel": ["rbf"], "gamma": [0.1, 1, 10]}])
""")
    assert len(space.grids) == 2
    assert space.candidates() == 2 + 3
    assert space.folds == 5


def test_pipeline_steps_and_prefixed_keys() -> None:
    (space,) = spaces(SKLEARN + """
pipe = Pipeline([("scale", StandardScaler()), ("clf", SVC())])
search = RandomizedSearchCV(pipe, {"clf__C": loguniform(1e-2, 1e2), "scale__with_mean": [True, False]})
""")
    assert space.samples
    assert set(space.estimator.steps) == {"scale", "clf"}
    c = next(d for d in space.dimensions if d.name == "clf__C")
    assert c.kind == DISTRIBUTION and c.log and c.param_name == "C" and c.step_path == ("clf",)
    assert c.api.qualname == "sklearn.svm.SVC"


def test_make_pipeline_names_and_search_rebinding_the_estimator_name() -> None:
    (space,) = spaces(SKLEARN + """
model = make_pipeline(StandardScaler(), SVC())
model = GridSearchCV(model, {"svc__C": [1, 10]})
""")
    assert set(space.estimator.steps) == {"standardscaler", "svc"}


def test_scipy_uniform_is_loc_scale_and_ranges_are_read() -> None:
    found = dims(SKLEARN + """
search = RandomizedSearchCV(SVC(), {"C": uniform(0.5, 2), "degree": randint(1, 5), "tol": range(1, 10, 2)})
""")
    assert (found["C"].low, found["C"].high, found["C"].log) == (0.5, 2.5, False)
    assert found["degree"].integer and found["degree"].source == "int"
    assert found["tol"].kind == GRID and found["tol"].size == 5


def test_unknown_grid_is_incomplete() -> None:
    (space,) = spaces(SKLEARN + """
def tune(grid):
    return GridSearchCV(SVC(), grid)
""")
    assert not space.complete and space.grids == []


def test_optuna_dimensions_and_their_consumers() -> None:
    found = dims("""
import optuna, torch
def objective(trial):
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    depth = trial.suggest_int("max_depth", 2, 8)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    params = {"max_depth": depth, "eta": trial.suggest_float("eta", 0.01, 0.3)}
    import xgboost as xgb
    xgb.train(params, dtrain)
""")
    assert found["lr"].log and found["lr"].api.qualname == "torch.optim.Adam" and found["lr"].param.name == "lr"
    assert found["max_depth"].integer and found["max_depth"].api.qualname == "xgboost.train"
    assert found["eta"].param.name == "learning_rate"


def test_hyperopt_log_bounds_ray_and_keras_tuner() -> None:
    found = dims("""
import numpy as np
from hyperopt import hp
from ray import tune
import keras_tuner
space = {"lr": hp.loguniform("lr", np.log(1e-4), np.log(1e-1)), "x": hp.uniform("x", -1, 1)}
config = {"weight_decay": tune.uniform(1e-6, 1e-2), "batch": tune.grid_search([32, 64])}
def build(hp):
    return hp.Float("learning_rate", 1e-4, 1e-2, sampling="log")
""")
    assert found["lr"].log and found["lr"].low == pytest.approx(1e-4) and found["lr"].high == pytest.approx(1e-1)
    assert found["weight_decay"].kind == DISTRIBUTION and not found["weight_decay"].log
    assert found["weight_decay"].param.name == "weight_decay"  # by name: every API agrees
    assert found["batch"].kind == GRID and found["batch"].size == 2
    assert found["learning_rate"].log


def test_is_in_search_space() -> None:
    ctx = context(SKLEARN + """
search = GridSearchCV(SVC(C=1.0), {"C": [0.1, 1, 10]})
""")
    grid_values = next(iter(search_spaces(ctx))).grids[0][0].values_node
    element = grid_values.elements[0].value
    assert is_in_search_space(ctx, element)
    constructor = ctx.semantic.calls[1].node  # SVC(C=1.0)
    assert not is_in_search_space(ctx, constructor.args[0].value)


def test_skopt_shorthand_and_dimensions() -> None:
    found = dims("""
from skopt import BayesSearchCV
from skopt.space import Integer, Real
from sklearn.svm import SVC
search = BayesSearchCV(SVC(), {"C": (1e-3, 1e3, "log-uniform"), "gamma": Real(1e-4, 1e-1),
                               "degree": Integer(1, 5), "kernel": ["rbf", "poly"]})
""")
    assert found["C"].kind == DISTRIBUTION and found["C"].log and found["C"].low == 1e-3
    assert found["gamma"].kind == DISTRIBUTION and not found["gamma"].log
    assert found["degree"].integer
    assert found["kernel"].kind == GRID and found["kernel"].size == 2
