"""`hplint server`: the language server (LSP 3.17 over stdio) on pygls.

Scheduling: each open script or notebook has at most one lint in flight, in a worker thread, so
the server keeps reading messages while it runs. A change waits `DEBOUNCE` seconds for the next
keystroke; a change arriving while a lint runs only marks the document dirty, and when the lint
ends its result is dropped (superseded) and the latest text is linted. Diagnostics are published
only for the version they were computed on. Open and save lint at once.

Each document's state keeps a `StatementCache` (hplint/incremental.py): a re-lint parses only the
top-level statements the edits changed and reuses the positions of the others; the cache holds
only the statements of the last lint and goes when the document closes.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from hplint import __version__
from hplint.config import CliOptions
from hplint.incremental import StatementCache
from hplint.server import actions, convert
from hplint.server.configuration import Configurations, is_config_file
from hplint.server.documents import Documents, Snapshot, UnknownDocument, uri_to_path
from hplint.server.linting import LintResult, lint

logger = logging.getLogger(__name__)

DEBOUNCE = 0.015  # seconds without a further change before a lint starts
_ENCODINGS = {types.PositionEncodingKind.Utf8: "utf-8", types.PositionEncodingKind.Utf32: "utf-32"}


class _Protocol(LanguageServerProtocol):
    """pygls's protocol, minus its own copy of the documents (hplint.server.documents keeps
    them): the built-in handlers only pass the notification on."""

    def _only_user(self, method, params):
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params):
        yield from self._only_user(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params):
        yield from self._only_user(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params):
        yield from self._only_user(types.TEXT_DOCUMENT_DID_CLOSE, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def lsp_notebook_document__did_open(self, params):
        yield from self._only_user(types.NOTEBOOK_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def lsp_notebook_document__did_change(self, params):
        yield from self._only_user(types.NOTEBOOK_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def lsp_notebook_document__did_close(self, params):
        yield from self._only_user(types.NOTEBOOK_DOCUMENT_DID_CLOSE, params)


@dataclass
class _State:
    """Scheduling of one script or notebook."""

    dirty: int = 0  # bumped by every change
    task: asyncio.Task | None = None
    result: LintResult | None = None  # the last published result
    entries: list = field(default_factory=list)
    published: set = field(default_factory=set)  # URIs that got diagnostics
    # Parsed top-level statements, reused by the next lint (one lint at a time uses it).
    statements: StatementCache = field(default_factory=StatementCache)


class HplintServer(LanguageServer):
    def __init__(self, options: CliOptions | None = None) -> None:
        super().__init__(
            "hplint",
            __version__,
            protocol_cls=_Protocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[
                    types.NotebookDocumentFilterWithCells(
                        notebook="*", cells=[types.NotebookCellLanguage(language="python")]
                    )
                ],
                save=True,
            ),
        )
        self.options = options or CliOptions()
        self.documents = Documents()
        self.states: dict[str, _State] = {}
        self.configurations: Configurations | None = None
        self.executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="hplint-lint")

    # -- helpers --

    @property
    def encoding(self) -> str:
        return _ENCODINGS.get(self.workspace.position_encoding, "utf-16")

    def config(self) -> Configurations:
        if self.configurations is None:
            root = uri_to_path(self.workspace.root_uri) if self.workspace.root_uri else None
            self.configurations = Configurations(root, self.options, self._show_error)
        return self.configurations

    def _show_error(self, message: str) -> None:
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"hplint: {message}"))

    def lint_now(self, snapshot: Snapshot) -> LintResult:
        file = self.config().for_path(snapshot.path)
        return lint(snapshot, file.settings, file.relative, file.display, fix_policy=file.fix_policy)

    def with_fixes(self, result: LintResult) -> tuple[LintResult, list]:
        """`result` linted again with its fixes, and its entries: diagnostics are published on
        every edit without fixes (they cost as much as the rest of a re-lint), so the first code
        action on a result pays for them, once."""
        found = result.extra.get("with fixes")
        if found is None:
            fixed = self.lint_now(result.snapshot)
            found = result.extra["with fixes"] = (fixed, convert.entries(fixed, self.encoding))
        return found

    def schedule(self, uri: str, delay: float) -> None:
        state = self.states.setdefault(uri, _State())
        state.dirty += 1
        if state.task is None or state.task.done():
            state.task = asyncio.get_running_loop().create_task(self._run(uri, state, delay))

    async def _run(self, uri: str, state: _State, delay: float) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                seen = state.dirty
                if delay:
                    await asyncio.sleep(delay)
                    if state.dirty != seen:
                        continue  # still typing
                snapshot = self.documents.snapshot(uri)
                if snapshot is None:
                    return
                file = self.config().for_path(snapshot.path)
                if file.excluded:
                    self._publish(uri, state, None)
                    return
                result = await loop.run_in_executor(
                    self.executor,
                    lint,
                    snapshot,
                    file.settings,
                    file.relative,
                    file.display,
                    state.statements,
                    file.fix_policy,
                    False,  # fixes are computed when a code action asks (`with_fixes`)
                )
                if state.dirty != seen or self.states.get(uri) is not state:
                    delay = DEBOUNCE
                    continue  # superseded while it ran: lint the latest text
                self._publish(uri, state, result)
                return
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - never die on a document
            logger.exception("hplint: linting %s failed", uri)

    def _publish(self, uri: str, state: _State, result: LintResult | None) -> None:
        if result is not None:
            state.entries = convert.entries(result, self.encoding)
            published = convert.by_uri(result, state.entries)
        else:  # excluded: say so with an empty list (clears what an earlier configuration showed)
            state.entries = []
            published = {uri: []}
        state.result = result
        version = result.snapshot.version if result is not None and not result.snapshot.notebook else None
        for stale in state.published - published.keys():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=stale, diagnostics=[]))
        for target, diagnostics in published.items():
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=target, diagnostics=diagnostics, version=version if target == uri else None)
            )
        state.published = set(published)

    def forget(self, uri: str) -> None:
        state = self.states.pop(uri, None)
        if state is None:
            return
        if state.task is not None:
            state.task.cancel()
        for target in state.published:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=target, diagnostics=[]))

    def current(self, uri: str) -> tuple[_State | None, str]:
        """The state of the program holding document `uri`, if its last result is up to date."""
        target = self.documents.target_of(uri)
        state = self.states.get(target)
        snapshot = self.documents.snapshot(target)
        if state is None or state.result is None or snapshot is None or not snapshot.same_text(state.result.snapshot):
            return None, target
        return state, target

    def configuration_changed(self) -> None:
        self.config().reload()
        for uri in self.documents.open_targets():
            if self.documents.snapshot(uri) is not None:
                self.schedule(uri, 0)


def create_server(options: CliOptions | None = None) -> HplintServer:
    server = HplintServer(options)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: HplintServer, params: types.InitializedParams) -> None:
        watch = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watch and watch.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in ("pyproject.toml", "hplint.toml")]
            )
            try:
                await ls.client_register_capability_async(
                    types.RegistrationParams(
                        registrations=[types.Registration(id="hplint-config", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)]
                    )
                )
            except Exception:  # noqa: BLE001 - a client that refuses: reload on save only
                logger.info("hplint: the client did not register file watchers")

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HplintServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ls.documents.open_text(item.uri, item.text, item.version, item.language_id)
        if ls.documents.snapshot(item.uri) is not None:
            ls.schedule(item.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HplintServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        try:
            ls.documents.change_text(uri, params.text_document.version, params.content_changes, ls.encoding)
        except UnknownDocument:
            logger.warning("hplint: change to %s, which is not open: ignored", uri)
            return
        target = ls.documents.target_of(uri)
        if ls.documents.snapshot(target) is not None:
            ls.schedule(target, DEBOUNCE)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: HplintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if is_config_file(uri_to_path(uri)):
            ls.configuration_changed()
            return
        target = ls.documents.target_of(uri)
        if ls.documents.snapshot(target) is not None:
            ls.schedule(target, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HplintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.documents.close_text(uri)
        ls.forget(uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: HplintServer, params: types.DidOpenNotebookDocumentParams) -> None:
        notebook = params.notebook_document
        cells = [(cell.document, int(cell.kind)) for cell in notebook.cells]
        ls.documents.open_notebook(notebook.uri, notebook.version, cells, params.cell_text_documents)
        ls.schedule(notebook.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: HplintServer, params: types.DidChangeNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        try:
            ls.documents.change_notebook(uri, params.notebook_document.version, params.change, ls.encoding)
        except UnknownDocument:
            logger.warning("hplint: change to notebook %s, which is not open: ignored", uri)
            return
        ls.schedule(uri, DEBOUNCE)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: HplintServer, params: types.DidSaveNotebookDocumentParams) -> None:
        if params.notebook_document.uri in ls.documents.notebooks:
            ls.schedule(params.notebook_document.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: HplintServer, params: types.DidCloseNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        ls.documents.close_notebook(uri)
        ls.forget(uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: HplintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(is_config_file(uri_to_path(change.uri)) for change in params.changes):
            ls.configuration_changed()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, actions.FIX_ALL_KIND]
        ),
    )
    async def code_action(ls: HplintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        only = params.context.only
        state, target = ls.current(uri)
        found: list[types.CodeAction] = []
        loop = asyncio.get_running_loop()
        if state is not None and (not only or any(str(k).startswith("quickfix") for k in only)) and any(
            entry.uri == uri and actions.overlaps(entry.lsp.range, params.range) for entry in state.entries
        ):
            fixed, entries = await loop.run_in_executor(ls.executor, ls.with_fixes, state.result)
            found += actions.quick_fixes(fixed, entries, uri, params.range, ls.encoding)
        if not only or any(actions.FIX_ALL_KIND.startswith(str(k)) for k in only):
            snapshot = ls.documents.snapshot(target)
            if snapshot is not None:
                if state is not None:
                    result = (await loop.run_in_executor(ls.executor, ls.with_fixes, state.result))[0]
                else:
                    result = await loop.run_in_executor(ls.executor, ls.lint_now, snapshot)
                unsafe = ls.config().for_path(snapshot.path).unsafe_fixes
                if any(actions.fixable_by_fix_all(d, unsafe) for d in result.diagnostics):
                    changes = await loop.run_in_executor(ls.executor, actions.fix_all, result, ls.lint_now, ls.encoding, unsafe)
                    if changes:
                        found.append(
                            types.CodeAction(
                                title="hplint: Fix all auto-fixable problems",
                                kind=actions.FIX_ALL_KIND,
                                edit=types.WorkspaceEdit(changes=changes),
                            )
                        )
        return found or None

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: HplintServer, params: types.HoverParams) -> types.Hover | None:
        state, _ = ls.current(params.text_document.uri)
        if state is None:
            return None
        return actions.hover(state.entries, params.text_document.uri, params.position)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: HplintServer, params: None) -> None:
        for state in ls.states.values():
            if state.task is not None:
                state.task.cancel()
        ls.executor.shutdown(wait=False, cancel_futures=True)

    return server


def serve(options: CliOptions | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    create_server(options).start_io()
