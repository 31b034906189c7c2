"""The command as a user runs it: Chinese help, clear errors without tracebacks, safe writes."""

from __future__ import annotations

import docx
import pytest
from conftest import BAD_FACTS, MINIMAL_FACTS, SAMPLE, docx_texts


def help_blocks(text: str) -> dict[str, str]:
    """Each option's help (its own line and the indented lines under it), by option name."""
    blocks: dict[str, str] = {}
    options: list[str] = []
    for line in text.splitlines():
        if line.startswith("  -"):
            names, _, words = line.strip().partition("  ")
            options = [name.split()[0] for name in names.split(", ")]
            blocks.update(dict.fromkeys(options, words.strip()))
        elif options and line.startswith("   "):
            for option in options:  # wrapped CJK text: the pieces join without spaces
                blocks[option] += line.strip()
        else:
            options = []
    return blocks


def test_draft_help_explains_every_option_in_chinese(run_cli):
    result = run_cli("draft", "--help")
    assert result.returncode == 0
    blocks = help_blocks(result.stdout)
    for option, words in {
        "-o": "不填则与事实文件同名同目录",
        "--profile": "结构方案名",
        "--templates": "自定义模板文件夹",
        "--sections": "自定义结构方案文件夹",
        "--reference-doc": "参考样式文档",
        "--strict": "严格模式",
        "--force": "备份",
    }.items():
        assert words in blocks.get(option, ""), (option, blocks.get(option))
    assert "options:" not in result.stdout and "positional arguments" not in result.stdout


def test_draft_writes_docx_and_lists_gaps(run_cli, write, tmp_path):
    facts = write("f.yaml", MINIMAL_FACTS.replace("  number: 渝府教督发〔2022〕5号\n", ""))
    result = run_cli("draft", facts, "-o", "out.docx")
    assert result.returncode == 0, result.stderr
    assert "【待补充：文号】 → notice.number" in result.stdout
    text = docx_texts(tmp_path / "out.docx")
    assert any("（【待补充：文号】）" in t for t in text)
    assert "1.加强党的领导。学前三年教育毛入园率达124.6%。" in text


def test_strict_refuses_and_writes_nothing(run_cli, write, tmp_path):
    facts = write("f.yaml", MINIMAL_FACTS.replace("date: 2022-12-13\n", ""))
    result = run_cli("draft", facts, "-o", "out.docx", "--strict")
    assert result.returncode == 1
    assert "【待补充：成文日期】 → date" in result.stdout
    assert "未生成文件" in result.stdout
    assert not (tmp_path / "out.docx").exists()


def test_default_output_is_beside_the_facts(run_cli, write, tmp_path):
    facts = write("jb/2022.yaml", MINIMAL_FACTS)
    assert run_cli("draft", facts).returncode == 0
    assert (tmp_path / "jb" / "2022.docx").is_file()


@pytest.mark.parametrize("case", BAD_FACTS, ids=lambda case: case.id)
def test_mistake_in_facts_is_reported_on_one_line_with_file_and_line(run_cli, write, tmp_path,
                                                                      case):  # fmt: skip
    """The contract for every mistake in a facts file (wording: test_facts_load.py)."""
    facts = write("f.yaml", case.text)
    result = run_cli("draft", facts, "-o", "out.docx")
    assert result.returncode == 1
    assert result.stderr.startswith(f"错误：{facts} 第{case.line}行：")
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert not (tmp_path / "out.docx").exists()


def test_unknown_section_in_profile(run_cli, write, tmp_path):
    write("prof/mine.yaml", "extends: default\nsections:\n  - id: lessons\n")
    facts = write("f.yaml", MINIMAL_FACTS)
    result = run_cli("draft", facts, "--profile", "mine", "--sections", tmp_path / "prof")
    assert result.returncode == 1
    assert "mine.yaml 第3行" in result.stderr and "部分“lessons”找不到模板" in result.stderr


def test_missing_template_file_named_in_profile(run_cli, write, tmp_path):
    write("prof/mine.yaml", "extends: default\nsections:\n  - id: plans\n    template: plan.j2\n")
    result = run_cli("draft", write("f.yaml", MINIMAL_FACTS), "--profile", "mine",
                     "--sections", tmp_path / "prof")
    assert result.returncode == 1
    assert "找不到模板 plan.j2" in result.stderr


def test_template_syntax_error_names_template_and_line(run_cli, write, tmp_path):
    write("tpl/closing.j2", "{% for p in closing %}\n{{ p }\n{% endfor %}\n")
    result = run_cli("draft", write("f.yaml", MINIMAL_FACTS), "--templates", tmp_path / "tpl")
    assert result.returncode == 1
    assert "closing.j2 第2行" in result.stderr and "模板语法错误" in result.stderr


