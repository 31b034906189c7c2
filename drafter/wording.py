"""How numbers, dates and lists read in Chinese prose. Pure functions; the Jinja filters.

This is where a fact becomes words: 2021-07-23 → 2021年7月23日, [a, b] → 一是a；二是b。
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from drafter.numbering import chinese_number

# Characters that already end a sentence or clause; nothing is added after them.
SENTENCE_ENDINGS = "。！？；：…”』」）)"
_CLAUSE_ENDINGS = "。！？；…"


def sentence(text: object) -> str:
    """Ensure the text ends a sentence: 加强党的领导 → 加强党的领导。"""
    s = str(text).rstrip()
    if not s or s[-1] in SENTENCE_ENDINGS:
        return s
    return s + "。"


def enumerate_points(
    points: Iterable[object], lead: object = "", words: Callable[[int], str] | None = None
) -> str:
    """一是……；二是……。 The ordinals are generated; each point keeps its own ending.

    A point that already ends a sentence (。！？；) keeps it; otherwise it gets "；", and
    the last one "。". This reproduces both styles found in real reports. `words(n)`: the
    ordinal of the n-th point (a profile's 第一，, 首先，); 一是 by default.
    """
    items = [str(p).strip() for p in points if str(p).strip()]
    parts = []
    for index, point in enumerate(items, 1):
        ending = "" if point[-1] in _CLAUSE_ENDINGS else ("。" if index == len(items) else "；")
        word = words(index) if words else f"{chinese_number(index)}是"
        parts.append(f"{word}{point}{ending}")
    return f"{lead}{''.join(parts)}"


def date_cn(value: dt.date) -> str:
    """2021-07-23 → 2021年7月23日 (GB/T 9704 7.3.5.4: Arabic numerals, no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"


def number(value: Decimal | int | float, digits: int | None = None, grouped: bool = False) -> str:
    """A number as written in a report: no exponent, trailing zeros as typed or as asked."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if digits is not None:
        d = d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{d:,f}" if grouped else f"{d:f}"
    return text


def score(value: Decimal | int | float) -> str:
    """A score without needless zeros: 5.0 → 5, 61.60 → 61.6."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{d.normalize():f}"
    return text


def percent(value: Decimal | int | float, digits: int | None = None) -> str:
    """91.5 → 91.5%."""
    return f"{number(value, digits)}%"


_MONEY_UNITS = (("亿元", Decimal(10) ** 8), ("万元", Decimal(10) ** 4), ("元", Decimal(1)))


def money(yuan: Decimal | int | float, unit: str | None = None, digits: int = 2) -> str:
    """An amount in 元 written in 元/万元/亿元: 156700000 → 1.57亿元.

    Without `unit`, the largest unit that keeps the figure at least 1 is chosen (元 for
    amounts under 1 元). Rounded half up to `digits` places, trailing zeros dropped.
    """
    units = dict(_MONEY_UNITS)
    if unit is not None and unit not in units:
        raise ValueError(f"金额单位只能是{'、'.join(units)}，不能是“{unit}”")
    d = yuan if isinstance(yuan, Decimal) else Decimal(str(yuan))
    name = unit or next((n for n, size in _MONEY_UNITS if abs(d) >= size), "元")
    scaled = (d / units[name]).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{score(scaled)}{name}"
