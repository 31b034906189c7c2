"""`drafter lint`: typography findings of a facts file or a .docx; optional fixed copy."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_parser


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "lint", "检查标点、文号、引号括号配对和繁体字",
        "检查事实文件（.yaml，按字段报告行号）或 Word 文档（.docx；装有 LibreOffice 时也可查 .doc、"
        ".wps、.odt、.rtf；按段报告）中的排版问题："
        "中文里的半角标点、文号年份括号、不成对的括号引号书名号、残缺的文号、繁体字和繁简转换"
        "残留的拼音。没有问题时退出码为 0，有问题时为 1。起草时可自动修正的标点会自动修正，"
        "其余问题需人工核对。",
    )  # fmt: skip
    parser.add_argument("file", type=Path, metavar="文件", help="事实文件（.yaml）或 .docx")
    parser.add_argument("--fix", action="store_true",
                        help="修正可自动修正的标点和文号括号（仅事实文件），写入 -o 指定的文件")
    parser.add_argument("--to-simplified", action="store_true",
                        help="把繁体字转为简体并去除残留拼音（OpenCC，仅事实文件）")
    parser.add_argument("-o", "--output", type=Path, metavar="输出文件",
                        help="修正后的文件写到这里（不能已存在）")
    parser.add_argument("--in-place", action="store_true",
                        help="直接修改原文件（原文件先另存为“….备份-时间.yaml”）")


def run(args: argparse.Namespace) -> int:
    from drafter.errors import DrafterError
    from drafter.lint import is_word_file, lint_docx, lint_facts

    path: Path = args.file
    is_docx = is_word_file(path)  # .doc/.wps/.odt/.rtf too, converted by LibreOffice
    fixing = args.fix or args.to_simplified
    if (args.output or args.in_place) and not fixing:
        raise DrafterError.one("-o 和 --in-place 需与 --fix 或 --to-simplified 一起使用")
    if fixing:
        if is_docx:
            raise DrafterError.one(
                "只能修正事实文件（.yaml）；Word 文档请修正事实文件后重新起草", path
            )
        return _fix(args)
    placed = lint_docx(path) if is_docx else lint_facts(path)
    _print(path, placed)
    return 1 if placed else 0


def _print(path: Path, placed: list) -> None:  # list[Placed]
    for item in placed:
        _say(f"{path} {item.place()}：{item.finding}")
    if not placed:
        _say(f"{path}：未发现排版问题。")
        return
    fixable = sum(1 for p in placed if p.finding.fixable)
    _say(
        f"共 {len(placed)} 处：起草时自动修正（或用 --fix 修正事实文件）{fixable} 处，"
        f"需人工核对 {len(placed) - fixable} 处。"
    )


EXISTS = "输出文件已存在；为免覆盖，请换一个文件名"


def _fix(args: argparse.Namespace) -> int:
    from drafter.errors import OutputError
    from drafter.lint import fixed_facts_text, lint_facts
    from drafter.output import atomic_create, atomic_write, backup_path, file_mode

    path: Path = args.file
    if args.output and args.in_place:
        raise OutputError.one("-o 与 --in-place 只能选一个")
    if not args.output and not args.in_place:
        raise OutputError.one(
            "修正结果要写到哪里？请用 -o 指定新文件，或加 --in-place 直接修改原文件"
            "（原文件先另存为备份）",
            path,
        )
    lint_facts(path)  # a file that does not parse fails here, with its line
    text = fixed_facts_text(path, punctuation=args.fix, simplified=args.to_simplified)
    data = text.encode("utf-8")
    if args.in_place:
        target = path
        backup = backup_path(path)
        atomic_write(backup, path.read_bytes(), file_mode(path))  # the original's mode
        _say(f"原文件已另存为：{backup}")
    else:
        target = args.output
        if target.resolve() == path.resolve():
            raise OutputError.one("输出文件不能是原文件；要直接修改请用 --in-place", target)
        if target.exists():
            raise OutputError.one(EXISTS, target)
    if args.in_place:
        atomic_write(target, data)
    else:  # never over a file, even one that appeared while fixing
        atomic_create(target, data, EXISTS)
    _say(f"已写入：{target}")
    remaining = lint_facts(target)
    _print(target, remaining)
    return 1 if remaining else 0


def _say(text: str) -> None:
    """Print a line; a file name's bytes that are not UTF-8 are shown as U+FFFD."""
    from drafter.errors import printable

    print(printable(text))
