"""Where facts become words: numbers, dates, enumerations, year-over-year changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from drafter.facts.derive import change_text
from drafter.facts.models import Metric
from drafter.numbering import chinese_number
from drafter.wording import date_cn, enumerate_points, money, number, percent, score, sentence


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九")]
)
def test_chinese_number(n, text):
    assert chinese_number(n) == text


def test_sentence_adds_a_full_stop_only_when_needed():
    assert sentence("加强党的领导") == "加强党的领导。"
    assert sentence("加强党的领导。") == "加强党的领导。"
    assert sentence("是否达标？") == "是否达标？"
    assert sentence("“红色领航”") == "“红色领航”"


def test_enumeration_semicolons_and_final_stop():
    text = enumerate_points(["甲", "乙", "丙"], "原因是多方面的，")
    assert text == "原因是多方面的，一是甲；二是乙；三是丙。"


def test_enumeration_keeps_points_that_end_sentences():
    assert enumerate_points(["甲。", "乙。"]) == "一是甲。二是乙。"


def test_date_has_no_leading_zeros():
    assert date_cn(dt.date(2021, 7, 23)) == "2021年7月23日"
    assert date_cn(dt.date(2023, 9, 5)) == "2023年9月5日"


def test_numbers():
    assert number(Decimal("18.30")) == "18.30"
    assert number(Decimal("9245154.23"), grouped=True) == "9,245,154.23"
    assert number(Decimal("911.745"), digits=2) == "911.75"  # half up, not banker's
    assert score(Decimal("61.60")) == "61.6"
    assert score(Decimal("5.0")) == "5"
    assert percent(Decimal("91.5")) == "91.5%"


def test_money_units():
    assert money(Decimal("1567000000")) == "15.67亿元"
    assert money(Decimal("179124700"), unit="万元") == "17912.47万元"
    assert money(Decimal("820")) == "820元"


def metric(value, previous, unit="%"):
    return Metric(value=Decimal(value), previous=Decimal(previous), unit=unit)


def test_rate_change_is_in_percentage_points():
    # seed 001 writes 上升11.11% for this; it is 11.11个百分点
    assert change_text(metric("39.78", "28.67")) == "上升11.11个百分点"
    assert change_text(metric("27.02", "22.61")) == "上升4.41个百分点"
    assert change_text(metric("68", "70")) == "下降2个百分点"


def test_amount_change_is_in_percent():
    assert change_text(metric("15.67", "13.9", "亿元")) == "增长12.73%"
    assert change_text(metric("90", "100", "人")) == "下降10%"


def test_no_change_and_no_previous():
    assert change_text(metric("50", "50.001")) == "持平"
    assert change_text(Metric(value=Decimal(1), unit="%")) is None
    assert change_text(metric("5", "0", "所")) is None


def test_money_rounds_small_amounts_and_rejects_unknown_units():
    assert money(Decimal("0.456")) == "0.46元"
    with pytest.raises(ValueError, match="金额单位只能是亿元、万元、元"):
        money(Decimal("1234567"), unit="千元")
