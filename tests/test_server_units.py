"""The server's pure parts: column conversion, incremental changes, and `hplint server` without pygls."""

from __future__ import annotations

import pytest

from hplint.server import positions


@pytest.mark.parametrize(
    ("line", "column", "utf16", "utf8"),
    [
        ("abc", 2, 2, 2),
        ("é = 1", 1, 1, 2),  # é: 1 UTF-16 unit, 2 UTF-8 bytes
        ("😀 = 1", 1, 2, 4),  # astral: a surrogate pair, 4 bytes
        ("a😀b😀c", 4, 6, 10),
    ],
)
def test_columns_round_trip(line, column, utf16, utf8):
    assert positions.to_client(line, column, "utf-16") == utf16
    assert positions.to_client(line, column, "utf-8") == utf8
    assert positions.to_client(line, column, "utf-32") == column
    assert positions.from_client(line, utf16, "utf-16") == column
    assert positions.from_client(line, utf8, "utf-8") == column


def test_inside_a_character_and_past_the_end():
    assert positions.from_client("😀x", 1, "utf-16") == 0  # half a surrogate pair: its start
    assert positions.from_client("😀x", 99, "utf-16") == 2
    assert positions.to_client("ab", 99, "utf-16") == 2


def test_incremental_change_with_astral_characters_and_crlf():
    text = "s = '😀'\r\nlr = 1\r\n"
    # replace `1` on line 1
    assert positions.apply_change(text, (1, 5), (1, 6), "0.1", "utf-16") == "s = '😀'\r\nlr = 0.1\r\n"
    # insert after the emoji (UTF-16 column 7)
    assert positions.apply_change(text, (0, 7), (0, 7), "!", "utf-16") == "s = '😀!'\r\nlr = 1\r\n"
    # U+2028 does not end a line for LSP
    assert positions.apply_change("a\u2028b\nc", (1, 0), (1, 1), "d", "utf-16") == "a\u2028b\nd"


def test_server_without_pygls_says_how_to_install(monkeypatch):
    from click.testing import CliRunner

    import hplint.server
    from hplint.cli import cli

    monkeypatch.setattr(hplint.server, "available", lambda: False)
    result = CliRunner().invoke(cli, ["server"])
    assert result.exit_code == 2
    assert "pip install 'hplint[lsp]'" in (result.stderr if hasattr(result, "stderr") else result.output)
    assert "Traceback" not in result.output
