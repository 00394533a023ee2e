"""Every rule's own examples: `invalid` snippets fire the rule, `valid` ones do not."""

from __future__ import annotations

import pytest

from hplint.rules import all_rules
from tests.conftest import lint

CASES = [
    (code, kind, index, snippet)
    for code, rule in all_rules().items()
    for kind, snippets in (("valid", rule.valid), ("invalid", rule.invalid))
    for index, snippet in enumerate(snippets)
]


@pytest.mark.parametrize(
    ("code", "kind", "index", "snippet"), CASES, ids=[f"{c}-{k}-{i}" for c, k, i, _ in CASES]
)
def test_rule_example(code: str, kind: str, index: int, snippet: str) -> None:
    # Rules that need project settings (HPL703's declared sensitive attributes) name them.
    settings = getattr(all_rules()[code], "example_settings", {})
    found = [d for d in lint(snippet, select=(code,), **settings) if d.code == code]
    if kind == "invalid":
        assert found, f"{code} should fire on its invalid example {index}"
    else:
        assert not found, f"{code} fired on its valid example {index}: {[d.message for d in found]}"


def test_every_rule_has_docs_and_examples() -> None:
    for code, rule in all_rules().items():
        assert rule.summary and "\n" not in rule.summary, code
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert heading in rule.doc, f"{code} docs lack {heading}"
        if code not in ("HPL901", "HPL902", "HPL903"):  # emitted by the engine, tested on their own
            assert rule.invalid and rule.valid, f"{code} needs valid and invalid examples"
