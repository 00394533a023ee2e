"""What a rule is: a small class with its metadata, docs, examples and a `check` over shared facts.

Rules never walk the syntax tree themselves for facts the shared analysis already has (imports,
qualified names, calls, assignments, data lineage): they read `ctx.semantic` and `ctx.dataflow`,
which are computed once per file, and report through `ctx.report`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from hplint.context import FileContext

FAMILIES: dict[str, str] = {
    "1": "hardcoded-hyperparameters",
    "2": "model-selection",
    "3": "regularization",
    "4": "leakage",
    "5": "search-space",
    "6": "reproducibility",
    "7": "fairness",
    "9": "hplint",
}


@dataclass(frozen=True, slots=True)
class Option:
    """A per-rule setting, read from `[tool.hplint.HPLxxx]`."""

    type: type | tuple[type, ...]
    default: Any
    doc: str


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]  # one line, shown by `hplint rule --all` and in SARIF
    doc: ClassVar[str]  # Markdown: What it does / Why is this bad? / Example / Use instead
    default_enabled: ClassVar[bool] = True
    severity: ClassVar[str] = "warning"
    options: ClassVar[dict[str, Option]] = {}
    # Snippets that must not / must produce this rule's diagnostics; run by the test suite and
    # shown in the docs.
    valid: ClassVar[tuple[str, ...]] = ()
    invalid: ClassVar[tuple[str, ...]] = ()
    # Rules that only make sense on ML code are skipped for files importing no ML library.
    needs_ml: ClassVar[bool] = True

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        values = {key: option.default for key, option in self.options.items()}
        values.update(options or {})
        self.option_values = values

    def option(self, key: str) -> Any:
        return self.option_values[key]

    @classmethod
    def family(cls) -> str:
        return FAMILIES.get(cls.code[3], "other")

    @classmethod
    def documentation(cls) -> str:
        """The full Markdown page of the rule (what `hplint rule CODE` prints)."""
        parts = [f"# {cls.name} ({cls.code})", "", cls.summary, ""]
        parts.append(
            f"Family: {cls.family()} · Default: {'on' if cls.default_enabled else 'off'}"
        )
        parts += ["", textwrap.dedent(cls.doc).strip(), ""]
        if cls.options:
            parts += ["## Options", ""]
            for key, option in cls.options.items():
                parts.append(f"- `{key}` (default `{option.default!r}`): {option.doc}")
            parts += ["", f"Set them in `[tool.hplint.{cls.code}]`.", ""]
        return "\n".join(parts).rstrip() + "\n"

    def check(self, ctx: "FileContext") -> None:  # pragma: no cover - interface
        raise NotImplementedError


_REGISTRY: dict[str, type[Rule]] = {}


def register(rule: type[Rule]) -> type[Rule]:
    """Class decorator: adds a rule to the registry by its code (codes never change meaning)."""
    if rule.code in _REGISTRY and _REGISTRY[rule.code] is not rule:
        raise ValueError(f"duplicate rule code {rule.code}")
    _REGISTRY[rule.code] = rule
    return rule
