"""`drafter diff`: what changed between two years' facts, asserted in full on real years."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_roll import SAMPLE_FILES, edit, roll

from drafter.diff import diff_files
from drafter.pipeline import draft_facts


@pytest.fixture
def dongli_years(tmp_path: Path) -> tuple[Path, Path]:
    """东丽区 2020 and its 2021 after a year's editing: numbers, items, one-off fields."""
    new = roll(SAMPLE_FILES["dongli"], tmp_path)
    edit(new, "date:  # 待补充：成文日期", "date: 2022年7月20日")
    edit(new, "  number:  # 待补充：文号", "  number: 津教督导室〔2022〕31号")
    edit(new, "学前三年毛入园率: {value: !stale 91.5,", "学前三年毛入园率: {value: 93.2,")
    edit(new, "常住适龄幼儿人口: {value: !stale 20676,", "常住适龄幼儿人口: {value: 21350,")
    # reviewed and unchanged: not a difference
    edit(new, "中职毕业生就业率: {value: !stale 95,", "中职毕业生就业率: {value: 95,")
    edit(new, "  老年大学教学班数: {value: !stale 18, unit: 个, previous: 18}\n", "")
    edit(new, "，{{ m.老年大学教学班数 }}教学班", "")
    edit(new, "  2022年新增公办幼儿园学位: {value: !stale 2700, unit: 个, previous: 2700}\n",
         "  2022年新增公办幼儿园学位: {value: !stale 2700, unit: 个, previous: 2700}\n"
         "  新增学前教育学位: 1600个\n")
    edit(new, "          出台《东丽区进一步规范民办学校发展工作实施意见》等文件，",
         "          修订《东丽区民办学校年检办法》，")
    text = new.read_text(encoding="utf-8")
    start = text.index("      - title: !stale 加快落实语言文字工作")
    end = text.index("      - title: !stale 强化学校体育卫生工作")
    new.write_text(text[:start] + text[end:], encoding="utf-8")
    edit(new, "      - title: !stale 充分发挥教育督导作用\n",
         "      - title: 推进“双减”工作落地见效\n"
         "        text: 全面落实“双减”政策，课后服务实现义务教育学校全覆盖。\n"
         "      - title: !stale 充分发挥教育督导作用\n")
    edit(new, "        - !stale 足额安排项目支出经费，加大教育资源建设力度。\n",
         "        - !stale 足额安排项目支出经费，加大教育资源建设力度。\n"
         "  - title: 部分学校校舍陈旧，C级校舍改造尚未完成\n"
         "    measure:\n"
         "      points:\n"
         "        - 加快推进C级校舍提升改造，2022年底前全部完成。\n")
    return new.with_name("2020.yaml"), new


def test_diff_of_two_real_years_in_full(dongli_years):
    old, new = dongli_years
    group3 = "主要做法及成效 › 不断推进各级各类教育持续发展，稳步提升教育质量"
    assert diff_files(old, new) == [
        "东丽区：2020年度 → 2021年度",
        "基本信息：",
        "  年度：2020 → 2021",
        "  通知标题：天津市人民政府教育督导室关于印发对各区人民政府2020年履行教育职责评价方案的通知"
        " → （未填）",
        "  文号：津教督导室〔2021〕40号 → 津教督导室〔2022〕31号",
        "  成文日期：2021年7月23日 → 2022年7月20日",
        "指标：",
        "  常住适龄幼儿人口：20676人 → 21350人，增长3.26%",
        "  学前三年毛入园率：91.5% → 93.2%，上升1.7个百分点",
        "  新增 新增学前教育学位：1600个",
        "  删除 老年大学教学班数（上年为18个）",
        "正文和条目：",
        "  新增 主要做法及成效 › 努力构建科学决策、部门协调机制，强化教育督导，统… › "
        "推进“双减”工作落地见效",
        f"  删除 {group3} › 加快落实语言文字工作",
        f"  改写 {group3} › 积极促进和规范民办教育发展",
        f"  改写 {group3} › 推进继续教育发展",
        "存在问题：",
        "  新增 部分学校校舍陈旧，C级校舍改造尚未完成",
    ]
    draft_facts(new)  # the edited year still drafts


