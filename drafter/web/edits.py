"""The page's edits of a facts file, as text → text, round trip (comments, order, quoting kept).

Built on drafter.reading.facts_edit.FactsEditor (the editor `import --into` uses), addressed
by the Facts model's field paths. What a person edits here they have reviewed, so an edited
fact loses its `!stale` tag, as it does with `import --into`; `untag` removes the tag alone.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq, Tag, TaggedScalar

from drafter.facts.load import STALE_TAG, FieldPath
from drafter.facts.models import Facts, Part
from drafter.reading.facts_edit import FactsEditor, styled
from drafter.web.workspace import WebError
from drafter.yaml_edit import number as _number
from drafter.yaml_edit import number_and_unit as _number_and_unit

PARAGRAPH_KEYS = ("text", "preamble", "closing", "points")
PROSE_KEYS = ("preamble", *(name for name, f in Facts.model_fields.items()
                           if isinstance(f.annotation, type) and issubclass(f.annotation, Part)),
              "closing", "parts")  # fmt: skip


def parse_path(dotted: str) -> FieldPath:
    """`achievements.items.0.title` → ('achievements', 'items', 0, 'title')."""
    if not dotted or len(dotted) > 300:
        raise WebError("缺少要修改的字段")
    parts = dotted.split(".")
    if any(not p or p.startswith("_") for p in parts):
        raise WebError("要修改的字段写法有误，请刷新页面后重试")
    return tuple(int(p) if p.isdigit() else p for p in parts)


class Unreadable(WebError):
    """The facts file is not YAML the round trip can read: report.py says where."""


def _editor(text: str) -> FactsEditor:
    try:
        return FactsEditor(text)
    except Exception:  # ruamel cannot read it round trip
        raise Unreadable(
            "事实文件的 YAML 格式有误，网页无法修改它；请按右侧的错误提示在文件中改正"
        ) from None


def _paragraphs(value: str) -> list[str]:
    return [p.strip() for p in value.replace("\r", "").split("\n") if p.strip()]


def set_text(text: str, path: FieldPath, value: str) -> str:
    """A prose field: one string (a title) or a list of paragraphs (one per line typed)."""
    editor = _editor(text)
    if path[-1] in PARAGRAPH_KEYS:
        if path[-1] == "text" and _is_section(path[:-1]) and editor.locate(path) is None:
            _section_map(editor, path[:-1])  # a part's (or section's) first opening text
        _set_paragraphs(editor, path, _paragraphs(value))
    elif len(path) == 2 and path[0] == "headings":
        _set_heading(editor, str(path[1]), " ".join(value.split()))
    else:
        value = " ".join(value.split())
        missing = editor.locate(path) is None  # only then may a key be added
        if not editor.set_text(path, value) and not (missing and editor.set_value(path, value)):
            raise WebError("这个字段不是一段文字，或不在事实文件中，无法在网页上修改")
    return editor.dump()


def _is_section(path: FieldPath) -> bool:
    """A section of the Facts model whose facts are a Part, or a part under `parts:`."""
    if len(path) == 2 and path[0] == "parts":
        return isinstance(path[1], str)
    field = Facts.model_fields.get(str(path[0])) if len(path) == 1 else None
    return field is not None and isinstance(field.annotation, type) and \
        issubclass(field.annotation, Part)


def _top_map(editor: FactsEditor, key: str) -> CommentedMap:
    """The top-level mapping `key` (`parts`, `headings`), added before the prose when missing."""
    node = editor.data.get(key)
    if isinstance(node, CommentedMap):
        return node
    if node is not None:
        raise WebError(f"事实文件中的 {key} 不是“名称: 内容”的形式，请在“直接编辑文件”中改正")
    keys = list(editor.data)
    prose = [i for i, k in enumerate(keys) if k in PROSE_KEYS]
    at = prose[0] if prose and key == "headings" else len(keys)
    editor.data.insert(at, key, CommentedMap())
    editor.changed = True
    return editor.data[key]


def _section_map(editor: FactsEditor, path: FieldPath) -> CommentedMap:
    """A section's (or part's) facts as a mapping: added when missing, its short forms (a
    bare list of items or of paragraphs, one string) spelled out as `items:` or `text:`."""
    owner = editor.data if len(path) == 1 else _top_map(editor, "parts")
    key = path[-1]
    node = owner.get(key)
    if isinstance(node, CommentedMap):
        return node
    if node is None or (isinstance(node, CommentedSeq) and not node):
        mapping = CommentedMap()
    elif isinstance(node, CommentedSeq):
        prose = all(isinstance(v, (str, TaggedScalar)) for v in node)
        mapping = CommentedMap([("text" if prose else "items", node)])
    elif isinstance(node, (str, TaggedScalar)):
        mapping = CommentedMap([("text", node)])
    else:
        raise WebError("这一部分的写法网页无法修改，请在“直接编辑文件”中修改")
    owner[key] = mapping
    editor.changed = True
    return mapping


def _set_heading(editor: FactsEditor, section: str, value: str) -> None:
    """`headings.<部分编号>`: the heading the profile gives a section, overridden; cleared,
    the profile's heading comes back."""
    if not value:
        headings = editor.data.get("headings")
        if isinstance(headings, CommentedMap) and section in headings:
            del headings[section]
            if not headings:
                del editor.data["headings"]
            editor.changed = True
        return
    headings = _top_map(editor, "headings")
    headings[section] = styled(headings.get(section), value, bool(headings.fa.flow_style()))
    editor.changed = True


