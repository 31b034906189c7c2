"""All formatting knowledge for GB/T 9704-2012: page, fonts, sizes, spacing and the Gw* styles.

The writer only says *which* style a paragraph has; every number lives here. The recipe and
the reasons behind each value are in the project's GB/T 9704 notes (22 lines × 28 characters
in LibreOffice and Word: exact 579-twip lines, −0.25 pt on 三号 runs, no character grid).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from drafter.word.ooxml import qn

if TYPE_CHECKING:  # the draft path writes with lxml alone; python-docx prepares the base
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement

# --- Units (twips; 1 pt = 20 twips) ---------------------------------------------------------

LINE_TWIPS = 579  # 28.95 pt: the largest whole-twip pitch that still gives 22 lines
ZI_TWIPS = 315  # one 字 of 三号 after −0.25 pt character spacing: 15.75 pt
INDENT_TWIPS = 2 * ZI_TWIPS  # 左空二字
DATE_RIGHT_TWIPS = 4 * ZI_TWIPS  # 成文日期右空四字
MIN_ISSUER_RIGHT_TWIPS = 2 * ZI_TWIPS
CHAR_SPACING = -5  # w:spacing/@w:val in twentieths of a point: −0.25 pt
BODY_HALF_POINTS = 32  # 三号 16 pt
TITLE_HALF_POINTS = 44  # 二号 22 pt
PAGE_NUMBER_HALF_POINTS = 28  # 四号 14 pt
PAGE_NUMBER_INDENT_TWIPS = 280  # 空一字 of 四号

# A4 and the 版心 156 × 225 mm; margins rounded to twips (37/35/28/26 mm).
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
HEADER_DISTANCE = 851  # 15 mm; the header stays empty
FOOTER_DISTANCE = 1417  # 25 mm: puts the page number's dash about 7 mm below the 版心

# --- Style ids (fixed: tests, later edits and other tools rely on them) -----------------------

TITLE = "GwTitle"
ADDRESSEE = "GwAddressee"
BODY = "GwBody"
# Word's built-in heading styles (ids Heading1–4, names "heading 1"–"heading 4", shown as
# 标题 1–4), restyled to GB/T 9704: Word's navigation pane, WPS's 目录, pandoc, mammoth and
# docx2python all know them by id or name; a custom style based on them is not enough.
HEADINGS = {1: "Heading1", 2: "Heading2", 3: "Heading3", 4: "Heading4"}
HEADING_NAMES = {level: f"heading {level}" for level in HEADINGS}
RUN_INS = {1: "GwRunIn1", 2: "GwRunIn2", 3: "GwRunIn3", 4: "GwRunIn4"}
SIGNATURE = "GwSignature"  # issuer at the bottom, right indent set per document
DATE = "GwDate"  # date at the bottom, 右空四字
SIGNATURE_TOP = "GwSignatureTop"  # issuer and date centred under the title
# A 函's own 发文字号 above the title: right-aligned by the style, centred per paragraph when
# the profile says 居中 (its place follows the province's 来文, see profile_settings.py).
LETTER_NUMBER = "GwLetterNumber"

# --- Schema order of rPr / pPr children (Word rejects a file with them out of order) ---------

RPR_ORDER: tuple[str, ...] = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath",
)  # fmt: skip
PPR_ORDER: tuple[str, ...] = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
    "cnfStyle", "rPr", "sectPr", "pPrChange",
)  # fmt: skip
STYLE_ORDER: tuple[str, ...] = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
    "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
    "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr",
)  # fmt: skip


@dataclass(frozen=True)
class FontNames:
    """Font family names written into the docx; offices differ (仿宋 vs 仿宋_GB2312 …)."""

    body: str = "仿宋_GB2312"
    kai: str = "楷体_GB2312"
    hei: str = "黑体"
    song: str = "宋体"
    title: str = "方正小标宋简体"
    latin: str = "Times New Roman"


def set_child(
    parent: BaseOxmlElement, tag: str, order: Sequence[str], **attrs: str
) -> BaseOxmlElement:
    """Get or create `w:<tag>` under parent, inserted in schema order, and set its w: attributes."""
    child = parent.find(qn(f"w:{tag}"))
    if child is None:
        child = parent.makeelement(qn(f"w:{tag}"))  # the parent's element class
        later = _later_tags(tuple(order), tag)
        successor = next((c for c in parent if c.tag in later), None)
        if successor is None:
            parent.append(child)
        else:
            successor.addprevious(child)
    for name, value in attrs.items():
        child.set(qn(f"w:{name}"), value)
    return child


@cache
def _later_tags(order: tuple[str, ...], tag: str) -> frozenset[str]:
    """The qualified names that come after `tag` in schema order (computed once per tag)."""
    return frozenset(qn(f"w:{t}") for t in order[order.index(tag) + 1 :])


def set_fonts(rpr: BaseOxmlElement, east_asia: str, latin: str) -> None:
    """Write all four rFonts slots; python-docx's font.name never sets w:eastAsia."""
    rfonts = set_child(
        rpr, "rFonts", RPR_ORDER,
        ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia",
    )  # fmt: skip
    for theme_attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{theme_attr}"), None)  # a theme slot would win over the name


