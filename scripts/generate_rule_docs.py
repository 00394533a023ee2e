#!/usr/bin/env python
"""Write rules/<CODE>.md and rules/README.md from the rule classes' documentation().

Run after changing a rule's docs; tests/test_rule_docs.py fails while a page is stale.
Usage: python scripts/generate_rule_docs.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hplint.docs import stale_pages, write_pages  # noqa: E402

RULES_DIR = ROOT / "rules"


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = stale_pages(RULES_DIR)
        for name in stale:
            print(f"stale: rules/{name}")
        return 1 if stale else 0
    touched = write_pages(RULES_DIR)
    for name in touched:
        print(f"wrote rules/{name}")
    print(f"{len(touched)} page(s) updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
