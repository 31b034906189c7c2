"""The same report made the other ways a user could: python-docx by hand, docxtpl, pandoc.

Each takes the report's *content* (the paragraphs drafter composed, with their styles, in
a YAML file written by run.py), not drafter's facts: the alternatives get the wording,
numbering and layout decisions for free and only have to put them in a .docx. This module
imports no drafter code, so its cold-start figures are the alternatives' own.

Usage (run.py calls these; each is also a standalone script a user might have written):
    python alternatives.py python-docx CONTENT.yaml OUT.docx
    python alternatives.py docxtpl CONTENT.yaml TEMPLATE.docx OUT.docx
    python alternatives.py python-docx-batch CONTENT_DIR OUT_DIR
    python alternatives.py docxtpl-batch CONTENT_DIR TEMPLATE.docx OUT_DIR
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import docx
import yaml
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

FS, TNR = "仿宋_GB2312", "Times New Roman"
CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

# name: (east Asian font, Latin font, size pt, bold, alignment, first-line indent twips)
PARAGRAPH_STYLES: dict[str, tuple[str, str, float, bool, Any, int]] = {
    "公文标题": ("方正小标宋简体", "方正小标宋简体", 22, False, CENTER, 0),
    "公文主送机关": (FS, TNR, 16, False, JUSTIFY, 0),
    "公文正文": (FS, TNR, 16, False, JUSTIFY, 630),
    "公文一级标题": ("黑体", "黑体", 16, False, JUSTIFY, 630),
    "公文二级标题": ("楷体_GB2312", TNR, 16, False, JUSTIFY, 630),
    "公文三级标题": (FS, TNR, 16, True, JUSTIFY, 630),
    "公文四级标题": (FS, TNR, 16, False, JUSTIFY, 630),
    "公文发文机关署名": (FS, TNR, 16, False, RIGHT, 0),
    "公文成文日期": (FS, TNR, 16, False, RIGHT, 0),
}
# name: (east Asian font, Latin font, bold)
CHARACTER_STYLES = {
    "公文三级标题（段中）": (FS, TNR, True),
    "公文四级标题（段中）": (FS, TNR, False),
}
# content kind → paragraph style (run-in kinds: the body style, lead in a character style)
KIND_STYLES = {
    "h1": "公文一级标题", "h2": "公文二级标题", "h3": "公文三级标题", "h4": "公文四级标题",
    "body": "公文正文", "runin3": "公文正文", "runin4": "公文正文",
}  # fmt: skip
RUN_IN_STYLES = {"runin3": "公文三级标题（段中）", "runin4": "公文四级标题（段中）"}


def load_content(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# --- python-docx, the usual way: default template, styles and paragraphs by name ------------


def _fonts(style: Any, east_asia: str, latin: str) -> None:
    style.font.name = latin
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def define_styles(document: Any) -> None:
    """GB/T 9704 page and styles, set up the way python-docx tutorials do it."""
    section = document.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)
    section.top_margin, section.bottom_margin = Twips(2098), Twips(1984)
    section.left_margin, section.right_margin = Twips(1587), Twips(1474)
    section.footer_distance = Twips(1417)
    normal = document.styles["Normal"]
    _fonts(normal, FS, TNR)
    normal.font.size = Pt(16)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(579)
    for name, (east_asia, latin, size, bold, alignment, first_line) in PARAGRAPH_STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _fonts(style, east_asia, latin)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.paragraph_format.alignment = alignment
        style.paragraph_format.first_line_indent = Twips(first_line)
    for name, (east_asia, latin, bold) in CHARACTER_STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        _fonts(style, east_asia, latin)
        style.font.bold = bold


def add_page_number(document: Any) -> None:
    """A centred PAGE field in the footer (the common recipe)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = CENTER
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        run = paragraph.add_run()
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
    paragraph.add_run(" —")


