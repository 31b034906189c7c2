"""Figures computed from facts, never typed: year-over-year changes and indicator scores."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from drafter import units
from drafter.facts.models import Assessment, Item, Metric
from drafter.wording import number

RATE_UNITS = units.RATES  # after units.normalize: ％ is %
DEFAULT_DIGITS = 2  # the one rounding rule: half up, two decimal places unless a metric says


def round_half_up(value: Decimal, digits: int = DEFAULT_DIGITS) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def strip_zeros(value: Decimal) -> Decimal:
    """50.00 → 50, 61.60 → 61.6 (without the exponent form normalize() gives 50 as 5E+1)."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


class MetricError(ValueError):
    """A metric cannot be computed, or its typed value disagrees with the computation."""

    def __init__(self, name: str, field: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.field = field


def resolve_ratios(metrics: dict[str, Metric]) -> dict[str, Metric]:
    """Fill in every metric given as a ratio of two others (shares, per-student amounts).

    公办园在园幼儿 2616 of 5232 with unit % → 50; 9,245,154.23元 for 10140 pupils with unit
    元/生 → 911.75. Rounded half up to the metric's `digits` (default 2). A typed value must
    agree with the computed one at the precision it was typed with.
    """
    resolved = dict(metrics)
    visiting: list[str] = []

    def value_of(name: str) -> Decimal:
        metric = resolved[name]
        if (metric.ratio is None and metric.sum is None) or name in done:
            return metric.number
        field = "ratio" if metric.ratio is not None else "sum"
        if name in visiting:
            cycle = " → ".join([*visiting[visiting.index(name):], name])
            raise MetricError(name, field, f"指标互相引用，无法计算：{cycle}")
        visiting.append(name)
        if metric.sum is not None:
            computed = _sum_of(name, metric, resolved, value_of)
            visiting.pop()
            resolved[name] = metric.model_copy(update={"value": computed})
            done.add(name)
            return computed
        numerator, denominator = metric.ratio
        for part in (numerator, denominator):
            if part not in resolved:
                raise MetricError(name, "ratio", f"ratio 引用了不存在的指标“{part}”")
        top, bottom = value_of(numerator), value_of(denominator)
        visiting.pop()
        if bottom == 0:
            raise MetricError(name, "ratio", f"分母“{denominator}”为 0，无法计算")
        raw = top / bottom * (100 if units.is_rate(metric.unit) else 1)
        digits = DEFAULT_DIGITS if metric.digits is None else metric.digits
        computed = round_half_up(raw, digits)
        if metric.digits is None:
            computed = strip_zeros(computed)
        if metric.value is not None:
            typed_digits = shown_digits(metric.value)
            if round_half_up(raw, typed_digits) != metric.value:
                raise MetricError(
                    name, "value",
                    f"填写的数值 {metric.value} 与计算结果 {numerator}÷{denominator}"
                    f"={round_half_up(raw, max(typed_digits, 2))} 不一致",
                )  # fmt: skip
            computed = metric.value  # keep the digits as typed
        resolved[name] = metric.model_copy(update={"value": computed})
        done.add(name)
        return computed

    done: set[str] = set()
    for name in metrics:
        value_of(name)
    return resolved


def _sum_of(
    name: str, metric: Metric, metrics: dict[str, Metric], value_of: Callable[[str], Decimal]
) -> Decimal:
    """A total from its parts (amounts converted into the total's unit); a typed total must
    equal it."""
    total = Decimal(0)
    terms = []
    for part in metric.sum or []:
        if part not in metrics:
            raise MetricError(name, "sum", f"sum 引用了不存在的指标“{part}”")
        value = value_of(part)
        unit = metrics[part].unit
        converted = units.convert(value, unit, metric.unit) if metric.unit else value
        if converted is None:
            raise MetricError(
                name, "sum", f"“{part}”的单位“{unit}”不能与合计的单位“{metric.unit}”相加"
            )
        total += converted
        terms.append(f"{strip_zeros(value):f}{unit}")
    if metric.value is not None:
        typed_digits = shown_digits(metric.value)
        if round_half_up(total, typed_digits) != metric.value:
            raise MetricError(
                name, "value",
                f"填写的合计 {metric.value}{metric.unit} 与各项之和不一致："
                f"{'＋'.join(terms)}＝{strip_zeros(total):f}{metric.unit}",
            )  # fmt: skip
        return metric.value
    return strip_zeros(total)


def shown_digits(value: Decimal) -> int:
    """How many decimal places a value is written with (0 for a whole number)."""
    return max(0, -value.as_tuple().exponent)  # type: ignore[operator]


def is_rate(metric: Metric) -> bool:
    return units.is_rate(metric.unit)


def change_amount(metric: Metric) -> Decimal | None:
    """The year-over-year change as a signed number: 个百分点 for rates, % for the rest.
    None without a previous value (or from 0, which has no percentage)."""
    if metric.previous is None or metric.value is None:
        return None
    if is_rate(metric):
        return metric.value - metric.previous
    if metric.previous == 0:
        return None
    return (metric.value - metric.previous) / abs(metric.previous) * 100


def change_unit(metric_unit: str) -> str:
    """What a change of a metric with this unit is counted in."""
    return units.change_unit(metric_unit)


def change_text(metric: Metric) -> str | None:
    """同比变化 in words: a rate's change in 个百分点, an amount's or count's in %.

    28.67% → 39.78% is 上升11.11个百分点 (not 11.11%); 15.67亿元 after 13.9亿元 is 增长12.73%.
    One rounding rule throughout: half up to two decimal places, trailing zeros dropped.
    Returns None when there is no previous value to compare with.
    """
    delta = change_amount(metric)
    if delta is None:
        return None
    rounded = round_half_up(delta)
    if rounded == 0:
        return "持平"
    up = "上升" if is_rate(metric) else "增长"
    amount = f"{strip_zeros(abs(rounded)):f}{change_unit(metric.unit)}"
    return f"{up if delta > 0 else '下降'}{amount}"


def metric_text(metric: Metric, value: Decimal | None = None) -> str:
    """A metric's value as the report writes it (the digits and grouping the facts asked
    for) with its unit: 91.5%, 9,245,154.23元. `value` defaults to this year's."""
    shown = metric.number if value is None else value
    return f"{number(shown, metric.digits, metric.grouped)}{metric.unit}"


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


@dataclass(frozen=True)
class AssessmentSummary:
    """A deduction-based self-assessment: 24项测评点中22个满分，2个扣3.5分，加2分，合计98.5分."""

    points: int
    full: int
    deducted_count: int
    deducted: Decimal
    bonus: Decimal
    total: Decimal


def summarise_assessment(assessment: Assessment, points: int, base: Decimal) -> AssessmentSummary:
    deducted = sum((d.deducted for d in assessment.deductions), Decimal(0))
    bonus = sum((b.points for b in assessment.bonuses), Decimal(0))
    count = len({d.point for d in assessment.deductions})
    return AssessmentSummary(
        points=points,
        full=points - count,
        deducted_count=count,
        deducted=deducted,
        bonus=bonus,
        total=base - deducted + bonus,
    )


def walk(items: Iterable[Item], depth: int = 0) -> Iterator[tuple[int, Item]]:
    for item in items:
        yield depth, item
        yield from walk(item.children, depth + 1)
