"""Corrected and scoped standards, one units module, sums that must add up, and what `roll`
marks stale: each test on the check output or the drafted text."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL_FACTS, SAMPLE

from drafter import units
from drafter.checking import check_file
from drafter.checks.standards import load_tables
from drafter.compose import document_lines
from drafter.config import Customisation
from drafter.facts.load import load_facts
from drafter.pipeline import draft_facts
from drafter.resources import shipped_dir
from drafter.roll import roll_file

FACTS = MINIMAL_FACTS.replace("year: 2022\n", "year: {year}\n")


def facts(write, metrics: str, year: int = 2022, extra: str = "") -> Path:
    """A small facts file (重庆, default profile) with these metric lines."""
    text = FACTS.format(year=year).replace("metrics:\n", "metrics:\n" + metrics) + extra
    return write("f.yaml", text)


def findings(path: Path, custom: Customisation | None = None) -> list[tuple[str, str, int | None]]:
    return [(f.level, f.message, f.line) for f in check_file(path, custom).findings]


def about(path: Path, subject: str, custom: Customisation | None = None) -> list[str]:
    return [m for _, m, _ in findings(path, custom) if m.startswith(subject)]


# --------------------------------------------------------------------------- corrected values


def test_87_percent_meets_the_85_percent_county_standard(write):
    path = facts(write, "  学前三年毛入园率: 87%\n")
    assert about(path, "标准“学前三年毛入园率”") == [
        "标准“学前三年毛入园率”：达到（学前三年毛入园率为87%，要求不低于85%）"
    ]
    assert draft_facts(path).drafted_for_review == []


def test_84_percent_is_drafted_as_a_problem_against_the_standard(write):
    path = facts(write, "  学前三年毛入园率: 84%\n")
    assert draft_facts(path).drafted_for_review == [
        "学前三年毛入园率为84%，未达到《县域学前教育普及普惠督导评估办法》规定的85%的标准"
    ]


def test_large_classes_are_judged_by_the_5_percent_rule_not_a_zero_limit(write):
    path = facts(write, "  大班额比例: 4.8%\n  大班额数: 12个\n", year=2020)
    messages = [m for _, m, _ in findings(path)]
    assert "目标“56人以上大班额比例”：达到（大班额比例为4.8%，要求不高于5%）" in messages
    assert not any("（大班额数为" in m for m in messages)  # a count of classes is not judged
    draft = draft_facts(path)
    assert draft.drafted_for_review == []
    assert "上限" not in "\n".join(document_lines(draft.document))


def test_a_target_is_worded_as_a_target(write):
    path = facts(write, "  高中阶段毛入学率: 88.5%\n", year=2020)
    (message,) = about(path, "目标“高中阶段毛入学率”")
    assert message.startswith(
        "目标“高中阶段毛入学率”：未达到（高中阶段毛入学率为88.5%，要求不低于90%）"
    )
    assert "依据：《高中阶段教育普及攻坚计划（2017—2020年）》：到2020年" in message
    assert draft_facts(path).drafted_for_review == [
        "高中阶段毛入学率为88.5%，未达到《高中阶段教育普及攻坚计划（2017—2020年）》提出的"
        "到2020年达到90%的目标"
    ]


def test_a_fall_of_5_wan_yuan_fails_no_decrease_and_is_worded_as_the_amount(write):
    path = facts(write, "  一般公共预算教育支出: {value: 109722, unit: 万元, previous: 109727}\n")
    (message,) = about(path, "标准“一般公共预算教育支出只增不减”")
    assert message.startswith("标准“一般公共预算教育支出只增不减”：未达到")
    (drafted,) = draft_facts(path).drafted_for_review
    assert drafted.startswith("一般公共预算教育支出为109722万元，比上年减少5万元，未做到")
    assert "持平" not in drafted


# --------------------------------------------------------------------------- scope


def test_an_entry_outside_its_years_is_not_applied(write):
    before = facts(write, "  学前三年毛入园率: 70%\n", year=2019)  # the 办法 is of 2020
    assert about(before, "标准“学前三年毛入园率”") == []
    assert draft_facts(before).drafted_for_review == []
    after = facts(write, "  高中阶段毛入学率: 88.5%\n", year=2022)  # a target for 2020
    assert about(after, "目标“高中阶段毛入学率”") == []


def test_a_provincial_entry_is_applied_only_in_its_province(write):
    metric = "  小学生均公用经费: 800元/生\n"
    chongqing = facts(write, metric, extra="profile: liaoning\nprovince: 重庆市\n")
    assert about(chongqing, "标准“小学生均公用经费”") == []
    liaoning = facts(write, metric, extra="profile: liaoning\nprovince: 辽宁省\n")
    (message,) = about(liaoning, "标准“小学生均公用经费”")
    assert message.startswith("标准“小学生均公用经费”：未达到（小学生均公用经费为800元/生")


def test_every_shipped_entry_cites_its_document_sentence_years_and_kind():
    tables = [p.stem for p in shipped_dir("standards").glob("*.yaml")]
    assert sorted(tables) == ["liaoning", "national"]
    for standard in load_tables(tables):
        assert standard.document and standard.quote and standard.found_at, standard.id
        assert standard.kind in ("标准", "目标")
        if standard.kind == "目标":
            assert standard.due is not None, standard.id  # a target says by when
        assert standard.from_year is not None or standard.document == "中华人民共和国义务教育法"


# --------------------------------------------------------------------------- units


def test_full_width_percent_is_a_rate_for_changes_and_standards(write):
    path = facts(
        write,
        "  体质健康优良率: {value: 39.78, unit: ％, previous: 28.67}\n"
        "  普惠性幼儿园覆盖率: 68％\n",
        extra="basic_info: 优良率同比{{ m.体质健康优良率.change }}。\n",
    )
    text = "\n".join(document_lines(draft_facts(path).document))
    assert "优良率同比上升11.11个百分点。" in text
    assert "38.75%" not in text
    (message,) = about(path, "标准“普惠性幼儿园覆盖率”")
    assert message.startswith("标准“普惠性幼儿园覆盖率”：未达到（普惠性幼儿园覆盖率为68％")


def test_an_unknown_unit_of_a_change_or_a_standard_is_a_located_warning(write):
    path = facts(write, "  学前三年毛入园率: {value: 87, unit: 百分比, previous: 85}\n")
    found = findings(path)
    unknown = [(level, line) for level, m, line in found if "单位“百分比”无法识别" in m]
    assert unknown == [("warning", 11)]
    (standard,) = [(level, m) for level, m, _ in found if m.startswith("标准“学前三年毛入园率”")]
    assert standard[0] == "warning" and "无法换算" in standard[1]


def test_units_convert_amounts_and_know_one_unit_in_two_widths():
    assert units.normalize("％") == "%" and units.normalize("名") == "人"
    assert units.convert(Decimal("15.67"), "亿元", "万元") == Decimal("156700")
    assert units.convert(Decimal("850"), "元/生", "元/生") == Decimal("850")
    assert units.convert(Decimal("1"), "%", "元") is None
    assert units.convert(Decimal("1"), "人", "所") is None
    assert units.change_unit("‰") == "个百分点" and units.change_unit("万元") == "%"
    assert units.known("元/生") and units.known("班") and not units.known("百分比")


# --------------------------------------------------------------------------- sums


SCHOOLS = "  小学数: 30所\n  初中数: 12所\n  高中数: 4所\n"


def test_a_sum_metric_is_computed_and_converts_amounts(write):
    path = facts(
        write,
        SCHOOLS + "  学校总数: {sum: [小学数, 初中数, 高中数], unit: 所}\n"
        "  市级投入: 1.2亿元\n  区级投入: 3000万元\n"
        "  教育投入合计: {sum: [市级投入, 区级投入], unit: 万元}\n",
        extra="basic_info: 全区共有学校{{ m.学校总数 }}，投入{{ m.教育投入合计 }}。\n",
    )
    text = "\n".join(document_lines(draft_facts(path).document))
    assert "全区共有学校46所，投入15000万元。" in text


def test_a_typed_total_that_disagrees_with_its_parts_is_a_located_error(write, run_cli):
    path = facts(write, SCHOOLS + "  学校总数:\n    value: 47\n    unit: 所\n"
                        "    sum: [小学数, 初中数, 高中数]\n")  # fmt: skip
    (error,) = [(m, line) for level, m, line in findings(path) if level == "error"]
    assert error == ("指标“学校总数”：填写的合计 47所 与各项之和不一致：30所＋12所＋4所＝46所", 15)
    result = run_cli("draft", path, "-o", path.with_suffix(".docx"))
    assert result.returncode == 1 and "第15行" in result.stdout + result.stderr
    assert not path.with_suffix(".docx").exists()


# --------------------------------------------------------------------------- user tables


CITY_TABLE = """\
description: 本区评价细则
standards:
  - id: 课后服务覆盖率
    metric: [课后服务覆盖率]
    at_least: 100
    unit: '%'
    document: 本区课后服务实施方案
    quote: 课后服务覆盖率达到100%
