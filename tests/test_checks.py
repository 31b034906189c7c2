"""The arithmetic a reviewer checks, on the seeds' own numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL_FACTS, SAMPLE

from drafter.checking import check_file
from drafter.checks.standards import load_tables
from drafter.compose import document_lines
from drafter.document import Heading, plain
from drafter.pipeline import draft_facts

DONGLI = SAMPLE["dongli"]
SHUANGTAIZI = SAMPLE["shuangtaizi"]
WUXING = SAMPLE["wuxing"]
JIANGBEI = SAMPLE["jiangbei"]


def messages(path: Path, level: str) -> list[str]:
    return [f.message for f in check_file(path).findings if f.level == level]


def test_rate_change_is_drafted_in_percentage_points():
    text = "\n".join(document_lines(draft_facts(SHUANGTAIZI).document))
    assert "2022年体质健康优良率为39.78%，同比上升11.11个百分点。" in text
    assert "上升11.11%" not in text
    assert "小学生肥胖率为27.02%，同比2021年上升4.41个百分点" in text


def test_scores_of_groups_and_total_are_computed_from_the_leaves():
    draft = draft_facts(SHUANGTAIZI)
    groups = [plain(b.text) for b in draft.document.blocks
              if isinstance(b, Heading) and b.level == 2]
    assert groups == ["党的领导与依法治教（63分，自评得分61.6分）",
                      "政府保障与教育发展（37分，自评得分37分）"]
    text = "\n".join(document_lines(draft.document))
    assert "共涉及2个一级指标、12个二级指标，自评总分为98.6分。" in text


def test_per_student_amounts_are_computed_and_meet_the_liaoning_standard():
    infos = messages(SHUANGTAIZI, "info")
    assert ("标准“小学生均公用经费”：达到（小学生均公用经费为911.75元/生，要求不低于850元/生）"
            in infos)
    assert ("标准“初中生均公用经费”：达到（初中生均公用经费为1173.39元/生，要求不低于1050元/生）"
            in infos)
    assert "标准“公办园在园幼儿占比”：达到（公办园在园幼儿占比为50%，要求不低于50%）" in infos


def test_deduction_scheme_summary_and_grade():
    preamble = document_lines(draft_facts(WUXING).document)[3]
    assert ("我区在24项测评点中，有22个测评点得满分，2个测评点扣3.5分，加分指标得2分，"
            "自评合计得分为98.5分，等级为A等。") in preamble


def test_unmet_standards_are_drafted_as_problems_for_review(tmp_path):
    facts = yaml.safe_load(DONGLI.read_text(encoding="utf-8"))
    del facts["problems"][0]  # the one that discusses the two preschool standards
    path = tmp_path / "2020.yaml"
    path.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")

    draft = draft_facts(path)
    headings = [b for b in draft.document.blocks if isinstance(b, Heading) and b.level == 2]
    drafted = {plain(h.text): h for h in headings}
    rule = "《县域学前教育普及普惠督导评估办法》规定的"
    for text in (f"普惠性幼儿园覆盖率为68%，未达到{rule}80%的标准",
                 f"公办幼儿园在园幼儿占比为30%，未达到{rule}50%的标准"):
        assert text in drafted
        assert [s.kind for s in drafted[text].text] == ["stale"]  # highlighted for review
    assert draft.drafted_for_review == [
        "普惠性幼儿园覆盖率为68%，未达到《县域学前教育普及普惠督导评估办法》规定的80%的标准",
        "公办幼儿园在园幼儿占比为30%，未达到《县域学前教育普及普惠督导评估办法》规定的50%的标准",
    ]
    warnings = messages(path, "warning")
    assert any("普惠性幼儿园覆盖率" in w and "已起草为存在问题，待审核" in w for w in warnings)


def test_standards_the_facts_already_discuss_are_not_drafted_again():
    draft = draft_facts(DONGLI)
    assert draft.drafted_for_review == []
    warnings = messages(DONGLI, "warning")
    assert any("标准“普惠性幼儿园覆盖率”：未达到（普惠性幼儿园覆盖率为68%，要求不低于80%）" in w
               and w.endswith("存在问题中已有论述") for w in warnings)


NO_DECREASE = "标准“一般公共预算教育支出只增不减”："
AT_MOST = "目标“56人以上大班额比例”："
BIG_CLASSES = ("  学前三年毛入园率: 124.6%\n", "  学前三年毛入园率: 124.6%\n  大班额比例: {}\n")
IN_2020 = ("year: 2022\n", "year: 2020\n")


@pytest.mark.parametrize(
    ("edit", "line", "verdict", "drafted"),
    [
        pytest.param(None, 22,
                     NO_DECREASE + "达到（一般公共预算教育经费为15.67亿元，要求不低于上年）",
                     None, id="no_decrease-met"),
        pytest.param(("    value: 15.67\n", "    value: 13.5\n"), 22,
                     NO_DECREASE + "未达到（一般公共预算教育经费为13.5亿元，要求不低于上年）",
                     "一般公共预算教育经费为13.5亿元，比上年下降2.86%，未做到《国务院办公厅关于"
                     "进一步调整优化结构提高教育经费使用效益的意见》要求的只增不减",
                     id="no_decrease-unmet"),
        pytest.param((BIG_CLASSES[0], BIG_CLASSES[1].format("4.8%")), 57,
                     AT_MOST + "达到（大班额比例为4.8%，要求不高于5%）", None, id="at_most-met"),
        pytest.param((BIG_CLASSES[0], BIG_CLASSES[1].format("6.2%")), 57,
                     AT_MOST + "未达到（大班额比例为6.2%，要求不高于5%）",
                     "大班额比例为6.2%，未达到《国务院关于统筹推进县域内城乡义务教育一体化改革"
                     "发展的若干意见》提出的到2020年控制在5%以内的目标", id="at_most-unmet"),
    ],
)  # fmt: skip
def test_no_decrease_and_at_most_standards(write, edit, line, verdict, drafted):
    text = JIANGBEI.read_text(encoding="utf-8")
    if edit is not None:
        assert text.count(edit[0]) == 1
        text = text.replace(*edit)
        if "大班额" in edit[1]:  # a target for 2020 only
            text = text.replace(*IN_2020)
    path = write("jiangbei/2022.yaml", text)
    subject = verdict.split("：")[0]
    (finding,) = [f for f in check_file(path).findings if f.message.startswith(subject)]
    assert finding.line == line
    draft = draft_facts(path)
    if drafted is None:
        assert (finding.level, finding.message) == ("info", verdict)
        assert draft.drafted_for_review == []
        return
    assert finding.level == "warning"
    assert finding.message.startswith(verdict + "；依据：《")
    assert finding.message.endswith("；已起草为存在问题，待审核")
    assert draft.drafted_for_review == [drafted]
    # drafted as the next problem heading (jiangbei has six), highlighted for review
    (heading,) = [b for b in draft.document.blocks if isinstance(b, Heading)
                  and plain(b.text) == drafted]  # fmt: skip
    assert heading.number == "（七）" and [s.kind for s in heading.text] == ["stale"]


def test_title_lines_set_the_drafted_title(write):
    draft = draft_facts(write("f.yaml", MINIMAL_FACTS + "title_lines: [甲, 乙]\n"))
    assert [plain(line) for line in draft.document.title_lines] == ["甲", "乙"]
    lines = document_lines(draft.document)
    assert lines[:3] == ["甲", "乙", "重庆市人民政府教育督导委员会办公室："]


def test_a_later_standards_table_overrides_an_earlier_one_by_id(write, tmp_path):
    write("standards/city.yaml",
          "description: 本市标准\nstandards:\n"
          "  - id: 学前三年毛入园率\n    metric: [学前三年毛入园率]\n    at_least: 95\n"
          "    unit: '%'\n    source: 本市学前教育三年行动计划\n")  # fmt: skip
    national = load_tables(["national"])
    overridden = load_tables(["national", "city"], [tmp_path / "standards"])
    assert [s.id for s in overridden] == [s.id for s in national]  # replaced, not added
    by_id = {s.id: s for s in overridden}
    assert by_id["学前三年毛入园率"].at_least == 95
    assert by_id["学前三年毛入园率"].source == "本市学前教育三年行动计划"
    assert by_id["普惠性幼儿园覆盖率"] == {s.id: s for s in national}["普惠性幼儿园覆盖率"]
    # the order of the tables decides, not where they are stored
    first = load_tables(["city", "national"], [tmp_path / "standards"])
    assert {s.id: s for s in first}["学前三年毛入园率"].at_least == 85


def test_dongli_2020_against_its_work_plan_targets():
    infos = messages(DONGLI, "info")
    assert ("目标“全区儿童青少年总体近视率每年至少降低1个百分点”：达到"
            "（学生近视率比上年下降为1.38%，要求不低于1%）（东丽区2020年教育工作要点）") in infos
    assert any(m.startswith("目标“2020年新增学前教育学位1530个”：无法判断") for m in infos)
    assert any(m.startswith("目标“使95%的学生达到国家学生体质健康标准及格以上等级”：无法判断")
               for m in infos)


def test_missed_target_is_a_warning(write):
    text = DONGLI.read_text(encoding="utf-8").replace("at_least: 1\n", "at_least: 2\n")
    path = write("f.yaml", text)
    assert any(m.startswith("目标“全区儿童青少年总体近视率每年至少降低1个百分点”：未达到")
               for m in messages(path, "warning"))


def test_check_exit_codes(run_cli, write):
    clean = run_cli("check", JIANGBEI)
    assert clean.returncode == 0 and "错误 0 个，警告 0 个" in clean.stdout
    warned = run_cli("check", DONGLI, "--strict")
    assert warned.returncode == 2
    assert run_cli("check", DONGLI).returncode == 0
    broken = write("f.yaml", "district: [\n")
    result = run_cli("check", broken)
    assert result.returncode == 1
    assert "错误：" in result.stdout and "f.yaml 第" in result.stdout


def test_a_missing_self_score_makes_the_total_a_gap_not_a_low_number(tmp_path):
    facts = yaml.safe_load(SHUANGTAIZI.read_text(encoding="utf-8"))
    leaf = facts["achievements"][1]["children"][0]["children"][0]  # （二）8.（1）
    del leaf["score"]["self"]
    path = tmp_path / "2023.yaml"
    path.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    draft = draft_facts(path)
    text = "\n".join(document_lines(draft.document))
    assert "自评总分为【待补充：自评分】分" in text
    assert draft.gaps["自评分"] == ("achievements", "items", 1, "children", 0, "children", 0,
                                 "score", "self")
    assert any(m.startswith("缺少事实：【待补充：自评分】") for m in messages(path, "warning"))


def test_notice_is_not_a_gap_when_the_preamble_does_not_cite_it(write):
    text = DONGLI.read_text(encoding="utf-8")
    facts = yaml.safe_load(text)
    facts["preamble"] = "现将我区履行教育职责自查情况报告如下："
    del facts["notice"]
    path = write("2020.yaml", yaml.safe_dump(facts, allow_unicode=True))
    assert draft_facts(path).gaps == {}


def test_deductions_above_the_full_score_are_a_located_error(tmp_path, cli):
    """A 测评点 self-assessment whose deductions exceed the scheme's base score would draft a
    negative total: an error at the assessment's line instead."""
    text = SAMPLE["wuxing"].read_text(encoding="utf-8").replace(
        "deducted: 1.5}", "deducted: 150}")
    facts = tmp_path / "2019.yaml"
    facts.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("assessment:"))
    code, _, err = cli("text", facts)
    assert code == 1
    assert f"{facts} 第{line}行" in err and "超过满分100分" in err, err
