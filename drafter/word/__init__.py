"""The Word writer: a drafter Document to a GB/T 9704-2012 .docx."""

from drafter.word.fingerprint import docx_bytes, fingerprint_status
from drafter.word.package import package_bytes
from drafter.word.styles import FontNames
from drafter.word.writer import build_docx, build_package

__all__ = [
    "FontNames", "build_docx", "build_package", "docx_bytes", "fingerprint_status",
    "package_bytes",
]
