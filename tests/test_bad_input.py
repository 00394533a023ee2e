"""The bad-input matrix: every kind of broken, odd or huge input gets a diagnostic (HPL901, with the
position an editor shows) or a one-line error and the exit status that says so, never a traceback,
and the run goes on with the other files.

Decisions this file pins down:
- HPL901 is what CPython's *parser* rejects (`ast.parse`), with CPython's message and position. Errors
  CPython raises only when it compiles (`return`/`yield`/`await` outside a function, `break` outside
  a loop, `nonlocal` at module level, a repeated argument, a late `from __future__`) are not HPL901:
  the file parses, hplint checks it, and other linters report those (ruff F701/F702/F704/F706...).
  Top-level `await` is valid in a notebook anyway.
- Source bytes are read as CPython reads them (PEP 263): UTF-8, a UTF-8 BOM dropped, or the encoding
  declared on line 1 (or line 2 after a comment line). Columns count code points of the decoded text.
- Line ends are `\\n`, `\\r\\n` and a lone `\\r`, nothing else (a form feed or U+2028 ends no line).
- A notebook whose language is not Python is skipped silently, like ruff. An empty (0-byte) notebook
  is an empty notebook. nbformat 3 is refused with a hint; any other notebook with a list of cells is
  read (nbformat 5, missing or not a number: the structure decides). A cell that is not an object or
  not a code cell is skipped; a code cell whose `source` is not text fails the whole notebook (Jupyter
  cannot open it either).
- A file named or found twice (also through a symbolic link) is checked and reported once, under the
  first name found.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from unittest import mock

import pytest

from tests.cli_support import invoke, write

SELECT_PROBE = ("--select", "HPL990")  # the probe rule: `lr = <number>` at module level


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "ok.py", "def f(:\n")  # a known finding, to prove the run went on
    return tmp_path


def run_json(*args: str):
    result = invoke(["--output-format", "json", "--no-cache", *args])
    assert "Traceback" not in result.stderr
    return result, json.loads(result.stdout)


def only(diagnostics: list[dict], filename: str) -> list[dict]:
    return [d for d in diagnostics if d["filename"] == filename]


def brief(item: dict) -> tuple:
    """(code, cell, row, column, message) of a JSON diagnostic."""
    return (item["code"], item["cell"], item["location"]["row"], item["location"]["column"], item["message"])


def found(data: bytes, *args: str, name: str = "case.py") -> tuple[int, list[tuple]]:
    """Exit status and diagnostics of one file written with exactly these bytes."""
    Path(name).write_bytes(data)
    result, items = run_json(*args, name)
    return result.exit_code, [brief(item) for item in items]


def probe_finding(row: int, column: int, cell: int | None = None) -> tuple:
    return ("HPL990", cell, row, column, "`lr` is set to a literal (limit 3)")


def not_checked(row: int, column: int, message: str, cell: int | None = None) -> tuple:
    where = "this cell" if cell is not None else "the file"
    return ("HPL901", cell, row, column, f"SyntaxError: {message}; {where} was not checked")


def notebook(*cells, **top) -> bytes:
    document = {
        "cells": list(cells),
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    document.update(top)
    return json.dumps(document).encode()


def code_cell(source) -> dict:
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": [], "execution_count": None}


# -- invalid syntax ------------------------------------------------------------------------------

SYNTAX_ERRORS = [
    # source, row, column, CPython's message (the same on 3.10 to 3.13)
    pytest.param("x = (1,\ny = 2\n", 1, 5, "'(' was never closed", id="unclosed-paren"),
    pytest.param("x = [1,\n", 1, 5, "'[' was never closed", id="unclosed-bracket-at-eof"),
    pytest.param("x = 1)\n", 1, 6, "unmatched ')'", id="unmatched-close"),
    pytest.param("x = 'abc\n", 1, 5, "unterminated string literal (detected at line 1)", id="unclosed-string"),
    pytest.param('x = """abc\n\n', 1, 5, "unterminated triple-quoted string literal (detected at line 2)", id="unclosed-triple-quote"),
    pytest.param("if x:\ny = 1\n", 2, 1, "expected an indented block after 'if' statement on line 1", id="missing-indent"),
    pytest.param("x = 1\n    y = 2\n", 2, 4, "unexpected indent", id="unexpected-indent"),
    pytest.param("if x:\n        a = 1\n    b = 2\n", 3, 10, "unindent does not match any outer indentation level", id="unindent-mismatch"),
    pytest.param("if x:\n        a = 1\n\tb = 2\n", 3, 1, "inconsistent use of tabs and spaces in indentation", id="tab-error"),
    pytest.param("def f(:\n", 1, 7, "invalid syntax", id="bad-def"),
    pytest.param("s = 'ééé' + )\n", 1, 13, "unmatched ')'", id="column-counts-code-points"),
    pytest.param('print "x"\n', 1, 1, "Missing parentheses in call to 'print'. Did you mean print(...)?", id="py2-print"),
    pytest.param('exec "x = 1"\n', 1, 1, "Missing parentheses in call to 'exec'. Did you mean exec(...)?", id="py2-exec"),
    pytest.param("x = `1`\n", 1, 5, "invalid syntax", id="py2-backticks"),
    pytest.param("if 1 <> 2:\n    pass\n", 1, 6, "invalid syntax", id="py2-not-equal"),
    pytest.param("x = 0777\n", 1, 5, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", id="py2-octal"),
    pytest.param("x = ur'abc'\n", 1, 7, "invalid syntax", id="py2-ur-prefix"),
    pytest.param("raise E, 'msg'\n", 1, 8, "invalid syntax", id="py2-raise-comma"),
    pytest.param(
        "x = '\\N{foo}'\n",
        1,
        14 if sys.version_info < (3, 12) else 5,
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-6: unknown Unicode character name",
        id="unknown-unicode-name",  # libcst accepts it
    ),
    pytest.param(
        "try:\n    pass\nexcept Exception, e:\n    pass\n",
        3,
        8,
        "multiple exception types must be parenthesized",
        id="py2-except-comma",
        marks=pytest.mark.skipif(sys.version_info >= (3, 14), reason="PEP 758: valid from 3.14"),
    ),
]


