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
from drafter.facts.load import FieldPath
from drafter.facts.models import DATE_TEXT
from drafter.output import atomic_write, backup_path
from drafter.reading.compare import align, clean, short, verify
from drafter.reading.facts_edit import FactsEditor, styled
from drafter.reading.headings import typed_number
from drafter.reading.provenance import Line, Region, Traced, trace
from drafter.reading.rewrite import _METRIC_REF, FieldEdit, MetricEdit, Unplaceable, split_line
from drafter.reading.source import SourceDocument
from drafter.title import break_title

_PARAGRAPH_LISTS = ("text", "preamble", "closing")


@dataclass
class Change:
    """One change, for the terminal, in Chinese."""

    what: str


@dataclass
class MergePlan:
    changes: list[Change]
    unplaced: list[str]  # what could not be written back, in Chinese
    new_text: str  # the new YAML text of the facts file


def _dotted(path: FieldPath) -> str:
    return ".".join(map(str, path))


def _is_paragraph(path: FieldPath) -> bool:
    return len(path) >= 2 and isinstance(path[-1], int) and path[-2] in _PARAGRAPH_LISTS


def _under(path: FieldPath, prefix: FieldPath) -> bool:
    return path[: len(prefix)] == prefix


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
        same: dict[int, int] = {}
        deleted: list[int] = []
        title_touched = False
        previous: int | None = None
        inserts: list[tuple[int | None, int]] = []  # (drafted line before, edited index)
        for old, new in pairs:
            if old is not None and new is not None:
                line = self.lines[old]
                if line.text == self.edited[new][1]:
                    same[new] = old
                elif line.kind == "title":
                    title_touched = True
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
        self._inserts(inserts)
        self._apply_fields()
        self._apply_metrics()
        return same

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
            self.unplaced.append(f"第{number}段：上级指标的自评分由下级相加，不能直接改（{_dotted(path)}）")
        elif self.editor.get(path[:-1]) is not None and self.editor.set_number(path, value):
            self.changes.append(Change(f"自评分 {_dotted(path)} 改为 {value}（第{number}段）"))
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
                    f"第{numbers}段：{_dotted(path)} 在稿中出现 {counts[path]} 处，改法不一致"
                    "或只改了其中一部分：请直接在事实文件中修改"
                )
                continue
            edit = edits[0][1]
            if any(_under(path, item) for item in self.deleted_items):
                continue
            if edit.source == edit.raw:  # only a metric's number changed
                for metric in edit.metrics:
                    self.metrics[metric.name].append((edits[0][0], metric))
                continue
            if not self.editor.set_text(path, edit.source):
                self.unplaced.append(
                    f"第{numbers}段：{_dotted(path)} 不在事实文件中（由程序补出或起草），改动未写回"
                )
                continue
            notes = f"；{'；'.join(edit.notes)}" if edit.notes else ""
            self.changes.append(Change(f"改写 {_dotted(path)}（第{numbers}段）{notes}"))
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
            if any(_under(r.path, item) for r in line.regions)
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
                    self.changes.append(Change(f"删除条目 {_dotted(item)}（{where}，连同其正文）"))
                else:
                    self.unplaced.append(f"{where}，但其下的正文仍在：条目未删除")
                continue
            single = line.kind == "body" and len(paths) == 1 and _is_paragraph(paths[0])
            if single and self.editor.queue_delete(paths[0]):
                self.changes.append(Change(f"删除段落 {_dotted(paths[0])}（{where}）"))
                continue
            enumeration = _enumeration(paths)
            if line.kind == "body" and enumeration and self.editor.queue_delete(enumeration):
                self.changes.append(Change(f"删除列举 {_dotted(enumeration)}（{where}）"))
                continue
            self.unplaced.append(f"{where}：无法确定删去哪一项事实，未写回")

    # -------------------------------------------------------------- added

    def _inserts(self, inserts: list[tuple[int | None, int]]) -> None:
        for previous, new in inserts:
            number, text = self.edited[new]
            typed = typed_number(text)
            if typed is not None and typed.level <= 4:
                self.unplaced.append(
                    f"第{number}段（新增）：“{short(text)}”以标题序号开头，新增条目请在事实文件中添加"
                )
                continue
            place = self._place(previous)
            if place is None:
                self.unplaced.append(f"第{number}段（新增）：“{short(text)}”的位置无法确定，未写回")
                continue
            path, index, before = place
            if any(_under(path, item) for item in self.deleted_items):
                self.unplaced.append(f"第{number}段（新增）：所在条目已删除，未写回")
                continue
            seq = self.editor.paragraph_list(path, create=True)
            if seq is None:
                self.unplaced.append(f"第{number}段（新增）：{_dotted(path)} 无法添加段落，未写回")
                continue
            index = min(index, len(seq) - 1)
            self.editor.queue_insert(seq, index, text, before and index >= 0)
            self.changes.append(Change(f"新增段落于 {_dotted(path)}（第{number}段）"))

    def _place(self, previous: int | None) -> tuple[FieldPath, int, bool] | None:
        """Where a paragraph added after drafted line `previous` goes: (paragraph list,
        index, before it?)."""
        lines = self.lines
        after = lines[previous] if previous is not None else None
        nxt = lines[previous + 1] if previous is not None and previous + 1 < len(lines) else None
        if after and after.regions and _is_paragraph(after.regions[-1].path):
            end = after.regions[-1].end
            if not after.text[end:]:
                path = after.regions[-1].path
                return path[:-1], int(path[-1]), False
        single = nxt is not None and nxt.kind == "body" and len(nxt.regions) == 1
        if nxt and single and _is_paragraph(nxt.regions[0].path) and nxt.regions[0].start == 0:
            path = nxt.regions[0].path
            return path[:-1], int(path[-1]), True
        titled = after is not None and bool(after.regions) and after.regions[0].path[-1] == "title"
        if after and after.kind == "heading" and titled:
            return (*after.regions[0].path[:-1], "text"), 0, True
        if nxt and nxt.kind in ("heading", "run_in") and nxt.regions:
            path = nxt.regions[0].path
            if len(path) >= 4 and path[-1] == "title" and path[-2] == 0 and path[-3] in (
                "items", "children"
            ):
                return (*path[:-3], "text"), 10**9, False
        return None


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
