"""The command line: `hplint [check] [PATHS]...` and `hplint rule CODE | --all`.

Start-up stays lazy: this module imports only click; configuration, discovery, the engine, libcst,
rich and the reporters are imported when a command needs them, so `hplint --version` and a warm,
fully cached run do not pay for them.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from hplint import __version__
from hplint.dataclass_cache import compiled_dataclass_methods

if TYPE_CHECKING:
    from hplint.config import Resolver
    from hplint.diagnostics import Diagnostic, FileResult
    from hplint.engine import FileTask

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


# -- never a traceback --------------------------------------------------------------------------


def _fail(message: str) -> None:
    click.echo(f"hplint: {message}", err=True)
    raise SystemExit(EXIT_ERROR)


def _guarded(command: Callable) -> Callable:
    """Configuration errors and hplint bugs end in one line on stderr and exit status 2;
    HPLINT_DEBUG=1 adds the traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from hplint.config import ConfigError

        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, BrokenPipeError):
            raise
        except ConfigError as error:
            _fail(str(error))
        except KeyboardInterrupt:
            click.echo("hplint: interrupted", err=True)
            raise SystemExit(130) from None
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("HPLINT_DEBUG"):
                import traceback

                traceback.print_exc()
            _fail(f"error: {type(error).__name__}: {error}" + ("" if os.environ.get("HPLINT_DEBUG") else " (set HPLINT_DEBUG=1 for a traceback)"))

    return wrapper


# -- `hplint PATHS` means `hplint check PATHS` ----------------------------------------------------


class _DefaultToCheck(click.Group):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version", "-V")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