@pytest.mark.parametrize(("source", "row", "column", "message"), SYNTAX_ERRORS)
@pytest.mark.parametrize("analysed", [False, True], ids=["syntax-check-only", "parsed-by-libcst"])
def test_syntax_errors_have_cpythons_message_and_position(project, probe, source, row, column, message, analysed):
    # Without an enabled rule that applies, only CPython's parser looks at the file; with one (the
    # probe), libcst parses it: both must report the same error.
    selection = SELECT_PROBE if analysed else ("--select", "HPL101")
    status, items = found(source.encode(), *selection)
    assert (status, items) == (1, [not_checked(row, column, message)])


def test_newer_syntax_libcst_reads_stays_analysed_where_python_2_is_looked_for(project, probe):
    # `except (A, B):` makes hplint ask CPython whether libcst was lenient; CPython < 3.12 then
    # rejects the PEP 695 alias, a line libcst is not lenient with: the file is still analysed.
    source = "type Alias = int\ntry:\n    pass\nexcept (A, B):\n    pass\nlr = 0.1\n"
    assert found(source.encode(), *SELECT_PROBE) == (1, [probe_finding(6, 6)])


@pytest.mark.parametrize(
    "statement",
    [
        "return 1",
        "break",
        "continue",
        "yield 1",
        "await f()",
        "nonlocal x",
        "def f(a, a):\n    pass",
        "g(a=1, a=2)",
        "class A:\n    return 1",
        "x = 1\nfrom __future__ import annotations",
    ],
)
def test_compile_time_errors_are_not_hpl901_and_the_file_is_checked(project, probe, statement):
    status, items = found(f"{statement}\nlr = 0.1\n".encode(), *SELECT_PROBE)
    rows = statement.count("\n") + 2
    assert (status, items) == (1, [probe_finding(rows, 6)])