def set_size(rpr: BaseOxmlElement, half_points: int) -> None:
    set_child(rpr, "sz", RPR_ORDER, val=str(half_points))
    set_child(rpr, "szCs", RPR_ORDER, val=str(half_points))


def set_exact_spacing(ppr: BaseOxmlElement) -> None:
    """Before/after 0 and an exact 579-twip line: the 22-line rhythm, blank lines included."""
    set_child(
        ppr, "spacing", PPR_ORDER,
        before="0", after="0", line=str(LINE_TWIPS), lineRule="exact",
    )  # fmt: skip


@dataclass(frozen=True)
class _ParaStyle:
    style_id: str
    name: str  # shown in Word's style gallery, so in Chinese
    east_asia: str  # a FontNames field name
    latin: str  # a FontNames field name
    half_points: int = BODY_HALF_POINTS
    bold: bool = False
    jc: str = "both"
    first_line: int = 0
    right: int = 0
    keep_next: bool = False
    snap_to_grid: bool = True
    outline_level: int | None = None
    label: str = ""  # Chinese name for what derives from it (run-in styles); else `name`
    builtin: bool = False  # one of Word's own styles: no w:customStyle


def _heading(level: int, label: str, east_asia: str, latin: str, bold: bool = False) -> _ParaStyle:
    """Word's built-in heading style of `level`, restyled: outline level level − 1."""
    return _ParaStyle(
        HEADINGS[level], HEADING_NAMES[level], east_asia, latin, bold=bold,
        first_line=INDENT_TWIPS, keep_next=True, outline_level=level - 1, label=label,
        builtin=True,
    )  # fmt: skip


def _paragraph_styles() -> list[_ParaStyle]:
    body = {"east_asia": "body", "latin": "latin"}
    return [
        _ParaStyle(TITLE, "公文标题", "title", "title", TITLE_HALF_POINTS, jc="center",
                   keep_next=True, snap_to_grid=False),
        _ParaStyle(ADDRESSEE, "公文主送机关", **body),
        _ParaStyle(BODY, "公文正文", **body, first_line=INDENT_TWIPS),
        # 一、 黑体 throughout: its digits and punctuation should not switch to Times New Roman.
        _heading(1, "公文一级标题", "hei", "hei"),
        _heading(2, "公文二级标题", "kai", "latin"),
        # Levels 3 and 4 on their own line are headings too: keep them with what follows.
        _heading(3, "公文三级标题", "body", "latin", bold=True),
        _heading(4, "公文四级标题", "body", "latin"),
        _ParaStyle(SIGNATURE, "公文发文机关署名", **body, jc="right"),
        _ParaStyle(DATE, "公文成文日期", **body, jc="right", right=DATE_RIGHT_TWIPS),
        _ParaStyle(SIGNATURE_TOP, "公文标题下署名日期", **body, jc="center"),
        _ParaStyle(LETTER_NUMBER, "公文发文字号", **body, jc="right", keep_next=True),
    ]  # fmt: skip


def _new_style(kind: str, style_id: str, name: str, builtin: bool = False) -> BaseOxmlElement:
    from docx.oxml import OxmlElement

    style = OxmlElement("w:style")
    style.set(qn("w:type"), kind)
    if not builtin:
        style.set(qn("w:customStyle"), "1")
    style.set(qn("w:styleId"), style_id)
    set_child(style, "name", STYLE_ORDER, val=name)
    if builtin:
        set_child(style, "uiPriority", STYLE_ORDER, val="9")  # Word's own rank for headings
    set_child(style, "qFormat", STYLE_ORDER)
    return style


def _set_bold(rpr: BaseOxmlElement, bold: bool) -> None:
    # Explicit either way, so a style based on or pasted into a bold context stays right.
    value = "1" if bold else "0"
    set_child(rpr, "b", RPR_ORDER, val=value)
    set_child(rpr, "bCs", RPR_ORDER, val=value)


