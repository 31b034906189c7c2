"""Run jobs in forked worker processes, each job with a time limit.

`count` workers are forked once (from a parent that has drafter imported and prepared) and
each drafts job after job: the jobs are already in its memory, so the parent sends only a
job's index and the worker sends back the pickled result. A job over its time limit has its
worker stopped (the other workers go on) and a fresh worker forked in its place; Ctrl-C
stops all of them at once: SIGTERM first, so an atomic write can remove its temporary file,
then SIGKILL. Each worker's address space is capped (RLIMIT_AS), so a runaway job fails
alone (its worker is replaced).

run_once is one job in a child forked for it, for `drafter serve`: a server's worker thread
cannot use the signal-based time limit or lower the address space for itself alone, the
child (one thread, its main) can.
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
    pid: int
    jobs_fd: int  # the write end of the pipe job indexes go to
    fd: int  # the read end of the pipe results come back through
    job: Any = None  # the job it is on, None when idle
    deadline: float = 0.0
    data: bytearray = field(default_factory=bytearray)


_SIZE = 8  # bytes of the length before each result


def _fork(jobs: list[Any], work: Callable[[Any], Any], others: list[_Worker]) -> _Worker:
    jobs_read, jobs_write = os.pipe()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: do jobs until the parent closes the pipe, exit without cleanups
        code = 1
        try:
            os.close(read_fd)
            os.close(jobs_write)
            for other in others:  # else a worker's job pipe would not close with the parent's end
                _close(other)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides about Ctrl-C
            signal.signal(signal.SIGTERM, _stop)
            _cap_memory()
            _serve(jobs, work, jobs_read, write_fd)
            code = 0
        finally:
            os._exit(code)
    os.close(jobs_read)
    os.close(write_fd)
    return _Worker(pid, jobs_write, read_fd)


def _serve(jobs: list[Any], work: Callable[[Any], Any], jobs_fd: int, out_fd: int) -> None:
    with os.fdopen(jobs_fd, "rb") as incoming, os.fdopen(out_fd, "wb") as out:
        while index := incoming.read(4):
            payload = pickle.dumps(work(jobs[int.from_bytes(index, "little")]))
            out.write(len(payload).to_bytes(_SIZE, "little") + payload)
            out.flush()


def _give(worker: _Worker, index: int, job: Any, timeout: float) -> None:
    worker.job, worker.deadline = job, time.monotonic() + timeout
    os.write(worker.jobs_fd, index.to_bytes(4, "little"))


def _result(worker: _Worker) -> tuple[bool, Any]:
    """(True, result) once the worker's whole result has arrived."""
    if len(worker.data) < _SIZE:
        return False, None
    size = int.from_bytes(worker.data[:_SIZE], "little")
    if len(worker.data) < _SIZE + size:
        return False, None
    payload = bytes(worker.data[_SIZE : _SIZE + size])
    del worker.data[: _SIZE + size]
    return True, pickle.loads(payload)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(1)  # unwinds: an atomic write removes its temporary file


def _cap_memory(limit: int = WORKER_MEMORY) -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _end(running: list[_Worker], grace: float = _GRACE) -> None:
    """Stop workers: SIGTERM, a moment to unwind, then SIGKILL; reap them all."""
    for worker in running:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGTERM)
    until = time.monotonic() + grace
    for worker in running:
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(worker.pid, os.WNOHANG) == (0, 0):
                if time.monotonic() >= until:  # still running: killed (never once reaped,
                    with contextlib.suppress(ProcessLookupError):  # so the pid is still its)
                        os.kill(worker.pid, signal.SIGKILL)
                    os.waitpid(worker.pid, 0)
                    break
                time.sleep(0.02)
        _close(worker)


def _close(worker: _Worker) -> None:
    for fd in (worker.fd, worker.jobs_fd):
        with contextlib.suppress(OSError):
            os.close(fd)


