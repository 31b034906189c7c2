"""The `drafter` command. Commands only: each one delegates, and this is the one place
that catches DrafterError and prints it (in Chinese, without a traceback, exit code 1).

Heavy modules (python-docx, jinja2, pydantic) are imported inside the commands so that
`drafter --help` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from drafter import __version__
from drafter.errors import DrafterError

EXIT_OK, EXIT_ERROR = 0, 1


class _Parser(argparse.ArgumentParser):
    """argparse with its English fragments in Chinese and errors ending in exit code 1."""

    def error(self, message: str) -> None:  # type: ignore[override]
        replacements = {
            "the following arguments are required": "缺少必需的参数",
            "unrecognized arguments": "无法识别的参数",
            "invalid choice": "无效的选项",
            "expected one argument": "需要一个参数值",
            "argument ": "参数 ",
        }
        for english, chinese in replacements.items():
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        print(f"错误：{message}", file=sys.stderr)
        sys.exit(EXIT_ERROR)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="drafter",
        description="起草《区（县）人民政府履行教育职责情况自评报告》：从一个年度事实文件（YAML）"
        "生成符合 GB/T 9704-2012 公文格式的 Word 文档。",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    parser.add_argument("--version", action="version", version=f"drafter {__version__}",
                        help="显示版本号并退出")
    parser._positionals.title = "命令"
    parser._optionals.title = "选项"
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    draft = commands.add_parser(
        "draft",
        help="从事实文件起草报告（.docx）",
        description="从一个区县一个年度的事实文件起草自评报告初稿（.docx）。缺少的事实在稿中以"
        "高亮的【待补充：…】标出并在终端列出。已存在的目标文件若被人改过，不会被覆盖。",
        add_help=False,
    )
    draft.add_argument("facts", type=Path, metavar="事实文件",
                       help="年度事实文件，如 samples/jiangbei/2022.yaml")
    draft.add_argument("-o", "--output", type=Path, metavar="输出文件",
                       help="生成的 .docx 路径；不填则与事实文件同名同目录")
    draft.add_argument("--profile", metavar="方案",
                       help="结构方案名或 .yaml 路径；不填则用事实文件中的 profile（默认 default）")
    draft.add_argument("--templates", type=Path, action="append", default=[], metavar="文件夹",
                       help="自定义模板文件夹，其中的同名模板优先于默认模板（可重复）")
    draft.add_argument("--sections", type=Path, action="append", default=[], metavar="文件夹",
                       help="自定义结构方案文件夹（可重复）")
    draft.add_argument("--strict", action="store_true",
                       help="严格模式：仍有待补充的事实时不生成文件，只列出缺项")
    draft.add_argument("--force", action="store_true",
                       help="目标文件已被修改或不是 drafter 生成时仍然覆盖（旧文件先另存为备份）")
    draft.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    _titles(draft)

    text = commands.add_parser(
        "text",
        help="把起草的报告以纯文本输出到终端（便于校对和比较）",
        description="起草报告但不生成 .docx，把每段文字按顺序输出，一段一行。",
        add_help=False,
    )
    text.add_argument("facts", type=Path, metavar="事实文件", help="年度事实文件")
    text.add_argument("--profile", metavar="方案", help="结构方案名或 .yaml 路径")
    text.add_argument("--templates", type=Path, action="append", default=[], metavar="文件夹",
                      help="自定义模板文件夹（可重复）")
    text.add_argument("--sections", type=Path, action="append", default=[], metavar="文件夹",
                      help="自定义结构方案文件夹（可重复）")
    text.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    _titles(text)

    profiles = commands.add_parser("profiles", help="列出可用的结构方案",
                                   description="列出可用的结构方案及其说明。", add_help=False)
    profiles.add_argument("--sections", type=Path, action="append", default=[], metavar="文件夹",
                          help="另外查找结构方案的文件夹（可重复）")
    profiles.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    _titles(profiles)
    return parser


def _titles(parser: argparse.ArgumentParser) -> None:
    parser._positionals.title = "参数"
    parser._optionals.title = "选项"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        if args.command == "draft":
            return _draft(args)
        if args.command == "text":
            return _text(args)
        if args.command == "profiles":
            return _profiles(args)
    except DrafterError as exc:
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已中断；没有写入任何文件。", file=sys.stderr)
        return 130
    return EXIT_ERROR


def _draft(args: argparse.Namespace) -> int:
    from drafter.pipeline import draft_to_file

    output = args.output or args.facts.with_suffix(".docx")
    result = draft_to_file(
        args.facts,
        output,
        profile=args.profile,
        template_dirs=args.templates,
        profile_dirs=args.sections,
        strict=args.strict,
        force=args.force,
    )
    for line in result.report_lines():
        print(line)
    return EXIT_OK if result.written else EXIT_ERROR


def _text(args: argparse.Namespace) -> int:
    from drafter.compose import document_lines
    from drafter.pipeline import draft_facts

    draft = draft_facts(args.facts, args.profile, args.templates, args.sections)
    for line in document_lines(draft.document):
        print(line)
    return EXIT_OK


def _profiles(args: argparse.Namespace) -> int:
    from drafter.profiles import list_profiles, profile_dirs

    for path, description in list_profiles(profile_dirs(args.sections)):
        print(f"{path.name:<14}{description}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
