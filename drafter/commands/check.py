"""`drafter check`: the arithmetic and the facts a reviewer checks, without drafting."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_customisation, add_parser

EXIT_CLEAN, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "check", "检查事实文件：错误、缺项、标准和年度目标的达成情况",
        "检查事实文件而不生成报告：列出每个错误、警告（缺少的事实、未达到的标准和目标），"
        "以及每条标准和目标的判断，均注明文件和行号。无错误时退出码为 0，有错误为 1；"
        "加 --strict 时仅有警告也以 2 退出。",
    )  # fmt: skip
    parser.add_argument("facts", type=Path, metavar="事实文件", help="年度事实文件")
    add_customisation(parser)
    parser.add_argument("--strict", action="store_true", help="有警告时以退出码 2 结束")
    parser.add_argument("--quiet", action="store_true", help="只显示错误和警告，不显示已达到的项目")


def run(args: argparse.Namespace) -> int:
    from drafter.checking import check_file
    from drafter.config import from_args

    custom = from_args(args, args.facts)
    report = check_file(args.facts, custom)
    shown = [f for f in report.findings if not (args.quiet and f.level == "info")]
    for finding in shown:
        print(finding)
    errors, warnings = len(report.errors), len(report.warnings)
    print(f"检查完毕：错误 {errors} 个，警告 {warnings} 个。")
    if errors:
        return EXIT_ERRORS
    if warnings and args.strict:
        return EXIT_WARNINGS
    return EXIT_CLEAN
