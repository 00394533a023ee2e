"""Helpers for the command-line tests: a probe rule with known behaviour, and a CliRunner wrapper.

The probe rule (HPL990) reports every top-level `lr = <number>` assignment, so the CLI tests do not
depend on how the real rules evolve. It is registered only while a test uses the fixture.
"""

from __future__ import annotations

import os
import textwrap
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from hplint.rules.base import _REGISTRY, Option, Rule

PROBE = "HPL990"


class ProbeRule(Rule):
    code = PROBE
    name = "probe-learning-rate"
    summary = "Test probe: a top-level `lr = <number>` assignment"
    doc = """
    ## What it does
    Reports `lr = 0.1` at module level (a rule for hplint's own tests).

    ## Why is this bad?
    It is a test.

    ## Example
    ```python
    lr = 0.1
    ```

    ## Use instead
    ```python
    lr = config.lr
    ```
    """
    needs_ml = False
    options = {
        "crash": Option(bool, False, "raise inside check (tests internal errors)"),
        "die-on": Option(str, "", "kill the process checking a file that contains this text"),
        "limit": Option(int, 3, "an integer option"),
    }

    def check(self, ctx) -> None:
        import libcst as cst

        if self.option("crash"):
            raise ValueError("probe asked to crash")
        if self.option("die-on") and self.option("die-on") in ctx.source.text:
            os._exit(70)  # as a segfault in native code would: no exception, no cleanup
        for statement in ctx.module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and small.targets[0].target.value == "lr"
                    and isinstance(small.value, (cst.Float, cst.Integer, cst.Call))
                ):
                    ctx.report(self, small.value, f"`lr` is set to a literal (limit {self.option('limit')})")


def _clear_caches() -> None:
    from hplint import config, engine

    engine._rules_for.cache_clear()
    engine._enabled_codes.cache_clear()
    config._catalog = None


@contextmanager
def registered_probe():
    """Register the probe rule for the duration of a test (each test module wraps this in a
    `probe` fixture)."""
    _REGISTRY[PROBE] = ProbeRule
    _clear_caches()
    try:
        yield ProbeRule
    finally:
        _REGISTRY.pop(PROBE, None)
        _clear_caches()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def invoke(args: list[str], input: str | bytes | None = None, env: dict | None = None):
    """Run the CLI in-process (serial unless the test asks for jobs). stdout and stderr apart."""
    from hplint.cli import cli

    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 always keeps them apart
        runner = CliRunner()
    serial_default = args[:1] != ["rule"] and "--version" not in args and "--help" not in args
    if serial_default and not any(a.startswith(("--jobs", "-j")) for a in args):
        args = [*args, "--jobs", "1"]
    return runner.invoke(cli, args, input=input, env=env, catch_exceptions=False)
