"""The package every draft starts from, prepared by python-docx once and kept between runs.

base.docx with the GB/T 9704 styles, the font table and the page-number footers applied,
then a reference document's styles and page setup over them. Preparing it needs python-docx
(a third of a cold draft's time) and some 20 ms more; drafts with the same fonts and
reference share it, within a process (lru_cache, as a batch) and between runs in drafter's
cache folder, on model_cache's rules: a folder and file of this user's alone, written
atomically, DRAFTER_CACHE=off to turn it off. The file's name is a hash of its key:
drafter's version, the size and mtime of base.docx, of the modules that prepare it and of
python-docx, the fonts, and the reference document's path and stamp. A file that is not a
complete package is rebuilt. A .docx is data (XML in a zip), so a cached one cannot run code.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import zipfile
import zlib
from dataclasses import astuple
from functools import lru_cache
from pathlib import Path

from drafter import __version__
from drafter.word.fingerprint import CORE_PART, DOCUMENT_PART
from drafter.word.reference import Reference
from drafter.word.styles import FontNames

_HERE = Path(__file__).resolve().parent
# What the prepared bytes depend on besides the fonts and the reference document.
_SOURCES = ("base.docx", "styles.py", "font_table.py", "footer.py", "reference.py", "prepared.py")
_MAX_BYTES = 5 * 1024 * 1024  # a prepared base is ~6 kB (more with a reference's styles)
_KEEP = 16


@lru_cache(maxsize=8)
def prepared_bytes(fonts: FontNames, reference: Reference | None = None) -> bytes:
    """The prepared package's bytes, from the cache when it holds them."""
    from drafter.model_cache import cache_dir, write_private

    key = _key(fonts, reference)
    folder = cache_dir()
    path = None
    if key is not None and folder is not None:
        path = folder / f"base-{hashlib.sha256(key.encode()).hexdigest()[:32]}.docx"
        cached = _read(path)
        if cached is not None:
            return cached
    data = _prepare(fonts, reference)
    if path is not None:
        write_private(path, data)
        _prune(path)
    return data


def _prune(kept: Path) -> None:
    """Keep the newest _KEEP bases: each drafter upgrade, font set or reference version
    names a new one, and the old ones would pile up."""
    try:
        bases = sorted(kept.parent.glob("base-*.docx"), key=lambda p: p.stat().st_mtime_ns)
        for old in bases[:-_KEEP]:
            if old != kept:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _prepare(fonts: FontNames, reference: Reference | None) -> bytes:
    import docx

    from drafter.word.base_package import BASE_DOCX
    from drafter.word.font_table import apply_font_table
    from drafter.word.footer import add_page_numbers
    from drafter.word.reference import apply_reference
    from drafter.word.styles import apply_styles

    out = docx.Document(str(BASE_DOCX))
    apply_styles(out, fonts)
    apply_font_table(out, fonts)
    add_page_numbers(out, fonts)
    if reference is not None:
        apply_reference(out, reference.path)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _stamp(path: str | os.PathLike[str] | None) -> list[int] | None:
    try:
        info = os.stat(path) if path else None
    except OSError:
        return None
    return None if info is None else [info.st_size, info.st_mtime_ns]


def _key(fonts: FontNames, reference: Reference | None) -> str | None:
    """The cache key, or None when a source cannot be stamped (then nothing is cached)."""
    spec = importlib.util.find_spec("docx")  # finds the package without importing it
    stamps = [_stamp(_HERE / name) for name in _SOURCES]
    stamps.append(_stamp(spec.origin if spec else None))
    if any(stamp is None for stamp in stamps):
        return None
    ref = None if reference is None else [str(reference.path.resolve()), *reference.stamp]
    return json.dumps([__version__, stamps, astuple(fonts), ref], ensure_ascii=False)


def _read(path: Path) -> bytes | None:
    from drafter.model_cache import private

    if not (private(path.parent, want_dir=True) and private(path, want_dir=False)):
        return None
    try:
        if path.stat().st_size > _MAX_BYTES:
            return None
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if {DOCUMENT_PART, CORE_PART} - names or archive.testzip() is not None:
                return None
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, zlib.error):
        return None
    return data
