"""Name resolution of the shared semantic model: imports, aliases, attribute chains, typed receivers."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from hplint.analysis.semantic import SemanticModel, analyze


def model_of(code: str) -> SemanticModel:
    return analyze(cst.parse_module(textwrap.dedent(code)))


def call(model: SemanticModel, written: str):
    sites = [c for c in model.calls if c.written == written]
    assert sites, f"no call written {written!r}"
    return sites[0]


@pytest.mark.parametrize(
    ("code", "written", "qualname", "api"),
    [
        ("import torch.optim as optim\noptim.SGD(p, 0.1)", "optim.SGD", "torch.optim.SGD", "torch.optim.SGD"),
        (
            "from sklearn.ensemble import RandomForestClassifier as RF\nRF()",
            "RF",
            "sklearn.ensemble.RandomForestClassifier",
            "sklearn.ensemble.RandomForestClassifier",
        ),
        ("import xgboost as xgb\nxgb.train(p, d)", "xgb.train", "xgboost.train", "xgboost.train"),
        (
            "import tensorflow as tf\ntf.keras.optimizers.Adam()",
            "tf.keras.optimizers.Adam",
            "tensorflow.keras.optimizers.Adam",
            "keras.optimizers.Adam",
        ),
        ("import keras\nkeras.layers.Dropout(0.5)", "keras.layers.Dropout", "keras.layers.Dropout", "keras.layers.Dropout"),
        (
            "import lightgbm as lgb\nlgb.LGBMClassifier()",
            "lgb.LGBMClassifier",
            "lightgbm.LGBMClassifier",
            "lightgbm.LGBMClassifier",
        ),
        (
            "from sklearn.svm import *\nSVC(C=1)",
            "SVC",
            "sklearn.svm.SVC",
            "sklearn.svm.SVC",
        ),
        (
            "from tensorflow.keras.layers import Dropout\nDropout(0.2)",
            "Dropout",
            "tensorflow.keras.layers.Dropout",
            "keras.layers.Dropout",
        ),
        (
            "import sklearn.linear_model\nsklearn.linear_model.Ridge(1.0)",
            "sklearn.linear_model.Ridge",
            "sklearn.linear_model.Ridge",
            "sklearn.linear_model.Ridge",
        ),
    ],
)
def test_calls_resolve_through_imports_and_aliases(code: str, written: str, qualname: str, api: str) -> None:
    site = call(model_of(code), written)
    assert site.qualname == qualname
    assert site.api is not None and site.api.qualname == api


def test_a_never_imported_name_is_not_an_ml_call() -> None:
    model = model_of(
        """
        import numpy as np
        RandomForestClassifier(n_estimators=10)
        optim.SGD(p, 0.1)
        """
    )
    for written in ("RandomForestClassifier", "optim.SGD"):
        site = call(model, written)
        assert site.qualname is None and site.api is None


def test_a_local_definition_shadows_nothing_it_was_never_imported_as() -> None:
    model = model_of(
        """
        import sklearn
        def SVC(C):
            return C
        SVC(C=1)
        """
    )
    assert call(model, "SVC").api is None


def test_star_import_resolves_only_known_names() -> None:
    model = model_of(
        """
        from sklearn.ensemble import *
        GradientBoostingClassifier()
        helper()
        """
    )
    assert call(model, "GradientBoostingClassifier").qualname == "sklearn.ensemble.GradientBoostingClassifier"
    assert call(model, "helper").qualname is None


def test_methods_on_typed_receivers() -> None:
    model = model_of(
        """
        from sklearn.svm import SVC
        import xgboost as xgb
        clf = SVC(C=1.0)
        clf.fit(X, y)
        booster = xgb.XGBClassifier()
        booster.fit(X, y, verbose=False)
        SVC().fit(X, y)
        """
    )
    assert model.types["clf"] == "sklearn.svm.SVC"
    assert call(model, "clf.fit").qualname == "sklearn.svm.SVC.fit"
    booster_fit = call(model, "booster.fit")
    assert booster_fit.qualname == "xgboost.XGBClassifier.fit"
    assert booster_fit.api is not None and booster_fit.api.qualname == "xgboost.XGBClassifier.fit"
    chained = [c for c in model.calls if c.written is None]  # SVC().fit: no dotted name
    assert [c.qualname for c in chained] == ["sklearn.svm.SVC.fit"]


def test_rebinding_a_name_drops_its_type() -> None:
    model = model_of(
        """
        from sklearn.svm import SVC
        clf = SVC()
        clf = make_model()
        clf.fit(X, y)
        """
    )
    assert "clf" not in model.types
    assert call(model, "clf.fit").qualname is None


def test_keras_model_methods_resolve_to_the_knowledge_base() -> None:
    model = model_of(
        """
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(10)])
        model.fit(X, y, epochs=5)
        """
    )
    fit = call(model, "model.fit")
    assert fit.qualname == "tensorflow.keras.Sequential.fit"
    assert fit.api is not None and fit.api.param("epochs") is not None


def test_calls_record_scope_and_loops() -> None:
    model = model_of(
        """
        import torch.optim as optim
        def train(model):
            opt = optim.SGD(model.parameters(), lr=0.1)
            for epoch in range(3):
                opt.step()
        """
    )
    step = call(model, "opt.step")
    assert step.scope.function is not None and step.scope.function.name.value == "train"
    assert len(step.loops) == 1
    assert "model" in step.scope.params
    assert call(model, "optim.SGD").loops == ()


def test_item_assignments_are_recorded_for_params_dicts() -> None:
    model = model_of(
        """
        params = {"eta": 0.1}
        params["max_depth"] = 6
        """
    )
    (assignment,) = model.item_assignments["params"]
    assert isinstance(assignment.key, cst.SimpleString) and assignment.key.value == '"max_depth"'


def test_last_binding_respects_order_and_scope() -> None:
    model = model_of(
        """
        lr = 0.1
        def f():
            lr = 0.5
            use(lr)
        use(lr)
        """
    )
    inner_use, outer_use = [c for c in model.calls if c.written == "use"]
    inner = model.last_binding("lr", inner_use.order, inner_use.scope)
    outer = model.last_binding("lr", outer_use.order, outer_use.scope)
    assert inner is not None and literal(inner.value) == "0.5"
    assert outer is not None and literal(outer.value) == "0.1"


def literal(node: cst.CSTNode | None) -> str:
    assert node is not None
    return cst.Module(body=()).code_for_node(node)


def test_calls_in_a_comprehension_element_are_inside_its_loops() -> None:
    import libcst as cst

    from hplint.analysis.semantic import analyze

    model = analyze(cst.parse_module("scores = [score(m) for m in models for k in ks]\nafter()\n"))
    by_name = {call.written: call for call in model.calls}
    assert len(by_name["score"].loops) == 2
    assert all(isinstance(loop, cst.CompFor) for loop in by_name["score"].loops)
    assert by_name["after"].loops == ()
