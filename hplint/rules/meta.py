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
    Files with more than 4 MB of code (generated code, in practice) are checked for syntax only:
    their syntax tree would need over a gigabyte of memory. Valid Python that hplint's parser
    (libcst) cannot read, such as `(x): int = 1`, is reported as such, not as a syntax error.

    "Does not parse" means what CPython's parser (`ast.parse`) rejects. Errors CPython finds only
    when it compiles, such as `return` or `await` outside a function or `break` outside a loop, are
    not reported: such a file is checked (other linters report those; and top-level `await` is
    valid in a notebook). Notebooks of another language (R, Julia...) are skipped silently, like
    ruff does.

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

    ## Fix safety
    The fix is safe: it removes the unused codes from the `# noqa` comment, and the whole directive
    (with the spaces before it) when no code is left. Other linters' codes and a comment after the
    directive stay. A blanket `# noqa` is not fixed: it may be silencing another linter.
    """

    def check(self, ctx) -> None:
        """Emitted by the engine after suppressions are applied, not by a check."""


@register
class InternalErrorRule(Rule):
    code = "HPL903"
    name = "internal-error"
    summary = "hplint itself failed on part of this file, so some rules did not check it"
    severity = "error"
    needs_ml = False
    doc = """
    ## What it does
    Reports a failure of hplint itself: a rule, or an analysis shared by several rules, that
    raised an exception on this file, or a worker process that died while checking it. The
    message names the rule or the analysis, the exception, and what was therefore not checked;
    every other rule and every other file is still checked.

    Like HPL901, it is reported whatever the rule selection and cannot be suppressed with
    `noqa`: it says what hplint could not vouch for. It counts as a finding (exit status 1);
    `--strict-internal-errors` makes any internal error exit with status 2 instead, and
    `--debug` prints the tracebacks. Results with an internal error are not cached.

    ## Why is this bad?
    It is a bug in hplint, not in your code, but it leaves part of your code unchecked.

    ## Example
    ```text
    train.py:1:1: HPL903 hplint failed in HPL401 (split-after-preprocessing) (KeyError: 'x'). ...
    ```

    ## Use instead
    Please report it with the `--debug` output and, if you can, the smallest code that triggers
    it. Until it is fixed, exclude the file with `extend-exclude` if it blocks your CI.
    """

    def check(self, ctx) -> None:
        """Emitted by the engine when a rule or an analysis fails, not by a check."""