def test_template_undefined_variable_names_it(run_cli, write, tmp_path):
    write("tpl/closing.j2", "\n\n{{ goverment }}\n")
    result = run_cli("draft", write("f.yaml", MINIMAL_FACTS), "--templates", tmp_path / "tpl")
    assert result.returncode == 1
    assert "closing.j2 第3行" in result.stderr
    assert "未定义的变量“goverment”" in result.stderr and "government" in result.stderr


def test_edited_draft_is_refused_with_a_hint_to_force(run_cli, write, tmp_path):
    facts = write("f.yaml", MINIMAL_FACTS)
    out = tmp_path / "out.docx"
    assert run_cli("draft", facts, "-o", out).returncode == 0
    edited = docx.Document(out)
    edited.add_paragraph("局长批注：此处再斟酌。")
    edited.save(out)
    before = out.read_bytes()

    result = run_cli("draft", facts, "-o", out)
    assert result.returncode == 1
    assert result.stderr.startswith(f"错误：{out}")
    assert "被修改过" in result.stderr and "--force" in result.stderr
    assert out.read_bytes() == before  # more in test_safe_writes.py


def test_output_must_be_docx(run_cli, write):
    result = run_cli("draft", write("f.yaml", MINIMAL_FACTS), "-o", "out.doc")
    assert result.returncode == 1 and "扩展名应为 .docx" in result.stderr


def test_profiles_command_lists_descriptions(run_cli):
    result = run_cli("profiles")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("default") and "通用结构" in line for line in lines)


def test_bad_arguments_are_chinese(run_cli):
    result = run_cli("draft")
    assert result.returncode == 1
    assert "错误：缺少必需的参数" in result.stderr


def test_draft_reports_what_typography_cannot_fix(run_cli, tmp_path):
    result = run_cli("draft", SAMPLE["wuxing"], "-o", tmp_path / "wx.docx")
    assert result.returncode == 0, result.stderr
    assert "排版提示 1 处（程序无法自动改正，请核对）：" in result.stdout
    assert "引号不成对" in result.stdout and "互联网+义务教育" in result.stdout


def test_draft_lists_problems_drafted_from_standards(run_cli, write):
    facts = write("f.yaml", MINIMAL_FACTS.replace("  毛入园率: 124.6%", "  学前三年毛入园率: 84%")
                  .replace("m.毛入园率", "m.学前三年毛入园率"))
    result = run_cli("draft", facts, "-o", "out.docx")
    assert result.returncode == 0, result.stderr
    assert "根据标准自动起草的问题 1 条（稿中青色高亮，请审核）：" in result.stdout
    assert ("  学前三年毛入园率为84%，未达到《县域学前教育普及普惠督导评估办法》规定的85%的标准"
            in result.stdout)


def test_items_nested_deeper_than_four_levels_are_an_error(run_cli, write):
    """(1) is the deepest 公文 heading level: a fifth must not leak into the text as #####."""
    deep = MINIMAL_FACTS.replace(
        "        text: 学前三年教育毛入园率达{{ m.毛入园率 }}。\n",
        "        children:\n          - title: 小项\n            children:\n"
        "              - title: 更小项\n                children:\n"
        "                  - title: 第五级\n                    text: 文字\n",
    )
    result = run_cli("draft", write("f.yaml", deep), "-o", "out.docx")
    assert result.returncode == 1
    assert "“更小项。”是第5级标题，公文标题最多四级" in result.stderr
    assert "achievements" in result.stderr


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path):
    """`drafter text … | head`: the pipe closes before drafter writes; no traceback."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    process = subprocess.Popen(
        [sys.executable, "-m", "drafter.cli", "text", str(SAMPLE["jiangbei"])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO), "LANG": "C.UTF-8"},
    )  # fmt: skip
    process.stdout.close()  # the reader is gone before the first line is written
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 141  # as a shell reports SIGPIPE
    assert stderr == ""


@pytest.mark.parametrize("command", ["roll", "draft", "check", "text"])
def test_a_folder_name_that_is_not_utf8_is_printed_not_a_crash(tmp_path, command):
    """A folder copied from Windows keeps its GBK name (东丽): every command prints it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    folder = os.path.join(os.fsencode(tmp_path), "东丽".encode("gbk"))
    os.mkdir(folder)
    facts = os.path.join(folder, b"2022.yaml")
    repo = Path(__file__).resolve().parent.parent
    with open(facts, "wb") as handle:
        handle.write((repo / "samples" / "jiangbei" / "2022.yaml").read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "drafter", command, facts], capture_output=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(repo), "LANG": "C.UTF-8"}, cwd=tmp_path,
    )  # fmt: skip
    output = (result.stdout + result.stderr).decode("utf-8")
    assert "程序内部错误" not in output and "Traceback" not in output
    assert result.returncode in (0, 1), output
    assert "2022" in output  # the file it wrote or read is named
