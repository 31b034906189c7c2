"""Break a report title over lines by meaning (GB/T 9704 7.3.1: 词意完整，排列对称).

A 二号 title line holds 20 字 in the 156 mm type area. A longer title is broken only
between units of meaning (never inside a name, a year or a word), into as few lines as
possible, longest line first (the trapezoid the standard asks for), as balanced as the
units allow: "东丽区人民政府2020年履行教育职责 / 情况自评报告".
"""

from __future__ import annotations

import itertools
import math
import re

TITLE_LINE_WIDTH = 20.0  # 字 per 二号 line: 442 pt / 22 pt
FULL_LINE = 0.9  # share of the line above which a one-line title is broken in two

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
    """Lines of the title: one if it fits with room to spare, else the best break by meaning
    (a one-line title filling more than FULL_LINE of its line looks crammed: two lines)."""
    if width(title) <= line_width * FULL_LINE:
        return [title]
    pieces = units(title)
    if len(pieces) < 2 and width(title) <= line_width:
        return [title]  # nothing to break between
    widths = [width(piece) for piece in pieces]
    count = _fewest_lines(widths, line_width)
    if count is not None:
        count = max(count, 2)
    if count is None:
        # No break by meaning fits (a very long name): fall back to even character breaks.
        per_line = int(line_width)
        return [title[i : i + per_line] for i in range(0, len(title), per_line)]
    if math.comb(len(pieces) - 1, count - 1) <= _EXHAUSTIVE:
        cuts = _best_by_trying_all(widths, count, line_width)
    else:
        cuts = _best_by_dynamic_programming(widths, count, line_width)
    bounds = (0, *cuts, len(pieces))
    return ["".join(pieces[a:b]) for a, b in itertools.pairwise(bounds)]


_State = tuple[int, float, float, tuple[int, ...]]
_EXHAUSTIVE = 5_000  # ways to break worth trying one by one (every real title)


def _fewest_lines(widths: list[float], line_width: float) -> int | None:
    """The fewest lines the pieces fit on (greedy packing is optimal), None if one is too wide."""
    if any(w > line_width for w in widths):
        return None
    lines, current = 1, 0.0
    for w in widths:
        if current + w > line_width:
            lines, current = lines + 1, 0.0
        current += w
    return max(lines, 2)


def _key(line_widths: list[float]) -> tuple[int, float]:
    # prefer: long first (no line wider than the one above), then balanced
    inverted = sum(1 for a, b in itertools.pairwise(line_widths) if b > a)
    return inverted, max(line_widths) - min(line_widths)


def _best_by_trying_all(widths: list[float], count: int, line_width: float) -> tuple[int, ...]:
    best: tuple[tuple[int, float], tuple[int, ...]] | None = None
    for cuts in itertools.combinations(range(1, len(widths)), count - 1):
        bounds = (0, *cuts, len(widths))
        line_widths = [sum(widths[a:b]) for a, b in itertools.pairwise(bounds)]
        if max(line_widths) > line_width:
            continue
        key = _key(line_widths)
        if best is None or key < best[0]:
            best = (key, cuts)
    assert best is not None  # count lines are enough (_fewest_lines)
    return best[1]


def _best_by_dynamic_programming(
    widths: list[float], count: int, line_width: float
) -> tuple[int, ...]:
    """The same preference in polynomial time: per line, for each (pieces used, width of the
    last line) keep the best (inversions, spread) so far; ties keep the earlier cuts."""
    n = len(widths)
    # (end, last line's width) → (inverted, widest, narrowest, cuts)
    states: dict[tuple[int, float], _State] = {(0, math.inf): (0, 0.0, math.inf, ())}
    for line in range(count):
        following: dict[tuple[int, float], _State] = {}
        for (start, last), (inverted, widest, narrowest, cuts) in states.items():
            total = 0.0
            for end in range(start + 1, n + 1):
                total += widths[end - 1]
                if total > line_width:
                    break
                if (line == count - 1) != (end == n):
                    continue
                candidate = (inverted + (total > last), max(widest, total),
                             min(narrowest, total), cuts + ((end,) if end < n else ()))
                key = (end, total)
                held = following.get(key)
                if held is None or _rank(candidate) < _rank(held):
                    following[key] = candidate
        states = following
    return min(states.values(), key=_rank)[3]


def _rank(state: _State) -> tuple[int, float, tuple[int, ...]]:
    inverted, widest, narrowest, cuts = state
    return inverted, widest - narrowest, cuts
