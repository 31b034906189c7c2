"""Evaluate a condition on a metric (shared by standards and targets)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from drafter import units
from drafter.facts.derive import (
    change_amount,
    change_unit,
    metric_text,
    round_half_up,
    strip_zeros,
)
from drafter.facts.models import Metric, Rule
from drafter.wording import number

Status = Literal["met", "unmet", "unknown"]


@dataclass(frozen=True)
class Verdict:
    """Whether a rule holds, with the figures a sentence needs."""

    status: Status
    metric: str | None  # the metric name found in the facts
    actual: str  # "68%"
    required: str  # "不低于80%"
    reason: str  # why unknown, or the comparison in words
    unit_problem: bool = False  # unknown because the units do not convert: worth a warning


def _fmt(value: Decimal, unit: str) -> str:
    """A threshold of a rule (not a metric: it has no digits or grouping of its own)."""
    return f"{number(strip_zeros(value))}{unit}"


def threshold_text(rule: Rule, unit: str) -> str:
    """The figure a rule sets (80%), for wording such as 未达到80%的标准; "" if it sets none."""
    value = rule.at_least if rule.at_least is not None else rule.at_most
    return "" if value is None else _fmt(value, unit)


def requirement(rule: Rule, unit: str) -> str:
    """The condition in words: 不低于80%、不高于0、不低于上年、同比至少下降1个百分点."""
    unit_of_change = change_unit(unit)
    parts = []
    if rule.at_least is not None:
        parts.append(f"不低于{_fmt(rule.at_least, unit)}")
    if rule.at_most is not None:
        parts.append(f"不高于{_fmt(rule.at_most, unit)}")
    if rule.no_decrease:
        parts.append("不低于上年")
    if rule.change_at_least is not None:
        amount = rule.change_at_least
        parts.append(
            f"同比至少增长{_fmt(amount, unit_of_change)}" if amount >= 0
            else f"同比下降不超过{_fmt(-amount, unit_of_change)}"
        )  # fmt: skip
    if rule.change_at_most is not None:
        amount = rule.change_at_most
        parts.append(
            f"同比至少下降{_fmt(-amount, unit_of_change)}" if amount <= 0
            else f"同比增长不超过{_fmt(amount, unit_of_change)}"
        )  # fmt: skip
    return "，".join(parts)


def evaluate(rule: Rule, metrics: dict[str, Metric], unit: str | None = None) -> Verdict:
    """Met, unmet, or unknown (the metric or last year's value is not in the facts)."""
    name = next((n for n in rule.metric_names if n in metrics), None)
    wanted = unit if unit is not None else ""
    if name is None:
        return Verdict("unknown", None, "", requirement(rule, wanted),
                       f"事实文件中没有指标“{'”或“'.join(rule.metric_names)}”")
    metric = metrics[name]
    wanted = metric.unit if unit is None else unit
    required = requirement(rule, wanted)
    actual = metric_text(metric)
    value = units.convert(metric.number, metric.unit, wanted)
    if value is None:
        return Verdict("unknown", name, actual, required,
                       f"指标“{name}”的单位是“{metric.unit}”，标准的单位是“{unit}”，无法换算",
                       unit_problem=True)
    failures: list[str] = []
    if rule.at_least is not None and value < rule.at_least:
        failures.append(f"低于{_fmt(rule.at_least, wanted)}")
    if rule.at_most is not None and value > rule.at_most:
        failures.append(f"高于{_fmt(rule.at_most, wanted)}")
    needs_previous = rule.no_decrease or rule.change_at_least is not None or (
        rule.change_at_most is not None
    )
    if needs_previous:
        change = change_amount(metric)
        if change is None:
            return Verdict("unknown", name, actual, required, f"指标“{name}”没有上年数值")
        if rule.no_decrease and change < 0:  # unrounded: 109727 → 109722 is a fall
            failures.append("低于上年")
        change = round_half_up(change)
        low, high = rule.change_at_least, rule.change_at_most
        if low is not None and change < low:
            failures.append("增幅不够" if low >= 0 else "降幅过大")
        if high is not None and change > high:
            failures.append("降幅不够" if high <= 0 else "增幅过大")
    if failures:
        return Verdict("unmet", name, actual, required, "、".join(failures))
    return Verdict("met", name, actual, required, "达到")


def goal_text(rule: Rule, unit: str) -> str:
    """What a plan target asks, in its words: 达到90%、控制在5%以内、每年降低0.5个百分点以上."""
    of_change = change_unit(unit)
    if rule.at_least is not None:
        return f"达到{_fmt(rule.at_least, unit)}"
    if rule.at_most is not None:
        return f"控制在{_fmt(rule.at_most, unit)}以内" if rule.at_most else "全部消除"
    if rule.change_at_most is not None and rule.change_at_most <= 0:
        return f"每年降低{_fmt(-rule.change_at_most, of_change)}以上"
    if rule.change_at_least is not None:
        return f"每年提高{_fmt(rule.change_at_least, of_change)}以上"
    return requirement(rule, unit)
