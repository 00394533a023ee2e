"""Re-parsing only what an edit changed: a per-document cache of top-level statement parses.

The language server re-lints a whole document on every keystroke, but a keystroke changes one
top-level statement. libcst's nodes are immutable and carry no positions, so the statements of
the previous parse can be re-assembled into a new `Module` with only the changed ones parsed
again; the result is the module `parsing.parse` would build for the whole text (node for node:
`tests/test_incremental.py` compares both over random edits, syntax errors included).

How a text is cut (`_plan`):
- a top-level statement begins on a line that starts in column 0 outside brackets, strings and
  backslash continuations, and is neither a comment, a clause (`else:`, `except ...:`) nor the
  `def`/`class` line under a decorator (the scan `analysis/positions.py` trusts, `source._LineScanner`);
- its chunk also holds the blank lines and column-0 comments just above it (libcst's
  `leading_lines`); lines indented further belong to the block above (its `footer`);
- chunk 0 also holds the module header, the last chunk the module footer.

A chunk not in the cache is parsed alone: chunk 0 as it stands (it starts the file, as in the
whole text), any other behind `if 1:\\n<indent>pass\\npass\\n`, so that libcst detects the
document's default indentation (its first indented line) and records each block's indentation
relative to it exactly as in the whole text, and reads the chunk's first lines as lines after a
simple statement. The parse is trusted only if the cut fell where libcst would
put it: nothing of the chunk went to the prefix's block or, before the last chunk, to the module
footer. Anything else (a chunk that does not parse, a cut libcst disagrees with, `\\r` line ends,
a coding declaration, text the nesting guard or the leniency check looks at) is a cold parse of
the whole text by `parsing.parse`, whose syntax verdicts are the ones reported; its statements
then fill the cache.

Identical chunks (two `print("done")` lines) get distinct node objects: rules and positions tell
nodes apart by identity. The cache keeps only the chunks of the last parse (bounded by the
document; the server drops it when the document closes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hplint.source import SourceFile, _LineScanner

if TYPE_CHECKING:
    import libcst as cst

    from hplint.diagnostics import Diagnostic

# A PEP 263 declaration sets libcst's `Module.encoding`: chunk 0 must hold it.
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=]")
_FIRST_WORD = re.compile(r"@|[^\W\d]\w*")
_CLAUSE_WORDS = frozenset({"else", "elif", "except", "finally"})
_PREFIX_HEAD = "if 1:\n"
# Chunks parsed alone beyond which (and beyond a quarter of the document) one whole parse is
# cheaper than many small ones.
_MOST_MISSES = 8


@dataclass(slots=True)
class _Chunk:
    """The parse of one chunk: its statements, and the module's header (chunk 0) or footer (the
    last chunk). `round_trips`: whether libcst writes the chunk back byte for byte (None: not
    known yet)."""

    text: str
    statements: tuple
    header: tuple = ()
    footer: tuple = ()
    has_trailing_newline: bool = True
    encoding: str = "utf-8"
    round_trips: bool | None = None


@dataclass(slots=True)
class _Plan:
    chunks: list[str]
    indent: str  # the document's default indentation


class StatementCache:
    """Top-level statement parses of one document, reused by its next parse."""

    def __init__(self) -> None:
        self._entries: dict[tuple, list[_Chunk]] = {}
        self._last: tuple["cst.Module | None", list[_Chunk] | None] = (None, None)
        # Node ranges of the statements, relative to each one's first line (analysis/positions.py).
        self.positions: dict = {}
        self.reused = self.parsed = self.cold = 0  # chunk counts, for the bench and the tests

    def clear(self) -> None:
        self._entries.clear()
        self._last = (None, None)
        self.positions = {}

    def _keep_positions(self, module: "cst.Module | None") -> None:
        """Ranges only of the statements `module` holds."""
        old = self.positions
        self.positions = {}
        if module is not None:
            for statement in module.body:
                entry = old.get(id(statement))
                if entry is not None and entry[0] is statement:
                    self.positions[id(statement)] = entry

    def parse(self, source: SourceFile) -> tuple["cst.Module | None", list["Diagnostic"]]:
        """What `parsing.parse(source)` returns, from cached statements where the text allows."""
        plan = _plan(source.text)
        if plan is not None and len(plan.chunks) > 1:
            module = self._assemble(plan)
            if module is not None:
                return module, []
        return self._cold(source, plan)

    def round_trips(self, module: "cst.Module", text: str) -> bool:
        """`module.code == text`, from what is known of each chunk (only unknown chunks are
        generated: one statement after an edit, instead of the whole module)."""
        if self._last[0] is not module or self._last[1] is None:
            return module.code == text
        for chunk in self._last[1]:
            if chunk.round_trips is None:
                code = "".join(module.code_for_node(node) for node in (*chunk.header, *chunk.statements, *chunk.footer))
                if not chunk.has_trailing_newline and code.endswith("\n"):
                    code = code[:-1]  # as Module's own code generation pops it
                chunk.round_trips = code == chunk.text
            if not chunk.round_trips:
                return False
        return True

    # -- building from chunks --

    def _assemble(self, plan: _Plan) -> "cst.Module | None":
        import libcst as cst

        last = len(plan.chunks) - 1
        keys = [
            ("first" if index == 0 else "last" if index == last else "middle", plan.indent, text)
            for index, text in enumerate(plan.chunks)
        ]
        used: dict[tuple, int] = {}
        misses = 0
        for key in keys:
            used[key] = used.get(key, 0) + 1
            misses += used[key] > len(self._entries.get(key, ()))
        if misses > max(_MOST_MISSES, len(keys) // 4):
            return None  # a new text (or a paste): one whole parse is faster
        used.clear()
        taken: list[_Chunk] = []
        for index, key in enumerate(keys):
            entries = self._entries.setdefault(key, [])
            position = used.get(key, 0)
            used[key] = position + 1
            if position < len(entries):
                chunk = entries[position]
                self.reused += 1
            else:
                chunk = _parse_chunk(key[2], index == 0, index == last, plan.indent)
                if chunk is None:
                    return None
                entries.append(chunk)
                self.parsed += 1
            taken.append(chunk)
        body = tuple(statement for chunk in taken for statement in chunk.statements)
        module = cst.Module(
            body=body,
            header=taken[0].header,
            footer=taken[-1].footer,
            encoding=taken[0].encoding,
            default_indent=plan.indent,
            default_newline="\n",
            has_trailing_newline=taken[-1].has_trailing_newline,
        )
        self._keep(used)
        self._last = (module, taken)
        self._keep_positions(module)
        if len(body) == len(taken):  # one statement per chunk: each starts where its chunk does
            from hplint.analysis.positions import remember_statement_starts

            starts, line = [], 1
            for chunk in taken:
                starts.append(line)
                line += chunk.text.count("\n")
            starts[0] = 1 + len(module.header)
            remember_statement_starts(module, starts)
        return module

    def _cold(self, source: SourceFile, plan: _Plan | None) -> tuple["cst.Module | None", list["Diagnostic"]]:
        from hplint.parsing import parse

        self.cold += 1
        module, errors = parse(source)
        self._entries = {}
        self._last = (module, None)
        self._keep_positions(None)
        if module is None or plan is None or errors:
            return module, errors
        chunks = _chunks_of(module, source.text, plan)
        if chunks is not None:
            last = len(chunks) - 1
            for index, chunk in enumerate(chunks):
                key = ("first" if index == 0 else "last" if index == last else "middle", plan.indent, chunk.text)
                self._entries.setdefault(key, []).append(chunk)
            self._last = (module, chunks)
        return module, errors

    def _keep(self, used: dict[tuple, int]) -> None:
        """Only the chunks of this parse stay: the cache never outgrows the document."""
        self._entries = {key: self._entries[key][:count] for key, count in used.items()}


def _chunks_of(module: "cst.Module", text: str, plan: _Plan) -> list[_Chunk] | None:
    """The statements of a whole-text parse, cut as `_plan` cut the text (None when libcst's
    statements do not line up with the plan's chunks)."""
    from hplint.analysis.positions import _statement_starts

    starts = _statement_starts(module, text)
    body = module.body
    if starts is None or len(body) != len(starts):
        return None
    chunks: list[_Chunk] = []
    line, taken = 1, 0
    for index, chunk_text in enumerate(plan.chunks):
        end = line + chunk_text.count("\n")
        if index > 0 and (taken >= len(starts) or starts[taken] != line):
            return None  # libcst cut elsewhere: its statements cannot be keyed by these texts
        first = taken
        while taken < len(starts) and (starts[taken] < end or index == len(plan.chunks) - 1):
            taken += 1
        if taken == first:
            return None
        chunks.append(_Chunk(chunk_text, tuple(body[first:taken])))
        line = end
    if taken != len(body):
        return None
    chunks[0].header = module.header
    chunks[0].encoding = module.encoding
    chunks[-1].footer = module.footer
    chunks[-1].has_trailing_newline = module.has_trailing_newline
    return chunks


def _parse_chunk(text: str, first: bool, last: bool, indent: str) -> _Chunk | None:
    """One chunk parsed alone, or None when its parse may differ from the whole text's."""
    import libcst as cst

    from hplint.parsing import parse_module

    try:
        if first:
            module = parse_module(text)
            statements = module.body
        else:
            module = parse_module(f"{_PREFIX_HEAD}{indent}pass\npass\n{text}")
            prefix = module.body[0] if module.body else None
            if not isinstance(prefix, cst.If) or not isinstance(prefix.body, cst.IndentedBlock) or prefix.body.footer:
                return None
            statements = module.body[2:]
    except (cst.ParserSyntaxError, RecursionError):
        return None
    if not statements or (module.footer and not last):
        return None
    chunk = _Chunk(text, tuple(statements))
    if first:
        chunk.header = module.header
        chunk.encoding = module.encoding
    elif any(line.whitespace.value and line.comment for line in statements[0].leading_lines):
        return None  # an indented comment above a statement: libcst may give it to the block above
    if last:
        chunk.footer = module.footer
        chunk.has_trailing_newline = module.has_trailing_newline
    return chunk


def _plan(text: str) -> _Plan | None:
    """The text cut into top-level statement chunks (see the module docstring), or None when it
    is to be parsed whole."""
    from hplint.guards import screen
    from hplint.parsing import _LIBCST_LENIENT

    if "\r" in text or not text.strip():
        return None
    lines = text.split("\n")
    if screen(text) or _LIBCST_LENIENT.search(text):
        return None
    scanner = _LineScanner()
    starts: list[int] = []  # index of the code line of each top-level statement
    blocks: list[str] = []  # the indentation of each statement's last block ("" for none)
    free: list[bool] = []  # whether each line starts outside brackets and strings
    indent = ""
    after_decorator = expect_block = False
    for number, line in enumerate(lines):
        free.append(scanner.depth == 0 and scanner.quote is None)
        if not scanner.inside and line:
            head = line[0]
            if head not in " \t\f#":
                match = _FIRST_WORD.match(line)
                word = match.group() if match else ""
                if word in _CLAUSE_WORDS or (after_decorator and word != "@"):
                    after_decorator = False
                elif not (after_decorator and word == "@"):
                    starts.append(number)
                    blocks.append("")
                    after_decorator = word == "@"
                expect_block = True
            elif head != "#":
                stripped = line.lstrip(" \t\f")
                if stripped and stripped[0] != "#":
                    whitespace = line[: len(line) - len(stripped)]
                    indent = indent or whitespace
                    if expect_block and blocks:
                        blocks[-1] = whitespace
                        expect_block = False
        scanner.feed(line)
    if not starts or "\f" in indent:
        return None
    bounds = [0]
    for index in range(1, len(starts)):
        previous, bound = starts[index - 1], starts[index]
        # Back over the blank and comment lines above the statement, then forward past the
        # last of them indented like the block above, which libcst gives to that block.
        while bound - 1 > previous and free[bound - 1] and (not lines[bound - 1].strip() or lines[bound - 1].lstrip()[0] == "#"):
            bound -= 1
        block = blocks[index - 1]
        if block:
            for number in range(starts[index] - 1, bound - 1, -1):
                if lines[number].startswith(block):
                    bound = number + 1
                    break
        bounds.append(bound)
    if len(bounds) > 1 and bounds[1] < 2 and any(_CODING.match(line) for line in lines[:2]):
        return None  # the declaration on line 2 is not in chunk 0, whose parse gives the encoding
    chunks = ["\n".join(lines[low:high]) + "\n" for low, high in zip(bounds, bounds[1:])]
    chunks.append("\n".join(lines[bounds[-1] :]))
    return _Plan(chunks, indent or "    ")
