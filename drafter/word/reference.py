"""A bureau's reference document: its styles and page setup replace the built-in ones.

Staff restyle the document `drafter styles init` writes (fonts, sizes, margins, spacing) in
Word or WPS and pass it with --reference-doc. A draft then starts from the built-in
GB/T 9704 package and takes from the reference document:
  - its docDefaults (the document-wide default font, size and spacing);
  - its page setup (w:pgSz, w:pgMar with the header and footer distances, w:docGrid);
  - every style it defines, Gw* and the Normal style included, replacing the built-in one.
Whatever it does not define keeps the built-in definition, so a reference document that
lost a Gw* style still drafts with that style. Its body content is never used.

Word and WPS may give a custom style a new id when they save (a Chinese-named style often
comes back as "a3"), so a reference style is matched to ours by id, or else by its name
(公文正文 …), and takes our id.
"""

from __future__ import annotations

import copy
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from drafter.errors import DrafterError, os_reason
from drafter.word.ooxml import qn

if TYPE_CHECKING:  # python-docx is imported only when a base package is prepared
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement

_STYLES_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"

PAGE_SETUP = ("pgSz", "pgMar", "docGrid")  # what the reference's first section decides
STYLE_REFERENCES = ("basedOn", "next", "link")  # children of w:style naming another style
LEGACY_HEADING = "GwHeading"  # the custom heading style ids drafts had before Heading1–4


class ReferenceDocError(DrafterError):
    """The reference document is missing or is not a readable Word document."""


@dataclass(frozen=True)
class Reference:
    """A reference document on disk; the stamp makes a changed file a new cache key."""

    path: Path
    stamp: tuple[int, int]

    @classmethod
    def of(cls, path: Path) -> Reference:
        try:
            stat = path.stat()
        except OSError:
            raise ReferenceDocError.one("找不到参考样式文档", path) from None
        if path.is_dir():
            raise ReferenceDocError.one("参考样式文档应是 .docx 文件，这是一个文件夹", path)
        return cls(path, (stat.st_mtime_ns, stat.st_size))


def open_reference(path: Path) -> DocxDocument:
    """The reference document, or a Chinese error saying why it cannot be used."""
    if path.suffix.lower() != ".docx":
        raise ReferenceDocError.one(
            "参考样式文档应是 Word 文档（.docx）；.doc、.wps 请先在 Word 或 WPS 中另存为 .docx",
            path,
        )
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    unreadable = ("参考样式文档无法读取：不是有效的 Word 文档（.docx）。请在 Word 或 WPS 中打开后"
                  "另存为 .docx，或用 drafter styles init 重新生成")  # fmt: skip
    try:
        check_package(path)
        document = docx.Document(str(path))
    except ReferenceDocError:
        raise
    except OSError as exc:
        raise ReferenceDocError.one(f"无法读取参考样式文档：{os_reason(exc)}", path) from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError,
            NotImplementedError, EOFError, zlib.error, AttributeError, TypeError, IndexError):
        raise ReferenceDocError.one(unreadable, path) from None  # fmt: skip
    if not document.sections:
        raise ReferenceDocError.one(
            "参考样式文档没有页面设置（缺少 w:sectPr）；请在 Word 或 WPS 中打开后另存为 .docx", path
        )
    return document


MAX_PACKAGE_BYTES = 50 * 1024 * 1024  # uncompressed; drafter's own reference is ~30 kB
MAX_MEMBERS = 2_000


def check_package(path: Path) -> None:
    """Refuse a package that would be costly or unsafe to open, before anything is inflated:
    its declared uncompressed size (zipfile never inflates beyond it), an unknown
    compression, and a DTD (entities) in any XML part."""
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            total = sum(m.file_size for m in members)
            if len(members) > MAX_MEMBERS or total > MAX_PACKAGE_BYTES:
                raise ReferenceDocError.one(
                    f"参考样式文档解压后太大（{total // 1024**2} MB，最多 "
                    f"{MAX_PACKAGE_BYTES // 1024**2} MB），可能是恶意文件", path,
                )  # fmt: skip
            for member in members:
                if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise ReferenceDocError.one(
                        "参考样式文档使用了 Word 不用的压缩方式；请在 Word 或 WPS 中另存为 .docx",
                        path,
                    )  # fmt: skip
                if member.filename.endswith((".xml", ".rels")):
                    with package.open(member) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise ReferenceDocError.one(
                            f"参考样式文档的“{member.filename}”含有 DTD 或实体声明，"
                            "Word 文档不会有这些，出于安全考虑不读取", path,
                        )  # fmt: skip
    except zipfile.BadZipFile:
        return  # docx.Document says it is not a Word document