# -- encodings --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b"x = 1\nname = '\xe9t\xe9'\n",
            ("HPL901", None, 2, 9, "source is not valid utf-8: byte 0xe9 at line 2, column 9"),
            id="latin-1-bytes-without-declaration",
        ),
        pytest.param(
            "a = 'é'\n".encode() + "b = 'é'\n".encode("latin-1"),
            ("HPL901", None, 2, 6, "source is not valid utf-8: byte 0xe9 at line 2, column 6"),
            id="mixed-utf-8-and-latin-1",
        ),
        pytest.param(
            "s = 'ééé'; t = '".encode() + b"\xff'\n",
            ("HPL901", None, 1, 17, "source is not valid utf-8: byte 0xff at line 1, column 17"),
            id="column-in-code-points",
        ),
        pytest.param(
            "# coding: utf-8\nname = 'é'\n".encode("latin-1"),
            ("HPL901", None, 2, 9, "source is not valid utf-8 (declared on line 1): byte 0xe9 at line 2, column 9"),
            id="wrong-declaration",
        ),
        pytest.param(
            b"# coding: cp1252\nx = '\x81'\n",
            ("HPL901", None, 2, 6, "source is not valid cp1252 (declared on line 1): byte 0x81 at line 2, column 6"),
            id="byte-undefined-in-declared-encoding",
        ),
        pytest.param(
            b"# -*- coding: klingon -*-\nx = 1\n",
            ("HPL901", None, 1, 1, "unknown encoding 'klingon' in the coding declaration"),
            id="unknown-codec",
        ),
        pytest.param(
            b"#!/usr/bin/env python\n# coding: utf-16\nx = 1\n",
            (
                "HPL901", None, 2, 1,
                "encoding 'utf-16' in the coding declaration is not ASCII-compatible; Python source cannot use it",
            ),
            id="declaration-not-ascii-compatible",
        ),
        pytest.param(
            b"x = 1\n# coding: latin-1\ny = '\xe9'\n",
            ("HPL901", None, 3, 6, "source is not valid utf-8: byte 0xe9 at line 3, column 6"),
            id="declaration-after-code-is-not-one",
        ),
        pytest.param(
            b"#!/usr/bin/env python\n\n# coding: latin-1\ny = '\xe9'\n",
            ("HPL901", None, 4, 6, "source is not valid utf-8: byte 0xe9 at line 4, column 6"),
            id="declaration-on-line-3-is-not-one",
        ),
        pytest.param(
            b"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
            (
                "HPL901", None, 1, 1,
                "the coding declaration says 'latin-1' but the file starts with a UTF-8 byte order mark",
            ),
            id="bom-and-conflicting-declaration",
        ),
        pytest.param(
            "x = 1\n".encode("utf-16"),
            (
                "HPL901", None, 1, 1,
                "source is UTF-16 (it starts with a UTF-16 byte order mark); Python source must be UTF-8 "
                "or declare an ASCII-compatible encoding",
            ),
            id="utf-16-with-bom",
        ),
        pytest.param(
            b"x = 1\ny = '\x00'\n",
            ("HPL901", None, 2, 6, "source contains a NUL byte"),
            id="nul-byte",
        ),
        pytest.param(
            b"x = 1\r\ny = 2\rz = '\x00'\n",
            ("HPL901", None, 3, 6, "source contains a NUL byte"),
            id="nul-byte-after-crlf-and-cr",
        ),
    ],
)
def test_undecodable_sources(project, data, expected):
    # The same diagnostic whichever path the file takes (syntax check only, or analysis).
    Path("ml.py").write_bytes(b"import torch\n")  # makes sure the engine is loaded either way
    status, items = found(data)
    assert (status, items) == (1, [expected])


@pytest.mark.parametrize(
    ("data", "row", "column"),
    [
        pytest.param("# -*- coding: latin-1 -*-\nname = 'été'; lr = 0.1\n".encode("latin-1"), 2, 20, id="latin-1"),
        pytest.param("# coding=cp1252\nname = '€é'; lr = 0.1\n".encode("cp1252"), 2, 19, id="cp1252"),
        pytest.param(
            "#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\nname = 'é'; lr = 0.1\n".encode("latin-1"),
            3, 18, id="vim-declaration-on-line-2",
        ),
        pytest.param("\ufefflr = 0.1\n".encode(), 1, 6, id="bom-is-not-a-column"),
        pytest.param("\ufeff# coding: utf-8\nlr = 0.1\n".encode(), 2, 6, id="bom-and-utf-8-declaration"),
        pytest.param("name = 'été'; lr = 0.1\n".encode(), 1, 20, id="utf-8-columns-in-code-points"),
        pytest.param("name = '😀'; lr = 0.1\n".encode(), 1, 18, id="astral-character-is-one-column"),
    ],
)
def test_declared_encodings_are_decoded_and_checked(project, probe, data, row, column):
    status, items = found(data, *SELECT_PROBE)
    assert (status, items) == (1, [probe_finding(row, column)])


# -- line ends, tabs, form feeds ----------------------------------------------------------------------

LINE_END_PROGRAM = "import os\n\nx = 1\nlr = 0.1\nif x:\n    lr = 0.2\nlr = 0.3  # noqa: HPL990\n"


