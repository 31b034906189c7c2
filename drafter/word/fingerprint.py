"""Mark a saved draft with a hash of everything a person can change, to tell later whether
someone edited it.

The hash covers every part of the package (text, styles, footers, settings, font table and
the document properties), each by its name and its exact bytes, with two exceptions: the
package bookkeeping ([Content_Types].xml and the .rels files, which follow from the parts)
and, in the core properties, the dc:identifier that holds the hash itself and the
created/modified times (Word rewrites every part on save anyway). python-docx
writes each XML part as its `blob`, so hashing the blobs before saving gives the bytes in
the zip. A styles-only edit in Word therefore counts as an edit.

Drafts from before (prefix drafter:sha256:) hashed word/document.xml alone; they are still
recognised, by that rule.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from lxml import etree

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

PREFIX = "drafter:parts-sha256:"
OLD_PREFIX = "drafter:sha256:"  # word/document.xml only
DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
_DC_IDENTIFIER = "{http://purl.org/dc/elements/1.1/}identifier"
_DCTERMS = "{http://purl.org/dc/terms/}"
_UNHASHED = (_DC_IDENTIFIER, f"{_DCTERMS}created", f"{_DCTERMS}modified")

FingerprintStatus = Literal["unchanged", "edited", "foreign"]


def _bookkeeping(name: str) -> bool:
    return name == "[Content_Types].xml" or name.endswith(".rels")


def _without_identifier(core_xml: bytes) -> bytes:
    """The core properties without dc:identifier and the created/modified times (the same
    draft made twice has one fingerprint), canonically serialised."""
    root = etree.fromstring(core_xml)
    for tag in _UNHASHED:
        for el in root.findall(tag):
            root.remove(el)
    return etree.tostring(root, method="c14n")


def digest_parts(parts: Iterable[tuple[str, bytes]], core_name: str) -> str:
    hasher = hashlib.sha256()
    for name, data in sorted(parts):
        if _bookkeeping(name):
            continue
        body = _without_identifier(data) if name == core_name else data
        hasher.update(f"{name}\0{len(body)}\0".encode())
        hasher.update(body)
    return PREFIX + hasher.hexdigest()


def _part_blobs(document: DocxDocument) -> tuple[list[tuple[str, bytes]], str]:
    """(zip name, bytes as saved) of each part python-docx will write, and the core's name."""
    package = document.part.package
    # An XmlPart's blob is serialize_part_xml(its element): the bytes save() writes.
    core_name = package._core_properties_part.partname.lstrip("/")
    return [(part.partname.lstrip("/"), part.blob) for part in package.iter_parts()], core_name


def docx_bytes(document: DocxDocument) -> bytes:
    """Serialise the document, recording the fingerprint of all its parts."""
    document.core_properties.identifier = ""
    blobs, core_name = _part_blobs(document)
    document.core_properties.identifier = digest_parts(blobs, core_name)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _core_part_name(archive: zipfile.ZipFile) -> str:
    # Word and python-docx both use docProps/core.xml; the package rels say for sure.
    try:
        rels = etree.fromstring(archive.read("_rels/.rels"))
    except (KeyError, etree.XMLSyntaxError):
        return CORE_PART
    for rel in rels:
        if (rel.get("Type") or "").endswith("/metadata/core-properties"):
            return (rel.get("Target") or CORE_PART).lstrip("/")
    return CORE_PART


def recorded_fingerprint(archive: zipfile.ZipFile) -> str:
    """The fingerprint the file's core properties hold ("" when none)."""
    core = etree.fromstring(archive.read(_core_part_name(archive)))
    return (core.findtext(_DC_IDENTIFIER) or "").strip()


def fingerprint_status(path: str | os.PathLike[str]) -> FingerprintStatus:
    """Whether the file is as drafter saved it ("unchanged"), saved since ("edited"), or neither."""
    try:
        with zipfile.ZipFile(path) as archive:
            recorded = recorded_fingerprint(archive)
            if recorded.startswith(PREFIX):
                parts = [(i.filename, archive.read(i)) for i in archive.infolist()
                         if not i.is_dir()]  # fmt: skip
                current = digest_parts(parts, _core_part_name(archive))
            elif recorded.startswith(OLD_PREFIX):
                digest = hashlib.sha256(archive.read(DOCUMENT_PART)).hexdigest()
                current = OLD_PREFIX + digest
            else:
                return "foreign"
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return "foreign"
    return "unchanged" if current == recorded else "edited"
