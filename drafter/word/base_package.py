"""The minimal .docx every draft starts from (drafter/word/base.docx), and how it is built.

python-docx's own default template carries ~880 kB of styles XML (every built-in Word style,
twice) plus a theme, numbering and a thumbnail; parsing it was a third of a draft's time.
This base holds only what a draft uses: the `Normal` paragraph style and the default
character style, empty docDefaults, Word 2013+ compatibility settings (compatibilityMode 15,
so Word shows no 兼容模式), a font table and an empty body whose section is already the GB/T
9704 page (A4, the 版心 margins, the 579-twip line pitch), written from styles.py's numbers.
Fonts, sizes, the docDefaults, the Gw* styles and the restyled Heading 1–4 are applied by
styles.py and font_table.py (font names vary by office). The settings are python-docx's
defaults minus the editing history (rsids, preview, math and shape defaults), with Chinese
as the East Asian theme language, so Word, WPS and LibreOffice lay drafts out as before.

Rebuild the shipped file after changing a part here (tests/test_word_base.py checks it):

    python3 -m drafter.word.base_package
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from drafter.word.font_table import font_table_xml
from drafter.word.styles import (
    FOOTER_DISTANCE,
    HEADER_DISTANCE,
    LINE_TWIPS,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    FontNames,
)

BASE_DOCX = Path(__file__).resolve().parent / "base.docx"

_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-"

PARTS: dict[str, str] = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Default Extension="rels" ContentType="{_CT}package.relationships+xml"/>'
        '<Override PartName="/word/document.xml" '
        f'ContentType="{_CT}officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" '
        f'ContentType="{_CT}officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/settings.xml" '
        f'ContentType="{_CT}officedocument.wordprocessingml.settings+xml"/>'
        '<Override PartName="/word/fontTable.xml" '
        f'ContentType="{_CT}officedocument.wordprocessingml.fontTable+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        f'ContentType="{_CT}package.core-properties+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG_RELS}">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/>'
        f'<Relationship Id="rId2" Type="{_PKG_RELS}/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        "</Relationships>"
    ),
    "docProps/core.xml": (
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
    ),
    "word/_rels/document.xml.rels": (
        f'<Relationships xmlns="{_PKG_RELS}">'
        f'<Relationship Id="rId1" Type="{_R}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{_R}/settings" Target="settings.xml"/>'
        f'<Relationship Id="rId3" Type="{_R}/fontTable" Target="fontTable.xml"/>'
        "</Relationships>"
    ),
    "word/document.xml": (
        f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body><w:sectPr>'
        f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" '
        'w:gutter="0"/><w:cols w:space="720"/>'
        # A line pitch without w:type is "no grid": a linesAndChars grid puts 14–16 字 on a
        # LibreOffice line, and a lines grid makes it ignore exact spacing.
        f'<w:docGrid w:linePitch="{LINE_TWIPS}"/>'
        "</w:sectPr></w:body></w:document>"
    ),
    "word/styles.xml": (
        f'<w:styles xmlns:w="{_W}"><w:docDefaults>'
        "<w:rPrDefault><w:rPr/></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault>"
        "</w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/><w:qFormat/></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>"
        "</w:styles>"
    ),
    "word/settings.xml": (
        f'<w:settings xmlns:w="{_W}">'
        '<w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        "<w:compat><w:useFELayout/>"
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
        ' w:val="15"/>'
        '<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
        '<w:compatSetting w:name="enableOpenTypeFeatures" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
        '<w:compatSetting w:name="doNotFlipMirrorIndents" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
        "</w:compat>"
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" '
        'w:accent1="accent1" w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" '
        'w:accent5="accent5" w:accent6="accent6" w:hyperlink="hyperlink" '
        'w:followedHyperlink="followedHyperlink"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    ),
}
# The default fonts' table; styles.py's caller rewrites it for the fonts a draft names.
PARTS["word/fontTable.xml"] = font_table_xml(FontNames()).decode("utf-8").split("?>\n", 1)[1]


def part_bytes() -> dict[str, bytes]:
    """Each part of the base package as the bytes stored in the zip."""
    return {name: (_DECLARATION + xml).encode("utf-8") for name, xml in PARTS.items()}


def build() -> bytes:
    """The base package, byte for byte the same on every run (fixed order and timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in part_bytes().items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def main() -> None:
    BASE_DOCX.write_bytes(build())
    print(f"wrote {BASE_DOCX}")


if __name__ == "__main__":
    main()
