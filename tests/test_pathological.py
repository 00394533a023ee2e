"""Pathological input never crashes or hangs hplint (issue 7): deep nesting, long chains, deep
indentation, in scripts and notebooks. Inputs are generated here; anything that could kill the
interpreter (libcst's parser overflows its native stack) runs in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from hplint import guards
from tests.conftest import lint

HEADER = "from sklearn.svm import SVC\nfrom sklearn.model_selection import train_test_split\n"
HARDCODED = "clf = SVC(C=0.37)\nclf.fit(X, y)\n"


def run_cli(tmp_path, name: str, text: str) -> tuple[subprocess.CompletedProcess, float]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "hplint", "--no-cache", "--output-format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, time.perf_counter() - start


def nested(opener: str, closer: str, depth: int, inner: str = "X") -> str:
    return opener * depth + inner + closer * depth


# -- beyond CPython's limits: one clear syntax error, no segfault ------------------------------


@pytest.mark.parametrize(
    "expression",
    [nested("(", ")", 3000), nested("[", "]", 3000), nested("f(", ")", 3000), nested("{1: ", "}", 3000)],
    ids=["parens", "brackets", "calls", "dicts"],
)
def test_brackets_beyond_cpython_limit_are_a_syntax_error_not_a_segfault(tmp_path, expression):
    result, elapsed = run_cli(tmp_path, "deep.py", HEADER + "x = " + expression + "\n" + HARDCODED)
    assert result.returncode == 1, result.stderr  # a finding, not -11 (SIGSEGV) or 2
    diagnostics = json.loads(result.stdout)
    assert [d["code"] for d in diagnostics] == ["HPL901"]
    assert "too many nested parentheses" in diagnostics[0]["message"]
    assert diagnostics[0]["location"]["row"] == 3
    assert elapsed < 30


def test_chain_python_itself_gives_up_on_is_too_deep_to_analyse(tmp_path):
    result, _ = run_cli(tmp_path, "deep.py", HEADER + "x = " + "not " * 20000 + "a\n")
    assert result.returncode == 1, result.stderr
    (diagnostic,) = json.loads(result.stdout)
    assert diagnostic["code"] == "HPL901"
    assert "nested too deeply to analyse (20000 levels); the file was not checked" in diagnostic["message"]


# -- valid but too deep for libcst: masked, the rest of the file is checked --------------------


@pytest.mark.parametrize(
    "expression",
    [
        " + ".join(["1"] * 10_000),
        "(" + " +\n    ".join(["1"] * 3000) + ")",
        "[0]*44+" + "+".join(f"[{i % 256}]" for i in range(2000)),
        "df" + ".copy()" * 1500,
        "a" + "[0]" * 2000,
    ],
    ids=["plus-10k", "plus-multiline", "list-concatenation", "method-chain", "index-chain"],
)
def test_long_chains_finish_fast_and_the_rest_is_checked(tmp_path, expression):
    result, elapsed = run_cli(tmp_path, "chain.py", HEADER + "x = " + expression + "\n" + HARDCODED)
    assert result.returncode in (0, 1), result.stderr
    codes = [d["code"] for d in json.loads(result.stdout)]
    if "HPL901" not in codes:  # CPython 3.12 gives up on 10,000-term chains: then the file is too deep
        assert "HPL101" in codes
    assert elapsed < 20


def test_masked_expression_keeps_every_other_position(tmp_path):
    chain = " + ".join(["1"] * 1000)
    text = HEADER + f"x = {chain}; clf = SVC(C=0.37)\nclf.fit(X, y)\n"
    (finding,) = [d for d in lint(text, select=("HPL101",))]
    assert finding.span.start.row == 3
    assert finding.span.start.column == text.split("\n")[2].index("0.37") + 1


def test_deep_assignment_target_is_too_deep_not_masked():
    verdict = guards.guard("self" + ".a" * 500 + " = 1\n")
    assert verdict.text is None and not verdict.syntax_error and verdict.depth > guards.MAX_EXPRESSION_DEPTH


# -- deep but within the limits: analysed, no RecursionError -----------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "X_train = X" + nested("[", "]", 150, "0") + "\n",
        "clf = SVC(C=" + nested("(", ")", 150, "0.37") + ")\n",
        "clf = SVC(C=" + "-" * 95 + "0.37)\n",
        "X = " + " + ".join(["X"] * 5000) + "\nX_train, X_test = train_test_split(X)\n",
        "ok = " + " and ".join(["a"] * 3000) + "\n",
        "ok = " + " < ".join(["a"] * 3000) + "\n",
        "kernel = " + " ".join(["'rbf'"] * 3000) + "\n",
        "clf = SVC(C=" + "0.37 if a else " * 95 + "0.5)\n",
        "f = " + "lambda: " * 95 + "SVC(C=0.37)\n",
        "".join(" " * i + "if x:\n" for i in range(90)) + " " * 90 + "clf = SVC(C=0.37).fit(X, y)\n",
    ],
    ids=[
        "subscripts-150", "parens-150", "unary-95", "plus-5000", "and-3000", "compare-3000",
        "strings-3000", "ternary-95", "lambda-95", "indent-90",
    ],
)
def test_deep_valid_code_is_analysed_without_recursion_error(code):
    limit = sys.getrecursionlimit()
    diagnostics = lint(HEADER + code)  # at the interpreter's default recursion limit
    assert sys.getrecursionlimit() == limit
    problems = [d for d in diagnostics if d.code in ("HPL901", "HPL903")]
    if problems and not cpython_builds_tree(HEADER + code):
        # CPython 3.12 gives up on chains of ~3,500 terms: then the file is refused, clearly.
        assert [d.message for d in problems] == [guards.too_deep_message(4999)]
    else:
        assert not problems, diagnostics


def cpython_builds_tree(text: str) -> bool:
    try:
        guards._compile(text, "probe")
    except (RecursionError, MemoryError):
        return False
    return True


def test_ninety_deep_indentation_is_checked_to_the_bottom():
    code = "".join(" " * i + "if x:\n" for i in range(90)) + " " * 90 + "clf = SVC(C=0.37)\n"
    assert [d.code for d in lint(HEADER + code, select=("HPL101",))] == ["HPL101"]


# -- notebooks ----------------------------------------------------------------------------------


def notebook(*cells: str) -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"language_info": {"name": "python"}},
            "cells": [
                {"cell_type": "code", "metadata": {}, "source": cell, "outputs": [], "execution_count": None}
                for cell in cells
            ],
        }
    )


def test_notebook_deep_cell_is_reported_and_other_cells_checked(tmp_path):
    deep = "x = " + nested("(", ")", 3000, "1") + "\n"
    result, _ = run_cli(tmp_path, "deep.ipynb", notebook(HEADER, deep, HARDCODED))
    assert result.returncode == 1, result.stderr
    found = {(d["code"], d["cell"]) for d in json.loads(result.stdout)}
    assert ("HPL901", 2) in found
    assert ("HPL101", 3) in found


def test_notebook_long_chain_cell_is_masked_and_other_cells_checked(tmp_path):
    chain = "x = " + " + ".join(["1"] * 5000) + "\n"
    result, elapsed = run_cli(tmp_path, "chain.ipynb", notebook(HEADER, chain, HARDCODED))
    assert result.returncode == 1, result.stderr
    found = {(d["code"], d["cell"]) for d in json.loads(result.stdout)}
    assert ("HPL101", 3) in found
    assert elapsed < 20


# -- the guard itself ---------------------------------------------------------------------------


def test_screen_passes_ordinary_code():
    code = (
        HEADER
        + "import numpy as np\n"
        + "X = np.array([[1.0, -2.0], [3.5, 4.25]] * 10)\n"
        + "result = (df.groupby('a')\n    .agg({'b': 'mean'})\n    .reset_index()\n)\n"
        + "total = a + b - c * d / e ** 2\n"
        + "# " + "-" * 76 + "\n"
    ) * 50
    assert not guards.screen(code)
    assert guards.guard(code).text == code


def test_mask_preserves_lines_and_columns():
    text = "y = 1\nx = f(" + " +\n    ".join(["a"] * 400) + ") + g(z)\nw = 2\n"
    verdict = guards.guard(text)
    assert verdict.masked
    before, after = text.split("\n"), verdict.text.split("\n")
    assert len(before) == len(after)
    assert [len(line) for line in before] == [len(line) for line in after]
    assert after[1].startswith("x = f((")
    assert after[-3].endswith(") + g(z)") and after[-2:] == before[-2:]
    compile(verdict.text, "masked", "exec")


def test_mask_counts_columns_in_code_points():
    text = "s = 'é€'; x = " + " + ".join(["1"] * 300) + "; y = 'ü'\n"
    verdict = guards.guard(text)
    assert verdict.masked
    assert verdict.text.startswith("s = 'é€'; x = (...") and verdict.text.endswith("; y = 'ü'\n")
    assert len(verdict.text) == len(text)


def test_deeply_nested_loops_finish():
    # The data flow interprets loop bodies twice; 60 nested loops once took 2**60 passes.
    code = "".join(" " * i + f"for x{i} in X:\n" for i in range(60)) + " " * 60 + "clf = SVC(C=0.37).fit(X, y)\n"
    start = time.perf_counter()
    assert [d.code for d in lint(HEADER + code, select=("HPL101",))] == ["HPL101"]
    assert time.perf_counter() - start < 5


def test_long_elif_chain_is_analysed_and_an_endless_one_refused():
    chain = "if a:\n    pass\n" + "elif a:\n    clf = SVC(C=0.37)\n" * 280
    assert not {d.code for d in lint(HEADER + chain)} & {"HPL901", "HPL903"}
    (diagnostic,) = lint(HEADER + "if a:\n    pass\n" + "elif a:\n    x = 1\n" * 5000)
    assert diagnostic.code == "HPL901" and "nested too deeply to analyse" in diagnostic.message
