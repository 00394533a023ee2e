"""Crash scan: run every rule over every `.py` file under some roots and report hplint's own failures.

    python bench/crash_scan.py [ROOT ...] [--jobs N] [--timeout S] [--slow S] [--top 20]
                               [--sample-bytes N] [--json PATH]

Without roots it scans the standard library and the installed site-packages (`sysconfig` paths
`stdlib`, `purelib`, `platlib`; a file reachable from two roots is checked once). Every file is
checked with ALL rules selected, test files included, and `assume_ml=True`, so the whole analysis
runs on code that mentions no ML library. The scanned code is only read, never imported or run.

Reported: files and lines checked, wall time, internal errors (a rule raising `RuleCrash`, an
`HPL903` diagnostic, or any other exception out of `check_source`), workers that died (a segfault
or an OOM kill) or were killed after `--timeout` seconds on one file, files taking more than
`--slow` seconds, the slowest files and the files far slower per line than the median (CPU time,
so that other load on the machine does not count). Exit status 1 when
there is any internal error, death or timeout.

Each worker process checks one file at a time, so a worker that dies names exactly the file that
killed it; a new worker takes its place and the scan goes on. `tests/test_crash_freedom.py` runs
the same scan over a deterministic sample (`sample`) of the test environment's files.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import re
import signal
import statistics
import sys
import sysconfig
import time
import traceback
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

INTERNAL_ERROR = "HPL903"
# A worker is replaced after this many files, so what one file leaks cannot pile up.
_FILES_PER_WORKER = 2000
# Objects left alive after a file that trigger a collection (as the engine's own pool does).
_GC_SURVIVORS = 50_000


@dataclass(frozen=True, slots=True)
class ScanFile:
    path: str  # filesystem path
    relative: str  # relative to its root: stable across machines, used for sampling and test detection
    size: int


@dataclass(slots=True)
class InternalError:
    code: str  # the rule that raised, or "engine" when the exception came from outside any rule
    message: str
    origin: str = ""  # innermost hplint frame: "hplint/analysis/dataflow.py:812 in _visit"
    traceback: str = ""


@dataclass(slots=True)
class FileOutcome:
    path: str
    lines: int = 0
    seconds: float = 0.0  # wall time of decoding and checking (reading the file excluded)
    cpu_seconds: float = 0.0  # the worker's CPU time for the same
    status: str = "ok"  # ok | unreadable | internal-error | died | timeout
    detail: str = ""  # why unreadable / how the worker died
    syntax_errors: int = 0
    errors: list[InternalError] = field(default_factory=list)


@dataclass
class ScanReport:
    outcomes: list[FileOutcome]
    wall_seconds: float
    jobs: int

    @property
    def lines(self) -> int:
        return sum(o.lines for o in self.outcomes)

    @property
    def problems(self) -> list[FileOutcome]:
        """Files with an internal error, or whose worker died or timed out."""
        return [o for o in self.outcomes if o.status in ("internal-error", "died", "timeout")]

    def describe_problems(self, limit: int = 50) -> str:
        lines = []
        for outcome in self.problems[:limit]:
            if outcome.status == "internal-error":
                for error in outcome.errors:
                    where = f" [{error.origin}]" if error.origin else ""
                    lines.append(f"{outcome.path}: {error.code}: {error.message}{where}")
            else:
                lines.append(f"{outcome.path}: worker {outcome.status}: {outcome.detail}")
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more files")
        return "\n".join(lines)


# -- which files ---------------------------------------------------------------------------------


def default_roots() -> list[Path]:
    paths = sysconfig.get_paths()
    return [Path(paths[key]) for key in ("stdlib", "purelib", "platlib")]


def discover(roots: list[Path], suffixes: tuple[str, ...] = (".py",)) -> list[ScanFile]:
    """Every `.py` file (or file ending with one of `suffixes`) under the roots, sorted by path;
    symlinked directories are not followed.

    A root nested in another (site-packages inside the standard library's directory) gives each
    file once, relative to the innermost root."""
    roots = sorted({Path(os.path.realpath(r)) for r in roots if Path(r).exists()}, key=lambda r: len(r.parts))
    found: dict[str, ScanFile] = {}
    for root in roots:
        if root.is_file():
            found[str(root)] = ScanFile(str(root), root.name, root.stat().st_size)
            continue
        for directory, _, names in os.walk(root):
            for name in names:
                if not name.endswith(suffixes):
                    continue
                path = os.path.join(directory, name)
                try:
                    if not os.path.isfile(path):
                        continue
                    size = os.path.getsize(path)
                except OSError:
                    continue
                real = os.path.realpath(path)
                # Later (deeper) roots overwrite: the relative path is then the package's own.
                found[real] = ScanFile(path, os.path.relpath(path, root).replace(os.sep, "/"), size)
    return sorted(found.values(), key=lambda f: f.path)


def sample(files: list[ScanFile], budget_bytes: int) -> list[ScanFile]:
    """A deterministic sample of about `budget_bytes` of source: files in the order of a hash of
    their path relative to their root (the same files on every machine that has them) until the
    budget is spent. A file above a sixteenth of the budget is passed over, so no single file
    decides the sample's time. Returned sorted by path."""
    ranked = sorted(files, key=lambda f: hashlib.sha256(f.relative.encode()).hexdigest())
    chosen, total = [], 0
    for scan_file in ranked:
        if scan_file.size > budget_bytes // 16:
            continue
        if total + scan_file.size > budget_bytes:
            break
        chosen.append(scan_file)
        total += scan_file.size
    return sorted(chosen, key=lambda f: f.path)


# -- checking one file (in a worker) -------------------------------------------------------------


def check_file(path: str, relative: str) -> FileOutcome:
    """Check one file with every rule.

    Internal errors come back as HPL903 diagnostics (with the tracebacks `engine._check` keeps for
    `--debug`); an engine that raises `RuleCrash` instead stops at the first failing rule, so the
    file is then checked again without that rule, and one crash does not hide another rule's."""
    from hplint import engine
    from hplint.settings import Selection, Settings
    from hplint.source import SourceError, from_bytes

    outcome = FileOutcome(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        outcome.status, outcome.detail = "unreadable", f"{type(error).__name__}: {error}"
        return outcome
    outcome.lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        source = from_bytes(data, path, is_notebook=path.endswith(".ipynb"))
    except SourceError as error:
        outcome.status, outcome.detail = "unreadable", getattr(error, "message", str(error))
        return outcome
    if source.is_notebook:
        outcome.lines = source.text.count("\n")  # the code cells' lines, not the JSON's
    rule_crash = getattr(engine, "RuleCrash", None)
    ignored: tuple[str, ...] = ()
    while True:
        settings = Settings(selection=Selection(select=("ALL",), ignore=ignored), check_test_files=True)
        try:
            if hasattr(engine, "_check"):
                diagnostics, traces = engine._check(source, settings, relative, assume_ml=True)
            else:
                diagnostics, traces = engine.check_source(source, settings, relative, assume_ml=True), []
        except Exception as error:
            if rule_crash is not None and isinstance(error, rule_crash):
                outcome.errors.append(_internal_error(error.code, str(error), error.__cause__ or error))
                ignored += (error.code,)
                continue
            # outside any rule: parsing, positions, suppressions
            outcome.errors.append(_internal_error("engine", f"{type(error).__name__}: {error}", error))
            break
        reported = [d for d in diagnostics if d.code == INTERNAL_ERROR]
        for index, diagnostic in enumerate(reported):
            trace = traces[index] if len(traces) == len(reported) else ""
            place = _FAILED_IN.search(diagnostic.message)
            code = place.group(1) if place else INTERNAL_ERROR
            outcome.errors.append(InternalError(code, diagnostic.message, _origin(trace), trace))
        outcome.syntax_errors = sum(d.code == "HPL901" for d in diagnostics)
        break
    outcome.seconds = time.perf_counter() - start
    outcome.cpu_seconds = time.process_time() - cpu_start
    if outcome.errors:
        outcome.status = "internal-error"
    return outcome


# "hplint failed in HPL101 (...)" / "hplint failed in its data-flow analysis (...)"
_FAILED_IN = re.compile(r"failed in (?:its )?(HPL\d{3}|[^(]+?) \(")
_FRAME = re.compile(r'File "[^"]*?[/\\](hplint[/\\][^"]+)", line (\d+), in (\S+)')


def _internal_error(code: str, message: str, error: BaseException) -> InternalError:
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return InternalError(code, message, _origin(text), text)


def _origin(trace: str) -> str:
    """The innermost hplint frame of a traceback: "hplint/analysis/dataflow.py:812 in _visit"."""
    frames = _FRAME.findall(trace)
    if not frames:
        return ""
    path, line, function = frames[-1]
    return f"{path.replace(os.sep, '/')}:{line} in {function}"


def _worker_main(connection) -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))  # as `hplint.pool.run` does
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    gc.disable()  # as in the engine's workers: syntax trees have no cycles worth traversing
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        if task is None:
            return
        connection.send(check_file(*task))
        if gc.get_count()[0] > _GC_SURVIVORS:
            gc.collect(1)


