"""Heading numbers as people type them, read back: 一、 （一） (一) 1. 1、 1． （1） (1) ①.

The writing side generates these from levels (drafter/numbering.py); here a typed number
is recognised, told apart from prose that merely starts with a figure ("1.5万元", "2020年"),
and given the level its form has in GB/T 9704 (一、 1, （一） 2, 1. 3, （1） 4, ① 5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CN_NUMERAL = "[一二三四五六七八九十]{1,3}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Form → (level, pattern). Full- and half-width brackets and stops are one form. The
# pattern matches at the start of the paragraph (after any indent) and captures the numeral.
_FORMS: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("一、", 1, re.compile(rf"({_CN_NUMERAL})\s*[、，,．.]\s*")),
    ("（一）", 2, re.compile(rf"[（(]\s*({_CN_NUMERAL})\s*[）)]\s*[、，,．.]?\s*")),
    # 1. 1、 1． — not a decimal (1.5) nor a date or range (2020年, 1-2月)
    ("1.", 3, re.compile(r"(\d{1,2})\s*(?:[、．]|\.(?!\d))\s*")),
    ("（1）", 4, re.compile(r"[（(]\s*(\d{1,2})\s*[）)]\s*[、，,．.]?\s*")),
    ("①", 5, re.compile(f"([{_CIRCLED}])\\s*[、，,．.]?\\s*")),
)
INDENT = " \u3000\t\u00a0"  # spaces typed instead of a first-line indent, full-width too


@dataclass(frozen=True)
class TypedNumber:
    """A heading number found at the start of a paragraph."""

    form: str  # "一、" "（一）" "1." "（1）" "①": the form, whatever width it was typed in
    level: int  # the GB/T 9704 level of that form (① is 5: below the four drafter numbers)
    value: int  # 1 for 一、 （一） 1. （1） ①
    typed: str  # exactly what was typed, indent excluded: "(一)" "1．" "一、 "
    rest: str  # the text after the number

    @property
    def canonical(self) -> str:
        """The number as drafter prints it for this level and value."""
        from drafter.numbering import format_number

        return format_number(self.level, self.value) if self.level <= 4 else self.typed.strip()


def chinese_value(numeral: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 九十九 → 99; None for what is not a numeral."""
    if not numeral or any(c not in _CN_DIGITS and c != "十" for c in numeral):
        return None
    if "十" not in numeral:
        return _CN_DIGITS[numeral] if len(numeral) == 1 else None
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return value if value > 0 else None


def typed_number(text: str) -> TypedNumber | None:
    """The heading number the paragraph starts with, if it starts with one."""
    body = text.lstrip(INDENT)
    for form, level, pattern in _FORMS:
        match = pattern.match(body)
        if match is None:
            continue
        numeral = match.group(1)
        if level in (1, 2):
            value = chinese_value(numeral)
        elif level == 5:
            value = _CIRCLED.index(numeral) + 1
        else:
            value = int(numeral)
        rest = body[match.end():]
        if not value:  # "十十、" or "0." is not a number
            continue
        if level == 1 and rest[:1] in "二三四五六七八九十":  # "一、二年级…": prose
            continue
        if level == 3 and rest[:1] in "年月日号万亿%％":  # "2. 5万元" is a figure
            continue
        return TypedNumber(form, level, value, body[: match.end()], rest)
    return None
