"""Render a drafter `Document` into a python-docx document in GB/T 9704-2012 layout.

Holds no wording and no numbers: text comes from the Document, formatting from styles.py.
Paragraphs are built as oxml elements with styles set by id: python-docx's add_paragraph /
add_run / style-by-name path scans all styles and walks text a character at a time, and
was most of a draft's time. Every draft starts from a copy of one prepared package (the
minimal base.docx with the GB/T 9704 page, styles and footers applied), made once per
process and font set, so a batch pays for styles and footers once. A reference document
(--reference-doc) is applied to that prepared package, once per file version.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from drafter.document import Document, Heading, Line, Paragraph, Span, plain
from drafter.word import styles
from drafter.word.base_package import BASE_DOCX
from drafter.word.font_table import apply_font_table
from drafter.word.footer import add_page_numbers
from drafter.word.reference import Reference, apply_reference
from drafter.word.styles import PPR_ORDER, RPR_ORDER, FontNames, set_child

HIGHLIGHTS = {"gap": "yellow", "stale": "cyan"}  # w:highlight values (WD_COLOR_INDEX)
AUTHOR = "drafter"
LANGUAGE = "zh-CN"

_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE, _T, _VAL = (
    qn(f"w:{tag}") for tag in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "t", "val")
)
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CONTROL = frozenset("\t\r\n")  # become w:tab / w:br: left to python-docx's run.text


@lru_cache(maxsize=8)
def _prepared(fonts: FontNames, reference: Reference | None = None) -> bytes:
    """The base package with page, defaults, styles and page-number footers applied, then
    the reference document's styles and page setup over them."""
    out = docx.Document(str(BASE_DOCX))
    styles.apply_styles(out, fonts)
    apply_font_table(out, fonts)
    add_page_numbers(out, fonts)
    if reference is not None:
        apply_reference(out, reference.path)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _new_document(fonts: FontNames, reference: Reference | None = None) -> DocxDocument:
    return docx.Document(io.BytesIO(_prepared(fonts, reference)))


class _Body:
    """Appends paragraphs to the document body, before its closing w:sectPr."""

    def __init__(self, out: DocxDocument) -> None:
        body = out.element.body
        self._sect_pr = body.find(qn("w:sectPr"))
        self._make = body.makeelement  # elements of python-docx's oxml classes

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
            r.text = text  # python-docx's setter: tabs and line breaks as elements


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


def _core_properties(out: DocxDocument, doc: Document) -> None:
    core = out.core_properties
    core.title = "".join(plain(line) for line in doc.title_lines)
    core.author = core.last_modified_by = AUTHOR
    core.language = LANGUAGE
    core.subject = doc.meta.get("subject", "")
    core.keywords = "; ".join(f"{k}={v}" for k, v in sorted(doc.meta.items()))
    core.comments = ""
    core.revision = 1
    core.created = core.modified = datetime.now(timezone.utc).replace(microsecond=0)


def build_docx(
    doc: Document, fonts: FontNames | None = None, reference: Path | None = None
) -> DocxDocument:
    """Lay out the Document: title, (issuer/date), addressee, blocks, (issuer/date).

    `reference`: a reference .docx whose styles and page setup replace the built-in ones.
    """
    ref = None if reference is None else Reference.of(reference)
    out = _new_document(fonts or FontNames(), ref)
    body = _Body(out)

    for line in doc.title_lines:
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

    _core_properties(out, doc)
    return out
