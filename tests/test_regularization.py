"""HPL3xx: off switches, missing and degenerate regularization in searches."""

from __future__ import annotations

from hplint.rules import get
from tests.conftest import lint


def messages(code: str, rule: str, **kwargs) -> list[str]:
    return [d.message for d in lint(code, select=(rule,), **kwargs) if d.code == rule]


def test_hpl301_off_values_and_inverse_strength() -> None:
    code = """
from sklearn.linear_model import LogisticRegression, Lasso
from sklearn.ensemble import HistGradientBoostingClassifier
a = LogisticRegression(penalty="none")
b = LogisticRegression(C=1e6)
c = Lasso(0.0)
d = HistGradientBoostingClassifier(l2_regularization=0)
e = LogisticRegression(C=1e5)
"""
    found = messages(code, "HPL301")
    assert len(found) == 4
    assert "`penalty='none'` switches its regularization off" in found[0]
    assert "`C` is an inverse strength" in found[1]


def test_hpl301_booster_penalties_only_when_all_are_off() -> None:
    code = """
import xgboost as xgb
a = xgb.XGBRegressor(reg_alpha=0)
b = xgb.XGBRegressor(reg_lambda=0, reg_alpha=0.5)
c = xgb.train({"lambda": 0, "alpha": 0, "eta": 0.1}, dtrain)
"""
    (message,) = messages(code, "HPL301")
    assert "`alpha=0`" not in message and "switch all of its penalties off" in message


def test_hpl301_weight_decay_only_where_it_is_an_off_switch() -> None:
    code = """
import torch
a = torch.optim.Adam(params, lr=1e-3, weight_decay=0)
b = torch.optim.SGD(params, lr=0.1, weight_decay=0.0)
"""
    (message,) = messages(code, "HPL301")
    assert message.startswith("`SGD`: `weight_decay=0`")


def test_hpl302_is_off_by_default_and_sees_other_regularizers() -> None:
    bare = """
import torch
from torch import nn
net = nn.Sequential(nn.Linear(10, 10))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
"""
    assert not get("HPL302").default_enabled
    assert messages(bare, "HPL302")
    with_norm = bare.replace("nn.Linear(10, 10)", "nn.Linear(10, 10), nn.BatchNorm1d(10)")
    assert not messages(with_norm, "HPL302")
    keras = """
from tensorflow import keras
model = keras.Sequential([keras.layers.Dense(10)])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
model.fit(X, y, callbacks=[keras.callbacks.EarlyStopping(patience=3)])
"""
    assert not messages(keras, "HPL302")


def test_hpl303_trees_and_boosters() -> None:
    code = """
from sklearn.tree import DecisionTreeRegressor
from sklearn.ensemble import AdaBoostClassifier
from lightgbm import LGBMRegressor
a = DecisionTreeRegressor().fit(X, y)
b = DecisionTreeRegressor(min_samples_leaf=10).fit(X, y)
c = AdaBoostClassifier(DecisionTreeRegressor())
d = LGBMRegressor(n_estimators=3000)
e = LGBMRegressor(n_estimators=3000, reg_lambda=1.0)
f = LGBMRegressor(n_estimators=500)
"""
    found = messages(code, "HPL303")
    assert len(found) == 2
    assert "`DecisionTreeRegressor` grows without limit" in found[0]
    assert "3000 rounds" in found[1]
    assert len(messages(code, "HPL303", options={"HPL303": {"max-rounds": 100}})) == 3


def test_hpl304_names_capacity_and_suggests_regularization() -> None:
    code = """
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import GridSearchCV
GridSearchCV(GradientBoostingRegressor(), {"n_estimators": [100, 300], "max_depth": [2, 3, 4]})
"""
    (message,) = messages(code, "HPL304")
    assert "`GradientBoostingRegressor` (`n_estimators`, `max_depth`)" in message
    assert "`subsample`" in message


def test_hpl304_quiet_when_unsure() -> None:
    code = """
from xgboost import XGBClassifier
from sklearn.model_selection import GridSearchCV
def tune(extra):
    grid = {"max_depth": [3, 5], **extra}
    return GridSearchCV(XGBClassifier(), grid)
GridSearchCV(XGBClassifier(**best_params), {"max_depth": [3, 5]})
"""
    assert messages(code, "HPL304") == []


def test_hpl305_span_single_value_and_off_values() -> None:
    code = """
from sklearn.svm import SVC
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
GridSearchCV(SVC(), {"C": [0.5, 1, 2], "kernel": ["rbf", "poly"]})
GridSearchCV(SVC(), {"C": [0.01, 1, 100], "kernel": ["rbf", "poly"]})
GridSearchCV(Ridge(), {"alpha": [0, 1, 10], "fit_intercept": [True, False]})
"""
    (message,) = messages(code, "HPL305")
    assert "`C` spans only 0.5..2" in message
    assert len(messages(code, "HPL305", options={"HPL305": {"min-ratio": 2}})) == 0