def _retire(workers: list[_Worker]) -> None:
    """Let idle workers finish: closing their job pipe ends their loop; reap them."""
    for worker in workers:
        with contextlib.suppress(OSError):
            os.close(worker.jobs_fd)
    for worker in workers:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.pid, 0)
        with contextlib.suppress(OSError):
            os.close(worker.fd)


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
    """`finish(work(job))` for every job, on `count` workers; `timed_out(job)` for a job over
    `timeout` seconds, `crashed(job)` for one whose worker died."""
    waiting = list(enumerate(jobs))
    pool: dict[int, _Worker] = {}  # by result fd

    def assign(worker: _Worker) -> None:
        if waiting:
            index, job = waiting.pop(0)
            try:
                _give(worker, index, job, timeout)
            except OSError:  # it died while idle: replace it, retry the job
                waiting.insert(0, (index, job))
                replace(worker, None)

    def replace(worker: _Worker, outcome: Any) -> None:
        del pool[worker.fd]
        _end([worker], grace=_GRACE if outcome is not None else 0.0)
        if outcome is not None:
            finish(outcome)
        if waiting:
            fresh = _fork(jobs, work, list(pool.values()))
            pool[fresh.fd] = fresh
            assign(fresh)

    try:
        for _ in range(min(count, len(jobs))):
            worker = _fork(jobs, work, list(pool.values()))
            pool[worker.fd] = worker
            assign(worker)
        while any(w.job is not None for w in pool.values()):
            busy = [w for w in pool.values() if w.job is not None]
            wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready, _, _ = select.select([w.fd for w in busy], [], [], wait)
            for fd in ready:
                worker = pool[fd]
                chunk = os.read(fd, 1 << 16)
                if not chunk:  # the worker died before sending its result
                    replace(worker, crashed(worker.job))
                    continue
                worker.data += chunk
                done, result = _result(worker)
                if done:
                    worker.job = None
                    finish(result)
                    assign(worker)
            now = time.monotonic()
            for worker in list(pool.values()):
                if worker.job is not None and worker.deadline <= now:
                    replace(worker, timed_out(worker.job))
        _retire(list(pool.values()))
        pool.clear()
    finally:
        _end(list(pool.values()))


# --- one job in a child of its own, for a server's worker threads ------------------------------


class WorkerFailed(Exception):
    """run_once's child was over its time limit (`timed_out`) or died without a result."""

    def __init__(self, timed_out: bool) -> None:
        super().__init__("timed out" if timed_out else "crashed")
        self.timed_out = timed_out


def run_once(work: Callable[..., Any], *args: Any, timeout: float, memory: int) -> Any:
    """`work(*args)` in a forked child, whose one thread is its main thread (so the sandbox's
    signal-based time limit and its memory limit apply there, as they do not in a server's
    worker threads); the child's address space may grow by `memory` bytes at most. The result,
    or the exception `work` raised, comes back pickled; over `timeout` seconds the child is
    stopped and WorkerFailed(timed_out=True) raised, a child that dies raises WorkerFailed."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides about Ctrl-C
            signal.signal(signal.SIGTERM, _stop)
            _child_streams()
            used = _used()
            if used:  # Linux: what it has now, plus `memory`
                _cap_memory(used + memory)
            _answer(write_fd, work, args)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    worker = _Worker(pid, -1, read_fd, deadline=time.monotonic() + timeout)
    done, answer = False, None
    try:
        while not done:
            wait = worker.deadline - time.monotonic()
            if wait <= 0:
                raise WorkerFailed(timed_out=True)
            ready, _, _ = select.select([read_fd], [], [], wait)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:  # died without a (whole) answer: out of memory, or killed
                raise WorkerFailed(timed_out=False)
            worker.data += chunk
            done, answer = _result(worker)
    finally:
        if done:  # it exits as soon as it has answered
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            _close(worker)
        else:
            _end([worker], grace=0.5)
    ok, value = answer
    if not ok:
        raise value
    return value


def _answer(fd: int, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        payload = pickle.dumps((True, work(*args)))
    except BaseException as exc:  # sent back, to be raised in the server
        try:
            payload = pickle.dumps((False, exc))
        except Exception:  # an exception that does not pickle: its kind is enough
            payload = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    with os.fdopen(fd, "wb") as out:  # its length first: another child forked meanwhile
        out.write(len(payload).to_bytes(_SIZE, "little") + payload)  # may hold the pipe open


def _child_streams() -> None:
    """Another thread of the server may have held the lock of stdout or stderr when it forked:
    the child writes to neither."""
    import sys

    with contextlib.suppress(OSError):
        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _used() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
