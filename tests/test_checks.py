"""The arithmetic a reviewer checks, on the seeds' own numbers."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import SAMPLES

from drafter.checking import check_file
from drafter.compose import document_lines
from drafter.document import Heading, plain
from drafter.pipeline import draft_facts

DONGLI = SAMPLES / "dongli" / "2020.yaml"
SHUANGTAIZI = SAMPLES / "shuangtaizi" / "2023.yaml"
WUXING = SAMPLES / "wuxing" / "2019.yaml"


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
    for text in ("普惠性幼儿园覆盖率为68%，未达到80%的标准",
                 "公办幼儿园在园幼儿占比为30%，未达到50%的标准"):
        assert text in drafted
        assert [s.kind for s in drafted[text].text] == ["stale"]  # highlighted for review
    assert draft.drafted_for_review == [
        "普惠性幼儿园覆盖率为68%，未达到80%的标准",
        "公办幼儿园在园幼儿占比为30%，未达到50%的标准",
    ]
    warnings = messages(path, "warning")
    assert any("普惠性幼儿园覆盖率" in w and "已起草为存在问题，待审核" in w for w in warnings)


def test_standards_the_facts_already_discuss_are_not_drafted_again():
    draft = draft_facts(DONGLI)
    assert draft.drafted_for_review == []
    warnings = messages(DONGLI, "warning")
    assert any("标准“普惠性幼儿园覆盖率”：未达到（普惠性幼儿园覆盖率为68%，要求不低于80%）" in w
               and w.endswith("存在问题中已有论述") for w in warnings)


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
    clean = run_cli("check", SAMPLES / "jiangbei" / "2022.yaml")
    assert clean.returncode == 0 and "错误 0 个，警告 0 个" in clean.stdout
    warned = run_cli("check", DONGLI, "--strict")
    assert warned.returncode == 2
    assert run_cli("check", DONGLI).returncode == 0
    broken = write("f.yaml", "district: [\n")
    result = run_cli("check", broken)
    assert result.returncode == 1
    assert "错误：" in result.stdout and "f.yaml 第" in result.stdout
    assert "Traceback" not in result.stderr


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
