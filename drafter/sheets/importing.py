"""`drafter sheet import`: the values typed in the spreadsheet, written back into the facts
file round-trip (comments, order and quoting kept; a backup of the old file kept; the
`!stale` tag removed from each updated value). Any bad cell is a located Chinese error and
nothing is written."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, Tag, TaggedScalar

from drafter.errors import FactsError, Problem
from drafter.facts.load import Located, load_facts
from drafter.facts.models import Facts, Metric
from drafter.facts.yaml_read import decimal_problem
from drafter.sheets import (
    METRIC_COLUMNS,
    METRICS_SHEET,
    SCORE_COLUMNS,
    SCORES_SHEET,
    YES,
    SheetError,
)
from drafter.sheets.workbook import Book, is_formula, open_book
from drafter.yaml_edit import number as yaml_number
from drafter.yaml_edit import round_trip, untagged

FieldPath = tuple[str | int, ...]


@dataclass
class Imported:
    """What was written back, for the terminal."""

    facts: Path
    backup: Path | None = None
    changes: list[str] = field(default_factory=list)  # 指标“X”本年：91.5 → 92


MAX_LISTED = 30  # problems listed; the rest are counted


@dataclass
class _Reading:
    """What reading the sheets collects: problems, edits and the cell behind each edit."""

    file: Path
    book: Book
    problems: list[Problem] = field(default_factory=list)
    edits: dict[FieldPath, Decimal | None] = field(default_factory=dict)  # None: untag only
    cells: dict[FieldPath, str] = field(default_factory=dict)  # path → 工作表“指标” B7
    changes: list[str] = field(default_factory=list)


def import_sheet(workbook: Path, facts_path: Path) -> Imported:
    from drafter.output import atomic_write, backup_path

    facts, located = load_facts(facts_path)
    book = open_book(workbook)
    reading = _Reading(workbook, book)
    if METRICS_SHEET not in book.sheetnames:
        raise SheetError.one(f"没有工作表“{METRICS_SHEET}”（应是 drafter sheet export 导出的文件）",
                             workbook)  # fmt: skip
    _read_metrics(reading, METRICS_SHEET, facts, located)
    if SCORES_SHEET in book.sheetnames:
        _read_scores(reading, SCORES_SHEET, facts)
    if reading.problems:
        raise SheetError(_listed(reading.problems, workbook))
    result = Imported(facts_path, changes=reading.changes)
    if not reading.edits:
        return result
    old = facts_path.read_bytes()
    text = _apply(old.decode("utf-8-sig"), reading.edits, facts)
    _still_valid(text, facts_path, reading)
    result.backup = backup_path(facts_path)
    atomic_write(result.backup, old)
    atomic_write(facts_path, text.encode("utf-8"))
    return result


def _listed(problems: list[Problem], file: Path) -> list[Problem]:
    """At most MAX_LISTED problems, and how many more there are."""
    if len(problems) <= MAX_LISTED:
        return problems
    rest = len(problems) - MAX_LISTED
    return [*problems[:MAX_LISTED], Problem(f"另有 {rest} 处错误未列出；请先改正以上各处", file)]


def _still_valid(text: str, facts_path: Path, reading: _Reading) -> None:
    """The facts file with the new values must still validate (a negative rate, a score
    above its full marks…); else nothing is written and the cells are named."""
    with tempfile.TemporaryDirectory(prefix="drafter-sheet-") as folder:
        copy = Path(folder) / facts_path.name
        copy.write_text(text, encoding="utf-8")
        try:
            load_facts(copy)
        except FactsError as exc:
            problems = []
            for problem in exc.problems:
                cell = next((c for path, c in reading.cells.items()
                             if problem.where and ".".join(map(str, path)) in problem.where), None)
                problems.append(Problem(
                    f"{cell + '：' if cell else ''}写回后事实文件不能通过检查：{problem.message}",
                    facts_path, problem.line, problem.where,
                ))  # fmt: skip
            raise SheetError(_listed(problems, reading.file)) from None


def _columns(sheet: Worksheet, wanted: tuple[str, ...], file: Path) -> dict[str, int]:
    header = {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}
    missing = [name for name in wanted[:3] if name not in header]
    if missing:
        raise SheetError.one(f"工作表“{sheet.title}”第1行缺少列：{'、'.join(missing)}", file)
    return header


def _number_of(value: Any) -> Decimal | None:
    """A cell's number; None when empty; ValueError (a Chinese reason) when it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"不是数值（“{'TRUE' if value else 'FALSE'}”）")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise ValueError(f"是日期或时间（“{value}”），不是数值；请把单元格格式改为“常规”或“数值”"
                         "后重新填写")  # fmt: skip
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    else:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"不是数值（“{_clip(value)}”）") from None
    if not number.is_finite():
        raise ValueError(f"不是有限的数值（“{_clip(value)}”）")
    if why := decimal_problem(number):
        raise ValueError(why)
    return number


