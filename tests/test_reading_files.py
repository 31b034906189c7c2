"""The reading layer on real-world-shaped files: every builder × every seed report reads
back to the golden text with the marks that tell a heading, and every bad input is
refused in Chinese, naming the file, writing nothing."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from conftest import golden
from messy_docs import (
    BUILDERS,
    NAMES,
    Expect,
    bad_inputs,
    convert,
    golden_view,
    libreoffice_from_text,
    typed_numbers,
)

from drafter.errors import SourceError
from drafter.reading.docx_numbering import format_number
from drafter.reading.docx_reader import read_docx
from drafter.reading.files import read_source
from drafter.reading.source import SourceDocument

CASES = [(b, n) for b in BUILDERS for n in NAMES]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[tuple[str, str], tuple[list[Expect], SourceDocument]]:
    """Every builder × sample, built and read once."""
    folder = tmp_path_factory.mktemp("messy")
    out = {}
    for builder, name in CASES:
        path = folder / f"{builder}-{name}.docx"
        expect = BUILDERS[builder](name, path)
        out[builder, name] = expect, read_source(path)
    return out


@pytest.mark.parametrize(("builder", "name"), CASES)
def test_builders_read_back(built, builder: str, name: str) -> None:
    expect, document = built[builder, name]
    assert golden_view(expect) == golden(name)  # the builder's documented rule holds
    got = document.paragraphs
    assert [p.text for p in got] == [e.text for e in expect]
    assert [p.in_table for p in got] == [e.kind == "cell" for e in expect]
    assert [p.auto_number for p in got] == [e.auto_number for e in expect]
    for p, e in zip(got, expect, strict=True):
        if e.lead is not None:
            assert (p.lead_chars, p.lead_emphasis) == (e.lead, e.emphasis), p.text[:30]
        if e.style_level is not None:
            assert p.outline_level == e.style_level, p.text
        elif builder != "heading_styles" and builder != "auto_numbered":
            assert p.outline_level is None
        assert p.page_break_before == e.page_break, p.text[:30]
        if e.kind == "title":
            assert (p.alignment, p.size) == ("center", 22.0)
        if e.kind == "closing":
            assert p.alignment == "right"
    numbers = [p.number for p in got]
    assert numbers == sorted(set(numbers))
    assert document.kind == "docx"


def test_standalone_headings_are_emphasised_throughout(built) -> None:
    expect, document = built["typed_numbers", "shuangtaizi"]
    pairs = zip(expect, document.paragraphs, strict=True)
    standalone = [(e.level, p.emphasised) for e, p in pairs if e.kind == "heading" and e.level != 4]
    assert {level for level, _ in standalone} == {1, 2, 3}
    assert all(emphasised for _, emphasised in standalone)


def test_spaces_and_breaks_notes_and_numbers(built) -> None:
    expect, document = built["spaces_and_breaks", "dongli"]
    assert "页眉页脚未读入" in document.notes
    assert sum(e.soft_break for e in expect) == 3
    assert sum(p.page_break_before for p in document.paragraphs) == 1
    # empty paragraphs are dropped but still counted: 第N段 points into the file
    heading = next(p for p in document.paragraphs if p.text == "一、工作成效及经验做法")
    after = document.paragraphs[document.paragraphs.index(heading) + 1]
    assert after.number == heading.number + 2
    plain, _ = built["typed_numbers", "dongli"]
    assert "页眉页脚未读入" not in built["typed_numbers", "dongli"][1].notes
    assert plain


def test_table_is_read_as_paragraphs_with_a_note(built) -> None:
    _, document = built["with_table", "wuxing"]
    first = next(p for p in document.paragraphs if p.in_table)
    note = f"第{first.number}段起有 1 个表格，已按段落读入（表格暂不能作为表格导入）"
    assert note in document.notes
    assert [p.text for p in document.paragraphs if p.in_table][-1] == "合计（两格合并）"


@pytest.fixture(scope="session")
def converted(tmp_path_factory) -> dict[str, Path]:
    """LibreOffice runs once for all .txt → .docx and once for .docx → .doc."""
    folder = tmp_path_factory.mktemp("lo")
    out = libreoffice_from_text(list(NAMES), folder)
    typed_numbers("jiangbei", folder / "jiangbei-typed.docx")
    convert([folder / "jiangbei-typed.docx"], "doc", folder)
    out["doc"] = folder / "jiangbei-typed.doc"
    return out


@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_docx_reads_back(converted, name: str) -> None:
    assert [p.text for p in read_docx(converted[name]).paragraphs] == golden(name)


def test_doc_is_converted_with_libreoffice(converted, tmp_path: Path) -> None:
    doc = tmp_path / "上年报告.doc"
    doc.write_bytes(converted["doc"].read_bytes())
    before = _temp_leftovers()
    document = read_source(doc)
    assert document.kind == "converted" and document.path == doc
    expect = typed_numbers("jiangbei", tmp_path / "x.docx")
    (tmp_path / "x.docx").unlink()
    assert [p.text for p in document.paragraphs] == [e.text for e in expect]
    assert sorted(os.listdir(tmp_path)) == ["上年报告.doc"]
    assert _temp_leftovers() == before


def _temp_leftovers() -> set[str]:
    return {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("drafter-import-")}


def test_text_files_in_every_encoding(tmp_path: Path) -> None:
    lines = golden("wuxing")
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "gb18030"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes("\r\n\r\n".join(lines).encode(encoding))
        document = read_source(path)
        assert [p.text for p in document.paragraphs] == lines, encoding
        assert document.kind == "txt"
        assert [p.number for p in document.paragraphs][:2] == [1, 3]


@pytest.fixture(scope="session")
def bad(tmp_path_factory, built) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    good = folder.parent / "good.docx"
    typed_numbers("wuxing", good)
    files = bad_inputs(folder, good)
    fifo = folder / "管道.txt"
    os.mkfifo(fifo)
    files["管道.txt"] = fifo
    (folder / "文件夹.docx").mkdir()
    files["文件夹.docx"] = folder / "文件夹.docx"
    files["不存在.docx"] = folder / "不存在.docx"
    huge = folder / "过大.txt"
    with huge.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: costs no disk
    files["过大.txt"] = huge
    return files


REFUSALS = {
    "表格.docx": "是电子表格（或演示文稿），不是 Word 报告",
    "表格.odt": "是电子表格（或演示文稿），不是 Word 报告",
    "空白.docx": "文件中没有文字：",
    "报告.pdf": "PDF 文件不能直接导入",
    "炸弹.docx": "压缩内容异常",
    "截断.docx": "文件已损坏或不完整，无法读取",
    "二进制.txt": "不是可识别的报告文件（支持 .docx、.doc、.wps、.odt、.rtf、.txt）",
    "加密.docx": "文件设有打开密码，drafter 无法读取",
    "管道.txt": "不是普通文件",
    "文件夹.docx": "文件夹",
    "不存在.docx": "找不到文件",
    "过大.txt": "超过 50 MB",
}


@pytest.mark.parametrize("case", REFUSALS)
def test_bad_inputs_are_refused_in_chinese(bad, case: str) -> None:
    if case not in bad:
        pytest.skip("msoffcrypto-tool is not installed")
    folder = bad[case].parent
    before = sorted(os.listdir(folder))
    with pytest.raises(SourceError) as raised:
        read_source(bad[case], timeout=30)
    message = str(raised.value)
    assert REFUSALS[case] in message
    assert raised.value.problems[0].file == bad[case] and message.startswith(str(bad[case]))
    assert "Traceback" not in message and not re.search(r"[A-Za-z]{4,}", _words(message, case))
    assert sorted(os.listdir(folder)) == before


def _words(message: str, case: str) -> str:
    """The message without the file name and the product names it may cite."""
    text = message.split("：", 1)[1]
    for allowed in ("drafter", "Word", "WPS", "LibreOffice", "Debian", "Ubuntu", "Windows",
                    "apt-get", "install", "libreoffice-writer-nogui", "docx", "wps", "odt",
                    "rtf", "txt", "doc", "PDF"):
        text = text.replace(allowed, "")
    return text


def test_missing_libreoffice_is_explained(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("drafter.reading.files.find_soffice", lambda: None)
    rtf = tmp_path / "报告.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi hello}")
    with pytest.raises(SourceError, match="需要 LibreOffice：Debian/Ubuntu 上运行 apt-get"):
        read_source(rtf)


@pytest.mark.parametrize(
    ("fmt", "n", "shown"),
    [("chineseCounting", 12, "十二"), ("chineseCountingThousand", 20, "二十"),
     ("decimalEnclosedCircle", 3, "③"), ("lowerLetter", 2, "b"), ("upperLetter", 27, "AA"),
     ("ideographTraditional", 2, "乙"), ("decimal", 7, "7"), ("ordinalText", 1, None),
     ("chineseCounting", 110, "一百一十"), ("chineseCounting", 1000, "一千")],
)
def test_number_formats(fmt: str, n: int, shown: str | None) -> None:
    assert format_number(fmt, n) == shown


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WPS_NS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
V_NS = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def _r(text: str, rpr: str = "") -> str:
    return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _num(num_id: int, ilvl: int, text: str) -> str:
    numpr = f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    return f"<w:pPr>{numpr}</w:pPr>{_r(text)}"


BOX = "<w:p><w:r><w:t>文本框标题</w:t></w:r></w:p>"
EDGE_BODY = [
    # tracked changes, hyperlink, both kinds of field, tab, soft break, smart tag
    _r("甲") + f"<w:ins>{_r('插入')}</w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
    f"<w:hyperlink>{_r('链接')}</w:hyperlink><w:fldSimple w:instr=\"PAGE\">{_r('7')}</w:fldSimple>"
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DATE</w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _r("结果")
    + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:tab/><w:t>尾</w:t><w:br/><w:t>行</w:t></w:r>' f"<w:smartTag>{_r('标')}</w:smartTag>",
    '<w:pPr><w:sectPr><w:type w:val="nextPage"/></w:sectPr></w:pPr>',  # a section break
    '<w:pPr><w:pStyle w:val="CnHeading2"/></w:pPr>' + _r("标题二"),
    '<w:pPr><w:pStyle w:val="MyHeading"/></w:pPr>' + _r("标题三"),
    '<w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/></w:pPr>' + _r("正文级"),
    _r("\u3000\u3000") + _r("一是加强领导。", '<w:rStyle w:val="Strong"/>') + _r("正文"),
    _r("粗", "<w:b/>") + _r("细", '<w:b w:val="0"/>'),
    _r("黑", '<w:rFonts w:ascii="SimHei"/>') + _r("楷", '<w:rFonts w:eastAsia="楷体"/>'),
    f'<w:r><mc:AlternateContent {MC_NS}><mc:Choice Requires="wps"><w:drawing><wps:wsp {WPS_NS}>'
    f"<wps:txbx><w:txbxContent>{BOX}</w:txbxContent></wps:txbx></wps:wsp></w:drawing>"
    f"</mc:Choice><mc:Fallback><w:pict><v:shape {V_NS}><v:textbox><w:txbxContent>{BOX}"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
    _num(91, 0, "圈一"), _num(91, 1, "甲"), _num(91, 1, "乙"), _num(91, 0, "圈二"),
    _num(91, 1, "又甲"), _num(92, 0, "从五起"), _num(93, 0, "未知格式"),
    '<w:pPr><w:jc w:val="both"/></w:pPr>' + _r("两端对齐", '<w:sz w:val="44"/>'),
]
NUMBERING = (
    f'<w:abstractNum {W_NS} w:abstractNumId="91">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/>'
    '<w:lvlText w:val="%1"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/>'
    '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>',
    f'<w:abstractNum {W_NS} w:abstractNumId="93"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="ordinalText"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>',
    f'<w:num {W_NS} w:numId="91"><w:abstractNumId w:val="91"/></w:num>',
    f'<w:num {W_NS} w:numId="92"><w:abstractNumId w:val="91"/><w:lvlOverride w:ilvl="0">'
    '<w:startOverride w:val="5"/></w:lvlOverride></w:num>',
    f'<w:num {W_NS} w:numId="93"><w:abstractNumId w:val="93"/></w:num>',
)
STYLES = (
    f'<w:style {W_NS} w:type="paragraph" w:styleId="CnHeading2"><w:name w:val="标题 2"/></w:style>',
    f'<w:style {W_NS} w:type="paragraph" w:styleId="MyHeading"><w:name w:val="我的标题"/>'
    '<w:basedOn w:val="Heading3"/></w:style>',
)


@pytest.fixture(scope="module")
def edge(tmp_path_factory) -> SourceDocument:
    """Hand-written XML for what Word and WPS put in files and python-docx misses."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    for xml in EDGE_BODY:
        body.insert(len(body) - 1, parse_xml(f'<w:p {W_NS} {MC_NS}>{xml}</w:p>'))
    numbering = document.part.numbering_part.element
    for xml in NUMBERING:
        numbering.append(parse_xml(xml))
    for xml in STYLES:
        document.styles.element.append(parse_xml(xml))
    document.add_comment(document.paragraphs[6].runs[0], text="请核实")
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "第 页"
    path = tmp_path_factory.mktemp("edge") / "edge.docx"
    document.save(str(path))
    return read_source(path)


