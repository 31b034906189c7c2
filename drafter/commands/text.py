"""`drafter text`: the drafted report as plain text, one paragraph per line."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_customisation, add_parser


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "text", "把起草的报告以纯文本输出到终端（便于校对和比较）",
        "起草报告但不生成 .docx，把每段文字按顺序输出，一段一行。",
    )  # fmt: skip
    parser.add_argument("facts", type=Path, metavar="事实文件", help="年度事实文件")
    add_customisation(parser)


def run(args: argparse.Namespace) -> int:
    from drafter.compose import document_lines
    from drafter.config import from_args
    from drafter.pipeline import draft_facts

    custom = from_args(args, args.facts)
    draft = draft_facts(args.facts, custom)
    for line in document_lines(draft.document):
        print(line)
    return 0