class _FormatChoice(click.ParamType):
    """`click.Choice(FORMATS)` without importing the reporters until an option is given."""

    name = "format"

    @staticmethod
    def choices() -> tuple[str, ...]:
        from hplint.reporters import FORMATS

        return tuple(FORMATS)

    def get_metavar(self, *args: Any, **kwargs: Any) -> str:
        return "[" + "|".join(self.choices()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        choices = self.choices()
        if value in choices:
            return value
        self.fail(f"{value!r} is not one of {', '.join(choices)}.", param, ctx)


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="hplint", message="%(prog)s %(version)s")
def cli() -> None:
    """hplint: a linter for machine-learning training code.

    `hplint [PATHS]...` is `hplint check [PATHS]...`; `hplint check --help` lists its options.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, metavar="CODES", help="Rules to enable (codes, prefixes or ALL, comma-separated); replaces the configuration's `select`.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to disable (codes, prefixes or ALL).")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Rules to enable in addition to those selected.")
@click.option("--output-format", type=_FormatChoice(), default="full", show_default=True, envvar="HPLINT_OUTPUT_FORMAT", help="Output format (also $HPLINT_OUTPUT_FORMAT).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), help="Write the report to this file instead of stdout.")
@click.option("--exit-zero", is_flag=True, help="Exit with status 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print a count of findings per rule instead of the findings.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this configuration file for every path.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache (.hplint_cache/).")
@click.option("--stdin-filename", metavar="NAME", help="Read the source from stdin (path `-` or no path) and report it as NAME.")
@click.option("--add-noqa", is_flag=True, help="Add `# noqa: CODES` comments for every finding (to adopt hplint in an existing code base).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary line.")
@click.option("--color/--no-color", default=None, help="Color the output (default: when stdout is a terminal and NO_COLOR is unset).")
@click.option("--force-exclude", is_flag=True, help="Apply excludes even to files named on the command line (pre-commit names them).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: the CPU count; 1 = serial).")
@click.option("--debug", is_flag=True, help="Print the traceback of every internal error (HPL903) to stderr.")
@click.option("--strict-internal-errors", is_flag=True, help="Exit with status 2 when hplint fails on any file (HPL903), instead of 1.")
@click.option("--show-settings", is_flag=True, help="Print the resolved configuration for the first file found under PATHS, then exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be checked, then exit.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files (defaults plus the command line).")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="HPLINT_CACHE_DIR", help="Directory for the cache (also $HPLINT_CACHE_DIR; default: the `cache-dir` key, else .hplint_cache/ at the configuration root).")
@click.option("--fix/--no-fix", default=None, help="Apply fixes (safe ones; unsafe ones too with --unsafe-fixes). Default: the configuration's `fix`.")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=None, help="Also apply (and count as fixable) fixes that change behaviour and need review.")
@click.option("--diff", is_flag=True, help="Print a unified diff of what --fix would change; write nothing (exit 1 if something would change).")
@click.option("--fix-only", is_flag=True, help="Apply fixes and report nothing else (implies --fix).")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit with status 1 when a fix was applied, even if nothing remains.")
@click.option("--show-fixes", is_flag=True, help="Also list the fixes applied, per file and rule.")
@_guarded
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    output_format: str,
    output_file: str | None,
    exit_zero: bool,
    statistics: bool,
    config_file: str | None,
    no_cache: bool,
    stdin_filename: str | None,
    add_noqa: bool,
    quiet: bool,
    color: bool | None,
    force_exclude: bool,
    jobs: int | None,
    debug: bool,
    strict_internal_errors: bool,
    fix: bool | None = None,
    unsafe_fixes: bool | None = None,
    diff: bool = False,
    fix_only: bool = False,
    exit_non_zero_on_fix: bool = False,
    show_fixes: bool = False,
    show_settings: bool = False,
    show_files: bool = False,
    isolated: bool = False,
    cache_dir: str | None = None,
) -> None:
    """Check PATHS (files or directories; default: the current directory) for ML pitfalls."""
    from hplint.config import CliOptions, Resolver, parse_selectors

    options = CliOptions(
        select=parse_selectors(select, "--select") if select else None,
        extend_select=parse_selectors(extend_select, "--extend-select"),
        ignore=parse_selectors(ignore, "--ignore"),
        config_file=Path(config_file) if config_file else None,
        isolated=isolated,
    )
    resolver = Resolver(options)
    if show_settings or show_files:
        from hplint.show import show_files as write_files, show_settings as write_settings

        if show_settings and show_files:
            raise click.UsageError("--show-settings and --show-files cannot be combined")
        shower = write_settings if show_settings else write_files
        raise SystemExit(shower(resolver, list(paths) or ["."], force_exclude, cache_dir, click.echo))
    use_stdin = paths == ("-",) or (not paths and stdin_filename is not None)
    if "-" in paths and not use_stdin:
        raise click.UsageError("`-` (stdin) cannot be combined with other paths")
    if add_noqa and use_stdin:
        raise click.UsageError("--add-noqa rewrites files; it cannot be used with stdin")
    if add_noqa and (fix or diff or fix_only):
        raise click.UsageError("--add-noqa cannot be combined with --fix, --fix-only or --diff")
    if diff and fix_only:
        raise click.UsageError("--diff and --fix-only cannot be combined (--diff writes nothing)")

    if statistics:
        from hplint.reporters import STATISTICS_FORMATS

        if output_format not in STATISTICS_FORMATS:
            raise click.UsageError(
                f"--statistics prints in the {', '.join(STATISTICS_FORMATS)} formats, not {output_format}"
            )
    run = _Run(resolver, use_cache=not no_cache, jobs=jobs, debug=debug)
    run.cache_dir = cache_dir
    if use_stdin:
        run.check_stdin(stdin_filename, force_exclude)
    else:
        run.check_paths(list(paths) or ["."], force_exclude)
    diagnostics = sorted(run.diagnostics, key=_sort_key)

    if add_noqa:
        from hplint.add_noqa import add_noqa_directives

        added = add_noqa_directives(diagnostics, run.sources, warn=lambda m: click.echo(m, err=True))
        if not quiet:
            click.echo(f"Added {added} noqa directive{'' if added == 1 else 's'}.", err=True)
        raise SystemExit(EXIT_ERROR if run.failed else EXIT_CLEAN)

    fixes = None
    # Without --fix, only a configuration's `fix = true` fixes (and --show-fixes says "No errors
    # fixed."): the fix machinery is not even imported otherwise.
    if fix or diff or fix_only or (fix is None and (show_fixes or run.any_config_fix())):
        from hplint.fix_run import FixRun

        fixes = FixRun(run, fix=fix, unsafe=unsafe_fixes, write=not diff)
        diagnostics = sorted(fixes.apply(diagnostics, force=diff or fix_only), key=_sort_key)
        if diff:
            fixes.print_diffs()
            raise SystemExit(EXIT_ERROR if run.failed else EXIT_FINDINGS if fixes.changed_files else EXIT_CLEAN)
        if fix_only:
            if show_fixes or not quiet:
                fixes.print_summary(show_fixes)
            raise SystemExit(EXIT_ERROR if run.failed else EXIT_FINDINGS if exit_non_zero_on_fix and fixes.fixed else EXIT_CLEAN)
    unsafe_shown = bool(unsafe_fixes) if unsafe_fixes is not None else run.any_config_unsafe()
    _report(diagnostics, run, output_format, output_file, statistics, quiet, color, fixed=fixes.fixed if fixes else 0, unsafe=unsafe_shown)
    if fixes is not None and show_fixes:
        fixes.print_summary(True)
    if run.failed or (strict_internal_errors and _has_internal_errors(diagnostics)):
        raise SystemExit(EXIT_ERROR)
    if fixes is not None and fixes.fixed and exit_non_zero_on_fix:
        raise SystemExit(EXIT_FINDINGS)
    raise SystemExit(EXIT_FINDINGS if diagnostics and not exit_zero else EXIT_CLEAN)


def _sort_key(diagnostic: "Diagnostic") -> tuple:
    return diagnostic.sort_key()


def _has_internal_errors(diagnostics: list["Diagnostic"]) -> bool:
    # HPL903 is never filtered by the selection nor suppressed, so the report has them all.
    from hplint.diagnostics import INTERNAL_ERROR

    return any(d.code == INTERNAL_ERROR for d in diagnostics)


# -- one run ------------------------------------------------------------------------------------


class _Run:
    """Discovers files, answers from the cache where it can, checks the rest, collects results."""

    def __init__(self, resolver: "Resolver", use_cache: bool, jobs: int | None, debug: bool = False) -> None:
        self.resolver = resolver
        self.use_cache = use_cache
        self.jobs = jobs
        self.debug = debug
        self.diagnostics: list[Diagnostic] = []
        self.files_checked = 0
        self.failed = False  # a nonexistent path: exit status 2
        # display path -> (filesystem path, bytes given on stdin or None): for source lines and noqa
        self.sources: dict[str, tuple[str, bytes | None]] = {}
        self.cache_dir: str | None = None  # --cache-dir / $HPLINT_CACHE_DIR
        # display path -> (its configuration, path relative to the settings root): for --fix
        self.configs: dict[str, tuple[Any, str]] = {}

    def any_config_fix(self) -> bool:
        return any(config.fix for config, _ in self.configs.values())

    def any_config_unsafe(self) -> bool:
        return any(config.unsafe_fixes for config, _ in self.configs.values())

    def check_stdin(self, name: str | None, force_exclude: bool) -> None:
        from hplint.discovery import excluded_with_parents, relative_to
        from hplint.engine import FileTask

        data = sys.stdin.buffer.read()
        display = name or "-"
        path = Path(os.path.abspath(display))
        config = self.resolver.for_path(path) if name else self.resolver.default()
        if name and force_exclude and excluded_with_parents(self.resolver, path, is_dir=False):
            return
        relative = relative_to(str(path), config.settings.root) if name else "-"
        task = FileTask(display, display, relative, config.settings, data=data)
        self.sources[display] = (display, data)
        self.configs[display] = (config, relative)
        self._execute([task])

    def check_paths(self, paths: list[str], force_exclude: bool) -> None:
        from hplint.discovery import discover, relative_to

        found = discover(paths, self.resolver, force_exclude)
        for message in found.errors + found.warnings:
            click.echo(message, err=True)
        self.failed = bool(found.errors)
        if found.unreadable:
            from hplint.parsing import source_error_diagnostic
            from hplint.source import SourceError

            for display, reason in found.unreadable:
                self.diagnostics.append(source_error_diagnostic(display, SourceError(reason)))
        # The engine (and all it imports) is loaded only when a file is not answered by the cache.
        misses: list[tuple[str, str, str, Any, bytes | None]] = []  # path, display, relative, settings, bytes
        # display -> what the cache needs to store the result: cache, path, hash, stat, settings, relative
        pending: dict[str, tuple] = {}
        caches = None
        if self.use_cache:
            from hplint.cache import CacheSet, digest, stat_key

            caches = CacheSet(self.cache_dir)
        for file in found.files:
            settings = file.config.settings
            relative = relative_to(file.path, settings.root)
            self.sources[file.display] = (file.path, None)
            self.configs[file.display] = (file.config, relative)
            if caches is None:
                misses.append((file.path, file.display, relative, settings, None))
                continue
            cache = caches.for_root(settings.root, file.config.cache_dir)
            stat = stat_key(file.path)
            cached = cache.get_unchanged(file.path, stat, settings.fingerprint, relative, file.display)
            if cached is not None:
                self._collect(cached)
                continue
            try:
                with open(file.path, "rb") as stream:
                    data = stream.read()
            except OSError:  # the engine reports it
                misses.append((file.path, file.display, relative, settings, None))
                continue
            content = digest(data)
            cached = cache.get(file.path, content, settings.fingerprint, relative, file.display)
            if cached is not None:  # same bytes, new mtime (a fresh checkout): remember the stat
                cache.put(file.path, content, stat, settings.fingerprint, relative, cached)
                self._collect(cached)
                continue
            misses.append((file.path, file.display, relative, settings, data))
            pending[file.display] = (cache, file.path, content, stat, settings.fingerprint, relative)
        if misses:
            from hplint.engine import FileTask

            tasks = [FileTask(path, display, relative, settings, data=data) for path, display, relative, settings, data in misses]
            for result in self._execute(tasks):
                if result.path in pending and not result.tracebacks:  # a failure is not remembered
                    cache, path, content, stat, fingerprint, relative = pending[result.path]
                    cache.put(path, content, stat, fingerprint, relative, result)
        if caches is not None:
            caches.save()

    def _execute(self, tasks: list["FileTask"]) -> list["FileResult"]:
        if not tasks:
            return []
        from hplint.pool import run

        # Off during start-up (see `main`). What start-up loaded (libcst's classes, the rules, the
        # tables) lives until the exit: frozen, the collector never traverses it (the first
        # collection after start-up would take 15 ms); the engine decides when to collect. Only
        # when hplint is the program: a process that calls the CLI repeatedly (tests) would
        # freeze its garbage for good.
        if _is_program():
            gc.freeze()
        gc.enable()
        results = run(tasks, jobs=self.jobs)
        for result in results:
            self._collect(result)
            if self.debug:
                for trace in result.tracebacks:
                    click.echo(f"hplint: internal error on {result.path}:\n{trace.rstrip()}", err=True)
        return results

    def _collect(self, result: "FileResult") -> None:
        self.files_checked += 1
        for diagnostic in result.diagnostics:
            known = self.configs.get(diagnostic.path)
            self.diagnostics.append(known[0].reclassify(diagnostic) if known is not None else diagnostic)


# -- output -----------------------------------------------------------------------------------------


def _report(
    diagnostics: list["Diagnostic"],
    run: _Run,
    output_format: str,
    output_file: str | None,
    statistics: bool,
    quiet: bool,
    color: bool | None,
    fixed: int = 0,
    unsafe: bool = False,
) -> None:
    from hplint.reporters import ReportContext, write_report, write_statistics

    if color is None:
        color = output_file is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    context = ReportContext(
        color=bool(color),
        source_line=_SourceLines(run.sources),
        files_checked=run.files_checked,
        quiet=quiet,
        fixed=fixed,
        unsafe_fixes=unsafe,
    )
    if output_file is None:
        stream = sys.stdout
        _write(statistics, diagnostics, stream, output_format, context, write_report, write_statistics)
        stream.flush()
        return
    target = Path(output_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as stream:
        _write(statistics, diagnostics, stream, output_format, context, write_report, write_statistics)


def _write(statistics, diagnostics, stream, output_format, context, write_report, write_statistics) -> None:
    if statistics:
        write_statistics(diagnostics, stream, output_format, context)
    else:
        write_report(output_format, diagnostics, stream, context)


class _SourceLines:
    """(path, cell, row) -> the line as the user sees it, read on demand for the full reporter."""

    def __init__(self, sources: dict[str, tuple[str, bytes | None]]) -> None:
        self.sources = sources
        self._lines: dict[str, dict[int | None, list[str]]] = {}

    def __call__(self, path: str, cell: int | None, row: int) -> str | None:
        lines = self._load(path).get(cell)
        if lines is None or not 0 < row <= len(lines):
            return None
        return lines[row - 1]

    def _load(self, display: str) -> dict[int | None, list[str]]:
        loaded = self._lines.get(display)
        if loaded is not None:
            return loaded
        loaded = {}
        source = self.sources.get(display)
        try:
            if source is not None:
                path, data = source
                data = data if data is not None else Path(path).read_bytes()
                loaded = _lines_of(data, notebook=path.endswith(".ipynb"))
        except Exception:  # noqa: BLE001 - an unreadable file shows no source line, nothing worse
            loaded = {}
        self._lines[display] = loaded
        return loaded


def _lines_of(data: bytes, notebook: bool) -> dict[int | None, list[str]]:
    from hplint.source import decode, split_lines

    if not notebook:
        return {None: split_lines(decode(data, ""))}
    import json

    cells = json.loads(data.decode("utf-8-sig")).get("cells", [])
    lines: dict[int | None, list[str]] = {}
    for index, cell in enumerate(cells, start=1):
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        if isinstance(source, str):
            lines[index] = split_lines(source)
    return lines


# -- hplint rule ------------------------------------------------------------------------------------


@cli.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule: code, name, family, default, summary.")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guarded
def rule(code: str | None, show_all: bool, output_format: str) -> None:
    """Print the documentation of rule CODE, or list all rules with --all."""
    import json

    from hplint.rules import all_rules, get

    if show_all == (code is not None):
        raise click.UsageError("give either a rule CODE or --all")
    if show_all:
        rules = list(all_rules().values())
        if output_format == "json":
            click.echo(json.dumps([_rule_summary(r) for r in rules], indent=2))
            return
        rows = [(r.code, r.name, r.family(), "on" if r.default_enabled else "off", r.summary) for r in rules]
        widths = [max([len(row[i]) for row in rows] + [0]) for i in range(4)]
        for row in rows:
            click.echo("  ".join(value.ljust(width) for value, width in zip(row[:4], widths)) + "  " + row[4])
        return
    found = get(code.upper())
    if found is None:
        _fail(f"unknown rule code `{code}` (`hplint rule --all` lists them)")
    if output_format == "json":
        click.echo(json.dumps({**_rule_summary(found), "explanation": found.documentation()}, indent=2))
    elif sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(found.documentation()))
    else:
        click.echo(found.documentation(), nl=False)


def _rule_summary(rule: Any) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family(),
        "default_enabled": rule.default_enabled,
        "summary": rule.summary,
        "url": _docs_url(rule.code),
    }


def _docs_url(code: str) -> str:
    from hplint.diagnostics import DOCS_URL

    return DOCS_URL.format(code=code)


# -- hplint server -----------------------------------------------------------------------------------


@cli.command()
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this configuration file for every document.")
@_guarded
def server(config_file: str | None) -> None:
    """Run the language server (LSP over stdio) for editors and notebooks."""
    from hplint.server import INSTALL_HINT, available

    if not available():
        _fail(INSTALL_HINT)
    from hplint.config import CliOptions
    from hplint.server.server import serve

    serve(CliOptions(config_file=Path(config_file) if config_file else None))


# -- hplint extract-config -------------------------------------------------------------------------


class _ExtractConfigCommand(click.Command):
    """Reads `--to toml FILE` (the TOML file right after the target) as `--to toml --toml-file FILE`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = list(args)
        for index, arg in enumerate(args[:-1]):
            value = args[index + 1] if arg == "--to" else (arg[5:] if arg.startswith("--to=") else None)
            after = index + (2 if arg == "--to" else 1)
            if value == "toml" and after < len(args) and not args[after].startswith("-"):
                args[after:after] = ["--toml-file"]
                break
        return super().parse_args(ctx, args)


