"""A .docx as people write it → a SourceDocument: the only Word reading code.

We walk the XML ourselves because python-docx's paragraph.text misses tracked insertions,
field results and text boxes; docx_package.py opens the package and finds the parts.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from zipfile import BadZipFile, ZipFile

from lxml import etree

from drafter.errors import SourceError
from drafter.joiners import INVISIBLE
from drafter.reading.docx_numbering import Numbering, int_attr, q
from drafter.reading.docx_package import SAFE, Part, open_document, ui_style_name
from drafter.reading.source import (
    MAX_CHARS,
    MAX_PARAGRAPHS,
    Alignment,
    Emphasis,
    SourceDocument,
    SourceParagraph,
    too_long,
)

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_ALIGN: dict[str, Alignment] = {
    "center": "center", "both": "justify", "distribute": "justify", "right": "right",
    "end": "right", "left": "left", "start": "left",
}
_SPACE = " \u3000\t\u00a0\n\r"
# The no-break joiners drafter writes, and U+FEFF (drafter/joiners.py): not part of the text.
_JOINERS = str.maketrans("", "", INVISIBLE)
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_PAGE_NUMBER_ONLY = re.compile(r"[\d\s第页共/\-—–·.．()（）]*")


def _on(el: etree._Element | None) -> bool | None:
    """A toggle property (w:b): None when absent, else its value."""
    if el is None:
        return None
    return el.get(q("val"), "true").lower() not in ("0", "false", "off", "none")


def font_emphasis(name: str) -> Emphasis:
    n = name.lower().replace(" ", "")
    if "小标宋" in n or "xiaobiaosong" in n or "fzxbs" in n:
        return "title"
    if "黑体" in n or "simhei" in n or "heiti" in n:
        return "heiti"
    if "楷" in n or "kaiti" in n:
        return "kaiti"
    return ""


class _Styles:
    """styles.xml: names, basedOn chains, and the properties they carry."""

    def __init__(self, root: etree._Element | None) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.default_para = ""
        self.defaults: etree._Element | None = None
        if root is None:
            return
        self.defaults = root.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}")
        for st in root.iter(q("style")):
            sid = st.get(q("styleId"), "")
            self.by_id.setdefault(sid, st)
            if st.get(q("type")) == "paragraph" and st.get(q("default")) in ("1", "true", "on"):
                self.default_para = sid

    def chain(self, sid: str) -> list[etree._Element]:
        out: list[etree._Element] = []
        while sid in self.by_id and len(out) < 20:  # basedOn loops exist in the wild
            st = self.by_id[sid]
            if st in out:
                break
            out.append(st)
            based = st.find(q("basedOn"))
            sid = based.get(q("val"), "") if based is not None else ""
        return out

    def name(self, sid: str) -> str:
        st = self.by_id.get(sid)
        el = st.find(q("name")) if st is not None else None
        return ui_style_name(el.get(q("val"), sid)) if el is not None else sid

    def ppr(self, sid: str, tag: str) -> etree._Element | None:
        for st in self.chain(sid):
            el = st.find(f"{q('pPr')}/{q(tag)}")
            if el is not None:
                return el
        return None

    def rprs(self, sid: str) -> list[etree._Element]:
        return [r for st in self.chain(sid) if (r := st.find(q("rPr"))) is not None]


@dataclass
class _State:
    """What the walk of one paragraph carries along."""

    fields: list[bool] = field(default_factory=list)  # open complex fields: past "separate"?
    break_at: int | None = None  # where a page break was met (0: before any text)
    no_fields: bool = False  # headers and footers: leave field results (page numbers) out


class _Reader:
    def __init__(self, styles: _Styles, numbering: Numbering) -> None:
        self.styles, self.numbering = styles, numbering
        self.paragraphs: list[SourceParagraph] = []
        self.notes: list[str] = []
        self.count = 0
        self.chars = 0
        self.pending_break = False

    # -- blocks ---------------------------------------------------------------
    def blocks(self, parent: etree._Element, in_table: bool = False) -> None:
        for el in parent:
            if el.tag == q("p"):
                self.paragraph(el, in_table)
            elif el.tag == q("tbl"):
                first = self.count + 1
                self.table(el)
                if not in_table:
                    self.notes.append(
                        f"第{first}段起有 1 个表格，已按段落读入（表格暂不能作为表格导入）"
                    )
            elif el.tag in (q("sdt"), q("customXml"), q("sdtContent")):
                self.blocks(el, in_table)

    def table(self, tbl: etree._Element) -> None:
        for tr in tbl.findall(q("tr")):
            for tc in tr.findall(q("tc")):
                vmerge = tc.find(f"{q('tcPr')}/{q('vMerge')}")
                hmerge = tc.find(f"{q('tcPr')}/{q('hMerge')}")
                merged = [m for m in (vmerge, hmerge) if m is not None]
                if any(m.get(q("val"), "continue") == "continue" for m in merged):
                    continue  # a merged cell's text lives in its first cell
                self.blocks(tc, in_table=True)

    # -- one paragraph ----------------------------------------------------------
    def paragraph(self, p: etree._Element, in_table: bool) -> None:
        self.count += 1
        number = self.count
        ppr = p.find(q("pPr"))

        def own(tag: str) -> etree._Element | None:
            return ppr.find(q(tag)) if ppr is not None else None

        def look(tag: str) -> etree._Element | None:  # direct formatting, else the style's
            el = own(tag)
            return el if el is not None else self.styles.ppr(sid, tag)

        style_el = own("pStyle")
        sid = style_el.get(q("val"), "") if style_el is not None else self.styles.default_para
        pieces: list[tuple[str, Emphasis, float | None]] = []
        boxes: list[etree._Element] = []
        state = _State()
        self.inline(p, pieces, boxes, state, self.styles.rprs(sid), None)
        text = "".join(t for t, _, _ in pieces)
        auto = self.auto_number(own("numPr"), self.styles.ppr(sid, "numPr"), sid)
        if text.strip():
            self.chars += len(text)
            lead, emphasis = _lead(pieces)
            break_before = self.pending_break or bool(_on(look("pageBreakBefore")))
            self.pending_break = False
            if state.break_at is not None:
                if state.break_at == 0:
                    break_before = True
                else:
                    self.pending_break = True
            jc = look("jc")
            sizes = [s for t, _, s in pieces if s and t.strip()]
            self.paragraphs.append(SourceParagraph(
                text=text, number=number, style=self.styles.name(sid),
                outline_level=self.outline_level(look("outlineLvl"), sid), auto_number=auto,
                lead_chars=lead, lead_emphasis=emphasis,
                alignment=_ALIGN.get(jc.get(q("val"), "") if jc is not None else "", ""),
                size=max(sizes) if sizes else None, in_table=in_table,
                page_break_before=break_before,
            ))
        elif state.break_at is not None:
            self.pending_break = True
        sect = own("sectPr")
        if sect is not None:
            kind = sect.find(q("type"))
            if kind is None or kind.get(q("val"), "nextPage") != "continuous":
                self.pending_break = True
        for box in boxes:
            self.notes.append(f"第{number}段有文本框，其中文字已按段落读入")
            self.blocks(box, in_table)

    def outline_level(self, el: etree._Element | None, sid: str) -> int | None:
        if el is not None:
            level = int_attr(el.get(q("val")), 9) + 1
            return level if 1 <= level <= 9 else None
        for st in self.styles.chain(sid):
            match = _HEADING_NAME.match(self.styles.name(st.get(q("styleId"), "")))
            if match:
                return int(match.group(1))
        return None

    def auto_number(self, own: etree._Element | None, styled: etree._Element | None,
                    sid: str) -> str:
        num_el = own if own is not None and own.find(q("numId")) is not None else styled
        if num_el is None:
            return ""
        num_id = num_el.find(q("numId"))
        ilvl = num_el.find(q("ilvl"))
        if num_id is None or num_id.get(q("val"), "0") == "0":
            return ""
        level = int_attr(ilvl.get(q("val")), 0) if ilvl is not None else None
        if level is None and num_el is own:
            level = 0
        return self.numbering.next(num_id.get(q("val"), ""), level, sid)

    def inline(self, el: etree._Element, pieces: list[tuple[str, Emphasis, float | None]],
               boxes: list[etree._Element], state: _State, prs: list[etree._Element],
               run: tuple[Emphasis, float | None] | None) -> None:
        """The visible text under `el`, with each piece's emphasis and size."""
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in (q("pPr"), q("rPr"), q("del"), q("moveFrom"),
                                                   q("instrText"), q("delText"), q("sdtPr"),
                                                   f"{{{MC}}}Fallback"):
                continue
            if tag == q("txbxContent"):
                boxes.append(child)
                continue
            if tag == q("r"):
                self.inline(child, pieces, boxes, state, prs, self.run_look(child, prs))
                continue
            if tag == q("fldSimple") and state.no_fields:
                continue
            if tag == q("fldChar"):
                kind = child.get(q("fldCharType"))
                if kind == "begin":
                    state.fields.append(False)
                elif kind == "separate" and state.fields:
                    state.fields[-1] = True
                elif kind == "end" and state.fields:
                    state.fields.pop()
                continue
            # a complex field shows its result (after "separate"), never its instruction
            hidden = not all(state.fields) or (state.no_fields and bool(state.fields))
            emphasis, size = run or ("", None)
            text = ""
            if tag == q("t"):
                text = (child.text or "").translate(_JOINERS)
            elif tag == q("tab"):
                text = "\t" if el.tag == q("r") else ""  # a w:tab in pPr/tabs is a tab stop
            elif tag in (q("br"), q("cr")):
                kind = child.get(q("type"), "textWrapping")
                if kind == "page" and not hidden:
                    has_text = any(t.strip() for t, _, _ in pieces)
                    state.break_at = len(pieces) if has_text else 0
                elif kind == "textWrapping":
                    text = "\n"
            elif tag == q("noBreakHyphen"):
                text = "-"
            elif tag == q("sym"):
                char = child.get(q("char"), "")
                code = int(char, 16) if re.fullmatch(r"[0-9A-Fa-f]{1,5}", char) else 0x20
                text = chr(code - 0xF000 if 0xF000 <= code <= 0xF0FF else code)  # Symbol font
            else:
                self.inline(child, pieces, boxes, state, prs, run)
                continue
            if text and not hidden:
                pieces.append((text, emphasis, size))

    def run_look(
        self, r: etree._Element, para: list[etree._Element]
    ) -> tuple[Emphasis, float | None]:
        """Bold, heading font and size of a run: direct, character style, paragraph style."""
        direct = r.find(q("rPr"))
        levels = [direct] if direct is not None else []
        cstyle = direct.find(q("rStyle")) if direct is not None else None
        if cstyle is not None:
            levels += self.styles.rprs(cstyle.get(q("val"), ""))
        levels += para
        bold = next((v for lv in levels if (v := _on(lv.find(q("b")))) is not None), False)
        fonts = [f for lv in levels if (f := lv.find(q("rFonts"))) is not None]
        font = next((f.get(q("eastAsia")) for f in fonts if f.get(q("eastAsia"))), None)
        font = font or next((f.get(q("ascii")) or f.get(q("hAnsi")) for f in fonts
                             if f.get(q("ascii")) or f.get(q("hAnsi"))), "")
        if self.styles.defaults is not None:
            levels.append(self.styles.defaults)
        sz = next((s.get(q("val")) for lv in levels if (s := lv.find(q("sz"))) is not None), None)
        size = int(sz) / 2 if sz and sz.isdigit() else None
        return (font_emphasis(font) or ("bold" if bold else "")), size


