"""Run `drafter …` in a forked child with a time limit and a memory cap, and judge what a
user would see: a clean Chinese error (exit 1, file named, no traceback, no English
sentence from a library), a success, or a failure of drafter (traceback, hang, crash, or
the CLI's last-resort "程序内部错误" for an exception nothing turned into a DrafterError)."""

from __future__ import annotations

import io
import os
import pickle
import re
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MEMORY = 1536 * 1024**2  # address space of one case (RLIMIT_AS)
SECONDS = 20.0  # wall-clock time of one case
RENDER_SECONDS = 2.0  # the sandbox's render limit inside a case (10 s in real use)
# What drafter/cli.py prints for an exception no part of drafter turned into a DrafterError.
FAULTS = ("程序内部错误", "内存不足", "输入嵌套太深，无法处理")


@dataclass
class Result:
    code: int | None  # None: killed for taking too long
    out: str
    err: str

    @property
    def kind(self) -> str:
        if self.code is None:
            return "hang"
        if "Traceback" in self.err or self.code == 99:
            return "traceback"
        if any(fault in self.err for fault in FAULTS):
            return "fault"  # caught by the CLI's last resort: drafter did not expect it
        if self.code == 0:
            return "ok"
        if self.code == 1 and self.err.startswith(("错误：", "警告：")):
            return "error"
        return f"exit {self.code}"


_WARM: list[bool] = []


def _warm() -> None:
    """Import and prepare drafter once here, so each forked case starts ready."""
    if _WARM:
        return
    _WARM.append(True)
    import drafter.cli  # noqa: F401
    from drafter.pipeline import draft_facts
    from drafter.word import build_docx

    sample = Path(__file__).resolve().parent.parent / "samples" / "jiangbei" / "2022.yaml"
    build_docx(draft_facts(sample).document)


def run(*argv: str | Path, cwd: Path, seconds: float = SECONDS, user: int | None = None) -> Result:
    """`drafter argv` in a fork of this process (drafter already imported: fast); with
    `user`, as that user id (root cannot be kept out of a read-only folder)."""

    def command() -> int:
        from drafter import sandbox
        from drafter.cli import main

        sandbox.RENDER_SECONDS = RENDER_SECONDS
        if user is not None:
            _preload()  # that user may not read the Python installation (root's home)
            os.setgid(user)
            os.setuid(user)
        return main([str(a) for a in argv])

    _warm()
    return _forked(command, cwd, seconds)


def _preload() -> None:
    """Import every drafter module and the codecs they look up, as root, in the child."""
    import importlib
    import pkgutil

    import drafter

    for module in pkgutil.walk_packages(drafter.__path__, "drafter."):
        if ".web" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    import openpyxl  # noqa: F401 (sheet export and import)

    for codec in ("gb2312", "gb18030", "gbk", "utf-16", "utf-8-sig", "big5"):
        "中".encode(codec)


def call(function: Callable[[], object], seconds: float = SECONDS) -> tuple[bool, object]:
    """`function()` in a forked child with the same limits: (finished in time, its result,
    which must pickle). For code that must not hang on any input (title breaking)."""
    with tempfile.TemporaryFile() as handle:

        def child() -> int:
            pickle.dump(function(), handle)
            handle.flush()
            return 0

        result = _forked(child, Path.cwd(), seconds)
        if result.code != 0:
            return False, result
        handle.seek(0)
        return True, pickle.load(handle)


def _forked(command: Callable[[], int], cwd: Path, seconds: float) -> Result:
    out_file = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, after the child)
    err_file = tempfile.TemporaryFile()  # noqa: SIM115
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 99
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
            os.chdir(cwd)
            sys.stdout = io.TextIOWrapper(os.fdopen(out_file.fileno(), "wb", closefd=False),
                                          encoding="utf-8")  # fmt: skip
            sys.stderr = io.TextIOWrapper(os.fdopen(err_file.fileno(), "wb", closefd=False),
                                          encoding="utf-8")  # fmt: skip
            code = command()
        except BaseException:
            traceback.print_exc(file=sys.stderr)
            code = 99
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code if isinstance(code, int) else 99)
    deadline = time.monotonic() + seconds
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.01)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    texts = []
    for handle in (out_file, err_file):
        handle.seek(0)
        texts.append(handle.read().decode("utf-8", "replace"))
        handle.close()
    return Result(code, *texts)


# Words that may stand in a Chinese message: names of formats, tools, options, code.
_ALLOWED = re.compile(
    r"(\{[{%].*?[%}]\}|--?[a-z][a-z-]*|U\+[0-9A-F]{4}|[\w.-]+\.(?:ya?ml|j2|docx|json|txt)"
    r"|map\(attribute=\"title\"\)|drafter \w+|[A-Za-z_][\w.]*(?:\.\w+)+)"
)
_ENGLISH = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")  # a phrase; "a, b" lists names


def english_fragments(text: str, *paths: Path) -> list[str]:
    """English phrases (two words or more) left in a message once paths and code are gone."""
    for path in sorted({str(p) for p in paths}, key=len, reverse=True):
        text = text.replace(path, "")
    text = _ALLOWED.sub("", text)
    return _ENGLISH.findall(text)


def assert_clean_error(result: Result, *names: str, root: Path | None = None) -> None:
    """A located Chinese error: exit 1, every line Chinese, the file (and line) named."""
    assert result.kind == "error", (result.kind, result.err[-2000:])
    assert re.search("[\u4e00-\u9fff]", result.err), result.err
    leftovers = english_fragments(result.err, *([root] if root else []))
    assert not leftovers, (leftovers, result.err)
    for name in names:
        assert name in result.err, (name, result.err)
