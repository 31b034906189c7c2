"""Run jobs in forked worker processes, one process per job, each with a time limit.

A process per job (forked from a parent that has drafter imported and prepared) is what
lets a hung job be stopped without stopping the others, and Ctrl-C stop all of them at
once: SIGTERM first, so an atomic write can remove its temporary file, then SIGKILL.
Each worker's address space is capped (RLIMIT_AS), so a runaway job fails alone.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

WORKER_MEMORY = 2 * 1024**3  # bytes of address space one worker may use
_GRACE = 1.0  # seconds a stopped worker has to unwind before SIGKILL


@dataclass
class _Worker:
    job: Any
    pid: int
    fd: int  # the read end of the pipe the result comes back through
    deadline: float
    data: list[bytes] = field(default_factory=list)


def _fork(job: Any, work: Callable[[Any], Any], timeout: float) -> _Worker:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: do the job, send the result, exit without the parent's cleanups
        code = 1
        try:
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides about Ctrl-C
            signal.signal(signal.SIGTERM, _stop)
            _cap_memory()
            payload = pickle.dumps(work(job))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    return _Worker(job, pid, read_fd, time.monotonic() + timeout)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(1)  # unwinds: an atomic write removes its temporary file


def _cap_memory() -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft > WORKER_MEMORY:
            resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, hard))
    except (ImportError, ValueError, OSError):
        pass


def _end(running: list[_Worker]) -> None:
    """Stop workers: SIGTERM, a moment to unwind, then SIGKILL; reap them all."""
    for worker in running:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGTERM)
    until = time.monotonic() + _GRACE
    for worker in running:
        with contextlib.suppress(ChildProcessError):
            while time.monotonic() < until and os.waitpid(worker.pid, os.WNOHANG) == (0, 0):
                time.sleep(0.02)
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            os.waitpid(worker.pid, 0)
        os.close(worker.fd)


def _collected(worker: _Worker, crashed: Callable[[Any], Any]) -> Any:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(worker.pid, 0)
    os.close(worker.fd)
    try:
        return pickle.loads(b"".join(worker.data))
    except Exception:  # the worker died before sending its result
        return crashed(worker.job)


def run_forked(
    jobs: list[Any],
    work: Callable[[Any], Any],
    count: int,
    timeout: float,
    finish: Callable[[Any], None],
    *,
    timed_out: Callable[[Any], Any],
    crashed: Callable[[Any], Any],
) -> None:
    """`finish(work(job))` for every job, `count` at a time; `timed_out(job)` for a job over
    `timeout` seconds, `crashed(job)` for one whose worker died."""
    waiting = list(jobs)
    running: dict[int, _Worker] = {}
    try:
        while waiting or running:
            while waiting and len(running) < count:
                worker = _fork(waiting.pop(0), work, timeout)
                running[worker.fd] = worker
            wait = max(0.0, min(w.deadline for w in running.values()) - time.monotonic())
            ready, _, _ = select.select(list(running), [], [], wait)
            for fd in ready:
                chunk = os.read(fd, 1 << 16)
                if chunk:
                    running[fd].data.append(chunk)
                else:
                    finish(_collected(running.pop(fd), crashed))
            now = time.monotonic()
            for fd, worker in list(running.items()):
                if worker.deadline <= now:
                    del running[fd]
                    _end([worker])
                    finish(timed_out(worker.job))
    finally:
        _end(list(running.values()))
