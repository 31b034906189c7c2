"""Qualified names of the WordprocessingML and package vocabularies, without python-docx.

The draft path builds its XML with lxml alone (python-docx is imported only to prepare the
base package, which is cached), so it needs python-docx's `qn` without importing it.
"""

from __future__ import annotations

from functools import cache

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


@cache
def qn(name: str) -> str:
    """"w:p" → "{http://…/main}p", as python-docx's docx.oxml.ns.qn."""
    prefix, _, local = name.partition(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"
