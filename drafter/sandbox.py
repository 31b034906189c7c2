"""The bounds a user's template (or prose with {{ }}) runs within, and the loader that reads
template files only from inside the template folders.

Jinja's sandbox stops attribute escapes and bounds `range`; this adds (README, "输入的限制"):
  - a time limit per top-level render (SIGALRM in the main thread; in another thread, a timer
    thread raises it there), all renders of a job within one `budget` if one is set;
  - a memory limit per render (RLIMIT_AS lowered for the render, main thread only: a server
    drafts in a child process, workers.run_once, to have it);
  - refusals for the allocations that need no time: `'x' * 10**9`, `10 ** 10**9`, a huge
    width in `center`, `'%999999999d'|format`, `'{:999999999}'.format(…)`, `lipsum(10**6)`;
  - the size of what a render may produce.
Template files: UTF-8 (a BOM is dropped), text (no NUL), not empty, at most MAX_TEMPLATE_BYTES,
and a symlink that leads out of the template folder is refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import filters as jinja_filters
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from drafter.errors import TemplateError

RENDER_SECONDS = 10.0  # one section (or the whole title) of one report
RENDER_MEMORY = 512 * 1024 * 1024  # bytes a render may add to the process
MAX_OUTPUT = 1_000_000  # characters one render may produce, and one string may grow to
MAX_WIDTH = 10_000  # a padding width or format width
MAX_POWER = 10_000  # bits of the result of `a ** b`
MAX_TEMPLATE_BYTES = 256 * 1024
AFTER_BUDGET = 0.5  # seconds a render still has once a `budget` is spent


class RenderLimit(Exception):
    """A render went over a bound (the time limit re-fires should something swallow it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _limit(message: str) -> RenderLimit:
    return RenderLimit(message)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple, bytes)) else 0


_PERCENT_SPEC = re.compile(r"%[-+ #0]*(\d+|\*)?(?:\.(\d+|\*))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*:[^{}]*?(\d+)(?:\.(\d+))?[^{}]*\}")


def _check_format(text: str) -> None:
    """A format string whose width or precision would build a huge string."""
    for match in [*_PERCENT_SPEC.finditer(text), *_BRACE_SPEC.finditer(text)]:
        for group in match.groups():
            if group == "*" or (group and group.isdigit() and int(group) > MAX_WIDTH):
                raise _limit(f"格式宽度或精度过大（最多 {MAX_WIDTH}）")


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox with the allocations above refused."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:  # fmt: skip
        powers = operator == "**" and isinstance(left, int) and isinstance(right, int)
        if powers and right > 0 and abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER:
            raise _limit(f"乘方的结果太大（超过 {MAX_POWER} 位二进制）")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if _size(seq) and isinstance(count, int) and _size(seq) * count > MAX_OUTPUT:
                    raise _limit(f"重复得到的文字或列表太长（最多 {MAX_OUTPUT} 项）")
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        if operator == "+" and _size(left) + _size(right) > MAX_OUTPUT:
            raise _limit(f"连接得到的文字或列表太长（最多 {MAX_OUTPUT} 项）")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any,
             **kwargs: Any) -> Any:  # fmt: skip
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and name in ("center", "ljust", "rjust", "zfill", "expandtabs"):
            _check_widths(args)
        return SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, str) and attribute in ("format", "format_map"):
            _check_format(obj)  # str.format comes back wrapped: check the format string here
        return super().getattr(obj, attribute)


def _check_widths(args: tuple[Any, ...]) -> None:
    if any(isinstance(a, int) and a > MAX_WIDTH for a in args):
        raise _limit(f"宽度过大（最多 {MAX_WIDTH}）")


