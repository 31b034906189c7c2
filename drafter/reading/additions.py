"""Paragraphs added in Word, placed in the facts file for `drafter import --into`.

An added body paragraph joins the paragraph list before or after it. An added paragraph
that starts with a typed heading number (（七）加强校园安全, 4.新增一条。正文) becomes a new
item: its level is the level of the number's form, its list and index those of the
drafted heading of that level next to it (the provenance of that heading's title), and its
text the added body paragraphs after it. Drafter numbers headings itself, so the number
typed is not kept, and the later headings are renumbered in the redraft (compare.py
accepts that). A new heading whose level or place cannot be told stays unplaced, and so
does the body under it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from drafter.document import Heading
from drafter.facts.load import FieldPath
from drafter.reading.compare import short
from drafter.reading.facts_edit import FactsEditor, styled
from drafter.reading.headings import TypedNumber, typed_number
from drafter.reading.provenance import Line
from drafter.reading.scores import split_score

_PARAGRAPH_LISTS = ("text", "preamble", "closing")
_SENTENCE_END = "。！？"


def dotted(path: FieldPath) -> str:
    return ".".join(map(str, path))


def is_paragraph(path: FieldPath) -> bool:
    return len(path) >= 2 and isinstance(path[-1], int) and path[-2] in _PARAGRAPH_LISTS


def under(path: FieldPath, prefix: FieldPath) -> bool:
    return path[: len(prefix)] == prefix


def _level(line: Line) -> int | None:
    """The level of a drafted heading line; None for any other line."""
    if line.kind in ("heading", "run_in") and isinstance(line.block, Heading):
        return line.block.level
    return None


def _titled_item(line: Line) -> FieldPath | None:
    """The item whose title a drafted heading prints; None for a heading the profile writes."""
    if line.regions and line.regions[0].path[-1] == "title":
        return line.regions[0].path[:-1]
    return None


@dataclass
class _Target:
    """Where a new item goes: before or after element `index` of the list at `path`
    (index -1: appended); for a measure, `path` is the problems list."""

    path: FieldPath
    index: int
    before: bool
    measure: tuple[int, int] | None = None  # problems (lo, hi): the measure is between


@dataclass
class _New:
    """A new item being read: its heading and the body paragraphs after it."""

    level: int
    node: CommentedMap | None  # None: the heading was not placed, nor is its body
    target: _Target | None = None
    body: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.body.append(text)
        if self.node is not None:
            paragraphs = [styled(None, p) for p in self.body]
            self.node["text"] = paragraphs[0] if len(paragraphs) == 1 else CommentedSeq(
                paragraphs
            )


@dataclass
class Additions:
    lines: list[Line]
    editor: FactsEditor
    deleted_items: list[FieldPath]
    change: Callable[[str], None]
    unplaced: list[str]
    # new items queued per list: (position among the list's elements as read, node)
    queued: dict[FieldPath, list[tuple[float, CommentedMap]]] = field(default_factory=dict)
    items_added: int = 0

    def place(self, inserts: list[tuple[int | None, int]], edited: list[tuple[int, str]]) -> None:
        """`inserts`: (drafted line before, edited index) of each added paragraph."""
        stack: list[_New] = []  # the new items open in this run of added paragraphs
        last: tuple[int | None, int] | None = None
        for previous, new in inserts:
            if last is None or last[0] != previous or last[1] != new - 1:
                stack = []  # a drafted paragraph came between
            last = (previous, new)
            number, text = edited[new]
            typed = typed_number(text)
            if typed is not None and typed.level <= 4:
                stack = self._heading(stack, previous, number, text, typed)
            elif stack and stack[-1].node is None:
                self.unplaced.append(f"第{number}段（新增）：“{short(text)}”属于未写回的新增标题，未写回")
            elif stack:
                stack[-1].add(text)
            else:
                self._paragraph(previous, number, text)

    # -------------------------------------------------------------- body paragraphs

    def _paragraph(self, previous: int | None, number: int, text: str) -> None:
        place = self._place(previous)
        if place is None:
            self.unplaced.append(f"第{number}段（新增）：“{short(text)}”的位置无法确定，未写回")
            return
        path, index, before = place
        if any(under(path, item) for item in self.deleted_items):
            self.unplaced.append(f"第{number}段（新增）：所在条目已删除，未写回")
            return
        seq = self.editor.paragraph_list(path, create=True)
        if seq is None:
            self.unplaced.append(f"第{number}段（新增）：{dotted(path)} 无法添加段落，未写回")
            return
        index = min(index, len(seq) - 1)
        self.editor.queue_insert(seq, index, text, before and index >= 0)
        self.change(f"新增段落于 {dotted(path)}（第{number}段）")

    def _place(self, previous: int | None) -> tuple[FieldPath, int, bool] | None:
        """Where a paragraph added after drafted line `previous` goes: (paragraph list,
        index, before it?)."""
        lines = self.lines
        after = lines[previous] if previous is not None else None
        nxt = lines[previous + 1] if previous is not None and previous + 1 < len(lines) else None
        if after and after.regions and is_paragraph(after.regions[-1].path):
            end = after.regions[-1].end
            if not after.text[end:]:
                path = after.regions[-1].path
                return path[:-1], int(path[-1]), False
        single = nxt is not None and nxt.kind == "body" and len(nxt.regions) == 1
        if nxt and single and is_paragraph(nxt.regions[0].path) and nxt.regions[0].start == 0:
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

    # -------------------------------------------------------------- new items

    def _heading(
        self, stack: list[_New], previous: int | None, number: int, text: str, typed: TypedNumber
    ) -> list[_New]:
        level = typed.level
        where = f"第{number}段（新增）：“{short(text)}”"
        title, body = _split(typed.rest, level)
        while stack and stack[-1].level > level:
            stack.pop()
        if split_score(title)[1] is not None:
            self.unplaced.append(f"{where}带有分值，新增的评分指标请在事实文件中添加")
            return [*stack, _New(level, None)]
        node = CommentedMap([("title", title)])
        item = _New(level, node)
        if stack and stack[-1].level == level and stack[-1].target is not None:
            item.target = stack[-1].target  # after the new sibling, in the same slot
        elif stack and stack[-1].level == level - 1 and stack[-1].node is not None:
            parent = stack[-1].node
            parent.setdefault("children", CommentedSeq()).append(node)
            self.change(f"新增条目“{title}”于新增条目“{parent['title']}”下（第{number}段）")
            self.items_added += 1
            return self._opened([*stack, item], body)
        elif stack and stack[-1].level >= level - 1:
            self.unplaced.append(f"{where}所在的新增标题未写回，这一条也未写回")
            kept = stack[:-1] if stack[-1].level == level else stack
            return [*kept, _New(level, None)]
        else:
            found = self._target(previous, level)
            if isinstance(found, str):
                self.unplaced.append(f"{where}以标题序号开头，{found}：新增条目请在事实文件中添加")
                return [*stack, _New(level, None)]
            item.target = found
        label = self._queue(item.target, node, where)
        if label is None:
            return [*stack, _New(level, None)]
        self.change(f"新增{label}（第{number}段）")
        self.items_added += 1
        return self._opened([*[s for s in stack if s.level < level], item], body)

    @staticmethod
    def _opened(stack: list[_New], body: str) -> list[_New]:
        if body:
            stack[-1].add(body)
        return stack

    def _target(self, previous: int | None, level: int) -> _Target | str:
        """The list and index of a new heading of `level` added after drafted line
        `previous`, or why it cannot be told (in Chinese)."""
        lines, start = self.lines, -1 if previous is None else previous
        before = after = boundary = None
        for line in lines[start::-1] if start >= 0 else []:
            found = _level(line)
            if found is not None and found <= level:
                before, boundary = (line, None) if found == level else (None, line)
                break
        for line in lines[start + 1 :]:
            found = _level(line)
            if found is not None and found <= level:
                after = line if found == level else None
                break
        sibling = before or after
        if sibling is not None:
            items = [_titled_item(s) for s in (before, after) if s is not None]
            if any(item is None for item in items):
                return f"与它同级的“{short(sibling.text)}”由方案生成，不对应事实文件中的条目"
            item = items[0]
            assert item is not None
            if item[-1] == "measure":
                bounds = [int(i[-2]) for i in items]  # type: ignore[index]
                lo = bounds[0] if before is not None else -1
                hi = bounds[-1] if after is not None else 10**9
                return _Target(item[:-2], -1, False, (lo, hi))
            return _Target(item[:-1], int(item[-1]), before is None)
        parent = _titled_item(boundary) if boundary is not None else None
        if boundary is None:
            return "前后没有同级的标题，无法确定它属于哪一级、哪一部分"
        if _level(boundary) != level - 1:
            return (
                f"它所在的“{short(boundary.text)}”下没有同级的标题，且层级相差不止一级，"
                "无法确定层级"
            )
        if parent is None:
            return f"它的上一级“{short(boundary.text)}”由方案生成，不对应事实文件中的条目"
        nxt = lines[start + 1] if start + 1 < len(lines) else None
        if nxt is not None and any(under(r.path, parent) for r in nxt.regions):
            return f"它插在“{short(boundary.text)}”与其正文之间，无法确定属于哪一条"
        return _Target((*parent, "children"), -1, False)

    def _queue(self, target: _Target, node: CommentedMap, where: str) -> str | None:
        """Queue the new item; what was added (for the change list), or None."""
        if any(under(target.path, item) for item in self.deleted_items):
            self.unplaced.append(f"{where}所在的条目已删除，未写回")
            return None
        if target.measure is not None:
            return self._measure(target, node, where)
        seq = self._items(target.path)
        if seq is None:
            self.unplaced.append(f"{where}：{dotted(target.path)} 无法添加条目，未写回")
            return None
        index = len(seq) - 1 if target.index < 0 else target.index
        before = target.before and index >= 0
        self.editor.queue_insert(seq, index, node, before)
        self.queued.setdefault(target.path, []).append((index + (-0.5 if before else 0.5), node))
        side = f"（原第{index + 1}条{'之前' if before else '之后'}）" if index >= 0 else ""
        return f"条目“{node['title']}”于 {dotted(target.path)}{side}"

    def _items(self, path: FieldPath) -> CommentedSeq | None:
        """The list of items at `path`; a missing `children` list is added."""
        found = self.editor.get(path)
        if isinstance(found, CommentedSeq):
            return found
        owner = self.editor.get(path[:-1])
        if found is None and path[-1] == "children" and isinstance(owner, CommentedMap):
            owner["children"] = CommentedSeq()
            self.editor.changed = True
            return owner["children"]
        return None

    def _measure(self, target: _Target, node: CommentedMap, where: str) -> str | None:
        """A new measure answers the problem at its place that has none yet: the one
        problem between the problems whose measures stand before and after it."""
        assert target.measure is not None
        lo, hi = target.measure
        problems = self.editor.get(target.path)
        count = len(problems) if isinstance(problems, CommentedSeq) else 0
        candidates: list[tuple[float, CommentedMap | None, int]] = [
            (k, None, k) for k in range(lo + 1, min(hi, count))
            if self.editor.get((*target.path, k, "measure")) is None
        ]  # fmt: skip
        candidates += [
            (position, problem, -1) for position, problem in self.queued.get(target.path, [])
            if lo < position < hi and "measure" not in problem
        ]  # fmt: skip
        candidates.sort(key=lambda c: c[0])
        if len(candidates) != 1 and not (candidates and all(c[1] for c in candidates)):
            self.unplaced.append(
                f"{where}是新增的改进措施，但它所在位置{'没有' if not candidates else '有多个'}"
                "尚无改进措施的问题，无法确定它对应哪一个问题，未写回"
            )
            return None
        _, problem, index = candidates[0]
        if problem is not None:
            problem["measure"] = node
            return f"改进措施“{node['title']}”，对应新增的问题“{problem['title']}”"
        self.editor.set_value((*target.path, index, "measure"), node)
        return f"改进措施“{node['title']}”于 {dotted((*target.path, index, 'measure'))}"


def _split(rest: str, level: int) -> tuple[str, str]:
    """A typed heading's title and run-in body: levels 3–4 run in at the first sentence end
    (1.标题。正文); the title loses the 。 the template adds back."""
    title, body = rest.strip(), ""
    if level >= 3:
        cut = next((i for i, c in enumerate(title) if c in _SENTENCE_END), None)
        if cut is not None and cut < len(title) - 1:
            title, body = title[: cut + 1], title[cut + 1 :].lstrip()
        if title.endswith("。"):
            title = title[:-1]
    return title, body
