"""Render a drafter `Document` into a .docx package in GB/T 9704-2012 layout.

Holds no wording and no numbers: text comes from the Document, formatting from styles.py.
Paragraphs are built as lxml elements with styles set by id (python-docx's add_paragraph /
add_run / style-by-name path scans all styles and walks text a character at a time). Every
draft starts from a copy of one prepared package (the minimal base.docx with the GB/T 9704
page, styles and footers applied, and a --reference-doc's look over them; prepared.py),
made once per font set and reference version and kept between runs, so drafting itself
needs neither python-docx nor its import: build_package → package_bytes. build_docx gives
the same draft as a python-docx document, for code that wants one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from drafter.document import Document, Heading, Line, Paragraph, Span, plain
from drafter.word import breaks, styles
from drafter.word.ooxml import qn
from drafter.word.package import Package, open_package, package_bytes, set_core, set_core_time
from drafter.word.prepared import prepared_bytes
from drafter.word.reference import Reference
from drafter.word.styles import PPR_ORDER, RPR_ORDER, FontNames, set_child

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

BaseOxmlElement = etree._Element  # the writer's elements are plain lxml ones

HIGHLIGHTS = {"gap": "yellow", "stale": "cyan"}  # w:highlight values (WD_COLOR_INDEX)
AUTHOR = "drafter"
LANGUAGE = "zh-CN"

_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE, _T, _VAL = (
    qn(f"w:{tag}") for tag in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "t", "val")
)
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CONTROL = frozenset("\t\r\n")  # become w:tab / w:br, as python-docx's run.text does
_CONTROL_SPLIT = re.compile(r"(\t|\r\n|\r|\n)")
_TAB, _BR = qn("w:tab"), qn("w:br")


class _Body:
    """Appends paragraphs to the document body, before its closing w:sectPr."""

    def __init__(self, document: etree._Element) -> None:
        body = document.find(qn("w:body"))
        self._sect_pr = body.find(qn("w:sectPr"))
        self._make = body.makeelement

    def paragraph(self, style_id: str | None) -> BaseOxmlElement:
        p = self._make(_P)
        if style_id is not None:
            etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE).set(_VAL, style_id)
        self._sect_pr.addprevious(p)
        return p

    def last(self) -> BaseOxmlElement | None:
        """The paragraph appended last (None in an empty body)."""
        previous = self._sect_pr.getprevious()
        return previous if previous is not None and previous.tag == _P else None


def _keep_with_next(p: BaseOxmlElement | None) -> None:
    if p is None:
        return
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = etree.Element(_PPR)
        p.insert(0, ppr)
    set_child(ppr, "keepNext", PPR_ORDER)


def _add_spans(p: BaseOxmlElement, line: Iterable[Span], char_style: str | None = None) -> None:
    for span in line:
        text = span.text
        if not text:
            continue
        r = etree.SubElement(p, _R)
        highlight = HIGHLIGHTS.get(span.kind)
        if char_style is not None or highlight is not None:
            rpr = etree.SubElement(r, _RPR)
            if char_style is not None:
                etree.SubElement(rpr, _RSTYLE).set(_VAL, char_style)
            if highlight is not None:
                set_child(rpr, "highlight", RPR_ORDER, val=highlight)
        if _CONTROL.isdisjoint(text):
            t = etree.SubElement(r, _T)
            t.text = text
            if text != text.strip():
                t.set(_SPACE, "preserve")
        else:
            _control_text(r, text)


def _control_text(r: BaseOxmlElement, text: str) -> None:
    """Text with tabs and line breaks: w:t pieces between w:tab and w:br elements."""
    for piece in _CONTROL_SPLIT.split(text):
        if piece == "\t":
            etree.SubElement(r, _TAB)
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(r, _BR)
        elif piece:
            t = etree.SubElement(r, _T)
            t.text = piece
            if piece != piece.strip():
                t.set(_SPACE, "preserve")


def _numbered(number: str, line: Line) -> Line:
    """The heading's number joined to its first text span, so both share one run."""
    if line and line[0].kind == "text":
        return (Span(number + line[0].text), *line[1:])
    return (Span(number), *line) if number else line


def _blank(body: _Body) -> BaseOxmlElement:
    # Normal style: the exact 579-twip line comes from docDefaults.
    return body.paragraph(None)


