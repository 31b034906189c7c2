"""The minimal base package drafts start from, and the writer's per-process preparation."""

from __future__ import annotations

import io
import zipfile

import docx
from lxml import etree

from drafter.document import Document, Paragraph, spans
from drafter.word import FontNames, build_docx, docx_bytes
from drafter.word.base_package import BASE_DOCX, build, part_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def report(text: str) -> Document:
    return Document(
        title_lines=[spans("某某区履行教育职责情况自评报告")],
        addressee=spans("市人民政府教育督导委员会办公室："),
        blocks=[Paragraph(spans(text))],
        issuer=spans("某某区人民政府"),
        date=spans("2024年7月23日"),
    )


def package(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_shipped_base_is_what_the_script_builds():
    assert package(BASE_DOCX.read_bytes()) == part_bytes()
    assert build() == build()  # fixed order and timestamps: rebuilding changes nothing


def test_the_base_ships_the_final_page_and_language_not_values_to_rewrite():
    parts = package(BASE_DOCX.read_bytes())
    sect = etree.fromstring(parts["word/document.xml"]).find("w:body/w:sectPr", NS)
    page = {etree.QName(c).localname: dict(c.attrib) for c in sect}
    assert page["pgSz"] == {f"{{{W}}}w": "11906", f"{{{W}}}h": "16838"}  # A4
    margins = {etree.QName(k).localname: v for k, v in page["pgMar"].items()}
    assert margins == {"top": "2098", "right": "1474", "bottom": "1984", "left": "1587",
                       "header": "851", "footer": "1417", "gutter": "0"}  # fmt: skip
    assert page["docGrid"] == {f"{{{W}}}linePitch": "579"}  # no grid type: "no grid"
    settings = etree.fromstring(parts["word/settings.xml"])
    assert settings.xpath("w:themeFontLang/@w:eastAsia", namespaces=NS) == ["zh-CN"]
    # and a draft keeps them as they are
    drafted = package(docx_bytes(build_docx(report("正文。"))))
    drafted_settings = etree.fromstring(drafted["word/settings.xml"])
    assert drafted_settings.xpath("w:themeFontLang/@w:eastAsia", namespaces=NS) == ["zh-CN"]
    drafted_sect = etree.fromstring(drafted["word/document.xml"]).find("w:body/w:sectPr", NS)
    for tag in ("pgSz", "pgMar", "docGrid"):
        ours = drafted_sect.find(f"w:{tag}", NS)
        assert dict(ours.attrib) == dict(sect.find(f"w:{tag}", NS).attrib)


def test_a_draft_holds_only_the_parts_and_styles_it_uses():
    parts = package(docx_bytes(build_docx(report("正文。"))))
    assert sorted(parts) == [
        "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/_rels/document.xml.rels",
        "word/document.xml", "word/fontTable.xml", "word/footer1.xml", "word/footer2.xml",
        "word/settings.xml", "word/styles.xml",
    ]  # fmt: skip
    ids = etree.fromstring(parts["word/styles.xml"]).xpath("w:style/@w:styleId", namespaces=NS)
    assert ids[:2] == ["Normal", "DefaultParagraphFont"]
    headings = ["Heading1", "Heading2", "Heading3", "Heading4"]
    builtin = [i for i in ids if not i.startswith("Gw")]
    assert builtin == ["Normal", "DefaultParagraphFont", *headings]
    assert len(ids) == 2 + 15  # the Gw* styles, GwLetterNumber (a 函's 发文字号) included
    # Word's compatibility settings stay: they decide how 汉字 punctuation is spaced.
    settings = etree.fromstring(parts["word/settings.xml"])
    assert settings.xpath("w:characterSpacingControl/@w:val", namespaces=NS) == ["doNotCompress"]


def test_each_draft_starts_from_a_clean_copy():
    first = docx_bytes(build_docx(report("第一份报告的正文。")))
    second = docx.Document(io.BytesIO(docx_bytes(build_docx(report("第二份报告的正文。")))))
    texts = [p.text for p in second.paragraphs]
    assert "第二份报告的正文。" in texts and "第一份报告的正文。" not in texts
    assert len(second.paragraphs) == len(docx.Document(io.BytesIO(first)).paragraphs)


def test_fonts_are_prepared_separately_for_each_font_set():
    def east_asia(fonts: FontNames | None) -> str:
        styles = build_docx(report("正文。"), fonts).styles.element
        found = styles.xpath("w:style[@w:styleId='GwBody']/w:rPr/w:rFonts/@w:eastAsia")
        return found[0]

    assert east_asia(None) == "仿宋_GB2312"
    assert east_asia(FontNames(body="仿宋")) == "仿宋"
    assert east_asia(None) == "仿宋_GB2312"


def test_tabs_line_breaks_and_edge_spaces_survive():
    body = docx.Document(io.BytesIO(docx_bytes(build_docx(report(" 前\t中\n后 "))))).paragraphs[3]
    run = body.runs[0]._r
    assert [etree.QName(c).localname for c in run] == ["t", "tab", "t", "br", "t"]
    assert body.text == " 前\t中\n后 "
    leading = run.find(f"{{{W}}}t")
    assert leading.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
