"""`drafter profiles`: the structure profiles and what each is for."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_parser


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "profiles", "列出可用的结构方案", "列出可用的结构方案及其说明。"
    )
    parser.add_argument("--sections", type=Path, action="append", default=[], metavar="文件夹",
                        help="另外查找结构方案的文件夹（可重复）")


def run(args: argparse.Namespace) -> int:
    from drafter.profiles import list_profiles, profile_dirs

    for path, description in list_profiles(profile_dirs(args.sections)):
        print(f"{path.name:<14}{description}")
    return 0
