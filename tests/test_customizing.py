"""Staff customisation without Python: one section's template, one block of a default, a
user profile, templates beside a profile, drafter.yaml, and `drafter templates`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE, docx_texts, golden

from drafter.compose import document_lines
from drafter.config import Customisation
from drafter.errors import TemplateError
from drafter.pipeline import draft_facts

JIANGBEI = SAMPLE["jiangbei"]
SHUANGTAIZI = SAMPLE["shuangtaizi"]


def drafted(
    facts: Path,
    templates: list[Path] | None = None,
    profile: str | None = None,
    profile_dirs: list[Path] | None = None,
) -> list[str]:
    custom = Customisation(
        profile=profile,
        template_dirs=tuple(templates or ()),
        profile_dirs=tuple(profile_dirs or ()),
    )
    return document_lines(draft_facts(facts, custom).document)


def section_span(lines: list[str], first: str, after: str) -> tuple[int, int]:
    """Where a level-1 section starts (its heading) and where the next one starts."""
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith(after))
    return start, end


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- one section's template ------------------------------------------------------------------


def test_overriding_one_section_changes_that_section_only(tmp_path):
    # achievements, overview and plans all use part.j2 in the liaoning profile; a file named
    # after the section id replaces the template of that section alone.
    write(tmp_path / "tpl", "achievements.j2",
          "{% set part = achievements %}\n# {{ heading }}\n"
          "{% for group in part.items %}\n## {{ group.title }}\n{% endfor %}\n")  # fmt: skip
    before = golden("shuangtaizi")
    after = drafted(SHUANGTAIZI, [tmp_path / "tpl"])
    start, end = section_span(before, "二、", "三、")
    new_end = after.index(before[end])
    assert after[:start] == before[:start]  # title, 落款, preamble, 总体自查情况 (part.j2)
    assert after[new_end:] == before[end:]  # problems, measures, plans (part.j2), 落款
    assert after[start:new_end] == [
        "二、主要做法及工作成效", "（一）党的领导与依法治教", "（二）政府保障与教育发展",
    ]  # fmt: skip


def test_block_override_extends_the_default_of_the_same_name(tmp_path):
    write(tmp_path / "tpl", "problems.j2",
          '{% extends "default/problems.j2" %}\n'
          "{% block item %}\n"
          '{{ "#" * section.item_level }} {{ it.title }}\n'
          "{% endblock %}\n"
          "{% block outro %}\n"
          "以上问题，我区将逐项建立台账、限期整改。\n"
          "{% endblock %}\n")  # fmt: skip
    before = golden("jiangbei")
    after = drafted(JIANGBEI, [tmp_path / "tpl"])
    start, end = section_span(before, "二、存在问题", "三、")
    new_end = after.index(before[end])
    assert after[:start] == before[:start] and after[new_end:] == before[end:]
    headings = [line for line in before[start:end] if line.startswith("（")]
    # The heading block is the default's; each item is now its title alone; a closing line.
    assert after[start:new_end] == [
        "二、存在问题", *headings, "以上问题，我区将逐项建立台账、限期整改。",
    ]


def test_super_keeps_the_default_and_adds_to_it(tmp_path):
    write(tmp_path / "tpl", "problems.j2",
          '{% extends "default/problems.j2" %}\n'
          "{% block intro %}\n对照评价方案，我区存在以下问题：\n{{ super() }}\n{% endblock %}\n")
    before = golden("jiangbei")
    after = drafted(JIANGBEI, [tmp_path / "tpl"])
    at = before.index("二、存在问题") + 1
    assert after == [*before[:at], "对照评价方案，我区存在以下问题：", *before[at:]]


def test_a_template_named_like_a_default_replaces_it_for_every_section_using_it(tmp_path):
    write(tmp_path / "tpl", "part.j2", '{% extends "default/part.j2" %}\n{% block items %}\n'
          "{% endblock %}\n")
    after = drafted(SHUANGTAIZI, [tmp_path / "tpl"])
    for heading in ("一、总体自查情况", "二、主要做法及工作成效", "五、下一步工作安排"):
        assert heading in after
    assert not any(line.startswith("（一）党的领导") for line in after)


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        pytest.param("\n## {{ it.titel }}\n", 4,
                     "模板使用了不存在的字段“titel”；相近的有：title（标题）", id="unknown-field"),
        pytest.param("{{ it.title }\n", 3, "模板语法错误", id="syntax"),
        pytest.param("{{ section.__class__ }}\n", 3, "模板试图访问“__class__”，出于安全考虑已阻止",
                     id="escape"),
    ],
)  # fmt: skip
def test_error_inside_a_block_override_names_the_users_file_and_line(tmp_path, block, line,
                                                                     message):  # fmt: skip
    path = write(tmp_path / "tpl", "problems.j2",
                 f'{{% extends "default/problems.j2" %}}\n{{% block item %}}\n{block}'
                 "{% endblock %}\n")  # fmt: skip
    with pytest.raises(TemplateError) as caught:
        drafted(JIANGBEI, [tmp_path / "tpl"])
    (problem,) = caught.value.problems
    assert (Path(problem.file), problem.line, problem.where) == (path, line, "problems.j2")
    assert problem.message.startswith(message)


def test_error_inside_an_extended_default_names_the_default_file(tmp_path):
    # A new section drafted with the default part.j2, but no facts field has its id: the
    # error is in the shipped templates (where `part` is first used), naming the field.
    write(tmp_path / "prof", "mine.yaml",
          "extends: chongqing\nsections:\n  - id: lessons\n    heading: 经验启示\n")
    write(tmp_path / "tpl", "lessons.j2", '{% extends "default/part.j2" %}\n')
    with pytest.raises(TemplateError) as caught:
        draft_facts(JIANGBEI, Customisation("mine", (tmp_path / "tpl",), (tmp_path / "prof",)))
    (problem,) = caught.value.problems
    shipped = REPO / "templates"
    assert Path(problem.file) == shipped / "_section.j2" and problem.where == "lessons.j2"
    used_at = (shipped / "_section.j2").read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert used_at == "{% if part %}"
    assert "不存在的字段“lessons”；相近的有：plans（下一步工作打算）" in problem.message


def test_extending_itself_is_a_clear_error(tmp_path):
    write(tmp_path / "tpl", "closing.j2", '{% extends "closing.j2" %}\n')
    with pytest.raises(TemplateError, match=r'无限循环.*\{% extends "default/closing.j2" %\}'):
        drafted(JIANGBEI, [tmp_path / "tpl"])


# --- profiles ----------------------------------------------------------------------------------


def test_user_profile_removes_renames_and_reorders_sections(tmp_path):
    write(tmp_path / "prof", "house.yaml",
          "extends: chongqing\n"
          "order: [preamble, basic_info, problems, achievements, closing]\n"
          "sections:\n"
          "  - id: achievements\n    heading: 工作成效\n"
          "  - id: measures\n    remove: true\n")  # fmt: skip
    before = golden("jiangbei")
    after = drafted(JIANGBEI, profile="house", profile_dirs=[tmp_path / "prof"])
    level1 = [line for line in after if line[:2] in ("一、", "二、", "三、", "四、")]
    assert level1 == ["一、存在问题", "二、工作成效"]
    problems_at, measures_at = section_span(before, "二、存在问题", "三、")
    # The sections keep their own text, in the new order; 下一步工作打算 is gone.
    assert after[after.index("一、存在问题") + 1 : after.index("二、工作成效")] == (
        before[problems_at + 1 : measures_at]
    )
    assert not any(line.startswith("三、下一步工作打算") for line in after)
    assert after[-2:] == before[-2:]  # the 落款 stays last


def test_templates_beside_a_user_profile_are_used_after_the_command_lines(tmp_path):
    bureau = tmp_path / "bureau"
    write(bureau, "house.yaml", "extends: chongqing\n")
    write(bureau / "templates", "closing.j2", "此报告。\n")
    write(bureau / "templates", "preamble.j2", "现将我区情况报告如下：\n")
    write(tmp_path / "mine", "closing.j2", "特此报告。\n")
    after = drafted(JIANGBEI, [tmp_path / "mine"], profile="house", profile_dirs=[bureau])
    before = golden("jiangbei")
    assert after[3] == "现将我区情况报告如下："  # from the profile's templates folder
    assert after[4:-3] == before[4:-2]
    assert after[-3] == "特此报告。"  # --templates wins over the profile's folder
    # A shipped profile has no templates folder of its own: the defaults draft as before.
    assert drafted(JIANGBEI) == before


# --- drafter.yaml ------------------------------------------------------------------------------


@pytest.fixture
def bureau(tmp_path: Path) -> Path:
    """A bureau folder: drafter.yaml, its profile, templates, and a district's facts below."""
    root = tmp_path / "bureau"
    write(root / "方案", "house.yaml", "extends: chongqing\nsections:\n"
          "  - id: measures\n    heading: 整改措施\n")  # fmt: skip
    write(root / "模板", "closing.j2", "特此报告。\n")
    write(root, "drafter.yaml", "templates: 模板\nsections: [方案]\nprofile: house\n")
    (root / "jiangbei").mkdir()
    shutil.copy(JIANGBEI, root / "jiangbei" / "2022.yaml")
    return root