@pytest.mark.parametrize(
    "line_end", [pytest.param("\n", id="lf"), pytest.param("\r\n", id="crlf"), pytest.param("\r", id="lone-cr")]
)
def test_line_ends_give_the_same_findings_and_positions(project, probe, line_end):
    status, items = found(LINE_END_PROGRAM.replace("\n", line_end).encode(), *SELECT_PROBE)
    assert (status, items) == (1, [probe_finding(4, 6)])
    status, items = found(f"x = 1{line_end}def f(:{line_end}".encode(), *SELECT_PROBE)
    assert (status, items) == (1, [not_checked(2, 7, "invalid syntax")])


def test_mixed_line_ends_count_as_editors_count_them(project, probe):
    status, items = found(b"x = 1\r\n\r\rlr = 0.1\nlr = 2  # noqa\r\n", *SELECT_PROBE)
    assert (status, items) == (1, [probe_finding(4, 6)])


def test_form_feeds_and_unicode_line_separators_end_no_line(project, probe):
    # str.splitlines() splits at \x0c, \x1c, \x85, U+2028...: Python and editors do not.
    data = "\x0cx = '\u2028'  # \x85 \x1c\n\x0c\nlr = 0.1\nlr = 0.2  # noqa: HPL990\n".encode()
    status, items = found(data, *SELECT_PROBE)
    assert (status, items) == (1, [probe_finding(3, 6)])
    status, items = found(b"x = 1\n\x0c\ndef f(:\n", *SELECT_PROBE)
    assert (status, items) == (1, [not_checked(3, 7, "invalid syntax")])


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("separators.py", "x = '\u2028'  # \x0c\nlr = (\n".encode()),
        ("lone_cr.py", b"x = 1\rlr = (\r"),
        ("cell.ipynb", notebook(code_cell("x = '\u2028\x0c'\r\nlr = (\n"))),
    ],
)
def test_full_output_shows_the_line_the_position_names(project, name, data):
    Path(name).write_bytes(data)
    result = invoke(["--output-format", "full", "--no-cache", name])
    assert result.stdout.splitlines()[2] == "2 | lr = ("


def test_a_tab_is_one_column(project, probe):
    status, items = found(b"if 1:\n\tlr = 0.1\nlr = \t0.2\n", *SELECT_PROBE)
    assert (status, items) == (1, [probe_finding(3, 7)])
    status, items = found(b"if 1:\n\tx = (\t]\n", *SELECT_PROBE)
    assert items[0][:4] == ("HPL901", None, 2, 8)


# -- empty and huge files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.py", b""),
        ("blank.py", b"\n\n   \n"),
        ("bom_only.py", b"\xef\xbb\xbf"),
        ("comments.py", b"# nothing here\n"),
        ("empty.ipynb", b""),
        ("blank.ipynb", b"\n  \n"),
        ("no_cells.ipynb", notebook()),
        ("markdown_only.ipynb", notebook({"cell_type": "markdown", "source": "lr = 0.1"}, {"cell_type": "raw", "source": "lr = 0.1"})),
        ("empty_cell.ipynb", notebook(code_cell(""), code_cell([]))),
    ],
)
def test_empty_files_and_notebooks_are_clean(project, probe, name, data):
    assert found(data, *SELECT_PROBE, name=name) == (0, [])


