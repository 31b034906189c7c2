"""Files to damage for the bad-input tests of the commands that read files people bring
(tests/test_bad_input_reading.py, tests/test_bad_input_sheets.py)."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE
from hypothesis import HealthCheck, settings

from drafter.pipeline import draft_to_file

FAST = settings(max_examples=12, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report drafter drafted (江北区 2022), to damage."""
    path = tmp_path_factory.mktemp("good") / "江北区.docx"
    draft_to_file(SAMPLE["jiangbei"], path)
    return path


def as_word97(tmp_path_factory: pytest.TempPathFactory, good: Path) -> Path:
    """The same report as a Word 97–2003 .doc (one LibreOffice run for the module)."""
    from messy_docs import convert, soffice

    soffice()
    folder = tmp_path_factory.mktemp("doc")
    convert([good], "doc", folder)
    return folder / "江北区.doc"


def rezipped(source: Path, target: Path, change: Callable[[str, bytes], bytes | None],
             method: int = zipfile.ZIP_DEFLATED) -> Path:  # fmt: skip
    """A copy of a package with each member passed through `change` (None: left out)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", method) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def in_body(xml: bytes) -> Callable[[str, bytes], bytes]:
    """A change that puts `xml` at the start of document.xml's body."""

    def change(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        start = data.index(b"<w:body>") + len(b"<w:body>")
        return data[:start] + xml + data[start:]

    return change


def paragraphs(count: int) -> bytes:
    return b"".join(b"<w:p><w:r><w:t>%d\xe6\x89\x80</w:t></w:r></w:p>" % (i * 7919) for i in
                    range(count))  # fmt: skip


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path
