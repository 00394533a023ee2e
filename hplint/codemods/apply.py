"""Running `extract-config` on files: read, rewrite, then print a diff or write atomically.

A file is rewritten only when its text encodes back to the same bytes (encoding from its coding
declaration, BOM kept); the new text keeps the file's line endings (libcst writes the module's
own newline) and mode, and is written through a temporary file in the same directory
(`rewrite.write_atomically`). With `--to toml` the TOML file is written the same way (created
with the usual permissions when it does not exist), before the script that loads it.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from hplint.rewrite import BOM, ReadOnlyFile, write_atomically
from hplint.codemods.extract_config import extract
from hplint.codemods.gather import Refusal
from hplint.settings import Settings
from hplint.source import SourceError, _coding_cookie, from_bytes


@dataclass(slots=True)
class FileOutcome:
    display: str
    moved: int = 0
    diff: str = ""  # unified diff of the script (and the TOML file), empty when nothing changes
    refused: str | None = None


@dataclass(slots=True)
class TomlTarget:
    path: Path
    text: str | None  # current text (with the tables of scripts done so far), None: no file yet


def run_file(
    path: Path,
    display: str,
    relative: str,
    settings: Settings,
    target: str,
    *,
    write: bool,
    toml: "TomlTarget | None" = None,
) -> FileOutcome:
    outcome = FileOutcome(display)
    try:
        raw = path.read_bytes()
        before = os.stat(path)
        bom = raw.startswith(BOM)
        body = raw[len(BOM) :] if bom else raw
        encoding = _coding_cookie(body) or "utf-8"
        source = from_bytes(raw, display, is_notebook=path.suffix == ".ipynb")
        if not source.is_notebook and source.text.encode(encoding) != body:
            raise Refusal(f"its text does not encode back to the same {encoding} bytes")
        result = extract(
            source,
            settings,
            relative,
            target,
            toml_path=toml.path if toml else None,
            script_path=path,
            toml_text=toml.text if toml else None,
        )
        if result.text == source.text:
            return outcome
        outcome.moved = result.moved
        outcome.diff = _diff(display, source.text, result.text)
        if toml is not None and result.toml is not None:
            outcome.diff = _diff(str(toml.path), toml.text or "", result.toml, new_file=toml.text is None) + outcome.diff
        if write:
            if not before.st_mode & 0o222:
                raise Refusal("the file is read-only (make it writable to rewrite it)")
            if toml is not None and result.toml is not None:
                _write_new_or_existing(toml.path, result.toml.encode("utf-8"))
            identity = (before.st_ino, before.st_size, before.st_mtime_ns, before.st_ctime_ns)
            write_atomically(Path(os.path.realpath(path)), (BOM if bom else b"") + result.text.encode(encoding), identity, "moving hyperparameters")
        if toml is not None and result.toml is not None:
            toml.text = result.toml  # the next script's table goes after this one
    except Refusal as refusal:
        outcome.refused, outcome.moved, outcome.diff = str(refusal), 0, ""
    except SourceError as error:
        outcome.refused = error.message
    except (OSError, UnicodeError) as error:
        outcome.refused = getattr(error, "strerror", None) or str(error)
    return outcome


def _diff(display: str, old: str, new: str, *, new_file: bool = False) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile="/dev/null" if new_file else display,
        tofile=display,
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)


def _write_new_or_existing(path: Path, data: bytes) -> None:
    if path.exists():
        info = path.stat()
        if not info.st_mode & 0o222:
            raise ReadOnlyFile(f"{path} is read-only")
        write_atomically(path, data, (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
        return
    write_atomically(path, data, None, "writing the configuration")
