"""Word files shaped the way people make them (not the way drafter writes them), built
from the four seed reports' golden texts, plus bad inputs for `drafter import`.

Each builder writes a .docx and returns what a faithful reader must read back from it:
one `Expect` per non-empty paragraph, in order. How each builder's expected text relates
to the golden lines is stated in its docstring; `golden_view` undoes exactly that, so a
test can check the expectation itself against the golden text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

GOLDEN = Path(__file__).resolve().parent / "golden"
NAMES = ("dongli", "shuangtaizi", "wuxing", "jiangbei")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
INDENT = "\u3000\u3000"


@dataclass(frozen=True)
class Expect:
    """One paragraph as the reader must hand it over."""

    text: str
    golden: str = ""  # the golden line it stands for ("" for a table cell)
    kind: str = "body"  # title, issuer, addressee, heading, runin, body, closing, cell
    level: int | None = None  # heading level (outline file)
    lead: int | None = None  # expected lead_chars, None = not checked
    emphasis: str | None = None
    style_level: int | None = None  # expected outline_level (built-in heading styles)
    auto_number: str = ""
    page_break: bool = False
    soft_break: bool = False


@dataclass(frozen=True)
class Line:
    text: str
    kind: str
    level: int | None = None
    number: str = ""
    head: str = ""  # number + heading text (the lead of a run-in heading)


def report_lines(name: str) -> list[Line]:
    """The golden lines of a sample, each with its part in the report."""
    lines = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    outline = [
        row.split("\t") for row in (GOLDEN / f"{name}.outline.txt").read_text("utf-8").splitlines()
    ]
    addressee = next(i for i, t in enumerate(lines) if t.endswith("："))
    end = len(lines)
    while _DATE.match(lines[end - 1]) or lines[end - 1].endswith("政府"):
        end -= 1
    out = [
        Line(t, "issuer" if _DATE.match(t) or (t.endswith("政府") and i) else "title")
        for i, t in enumerate(lines[:addressee])
    ]
    out.append(Line(lines[addressee], "addressee"))
    headings = iter(outline)
    level, number, text = next(headings)
    for j in range(addressee + 1, end):
        line = lines[j]
        if number and line.startswith(number + text):
            kind = "heading" if line == number + text else "runin"
            out.append(Line(line, kind, int(level), number, number + text))
            level, number, text = next(headings, ("", "", ""))
        else:
            out.append(Line(line, "body"))
    out += [Line(t, "closing") for t in lines[end:]]
    return out


def _font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


_HEAD_FONT = {1: ("黑体", None), 2: ("楷体_GB2312", None), 3: ("仿宋_GB2312", True)}


def _half_width(line: Line) -> str:
    """typed_numbers types （二） as "(二)" and 3. as "3、" (both half-width / variant)."""
    if line.number == "（二）":
        return "(二)" + line.head[len(line.number):]
    if line.number == "3.":
        return "3、" + line.head[len(line.number):]
    return line.head


def _build(name: str, path: Path, *, spaces: bool = False, styles: bool = False,
           auto: bool = False, table: bool = False, half: bool = True) -> list[Expect]:
    document = docx.Document()
    if auto:
        _add_heading_numbering(document)
    expect: list[Expect] = []
    lines = report_lines(name)
    level_ones = 0
    soft_done = 0
    for index, line in enumerate(lines):
        if spaces and line.kind == "closing" and lines[index - 1].kind != "closing":
            document.add_paragraph()  # spacing typed as an empty paragraph
        if line.kind == "title" and spaces and sum(x.kind == "title" for x in lines) == 1:
            middle = len(line.text) // 2  # one golden title line, typed as two paragraphs
            parts = [line.text[:middle], line.text[middle:]]
        else:
            parts = [line.text]
        page_break = bool(spaces and line.level == 1 and level_ones == 1)
        soft = spaces and soft_done < 3 and len(line.text) > 200 and line.kind != "heading"
        for part in parts:
            expect.append(_paragraph(document, line, part, spaces, styles, auto, half,
                                     page_break=page_break, soft=soft))
        if expect[-1].soft_break:
            soft_done += 1
        if line.level == 1 and line.kind == "heading":
            level_ones += 1
            if spaces:
                document.add_paragraph()
        if table and line.kind == "body" and not any(e.kind == "cell" for e in expect):
            expect += _table(document)
    if spaces:
        issuer = next(x.text for x in lines if x.kind in ("issuer", "closing") and "政府" in x.text)
        document.sections[0].header.paragraphs[0].text = issuer
        _page_field(document.sections[0].footer.paragraphs[0])
    document.save(str(path))
    return expect


def _paragraph(document, line: Line, text: str, spaces: bool, styles: bool, auto: bool,
               half: bool, page_break: bool, soft: bool) -> Expect:
    if page_break:  # Ctrl+Enter: a paragraph holding only the break, before the heading
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    p = document.add_paragraph()
    standalone = line.kind == "heading"
    if styles and standalone:
        p.style = document.styles[f"Heading {line.level}"]
    head = _half_width(line) if half and not styles else line.head
    shown = head + text[len(line.head):] if line.head else text
    if auto and line.level in (1, 2) and standalone:
        shown = shown[len(line.number):]  # Word prints the number; it is not in the text
    lead: int | None = None
    emphasis: str | None = None
    if line.kind in ("title",):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(shown), "方正小标宋简体", 22)
        lead, emphasis = len(shown), "title"
    elif line.kind == "runin":
        _font(p.add_run(head), "仿宋_GB2312", 16, bold=True)
        rest, soft = _body_runs(p, shown[len(head):], soft)
        shown = head + rest
        lead, emphasis = len(head), "bold"
    elif standalone and not styles:
        font, bold = _HEAD_FONT.get(line.level or 4, ("仿宋_GB2312", None))
        _font(p.add_run(shown), font, 16, bold=bold)
        if line.level in (1, 2, 3):
            lead = len(shown)
            emphasis = {1: "heiti", 2: "kaiti", 3: "bold"}[line.level]
        else:
            lead, emphasis = 0, ""
    elif standalone:
        p.add_run(shown)
    else:
        if line.kind in ("closing", "issuer"):
            p.alignment = (WD_ALIGN_PARAGRAPH.RIGHT if line.kind == "closing"
                           else WD_ALIGN_PARAGRAPH.CENTER)
        elif line.kind == "body" and spaces:
            shown = INDENT + shown
        elif line.kind == "body":
            p.paragraph_format.first_line_indent = Pt(32)
        shown, soft = _body_runs(p, shown, soft)
        lead, emphasis = 0, ""
    return Expect(
        text=shown, golden=line.text, kind=line.kind, level=line.level, lead=lead,
        emphasis=emphasis, style_level=line.level if styles and standalone else None,
        auto_number=line.number if auto and standalone and line.level in (1, 2) else "",
        page_break=page_break, soft_break=soft,
    )


def _body_runs(p, text: str, soft: bool) -> tuple[str, bool]:
    """Body text in 仿宋_GB2312 16 pt; with `soft`, a w:br after a "。" past the middle."""
    middle = text.find("。", len(text) // 2) + 1 if soft else 0
    if not 0 < middle < len(text):
        _font(p.add_run(text), "仿宋_GB2312", 16)
        return text, False
    run = p.add_run(text[:middle])
    _font(run, "仿宋_GB2312", 16)
    run.add_break()
    _font(p.add_run(text[middle:]), "仿宋_GB2312", 16)
    return text[:middle] + "\n" + text[middle:], True


_CELLS = (("指标", "完成情况"), ("普惠性幼儿园覆盖率", "68%"), ("合计（两格合并）", None))


def _table(document) -> list[Expect]:
    """A 2×3 table; the last row's two cells merged (its text must be read once)."""
    table = document.add_table(rows=3, cols=2)
    out = []
    for row, (left, right) in zip(table.rows, _CELLS, strict=True):
        if right is None:
            merged = row.cells[0].merge(row.cells[1])
            merged.paragraphs[0].text = left
            out.append(Expect(text=left, kind="cell"))
            continue
        row.cells[0].paragraphs[0].text = left
        row.cells[1].paragraphs[0].text = right
        out += [Expect(text=left, kind="cell"), Expect(text=right, kind="cell")]
    return out


