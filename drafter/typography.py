"""Chinese typography of drafted text: what a careful 文书 clerk fixes before a report goes out.

Three jobs, kept apart so nothing is changed silently:

- `normalise(text)` fixes what has one right answer: half-width punctuation in Chinese
  context becomes full-width (，：；（）？！“”〈〉……), 文号 years get 〔〕, stray spaces next
  to full-width marks go. Numbers keep their marks: 9,245,154.23元, 91.5%, 10:30, "1."
  heading numbers, 2021-2025 ranges. Gap markers 【待补充：…】 are never touched.
- `check(text)` (drafter/typography_check.py) lists findings: everything `normalise`
  would change (fixable) and what it cannot decide (unbalanced brackets/quotes/书名号, a
  broken 文号, Traditional characters, conversion debris such as 區(qū)). Each finding has
  a Chinese message and an excerpt.
- `to_simplified(text)` (drafter/simplified.py) converts Traditional to Simplified with
  OpenCC and drops the debris; only on request (`drafter lint --to-simplified`, importing
  a Traditional report), never while drafting.

Rules, by mark (a "Chinese neighbour" is the nearest non-space character on either side that
is a 汉字 or a full-width mark; a drafted line is judged as one text, across its spans):
  , : ; ? !   full-width when a neighbour is Chinese; "," and ":" between two digits are kept
              (thousands separator, time, ratio)
  ( )         a matched pair becomes （） when its content or an outer neighbour is Chinese;
              a lone one follows the neighbour rule
  "           pairs (1st opens, 2nd closes …) become “” like parentheses; an odd count is
              reported, not guessed
  < >         a matched pair around Chinese text becomes 〈〉 (a title inside 《》)
  .           after a 汉字 and before the end, a space or Chinese: 。 ("1." and 1.38 kept)
  ... 。。。   after Chinese: ……
  ０-９ ％    full-width digits and percent sign become half-width (GB/T 15835)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from drafter.document import GAP_OPEN, Document, Heading, Line, Paragraph, Span, plain

# The Traditional conversion lives in drafter/simplified.py and the findings in
# drafter/typography_check.py; `typography.check`, `.to_simplified` … work as before.
from drafter.simplified import (
    _DEBRIS,
    CONVERTED_ALONE,
    CONVERTED_IN_PHRASES,
    may_be_traditional,
    to_simplified,
    traditional_characters,
)

Kind = Literal[
    "punctuation", "wenhao", "unbalanced", "broken_wenhao", "traditional", "debris"
]

_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_KEEP_BETWEEN_DIGITS = ",:"
_FULL_WIDTH_MARKS = "，。、；：？！（）《》〈〉“”‘’〔〕【】…"
_SPACE_EATERS = "，。、；：？！"  # spaces next to these are typing slips, not layout
_PAIRS = {"（": "）", "(": ")", "《": "》", "〈": "〉", "“": "”", "‘": "’", "【": "】", "〔": "〕"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_PAIR_NAMES = {
    "（": "括号", "(": "括号", "《": "书名号", "〈": "书名号", "“": "引号", "‘": "引号",
    "【": "方头括号", "〔": "六角括号",
}  # fmt: skip

_GAP_RE = re.compile(re.escape(GAP_OPEN) + r"[^】]*】")
# Jinja code in facts text ({{ m.X }}, {% if %}, {# note #}): never typography, never shown.
JINJA_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９％", "0123456789%")

# 文号: issuer abbreviation (汉字), a 4-digit year in some bracket, then the serial and 号.
_WENHAO_YEAR = re.compile(
    r"(?<=[\u4e00-\u9fff])\s*[(\[（［【﹝〔{｛]\s*((?:19|20)\d{2})\s*[)\]）］】﹞〕}｝]\s*"
    r"(?=第?\d+\s*号)"
)
_BROKEN_WENHAO = (
    (re.compile(r"[〔﹝]\s*\d+(?![\d\s]*[〕﹞])"), "缺少“〕”"),
    (re.compile(r"(?<![〔﹝\d])\d{4}[〕﹞]"), "缺少“〔”"),
    (re.compile(r"[〔﹝](?:\d{1,3}|\d{5,})[〕﹞]"), "年份应为四位数"),
    (re.compile(r"[〔﹝]\d{4}[〕﹞](?!\s*第?\d+\s*号)"), "年份后缺少序号和“号”"),
)
_ELLIPSIS = re.compile(r"\.{3,6}|。{3,6}|(?<!…)…(?!…)")
# A character without which no rule below can apply: most drafted lines have none, and
# skipping them keeps normalising off the drafting time.
_MAY_NEED_EDIT = re.compile(r'[０-９％,:;?!()<>"…\s]|。。。|\.\.|[\u3400-\u9fff]\.')


@dataclass(frozen=True)
class Finding:
    """One typographic problem in a piece of text."""

    kind: Kind
    message: str  # plain Chinese
    start: int  # offset in the checked text
    excerpt: str  # the text around it, so a reader can find it
    fixable: bool  # normalise() (or to_simplified() for Traditional) fixes it

    def __str__(self) -> str:
        return f"{self.message}（“{self.excerpt}”）"


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    new: str
    kind: Kind


def is_chinese(ch: str) -> bool:
    """A 汉字 or a full-width mark: the characters that make a neighbourhood Chinese."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK punctuation 、。〔〕【】, kana, 汉字
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F  # vertical forms ﹝﹞
        or 0xFF00 <= o <= 0xFFEF  # full-width forms ，：（）
        or 0x20000 <= o <= 0x3FFFF
        or ch in "“”‘’…—·"
    )