def test_drafter_yaml_in_a_parent_folder_sets_templates_profile_and_sections(cli, bureau):
    code, out, err = cli("text", bureau / "jiangbei" / "2022.yaml")
    assert code == 0, err
    lines = out.splitlines()
    assert "三、整改措施" in lines and "特此报告。" in lines
    assert lines[:-3] == [
        "三、整改措施" if line == "三、下一步工作打算" else line for line in golden("jiangbei")[:-2]
    ]


def test_command_line_wins_over_drafter_yaml(cli, bureau, tmp_path):
    write(tmp_path / "mine", "closing.j2", "此致。\n")
    code, out, err = cli("text", bureau / "jiangbei" / "2022.yaml",
                         "--profile", "chongqing", "--templates", tmp_path / "mine")
    assert code == 0, err
    lines = out.splitlines()
    assert "三、下一步工作打算" in lines  # --profile replaced drafter.yaml's profile
    assert "此致。" in lines and "特此报告。" not in lines  # --templates searched first


def test_the_nearest_drafter_yaml_wins(cli, bureau):
    write(bureau / "jiangbei", "drafter.yaml", "profile: chongqing\n")
    code, out, _ = cli("text", bureau / "jiangbei" / "2022.yaml")
    assert code == 0
    assert "三、下一步工作打算" in out.splitlines() and "特此报告。" not in out


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("templates: 模板\nprofil: house\n", 2, "未知的项“profil”（可能拼写有误），是不是"),
        ("sections: [方案, 没有这个]\n", 1, "找不到文件夹“没有这个”"),
        ("reference_doc: 样式.docx\n", 1, "找不到文件“样式.docx”（相对于 drafter.yaml 所在"),
        ("templates:\n  - 模板\n  - {a: 1}\n", 3, "应为文字"),
        ("profile: [house\n", 1, "YAML 格式错误：从这一行开始的方括号"),
    ],
)  # fmt: skip
def test_drafter_yaml_errors_name_the_line(cli, bureau, text, line, message):
    path = write(bureau, "drafter.yaml", text)
    code, out, err = cli("draft", bureau / "jiangbei" / "2022.yaml")
    assert code == 1 and out == ""
    assert err.startswith(f"错误：{path} 第{line}行：") and message in err
    assert not (bureau / "jiangbei" / "2022.docx").exists()


