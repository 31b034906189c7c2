"""`drafter sheet export/import`: a facts file's figures in an .xlsx and back, round trip."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import openpyxl
from conftest import SAMPLE

from drafter.compose import document_lines
from drafter.pipeline import draft_facts
from drafter.roll import roll_file

NEW = {  # metric → this year's value typed in the sheet
    "一般公共预算教育经费": 16.88,
    "学校建设投入": 32,
    "新改扩建投用学校": 6,
    "学前三年毛入园率": 126.1,
    "义务教育巩固率": 99.5,
}


def rolled_jiangbei(tmp_path: Path) -> Path:
    shutil.copyfile(SAMPLE["jiangbei"], tmp_path / "2022.yaml")
    return roll_file(tmp_path / "2022.yaml").target


def test_export_change_five_values_import_and_redraft(run_cli, tmp_path):
    facts = rolled_jiangbei(tmp_path)
    before = facts.read_text(encoding="utf-8")
    result = run_cli("sheet", "export", facts, "-o", "指标.xlsx")
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "指标.xlsx")
    sheet = book["指标"]
    assert [c.value for c in sheet[1]] == ["指标", "本年", "上年", "单位", "同比", "说明", "已更新"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["一般公共预算教育经费"][6].value == "否"  # carried over, not yet updated
    for name, value in NEW.items():
        rows[name][1].value = value
    book.save(tmp_path / "指标.xlsx")

    result = run_cli("sheet", "import", "指标.xlsx", facts)
    assert result.returncode == 0, result.stderr
    assert "已写回 5 处" in result.stdout
    after = facts.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
               if line[:1] in "+-"]  # fmt: skip
    assert len(changed) == 10  # five lines out, five in: only those values and their tags
    for line in changed:
        if line.startswith("-"):
            assert "!stale" in line
        else:
            assert "!stale" not in line and any(f"{v}" in line for v in NEW.values())
    backups = list(tmp_path.glob("2023.备份-*.yaml"))
    assert [b.read_text(encoding="utf-8") for b in backups] == [before]

    text = "\n".join(document_lines(draft_facts(facts).document))
    assert "一般公共预算教育经费16.88亿元，较上年度增长7.72%" in text
    assert "学前三年教育毛入园率达126.1%" in text and "义务教育巩固率达99.5%" in text
    assert "投入32亿元" in text and "完成投用6所" in text


def test_a_bad_cell_is_a_located_error_and_nothing_is_written(run_cli, tmp_path):
    facts = rolled_jiangbei(tmp_path)
    before = facts.read_bytes()
    run_cli("sheet", "export", facts, "-o", "指标.xlsx")
    book = openpyxl.load_workbook(tmp_path / "指标.xlsx")
    book["指标"]["B2"] = 16.88  # a good value beside the bad one: not written either
    book["指标"]["B7"] = "约六千"
    book.save(tmp_path / "指标.xlsx")
    result = run_cli("sheet", "import", "指标.xlsx", facts)
    assert result.returncode == 1
    assert "工作表“指标” B7：不是数值（“约六千”）" in result.stdout + result.stderr
    assert facts.read_bytes() == before
    assert list(tmp_path.glob("*备份*")) == []


def test_scores_sheet_is_laid_out_like_a_self_assessment_table_and_imports(run_cli, tmp_path):
    facts = tmp_path / "2023.yaml"
    shutil.copyfile(SAMPLE["shuangtaizi"], facts)
    assert run_cli("sheet", "export", facts, "-o", "表.xlsx").returncode == 0
    book = openpyxl.load_workbook(tmp_path / "表.xlsx")
    sheet = book["自评打分"]
    assert [c.value for c in sheet[1]][:4] == ["指标", "分值", "自评分", "说明"]
    rows = list(sheet.iter_rows(min_row=2))
    first = rows[0]
    assert (first[0].value, first[1].value, first[2].value, first[3].value) == (
        "党的领导与依法治教", 63, 61.6, "由下级相加")
    leaf = next(r for r in rows if r[3].value != "由下级相加" and r[2].value == r[1].value)
    leaf[2].value = leaf[1].value - 1
    book.save(tmp_path / "表.xlsx")
    result = run_cli("sheet", "import", "表.xlsx", facts)
    assert result.returncode == 0, result.stderr
    text = "\n".join(document_lines(draft_facts(facts).document))
    assert "自评总分为97.6分" in text
