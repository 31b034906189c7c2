"""A bureau's reference .docx: its styles and page setup win, what it lacks falls back to the
built-in GB/T 9704 styles, its body never reaches the report, a broken one is a clear error."""

from __future__ import annotations

import copy
import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import SAMPLE
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from drafter.commands.styles import reference_document
from drafter.compose import document_lines
from drafter.pipeline import draft_facts
from drafter.word import build_docx
from drafter.word.breaks import JOINERS
from drafter.word.reference import ReferenceDocError

JIANGBEI = SAMPLE["jiangbei"]


def twips(*lengths) -> tuple[int, ...]:
    """Page measures as stored in the file (whole twips)."""
    return tuple(length.twips for length in lengths)


def styles_of(document) -> dict[str, etree._Element]:
    return {s.get(qn("w:styleId")): s for s in document.styles.element.findall(qn("w:style"))}


def east_asia(style: etree._Element) -> str:
    return style.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))


def half_points(style: etree._Element) -> str:
    return style.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val"))


@pytest.fixture
def house(cli, tmp_path: Path) -> Path:
    path = tmp_path / "house.docx"
    code, out, _ = cli("styles", "init", path)
    assert code == 0 and f"已生成参考样式文档：{path}" in out
    return path


def restyle(path: Path, edit) -> Path:
    """Edit the reference document as Word would and save it under a new name."""
    document = docx.Document(str(path))
    edit(document)
    out = path.with_name(f"edited-{path.name}")
    document.save(str(out))
    return out


def draft_with(cli, reference: Path, tmp_path: Path) -> docx.document.Document:
    out = tmp_path / "out.docx"
    code, _, err = cli("draft", JIANGBEI, "--reference-doc", reference, "-o", out,
                       "--force")  # fmt: skip
    assert code == 0, err
    return docx.Document(str(out))


def test_styles_init_writes_the_builtin_styles_with_a_sample_of_each(house, jiangbei_docx):
    reference = docx.Document(str(house))
    ours, theirs = styles_of(jiangbei_docx), styles_of(reference)
    assert sorted(theirs) == sorted(ours)
    for style_id, style in ours.items():
        assert etree.tostring(theirs[style_id]) == etree.tostring(style), style_id
    page, built = reference.sections[0], jiangbei_docx.sections[0]
    assert (page.left_margin, page.top_margin, page.page_width) == (
        built.left_margin, built.top_margin, built.page_width,
    )  # fmt: skip
    used = {p.style.style_id for p in reference.paragraphs if p.text}
    assert {"GwTitle", "GwAddressee", "GwBody", "Heading1", "Heading2", "Heading3",
            "Heading4", "GwSignature", "GwDate"} <= used  # fmt: skip
    assert any("--reference-doc" in p.text for p in reference.paragraphs)


def test_styles_init_never_overwrites(cli, house):
    before = house.read_bytes()
    code, _, err = cli("styles", "init", house)
    assert code == 1 and "文件已存在，不会覆盖" in err
    assert house.read_bytes() == before
    code, _, err = cli("styles", "init", house.with_suffix(".doc"))
    assert code == 1 and "扩展名应为 .docx" in err


def test_body_font_and_margins_of_the_reference_are_honoured(cli, house, tmp_path, jiangbei_docx):
    def edit(document) -> None:
        body = document.styles["公文正文"]
        assert body.style_id == "GwBody"
        body.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
        body.font.size = Pt(15)
        page = document.sections[0]
        page.left_margin, page.right_margin, page.top_margin = Mm(30), Mm(24), Mm(35)
        page.footer_distance = Mm(20)

    out = draft_with(cli, restyle(house, edit), tmp_path)
    styles = styles_of(out)
    assert east_asia(styles["GwBody"]) == "仿宋" and half_points(styles["GwBody"]) == "30"
    page = out.sections[0]
    assert twips(page.left_margin, page.right_margin, page.top_margin, page.footer_distance) == (
        twips(Mm(30), Mm(24), Mm(35), Mm(20))
    )
    # The rest is as built in: other styles, page size, page-number footers.
    assert east_asia(styles["Heading2"]) == "楷体_GB2312"
    assert page.page_height == jiangbei_docx.sections[0].page_height
    assert "PAGE" in page.footer._element.xml and "PAGE" in page.even_page_footer._element.xml
    # The reference's own text never reaches the report.
    texts = [p.text.translate(JOINERS) for p in out.paragraphs if p.text]
    assert texts == [line for line in document_lines(draft_facts(JIANGBEI).document) if line]