@cli.command("extract-config", cls=_ExtractConfigCommand)
@click.argument("paths", nargs=-1, type=click.Path(), required=True)
@click.option("--to", "target", required=True, type=click.Choice(["constants", "dataclass", "argparse", "toml"]), help="Where the values go: module constants, a @dataclass config, argparse flags, or a TOML file (`--to toml FILE`).")
@click.option("--toml-file", type=click.Path(dir_okay=False), help="The TOML file of `--to toml` (also written `--to toml FILE`).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of what would change and write nothing (exit 1 if anything would change).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this configuration file (HPL101's options decide what is moved).")
@_guarded
def extract_config(paths: tuple[str, ...], target: str, toml_file: str | None, show_diff: bool, config_file: str | None) -> None:
    """Move the hardcoded hyperparameters HPL101 reports in PATHS into one place."""
    from hplint.codemods.apply import TomlTarget, run_file
    from hplint.config import CliOptions, Resolver
    from hplint.discovery import discover, relative_to

    if (target == "toml") != (toml_file is not None):
        raise click.UsageError("--to toml needs the TOML file (`--to toml FILE`); only --to toml takes one")
    toml = None
    if toml_file is not None:
        toml_path = Path(toml_file)
        if not toml_path.parent.is_dir():
            _fail(f"{toml_file}: its directory {toml_path.parent} does not exist")
        try:
            toml = TomlTarget(toml_path, toml_path.read_text(encoding="utf-8") if toml_path.exists() else None)
        except (OSError, UnicodeError) as error:
            _fail(f"{toml_file}: cannot read it: {getattr(error, 'strerror', None) or error}")
    resolver = Resolver(CliOptions(config_file=Path(config_file) if config_file else None))
    found = discover(list(paths), resolver)
    for message in found.errors + found.warnings:
        click.echo(message, err=True)
    named = {os.path.abspath(p) for p in paths}
    moved = changed = refused = 0
    for file in found.files:
        if file.path.endswith(".ipynb") and file.path not in named:
            continue  # notebooks found in a directory are not rewritten; named ones get a message
        settings = file.config.settings
        outcome = run_file(Path(file.path), file.display, relative_to(file.path, settings.root), settings, target, write=not show_diff, toml=toml)
        if outcome.refused is not None:
            refused += 1
            click.echo(f"hplint: {file.display}: not rewritten: {outcome.refused}", err=True)
        elif outcome.diff:
            changed += 1
            moved += outcome.moved
            if show_diff:
                click.echo(outcome.diff, nl=False)
    verb = "Would move" if show_diff else "Moved"
    click.echo(
        f"{verb} {moved} hyperparameter{'' if moved == 1 else 's'} in {changed} file{'' if changed == 1 else 's'}"
        + (f"; {refused} file{'' if refused == 1 else 's'} refused" if refused else "") + ".",
        err=True,
    )
    if found.errors or refused:
        raise SystemExit(EXIT_ERROR)
    raise SystemExit(EXIT_FINDINGS if show_diff and changed else EXIT_CLEAN)