def test_ten_megabyte_file_is_quick(project):
    # Generated code that imports no ML library: hplint's byte-level pre-check skips the analysis
    # and only CPython's parser looks for syntax errors. (Long lines keep CPython's parser quick:
    # token-dense code costs it seconds per megabyte.) Timed in CPU seconds of this process (the
    # run is serial and in-process), so that a loaded machine does not fail the test.
    block = "".join(f"TABLE_{i} = ({'x' * 900!r}, {i})  # {'generated ' * 10}\n" for i in range(500))
    text = block * (10_000_000 // len(block) + 1) + "def f(:\n"
    Path("huge.py").write_text(text)
    assert Path("huge.py").stat().st_size >= 10_000_000
    start = time.process_time()
    result, items = run_json("huge.py")
    elapsed = time.process_time() - start
    rows = text.count("\n")
    assert (result.exit_code, [brief(item) for item in items]) == (1, [not_checked(rows, 7, "invalid syntax")])
    assert elapsed < 10, f"10 MB took {elapsed:.1f} CPU seconds"


def test_ten_megabyte_notebook_of_outputs_is_quick(project, probe):
    # Notebooks are large because of their outputs (images, tables), which are never parsed.
    image = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo" * 100_000}, "metadata": {}}
    cells = [{**code_cell(f"x{i} = {i}\n"), "outputs": [image]} for i in range(10)] + [code_cell("lr = 0.1\n")]
    data = notebook(*cells)
    assert len(data) >= 10_000_000
    start = time.process_time()
    assert found(data, *SELECT_PROBE, name="big.ipynb") == (1, [probe_finding(1, 6, cell=11)])
    elapsed = time.process_time() - start
    assert elapsed < 5, f"a 10 MB notebook took {elapsed:.1f} CPU seconds"


def test_deep_nesting(project):
    (project / "deep.py").write_text("x = " + "(" * 500 + "1" + ")" * 500 + "\n")
    (project / "deep_list.py").write_text("y = " + "[" * 500 + "]" * 500 + "\n")
    result, items = run_json("deep.py", "deep_list.py", "ok.py")
    assert result.exit_code == 1
    assert only(items, "ok.py")
    for name in ("deep.py", "deep_list.py"):
        assert all(item["code"] == "HPL901" for item in only(items, name))


# -- notebooks --------------------------------------------------------------------------------------


def test_cell_source_as_string_or_list_gives_the_same_findings(project, probe):
    text = "import os\nlr = 0.1\n"
    as_string = found(notebook(code_cell(text)), *SELECT_PROBE, name="string.ipynb")
    as_list = found(notebook(code_cell(text.splitlines(keepends=True))), *SELECT_PROBE, name="list.ipynb")
    assert as_string == as_list == (1, [probe_finding(2, 6, cell=1)])


def test_list_source_is_joined_as_jupyter_joins_it(project, probe):
    # nbformat's lines keep their "\n": without them, Jupyter shows (and runs) one line.
    status, items = found(notebook(code_cell(["import os", "lr = 0.1"])), *SELECT_PROBE, name="n.ipynb")
    assert (status, items) == (1, [not_checked(1, 13, "invalid syntax", cell=1)])


def test_cells_without_source_not_code_or_not_objects_keep_the_numbering(project, probe):
    data = notebook(
        {"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]},
        "lr = 0.1",
        7,
        None,
        {"cell_type": 3, "source": "lr = 0.1"},
        {"source": "lr = 0.1"},
        code_cell("x = 1\nlr = 0.1\n"),
    )
    assert found(data, *SELECT_PROBE, name="n.ipynb") == (1, [probe_finding(2, 6, cell=7)])


@pytest.mark.parametrize(
    ("source", "kind"),
    [(None, "null"), (7, "number"), ({"a": 1}, "object"), (["x = 1\n", 5], "array")],
)
def test_cell_source_that_is_not_text_fails_the_notebook(project, probe, source, kind):
    data = notebook(code_cell("lr = 0.1\n"), code_cell(source))
    message = f"cell 2 has a `source` that is not text ({kind}); the notebook was not checked"
    assert found(data, *SELECT_PROBE, name="n.ipynb") == (1, [("HPL901", 2, 1, 1, message)])


@pytest.mark.parametrize(
    ("source", "row", "column", "what"),
    [
        ("x = 1\ny = '\x00'\n", 2, 6, "a NUL character"),
        ("y = '\ud800'\n", 1, 6, "an unpaired surrogate (U+D800)"),
    ],
)
def test_cell_text_no_python_file_could_hold(project, probe, source, row, column, what):
    data = notebook(code_cell(source))  # json.dumps escapes both as \u0000 / \ud800
    message = f"cell 1 contains {what}; the notebook was not checked"
    assert found(data, *SELECT_PROBE, name="n.ipynb") == (1, [("HPL901", 1, row, column, message)])


def test_cell_line_ends_and_separators(project, probe):
    cells = [
        code_cell("x = 1\r\nlr = 0.1\r\n"),
        code_cell("x = 1\rlr = 0.2"),
        code_cell("s = '\u2028\x0c\x85'\nlr = 0.3\n"),
    ]
    expected = [probe_finding(2, 6, cell=1), probe_finding(2, 6, cell=2), probe_finding(2, 6, cell=3)]
    assert found(notebook(*cells), *SELECT_PROBE, name="n.ipynb") == (1, expected)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b'{"cells": [', (1, 12, "notebook is not valid JSON: Expecting value"), id="truncated-json"),
        pytest.param(b"\xff{}", (1, 1, "notebook is not valid UTF-8: byte 0xff at line 1, column 1"), id="not-utf-8"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, (1, 1, "notebook is not readable: its JSON is nested too deeply"), id="deep-json"),
        pytest.param(b"[]", (1, 1, "notebook is a JSON array, not an object (not an .ipynb document?)"), id="array"),
        pytest.param(b'"text"', (1, 1, "notebook is a JSON string, not an object (not an .ipynb document?)"), id="string"),
        pytest.param(b"{}", (1, 1, "notebook has no list of cells (not an .ipynb document?)"), id="object-without-cells"),
        pytest.param(notebook(cells={"a": 1}), (1, 1, "notebook has no list of cells (not an .ipynb document?)"), id="cells-object"),
        pytest.param(notebook(cells=None), (1, 1, "notebook has no list of cells (not an .ipynb document?)"), id="cells-null"),
        pytest.param(
            json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [{"cell_type": "code", "input": "lr = 1"}]}]}).encode(),
            (
                1, 1,
                "nbformat 3 notebooks are not supported: open and save it in Jupyter, or run "
                "`jupyter nbconvert --to notebook --inplace`, to upgrade it to nbformat 4",
            ),
            id="nbformat-3",
        ),
    ],
)
def test_broken_notebooks(project, probe, data, expected):
    status, items = found(data, *SELECT_PROBE, name="n.ipynb")
    assert (status, items) == (1, [("HPL901", None, *expected)])


