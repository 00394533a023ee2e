"""HPL6xx: anchored absence checks that stay quiet when the seed may come from elsewhere."""

from __future__ import annotations

from hplint.rules import get
from tests.conftest import lint


def messages(code: str, rule: str) -> list[str]:
    return [d.message for d in lint(code, select=(rule,)) if d.code == rule]


def test_defaults() -> None:
    assert all(get(c).default_enabled for c in ("HPL601", "HPL602"))
    assert not any(get(c).default_enabled for c in ("HPL603", "HPL604", "HPL605"))


def test_hpl601_global_numpy_seed_covers_sklearn_but_not_torch() -> None:
    code = """
import numpy as np
from sklearn.model_selection import train_test_split
from torch.utils.data import random_split
np.random.seed(0)
a = train_test_split(X, y)
b = random_split(ds, [8, 2])
"""
    (message,) = messages(code, "HPL601")
    assert message.startswith("`random_split` has no `generator`")


def test_hpl601_seed_helpers_set_params_and_variables() -> None:
    code = """
from sklearn.model_selection import RandomizedSearchCV, train_test_split
from utils import seed_everything
seed_everything(1)
a = train_test_split(X, y)
"""
    assert messages(code, "HPL601") == []
    code = """
from sklearn.model_selection import RandomizedSearchCV, ShuffleSplit
search = RandomizedSearchCV(model, space)
search.set_params(random_state=0)
splitter = ShuffleSplit(n_splits=3, random_state=seed)
"""
    assert messages(code, "HPL601") == []


def test_hpl601_shuffle_flags() -> None:
    code = """
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
a = KFold(5)
b = StratifiedKFold(n_splits=5, shuffle=flag)
c = train_test_split(X, y, shuffle=False)
d = KFold(n_splits=3, shuffle=True)
"""
    (message,) = messages(code, "HPL601")
    assert message.startswith("`KFold` (shuffle=True) has no `random_state`")


def test_hpl601_dataframe_sample_only() -> None:
    code = """
import random
import numpy as np
import pandas as pd
from sklearn.svm import SVC
a = random.sample(items, 3)
b = np.random.choice(items, 3)
c = df.sample(n=100)
d = df.sample(frac=0.5, random_state=1)
"""
    (message,) = messages(code, "HPL601")
    assert message.startswith("`df.sample` has no `random_state`")


def test_hpl602_studies_samplers_and_fmin() -> None:
    code = """
import optuna
from hyperopt import fmin
s1 = optuna.create_study()
s2 = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
s3 = optuna.create_study(sampler=make_sampler())
best = fmin(f, space, algo, 10, None, None, trials, rng)
"""
    (message,) = messages(code, "HPL602")
    assert "default sampler" in message


def test_hpl603_to_605() -> None:
    unseeded = """
import torch
opt = torch.optim.SGD(model.parameters(), lr=0.1)
"""
    assert messages(unseeded, "HPL603")
    seeded = """
import torch
from torch.utils.data import DataLoader
torch.manual_seed(0)
torch.backends.cudnn.deterministic = True
model = model.cuda()
loader = DataLoader(ds, num_workers=workers)
quiet = DataLoader(ds, num_workers=0)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
"""
    assert not messages(seeded, "HPL603")
    assert not messages(seeded, "HPL604")
    assert len(messages(seeded, "HPL605")) == 1
    import_alias = """
import torch
import torch.backends.cudnn as cudnn
cudnn.benchmark = True
"""
    assert messages(import_alias, "HPL604")