def _clip(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def _cell(reading: _Reading, sheet: str, row: int, column: int) -> tuple[bool, Decimal | None]:
    cell = reading.book.values[sheet].cell(row, column)
    where = f"工作表“{sheet}” {cell.coordinate}"
    if cell.value is None:
        typed = reading.book.formulas[sheet].cell(row, column).value
        if is_formula(typed):
            reading.problems.append(Problem(
                f"{where}：是公式（{_clip(typed)}），但表格中没有保存它的计算结果；请在 Excel "
                "或 WPS 中打开表格、保存后再导入，或直接填写数值", reading.file,
            ))  # fmt: skip
            return False, None
    try:
        return True, _number_of(cell.value)
    except ValueError as exc:
        reading.problems.append(Problem(f"{where}：{exc}", reading.file))
        return False, None


def _read_metrics(reading: _Reading, title: str, facts: Facts, located: Located) -> None:
    sheet = reading.book.values[title]
    file, problems, edits = reading.file, reading.problems, reading.edits
    columns = _columns(sheet, METRIC_COLUMNS, file)
    updated = columns.get("已更新")
    for row in range(2, sheet.max_row + 1):
        name = sheet.cell(row, columns["指标"]).value
        if name is None or not str(name).strip():
            continue
        name = str(name).strip()
        metric = facts.metrics.get(name)
        if metric is None:
            coordinate = sheet.cell(row, columns["指标"]).coordinate
            problems.append(Problem(f"工作表“{sheet.title}” {coordinate}：事实文件中没有指标"
                                    f"“{_clip(name)}”（指标名请勿修改）", file))  # fmt: skip
            continue
        stale = ("metrics", name, "value") in located.stale or ("metrics", name) in located.stale
        marked = updated is not None and str(sheet.cell(row, updated).value or "").strip() == YES
        for header, key in (("本年", "value"), ("上年", "previous")):
            ok, new = _cell(reading, title, row, columns[header])
            old = getattr(metric, key)
            if not ok or new is None or new == old:
                continue
            coordinate = sheet.cell(row, columns[header]).coordinate
            if key == "value" and (metric.ratio is not None or metric.sum is not None):
                problems.append(Problem(f"工作表“{sheet.title}” {coordinate}：“{name}”由程序计算，"
                                        "请改它的来源指标", file))  # fmt: skip
                continue
            edits[("metrics", name, key)] = new
            reading.cells[("metrics", name, key)] = f"工作表“{sheet.title}” {coordinate}"
            reading.changes.append(f"指标“{name}”{header}：{_show(old)} → "
                                   f"{_show(new)}{metric.unit}")  # fmt: skip
        if stale and marked and ("metrics", name, "value") not in edits:
            edits[("metrics", name, "value")] = None  # reviewed, unchanged: only untag


def _read_scores(reading: _Reading, title: str, facts: Facts) -> None:
    sheet = reading.book.values[title]
    columns = _columns(sheet, SCORE_COLUMNS, reading.file)
    where = columns.get("位置")
    if where is None:
        return
    for row in range(2, sheet.max_row + 1):
        place = sheet.cell(row, where).value
        if not place:
            continue
        path = tuple(int(p) if p.isdigit() and len(p) < 7 else p for p in str(place).split("."))
        item = _item(facts, path)
        if item is None:
            cell = sheet.cell(row, where).coordinate
            reading.problems.append(Problem(
                f"工作表“{sheet.title}” {cell}：位置“{_clip(place)}”不是事实文件中的指标"
                "（隐藏的“位置”列请勿修改；事实文件改过结构时，请重新导出表格）", reading.file,
            ))  # fmt: skip
            continue
        if getattr(item, "score", None) is None or any(c.score for c in item.children):
            continue  # not an indicator, or a group (its score is the sum of its children)
        ok, new = _cell(reading, title, row, columns["自评分"])
        coordinate = f"工作表“{sheet.title}” {sheet.cell(row, columns['自评分']).coordinate}"
        if ok and new is not None and new > item.score.max:
            reading.problems.append(Problem(f"{coordinate}：自评分 {new} 高于分值 "
                                            f"{item.score.max}", reading.file))  # fmt: skip
        elif ok and new is not None and new < 0:
            reading.problems.append(Problem(f"{coordinate}：自评分不能为负数（{new}）",
                                            reading.file))  # fmt: skip
        elif ok and new is not None and new != item.score.self_score:
            reading.edits[(*path, "score", "self")] = new
            reading.cells[(*path, "score", "self")] = coordinate
            reading.changes.append(f"“{item.title}”自评分：{_show(item.score.self_score)} → "
                                   f"{_show(new)}")  # fmt: skip


def _item(facts: Facts, path: FieldPath) -> Any:
    """The indicator at a 位置 cell's path, or None: only the facts' own fields and list
    indexes are followed (a hand-typed `__class__` or `model_fields` is not an indicator)."""
    node: Any = facts
    for part in path:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, BaseModel) and part in type(
            node
        ).model_fields:
            node = getattr(node, part)
        else:
            return None
    return node if isinstance(node, BaseModel) else None


