"""`drafter diff`: what changed between two years' facts, in Chinese, for the reviewer.

Metrics are compared by name (old → new value, with the change worded as in the report:
个百分点 for rates, % for amounts and counts); items by their title path (an item is the
same item while its titles are, wherever it moved), reported as added, removed or
rewritten; scores of the indicators and of the 测评点 self-assessment; and the one-off
fields (year, period, notice, date …), the documents cited in `notices:` item by item
(by title, else by position). Stale tags play no part: values are compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from drafter import wording
from drafter.facts.derive import change_text, item_score, summarise_assessment
from drafter.facts.load import field_title, load_facts
from drafter.facts.models import Facts, Item, Metric, Notice, Part
from drafter.typography import JINJA_RE

SEPARATOR = " › "
TITLE_WIDTH = 24  # characters of a title shown in a path
EMPTY = "（未填）"
NO_NUMBER = "（无文号）"

# The one-off fields, in the order a report shows them.
FIELDS: tuple[tuple[str, ...], ...] = (
    ("year",), ("period",), ("letter_number",), ("title",), ("addressee",), ("issuer",),
    ("notice", "issuer"), ("notice", "title"), ("notice", "number"), ("date",),
)  # fmt: skip
NOTICE_FIELDS = ("issuer", "title", "number", "quoted")  # of each cited document
PARTS = ("overview", "basic_info", "achievements", "experience", "plans")

ItemKey = tuple[str, ...]


def diff_files(old_path: Path, new_path: Path) -> list[str]:
    old, _ = load_facts(old_path)
    new, _ = load_facts(new_path)
    return diff_facts(old, new)


def diff_facts(old: Facts, new: Facts) -> list[str]:
    """The differences as lines: a heading, then a section per kind of fact that changed."""
    district = new.district if old.district == new.district else f"{old.district} → {new.district}"
    lines = [f"{district}：{old.year}年度 → {new.year}年度"]
    sections = (
        ("基本信息", list(_fields(old, new))),
        ("指标", list(_metrics(old.metrics, new.metrics))),
        ("正文和条目", list(_texts(old, new))),
        ("分值", list(_scores(old, new))),
        ("存在问题", list(_problems(old, new))),
    )
    for title, entries in sections:
        if entries:
            lines.append(f"{title}：")
            lines.extend(f"  {entry}" for entry in entries)
    if len(lines) == 1:
        lines.append("两个事实文件没有差别。")
    return lines


# --------------------------------------------------------------------------- fields


def _fields(old: Facts, new: Facts) -> Iterator[str]:
    listed = bool(old.notices or new.notices)
    for path in FIELDS:
        if listed and path[0] == "notice":
            continue  # compared item by item with the list (_notices)
        before, after = _get(old, path), _get(new, path)
        if before != after:
            name = field_title(Facts, path) or ".".join(path)
            yield f"{name}：{_show(before)} → {_show(after)}"
        if listed and path == ("issuer",):
            yield from _notices(_cited(old), _cited(new))


# --------------------------------------------------------------------------- notices


def _cited(facts: Facts) -> list[Notice]:
    """The documents the preamble cites: `notices:`, or the single `notice:` if written."""
    if facts.notices:
        return facts.notices
    return [facts.notice] if facts.notice.model_fields_set else []


def _notices(old: list[Notice], new: list[Notice]) -> Iterator[str]:
    """The cited documents compared item by item: a document is the same while its title
    is (wherever it moved in the list), the rest pair up by position. Items are named by
    their position in the new list (a removed one: in the old)."""
    label = field_title(Facts, ("notices",)) or "notices"
    pairs: dict[int, int] = {}  # new index → old index
    for index, notice in enumerate(new):
        match = next((i for i, was in enumerate(old) if i not in pairs.values()
                      and notice.title and was.title == notice.title), None)  # fmt: skip
        if match is not None:
            pairs[index] = match
    rest = iter(i for i in range(len(old)) if i not in pairs.values())
    for index in range(len(new)):
        if index not in pairs:
            match = next(rest, None)
            if match is not None:
                pairs[index] = match
    for index, notice in enumerate(new):
        if index not in pairs:
            yield f"新增 {label}第{index + 1}项：{_cite(notice)}"
            continue
        was = old[pairs[index]]
        moved = "" if pairs[index] == index else f"（原第{pairs[index] + 1}项）"
        for key in NOTICE_FIELDS:
            before, after = getattr(was, key), getattr(notice, key)
            if before != after:
                name = field_title(Notice, (key,)) or key
                yield (f"{label}第{index + 1}项{moved} {name}：{_show_notice(before)} → "
                       f"{_show_notice(after)}")  # fmt: skip
    for index, was in enumerate(old):
        if index not in pairs.values():
            yield f"删除 {label}原第{index + 1}项：{_cite(was)}"


def _show_notice(value: Any) -> str:
    return NO_NUMBER if value == "" else _show(value)  # `number: false`: it has none


def _cite(notice: Notice) -> str:
    """A cited document as the preamble names it (without what it lacks)."""
    title = notice.title or EMPTY
    number = f"（{notice.number}）" if notice.number else ""
    return f"{notice.issuer or ''}{f'《{title}》' if notice.quoted else title}{number}"


def _get(model: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        model = getattr(model, part, None)
    return model


def _show(value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "isoformat"):
        return wording.date_cn(value)
    return str(value)


# --------------------------------------------------------------------------- metrics


def _metrics(old: dict[str, Metric], new: dict[str, Metric]) -> Iterator[str]:
    for name, metric in new.items():
        before = old.get(name)
        if before is None or (before.value == metric.value and before.unit == metric.unit):
            continue
        line = f"{name}：{_figure(before)} → {_figure(metric)}"
        change = None
        if before.unit == metric.unit and before.value is not None:
            change = change_text(metric.model_copy(update={"previous": before.value}))
        yield f"{line}，{change}" if change else line
    for name, metric in new.items():
        if name not in old:
            yield f"新增 {name}：{_figure(metric)}"
    for name, metric in old.items():
        if name not in new:
            yield f"删除 {name}（上年为{_figure(metric)}）"


def _figure(metric: Metric) -> str:
    if metric.value is None:
        return EMPTY
    return f"{wording.number(metric.value, metric.digits, metric.grouped)}{metric.unit}"


# --------------------------------------------------------------------------- items


def _short(title: str) -> str:
    text = JINJA_RE.sub("…", " ".join(title.split()))
    return text if len(text) <= TITLE_WIDTH else text[:TITLE_WIDTH] + "…"


def _tree(part: Part, prefix: ItemKey) -> dict[ItemKey, Item]:
    """Every item of a part by its title path (untitled items by position: 第2条)."""
    found: dict[ItemKey, Item] = {}

    def visit(items: list[Item], here: ItemKey) -> None:
        for index, item in enumerate(items):
            key = (*here, _short(item.title) if item.title else f"第{index + 1}条")
            while key in found:  # two items with one title: keep them apart
                key = (*key[:-1], f"{key[-1]}（又）")
            found[key] = item
            visit(item.children, key)

    visit(part.items, prefix)
    return found


def _content(item: Item) -> dict[str, Any]:
    """What an item says itself (its children and score are compared on their own)."""
    return item.model_dump(exclude={"children", "score"})


def _items(old: dict[ItemKey, Item], new: dict[ItemKey, Item]) -> Iterator[str]:
    """新增/删除/改写 by title path; inside an added or removed item nothing more is listed."""

    def top(keys: list[ItemKey]) -> list[ItemKey]:
        chosen = set(keys)
        return [k for k in keys if not any(k[:n] in chosen for n in range(1, len(k)))]

    for key in top([k for k in new if k not in old]):
        yield f"新增 {SEPARATOR.join(key)}"
    for key in top([k for k in old if k not in new]):
        yield f"删除 {SEPARATOR.join(key)}"
    for key, item in new.items():
        if key in old and _content(old[key]) != _content(item):
            yield f"改写 {SEPARATOR.join(key)}"


def _part_title(name: str) -> str:
    return field_title(Facts, (name,)) or name


def _texts(old: Facts, new: Facts) -> Iterator[str]:
    for name in ("preamble", *PARTS, "closing"):
        before, after = getattr(old, name), getattr(new, name)
        if isinstance(after, Part):
            title = _part_title(name)
            if before.text != after.text:
                yield f"改写 {title}{SEPARATOR}导语"
            yield from _items(_tree(before, (title,)), _tree(after, (title,)))
        elif before != after:
            yield f"改写 {_part_title(name)}"


def _problems(old: Facts, new: Facts) -> Iterator[str]:
    if old.problems.text != new.problems.text:
        yield "改写 导语"
    yield from _items(_tree(old.problems, ()), _tree(new.problems, ()))


# --------------------------------------------------------------------------- scores


def _scores(old: Facts, new: Facts) -> Iterator[str]:
    title = _part_title("achievements")
    before_items, after_items = _tree(old.achievements, (title,)), _tree(new.achievements, (title,))
    for key, item in after_items.items():
        before = before_items.get(key)
        if before is None or before.score is None or item.score is None:
            continue
        was, now = before.score, item.score
        if was.max != now.max:
            yield f"{SEPARATOR.join(key)}：分值 {_score(was.max)} → {_score(now.max)}"
        if was.self_score != now.self_score:
            yield (f"{SEPARATOR.join(key)}：自评分 {_score(was.self_score)} → "
                   f"{_score(now.self_score)}")  # fmt: skip
    was_total, now_total = _total(old), _total(new)
    if was_total != now_total:
        yield f"自评总分：{_score(was_total)} → {_score(now_total)}"
    was_points, now_points = _assessment(old), _assessment(new)
    for label, was, now in zip(("测评点扣分", "加分"), was_points, now_points, strict=True):
        if was != now:
            yield f"{label}：{_score(was)} → {_score(now)}"


def _score(value: Decimal | None) -> str:
    return EMPTY if value is None else f"{wording.score(value)}分"


def _total(facts: Facts) -> Decimal | None:
    """The self-assessed total of the indicator tree (None when nothing is scored or a self
    score is missing): the score of a root holding the top-level indicators."""
    line = item_score(Item(children=facts.achievements.items))
    return None if line is None else line.self_score


def _assessment(facts: Facts) -> tuple[Decimal | None, Decimal | None]:
    """The 测评点 deductions and bonus. The count of points and the base score are the
    profile's, which a diff of two facts files does not read: they play no part here."""
    if facts.assessment is None:
        return None, None
    summary = summarise_assessment(facts.assessment, points=0, base=Decimal(0))
    return summary.deducted, summary.bonus
