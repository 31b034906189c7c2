"""The report page's editor model: which fields, items, metrics and scores it shows.

Built from the draft the pipeline composed (facts, where each fact stands, its gaps and its
`!stale` tags); the scores come from derive.item_score, the changes from derive.change_text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from drafter import wording
from drafter.facts.derive import change_text, item_score
from drafter.facts.load import FieldPath, Located
from drafter.facts.models import Enumeration, Facts, Item, Part, Problem
from drafter.web.state import ReportState, dotted, field_id


@dataclass
class Field:
    path: FieldPath
    label: str
    value: str
    multiline: bool = False
    stale: FieldPath | None = None  # the !stale node covering it (what 标记已核对 untags)
    gap: bool = False

    @property
    def id(self) -> str:
        return field_id(self.path)

    @property
    def name(self) -> str:
        return dotted(self.path)


@dataclass
class ItemView:
    path: FieldPath
    index: int
    count: int
    number: str
    title: Field
    text: Field
    children: list[ItemView] = field(default_factory=list)
    score_max: str | None = None  # a leaf's typed scores, or a parent's sums
    score_self: str | None = None
    leaf_score: bool = False
    score_stale: FieldPath | None = None
    extra: list[Field] = field(default_factory=list)  # a problem's measure

    @property
    def id(self) -> str:
        return field_id(self.path)

    @property
    def list_path(self) -> str:
        return dotted(self.path[:-1])


@dataclass
class MetricRow:
    name: str
    value: str
    previous: str
    unit: str
    change: str
    computed: bool
    stale: FieldPath | None
    label: str
    gap: bool = False  # its previous value is missing where the draft needs it

    @property
    def id(self) -> str:
        return field_id(("metrics", self.name))


@dataclass
class SectionView:
    id: str
    heading: str
    intro: Field | None
    items: list[ItemView]
    items_path: FieldPath | None
    title: Field | None = None  # a part's heading, as `headings:` overrides it


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def _field(located: Located, gaps: set[FieldPath], path: FieldPath, label: str, value: Any,
           multiline: bool = False) -> Field:
    return Field(path, label, _text(value), multiline, located.stale_path(path), path in gaps)


def sections(state: ReportState) -> list[SectionView]:
    """The prose sections the profile drafts, each with its intro and item tree."""
    draft_ = state.draft
    if draft_ is None:
        return []
    facts, located = draft_.facts, draft_.located
    gaps = set(draft_.gaps.values())
    names = {"preamble": "开头", "closing": "结束语"}
    out = []
    for name, info in Facts.model_fields.items():
        value = getattr(facts, name)
        if name in names:
            if not value and name == "closing":
                continue
            intro = _field(located, gaps, (name,), names[name], value, True)
            out.append(SectionView(name, names[name], intro, [], None))
        elif isinstance(value, Part):
            heading = facts.headings.get(name) or info.title or name
            if not value and name != "achievements":
                continue
            intro = _field(located, gaps, (name, "text"), "导语", value.text, True)
            items = [
                _item(located, gaps, state.numbers, (name, "items", i), item, len(value.items))
                for i, item in enumerate(value.items)
            ]
            out.append(SectionView(name, heading, intro, items, (name, "items")))
    for name, part in facts.parts.items():
        _place(out, _part_view(state, name, part, gaps), state)
    for section in out:
        state.known_ids.add(field_id(("section", section.id)))
    return out


def _part_view(state: ReportState, name: str, part: Part, gaps: set[FieldPath]) -> SectionView:
    """A section the profile adds, its facts under `parts:`: heading, opening text, items."""
    assert state.draft is not None
    facts, located = state.draft.facts, state.draft.located
    heading = facts.headings.get(name) or state.section_headings.get(name) or name
    title = _field(located, gaps, ("headings", name), "部分标题（清空则用结构方案中的标题）",
                   heading)
    intro = _field(located, gaps, ("parts", name, "text"), "导语", part.text, True)
    path = ("parts", name, "items")
    items = [_item(located, gaps, state.numbers, (*path, i), item, len(part.items))
             for i, item in enumerate(part.items)]
    return SectionView(name, heading, intro, items, path, title)


def _place(out: list[SectionView], view: SectionView, state: ReportState) -> None:
    """A part goes where the draft has it: before the first section drafted after it."""
    order = [anchor for _, _, anchor in state.outline]
    here = _position(order, view.id)
    if here is not None:
        for index, other in enumerate(out):
            there = _position(order, other.id)
            if there is not None and there > here:
                out.insert(index, view)
                return
    closing = [i for i, other in enumerate(out) if other.id == "closing"]
    out.insert(closing[0] if closing else len(out), view)


def _position(order: list[str], section: str) -> int | None:
    anchor = field_id(("section", section))
    return order.index(anchor) if anchor in order else None


def _item(located: Located, gaps: set[FieldPath], numbers: dict[FieldPath, str],
          path: FieldPath, item: Item, count: int) -> ItemView:
    view = ItemView(
        path, int(path[-1]), count, numbers.get(path, ""),
        _field(located, gaps, (*path, "title"), "标题", item.title),
        _field(located, gaps, (*path, "text"), "正文", item.text, True),
    )
    def enumeration(where: FieldPath, value: Enumeration | None, what: str) -> None:
        if value is None:
            return
        if value.lead:
            view.extra.append(_field(located, gaps, (*where, "lead"), f"{what}引语", value.lead))
        view.extra.append(_field(located, gaps, (*where, "points"), f"{what}（每行一条）",
                                 value.points, True))

    enumeration((*path, "points"), item.points, "列举要点")
    if isinstance(item, Problem):
        enumeration((*path, "causes"), item.causes, "原因")
        measure = item.measure
        if measure is not None:
            for key, label, value in (("title", "改进措施标题", measure.title),
                                      ("text", "改进措施正文", measure.text)):
                if value:
                    view.extra.append(_field(located, gaps, (*path, "measure", key), label,
                                             value, key == "text"))
            enumeration((*path, "measure", "points"), measure.points, "改进措施")
    view.children = [
        _item(located, gaps, numbers, (*path, "children", i), child, len(item.children))
        for i, child in enumerate(item.children)
    ]
    try:
        line = item_score(item)
    except ValueError:
        line = None
    if line is not None:
        view.leaf_score = not any(c.score_max is not None for c in view.children)
        view.score_max = wording.score(line.max)
        view.score_self = None if line.self_score is None else wording.score(line.self_score)
        view.score_stale = located.stale_path((*path, "score"))
    return view


def register_ids(state: ReportState, views: list[SectionView], rows: list[MetricRow],
                 heads: list[Field]) -> None:
    def walk(items: list[ItemView]) -> None:
        for item in items:
            state.known_ids.update({item.id, item.title.id, item.text.id})
            state.known_ids.update(f.id for f in item.extra)
            walk(item.children)

    for section in views:
        state.known_ids.update(f.id for f in (section.intro, section.title) if f is not None)
        walk(section.items)
    state.known_ids.update(row.id for row in rows)
    state.known_ids.update(f.id for f in heads)


def head_fields(state: ReportState) -> list[Field]:
    """The one-off facts of the year: period, date, addressee, the notice."""
    if state.draft is None:
        return []
    facts, located = state.draft.facts, state.draft.located
    gaps = set(state.draft.gaps.values())
    date = f"{facts.date.year}年{facts.date.month}月{facts.date.day}日" if facts.date else ""
    wanted = [
        (("period",), "评价期间", facts.period), (("date",), "成文日期", date),
        (("addressee",), "主送机关", facts.addressee),
        (("notice", "issuer"), "通知发文机关", facts.notice.issuer),
        (("notice", "title"), "通知标题", facts.notice.title),
        (("notice", "number"), "通知文号", facts.notice.number),
    ]  # fmt: skip
    return [_field(located, gaps, path, label, value) for path, label, value in wanted]


def metric_rows(state: ReportState) -> list[MetricRow]:
    if state.draft is None:
        return []
    facts, located = state.draft.facts, state.draft.located
    gaps = {path[1] for path in state.draft.gaps.values() if path[:1] == ("metrics",)}
    rows = []
    for name, metric in facts.metrics.items():
        rows.append(MetricRow(
            name, _num(metric.value), _num(metric.previous), metric.unit,
            change_text(metric) or "", metric.ratio is not None or metric.sum is not None,
            located.stale_path(("metrics", name, "value")) or located.stale_path(("metrics", name)),
            metric.label or "", name in gaps,
        ))  # fmt: skip
    return rows


def _num(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def score_total(state: ReportState) -> tuple[str, str | None] | None:
    """The indicator tree's total full marks and self score (what {{ scores.total }} sums)."""
    if state.facts is None:
        return None
    lines = [s for s in (item_score(i) for i in state.facts.achievements.items) if s is not None]
    if not lines:
        return None
    full = sum((s.max for s in lines), Decimal(0))
    own = None if any(s.self_score is None for s in lines) else sum(
        (s.self_score for s in lines if s.self_score is not None), Decimal(0))
    return wording.score(full), None if own is None else wording.score(own)
