"""`drafter roll`: next year's facts file, written from this year's.

Most reports are last year's, updated. Rolling keeps everything that is structure (profile,
district, headings …) and carries the rest over marked `!stale` (last year's `targets` and
the notice's issuer included: check does not judge a stale target; see
drafter/stale.py), so the draft highlights it and `drafter check` lists it until someone has
reviewed it and deleted the tag:

- every metric keeps last year's value as its `previous` value, so `{{ m.X.change }}` computes
  itself once the new value is typed; the carried-over `value` is tagged. A computed metric
  (`ratio`) keeps its ratio and gets last year's computed value as `previous`; its inputs
  carry the tags (a typed check value is dropped: it would contradict the new inputs);
- every prose string (titles, text, points, causes, measures, preamble, closing …), every
  indicator `score` and the 测评点 `assessment` are tagged;
- the 成文日期, the notice's title and 文号 and a 函's own 发文字号 (`letter_number`) are
  emptied: the draft shows them as 【待补充】;
- each document cited in `notices:` (a list: this year's notice and standing ones such as
  an implementation plan) keeps its issuer, title and 文号, tagged; `number: false` stays;
- a `period`, `title` or `title_lines` written out keeps its wording with the years moved on
  ("2021年以来" in a 2022 report becomes "2022年以来" in the 2023 one); without a period the
  default "<year>年" already follows the year.

The YAML is edited round-trip (ruamel.yaml): comments, key order, quoting and the folded
`>-` blocks stay as the user wrote them. The old file is only read.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, Tag, TaggedScalar
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from drafter.errors import FactsError, OutputError
from drafter.facts.load import STALE_TAG, field_title, load_facts
from drafter.facts.models import Facts, Metric
from drafter.yaml_edit import number as yaml_number
from drafter.yaml_edit import number_and_unit, round_trip, untagged

# Top-level fields whose strings are the report's prose (sections are Parts or paragraphs).
PROSE_FIELDS = (
    "preamble", "overview", "basic_info", "achievements", "experience", "problems", "plans",
    "closing",
)  # fmt: skip
CLEARED = (  # new every year (a 函's own 发文字号 too)
    ("date",), ("notice", "title"), ("notice", "number"), ("letter_number",),
)
NOTICE_KEYS = ("issuer", "title", "number")  # of each item of `notices:`, tagged
_STYLES = {
    FoldedScalarString: ">",
    LiteralScalarString: "|",
    DoubleQuotedScalarString: '"',
    SingleQuotedScalarString: "'",
}
_YEAR = re.compile(r"(?<!\d)(\d{4})(?=年)")


@dataclass
class Rolled:
    """What `roll` wrote, for the terminal."""

    source: Path
    target: Path
    year: int
    previous_year: int
    tagged: int = 0  # facts marked !stale
    metrics: int = 0  # metrics whose previous value is now last year's
    cleared: list[str] = field(default_factory=list)  # Chinese names of emptied fields
    shifted: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)
    notices: int = 0  # values of the cited documents (`notices:`) tagged

    def report_lines(self) -> list[str]:
        lines = [f"已生成：{self.target}（{self.year}年度，由 {self.source} 沿用；原文件未改动）"]
        lines.append(
            f"沿用上年、尚未更新的事实 {self.tagged} 项已标为 {STALE_TAG}，稿中以青色高亮；"
            f"逐项核对或改写后删去该标记"
        )
        if self.metrics:
            lines.append(
                f"{self.metrics} 个指标的上年数值（previous）已设为{self.previous_year}年的数值，"
                "填入今年数值后同比变化自动计算"
            )
        if self.cleared:
            lines.append(f"已清空待填写：{'、'.join(self.cleared)}（稿中显示为【待补充】）")
        if self.notices:
            lines.append(f"开头引用的文件（notices）沿用上年，其发文机关、标题和文号"
                         f" {self.notices} 项已标为 {STALE_TAG}：请按今年引用的文件逐项核对")
        for name, old, new in self.shifted:
            lines.append(f"{name}：{old} → {new}（请核对）")
        lines.append(f"下一步：修改事实文件后，用 drafter check {self.target} 列出仍沿用上年的事实")
        return lines


def roll_file(source: Path, year: int | None = None, target: Path | None = None) -> Rolled:
    """Write next year's facts file beside `source` (or at `target`); never overwrite."""
    from drafter.output import atomic_create

    facts, _ = load_facts(source)  # the file must be valid: ratios are needed resolved
    new_year = facts.year + 1 if year is None else year
    if new_year <= facts.year:
        raise FactsError.one(
            f"新年度 {new_year} 应晚于事实文件的年度 {facts.year}", source, None, "year"
        )
    target = target or source.with_name(f"{new_year}{source.suffix or '.yaml'}")
    if target.resolve() == source.resolve():
        raise OutputError.one("新文件不能是原事实文件本身", target)
    exists = "目标文件已存在；roll 从不覆盖文件。请先查看或移走它，或用 -o 指定另一个文件名"
    if target.exists():
        raise OutputError.one(exists, target)
    rolled = Rolled(source, target, new_year, facts.year)
    text = roll_text(source.read_text(encoding="utf-8-sig"), facts, new_year, rolled,
                     _profile_from(facts.profile, source, target))
    atomic_create(target, text.encode("utf-8"), exists)  # refuses a file created meanwhile
    return rolled


