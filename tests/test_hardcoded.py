"""HPL101-HPL105: what is reported, where, and the near-misses that must stay silent."""

from __future__ import annotations

import json

import pytest

from hplint.engine import check_source
from hplint.rules.hardcoded import looks_hand_tuned
from hplint.settings import Selection, Settings
from hplint.source import from_bytes
from tests.conftest import lint


def messages(code: str, rule: str = "HPL101", **kwargs) -> list[str]:
    return [d.message for d in lint(code, select=(rule,), **kwargs) if d.code == rule]


# -- HPL101: what is reported ------------------------------------------------------------------------


def test_one_diagnostic_per_call_naming_every_literal_with_a_range_over_them() -> None:
    (d,) = lint(
        """
        from sklearn.ensemble import RandomForestClassifier
        clf = RandomForestClassifier(n_estimators=700, random_state=0, max_depth=14)
        """,
        select=("HPL101",),
    )
    assert d.message == (
        "RandomForestClassifier: n_estimators=700, max_depth=14 are hardcoded; "
        "move them to a config or a search space"
    )
    assert (d.span.start.row, d.span.start.column) == (3, 43)
    assert (d.span.end.row, d.span.end.column) == (3, 76)


def test_positional_arguments_bind_by_the_knowledge_base_positions() -> None:
    assert messages(
        """
        import torch.optim as optim
        import torch.nn as nn
        opt = optim.SGD(model.parameters(), 0.1, 0.9)
        drop = nn.Dropout(0.5)
        """
    ) == [
        "optim.SGD: lr=0.1, momentum=0.9 are hardcoded; move them to a config or a search space",
        "nn.Dropout: p=0.5 is hardcoded; move it to a config or a search space",
    ]


def test_aliases_name_the_real_api() -> None:
    assert messages(
        """
        from sklearn.ensemble import RandomForestClassifier as RF
        RF(n_estimators=10)
        """
    ) == ["RandomForestClassifier: n_estimators=10 is hardcoded; move it to a config or a search space"]


def test_params_dict_variable_with_item_assignment_is_reported_at_the_dict() -> None:
    (d,) = lint(
        """
        import xgboost as xgb
        params = {"objective": "binary:logistic", "eta": 0.1, "seed": 0}
        params["max_depth"] = 6
        booster = xgb.train(params, dtrain)
        """,
        select=("HPL101",),
    )
    assert d.message == (
        "xgb.train: eta=0.1, max_depth=6 are hardcoded in the params dict passed at line 5; "
        "move them to a config or a search space"
    )
    assert d.span.start.row == 3 and d.span.end.row == 4
    assert d.related and d.related[0].span.start.row == 5


def test_dict_call_and_double_star_params() -> None:
    assert messages(
        """
        import lightgbm as lgb
        from sklearn.ensemble import GradientBoostingRegressor
        lgb.train(dict(learning_rate=0.05, verbose=-1), train_set)
        kwargs = dict(n_estimators=200, max_depth=3)
        GradientBoostingRegressor(**kwargs)
        """
    ) == [
        "lgb.train: learning_rate=0.05 is hardcoded; move it to a config or a search space",
        ("GradientBoostingRegressor: n_estimators=200, max_depth=3 are hardcoded in the params dict "
        "passed at line 6; move them to a config or a search space"),
    ]


def test_a_params_dict_used_by_two_calls_is_reported_once() -> None:
    assert len(
        messages(
            """
            from sklearn.ensemble import GradientBoostingRegressor
            common = {"n_estimators": 200}
            low = GradientBoostingRegressor(loss="quantile", **common)
            high = GradientBoostingRegressor(loss="quantile", **common)
            """
        )
    ) == 1


def test_method_calls_on_typed_receivers() -> None:
    assert messages(
        """
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(10)])
        model.fit(X, y, epochs=50, batch_size=32, verbose=0)
        """
    ) == ["model.fit: epochs=50, batch_size=32 are hardcoded; move them to a config or a search space"]


@pytest.mark.parametrize("name", ["epoch", "epochs", "ep", "e", "epoch_idx"])
def test_literal_epoch_loops_that_train(name: str) -> None:
    code = f"""
        import torch
        for {name} in range(1, 91):
            loss = model(x).sum()
            loss.backward()
        """
    assert messages(code) == [
        f"epoch loop `for {name} in range(...)`: the number of epochs (91) is hardcoded; move it to a config"
    ]


