"""The documents the editor has open: scripts, and notebooks made of cell documents.

The server keeps its own copy of every open text (pygls's workspace splits lines at U+2028 and
form feeds, which LSP does not), applies incremental changes with `positions`, and hands the
linter immutable `Snapshot`s, so a lint running in a worker thread never sees a text change under
it. A notebook's cells are each a text document with their own URI; the snapshot of a notebook
lists all its cells in order (markdown included: hplint numbers cells among all of them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import unquote, urlparse

from hplint.server import positions

CODE, MARKDOWN, RAW = "code", "markdown", "raw"
# Languages a code cell or a text document may have for hplint to check it.
PYTHON_LANGUAGES = frozenset({"python", ""})


@dataclass(frozen=True, slots=True)
class Part:
    """One text document of a program: the script itself, or one notebook cell."""

    uri: str
    kind: str  # CODE, MARKDOWN or RAW (a code cell in another language)
    text: str
    version: int | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What one lint reads: a script (one part) or a notebook (its cells, in order)."""

    uri: str
    notebook: bool
    parts: tuple[Part, ...]
    version: int | None = None

    @property
    def path(self) -> Path | None:
        return uri_to_path(self.uri)

    def part(self, cell: int | None) -> Part | None:
        """The part holding hplint's `cell` (1-based among all cells; None for a script)."""
        if not self.notebook:
            return self.parts[0]
        if cell is None or not 1 <= cell <= len(self.parts):
            return None
        return self.parts[cell - 1]

    def same_text(self, other: "Snapshot | None") -> bool:
        return other is not None and other.notebook == self.notebook and [
            (p.uri, p.kind, p.text) for p in other.parts
        ] == [(p.uri, p.kind, p.text) for p in self.parts]


@dataclass(slots=True)
class TextDocument:
    uri: str
    text: str
    version: int | None = None
    language_id: str = "python"

    def apply(self, changes: Iterable[Any], encoding: str) -> None:
        """Apply LSP content changes in order: a change with a range replaces that range, one
        without replaces the whole text."""
        for change in changes:
            change_range = getattr(change, "range", None)
            if change_range is None:
                self.text = change.text
                continue
            start = (change_range.start.line, change_range.start.character)
            end = (change_range.end.line, change_range.end.character)
            self.text = positions.apply_change(self.text, start, end, change.text, encoding)


@dataclass(slots=True)
class Notebook:
    uri: str
    version: int | None
    # (cell document URI, kind: 1 markup, 2 code), in order
    cells: list[tuple[str, int]] = field(default_factory=list)


class UnknownDocument(KeyError):
    """A change or close for a document that was never opened (the client is out of sync)."""


class Documents:
    def __init__(self) -> None:
        self.texts: dict[str, TextDocument] = {}
        self.notebooks: dict[str, Notebook] = {}
        self._owner: dict[str, str] = {}  # cell URI -> notebook URI

    # -- text documents --

    def open_text(self, uri: str, text: str, version: int | None, language_id: str) -> None:
        self.texts[uri] = TextDocument(uri, text, version, language_id or "")

    def change_text(self, uri: str, version: int | None, changes: Iterable[Any], encoding: str) -> None:
        document = self.texts.get(uri)
        if document is None:
            raise UnknownDocument(uri)
        document.apply(changes, encoding)
        document.version = version

    def close_text(self, uri: str) -> None:
        self.texts.pop(uri, None)

    # -- notebooks --

    def open_notebook(self, uri: str, version: int | None, cells: Iterable[tuple[str, int]], documents: Iterable[Any]) -> None:
        for item in documents:
            self.open_text(item.uri, item.text, item.version, item.language_id)
            self._owner[item.uri] = uri
        self.notebooks[uri] = Notebook(uri, version, list(cells))

    def change_notebook(self, uri: str, version: int | None, change: Any, encoding: str) -> None:
        """Apply a `notebookDocument/didChange`: cell structure (inserted, deleted, moved
        cells), cell kinds, then cell texts."""
        notebook = self.notebooks.get(uri)
        if notebook is None:
            raise UnknownDocument(uri)
        notebook.version = version
        cells = getattr(change, "cells", None)
        if cells is None:
            return
        structure = cells.structure
        if structure is not None:
            array = structure.array
            inserted = [(cell.document, int(cell.kind)) for cell in array.cells or ()]
            start = max(0, min(array.start, len(notebook.cells)))
            notebook.cells[start : start + array.delete_count] = inserted
            for item in structure.did_open or ():
                self.open_text(item.uri, item.text, item.version, item.language_id)
                self._owner[item.uri] = uri
            for item in structure.did_close or ():
                self.close_text(item.uri)
                self._owner.pop(item.uri, None)
        kinds = {cell.document: int(cell.kind) for cell in cells.data or ()}
        if kinds:
            notebook.cells = [(document, kinds.get(document, kind)) for document, kind in notebook.cells]
        for content in cells.text_content or ():
            self.change_text(content.document.uri, content.document.version, content.changes, encoding)

    def close_notebook(self, uri: str) -> None:
        notebook = self.notebooks.pop(uri, None)
        if notebook is None:
            return
        for document, _ in notebook.cells:
            self.close_text(document)
            self._owner.pop(document, None)

    # -- what to lint --

    def target_of(self, uri: str) -> str:
        """The URI linted when `uri` changes: its notebook's for a cell, else its own."""
        return self._owner.get(uri, uri)

    def snapshot(self, uri: str) -> Snapshot | None:
        """The program at `uri` as it is now, or None when it is not open or not Python."""
        notebook = self.notebooks.get(uri)
        if notebook is not None:
            parts = []
            for document_uri, kind in notebook.cells:
                document = self.texts.get(document_uri)
                text = document.text if document is not None else ""
                if kind != 2:
                    part_kind = MARKDOWN
                elif document is not None and document.language_id.lower() not in PYTHON_LANGUAGES:
                    part_kind = RAW
                else:
                    part_kind = CODE
                parts.append(Part(document_uri, part_kind, text, document.version if document else None))
            return Snapshot(uri, True, tuple(parts), notebook.version)
        document = self.texts.get(uri)
        if document is None or uri in self._owner or not is_python(document):
            return None
        return Snapshot(uri, False, (Part(uri, CODE, document.text, document.version),), document.version)

    def open_targets(self) -> list[str]:
        """Every open script and notebook (for a relint after the configuration changed)."""
        return [uri for uri in self.texts if uri not in self._owner] + list(self.notebooks)


def is_python(document: TextDocument) -> bool:
    language = document.language_id.lower()
    if language:
        return language == "python"
    return document.uri.endswith((".py", ".pyw"))


def uri_to_path(uri: str) -> Path | None:
    """The file system path of a `file:` URI (None for `untitled:` and other schemes)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt":  # file:///C:/x -> C:/x; file://server/share/x -> //server/share/x
        path = path[1:] if len(path) > 2 and path[0] == "/" and path[2] == ":" else path
        if parsed.netloc:
            path = f"//{parsed.netloc}{path}"
    return Path(path)
