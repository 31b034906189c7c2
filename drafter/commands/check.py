"""`drafter check`: the arithmetic and the facts a reviewer checks, without drafting; or,
given a .docx, what must not go out in the finished report."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_customisation, add_parser

EXIT_CLEAN, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "check", "检查事实文件或定稿（.docx）：错误、缺项、高亮、数字",
        "检查事实文件而不生成报告：列出每个错误、警告（缺少的事实、未达到的标准和目标），"
        "以及每条标准和目标的判断，均注明文件和行号。"
        "给出 .docx（drafter 生成的或在 Word/WPS 中改过的定稿）时检查发送前不应留下的内容："
        "【待补充】（错误）、高亮和排版问题（警告），并按事实文件（--facts，或由稿中 drafter 的"
        "标记在稿子旁或当前文件夹找到）核对稿中的数字，不符的是错误，均注明第几段。"
        "无错误时退出码为 0，有错误为 1；加 --strict 时仅有警告也以 2 退出。",
    )  # fmt: skip
    parser.add_argument("facts", type=Path, metavar="文件",
                        help="年度事实文件（.yaml）或定稿（.docx）")
    parser.add_argument("--facts", dest="facts_file", type=Path, metavar="事实文件",
                        help="检查 .docx 时，按这个事实文件核对稿中的数字")
    add_customisation(parser)
    parser.add_argument("--strict", action="store_true", help="有警告时以退出码 2 结束")
    parser.add_argument("--quiet", action="store_true", help="只显示错误和警告，不显示已达到的项目")


def run(args: argparse.Namespace) -> int:
    from drafter.checking import check_file
    from drafter.config import from_args
    from drafter.errors import printable
    from drafter.lint import is_word_file

    word = is_word_file(args.facts)
    if word and not (args.facts.suffix.lower() == ".docx" or _is_zip(args.facts)):
        from drafter.errors import DrafterError

        raise DrafterError.one(
            "drafter check 检查的定稿应为 .docx：.doc、.wps、.odt、.rtf 请在 Word/WPS 中另存为 "
            ".docx 后再检查", args.facts,
        )  # fmt: skip
    if word:
        from drafter.checks.document import check_document

        facts = args.facts_file
        custom = from_args(args, facts) if facts is not None else None
        report = check_document(args.facts, facts, custom)
    else:
        custom = from_args(args, args.facts)
        report = check_file(args.facts, custom)
    shown = [f for f in report.findings if not (args.quiet and f.level == "info")]
    for finding in shown:
        print(printable(str(finding)))  # a file name that is not UTF-8 is shown with U+FFFD
    errors, warnings = len(report.errors), len(report.warnings)
    print(f"检查完毕：错误 {errors} 个，警告 {warnings} 个。")
    if errors:
        return EXIT_ERRORS
    if warnings and args.strict:
        return EXIT_WARNINGS
    return EXIT_CLEAN


def _is_zip(path: Path) -> bool:
    """A zip archive (a .docx under another name); only a plain file is opened."""
    import zipfile

    return path.is_file() and zipfile.is_zipfile(path)