def test_epoch_loops_calling_a_train_function() -> None:
    assert messages(
        """
        import torch
        for epoch in range(20):
            train_one_epoch(model, loader)
        """
    )


# -- HPL101: what stays silent ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        # epoch loops: not literal, not an epoch name, no training in the body
        "import torch\nfor epoch in range(args.epochs):\n    opt.step()\n",
        "import torch\nfor i in range(100):\n    opt.step()\n",
        "import torch\nfor epoch in range(100):\n    print(epoch)\n",
        # signature defaults are the configuration
        "from sklearn.svm import SVC\ndef build(C=1.0, model=SVC(C=3.0)):\n    return SVC(C=C)\n",
        # named constants, config objects, environment
        "from sklearn.svm import SVC\nC_VALUE = 3.0\nSVC(C=C_VALUE)\n",
        "import os\nfrom sklearn.svm import SVC\nSVC(C=float(os.environ['C']), gamma=cfg.gamma)\n",
        # module-level UPPER_CASE dicts and dicts named like configs
        "import xgboost as xgb\nPARAMS = {'eta': 0.1}\nxgb.train(PARAMS, d)\n",
        "import xgboost as xgb\nxgb_cfg = {'eta': 0.1}\nxgb.train(xgb_cfg, d)\n",
        # a function parameter shadows a module-level dict of the same name
        "import xgboost as xgb\nparams = {'eta': 0.1}\ndef fit(params, d):\n    return xgb.train(params, d)\n",
        # infrastructure, booleans and switches
        ("from sklearn.ensemble import RandomForestClassifier\n"
        "RandomForestClassifier(random_state=42, n_jobs=-1, verbose=0, bootstrap=False)\n"),
        ("from sklearn.linear_model import Ridge, LogisticRegression\nRidge(alpha=0)\n"
        "LogisticRegression(C=1e6)\nLogisticRegression(penalty='elasticnet', l1_ratio=1, solver='saga')\n"),
        # plotting dimensions
        "from sklearn.decomposition import PCA\nPCA(n_components=2).fit_transform(X)\n",
        # search spaces and estimators handed to a search
        ("from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"
        "base = SVC(C=1.0)\nGridSearchCV(base, {'gamma': [0.1, 1.0]})\n"),
        ("import optuna\nfrom sklearn.svm import SVC\ndef objective(trial):\n"
        "    return SVC(C=trial.suggest_float('C', 1e-3, 1e3, log=True), gamma=0.1).fit(X, y).score(X, y)\n"),
        "from hyperopt import hp\nspace = {'eta': hp.loguniform('eta', -7, 0)}\n",
        # functions handed to a search fix some values on purpose
        ("from hyperopt import fmin, hp, tpe\nfrom xgboost import XGBClassifier\n"
        "def objective(space):\n    return XGBClassifier(max_depth=space['depth'], n_estimators=300)\n"
        "fmin(objective, {'depth': hp.choice('depth', [3, 5])}, algo=tpe.suggest, max_evals=10)\n"),
        ("import optuna\nfrom sklearn.svm import SVC\ndef objective(trial):\n"
        "    params = sample(trial)\n    return SVC(gamma=0.1, **params).fit(X, y).score(X, y)\n"
        "study = optuna.create_study()\nstudy.optimize(objective, n_trials=5)\n"),
        # evaluation loaders and layer architecture
        "from torch.utils.data import DataLoader\ntest_loader = DataLoader(ds, batch_size=1000)\n",
        ("from torch.utils.data import DataLoader\n"
        "loaders = {'train': train_loader, 'valid': DataLoader(ds, batch_size=1000)}\n"),
        "import torch.nn as nn\nconv = nn.Conv2d(3, 64, kernel_size=3, stride=2)\n",
        # names that were never imported from an ML library
        "import sklearn\nRandomForestClassifier(n_estimators=500)\n",
    ],
)
def test_near_misses_stay_silent(code: str) -> None:
    assert messages(code) == []


def test_test_files_are_skipped_unless_asked() -> None:
    code = "from sklearn.svm import SVC\nSVC(C=10)\n"
    assert messages(code, path="tests/test_model.py") == []
    settings = Settings(selection=Selection(select=("HPL101",)), check_test_files=True)
    source = from_bytes(code.encode(), "tests/test_model.py", is_notebook=False)
    assert [d.code for d in check_source(source, settings, "tests/test_model.py")] == ["HPL101"]


