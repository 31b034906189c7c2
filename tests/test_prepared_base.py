"""The prepared base package kept between runs (drafter/word/prepared.py) and the draft path
without python-docx (drafter/word/package.py): a draft made from the cache is the draft made
afresh, a damaged, foreign or stale cache file is never used, and drafting with the cache
filled does not import python-docx."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from drafter.pipeline import draft_facts
from drafter.word import build_docx, build_package, docx_bytes, fingerprint_status, package_bytes
from drafter.word.prepared import prepared_bytes
from drafter.word.styles import FontNames

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "jiangbei" / "2022.yaml"
STABLE = ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
          "word/footer1.xml", "word/footer2.xml", "[Content_Types].xml")  # fmt: skip


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DRAFTER_CACHE", str(folder))
    prepared_bytes.cache_clear()
    yield folder
    prepared_bytes.cache_clear()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _draft(fonts: FontNames | None = None, reference: Path | None = None) -> dict[str, bytes]:
    prepared_bytes.cache_clear()  # as a new process: only the file can help
    document = draft_facts(SAMPLE).document
    return _parts(package_bytes(build_package(document, fonts, reference)))


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    return buffer.getvalue()


def _base_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("base-*.docx"))


def test_a_draft_from_the_cache_is_the_draft_made_afresh(cache: Path) -> None:
    first = _draft()
    (path,) = _base_files(cache)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    written = path.stat().st_ino, path.stat().st_mtime_ns
    second = _draft()
    assert [second[name] for name in STABLE] == [first[name] for name in STABLE]
    assert _base_files(cache) == [path]
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == written  # read, not written again


def test_the_lean_package_is_what_python_docx_would_save(cache: Path, tmp_path: Path) -> None:
    """The same parts as the python-docx document of the same draft, and both carry a
    fingerprint that matches their bytes."""
    document = draft_facts(SAMPLE).document
    lean = package_bytes(build_package(document))
    via_python_docx = docx_bytes(build_docx(document))
    for name in STABLE:
        assert _parts(lean)[name] == _parts(via_python_docx)[name], name
    for data, name in ((lean, "lean.docx"), (via_python_docx, "docx.docx")):
        (tmp_path / name).write_bytes(data)
        assert fingerprint_status(tmp_path / name) == "unchanged"
    core = docx.Document(io.BytesIO(lean)).core_properties
    assert (core.title, core.author, core.language, core.revision) == (
        "重庆市江北区人民政府2021年以来履行教育职责情况自评报告", "drafter", "zh-CN", 1)
    assert core.keywords == "district=江北区; profile=chongqing; year=2022"
    assert core.created is not None and core.created == core.modified


def test_text_with_tabs_and_line_breaks_becomes_elements() -> None:
    from drafter.document import Document, Paragraph, Span

    doc = Document([(Span("标题"),)], None, [Paragraph((Span("甲\t乙\n丙 "),))], (Span("某"),),
                   (Span("2026年1月1日"),))  # fmt: skip
    body = docx.Document(io.BytesIO(package_bytes(build_package(doc)))).paragraphs
    run = next(p for p in body if "甲" in p.text).runs[0]
    tags = [child.tag.rsplit("}", 1)[1] for child in run._r]
    assert tags == ["t", "tab", "t", "br", "t"]
    assert run.text == "甲\t乙\n丙 "


@pytest.mark.parametrize("damage", ["garbage", "truncated", "no document part"])
def test_a_damaged_base_is_prepared_again(cache: Path, damage: str) -> None:
    expected = _draft()
    (path,) = _base_files(cache)
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"PK\x03\x04 not a zip at all")
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    else:
        parts = _parts(data)
        del parts["word/document.xml"]
        path.write_bytes(_zipped(parts))
    path.chmod(0o600)
    assert _draft()["word/document.xml"] == expected["word/document.xml"]
    assert _parts(path.read_bytes()).keys() == _parts(data).keys()  # written afresh


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_base_others_can_write_is_not_read(cache: Path) -> None:
    _draft()
    (path,) = _base_files(cache)
    planted = _parts(path.read_bytes())
    planted["word/styles.xml"] = planted["word/styles.xml"].replace(b"GwTitle", b"Planted")
    path.write_bytes(_zipped(planted))
    path.chmod(0o600)
    assert b"Planted" in _draft()["word/styles.xml"]  # the file is what a draft starts from
    path.chmod(0o666)
    assert b"Planted" not in _draft()["word/styles.xml"]
    path.write_bytes(_zipped(planted))  # the draft above replaced it
    path.chmod(0o600)
    cache.chmod(0o777)
    try:
        assert b"Planted" not in _draft()["word/styles.xml"]
    finally:
        cache.chmod(0o700)


def test_fonts_and_reference_documents_have_their_own_base(cache: Path, tmp_path: Path) -> None:
    _draft()
    fangsong = _draft(FontNames(body="仿宋", kai="楷体"))
    assert len(_base_files(cache)) == 2
    assert "仿宋_GB2312".encode() not in fangsong["word/styles.xml"]
    reference = tmp_path / "参考.docx"
    reference.write_bytes(docx_bytes(build_docx(draft_facts(SAMPLE).document)))
    _draft(reference=reference)
    assert len(_base_files(cache)) == 3
    os.utime(reference, ns=(1, 1))  # the file changed: a new base, not the old one
    _draft(reference=reference)
    assert len(_base_files(cache)) == 4


def test_off_writes_no_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    _draft()
    assert not (tmp_path / "home-cache").exists()


def test_drafting_with_the_base_cached_does_not_import_python_docx(tmp_path: Path) -> None:
    script = (
        "import sys\nfrom drafter.cli import main\n"
        f"code = main(['draft', {str(SAMPLE)!r}, '-o', {str(tmp_path / 'a.docx')!r}, '--force'])\n"
        "print(code, 'docx' in sys.modules)\n"
    )
    env = {**os.environ, "DRAFTER_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, timeout=120, check=False).stdout.split()[-2:]
            for _ in range(2)]  # fmt: skip
    assert runs == [["0", "True"], ["0", "False"]]
    assert docx.Document(str(tmp_path / "a.docx")).paragraphs[0].text.startswith("重庆市江北区")


def test_old_bases_are_pruned(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.word import prepared

    monkeypatch.setattr(prepared, "_KEEP", 2)
    made = []
    for body in ("仿宋", "楷体", "宋体"):
        before = set(_base_files(cache))
        _draft(FontNames(body=body))
        (new,) = set(_base_files(cache)) - before
        made.append(new)
    assert _base_files(cache) == sorted(made[1:])  # the oldest went
