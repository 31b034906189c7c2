"""Evaluate a condition on a metric (shared by standards and targets)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from drafter.facts.derive import is_rate, round_half_up, strip_zeros
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


def change_amount(metric: Metric) -> Decimal | None:
    """The year-over-year change as a signed number: 个百分点 for rates, % for the rest."""
    if metric.previous is None or metric.value is None:
        return None
    if is_rate(metric):
        return metric.value - metric.previous
    if metric.previous == 0:
        return None
    return (metric.value - metric.previous) / abs(metric.previous) * 100


def _fmt(value: Decimal, unit: str) -> str:
    return f"{number(strip_zeros(value))}{unit}"


def requirement(rule: Rule, unit: str) -> str:
    """The condition in words: 不低于80%、不高于0、不低于上年、同比至少下降1个百分点."""
    change_unit = "个百分点" if unit in ("%", "‰") else "%"
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
            f"同比至少增长{_fmt(amount, change_unit)}" if amount >= 0
            else f"同比下降不超过{_fmt(-amount, change_unit)}"
        )  # fmt: skip
    if rule.change_at_most is not None:
        amount = rule.change_at_most
        parts.append(
            f"同比至少下降{_fmt(-amount, change_unit)}" if amount <= 0
            else f"同比增长不超过{_fmt(amount, change_unit)}"
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
    required = requirement(rule, metric.unit if unit is None else unit)
    actual = _fmt(metric.number, metric.unit)
    if unit is not None and metric.unit != unit:
        return Verdict("unknown", name, actual, required,
                       f"指标“{name}”的单位是“{metric.unit}”，标准的单位是“{unit}”")
    value = metric.number
    failures: list[str] = []
    if rule.at_least is not None and value < rule.at_least:
        failures.append(f"低于{_fmt(rule.at_least, metric.unit)}")
    if rule.at_most is not None and value > rule.at_most:
        failures.append(f"高于{_fmt(rule.at_most, metric.unit)}")
    needs_previous = rule.no_decrease or rule.change_at_least is not None or (
        rule.change_at_most is not None
    )
    if needs_previous:
        change = change_amount(metric)
        if change is None:
            return Verdict("unknown", name, actual, required, f"指标“{name}”没有上年数值")
        change = round_half_up(change)
        if rule.no_decrease and change < 0:
            failures.append("低于上年")
        if rule.change_at_least is not None and change < rule.change_at_least:
            failures.append("变化幅度不够")
        if rule.change_at_most is not None and change > rule.change_at_most:
            failures.append("变化幅度不够")
    if failures:
        return Verdict("unmet", name, actual, required, "、".join(failures))
    return Verdict("met", name, actual, required, "达到")
