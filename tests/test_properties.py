"""Property tests: hplint's analysis never fails on a program libcst parses, and its output is sane.

Two sources of programs: Python's grammar (hypothesmith), and random ML-flavoured programs built
from the knowledge base (tests/strategies.py), which reach the rules' data flow far more often.
For every program: no exception escapes `check_source`, no HPL903 (internal error) is reported,
every span lies inside the file, checking twice gives the same output, and a notebook gives the
same codes as the same code written as a script.

The CI runs are derandomized and bounded. For long local campaigns that hunt for crashes:

    python -m tests.test_properties --programs 20000 --seed 7

prints every distinct failure with a minimised program (see `campaign`).
"""

from __future__ import annotations

import argparse
import collections
import json
import textwrap
import traceback
from dataclasses import dataclass

import hypothesmith
import libcst
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hplint.diagnostics import Diagnostic, Span
from hplint.engine import check_source
from hplint.settings import Selection, Settings
from hplint.source import SourceFile, from_bytes
from tests import strategies

ALL_RULES = Settings(selection=Selection(select=("ALL",)))
INTERNAL_ERROR = "HPL903"
SYNTAX_ERROR = "HPL901"
# In a notebook, a cell ending in a bare `search.best_score_` displays the score; in a script the
# same line shows nothing. HPL203 may legitimately differ between the two forms.
NOTEBOOK_ONLY_CODES = frozenset({"HPL203"})

PROPERTY_SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


class PropertyFailure(AssertionError):
    """One violated property, with a key that groups failures of the same cause."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(f"{key}\n{detail}")
        self.key = key


def parses(text: str) -> bool:
    """Both libcst and CPython accept `text`. libcst's grammar is more lenient in places
    (`f(**a, *b)`): hplint rightly reports those as syntax errors (HPL901), by CPython's verdict."""
    try:
        libcst.parse_module(text)
        compile(text, "<program>", "exec", dont_inherit=True)
    except Exception:  # noqa: BLE001 - errors on odd input: not our program to check
        return False
    return True


def run(source: SourceFile, path: str) -> list[Diagnostic]:
    try:
        diagnostics = check_source(source, ALL_RULES, path, assume_ml=True)
    except Exception as error:  # RuleCrash before HPL903 existed, or a bug outside any rule
        frames = traceback.extract_tb(error.__traceback__)
        where = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
        raise PropertyFailure(f"{type(error).__name__} at {where}", traceback.format_exc()) from error
    for diagnostic in diagnostics:
        if diagnostic.code == INTERNAL_ERROR:
            raise PropertyFailure(f"HPL903 {diagnostic.message[:120]}", _trace_of(source, path))
        if diagnostic.code == SYNTAX_ERROR:
            raise PropertyFailure(f"HPL901 on a parsed program: {diagnostic.message}", "")
    return sorted(diagnostics, key=Diagnostic.sort_key)


def _trace_of(source: SourceFile, path: str) -> str:
    from hplint import engine

    check = getattr(engine, "_check", None)  # the lead's engine keeps tracebacks for --debug
    return "\n".join(check(source, ALL_RULES, path, assume_ml=True)[1]) if check else ""


def assert_spans_inside(source: SourceFile, diagnostics: list[Diagnostic]) -> None:
    """Every span, related span and fix edit lies inside the file (or its cell), start <= end."""
    cell_lines: dict[int | None, list[str]] = {None: source.lines}
    for cell in source.cells:
        cell_lines[cell.index] = source.lines[cell.first_line - 1 : cell.first_line - 1 + cell.line_count]

    def check(span: Span, cell: int | None, what: str) -> None:
        if cell not in cell_lines:
            raise PropertyFailure(f"{what}: unknown cell {cell}", str(span))
        lines = cell_lines[cell] or [""]
        for position in (span.start, span.end):
            if not 1 <= position.row <= len(lines):
                raise PropertyFailure(f"{what}: row outside the file", f"{span} in {len(lines)} lines")
            if not 1 <= position.column <= len(lines[position.row - 1]) + 1:
                raise PropertyFailure(f"{what}: column outside the line", f"{span} on {lines[position.row - 1]!r}")
        if (span.start.row, span.start.column) > (span.end.row, span.end.column):
            raise PropertyFailure(f"{what}: span ends before it starts", str(span))

    for diagnostic in diagnostics:
        check(diagnostic.span, diagnostic.cell, diagnostic.code)
        for related in diagnostic.related:
            check(related.span, related.cell, f"{diagnostic.code} related")
        if diagnostic.fix is not None:
            for edit in diagnostic.fix.edits:
                check(Span(edit.start, edit.end), diagnostic.cell, f"{diagnostic.code} fix")
        if diagnostic.noqa_row is not None:
            lines = cell_lines.get(diagnostic.cell) or [""]
            if not 1 <= diagnostic.noqa_row <= len(lines):
                raise PropertyFailure(f"{diagnostic.code}: noqa row outside the file", str(diagnostic.noqa_row))


