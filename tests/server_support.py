"""Runs `hplint server` with a test-only rule that has a fix (its fix is predictable, unlike released rules whose fixes depend on the code):
HPL991 reports a top-level `lr = <number>` and offers to replace the number by `config.lr`.

    python -m tests.server_support
"""

from __future__ import annotations

from hplint.rules.base import _REGISTRY, Rule

PROBE = "HPL991"


class FixableProbe(Rule):
    code = PROBE
    name = "probe-fixable-lr"
    summary = "Test probe: a top-level `lr = <number>` (fixable)"
    doc = "## What it does\nA rule for hplint's server tests."
    needs_ml = False

    def check(self, ctx) -> None:
        import libcst as cst

        from hplint.context import FixSpec

        for statement in ctx.module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign)
                    and isinstance(small.targets[0].target, cst.Name)
                    and small.targets[0].target.value == "lr"
                    and isinstance(small.value, (cst.Float, cst.Integer))
                ):
                    fix = FixSpec("Read `lr` from the config", ((small.value, "config.lr"),))
                    ctx.report(self, small.value, "`lr` is a literal", fix=fix)


if __name__ == "__main__":
    _REGISTRY[PROBE] = FixableProbe
    from hplint.server.server import serve

    serve()
