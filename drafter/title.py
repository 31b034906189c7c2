"""Break a report title over lines by meaning (GB/T 9704 7.3.1: 词意完整，排列对称).

A 二号 title line holds 20 字 in the 156 mm type area. A longer title is broken only
between units of meaning (never inside a name, a year or a word), into as few lines as
possible, longest line first (the trapezoid the standard asks for), as balanced as the
units allow: "东丽区人民政府2020年履行教育职责 / 情况自评报告".
"""

from __future__ import annotations

import itertools
import re

TITLE_LINE_WIDTH = 20.0  # 字 per 二号 line: 442 pt / 22 pt

# Units of meaning in these titles: a break may come before each of these words, and
# after a period such as 2021年 / 2019年度 / 2021年以来.
_BREAK_BEFORE = ("履行", "情况", "自评报告", "自查报告", "工作", "关于")
_PERIOD = re.compile(r"\d{4}年(?:度|以来)?(?:上半年|下半年)?")
_AFTER_WORDS = ("人民政府", "政府")


def width(text: str) -> float:
    """Width in 字: a CJK character is 1, an ASCII character (digits) 0.5."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def units(title: str) -> list[str]:
    """The title cut into pieces that a line break may fall between."""
    cuts = {0, len(title)}
    for word in _BREAK_BEFORE:
        for match in re.finditer(word, title):
            cuts.add(match.start())
    for match in _PERIOD.finditer(title):
        cuts.add(match.end())
    for word in _AFTER_WORDS:
        for match in re.finditer(word, title):
            cuts.add(match.end())
    ordered = sorted(cuts)
    return [title[a:b] for a, b in itertools.pairwise(ordered) if title[a:b]]


def break_title(title: str, line_width: float = TITLE_LINE_WIDTH) -> list[str]:
    """Lines of the title: one if it fits, else the best break by meaning."""
    if width(title) <= line_width:
        return [title]
    pieces = units(title)
    best: tuple[tuple[float, ...], list[str]] | None = None
    for count in range(2, len(pieces) + 1):
        for cuts in itertools.combinations(range(1, len(pieces)), count - 1):
            bounds = (0, *cuts, len(pieces))
            lines = ["".join(pieces[a:b]) for a, b in itertools.pairwise(bounds)]
            widths = [width(line) for line in lines]
            if max(widths) > line_width:
                continue
            # prefer: long first (no line wider than the one above), then balanced
            inverted = sum(1 for a, b in itertools.pairwise(widths) if b > a)
            key = (inverted, max(widths) - min(widths))
            if best is None or key < best[0]:
                best = (key, lines)
        if best is not None:
            return best[1]
    # No break by meaning fits (a very long name): fall back to even character breaks.
    per_line = int(line_width)
    return [title[i : i + per_line] for i in range(0, len(title), per_line)]