def _bounded_filter(original: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    def apply(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        return original(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):
        if hasattr(original, attribute):
            setattr(apply, attribute, getattr(original, attribute))
    return apply


def _width_args(*args: Any, **kwargs: Any) -> None:
    _check_widths((*args[1:], *kwargs.values()))
    for value in (*args[1:], *kwargs.values()):
        if isinstance(value, str) and len(value) > MAX_WIDTH:
            raise _limit(f"缩进文字过长（最多 {MAX_WIDTH} 字）")


def _format_args(value: Any, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str):
        _check_format(value)


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if not all(isinstance(v, int) for v in (n, min, max)) or n > 100 or max > 1000:
        raise _limit("lipsum 的段数或字数过多（最多 100 段、每段 1000 字）")
    return jinja2.utils.generate_lorem_ipsum(n=n, html=html, min=min, max=max)


def bound(env: SandboxedEnvironment) -> None:
    """Replace the filters and globals that can allocate without bound."""
    for name in ("center", "indent", "wordwrap", "truncate"):
        env.filters[name] = _bounded_filter(jinja_filters.FILTERS[name], _width_args)
    env.filters["format"] = _bounded_filter(jinja_filters.FILTERS["format"], _format_args)
    env.globals["lipsum"] = _lipsum


# --- limits while rendering -------------------------------------------------------------------

_state = threading.local()


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Every render inside shares one time limit of `seconds` (a job of several drafts, such
    as a page of `drafter serve`: check, draft and trace), each still at most RENDER_SECONDS."""
    previous = getattr(_state, "until", None), getattr(_state, "budget", None)
    _state.until, _state.budget = time.monotonic() + seconds, seconds
    try:
        yield
    finally:
        _state.until, _state.budget = previous


def _time_limit() -> tuple[float, str]:
    """Seconds this render may take, and what to say when it takes longer."""
    seconds, message = RENDER_SECONDS, f"模板运行超过 {RENDER_SECONDS:g} 秒（可能循环次数过多）"
    until = getattr(_state, "until", None)
    if until is not None and until - time.monotonic() < seconds:
        # the budget spent, a render still has a moment: the template that loops is then
        # the one named (and the caller's own time limit ends a job that goes on and on)
        seconds = max(until - time.monotonic(), AFTER_BUDGET)
        message = f"起草用时超过 {_state.budget:g} 秒（模板中可能有循环或运算次数过多）"
    return seconds, message


@contextlib.contextmanager
def limits() -> Iterator[None]:
    """Bound one render in time and memory; nested renders share the outer bound."""
    if getattr(_state, "depth", 0):
        _state.depth += 1
        try:
            yield
        finally:
            _state.depth -= 1
        return
    seconds, message = _time_limit()
    _state.depth = 1
    try:
        if threading.current_thread() is threading.main_thread():
            with _signal_deadline(seconds, message), _memory():
                yield
        else:
            with _thread_deadline(seconds, message):
                yield
    finally:
        _state.depth = 0


@contextlib.contextmanager
def _signal_deadline(seconds: float, message: str) -> Iterator[None]:
    def expired(signum: int, frame: Any) -> None:
        raise _limit(message)

    previous_handler = signal.signal(signal.SIGALRM, expired)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0]:  # someone else's timer was running: give it back
            signal.setitimer(signal.ITIMER_REAL, *previous_timer)


@contextlib.contextmanager
def _memory() -> Iterator[None]:
    restore = _lower_memory()
    try:
        yield
    finally:
        restore()


@contextlib.contextmanager
def _thread_deadline(seconds: float, message: str) -> Iterator[None]:
    """The time limit in a thread other than the main one, which SIGALRM cannot reach: a timer
    thread raises the limit in it (CPython's PyThreadState_SetAsyncExc, delivered between two
    bytecodes), again every half second should something swallow it. Memory is not bounded
    in a thread (RLIMIT_AS is the whole process's): `drafter serve` drafts in a child process
    (workers.run_once), where the main-thread limits apply."""
    import ctypes

    set_async = getattr(getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None)
    if set_async is None:  # not CPython
        yield
        return
    target, lock, done = ctypes.c_ulong(threading.get_ident()), threading.Lock(), threading.Event()

    class Expired(RenderLimit):
        def __init__(self) -> None:
            super().__init__(message)

    def watch() -> None:
        wait = seconds
        while not done.wait(wait):
            with lock:
                if not done.is_set():
                    set_async(target, ctypes.py_object(Expired))
            wait = 0.5

    threading.Thread(target=watch, daemon=True, name="drafter-render-deadline").start()
    try:
        yield
    finally:
        while True:  # the limit may land here too: retried until the timer is stopped
            try:
                with lock:
                    done.set()
                    set_async(target, None)  # one raised but not yet delivered: withdrawn
                break
            except RenderLimit:
                continue


def _lower_memory() -> Callable[[], None]:
    try:
        import resource
    except ImportError:  # Windows
        return lambda: None
    used = _address_space()
    if used is None:
        return lambda: None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = used + RENDER_MEMORY
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        return lambda: None
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError):
        return lambda: None

    def restore() -> None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

    return restore


# --- reading template files -------------------------------------------------------------------


class FolderLoader(jinja2.FileSystemLoader):
    """FileSystemLoader that stays inside its folders and reads only UTF-8 text."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses ".." and absolute names
        for folder in self.searchpath:
            filename = os.path.join(folder, *pieces)
            if os.path.isfile(filename):
                break
        else:
            raise jinja2.TemplateNotFound(template)
        path = Path(filename)
        data = check_template_file(path, Path(folder), template)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise TemplateError.one(
                "模板文件不是 UTF-8 编码；请用 UTF-8 保存后重试", path, line, template
            ) from None
        if not text.strip():
            raise TemplateError.one(
                "模板文件是空的，这一部分会整个消失；若不要这一部分，请在结构方案中删去它",
                path, None, template,
            )  # fmt: skip
        mtime = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        return text, os.path.normpath(filename), uptodate


def check_template_file(path: Path, folder: Path, name: str) -> bytes:
    """The bytes of a template file, or a TemplateError saying why it cannot be used."""
    real, root = path.resolve(), folder.resolve()
    if not real.is_relative_to(root):
        raise TemplateError.one(
            "模板文件是指向模板文件夹之外的符号链接，出于安全考虑不读取", path, None, name
        )
    try:
        size = real.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise TemplateError.one(
                f"模板文件太大（最多 {MAX_TEMPLATE_BYTES // 1024} KB）", path, None, name
            )
        data = real.read_bytes()
    except OSError:
        raise TemplateError.one("无法读取模板文件", path, None, name) from None
    if b"\0" in data:
        raise TemplateError.one("模板文件不是文本文件（含有二进制内容）", path, None, name)
    return data
