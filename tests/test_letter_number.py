"""A 函's own 发文字号 (`letter_number`): the facts field and its 文号 check (the lint's rule),
the line the writer lays above the title (its own style, 居右 or 居中, read back from the
.docx), the reader finding it above a title, and `roll`/`diff` of it."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from conftest import MINIMAL_FACTS
from docx.enum.text import WD_ALIGN_PARAGRAPH

from drafter.diff import diff_files
from drafter.document import Document, Paragraph, spans
from drafter.errors import FactsError
from drafter.facts.load import load_facts
from drafter.reading.recognise import recognise
from drafter.reading.source import SourceDocument, SourceParagraph
from drafter.roll import roll_file
from drafter.word import build_docx
from drafter.word.breaks import JOINERS

NUMBER = "玄政办函〔2023〕12号"
TITLE = ["南京市玄武区人民政府办公室关于报送2023年", "履行教育职责情况自评报告的函"]


def visible(text: str) -> str:
    """Paragraph text without the invisible joiners a draft may keep a 文号 together with."""
    return text.translate(JOINERS)


def with_number(value: str) -> str:
    return MINIMAL_FACTS.replace("addressee:", f"letter_number: {value}\naddressee:", 1)


# --------------------------------------------------------------------------- facts


def test_the_facts_field_takes_a_wenhao(write):
    facts, located = load_facts(write("f.yaml", with_number(NUMBER)))
    assert facts.letter_number == NUMBER and located.line_of(("letter_number",)) == 5
    # other brackets around the year are the draft's to set right (typography.normalise)
    facts, _ = load_facts(write("g.yaml", with_number("玄政办函（2023）12号")))
    assert facts.letter_number == "玄政办函（2023）12号"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("玄政办函202312号",
         "文号不完整（年份缺少“〔〕”）：“玄政办函202312号”，应为“玄政办函〔2023〕12号”"),
        ("玄政办函〔2023 12号", "文号不完整（缺少“〕”）"),
        ("玄政办函12号", "“玄政办函12号”不是发文字号：应写作“机关代字〔年份〕序号号”"),
    ],
)  # fmt: skip
def test_a_broken_letter_number_is_a_located_chinese_error(write, value, message):
    path = write("f.yaml", with_number(value))
    with pytest.raises(FactsError) as caught:
        load_facts(path)
    (problem,) = caught.value.problems
    assert (Path(problem.file), problem.line) == (path, 5)
    assert message in str(problem) and "发文字号" in str(problem)


# --------------------------------------------------------------------------- the writer


def letter(align: str | None) -> Document:
    lines = [spans(NUMBER), *(spans(t) for t in TITLE)] if align else [spans(t) for t in TITLE]
    return Document(
        title_lines=lines, addressee=spans("南京市人民政府教育督导室："),
        blocks=[Paragraph(spans("正文。"))], issuer=spans("南京市玄武区人民政府办公室"),
        date=spans("2023年8月15日"), letter_number=align,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("align", "expected"),
    [("right", WD_ALIGN_PARAGRAPH.RIGHT), ("center", WD_ALIGN_PARAGRAPH.CENTER)],
)  # fmt: skip
def test_the_number_line_stands_above_the_title_in_its_own_style(tmp_path, align, expected):
    path = tmp_path / "letter.docx"
    build_docx(letter(align)).save(str(path))
    paragraphs = docx.Document(str(path)).paragraphs
    number, *title = paragraphs[:3]
    assert (visible(number.text), number.style.name) == (NUMBER, "公文发文字号")
    assert [visible(p.text) for p in title] == TITLE
    assert {p.style.name for p in title} == {"公文标题"}
    # 居右 is the style's own alignment; 居中 is set on the paragraph
    own = number.paragraph_format.alignment
    assert (own or number.style.paragraph_format.alignment) == expected
    assert own == (None if align == "right" else WD_ALIGN_PARAGRAPH.CENTER)
    style = number.style.element
    assert style.xpath("w:rPr/w:rFonts/@w:eastAsia") == ["仿宋_GB2312"]
    assert style.xpath("w:rPr/w:sz/@w:val") == ["32"]  # 三号, as the body
    assert style.xpath("w:pPr/w:keepNext") != []  # never parted from the title
    assert paragraphs[3].text == ""  # the blank line under the title, as without a number
    assert docx.Document(str(path)).core_properties.title == "".join(TITLE)  # not the number


def test_without_the_setting_the_title_block_is_as_before(tmp_path):
    path = tmp_path / "plain.docx"
    build_docx(letter(None)).save(str(path))
    texts = [visible(p.text) for p in docx.Document(str(path)).paragraphs[:3]]
    assert texts == [*TITLE, ""]
    assert letter(None).title_only == letter(None).title_lines
    assert [str(line[0].text) for line in letter("right").title_only] == TITLE


# --------------------------------------------------------------------------- the reader


def source(texts: list[str], align: str = "right") -> SourceDocument:
    paragraphs = [
        SourceParagraph(text=text, number=index, alignment=align if index == 1 else "")
        for index, text in enumerate(texts, 1)
    ]  # fmt: skip
    return SourceDocument(Path("函.docx"), paragraphs)


REPORT = [
    NUMBER, *TITLE, "南京市人民政府教育督导室：",
    "根据《关于开展2023年度区人民政府履行教育职责评价工作的通知》（宁教督〔2023〕5号）要求，"
    "我区进行了自查自评，现将有关情况报告如下：",
    "一、主要做法及成效", "教育经费实现“两个只增不减”。", "南京市玄武区人民政府办公室",
    "2023年8月15日",
]  # fmt: skip


@pytest.mark.parametrize(("align", "setting"), [("right", "居右"), ("center", "居中")])
def test_the_reader_takes_the_line_above_the_title_as_the_letter_number(align, setting):
    outline = recognise(source(REPORT, align))
    assert [p.text for p in outline.title] == TITLE
    assert (outline.letter_number.text, outline.letter_number.source) == (NUMBER, 1)
    assert outline.letter_number_align == setting
    assert outline.outside == [] and not any("不是报告正文" in n.text for n in outline.notes)
    assert outline.addressee.text == "南京市人民政府教育督导室"


def test_a_letter_number_typed_with_other_brackets_and_no_alignment_is_noted():
    outline = recognise(source(["玄政办函(2023)12号", *REPORT[1:]], align=""))
    assert outline.letter_number.text == NUMBER  # brackets set right as the lines are read
    assert outline.letter_number_align == "居右"
    assert any("既未居中也未居右，已按居右起草" in n.text for n in outline.notes)


def test_a_title_ending_in_han_after_the_number_is_found_without_a_report_word():
    outline = recognise(source([NUMBER, "关于报送2023年履行教育职责情况自评报告的函", *REPORT[3:]]))
    assert [p.text for p in outline.title] == ["关于报送2023年履行教育职责情况自评报告的函"]
    assert outline.letter_number.text == NUMBER


# --------------------------------------------------------------------------- roll and diff


def test_roll_empties_the_letter_number_and_diff_reports_it(write, tmp_path):
    old = write("2022.yaml", with_number("江北政办函〔2022〕30号"))
    rolled = roll_file(old)
    text = rolled.target.read_text(encoding="utf-8")
    assert "letter_number:  # 待补充：发文字号\n" in text
    assert "发文字号" in rolled.cleared
    new, _ = load_facts(rolled.target)
    assert new.letter_number is None
    assert "  发文字号：江北政办函〔2022〕30号 → （未填）" in diff_files(old, rolled.target)
    rolled.target.write_text(text.replace("letter_number:  # 待补充：发文字号",
                                          "letter_number: 江北政办函〔2023〕8号"), encoding="utf-8")
    assert "  发文字号：江北政办函〔2022〕30号 → 江北政办函〔2023〕8号" in diff_files(
        old, rolled.target
    )