def _profile_from(profile: str, source: Path, target: Path) -> str | None:
    """A profile given as a relative .yaml path, relative to the new file's folder (so the
    rolled file keeps working from there); None when it needs no change."""
    path = Path(profile)
    if path.suffix not in (".yaml", ".yml") or path.is_absolute():
        return None
    moved = Path(os.path.relpath(source.parent / path, target.parent)).as_posix()
    return None if moved == path.as_posix() else moved


def roll_text(
    text: str, facts: Facts, year: int, rolled: Rolled, profile: str | None = None
) -> str:
    """The rolled YAML text of a facts file (`facts` is the same file, loaded and valid);
    what was changed is counted in `rolled`; `profile` replaces a relative profile path."""
    yaml = round_trip(text)
    try:
        data = yaml.load(text)
    except YAMLError as exc:  # load_facts read it already, so this is unexpected
        raise FactsError.one(f"YAML 无法逐字改写：{exc}") from None
    data["year"] = year
    if profile is not None:
        data["profile"] = profile
    _shift_years(data, facts.year, year, rolled)
    _clear(data, rolled)
    if isinstance(data.get("metrics"), CommentedMap):
        for name in list(data["metrics"]):
            if name in facts.metrics:
                metric = facts.metrics[name]
                data["metrics"][name] = _roll_metric(data["metrics"][name], metric)
                rolled.metrics += 1
                rolled.tagged += int(metric.ratio is None and metric.sum is None)  # inputs do
    if data.get("assessment") is not None:
        data["assessment"] = _tag(data["assessment"])
        rolled.tagged += 1
    targets = data.get("targets")
    if isinstance(targets, CommentedSeq):  # last year's targets: check must not judge them
        for index in range(len(targets)):
            targets[index] = _tag(targets[index])
        rolled.tagged += len(targets)
    notice = data.get("notice")
    if isinstance(notice, CommentedMap) and isinstance(notice.get("issuer"), str):
        notice["issuer"] = _tag(notice["issuer"])
        rolled.tagged += 1
    rolled.notices = _tag_notices(data.get("notices"))
    rolled.tagged += rolled.notices
    for name in PROSE_FIELDS:
        if data.get(name) is not None:
            data[name], count = _tag_prose(data[name])
            rolled.tagged += count
    out = io.StringIO()
    yaml.dump(data, out)
    return _header(facts.year, year) + _OLD_HEADER.sub("", out.getvalue())


_OLD_HEADER = re.compile(r"\A# drafter roll：.*\n# 标有 .*\n# drafter check .*\n")  # a re-roll's


def _header(old: int, new: int) -> str:
    return (
        f"# drafter roll：由{old}年度事实文件生成的{new}年度事实文件。\n"
        f"# 标有 {STALE_TAG} 的是沿用上年、尚未更新的事实：稿中青色高亮，\n"
        f"# drafter check 逐项列出；核对或改写后删去 {STALE_TAG}。\n"
    )


def _shift_years(data: CommentedMap, old: int, new: int, rolled: Rolled) -> None:
    """Move the years of a written-out period or title on by as many years as the roll."""

    def shift(text: str) -> str:
        return _YEAR.sub(
            lambda m: str(int(m.group(1)) + new - old)
            if old - 1 <= int(m.group(1)) <= old else m.group(1),
            text,
        )  # fmt: skip

    for key, name in (("period", "评价期间"), ("title", "标题")):
        value = data.get(key)
        if isinstance(value, str) and shift(value) != value:
            data[key] = type(value)(shift(value))  # a quoted or folded string stays so
            rolled.shifted.append((name, str(value), shift(value)))
    lines = data.get("title_lines")
    if isinstance(lines, CommentedSeq):
        for index, value in enumerate(lines):
            if isinstance(value, str) and shift(value) != value:
                lines[index] = type(value)(shift(value))
                rolled.shifted.append((f"标题第{index + 1}行", str(value), shift(value)))