@pytest.mark.parametrize(
    "top",
    [
        pytest.param({"nbformat": 5}, id="nbformat-5"),
        pytest.param({"nbformat": "4"}, id="nbformat-string"),
        pytest.param({"nbformat": None, "nbformat_minor": None}, id="nbformat-null"),
        pytest.param({"metadata": []}, id="metadata-not-an-object"),
        pytest.param({"metadata": {"language_info": {"name": 3}}}, id="language-not-a-string"),
        pytest.param(
            {"metadata": {"kernelspec": {"name": "conda-env-ml-py", "language": "python"}}},
            id="kernel-named-anything-in-python",
        ),
    ],
)
def test_notebooks_read_by_their_structure(project, probe, top):
    data = json.loads(notebook(code_cell("lr = 0.1\n")))
    data.update(top)
    if top.get("nbformat", 4) is None:
        del data["nbformat"], data["nbformat_minor"]
    status, items = found(json.dumps(data).encode(), *SELECT_PROBE, name="n.ipynb")
    assert (status, items) == (1, [probe_finding(1, 6, cell=1)])


@pytest.mark.parametrize(
    "metadata",
    [
        pytest.param({"kernelspec": {"name": "ir", "language": "R"}, "language_info": {"name": "R"}}, id="R"),
        pytest.param({"kernelspec": {"name": "julia-1.10", "language": "julia"}}, id="julia-kernel-only"),
        pytest.param({"language_info": {"name": "scala"}, "kernelspec": {"language": "python"}}, id="language-info-wins"),
    ],
)
def test_non_python_notebooks_are_skipped_silently_like_ruff(project, probe, metadata):
    Path("n.ipynb").write_bytes(notebook(code_cell("library(x)\nlr <- 0.1\nlr = 0.1\n"), metadata=metadata))
    result = invoke(["--output-format", "json", "--no-cache", *SELECT_PROBE, "n.ipynb"])
    assert (result.exit_code, json.loads(result.stdout), result.stderr) == (0, [], "")


@pytest.mark.parametrize(
    ("broken", "row", "column", "message"),
    [
        ("def f(:\n", 1, 7, "invalid syntax"),
        pytest.param(
            "try:\n    f()\nexcept E, e:\n    pass\n",  # libcst accepts it; CPython does not
            3,
            8,
            "multiple exception types must be parenthesized",
            marks=pytest.mark.skipif(sys.version_info >= (3, 14), reason="PEP 758: valid from 3.14"),
        ),
    ],
)
def test_broken_cell_does_not_stop_the_others(project, probe, broken, row, column, message):
    data = notebook(code_cell(broken), code_cell("%matplotlib inline\nlr = 0.1\n"))
    expected = [not_checked(row, column, message, cell=1), probe_finding(2, 6, cell=2)]
    assert found(data, *SELECT_PROBE, name="n.ipynb") == (1, expected)


# -- files that vanish, links, duplicates, many files -------------------------------------------------


def _delete(path: Path) -> None:
    path.unlink()


