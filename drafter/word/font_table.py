"""word/fontTable.xml: what Word and WPS need to substitute a 公文 font a machine lacks.

A stock Windows has 仿宋, 楷体, 黑体 and 宋体 but not 仿宋_GB2312, 楷体_GB2312 or 方正小标宋简体.
Without a font table Word falls back to its default font; with one it substitutes by the
alternate name (w:altName) and else by charset 86 (GB2312), family, pitch and PANOSE class.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from drafter.word.styles import FontNames

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

_FONT_TABLE_RELATIONSHIP = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PART_NAME = "word/fontTable.xml"
CHARSET_GB2312 = "86"


@dataclass(frozen=True)
class FontEntry:
    alt_name: str | None  # the font Word takes when this one is missing
    panose: str
    charset: str = CHARSET_GB2312
    family: str = "modern"  # w:family: roman, swiss, modern, script, decorative, auto
    pitch: str = "fixed"  # w:pitch: fixed (CJK 等宽), variable, default


# PANOSE values as the fonts themselves carry them (Windows 仿宋/楷体/黑体/宋体).
KNOWN: dict[str, FontEntry] = {
    "仿宋_GB2312": FontEntry("仿宋", "02010609030101010101"),
    "仿宋": FontEntry("FangSong", "02010609060101010101"),
    "楷体_GB2312": FontEntry("楷体", "02010609030101010101"),
    "楷体": FontEntry("KaiTi", "02010609060101010101"),
    "黑体": FontEntry("SimHei", "02010609060101010101"),
    "宋体": FontEntry("SimSun", "02010600030101010101", family="auto", pitch="variable"),
    # 小标宋 is a heavy 宋; 宋体 is on every Windows (华文中宋 only comes with Office).
    "方正小标宋简体": FontEntry("宋体", "02000000000000000000", family="auto", pitch="variable"),
    "方正小标宋_GBK": FontEntry("宋体", "02000000000000000000", family="auto", pitch="variable"),
    "Times New Roman": FontEntry(
        None, "02020603050405020304", charset="00", family="roman", pitch="variable"
    ),
}
_OTHER_CJK = FontEntry(None, "02010600030101010101", family="auto", pitch="variable")


def font_table_xml(fonts: FontNames) -> bytes:
    """The font table for the fonts a draft names, each once, in FontNames order."""
    root = etree.Element(f"{{{W}}}fonts", nsmap={"w": W})
    names = dict.fromkeys(getattr(fonts, f.name) for f in dataclasses.fields(fonts))
    for name in names:
        entry = KNOWN.get(name, _OTHER_CJK)
        font = etree.SubElement(root, f"{{{W}}}font", {f"{{{W}}}name": name})
        if entry.alt_name:
            etree.SubElement(font, f"{{{W}}}altName", {f"{{{W}}}val": entry.alt_name})
        for tag, value in (("panose1", entry.panose), ("charset", entry.charset),
                           ("family", entry.family), ("pitch", entry.pitch)):  # fmt: skip
            etree.SubElement(font, f"{{{W}}}{tag}", {f"{{{W}}}val": value})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def apply_font_table(document: DocxDocument, fonts: FontNames) -> None:
    """Replace the base package's font table (a plain part to python-docx) with ours."""
    part = document.part.part_related_by(_FONT_TABLE_RELATIONSHIP)
    part._blob = font_table_xml(fonts)  # python-docx keeps unknown parts as bytes