def test_a_style_missing_from_the_reference_falls_back_to_the_builtin(cli, house, tmp_path,
                                                                      jiangbei_docx):  # fmt: skip
    def edit(document) -> None:
        heading1 = styles_of(document)["Heading1"]
        heading1.getparent().remove(heading1)

    edited = restyle(house, edit)
    assert "Heading1" not in styles_of(docx.Document(str(edited)))
    out = draft_with(cli, edited, tmp_path)
    restored = styles_of(out)["Heading1"]
    assert etree.tostring(restored) == etree.tostring(styles_of(jiangbei_docx)["Heading1"])
    assert east_asia(restored) == "黑体" and half_points(restored) == "32"
    headings = [p for p in out.paragraphs if p.style.style_id == "Heading1"]
    assert [p.text[:2] for p in headings] == ["一、", "二、", "三、"]


def test_doc_defaults_come_from_the_reference(cli, house, tmp_path):
    def edit(document) -> None:
        defaults = document.styles.element.find(qn("w:docDefaults"))
        size = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:sz"))
        size.set(qn("w:val"), "30")

    out = draft_with(cli, restyle(house, edit), tmp_path)
    defaults = out.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:sz")).get(
        qn("w:val")
    ) == "30"


def test_styles_renamed_by_word_are_matched_by_name(cli, house, tmp_path):
    """Word and WPS may save a Chinese-named custom style (and Normal) under a new id."""

    def edit(document) -> None:
        element = document.styles.element
        renames = {"Heading2": "a5", "Normal": "a"}
        for style in element.findall(qn("w:style")):
            old = style.get(qn("w:styleId"))
            if old in renames:
                style.set(qn("w:styleId"), renames[old])
            based = style.find(qn("w:basedOn"))
            if based is not None and based.get(qn("w:val")) in renames:
                based.set(qn("w:val"), renames[based.get(qn("w:val"))])
        heading2 = styles_of(document)["a5"]
        heading2.find(qn("w:rPr")).find(qn("w:rFonts")).set(qn("w:eastAsia"), "楷体")

    out = draft_with(cli, restyle(house, edit), tmp_path)
    styles = styles_of(out)
    assert "a5" not in styles and "a" not in styles
    assert east_asia(styles["Heading2"]) == "楷体"
    assert styles["Heading2"].find(qn("w:basedOn")).get(qn("w:val")) == "Normal"
    defaults = [s for s in styles.values() if s.get(qn("w:default")) == "1"
                and s.get(qn("w:type")) == "paragraph"]  # fmt: skip
    assert [s.get(qn("w:styleId")) for s in defaults] == ["Normal"]


def test_drafter_yaml_reference_doc_is_relative_to_it(cli, house, tmp_path):
    folder = tmp_path / "bureau"
    (folder / "jb").mkdir(parents=True)
    shutil.copy(JIANGBEI, folder / "jb" / "2022.yaml")
    edited = restyle(house, lambda d: setattr(d.sections[0], "left_margin", Mm(31)))
    shutil.copy(edited, folder / "样式.docx")
    (folder / "drafter.yaml").write_text("reference_doc: 样式.docx\n", encoding="utf-8")
    code, _, err = cli("draft", folder / "jb" / "2022.yaml")
    assert code == 0, err
    left = docx.Document(str(folder / "jb" / "2022.docx")).sections[0].left_margin
    assert twips(left) == twips(Mm(31))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plain.docx", b"not a zip", "参考样式文档无法读取：不是有效的 Word 文档（.docx）"),
        ("empty.docx", b"PK\x05\x06" + bytes(18), "参考样式文档无法读取"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "参考样式文档应是 Word 文档（.docx）"),
        ("missing.docx", None, "找不到参考样式文档"),
    ],
)
def test_an_unreadable_reference_is_a_clear_error(cli, tmp_path, name, content, message):
    reference = tmp_path / name
    if content is not None:
        reference.write_bytes(content)
    out = tmp_path / "out.docx"
    code, stdout, err = cli("draft", JIANGBEI, "--reference-doc", reference, "-o", out)
    assert code == 1 and stdout == ""
    assert err == f"错误：{reference}：{err.split('：', 2)[2]}" and message in err
    assert not out.exists()


def test_a_word_file_of_another_kind_is_refused(tmp_path):
    # A spreadsheet renamed .docx: a zip, but not a Word document.
    sheet = tmp_path / "book.docx"
    source = io.BytesIO(reference_document())
    with zipfile.ZipFile(source) as inner, zipfile.ZipFile(sheet, "w") as outer:
        for item in inner.infolist():
            data = inner.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main", b"spreadsheetml.sheet.main")
            outer.writestr(copy.copy(item), data)
    with pytest.raises(ReferenceDocError, match="不是有效的 Word 文档"):
        build_docx(draft_facts(JIANGBEI).document, reference=sheet)