def _show(value: Decimal | None) -> str:
    return "（空）" if value is None else f"{value:f}"


def _apply(text: str, edits: dict[FieldPath, Decimal | None], facts: Facts) -> str:
    """The facts file with the new values, every other byte kept by the round trip."""
    yaml = round_trip(text)
    data = yaml.load(text)
    for path, value in edits.items():
        *parents, key = path
        node: Any = data
        for part in parents[:-1]:
            if not (part == "items" and isinstance(node, list)):  # a Part written as a list
                node = node[part]
        parent, last = node, parents[-1]
        target = _untagged(parent[last])
        if path[0] == "metrics" and not isinstance(target, CommentedMap):
            parent[last] = _short(target, value, facts.metrics[str(path[1])], key)
            continue
        parent[last] = target
        target[key] = untagged(target[key]) if value is None else yaml_number(f"{value:f}")
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _untagged(node: Any) -> Any:
    """The node without its `!stale` tag (a mapping keeps its comments)."""
    if isinstance(node, TaggedScalar):
        return untagged(node)
    if isinstance(node, CommentedMap) and getattr(node, Tag.attrib, None) is not None:
        delattr(node, Tag.attrib)
    return node


def _short(node: Any, value: Decimal | None, metric: Metric, key: str) -> Any:
    """A metric written as `91.5%`: the same form with the new number; a new previous value
    turns it into a mapping."""
    if value is None:
        return node
    number = f"{value:,f}" if metric.grouped else f"{value:f}"
    if key == "value":
        if isinstance(node, str):
            return type(node)(f"{number}{metric.unit}")
        return yaml_number(number)
    mapping = CommentedMap(value=node if not isinstance(node, str) else yaml_number(
        f"{metric.number:f}"), unit=metric.unit, previous=yaml_number(number))  # fmt: skip
    mapping.fa.set_flow_style()
    return mapping
