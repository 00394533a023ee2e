"""HPL101's fix: hoisting a file's hardcoded values to module-level constants. Exact fixed output
for scripts, functions, classes, notebooks and name collisions; idempotence; the same result as
`extract-config --to constants`; one shared fix counted per finding; the CLI in-process and as a
subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from hplint.codemods.extract_config import extract
from hplint.settings import Settings
from hplint.source import SourceFile
from tests.cli_support import invoke, write
from tests.test_extract_config import FLAT
from tests.test_extract_config import SCRIPT as CODEMOD_SCRIPT
from tests.test_fixes import assert_fixed, fix

SCRIPT = '''\
"""Train a forest and a network."""

import torch
from torch import optim
from sklearn.ensemble import RandomForestClassifier

# the model
clf = RandomForestClassifier(n_estimators=700, max_depth=14)
opt = optim.Adam(model.parameters(), lr=3e-4)
for epoch in range(90):
    loss.backward()
    opt.step()
'''

SCRIPT_FIXED = '''\
"""Train a forest and a network."""

import torch
from torch import optim
from sklearn.ensemble import RandomForestClassifier

N_ESTIMATORS = 700
MAX_DEPTH = 14
LR = 3e-4
EPOCHS = 90

# the model
clf = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH)
opt = optim.Adam(model.parameters(), lr=LR)
for epoch in range(EPOCHS):
    loss.backward()
    opt.step()
'''


def test_hoists_a_script_after_the_docstring_and_imports():
    assert_fixed(SCRIPT, SCRIPT_FIXED, "HPL101", select=("HPL101",))
    _, outcome = fix(SCRIPT, select=("HPL101",))
    assert outcome.applied == 3 and outcome.fixed_codes == {"HPL101": 3}  # one shared fix, three findings


def test_hoists_out_of_functions_and_classes_and_avoids_names_in_use():
    assert_fixed(
        """\
        import torch
        from torch import nn, optim

        LR = "taken"


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.drop = nn.Dropout(0.25)


        def train(model, loader):
            optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
            for epoch in range(30):
                for x, y in loader:
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
        """,
        """\
        import torch
        from torch import nn, optim

        DROPOUT_P = 0.25
        SGD_LR = 0.1
        MOMENTUM = 0.9
        EPOCHS = 30

        LR = "taken"


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.drop = nn.Dropout(DROPOUT_P)


        def train(model, loader):
            optimizer = optim.SGD(model.parameters(), lr=SGD_LR, momentum=MOMENTUM)
            for epoch in range(EPOCHS):
                for x, y in loader:
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
        """,
        "HPL101",
        select=("HPL101",),
    )


def test_collisions_between_values_are_named_by_callee_and_number():
    assert_fixed(
        """\
        from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
        N_ESTIMATORS_USED = 1
        a = RandomForestClassifier(n_estimators=700)
        b = GradientBoostingClassifier(n_estimators=300)
        c = RandomForestClassifier(n_estimators=700)
        d = RandomForestClassifier(n_estimators=50)
        """,
        """\
        from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier

        RANDOM_FOREST_CLASSIFIER_N_ESTIMATORS = 700
        GRADIENT_BOOSTING_CLASSIFIER_N_ESTIMATORS = 300
        RANDOM_FOREST_CLASSIFIER_N_ESTIMATORS_2 = 50

        N_ESTIMATORS_USED = 1
        a = RandomForestClassifier(n_estimators=RANDOM_FOREST_CLASSIFIER_N_ESTIMATORS)
        b = GradientBoostingClassifier(n_estimators=GRADIENT_BOOSTING_CLASSIFIER_N_ESTIMATORS)
        c = RandomForestClassifier(n_estimators=RANDOM_FOREST_CLASSIFIER_N_ESTIMATORS)
        d = RandomForestClassifier(n_estimators=RANDOM_FOREST_CLASSIFIER_N_ESTIMATORS_2)
        """,
        "HPL101",
        select=("HPL101",),
    )


def test_params_dicts_are_hoisted_value_by_value():
    assert_fixed(
        """\
        import xgboost as xgb
        params = {"eta": 0.1, "max_depth": 6}
        booster = xgb.train(params, dtrain, num_boost_round=500)
        """,
        """\
        import xgboost as xgb

        ETA = 0.1
        MAX_DEPTH = 6
        NUM_BOOST_ROUND = 500

        params = {"eta": ETA, "max_depth": MAX_DEPTH}
        booster = xgb.train(params, dtrain, num_boost_round=NUM_BOOST_ROUND)
        """,
        "HPL101",
        select=("HPL101",),
    )


def test_a_parenthesized_literal_is_replaced_with_its_parentheses():
    # positions leave a tuple's parentheses out; the edit must not leave `((HIDDEN_LAYER_SIZES))`
    assert_fixed(
        """\
        from sklearn.neural_network import MLPClassifier
        mlp = MLPClassifier(hidden_layer_sizes=(40,), alpha=( 1e-4 ))
        """,
        """\
        from sklearn.neural_network import MLPClassifier

        HIDDEN_LAYER_SIZES = (40,)
        ALPHA = ( 1e-4 )

        mlp = MLPClassifier(hidden_layer_sizes=HIDDEN_LAYER_SIZES, alpha=ALPHA)
        """,
        "HPL101",
        select=("HPL101",),
    )


def test_justified_suppressed_and_fstring_literals_stay_and_keep_no_fix():
    code = """\
        from sklearn.svm import SVC
        a = SVC(C=10.0)  # noqa: HPL101
        b = SVC(C=2.0)  # tuned on the dev set
        c = SVC(C=3.0, gamma=0.1)
        print(f"{SVC(C=4.0)}")
        """
    fixed, outcome = fix(code, select=("HPL101",))
    assert fixed == textwrap.dedent(
        """\
        from sklearn.svm import SVC

        SVC_C = 3.0
        GAMMA = 0.1

        a = SVC(C=10.0)  # noqa: HPL101
        b = SVC(C=2.0)  # tuned on the dev set
        c = SVC(C=SVC_C, gamma=GAMMA)
        print(f"{SVC(C=4.0)}")
        """
    )
    [left] = outcome.diagnostics  # the f-string's finding, reported without a fix
    assert left.span.start.row == 9 and left.fix is None
    assert fix(fixed, select=("HPL101",))[1].applied == 0


def test_a_noqa_on_the_statement_line_keeps_the_values_of_a_multi_line_call():
    code = """\
        from sklearn.svm import SVC
        a = SVC(  # noqa: HPL101
            C=10.0,
        )
        def f():
            return SVC(  # noqa: HPL101
                C=5.0,
            )
        b = SVC(C=2.0, gamma=0.5)  # noqa: HPL101
        c = SVC(C=3.0)
        """
    fixed, outcome = fix(code, select=("HPL101",))
    assert fixed == textwrap.dedent(code).replace("c = SVC(C=3.0)", "c = SVC(C=SVC_C)").replace(
        "from sklearn.svm import SVC\n", "from sklearn.svm import SVC\n\nSVC_C = 3.0\n\n"
    )
    assert outcome.diagnostics == []


def test_no_fix_with_a_star_import():
    fixed, outcome = fix("from torch.optim import *\nopt = SGD(p, lr=0.1)\n", select=("HPL101",))
    assert outcome.applied == 0
    assert [d.fix for d in outcome.diagnostics if d.code == "HPL101"] in ([], [None])


@pytest.mark.parametrize("code", [CODEMOD_SCRIPT, FLAT, SCRIPT])
def test_the_fix_and_extract_config_constants_agree(code):
    fixed, outcome = fix(code, select=("HPL101",))
    assert outcome.problem is None
    assert fixed == extract(SourceFile("train.py", code), Settings(), "train.py", "constants").text


def test_every_finding_carries_the_same_fix_in_json(project):
    write(project / "a.py", SCRIPT)
    result = invoke(["check", "a.py", "--no-cache", "--output-format", "json", "--select", "HPL101"])
    entries = json.loads(result.stdout)
    assert len(entries) == 3 and all(e["fix"] == entries[0]["fix"] for e in entries)
    fix_json = entries[0]["fix"]
    assert fix_json["applicability"] == "safe"
    assert fix_json["message"] == (
        "Hoist the file's hardcoded values to module-level constants: `N_ESTIMATORS = 700`, "
        "`MAX_DEPTH = 14`, `LR = 3e-4` and 1 more"
    )
    assert fix_json["edits"][0] == {
        "content": "\nN_ESTIMATORS = 700\nMAX_DEPTH = 14\nLR = 3e-4\nEPOCHS = 90\n",
        "location": {"row": 6, "column": 1},  # the blank line after the imports
        "end_location": {"row": 6, "column": 1},
    }
    assert [e["content"] for e in fix_json["edits"][1:]] == ["N_ESTIMATORS", "MAX_DEPTH", "LR", "EPOCHS"]


def _notebook(*sources: list[str]) -> str:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Title\n"]}]
    for index, source in enumerate(sources):
        cells.append({"cell_type": "code", "execution_count": index + 1, "metadata": {},
                      "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}], "source": source})
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"language": "python"}}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def test_a_notebook_hoists_the_literals_of_the_constants_cell(project):
    text = _notebook(
        ["import torch\n", "from sklearn.svm import SVC\n", "\n", "clf = SVC(C=3.0, gamma=0.1)"],
        ["opt = torch.optim.SGD(p, lr=0.1)"],
    )
    path = project / "nb.ipynb"
    path.write_text(text)
    result = invoke(["check", "nb.ipynb", "--fix", "--no-cache", "--select", "HPL101", "--output-format", "concise"])
    assert path.read_text() == text.replace(
        '"\\n",\n    "clf = SVC(C=3.0, gamma=0.1)"',
        '"\\n",\n    "SVC_C = 3.0\\n",\n    "GAMMA = 0.1\\n",\n    "\\n",\n    "clf = SVC(C=SVC_C, gamma=GAMMA)"',
    )
    # the second cell's finding has no fix: its constant would have to go into the first cell
    assert "nb.ipynb:cell 3:1:29: HPL101 torch.optim.SGD" in result.stdout
    assert "(1 fixed, 1 remaining)" in result.stdout
    again = invoke(["check", "nb.ipynb", "--diff", "--no-cache", "--select", "HPL101"])
    assert again.exit_code == 0 and again.stdout == ""


def test_a_notebook_with_a_magic_gets_no_fix(project):
    text = _notebook(["%matplotlib inline\n", "from sklearn.svm import SVC\n", "clf = SVC(C=3.0)"])
    path = project / "nb.ipynb"
    path.write_text(text)
    result = invoke(["check", "nb.ipynb", "--fix", "--no-cache", "--select", "HPL101"])
    assert path.read_text() == text and "[*]" not in result.stdout and "Found 1 error." in result.stdout


@pytest.fixture
def project(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", "[tool.hplint]\nselect = ['ALL']\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_diff_then_fix(project):
    path = write(project / "train.py", SCRIPT)
    diff = invoke(["check", "train.py", "--diff", "--no-cache", "--select", "HPL101"])
    assert diff.exit_code == 1 and path.read_text() == SCRIPT
    assert "+N_ESTIMATORS = 700\n" in diff.stdout and "-for epoch in range(90):\n" in diff.stdout
    assert "+for epoch in range(EPOCHS):\n" in diff.stdout
    assert "Would fix 3 errors." in diff.stderr
    done = invoke(["check", "train.py", "--fix", "--no-cache", "--select", "HPL101", "--show-fixes"])
    assert done.exit_code == 0 and path.read_text() == SCRIPT_FIXED
    assert "3 × HPL101 (hardcoded-hyperparameter)" in done.stderr


def test_cli_fix_as_a_subprocess(project):
    path = write(project / "train.py", SCRIPT)
    args = [sys.executable, "-m", "hplint", "check", "train.py", "--no-cache", "-j", "1", "--select", "HPL101"]
    diff = subprocess.run([*args, "--diff"], capture_output=True, text=True)
    assert diff.returncode == 1 and "+LR = 3e-4" in diff.stdout
    done = subprocess.run([*args, "--fix"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert path.read_text() == SCRIPT_FIXED
    assert subprocess.run([*args, "--diff"], capture_output=True, text=True).returncode == 0
