"""Chinese typography of drafted text: what a careful 文书 clerk fixes before a report goes out.

Three jobs, kept apart so nothing is changed silently:

- `normalise(text)` fixes what has one right answer: half-width punctuation in Chinese
  context becomes full-width (，：；（）？！“”〈〉……), 文号 years get 〔〕, stray spaces next
  to full-width marks go. Numbers keep their marks: 9,245,154.23元, 91.5%, 10:30, "1."
  heading numbers, 2021-2025 ranges. Gap markers 【待补充：…】 are never touched.
- `check(text)` lists findings: everything `normalise` would change (fixable) and what it
  cannot decide (unbalanced brackets/quotes/书名号, a broken 文号, Traditional characters,
  conversion debris such as 區(qū)). Each finding has a Chinese message and an excerpt.
- `to_simplified(text)` converts Traditional to Simplified with OpenCC and drops the debris;
  only on request (`drafter lint --to-simplified`), never while drafting.

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

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from drafter.document import GAP_OPEN, Document, Heading, Line, Paragraph, Span, plain

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

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# Debris of a Traditional↔Simplified conversion tool: a 汉字 followed by its pinyin, 區(qū).
_DEBRIS = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（]([a-zü]*[{_TONED}][a-zü{_TONED}]*)[)）]"
)


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


# ---------------------------------------------------------------- checking


def check(text: str) -> list[Finding]:
    """Every typographic finding in `text`, in text order."""
    findings = [_fix_finding(text, e) for e in _edits(text)]
    broken = list(_broken_wenhao(text))
    findings += [finding for finding, _ in broken]
    taken = {i for finding, end in broken for i in range(finding.start, end)}
    findings += [f for f in _unbalanced(text) if f.start not in taken]
    findings += _debris(text)
    findings += _traditional(text)
    return sorted(findings, key=lambda f: (f.start, f.kind))


def _excerpt(text: str, start: int, end: int, width: int = 8) -> str:
    left = max(0, start - width)
    return text[left : end + width].replace("\n", " ")


def _fix_finding(text: str, edit: _Edit) -> Finding:
    old = text[edit.start : edit.end]
    if edit.kind == "wenhao":
        message = f"文号年份应使用六角括号“〔〕”：“{old.strip()}”应为“{edit.new}”"
    elif not edit.new:
        message = "全角标点旁多了空格"
    elif old.isdigit() or old == "％":
        message = f"数字和百分号应为半角：“{old}”应为“{edit.new}”"
    else:
        message = f"中文里的半角标点“{old}”应为全角“{edit.new}”"
    return Finding(edit.kind, message, edit.start, _excerpt(text, edit.start, edit.end), True)


def _broken_wenhao(text: str) -> Iterator[tuple[Finding, int]]:
    """Findings with the end of what they cover (its brackets are not reported again)."""
    seen: set[int] = set()
    for pattern, why in _BROKEN_WENHAO:
        for match in pattern.finditer(text):
            if match.start() in seen:
                continue
            seen.add(match.start())
            # show the issuer abbreviation before it and the serial after it
            head = re.search(r"[\u4e00-\u9fff]{0,8}$", text[: match.start()])
            left = head.start() if head else match.start()
            tail = re.match(r"[\d\s]*号?", text[match.end() :])
            right = match.end() + (tail.end() if tail else 0)
            finding = Finding(
                "broken_wenhao",
                f"文号不完整（{why}）：“{text[left:right]}”；文号应写作“机关代字〔年份〕序号号”，"
                "如“渝府教督发〔2022〕5号”，请核对原文",
                match.start(), _excerpt(text, match.start(), match.end()), False,
            )  # fmt: skip
            yield finding, match.end()


def _unbalanced(text: str) -> Iterator[Finding]:
    protected = _protected(text)
    stack: list[int] = []
    crossed: list[str] = []  # openers already reported as crossed: their closer comes later
    for i, ch in enumerate(text):
        if i in protected:
            continue
        if ch in _PAIRS:
            stack.append(i)
        elif ch in _CLOSERS:
            opener = _CLOSERS[ch]
            if ch == "’" and i > 0 and text[i - 1].isascii() and text[i - 1].isalpha():
                continue  # an English apostrophe (Children’s)
            if stack and text[stack[-1]] == opener:
                stack.pop()
            elif opener in (text[j] for j in stack):
                # crossed pairs: （…“…）…” — report the inner one once
                while text[stack[-1]] != opener:
                    j = stack.pop()
                    crossed.append(text[j])
                    yield _open_finding(text, j)
                stack.pop()
            elif opener in crossed:
                crossed.remove(opener)
            else:
                yield Finding(
                    "unbalanced",
                    f"{_PAIR_NAMES[opener]}不成对：{_mark(ch)}前面没有对应的{_mark(opener)}",
                    i, _excerpt(text, i, i + 1), False,
                )  # fmt: skip
    for j in stack:
        yield _open_finding(text, j)
    quotes = [i for i, c in enumerate(text) if c == '"' and i not in protected]
    if len(quotes) % 2:
        yield Finding(
            "unbalanced", "半角引号“\"”的个数为单数，无法判断哪个是前引号、哪个是后引号",
            quotes[-1], _excerpt(text, quotes[-1], quotes[-1] + 1), False,
        )  # fmt: skip


def _mark(ch: str) -> str:
    """A mark named in a message: quotes by name (““”” is unreadable), others quoted."""
    names = {"“": "前引号“", "”": "后引号”", "‘": "前引号‘", "’": "后引号’"}
    return names.get(ch, f"“{ch}”")


def _open_finding(text: str, i: int) -> Finding:
    opener = text[i]
    return Finding(
        "unbalanced",
        f"{_PAIR_NAMES[opener]}不成对：{_mark(opener)}后面没有对应的{_mark(_PAIRS[opener])}",
        i, _excerpt(text, i, i + 1), False,
    )  # fmt: skip


def _debris(text: str) -> list[Finding]:
    matches = list(_DEBRIS.finditer(text))
    if not matches:
        return []
    examples = "、".join(dict.fromkeys(text[m.start() - 1 : m.end()] for m in matches))
    return [
        Finding(
            "debris",
            f"有{len(matches)}处繁简转换残留的拼音，如“{_first(examples)}”"
            "（可用 drafter lint --to-simplified 去除）",
            matches[0].start(),
            _excerpt(text, matches[0].start(), matches[0].end()),
            False,
        )
    ]


def _traditional(text: str) -> list[Finding]:
    pairs = traditional_characters(text)
    if not pairs:
        return []
    examples = "、".join(dict.fromkeys(f"{t}→{s}" for _, t, s in pairs))
    start = pairs[0][0]
    return [
        Finding(
            "traditional",
            f"有{len(pairs)}个繁体字，如“{_first(examples)}”"
            "（可用 drafter lint --to-simplified 转为简体）",
            start,
            _excerpt(text, start, start + 1),
            False,
        )
    ]


def _first(examples: str, n: int = 5) -> str:
    parts = examples.split("、")
    return "、".join(parts[:n]) + ("等" if len(parts) > n else "")


# ---------------------------------------------------------------- Traditional → Simplified


# What OpenCC's t2s dictionaries can change in text made of GB 2312 characters (the common
# simplified set; nothing below U+3400 is ever changed): a few Traditional forms GB 2312
# also holds (後, 於, 乾 …), converted wherever they stand, and a few characters converted
# only inside a phrase (反覆 → 反复; 覆盖 is left alone). Text with none of them needs no
# OpenCC, whose loading (10 ms warm, ~40 ms from a cold disk) every `drafter draft` would
# pay for its typography notes. Taken from OpenCC 1.4; tests/test_typography.py checks them
# against the installed dictionaries.
CONVERTED_ALONE = frozenset("乾吒夥後徵拚捱摺於榘菸薹袷醣麴麽")
CONVERTED_IN_PHRASES = (
    "一坏", "凌藉", "函覆", "反覆", "回覆", "土坏", "坏土", "坏子", "坏布", "墨沈沈", "意志消沈",
    "打坏", "批覆", "折戟沈沙", "折戟沈河", "拉坏", "拜覆", "捏坏", "明覆", "昏沈", "暗沈沈",
    "毛坏", "沈下", "沈冤", "沈厚", "沈吟", "沈寂", "沈思", "沈浮", "沈浸", "沈湎", "沈溺",
    "沈甸甸", "沈痛", "沈痼", "沈睡", "沈砂池", "沈筒", "沈船", "沈落", "沈迷", "沈醉", "沈重",
    "沈降", "沈陷", "沈香", "沈默", "浮沈", "海哩", "深沈", "滑藉", "狐藉虎威", "申覆", "破釜沈舟",
    "示覆", "答覆", "素藉", "耳沈", "英哩", "茵藉", "藉代", "藉以", "藉助", "藉卉", "藉口", "藉喻",
    "藉寇兵", "藉手", "藉故", "藉方", "藉槁", "藉此", "藉甚", "藉由", "藉着", "藉端", "覆信",
    "覆呈", "覆命", "覆墓", "覆按", "覆文", "覆校", "重覆", "陶坏", "黑沈沈",
)  # fmt: skip
_PHRASE_CHARACTERS = frozenset("沈坏哩藉覆")  # the ones converted: each phrase holds one
_NEVER_CONVERTED = re.compile(r"[\x00-\u33ff]+")


def may_be_traditional(text: str) -> bool:
    """False when OpenCC surely leaves `text` as it is (decided without loading OpenCC)."""
    rest = _NEVER_CONVERTED.sub("", text)
    if not rest:
        return False
    try:
        rest.encode("gb2312")
    except UnicodeEncodeError:
        return True  # outside GB 2312: ask OpenCC
    if not CONVERTED_ALONE.isdisjoint(rest):
        return True
    if _PHRASE_CHARACTERS.isdisjoint(rest):
        return False
    return any(phrase in rest for phrase in CONVERTED_IN_PHRASES)


@cache
def _t2s():  # type: ignore[no-untyped-def]
    import opencc  # imported on first use, for text that may hold Traditional characters

    return opencc.OpenCC("t2s")


def traditional_characters(text: str) -> list[tuple[int, str, str]]:
    """(offset, Traditional, Simplified) for each character OpenCC would convert.

    The whole text is converted, not each character alone, so words that keep a
    "Traditional-looking" character in Simplified Chinese (乾隆, 著名) are not flagged.
    """
    if not may_be_traditional(text):
        return []
    cleaned = _DEBRIS.sub(lambda m: " " * len(m.group()), text)  # keep offsets
    converted = _t2s().convert(cleaned)
    if len(converted) == len(cleaned):
        pairs = enumerate(zip(cleaned, converted, strict=True))
        return [(i, a, b) for i, (a, b) in pairs if a != b]
    out = []
    matcher = difflib.SequenceMatcher(None, cleaned, converted, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "replace":
            out.append((a0, cleaned[a0:a1], converted[b0:b1]))
    return out


def to_simplified(text: str) -> str:
    """Traditional characters converted to Simplified (OpenCC t2s), pinyin debris removed."""
    return _t2s().convert(_DEBRIS.sub("", text))