def check_script(text: str, path: str = "train.py") -> list[Diagnostic]:
    """Check `text` twice; assert the properties; the diagnostics."""
    source = from_bytes(text.encode(), path, is_notebook=False)
    first = run(source, path)
    assert_spans_inside(source, first)
    again = run(from_bytes(text.encode(), path, is_notebook=False), path)
    if again != first:
        raise PropertyFailure("output differs between two runs", f"{first}\n!=\n{again}")
    return first


def check_notebook(document: bytes, equivalent_script: str | None) -> list[Diagnostic]:
    path = "train.ipynb"
    source = from_bytes(document, path, is_notebook=True)
    diagnostics = run(source, path)
    assert_spans_inside(source, diagnostics)
    if run(from_bytes(document, path, is_notebook=True), path) != diagnostics:
        raise PropertyFailure("notebook output differs between two runs", "")
    if equivalent_script is not None:
        as_script = check_script(equivalent_script)
        notebook_codes = sorted(d.code for d in diagnostics if d.code not in NOTEBOOK_ONLY_CODES)
        script_codes = sorted(d.code for d in as_script if d.code not in NOTEBOOK_ONLY_CODES)
        if notebook_codes != script_codes:
            raise PropertyFailure("notebook and script give different codes", f"{notebook_codes}\n!=\n{script_codes}")
    return diagnostics


# -- regression examples: minimised programs that once crashed the analysis ---------------------

REGRESSIONS: list[str] = [
    # search-space bounds beyond the float range: float(10**400) raised OverflowError
    """
    import optuna
    def objective(trial):
        return trial.suggest_float("lr", 0, 10**400, log=True)
    """,
    """
    from skopt import BayesSearchCV
    from sklearn.svm import SVC
    search = BayesSearchCV(SVC(), {"C": (10**400, 1)})
    """,
    # grids with an infinite end: math.ceil(inf) raised OverflowError
    """
    import numpy as np
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GridSearchCV
    GridSearchCV(Ridge(), {"alpha": np.arange(0, 1e999)})
    """,
    # grid candidates beyond the float range: HPL305/HPL502 divided them as floats
    """
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import RandomizedSearchCV
    RandomizedSearchCV(Ridge(), {"alpha": [1, 2, 3, 10**400]})
    """,
    # a log-spaced comprehension whose ends overflow a float
    """
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GridSearchCV
    GridSearchCV(Ridge(), {"alpha": [10.0 ** i for i in range(0, 1000)]})
    """,
    # hp.randint(label, *rest): a starred argument was counted as the upper bound
    """
    from hyperopt import hp
    space = hp.randint("n", *bounds)
    """,
    # `10 ** 10 ** 10` as a literal was computed (minutes, gigabytes)
    """
    from sklearn.linear_model import Ridge
    model = Ridge(alpha=10**10**10)
    """,
]


@pytest.mark.parametrize("program", REGRESSIONS or [""], ids=range(max(1, len(REGRESSIONS))))
def test_regression_examples(program: str) -> None:
    check_script(textwrap.dedent(program))


def test_regression_continued_magic_keeps_its_indentation() -> None:
    # `!pip install \` continued on an indented line was masked as an indented `pass`: HPL901
    cells = ["from sklearn.svm import SVC", "!pip install \\\n   xgboost\nmodel = SVC(C=0.0137)"]
    document = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": c} for c in cells],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    check_notebook(json.dumps(document).encode(), "from sklearn.svm import SVC\npass\npass\nmodel = SVC(C=0.0137)\n")


# -- properties ---------------------------------------------------------------------------------


@settings(PROPERTY_SETTINGS, max_examples=50)
@given(hypothesmith.from_grammar())
def test_grammar_programs_never_crash(program: str) -> None:
    assume(parses(program))
    check_script(program)