def _paragraph_style(spec: _ParaStyle, fonts: FontNames) -> BaseOxmlElement:
    style = _new_style("paragraph", spec.style_id, spec.name, spec.builtin)
    set_child(style, "basedOn", STYLE_ORDER, val="Normal")
    set_child(style, "next", STYLE_ORDER, val=BODY)
    ppr = set_child(style, "pPr", STYLE_ORDER)
    if spec.keep_next:
        set_child(ppr, "keepNext", PPR_ORDER)
    if not spec.snap_to_grid:
        set_child(ppr, "snapToGrid", PPR_ORDER, val="0")
    set_exact_spacing(ppr)
    set_child(
        ppr, "ind", PPR_ORDER,
        left="0", right=str(spec.right), firstLine=str(spec.first_line),
    )  # fmt: skip
    set_child(ppr, "jc", PPR_ORDER, val=spec.jc)
    if spec.outline_level is not None:
        set_child(ppr, "outlineLvl", PPR_ORDER, val=str(spec.outline_level))
    rpr = set_child(style, "rPr", STYLE_ORDER)
    set_fonts(rpr, getattr(fonts, spec.east_asia), getattr(fonts, spec.latin))
    _set_bold(rpr, spec.bold)
    if spec.half_points == BODY_HALF_POINTS:
        set_child(rpr, "spacing", RPR_ORDER, val=str(CHAR_SPACING))  # 28 字 a line
    set_size(rpr, spec.half_points)
    return style


def _run_in_style(style_id: str, heading: _ParaStyle, fonts: FontNames) -> BaseOxmlElement:
    """Character style for the "1.标题。" lead of a run-in paragraph: its heading's fonts and
    weight, named after it."""
    style = _new_style("character", style_id, f"{heading.label or heading.name}（段中）")
    rpr = set_child(style, "rPr", STYLE_ORDER)
    set_fonts(rpr, getattr(fonts, heading.east_asia), getattr(fonts, heading.latin))
    _set_bold(rpr, heading.bold)
    return style


def _set_defaults(document: DocxDocument, fonts: FontNames) -> None:
    """Fill base.docx's empty docDefaults: body font and size, Chinese language, and the
    paragraph defaults every paragraph (blank ones included) falls back to."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, fonts.body, fonts.latin)
    set_size(rpr, BODY_HALF_POINTS)
    set_child(rpr, "lang", RPR_ORDER, val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    # Word only: no extra gap between 汉字 and digits/Latin (LibreOffice ignores these).
    # No widow/orphan control: every full page keeps its 22 lines (撑满版心). LibreOffice
    # otherwise applies 2-line control by default and leaves a page a line short.
    set_child(ppr, "widowControl", PPR_ORDER, val="0")
    set_child(ppr, "autoSpaceDE", PPR_ORDER, val="0")
    set_child(ppr, "autoSpaceDN", PPR_ORDER, val="0")
    set_exact_spacing(ppr)


def apply_styles(document: DocxDocument, fonts: FontNames) -> None:
    """Set up the defaults, the Gw* styles and the restyled Heading 1–4 on a fresh copy of
    base.docx (once), whose page is already GB/T 9704's (base_package.py writes it from the
    numbers above)."""
    _set_defaults(document, fonts)
    styles = document.styles.element
    existing = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    specs = _paragraph_styles()
    new = [_paragraph_style(spec, fonts) for spec in specs]
    # Run-in leads: 3 and 4 are the usual ones ("1.标题。正文"); 1 and 2 exist so that any
    # level the markup allows to run in keeps its heading font.
    by_id = {spec.style_id: spec for spec in specs}
    new += [_run_in_style(RUN_INS[level], by_id[HEADINGS[level]], fonts) for level in RUN_INS]
    for style in new:
        if style.get(qn("w:styleId")) in existing:
            raise ValueError(f"style {style.get(qn('w:styleId'))} already present")
        styles.append(style)


# --- Widths for placing the issuer over the date --------------------------------------------


def text_width_twips(text: str) -> int:
    """Approximate width of a 三号 line after −0.25 pt spacing (Times New Roman for ASCII)."""
    width = 0
    for ch in text:
        if ch in ". ":
            width += 75  # 3.75 pt
        elif ch.isascii():
            width += 155  # 7.75 pt: a Times New Roman digit, close enough for letters
        else:
            width += ZI_TWIPS
    return width


def signature_indents(issuer: str, date: str) -> tuple[int, int]:
    """Right indents (issuer, date) for a sealed signature: date 右空四字, issuer centred over it.

    A long issuer would run past the right margin's 2 字; then the issuer keeps 2 字 and the
    date moves left instead, so the two stay centred on each other.
    """
    issuer_w, date_w = text_width_twips(issuer), text_width_twips(date)
    issuer_right = DATE_RIGHT_TWIPS + (date_w - issuer_w) // 2
    if issuer_right >= MIN_ISSUER_RIGHT_TWIPS:
        return issuer_right, DATE_RIGHT_TWIPS
    return MIN_ISSUER_RIGHT_TWIPS, MIN_ISSUER_RIGHT_TWIPS + (issuer_w - date_w) // 2
