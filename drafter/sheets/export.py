"""`drafter sheet export`: the metrics (and the scored indicator tree) of a facts file as
an .xlsx a 督导室 or a 统计 clerk fills in with Excel or WPS 表格."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from drafter.errors import OutputError
from drafter.facts.derive import change_text, item_score, shown_digits
from drafter.facts.load import Located, load_facts
from drafter.facts.models import Facts, Item, Metric, Part
from drafter.sheets import METRIC_COLUMNS, METRICS_SHEET, NO, SCORE_COLUMNS, SCORES_SHEET, YES

_HEAD = Font(bold=True)
_COMPUTED = PatternFill("solid", fgColor="EEEEEE")  # cells drafter computes: not to be typed
FieldPath = tuple[str | int, ...]
Row = tuple[int, Item, FieldPath]  # depth, indicator, where it is in the facts


EXISTS = ("表格文件已存在（可能已经填写过）；为免覆盖，已停止：请换一个文件名，或加 --force 覆盖"
          "（旧文件先另存为备份）")  # fmt: skip


def export_sheet(facts_path: Path, output: Path, force: bool = False) -> tuple[int, int]:
    """Write the workbook, never over an existing file unless `force` (then the old one is
    kept as a backup); return (metrics, scored indicators) written."""
    from drafter.output import atomic_create, atomic_write, backup_path

    if output.suffix.lower() != ".xlsx":
        raise OutputError.one("输出文件的扩展名应为 .xlsx", output)
    if output.exists() and not force:
        raise OutputError.one(EXISTS, output)
    facts, located = load_facts(facts_path)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = METRICS_SHEET
    _metrics(sheet, facts, located)
    rows = list(_scored(facts))
    if rows:
        _scores(book.create_sheet(SCORES_SHEET), facts, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    if force and output.is_file():
        atomic_write(backup_path(output), output.read_bytes())
        atomic_write(output, buffer.getvalue())
    else:  # a file that appeared meanwhile is not overwritten either
        atomic_create(output, buffer.getvalue(), EXISTS)
    return len(facts.metrics), len(rows)


def _header(sheet: Worksheet, columns: tuple[str, ...], widths: tuple[int, ...]) -> None:
    sheet.append(list(columns))
    for cell, width in zip(sheet[1], widths, strict=True):
        cell.font = _HEAD
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def _format(metric: Metric, value: Decimal) -> str:
    """The cell's number format: the digits the facts file shows, grouped if it groups."""
    digits = metric.digits if metric.digits is not None else shown_digits(value)
    body = "#,##0" if metric.grouped else "0"
    return body + ("." + "0" * digits if digits else "")


def _metrics(sheet: Worksheet, facts: Facts, located: Located) -> None:
    _header(sheet, METRIC_COLUMNS, (28, 14, 14, 10, 20, 40, 8))
    for name, metric in facts.metrics.items():
        stale = {("metrics", name), ("metrics", name, "value")} & located.stale
        note = metric.label or ""
        if metric.ratio is not None:
            note = f"由“{metric.ratio[0]}”÷“{metric.ratio[1]}”计算，请改这两个指标"
        elif metric.sum is not None:
            note = f"由“{'”＋“'.join(metric.sum)}”相加，请改各项"
        sheet.append([name, metric.value, metric.previous, metric.unit,
                      change_text(metric) or "", note, NO if stale else YES])  # fmt: skip
        row = sheet.max_row
        for column, value in (("B", metric.value), ("C", metric.previous)):
            if value is not None:
                sheet[f"{column}{row}"].number_format = _format(metric, value)
        if metric.ratio is not None or metric.sum is not None:
            sheet[f"B{row}"].fill = _COMPUTED


def _scored(facts: Facts) -> Iterator[Row]:
    """Every item that has a score or scored items below it, with its depth and path."""

    def walk(items: list[Item], path: FieldPath, depth: int) -> Iterator[Row]:
        for index, item in enumerate(items):
            here = (*path, index)
            if item_score(item) is not None:
                yield depth, item, here
                yield from walk(item.children, (*here, "children"), depth + 1)

    for name in type(facts).model_fields:
        part = getattr(facts, name)
        if isinstance(part, Part):
            yield from walk(part.items, (name, "items"), 0)


def _scores(sheet: Worksheet, facts: Facts, rows: list[Row]) -> None:
    """Laid out like a 自评打分表: indicators indented by level, full marks, self score."""
    _header(sheet, SCORE_COLUMNS, (48, 10, 10, 24, 30))
    sheet.column_dimensions["E"].hidden = True  # where each row goes back in the facts file
    for depth, item, path in rows:
        line = item_score(item)
        assert line is not None
        group = bool(item.children) and any(item_score(c) for c in item.children)
        sheet.append([item.title or "", line.max, line.self_score,
                      "由下级相加" if group else "", ".".join(map(str, path))])  # fmt: skip
        row = sheet.max_row
        sheet[f"A{row}"].alignment = Alignment(indent=depth * 2)
        if group:
            for column in "ABC":
                sheet[f"{column}{row}"].font = _HEAD
            sheet[f"C{row}"].fill = _COMPUTED