def test_text_the_way_word_shows_it(edge: SourceDocument) -> None:
    p = edge.paragraphs
    assert p[0].text == "甲插入链接7结果\t尾\n行标"
    assert p[0].number == 1 and p[1].number == 3  # the empty section-break paragraph counts
    assert p[1].page_break_before and not p[2].page_break_before
    assert [(x.style, x.outline_level) for x in p[1:4]] == [
        ("标题 2", 2), ("我的标题", 3), ("Heading 1", None)]
    assert (p[4].lead_chars, p[4].lead_emphasis) == (9, "bold")
    assert (p[5].lead_chars, p[5].lead_emphasis) == (1, "bold")
    assert (p[6].lead_chars, p[6].lead_emphasis) == (1, "heiti")
    assert [x.text for x in p if x.text == "文本框标题"] == ["文本框标题"]
    numbered = p[8:15]
    assert [x.auto_number for x in numbered] == ["①", "a)", "b)", "②", "a)", "⑤", ""]
    assert (p[15].alignment, p[15].size) == ("justify", 22.0)
    assert "批注 1 条未读入" in edge.notes
    assert any("文本框" in n for n in edge.notes)
    assert any("自动编号" in n for n in edge.notes)
    assert "页眉页脚未读入" not in edge.notes  # "第 页" around a page number is no text


