"""The per-file pipeline: parsing, positions, notebook cells, suppressions and syntax errors."""

from __future__ import annotations

import json

import pytest

from hplint import engine, parsing
from hplint.engine import check_source
from hplint.rules.base import Rule
from hplint.settings import Selection, Settings
from hplint.source import from_bytes

SETTINGS = Settings(selection=Selection(select=("ALL",)))


class FlagCalls(Rule):
    """Reports every call to a function named `flag` (a stand-in rule, not registered)."""

    code = "HPL999"
    name = "flag-calls"
    summary = "test rule"
    doc = ""
    needs_ml = False

    def check(self, ctx) -> None:
        for call in ctx.semantic.calls:
            if call.written == "flag":
                ctx.report(self, call.node, f"flag at {ctx.where(call.node)}")


@pytest.fixture(autouse=True)
def only_flag_rule(monkeypatch):
    monkeypatch.setattr(engine, "_rules_for", lambda settings: (FlagCalls(),))
    monkeypatch.setattr(engine, "_enabled_codes", lambda settings: frozenset({"HPL999", "HPL902"}))


def check(text: str, path: str = "train.py"):
    source = from_bytes(text.encode(), path, is_notebook=path.endswith(".ipynb"))
    return check_source(source, SETTINGS, path)


def test_positions_are_one_based_with_exclusive_end() -> None:
    [diagnostic] = check("x = 1\nif x:\n    y = flag(1, 2)\n")
    assert (diagnostic.span.start.row, diagnostic.span.start.column) == (3, 9)
    assert (diagnostic.span.end.row, diagnostic.span.end.column) == (3, 19)
    assert diagnostic.message == "flag at line 3"


def test_columns_count_code_points() -> None:
    [diagnostic] = check("s = 'ééé'; flag()\n")
    assert diagnostic.span.start.column == 12


def test_noqa_on_the_line_and_on_the_first_line_of_the_statement() -> None:
    assert check("flag()  # noqa: HPL999\n") == []
    assert check("flag()  # noqa\n") == []
    assert check("x = [  # noqa: HPL999\n    flag(),\n]\n") == []
    assert [d.code for d in check("flag()  # noqa: HPL101\n")] == ["HPL999", "HPL902"]


def test_file_level_noqa() -> None:
    assert check("# hplint: noqa: HPL9\nflag()\n") == []
    assert len(check("# hplint: noqa: HPL1\nflag()\n")) == 1


def test_unused_noqa_reports_our_codes_only() -> None:
    [diagnostic] = check("x = 1  # noqa: HPL999, E501\n")
    assert diagnostic.code == "HPL902"
    assert "HPL999" in diagnostic.message and "E501" not in diagnostic.message
    assert check("x = 1  # noqa: E501\n") == []
    assert check("x = 1  # noqa\n") == []


def notebook(*sources: str) -> str:
    cells = [{"cell_type": "markdown", "source": "# Title", "metadata": {}}]
    cells += [{"cell_type": "code", "source": s, "metadata": {}, "outputs": []} for s in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_notebook_findings_carry_cell_and_row_in_cell() -> None:
    [diagnostic] = check(notebook("%matplotlib inline\nx = 1", "y = 2\nflag()"), path="n.ipynb")
    assert diagnostic.cell == 3
    assert (diagnostic.span.start.row, diagnostic.span.start.column) == (2, 1)
    assert diagnostic.message == "flag at cell 3, line 2"


def test_notebook_noqa_in_a_cell() -> None:
    assert check(notebook("x = 1", "flag()  # noqa: HPL999"), path="n.ipynb") == []


def test_a_broken_cell_is_reported_and_the_others_checked() -> None:
    diagnostics = check(notebook("def f(:\n    pass", "flag()"), path="n.ipynb")
    assert [(d.code, d.cell, d.span.start.row) for d in diagnostics] == [("HPL901", 2, 1), ("HPL999", 3, 1)]


def test_syntax_error_position_comes_from_cpython() -> None:
    [diagnostic] = check("import os\ndef f(:\n    pass\n")
    assert diagnostic.code == "HPL901"
    assert (diagnostic.span.start.row, diagnostic.span.start.column) == (2, 7)
    assert "SyntaxError" in diagnostic.message


def test_empty_and_whitespace_files_are_clean() -> None:
    assert check("") == []
    assert check("\n\n   \n") == []


def test_deep_nesting_is_a_diagnostic_not_a_crash() -> None:
    text = "x = " + "(" * 500 + "1" + ")" * 500 + "\nflag()\n"
    diagnostics = check(text)
    assert diagnostics and all(d.code in ("HPL901", "HPL999") for d in diagnostics)




def test_valid_python_libcst_cannot_read_is_not_called_a_syntax_error() -> None:
    (diagnostic,) = check("flag()\n(x): int = 1\n")
    assert diagnostic.code == "HPL901"
    assert diagnostic.message == (
        "Python accepts this code but hplint's parser (libcst) cannot read it; the file was not checked"
    )
    assert diagnostic.span.start.row == 2


def test_a_file_too_large_to_analyse_is_checked_for_syntax_only(monkeypatch) -> None:
    monkeypatch.setattr(parsing, "MAX_ANALYSED_CHARS", 20)
    (too_large,) = check("flag()\nflag()\nflag()\nflag()\n")
    assert (too_large.code, too_large.message) == (
        "HPL901",
        "file is too large to analyse (0.0 MB of code; the limit is 0 MB); only its syntax was checked",
    )
    codes = [d.code for d in check("flag()\nflag()\nflag()\ndef f(:\n")]
    assert codes == ["HPL901", "HPL901"]