def _set_paragraphs(editor: FactsEditor, path: FieldPath, paragraphs: list[str]) -> None:
    found = editor.locate(path)
    node = None if found is None else found[0][found[1]]
    if isinstance(node, (str, TaggedScalar)) and len(paragraphs) <= 1:
        editor.set_text(path, paragraphs[0] if paragraphs else "")
        return
    seq = editor.paragraph_list(path, create=True)
    if seq is None:
        if path[-1] == "points" or not editor.set_value(path, CommentedSeq()):
            raise WebError("这个字段不在事实文件中，无法在网页上修改")
        seq = editor.paragraph_list(path)
        assert seq is not None
    flow = bool(seq.fa.flow_style())
    for index, paragraph in enumerate(paragraphs):
        if index < len(seq):
            seq[index] = styled(seq[index], paragraph, flow)
        else:
            seq.append(styled(None, paragraph, flow))
    del seq[len(paragraphs):]
    editor.changed = True


def number_text(value: str, what: str) -> str:
    cleaned = value.strip().replace("，", ",")
    try:
        Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        raise WebError(f"{what}“{value.strip()[:20]}”不是数值，请只填数字（如 91.5）") from None
    return cleaned


def set_metric(text: str, name: str, values: dict[str, str]) -> str:
    """This year's value, last year's value and/or the unit of one metric, in one edit;
    a field the form left as the file says is not touched."""
    if not set(values) <= {"value", "previous", "unit"}:
        raise WebError("只能修改指标的本年数值、上年数值和单位")
    editor = _editor(text)
    if editor.get(("metrics", name)) is None:
        raise WebError(f"事实文件中没有指标“{name}”")
    for field, value in values.items():
        node = editor.get(("metrics", name))
        if _same(node, field, value):
            continue
        _set_metric_field(editor, name, node, field, value)
    return editor.dump()


def _set_metric_field(editor: FactsEditor, name: str, node: Any, field: str, value: str) -> None:
    if isinstance(node, str) and field == "value" and value.strip():
        _, unit = _number_and_unit(node)  # a short form `91.5%` stays short
        number = number_text(value, "本年数值")
        editor.set_value(("metrics", name), styled(node, f"{number}{unit}", True))
        return
    if not isinstance(node, CommentedMap):
        node = _as_mapping(editor, name, node)
    if field == "unit":
        node["unit"] = value.strip()
    elif not value.strip():
        if field == "value":
            raise WebError("本年数值不能为空")
        node.pop("previous", None)
    else:
        if ("ratio" in node or "sum" in node) and field == "value":
            raise WebError(f"指标“{name}”由其他指标计算得出，请修改参与计算的指标")
        number = number_text(value, "本年数值" if field == "value" else "上年数值")
        editor.set_number(("metrics", name, field), number)
    editor.changed = True


def _same(node: Any, field: str, value: str) -> bool:
    """Whether the form's value is what the file already says."""
    if isinstance(node, TaggedScalar):
        return False  # tagged whole: saving it is reviewing it
    if isinstance(node, CommentedMap):
        current = node.get(field)
        if isinstance(current, TaggedScalar):
            return False
    else:
        number, unit = _number_and_unit(str(node) if isinstance(node, str) else node)
        current = {"value": number, "unit": unit}.get(field)
    if field == "unit":
        return str(current or "") == value.strip()
    try:
        typed = Decimal(value.strip().replace(",", "").replace("，", "")) if value.strip() else None
        old = Decimal(str(current).replace(",", "")) if current is not None else None
    except InvalidOperation:
        return False
    return typed == old


def _as_mapping(editor: FactsEditor, name: str, node: Any) -> CommentedMap:
    """`学前三年毛入园率: 124.6%` → `{value: 124.6, unit: '%'}`, to take a previous value."""
    if isinstance(node, TaggedScalar):
        node = str(node.value)
    number, unit = _number_and_unit(node)
    mapping = CommentedMap()
    mapping["value"] = number
    if unit:
        mapping["unit"] = unit
    mapping.fa.set_flow_style()
    editor.set_value(("metrics", name), mapping)
    return mapping