def _heading(body: _Body, heading: Heading) -> None:
    text = _numbered(heading.number, heading.text)
    if heading.body is None:
        _add_spans(body.paragraph(styles.HEADINGS[heading.level]), text)
        return
    # Run-in: "1.标题。正文……" is one body paragraph whose lead carries the heading look.
    # Its own outline level (Word: 段落 › 大纲级别; LibreOffice: 大纲和列表 › 大纲级别) puts
    # it in the navigation pane / Navigator at its level without splitting the line.
    p = body.paragraph(styles.BODY)
    set_child(p.find(_PPR), "outlineLvl", PPR_ORDER, val=str(heading.level - 1))
    _add_spans(p, text, styles.RUN_INS[heading.level])
    _add_spans(p, heading.body)


def _signature(body: _Body, doc: Document) -> None:
    if doc.signature_at == "top":
        _add_spans(body.paragraph(styles.SIGNATURE_TOP), doc.issuer)
        _add_spans(body.paragraph(styles.SIGNATURE_TOP), doc.date)
        return
    issuer_right, date_right = styles.signature_indents(plain(doc.issuer), plain(doc.date))
    for line, style_id, right in (
        (doc.issuer, styles.SIGNATURE, issuer_right),
        (doc.date, styles.DATE, date_right),
    ):
        p = body.paragraph(style_id)
        set_child(p.find(_PPR), "ind", PPR_ORDER).set(qn("w:right"), str(right))
        _add_spans(p, line)
        if style_id == styles.SIGNATURE:
            _keep_with_next(p)


def _core_properties(core: etree._Element, doc: Document) -> None:
    set_core(core, "dc:title", "".join(plain(line) for line in doc.title_only))
    set_core(core, "dc:creator", AUTHOR)
    set_core(core, "cp:lastModifiedBy", AUTHOR)
    set_core(core, "dc:language", LANGUAGE)
    set_core(core, "dc:subject", doc.meta.get("subject", ""))
    set_core(core, "cp:keywords", "; ".join(f"{k}={v}" for k, v in sorted(doc.meta.items())))
    set_core(core, "dc:description", "")
    set_core(core, "cp:revision", "1")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    set_core_time(core, "dcterms:created", now)
    set_core_time(core, "dcterms:modified", now)


def build_docx(
    doc: Document, fonts: FontNames | None = None, reference: Path | None = None
) -> DocxDocument:
    """The draft as a python-docx document (the same as build_package's)."""
    import docx

    return docx.Document(io.BytesIO(package_bytes(build_package(doc, fonts, reference))))


def build_package(
    doc: Document, fonts: FontNames | None = None, reference: Path | None = None
) -> Package:
    """Lay out the Document: title, (issuer/date), addressee, blocks, (issuer/date).

    `reference`: a reference .docx whose styles and page setup replace the built-in ones.
    """
    ref = None if reference is None else Reference.of(reference)
    out = open_package(prepared_bytes(fonts or FontNames(), ref))
    body = _Body(out.document)

    if doc.letter_number is not None:  # a 函's own 发文字号, on the line above the title
        p = body.paragraph(styles.LETTER_NUMBER)
        if doc.letter_number != "right":  # the style's own alignment is 居右
            set_child(p.find(_PPR), "jc", PPR_ORDER, val=doc.letter_number)
        _add_spans(p, doc.title_lines[0])
    for line in doc.title_only:
        _add_spans(body.paragraph(styles.TITLE), line)
    if doc.signature_at == "top":
        _signature(body, doc)
    _blank(body)  # 标题下空一行
    if doc.addressee is not None:
        _add_spans(body.paragraph(styles.ADDRESSEE), doc.addressee)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _heading(body, block)
        elif isinstance(block, Paragraph):
            _add_spans(body.paragraph(styles.BODY), block.spans)
        else:  # pragma: no cover - Block is a closed union
            raise TypeError(f"unknown block {block!r}")
    if doc.signature_at == "bottom":
        # The 落款 never stands alone on a page: the last body lines, the blank lines left
        # for the seal and the issuer all keep with what follows (GB/T 9704 7.3.5.5).
        _keep_with_next(body.last())
        for _ in range(2):  # room for the seal: its top stays within one line of the text
            _keep_with_next(_blank(body))
        _signature(body, doc)

    # Score annotations, numbers with units and 文号 kept on one line (breaks.py); the
    # spacing and alignment it may add assume drafter's own page, not a reference's.
    breaks.bind_body(out.document.find(qn("w:body")), layout=ref is None)
    _core_properties(out.core, doc)
    return out