# ---------------------------------------------------------------- normalising


def normalise(text: str) -> str:
    """`text` with fixable punctuation fixed."""
    return _apply(text, _edits(text))


def normalise_line(line: Line) -> Line:
    """Normalise a line as the one text it reads as, then cut the result back into its spans.

    Marks pair up across spans: "(" + gap + ")" becomes "（" gap "）", and quotes around a
    carried-over (stale) span become “”. Gap spans (【待补充：…】) stay exactly as they are:
    `_protected` keeps every edit off a gap marker. The line keeps its number of spans and
    their kinds (a span may end up empty).
    """
    text = plain(line)
    edits = _edits(text)
    if not edits:
        return line
    out = []
    at = 0
    for span in line:
        end = at + len(span.text)
        pieces, cursor = [], at
        for edit in edits:
            if edit.end <= at or edit.start >= end:
                continue
            if edit.start >= at:  # an edit across spans is written where it starts
                pieces += [text[cursor : edit.start], edit.new]
            cursor = min(edit.end, end)
        pieces.append(text[cursor:end])
        fixed = "".join(pieces)
        out.append(span if fixed == span.text else Span(fixed, span.kind))
        at = end
    return tuple(out)


def normalise_document(doc: Document) -> Document:
    """Every drafted line of `doc` normalised (in place; returned for chaining)."""
    doc.title_lines = [normalise_line(line) for line in doc.title_lines]
    if doc.addressee is not None:
        doc.addressee = normalise_line(doc.addressee)
    for block in doc.blocks:
        if isinstance(block, Heading):
            # heading text and its run-in body read as one sentence: "标题。正文"
            joined = normalise_line((*block.text, *(block.body or ())))
            block.text = joined[: len(block.text)]
            if block.body is not None:
                block.body = joined[len(block.text) :]
        elif isinstance(block, Paragraph):
            block.spans = normalise_line(block.spans)
    doc.issuer = normalise_line(doc.issuer)
    doc.date = normalise_line(doc.date)
    return doc


def _apply(text: str, edits: list[_Edit]) -> str:
    out, at = [], 0
    for edit in edits:
        out.append(text[at : edit.start])
        out.append(edit.new)
        at = edit.end
    out.append(text[at:])
    return "".join(out)