def test_diff_command_prints_the_same_and_leaves_files_alone(run_cli, dongli_years):
    old, new = dongli_years
    before = old.read_bytes(), new.read_bytes()
    result = run_cli("diff", old, new)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == diff_files(old, new)
    assert (old.read_bytes(), new.read_bytes()) == before


def test_a_fresh_roll_differs_only_in_the_one_off_fields(tmp_path):
    new = roll(SAMPLE_FILES["jiangbei"], tmp_path)
    assert diff_files(new.with_name("2022.yaml"), new) == [
        "江北区：2022年度 → 2023年度",
        "基本信息：",
        "  年度：2022 → 2023",
        "  评价期间：2021年以来 → 2022年以来",
        "  通知标题：关于印发2022年对区县人民政府履行教育职责评价方案的通知 → （未填）",
        "  文号：渝府教督发〔2022〕5号 → （未填）",
        "  成文日期：2022年12月13日 → （未填）",
    ]


def test_scores_changed_by_indicator_and_in_total(tmp_path):
    new = roll(SAMPLE_FILES["shuangtaizi"], tmp_path)
    edit(new, "            score: !stale {max: 5, self: 4.7}",
         "            score: {max: 5, self: 5}")
    lines = diff_files(new.with_name("2023.yaml"), new)
    assert lines[lines.index("分值："):] == [
        "分值：",
        "  主要做法及成效 › 党的领导与依法治教 › 学生体质健康情况 › 近视防控工作评分情况："
        "自评分 4.7分 → 5分",
        "  自评总分：98.6分 → 98.9分",
    ]


def test_assessment_deductions_and_bonus(tmp_path):
    new = roll(SAMPLE_FILES["wuxing"], tmp_path)
    edit(new, "    - {point: 扣分测评点二（原报告未列明）, deducted: 1.5}\n", "")
    edit(new, "    - {item: 加分指标（原报告未列明）, points: 2}",
         "    - {item: 加分指标（原报告未列明）, points: 3}")
    lines = diff_files(new.with_name("2019.yaml"), new)
    assert lines[lines.index("分值："):] == [
        "分值：", "  测评点扣分：3.5分 → 2分", "  加分：2分 → 3分"
    ]  # fmt: skip


def test_same_facts_have_no_differences(tmp_path):
    copy = tmp_path / "copy.yaml"
    shutil.copyfile(SAMPLE_FILES["wuxing"], copy)
    assert diff_files(SAMPLE_FILES["wuxing"], copy) == [
        "吴兴区：2019年度 → 2019年度", "两个事实文件没有差别。"
    ]


def test_diff_error_is_chinese_with_the_file(run_cli, tmp_path):
    result = run_cli("diff", SAMPLE_FILES["wuxing"], tmp_path / "无.yaml")
    assert result.returncode == 1
    assert f"错误：{tmp_path / '无.yaml'}：找不到事实文件" in result.stderr


def test_titles_show_jinja_code_and_notes_as_an_ellipsis(write):
    from conftest import MINIMAL_FACTS

    old = write("2022.yaml", MINIMAL_FACTS)
    new = write("2023.yaml", MINIMAL_FACTS.replace(
        "      - title: 加强党的领导\n",
        "      - title: '落实{# 2021年起，\n          见市方案 #}“双减”{{ m.毛入园率 }}'\n"
        "      - title: 加强党的领导\n",
    ))  # fmt: skip
    added = "  新增 主要做法及成效 › 主要做法 › 落实…“双减”…"
    assert diff_files(old, new)[-2:] == ["正文和条目：", added]
