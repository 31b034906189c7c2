"""Drafts other programs treat as native Word files, read back from the saved .docx: heading
structure as pandoc, mammoth and docx2python see it, compatibility mode, font table,
document properties, and a fingerprint that notices edits to any part."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import SAMPLE
from lxml import etree

from drafter.document import Heading, plain
from drafter.pipeline import draft_facts
from drafter.word import FontNames, build_docx, docx_bytes, fingerprint_status
from drafter.word.breaks import JOINERS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
NAMES = sorted(SAMPLE)


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Heading]]]:
    """Each sample saved as a .docx, with the headings its Document holds."""
    folder = tmp_path_factory.mktemp("native")
    out = {}
    for name in NAMES:
        document = draft_facts(SAMPLE[name]).document
        path = folder / f"{name}.docx"
        path.write_bytes(docx_bytes(build_docx(document)))
        out[name] = (path, [b for b in document.blocks if isinstance(b, Heading)])
    return out


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def standalone(headings: list[Heading]) -> list[tuple[int, str]]:
    return [(h.level, h.number + plain(h.text)) for h in headings if h.body is None]


def _inlines(items: list) -> str:
    out = []
    for item in items:
        kind, content = item["t"], item.get("c")
        if kind == "Str":  # the no-break joiners drafter writes are no text (breaks.py)
            out.append(content.translate(JOINERS))
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind == "Quoted":
            out.append("“" + _inlines(content[1]) + "”")
        elif kind in ("Emph", "Strong", "Span", "Underline", "Strikeout"):
            out.append(_inlines(content[-1]))
    return "".join(out)


NO_PANDOC = "未安装 pandoc（bash .ci/install-render-deps.sh 安装）"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason=NO_PANDOC)
@pytest.mark.parametrize("name", NAMES)
def test_pandoc_finds_every_heading_at_its_level(drafts, name):
    path, headings = drafts[name]
    ast = json.loads(subprocess.run(["pandoc", "-t", "json", str(path)], capture_output=True,
                                    text=True, check=True).stdout)  # fmt: skip
    found = [(b["c"][0], _inlines(b["c"][2])) for b in ast["blocks"] if b["t"] == "Header"]
    want = standalone(headings)
    assert len(want) >= 4 and {level for level, _ in want} >= {1}
    assert found == want


@pytest.mark.parametrize("name", NAMES)
def test_mammoth_and_docx2python_see_the_heading_levels(drafts, name):
    mammoth = pytest.importorskip("mammoth")
    docx2python = pytest.importorskip("docx2python")
    path, headings = drafts[name]
    want = [level for level, _ in standalone(headings)]
    with path.open("rb") as handle:
        html = mammoth.convert_to_html(handle).value
    assert [int(n) for n in re.findall(r"<h([1-6])>", html)] == want
    with docx2python.docx2python(str(path), html=True) as read:
        assert [int(n) for n in re.findall(r"<h([1-6])>", read.text)] == want


@pytest.mark.parametrize("name", NAMES)
def test_headings_use_the_built_in_styles_and_run_ins_carry_an_outline_level(drafts, name):
    path, headings = drafts[name]
    styles = part(path, "word/styles.xml")
    for level in range(1, 5):
        (style,) = styles.xpath(f"w:style[@w:styleId='Heading{level}']", namespaces=NS)
        assert style.xpath("w:name/@w:val", namespaces=NS) == [f"heading {level}"]
        assert style.get(f"{{{W}}}customStyle") is None
        assert style.xpath("w:pPr/w:outlineLvl/@w:val", namespaces=NS) == [str(level - 1)]
    paragraphs = part(path, "word/document.xml").findall("w:body/w:p", NS)
    run_ins = [(h.level, h.number + plain(h.text)) for h in headings if h.body is not None]
    found = []
    for p in paragraphs:
        level = p.xpath("w:pPr/w:outlineLvl/@w:val", namespaces=NS)
        if level:
            assert p.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS) == ["GwBody"]
            lead = "".join(p.xpath("w:r[1]//w:t/text()", namespaces=NS))
            found.append((int(level[0]) + 1, lead))
    assert run_ins and found == run_ins


def test_compatibility_mode_15(drafts):
    settings = part(drafts["jiangbei"][0], "word/settings.xml")
    mode = settings.xpath("w:compat/w:compatSetting[@w:name='compatibilityMode']/@w:val",
                          namespaces=NS)  # fmt: skip
    assert mode == ["15"]


def test_font_table_names_the_substitutes(drafts):
    path = drafts["jiangbei"][0]
    fonts = {f.get(f"{{{W}}}name"): f for f in part(path, "word/fontTable.xml")}

    def value(name: str, tag: str) -> str | None:
        found = fonts[name].xpath(f"w:{tag}/@w:val", namespaces=NS)
        return found[0] if found else None

    assert set(fonts) == {"仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体",
                          "Times New Roman"}  # fmt: skip
    assert value("仿宋_GB2312", "altName") == "仿宋"
    assert value("楷体_GB2312", "altName") == "楷体"
    assert value("方正小标宋简体", "altName") == "宋体"
    for name in ("仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"):
        assert value(name, "charset") == "86"  # GB2312
        assert value(name, "pitch") in ("fixed", "variable")
    assert value("Times New Roman", "charset") == "00"
    rels = part(path, "word/_rels/document.xml.rels")
    assert rels.xpath("*[@Target='fontTable.xml']/@Type")[0].endswith("/fontTable")


def test_font_table_follows_the_font_names(tmp_path):
    document = draft_facts(SAMPLE["wuxing"]).document
    path = tmp_path / "fonts.docx"
    path.write_bytes(docx_bytes(build_docx(document, FontNames(body="仿宋", kai="楷体"))))
    names = [f.get(f"{{{W}}}name") for f in part(path, "word/fontTable.xml")]
    assert "仿宋" in names and "仿宋_GB2312" not in names and "楷体" in names


def test_title_and_language_in_the_document_properties(drafts):
    core = part(drafts["jiangbei"][0], "docProps/core.xml")
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert core.findtext(f"{dc}title") == "重庆市江北区人民政府2021年以来履行教育职责情况自评报告"
    assert core.findtext(f"{dc}language") == "zh-CN"


# ---------------------------------------------------------------- edits to any part


def _edit_part(path: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    """Rewrite one part of the zip in place, as Word does on save."""
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    parts[name] = change(parts[name])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part_name, data in parts.items():
            archive.writestr(part_name, data)
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("word/styles.xml", 'w:eastAsia="仿宋_GB2312"', 'w:eastAsia="仿宋"'),  # restyled only
        ("word/footer1.xml", "— ", "- "),
        ("docProps/core.xml", "zh-CN", "en-US"),
        ("word/settings.xml", 'w:val="15"', 'w:val="14"'),
    ],
)
def test_an_edit_to_any_part_counts(tmp_path, drafts, name, old, new):
    path = tmp_path / "edited.docx"
    shutil.copy(drafts["wuxing"][0], path)
    assert fingerprint_status(path) == "unchanged"
    _edit_part(path, name, lambda data: data.replace(old.encode(), new.encode(), 1))
    assert fingerprint_status(path) == "edited"


def test_a_styles_only_edit_through_python_docx_counts(tmp_path, drafts):
    path = tmp_path / "restyled.docx"
    document = docx.Document(str(drafts["wuxing"][0]))
    document.styles["heading 1"].font.size = docx.shared.Pt(18)
    document.save(str(path))
    assert fingerprint_status(path) == "edited"
    untouched = tmp_path / "resaved.docx"
    docx.Document(str(drafts["wuxing"][0])).save(str(untouched))
    assert fingerprint_status(untouched) == "unchanged"


def test_a_reference_document_from_before_keeps_restyling_the_headings(tmp_path, cli):
    """A bureau's reference document made when headings were GwHeading1–4 (公文一级标题 …)."""
    reference = tmp_path / "本局样式.docx"
    assert cli("styles", "init", reference)[0] == 0
    document = docx.Document(str(reference))
    style = document.styles["heading 1"]
    style.element.set(f"{{{W}}}styleId", "GwHeading1")
    style.element.set(f"{{{W}}}customStyle", "1")
    style.name = "公文一级标题"
    style.font.size = docx.shared.Pt(18)
    for p in document.paragraphs:
        ppr = p._p.pPr
        if ppr is not None and ppr.pStyle is not None and ppr.pStyle.val == "Heading1":
            ppr.pStyle.val = "GwHeading1"
    document.save(str(reference))
    out = tmp_path / "稿.docx"
    assert cli("draft", SAMPLE["jiangbei"], "--reference-doc", reference, "-o", out)[0] == 0
    styles = part(out, "word/styles.xml")
    assert styles.xpath("w:style[@w:styleId='GwHeading1']", namespaces=NS) == []
    (heading,) = styles.xpath("w:style[@w:styleId='Heading1']", namespaces=NS)
    assert heading.xpath("w:name/@w:val", namespaces=NS) == ["heading 1"]
    assert heading.xpath("w:rPr/w:sz/@w:val", namespaces=NS) == ["36"]
