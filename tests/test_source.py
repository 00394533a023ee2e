"""Reading scripts and notebooks: decoding, magics, cell mapping, suppression comments."""

from __future__ import annotations

import json

import pytest

from hplint.source import SourceError, from_bytes


def notebook(*cells: tuple[str, str], language: str = "python") -> bytes:
    return json.dumps(
        {
            "cells": [{"cell_type": kind, "source": text, "metadata": {}} for kind, text in cells],
            "metadata": {"language_info": {"name": language}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    ).encode()


def test_bom_is_dropped_and_utf8_decoded() -> None:
    source = from_bytes("x = 'é'\n".encode("utf-8-sig"), "a.py", is_notebook=False)
    assert source.text == "x = 'é'\n"


def test_coding_cookie_is_honoured() -> None:
    data = "# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1")
    assert "é" in from_bytes(data, "a.py", is_notebook=False).text


def test_invalid_utf8_names_the_line() -> None:
    with pytest.raises(SourceError, match="not valid utf-8.*line 2"):
        from_bytes(b"x = 1\ny = '\xff'\n", "a.py", is_notebook=False)


def test_nul_byte_is_rejected_with_its_line() -> None:
    with pytest.raises(SourceError, match="NUL") as error:
        from_bytes(b"x = 1\n\x00\n", "a.py", is_notebook=False)
    assert error.value.row == 2


def test_notebook_cells_become_one_program_with_cell_rows() -> None:
    data = notebook(("markdown", "# title"), ("code", "import torch\nx = 1"), ("code", ["y = 2\n", "z = 3"]))
    source = from_bytes(data, "n.ipynb", is_notebook=True)
    assert source.text == "import torch\nx = 1\ny = 2\nz = 3\n"
    assert source.to_cell(1) == (2, 1)
    assert source.to_cell(2) == (2, 2)
    assert source.to_cell(4) == (3, 2)


def test_magics_are_masked_without_moving_lines() -> None:
    data = notebook(("code", "%matplotlib inline\n!pip install x\nfiles = !ls\nfor i in range(3):\n    %time f(i)\nx?"))
    source = from_bytes(data, "n.ipynb", is_notebook=True)
    assert source.text.splitlines() == ["pass", "pass", "pass", "for i in range(3):", "    pass", "pass"]
    assert source.masked_lines == {1, 2, 3, 5, 6}


def test_non_python_cell_magic_blanks_the_cell() -> None:
    data = notebook(("code", "%%bash\necho hi\nls"), ("code", "%%time\nx = 1"))
    source = from_bytes(data, "n.ipynb", is_notebook=True)
    assert source.text.splitlines() == ["", "", "", "pass", "x = 1"]


def test_non_python_notebook_is_empty() -> None:
    source = from_bytes(notebook(("code", "library(x)"), language="R"), "n.ipynb", is_notebook=True)
    assert source.text == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"cells": 3}', "no list of cells"),
        (b"[]", "a JSON array, not an object"),
    ],
)
def test_broken_notebooks(data: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        from_bytes(data, "n.ipynb", is_notebook=True)


def test_suppression_comments() -> None:
    text = (
        "a = 1  # noqa: HPL101\n"
        "b = 2  # noqa:HPL101,HPL403\n"
        "c = 3  # noqa\n"
        "d = 4  # NOQA: hpl104 other words\n"
        "e = 5  # noqa-ish\n"
    )
    suppressions = from_bytes(text.encode(), "a.py", is_notebook=False).suppressions()
    assert suppressions.lines[1] == {"HPL101"}
    assert suppressions.lines[2] == {"HPL101", "HPL403"}
    assert suppressions.lines[3] == frozenset()
    assert suppressions.lines[4] == {"HPL104"}
    assert 5 not in suppressions.lines
    assert suppressions.file_codes is None


def test_file_level_suppression() -> None:
    suppressions = from_bytes(b"# hplint: noqa: HPL1\nx = 1\n", "a.py", is_notebook=False).suppressions()
    assert suppressions.file_suppresses("HPL101")
    assert not suppressions.file_suppresses("HPL403")
    everything = from_bytes(b"# hplint: noqa\n", "a.py", is_notebook=False).suppressions()
    assert everything.file_suppresses("HPL403")


def test_percent_inside_a_statement_is_modulo_not_a_magic() -> None:
    code = 'print("%d of %d"\n      % (a, b))\ns = """\n%not magic\n"""\nx = 1 + \\\n  2\n%time f()\n'
    source = from_bytes(notebook(("code", code)), "n.ipynb", is_notebook=True)
    assert source.text.splitlines() == code.splitlines()[:-1] + ["pass"]
    assert source.masked_lines == {8}