def _rewrite(source: Path, target: Path, drop: str = "", replace: dict[str, bytes] | None = None
             ) -> None:
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if item.filename != drop:
                new.writestr(item, (replace or {}).get(item.filename, old.read(item)))


def test_broken_parts_degrade(tmp_path: Path) -> None:
    good = tmp_path / "好.docx"
    typed_numbers("wuxing", good)
    expected = [p.text for p in read_source(good).paragraphs]
    _rewrite(good, tmp_path / "无样式.docx", drop="word/styles.xml")
    _rewrite(good, tmp_path / "坏编号.docx", replace={"word/numbering.xml": b"<w:numbering"})
    for name in ("无样式.docx", "坏编号.docx"):
        assert [p.text for p in read_source(tmp_path / name).paragraphs] == expected


RTF = rb"{\rtf1\ansi\uc1 {\pard \u19968?\u12289?\u24635?\u20307?\u24773?\u20917?\par}}"


def test_rtf_is_converted_and_a_slow_conversion_is_stopped(tmp_path: Path) -> None:
    rtf = tmp_path / "报告.rtf"
    rtf.write_bytes(RTF)
    before = _temp_leftovers()
    document = read_source(rtf)
    assert [p.text for p in document.paragraphs] == ["一、总体情况"]
    with pytest.raises(SourceError, match="转换超时") as raised:
        read_source(rtf, timeout=0.05)
    assert raised.value.problems[0].file == rtf
    assert sorted(os.listdir(tmp_path)) == ["报告.rtf"] and _temp_leftovers() == before
