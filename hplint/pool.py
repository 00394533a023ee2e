"""Checking many files: in this process, or spread over a pool of worker processes that
survives a worker dying."""

from __future__ import annotations

import gc
import os
import sys
from typing import Sequence

from hplint.diagnostics import FileResult, internal_error
from hplint.engine import FileTask, check_task


# Objects left alive after a file (caches, reference cycles) that trigger a collection.
_GC_SURVIVORS = 50_000


def check_chunk(tasks: Sequence[FileTask]) -> list[FileResult]:
    # A syntax tree is hundreds of thousands of objects without reference cycles: the cyclic
    # garbage collector, triggered by their allocation, traverses them again and again for nothing
    # (10% of the time). It is paused while a file is checked; what a file leaves behind is
    # collected between files when it adds up.
    results: list[FileResult] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for task in tasks:
            results.append(check_task(task))
            if gc_was_enabled and gc.get_count()[0] > _GC_SURVIVORS:
                gc.collect(1)
    finally:
        if gc_was_enabled:
            gc.enable()
    return results


def run(tasks: Sequence[FileTask], jobs: int | None = None) -> list[FileResult]:
    """Check every task; in parallel when there are several files. Results come back in task order."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(tasks) <= 2:
        return check_chunk(tasks)
    return _run_pool(tasks, jobs)


def _run_pool(tasks: Sequence[FileTask], jobs: int) -> list[FileResult]:
    """Check the tasks in worker processes. A worker that dies (a crash in native code, the OOM
    killer) takes down the whole pool; the files it may have been checking are then checked again
    one by one, each in a fresh worker, so the culprit is found, reported as HPL903, and no other
    file loses its findings."""
    results: list[FileResult | None] = [None] * len(tasks)
    # Largest files first, in chunks of a few files (small files do not drown in inter-process
    # overhead): the chunks that finish last are small, so no worker idles long while another
    # ends a large file.
    chunk_size = max(1, min(4, len(tasks) // (jobs * 8) or 1))
    pending = sorted(range(len(tasks)), key=lambda index: -_task_size(tasks[index]))
    _preload()
    while pending:
        chunks = [pending[i : i + chunk_size] for i in range(0, len(pending), chunk_size)]
        unfinished = _pool_pass(tasks, chunks, jobs, results)
        if not unfinished:
            break
        # Chunks are handed out in order, so the ones running when the pool broke are among the
        # first `jobs + 1` unfinished chunks (one more waits in the call queue).
        suspects = [index for chunk in unfinished[: jobs + 1] for index in chunk]
        for index in suspects:
            if _pool_pass(tasks, [[index]], 1, results):
                results[index] = _worker_died(tasks[index])
        pending = [index for chunk in unfinished for index in chunk if results[index] is None]
    return [result for result in results if result is not None]


def _task_size(task: FileTask) -> int:
    if task.data is not None:
        return len(task.data)
    try:
        return os.path.getsize(task.path)
    except OSError:
        return 0


def _pool_pass(
    tasks: Sequence[FileTask], chunks: list[list[int]], jobs: int, results: list[FileResult | None]
) -> list[list[int]]:
    """Run chunks of task indices in a fresh pool, filling `results`; the chunks left unfinished
    because a worker died, in order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    unfinished = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context) as pool:
        futures = [pool.submit(check_chunk, [tasks[index] for index in chunk]) for chunk in chunks]
        for chunk, future in zip(chunks, futures):
            try:
                chunk_results = future.result()
            except BrokenProcessPool:
                unfinished.append(chunk)
                continue
            for index, result in zip(chunk, chunk_results):
                results[index] = result
    return unfinished


def _worker_died(task: FileTask) -> FileResult:
    diagnostic = internal_error(
        task.display,
        "while checking this file",
        "its worker process died: a crash in native code, or out of memory",
        "The file was not checked",
    )
    return FileResult(task.display, [diagnostic], tracebacks=[f"{task.display}: the worker process died (see its stderr above)\n"])


def _preload() -> None:
    """Import what workers need before forking, so each worker does not import it again."""
    import libcst  # noqa: F401

    from hplint.rules import all_rules

    all_rules()
