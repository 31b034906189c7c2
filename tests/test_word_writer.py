"""The Word writer: read the generated .docx back and check what a reader would get."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from lxml import etree

from drafter.document import Document, Heading, Paragraph, Span, spans
from drafter.word import FontNames, build_docx, docx_bytes, fingerprint_status
from drafter.word.styles import PPR_ORDER, RPR_ORDER, set_child

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


ISSUER = "某某市某某区人民政府"  # 10 字 = 3150 twips
DATE = "2024年7月23日"  # 3 字 + 7 digits = 945 + 1085 = 2030 twips


def bottom_report() -> Document:
    return Document(
        title_lines=[spans("某某区人民政府关于2023年度履行教育职责"), spans("情况的自评报告")],
        addressee=spans("市人民政府教育督导委员会办公室："),
        blocks=[
            Paragraph(spans("根据通知要求，现将有关情况报告如下。")),
            Heading(1, spans("基本情况"), number="一、"),
            Paragraph(spans("全区共有学校【待补充：学校数】所，\ue000在校生三万人\ue001。")),
            Heading(2, spans("主要做法"), number="（一）"),
            Heading(3, spans("加强党的领导。"), spans("区委常委会专题研究教育工作。"), number="1."),
            Heading(3, spans("保障经费投入"), number="2."),
            Heading(4, spans("落实生均经费"), number="（1）"),
            Paragraph(spans("义务教育生均公用经费按标准足额拨付。")),
        ],
        issuer=spans(ISSUER),
        date=spans(DATE),
        meta={"district": "某某区", "year": "2023"},
    )


def top_report() -> Document:
    return Document(
        title_lines=[spans("某某区履行教育职责情况自评报告")],
        addressee=None,
        blocks=[Paragraph(spans("正文。"))],
        issuer=spans("某某区人民政府"),
        date=spans("2024年7月23日"),
        signature_at="top",
    )


BOTTOM_STYLES = [
    "GwTitle", "GwTitle", None, "GwAddressee",
    "GwBody", "Heading1", "GwBody", "Heading2", "GwBody", "Heading3", "Heading4",
    "GwBody", None, None, "GwSignature", "GwDate",
]  # fmt: skip


def save(doc: Document, path: Path, fonts: FontNames | None = None) -> Path:
    path.write_bytes(docx_bytes(build_docx(doc, fonts)))
    return path


@pytest.fixture
def bottom_path(tmp_path: Path) -> Path:
    return save(bottom_report(), tmp_path / "bottom.docx")


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def body_paragraphs(path: Path) -> list[etree._Element]:
    return part(path, "word/document.xml").findall("w:body/w:p", NS)


def style_id(p: etree._Element) -> str | None:
    return attr(p, "w:pPr/w:pStyle/@w:val")


def text(p: etree._Element) -> str:
    return "".join(p.xpath(".//w:t/text()", namespaces=NS))


def style(path: Path, sid: str) -> etree._Element:
    found = part(path, "word/styles.xml").xpath(f"w:style[@w:styleId='{sid}']", namespaces=NS)
    assert len(found) == 1, f"style {sid} defined {len(found)} times"
    return found[0]


def attr(el: etree._Element, xpath: str) -> str | None:
    values = el.xpath(xpath, namespaces=NS)
    return values[0] if values else None


# --- page and defaults ------------------------------------------------------------------------


def test_page_is_a4_with_gbt9704_margins_and_no_character_grid(bottom_path: Path) -> None:
    sect = part(bottom_path, "word/document.xml").find("w:body/w:sectPr", NS)
    assert attr(sect, "w:pgSz/@w:w") == "11906"
    assert attr(sect, "w:pgSz/@w:h") == "16838"
    margins = {k: attr(sect, f"w:pgMar/@w:{k}") for k in ("top", "bottom", "left", "right")}
    assert margins == {"top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}
    assert attr(sect, "w:pgMar/@w:footer") == "1417"  # 25 mm
    grid = sect.find("w:docGrid", NS)
    assert grid.get(w("linePitch")) == "579"
    assert grid.get(w("type")) is None and grid.get(w("charSpace")) is None


def test_doc_defaults_replace_the_template(bottom_path: Path) -> None:
    defaults = part(bottom_path, "word/styles.xml").find("w:docDefaults", NS)
    fonts = defaults.find("w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == "仿宋_GB2312"
    assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "Times New Roman"
    assert fonts.get(w("hint")) == "eastAsia"
    assert fonts.get(w("eastAsiaTheme")) is None and fonts.get(w("asciiTheme")) is None
    assert attr(defaults, "w:rPrDefault/w:rPr/w:sz/@w:val") == "32"
    assert attr(defaults, "w:rPrDefault/w:rPr/w:lang/@w:eastAsia") == "zh-CN"
    spacing = defaults.find("w:pPrDefault/w:pPr/w:spacing", NS)
    assert dict(spacing.attrib) == {
        w("before"): "0",
        w("after"): "0",
        w("line"): "579",
        w("lineRule"): "exact",
    }
    # widow control off: full pages keep 22 lines (LibreOffice applies it when absent)
    assert attr(defaults, "w:pPrDefault/w:pPr/w:widowControl/@w:val") == "0"
    settings = part(bottom_path, "word/settings.xml")
    assert attr(settings, "w:themeFontLang/@w:eastAsia") == "zh-CN"


# --- styles -------------------------------------------------------------------------------------

# id: (eastAsia, ascii, half-points, bold, firstLine, right, jc, outlineLvl, keepNext)
FS, TNR = "仿宋_GB2312", "Times New Roman"
PARAGRAPH_STYLES = {
    "GwTitle": ("方正小标宋简体", "方正小标宋简体", "44", "0", "0", "0", "center", None, True),
    "GwAddressee": (FS, TNR, "32", "0", "0", "0", "both", None, False),
    "GwBody": (FS, TNR, "32", "0", "630", "0", "both", None, False),
    "Heading1": ("黑体", "黑体", "32", "0", "630", "0", "both", "0", True),
    "Heading2": ("楷体_GB2312", TNR, "32", "0", "630", "0", "both", "1", True),
    "Heading3": (FS, TNR, "32", "1", "630", "0", "both", "2", True),
    "Heading4": (FS, TNR, "32", "0", "630", "0", "both", "3", True),
    "GwSignature": (FS, TNR, "32", "0", "0", "0", "right", None, False),
    "GwDate": (FS, TNR, "32", "0", "0", "1260", "right", None, False),
    "GwSignatureTop": (FS, TNR, "32", "0", "0", "0", "center", None, False),
}  # fmt: skip


@pytest.mark.parametrize("sid", sorted(PARAGRAPH_STYLES))
def test_paragraph_style(bottom_path: Path, sid: str) -> None:
    east_asia, ascii_, size, bold, first, right, jc, level, keep = PARAGRAPH_STYLES[sid]
    el = style(bottom_path, sid)
    assert el.get(w("type")) == "paragraph"
    assert attr(el, "w:rPr/w:rFonts/@w:eastAsia") == east_asia
    assert attr(el, "w:rPr/w:rFonts/@w:ascii") == ascii_
    assert attr(el, "w:rPr/w:rFonts/@w:hAnsi") == ascii_
    assert attr(el, "w:rPr/w:rFonts/@w:hint") == "eastAsia"
    assert attr(el, "w:rPr/w:sz/@w:val") == size
    assert attr(el, "w:rPr/w:b/@w:val") == bold
    assert attr(el, "w:pPr/w:ind/@w:firstLine") == first
    assert attr(el, "w:pPr/w:ind/@w:right") == right
    assert attr(el, "w:pPr/w:jc/@w:val") == jc
    assert attr(el, "w:pPr/w:outlineLvl/@w:val") == level
    assert (el.find("w:pPr/w:keepNext", NS) is not None) is keep
    assert attr(el, "w:pPr/w:spacing/@w:line") == "579"
    assert attr(el, "w:pPr/w:spacing/@w:lineRule") == "exact"
    # −0.25 pt on 三号 only: 28 字 a line; the 二号 title keeps its natural width.
    assert attr(el, "w:rPr/w:spacing/@w:val") == (None if size == "44" else "-5")


def test_title_does_not_snap_to_a_grid(bottom_path: Path) -> None:
    assert attr(style(bottom_path, "GwTitle"), "w:pPr/w:snapToGrid/@w:val") == "0"


@pytest.mark.parametrize(
    ("sid", "east_asia", "bold"),
    [("GwRunIn3", "仿宋_GB2312", "1"), ("GwRunIn4", "仿宋_GB2312", "0"), ("GwRunIn1", "黑体", "0")],
)
def test_run_in_character_styles(bottom_path: Path, sid: str, east_asia: str, bold: str) -> None:
    el = style(bottom_path, sid)
    assert el.get(w("type")) == "character"
    assert attr(el, "w:rPr/w:rFonts/@w:eastAsia") == east_asia
    assert attr(el, "w:rPr/w:b/@w:val") == bold


def test_custom_font_names_reach_defaults_and_styles(tmp_path: Path) -> None:
    fonts = FontNames(body="仿宋", kai="楷体", title="方正小标宋_GBK")
    path = save(bottom_report(), tmp_path / "fonts.docx", fonts)
    defaults = part(path, "word/styles.xml").find("w:docDefaults", NS)
    assert attr(defaults, "w:rPrDefault/w:rPr/w:rFonts/@w:eastAsia") == "仿宋"
    assert attr(style(path, "GwBody"), "w:rPr/w:rFonts/@w:eastAsia") == "仿宋"
    assert attr(style(path, "Heading2"), "w:rPr/w:rFonts/@w:eastAsia") == "楷体"
    assert attr(style(path, "GwTitle"), "w:rPr/w:rFonts/@w:ascii") == "方正小标宋_GBK"


@pytest.mark.parametrize(
    "name", ["word/styles.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml"]
)
def test_rpr_and_ppr_children_are_in_schema_order(bottom_path: Path, name: str) -> None:
    root = part(bottom_path, name)
    checked = 0
    for tag, order in (("rPr", RPR_ORDER), ("pPr", PPR_ORDER)):
        for el in root.iter(w(tag)):
            names = [etree.QName(c).localname for c in el]
            assert all(n in order for n in names), names
            assert names == sorted(names, key=order.index), names
            checked += 1
    assert checked > 0


def test_set_child_inserts_in_schema_order() -> None:
    rpr = OxmlElement("w:rPr")
    for tag in ("lang", "sz", "rFonts", "spacing", "b"):
        set_child(rpr, tag, RPR_ORDER)
    assert [etree.QName(c).localname for c in rpr] == ["rFonts", "b", "spacing", "sz", "lang"]
    set_child(rpr, "sz", RPR_ORDER, val="32")  # existing child: updated, not duplicated
    assert len(rpr.findall(w("sz"))) == 1 and rpr.find(w("sz")).get(w("val")) == "32"


def test_every_referenced_style_exists(bottom_path: Path) -> None:
    defined = set(part(bottom_path, "word/styles.xml").xpath("w:style/@w:styleId", namespaces=NS))
    used = set(part(bottom_path, "word/document.xml").xpath("//w:pStyle/@w:val | //w:rStyle/@w:val",
                                                            namespaces=NS))  # fmt: skip
    assert used and used <= defined
    # python-docx resolves the ids to the Chinese style names Word shows.
    names = {p.style.name for p in docx.Document(str(bottom_path)).paragraphs}
    assert {"公文正文", "公文标题", "Heading 1"} <= names  # Word shows 标题 1


# --- paragraphs -------------------------------------------------------------------------------


def test_paragraph_order_and_styles(bottom_path: Path) -> None:
    paragraphs = body_paragraphs(bottom_path)
    assert [style_id(p) for p in paragraphs] == BOTTOM_STYLES
    texts = [text(p) for p in paragraphs]
    assert texts[:2] == ["某某区人民政府关于2023年度履行教育职责", "情况的自评报告"]
    assert texts[2] == "" and texts[12] == texts[13] == ""
    assert texts[5] == "一、基本情况"
    assert texts[9] == "2.保障经费投入"
    assert texts[-2:] == [ISSUER, DATE]


def test_blank_paragraphs_fall_back_to_exact_default_spacing(bottom_path: Path) -> None:
    for p in body_paragraphs(bottom_path):
        if style_id(p) is None:
            assert text(p) == "" and p.find("w:pPr/w:spacing", NS) is None


def test_heading_number_shares_the_run_with_its_text(bottom_path: Path) -> None:
    for p in body_paragraphs(bottom_path):
        if (style_id(p) or "").startswith("Heading"):
            assert len(p.findall("w:r", NS)) == 1, text(p)
    heading4 = body_paragraphs(bottom_path)[10]
    assert text(heading4) == "（1）落实生均经费"


def test_run_in_heading_is_one_body_paragraph_with_a_bold_lead(bottom_path: Path) -> None:
    document = docx.Document(str(bottom_path))
    paragraph = document.paragraphs[8]
    assert paragraph.style.style_id == "GwBody"
    lead, *rest = paragraph.runs
    assert lead.text == "1.加强党的领导。"
    assert lead.style.style_id == "GwRunIn3" and lead.style.font.bold is True
    assert [r.text for r in rest] == ["区委常委会专题研究教育工作。"]
    assert rest[0].style.style_id != "GwRunIn3" and rest[0].bold is None
    assert paragraph.style.font.bold is False


def test_level4_run_in_lead_is_regular(tmp_path: Path) -> None:
    doc = bottom_report()
    doc.blocks = [Heading(4, spans("小标题。"), spans("正文。"), number="（1）")]
    paragraph = docx.Document(str(save(doc, tmp_path / "l4.docx"))).paragraphs[4]
    assert paragraph.runs[0].text == "（1）小标题。"
    assert paragraph.runs[0].style.style_id == "GwRunIn4"
    assert paragraph.runs[0].style.font.bold is False


def test_highlights_only_on_gap_and_stale_runs(bottom_path: Path) -> None:
    marked = {}
    for run in part(bottom_path, "word/document.xml").iter(w("r")):
        marked["".join(run.xpath("w:t/text()", namespaces=NS))] = attr(
            run, "w:rPr/w:highlight/@w:val"
        )
    assert marked.pop("【待补充：学校数】") == "yellow"
    assert marked.pop("在校生三万人") == "cyan"
    assert set(marked.values()) == {None}


def test_gap_in_heading_text_keeps_number_and_highlight(tmp_path: Path) -> None:
    doc = bottom_report()
    doc.blocks = [Heading(1, (Span("【待补充：名称】", "gap"), Span("情况")), number="一、")]
    paragraph = body_paragraphs(save(doc, tmp_path / "gap.docx"))[4]
    runs = [(text(r), attr(r, "w:rPr/w:highlight/@w:val")) for r in paragraph.findall("w:r", NS)]
    assert runs == [("一、", None), ("【待补充：名称】", "yellow"), ("情况", None)]


def test_signature_at_bottom_centres_issuer_over_date(bottom_path: Path) -> None:
    issuer, date = body_paragraphs(bottom_path)[-2:]
    # date 右空四字; issuer 4字 + (w(date) − w(issuer)) / 2 = 1260 + (2030 − 3150) / 2
    assert attr(date, "w:pPr/w:ind/@w:right") == "1260"
    assert attr(issuer, "w:pPr/w:ind/@w:right") == "700"


def test_long_issuer_keeps_two_zi_and_moves_the_date(tmp_path: Path) -> None:
    doc = bottom_report()
    doc.issuer = spans("某某市某某区人民政府教育督导委员会办公室")  # 20 字 = 6300
    issuer, date = body_paragraphs(save(doc, tmp_path / "long.docx"))[-2:]
    assert attr(issuer, "w:pPr/w:ind/@w:right") == "630"
    assert attr(date, "w:pPr/w:ind/@w:right") == str(630 + (6300 - 2030) // 2)


def test_signature_at_top_sits_under_the_title(tmp_path: Path) -> None:
    paragraphs = body_paragraphs(save(top_report(), tmp_path / "top.docx"))
    assert [style_id(p) for p in paragraphs] == [
        "GwTitle", "GwSignatureTop", "GwSignatureTop", None, "GwBody"
    ]  # fmt: skip
    assert [text(p) for p in paragraphs[1:3]] == ["某某区人民政府", "2024年7月23日"]


# --- footer -----------------------------------------------------------------------------------


def test_odd_and_even_switch_is_in_settings(bottom_path: Path) -> None:
    assert part(bottom_path, "word/settings.xml").find("w:evenAndOddHeaders", NS) is not None


@pytest.mark.parametrize(("kind", "side"), [("default", "right"), ("even", "left")])
def test_page_number_footer(bottom_path: Path, kind: str, side: str) -> None:
    document = part(bottom_path, "word/document.xml")
    rid = attr(document, f"//w:sectPr/w:footerReference[@w:type='{kind}']/@r:id")
    rels = part(bottom_path, "word/_rels/document.xml.rels")
    target = rels.xpath(f"*[@Id='{rid}']/@Target")[0]
    footer = part(bottom_path, f"word/{target}")
    (p,) = footer.findall("w:p", NS)
    assert attr(p, "w:pPr/w:jc/@w:val") == side
    assert attr(p, f"w:pPr/w:ind/@w:{side}") == "280"
    other = "left" if side == "right" else "right"
    assert attr(p, f"w:pPr/w:ind/@w:{other}") is None
    assert "".join(p.xpath(".//w:instrText/text()", namespaces=NS)).strip() == "PAGE"
    kinds = p.xpath(".//w:fldChar/@w:fldCharType", namespaces=NS)
    assert kinds == ["begin", "separate", "end"]
    texts = p.xpath(".//w:t/text()", namespaces=NS)
    assert texts[0] == "— " and texts[-1] == " —"
    for run in p.findall("w:r", NS):
        fonts = run.find("w:rPr/w:rFonts", NS)
        slots = {fonts.get(w(k)) for k in ("ascii", "hAnsi", "eastAsia", "cs")}
        assert slots == {"宋体"}
        assert attr(run, "w:rPr/w:sz/@w:val") == "28"


# --- core properties and fingerprint ------------------------------------------------------------


def test_core_properties(bottom_path: Path) -> None:
    core = docx.Document(str(bottom_path)).core_properties
    assert core.title == "某某区人民政府关于2023年度履行教育职责情况的自评报告"
    assert core.author == core.last_modified_by == "drafter"
    assert core.language == "zh-CN"
    assert "district=某某区" in core.keywords


def test_fingerprint_is_recorded_and_matches_the_saved_file(bottom_path: Path) -> None:
    identifier = docx.Document(str(bottom_path)).core_properties.identifier
    assert re.fullmatch(r"drafter:parts-sha256:[0-9a-f]{64}", identifier)
    assert fingerprint_status(bottom_path) == "unchanged"


def test_drafts_fingerprinted_the_old_way_are_still_recognised(bottom_path: Path, tmp_path):
    with zipfile.ZipFile(bottom_path) as archive:
        digest = hashlib.sha256(archive.read("word/document.xml")).hexdigest()
    document = docx.Document(str(bottom_path))
    document.core_properties.identifier = f"drafter:sha256:{digest}"
    old = tmp_path / "old.docx"
    document.save(str(old))
    assert fingerprint_status(old) == "unchanged"
    document.paragraphs[4].add_run("补充一句。")
    document.save(str(old))
    assert fingerprint_status(old) == "edited"


def test_fingerprint_detects_an_edit(bottom_path: Path) -> None:
    document = docx.Document(str(bottom_path))
    document.paragraphs[4].add_run("补充一句。")
    document.save(str(bottom_path))
    assert fingerprint_status(bottom_path) == "edited"


def test_resave_without_changes_keeps_unchanged(bottom_path: Path, tmp_path: Path) -> None:
    # python-docx round trip of an untouched file writes the same document.xml bytes.
    copy = tmp_path / "copy.docx"
    docx.Document(str(bottom_path)).save(str(copy))
    assert fingerprint_status(copy) == "unchanged"


def test_foreign_files(tmp_path: Path) -> None:
    plain_docx = tmp_path / "plain.docx"
    docx.Document().save(str(plain_docx))
    assert fingerprint_status(plain_docx) == "foreign"
    not_a_zip = tmp_path / "notes.docx"
    not_a_zip.write_text("不是 Word 文件", encoding="utf-8")
    assert fingerprint_status(not_a_zip) == "foreign"
    assert fingerprint_status(tmp_path / "missing.docx") == "foreign"


def test_signature_keeps_with_the_last_body_lines():
    """The 落款 never stands alone on a page (GB/T 9704 7.3.5.5)."""
    doc = Document(
        title_lines=[(Span("标题"),)],
        addressee=None,
        blocks=[Paragraph((Span("第一段。"),)), Paragraph((Span("最后一段。"),))],
        issuer=(Span("某某区人民政府"),),
        date=(Span("2021年7月23日"),),
    )
    paragraphs = build_docx(doc).paragraphs
    keep = [(p.text, bool(p.paragraph_format.keep_with_next)) for p in paragraphs]
    assert keep[-5:] == [
        ("最后一段。", True), ("", True), ("", True), ("某某区人民政府", True),
        ("2021年7月23日", False),
    ]  # fmt: skip
    assert ("第一段。", False) in keep
