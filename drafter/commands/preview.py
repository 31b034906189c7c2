"""`drafter preview`: draft and render to PDF (and page images) through LibreOffice."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drafter.commands import add_customisation, add_parser


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "preview", "起草并用 LibreOffice 转为 PDF（及页面图片）预览",
        "起草报告并用 LibreOffice（无界面）转为 PDF，可另存每页图片，用来查看版面：每页行数、"
        "每行字数、字体、页码。没有安装公文字体时用免费字体代替（仅用于预览，.docx 不变）。"
        "需要 LibreOffice 和 poppler-utils。",
    )  # fmt: skip
    parser.add_argument("facts", type=Path, metavar="事实文件", help="年度事实文件")
    parser.add_argument("-o", "--output", type=Path, metavar="输出.pdf",
                        help="PDF 路径；不填则为事实文件同目录的“文件名.预览.pdf”")
    parser.add_argument("--png", type=Path, metavar="文件夹",
                        help="另把每页存为 PNG 图片到该文件夹")
    parser.add_argument("--dpi", type=int, default=60, metavar="分辨率",
                        help="PNG 图片的分辨率（默认 60）")
    add_customisation(parser, reference=True)


def run(args: argparse.Namespace) -> int:
    import tempfile

    from drafter.compose import document_lines
    from drafter.config import from_args
    from drafter.errors import OutputError
    from drafter.output import atomic_write
    from drafter.pipeline import draft_facts, typography_notes
    from drafter.preview import (
        PREVIEW_NOTE,
        SCORE_ANNOTATION,
        docx_to_pdf,
        find_pdftoppm,
        find_soffice,
        for_libreoffice,
        missing_stand_ins,
        pdf_lines,
        pdf_to_png,
        split_annotations,
    )
    from drafter.word import build_package, package_bytes

    output: Path = args.output or args.facts.with_name(f"{args.facts.stem}.预览.pdf")
    if output.suffix.lower() != ".pdf":
        raise OutputError.one("输出文件的扩展名应为 .pdf", output)
    find_soffice()  # say what to install before drafting anything
    if args.png is not None:
        find_pdftoppm()
    custom = from_args(args, args.facts)
    draft = draft_facts(args.facts, custom)
    for font in missing_stand_ins():
        print(f"提示：没有找到{font}字体或其免费替身，预览中改用其他字体，版面可能与实际不同。",
              file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="drafter-preview-") as tmp:
        docx = Path(tmp) / f"{output.stem}.docx"  # names the PNG pages too
        drafted = package_bytes(build_package(draft.document, reference=custom.reference_doc))
        docx.write_bytes(for_libreoffice(drafted))
        (pdf,) = docx_to_pdf([docx], Path(tmp))
        annotations = {m.group() for line in document_lines(draft.document)
                       for m in SCORE_ANNOTATION.finditer(line)}  # fmt: skip
        splits = split_annotations(pdf_lines(pdf), annotations) if annotations else []
        atomic_write(output, pdf.read_bytes())
        print(f"已生成：{output}")
        if args.png is not None:
            pages = pdf_to_png(pdf, args.png, args.dpi)
            print(f"页面图片：{args.png}（{len(pages)} 页，{args.dpi} dpi）")
    print(PREVIEW_NOTE)
    for page, text in splits:
        print(f"提示：第{page}页，分值“{text}”被分在两行；"
              "如需要，可在 Word 中于其前换行（Shift+Enter）。")
    if draft.gaps:
        print(f"待补充 {len(draft.gaps)} 项（稿中以【待补充：…】标出）。")
    for note in typography_notes(draft.document):
        print(f"请核对：{note}")
    return 0
