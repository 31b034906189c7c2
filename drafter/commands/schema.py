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
                        help="写入该文件（如 facts.schema.json）；不填则输出到终端。"
                        "已存在的文件只在它是 drafter 生成的 schema 时才会更新")


def run(args: argparse.Namespace) -> int:
    import json

    from drafter.schema import facts_schema

    text = json.dumps(facts_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        print(text, end="")
        return 0
    from drafter.output import atomic_create, atomic_write

    data = text.encode("utf-8")
    if _ours(args.output):  # an older schema drafter wrote: bring it up to date
        atomic_write(args.output, data)
    else:
        atomic_create(args.output, data, "目标文件已存在，且不是 drafter 生成的 schema；"
                      "为免覆盖，已停止。请用 -o 指定另一个文件名")  # fmt: skip
    print(f"已生成：{args.output}")
    return 0


def _ours(path: Path) -> bool:
    """An existing file that `drafter schema` wrote (its $schema and title)."""
    import json

    try:
        if not path.is_file() or path.stat().st_size > 10 * 1024 * 1024:
            return False
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("title") == "履行教育职责情况自评报告·事实文件" and (
        "$schema" in data
    )
