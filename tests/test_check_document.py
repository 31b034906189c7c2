"""`drafter check 定稿.docx`: a draft with gaps, a rolled draft, an edited draft and a file
typed in Word, each checked as a user does before sending (exit codes as for facts files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
from conftest import MINIMAL_FACTS, SAMPLE
from docx.enum.text import WD_COLOR_INDEX

from drafter.checks.document import check_document, highlights


def test_a_draft_with_gaps_is_an_error(cli, write, tmp_path):
    facts = write("2022.yaml", MINIMAL_FACTS.replace("date: 2022-12-13\n", ""))
    out = tmp_path / "稿.docx"
    assert cli("draft", facts, "-o", out)[0] == 0
    code, stdout, _ = cli("check", out)
    assert code == 1
    assert "错误：" in stdout and "仍有待补充的内容：【待补充：成文日期】" in stdout
    assert "[第" in stdout and "段]" in stdout
    assert "检查完毕：错误 1 个" in stdout


def test_a_rolled_draft_lists_its_gaps_and_every_carried_over_highlight(cli, tmp_path):
    facts = tmp_path / "2020.yaml"
    shutil.copy(SAMPLE["dongli"], facts)
    assert cli("roll", facts, "--year", "2021")[0] == 0
    out = tmp_path / "2021.docx"
    assert cli("draft", tmp_path / "2021.yaml", "-o", out)[0] == 0
    code, stdout, _ = cli("check", out)
    assert code == 1
    cyan = [line for line in stdout.splitlines() if "青色高亮" in line]
    assert len(cyan) == sum(1 for colour, _ in highlights(out) if colour == "cyan") >= 40
    assert stdout.count("仍有待补充的内容") >= 3
    # found through drafter's marks: the rolled facts sit beside the draft
    assert "2021.yaml：按事实文件核对稿中的数字" in stdout


def test_an_untouched_draft_of_finished_facts_is_clean(cli, tmp_path):
    out = tmp_path / "江北区.docx"
    assert cli("draft", SAMPLE["jiangbei"], "-o", out)[0] == 0
    code, stdout, _ = cli("check", out, "--facts", SAMPLE["jiangbei"], "--strict")
    assert code == 0, stdout
    assert "检查完毕：错误 0 个，警告 0 个。" in stdout


def _edit(path: Path, old: str, new: str, colour: WD_COLOR_INDEX | None = None) -> None:
    """What a reviewer does in Word: change one figure (and mark a run) and save."""
    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new, 1)
                if colour is not None:
                    run.font.highlight_color = colour
                document.save(str(path))
                return
    raise AssertionError(f"not found: {old}")


def test_an_edited_figure_disagrees_with_the_facts(cli, tmp_path):
    out = tmp_path / "江北区.docx"
    assert cli("draft", SAMPLE["jiangbei"], "-o", out)[0] == 0
    _edit(out, "124.6%", "126.4%")
    code, stdout, _ = cli("check", out, "--facts", SAMPLE["jiangbei"])
    assert code == 1
    assert "数字与事实文件不符：稿中为“126.4%”，按事实文件应为“124.6%”" in stdout
    assert stdout.count("数字与事实文件不符") == 1


def test_a_reviewers_highlight_is_a_warning_and_strict_exits_2(cli, tmp_path):
    out = tmp_path / "江北区.docx"
    assert cli("draft", SAMPLE["jiangbei"], "-o", out)[0] == 0
    _edit(out, "124.6%", "124.6%", WD_COLOR_INDEX.BRIGHT_GREEN)
    code, stdout, _ = cli("check", out, "--facts", SAMPLE["jiangbei"])
    assert code == 0
    assert "绿色高亮（审阅时做的标记）" in stdout
    assert cli("check", out, "--facts", SAMPLE["jiangbei"], "--strict")[0] == 2


def test_a_file_typed_in_word(tmp_path):
    path = tmp_path / "手写稿.docx"
    document = docx.Document()
    document.add_paragraph("某某区人民政府关于履行教育职责情况的自评报告")
    document.add_paragraph("全区共有学校【待补充】所,在校生3万人。")
    document.save(str(path))
    report = check_document(path)
    assert [f.message for f in report.errors] == ["仍有待补充的内容：【待补充】"]
    assert report.errors[0].where == "第2段"
    comma = "排版：中文里的半角标点“,”应为全角“，”"
    assert any(f.message.startswith(comma) for f in report.warnings)


def test_not_a_docx_is_an_error_not_a_traceback(cli, tmp_path):
    path = tmp_path / "坏.docx"
    path.write_text("不是 Word 文件", encoding="utf-8")
    code, stdout, _ = cli("check", path)
    assert code == 1 and "错误：" in stdout
