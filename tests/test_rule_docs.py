"""The pages in rules/ are generated from the rule classes; this fails when one is stale."""

from __future__ import annotations

from pathlib import Path

from hplint.docs import expected_pages, stale_pages
from hplint.rules import all_rules
from tests.cli_support import invoke

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


def test_rule_pages_are_up_to_date():
    stale = stale_pages(RULES_DIR)
    assert not stale, (
        f"stale pages in rules/: {', '.join(stale)}; run `python scripts/generate_rule_docs.py`"
    )


def test_every_rule_has_a_page_and_the_index_links_it():
    pages = expected_pages()
    index = pages["README.md"]
    for code, rule in all_rules().items():
        assert f"{code}.md" in pages
        assert f"[{code}]({code}.md)" in index
        assert pages[f"{code}.md"].count(rule.documentation().strip()) == 1


def test_documentation_has_the_conventional_sections():
    for code, rule in all_rules().items():
        text = rule.documentation()
        assert text.startswith(f"# {rule.name} ({code})"), code
        for section in ("## What it does", "## Why is this bad?", "## Example"):
            assert section in text, f"{code} lacks {section}"


def test_rule_command_prints_the_same_text_as_the_page():
    code, rule = next(iter(all_rules().items()))
    assert invoke(["rule", code]).stdout == rule.documentation()