def _lead(pieces: list[tuple[str, Emphasis, float | None]]) -> tuple[int, Emphasis]:
    """How many leading characters share the first visible character's emphasis."""
    chars = [(c, e) for t, e, _ in pieces for c in t]
    first = next((e for c, e in chars if c not in _SPACE), "")
    if not first:
        return 0, ""
    end = 0
    for i, (c, e) in enumerate(chars):
        if c in _SPACE:
            continue
        if e != first:
            break
        end = i + 1
    if all(c in _SPACE for c, _ in chars[end:]):
        end = len(chars)
    return end, first


def read_docx(path: Path) -> SourceDocument:
    """The paragraphs of a .docx in reading order, tables and text boxes included."""
    broken = (OSError, KeyError, ValueError, BadZipFile, zlib.error, etree.XMLSyntaxError,
              AttributeError, TypeError, RuntimeError, EOFError, NotImplementedError)
    part: Part | None = None
    try:
        part = open_document(path)
        root = part.root()
    except broken:  # a dangling relationship or an odd part: read the text alone
        try:
            with ZipFile(path) as archive:
                root = etree.fromstring(archive.read("word/document.xml"), SAFE)
        except broken as exc:
            if isinstance(exc, etree.XMLSyntaxError) and "depth" in str(exc).lower():
                raise SourceError.one("文件中的 XML 嵌套超过 256 层，不像是正常的 Word 文档，"
                                      "drafter 不读取", file=path) from None  # fmt: skip
            raise SourceError.one("文件已损坏或不完整，无法读取", file=path) from None
    body = root.find(q("body")) if root is not None else None
    if body is None:
        raise SourceError.one("文件已损坏或不完整，无法读取", file=path)
    if sum(1 for _ in body.iter(q("p"))) > MAX_PARAGRAPHS:
        raise SourceError.one(too_long(), file=path)

    def first(kind: str) -> etree._Element | None:
        try:
            return next((p.root() for p in part.related(kind)), None) if part else None
        except broken:
            return None

    styles = _Styles(first("styles"))
    try:
        numbering = Numbering(first("numbering"))
    except broken:
        numbering = Numbering(None)
    reader = _Reader(styles, numbering)
    reader.blocks(body)
    if reader.chars > MAX_CHARS:
        raise SourceError.one(too_long(), file=path)
    notes = reader.notes
    if numbering.unknown:
        notes.append("部分自动编号的格式暂不能识别，这些编号未读入")
    for kind in ("header", "footer") if part else ():
        for p in part.related(kind):  # type: ignore[union-attr]
            try:
                text = _plain(p.root())
            except broken:
                text = ""
            if not _PAGE_NUMBER_ONLY.fullmatch(text) and "页眉页脚未读入" not in notes:
                notes.append("页眉页脚未读入")
    comments = first("comments")
    if comments is not None and (n := len(comments.findall(q("comment")))):
        notes.append(f"批注 {n} 条未读入")
    return SourceDocument(path=path, paragraphs=reader.paragraphs, notes=notes, kind="docx")


def _plain(root: etree._Element | None) -> str:
    """A header's or footer's typed text, fields (page numbers) left out."""
    if root is None:
        return ""
    reader = _Reader(_Styles(None), Numbering(None))
    out = []
    for p in root.iter(q("p")):
        pieces: list[tuple[str, Emphasis, float | None]] = []
        reader.inline(p, pieces, [], _State(no_fields=True), [], None)
        out.append("".join(t for t, _, _ in pieces))
    return "".join(out)
