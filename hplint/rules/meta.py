"""hplint's own diagnostics (HPL9xx). The engine emits them; these classes carry their docs."""

from __future__ import annotations

from hplint.rules.base import Rule, register


@register
class SyntaxErrorRule(Rule):
    code = "HPL901"
    name = "syntax-error"
    summary = "The file (or notebook cell) cannot be read or parsed, so it was not checked"
    severity = "error"
    needs_ml = False
    doc = """
    ## What it does
    Reports files that hplint could not check: Python that does not parse (with CPython's line and
    column), notebooks that are not valid JSON, files that are not valid UTF-8 (or their declared
    encoding), files with NUL bytes, unreadable files, and code nested too deeply to analyse.
    In a notebook, a cell that does not parse is reported and the other cells are still checked.

    ## Why is this bad?
    A file hplint cannot read is a file it cannot vouch for. Every other file is still checked.

    ## Example
    ```python
    def train(:
        ...
    ```

    ## Use instead
    Fix the syntax error, or exclude the file with `extend-exclude`.
    """

    def check(self, ctx) -> None:
        """Emitted by the engine while parsing, not by a check."""


@register
class UnusedNoqaRule(Rule):
    code = "HPL902"
    name = "unused-noqa"
    summary = "A `# noqa` directive for an hplint code suppresses nothing"
    default_enabled = False
    needs_ml = False
    doc = """
    ## What it does
    Reports `# noqa: HPLxxx` comments that suppress no diagnostic on their line, and codes in them
    that hplint does not know. Codes of other linters (`# noqa: E501`) are left alone, and so are
    bare `# noqa` comments unless they mention hplint.

    ## Why is this bad?
    Stale suppressions hide the next real finding on that line and make readers think there is a
    problem where there is none.

    ## Example
    ```python
    model = Ridge(alpha=cfg.alpha)  # noqa: HPL101
    ```

    ## Use instead
    ```python
    model = Ridge(alpha=cfg.alpha)
    ```
    Like ruff's RUF100, this rule is off by default; enable it with `extend-select = ["HPL902"]`.
    """

    def check(self, ctx) -> None:
        """Emitted by the engine after suppressions are applied, not by a check."""
