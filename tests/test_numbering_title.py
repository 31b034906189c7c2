"""Heading numbers come from levels; titles break by meaning."""

from __future__ import annotations

from drafter.document import Heading, Paragraph, Span, parse_markup
from drafter.numbering import Numberer
from drafter.title import break_title


def numbers(markup: str, continuous=()) -> list[str]:
    blocks = [line.block for line in parse_markup(markup)]
    Numberer().number(blocks, continuous)
    return [b.number for b in blocks if isinstance(b, Heading)]


MARKUP = """\
# 主要做法
## 第一组
### 甲 || 正文
### 乙 || 正文
#### 小 || 正文
## 第二组
### 丙 || 正文
# 存在问题
### 丁 || 正文
"""


def test_level_three_restarts_in_each_group_by_default():
    assert numbers(MARKUP) == ["一、", "（一）", "1.", "2.", "（1）", "（二）", "1.", "二、", "1."]


def test_continuous_level_three_runs_across_groups_but_not_sections():
    assert numbers(MARKUP, continuous=[3]) == [
        "一、", "（一）", "1.", "2.", "（1）", "（二）", "3.", "二、", "1.",
    ]  # fmt: skip


def test_markup_parsing():
    lines = parse_markup("# 标题\n\n### 小标题。 || 正文【待补充：文号】。\n#不是标题\n")
    heading, run_in, para = (line.block for line in lines)
    assert heading == Heading(1, (Span("标题"),))
    assert run_in.level == 3 and run_in.run_in
    assert run_in.text == (Span("小标题。"),)
    assert run_in.body == (Span("正文"), Span("【待补充：文号】", "gap"), Span("。"))
    assert para == Paragraph((Span("#不是标题"),))
    assert [line.source_line for line in lines] == [1, 3, 4]


def test_stale_spans_are_unwrapped():
    (line,) = parse_markup("旧\ue000去年的话\ue001。")
    assert line.block.spans == (Span("旧"), Span("去年的话", "stale"), Span("。"))


def test_titles_break_by_meaning_long_line_first():
    assert break_title("东丽区人民政府2020年履行教育职责情况自评报告") == [
        "东丽区人民政府2020年履行教育职责",
        "情况自评报告",
    ]
    assert break_title("重庆市江北区人民政府2021年以来履行教育职责情况自评报告") == [
        "重庆市江北区人民政府2021年以来",
        "履行教育职责情况自评报告",
    ]


def test_short_title_stays_on_one_line():
    title = "某某区履行教育职责情况自评报告"  # 15 of 20 字
    assert break_title(title) == [title]


def test_a_one_line_title_filling_more_than_90_percent_is_broken_in_two():
    # 19 of 20 字 (97% of the line as rendered): crammed on one line, so two, long first
    assert break_title("2023年双台子区政府履行教育职责自评报告") == [
        "2023年双台子区政府履行教育职责", "自评报告",
    ]  # fmt: skip
    assert len(break_title("某某区人民政府关于二〇二三年履行教育职责情况")) == 2  # 20 字


def test_title_lines_never_exceed_the_line():
    from drafter.title import width

    long_title = "内蒙古自治区呼和浩特市赛罕区人民政府2021年至2023年履行教育职责情况自评报告"
    lines = break_title(long_title)
    assert len(lines) >= 2
    assert all(width(line) <= 20 for line in lines)
