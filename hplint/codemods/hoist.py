"""HPL101's fix: hoist the literals of one finding to named module-level constants.

`hoist(text, row, column)` returns the file's new text with the literals of the HPL101 finding that
starts at (row, column) moved to UPPER_CASE constants after the imports (`LEARNING_RATE = 3e-4`),
or None when there is no such finding or the rewrite is refused (a name clash, a star import, an
f-string ...). It is `extract-config --to constants` restricted to one finding, so the two never
disagree. Safe: the value, and so the behaviour, is unchanged; only where it is written moves.

Not attached to the rule as a `FixSpec` yet: a FixSpec replaces nodes by text and cannot insert a
statement at module level; the fix machinery (hplint/fixing.py) wires it.
"""

from __future__ import annotations

from hplint.codemods.extract_config import extract
from hplint.codemods.gather import Refusal
from hplint.settings import Settings
from hplint.source import SourceFile

APPLICABILITY = "safe"
MESSAGE = "Hoist the hardcoded value(s) to module-level constants"


def hoist(text: str, row: int, column: int, settings: Settings | None = None, path: str = "<fix>") -> str | None:
    source = SourceFile(path=path, text=text)
    try:
        result = extract(source, settings or Settings(), path, "constants", at=(row, column))
    except Refusal:
        return None
    return result.text if result.moved else None
