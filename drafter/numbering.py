"""Heading numbers (一、 （一） 1. （1）) generated from levels, never typed by hand."""

from __future__ import annotations

from collections.abc import Iterable

from drafter.document import Block, Heading

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 99 → 九十九, 101 → 一百零一, 110 → 一百一十 (to 9999)."""
    if not 0 < n < 10_000:
        raise ValueError(f"heading number out of range: {n}")
    if n < 100:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return _DIGITS[ones]
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if zero and out else "") + _DIGITS[digit] + unit
            zero = False
        else:
            zero = bool(out)
    return out


def format_number(level: int, n: int) -> str:
    """The printed number of the n-th heading at `level` (GB/T 9704 7.3.3)."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."  # ASCII period, as every official style guide writes it
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level out of range: {level}")


class Numberer:
    """Counts headings across the whole report.

    A level's counter restarts whenever a heading of a higher level appears, except the
    levels a section marks continuous: those restart only at a new level-1 heading, so
    items run 1–18 across six （一）…（六） groups as in some provinces' schemes.
    """

    def __init__(self) -> None:
        self._counts = [0, 0, 0, 0, 0]  # index = level; 0 unused

    def number(self, blocks: Iterable[Block], continuous: Iterable[int] = ()) -> None:
        keep = set(continuous)
        for block in blocks:
            if not isinstance(block, Heading):
                continue
            level = block.level
            self._counts[level] += 1
            for lower in range(level + 1, len(self._counts)):
                if lower not in keep or level == 1:
                    self._counts[lower] = 0
            block.number = format_number(level, self._counts[level])
