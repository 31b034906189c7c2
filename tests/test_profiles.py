"""Structure profiles: shipped ones load; extension overrides, removes and reorders by id."""

from __future__ import annotations

import pytest

from drafter.compose import prepare
from drafter.errors import ProfileError
from drafter.profiles import list_profiles, load_profile, profile_dirs


def test_default_profile_sections():
    profile = load_profile("default")
    assert [s.id for s in profile.sections] == [
        "preamble", "basic_info", "achievements", "problems", "measures", "plans", "closing",
    ]  # fmt: skip
    assert profile.signature == "bottom"
    assert "履行教育职责情况自评报告" in profile.title


def test_every_shipped_profile_loads_and_has_its_templates():
    names = [path.name for path, _ in list_profiles(profile_dirs())]
    assert "default" in names
    for name in names:
        prepare(load_profile(name))  # raises if a section has no template


def test_extension_overrides_removes_adds_and_reorders(write, tmp_path):
    write(
        "mine/house.yaml",
        "description: 本局方案\n"
        "extends: default\n"
        "order: [preamble, achievements, extra, problems, measures, closing]\n"
        "sections:\n"
        "  - id: achievements\n"
        "    heading: 工作成效\n"
        "  - id: basic_info\n"
        "    remove: true\n"
        "  - id: plans\n"
        "    remove: true\n"
        "  - id: extra\n"
        "    template: part.j2\n"
        "    heading: 特色亮点\n",
    )
    profile = load_profile("house", [tmp_path / "mine"])
    assert [s.id for s in profile.sections] == [
        "preamble", "achievements", "extra", "problems", "measures", "closing",
    ]  # fmt: skip
    achievements = next(s for s in profile.sections if s.id == "achievements")
    assert achievements.heading == "工作成效"
    assert achievements.template == "part.j2"  # inherited
    assert profile.description == "本局方案"


def test_unknown_section_names_profile_file_and_line(write, tmp_path):
    path = write(
        "mine/bad.yaml",
        "extends: default\nsections:\n  - id: achievements\n  - id: acheivements\n",
    )
    with pytest.raises(ProfileError) as caught:
        prepare(load_profile("bad", [tmp_path / "mine"]))
    (problem,) = caught.value.problems
    assert problem.file == path and problem.line == 4
    assert "部分“acheivements”找不到模板 acheivements.j2" in problem.message


def test_order_naming_a_missing_section(write, tmp_path):
    write("mine/bad.yaml", "extends: default\norder: [preamble, nothing]\n")
    with pytest.raises(ProfileError, match="order 中有不存在的部分：nothing"):
        load_profile("bad", [tmp_path / "mine"])


def test_inheritance_cycle(write, tmp_path):
    write("mine/a.yaml", "extends: b\n")
    write("mine/b.yaml", "extends: a\n")
    with pytest.raises(ProfileError, match="循环继承"):
        load_profile("a", [tmp_path / "mine"])


def test_unknown_profile_lists_available():
    with pytest.raises(ProfileError, match=r"找不到结构方案“nosuch”；可用的方案：.*default"):
        load_profile("nosuch")


def test_typo_in_profile_key(write, tmp_path):
    write("mine/typo.yaml", "extends: default\nsections:\n  - id: plans\n    heding: 打算\n")
    with pytest.raises(ProfileError) as caught:
        load_profile("typo", [tmp_path / "mine"])
    (problem,) = caught.value.problems
    assert problem.line == 4 and "未知的项“heding”" in problem.message


def test_typo_in_a_profile_is_matched_against_profile_keys(write, tmp_path):
    """Suggestions come from the model being read (a profile), not from the facts file."""
    write("mine/typo.yaml", "extend: default\n")
    with pytest.raises(ProfileError) as caught:
        load_profile("typo", [tmp_path / "mine"])
    (problem,) = caught.value.problems
    assert problem.line == 1 and "未知的项“extend”" in problem.message
    assert "是不是“extends”" in problem.message


def test_order_must_list_every_section(write, tmp_path):
    write("mine/short.yaml", "extends: default\norder: [preamble, achievements, closing]\n")
    with pytest.raises(ProfileError) as caught:
        load_profile("short", [tmp_path / "mine"])
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert "order 没有列出：basic_info、problems、measures、plans" in problem.message
    assert "remove: true" in problem.message