def test_empty_drafter_yaml_changes_nothing(cli, bureau):
    write(bureau, "drafter.yaml", "# 暂不设置\n")
    code, out, _ = cli("text", bureau / "jiangbei" / "2022.yaml")
    assert code == 0 and out.splitlines() == golden("jiangbei")


def test_batch_applies_each_files_drafter_yaml(cli, bureau, tmp_path):
    other = tmp_path / "city" / "wuxing"
    other.mkdir(parents=True)
    shutil.copy(SAMPLE["wuxing"], other / "2019.yaml")
    shutil.move(str(bureau), str(tmp_path / "city" / "bureau"))
    code, out, err = cli("batch", tmp_path / "city", "--jobs", "1")
    assert code == 0, out + err
    assert "drafter.yaml" not in err  # options, not a facts file: not even "skipped"
    assert "特此报告。" in docx_texts(tmp_path / "city" / "bureau" / "jiangbei" / "2022.docx")
    assert docx_texts(other / "2019.docx") == [line for line in golden("wuxing") if line]


# --- drafter templates init / list -------------------------------------------------------------


def test_templates_init_copies_only_that_default_with_comments(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("templates", "init", "mytpl", "--section", "achievements")
    assert code == 0
    assert [p.name for p in (tmp_path / "mytpl").iterdir()] == ["achievements.j2"]
    text = (tmp_path / "mytpl" / "achievements.j2").read_text(encoding="utf-8")
    assert text.startswith("{#- ================ 自定义模板")
    assert '{% extends "default/part.j2" %}' in text and "只用于这一部分" in text
    assert text.endswith((REPO / "templates" / "part.j2").read_text(encoding="utf-8"))
    assert "已复制：mytpl/achievements.j2" in out
    # The copy drafts exactly what the default does, until someone edits it.
    assert drafted(JIANGBEI, [tmp_path / "mytpl"]) == golden("jiangbei")


def test_templates_init_refuses_to_overwrite_and_needs_a_section(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mytpl", "problems.j2", "我的模板\n")
    code, _, err = cli("templates", "init", "mytpl", "--section", "problems")
    assert code == 1 and "文件已存在，不会覆盖" in err
    assert (tmp_path / "mytpl" / "problems.j2").read_text(encoding="utf-8") == "我的模板\n"
    code, _, err = cli("templates", "init", "mytpl")
    assert code == 1 and "请用 --section 指定要修改的部分" in err
    code, _, err = cli("templates", "init", "mytpl", "--section", "lessons")
    assert code == 1 and "没有部分“lessons”；可用的部分：preamble、basic_info" in err
    code, _, err = cli("templates", "init", "mytpl", "--template", "../sections/x.j2")
    assert code == 1 and "没有名为“../sections/x.j2”的默认模板" in err


def test_templates_list_says_which_file_each_section_uses(cli, tmp_path):
    write(tmp_path / "mytpl", "problems.j2", '{% extends "default/problems.j2" %}\n')
    write(tmp_path / "mytpl", "achievements.j2", "# {{ heading }}\n")
    write(tmp_path / "mytpl", "problem.j2", "typo\n")
    code, out, _ = cli("templates", "list", JIANGBEI, "--templates", tmp_path / "mytpl")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("结构方案：chongqing（")
    rows = {line.split()[0]: line.split(maxsplit=1)[1] for line in lines if line.startswith("  ")}
    assert rows["preamble"] == "默认   preamble.j2"
    assert rows["achievements"] == f"自定义 {tmp_path / 'mytpl' / 'achievements.j2'}"
    assert rows["problems"] == (
        f"自定义 {tmp_path / 'mytpl' / 'problems.j2'}（在默认模板 problems.j2 的基础上改写）"
    )
    assert rows["measures"] == "默认   measures.j2"
    assert rows["_section.j2"] == "默认   _section.j2"
    assert f"未使用：{tmp_path / 'mytpl' / 'problem.j2'}" in out
