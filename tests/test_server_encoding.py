"""A client offering UTF-8 positions gets them; shutdown then exit ends the server with status 0."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.test_server import ENV, capabilities, diagnostics_for, spans


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "tests.server_support"], server_env=ENV))
async def client(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / ".git").mkdir()
    lsp_client.result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities(["utf-8", "utf-16"]), root_uri=tmp_path.as_uri())
    )
    lsp_client.root = tmp_path
    yield


@pytest.mark.asyncio
async def test_utf8_positions_and_clean_exit(client: LanguageClient):
    assert client.result.capabilities.position_encoding == "utf-8"
    text = 's = "é😀"; lr = 0.1\n'
    uri = (client.root / "enc.py").as_uri()

    def send():
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
        )

    found = await diagnostics_for(client, uri, send)
    # `0.1` starts at code point 15; in UTF-8 bytes é is 2 and 😀 is 4: 15 + 1 + 3 = 19
    assert spans(d for d in found if d.code == "HPL991") == [("HPL991", 0, 19, 0, 22)]
    await client.shutdown_session()
    assert client._server.returncode == 0
