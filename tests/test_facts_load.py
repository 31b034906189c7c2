"""Reading facts: every user error names the file, the line and the field in Chinese."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import BAD_FACTS, MINIMAL_FACTS

from drafter.errors import DrafterError, FactsError
from drafter.facts.load import load_facts
from drafter.pipeline import draft_facts


def problems_of(path) -> list[str]:
    with pytest.raises(FactsError) as caught:
        load_facts(path)
    return [str(p) for p in caught.value.problems]


def test_minimal_facts_load(write):
    facts, located = load_facts(write("f.yaml", MINIMAL_FACTS))
    assert facts.district == "江北区"
    assert facts.date.isoformat() == "2022-12-13"
    assert located.line_of(("notice", "number")) == 8


@pytest.mark.parametrize("case", BAD_FACTS, ids=lambda case: case.id)
def test_mistake_in_facts_names_file_line_and_field_in_chinese(write, case):
    path = write("f.yaml", case.text)
    with pytest.raises(DrafterError) as caught:
        draft_facts(path)  # loading, then drafting (where prose meets the metrics)
    (problem,) = caught.value.problems
    assert (Path(problem.file), problem.line) == (path, case.line)
    shown = str(problem)
    assert shown.startswith(f"{path} 第{case.line}行：")
    for fragment in case.fragments:
        assert fragment in shown


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
