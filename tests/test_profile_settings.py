"""Profile settings (drafter/profile_settings.py): one fixture profile per setting under
tests/data/profiles/, each drafted from settings alone (no template of its own) with its
text asserted exactly; the settings' validation; `drafter profiles --show`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from drafter.compose import document_lines
from drafter.config import Customisation
from drafter.errors import ProfileError
from drafter.pipeline import draft_facts
from drafter.profile_settings import Enumerate
from drafter.profiles import load_profile

PROFILES = Path(__file__).parent / "data" / "profiles"

EXPECTED = {
    "sichuan": [
        "会东县人民政府2021年履行教育职责",
        "情况自评报告",
        "凉山州人民政府教育督导委员会办公室：",
        "贵办《关于做好2021年省对凉山州政府履行教育职责评价迎检工作的通知》（凉教督委〔2021〕28号）收悉。我县高度重视，立即组织相关部门开展自查自评。现将自评情况报告如下。",
        "一、主要做法及成效",
        "（一）加强党对教育工作全面领导情况。",
        "一是建立健全县领导联系学校制度，“领导干部上讲台”实现常态化。",
        "二是全县各级各类学校党建工作实现全覆盖。",
        "（二）落实教育优先发展情况。",
        "教育经费实现“两个只增不减”。",
        "会东县人民政府",
        "2021年6月30日",
    ],
    "shaanxi": [
        "汉阴县人民政府2023年履行教育职责",
        "情况自评报告",
        "安康市人民政府教育督导委员会办公室：",
        "根据《关于开展2023年县级人民政府履行教育职责评价工作的通知》（安政教督办〔2023〕6号）要求，汉阴县人民政府对2023年履行教育职责情况进行了自查自评，现将有关情况报告如下：",
        "一、自查自评情况",
        "（一）教育领导（25分）",
        "1.组织领导（10分）",
        "县委教育工作领导小组每年研究教育工作不少于2次。",
        "2.教育规划（15分）",
        "编制实施教育事业发展“十四五”规划。",
        "汉阴县人民政府",
        "2023年10月13日",
    ],
    "bonus": [
        "秀山县人民政府2020年履行教育职责",
        "情况自评报告",
        "根据省人民政府教育督导委员会办公室《关于开展对市县级人民政府2020年度履行教育职责评价工作的通知》（政教督办函〔2021〕3号），我县对2020年政府履行教育职责情况进行了自查自评，自评总得分为101.5分（基础分100分），其中申请加分2分。现将有关情况报告如下：",
        "一、主要做法及成效",
        "（一）教育保障（满分100分，自评得分99.5分）",
        "1.经费投入。（满分60分，自评得分60分）",
        "教育经费实现“两个只增不减”。",
        "2.队伍建设。（满分40分，自评得分39.5分）",
        "教师平均工资收入不低于当地公务员平均工资收入。",
        "（二）加分项目（满分3分，自评得分2分）",
        "1.创建省级教育现代化县。（满分3分，自评得分2分）",
        "2020年通过省级评估认定。",
        "秀山县人民政府",
        "2021年4月20日",
    ],
    "hubei": [
        "安陆市人民政府2022年履行教育职责",
        "情况自评报告",
        "孝感市人民政府教育督导室：",
        "根据孝感市人民政府教育督导室《关于报送县级人民政府履行教育职责自查自评报告的通知》（孝政督〔2022〕3号）和《孝感市县级人民政府履行教育职责评价实施方案》要求，我市认真组织开展了自查自评工作。",
        "一、主要做法及成效",
        "（一）贯彻执行党的教育方针情况",
        "1.理顺组织关系，做好中小学校党组织关系转接工作。",
        "2.落实立德树人根本任务，开展“五育并举”系列活动。",
        "（二）落实教育优先发展情况",
        "3.教育经费实现“两个只增不减”。",
        "安陆市人民政府",
        "2022年5月10日",
    ],
    "deduction": [
        "杭州市临安区人民政府2021年",
        "履行教育职责情况自评报告",
        "杭州市人民政府教育督导室：",
        "现将我区2021年度履行教育职责自查情况报告如下：",
        "一、主要做法及成效",
        "（一）学前教育（10分）",
        "1.普惠性幼儿园覆盖率（分值5分，自查得分4.5分，扣0.5分）。普惠性幼儿园覆盖率为88%。",
        "2.公办园在园幼儿占比。公办园在园幼儿占比为52%。",
        "杭州市临安区人民政府",
        "2021年8月2日",
    ],
    "letter": [
        "杭州市西湖区人民政府",
        "关于2022年履行教育职责情况的自评报告",
        "杭州市人民政府教育督导室：",
        "按照市政府教育督导室工作安排，对照2个方面3项内容，杭州市西湖区人民政府对2022年履行教育职责情况进行了全面自查。现将有关情况报告如下：",
        "一、主要做法及成效",
        "（一）党的领导",
        "1.落实党组织领导的校长负责制。全区中小学校全面实行党组织领导的校长负责制。",
        "（二）教育保障",
        "1.经费投入。教育经费实现“两个只增不减”。",
        "2.教师待遇。教师平均工资收入不低于当地公务员平均工资收入。",
    ],
    "standalone": [
        "广州市越秀区人民政府2021年",
        "履行教育职责情况自评报告",
        "广州市人民政府教育督导室：",
        "根据《关于开展2021年区级人民政府履行教育职责评价工作的通知》（穗教督〔2021〕7号）要求，广州市越秀区人民政府对2021年履行教育职责情况进行了自查自评，现将有关情况报告如下：",
        "经自查，我区自评得分9分（满分10分）。",
        "一、主要做法及成效",
        "（一）教育投入",
        "1.落实“两个只增不减”（分值5分，自评5分）",
        "一般公共预算教育经费逐年只增不减。",
        "2.改善办学条件（分值5分，自评4分）",
        "首先，新建改扩建中小学校3所；其次，新增学位2700个；最后，完成校舍维修改造。",
        "二、今后工作思路",
        "下一步，我区将持续加大教育投入。",
        "广州市越秀区人民政府",
        "2021年9月10日",
    ],
    "merged": [
        "东丽区人民政府2020年履行教育职责",
        "情况自评报告",
        "天津市人民政府教育督导室：",
        "根据《关于开展2020年度区人民政府履行教育职责评价工作的通知》（津教督导室〔2021〕40号）要求，东丽区人民政府对2020年履行教育职责情况进行了自查自评，现将有关情况报告如下：",
        "一、主要做法及成效",
        "（一）学前教育普及普惠。新增公办幼儿园学位2700个。",
        "二、经验启示",
        "（一）坚持党的全面领导。把教育工作纳入区委、区政府重要议事日程。",
        "三、存在问题及整改措施",
        "（一）学前教育资源仍显不足。普惠性幼儿园覆盖率低于标准。",
        "整改措施：第一，加快公办幼儿园建设；第二，扩大普惠性学前教育资源。",
        "针对以上问题，我区将逐项建立整改台账，明确责任单位和完成时限。",
        "特此报告。",
        "东丽区人民政府",
        "2021年7月23日",
    ],
}


def drafted(name: str) -> list[str]:
    custom = Customisation(profile_dirs=(PROFILES,))
    made = draft_facts(PROFILES / "facts" / f"{name}.yaml", custom)
    assert made.gaps == {}  # a notice with `number: false` has no 文号 to fill in
    return document_lines(made.document)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_drafts_from_settings_alone(name):
    assert drafted(name) == EXPECTED[name]


def test_notice_and_notices_are_not_both_written(write):
    from drafter.errors import FactsError
    from drafter.facts.load import load_facts

    text = (PROFILES / "facts" / "hubei.yaml").read_text(encoding="utf-8")
    path = write("f.yaml", text.replace("notices:\n", "notice: {title: 通知}\nnotices:\n"))
    with pytest.raises(FactsError, match="notice 和 notices 只能写一个"):
        load_facts(path)


def test_fixtures_and_shipped_folders_carry_no_templates():
    """Settings only: no fixture, sample or shipped profile folder has a .j2 of its own."""
    for folder in (PROFILES, REPO / "samples", REPO / "sections"):
        assert not list(folder.rglob("*.j2")), folder


def test_each_fixture_differs_from_the_default_layout():
    """The settings do the work: the same facts under the default profile draft otherwise."""
    for name in EXPECTED:
        custom = Customisation(profile="default", profile_dirs=(PROFILES,))
        facts = PROFILES / "facts" / f"{name}.yaml"
        assert document_lines(draft_facts(facts, custom).document) != EXPECTED[name], name


def test_levels_merge_per_field_through_inheritance(write, tmp_path):
    write("mine/base.yaml", "extends: default\nlevels:\n  3: {run_in: false}\n"
          "sections:\n  - id: problems\n    levels:\n      3: {ending: none}\n")  # fmt: skip
    write("mine/child.yaml", "extends: base\nsections:\n  - id: problems\n    levels:\n"
          "      3: {untitled: number}\n")  # fmt: skip
    problems = next(s for s in load_profile("child", [tmp_path / "mine"]).sections
                    if s.id == "problems")  # fmt: skip
    level = problems.levels[3]
    assert (level.run_in, level.ending, level.untitled) == (False, "none", "number")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("levels:\n  5: {run_in: true}\n", 1, "标题层级“5”不可用：levels 只能设置 2"),
        ("levels:\n  3: {ending: 句号}\n", 2, "levels.3.ending “标题句末”不是可用的值"),
        ("levels:\n  3:\n    runin: true\n", 3, "未知的项“runin”（可能拼写有误），是不是“run_in”"),
        ("enumeration: {ordinal: 一是}\n", 1, "序词应含 {n}"),
        ("sections:\n  - id: problems\n    measures: merged\n", 3, "sections.0.measures"),
        ("letter_number: {align: 居左}\n", 1, "letter_number.align “位置”不是可用的值"),
        ("letter_number:\n  aling: 居中\n", 2, "未知的项“aling”（可能拼写有误），是不是“align”"),
        ("letter_number: 左\n", 1, "letter_number.align “位置”不是可用的值，现在是“左”"),
    ],
)  # fmt: skip
def test_a_wrong_setting_is_a_located_chinese_error(write, tmp_path, text, line, message):
    path = write("mine/bad.yaml", "extends: default\n" + text)
    with pytest.raises(ProfileError) as caught:
        load_profile("bad", [tmp_path / "mine"])
    (problem,) = caught.value.problems
    assert problem.file == path and problem.line == line + 1
    assert message in f"{problem.where} {problem.message}"


def test_ordinal_words_listed_one_by_one():
    words = Enumerate(ordinal=["首先，", "其次，", "最后，"])
    assert [words.word(i) for i in (1, 2, 3)] == ["首先，", "其次，", "最后，"]
    assert Enumerate().word(12) == "十二是"


def test_profiles_show_prints_the_resolved_settings(cli):
    code, out, _ = cli("profiles", "--show", "tianjin")
    assert code == 0
    assert out.startswith("# 结构方案 tianjin：合并继承后的全部设置（含默认值）")
    assert "template: problems_merged.j2" in out and "heading: 工作成效及经验做法" in out
    achievements = out[out.index("- id: achievements"):out.index("- id: problems")]
    assert "    3:\n      run_in: true\n      ending: 。\n" in achievements
    assert "      continuous: true\n" in achievements.split("    3:")[1]
    assert "（{{ max }}分，自评分{{ self }}分）" in achievements
    code, _, err = cli("profiles", "--show", "nosuch")
    assert code == 1 and "找不到结构方案“nosuch”" in err


def test_an_error_in_a_profile_paragraph_names_the_profile_and_section_line(write, tmp_path):
    from drafter.errors import DrafterError

    path = write("mine/p.yaml", "extends: default\nsections:\n  - id: closing\n"
                 "    text: [\"{{ m.不存在 }}\"]\n")  # fmt: skip
    custom = Customisation(profile="p", profile_dirs=(tmp_path / "mine",))
    with pytest.raises(DrafterError) as caught:
        draft_facts(PROFILES / "facts" / "letter.yaml", custom)
    (problem,) = caught.value.problems
    assert (Path(problem.file), problem.line) == (path, 3)
    assert "引用了不存在的指标“不存在”" in problem.message
