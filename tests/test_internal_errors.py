"""hplint's own failures: a rule or a shared analysis that raises, a worker process that dies.

Each becomes an HPL903 diagnostic naming what failed and what was therefore not checked; every
other rule and file is still checked; exit status 1 unless `--strict-internal-errors`.
"""

from __future__ import annotations

import json

import pytest

from hplint import engine
from hplint.engine import check_source
from hplint.rules.base import Rule
from hplint.settings import Selection, Settings
from hplint.source import from_bytes
from tests.cli_support import invoke, write

ML_CODE = "from sklearn.linear_model import Ridge\nmodel = Ridge(alpha=0.37)\nmodel.fit(X, y)\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def concise_lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line and not line.startswith(("Found", "All checks"))]


# -- one rule fails ---------------------------------------------------------------------------------


def test_a_failing_rule_is_a_diagnostic_and_the_other_files_go_on(project, probe):
    write(project / "pyproject.toml", "[tool.hplint.HPL990]\ncrash = true\n")
    write(project / "clean.py", "x = 1\n")
    write(project / "broken.py", "def f(:\n")
    result = invoke(["--output-format", "concise", "--no-cache", "."])
    assert result.exit_code == 1
    assert concise_lines(result) == [
        "broken.py:1:7: HPL901 SyntaxError: invalid syntax; the file was not checked",
        "clean.py:1:1: HPL903 hplint failed in HPL990 (probe-learning-rate) (ValueError: probe asked to crash). "
        "Its findings on this file are missing; the other rules ran. Please report this; `--debug` prints the traceback",
    ]
    assert "Traceback" not in result.stderr + result.stdout


def test_strict_internal_errors_exits_2_and_debug_prints_the_traceback(project, probe):
    write(project / "pyproject.toml", "[tool.hplint.HPL990]\ncrash = true\n")
    write(project / "clean.py", "x = 1\n")
    strict = invoke(["--output-format", "concise", "--no-cache", "--strict-internal-errors", "."])
    assert strict.exit_code == 2
    assert "HPL903" in strict.stdout
    debug = invoke(["--output-format", "concise", "--no-cache", "--debug", "."])
    assert debug.exit_code == 1
    assert "hplint: internal error on clean.py:\nTraceback (most recent call last):" in debug.stderr
    assert "ValueError: probe asked to crash" in debug.stderr


def test_other_rules_still_report_on_the_same_file(project, probe):
    write(project / "pyproject.toml", "[tool.hplint]\nextend-select = ['HPL990']\n[tool.hplint.HPL990]\ncrash = true\n")
    write(project / "train.py", ML_CODE)
    result = invoke(["--output-format", "json", "--no-cache", "."])
    found = [d["code"] for d in json.loads(result.stdout)]
    assert found == ["HPL903", "HPL101"]


def test_internal_errors_are_not_cached(project, probe):
    write(project / "pyproject.toml", "[tool.hplint.HPL990]\ncrash = true\n")
    write(project / "clean.py", "x = 1\n")
    first = invoke(["--output-format", "concise", "."])
    second = invoke(["--output-format", "concise", "--debug", "."])
    assert "HPL903" in first.stdout and "HPL903" in second.stdout
    assert "Traceback" in second.stderr  # checked again, not answered from the cache


def test_internal_errors_ignore_selection_and_noqa(project, probe):
    write(project / "pyproject.toml", "[tool.hplint.HPL990]\ncrash = true\n")
    write(project / "clean.py", "# hplint: noqa\nx = 1  # noqa\n")
    result = invoke(["--output-format", "concise", "--no-cache", "--select", "HPL990", "."])
    assert [line.split()[1] for line in concise_lines(result)] == ["HPL903"]


def test_worker_processes_report_failures_in_task_order(project, probe):
    write(project / "pyproject.toml", "[tool.hplint.HPL990]\ncrash = true\n")
    for index in range(8):
        write(project / f"m{index}.py", "lr = 1\n")
    parallel = invoke(["--output-format", "concise", "--no-cache", "--jobs", "2", "."])
    serial = invoke(["--output-format", "concise", "--no-cache", "--jobs", "1", "."])
    assert parallel.exit_code == 1
    assert parallel.stdout == serial.stdout
    assert parallel.stdout.count("HPL903") == 8


