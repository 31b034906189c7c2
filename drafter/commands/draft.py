"""`drafter draft`: facts file → .docx."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_customisation, add_parser


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "draft", "从事实文件起草报告（.docx）",
        "从一个区县一个年度的事实文件起草自评报告初稿（.docx）。缺少的事实在稿中以"
        "高亮的【待补充：…】标出并在终端列出；沿用上年、尚未更新的事实（!stale）以青色高亮"
        "并列出。已存在的目标文件若被人改过，不会被覆盖。",
    )  # fmt: skip
    parser.add_argument("facts", type=Path, metavar="事实文件",
                        help="年度事实文件，如 samples/jiangbei/2022.yaml")
    parser.add_argument("-o", "--output", type=Path, metavar="输出文件",
                        help="生成的 .docx 路径；不填则与事实文件同名同目录")
    add_customisation(parser, reference=True)
    parser.add_argument("--strict", action="store_true",
                        help="严格模式：仍有待补充或沿用上年未更新的事实时不生成文件，只列出缺项")
    parser.add_argument("--force", action="store_true",
                        help="目标文件已被修改或不是 drafter 生成时仍然覆盖（旧文件先另存为备份）")


def run(args: argparse.Namespace) -> int:
    from drafter.config import from_args
    from drafter.pipeline import draft_to_file

    custom = from_args(args, args.facts)
    result = draft_to_file(
        args.facts,
        args.output or args.facts.with_suffix(".docx"),
        custom,
        strict=args.strict,
        force=args.force,
    )
    if custom.config is not None:
        print(f"使用配置文件：{custom.config}")
    for line in result.report_lines():
        print(line)
    return 0 if result.written else 1
