"""Configuration: `[tool.hplint]` in `pyproject.toml`, `hplint.toml`, or `--config FILE`.

Each checked path takes the settings of the nearest configuration file above it (a `pyproject.toml`
without a `[tool.hplint]` table is skipped); `--config` applies one file to every path. The
command line's options are a layer on top of the file's. Every mistake in a file is a `ConfigError`
naming the file, the line and the key: tomllib gives no positions, so the line is found by scanning
the TOML text for the key.

The search never leaves the project, so a checkout cannot be configured by a file its author did
not write (a `pyproject.toml` in the home directory, a `hplint.toml` planted in `/tmp`):
- Inside a repository (a directory above holds `.git` — a directory, or a file in worktrees and
  submodules —, `.hg`, `.jj` or `.svn`), the project is the repository: the search stops at its
  root, whose own files count. A sub-package's `pyproject.toml` without `[tool.hplint]` is skipped,
  so a monorepo's root configuration reaches it (as in ruff). A submodule is its own project.
- Outside any repository, the first directory with a `pyproject.toml` is the project's root: one
  without `[tool.hplint]` there means the defaults, not a search further up.
- A configuration file that is a symbolic link resolving outside the project is an error, and in a
  world-writable sticky directory (`/tmp`) a file owned by another user is ignored.
- `--config FILE` is the explicit ask: any file, anywhere, for every path.
ruff walks up to the file system's root instead; the difference only shows for a file above a
repository's root, or above an unversioned Python project, which the project did not ask for.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hplint.settings import Selection, Settings

PYPROJECT = "pyproject.toml"
HPLINT_TOML = "hplint.toml"
# What marks a repository's root (`.git` is a file in worktrees and submodules).
VCS_MARKERS = (".git", ".hg", ".jj", ".svn")

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", ".mypy_cache", ".ruff_cache",
    ".pytest_cache", ".hplint_cache", "__pycache__", "build", "dist", "node_modules",
    "site-packages", ".eggs", "*.egg-info", ".ipynb_checkpoints",
)  # fmt: skip

_RULE_CODE = re.compile(r"^HPL[0-9]{3}$")


class ConfigError(Exception):
    """A mistake in a configuration file or in a selector on the command line (exit status 2)."""


@dataclass(frozen=True)
class Config:
    """Everything one configuration file (or none) decides."""

    settings: Settings
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    path: Path | None = None  # None: no configuration file, defaults with `root` = cwd
    cache_dir: str | None = None  # `cache-dir`, absolute (relative to its file); None: <root>/.hplint_cache
    extends: tuple[str, ...] = ()  # the files `extend` chained in, nearest first (for --show-settings)
    # Fixing (as ruff's keys): what `--fix` does for files under this configuration. Not part of
    # the settings' fingerprint: they do not change what is found.
    fix: bool = False
    unsafe_fixes: bool | None = None  # None: not said (unsafe fixes are shown as hidden)
    fixable: tuple[str, ...] = ("ALL",)
    unfixable: tuple[str, ...] = ()
    extend_safe_fixes: tuple[str, ...] = ()  # ruff's: these codes' unsafe fixes count as safe
    extend_unsafe_fixes: tuple[str, ...] = ()  # ruff's: these codes' safe fixes count as unsafe

    def reclassify(self, diagnostic):
        """`diagnostic` with its fix's applicability as `extend-safe-fixes`/`extend-unsafe-fixes`
        say (the longer selector wins, as ruff); display-only fixes are never promoted."""
        fix = diagnostic.fix
        if fix is None or fix.applicability == "display-only" or not (self.extend_safe_fixes or self.extend_unsafe_fixes):
            return diagnostic
        code = diagnostic.code

        def longest(selectors: tuple[str, ...]) -> int:
            return max((len(s) for s in selectors if s == "ALL" or code.startswith(s)), default=-1)

        safe, unsafe = longest(self.extend_safe_fixes), longest(self.extend_unsafe_fixes)
        wanted = fix.applicability
        if safe > unsafe:
            wanted = "safe"
        elif unsafe > safe:
            wanted = "unsafe"
        if wanted == fix.applicability:
            return diagnostic
        return replace(diagnostic, fix=replace(fix, applicability=wanted))

    def may_fix(self, code: str) -> bool:
        """Whether `fixable`/`unfixable` let `--fix` apply fixes for `code` (the longer selector wins)."""
        def longest(selectors: tuple[str, ...]) -> int:
            return max((len(s) for s in selectors if s == "ALL" or code.startswith(s)), default=-1)

        allowed, denied = longest(self.fixable), longest(self.unfixable)
        return allowed >= 0 and allowed > denied

    @property
    def root(self) -> Path:
        return Path(self.settings.root)

    @property
    def excludes(self) -> tuple[str, ...]:
        return self.exclude + self.extend_exclude


@dataclass(frozen=True)
class CliOptions:
    """The command line's layer: it overrides what the configuration files say."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config_file: Path | None = None
    isolated: bool = False  # --isolated: no configuration file is read