def test_notebook_findings_carry_the_cell() -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# title\n"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": ["from sklearn.svm import SVC\n", "clf = SVC(C=10)\n"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    source = from_bytes(json.dumps(notebook).encode(), "nb.ipynb", is_notebook=True)
    (d,) = check_source(source, Settings(selection=Selection(select=("HPL101",))), "nb.ipynb")
    assert (d.cell, d.span.start.row, d.span.start.column) == (2, 2, 13)


# -- HPL101 options ------------------------------------------------------------------------------


def test_option_extra_hyperparameters() -> None:
    code = """
        import sklearn
        from sklearn.linear_model import LogisticRegression
        LogisticRegression(max_iter=5000)
        net = Net(dropout=0.3, width=64)
        """
    assert messages(code) == []
    assert messages(code, options={"HPL101": {"extra-hyperparameters": ("max_iter", "Net.dropout")}}) == [
        "LogisticRegression: max_iter=5000 is hardcoded; move it to a config or a search space",
        "Net: dropout=0.3 is hardcoded; move it to a config or a search space",
    ]


def test_option_config_names() -> None:
    code = "import xgboost as xgb\nbest = {'eta': 0.1}\nxgb.train(best, d)\n"
    assert messages(code)
    assert messages(code, options={"HPL101": {"config-names": ("best",)}}) == []


def test_options_strings_layers_and_epoch_loops() -> None:
    code = """
        import torch
        import torch.nn as nn
        from sklearn.svm import SVC
        SVC(kernel="poly")
        conv = nn.Conv2d(3, 64, kernel_size=3)
        for epoch in range(10):
            opt.step()
        """
    assert messages(code) == [
        "epoch loop `for epoch in range(...)`: the number of epochs (10) is hardcoded; move it to a config"
    ]
    options = {
        "report-strings": True,
        "report-layer-architecture": True,
        "check-epoch-loops": False,
    }
    assert messages(code, options={"HPL101": options}) == [
        'SVC: kernel="poly" is hardcoded; move it to a config or a search space',
        "nn.Conv2d: out_channels=64, kernel_size=3 are hardcoded; move them to a config or a search space",
    ]


# -- HPL102 ------------------------------------------------------------------------------------------


def test_duplicated_literal_names_the_first_call() -> None:
    (d,) = lint(
        """
        import torch.optim as optim
        a = optim.Adam(encoder.parameters(), lr=3e-4)
        b = optim.Adam(decoder.parameters(), lr=3e-4)
        c = optim.Adam(head.parameters(), lr=1e-3)
        """,
        select=("HPL102",),
    )
    assert d.message == (
        "optim.Adam: lr=3e-4 repeats the value written at line 3; define it once and use the name "
        "in both places"
    )
    assert d.span.start.row == 4 and d.related[0].span.start.row == 3


def test_two_experiments_that_differ_elsewhere_are_not_copies() -> None:
    assert messages(
        """
        from sklearn.tree import DecisionTreeClassifier
        a = DecisionTreeClassifier(max_depth=5, criterion="entropy")
        b = DecisionTreeClassifier(max_depth=5, criterion="gini")
        c = DecisionTreeClassifier(max_depth=5)
        d = DecisionTreeClassifier(max_depth=5, random_state=0)
        """,
        rule="HPL102",
    ) == [
        ("DecisionTreeClassifier: max_depth=5 repeats the value written at line 5; "
        "define it once and use the name in both places")
    ]  # only `d`: it copies `c` (random_state is not part of the configuration)


def test_duplicates_ignore_layers_and_shared_dicts() -> None:
    assert messages(
        """
        import torch.nn as nn
        from sklearn.ensemble import GradientBoostingRegressor
        a, b = nn.Dropout(0.5), nn.Dropout(0.5)
        common = {"n_estimators": 200}
        low = GradientBoostingRegressor(**common)
        high = GradientBoostingRegressor(**common)
        """,
        rule="HPL102",
    ) == []


# -- HPL103 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hand_tuned"),
    [
        ("0.1001", True),
        ("0.00137", True),
        ("487", True),
        ("0.09875606616658275", True),
        ("3.14e-4", True),
        ("0.001", False),
        ("3e-4", False),
        ("0.9", False),
        ("0.999", False),
        ("1e-8", False),
        ("0.25", False),
        ("0.975", False),
        ("0.0125", False),
        ("0.333", False),
        ("1000", False),
        ("768", False),
        ("1023", False),
        ("128", False),
        ("64", False),
        ("1_000", False),
        ("2**18", False),
    ],
)
def test_hand_tuned_literals(text: str, hand_tuned: bool) -> None:
    value = eval(text)  # test data only
    assert looks_hand_tuned(text, value, 3) is hand_tuned


