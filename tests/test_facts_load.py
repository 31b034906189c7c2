"""Reading facts: every user error names the file, the line and the field in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import MINIMAL_FACTS

from drafter.errors import FactsError
from drafter.facts.load import load_facts


def problems_of(path) -> list[str]:
    with pytest.raises(FactsError) as caught:
        load_facts(path)
    return [str(p) for p in caught.value.problems]


def test_minimal_facts_load(write):
    facts, located = load_facts(write("f.yaml", MINIMAL_FACTS))
    assert facts.district == "江北区"
    assert facts.date.isoformat() == "2022-12-13"
    assert located.line_of(("notice", "number")) == 8


def test_yaml_syntax_error_names_line(write):
    path = write("f.yaml", MINIMAL_FACTS.replace("year: 2022", "year: [2022"))
    (message,) = problems_of(path)
    assert str(path) in message
    assert "YAML 格式错误" in message
    assert "第" in message and "行" in message


def test_tab_indentation_is_explained(write):
    path = write("f.yaml", MINIMAL_FACTS.replace("  title: 关于", "\ttitle: 关于"))
    (message,) = problems_of(path)
    assert "制表符" in message
    assert "第7行" in message


def test_wrong_type_names_field_title_and_line(write):
    path = write("f.yaml", MINIMAL_FACTS.replace("year: 2022", "year: 二〇二二"))
    (message,) = problems_of(path)
    assert "第3行" in message
    assert "[year]" in message and "“年度”应为整数" in message


def test_unknown_key_suggests_the_right_one(write):
    path = write("f.yaml", MINIMAL_FACTS.replace("addressee:", "adressee:"))
    (message,) = problems_of(path)
    assert "第5行" in message
    assert "未知的项“adressee”" in message and "是不是“addressee”" in message


def test_missing_required_field(write):
    path = write("f.yaml", MINIMAL_FACTS.replace("government: 重庆市江北区人民政府\n", ""))
    (message,) = problems_of(path)
    assert "缺少必填项“区县政府”" in message


def test_duplicate_key_is_an_error(write):
    path = write("f.yaml", MINIMAL_FACTS + "year: 2023\n")
    (message,) = problems_of(path)
    assert "“year”重复出现（第3行已有）" in message
    assert f"第{MINIMAL_FACTS.count(chr(10)) + 1}行" in message


def test_item_field_error_is_located_inside_short_form_list(write):
    text = MINIMAL_FACTS.replace(
        "        text: 学前", "        score: {max: 5, self: 6}\n        text: 学前"
    )
    (message,) = problems_of(write("f.yaml", text))
    assert "第16行" in message
    assert "自评分 6 高于分值 5" in message


def test_group_score_must_agree_with_children(write):
    text = MINIMAL_FACTS.replace(
        "  - title: 主要做法\n    children:",
        "  - title: 主要做法\n    score: {max: 9, self: 9}\n    children:",
    ).replace("        text: 学前", "        score: {max: 5, self: 5}\n        text: 学前")
    (message,) = problems_of(write("f.yaml", text))
    assert "分值不一致：分值9与下级指标之和5不一致" in message
    assert "第14行" in message


def test_metrics_keep_digits_as_typed(write):
    text = MINIMAL_FACTS.replace(
        "  毛入园率: 124.6%",
        '  毛入园率: 124.6%\n  肥胖率: {value: 18.30, unit: "%", previous: 16.99}\n'
        '  公用经费: "9,245,154.23元"\n  学校: 43',
    )
    facts, _ = load_facts(write("f.yaml", text))
    assert facts.metrics["毛入园率"].value == Decimal("124.6")
    assert facts.metrics["毛入园率"].unit == "%"
    assert str(facts.metrics["肥胖率"].value) == "18.30"
    assert facts.metrics["公用经费"].grouped is True
    assert facts.metrics["公用经费"].value == Decimal("9245154.23")
    assert facts.metrics["学校"].unit == ""


def test_bad_metric_text(write):
    text = MINIMAL_FACTS.replace("  毛入园率: 124.6%", "  毛入园率: 很高")
    (message,) = problems_of(write("f.yaml", text))
    assert "无法识别的指标写法“很高”" in message
    assert "第11行" in message


def test_not_utf8(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(MINIMAL_FACTS.encode("gbk"))
    (message,) = problems_of(path)
    assert "不是 UTF-8 编码" in message


def test_missing_file(tmp_path):
    (message,) = problems_of(tmp_path / "nope.yaml")
    assert "找不到事实文件" in message


def test_date_in_chinese(write):
    facts, _ = load_facts(write("f.yaml", MINIMAL_FACTS.replace("2022-12-13", "2022年12月13日")))
    assert facts.date.isoformat() == "2022-12-13"


RATIOS = """\
  小学公用经费: "9,245,154.23元"
  小学在校生数: 10140人
  小学生均公用经费: {ratio: [小学公用经费, 小学在校生数], unit: 元/生}
  在园幼儿数: 5232人
  公办园在园幼儿数: 2616人
  公办园在园幼儿占比: {ratio: [公办园在园幼儿数, 在园幼儿数], unit: '%'}
  普惠性幼儿园在园幼儿数: 4443人
  普惠率: {value: 85, ratio: [普惠性幼儿园在园幼儿数, 在园幼儿数], unit: '%'}
"""


def with_metrics(extra: str) -> str:
    return MINIMAL_FACTS.replace("  毛入园率: 124.6%\n", "  毛入园率: 124.6%\n" + extra)


def test_shares_and_per_student_amounts_are_computed(write):
    facts, _ = load_facts(write("f.yaml", with_metrics(RATIOS)))
    assert str(facts.metrics["小学生均公用经费"].value) == "911.75"  # seed 001
    assert f"{facts.metrics['公办园在园幼儿占比'].value:f}" == "50"
    assert facts.metrics["普惠率"].value == Decimal(85)  # typed, agrees at its precision


def test_typed_value_that_disagrees_with_its_ratio(write):
    text = with_metrics(RATIOS.replace("value: 85,", "value: 88,"))
    (message,) = problems_of(write("f.yaml", text))
    assert "指标“普惠率”：填写的数值 88 与计算结果" in message
    assert "=84.92 不一致" in message
    assert "第19行" in message


def test_ratio_naming_a_missing_metric(write):
    text = with_metrics("  生均: {ratio: [经费, 学生], unit: 元/生}\n")
    (message,) = problems_of(write("f.yaml", text))
    assert "ratio 引用了不存在的指标“经费”" in message