# -- the rules a configuration may name --------------------------------------------------------


# Option types a snapshot can name (TOML values are of these types only).
_SNAPSHOT_TYPES: dict[str, type] = {t.__name__: t for t in (bool, int, float, str, list, tuple, dict)}


@dataclass(frozen=True)
class RuleCatalog:
    """Known codes and each rule's option types (code -> option name -> accepted types), for
    validating selectors and per-rule tables.

    Importing the rules imports libcst (a quarter of a second), which a fully cached run never
    needs otherwise; so the catalog is also kept as a snapshot next to hplint's bytecode cache,
    keyed by the fingerprint of hplint's own code, and read from there when it is current."""

    options: dict[str, dict[str, tuple[type, ...]]]

    @classmethod
    def from_registry(cls) -> "RuleCatalog":
        from hplint.rules import all_rules

        return cls(
            {
                code: {name: _types(option.type) for name, option in rule.options.items()}
                for code, rule in all_rules().items()
            }
        )

    def is_selector(self, selector: str) -> bool:
        return selector == "ALL" or any(code.startswith(selector) for code in self.options)


def _types(declared: type | tuple[type, ...]) -> tuple[type, ...]:
    return declared if isinstance(declared, tuple) else (declared,)


def _snapshot_path() -> Path:
    """Beside the bytecode Python caches for this module: in the installed package's __pycache__,
    or under PYTHONPYCACHEPREFIX when that is set. hplint writes there what Python itself writes
    there (derived data of hplint's own code, never of the checked code), nothing else."""
    from importlib.util import cache_from_source

    from hplint.cache import code_fingerprint

    return Path(cache_from_source(__file__)).parent / f"rule-catalog-{code_fingerprint()}.json"


