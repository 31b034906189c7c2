"""`drafter import EDITED.docx --into FACTS.yaml`: a draft polished in Word, back into facts.

The edited paragraphs are aligned with the paragraphs FACTS drafts (difflib on the lists,
then on the characters of a changed one). Where each drafted character came from is known
exactly (provenance.py), so a changed paragraph becomes changes of the fields between its
template wording (rewrite.py), an added paragraph joins the paragraph list before or after
it, a deleted one leaves its list, a deleted heading with all its text deletes the item.
The facts file is edited round trip (facts_edit.py). Whatever cannot be placed is listed,
never dropped, and the new facts are drafted again in memory: any paragraph that still
reads differently from the Word text is listed too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from drafter.config import Customisation
from drafter.errors import DrafterError
from drafter.facts.load import FieldPath
from drafter.facts.models import DATE_TEXT
from drafter.output import atomic_write, backup_path
from drafter.reading.additions import Additions, dotted, is_paragraph, under
from drafter.reading.compare import _renumbered, align, clean, short, verify
from drafter.reading.facts_edit import FactsEditor, styled
from drafter.reading.provenance import Line, Region, Traced, trace
from drafter.reading.rewrite import _METRIC_REF, FieldEdit, MetricEdit, Unplaceable, split_line
from drafter.reading.source import SourceDocument
from drafter.title import break_title


@dataclass
class Change:
    """One change, for the terminal, in Chinese."""

    what: str


@dataclass
class MergePlan:
    changes: list[Change]
    unplaced: list[str]  # what could not be written back, in Chinese
    new_text: str  # the new YAML text of the facts file


@dataclass
class _Planner:
    traced: Traced
    editor: FactsEditor
    edited: list[tuple[int, str]]  # (paragraph number, cleaned text)
    changes: list[Change] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    fields: dict[FieldPath, list[tuple[int, FieldEdit]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    metrics: dict[str, list[tuple[int, MetricEdit]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    deleted_items: list[FieldPath] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        return self.traced.lines

    def run(self) -> dict[int, int]:
        """Plan every edit; returns edited index → drafted index of the unchanged ones."""
        pairs = align([line.text for line in self.lines], [text for _, text in self.edited])
        self._same_report(pairs)
        same: dict[int, int] = {}
        deleted: list[int] = []
        title_touched = False
        previous: int | None = None
        inserts: list[tuple[int | None, int]] = []  # (drafted line before, edited index)
        renumbered: list[tuple[Line, int, str]] = []  # headings whose number alone changed
        for old, new in pairs:
            if old is not None and new is not None:
                line = self.lines[old]
                if line.text == self.edited[new][1]:
                    same[new] = old
                elif line.kind == "title":
                    title_touched = True
                elif _renumbered(line.text, self.edited[new][1]):
                    renumbered.append((line, *self.edited[new]))
                else:
                    self._changed(line, *self.edited[new])
            elif old is not None:
                title_touched |= self.lines[old].kind == "title"
                if self.lines[old].kind != "title":
                    deleted.append(old)
            elif new is not None:
                nxt = previous + 1 if previous is not None else 0
                within = nxt < len(self.lines) and self.lines[nxt].kind == "title"
                if within and previous is not None:
                    title_touched = True
                else:
                    inserts.append((previous, new))
            previous = old if old is not None else previous
        if title_touched:
            self._title(pairs)
        self._deletions(deleted)
        additions = Additions(
            self.lines, self.editor, self.deleted_items,
            lambda what: self.changes.append(Change(what)), self.unplaced,
        )  # fmt: skip
        additions.place(inserts, self.edited)
        if not (self.deleted_items or additions.items_added):
            for line, number, text in renumbered:  # numbers retyped, but no item added
                self._changed(line, number, text)
        self._apply_fields()
        self._apply_metrics()
        return same

    def _same_report(self, pairs: list[tuple[int | None, int | None]]) -> None:
        """Refuse a document that is not a draft of these facts (another district's report):
        fewer than half of the drafted paragraphs that print facts found again, the same or
        alike (a rewritten paragraph still pairs while half its characters stay). Polishing
        keeps most paragraphs; another report shares only what the profile writes (headings,
        the date), which prints no facts and is not counted."""
        factual = {i for i, line in enumerate(self.lines) if line.regions}
        found = {old for old, new in pairs if old in factual and new is not None}
        if factual and len(found) * 2 < len(factual):
            raise DrafterError.one(
                f"这份稿子不是由该事实文件起草的：事实文件起草的 {len(factual)} 段中，只有 "
                f"{len(found)} 段在稿中找得到（相同或大体相同），不足一半，未写回任何修改。"
                "请确认 --into 后的事实文件选对了；要由这份报告新建事实文件，请去掉 --into。"
            )

    # -------------------------------------------------------------- changed text

    def _changed(self, line: Line, number: int, new: str) -> None:
        if line.kind == "signature" and not line.regions and DATE_TEXT.match(new):
            year, month, day = (int(g) for g in DATE_TEXT.match(new).groups())  # type: ignore[union-attr]
            old = self.editor.get(("date",))
            value: object = new if isinstance(old, str) else dt.date(year, month, day)
            self.editor.set_value(("date",), value)
            self.changes.append(Change(f"成文日期改为 {new}（第{number}段）"))
            return
        if not line.regions:
            self.unplaced.append(
                f"第{number}段：“{short(line.text)}”由程序生成（部分标题、序号、日期等），"
                f"改为“{short(new)}”未写回"
            )
            return
        try:
            edit = split_line(line, new, self.traced.draft.facts.metrics)
        except Unplaceable as exc:
            self.unplaced.append(f"第{number}段：{exc}")
            return
        for item in edit.fields:
            self.fields[item.path].append((number, item))
        for path, value in edit.scores:
            self._score(path, value, number)

    def _score(self, path: FieldPath, value: str, number: int) -> None:
        item = self.editor.get(path[:-2])
        if hasattr(item, "get") and item.get("children"):
            self.unplaced.append(f"第{number}段：上级指标的自评分由下级相加，不能直接改（{dotted(path)}）")
        elif self.editor.get(path[:-1]) is not None and self.editor.set_number(path, value):
            self.changes.append(Change(f"自评分 {dotted(path)} 改为 {value}（第{number}段）"))
        else:
            self.unplaced.append(f"第{number}段：自评分改为 {value}，但事实文件中没有该指标的分值")

    def _occurrences(self) -> dict[FieldPath, int]:
        counts: dict[FieldPath, int] = defaultdict(int)
        for line in self.lines:
            for region in line.regions:
                counts[region.path] += 1
        return counts

    def _apply_fields(self) -> None:
        counts = self._occurrences()
        for path, edits in self.fields.items():
            numbers = "、".join(str(n) for n, _ in edits)
            sources = {e.source for _, e in edits}
            if len(sources) > 1 or len(edits) < counts[path]:
                self.unplaced.append(
                    f"第{numbers}段：{dotted(path)} 在稿中出现 {counts[path]} 处，改法不一致"
                    "或只改了其中一部分：请直接在事实文件中修改"
                )
                continue
            edit = edits[0][1]
            if any(under(path, item) for item in self.deleted_items):
                continue
            if edit.source == edit.raw:  # only a metric's number changed
                for metric in edit.metrics:
                    self.metrics[metric.name].append((edits[0][0], metric))
                continue
            if not self.editor.set_text(path, edit.source):
                self.unplaced.append(
                    f"第{numbers}段：{dotted(path)} 不在事实文件中（由程序补出或起草），改动未写回"
                )
                continue
            notes = f"；{'；'.join(edit.notes)}" if edit.notes else ""
            self.changes.append(Change(f"改写 {dotted(path)}（第{numbers}段）{notes}"))
            for metric in edit.metrics:
                self.metrics[metric.name].append((edits[0][0], metric))

    def follows(self, same: dict[int, int]) -> set[int]:
        """Edited paragraphs left as drafted that print a metric now updated: their
        redraft shows the new number (the change says so)."""
        return {
            new for new, old in same.items()
            if any(self._uses(region, set(self.metrics)) for region in self.lines[old].regions)
        }  # fmt: skip

    @staticmethod
    def _uses(region: Region, names: set[str]) -> int:
        count = 0
        for piece in region.pieces or ():
            ref = _METRIC_REF.match(piece.source) if piece.expr else None
            count += bool(ref and (ref.group(1) or ref.group(3)) in names)
        return count

    def _metric_uses(self, name: str) -> int:
        return sum(self._uses(r, {name}) for line in self.lines for r in line.regions)

    def _apply_metrics(self) -> None:
        facts = self.traced.draft.facts
        for name, edits in self.metrics.items():
            wanted = {(e.field, e.number.replace(",", "")) for _, e in edits}
            numbers = "、".join(str(n) for n, _ in edits)
            if len({f for f, _ in wanted}) != len(wanted):
                self.unplaced.append(f"第{numbers}段：指标 {name} 被改成了不同的数值，未写回")
                continue
            metric = facts.metrics[name]
            for _, edit in edits:
                what = "value" if edit.field == "value" else "previous"
                old = metric.value if what == "value" else metric.previous
                if not self._set_metric(name, what, edit.number, metric.unit):
                    self.unplaced.append(f"第{numbers}段：指标 {name} 的写法无法自动改，请手工修改")
                    break
                others = self._metric_uses(name) - len(edits)
                where = f"（另有 {others} 处引用，随之更新）" if others > 0 else ""
                label = "" if what == "value" else "上年数值"
                self.changes.append(
                    Change(
                        f"指标 {name}{label}：{old}{metric.unit} → {edit.number}{metric.unit}"
                        f"{where}"
                    )
                )
                break

    def _set_metric(self, name: str, what: str, number: str, unit: str) -> bool:
        node = self.editor.get(("metrics", name))
        if isinstance(node, dict):
            return self.editor.set_number(("metrics", name, what), number)
        if what != "value":
            return False
        if isinstance(node, str) or hasattr(node, "value"):  # "91.5%", or tagged
            return self.editor.set_value(("metrics", name), styled(node, f"{number}{unit}", True))
        return self.editor.set_number(("metrics", name), number)

    # -------------------------------------------------------------- title

    def _title(self, pairs: list[tuple[int | None, int | None]]) -> None:
        titles = {i for i, line in enumerate(self.lines) if line.kind == "title"}
        news = [n for o, n in pairs if n is not None and (o in titles or o is None)]
        span = [n for o, n in pairs if o in titles and n is not None]
        if not span:
            self.unplaced.append("标题被删去，未写回")
            return
        first, last = min(span), max(span)
        lines = [self.edited[n][1] for n in news if first <= n <= last]
        title = "".join(lines)
        facts = self.traced.draft.facts
        if facts.title_lines is None and break_title(title) == lines:
            self.editor.set_text(("title",), title) or self.editor.set_value(("title",), title)
            self.changes.append(Change(f"标题改为“{title}”"))
        else:
            from ruamel.yaml.comments import CommentedSeq

            self.editor.set_value(("title_lines",), CommentedSeq(lines))
            self.changes.append(Change(f"标题改为“{title}”（按 Word 稿分行写入 title_lines）"))

    # -------------------------------------------------------------- deleted

    def _item_lines(self, item: FieldPath) -> set[int]:
        return {
            i for i, line in enumerate(self.lines)
            if any(under(r.path, item) for r in line.regions)
        }  # fmt: skip

    def _deletions(self, deleted: list[int]) -> None:
        gone = set(deleted)
        done: set[int] = set()
        for index in deleted:
            if index in done:
                continue
            line = self.lines[index]
            where = f"原稿第{index + 1}段“{short(line.text)}”被删去"
            paths = [r.path for r in line.regions]
            if line.kind in ("heading", "run_in") and paths and paths[0][-1] == "title":
                item = paths[0][:-1]
                lines = self._item_lines(item)
                if lines <= gone and self.editor.queue_delete(item):
                    self.deleted_items.append(item)
                    done |= lines
                    self.changes.append(Change(f"删除条目 {dotted(item)}（{where}，连同其正文）"))
                else:
                    self.unplaced.append(f"{where}，但其下的正文仍在：条目未删除")
                continue
            single = line.kind == "body" and len(paths) == 1 and is_paragraph(paths[0])
            if single and self.editor.queue_delete(paths[0]):
                self.changes.append(Change(f"删除段落 {dotted(paths[0])}（{where}）"))
                continue
            enumeration = _enumeration(paths)
            if line.kind == "body" and enumeration and self.editor.queue_delete(enumeration):
                self.changes.append(Change(f"删除列举 {dotted(enumeration)}（{where}）"))
                continue
            self.unplaced.append(f"{where}：无法确定删去哪一项事实，未写回")


def _enumeration(paths: list[FieldPath]) -> FieldPath | None:
    """The one 一是…二是… (points or causes) that all of a paragraph's fields belong to."""
    found = None
    for path in paths:
        cut = next((k for k, p in enumerate(path) if p in ("points", "causes")), None)
        if cut is None:
            return None
        prefix = path[: cut + 1]
        if found not in (None, prefix):
            return None
        found = prefix
    return found


def plan_merge(
    edited: SourceDocument, facts_path: Path, custom: Customisation | None = None
) -> MergePlan:
    """What writing `edited` back into `facts_path` changes; nothing is written."""
    traced = trace(facts_path, custom)
    text = facts_path.read_text(encoding="utf-8-sig")
    paragraphs = [p for p in edited.paragraphs if p.text.strip()]
    lines = [(p.number, clean(p.auto_number + p.text)) for p in paragraphs if not p.in_table]
    planner = _Planner(traced, FactsEditor(text), lines)
    tables = [p.number for p in paragraphs if p.in_table]
    if tables:
        planner.unplaced.append(
            f"第{tables[0]}段起的表格（{len(tables)} 段）未写回：表格不由事实文件起草"
        )
    same = planner.run()
    new_text = planner.editor.dump()
    if new_text != text:
        planner.unplaced += verify(new_text, facts_path, custom, lines, planner.follows(same))
    return MergePlan(planner.changes, planner.unplaced, new_text)


def apply_merge(plan: MergePlan, facts_path: Path) -> Path:
    """Keep the old facts file as a backup beside it, then write the new text (both
    atomically); returns the backup's path."""
    backup = backup_path(facts_path)
    atomic_write(backup, facts_path.read_bytes())
    atomic_write(facts_path, plan.new_text.encode("utf-8"))
    return backup
