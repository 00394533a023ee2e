"""Turning a file (script or notebook) into the Python text hplint checks, and back to positions.

A notebook becomes one program: its code cells in order, IPython magics and shell escapes replaced
by `pass` at the same indentation so that no line number moves, and each program line remembers
which cell and row it came from. Suppression comments are read here too.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

NOTEBOOK_SUFFIX = ".ipynb"

# Cell magics whose body is still Python; any other cell magic (%%bash, %%html ...) makes the cell
# not Python at all.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "memit", "skip"})

_MAGIC_LINE = re.compile(r"^([ \t]*)(?:[%!]|[A-Za-z_][\w.]*\s*=\s*[%!](?!=))")
_HELP_LINE = re.compile(r"^([ \t]*)(?:\?\??[\w.]+|[\w.]+\?\??)[ \t]*$")

# `# noqa`, `# noqa: HPL101`, `# noqa:HPL101,HPL403` (codes separated by commas or spaces).
NOQA_RE = re.compile(
    r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?(?=\s|$|#)", re.IGNORECASE
)
FILE_NOQA_RE = re.compile(
    r"#\s*hplint\s*:\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE
)
_CODE_SPLIT = re.compile(r"[\s,]+")


class SourceError(Exception):
    """The file cannot be turned into Python text (unreadable, undecodable, broken notebook)."""

    def __init__(self, message: str, row: int = 1, column: int = 1, cell: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column
        self.cell = cell


@dataclass(frozen=True, slots=True)
class Cell:
    index: int  # 1-based among all cells of the notebook (markdown included), like ruff
    first_line: int  # 1-based line of the program where the cell starts
    line_count: int


@dataclass(slots=True)
class Suppressions:
    # line -> codes; an empty set means a bare `# noqa` (everything on that line)
    lines: dict[int, frozenset[str]] = field(default_factory=dict)
    # None: no file-level suppression; empty: all codes; else these codes (and their prefixes)
    file_codes: frozenset[str] | None = None
    file_line: int = 0

    def suppresses(self, code: str, rows: tuple[int, ...]) -> int | None:
        """The line whose comment suppresses `code` at any of `rows`, or None."""
        for row in rows:
            codes = self.lines.get(row)
            if codes is not None and (not codes or code in codes):
                return row
        return None

    def file_suppresses(self, code: str) -> bool:
        if self.file_codes is None:
            return False
        return not self.file_codes or any(code.startswith(c) for c in self.file_codes)


@dataclass(slots=True)
class SourceFile:
    path: str  # as displayed and reported
    text: str  # the Python program that is checked
    is_notebook: bool = False
    cells: list[Cell] = field(default_factory=list)
    # Lines of the program whose text is not the file's (magics replaced by `pass`).
    masked_lines: frozenset[int] = frozenset()
    _lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def line(self, row: int) -> str:
        lines = self.lines
        return lines[row - 1] if 0 < row <= len(lines) else ""

    def to_cell(self, row: int) -> tuple[int | None, int]:
        """(cell index, row in cell) of a program row; (None, row) for plain files."""
        if not self.is_notebook:
            return None, row
        low, high = 0, len(self.cells) - 1
        while low <= high:
            middle = (low + high) // 2
            cell = self.cells[middle]
            if row < cell.first_line:
                high = middle - 1
            elif row >= cell.first_line + cell.line_count:
                low = middle + 1
            else:
                return cell.index, row - cell.first_line + 1
        last = self.cells[-1] if self.cells else None
        return (last.index, row - last.first_line + 1) if last else (None, row)

    def suppressions(self) -> Suppressions:
        result = Suppressions()
        if "noqa" not in self.text and "NOQA" not in self.text:
            return result
        for number, line in enumerate(self.lines, start=1):
            if "noqa" not in line.lower() or "#" not in line:
                continue
            file_match = FILE_NOQA_RE.search(line)
            if file_match:
                codes = file_match.group("codes")
                result.file_codes = _codes(codes)
                result.file_line = number
                continue
            match = NOQA_RE.search(line)
            if match:
                result.lines[number] = _codes(match.group("codes"))
        return result


def _codes(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    return frozenset(code.upper() for code in _CODE_SPLIT.split(text.strip()) if code)


def decode(data: bytes, path: str) -> str:
    """Source bytes to text as CPython reads them: UTF-8 (a UTF-8 BOM is dropped), or the encoding
    of a PEP 263 coding declaration on line 1 or 2. Raises SourceError, placed at the offending byte
    (line and code-point column), for what CPython would refuse."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            raise SourceError(
                f"source is {name} (it starts with a {name} byte order mark); Python source must be "
                "UTF-8 or declare an ASCII-compatible encoding"
            )
    has_bom = data.startswith(codecs.BOM_UTF8)
    if has_bom:
        data = data[len(codecs.BOM_UTF8) :]
    encoding, label = "utf-8", "utf-8"
    declaration = _coding_declaration(data)
    if declaration is not None:
        label, row = declaration
        try:
            encoding = codecs.lookup(label).name
        except LookupError:
            raise SourceError(f"unknown encoding {label!r} in the coding declaration", row=row) from None
        if has_bom and encoding not in ("utf-8", "utf-8-sig"):
            raise SourceError(
                f"the coding declaration says {label!r} but the file starts with a UTF-8 byte order mark",
                row=row,
            )
        try:
            ascii_compatible = b"# x\n".decode(encoding) == "# x\n"
        except LookupError:  # rot13, base64...: codecs, but not of text
            raise SourceError(f"{label!r} in the coding declaration is not a text encoding", row=row) from None
        except UnicodeError:
            ascii_compatible = False
        if not ascii_compatible:
            raise SourceError(
                f"encoding {label!r} in the coding declaration is not ASCII-compatible; "
                "Python source cannot use it",
                row=row,
            )
    nul = data.find(b"\x00")
    if nul != -1:
        row, column = _place_byte(data, nul, encoding)
        raise SourceError("source contains a NUL byte", row=row, column=column)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        row, column = _place_byte(data, error.start, encoding)
        declared = f" (declared on line {declaration[1]})" if declaration is not None else ""
        raise SourceError(
            f"source is not valid {label}{declared}: byte 0x{data[error.start]:02x} at line {row}, column {column}",
            row=row,
            column=column,
        ) from None
    except UnicodeError as error:  # a codec that fails without saying where (punycode)
        raise SourceError(f"source cannot be decoded as {label}: {error}") from None


