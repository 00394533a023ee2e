"""`--show-settings` and `--show-files` (ruff's names): what a run would use, without checking."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from hplint.config import Resolver


def show_files(resolver: "Resolver", paths: list[str], force_exclude: bool, cache_dir: str | None, echo: Callable) -> int:
    """Every file a run on `paths` would check, one absolute path a line, sorted (as ruff)."""
    from hplint.discovery import discover

    found = discover(paths, resolver, force_exclude)
    for message in found.errors + found.warnings:
        echo(message, err=True)
    for path in sorted(file.path for file in found.files):
        echo(path)
    return 2 if found.errors else 0


def show_settings(resolver: "Resolver", paths: list[str], force_exclude: bool, cache_dir: str | None, echo: Callable) -> int:
    """The resolved configuration of the first file a run on `paths` would check (or of the first
    path itself when no file is found): where it comes from and every value it decides."""
    from hplint.cache import cache_directory
    from hplint.discovery import discover, relative_to
    from hplint.rules import all_rules

    found = discover(paths, resolver, force_exclude)
    for message in found.errors:
        echo(message, err=True)
    if found.files:
        target, config = found.files[0].path, found.files[0].config
    else:
        target = os.path.abspath(paths[0])
        config = resolver.for_path(Path(target))
    settings = config.settings
    registry = all_rules()
    enabled = sorted(settings.enabled_codes({code: rule.default_enabled for code, rule in registry.items()}))
    relative = relative_to(target, settings.root)
    layers = []
    selection = settings.selection
    while selection is not None:
        layers.append(selection)
        selection = selection.previous
    lines = [
        f"Resolved settings for: {target}",
        f"Settings path: {config.path if config.path else 'none (defaults)'}",
    ]
    if resolver.cli.isolated:
        lines.append("Isolated: configuration files ignored (--isolated)")
    lines += [f"Extends: {path}" for path in config.extends]
    lines += [
        "",
        f"root = {settings.root!r}",
        f"cache-dir = {cache_directory(settings.root, config.cache_dir, cache_dir)!r}",
    ]
    names = ("command line", "configuration") if len(layers) == 2 else ("configuration",)
    for name, layer in zip(names, layers):
        lines.append(f"select ({name}) = {_list(layer.select) if layer.select is not None else 'default'}")
        lines.append(f"extend-select ({name}) = {_list(layer.extend_select)}")
        lines.append(f"ignore ({name}) = {_list(layer.ignore)}")
    lines.append(f"per-file-ignores = {{{', '.join(f'{p!r}: {_list(c)}' for p, c in settings.per_file_ignores)}}}")
    lines.append(f"check-test-files = {str(settings.check_test_files).lower()}")
    lines.append(f"respect-gitignore = {str(config.respect_gitignore).lower()}")
    lines.append(f"exclude = {_list(config.exclude)}")
    lines.append(f"extend-exclude = {_list(config.extend_exclude)}")
    lines.append("")
    lines.append(f"enabled rules ({len(enabled)}) = {_list(enabled)}")
    ignored = settings.ignored_for(relative)
    lines.append(f"ignored for {relative} by per-file-ignores = {_list(ignored)}")
    for code, options in settings.rule_options:
        lines.append(f"[{code}] " + ", ".join(f"{name} = {value!r}" for name, value in options))
    for line in lines:
        echo(line)
    return 2 if found.errors else 0


def _list(values) -> str:
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"
