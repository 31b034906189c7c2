"""The one place that knows units: which are rates, which amounts convert into each other,
and which forms are the same unit (full- and half-width, 人 and 名).

A metric keeps its unit as typed (the draft prints it; typography makes ％ into %), and
everything that compares or words a change asks this module.
"""

from __future__ import annotations

from decimal import Decimal

# Forms that are one unit: full-width, spacing and synonyms → the canonical form.
_WIDTH = str.maketrans({"％": "%", "／": "/", "　": "", " ": ""})
_SYNONYMS = {"名": "人"}
RATES = ("%", "‰")
POINTS = "个百分点"  # a change of a rate
# Amounts that convert into each other, by factor to the first.
MONEY = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
COUNTS = ("人", "所", "个", "班", "个班", "间", "台", "册", "平方米", "平方公里", "项", "次")
PER = ("生", "人", "年", "生·年", "人·年")  # 元/生, 元/人 …


def normalize(unit: str) -> str:
    """The canonical form of a unit: ％ → %, 名 → 人, spaces dropped."""
    text = unit.translate(_WIDTH)
    head, slash, tail = text.partition("/")
    head = _SYNONYMS.get(head, head)
    tail = _SYNONYMS.get(tail, tail)
    return f"{head}{slash}{tail}"


def is_rate(unit: str) -> bool:
    return normalize(unit) in RATES


def known(unit: str) -> bool:
    """Whether drafter knows how to compare this unit and word its changes."""
    text = normalize(unit)
    if text in ("", *RATES, POINTS, *COUNTS, *MONEY):
        return True
    head, slash, tail = text.partition("/")
    return bool(slash) and head in MONEY and tail in PER


def change_unit(unit: str) -> str:
    """What a change of a metric with this unit is counted in: 个百分点 for rates, % else."""
    return POINTS if is_rate(unit) else "%"


def convert(value: Decimal, unit: str, to: str) -> Decimal | None:
    """`value` in `unit` expressed in `to` (15.67亿元 → 156700万元); None if they do not
    convert (a rate and an amount, 人 and 所)."""
    a, b = normalize(unit), normalize(to)
    if a == b:
        return value
    a_head, _, a_tail = a.partition("/")
    b_head, _, b_tail = b.partition("/")
    if a_tail == b_tail and a_head in MONEY and b_head in MONEY:
        return value * MONEY[a_head] / MONEY[b_head]
    return None
