"""`drafter diff`: what changed between two years' facts files."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_parser


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "diff", "比较两个年度的事实文件：指标、条目、分值和基本信息的变化",
        "比较两个事实文件（通常是上一年度和今年），用中文列出变化：指标的旧值、新值和同比变化"
        "（比率按个百分点）、新增和删除的指标，新增、删除和改写的条目（按标题路径对应），"
        "分值的变化，以及年度、期间、通知、文号、成文日期等基本信息；开头引用几个文件（notices）时，"
        "按标题（标题改了则按位置）逐个比较它们的发文机关、标题、文号和书名号。",
    )  # fmt: skip
    parser.add_argument("old", type=Path, metavar="旧文件", help="上一年度的事实文件")
    parser.add_argument("new", type=Path, metavar="新文件", help="新年度的事实文件")


def run(args: argparse.Namespace) -> int:
    from drafter.diff import diff_files

    for line in diff_files(args.old, args.new):
        print(line)
    return 0
