"""`drafter roll`: next year's facts file from this year's, carried-over facts marked."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_parser


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "roll", "由上一年度的事实文件生成新年度的事实文件",
        "复制上一年度的事实文件为新年度的事实文件（原文件不改动，已存在的目标文件不会被覆盖）："
        "每个指标的上年数值设为上一年度的数值，同比变化自动计算；成文日期、通知标题和文号清空待填，"
        "开头引用的几个文件（notices）的发文机关、标题和文号沿用并标为 !stale；"
        "正文、条目、分值和指标数值沿用上年并标为 !stale，稿中青色高亮、drafter check 逐项列出，"
        "核对或改写后删去该标记。注释和键的顺序保持不变。",
    )  # fmt: skip
    parser.add_argument("facts", type=Path, metavar="事实文件",
                        help="上一年度的事实文件，如 samples/dongli/2020.yaml")
    parser.add_argument("--year", type=int, metavar="年度",
                        help="新年度；不填则为事实文件的年度加一")
    parser.add_argument("-o", "--output", type=Path, metavar="新文件",
                        help="新事实文件的路径；不填则为同目录下的“<年度>.yaml”")


def run(args: argparse.Namespace) -> int:
    from drafter.roll import roll_file

    rolled = roll_file(args.facts, args.year, args.output)
    for line in rolled.report_lines():
        print(line)
    return 0