def _replace_by_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_delete, "cannot read file: No such file or directory"),
        (_replace_by_directory, "is a directory, not a file"),
    ],
    ids=["deleted", "replaced-by-a-directory"],
)
@pytest.mark.parametrize("args", [["--no-cache"], [], ["--no-cache", "--jobs", "2"]], ids=["no-cache", "cache", "two-jobs"])
def test_file_changed_between_discovery_and_reading(project, args, change, message):
    import hplint.discovery

    (project / "gone.py").write_text("x = 1\n")
    (project / "other.py").write_text("y = (\n")
    discover = hplint.discovery.discover

    def discover_then_change(*arguments, **options):
        found_files = discover(*arguments, **options)
        change(project / "gone.py")
        return found_files

    with mock.patch.object(hplint.discovery, "discover", discover_then_change):
        result = invoke(["--output-format", "json", *args, "."])
    items = [(item["filename"], *brief(item)) for item in json.loads(result.stdout)]
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert items == [
        ("gone.py", "HPL901", None, 1, 1, message),
        ("ok.py", *not_checked(1, 7, "invalid syntax")),
        ("other.py", *not_checked(1, 5, "'(' was never closed")),
    ]


def test_directory_deleted_during_the_walk(project):
    write(project / "pkg" / "a.py", "x = 1\n")
    scandir = os.scandir

    def vanishing(path):
        if str(path).endswith("pkg"):
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return scandir(path)

    with mock.patch("hplint.discovery.os.scandir", vanishing):
        result, items = run_json(".")
    assert result.exit_code == 1
    assert [(item["filename"], *brief(item)) for item in items] == [
        ("ok.py", *not_checked(1, 7, "invalid syntax")),
        ("pkg", "HPL901", None, 1, 1, "cannot read directory: No such file or directory"),
    ]


def test_unreadable_file(project):
    target = project / "secret.py"
    target.write_text("x = 1\n")
    real_read_bytes = Path.read_bytes
    real_open = open

    def refuse_read_bytes(self):
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    def refuse_open(file, *args, **kwargs):
        if str(file).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    # root reads everything whatever chmod says, so the refusal is simulated (serial run: in-process)
    with mock.patch.object(Path, "read_bytes", refuse_read_bytes), mock.patch("builtins.open", refuse_open):
        result = invoke(["--output-format", "json", "secret.py", "ok.py"])
    items = json.loads(result.stdout)
    assert [brief(item) for item in only(items, "secret.py")] == [("HPL901", None, 1, 1, "permission denied")]
    assert only(items, "ok.py") and result.exit_code == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_really_chmod(project):
    target = project / "secret.py"
    target.write_text("x = 1\n")
    target.chmod(0)
    try:
        result, items = run_json("secret.py", "ok.py")
    finally:
        target.chmod(0o644)
    assert "permission denied" in only(items, "secret.py")[0]["message"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="file names are bytes on Linux only")
@pytest.mark.parametrize("output_format", ["json", "sarif", "concise", "full", "github", "junit", "gitlab"])
def test_file_name_that_is_not_utf8(project, output_format):
    # Shown with U+FFFD, like ruff: a lone surrogate (PEP 383) cannot be written in any format.
    (project / os.fsdecode(b"caf\xe9.py")).write_text("lr = (\n")
    result = invoke(["--output-format", output_format, "--no-cache", "."])
    assert (result.exit_code, result.stderr) == (1, "")
    if output_format == "json":
        assert [item["filename"] for item in json.loads(result.stdout)] == ["caf\ufffd.py", "ok.py"]
    result = invoke(["--no-cache", os.fsdecode(b"gone\xe9.py")])
    assert (result.exit_code, result.stderr) == (2, "hplint: gone\ufffd.py: No such file or directory\n")


def test_directory_named_like_a_python_file(project):
    write(project / "weird.py" / "inside.py", "def g(:\n")
    result, items = run_json("weird.py", "ok.py")
    assert sorted(item["filename"] for item in items) == ["ok.py", "weird.py/inside.py"]