def _read_snapshot() -> RuleCatalog | None:
    try:
        document = json.loads(_snapshot_path().read_text(encoding="utf-8"))
        return RuleCatalog(
            {
                code: {name: tuple(_SNAPSHOT_TYPES[t] for t in types) for name, types in options.items()}
                for code, options in document.items()
            }
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_snapshot(catalog: RuleCatalog) -> None:
    """Only a catalog of hplint's own rule modules, with option types a snapshot can name."""
    from hplint.rules import RULE_MODULES, all_rules

    if sys.dont_write_bytecode:
        return  # `python -B` / PYTHONDONTWRITEBYTECODE: nothing beside the bytecode either
    if any(rule.__module__ not in RULE_MODULES for rule in all_rules().values()):
        return  # a rule registered at run time (tests): not part of the installed hplint
    document = {}
    for code, options in catalog.options.items():
        if any(t.__name__ not in _SNAPSHOT_TYPES for types in options.values() for t in types):
            return
        document[code] = {name: [t.__name__ for t in types] for name, types in options.items()}
    target = _snapshot_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        temporary.write_text(json.dumps(document), encoding="utf-8")
        os.replace(temporary, target)
        for stale in target.parent.glob("rule-catalog-*.json"):
            if stale != target:
                stale.unlink()
    except OSError:
        pass  # a read-only installation: the rules are imported each time, nothing worse


_catalog: RuleCatalog | None = None


def catalog() -> RuleCatalog:
    global _catalog
    if _catalog is None:
        from hplint.rules.base import _REGISTRY

        # Rules already imported (or registered by a test): ask them; else try the snapshot.
        _catalog = None if _REGISTRY else _read_snapshot()
        if _catalog is None:
            _catalog = RuleCatalog.from_registry()
            _write_snapshot(_catalog)
    return _catalog


def parse_selectors(values: tuple[str, ...] | list[str], option: str) -> tuple[str, ...]:
    """`--select A,B --select C` -> ("A", "B", "C"), each checked against the known rules."""
    selectors: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip().upper()
            if not part:
                continue
            if not catalog().is_selector(part):
                raise ConfigError(f"{option}: unknown rule code or prefix `{part}`")
            selectors.append(part)
    return tuple(selectors)


# -- reading one file -------------------------------------------------------------------------


class _Located:
    """Finds the line of a key in TOML text, for messages."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")

    def __init__(self, path: Path, text: str, prefix: tuple[str, ...]) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.prefix = prefix  # ("tool", "hplint") for pyproject.toml, () for hplint.toml

    def line_of(self, keys: tuple[str, ...]) -> int | None:
        """Line where `keys` (a path below the hplint table) is set, or None."""
        if not keys:
            return self._header_line(self.prefix)
        table, key = self.prefix + keys[:-1], keys[-1]
        header_line = self._header_line(table + (key,))  # `[tool.hplint.HPL101]` for `HPL101`
        if header_line is not None:
            return header_line
        assignment = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
        current: tuple[str, ...] = ()
        for number, line in enumerate(self.lines, start=1):
            header = self._HEADER.match(line)
            if header:
                current = self._parts(header.group(1))
            elif current == table and assignment.match(line):
                return number
        # Dotted keys or inline tables: `per-file-ignores = { "x.py" = [...] }`.
        anywhere = re.compile(r"(?:^|[\s{,.])[\"']?" + re.escape(key) + r"[\"']?\s*=")
        for number, line in enumerate(self.lines, start=1):
            if anywhere.search(line):
                return number
        return None

    def _header_line(self, table: tuple[str, ...]) -> int | None:
        for number, line in enumerate(self.lines, start=1):
            header = self._HEADER.match(line)
            if header and self._parts(header.group(1))[: len(table)] == table:
                return number
        return None

    @staticmethod
    def _parts(dotted: str) -> tuple[str, ...]:
        return tuple(part.strip().strip("\"'") for part in dotted.split("."))

    def error(self, keys: tuple[str, ...], message: str) -> ConfigError:
        line = None
        probe = keys
        while line is None and probe:
            line = self.line_of(probe)
            probe = probe[:-1]
        if line is None:
            line = self.line_of(())
        where = f"{shown(self.path)}:{line}" if line else shown(self.path)
        name = ".".join(self.prefix + keys)
        return ConfigError(f"{where}: `{name}`: {message}")


def shown(path: Path) -> str:
    """A path for messages: relative to the current directory when inside it."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd() + os.sep
    return absolute[len(cwd) :] if absolute.startswith(cwd) else absolute


def _read_toml(path: Path) -> tuple[dict, str]:
    # Imported here: a run with no configuration file (pre-commit on one file) never parses TOML.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{shown(path)}: not valid UTF-8") from None
    except OSError as error:
        raise ConfigError(f"{shown(path)}: cannot read: {error.strerror or error}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends with "(at line L, column C)"; say it the way compilers do.
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        if match:
            message = message[: match.start()].strip()
            where = f"{match.group(1)}:{match.group(2)}"
        else:
            message = re.sub(r"\s*\(at end of document\)$", "", message) + " at the end of the file"
            where = f"{max(1, len(text.splitlines()))}"
        raise ConfigError(f"{shown(path)}:{where}: invalid TOML: {message}") from None


def hplint_table(path: Path) -> tuple[dict, _Located] | None:
    """The hplint table of a configuration file, or None for a pyproject.toml without one."""
    document, text = _read_toml(path)
    if path.name == PYPROJECT:
        tool = document.get("tool")
        if not isinstance(tool, dict) or "hplint" not in tool:
            return None
        table = tool["hplint"]
        located = _Located(path, text, ("tool", "hplint"))
    else:
        table = document
        located = _Located(path, text, ())
    if not isinstance(table, dict):
        raise located.error((), "must be a table")
    return table, located


def _string_list(table: dict, key: str, located: _Located) -> tuple[str, ...]:
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise located.error((key,), f"must be a list of strings, got {_describe(value)}")
    return tuple(value)


def _selectors(table: dict, key: str, located: _Located) -> tuple[str, ...]:
    values = _string_list(table, key, located)
    for selector in values:
        if not catalog().is_selector(selector.upper()):
            raise located.error((key,), f"unknown rule code or prefix `{selector}`")
    return tuple(value.upper() for value in values)


def _attribute_names(table: dict, key: str, located: _Located) -> tuple[str, ...]:
    """Column names: non-empty, each once (a typo'd duplicate usually hides a missing name)."""
    names = _string_list(table, key, located)
    for name in names:
        if not name.strip():
            raise located.error((key,), "column names must not be empty")
        if names.count(name) > 1:
            raise located.error((key,), f"`{name}` is listed twice")
    return names


def _bool(table: dict, key: str, located: _Located) -> bool:
    value = table[key]
    if not isinstance(value, bool):
        raise located.error((key,), f"must be true or false, got {_describe(value)}")
    return value


def _describe(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a float", list: "a list", dict: "a table"}
    return f"{names.get(type(value), type(value).__name__)} ({value!r})"[:80]


def _type_name(types: tuple[type, ...]) -> str:
    return " or ".join(t.__name__ for t in types)


def _option_value(value: object, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in types:
        return False  # `true` is not a number, whatever Python says
    if isinstance(value, int) and float in types:
        return True
    if isinstance(value, list) and tuple in types:
        return True  # TOML has arrays only
    return isinstance(value, types)


def _rule_options(code: str, table: object, located: _Located) -> tuple[tuple[str, object], ...]:
    declared = catalog().options[code]
    if not isinstance(table, dict):
        raise located.error((code,), f"must be a table of {code}'s options, got {_describe(table)}")
    by_spelling = {name.replace("_", "-"): name for name in declared}
    values = []
    for key, value in table.items():
        name = by_spelling.get(key.replace("_", "-"))
        if name is None:
            known = ", ".join(sorted(declared)) or "none"
            raise located.error((code, key), f"unknown option of {code} (its options: {known})")
        types = declared[name]
        if not _option_value(value, types):
            raise located.error((code, key), f"must be {_type_name(types)}, got {_describe(value)}")
        if isinstance(value, list) and list not in types:
            value = tuple(value)
        values.append((name, value))
    return tuple(sorted(values))


_KNOWN_KEYS = (
    "select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude",
    "respect-gitignore", "check-test-files", "sensitive-attributes", "extend", "cache-dir",
    "fix", "unsafe-fixes", "fixable", "unfixable", "extend-safe-fixes", "extend-unsafe-fixes",
)  # fmt: skip

# Keys whose values accumulate along an `extend` chain; every other key of the extending file
# replaces the extended one's (as in ruff).
_ACCUMULATED = ("extend-select", "extend-exclude")


def _extended_table(path: Path, table: dict, located: _Located, chain: tuple[Path, ...]) -> tuple[dict, tuple[str, ...]]:
    """`table` on top of the file its `extend` names (relative to this file, chains followed), and
    the chain of files read. The extended files are validated as files of their own first, so an
    error names the file it is in."""
    value = table["extend"]
    if not isinstance(value, str) or not value:
        raise located.error(("extend",), f"must be the path of a configuration file, got {_describe(value)}")
    base_path = Path(os.path.abspath(Path(os.path.abspath(path)).parent / os.path.expanduser(value)))
    if base_path in chain:
        cycle = " -> ".join(shown(p) for p in (*chain, base_path))
        raise located.error(("extend",), f"configuration files extend each other in a cycle: {cycle}")
    if not base_path.is_file():
        raise located.error(("extend",), f"{shown(base_path)}: configuration file not found")
    found = hplint_table(base_path)
    if found is None:
        raise located.error(("extend",), f"{shown(base_path)} has no [tool.hplint] table")
    base, base_located = found
    extends: tuple[str, ...] = (str(base_path),)
    if "extend" in base:
        base, more = _extended_table(base_path, base, base_located, (*chain, base_path))
        extends += more
    load_config(base_path, _table=(base, base_located))  # its own mistakes, reported in its own name
    merged = {key: value for key, value in base.items() if key not in ("extend", "cache-dir")}
    if "cache-dir" in base:  # relative to the file that sets it
        merged["cache-dir"] = str(base_path.parent / os.path.expanduser(base["cache-dir"]))
    for key, value in table.items():
        if key == "extend":
            continue
        if key in _ACCUMULATED and isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *value]
        elif key == "per-file-ignores" and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        elif _RULE_CODE.match(key) and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged, extends


def load_config(path: Path, _table: tuple[dict, _Located] | None = None) -> Config | None:
    """Read and validate one configuration file; None for a pyproject.toml without `[tool.hplint]`."""
    found = _table or hplint_table(path)
    if found is None:
        return None
    table, located = found
    extends: tuple[str, ...] = ()
    if "extend" in table:
        table, extends = _extended_table(path, table, located, (Path(os.path.abspath(path)),))
    root = Path(os.path.abspath(path)).parent
    select = extend_select = ignore = None
    per_file_ignores: list[tuple[str, tuple[str, ...]]] = []
    rule_options: list[tuple[str, tuple[tuple[str, object], ...]]] = []
    config_fields: dict[str, Any] = {}
    settings_fields: dict[str, Any] = {}
    for key, value in table.items():
        if key == "select":
            select = _selectors(table, key, located)
        elif key == "extend-select":
            extend_select = _selectors(table, key, located)
        elif key == "ignore":
            ignore = _selectors(table, key, located)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise located.error((key,), f"must be a table of glob = [codes], got {_describe(value)}")
            for pattern in value:
                per_file_ignores.append((pattern, _selectors(value, pattern, _Nested(located, key))))
        elif key in ("exclude", "extend-exclude"):
            config_fields[key.replace("-", "_")] = _string_list(table, key, located)
        elif key == "respect-gitignore":
            config_fields["respect_gitignore"] = _bool(table, key, located)
        elif key == "check-test-files":
            settings_fields["check_test_files"] = _bool(table, key, located)
        elif key == "sensitive-attributes":
            settings_fields["sensitive_attributes"] = _attribute_names(table, key, located)
        elif key == "cache-dir":
            if not isinstance(value, str) or not value:
                raise located.error((key,), f"must be a directory path, got {_describe(value)}")
            config_fields["cache_dir"] = os.path.abspath(root / os.path.expanduser(value))
        elif key == "extend":
            pass  # a chain validated file by file in `_extended_table`
        elif key in ("fix", "unsafe-fixes"):
            config_fields[key.replace("-", "_")] = _bool(table, key, located)
        elif key in ("fixable", "unfixable"):
            config_fields[key] = _selectors(table, key, located)
        elif key in ("extend-safe-fixes", "extend-unsafe-fixes"):
            config_fields[key.replace("-", "_")] = _selectors(table, key, located)
        elif _RULE_CODE.match(key):
            if key not in catalog().options:
                raise located.error((key,), "unknown rule code")
            options = _rule_options(key, value, located)
            if options:
                rule_options.append((key, options))
        else:
            hint = _closest(key)
            raise located.error((key,), "unknown key" + (f" (did you mean `{hint}`?)" if hint else ""))
    settings = Settings(
        selection=Selection(select=select, extend_select=extend_select or (), ignore=ignore or ()),
        per_file_ignores=tuple(per_file_ignores),
        rule_options=tuple(rule_options),
        root=str(root),
        source=str(path),
        **settings_fields,
    )
    return Config(settings=settings, path=path, extends=extends, **config_fields)


class _Nested(_Located):
    """Errors inside a sub-table (`per-file-ignores`) name the full key."""

    def __init__(self, parent: _Located, key: str) -> None:
        self.path, self.lines, self.prefix = parent.path, parent.lines, parent.prefix + (key,)


def _closest(key: str) -> str | None:
    import difflib

    matches = difflib.get_close_matches(key.replace("_", "-"), _KNOWN_KEYS, n=1)
    return matches[0] if matches else None


def _inside(path: str, directory: str) -> bool:
    try:
        return os.path.commonpath([directory, path]) == directory
    except ValueError:  # Windows: another drive
        return False


# -- which file applies where -----------------------------------------------------------------


@dataclass
class Resolver:
    """Finds and caches the configuration of each directory, and applies the command line on top."""

    cli: CliOptions = field(default_factory=CliOptions)
    cwd: Path = field(default_factory=Path.cwd)
    _by_directory: dict[Path, Config] = field(default_factory=dict)
    _by_file: dict[Path, Config | None] = field(default_factory=dict)
    _fixed: Config | None = None
    _repositories: dict[Path, Path | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.cli.isolated:
            if self.cli.config_file is not None:
                raise ConfigError("--isolated ignores configuration files; it cannot be combined with --config")
            self._fixed = self._with_cli(Config(settings=Settings(root=str(self.cwd))))
        elif self.cli.config_file is not None:
            path = self.cli.config_file
            if not path.is_file():
                raise ConfigError(f"{path}: configuration file not found")
            loaded = load_config(path)
            if loaded is None:  # `--config pyproject.toml` without the table: defaults, that root
                loaded = Config(settings=Settings(root=os.path.dirname(os.path.abspath(path)), source=str(path)), path=path)
            self._fixed = self._with_cli(loaded)

    def default(self) -> Config:
        """The configuration for stdin without a file name and for paths outside any project."""
        return self.for_directory(self.cwd)

    def for_path(self, path: Path) -> Config:
        """The configuration of a file or directory (a file takes its directory's)."""
        directory = path if path.is_dir() else path.parent
        return self.for_directory(directory)

    def for_directory(self, directory: Path) -> Config:
        if self._fixed is not None:
            return self._fixed
        directory = Path(os.path.abspath(directory))
        found = self._by_directory.get(directory)
        if found is not None:
            return found
        config = self._nearest(directory)
        self._by_directory[directory] = config
        return config

    def _nearest(self, directory: Path) -> Config:
        for name in (HPLINT_TOML, PYPROJECT):
            candidate = directory / name
            if candidate in self._by_file:
                loaded = self._by_file[candidate]
            elif candidate.is_file() and self._trusted(candidate):
                loaded = load_config(candidate)
                self._by_file[candidate] = None if loaded is None else self._with_cli(loaded)
                loaded = self._by_file[candidate]
            else:
                continue
            if loaded is not None:
                return loaded
        if directory.parent == directory or self._is_project_root(directory):
            return self._with_cli(Config(settings=Settings(root=str(self.cwd))))
        return self.for_directory(directory.parent)

    # -- the project boundary (see the module docstring) --

    def _repository_root(self, directory: Path) -> Path | None:
        """The nearest directory at or above `directory` holding a version-control marker."""
        if directory in self._repositories:
            return self._repositories[directory]
        if any(os.path.lexists(directory / marker) for marker in VCS_MARKERS):
            found: Path | None = directory
        elif directory.parent == directory:
            found = None
        else:
            found = self._repository_root(directory.parent)
        self._repositories[directory] = found
        return found

    def _is_project_root(self, directory: Path) -> bool:
        """Discovery goes no higher than this directory: a repository's root or, outside any
        repository, a directory with a pyproject.toml (a Python project's root)."""
        repository = self._repository_root(directory)
        if repository is not None:
            return repository == directory
        return (directory / PYPROJECT).is_file()

    def _trusted(self, candidate: Path) -> bool:
        """A configuration file hplint will read without being asked. A symbolic link resolving
        outside the project is a ConfigError (reading it silently would let a checked-out tree
        pull in any file; `--config` names such a file explicitly). In a world-writable sticky
        directory (/tmp) a file someone else owns is ignored: anyone could have planted it."""
        directory = candidate.parent
        if os.path.islink(candidate):
            repository = self._repository_root(directory)
            boundary = os.path.realpath(repository if repository is not None else directory)
            target = os.path.realpath(candidate)
            if not _inside(target, boundary):
                raise ConfigError(
                    f"{shown(candidate)}: a symbolic link to {target}, outside the project "
                    f"({boundary}); hplint does not follow it unasked: pass `--config {target}` to use it"
                )
        if hasattr(os, "getuid"):
            try:
                folder, owner = os.stat(directory), os.stat(candidate).st_uid
            except OSError:
                return False
            shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
            if shared and owner not in (0, os.getuid()):
                return False
        return True

    def _with_cli(self, config: Config) -> Config:
        cli = self.cli
        if cli.select is None and not cli.extend_select and not cli.ignore:
            return config
        file_layer = config.settings.selection
        selection = Selection(
            select=cli.select, extend_select=cli.extend_select, ignore=cli.ignore, previous=file_layer
        )
        return replace(config, settings=replace(config.settings, selection=selection))
