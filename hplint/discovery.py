"""Which files to check: `.py` and `.ipynb` under the given paths, minus excludes and `.gitignore`.

Directories are walked in sorted order (the output order does not depend on the file system),
symbolic links are followed with loop detection, and problems are collected as one-line messages
rather than raised: one bad path never stops the others from being checked.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from hplint.config import Config, Resolver

SOURCE_SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True, slots=True)
class Discovered:
    path: str  # absolute
    display: str  # as reported: relative to the current directory when inside it
    config: Config


@dataclass
class Discovery:
    files: list[Discovered] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # make the exit status 2 (nonexistent paths)
    warnings: list[str] = field(default_factory=list)  # reported, not fatal (symlink loops)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (display, reason): directories


# -- glob patterns (gitignore's dialect, also used for `exclude`) ------------------------------


@lru_cache(maxsize=1024)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-style glob as a regex over a `/`-separated relative path: `*` and `?` stay in
    one path component, `**` crosses components, `[...]` is a character class."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == n:
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            close = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "^") else i + 1)
            if close == -1:
                out.append(re.escape(char))
                i += 1
            else:
                body = pattern[i + 1 : close]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = close + 1
        elif char == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


# -- .gitignore ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool
    anchored: bool  # matched against the path relative to `base`; else against any suffix


@dataclass(frozen=True, slots=True)
class GitignoreFile:
    base: str  # absolute directory, `/`-separated, no trailing slash
    rules: tuple[IgnoreRule, ...]


def parse_gitignore(text: str, base: str) -> GitignoreFile:
    rules = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line or line.startswith("#"):
            continue
        # Trailing spaces are ignored unless escaped.
        stripped = line.rstrip(" ")
        if stripped.endswith("\\") and len(stripped) < len(line):
            stripped += " "
        line = stripped
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        elif line.startswith("\\!") or line.startswith("\\#"):
            line = line[1:]
        directory_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        rules.append(IgnoreRule(glob_regex(line), negated, directory_only, anchored))
    return GitignoreFile(base.rstrip("/") or "/", tuple(rules))


def gitignored(files: tuple[GitignoreFile, ...], path: str, is_dir: bool) -> bool:
    """Whether the absolute `/`-separated `path` is ignored (the last matching rule wins, and
    deeper files come later). Parents are not consulted: the walk never enters ignored ones."""
    ignored = False
    for gitignore in files:
        prefix = gitignore.base.rstrip("/") + "/"
        if not path.startswith(prefix):
            continue
        relative = path[len(prefix) :]
        name = relative.rsplit("/", 1)[-1]
        for rule in gitignore.rules:
            if rule.directory_only and not is_dir:
                continue
            target = relative if rule.anchored else name
            if rule.regex.match(target):
                ignored = not rule.negated
    return ignored


@lru_cache(maxsize=4096)
def _read_gitignore(directory: Path) -> GitignoreFile | None:
    """The `.gitignore` of a directory, read once per discovery (pre-commit names many files).
    At a repository's root, `.git/info/exclude` comes first (a `.gitignore` overrides it)."""
    texts = []
    for candidate in (directory / ".git" / "info" / "exclude", directory / ".gitignore"):
        try:
            texts.append(candidate.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    if not texts:
        return None
    return parse_gitignore("\n".join(texts), directory.as_posix())


def _inherited_gitignores(directory: Path) -> tuple[GitignoreFile, ...]:
    """`.gitignore` files of the directories above `directory`, up to the repository's root
    (nothing above it when `directory` is in no git repository)."""
    chain: list[Path] = []
    current = directory.parent
    while True:
        chain.append(current)
        if (current / ".git").exists():
            break
        if current.parent == current:
            return ()
        current = current.parent
    found = (_read_gitignore(d) for d in reversed(chain))
    return tuple(g for g in found if g is not None)


# -- excludes -------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _exclude_matchers(patterns: tuple[str, ...], root: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None]:
    """ruff's semantics: a pattern without `/` matches a file or directory name anywhere; one with
    `/` matches the path relative to the configuration's root. Compiled into three regexes (names,
    directory names, relative paths) because the walk asks for every entry."""
    names, directory_names, paths = [], [], []
    for pattern in patterns:
        if "/" not in pattern.rstrip("/"):
            target = directory_names if pattern.endswith("/") else names
            target.append(glob_regex(pattern.rstrip("/")).pattern)
        else:
            pattern = pattern.removeprefix("./").strip("/")
            paths.append(glob_regex(pattern).pattern)
            paths.append(glob_regex(pattern + "/**").pattern)

    def combined(parts: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{part})" for part in parts), re.DOTALL) if parts else None

    return combined(names), combined(directory_names), combined(paths)


def excluded(config: Config, path: str, is_dir: bool) -> bool:
    """Whether the absolute `path` is excluded by the configuration's `exclude`/`extend-exclude`."""
    root = config.settings.root
    names, directory_names, paths = _exclude_matchers(config.excludes, root)
    name = path.rsplit(os.sep, 1)[-1]
    if names is not None and names.match(name):
        return True
    if is_dir and directory_names is not None and directory_names.match(name):
        return True
    if paths is not None:
        return bool(paths.match(relative_to(path, root)))
    return False


def relative_to(path: str, root: str) -> str:
    """`path` relative to `root` with `/` separators, or `path` itself when it is not inside."""
    prefix = root.rstrip(os.sep) + os.sep
    if path.startswith(prefix):
        path = path[len(prefix) :]
    return path.replace(os.sep, "/") if os.sep != "/" else path


def excluded_with_parents(resolver: Resolver, path: Path, is_dir: bool) -> bool:
    """For --force-exclude: a file named on the command line is excluded when it or any directory
    above it (inside its configuration's root) is excluded or git-ignored."""
    config = resolver.for_path(path)
    chain = [path] + [p for p in path.parents if p == config.root or config.root in p.parents]
    ignores: tuple[GitignoreFile, ...] = ()
    if config.respect_gitignore:
        top = chain[-1]
        ignores = _inherited_gitignores(top) + tuple(
            g for g in (_read_gitignore(d) for d in reversed(chain[1:])) if g is not None
        )
    for index, candidate in enumerate(chain):
        candidate_is_dir = is_dir if index == 0 else True
        if excluded(config, str(candidate), candidate_is_dir):
            return True
        if ignores and gitignored(ignores, candidate.as_posix(), candidate_is_dir):
            return True
    return False


# -- the walk -------------------------------------------------------------------------------


def display_path(path: str, cwd: str) -> str:
    """As reported: relative to the current directory when inside it, else absolute."""
    return printable(relative_to(path, cwd))


# Bytes of a file name that are not UTF-8 reach Python as lone surrogates (PEP 383), which no
# output encoding accepts.
_UNDECODED = re.compile("[\ud800-\udfff]")


def printable(name: str) -> str:
    """A file name as it can be printed: undecodable bytes become U+FFFD, as ruff shows them."""
    if not _UNDECODED.search(name):
        return name
    return os.fsencode(name).decode("utf-8", "replace")


def discover(paths: list[str], resolver: Resolver, force_exclude: bool = False) -> Discovery:
    """Files to check under `paths`. Each file is checked once, however many times it is named or
    reached (a path given twice, a file given directly and inside a directory given, a symbolic
    link to it): the first name found is the one reported."""
    _read_gitignore.cache_clear()  # cached within one discovery, never across runs
    result = Discovery()
    cwd = str(resolver.cwd)
    seen: set[str] = set()  # real paths of the files found so far
    for argument in paths:
        path = os.path.abspath(os.path.join(cwd, argument))
        try:
            info = os.stat(path)
        except FileNotFoundError:
            if os.path.islink(path):
                result.errors.append(f"hplint: {printable(argument)}: broken symbolic link")
            else:
                result.errors.append(f"hplint: {printable(argument)}: No such file or directory")
            continue
        except OSError as error:
            result.errors.append(f"hplint: {printable(argument)}: {error.strerror or error}")
            continue
        is_dir = stat.S_ISDIR(info.st_mode)
        if force_exclude and excluded_with_parents(resolver, Path(path), is_dir):
            continue
        if not is_dir:
            if not stat.S_ISREG(info.st_mode):
                # A FIFO or device would block or never end: report it instead of reading it.
                result.unreadable.append((display_path(path, cwd), "not a regular file"))
                continue
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                result.files.append(Discovered(path, display_path(path, cwd), resolver.for_path(Path(path))))
            continue
        config = resolver.for_directory(Path(path))
        inherited = _inherited_gitignores(Path(path)) if config.respect_gitignore else ()
        _walk(path, resolver, inherited, (info.st_dev, info.st_ino), result, seen, cwd)
    result.files.sort(key=lambda f: f.display)
    return result


def _walk(
    top: str,
    resolver: Resolver,
    inherited: tuple[GitignoreFile, ...],
    top_key: tuple[int, int],
    result: Discovery,
    seen: set[str],
    cwd: str,
) -> None:
    """Depth first, in sorted order, with an explicit stack (a directory tree deeper than Python's
    recursion limit is walked too). Each directory carries the identities (device, inode) of the
    directories above it, so a symbolic link back up the tree is reported once and not followed."""
    # (directory, its real path, .gitignore files in force, identities of the directories above)
    stack: list[tuple[str, str, tuple[GitignoreFile, ...], frozenset[tuple[int, int]]]] = [
        (top, os.path.realpath(top), inherited, frozenset({top_key}))
    ]
    while stack:
        directory, real_directory, ignores, ancestors = stack.pop()
        config = resolver.for_directory(Path(directory))
        if config.respect_gitignore:
            own = _read_gitignore(Path(directory))
            if own is not None:
                ignores = ignores + (own,)
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            reason = f"cannot read directory: {error.strerror or error}"
            result.unreadable.append((display_path(directory, cwd), reason))
            continue
        check_gitignore = bool(ignores) and config.respect_gitignore
        subdirectories = []
        for entry in entries:
            path = entry.path
            try:
                is_dir = entry.is_dir()  # follows symbolic links
            except OSError:
                is_dir = False
            if not is_dir and not entry.name.endswith(SOURCE_SUFFIXES):
                continue
            if excluded(config, path, is_dir):
                continue
            if check_gitignore and gitignored(ignores, path if os.sep == "/" else path.replace(os.sep, "/"), is_dir):
                continue
            if is_dir:
                try:
                    # os.stat, not entry.stat(): on Windows a DirEntry's inode is always 0.
                    info = os.stat(path)
                except OSError:
                    continue
                key = (info.st_dev, info.st_ino)
                if key in ancestors:
                    result.warnings.append(
                        f"hplint: warning: {display_path(path, cwd)}: symbolic link loop, not followed"
                    )
                    continue
                # Real paths are built as the walk goes down: os.path.realpath costs one lstat
                # per component of the path, quadratic in a deep tree.
                real = _real_path(entry, real_directory)
                subdirectories.append((path, real, ignores, ancestors | {key}))
                continue
            if not _is_regular_file(entry, result, cwd):
                continue
            real = _real_path(entry, real_directory)
            if real not in seen:
                seen.add(real)
                result.files.append(Discovered(path, display_path(path, cwd), config))
        stack.extend(reversed(subdirectories))


def _real_path(entry: os.DirEntry, real_directory: str) -> str:
    return os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(real_directory, entry.name)


def _is_regular_file(entry: os.DirEntry, result: Discovery, cwd: str) -> bool:
    """Whether a `.py`/`.ipynb` entry can be read as a file; a broken or looping symbolic link is
    reported as a warning (the run goes on), a socket or FIFO so named is skipped."""
    try:
        if entry.is_file():
            return True
    except OSError:
        pass
    if entry.is_symlink():
        try:
            os.stat(entry.path)
        except OSError as error:
            reason = "broken symbolic link" if isinstance(error, FileNotFoundError) else error.strerror or str(error)
            result.warnings.append(f"hplint: warning: {display_path(entry.path, cwd)}: {reason}, not checked")
    return False