# UTF-32's little-endian mark starts with UTF-16's: test it first.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
# Python's line ends (and nothing else: a form feed or U+2028 ends no line for Python or editors).
_LINE_END = re.compile(r"\r\n|\r|\n")
_LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")
# str.splitlines() also splits at these, which Python and editors do not.
_OTHER_LINE_ENDS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def split_lines(text: str) -> list[str]:
    """Lines as Python and editors count them (`\\n`, `\\r\\n` or a lone `\\r` ends a line), without
    their ends; like str.splitlines() otherwise (no empty last line after a final line end)."""
    if not _OTHER_LINE_ENDS.search(text):
        return text.splitlines()
    lines = _LINE_END.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


def _place_byte(data: bytes, index: int, encoding: str) -> tuple[int, int]:
    """1-based (line, code-point column) of the byte at `index`."""
    line_start, row = 0, 1
    for row, match in enumerate(_LINE_END_BYTES.finditer(data, 0, index), start=2):
        line_start = match.end()
    return row, len(data[line_start:index].decode(encoding, "replace")) + 1


# PEP 263, as CPython's tokenizer applies it.
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:#.*)?$")


def _coding_declaration(data: bytes) -> tuple[str, int] | None:
    """(encoding name as written, line) of a coding declaration: on line 1, or on line 2 when
    line 1 is blank or only a comment (a shebang)."""
    lines = _LINE_END_BYTES.split(data, 2)[:2]
    for row, line in enumerate(lines, start=1):
        match = _COOKIE.match(line)
        if match:
            return match.group(1).decode("ascii"), row
        if not _BLANK_OR_COMMENT.match(line):
            return None
    return None


def _coding_cookie(data: bytes) -> str | None:
    """The encoding named by the coding declaration, if any."""
    declaration = _coding_declaration(data)
    return declaration[0] if declaration is not None else None


def load(path: Path, display: str | None = None) -> SourceFile:
    """Read a `.py` file or a notebook. Raises SourceError with a clear message on bad input."""
    display = display or str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise SourceError("is a directory, not a file") from None
    except PermissionError:
        raise SourceError("permission denied") from None
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror or error}") from None
    return from_bytes(data, display, is_notebook=path.suffix == NOTEBOOK_SUFFIX)


def from_bytes(data: bytes, display: str, is_notebook: bool) -> SourceFile:
    if is_notebook:
        return notebook_from_bytes(data, display)
    return SourceFile(path=display, text=decode(data, display))


