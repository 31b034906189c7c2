"""`drafter batch`: draft (or check) every <district>/<year>.yaml under a folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_customisation, add_parser

EXIT_OK, EXIT_FAILED, EXIT_WARNINGS, EXIT_INTERRUPTED = 0, 1, 2, 130


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"应为 1 到 86400 之间的秒数：{text}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "batch", "批量起草（或检查）一个文件夹中所有区县的报告",
        "起草文件夹中每个 <区县>/<年度>.yaml 事实文件（如 facts/jiangbei/2022.yaml），"
        "多进程并行。某个文件出错时继续处理其余文件，最后列表说明每份报告的结果；"
        "有文件出错时退出码为 1。已存在且被人改过的稿子不会被覆盖（该文件记为出错）。",
    )  # fmt: skip
    parser.add_argument("folder", type=Path, metavar="事实文件夹",
                        help="按 <区县>/<年度>.yaml 存放事实文件的文件夹")
    parser.add_argument("-o", "--output", type=Path, metavar="输出文件夹",
                        help="生成的 .docx 按 <区县>/<年度>.docx 存放于此；"
                        "不填则与各事实文件同目录")
    parser.add_argument("-j", "--jobs", type=_positive, metavar="N",
                        help="同时运行的进程数；默认每个 CPU 核心一个")
    parser.add_argument("--timeout", type=_seconds, default=120.0, metavar="秒",
                        help="每个事实文件最多处理的秒数，超时的记为出错（默认 120）")
    parser.add_argument("--check-only", action="store_true",
                        help="只检查（同 drafter check），不生成文件")
    add_customisation(parser, reference=True)
    parser.add_argument("--strict", action="store_true",
                        help="严格模式：仍有待补充事实的报告不生成并记为出错；"
                        "与 --check-only 同用时，有警告则以退出码 2 结束")
    parser.add_argument("--force", action="store_true",
                        help="目标文件已被修改或不是 drafter 生成时仍然覆盖（旧文件先另存为备份）")


def run(args: argparse.Namespace) -> int:
    import sys

    from drafter import batch
    from drafter.config import given

    found = batch.find_jobs(args.folder, args.output, args.check_only)
    options = batch.Options(
        check_only=args.check_only,
        custom=given(args),  # each file completes it with its own drafter.yaml
        strict=args.strict,
        force=args.force,
        timeout=args.timeout,
    )
    for path in found.skipped:
        print(f"已跳过：{path}（文件名不是年度，如 2022.yaml）", file=sys.stderr)
    progress = batch.Progress(len(found.jobs), "检查" if args.check_only else "起草")
    workers = args.jobs or batch.default_jobs()
    try:
        outcomes = batch.run_batch(found.jobs, options, workers, progress.advance)
    except batch.Interrupted as stop:
        progress.close()
        print("\n".join(batch.summary_lines(stop.outcomes, args.check_only)))
        left = len(found.jobs) - len(stop.outcomes)
        print(f"已中断：其余 {left} 份未处理；已写入的文件都是完整的。", file=sys.stderr)
        return EXIT_INTERRUPTED
    progress.close()
    print("\n".join(batch.summary_lines(outcomes, args.check_only)))
    if any(o.status == "error" for o in outcomes):
        return EXIT_FAILED
    if args.check_only and args.strict and any(o.status == "warnings" for o in outcomes):
        return EXIT_WARNINGS
    return EXIT_OK
