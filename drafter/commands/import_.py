"""`drafter import`: a report written in Word (or a draft edited in Word) into facts."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_customisation, add_parser
from drafter.errors import printable


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "import", "由 Word 报告生成事实文件，或把 Word 中的修改写回事实文件",
        "读入一份已有的自评报告（.docx；装有 LibreOffice 时也可读 .doc、.wps、.odt、.rtf；"
        "或每行一段的 .txt），识别标题、主送机关、开头、各级标题及序号、分值、落款和日期，"
        "把正文中的数字提取为指标，写出事实文件；选用能逐段还原原文的结构方案，没有合适的则在"
        "事实文件旁写出本报告自己的方案。未能确定的地方写入 import_notes，用 drafter check 逐条"
        "列出。加 --into 时，把在 Word 中修改过的稿子与事实文件起草的文字逐段比较，把修改写回"
        "事实文件（保留注释，旧文件另存为备份）。",
    )  # fmt: skip
    parser.add_argument("source", type=Path, metavar="报告文件",
                        help="要导入的报告，如 东丽区2020年自评报告.docx")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", type=Path, metavar="事实文件",
                        help="写出的事实文件；不填则为报告同名的 .yaml")
    target.add_argument("--into", type=Path, metavar="事实文件",
                        help="把 Word 中对稿子的修改写回这个事实文件（该稿由它起草）")
    parser.add_argument("--dry-run", action="store_true",
                        help="只列出将要做的修改，不写任何文件（与 --into 一起用）")
    parser.add_argument("--force", action="store_true",
                        help="覆盖已存在的事实文件（旧文件先另存为备份）")
    add_customisation(parser)


def run(args: argparse.Namespace) -> int:
    from drafter.config import from_args

    if args.into is not None:
        return _into(args)
    from drafter.reading.importer import default_target, import_report

    target = args.output or default_target(args.source)
    custom = from_args(args, target)
    imported = import_report(args.source, target, custom, force=args.force)
    for line in imported.report_lines():
        print(printable(line))
    return 0


def _into(args: argparse.Namespace) -> int:
    from drafter.config import from_args
    from drafter.reading.files import read_source
    from drafter.reading.merge import apply_merge, plan_merge

    custom = from_args(args, args.into)
    edited = read_source(args.source)
    plan = plan_merge(edited, args.into, custom)
    for note in edited.notes:
        _say(f"  {note}")
    if not plan.changes:
        _say("稿子与事实文件起草的文字一致，没有需要写回的修改。")
    else:
        _say(f"{'将要写回' if args.dry_run else '已写回'}的修改 {len(plan.changes)} 处：")
        for change in plan.changes:
            _say(f"  {change.what}")
    if plan.unplaced:
        _say(f"无法写回、请在事实文件中手工处理的 {len(plan.unplaced)} 处：")
        for what in plan.unplaced:
            _say(f"  {what}")
    if args.dry_run or not plan.changes:
        if args.dry_run:
            _say("（--dry-run：没有写入任何文件）")
        return 0
    backup = apply_merge(plan, args.into)
    _say(f"已更新：{args.into}（原文件另存为 {backup}）")
    _say(f"下一步：drafter draft {args.into} -o 新稿.docx 重新起草，Word 中的修改会保留")
    return 0


def _say(text: str = "") -> None:
    """Print a line; a file name's bytes that are not UTF-8 are shown as U+FFFD."""
    print(printable(text))