def test_nonexistent_path(project):
    result = invoke(["--output-format", "concise", "--no-cache", "no/such/path.py", "ok.py"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "hplint: no/such/path.py: No such file or directory"
    assert "ok.py:1:7: HPL901" in result.stdout


symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="needs symbolic links")


@symlinks
def test_symbolic_link_loops_and_dangling_links(project):
    write(project / "pkg" / "a.py", "lr = (\n")
    os.symlink("..", project / "pkg" / "up")  # a directory loop
    os.symlink("nowhere.py", project / "pkg" / "dangling.py")
    os.symlink("loop2.py", project / "pkg" / "loop1.py")  # links pointing at each other
    os.symlink("loop1.py", project / "pkg" / "loop2.py")
    result = invoke(["--output-format", "concise", "--no-cache", "."])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "ok.py:1:7: HPL901 SyntaxError: invalid syntax; the file was not checked",
        "pkg/a.py:1:6: HPL901 SyntaxError: '(' was never closed; the file was not checked",
    ]
    assert result.stderr.splitlines() == [
        "hplint: warning: pkg/dangling.py: broken symbolic link, not checked",
        "hplint: warning: pkg/loop1.py: Too many levels of symbolic links, not checked",
        "hplint: warning: pkg/loop2.py: Too many levels of symbolic links, not checked",
        "hplint: warning: pkg/up: symbolic link loop, not followed",
    ]
    # Named on the command line, they are errors (exit status 2) and the other paths still run.
    result = invoke(["--output-format", "concise", "--no-cache", "pkg/dangling.py", "pkg/loop1.py", "ok.py"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "hplint: pkg/dangling.py: broken symbolic link",
        "hplint: pkg/loop1.py: Too many levels of symbolic links",
    ]
    assert result.stdout.startswith("ok.py:1:7: HPL901")


@symlinks
def test_each_file_is_checked_once_however_it_is_named(project):
    write(project / "pkg" / "a.py", "lr = (\n")
    os.symlink("pkg", project / "alias")  # the same directory under another name
    os.symlink("pkg/a.py", project / "link.py")  # the same file under another name
    result, items = run_json("pkg/a.py", "pkg/a.py", "./pkg/a.py", "pkg/../pkg/a.py", "pkg", ".", "alias", "link.py")
    assert result.exit_code == 1
    assert sorted(item["filename"] for item in items) == ["ok.py", "pkg/a.py"]


def test_a_path_given_twice_and_through_its_directory_is_reported_once(project):
    write(project / "pkg" / "a.py", "lr = (\n")
    result, items = run_json("pkg/a.py", "pkg", "pkg/a.py", "ok.py", "ok.py")
    assert [item["filename"] for item in items] == ["ok.py", "pkg/a.py"]


def test_directory_tree_deeper_than_the_recursion_limit(project):
    depth = 1100  # 2,200 characters of path: within PATH_MAX, beyond Python's default recursion limit
    folder = project
    for _ in range(depth):  # not mkdir(parents=True): it recurses itself
        folder = folder / "d"
        folder.mkdir()
    (folder / "a.py").write_text("lr = (\n")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # the default, whatever earlier tests set (discovery runs under it)
    try:
        result, items = run_json(".")
    finally:
        sys.setrecursionlimit(limit)
        # shutil.rmtree recurses per level: pytest's clean-up of old temporary directories would
        # die of a RecursionError in a later session. Remove the tree bottom-up here.
        (folder / "a.py").unlink()
        for _ in range(depth):
            folder.rmdir()
            folder = folder.parent
    assert result.exit_code == 1
    assert [item["filename"].count("/") for item in items] == [depth, 0]


def test_ten_thousand_files(project):
    for directory in range(100):
        folder = project / f"d{directory:02}"
        folder.mkdir()
        for number in range(100):
            (folder / f"m{number:02}.py").write_text(f"value = {directory * 100 + number}\n")
    (project / "d42" / "m42.py").write_text("value = (\n")
    start = time.process_time()  # CPU time: the run is serial and in-process
    result = invoke(["--output-format", "concise", "--no-cache", "--statistics", "."])
    elapsed = time.process_time() - start
    assert result.exit_code == 1
    assert result.stdout.split() == ["2", "HPL901", "syntax-error", "Found", "2", "errors."]
    assert elapsed < 10, f"10,000 files took {elapsed:.1f} CPU seconds"


# -- configuration and the rest of the tree -----------------------------------------------------------


def test_bad_pyproject_is_one_line_and_exit_2(project):
    write(project / "pyproject.toml", "[tool.hplint\nselect = 1\n")
    result = invoke(["--no-cache", "ok.py"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("hplint: pyproject.toml:1:")
    assert "Traceback" not in result.stderr


def test_fixtures_directory_runs_cleanly():
    root = Path(__file__).resolve().parent.parent
    result = invoke(["--output-format", "json", "--select", "ALL", "--no-cache", str(root / "fixtures")])
    assert result.exit_code in (0, 1), result.stderr
    assert isinstance(json.loads(result.stdout), list)
