"""Plain paragraphs → the outline of a report. No Word here: only text and the few marks of
look a reader passes on (source.py).

A report reads: title (one to three lines), maybe the 落款 under it, the 主送机关 ending in
"：", opening paragraphs, numbered parts 一、 with their items （一） 1. （1）, maybe a closing
paragraph, then the 落款 and its date. Each decision that is not certain (a heading without
a number, a number out of sequence, text outside the report) becomes a Note: nothing is
guessed silently and no text is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter import typography
from drafter.facts.models import DATE_TEXT
from drafter.reading.headings import INDENT, TypedNumber, typed_number
from drafter.reading.outline import Node, Note, Outline, Para
from drafter.reading.scores import split_score
from drafter.reading.source import SourceDocument, SourceParagraph

_ISO_DATE = re.compile(r"^\s*(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*$")
_ISSUER_END = re.compile(r"(人民政府|政府|委员会|办公室|督导室|教育局|教育厅|局|厅|委)$")
_SENTENCE_END = "。！？"
_CLOSING_START = re.compile(r"^(今后|总之|下一步，|在今后|展望未来|我们将|我区将|我县将|我市将)")
_TITLE_WORD = "报告"
_MAX_TITLE_LINES = 3
_MAX_HEADING = 100  # a level-1/2 "heading" longer than this with a full stop inside is prose


@dataclass
class _Line:
    text: str
    source: int
    look: SourceParagraph


def is_date(text: str) -> bool:
    return bool(DATE_TEXT.match(text) or _ISO_DATE.match(text))


def date_text(text: str) -> str:
    """A date as the facts file takes it: 2022-12-13 → 2022年12月13日."""
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return f"{year}年{month}月{day}日"
    return re.sub(r"\s+", "", text)


def is_issuer(text: str) -> bool:
    return len(text) <= 40 and not re.search(r"[，。；：、,;:]", text) and bool(
        _ISSUER_END.search(text)
    )


def recognise(doc: SourceDocument) -> Outline:
    notes: list[Note] = []
    lines, traditional = _prepare(doc.paragraphs, notes)
    outline = Outline(title=[], sections=[], notes=notes, traditional=traditional)
    start, end = _front(lines, outline), _back(lines, outline)
    body = lines[start:end]
    expected = _build(body, outline)
    _closing(outline)
    front = [p.text for p in outline.title]
    signature = [p.text for p in (outline.issuer, outline.date) if p is not None]
    if outline.signature_at == "top":
        front += signature
    if outline.addressee is not None:
        front.append(outline.addressee.text + "：")
    outline.lines = front + expected
    if outline.signature_at == "bottom":
        outline.lines += signature
    return outline


# ---------------------------------------------------------------- paragraphs


def _prepare(paragraphs: list[SourceParagraph], notes: list[Note]) -> tuple[list[_Line], bool]:
    """Clean texts: indents typed as spaces go, soft line breaks join (or split a heading
    from its body), Traditional characters become Simplified, punctuation full-width."""
    text = "\n".join(p.text for p in paragraphs)
    traditional = typography.may_be_traditional(text) and (
        len(typography.traditional_characters(text)) >= 10
    )
    if traditional:
        notes.append(Note("原文为繁体字，已转换为简体字（并删去转换残留的拼音），请核对"))
    out: list[_Line] = []
    for p in paragraphs:
        pieces = [s.strip(INDENT) for s in p.text.split("\n")]
        pieces = [s for s in pieces if s]
        merged: list[str] = []
        for piece in pieces:
            # A soft break after a heading or before a date starts a paragraph of its own.
            if merged and (_standalone(merged[-1]) or is_date(piece) or _standalone(piece)):
                merged.append(piece)
            elif merged:
                merged[-1] += piece
            else:
                merged.append(piece)
        for piece in merged:
            if traditional:
                piece = typography.to_simplified(piece)
            out.append(_Line(typography.normalise(piece.strip()), p.number, p))
    return [line for line in out if line.text], traditional


def _standalone(text: str) -> bool:
    """A short numbered heading line with no sentence in it."""
    number = typed_number(text)
    return (
        number is not None and number.level <= 4 and len(text) <= 40
        and not any(c in text[:-1] for c in _SENTENCE_END)
    )  # fmt: skip


# ---------------------------------------------------------------- title, 落款


def _short_line(line: _Line) -> bool:
    return len(line.text) <= 40 and not re.search(r"[，。；：,;:]", line.text)


def _front(lines: list[_Line], outline: Outline) -> int:
    """Title, 落款 under it, addressee; returns where the body starts."""
    title_end = next(
        (i for i, line in enumerate(lines[:20])
         if _short_line(line) and line.text.endswith(_TITLE_WORD)),
        None,
    )  # fmt: skip
    if title_end is None:
        # No line ends in 报告: the first line if it looks like a title.
        if lines and _short_line(lines[0]) and typed_number(lines[0].text) is None:
            title_end = 0
            outline.notes.append(Note("标题不以“报告”结尾，已把第一段作为标题，请核对",
                                      lines[0].source))
        else:
            outline.notes.append(Note("没有找到报告标题"))
            return _addressee(lines, 0, outline)
    start = title_end
    while (
        start > 0 and title_end - start + 1 < _MAX_TITLE_LINES and _short_line(lines[start - 1])
        and not is_issuer(lines[start - 1].text) and not is_date(lines[start - 1].text)
    ):  # fmt: skip
        start -= 1
    outline.outside.extend(Para(line.text, line.source) for line in lines[:start])
    if start:
        outline.notes.append(Note(f"标题之前的 {start} 段不是报告正文（如网页栏目），未导入",
                                  lines[0].source))
    outline.title = [Para(line.text, line.source) for line in lines[start : title_end + 1]]
    at = title_end + 1
    if at + 1 < len(lines) and is_issuer(lines[at].text) and is_date(lines[at + 1].text):
        outline.issuer = Para(lines[at].text, lines[at].source)
        outline.date = Para(date_text(lines[at + 1].text), lines[at + 1].source)
        outline.signature_at = "top"
        at += 2
    return _addressee(lines, at, outline)


def _addressee(lines: list[_Line], at: int, outline: Outline) -> int:
    if at < len(lines):
        text = lines[at].text
        if len(text) <= 50 and text[-1] in "：:" and "。" not in text and not typed_number(text):
            outline.addressee = Para(text.rstrip("：:"), lines[at].source)
            return at + 1
    return at


def _back(lines: list[_Line], outline: Outline) -> int:
    """The 落款 and date at the end (unless they stand under the title)."""
    end = len(lines)
    if outline.signature_at == "top" or end == 0:
        return end
    if is_date(lines[end - 1].text):
        outline.date = Para(date_text(lines[end - 1].text), lines[end - 1].source)
        end -= 1
        if end > 0 and is_issuer(lines[end - 1].text):
            outline.issuer = Para(lines[end - 1].text, lines[end - 1].source)
            end -= 1
        else:
            outline.notes.append(Note("成文日期前没有落款（发文机关署名），将用区县政府名称"))
    else:
        outline.notes.append(Note("报告末尾没有成文日期"))
    return end


# ---------------------------------------------------------------- headings


@dataclass
class _Heading:
    node: Node
    body: str  # the run-in body, "" when the heading stands alone


def _classify(line: _Line, depth: int) -> _Heading | None:
    """The heading this line is (with its run-in body), or None for body text."""
    text, look = line.text, line.look
    number = typed_number(text)
    if number is None and look.auto_number:
        number = typed_number(look.auto_number + text)
    if number is not None and number.level <= 4:
        return _numbered(line, number)
    if number is not None:
        return None  # ① lists stay in the prose
    # No number: a heading only by its look (a heading style, or emphasis throughout).
    lead = _lead(line)
    if look.outline_level is not None and 1 <= look.outline_level <= 4 and lead is None:
        level = look.outline_level
    elif look.emphasised and lead is None and len(text) <= 60 and text[-1] not in "。；：":
        level = {"heiti": 1, "kaiti": 2, "bold": min(depth + 1, 3)}.get(look.lead_emphasis, 0)
        if not level:
            return None
    elif lead is not None:
        title, body = lead
        return _Heading(Node(3, _title(title, 3), line.source, run_in=True), body)
    else:
        return None
    title, score = split_score(text)
    return _Heading(Node(level, _title(title, level), line.source, score=score), "")


def _lead(line: _Line) -> tuple[str, str] | None:
    """A run-in heading set off only by its look: an emphasised first sentence."""
    look = line.look
    raw = look.text.lstrip(INDENT)
    skipped = len(look.text) - len(raw)
    chars = look.lead_chars - skipped
    if look.lead_emphasis in ("", "title") or chars <= 1 or chars >= len(raw):
        return None
    lead = typography.normalise(raw[:chars].strip())
    if not line.text.startswith(lead) or lead[-1] not in _SENTENCE_END + "：:":
        return None
    return lead, line.text[len(lead):].lstrip()


def _numbered(line: _Line, number: TypedNumber) -> _Heading | None:
    rest = number.rest
    level = number.level
    title, score = split_score(rest)
    body = ""
    if score is None:
        lead = _lead(line) if level >= 3 else None
        if lead is not None and lead[0].startswith(number.typed.strip()):
            title = lead[0][len(number.typed.strip()):].strip()
            body = lead[1]
        elif level >= 3:
            cut = next((i for i, c in enumerate(rest) if c in _SENTENCE_END), None)
            if cut is not None and cut < len(rest) - 1:
                title, body = rest[: cut + 1], rest[cut + 1 :].lstrip()
        elif len(rest) > _MAX_HEADING and any(c in rest[:-1] for c in _SENTENCE_END):
            return None
    node = Node(level, _title(title, level), line.source, number.canonical, number.value,
                run_in=bool(body), score=score)
    return _Heading(node, body)


def _title(text: str, level: int) -> str:
    """The heading text as facts hold it: levels 3–4 drop the 。 the template adds back."""
    text = text.strip()
    if level >= 3 and text.endswith("。"):
        text = text[:-1]
    return text


def _build(lines: list[_Line], outline: Outline) -> list[str]:
    """The sections and their items; returns the body lines as drafter would number them."""
    headings = [_classify(line, 0) for line in lines]
    levels = [h.node.level for h in headings if h is not None]
    shift = min(levels) - 1 if levels and 1 not in levels else 0
    if shift:
        outline.notes.append(Note("报告没有一级标题（一、），已把最高一级的标题作为一级标题，"
                                  "起草时的序号会相应改变"))
    stack: list[Node] = []
    counts: dict[int, int] = {}  # last number seen per level, across the whole report
    expected = []
    for line, heading in zip(lines, headings, strict=False):
        expected.append(_numbered_text(line) if heading and heading.node.number else line.text)
        if heading is None:
            para = Para(line.text, line.source)
            (stack[-1].body if stack else outline.preamble).append(para)
            continue
        node = heading.node
        node.level -= shift
        if node.level == 1 or not outline.sections:
            if node.level != 1:
                outline.notes.append(Note(f"“{node.title}”之前没有一级标题", node.source))
                node.level = 1
            outline.sections.append(node)
            stack = [node]
        else:
            while stack and stack[-1].level >= node.level:
                stack.pop()
            parent = stack[-1] if stack else outline.sections[-1]
            if node.level > parent.level + 1 and parent.level != 1:
                outline.notes.append(Note(f"“{node.title}”的层级跳过了一级", node.source))
            parent.children.append(node)
            stack.append(node)
        _check_number(node, stack, counts, outline)
        if not node.number:
            outline.notes.append(Note(f"标题“{node.title}”原文没有序号，起草时将自动编号",
                                      node.source))
        if heading.body:
            node.body.append(Para(heading.body, line.source))
    return expected


def _numbered_text(line: _Line) -> str:
    """The line with its typed (or automatic) number in drafter's form: (一) → （一）."""
    number = typed_number(line.text) or typed_number(line.look.auto_number + line.text)
    return line.text if number is None else number.canonical + number.rest


def _check_number(node: Node, stack: list[Node], counts: dict[int, int], outline: Outline) -> None:
    if node.value is None:
        return
    siblings = stack[-2].children if len(stack) > 1 else outline.sections
    typed = [n.value for n in siblings[:-1] if n.value is not None]
    expected = {1, (typed[-1] + 1) if typed else 1, counts.get(node.level, 0) + 1}
    if node.value not in expected:
        outline.notes.append(Note(f"序号“{node.number}”与前后不连续", node.source))
    counts[node.level] = node.value
    for lower in range(node.level + 1, 6):
        if node.level == 1:
            counts.pop(lower, None)


def _closing(outline: Outline) -> None:
    """A closing paragraph after the last part (今后，我区将……) belongs to no section."""
    if not outline.sections:
        return
    last = outline.sections[-1].walk()[-1]
    if len(last.body) >= 2 and _CLOSING_START.match(last.body[-1].text):
        outline.closing.append(last.body.pop())