def _edits(text: str) -> list[_Edit]:
    """Every fix normalise() makes, as non-overlapping edits on the original text."""
    if _MAY_NEED_EDIT.search(text) is None and _WENHAO_YEAR.search(text) is None:
        return []
    protected = _protected(text)
    edits: dict[int, _Edit] = {}

    def free(start: int, end: int) -> bool:
        return not any(i in protected or i in edits for i in range(start, end))

    def add(start: int, end: int, new: str, kind: Kind = "punctuation") -> None:
        if text[start:end] != new and free(start, end):
            edits[start] = _Edit(start, end, new, kind)
            protected.update(range(start + 1, end))

    for match in _WENHAO_YEAR.finditer(text):
        add(match.start(), match.end(), f"〔{match.group(1)}〕", "wenhao")
    for i, ch in enumerate(text):
        if ch in "０１２３４５６７８９％":
            add(i, i + 1, ch.translate(_FULLWIDTH_DIGITS))

    effective = _Effective(text, edits)
    for match in _ELLIPSIS.finditer(text):
        if effective.chinese_prev(match.start()) or effective.chinese_next(match.end()):
            add(match.start(), match.end(), "……")
    for open_, close, new_open, new_close in (("(", ")", "（", "）"), ("<", ">", "〈", "〉")):
        lone: list[int] = []
        for start, end in _matched(text, open_, close, protected, lone):
            inner = text[start + 1 : end]
            chinese = any(is_chinese(c) for c in inner)
            if open_ == "(":
                chinese = chinese or effective.chinese_prev(start)
                chinese = chinese or effective.chinese_next(end + 1)
            elif open_ == "<" and re.search("[<>]", inner):
                continue
            if chinese:
                add(start, start + 1, new_open)
                add(end, end + 1, new_close)
        if open_ == "(":
            for i in lone:
                if effective.chinese_prev(i) or effective.chinese_next(i + 1):
                    add(i, i + 1, _HALF_TO_FULL[text[i]])
    quotes = [i for i, c in enumerate(text) if c == '"' and i not in protected]
    if len(quotes) % 2 == 0:
        for start, end in zip(quotes[::2], quotes[1::2], strict=True):
            inner = text[start + 1 : end]
            if (
                any(is_chinese(c) for c in inner)
                or effective.chinese_prev(start)
                or effective.chinese_next(end + 1)
            ):
                add(start, start + 1, "“")
                add(end, end + 1, "”")
    for i, ch in enumerate(text):
        if i in protected or i in edits:
            continue
        if ch in ",:;?!":
            if ch in _KEEP_BETWEEN_DIGITS and _digit_at(text, i - 1) and _digit_at(text, i + 1):
                continue
            if effective.chinese_prev(i) or effective.chinese_next(i + 1):
                add(i, i + 1, _HALF_TO_FULL[ch])
        elif ch == "." and i > 0 and "\u3400" <= text[i - 1] <= "\u9fff":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if not nxt or nxt.isspace() or is_chinese(nxt):
                add(i, i + 1, "。")
    # spaces typed next to a full-width mark ("。 2019年", "时间: 2020" → "时间：2020")
    for match in re.finditer(r"(?<=\S)[ \t\u3000]+(?=\S)", text):
        start, end = match.start(), match.end()
        left, right = effective.char(start - 1), effective.char(end)
        if left in _SPACE_EATERS or right in _SPACE_EATERS:
            add(start, end, "")
    return sorted(edits.values(), key=lambda e: e.start)


class _Effective:
    """The text as it will read after the edits decided so far (for neighbour tests)."""

    def __init__(self, text: str, edits: dict[int, _Edit]) -> None:
        self.text, self.edits = text, edits

    def char(self, i: int) -> str:
        edit = self.edits.get(i)
        if edit is not None:
            return edit.new[:1]
        return self.text[i] if 0 <= i < len(self.text) else ""

    def chinese_prev(self, i: int) -> bool:
        j = i - 1
        while j >= 0 and self.text[j].isspace():
            j -= 1
        return j >= 0 and is_chinese(self.char(j) or self.text[j])

    def chinese_next(self, i: int) -> bool:
        j = i
        while j < len(self.text) and self.text[j].isspace():
            j += 1
        return j < len(self.text) and is_chinese(self.char(j) or self.text[j])


def _digit_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isdigit()


def _protected(text: str) -> set[int]:
    """Offsets never edited: gap markers, Jinja code in facts, pinyin debris (reported)."""
    matches = [*_GAP_RE.finditer(text), *JINJA_RE.finditer(text), *_DEBRIS.finditer(text)]
    return {i for m in matches for i in range(m.start(), m.end())}


def _matched(
    text: str, open_: str, close: str, skip: set[int], lone: list[int]
) -> Iterator[tuple[int, int]]:
    """Matched (open, close) offsets, innermost first; unmatched ones are added to `lone`."""
    stack: list[int] = []
    for i, ch in enumerate(text):
        if i in skip:
            continue
        if ch == open_:
            stack.append(i)
        elif ch == close:
            if stack:
                yield stack.pop(), i
            else:
                lone.append(i)
    lone.extend(stack)


def check(text: str) -> list[Finding]:
    """Every typographic finding in `text`, in text order (drafter/typography_check.py)."""
    from drafter.typography_check import check as findings  # it builds on this module

    return findings(text)


__all__ = [
    "CONVERTED_ALONE", "CONVERTED_IN_PHRASES", "check", "may_be_traditional", "to_simplified",
    "traditional_characters",
]
