"""`drafter styles init`: write the default reference document for a bureau to restyle."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.commands import add_parser

if TYPE_CHECKING:
    from drafter.document import Document


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "styles", "生成参考样式文档（在 Word/WPS 中修改字体、字号、页边距等）",
        "管理参考样式文档。参考样式文档是一个 .docx：在 Word 或 WPS 中修改其中的样式"
        "（公文正文、标题 1……）和页面设置后，起草时用 --reference-doc 指定，"
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


def reference_document() -> bytes:
    """The built-in styles and page as a .docx, a sample paragraph per style (no fingerprint:
    it is not a draft)."""
    import io

    from drafter.word import build_docx

    buffer = io.BytesIO()
    build_docx(sample_document()).save(buffer)
    return buffer.getvalue()


def sample_document() -> Document:
    """The reference document's text: what each paragraph's style is, and how to restyle it."""
    from drafter.document import Document, Heading, Paragraph, spans
    from drafter.numbering import Numberer

    def heading(level: int, text: str, body: str | None = None) -> Heading:
        return Heading(level, spans(text), None if body is None else spans(body))

    sample = Document(
        title_lines=[spans("某某区人民政府履行教育职责情况"), spans("自评报告（参考样式）")],
        addressee=spans("某某市人民政府教育督导委员会办公室："),
        blocks=[
            Paragraph(spans(
                "这是 drafter 的参考样式文档（公文正文）。在 Word 或 WPS 中修改样式和页面设置后"
                "保存，起草时用 --reference-doc 指定本文件，或在 drafter.yaml 中写 reference_doc。"
                "报告只采用本文件的样式和页面设置，本文件中的文字不会进入报告。"
            )),
            Paragraph(spans(
                "请修改样式本身（开始 → 样式 → 右键“修改”），不要只改某段文字的格式，否则起草时"
                "不会生效。每段示例文字的括号中写着它的样式名；删去的样式仍按内置格式起草。"
            )),
            heading(1, "一级标题（标题 1）"),
            heading(2, "二级标题（标题 2）"),
            heading(3, "三级标题与正文接排（公文三级标题（段中））。",
                    "其后的正文是公文正文样式。"),
            heading(3, "单独成行的三级标题（标题 3）"),
            heading(4, "四级标题（标题 4）"),
            Paragraph(spans("正文段落（公文正文）。落款为公文发文机关署名，日期为公文成文日期。")),
        ],
        issuer=spans("某某区人民政府"),
        date=spans("2024年1月1日"),
    )  # fmt: skip
    Numberer().number(sample.blocks)  # 一、（一）1. 2.（1）, as in a report
    return sample
