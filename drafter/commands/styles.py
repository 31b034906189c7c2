"""`drafter styles init`: write the default reference document for a bureau to restyle."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_parser


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "styles", "生成参考样式文档（在 Word/WPS 中修改字体、字号、页边距等）",
        "管理参考样式文档。参考样式文档是一个 .docx：在 Word 或 WPS 中修改其中的样式"
        "（公文正文、公文一级标题……）和页面设置后，起草时用 --reference-doc 指定，"
        "报告即采用这些样式和页面设置；文档中没有的样式仍用内置的 GB/T 9704 样式。",
    )  # fmt: skip
    actions = parser.add_subparsers(title="操作", dest="action", metavar="<操作>",
                                    parser_class=type(parser))  # fmt: skip
    init = add_parser(
        actions, "init", "写出默认的参考样式文档",
        "写出 drafter 内置样式（GB/T 9704-2012）的参考样式文档，每种样式附一段示例文字。"
        "已存在的文件不会被覆盖。",
    )  # fmt: skip
    init.add_argument("output", type=Path, metavar="文件.docx",
                      help="参考样式文档的路径，如 本局样式.docx")
    parser.set_defaults(_parser=parser)


def run(args: argparse.Namespace) -> int:
    if args.action is None:
        args._parser.print_help()
        return 0
    from drafter.errors import OutputError
    from drafter.output import atomic_write
    from drafter.word.reference import reference_document

    output: Path = args.output
    if output.suffix.lower() != ".docx":
        raise OutputError.one("参考样式文档的扩展名应为 .docx", output)
    if output.exists():
        raise OutputError.one("文件已存在，不会覆盖；请换一个文件名，或先删除它", output)
    atomic_write(output, reference_document())
    print(f"已生成参考样式文档：{output}")
    print("在 Word 或 WPS 中修改样式（右键样式 → 修改）和页面设置后保存，然后起草：")
    print(f"  drafter draft 事实文件 --reference-doc {output} -o 报告.docx")
    return 0