def set_score(text: str, item: FieldPath, values: dict[str, str]) -> str:
    """A leaf indicator's 分值 (`max`) and/or 自评分 (`self`), in one edit."""
    if not values or not set(values) <= {"max", "self"}:
        raise WebError("只能修改分值和自评分")
    editor = _editor(text)
    score = editor.get((*item, "score"))
    if not isinstance(score, CommentedMap):
        owner = editor.get(item)
        if not isinstance(owner, CommentedMap):
            raise WebError("这个条目不在事实文件中，无法设定分值")
        score = CommentedMap()
        score.fa.set_flow_style()
        owner["score"] = score
    _drop_tag(score)
    for field, value in values.items():
        if value.strip():
            score[field] = _number(number_text(value, "分值" if field == "max" else "自评分"))
        elif field == "self":
            score.pop("self", None)
        else:
            raise WebError("分值不能为空")
    editor.changed = True
    return editor.dump()


def _item_list(editor: FactsEditor, path: FieldPath) -> CommentedSeq:
    if path[-1] == "items" and _is_section(path[:-1]):
        section = _section_map(editor, path[:-1]) if not _bare_items(editor, path) else None
        if section is not None:
            return section.setdefault("items", CommentedSeq())
    seq = editor.get(path)
    if seq is None and path[-1] == "items" and isinstance(editor.get(path[:-1]), CommentedSeq):
        seq = editor.get(path[:-1])  # a section written as a bare list
    if seq is None and path[-1] in ("items", "children"):
        owner = editor.get(path[:-1]) if len(path) > 1 else None
        if owner is None and len(path) == 2:
            owner = editor.data
            if path[0] not in owner:
                owner[path[0]] = CommentedMap()
            owner = owner[path[0]]
        if isinstance(owner, CommentedMap):
            seq = owner.setdefault(path[-1], CommentedSeq())
    if not isinstance(seq, CommentedSeq):
        raise WebError("这里不能添加或移动条目")
    return seq


def _bare_items(editor: FactsEditor, path: FieldPath) -> bool:
    """A section written as a bare list of items (`achievements: [- title: …]`)."""
    node = editor.get(path[:-1])
    return isinstance(node, CommentedSeq) and not all(
        isinstance(v, (str, TaggedScalar)) for v in node) and len(node) > 0


def add_item(text: str, items: FieldPath, after: int) -> str:
    """A new item after index `after` (-1: at the start) of an item list."""
    editor = _editor(text)
    seq = _item_list(editor, items)
    item = CommentedMap()
    item["title"] = "新条目"
    item["text"] = "请在这里填写正文。"
    seq.insert(max(0, min(after + 1, len(seq))), item)
    editor.changed = True
    return editor.dump()


def delete_item(text: str, items: FieldPath, index: int) -> str:
    editor = _editor(text)
    seq = _item_list(editor, items)
    if not 0 <= index < len(seq):
        raise WebError("要删除的条目已不存在，请刷新页面")
    del seq[index]
    editor.changed = True
    return editor.dump()


def move_item(text: str, items: FieldPath, index: int, delta: int) -> str:
    editor = _editor(text)
    seq = _item_list(editor, items)
    target = index + delta
    if not (0 <= index < len(seq) and 0 <= target < len(seq)):
        raise WebError("条目已在最前或最后，不能再移动")
    seq[index], seq[target] = seq[target], seq[index]
    editor.changed = True
    return editor.dump()


def untag(text: str, path: FieldPath) -> str:
    """Mark a carried-over fact reviewed: its `!stale` tag goes, its value stays."""
    editor = _editor(text)
    found = editor.locate(path) if path else None
    if found is None:
        raise WebError("这一项已不在事实文件中，请刷新页面")
    container, key = found
    node = container[key]
    if isinstance(node, TaggedScalar) and str(getattr(node.tag, "value", node.tag)) == STALE_TAG:
        container[key] = _plain(node)
    elif not _drop_tag(node):
        raise WebError("这一项没有“沿用上年”标记（可能已在别处核对过），请刷新页面")
    editor.changed = True
    return editor.dump()


def _plain(node: TaggedScalar) -> Any:
    """The scalar as typed, untagged: a number stays a number, a folded block stays folded."""
    if node.style is None:
        return _number(str(node.value))
    return styled(node, str(node.value))


def _drop_tag(node: Any) -> bool:
    tag = getattr(node, Tag.attrib, None)
    stale = tag is not None and str(getattr(tag, "value", tag)) == STALE_TAG
    if isinstance(node, (CommentedMap, CommentedSeq)) and stale:
        delattr(node, Tag.attrib)
        return True
    return False
