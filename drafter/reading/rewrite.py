"""One edited paragraph back into the fields that drafted it.

The template wording of the drafted paragraph (numbers, 一是, 改进措施：, score annotations)
is kept as anchors; what stands between them in the edited text is each field's new text.
A field's new text is then turned back into source, piece by piece: a `{{ … }}` whose
printed value still stands where it stood is kept; a metric whose printed number changed
gets the new number (the reference stays); any other changed reference becomes text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from drafter.facts.load import FieldPath
from drafter.facts.models import Metric
from drafter.reading.headings import typed_number
from drafter.reading.provenance import Line, Piece, Region, position_map

_METRIC_REF = re.compile(
    r"\{\{-?\s*m(?:\.([^\W\d]\w*)|\[\s*(['\"])(.+?)\2\s*\])(?:\.(value|previous))?\s*-?\}\}$"
)
_NUMBER = r"[+-]?\d[\d,]*(?:\.\d+)?"
_SCORE = re.compile(r"（(\d+(?:\.\d+)?)分，(自评(?:得)?分)(\d+(?:\.\d+)?)分）")


class Unplaceable(Exception):
    """An edit that cannot be written back; the message says why, in Chinese."""


@dataclass(frozen=True)
class MetricEdit:
    name: str
    field: str  # "value" or "previous"
    number: str  # as typed: 92.3, 9,245,154.23


@dataclass
class FieldEdit:
    path: FieldPath
    source: str  # the field's new source text
    raw: str = ""  # its source before
    metrics: list[MetricEdit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class LineEdit:
    fields: list[FieldEdit] = field(default_factory=list)
    scores: list[tuple[FieldPath, str]] = field(default_factory=list)  # score.self path, new


def _ops(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _exact(ops: list[tuple[str, int, int, int, int]], start: int, end: int) -> int | None:
    """Where [start, end) of the old text stands in the new, if it stands there unchanged
    (for an empty stretch: if its place is certain)."""
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal" and i1 <= start and (end < i2 or (end == i2 and end > start)):
            return j1 + start - i1
        if tag == "equal" and start == end == i2:
            return j2
    return None


def split_line(line: Line, new: str, metrics: dict[str, Metric]) -> LineEdit:
    """The field edits that turn `line` into `new`; Unplaceable when the template wording
    changed or a field's bounds are uncertain."""
    old = line.text
    ops = _ops(old, new)
    segments = line.template_segments()
    places: list[int] | None = []
    for start, end in segments:
        at = _exact(ops, start, end)
        if at is None:
            places = None
            break
        places.append(at)
    edit = LineEdit()
    if places is None:
        texts, edit.scores = _by_pattern(line, new)
    else:
        texts = [
            new[places[k] + segments[k][1] - segments[k][0] : places[k + 1]]
            for k in range(len(line.regions))
        ]
    for region, text in zip(line.regions, texts, strict=True):
        before = old[region.start : region.end]
        if text != before:
            edit.fields.append(rebuild(region, before, text, metrics))
    return edit


def _by_pattern(line: Line, new: str) -> tuple[list[str], list[tuple[FieldPath, str]]]:
    """Fields between the template wording read as a pattern: the wording must be there
    unchanged, but for a leaf's self score in its score annotation."""
    old = line.text
    parts: list[str] = []
    groups: list[tuple[FieldPath, str] | None] = []  # None: a field; else (score path, old)
    for k, (start, end) in enumerate(line.template_segments()):
        wording = old[start:end]
        score = _SCORE.search(wording)
        if score and k > 0 and line.regions[k - 1].path[-1] == "title":
            parts.append(
                re.escape(wording[: score.start()])
                + f"（{re.escape(score.group(1))}分，{score.group(2)}({_NUMBER})分）"
                + re.escape(wording[score.end() :])
            )
            groups.append(((*line.regions[k - 1].path[:-1], "score", "self"), score.group(3)))
        else:
            parts.append(re.escape(wording))
        if k < len(line.regions):
            parts.append("(.*?)")
            groups.append(None)
    pattern = "".join(parts)
    lazy = re.fullmatch(pattern, new, re.DOTALL)
    greedy = re.fullmatch(pattern.replace("(.*?)", "(.*)"), new, re.DOTALL)
    if lazy is None or greedy is None or lazy.groups() != greedy.groups():
        raise Unplaceable(_wording_changed(line, new))
    texts, scores = [], []
    for kind, value in zip(groups, lazy.groups(), strict=True):
        if kind is None:
            texts.append(value)
        elif value != kind[1]:
            scores.append((kind[0], value))
    return texts, scores