# -- entry point ------------------------------------------------------------------------------------


def main() -> None:
    # Start-up creates tens of thousands of long-lived objects (libcst's node classes, the rules,
    # the knowledge tables) and the cyclic collector would traverse them again and again while they
    # load: it is off until the engine checks files (`_Run._execute` turns it back on; the engine
    # manages it from there). A cached run never turns it on: it allocates little and ends soon.
    gc.disable()
    try:
        # libcst's node classes are dataclasses: their methods' compiled code is kept between runs.
        with compiled_dataclass_methods():
            code = cli.main(prog_name="hplint", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        code = error.exit_code
    except click.exceptions.Abort:
        click.echo("hplint: aborted", err=True)
        code = EXIT_ERROR
    except BrokenPipeError:
        # `hplint | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_FINDINGS
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else EXIT_ERROR)
    except Exception as error:  # noqa: BLE001 - never a traceback unless asked
        if os.environ.get("HPLINT_DEBUG"):
            raise
        click.echo(f"hplint: error: {type(error).__name__}: {error}", err=True)
        code = EXIT_ERROR
    _exit(code if isinstance(code, int) else 0)


def _exit(code: int) -> None:
    """Exit without the interpreter's tear-down of every module (tens of milliseconds once libcst
    is loaded, a tenth of a one-file run). Safe here: the report and the cache are written and
    closed and the worker pool is shut down before `main` returns; only the output is left to flush.
    The ordinary exit is kept when hplint is not the program (a script calling `main`, which may
    go on) and under coverage (its atexit hook writes the data)."""
    if not _is_program() or "coverage" in sys.modules:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):
        code = code or EXIT_FINDINGS  # the reader left (`hplint | head`), as in `main`
    os._exit(code)


def _is_program() -> bool:
    """`python -m hplint` or the `hplint` console script (whose file is named after the command)."""
    program = sys.modules.get("__main__")
    spec = getattr(program, "__spec__", None)
    if spec is not None and spec.name == "hplint.__main__":
        return True
    name = os.path.basename(getattr(program, "__file__", None) or "")
    return name in ("hplint", "hplint.exe", "hplint-script.py")
