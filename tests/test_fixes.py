"""Fixes: each rule's fix gives exactly the expected code, is idempotent, compiles and removes
its finding; and the machinery (--fix, --diff, --fix-only, config keys, reporters, notebooks,
conflicts, refusals)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap

import pytest

from hplint import fixing
from hplint.fixing import applicable, fix_bytes
from hplint.settings import Selection, Settings
from tests.cli_support import invoke, write


def fix(code: str, select=("ALL",), unsafe=False, path="train.py") -> tuple[str, fixing.FixOutcome]:
    settings = Settings(selection=Selection(select=select))
    data = textwrap.dedent(code).encode()
    outcome = fix_bytes(data, path, path, settings, lambda d: applicable(d.fix, unsafe), path.endswith(".ipynb"))
    return outcome.fixed.decode(), outcome


def assert_fixed(code: str, expected: str, rule: str, select=("ALL",), unsafe=False) -> None:
    fixed, outcome = fix(code, select, unsafe)
    assert fixed == textwrap.dedent(expected)
    assert outcome.problem is None
    ast.parse(fixed)  # compiles
    assert rule not in {d.code for d in outcome.diagnostics}  # the finding is gone
    again, second = fix(fixed, select, unsafe)
    assert again == fixed and second.applied == 0  # idempotent
    before = {d.code for d in fix(code, select, unsafe)[1].diagnostics} | {rule}
    assert {d.code for d in outcome.diagnostics} <= before  # no new finding


# -- HPL902 ---------------------------------------------------------------------------------------


def test_hpl902_removes_unused_codes_and_comments():
    assert_fixed(
        """\
        x = 1  # noqa: HPL601
        y = 2  # noqa: HPL601, E501
        z = 3  # noqa: HPL601  # why
        """,
        """\
        x = 1
        y = 2  # noqa: E501
        z = 3  # why
        """,
        "HPL902",
    )


def test_hpl902_leaves_a_blanket_noqa():
    fixed, outcome = fix("x = 1  # noqa  (hplint)\n")
    assert fixed == "x = 1  # noqa  (hplint)\n" and outcome.applied == 0
    assert [d.code for d in outcome.diagnostics] == ["HPL902"]


# -- HPL601 / HPL602 --------------------------------------------------------------------------------


def test_hpl601_adds_random_state_with_the_module_seed():
    assert_fixed(
        """\
        from sklearn.model_selection import train_test_split, KFold
        SEED = 7
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
        folds = KFold(
            n_splits=5,
            shuffle=True,
        )
        folds2 = KFold(
            n_splits=5, shuffle=True
        )
        """,
        """\
        from sklearn.model_selection import train_test_split, KFold
        SEED = 7
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED)
        folds = KFold(
            n_splits=5,
            shuffle=True,
            random_state=SEED,
        )
        folds2 = KFold(
            n_splits=5, shuffle=True, random_state=SEED
        )
        """,
        "HPL601",
        select=("HPL6",),
    )


def test_hpl601_uses_zero_without_a_seed_constant_or_when_it_comes_later():
    assert_fixed(
        """\
        from sklearn.model_selection import train_test_split
        parts = train_test_split(X)
        SEED = 3
        """,
        """\
        from sklearn.model_selection import train_test_split
        parts = train_test_split(X, random_state=0)
        SEED = 3
        """,
        "HPL601",
        select=("HPL6",),
    )


def test_hpl602_seeds_samplers_studies_and_fmin():
    assert_fixed(
        """\
        import numpy as np
        import optuna
        from hyperopt import fmin, tpe
        study = optuna.create_study(direction="maximize")
        other = optuna.create_study(sampler=optuna.samplers.TPESampler(multivariate=True))
        best = fmin(objective, space, algo=tpe.suggest, max_evals=50)
        """,
        """\
        import numpy as np
        import optuna
        from hyperopt import fmin, tpe
        study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=0))
        other = optuna.create_study(sampler=optuna.samplers.TPESampler(multivariate=True, seed=0))
        best = fmin(objective, space, algo=tpe.suggest, max_evals=50, rstate=np.random.default_rng(0))
        """,
        "HPL602",
        select=("HPL6",),
    )


def test_hpl602_has_no_fix_for_multi_objective_studies_or_without_numpy():
    fixed, outcome = fix(
        """\
        import optuna
        from hyperopt import fmin, tpe
        study = optuna.create_study(directions=["maximize", "minimize"])
        best = fmin(objective, space, algo=tpe.suggest, max_evals=50)
        """,
        select=("HPL6",),
    )
    assert outcome.applied == 0 and [d.code for d in outcome.diagnostics] == ["HPL602", "HPL602"]


# -- machinery ----------------------------------------------------------------------------------------


def test_overlapping_fixes_are_applied_in_later_rounds():
    # Both fixes rewrite the same create_study call: one per round, never merged.
    fixed, outcome = fix(
        """\
        import optuna
        study = optuna.create_study(sampler=optuna.samplers.TPESampler())  # noqa: HPL601
        """,
        select=("HPL6", "HPL902"),
    )
    assert fixed == (
        "import optuna\nstudy = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))\n"
    )
    assert outcome.applied == 2 and outcome.diagnostics == []


def test_apply_edits_drops_overlaps():
    from hplint.diagnostics import Diagnostic, Edit, Fix, Position, Span

    def diagnostic(start, end, text):
        span = Span(Position(1, start), Position(1, end))
        return Diagnostic("HPL902", "x", "m", "a.py", span, fix=Fix("m", (Edit(text, span.start, span.end),)))

    fixes = [diagnostic(1, 4, "A"), diagnostic(2, 5, "B"), diagnostic(5, 6, "C")]
    taken = fixing._without_conflicts(fixes)
    assert [d.fix.edits[0].content for d in taken] == ["A", "C"]
    assert fixing.apply_edits("abcdefg\n", [e for d in taken for e in d.fix.edits]) == "AdCfg\n"


def test_a_fix_that_breaks_the_code_is_not_applied(monkeypatch):
    monkeypatch.setattr(fixing, "apply_edits", lambda text, edits: text + "def (:\n")
    fixed, outcome = fix("x = 1  # noqa: HPL601\n")
    assert fixed == "x = 1  # noqa: HPL601\n"
    assert "would leave code that does not parse" in outcome.problem


@pytest.fixture
def project(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", "[tool.hplint]\nselect = ['ALL']\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


SCRIPT = "from sklearn.model_selection import train_test_split\nparts = train_test_split(X)  # noqa: HPL902\n"
FIXED = "from sklearn.model_selection import train_test_split\nparts = train_test_split(X, random_state=0)\n"


def test_cli_diff_writes_nothing_and_exits_1(project):
    path = write(project / "a.py", SCRIPT)
    result = invoke(["check", "a.py", "--diff", "--no-cache"])
    assert result.exit_code == 1
    assert path.read_text() == SCRIPT
    assert result.stdout.splitlines()[:2] == ["--- a.py", "+++ a.py"]
    assert "+parts = train_test_split(X, random_state=0)" in result.stdout
    assert "Would fix 2 errors." in result.stderr
    path.write_text(FIXED)
    assert invoke(["check", "a.py", "--diff", "--no-cache"]).exit_code == 0


def test_cli_fix_reports_what_remains(project):
    path = write(project / "a.py", SCRIPT)
    result = invoke(["check", "a.py", "--fix", "--no-cache", "--output-format", "concise", "--show-fixes"])
    assert path.read_bytes() == FIXED.encode()
    assert result.exit_code == 0, result.stdout
    assert "Found 2 errors (2 fixed, 0 remaining)." in result.stdout
    assert "Fixed 2 errors:\n- a.py:\n    1 × HPL601 (unseeded-split-or-search)\n    1 × HPL902 (unused-noqa)" in result.stderr
    write(project / "b.py", SCRIPT)
    assert invoke(["check", "b.py", "--fix", "--exit-non-zero-on-fix", "--no-cache"]).exit_code == 1


def test_cli_marks_fixable_findings_and_counts_them(project):
    write(project / "a.py", SCRIPT)
    result = invoke(["check", "a.py", "--no-cache", "--output-format", "concise"])
    assert "a.py:2:9: HPL601 [*] " in result.stdout
    assert "[*] 2 fixable with the `--fix` option." in result.stdout


def test_cli_fix_only_and_config_keys(project):
    write(project / "pyproject.toml", "[tool.hplint]\nselect = ['ALL']\nfix = true\nunfixable = ['HPL902']\n")
    path = write(project / "a.py", SCRIPT)
    result = invoke(["check", "a.py", "--no-cache", "--output-format", "concise"])
    # unfixable = HPL902: the seed is added, the unused noqa stays
    assert path.read_text() == FIXED[:-1] + "  # noqa: HPL902\n"
    assert result.exit_code == 1 and "(1 fixed, 1 remaining)" in result.stdout
    write(project / "pyproject.toml", "[tool.hplint]\nfix = 'yes'\n")
    bad = invoke(["check", "a.py", "--no-cache"])
    assert bad.exit_code == 2 and "fix" in bad.stderr and "must be true or false" in bad.stderr
    write(project / "pyproject.toml", "[tool.hplint]\nselect = ['ALL']\n")
    path.write_text(SCRIPT)
    only = invoke(["check", "a.py", "--fix-only", "--no-cache"])
    assert only.exit_code == 0 and only.stdout == "" and path.read_text() == FIXED


def test_cli_json_fix_shape(project):
    write(project / "a.py", SCRIPT)
    result = invoke(["check", "a.py", "--no-cache", "--output-format", "json", "--select", "HPL601"])
    [entry] = json.loads(result.stdout)
    assert entry["fix"] == {
        "message": "Add `random_state=0`",
        "applicability": "safe",
        "edits": [
            {
                "content": "train_test_split(X, random_state=0)",
                "location": {"row": 2, "column": 9},
                "end_location": {"row": 2, "column": 28},
            }
        ],
    }


def test_cli_fix_keeps_crlf_bom_and_mode(project):
    path = project / "a.py"
    path.write_bytes(b"\xef\xbb\xbf" + SCRIPT.replace("\n", "\r\n").encode())
    path.chmod(0o640)
    invoke(["check", "a.py", "--fix", "--no-cache"])
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()
    assert path.stat().st_mode & 0o777 == 0o640


def test_cli_fixes_a_notebook_cell_by_cell(project):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# title\n"]},
        {"cell_type": "code", "metadata": {"tags": ["x"]}, "execution_count": 3, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}],
         "source": ["from sklearn.model_selection import train_test_split\n", "parts = train_test_split(X)"]},
    ]
    text = json.dumps({"cells": cells, "metadata": {"kernelspec": {"language": "python"}}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    path = project / "nb.ipynb"
    path.write_text(text)
    result = invoke(["check", "nb.ipynb", "--fix", "--no-cache", "--select", "HPL601"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert path.read_text() == text.replace('"parts = train_test_split(X)"', '"parts = train_test_split(X, random_state=0)"')


def test_cli_fix_from_stdin_prints_the_fixed_source(project):
    result = invoke(["check", "-", "--stdin-filename", "a.py", "--fix", "--no-cache"], input=SCRIPT)
    assert result.stdout.startswith(FIXED)


def test_cli_fix_as_a_subprocess(project):
    path = write(project / "a.py", SCRIPT)
    done = subprocess.run([sys.executable, "-m", "hplint", "check", "a.py", "--fix", "--no-cache", "-j", "1"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert path.read_text() == FIXED


# -- HPL501 / HPL502 (unsafe) -------------------------------------------------------------------------

SPACES = """\
import optuna
import numpy as np
from scipy import stats
from scipy.stats import uniform, loguniform
from sklearn.svm import SVC
from sklearn.linear_model import Ridge
from sklearn.model_selection import RandomizedSearchCV, GridSearchCV
from ray import tune
from hyperopt import hp

