"""The rule registry. One module per family; importing it registers its rules."""

from __future__ import annotations

from importlib import import_module

from hplint.rules.base import _REGISTRY, FAMILIES, Option, Rule, register  # noqa: F401

RULE_MODULES = (
    "hplint.rules.hardcoded",  # HPL1xx
    "hplint.rules.selection",  # HPL2xx
    "hplint.rules.regularization",  # HPL3xx
    "hplint.rules.leakage",  # HPL4xx
    "hplint.rules.overlap",  # HPL410
    "hplint.rules.temporal",  # HPL412-413 (time-ordered data)
    "hplint.rules.groups",  # HPL411 (rows repeated per group)
    "hplint.rules.search_space",  # HPL5xx
    "hplint.rules.reproducibility",  # HPL6xx
    "hplint.rules.fairness",  # HPL7xx
    "hplint.rules.meta",  # HPL9xx
)

_loaded = False


def all_rules() -> dict[str, type[Rule]]:
    """Every registered rule by code, sorted by code."""
    global _loaded
    if not _loaded:
        for module in RULE_MODULES:
            import_module(module)
        _loaded = True
    return dict(sorted(_REGISTRY.items()))


def get(code: str) -> type[Rule] | None:
    return all_rules().get(code)
