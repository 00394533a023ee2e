"""Which settings apply to each open document, as `hplint check` resolves them.

A `file:` document takes the configuration of the nearest `hplint.toml`/`pyproject.toml` above
it (hplint.config.Resolver, with its project boundary); an unsaved buffer (`untitled:`) takes the
workspace root's. A document the configuration excludes (`exclude`, `extend-exclude`, e.g. files
under `build/` or `site-packages/`) is not linted, as `--force-exclude` does for pre-commit;
`.gitignore` is not consulted (an ignored scratch notebook one edits still gets diagnostics).
Resolutions are cached until a configuration file changes; then `reload()` starts afresh.
A configuration error is reported once (through `on_error`) and the file gets the defaults,
so a typo in `pyproject.toml` does not silence the editor. The fix keys (`fixable`, `unfixable`,
`extend-safe-fixes`, `extend-unsafe-fixes`) shape the code actions as they shape `--fix`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from hplint.config import HPLINT_TOML, PYPROJECT, CliOptions, Config, ConfigError, Resolver
from hplint.diagnostics import Diagnostic
from hplint.discovery import excluded, relative_to
from hplint.settings import Settings

CONFIG_FILES = (PYPROJECT, HPLINT_TOML)


@dataclass(frozen=True, slots=True)
class FileSettings:
    settings: Settings
    relative: str  # relative to the configuration's root: for per-file-ignores, test-file detection
    display: str
    excluded: bool = False
    # The configuration's fix policy applied to each diagnostic, as `--fix` applies it: a code
    # `unfixable` (or not `fixable`) loses its fix, `extend-safe-fixes`/`extend-unsafe-fixes`
    # reclassify it. None: the configuration says nothing about fixes.
    fix_policy: Callable[[Diagnostic], Diagnostic] | None = None
    unsafe_fixes: bool = False  # the configuration's `unsafe-fixes`: "fix all" applies unsafe fixes too


def fix_policy(config: Config) -> Callable[[Diagnostic], Diagnostic] | None:
    if not (config.extend_safe_fixes or config.extend_unsafe_fixes or config.unfixable or config.fixable != ("ALL",)):
        return None

    def apply(diagnostic: Diagnostic) -> Diagnostic:
        if diagnostic.fix is None:
            return diagnostic
        if not config.may_fix(diagnostic.code):
            return replace(diagnostic, fix=None)
        return config.reclassify(diagnostic)

    return apply


class Configurations:
    def __init__(self, root: Path | None, options: CliOptions | None = None, on_error: Callable[[str], None] | None = None) -> None:
        self.root = Path(os.path.abspath(root)) if root is not None else Path.cwd()
        self.options = options or CliOptions()
        self.on_error = on_error or (lambda message: None)
        self._reported: set[str] = set()
        self.generation = 0  # bumped on every reload: results computed before are stale
        self.reload()

    def reload(self) -> None:
        self.generation += 1
        self._cache: dict[Path | None, FileSettings] = {}
        self._reported.clear()
        try:
            self.resolver: Resolver | None = Resolver(self.options, cwd=self.root)
        except ConfigError as error:  # `--config FILE` is broken: defaults until it is fixed
            self._report(str(error))
            self.resolver = None

    def for_path(self, path: Path | None) -> FileSettings:
        found = self._cache.get(path)
        if found is None:
            found = self._cache[path] = self._resolve(path)
        return found

    def _resolve(self, path: Path | None) -> FileSettings:
        display = str(path) if path is not None else "<unsaved>"
        if self.resolver is None:
            return FileSettings(Settings(root=str(self.root)), display, display)
        try:
            config = self.resolver.for_path(path) if path is not None else self.resolver.default()
        except ConfigError as error:
            self._report(str(error))
            directory = path.parent if path is not None else self.root
            return FileSettings(Settings(root=str(directory)), path.name if path else display, display)
        if path is None:
            return FileSettings(config.settings, "-", display, fix_policy=fix_policy(config), unsafe_fixes=bool(config.unsafe_fixes))
        absolute = str(Path(os.path.abspath(path)))
        relative = relative_to(absolute, config.settings.root)
        return FileSettings(
            config.settings, relative, display, _excluded(config, Path(absolute)), fix_policy(config), bool(config.unsafe_fixes)
        )

    def _report(self, message: str) -> None:
        if message not in self._reported:
            self._reported.add(message)
            self.on_error(message)


def is_config_file(path: Path | None) -> bool:
    return path is not None and path.name in CONFIG_FILES


def _excluded(config, path: Path) -> bool:
    """The file, or a directory above it inside the configuration's root, matches an exclude."""
    root = config.root
    chain = [path] + [parent for parent in path.parents if parent == root or root in parent.parents]
    return any(excluded(config, str(candidate), index > 0) for index, candidate in enumerate(chain))