def test_excessive_precision_option() -> None:
    code = "from sklearn.linear_model import Lasso\nLasso(alpha=0.12)\n"
    assert messages(code, rule="HPL103") == []
    assert messages(code, rule="HPL103", options={"HPL103": {"max-significant-digits": 2}}) == [
        ("Lasso: alpha=0.12 looks like a tuning result pasted into code; record where it comes from or "
        "load it from a config")
    ]


def test_excessive_precision_inside_tuples_and_dicts() -> None:
    assert len(
        messages(
            """
            import xgboost as xgb
            from sklearn.neural_network import MLPClassifier
            MLPClassifier(hidden_layer_sizes=(188, 64))
            params = {"eta": 0.0137}
            xgb.train(params, d)
            xgb.train(params, d2)
            """,
            rule="HPL103",
        )
    ) == 2


# -- HPL104 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("import torch.nn as nn\nnn.Dropout(1.0)", "nn.Dropout: p=1.0 is outside its valid range [0, 1)"),
        (
            "import torch.optim as optim\noptim.SGD(p, lr=0.1, momentum=1.0)",
            "optim.SGD: momentum=1.0 is outside its valid range [0, 1)",
        ),
        (
            "import torch.optim as optim\noptim.AdamW(p, lr=1e-3, weight_decay=-0.01)",
            "optim.AdamW: weight_decay=-0.01 is outside its valid range [0, inf)",
        ),
        (
            "from tensorflow import keras\nkeras.optimizers.Adam(learning_rate=2)",
            ("keras.optimizers.Adam: learning_rate=2 is implausible: adaptive optimizers diverge with "
            "learning rates of 1 or more"),
        ),
        (
            "from sklearn.model_selection import train_test_split\ntrain_test_split(X, y, test_size=1.5)",
            "train_test_split: test_size=1.5 is outside its valid range (0, 1)",
        ),
        (
            "from sklearn.model_selection import StratifiedKFold\nStratifiedKFold(1)",
            "StratifiedKFold: n_splits=1 is outside its valid range [2, inf)",
        ),
        (
            "import xgboost as xgb\nxgb.train({'subsample': 1.5}, d)",
            "xgb.train: subsample=1.5 is outside its valid range (0, 1]",
        ),
    ],
)
def test_out_of_range(code: str, message: str) -> None:
    assert messages(code, rule="HPL104") == [message]


@pytest.mark.parametrize(
    "code",
    [
        "from sklearn.model_selection import train_test_split\ntrain_test_split(X, y, test_size=200)",
        "from sklearn.model_selection import ShuffleSplit\nShuffleSplit(n_splits=1, test_size=0.2)",
        "import torch.optim as optim\noptim.SGD(p, lr=1.0, momentum=0.99)",
        "import torch.nn as nn\nnn.Dropout(0.0)",
        # a placeholder rate that a LearningRateScheduler callback overwrites
        "from keras.optimizers import SGD\nSGD(lr=0.0, momentum=0.5)",
    ],
)
def test_in_range(code: str) -> None:
    assert messages(code, rule="HPL104") == []


# -- HPL105 ------------------------------------------------------------------------------------------


def test_key_hyperparameter_implicit() -> None:
    assert messages(
        """
        from sklearn.svm import SVC
        from sklearn.linear_model import Ridge
        from sklearn.model_selection import GridSearchCV
        a = Ridge()
        b = Ridge(alpha=cfg.alpha)
        c = Ridge(**cfg.ridge)
        GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]})
        a.fit(X, y)
        """,
        rule="HPL105",
    ) == ["Ridge: alpha left at the library default; set it explicitly, from a config"]