"""


def test_a_user_standards_folder_is_applied_from_the_option_and_from_drafter_yaml(
    write, run_cli, tmp_path
):
    write("细则/city.yaml", CITY_TABLE)
    path = facts(write, "  课后服务覆盖率: 96%\n")
    assert about(path, "标准“课后服务覆盖率”") == []
    custom = Customisation(standard_dirs=(tmp_path / "细则",))
    (message,) = about(path, "标准“课后服务覆盖率”", custom)
    assert message.startswith("标准“课后服务覆盖率”：未达到（课后服务覆盖率为96%，要求不低于100%）")
    assert "依据：《本区课后服务实施方案》：课后服务覆盖率达到100%" in message
    by_option = run_cli("check", path, "--standards", tmp_path / "细则")
    assert "标准“课后服务覆盖率”：未达到" in by_option.stdout
    write("drafter.yaml", "standards: 细则\n")
    assert "标准“课后服务覆盖率”：未达到" in run_cli("check", path).stdout


def test_a_bad_user_table_is_a_located_chinese_error(write, run_cli, tmp_path):
    write("细则/city.yaml", CITY_TABLE.replace("    at_least: 100\n", "    at_least: 很多\n"))
    path = facts(write, "  课后服务覆盖率: 96%\n")
    result = run_cli("check", path, "--standards", tmp_path / "细则")
    assert result.returncode == 1
    assert "city.yaml 第5行：[standards.0.at_least] “不低于”应为数值，现在是“很多”" in result.stdout


# --------------------------------------------------------------------------- roll


def test_a_rolled_files_targets_and_notice_issuer_are_stale_and_not_judged(tmp_path, run_cli):
    text = SAMPLE["jiangbei"].read_text(encoding="utf-8")
    source = tmp_path / "2022.yaml"
    source.write_text(text.replace(
        "metrics:\n",
        "targets:\n  - text: 学前三年毛入园率达到120%\n    metric: 学前三年毛入园率\n"
        "    at_least: 120\nmetrics:\n", 1), encoding="utf-8")  # fmt: skip
    assert any(m.startswith("目标“学前三年毛入园率达到120%”：达到") for _, m, _ in
               findings(source))  # fmt: skip
    target = roll_file(source).target
    _, located = load_facts(target)
    assert ("targets", 0) in located.stale and ("notice", "issuer") in located.stale
    out = run_cli("check", target).stdout
    assert "沿用上年、尚未更新：年度目标“学前三年毛入园率达到120%”" in out
    assert "沿用上年、尚未更新：评价通知的发文机关" in out
    assert "目标“学前三年毛入园率达到120%”：达到" not in out  # last year's numbers


def test_a_rolled_file_keeps_its_own_profile_from_its_new_folder(tmp_path):
    shutil.copyfile(shipped_dir("sections") / "chongqing.yaml", tmp_path / "本区方案.yaml")
    profile = yaml.safe_load((tmp_path / "本区方案.yaml").read_text(encoding="utf-8"))
    profile["extends"] = "default"
    (tmp_path / "本区方案.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True),
                                         encoding="utf-8")  # fmt: skip
    text = SAMPLE["jiangbei"].read_text(encoding="utf-8")
    source = tmp_path / "2022.yaml"
    source.write_text(text.replace("profile: chongqing", "profile: 本区方案.yaml"), "utf-8")
    draft_facts(source)
    (tmp_path / "2023").mkdir()
    rolled = roll_file(source, target=tmp_path / "2023" / "2023.yaml")
    assert "profile: ../本区方案.yaml" in rolled.target.read_text(encoding="utf-8")
    assert draft_facts(rolled.target).facts.year == 2023


@pytest.mark.parametrize("name", ["dongli", "jiangbei", "shuangtaizi", "wuxing"])
def test_samples_still_check_without_errors(name):
    assert [m for level, m, _ in findings(SAMPLE[name]) if level == "error"] == []
