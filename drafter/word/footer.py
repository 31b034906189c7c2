"""Page numbers "— N —" (GB/T 9704 7.5): 四号宋体, odd pages right, even pages left, 空一字."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import _Footer

from drafter.word.styles import (
    PAGE_NUMBER_HALF_POINTS,
    PAGE_NUMBER_INDENT_TWIPS,
    PPR_ORDER,
    FontNames,
    set_child,
    set_fonts,
    set_size,
)

DASH_BEFORE, DASH_AFTER = "\u2014 ", " \u2014"  # 一字线 and a half-width space each side


def _run(paragraph: BaseOxmlElement, fonts: FontNames) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    rpr = set_child(run, "rPr", ("rPr",))
    # 宋体 in every slot: the dashes and digits are meant to be 宋体 too.
    set_fonts(rpr, fonts.song, fonts.song)
    set_size(rpr, PAGE_NUMBER_HALF_POINTS)
    paragraph.append(run)
    return run


def _text_run(paragraph: BaseOxmlElement, fonts: FontNames, text: str) -> None:
    t = OxmlElement("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    _run(paragraph, fonts).append(t)


def _field_char(paragraph: BaseOxmlElement, fonts: FontNames, kind: str) -> None:
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    _run(paragraph, fonts).append(fld)


def _fill(footer: _Footer, fonts: FontNames, odd: bool) -> None:
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    for child in list(p):
        p.remove(child)
    ppr = p.get_or_add_pPr()
    # Off the 579-twip rhythm on purpose: a 14 pt line that a user's grid must not stretch.
    set_child(ppr, "snapToGrid", PPR_ORDER, val="0")
    set_child(ppr, "spacing", PPR_ORDER, before="0", after="0", line="240", lineRule="auto")
    side = "right" if odd else "left"
    set_child(ppr, "ind", PPR_ORDER, **{side: str(PAGE_NUMBER_INDENT_TWIPS), "firstLine": "0"})
    set_child(ppr, "jc", PPR_ORDER, val=side)
    rpr = set_child(ppr, "rPr", PPR_ORDER)
    set_fonts(rpr, fonts.song, fonts.song)
    set_size(rpr, PAGE_NUMBER_HALF_POINTS)

    _text_run(p, fonts, DASH_BEFORE)
    _field_char(p, fonts, "begin")
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    _run(p, fonts).append(instr)
    _field_char(p, fonts, "separate")
    _text_run(p, fonts, "1" if odd else "2")  # cached result, shown until fields update
    _field_char(p, fonts, "end")
    _text_run(p, fonts, DASH_AFTER)


def add_page_numbers(document: DocxDocument, fonts: FontNames) -> None:
    """Odd and even footers with a PAGE field; the first page is numbered too."""
    # On the section this property is silently ignored; only settings.xml switches it on.
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _fill(section.footer, fonts, odd=True)
    _fill(section.even_page_footer, fonts, odd=False)