def python_docx_report(content: dict[str, Any]) -> Any:
    document = docx.Document()
    define_styles(document)
    add_page_number(document)
    for line in content["title_lines"]:
        document.add_paragraph(line, style="公文标题")
    document.add_paragraph()
    document.add_paragraph(content["addressee"], style="公文主送机关")
    for block in content["blocks"]:
        paragraph = document.add_paragraph(style=KIND_STYLES[block["kind"]])
        if block["kind"] in RUN_IN_STYLES:
            paragraph.add_run(block["lead"], style=RUN_IN_STYLES[block["kind"]])
        paragraph.add_run(block["text"])
    document.add_paragraph()
    document.add_paragraph()
    issuer = document.add_paragraph(content["issuer"], style="公文发文机关署名")
    issuer.paragraph_format.right_indent = Twips(content["issuer_right"])
    date = document.add_paragraph(content["date"], style="公文成文日期")
    date.paragraph_format.right_indent = Twips(content["date_right"])
    document.core_properties.title = "".join(content["title_lines"])
    return document


# --- docxtpl: a Word template with Jinja tags, looping over the same content ----------------


def build_docxtpl_template(path: Path, content: dict[str, Any]) -> None:
    """The template a docxtpl user would keep: the styles above, one tagged paragraph each."""
    document = docx.Document()
    define_styles(document)
    add_page_number(document)

    def tag(text: str) -> None:
        document.add_paragraph(text)

    tag("{%p for line in title_lines %}")
    document.add_paragraph("{{ line }}", style="公文标题")
    tag("{%p endfor %}")
    document.add_paragraph()
    document.add_paragraph("{{ addressee }}", style="公文主送机关")
    tag("{%p for b in blocks %}")
    first = True
    for kind, style in KIND_STYLES.items():
        if kind == "body":
            continue
        tag(f"{{%p {'if' if first else 'elif'} b.kind == '{kind}' %}}")
        first = False
        paragraph = document.add_paragraph(style=style)
        if kind in RUN_IN_STYLES:
            paragraph.add_run("{{ b.lead }}", style=RUN_IN_STYLES[kind])
        paragraph.add_run("{{ b.text }}")
    tag("{%p else %}")
    document.add_paragraph("{{ b.text }}", style="公文正文")
    tag("{%p endif %}")
    tag("{%p endfor %}")
    document.add_paragraph()
    document.add_paragraph()
    issuer = document.add_paragraph("{{ issuer }}", style="公文发文机关署名")
    issuer.paragraph_format.right_indent = Twips(content["issuer_right"])
    date = document.add_paragraph("{{ date }}", style="公文成文日期")
    date.paragraph_format.right_indent = Twips(content["date_right"])
    document.save(str(path))


def docxtpl_report(template: Path, content: dict[str, Any]) -> Any:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    document.render(content, autoescape=True)
    return document


# --- pandoc: Markdown with custom-style divs and a reference document ------------------------


def pandoc_markdown(content: dict[str, Any]) -> str:
    def div(style: str, text: str) -> str:
        return f'::: {{custom-style="{style}"}}\n{text}\n:::\n'

    def escape(text: str) -> str:
        return "".join("\\" + ch if ch in "\\*_[]`#<>$~^" else ch for ch in text)

    parts = [div("公文标题", escape(line)) for line in content["title_lines"]]
    parts.append(div("公文主送机关", escape(content["addressee"])))
    for block in content["blocks"]:
        text = escape(block["text"])
        if block["kind"] in RUN_IN_STYLES:
            lead = escape(block["lead"])
            text = f'[{lead}]{{custom-style="{RUN_IN_STYLES[block["kind"]]}"}}{text}'
        parts.append(div(KIND_STYLES[block["kind"]], text))
    parts.append(div("公文发文机关署名", escape(content["issuer"])))
    parts.append(div("公文成文日期", escape(content["date"])))
    return "\n".join(parts)


def build_pandoc_reference(path: Path) -> None:
    document = docx.Document()
    define_styles(document)
    document.save(str(path))


# --- as scripts -------------------------------------------------------------------------------


def to_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "python-docx":
        source, out = map(Path, args)
        python_docx_report(load_content(source)).save(str(out))
    elif command == "docxtpl":
        source, template, out = map(Path, args)
        docxtpl_report(template, load_content(source)).save(str(out))
    elif command == "python-docx-batch":
        folder, out_dir = map(Path, args)
        for source in sorted(folder.glob("*.yaml")):
            python_docx_report(load_content(source)).save(str(out_dir / f"{source.stem}.docx"))
    elif command == "docxtpl-batch":
        folder, template, out_dir = map(Path, args)
        for source in sorted(folder.glob("*.yaml")):
            report = docxtpl_report(template, load_content(source))
            report.save(str(out_dir / f"{source.stem}.docx"))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