def notebook_from_bytes(data: bytes, display: str) -> SourceFile:
    """An nbformat 4 notebook as one program. A notebook of another language is empty (skipped
    silently, like ruff); an empty file is an empty notebook."""
    if not data.strip():
        return SourceFile(path=display, text="", is_notebook=True)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        row, column = _place_byte(data, error.start, "utf-8")
        raise SourceError(
            f"notebook is not valid UTF-8: byte 0x{data[error.start]:02x} at line {row}, column {column}",
            row=row,
            column=column,
        ) from None
    except json.JSONDecodeError as error:
        raise SourceError(f"notebook is not valid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise SourceError("notebook is not readable: its JSON is nested too deeply") from None
    if not isinstance(document, dict):
        raise SourceError(f"notebook is a JSON {_json_kind(document)}, not an object (not an .ipynb document?)")
    version = document.get("nbformat")
    if isinstance(version, int) and not isinstance(version, bool) and version < 4:
        raise SourceError(
            f"nbformat {version} notebooks are not supported: open and save it in Jupyter, or run "
            "`jupyter nbconvert --to notebook --inplace`, to upgrade it to nbformat 4"
        )
    cells = document.get("cells")
    if not isinstance(cells, list):
        raise SourceError("notebook has no list of cells (not an .ipynb document?)")
    language = _notebook_language(document)
    if language not in (None, "python"):
        return SourceFile(path=display, text="", is_notebook=True)
    program: list[str] = []
    cell_map: list[Cell] = []
    masked: set[int] = set()
    for index, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        lines = split_lines(_cell_text(cell, index)) or [""]
        first_line = len(program) + 1
        _mask_magics(lines, first_line, masked)
        program.extend(lines)
        cell_map.append(Cell(index=index, first_line=first_line, line_count=len(lines)))
    text = "\n".join(program) + "\n" if program else ""
    return SourceFile(path=display, text=text, is_notebook=True, cells=cell_map, masked_lines=frozenset(masked))


# What a .py file cannot hold either: NUL, and UTF-16 surrogates that JSON's `\\ud800` escapes let
# through unpaired (no UTF-8 encodes them).
_NOT_SOURCE_TEXT = re.compile("[\x00\ud800-\udfff]")


def _cell_text(cell: dict, index: int) -> str:
    """A code cell's source: a string, or a list of strings joined as Jupyter joins them."""
    source = cell.get("source", "")  # a cell with outputs and no source is an empty cell
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        source = "".join(source)
    if not isinstance(source, str):
        raise SourceError(
            f"cell {index} has a `source` that is not text ({_json_kind(source)}); the notebook was not checked",
            cell=index,
        )
    bad = _NOT_SOURCE_TEXT.search(source)
    if bad is not None:
        before = split_lines(source[: bad.start()] + "|")
        char = bad.group()
        what = "a NUL character" if char == "\x00" else f"an unpaired surrogate (U+{ord(char):04X})"
        raise SourceError(
            f"cell {index} contains {what}; the notebook was not checked",
            row=len(before),
            column=len(before[-1]),
            cell=index,
        )
    return source


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _notebook_language(document: dict) -> str | None:
    """The notebook's language: `language_info.name`, else the kernel's `language` (a kernel's
    name, like `conda-env-ml-py`, says nothing about it); None when the notebook does not say."""
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return None
    language = None
    for key, field_name in (("language_info", "name"), ("kernelspec", "language")):
        info = metadata.get(key)
        if isinstance(info, dict) and isinstance(info.get(field_name), str):
            language = info[field_name].strip().lower()
            break
    if not language:
        return None
    return "python" if language.startswith(("python", "ipython")) else language


def _mask_magics(lines: list[str], first_line: int, masked: set[int]) -> None:
    """Replace IPython syntax by `pass` (same indentation), in place, recording masked lines."""
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(None, 1)
        if magic and magic[0] not in PYTHON_CELL_MAGICS:
            for offset in range(len(lines)):
                lines[offset] = ""
                masked.add(first_line + offset)
            return
    continuation = False
    indent = ""
    scanner = _LineScanner()
    for offset, line in enumerate(lines):
        # A line inside brackets, a string or after a backslash continues a statement: `% (a, b)`
        # there is Python's modulo, not a magic.
        inside_statement = scanner.inside
        if continuation or (
            not inside_statement and (_MAGIC_LINE.match(line) or _HELP_LINE.match(line))
        ):
            if not continuation:  # a continued magic's lines keep its indentation, not their own
                indent = line[: len(line) - len(line.lstrip())]
            continuation = line.rstrip().endswith("\\")
            lines[offset] = f"{indent}pass"
            masked.add(first_line + offset)
        else:
            scanner.feed(line)


# Outside strings only comments, quotes and brackets matter; inside a string, its closing quote
# and backslashes.
_SIGNIFICANT = re.compile(r"[#'\"()\[\]{}]")
_IN_QUOTE = {quote: re.compile(r"\\|" + re.escape(quote)) for quote in ("'", '"', "'''", '"""')}


class _LineScanner:
    """Tracks open brackets, open triple-quoted strings and backslash continuations line by line."""

    __slots__ = ("depth", "quote", "backslash")

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None  # the open triple quote, if any
        self.backslash = False

    @property
    def inside(self) -> bool:
        return self.depth > 0 or self.quote is not None or self.backslash

    def feed(self, line: str) -> None:
        # Jumps from one character that matters to the next (a regex search) instead of looking
        # at every character in Python: the same result, several times faster.
        index, length = 0, len(line)
        while index < length:
            if self.quote is not None:
                match = _IN_QUOTE[self.quote].search(line, index)
                if match is None:
                    break
                if match.group() == "\\":
                    index = match.start() + 2
                else:
                    index = match.end()
                    self.quote = None
                continue
            match = _SIGNIFICANT.search(line, index)
            if match is None:
                break
            char = match.group()
            index = match.start()
            if char == "#":
                break
            if char in "\"'":
                triple = line[index : index + 3]
                self.quote = triple if triple in ('"""', "'''") else char
                index += len(self.quote)
                continue
            if char in "([{":
                self.depth += 1
            else:
                self.depth = max(0, self.depth - 1)
            index += 1
        if self.quote is not None and len(self.quote) == 1:
            self.quote = None  # an unterminated one-line string: the parser reports it
        self.backslash = line.rstrip().endswith("\\") and self.quote is None
