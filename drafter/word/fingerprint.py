"""Mark a saved draft with a hash of its text part, to tell later whether someone edited it.

The hash covers the exact bytes of word/document.xml. python-docx writes that part with
`serialize_part_xml`, so hashing the same call before saving gives the bytes in the zip;
core properties live in another part, so recording the hash there does not change it.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from typing import Literal

from docx.document import Document as DocxDocument
from docx.opc.oxml import serialize_part_xml
from lxml import etree

PREFIX = "drafter:sha256:"
DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
_DC_IDENTIFIER = "{http://purl.org/dc/elements/1.1/}identifier"

FingerprintStatus = Literal["unchanged", "edited", "foreign"]


def _fingerprint(document_xml: bytes) -> str:
    return PREFIX + hashlib.sha256(document_xml).hexdigest()


def docx_bytes(document: DocxDocument) -> bytes:
    """Serialise the document, recording the fingerprint of its word/document.xml."""
    document.core_properties.identifier = _fingerprint(serialize_part_xml(document.part.element))
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


def fingerprint_status(path: str | os.PathLike[str]) -> FingerprintStatus:
    """Whether the file is as drafter saved it ("unchanged"), saved since ("edited"), or neither."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = etree.fromstring(archive.read(_core_part_name(archive)))
            recorded = (core.findtext(_DC_IDENTIFIER) or "").strip()
            if not recorded.startswith(PREFIX):
                return "foreign"
            current = _fingerprint(archive.read(DOCUMENT_PART))
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return "foreign"
    return "unchanged" if current == recorded else "edited"
