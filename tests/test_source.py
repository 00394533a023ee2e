"""Reading scripts and notebooks: decoding, magics, cell mapping, suppression comments."""

from __future__ import annotations

import ast
import json

import pytest

from hplint.source import SourceError, from_bytes, split_lines


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


@pytest.mark.parametrize(
    "text",
    ["", "\n", "a", "a\n", "a\n\nb", "a\r\nb\r\n", "a\rb\r", "a\r\n\rb\n", "x\x0cy\n", "s = '\u2028\x85\x1c'\nz\n", "\x0c"],
)
def test_split_lines_ends_lines_only_where_python_does(text: str) -> None:
    expected = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if expected[-1] == "":
        expected.pop()
    assert split_lines(text) == expected


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("# coding: latin1\nx = 'é'\n".encode("latin-1"), "# coding: latin1\nx = 'é'\n"),
        ("# -*- coding: ISO_8859_1 -*-\nx = 'é'\n".encode("latin-1"), "# -*- coding: ISO_8859_1 -*-\nx = 'é'\n"),
        ("#!/usr/bin/python\n# coding=cp1252\nx = '€'\n".encode("cp1252"), "#!/usr/bin/python\n# coding=cp1252\nx = '€'\n"),
        ("\r\n# coding: latin-1\r\nx = 'é'\r\n".encode("latin-1"), "\r\n# coding: latin-1\r\nx = 'é'\r\n"),
        ("\ufeff# coding: UTF-8\nx = 'é'\n".encode(), "# coding: UTF-8\nx = 'é'\n"),
        ("\ufeff# coding: utf-8-sig\nx = 'é'\n".encode(), "# coding: utf-8-sig\nx = 'é'\n"),
    ],
)
def test_coding_declarations_as_cpython_reads_them(data: bytes, text: str) -> None:
    assert from_bytes(data, "a.py", is_notebook=False).text == text
    ast.parse(data)  # CPython reads the same bytes without complaint


@pytest.mark.parametrize(
    ("data", "row", "column"),
    [
        (b"x = 1\ny = '\xe9'\n", 2, 6),
        ("é = '".encode() + b"\xff'\n", 1, 6),
        (b"a\rb\r\nc = '\xe9'\n", 3, 6),
    ],
)
def test_undecodable_byte_is_placed_in_code_points(data: bytes, row: int, column: int) -> None:
    with pytest.raises(SourceError) as error:
        from_bytes(data, "a.py", is_notebook=False)
    assert (error.value.row, error.value.column) == (row, column)


def test_lines_and_rows_of_a_source_with_form_feeds_and_separators() -> None:
    source = from_bytes("a = '\u2028'\x0c\nb = 1  # noqa: HPL101\n".encode(), "a.py", is_notebook=False)
    assert source.line(2) == "b = 1  # noqa: HPL101"
    assert source.suppressions().lines == {2: {"HPL101"}}


@pytest.mark.parametrize(
    ("metadata", "checked"),
    [
        ({}, True),
        ({"language_info": {"name": "python"}}, True),
        ({"language_info": {"name": "IPython"}}, True),
        ({"kernelspec": {"name": "my-env", "language": "python"}}, True),
        ({"kernelspec": {"name": "python3"}}, True),
        ({"language_info": {"name": "R"}}, False),
        ({"kernelspec": {"name": "ir", "language": "R"}}, False),
        ({"language_info": {"name": "julia"}, "kernelspec": {"language": "python"}}, False),
    ],
)
def test_notebook_language(metadata: dict, checked: bool) -> None:
    data = json.dumps({"cells": [{"cell_type": "code", "source": "x = 1"}], "metadata": metadata, "nbformat": 4}).encode()
    assert from_bytes(data, "n.ipynb", is_notebook=True).text == ("x = 1\n" if checked else "")


def test_any_declared_codec_decodes_or_is_a_source_error() -> None:
    import encodings.aliases

    names = sorted(set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values()) | {"rot13", "utf-8-sig"})
    for name in names:
        data = f"# -*- coding: {name} -*-\nx = 'abc'\n".encode("ascii") + b"y = '\xe9\x80\xff'\n"
        try:
            from_bytes(data, "a.py", is_notebook=False)
        except SourceError:
            pass


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("rot13", "'rot13' in the coding declaration is not a text encoding"),
        ("cp037", "encoding 'cp037' in the coding declaration is not ASCII-compatible; Python source cannot use it"),
    ],
)
def test_codecs_python_source_cannot_use(name: str, message: str) -> None:
    with pytest.raises(SourceError) as error:
        from_bytes(f"# coding: {name}\nx = 1\n".encode(), "a.py", is_notebook=False)
    assert (error.value.message, error.value.row) == (message, 1)