def _clear(data: CommentedMap, rolled: Rolled) -> None:
    """Empty the facts that are new every year, so the draft shows them as gaps."""
    for path in CLEARED:
        name = field_title(Facts, path) or ".".join(path)
        *parents, key = path
        node: Any = data
        for parent in parents:
            node = node.get(parent) if isinstance(node, CommentedMap) else None
        if isinstance(node, CommentedMap) and node.get(key) is not None:
            node[key] = None
            _note(node, key, f"待补充：{name}")
            rolled.cleared.append(name)


def _note(node: CommentedMap, key: str, text: str) -> None:
    """An end-of-line comment after `key`, keeping the comment lines that follow it."""
    slots = node.ca.items.get(key)
    token = slots[2] if slots and len(slots) > 2 else None
    if token is None:
        node.yaml_add_eol_comment(f"# {text}", key)
        return
    # The token holds the rest of the line (an old end-of-line comment, replaced) and the
    # blank and comment lines below it (kept).
    _, newline, below = token.value.partition("\n")
    token.value = f" # {text}{newline}{below}"


def _tag_notices(notices: Any) -> int:
    """Tag the issuer, title and 文号 of each cited document (`notices:`), as the single
    notice's issuer is: a list mixes this year's notice with standing documents (a 评价实施
    方案), so each is kept for review rather than emptied. `number: false` (no 文号) and
    `quoted` stay as written. Returns how many values were tagged."""
    if not isinstance(notices, CommentedSeq):
        return 0
    count = 0
    for notice in notices:
        if not isinstance(notice, CommentedMap):
            continue
        for key in NOTICE_KEYS:
            value = notice.get(key)
            if isinstance(value, str) and value.strip():
                notice[key] = _tag(value)
                count += 1
    return count


def _roll_metric(node: Any, metric: Metric) -> Any:
    """Last year's value becomes `previous`; the value itself stays, tagged, until updated."""
    if isinstance(node, TaggedScalar):  # a whole metric tagged by hand: treat as untagged
        node = untagged(node)
    if not isinstance(node, CommentedMap):
        mapping = CommentedMap()
        number, unit = number_and_unit(node)
        mapping["value"] = _tag(number)
        if unit:
            mapping["unit"] = unit
        mapping["previous"] = _previous(number)
        mapping.fa.set_flow_style()
        return mapping
    if metric.ratio is not None or metric.sum is not None:
        # The computed value is last year's; this year's follows from the inputs.
        node.pop("value", None)
        _set_after(node, "previous", yaml_number(_text(metric.number)),
                   "ratio" if metric.ratio is not None else "sum")
        return node
    value = node.get("value")
    if isinstance(value, TaggedScalar):
        value = untagged(value)
    _set_after(node, "previous", _previous(value), "value")
    node["value"] = _tag(value)
    return node


def _previous(value: Any) -> Any:
    """Last year's value as `previous`: the number as typed, untagged."""
    if isinstance(value, str) and "," in value:
        return SingleQuotedScalarString(value)
    return yaml_number(value) if isinstance(value, str) else value


def _text(value: Decimal) -> str:
    return f"{value:f}"


def _set_after(mapping: CommentedMap, key: str, value: Any, after: str) -> None:
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping)
    position = keys.index(after) + 1 if after in keys else len(keys)
    mapping.insert(position, key, value)


def _tag_prose(node: Any) -> tuple[Any, int]:
    """Tag every string of a prose section, and each indicator's score; count them."""
    if isinstance(node, CommentedMap):
        count = 0
        for key in list(node):
            if key == "score" and isinstance(node[key], CommentedMap):
                node[key] = _tag(node[key])
                count += 1
            else:
                node[key], added = _tag_prose(node[key])
                count += added
        return node, count
    if isinstance(node, CommentedSeq):
        count = 0
        for index in range(len(node)):
            node[index], added = _tag_prose(node[index])
            count += added
        return node, count
    if isinstance(node, TaggedScalar):
        return node, 1 if _is_stale(node) else 0
    if isinstance(node, str):
        return _tag(node), 1
    return node, 0


def _tag(node: Any) -> Any:
    """The node tagged `!stale` (a node already tagged stays as it is)."""
    if isinstance(node, (CommentedMap, CommentedSeq)):
        node.yaml_set_ctag(Tag(suffix=STALE_TAG))
        return node
    if isinstance(node, TaggedScalar):
        return node
    if isinstance(node, str):
        return TaggedScalar(value=str(node), style=_STYLES.get(type(node)), tag=STALE_TAG)
    return TaggedScalar(value=_scalar_text(node), style=None, tag=STALE_TAG)


def _is_stale(node: TaggedScalar) -> bool:
    return str(node.tag) == STALE_TAG or getattr(node.tag, "value", None) == STALE_TAG


def _scalar_text(value: Any) -> str:
    """A number as the round-trip dumper writes it (keeps 18.30, 1_000 …)."""
    out = io.StringIO()
    YAML().dump(value, out)
    return out.getvalue().splitlines()[0]
