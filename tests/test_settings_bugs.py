"""The bugs of issue 14, each with the case that showed it: a heading ending in ” lost its
。; `{{ period }}` in a typed title drafted a false gap; paragraphs listed under a part
were read as items; a hand-typed 【待补充】 was not counted by --strict; `templates init`
copied the default profile's template, and a copied _macros.j2 promised blocks."""

from __future__ import annotations

import pytest
from conftest import MINIMAL_FACTS, REPO, SAMPLE, golden

from drafter.compose import document_lines
from drafter.config import Customisation
from drafter.errors import FactsError
from drafter.pipeline import draft_facts


def draft(write, text: str, name: str = "f.yaml"):  # type: ignore[no-untyped-def]
    return draft_facts(write(name, text), Customisation())


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("落实“双减”", "1.落实“双减”。"),
        ("推进“县管校聘”改革（试行）", "1.推进“县管校聘”改革（试行）。"),
        ("提出“办好人民满意的教育。”", "1.提出“办好人民满意的教育。”"),
        ("加强党的领导", "1.加强党的领导。"),
    ],
)  # fmt: skip
def test_a_run_in_heading_ending_in_a_closing_quote_keeps_its_full_stop(write, title, heading):
    text = MINIMAL_FACTS.replace("      - title: 加强党的领导", f"      - title: {title}")
    lines = document_lines(draft(write, text).document)
    assert f"{heading}学前三年教育毛入园率达124.6%。" in lines


def test_period_in_a_typed_title_without_a_period_is_no_gap(write, cli, tmp_path):
    title = "江北区人民政府{{ period }}履行教育职责情况自评报告"
    text = MINIMAL_FACTS.replace("period: 2021年以来\n", f"title: {title}\n")
    made = draft(write, text)
    assert made.gaps == {}
    lines = document_lines(made.document)
    assert "".join(lines[:2]) == "江北区人民政府2022年履行教育职责情况自评报告"
    code, _, err = cli("draft", write("f.yaml", text), "--strict", "-o", tmp_path / "o.docx")
    assert code == 0, err


def test_paragraphs_listed_directly_under_a_part_are_its_text(write):
    text = MINIMAL_FACTS + "basic_info:\n  - 江北区位于重庆主城核心区。\n  - 全区共有学校120所。\n"
    lines = document_lines(draft(write, text).document)
    at = lines.index("一、基本情况")
    assert lines[at + 1 : at + 3] == ["江北区位于重庆主城核心区。", "全区共有学校120所。"]


def test_a_list_mixing_paragraphs_and_items_suggests_text(write):
    text = MINIMAL_FACTS + "basic_info:\n  - 江北区位于重庆主城核心区。\n  - title: 学校\n"
    with pytest.raises(FactsError) as caught:
        draft(write, text)
    (problem,) = caught.value.problems
    assert problem.where == "basic_info" and "请写在 text: 下" in problem.message


def test_a_hand_typed_gap_is_counted_and_strict_refuses(write, cli, tmp_path):
    prose = "达{{ m.毛入园率 }}。"
    text = MINIMAL_FACTS.replace(prose, "达{{ m.毛入园率 }}，新增学位【待补充】个。")
    made = draft(write, text)
    assert made.gaps == {"手写的【待补充】": ("achievements", 0, "children", 0, "text")}
    code, _, _ = cli("draft", write("f.yaml", text), "--strict", "-o", tmp_path / "o.docx")
    assert code == 1 and not (tmp_path / "o.docx").exists()
    typed = MINIMAL_FACTS.replace(prose, "达{{ m.毛入园率 }}，【待补充：新增学位数】。")
    assert "新增学位数" in draft(write, typed).gaps


def test_templates_init_with_the_facts_copies_the_template_its_profile_uses(cli, tmp_path,
                                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("templates", "init", "mytpl", SAMPLE["dongli"], "--section", "problems")
    assert code == 0 and "结构方案“tianjin”使用的默认模板 problems_merged.j2" in out
    text = (tmp_path / "mytpl" / "problems.j2").read_text(encoding="utf-8")
    assert text.endswith((REPO / "templates" / "problems_merged.j2").read_text(encoding="utf-8"))
    custom = Customisation(template_dirs=(tmp_path / "mytpl",))
    lines = document_lines(draft_facts(SAMPLE["dongli"], custom).document)
    assert lines == golden("dongli")  # both 改进措施 paragraphs are still there
    code, out, _ = cli("templates", "init", "other", "--profile", "tianjin",
                       "--section", "problems")
    assert code == 0 and "problems_merged.j2" in out


def test_a_copied_macros_file_says_it_has_no_blocks(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = cli("templates", "init", "mytpl", "--template", "_macros.j2")
    assert code == 0
    header = (tmp_path / "mytpl" / "_macros.j2").read_text(encoding="utf-8").split("-#}")[0]
    assert "没有可以单独改写的块" in header and "levels、enumeration" in header
    assert "可改写的块" not in header and "extends" not in header
