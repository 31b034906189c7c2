"""`drafter sheet import`: the values typed in the spreadsheet, written back into the facts
file round-trip (comments, order and quoting kept; a backup of the old file kept; the
`!stale` tag removed from each updated value). Any bad cell is a located Chinese error and
nothing is written."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet
from ruamel.yaml.comments import CommentedMap, Tag, TaggedScalar

from drafter.errors import Problem
from drafter.facts.load import Located, load_facts
from drafter.facts.models import Facts, Metric
from drafter.sheets import (
    METRIC_COLUMNS,
    METRICS_SHEET,
    SCORE_COLUMNS,
    SCORES_SHEET,
    YES,
    SheetError,
)
from drafter.yaml_edit import number as yaml_number
from drafter.yaml_edit import round_trip, untagged

FieldPath = tuple[str | int, ...]


@dataclass
class Imported:
    """What was written back, for the terminal."""

    facts: Path
    backup: Path | None = None
    changes: list[str] = field(default_factory=list)  # 指标“X”本年：91.5 → 92


def import_sheet(workbook: Path, facts_path: Path) -> Imported:
    from drafter.output import atomic_write, backup_path

    facts, located = load_facts(facts_path)
    book = _open(workbook)
    problems: list[Problem] = []
    edits: dict[FieldPath, Decimal | None] = {}  # path → new value (None: untag only)
    changes: list[str] = []
    if METRICS_SHEET not in book.sheetnames:
        raise SheetError.one(f"没有工作表“{METRICS_SHEET}”（应是 drafter sheet export 导出的文件）",
                             workbook)  # fmt: skip
    _read_metrics(book[METRICS_SHEET], workbook, facts, located, problems, edits, changes)
    if SCORES_SHEET in book.sheetnames:
        _read_scores(book[SCORES_SHEET], workbook, facts, problems, edits, changes)
    if problems:
        raise SheetError(problems)
    result = Imported(facts_path, changes=changes)
    if not edits:
        return result
    old = facts_path.read_bytes()
    text = _apply(old.decode("utf-8-sig"), edits, facts)
    result.backup = backup_path(facts_path)
    atomic_write(result.backup, old)
    atomic_write(facts_path, text.encode("utf-8"))
    return result


def _open(path: Path) -> Any:
    try:
        return load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise SheetError.one("找不到电子表格文件", path) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise SheetError.one("无法读取：不是 .xlsx 电子表格（请在 Excel 或 WPS 中另存为 .xlsx）",
                             path) from None  # fmt: skip


def _columns(sheet: Worksheet, wanted: tuple[str, ...], file: Path) -> dict[str, int]:
    header = {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}
    missing = [name for name in wanted[:3] if name not in header]
    if missing:
        raise SheetError.one(f"工作表“{sheet.title}”第1行缺少列：{'、'.join(missing)}", file)
    return header


def _number_of(value: Any) -> Decimal | None:
    """A cell's number; None when empty; ValueError when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    try:
        return Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(value) from None


def _cell(sheet: Worksheet, row: int, column: int, file: Path,
          problems: list[Problem]) -> tuple[bool, Decimal | None]:  # fmt: skip
    cell = sheet.cell(row, column)
    try:
        return True, _number_of(cell.value)
    except ValueError:
        where = f"工作表“{sheet.title}” {cell.coordinate}"
        problems.append(Problem(f"{where}：不是数值（“{cell.value}”）", file))
        return False, None


def _read_metrics(sheet: Worksheet, file: Path, facts: Facts, located: Located,
                  problems: list[Problem], edits: dict, changes: list[str]) -> None:  # fmt: skip
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
                                    f"“{name}”（指标名请勿修改）", file))  # fmt: skip
            continue
        stale = ("metrics", name, "value") in located.stale or ("metrics", name) in located.stale
        marked = updated is not None and str(sheet.cell(row, updated).value or "").strip() == YES
        for header, key in (("本年", "value"), ("上年", "previous")):
            ok, new = _cell(sheet, row, columns[header], file, problems)
            old = getattr(metric, key)
            if not ok or new is None or new == old:
                continue
            coordinate = sheet.cell(row, columns[header]).coordinate
            if key == "value" and (metric.ratio is not None or metric.sum is not None):
                problems.append(Problem(f"工作表“{sheet.title}” {coordinate}：“{name}”由程序计算，"
                                        "请改它的来源指标", file))  # fmt: skip
                continue
            edits[("metrics", name, key)] = new
            changes.append(f"指标“{name}”{header}：{_show(old)} → {_show(new)}{metric.unit}")
        if stale and marked and ("metrics", name, "value") not in edits:
            edits[("metrics", name, "value")] = None  # reviewed, unchanged: only untag


def _read_scores(sheet: Worksheet, file: Path, facts: Facts, problems: list[Problem],
                 edits: dict, changes: list[str]) -> None:  # fmt: skip
    columns = _columns(sheet, SCORE_COLUMNS, file)
    where = columns.get("位置")
    if where is None:
        return
    for row in range(2, sheet.max_row + 1):
        place = sheet.cell(row, where).value
        if not place:
            continue
        path = tuple(int(p) if p.isdigit() else p for p in str(place).split("."))
        item = _item(facts, path)
        if item is None or item.score is None or any(c.score for c in item.children):
            continue  # a group's score is the sum of its children
        ok, new = _cell(sheet, row, columns["自评分"], file, problems)
        if ok and new is not None and new > item.score.max:
            coordinate = sheet.cell(row, columns["自评分"]).coordinate
            problems.append(Problem(f"工作表“{sheet.title}” {coordinate}：自评分 {new} 高于分值 "
                                    f"{item.score.max}", file))  # fmt: skip
        elif ok and new is not None and new != item.score.self_score:
            edits[(*path, "score", "self")] = new
            changes.append(f"“{item.title}”自评分：{_show(item.score.self_score)} → {_show(new)}")


def _item(facts: Facts, path: FieldPath) -> Any:
    node: Any = facts
    for part in path:
        try:
            node = node[part] if isinstance(part, int) else getattr(node, part)
        except (IndexError, AttributeError, TypeError):
            return None
    return node


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
