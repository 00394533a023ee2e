"""Effective settings: which rules run on which file, with which options.

`config.py` builds a `Settings` from `pyproject.toml`/`hplint.toml` and the command line; the engine
only reads it. Settings are plain data so they pickle to worker processes and hash into cache keys.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] | None = None  # None: the rules of `previous`, or the defaults
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # The layer below (the configuration file's selection under the command line's): as in ruff,
    # a later layer overrides an earlier one whatever their specificity.
    previous: "Selection | None" = None


def _matches(selector: str, code: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def _specificity(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector)


def resolve_codes(selection: Selection, all_codes: dict[str, bool]) -> frozenset[str]:
    """Enabled codes from `select` (replaces the defaults), `extend-select` (adds) and `ignore`
    (removes). As in ruff, the most specific selector wins: `ignore = ["HPL1"]` with
    `select = ["HPL101"]` keeps HPL101."""
    if selection.previous is not None:
        base = resolve_codes(selection.previous, all_codes)
    else:
        base = frozenset(code for code, default_on in all_codes.items() if default_on)
    enabled: set[str] = set()
    for code in all_codes:
        if selection.select is None:
            chosen = code in base
            choose_rank = 0
        else:
            ranks = [_specificity(s) for s in selection.select if _matches(s, code)]
            chosen = bool(ranks)
            choose_rank = max(ranks) if ranks else -1
        extend_ranks = [_specificity(s) for s in selection.extend_select if _matches(s, code)]
        if extend_ranks:
            chosen = True
            choose_rank = max(choose_rank, max(extend_ranks))
        ignore_ranks = [_specificity(s) for s in selection.ignore if _matches(s, code)]
        if chosen and ignore_ranks and max(ignore_ranks) >= choose_rank:
            chosen = False
        if chosen:
            enabled.add(code)
    return frozenset(enabled)


@dataclass(frozen=True)
class Settings:
    selection: Selection = field(default_factory=Selection)
    # glob (relative to `root`) -> codes/prefixes ignored in matching files
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rule_options: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()
    root: str = "."  # the directory of the configuration file, for relative globs
    check_test_files: bool = False  # HPL1xx skip test files unless set
    source: str | None = None  # configuration file the settings came from, for messages
    # Column names of sensitive attributes (`sensitive-attributes`): turns on the HPL7xx rules
    # that need the project to say who the groups are.
    sensitive_attributes: tuple[str, ...] = ()

    def options_for(self, code: str) -> dict[str, object]:
        for rule_code, options in self.rule_options:
            if rule_code == code:
                return dict(options)
        return {}

    def enabled_codes(self, all_codes: dict[str, bool]) -> frozenset[str]:
        return resolve_codes(self.selection, all_codes)

    def ignored_for(self, relative_path: str) -> tuple[str, ...]:
        """Codes/prefixes that `per-file-ignores` removes for a path relative to `root`."""
        path = PurePosixPath(relative_path)
        ignored: list[str] = []
        for pattern, codes in self.per_file_ignores:
            if _glob_match(path, pattern):
                ignored.extend(codes)
        return tuple(ignored)

    @cached_property
    def fingerprint(self) -> str:
        """A stable hash of everything that changes what a file's check produces."""
        import hashlib  # only the cache needs a fingerprint (start-up stays lean)
        import json

        payload = json.dumps(
            [
                repr(self.selection),
                self.per_file_ignores,
                [(c, [(k, repr(v)) for k, v in o]) for c, o in self.rule_options],
                self.check_test_files,
                self.sensitive_attributes,
            ],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _glob_match(path: PurePosixPath, pattern: str) -> bool:
    """ruff-style per-file glob: a pattern without a slash matches the file name anywhere."""
    text = str(path)
    if "/" not in pattern:
        return fnmatch.fnmatch(path.name, pattern) or fnmatch.fnmatch(text, pattern)
    pattern = pattern.removeprefix("./")
    return fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch(text, pattern.rstrip("/") + "/*")