# -- the pool ------------------------------------------------------------------------------------


class _Worker:
    def __init__(self, context) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.task: ScanFile | None = None
        self.started = 0.0
        self.done = 0

    def assign(self, scan_file: ScanFile) -> None:
        self.task, self.started = scan_file, time.monotonic()
        self.connection.send((scan_file.path, scan_file.relative))

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def available_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _death(process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with status {code}"


def scan(
    files: list[ScanFile], jobs: int = 0, timeout: float = 300.0, progress: bool = False, log=None
) -> ScanReport:
    """Check every file in worker processes (one file at a time each); largest files first so the
    last ones to finish are small. Outcomes come back sorted by path; `log` (a text file), if
    given, receives each outcome as a JSON line as soon as it is known."""
    import multiprocessing

    jobs = jobs or available_cpus()
    started = time.perf_counter()
    if "fork" not in multiprocessing.get_all_start_methods():
        # Without fork a worker could not import this module by name: check in this process.
        outcomes = [check_file(f.path, f.relative) for f in files]
        return ScanReport(sorted(outcomes, key=lambda o: o.path), time.perf_counter() - started, 1)
    context = multiprocessing.get_context("fork")
    _preload()
    pending = deque(sorted(files, key=lambda f: -f.size))
    workers = [_Worker(context) for _ in range(max(1, min(jobs, len(files))))]
    outcomes: list[FileOutcome] = []
    last_progress = time.monotonic()
    try:
        while pending or any(w.task for w in workers):
            for index, worker in enumerate(workers):
                if worker.task is None and worker.done >= _FILES_PER_WORKER:
                    worker.stop()
                    workers[index] = worker = _Worker(context)
                if worker.task is None and pending:
                    worker.assign(pending.popleft())
            busy = [w for w in workers if w.task is not None]
            now = time.monotonic()
            wait_for = max(0.0, min(w.started + timeout - now for w in busy))
            multiprocessing.connection.wait(
                [w.connection for w in busy] + [w.process.sentinel for w in busy], timeout=min(wait_for, 5.0)
            )
            for index, worker in enumerate(workers):
                outcome = _collect(worker, timeout)
                if outcome is None:
                    continue
                outcomes.append(outcome)
                if log is not None:
                    log.write(json.dumps(asdict(outcome)) + "\n")
                    log.flush()
                if progress and outcome.status != "ok" and outcome.status != "unreadable":
                    print(f"  {outcome.status}: {outcome.path}", file=sys.stderr, flush=True)
                if outcome.status in ("died", "timeout"):
                    worker.stop(kill=True)
                    workers[index] = _Worker(context)
            if progress and time.monotonic() - last_progress > 15:
                last_progress = time.monotonic()
                print(
                    f"  {len(outcomes)}/{len(files)} files, {time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        for worker in workers:
            worker.stop(kill=worker.task is not None)
    return ScanReport(sorted(outcomes, key=lambda o: o.path), time.perf_counter() - started, len(workers))


def _collect(worker: _Worker, timeout: float) -> FileOutcome | None:
    """The outcome of the worker's file if it has one: its result, its death, or its timeout."""
    task = worker.task
    if task is None:
        return None
    try:
        if worker.connection.poll():
            outcome = worker.connection.recv()
            worker.task, worker.done = None, worker.done + 1
            return outcome
    except (EOFError, OSError):
        pass  # the worker died; its pipe closed
    else:
        if worker.process.is_alive():
            if time.monotonic() - worker.started <= timeout:
                return None
            worker.task = None
            return FileOutcome(task.path, status="timeout", detail=f"still running after {timeout:.0f} s", seconds=timeout)
    worker.process.join(1)
    worker.task = None
    return FileOutcome(task.path, status="died", detail=_death(worker.process))


def _preload() -> None:
    """Import what workers need before forking, so no worker imports it again."""
    import libcst  # noqa: F401

    from hplint.rules import all_rules

    all_rules()


# -- the report ----------------------------------------------------------------------------------


def slow_outliers(outcomes: list[FileOutcome], factor: float = 10.0, min_seconds: float = 0.5) -> list[FileOutcome]:
    """Files of at least `min_seconds` of CPU that took `factor` times the median CPU time per line
    or more. CPU time, not wall time: other processes on the machine do not make a file slow."""
    timed = [o for o in outcomes if o.status in ("ok", "internal-error") and o.lines]
    if not timed:
        return []
    median = statistics.median(o.cpu_seconds / o.lines for o in timed)
    return sorted(
        (o for o in timed if o.cpu_seconds >= min_seconds and o.cpu_seconds / o.lines >= factor * median),
        key=lambda o: -(o.cpu_seconds / o.lines),
    )


def render(report: ScanReport, slow: float, top: int) -> str:
    outcomes = report.outcomes
    statuses = Counter(o.status for o in outcomes)
    checked = [o for o in outcomes if o.status in ("ok", "internal-error")]
    lines, cpu = report.lines, sum(o.cpu_seconds for o in checked)
    out = [
        f"files: {len(outcomes)} ({len(checked)} checked, {statuses['unreadable']} unreadable), "
        f"lines: {lines:,}, "
        + (
            f"wall: {report.wall_seconds:.1f} s on {report.jobs} workers "
            f"({lines / max(report.wall_seconds, 1e-9) / 1000:.1f} kLOC/s); "
            if report.jobs
            else ""
        )
        + f"checking took {cpu:.1f} s of CPU ({lines / max(cpu, 1e-9) / 1000:.1f} kLOC per CPU-second)",
        f"files with a syntax error (HPL901, not an hplint bug): {sum(o.syntax_errors > 0 for o in checked)}",
    ]
    errors = [(o, e) for o in outcomes for e in o.errors]
    out.append(f"internal errors: {len(errors)} in {statuses['internal-error']} files")
    by_cause = Counter((e.code, e.origin, e.message.split(": ", 1)[-1][:120]) for _, e in errors)
    for (code, origin, message), count in by_cause.most_common():
        example = next(o.path for o, e in errors if (e.code, e.origin) == (code, origin))
        out.append(f"  {count:5d} x {code} {origin}: {message}\n          e.g. {example}")
    out.append(f"worker deaths: {statuses['died']}, timeouts: {statuses['timeout']}")
    for outcome in outcomes:
        if outcome.status in ("died", "timeout"):
            out.append(f"  {outcome.status}: {outcome.path}: {outcome.detail}")
    unreadable = Counter(o.detail.split(":")[0][:80] for o in outcomes if o.status == "unreadable")
    for detail, count in unreadable.most_common(5):
        out.append(f"  unreadable x{count}: {detail}")
    slower = [o for o in checked if o.cpu_seconds > slow]
    out.append(f"files over {slow:g} s of CPU: {len(slower)}; the slowest {top} (CPU, wall):")
    out.extend(_timing_rows(sorted(checked, key=lambda o: -o.cpu_seconds)[:top]))
    per_kline = [o.cpu_seconds / o.lines * 1000 for o in checked if o.lines]
    if per_kline:
        outliers = slow_outliers(outcomes)
        out.append(
            f"median CPU per 1,000 lines: {statistics.median(per_kline) * 1000:.0f} ms; "
            f"files of >= 0.5 s and >= 10x the median per line: {len(outliers)}"
        )
        out.extend(_timing_rows(outliers[:top]))
    return "\n".join(out)


def _timing_rows(outcomes: list[FileOutcome]) -> list[str]:
    return [
        f"  {o.cpu_seconds:7.2f} s {o.seconds:7.2f} s {o.lines:8,d} lines "
        f"{o.lines / max(o.cpu_seconds, 1e-9):8,.0f} lines/s  {o.path}"
        for o in outcomes
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roots", nargs="*", type=Path, help="directories or files (default: stdlib + site-packages)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per CPU)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a file's worker is killed")
    parser.add_argument("--slow", type=float, default=5.0, help="count files that take more CPU seconds")
    parser.add_argument("--top", type=int, default=20, help="how many slowest files to list")
    parser.add_argument("--notebooks", action="store_true", help="check .ipynb files too")
    parser.add_argument("--sample-bytes", type=int, help="check only the deterministic sample of this size")
    parser.add_argument("--json", type=Path, help="also write every file's outcome to this JSON file")
    parser.add_argument("--log", type=Path, help="append each file's outcome to this JSON-lines file as it comes")
    parser.add_argument("--from-log", type=Path, help="scan nothing: report on the outcomes of a --log file")
    args = parser.parse_args(argv)
    if args.from_log:
        report = _read_log(args.from_log)
        print(render(report, args.slow, args.top))
        return 1 if report.problems else 0
    files = discover(args.roots or default_roots(), (".py", ".ipynb") if args.notebooks else (".py",))
    if args.sample_bytes:
        files = sample(files, args.sample_bytes)
    print(f"checking {len(files)} files ({sum(f.size for f in files) / 1e6:.1f} MB)", file=sys.stderr)
    log = args.log.open("a") if args.log else None
    try:
        report = scan(files, jobs=args.jobs, timeout=args.timeout, progress=True, log=log)
    finally:
        if log is not None:
            log.close()
    print(render(report, args.slow, args.top))
    if args.json:
        payload = {"wall_seconds": report.wall_seconds, "jobs": report.jobs, "files": [asdict(o) for o in report.outcomes]}
        args.json.write_text(json.dumps(payload, indent=1))
    return 1 if report.problems else 0


def _read_log(path: Path) -> ScanReport:
    outcomes = []
    for line in path.read_text().splitlines():
        record = json.loads(line)
        record["errors"] = [InternalError(**e) for e in record["errors"]]
        outcomes.append(FileOutcome(**record))
    return ScanReport(sorted(outcomes, key=lambda o: o.path), wall_seconds=0.0, jobs=0)


if __name__ == "__main__":
    sys.exit(main())
