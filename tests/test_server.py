"""The language server end to end: a real LSP client (pytest-lsp) starts it as a subprocess.

Every test waits for the notification it asserts on (no sleeps); documents get unique URIs so the
tests share one server per module.
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = Path(__file__).resolve().parent.parent
ENV = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}

LEAK = textwrap.dedent(
    """\
    from sklearn.preprocessing import StandardScaler
    from sklearn.model_selection import train_test_split
    X = load()
    s = "café 😀"; scaler = StandardScaler()
    X_s = scaler.fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(X_s, y, random_state=0)
    """
)


def capabilities(encodings=None) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        notebook_document=types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities()
        ),
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(related_information=True)
        ),
    )


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "tests.server_support"], server_env=ENV),
    scope="module",
)
async def client(lsp_client: LanguageClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("ws")
    (root / ".git").mkdir()
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities(), root_uri=root.as_uri())
    )
    lsp_client.root = root
    yield
    await lsp_client.shutdown_session()


async def diagnostics_for(client: LanguageClient, uri: str, send) -> list[types.Diagnostic]:
    """Send (a callable), then wait for the diagnostics published on `uri`."""
    client.diagnostics.pop(uri, None)
    send()
    while uri not in client.diagnostics:
        # a bound, not a sleep: a server that never answers fails the test instead of hanging it
        await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 30)
    return list(client.diagnostics[uri])


def open_script(client: LanguageClient, name: str, text: str) -> tuple[str, callable]:
    path = client.root / name
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()

    def send():
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
            )
        )

    return uri, send


def spans(found):
    return sorted(
        (d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character) for d in found
    )


@pytest.mark.asyncio(loop_scope="module")
async def test_diagnostics_with_utf16_ranges_link_and_related(client: LanguageClient):
    uri, send = open_script(client, "leak.py", LEAK)
    found = await diagnostics_for(client, uri, send)
    leak = next(d for d in found if d.code == "HPL403")
    # `scaler.fit_transform(X)` on line 5 (0-based 4); line 4 holds "café 😀": the emoji is 2 UTF-16 units
    assert (leak.range.start.line, leak.range.start.character, leak.range.end.character) == (4, 6, 29)
    assert leak.source == "hplint"
    assert leak.severity == types.DiagnosticSeverity.Error
    assert leak.code_description.href.endswith("/rules/HPL403.md")
    assert [r.message for r in leak.related_information] == ["split here"]
    assert leak.related_information[0].location.range.start.line == 5


@pytest.mark.asyncio(loop_scope="module")
async def test_astral_characters_count_two_utf16_units(client: LanguageClient):
    text = 's = "😀😀"; lr = 0.1\n'
    uri, send = open_script(client, "astral.py", text)
    found = await diagnostics_for(client, uri, send)
    # code points: `0.1` at 15-18 (0-based); UTF-16: each emoji counts twice -> 17-20
    assert spans(d for d in found if d.code == "HPL991") == [("HPL991", 0, 17, 0, 20)]


@pytest.mark.asyncio(loop_scope="module")
async def test_change_relints_and_close_clears(client: LanguageClient):
    uri, send = open_script(client, "edit.py", "x = 1\n")
    assert await diagnostics_for(client, uri, send) == []

    def change():
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=1)),
                        text="lr",
                    )
                ],
            )
        )

    found = await diagnostics_for(client, uri, change)
    assert spans(found) == [("HPL991", 0, 5, 0, 6)]

    def close():
        client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))

    assert await diagnostics_for(client, uri, close) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_noqa_and_fix_code_actions(client: LanguageClient):
    uri, send = open_script(client, "actions.py", "lr = 0.1  # noqa: HPL101\n")
    found = await diagnostics_for(client, uri, send)
    (diagnostic,) = [d for d in found if d.code == "HPL991"]
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    by_title = {action.title: action for action in result}
    fix = by_title["hplint (HPL991): Read `lr` from the config"]
    (edit,) = fix.edit.changes[uri]
    assert (edit.range.start.character, edit.range.end.character, edit.new_text) == (5, 8, "config.lr")
    noqa = by_title["hplint (HPL991): Suppress HPL991 on this line"]
    (edit,) = noqa.edit.changes[uri]
    # merged into the existing comment: `# noqa: HPL101` -> `# noqa: HPL101, HPL991`
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.character) == (0, 24, 24)
    assert edit.new_text == ", HPL991"
    fix_all = by_title["hplint: Fix all auto-fixable problems"]
    assert fix_all.kind == "source.fixAll.hplint"
    (edit,) = fix_all.edit.changes[uri]
    assert edit.new_text == "config.lr"


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_shows_the_rule_summary(client: LanguageClient):
    uri, send = open_script(client, "hover.py", "lr = 0.1\n")
    await diagnostics_for(client, uri, send)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=6))
    )
    assert "Test probe: a top-level `lr = <number>` (fixable)" in hover.contents.value
    assert "rules/HPL991.md" in hover.contents.value


@pytest.mark.asyncio(loop_scope="module")
async def test_notebook_diagnostics_land_on_their_cells(client: LanguageClient):
    nb = (client.root / "nb.ipynb").as_uri()
    cells = ["import numpy as np\n%matplotlib inline", "# Title", "s = 'é😀'; lr = 0.1", "lr = 2"]
    kinds = [2, 1, 2, 2]
    uris = [f"vscode-notebook-cell:{nb[5:]}#cell{i}" for i in range(len(cells))]

    def send():
        client.notebook_document_did_open(
            types.DidOpenNotebookDocumentParams(
                notebook_document=types.NotebookDocument(
                    uri=nb,
                    notebook_type="jupyter-notebook",
                    version=1,
                    cells=[types.NotebookCell(kind=types.NotebookCellKind(k), document=u) for k, u in zip(kinds, uris)],
                ),
                cell_text_documents=[
                    types.TextDocumentItem(uri=u, language_id="python" if k == 2 else "markdown", version=1, text=t)
                    for u, k, t in zip(uris, kinds, cells)
                ],
            )
        )

    await diagnostics_for(client, uris[3], send)
    while uris[2] not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert spans(client.diagnostics[uris[2]]) == [("HPL991", 0, 16, 0, 19)]
    assert spans(client.diagnostics[uris[3]]) == [("HPL991", 0, 5, 0, 6)]
    assert list(client.diagnostics[uris[0]]) == []
    assert uris[1] not in client.diagnostics  # markdown

    def edit():
        client.notebook_document_did_change(
            types.DidChangeNotebookDocumentParams(
                notebook_document=types.VersionedNotebookDocumentIdentifier(uri=nb, version=2),
                change=types.NotebookDocumentChangeEvent(
                    cells=types.NotebookDocumentCellChanges(
                        text_content=[
                            types.NotebookDocumentCellContentChanges(
                                document=types.VersionedTextDocumentIdentifier(uri=uris[3], version=2),
                                changes=[types.TextDocumentContentChangeWholeDocument(text="x = 2")],
                            )
                        ]
                    )
                ),
            )
        )

    assert await diagnostics_for(client, uris[3], edit) == []

    def close():
        client.notebook_document_did_close(
            types.DidCloseNotebookDocumentParams(
                notebook_document=types.NotebookDocumentIdentifier(uri=nb),
                cell_text_documents=[types.TextDocumentIdentifier(uri=u) for u in uris],
            )
        )

    assert await diagnostics_for(client, uris[2], close) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_configuration_reload(client: LanguageClient):
    project = client.root / "proj"
    project.mkdir()
    config = project / "hplint.toml"
    config.write_text("", encoding="utf-8")
    uri, send = open_script(client, "proj/train.py", "lr = 0.1\n")
    assert [d.code for d in await diagnostics_for(client, uri, send)] == ["HPL991"]
    config.write_text('ignore = ["HPL991"]\n', encoding="utf-8")

    def watched():
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)])
        )

    assert await diagnostics_for(client, uri, watched) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_bad_input_does_not_kill_the_server(client: LanguageClient):
    # a change to a document never opened, a syntax error, a NUL byte: the server goes on
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri="file:///nowhere/x.py", version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="x")],
        )
    )
    uri, send = open_script(client, "broken.py", "def f(:\n")
    assert [d.code for d in await diagnostics_for(client, uri, send)] == ["HPL901"]
    uri, send = open_script(client, "nul.py", "x = 1\x00\n")
    assert [d.code for d in await diagnostics_for(client, uri, send)] == ["HPL901"]
    uri, send = open_script(client, "fine.py", "lr = 1\n")
    assert [d.code for d in await diagnostics_for(client, uri, send)] == ["HPL991"]


@pytest.mark.asyncio(loop_scope="module")
async def test_saving_a_configuration_file_reloads_it_and_excludes_apply(client: LanguageClient):
    project = client.root / "saved"
    project.mkdir()
    config = project / "hplint.toml"
    config.write_text("", encoding="utf-8")
    (project / "build").mkdir()
    excluded = project / "build" / "gen.py"
    excluded.write_text("lr = 0.1\n", encoding="utf-8")
    path = project / "train.py"
    path.write_text("lr = 0.1\n", encoding="utf-8")

    def opener(target: Path):
        def send():
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    text_document=types.TextDocumentItem(uri=target.as_uri(), language_id="python", version=1, text="lr = 0.1\n")
                )
            )

        return send

    # build/ is in the default excludes: its file gets an empty list, the other one its finding
    assert await diagnostics_for(client, excluded.as_uri(), opener(excluded)) == []
    assert [d.code for d in await diagnostics_for(client, path.as_uri(), opener(path))] == ["HPL991"]
    config.write_text('select = ["HPL6"]\n', encoding="utf-8")

    def saved():
        client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=config.as_uri())))

    assert await diagnostics_for(client, path.as_uri(), saved) == []
