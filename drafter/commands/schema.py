"""`drafter schema`: the JSON Schema of a facts file, for editors (VS Code's YAML extension)."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_parser


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "schema", "输出事实文件的 JSON Schema（供编辑器补全和检查）",
        "输出事实文件的 JSON Schema（每个字段带中文标题和说明）。VS Code 装上 YAML 扩展"
        "（Red Hat）后，在事实文件第一行写 # yaml-language-server: $schema=<schema 文件路径>，"
        "输入时即可补全字段名、悬停看说明、标出写错的字段和类型。详见 docs/customizing.md。",
    )  # fmt: skip
    parser.add_argument("-o", "--output", type=Path, metavar="输出文件",
                        help="写入该文件（如 facts.schema.json）；不填则输出到终端")


def run(args: argparse.Namespace) -> int:
    import json

    from drafter.schema import facts_schema

    text = json.dumps(facts_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        print(text, end="")
        return 0
    from drafter.output import atomic_write

    atomic_write(args.output, text.encode("utf-8"))
    print(f"已生成：{args.output}")
    return 0