@settings(PROPERTY_SETTINGS, max_examples=25)
@given(hypothesmith.from_node())
def test_libcst_node_programs_never_crash(program: str) -> None:
    assume(parses(program))
    check_script(program)


@settings(PROPERTY_SETTINGS, max_examples=120)
@given(strategies.ml_programs())
def test_ml_programs_never_crash(program: str) -> None:
    assume(parses(program))
    check_script(program)


@settings(PROPERTY_SETTINGS, max_examples=40)
@given(strategies.ml_notebooks())
def test_ml_notebooks_match_their_script(notebook: strategies.Notebook) -> None:
    assume(parses(notebook.equivalent_script))
    check_notebook(notebook.document, notebook.equivalent_script)


@settings(PROPERTY_SETTINGS, max_examples=20)
@given(st.data())
def test_notebooks_with_non_python_cells_never_crash(data: st.DataObject) -> None:
    choose = strategies.DrawChooser(data.draw)
    notebook = strategies.notebook(strategies.MLProgram(choose).statements(), choose)
    assume(parses(notebook.equivalent_script))
    check_notebook(strategies.with_non_python_cell(notebook.document, choose), None)


def test_rule_state_does_not_leak_between_files() -> None:
    """Checking other files in between does not change a file's diagnostics."""
    programs = [strategies.script(strategies.MLProgram(strategies.RandomChooser(seed)).statements()) for seed in range(6)]
    programs = [p for p in programs if parses(p)]
    alone = [check_script(p) for p in programs]
    assert [check_script(p) for p in reversed(programs)] == list(reversed(alone))


# -- local crash-hunting campaigns --------------------------------------------------------------


@dataclass
class Failure:
    key: str
    seed: int
    program: str
    detail: str
    minimal: str = ""


def _failure_key(program: str, notebook: strategies.Notebook | None = None) -> PropertyFailure | None:
    try:
        if notebook is None:
            check_script(program)
        else:
            check_notebook(notebook.document, notebook.equivalent_script)
    except PropertyFailure as failure:
        return failure
    return None


def minimise(program: str, key: str) -> str:
    """Delta-debug lines (then blocks) away while the same failure key persists."""
    lines = program.splitlines()
    changed = True
    while changed:
        changed = False
        chunk = max(1, len(lines) // 2)
        while chunk >= 1:
            start = 0
            while start < len(lines):
                candidate = lines[:start] + lines[start + chunk :]
                text = "\n".join(candidate) + "\n"
                if candidate and parses(text):
                    failure = _failure_key(text)
                    if failure is not None and failure.key == key:
                        lines, changed = candidate, True
                        continue
                start += chunk
            chunk //= 2
    return "\n".join(lines) + "\n"


def campaign(programs: int, seed: int, notebooks: bool, depth: int = 3, size: int = 14) -> tuple[int, dict[str, Failure]]:
    failures: dict[str, Failure] = {}
    checked = 0
    for offset in range(programs):
        choose = strategies.RandomChooser(seed * 1_000_003 + offset)
        statements = strategies.MLProgram(choose, max_depth=depth, max_statements=size).statements()
        text = strategies.script(statements)
        if not parses(text):
            continue
        checked += 1
        if checked % 500 == 0:
            print(f"... {checked} programs checked, {len(failures)} distinct failures", flush=True)
        notebook = strategies.notebook(statements, choose) if notebooks else None
        failure = _failure_key(text, notebook)
        if failure is not None and failure.key not in failures:
            found = Failure(failure.key, seed * 1_000_003 + offset, text, str(failure))
            found.minimal = minimise(text, failure.key) if notebook is None or _failure_key(text) else ""
            failures[failure.key] = found
            print(f"--- {failure.key} (program {found.seed})\n{found.minimal or text}", flush=True)
    return checked, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--programs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--notebooks", action="store_true", help="also check each program as a notebook")
    parser.add_argument("--depth", type=int, default=3, help="nesting of blocks and expressions")
    parser.add_argument("--size", type=int, default=14, help="most top-level statements")
    options = parser.parse_args()
    checked, failures = campaign(options.programs, options.seed, options.notebooks, options.depth, options.size)
    counts = collections.Counter(f.key for f in failures.values())
    print(f"checked {checked} programs; {len(counts)} distinct failures")
    for failure in failures.values():
        print(f"  {failure.key} (program {failure.seed})")


if __name__ == "__main__":
    main()
