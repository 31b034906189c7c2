"""The figures of a report: metrics, the rules and targets judged on them, and a
deduction-based self-assessment. Re-exported by drafter/facts/models.py."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator

from drafter.facts.base import Strict
from drafter.facts.yaml_read import parse_decimal

# The short forms a facts file may use (also the JSON Schema's patterns, drafter/schema.py).
METRIC_TEXT = re.compile(r"^\s*([+-]?\d[\d,]*(?:\.\d+)?)\s*(.*?)\s*$")  # 124.6%, 15.67亿元
DATE_TEXT = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")  # 2021年7月23日


class Metric(Strict):
    """A named number that matters: a rate, count or amount, with its unit."""

    value: Decimal | None = Field(
        None, title="数值", description="今年的数值，如 91.5；可写千分位 9,245,154.23"
    )
    unit: str = Field("", title="单位", description="如 %、元、万元、亿元、人、所、个")
    previous: Decimal | None = Field(
        None, title="上年数值", description="上一年度的数值，用于计算同比变化"
    )
    label: str | None = Field(None, title="说明", description="这个指标的口径或来源")
    grouped: bool = Field(
        False, title="千分位", description="是否按千分位书写数值（输入带逗号时自动为是）"
    )
    digits: int | None = Field(
        None, ge=0, le=6, title="小数位数", description="数值显示的小数位数；不填则按输入的写法"
    )
    ratio: tuple[str, str] | None = Field(
        None,
        title="由两个指标相除",
        description="[分子指标, 分母指标]：单位为 % 时算占比（×100），否则算人均、生均等；"
        "数值由程序计算，若同时填写数值则必须与计算结果一致",
    )
    sum: list[str] | None = Field(None, title="由几个指标相加", description="[指标, 指标, …]："
                                  "合计由各项相加（金额换算单位），若同时填写数值则必须与之相等")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        """Accept `91.5%`, `15.67亿元`, `9,245,154.23元`, a bare number, or the full mapping."""
        if isinstance(data, (int, float, Decimal)):
            return {"value": data}
        if isinstance(data, str):
            match = METRIC_TEXT.match(data)
            if match is None:
                raise ValueError(f"无法识别的指标写法“{data}”，应为数值加单位，如 91.5%")
            number, unit = match.groups()
            if unit[:1] in (".", "．") or unit[:1].isdigit():
                raise ValueError(f"无法识别的指标写法“{data}”：数值中只能有一个小数点，如 12.5%")
            data = {"value": number, "unit": unit}
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("value"), str):
            data.setdefault("grouped", "," in data["value"])
        for key in ("value", "previous"):  # bounded: 1e999999999 cannot be printed
            if isinstance(data.get(key), (str, Decimal)):
                data[key] = parse_decimal(str(data[key]).replace(",", "").strip())
        return data

    @model_validator(mode="after")
    def _value_or_ratio(self) -> Metric:
        if self.value is None and self.ratio is None and self.sum is None:
            raise ValueError("缺少数值：请填写 value，或用 ratio、sum 指定如何计算")
        return self

    @property
    def number(self) -> Decimal:
        """The value (after loading, computed ones are filled in: see derive.resolve_ratios)."""
        if self.value is None:
            raise ValueError("metric value not resolved")
        return self.value


class Rule(Strict):
    """A condition on a metric, shared by standards and targets."""

    metric: str | list[str] = Field(
        title="指标", description="要检查的指标名；可列出几个别名，取事实文件中有的那个"
    )
    at_least: Decimal | None = Field(None, title="不低于", description="数值应不低于此值")
    at_most: Decimal | None = Field(None, title="不高于", description="数值应不高于此值")
    no_decrease: bool = Field(False, title="只增不减", description="数值应不低于上年数值")
    change_at_least: Decimal | None = Field(
        None,
        title="变化不少于",
        description="同比变化应不少于此值（比率按个百分点，其余按%；下降为负数）",
    )
    change_at_most: Decimal | None = Field(
        None,
        title="变化不多于",
        description="同比变化应不多于此值（如近视率每年至少降1个百分点写 -1）",
    )

    @model_validator(mode="after")
    def _has_condition(self) -> Rule:
        conditions = (self.at_least, self.at_most, self.change_at_least, self.change_at_most)
        if all(c is None for c in conditions) and not self.no_decrease:
            raise ValueError(
                "没有给出条件：at_least、at_most、no_decrease、change_at_least 或 change_at_most"
            )
        return self

    @property
    def metric_names(self) -> list[str]:
        return [self.metric] if isinstance(self.metric, str) else list(self.metric)


class Target(Rule):
    """A measurable target of the year's work plan that the report answers to."""

    text: str = Field(
        title="目标原文", description="工作计划中的原话，如“2020年新增学前教育学位1530个”"
    )
    source: str | None = Field(None, title="出处", description="如“东丽区2020年教育工作要点”")


class Deduction(Strict):
    """A 测评点 that lost marks in a deduction-based scheme (e.g. 浙江)."""

    point: str = Field(title="测评点", description="扣分的测评点名称")
    deducted: Decimal = Field(gt=0, title="扣分", description="扣了几分")
    reason: str | None = Field(None, title="原因", description="扣分原因")


class Bonus(Strict):
    """Marks gained from a bonus indicator (加分指标)."""

    item: str = Field(title="加分项", description="加分指标或加分事项")
    points: Decimal = Field(gt=0, title="加分", description="加了几分")


class Assessment(Strict):
    """Self-assessment by 测评点 in a deduction-based scheme: base score − deductions + bonus."""

    deductions: list[Deduction] = Field(
        default_factory=list, title="扣分测评点", description="逐个列出扣分的测评点"
    )
    bonuses: list[Bonus] = Field(default_factory=list, title="加分", description="逐项列出加分")