def _wording_changed(line: Line, new: str) -> str:
    block = line.block
    number = getattr(block, "number", "")
    if number and not new.startswith(number):
        typed = typed_number(new)
        now = typed.typed.strip() if typed else "（无）"
        return f"标题序号“{number}”改为“{now}”：序号由程序按顺序生成，未写回"
    changed = [
        line.text[start:end]
        for start, end in line.template_segments()
        if start < end and line.text[start:end] not in new
    ]
    what = "、".join(f"“{w}”" for w in changed) if changed else "程序生成的文字与字段的分界"
    return f"改动涉及程序生成的文字{what}，无法确定写回哪个字段"


def rebuild(region: Region, old: str, new: str, metrics: dict[str, Metric]) -> FieldEdit:
    """The new source of the field drafted as `old` (its text in the drafted line), now
    reading `new`."""
    pieces = region.pieces
    where = ".".join(map(str, region.path))
    if pieces is None:
        raise Unplaceable(f"字段 {where} 含 {{% %}} 等写法，无法逐字写回")
    full = "".join(p.output for p in pieces)
    to_old = position_map(full, old)
    ops = _ops(old, new)
    edit = FieldEdit(region.path, "", region.raw)
    out: list[str] = []
    cursor, at = 0, 0
    for piece in pieces:
        start, end = at, at + len(piece.output)
        at = end
        if not piece.expr:
            continue
        a, b = to_old(start, False) or 0, to_old(end, True) or 0
        kept = _exact(ops, a, b)
        if kept is not None and a < b:
            na, nb = kept, kept + b - a
            replacement = piece.source
        else:
            na, nb = _loose(ops, a, False), _loose(ops, b, True)
            if not piece.output:
                nb = na
            replacement = _changed(piece, new[na:nb], metrics, edit)
        if na < cursor:
            raise Unplaceable(f"字段 {where} 中相邻的引用被一并改动，无法分开写回")
        out += [_literal(new[cursor:na], where), replacement]
        cursor = nb
    out.append(_literal(new[cursor:], where))
    edit.source = "".join(out)
    return edit


def _loose(ops: list[tuple[str, int, int, int, int]], pos: int, late: bool) -> int:
    """A position of the old text in the new; inside a changed stretch, its start or end."""
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal" and i1 <= pos < i2:
            return j1 + pos - i1
        if i1 <= pos <= i2 and tag != "equal":
            return j2 if late else j1
    return ops[-1][4] if ops else 0


def _changed(piece: Piece, text: str, metrics: dict[str, Metric], edit: FieldEdit) -> str:
    """The source for a `{{ … }}` whose printed value was changed into `text`."""
    ref = _METRIC_REF.match(piece.source)
    metric = metrics.get(ref.group(1) or ref.group(3)) if ref else None
    if ref and metric is not None:
        name = ref.group(1) or ref.group(3)
        unit = metric.unit if ref.group(4) is None else ""
        found = list(re.finditer(f"(?<![\\d.]){_NUMBER}(?![\\d.])" + re.escape(unit), text))
        if len(found) == 1:
            number = found[0].group()[: len(found[0].group()) - len(unit)]
            if metric.ratio is not None:
                raise Unplaceable(
                    f"指标 {name} 由 ratio 计算得出，不能直接改它的数值：请改它的两个来源指标"
                )
            edit.metrics.append(MetricEdit(name, ref.group(4) or "value", number))
            before, after = text[: found[0].start()], text[found[0].end() :]
            return _literal(before, name) + piece.source + _literal(after, name)
    if piece.output and text.count(piece.output) == 1:
        before, _, after = text.partition(piece.output)
        return _literal(before, "") + piece.source + _literal(after, "")
    if piece.output:
        edit.notes.append(f"{piece.source.strip()} 改为文字“{text}”")
    return _literal(text, "")


def _literal(text: str, where: str) -> str:
    if "{{" in text or "{%" in text or "{#" in text:
        raise Unplaceable(f"新文字含“{{{{”“{{%”，会被当作模板写法（{where}）")
    return text