def _page_field(paragraph) -> None:
    """A PAGE field as Word writes it: begin, instruction, separate, result, end."""
    for xml in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText> PAGE </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>', "<w:t>1</w:t>",
                '<w:fldChar w:fldCharType="end"/>'):
        paragraph.add_run()._element.append(_w(xml))


def _w(xml: str) -> object:
    tag_end = xml.index(" ") if " " in xml.split(">")[0] else xml.index(">")
    return parse_xml(xml[:tag_end] + f" {nsdecls('w')}" + xml[tag_end:])


def _add_heading_numbering(document) -> None:
    """一、 and （一） as Word's automatic numbering, linked to Heading 1 and Heading 2."""
    numbering = document.part.numbering_part.element
    abstract = _w(
        '<w:abstractNum w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:pStyle w:val="Heading1"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:pStyle w:val="Heading2"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(_w('<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for style_id, ilvl in (("Heading1", ""), ("Heading2", '<w:ilvl w:val="1"/>')):
        style = document.styles.element.get_by_id(style_id)
        ppr = style.get_or_add_pPr()
        ppr.insert(0, _w(f'<w:numPr>{ilvl}<w:numId w:val="90"/></w:numPr>'))


def typed_numbers(name: str, path: Path) -> list[Expect]:
    """Default template, numbers typed, heading look by direct fonts (黑体, 楷体_GB2312,
    bold 仿宋 for standalone level 3, a bold lead for run-in ones, plain level 4).
    Expected text = the golden line, except headings numbered （二） are typed "(二)" and
    headings numbered 3. are typed "3、" (see `golden_view`)."""
    return _build(name, path)


def spaces_and_breaks(name: str, path: Path) -> list[Expect]:
    """Like typed_numbers (same half-width numbers) plus: body paragraphs start with two
    full-width spaces; up to three long body paragraphs hold a soft line break after a
    "。" past their middle (expected text has "\\n" there: remove it to get the golden
    line); empty paragraphs after level-1 headings and before the 落款; a page break
    before the second level-1 heading; a title that is one golden line typed as two
    paragraphs split at its middle (two expected paragraphs: join them); a header with
    the government's name and a footer with a PAGE field."""
    return _build(name, path, spaces=True)


def heading_styles(name: str, path: Path) -> list[Expect]:
    """Standalone headings in Word's built-in Heading 1–4 styles, numbers typed as in the
    golden text; run-in headings stay Normal with a bold lead. Expected text = golden."""
    return _build(name, path, styles=True, half=False)


def auto_numbered(name: str, path: Path) -> list[Expect]:
    """As heading_styles, but Heading 1/2 carry Word automatic numbering (chineseCounting
    "%1、" and "（%2）"): expected text = golden line without its number, and
    auto_number = that number."""
    return _build(name, path, styles=True, auto=True, half=False)


def with_table(name: str, path: Path) -> list[Expect]:
    """As typed_numbers, with a real 2-column table after the first body paragraph: its
    cells' texts (指标, 完成情况, 普惠性幼儿园覆盖率, 68%, and one merged cell read once)
    come right after that paragraph as extra in_table paragraphs; drop them for golden."""
    return _build(name, path, table=True)


def golden_view(expect: list[Expect]) -> list[str]:
    """Undo each builder's documented changes: what must equal the golden lines."""
    out: list[str] = []
    previous_title = False
    for e in expect:
        if e.kind == "cell":
            continue
        text = e.text.replace("\n", "")
        if e.kind == "body":
            text = text.removeprefix(INDENT)
        if e.kind in ("heading", "runin"):
            text = e.auto_number + re.sub(r"^\(二\)", "（二）", re.sub(r"^3、", "3.", text))
        if e.kind == "title" and previous_title and e.golden == out[-1] + text:
            out[-1] += text
        else:
            out.append(text)
        previous_title = e.kind == "title"
    return out


BUILDERS = {
    f.__name__: f for f in (typed_numbers, spaces_and_breaks, heading_styles, auto_numbered,
                            with_table)
}


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def convert(files: list[Path], fmt: str, outdir: Path, infilter: str | None = None) -> None:
    """One headless LibreOffice run for several files (it is slow to start)."""
    profile = outdir / "lo-profile"
    command = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", *(["--infilter=" + infilter] if infilter else []),
               "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)]
    subprocess.run(command, check=True, capture_output=True, timeout=180,
                   env={"HOME": str(outdir), "PATH": "/usr/bin:/bin"})
    shutil.rmtree(profile, ignore_errors=True)


def libreoffice_from_text(names: list[str], folder: Path) -> dict[str, Path]:
    """Golden text → .txt → LibreOffice's .docx, one per sample. Expected text = golden."""
    texts = []
    for name in names:
        texts.append(folder / f"{name}.txt")
        shutil.copyfile(GOLDEN / f"{name}.txt", texts[-1])
    convert(texts, "docx", folder, infilter="Text (encoded):UTF8,LF,,,")
    return {name: folder / f"{name}.docx" for name in names}


_XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
        b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def bad_inputs(folder: Path, good_docx: Path) -> dict[str, Path]:
    """Files `drafter import` must refuse, named as users name them."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def zipped(name: str, members: dict[str, bytes]) -> None:
        files[name] = folder / name
        with zipfile.ZipFile(files[name], "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in members.items():
                archive.writestr(member, data)

    zipped("表格.docx", {"[Content_Types].xml": _XLSX_TYPES.encode(), "xl/workbook.xml": b"<w/>"})
    zipped("表格.odt", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                       "content.xml": b"<x/>"})
    files["空白.docx"] = folder / "空白.docx"
    docx.Document().save(str(files["空白.docx"]))
    files["报告.pdf"] = folder / "报告.pdf"
    files["报告.pdf"].write_bytes(_PDF)
    bomb = b"\0" * 30_000_000  # 30 MB that deflates to ~30 KB
    zipped("炸弹.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": bomb})
    files["截断.docx"] = folder / "截断.docx"
    files["截断.docx"].write_bytes(good_docx.read_bytes()[: good_docx.stat().st_size // 2])
    files["二进制.txt"] = folder / "二进制.txt"
    files["二进制.txt"].write_bytes(zlib.compress(b"drafter" * 500) + b"\0\x01\x02")
    try:
        import msoffcrypto.format.ooxml as ooxml
    except ImportError:  # the locked-file case is then not built (test extra missing)
        return files
    files["加密.docx"] = folder / "加密.docx"
    with good_docx.open("rb") as plain, files["加密.docx"].open("wb") as locked:
        ooxml.OOXMLFile(plain).encrypt("1234", locked)
    return files