def objective(trial):
    lr = trial.suggest_float("lr", 1e-5, 1e-1)
    return lr

search = RandomizedSearchCV(SVC(), {"C": uniform(0.01, 100), "gamma": stats.uniform(0.001, 10)})
grid = GridSearchCV(Ridge(), {"alpha": np.linspace(0.001, 10, 20)})
grid2 = GridSearchCV(Ridge(), {"alpha": np.linspace(0.003, 7, 20)})
config = {"lr": tune.uniform(1e-5, 1e-1)}
space = {"lr": hp.uniform("lr", 1e-5, 1e-1)}
"""


def test_hpl501_hpl502_sample_the_same_range_on_a_log_scale():
    expected = (
        SPACES.replace('1e-5, 1e-1)\n    return', '1e-5, 1e-1, log=True)\n    return')
        .replace('uniform(0.01, 100)', 'loguniform(0.01, 100.01)')
        .replace('stats.uniform(0.001, 10)', 'stats.loguniform(0.001, 10.001)')
        .replace('np.linspace(0.001, 10, 20)', 'np.logspace(-3, 1, 20)')
        .replace('np.linspace(0.003, 7, 20)', 'np.geomspace(0.003, 7, 20)')
        .replace('tune.uniform(1e-5, 1e-1)', 'tune.loguniform(1e-5, 1e-1)')
        .replace('hp.uniform("lr", 1e-5, 1e-1)', 'hp.loguniform("lr", np.log(1e-5), np.log(1e-1))')
    )
    assert_fixed(SPACES, expected, "HPL501", select=("HPL501", "HPL502"), unsafe=True)
    fixed, outcome = fix(expected, select=("HPL501", "HPL502"), unsafe=True)
    assert outcome.diagnostics == []  # HPL502 gone too


def test_hpl501_fixes_are_unsafe_only():
    fixed, outcome = fix(SPACES, select=("HPL501", "HPL502"))
    assert fixed == SPACES and outcome.applied == 0
    assert {d.fix.applicability for d in outcome.diagnostics if d.fix} == {"unsafe"}


def test_hpl501_no_fix_from_zero_or_with_step():
    code = """\
    import optuna
    def objective(trial):
        a = trial.suggest_float("lr", 0.0, 1e-1)
        b = trial.suggest_float("weight_decay", 1e-6, 1e-2, step=1e-6)
    """
    fixed, outcome = fix(code, select=("HPL501",), unsafe=True)
    assert outcome.applied == 0 and len(outcome.diagnostics) == 2


def test_a_multi_line_call_in_a_block_keeps_its_indentation():
    assert_fixed(
        """\
        from sklearn.model_selection import train_test_split
        def f(iris):
            a = train_test_split(
                iris.data, iris.target, test_size=0.25
            )
            b = train_test_split(
                iris.data,
                iris.target,
            )
        """,
        """\
        from sklearn.model_selection import train_test_split
        def f(iris):
            a = train_test_split(
                iris.data, iris.target, test_size=0.25, random_state=0
            )
            b = train_test_split(
                iris.data,
                iris.target,
                random_state=0,
            )
        """,
        "HPL601",
        select=("HPL601",),
    )


LOG_SCALE = 'import optuna\n\ndef objective(trial):\n    return trial.suggest_float("lr", 1e-5, 1e-1)\n'
LOG_SCALE_FIXED = 'import optuna\n\ndef objective(trial):\n    return trial.suggest_float("lr", 1e-5, 1e-1, log=True)\n'


def test_extend_safe_fixes_lets_fix_apply_an_unsafe_fix(project):
    write(project / "pyproject.toml", "[tool.hplint]\nselect = ['HPL501']\nextend-safe-fixes = ['HPL5']\n")
    path = write(project / "a.py", LOG_SCALE)
    listed = invoke(["check", "a.py", "--no-cache", "--output-format", "json"])
    assert [entry["fix"]["applicability"] for entry in json.loads(listed.stdout)] == ["safe"]
    invoke(["check", "a.py", "--fix", "--no-cache"])
    assert path.read_text() == LOG_SCALE_FIXED
    # the longer selector wins: HPL501 stays unsafe under extend-safe-fixes = HPL5
    write(project / "pyproject.toml", "[tool.hplint]\nselect = ['HPL501']\nextend-safe-fixes = ['HPL5']\nextend-unsafe-fixes = ['HPL501']\n")
    path.write_text(LOG_SCALE)
    invoke(["check", "a.py", "--fix", "--no-cache"])
    assert path.read_text() == LOG_SCALE


def test_extend_unsafe_fixes_holds_back_a_safe_fix(project):
    write(project / "pyproject.toml", "[tool.hplint]\nselect = ['HPL601']\nextend-unsafe-fixes = ['HPL601']\n")
    path = write(project / "a.py", SCRIPT)
    result = invoke(["check", "a.py", "--fix", "--no-cache", "--output-format", "concise"])
    assert path.read_text() == SCRIPT
    assert "1 hidden fix can be enabled with the `--unsafe-fixes` option" in result.stdout
    invoke(["check", "a.py", "--fix", "--unsafe-fixes", "--no-cache"])
    assert path.read_text() == "from sklearn.model_selection import train_test_split\nparts = train_test_split(X, random_state=0)  # noqa: HPL902\n"
    write(project / "pyproject.toml", "[tool.hplint]\nextend-safe-fixes = ['HPL999X']\n")
    bad = invoke(["check", "a.py", "--no-cache"])
    assert bad.exit_code == 2 and "extend-safe-fixes" in bad.stderr
