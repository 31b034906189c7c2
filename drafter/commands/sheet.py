"""`drafter sheet export|import`: the figures of a facts file in a spreadsheet and back."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.commands import add_parser


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "sheet", "把事实文件中的数字导出为电子表格（.xlsx），填好后导回",
        "export：把指标（本年、上年、单位、同比、说明、已更新）和自评打分表导出为 .xlsx，"
        "可用 Excel 或 WPS 表格打开填写；import：把表中改过的数值写回事实文件（保留注释和顺序，"
        "原文件先另存为备份，更新过的数值删去 !stale 标记）。"
        "表中有错时列出单元格位置，不改动事实文件。",
    )  # fmt: skip
    actions = parser.add_subparsers(dest="action", metavar="操作", required=True)
    export = add_parser(actions, "export", "导出为 .xlsx", "把事实文件中的指标和自评分导出为 .xlsx")
    export.add_argument("facts", type=Path, metavar="事实文件")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="表格.xlsx",
                        help="要写入的 .xlsx 文件（不能已存在）")
    export.add_argument("--force", action="store_true",
                        help="覆盖已存在的表格（旧文件先另存为备份）")
    back = add_parser(actions, "import", "把 .xlsx 中的数值写回事实文件",
                      "把电子表格中改过的数值写回事实文件（原文件先另存为备份）")
    back.add_argument("workbook", type=Path, metavar="表格.xlsx")
    back.add_argument("facts", type=Path, metavar="事实文件")


def run(args: argparse.Namespace) -> int:
    if args.action == "export":
        from drafter.sheets.export import export_sheet

        metrics, scores = export_sheet(args.facts, args.output, force=args.force)
        scored = f"，自评打分表 {scores} 项" if scores else ""
        _say(f"已导出：{args.output}（指标 {metrics} 个{scored}）；填写后用 "
              f"drafter sheet import {args.output} {args.facts} 导回")  # fmt: skip
        return 0
    from drafter.sheets.importing import import_sheet

    result = import_sheet(args.workbook, args.facts)
    if not result.changes:
        _say("表中没有改动的数值，事实文件未改动。")
        return 0
    _say(f"已写回 {len(result.changes)} 处：")
    for change in result.changes:
        _say(f"  {change}")
    _say(f"原文件已另存为：{result.backup}")
    return 0


def _say(text: str) -> None:
    """Print a line; a file name's bytes that are not UTF-8 are shown as U+FFFD."""
    from drafter.errors import printable

    print(printable(text))