# -- HPL101: justification comments -------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "justified"),
    [
        ("# from the paper", True),
        ("# Vaswani et al., 2017", True),
        ("# noqa: HPL101 - tuned on the dev set", True),
        ("# type: ignore  # best of the grid search", True),
        ("# noqa", False),
        ("# noqa: HPL101", False),
        ("# type: ignore[arg-type]", False),
        ("# pylint: disable=invalid-name", False),
        ("# 0.001", False),
        ("# lr=1e-3", False),
        ("# Adam(lr=1e-3, eps=1e-8)", False),
        ("# tuned", False),
        ("# TODO tune this", False),
        ("# FIXME: from the paper?", False),
        ("# HPL103: looks hand-tuned", False),
        ("#", False),
        ("# a simple random forest model", False),
        ("# maximum depth of a tree", False),
        ("#, probability=True)", False),
        ("# Grid Search best parameters", True),
        ("# see https://arxiv.org/abs/1706.03762", True),
        ("# since we need probabilities", True),
    ],
)
def test_what_counts_as_a_justification(comment: str, justified: bool) -> None:
    from hplint.rules.hardcoded import is_justification

    assert is_justification(comment) is justified


def test_justified_literals_are_not_reported_and_the_option_turns_that_off() -> None:
    code = """
        import torch.optim as optim
        optimizer = optim.Adam(
            params,
            lr=3e-4,
            betas=(0.9, 0.98),  # from the paper
        )
        for epoch in range(90):  # the ResNet paper's schedule
            optimizer.step()
        """
    assert messages(code) == ["optim.Adam: lr=3e-4 is hardcoded; move it to a config or a search space"]
    assert messages(code, options={"HPL101": {"honour-justification-comments": False}}) == [
        "optim.Adam: lr=3e-4, betas=(0.9, 0.98) are hardcoded; move them to a config or a search space",
        "epoch loop `for epoch in range(...)`: the number of epochs (90) is hardcoded; move it to a config",
    ]


def test_a_justification_in_a_string_is_not_a_comment() -> None:
    code = """
        from sklearn.svm import SVC
        svc = SVC(C=10.0); note = "# from the paper"
        """
    assert messages(code) == ["SVC: C=10.0 is hardcoded; move it to a config or a search space"]


def test_comments_are_tokenized_only_when_a_reported_value_sits_on_a_justifying_line(monkeypatch) -> None:
    import hplint.rules.hardcoded as hardcoded

    calls = []
    tokenized = hardcoded._comment_justified_rows
    monkeypatch.setattr(hardcoded, "_comment_justified_rows", lambda text: calls.append(1) or tokenized(text))
    elsewhere = """
        # the paper's grid search found nothing better
        from sklearn.svm import SVC
        svc = SVC(C=10.0)
        """
    assert messages(elsewhere) == ["SVC: C=10.0 is hardcoded; move it to a config or a search space"]
    assert calls == []
    on_the_line = """
        from sklearn.svm import SVC
        svc = SVC(C=10.0, gamma=0.1)  # from the paper
        """
    assert messages(on_the_line) == []
    assert calls == [1]


def test_the_justification_option_is_validated_and_read_from_pyproject(tmp_path) -> None:
    from click.testing import CliRunner

    from hplint.cli import cli

    (tmp_path / "train.py").write_text("from sklearn.svm import SVC\nsvc = SVC(C=10.0)  # best of the grid\n")
    runner = CliRunner()
    (tmp_path / "pyproject.toml").write_text('[tool.hplint.HPL101]\nhonour-justification-comments = "yes"\n')
    args = ["check", "--no-cache", "--select", "HPL101", "--output-format", "concise", str(tmp_path / "train.py")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert "`tool.hplint.HPL101.honour-justification-comments`: must be bool, got a string ('yes')" in result.output
    (tmp_path / "pyproject.toml").write_text("[tool.hplint.HPL101]\nhonour-justification-comments = false\n")
    assert "SVC: C=10.0 is hardcoded" in runner.invoke(cli, args).output
    (tmp_path / "pyproject.toml").write_text("[tool.hplint.HPL101]\n")
    assert runner.invoke(cli, args).exit_code == 0


def test_a_comment_python_warns_about_prints_no_warning() -> None:
    # `5in` compiles with a SyntaxWarning ("invalid decimal literal"): hplint must not print it.
    import warnings

    code = """
from sklearn.linear_model import LogisticRegression
model = LogisticRegression(C=1.0)  # C=5in the paper
"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lint(code, select=("HPL101",))
    assert [str(w.message) for w in caught if issubclass(w.category, SyntaxWarning)] == []


def test_a_checked_file_python_warns_about_prints_nothing_on_stderr(tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / "train.py"
    path.write_text("import numpy as np\nx = 1if np else 2  # 5in the paper, because\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "hplint", "--no-cache", str(path)], capture_output=True, text=True)
    assert done.stderr == ""
