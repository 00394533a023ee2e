"""The server's code actions follow the configuration's fix keys as `--fix` does: a fix that
`extend-unsafe-fixes` reclassifies is offered as an unsafe, non-preferred quick fix and left out of
"fix all" unless `unsafe-fixes = true`; an `unfixable` code gets no fix action (its noqa action stays).
A real client over stdio."""

from __future__ import annotations

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests import test_server
from tests.test_server import diagnostics_for, open_script

# The same server and workspace set-up as tests/test_server.py (module-scoped: one server here too).
client = test_server.client


async def actions_in(client: LanguageClient, directory: str, config: str) -> dict[str, types.CodeAction]:
    project = client.root / directory
    project.mkdir()
    (project / "hplint.toml").write_text(config, encoding="utf-8")
    uri, send = open_script(client, f"{directory}/train.py", "lr = 0.1\n")
    (diagnostic,) = await diagnostics_for(client, uri, send)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    return {action.title: action for action in result or []}


@pytest.mark.asyncio(loop_scope="module")
async def test_without_fix_keys_the_fix_is_safe_preferred_and_in_fix_all(client: LanguageClient):
    found = await actions_in(client, "plain", "")
    assert found["hplint (HPL991): Read `lr` from the config"].is_preferred is True
    assert "hplint: Fix all auto-fixable problems" in found


@pytest.mark.asyncio(loop_scope="module")
async def test_extend_unsafe_fixes_makes_the_quick_fix_unsafe_and_drops_fix_all(client: LanguageClient):
    found = await actions_in(client, "unsafe", 'extend-unsafe-fixes = ["HPL99"]\n')
    fix = found["hplint (HPL991): Read `lr` from the config (unsafe fix)"]
    assert fix.is_preferred is False
    assert "hplint: Fix all auto-fixable problems" not in found
    assert "hplint (HPL991): Suppress HPL991 on this line" in found


@pytest.mark.asyncio(loop_scope="module")
async def test_an_unfixable_code_gets_no_fix_action(client: LanguageClient):
    found = await actions_in(client, "unfixable", 'unfixable = ["HPL991"]\n')
    assert sorted(found) == ["hplint (HPL991): Suppress HPL991 on this line"]


@pytest.mark.asyncio(loop_scope="module")
async def test_unsafe_fixes_true_puts_unsafe_fixes_into_fix_all(client: LanguageClient):
    found = await actions_in(client, "unsafe_on", 'unsafe-fixes = true\nextend-unsafe-fixes = ["HPL991"]\n')
    assert found["hplint (HPL991): Read `lr` from the config (unsafe fix)"].is_preferred is False
    [(edit,)] = found["hplint: Fix all auto-fixable problems"].edit.changes.values()
    assert edit.new_text == "config.lr"