def test_a_worker_that_dies_costs_only_its_file(project, probe):
    write(project / "pyproject.toml", "[tool.hplint.HPL990]\ndie-on = 'KILL-THE-WORKER'\n")
    for index in range(12):
        write(project / f"m{index:02}.py", "lr = 1\n" + ("# KILL-THE-WORKER\n" if index in (3, 9) else ""))
    result = invoke(["--output-format", "concise", "--no-cache", "--jobs", "2", "."])
    assert result.exit_code == 1
    lines = concise_lines(result)
    assert len(lines) == 12
    died = [line for line in lines if "HPL903" in line]
    assert [line.split(":")[0] for line in died] == ["m03.py", "m09.py"]
    assert "its worker process died" in died[0]
    assert sum("HPL990" in line for line in lines) == 10  # every other file keeps its finding
    assert "Traceback" not in result.stderr and "BrokenProcessPool" not in result.stderr


# -- a shared analysis fails ------------------------------------------------------------------------


class UsesDataflow(Rule):
    code = "HPL998"
    name = "uses-dataflow"
    summary = doc = "test rule"
    needs_ml = False

    def check(self, ctx) -> None:
        ctx.report(self, ctx.module.body[0], "reported before asking for the data flow")
        ctx.dataflow


class UsesSemantic(Rule):
    code = "HPL997"
    name = "uses-semantic"
    summary = doc = "test rule"
    needs_ml = False

    def check(self, ctx) -> None:
        for call in ctx.semantic.calls:
            ctx.report(self, call.node, "a call")


def check_with(monkeypatch, rules, text="fit(X)\n"):
    monkeypatch.setattr(engine, "_rules_for", lambda settings: rules)
    monkeypatch.setattr(engine, "_enabled_codes", lambda settings: frozenset(r.code for r in rules))
    return check_source(from_bytes(text.encode(), "train.py", is_notebook=False), Settings(selection=Selection(select=("ALL",))), "train.py")


def test_a_failing_analysis_is_reported_once_with_the_rules_it_took_down(monkeypatch):
    import hplint.analysis.dataflow as dataflow

    calls = []

    def broken(ctx):
        calls.append(1)
        raise KeyError("lineage")

    monkeypatch.setattr(dataflow, "analyze", broken)
    second = type("UsesDataflowToo", (UsesDataflow,), {"code": "HPL996"})
    diagnostics = check_with(monkeypatch, (UsesDataflow(), second(), UsesSemantic()))
    assert [(d.code, d.message) for d in diagnostics] == [
        ("HPL903", "hplint failed in its data-flow analysis (KeyError: 'lineage'). HPL998, HPL996 could not check "
         "this file; the other rules ran. Please report this; `--debug` prints the traceback"),
        ("HPL997", "a call"),
    ]
    assert calls == [1]  # computed once, its failure remembered


def test_a_failing_semantic_model_blames_itself_not_the_data_flow(monkeypatch):
    import hplint.analysis.semantic as semantic

    monkeypatch.setattr(semantic, "analyze", lambda module: 1 / 0)
    diagnostics = check_with(monkeypatch, (UsesDataflow(), UsesSemantic()))
    assert [d.code for d in diagnostics] == ["HPL903"]
    assert "in its semantic analysis (ZeroDivisionError: division by zero). HPL998, HPL997 could not" in diagnostics[0].message


def test_a_failure_outside_the_rules_loses_only_that_file(monkeypatch):
    def broken_placing(*args, **kwargs):
        raise RuntimeError("positions")

    monkeypatch.setattr(engine, "place", broken_placing)
    diagnostics = check_with(monkeypatch, (UsesSemantic(),))
    assert [d.code for d in diagnostics] == ["HPL903"]
    assert diagnostics[0].message.startswith("hplint failed while checking this file (RuntimeError: positions). The file was not checked.")


def test_recursion_in_a_rule_is_that_rules_failure(monkeypatch):
    class Recursive(UsesSemantic):
        code = "HPL995"

        def check(self, ctx) -> None:
            self.check(ctx)

    diagnostics = check_with(monkeypatch, (Recursive(), UsesSemantic()))
    assert [d.code for d in diagnostics] == ["HPL903", "HPL997"]
    assert "RecursionError" in diagnostics[0].message


@pytest.mark.parametrize("message", ["x" * 1000, "two\nlines"])
def test_long_or_multiline_exception_messages_stay_on_one_short_line(monkeypatch, message):
    class Raises(UsesSemantic):
        def check(self, ctx) -> None:
            raise ValueError(message)

    (diagnostic,) = check_with(monkeypatch, (Raises(),))
    assert "\n" not in diagnostic.message and len(diagnostic.message) < 400

