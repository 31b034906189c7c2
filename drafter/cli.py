"""The `drafter` command: builds the parser from drafter/commands/ and is the one place
that catches DrafterError and prints it (in Chinese, without a traceback, exit code 1)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from drafter import __version__
from drafter.commands import MODULES, NAMES
from drafter.errors import DrafterError, os_reason

EXIT_OK, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a writer whose reader went away


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with its English fragments in Chinese and usage errors ending in exit 1."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        replacements = {
            "the following arguments are required": "缺少必需的参数",
            "unrecognized arguments": "无法识别的参数",
            "invalid choice": "无效的选项",
            "expected one argument": "需要一个参数值",
            "argument ": "参数 ",
        }
        for english, chinese in replacements.items():
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        print(f"错误：{message}", file=sys.stderr)
        sys.exit(EXIT_ERROR)


def _parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict[str, object]]:
    """The parser with every command, or with only the command `only` (a run of one command
    imports and builds just its own parser; `drafter --help` and an unknown command get
    them all)."""
    parser = _Parser(
        prog="drafter",
        description="起草《区（县）人民政府履行教育职责情况自评报告》：从一个年度事实文件（YAML）"
        "生成符合 GB/T 9704-2012 公文格式的 Word 文档。",
        add_help=False,
    )
    parser._optionals.title = "选项"
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    parser.add_argument("--version", action="version", version=f"drafter {__version__}",
                        help="显示版本号并退出")
    subparsers = parser.add_subparsers(
        title="命令", dest="command", metavar="<命令>", parser_class=_Parser
    )
    modules = {
        name: importlib.import_module(f"drafter.commands.{MODULES.get(name, name)}")
        for name in NAMES
        if only is None or name == only
    }
    for module in modules.values():
        module.register(subparsers)  # type: ignore[attr-defined]
    return parser, modules


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A file name that is not UTF-8 (a GBK folder copied from Windows) reaches Python as
        # lone surrogates; printing it must not fail, whichever command prints it.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # a reader that went away shows here, not at interpreter exit
    except BrokenPipeError:
        # `drafter text … | head`: the reader has what it wanted. Point stdout at devnull so
        # Python's own flush at exit does not report the closed pipe a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE


def _invoked(argv: Sequence[str]) -> str | None:
    """The command named first on the line, if it is one (options first: None)."""
    return argv[0] if argv and argv[0] in NAMES else None


def _main(argv: Sequence[str] | None) -> int:
    parser, modules = _parser(_invoked(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return modules[args.command].run(args)  # type: ignore[attr-defined]
    except DrafterError as exc:
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已中断；没有写入任何文件。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as exc:  # never a traceback: what is left is a fault, said in Chinese
        _fault(exc)
        return EXIT_ERROR


def _fault(exc: Exception) -> None:
    if isinstance(exc, MemoryError):
        message = "内存不足：输入太大或太复杂"
    elif isinstance(exc, RecursionError):
        message = "输入嵌套太深，无法处理"
    elif isinstance(exc, (OSError, RuntimeError)) and (
        isinstance(exc, OSError) or "loop" in str(exc).lower()
    ):
        where = getattr(exc, "filename", None)
        message = f"{where}：" if where else ""
        message += f"无法读写文件：{os_reason(exc)}"
    else:
        message = "程序内部错误（请把这条消息和所用的文件报告给维护者）"
    print(f"错误：{message}", file=sys.stderr)
    if os.environ.get("DRAFTER_DEBUG"):
        import traceback

        traceback.print_exception(exc)


if __name__ == "__main__":
    sys.exit(main())