def apply_reference(out: DocxDocument, reference: Path) -> None:
    """Give `out` (the prepared built-in package) the reference's defaults, styles, page."""
    ref = open_reference(reference)
    styles = _styles_element(ref)
    if styles is not None:
        _merge_styles(out.styles.element, styles)
    _copy_page_setup(out.sections[0]._sectPr, ref.sections[0]._sectPr)


def _styles_element(ref: DocxDocument) -> BaseOxmlElement | None:
    # document.styles would invent python-docx's default styles for a package without any.
    try:
        return ref.part.part_related_by(_STYLES_RELATIONSHIP).element
    except KeyError:
        return None


def _style_id(style: BaseOxmlElement) -> str | None:
    return style.get(qn("w:styleId"))


def _style_name(style: BaseOxmlElement) -> str | None:
    name = style.find(qn("w:name"))
    return None if name is None else name.get(qn("w:val"))


def _legacy_headings(given: list[BaseOxmlElement]) -> dict[str, str]:
    """Reference documents from before headings were Word's own (GwHeading1 公文一级标题 …):
    their heading styles become Heading1–4 (named heading 1–4), so the restyling holds."""
    ids = {_style_id(s) for s in given}
    names = {(_style_name(s) or "").lower() for s in given}
    renames = {}
    for style in given:
        old = _style_id(style) or ""
        level = old.removeprefix(LEGACY_HEADING)
        if old.startswith(LEGACY_HEADING) and level in "1234" and len(level) == 1:
            if f"Heading{level}" in ids or f"heading {level}" in names:
                continue
            renames[old] = f"Heading{level}"
            style.attrib.pop(qn("w:customStyle"), None)
            name = style.find(qn("w:name"))
            if name is not None:
                name.set(qn("w:val"), f"heading {level}")
    return renames


def _merge_styles(ours: BaseOxmlElement, theirs: BaseOxmlElement) -> None:
    own = {_style_id(s): s for s in ours.findall(qn("w:style"))}
    given = [copy.deepcopy(s) for s in theirs.findall(qn("w:style"))]
    renames: dict[str, str] = _legacy_headings(given)
    given_ids = {renames.get(_style_id(s) or "", _style_id(s)) for s in given}
    by_name = {_style_name(s): s for s in given}
    for style_id, style in own.items():
        if style_id in given_ids:
            continue
        match = by_name.get(_style_name(style))
        if match is not None and _style_id(match) not in own and _style_id(match) not in renames:
            renames[_style_id(match)] = style_id
    for style in given:
        _rename(style, renames)
        replaced = own.get(_style_id(style))
        if replaced is not None:
            replaced.addnext(style)
            ours.remove(replaced)
        else:
            ours.append(style)
    defaults = theirs.find(qn("w:docDefaults"))
    if defaults is not None:
        current = ours.find(qn("w:docDefaults"))
        if current is None:
            ours.insert(0, copy.deepcopy(defaults))
        else:
            current.addnext(copy.deepcopy(defaults))
            ours.remove(current)


def _rename(style: BaseOxmlElement, renames: dict[str, str]) -> None:
    style_id = _style_id(style)
    if style_id in renames:
        style.set(qn("w:styleId"), renames[style_id])
    for tag in STYLE_REFERENCES:
        child = style.find(qn(f"w:{tag}"))
        if child is not None and child.get(qn("w:val")) in renames:
            child.set(qn("w:val"), renames[child.get(qn("w:val"))])


def _copy_page_setup(ours: BaseOxmlElement, theirs: BaseOxmlElement) -> None:
    for tag in PAGE_SETUP:
        given = theirs.find(qn(f"w:{tag}"))
        current = ours.find(qn(f"w:{tag}"))
        if given is None or current is None:
            continue
        current.addnext(copy.deepcopy(given))
        ours.remove(current)
