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
from drafter.reading.frame import Line, back, chrome_like, front, is_date
from drafter.reading.headings import INDENT, TypedNumber, typed_number
from drafter.reading.outline import Node, Note, Outline, Para
from drafter.reading.scores import split_score
from drafter.reading.source import SourceDocument, SourceParagraph

_SENTENCE_END = "。！？"
_CLOSING_START = re.compile(r"^(今后|总之|下一步，|在今后|展望未来|我们将|我区将|我县将|我市将)")
_MAX_HEADING = 100  # a level-1/2 "heading" longer than this with a full stop inside is prose


def recognise(doc: SourceDocument) -> Outline:
    notes: list[Note] = []
    lines, traditional = _prepare(doc.paragraphs, notes)
    outline = Outline(title=[], sections=[], notes=notes, traditional=traditional)
    start, end = front(lines, outline), back(lines, outline)
    body = lines[start:end]
    expected = _build(body, outline)
    _closing(outline)
    head = [p.text for p in outline.title]
    if outline.letter_number is not None:
        head.insert(0, outline.letter_number.text)
    signature = [p.text for p in (outline.issuer, outline.date) if p is not None]
    if outline.signature_at == "top":
        head += signature
    if outline.addressee is not None:
        head.append(outline.addressee.text + "：")
    outline.lines = head + expected
    if outline.signature_at == "bottom":
        outline.lines += signature
    return outline


# ---------------------------------------------------------------- paragraphs


def _prepare(paragraphs: list[SourceParagraph], notes: list[Note]) -> tuple[list[Line], bool]:
    """Clean texts: indents typed as spaces go, soft line breaks join (or split a heading
    from its body), Traditional characters become Simplified, punctuation full-width."""
    text = "\n".join(p.text for p in paragraphs)
    traditional = typography.may_be_traditional(text) and (
        len(typography.traditional_characters(text)) >= 10
    )
    if traditional:
        notes.append(Note("原文为繁体字，已转换为简体字（并删去转换残留的拼音），请核对"))
    out: list[Line] = []
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
            out.append(Line(typography.normalise(piece.strip()), p.number, p))
    return [line for line in out if line.text], traditional


def _standalone(text: str) -> bool:
    """A short numbered heading line with no sentence in it."""
    number = typed_number(text)
    return (
        number is not None and number.level <= 4 and len(text) <= 40
        and not any(c in text[:-1] for c in _SENTENCE_END)
    )  # fmt: skip

# ---------------------------------------------------------------- headings


@dataclass
class _Heading:
    node: Node
    body: str  # the run-in body, "" when the heading stands alone


def _classify(line: Line, depth: int) -> _Heading | None:
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


def _lead(line: Line) -> tuple[str, str] | None:
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


def _numbered(line: Line, number: TypedNumber) -> _Heading | None:
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


def _build(lines: list[Line], outline: Outline) -> list[str]:
    """The sections and their items; returns the body lines as drafter would number them."""
    headings = [_classify(line, 0) for line in lines]
    _unnumbered_parts(lines, headings)
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
        node.full_stop = node.title + "。" in line.text
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


def _unnumbered_parts(lines: list[Line], headings: list[_Heading | None]) -> None:
    """A part whose 一、 was lost (web copies drop it): a short line with no punctuation
    right before a （一）, in a report whose other parts are numbered 二、 …"""
    if not any(h and h.node.level == 1 and h.node.number for h in headings):
        return
    for i, line in enumerate(lines[:-1]):
        following = headings[i + 1]
        if headings[i] is None and following is not None and following.node.level == 2 and (
            following.node.value == 1 and chrome_like(line.text) and "：" not in line.text
        ):
            headings[i] = _Heading(Node(1, line.text, line.source), "")


def _numbered_text(line: Line) -> str:
    """The line with its typed (or automatic) number in drafter's form: (一) → （一）."""
    number = typed_number(line.text) or typed_number(line.look.auto_number + line.text)
    return line.text if number is None else number.canonical + number.rest


def _check_number(node: Node, stack: list[Node], counts: dict[int, int], outline: Outline) -> None:
    if node.value is None:
        return
    siblings = stack[-2].children if len(stack) > 1 else outline.sections
    typed = [n.value for n in siblings[:-1] if n.value is not None]
    # the next number after the last typed one, its place among its siblings (an earlier
    # sibling may have lost its number), or the run across parents (continuous numbering)
    expected = {1, (typed[-1] + 1) if typed else 1, len(siblings), counts.get(node.level, 0) + 1}
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
