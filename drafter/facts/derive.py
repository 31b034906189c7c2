"""Figures computed from facts, never typed: year-over-year changes and indicator scores."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from drafter.facts.models import Item, Metric

RATE_UNITS = ("%", "‰")
TWO_PLACES = Decimal("0.01")


def is_rate(metric: Metric) -> bool:
    return metric.unit in RATE_UNITS


def change_text(metric: Metric) -> str | None:
    """同比变化 in words: a rate's change in 个百分点, an amount's or count's in %.

    28.67% → 39.78% is 上升11.11个百分点 (not 11.11%); 15.67亿元 after 13.9亿元 is 增长12.73%.
    One rounding rule throughout: half up to two decimal places, trailing zeros dropped.
    Returns None when there is no previous value to compare with.
    """
    if metric.previous is None:
        return None
    if is_rate(metric):
        delta = metric.value - metric.previous
        amount = f"{_two(abs(delta))}个百分点"
        up, down = "上升", "下降"
    else:
        if metric.previous == 0:
            return None  # a change from nothing has no percentage
        delta = (metric.value - metric.previous) / abs(metric.previous) * 100
        amount = f"{_two(abs(delta))}%"
        up, down = "增长", "下降"
    if _round(delta) == 0:
        return "持平"
    return f"{up if delta > 0 else down}{amount}"


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _two(value: Decimal) -> str:
    return f"{_round(value).normalize():f}"


@dataclass(frozen=True)
class ScoreLine:
    """An indicator's full marks and self score, computed from its children when it has any."""

    max: Decimal
    self_score: Decimal | None


class ScoreMismatch(ValueError):
    """A typed group score disagrees with the sum of its children."""

    def __init__(self, path: tuple[str | int, ...], typed: str, computed: str) -> None:
        super().__init__(f"{typed}与下级指标之和{computed}不一致")
        self.path = path


def item_score(item: Item, path: tuple[str | int, ...] = ()) -> ScoreLine | None:
    """The item's score; a parent's is the sum of its scored children (a typed one must agree)."""
    scored = [
        (child, item_score(child, (*path, "children", i)))
        for i, child in enumerate(item.children)
    ]
    parts = [line for _, line in scored if line is not None]
    if not parts:
        if item.score is None:
            return None
        return ScoreLine(item.score.max, item.score.self_score)
    total_max = sum((p.max for p in parts), Decimal(0))
    total_self = (
        None
        if any(p.self_score is None for p in parts)
        else sum((p.self_score for p in parts if p.self_score is not None), Decimal(0))
    )
    if item.score is not None:
        if item.score.max != total_max:
            raise ScoreMismatch((*path, "score", "max"), f"分值{item.score.max}", str(total_max))
        typed_self = item.score.self_score
        if typed_self is not None and total_self is not None and typed_self != total_self:
            raise ScoreMismatch(
                (*path, "score", "self"), f"自评分{typed_self}", str(total_self)
            )
    return ScoreLine(total_max, total_self)


def walk(items: Iterable[Item], depth: int = 0) -> Iterator[tuple[int, Item]]:
    for item in items:
        yield depth, item
        yield from walk(item.children, depth + 1)
