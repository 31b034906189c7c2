"""A draft as the parts of its .docx, with the two it changes parsed: lxml and zipfile only.

The base package (styles, fonts, footers, a reference document's look) is prepared once by
python-docx (prepared.py) and cached; a draft then only fills word/document.xml's body and
the document properties. Doing that without python-docx keeps its import (a third of a cold
draft) off the draft path. The bytes written are the bytes hashed for the edit fingerprint.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from drafter.word.fingerprint import CORE_PART, DOCUMENT_PART, digest_parts
from drafter.word.ooxml import qn

_W3CDTF = "%Y-%m-%dT%H:%M:%SZ"


@dataclass
class Package:
    """Every part of the package by zip name (in the order written), and the parsed
    document and core-properties parts, which replace their bytes when saved."""

    parts: dict[str, bytes]
    document: etree._Element
    core: etree._Element


def open_package(data: bytes) -> Package:
    """The package of a prepared base (a .docx drafter wrote itself)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    document, core = (etree.fromstring(parts[name]) for name in (DOCUMENT_PART, CORE_PART))
    return Package(parts, document, core)


def set_core(core: etree._Element, tag: str, text: str) -> etree._Element:
    """Set one core property ("dc:title", "cp:revision", …), creating it if missing."""
    element = core.find(qn(tag))
    if element is None:
        element = etree.SubElement(core, qn(tag))
    element.text = text
    return element


def set_core_time(core: etree._Element, tag: str, when: datetime) -> None:
    element = set_core(core, tag, when.strftime(_W3CDTF))
    element.set(qn("xsi:type"), "dcterms:W3CDTF")


def _xml(element: etree._Element) -> bytes:
    # As python-docx serialises a part, so a draft is byte-for-byte what it would have saved.
    return etree.tostring(element, encoding="UTF-8", standalone=True)


def package_bytes(package: Package) -> bytes:
    """The .docx, its core properties holding the fingerprint of all its parts."""
    parts = {**package.parts, DOCUMENT_PART: _xml(package.document), CORE_PART: _xml(package.core)}
    # The digest leaves dc:identifier out, so it can then hold the digest.
    set_core(package.core, "dc:identifier", digest_parts(parts.items(), CORE_PART))
    parts[CORE_PART] = _xml(package.core)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()
