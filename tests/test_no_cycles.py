"""A checked file's syntax tree is freed by reference counting: no fact a rule keeps refers back to
the file's context (a cycle would keep the whole tree alive until the cyclic collector runs,
which then traverses it; hplint/pool.py collects only when enough is left behind)."""

from __future__ import annotations

from hplint.engine import check_source
from hplint.settings import Selection, Settings
from hplint.source import from_bytes
from tests.conftest import cyclic_garbage

CODE = b'''\
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

X, y = np.load("x.npy"), np.load("y.npy")
X = StandardScaler().fit_transform(X)  # scaled once, because the paper does
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
for C in [0.1, 1.0, 10.0]:
    model = LogisticRegression(C=C, max_iter=200).fit(X_train, y_train)  # C=1.0 per Smith et al. 2020
    print(C, model.score(X_test, y_test))
'''


def check() -> list:
    settings = Settings(selection=Selection(select=("ALL",)))
    return check_source(from_bytes(CODE, "train.py", is_notebook=False), settings, "train.py")


def test_a_checked_file_leaves_no_reference_cycles_holding_its_tree() -> None:
    assert check()  # findings, fixes and the justification comments' fact were all made
    # `ast.literal_eval` leaves closures referring to themselves for each new literal text: small,
    # and they hold no tree.
    assert cyclic_garbage(check) - {"function", "cell", "tuple"} == set()
