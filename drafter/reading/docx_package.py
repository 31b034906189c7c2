"""A .docx package opened with zipfile and lxml: the main document part and the parts it
relates to (styles, numbering, headers, footers, comments), for docx_reader.

This stands in for python-docx's OpcPackage.open (docx/opc/pkgreader.py, docx/opc/package.py),
whose import alone cost `drafter import` ~50 ms. It fails where that failed, so read_docx falls
back (document.xml alone) in the same cases: no [Content_Types].xml, a relationship naming a
part the package lacks (dangling), a part without a content type, no officeDocument relationship
or several, or a part python-docx parses on opening that is not well-formed XML. Unlike
python-docx it leaves parts nobody reads (images) unread.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path
from zipfile import ZipFile

from lxml import etree

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# The content types python-docx parses when it opens a package (its PartFactory table in
# docx/__init__.py; a part reached by an image relationship stays bytes), with the options of
# its parser (docx/oxml/parser.py); any other part is parsed only when read, as before, by SAFE.
_PARSED = frozenset(
    ["application/vnd.openxmlformats-package.core-properties+xml"]
    + [f"{_WML}{kind}+xml" for kind in ("comments", "document.main", "footer", "header",
                                        "numbering", "settings", "styles")]
)  # fmt: skip
_OXML = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
SAFE = etree.XMLParser(resolve_entities=False, no_network=True)

# python-docx's BabelFish.internal2ui (docx/styles/__init__.py): built-in styles whose name in
# styles.xml differs from the name Word shows ("heading 1" → "Heading 1"); others unchanged.
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header",
             **{f"heading {n}": f"Heading {n}" for n in range(1, 10)}}  # fmt: skip


def ui_style_name(name: str) -> str:
    return _UI_NAMES.get(name, name)


class Part:
    """One part: its XML (parsed on opening, or when first asked for) and its relationships."""

    def __init__(self, path: Path, name: str, element: etree._Element | None) -> None:
        self.path, self.name, self.element = path, name, element
        self.parsed = element is not None
        # by relationship id, as python-docx keeps them (a repeated id: the last one counts);
        # (type, target), target None for an external relationship
        self.rels: dict[str | None, tuple[str, Part | None]] = {}

    def root(self) -> etree._Element | None:
        if not self.parsed:
            with ZipFile(self.path) as archive:
                blob = archive.read(self.name[1:])
            self.element = etree.fromstring(blob, SAFE) if blob else None
            self.parsed = True
        return self.element

    def related(self, kind: str) -> Iterator[Part]:
        """The parts this one relates to by a relationship of type …/kind, in order."""
        for reltype, target in self.rels.values():
            if target is not None and reltype.rsplit("/", 1)[-1] == kind:
                yield target


def open_document(path: Path) -> Part:
    """The main document part, every part the relationships reach checked on the way.
    Raises KeyError, ValueError, TypeError, zipfile's and lxml's errors where it cannot."""
    with ZipFile(path) as archive:
        names = set(archive.namelist())
        types = etree.fromstring(archive.read("[Content_Types].xml"), _OXML)
        overrides = {o.get("PartName").lower(): o.get("ContentType")  # type: ignore[union-attr]
                     for o in types.findall(f"{_TYPES}Override")}  # fmt: skip
        defaults = {d.get("Extension").lower(): d.get("ContentType")  # type: ignore[union-attr]
                    for d in types.findall(f"{_TYPES}Default")}  # fmt: skip

        def rels(source: str) -> list[etree._Element]:
            base, file = posixpath.split(source)
            member = posixpath.join(base, "_rels", f"{file}.rels")[1:]
            if member not in names:
                return []
            return etree.fromstring(archive.read(member), _OXML).findall(_REL)

        def load(name: str, reltype: str) -> Part:
            if name[1:] not in names:
                raise KeyError(f"dangling relationship: {name}")
            ext = posixpath.splitext(name)[1][1:].lower()
            content_type = overrides[name.lower()] if name.lower() in overrides else defaults[ext]
            element = None
            if content_type in _PARSED and reltype != f"{_RT}image":
                element = etree.fromstring(archive.read(name[1:]), _OXML)
            return Part(path, name, element)

        parts: dict[str, Part] = {}
        top = Part(path, "/", None)
        stack = [(top, iter(rels("/")))]  # depth first, the order python-docx walks in
        while stack:
            source, pending = stack[-1]
            rel = next(pending, None)
            if rel is None:
                stack.pop()
                continue
            reltype = rel.get("Type") or ""
            if rel.get("TargetMode", "Internal") == "External":
                source.rels[rel.get("Id")] = (reltype, None)
                continue
            base = posixpath.split(source.name)[0]
            name = posixpath.normpath(posixpath.join(base, rel.get("Target")))  # type: ignore[arg-type]
            if name not in parts:
                parts[name] = load(name, reltype)
                stack.append((parts[name], iter(rels(name))))
            source.rels[rel.get("Id")] = (reltype, parts[name])
    main = [(t, part) for t, part in top.rels.values() if t == f"{_RT}officeDocument"]
    if len(main) != 1 or main[0][1] is None:
        raise ValueError("not exactly one officeDocument relationship to a part")
    return main[0][1]
