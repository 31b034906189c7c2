"""Issue 15 for the commands that read Word files people bring: `drafter import` (.docx,
.doc, .txt, `--into`), `drafter check 定稿.docx` and `drafter lint` on Word files. Every case
runs the CLI forked with a time limit and a memory cap (tests/bounded.py) and must end in a
Chinese error that names the file (exit 1, no traceback, no English from a library, nothing
half-written) or, where the input is fine after all, in the right result. The spreadsheet
side is tests/test_bad_input_sheets.py."""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from bad_files import (
    FAST,
    OLE_MAGIC,
    as_word97,
    drafted,
    fifo,
    files_in,
    in_body,
    mkdir,
    paragraphs,
    rezipped,
    write,
)
from bounded import Result, assert_clean_error, english_fragments, run
from conftest import MINIMAL_FACTS, SAMPLE
from hypothesis import given
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return drafted(tmp_path_factory)


@pytest.fixture(scope="module")
def word97(tmp_path_factory, good) -> Path:
    return as_word97(tmp_path_factory, good)


# --- drafter import: hostile and odd sources ---------------------------------------------------


def _huge_txt(folder: Path, good: Path) -> Path:
    path = folder / "报告.txt"
    with path.open("wb") as handle:
        handle.write("一、总体情况\n".encode())
        handle.truncate(51 * 1024 * 1024)  # sparse: 51 MB at no cost
    return path


def _sparse(path: Path, head: bytes) -> Path:
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(51 * 1024 * 1024)
    return path


def _many_lines(folder: Path, good: Path) -> Path:
    path = folder / "报告.txt"
    path.write_text("\n".join(f"第{i}项工作完成。" for i in range(5_001)), encoding="utf-8")
    return path


def _many_members(folder: Path, good: Path) -> Path:
    path = folder / "报告.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", b"<w:document/>")
        for i in range(10_001):
            package.writestr(f"word/media/{i}.bin", b"")
    return path


def _lying_size(folder: Path, good: Path) -> Path:
    """A member whose headers say 1,000 bytes but whose data inflates to 8 MB."""
    path = rezipped(good, folder / "报告.docx",
                    in_body(b"<w:p><w:r><w:t>" + b"0" * 8_000_000 + b"</w:t></w:r></w:p>"))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("word/document.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # local header
    entry = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02"))  # the central directory
    while data[entry + 46:entry + 46 + len(info.filename)] != info.filename.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", data, entry + 24, 1000)
    path.write_bytes(bytes(data))
    return path


def _zip_encrypted(folder: Path, good: Path) -> Path:
    """Each member marked encrypted (bit 0 of its flags, in both of its headers)."""
    path = folder / "报告.docx"
    data = bytearray(good.read_bytes())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + flags] |= 0x1
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


IMPORT_CASES: list[tuple[str, Callable[[Path, Path], Path], str]] = [
    ("huge-txt", _huge_txt, "50 MB"),
    ("huge-wps", lambda folder, good: _sparse(folder / "报告.wps", OLE_MAGIC), "50 MB"),
    ("huge-docx", lambda folder, good: _sparse(folder / "报告.docx", good.read_bytes()), "50 MB"),
    ("5001-lines", _many_lines, "5,000 段"),
    ("100000-paragraphs",
     lambda folder, good: rezipped(good, folder / "报告.docx", in_body(paragraphs(100_000))),
     "5,000 段"),
    ("deep-xml", lambda folder, good: rezipped(
        good, folder / "报告.docx",
        in_body(b"<w:sdt><w:sdtContent>" * 200 + b"</w:sdtContent></w:sdt>" * 200)), "嵌套"),
    ("30-mb-xml", lambda folder, good: rezipped(
        good, folder / "报告.docx", in_body(b"<!--" + b"x" * 30_000_000 + b"-->"),
        zipfile.ZIP_STORED), "20 MB"),
    ("10001-members", _many_members, "200 MB"),
    ("lying-size", _lying_size, "已损坏"),
    ("zip-encrypted", _zip_encrypted, "密码"),
    ("random-ole", lambda folder, good: write(folder / "报告.doc", OLE_MAGIC + os.urandom(3000)),
     "已损坏"),
    ("pdf", lambda folder, good: write(folder / "报告.docx", b"%PDF-1.4\n%%EOF\n"), "PDF"),
    ("xlsx", lambda folder, good: _xlsx(folder / "报告.xlsx"), "电子表格"),
]  # fmt: skip


def _xlsx(path: Path) -> Path:
    openpyxl.Workbook().save(path)
    return path


@pytest.mark.parametrize(("make", "fragment"), [c[1:] for c in IMPORT_CASES],
                         ids=[c[0] for c in IMPORT_CASES])  # fmt: skip
def test_import_refuses_hostile_files_in_chinese(tmp_path, good, make, fragment):
    source = make(tmp_path, good)
    out = tmp_path / "out"
    result = run("import", source, "-o", out / "f.yaml", cwd=tmp_path, seconds=30)
    assert_clean_error(result, source.name, fragment, root=tmp_path)
    assert files_in(out) == []


def test_an_entity_in_a_docx_is_not_expanded(tmp_path, good):
    """XXE: an external entity naming /etc/passwd is never read into the facts."""
    def change(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        data = data.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM '
                            b'"file:///etc/passwd">]>', 1)  # fmt: skip
        return data.replace(b"<w:t>", b"<w:t>&x;", 1)

    source = rezipped(good, tmp_path / "报告.docx", change)
    result = run("import", source, "-o", tmp_path / "f.yaml", cwd=tmp_path)
    if result.kind == "error":
        assert_clean_error(result, "报告.docx", root=tmp_path)
    else:
        assert result.kind == "ok", result.err
        assert "root:" not in (tmp_path / "f.yaml").read_text(encoding="utf-8")


def test_many_figures_of_one_name_import(tmp_path):
    """300 lines alike: past 99 names of one kind the lifter used to stop (internal error)."""
    source = tmp_path / "报告.txt"
    lines = ["某某县人民政府2024年履行教育职责", "情况自评报告", "一、工作开展情况"]
    lines += [f"{i}.第{i}项工作。全县新建学校{i}所。" for i in range(1, 301)]
    source.write_text("\n".join(lines), encoding="utf-8")
    result = run("import", source, "-o", tmp_path / "f.yaml", cwd=tmp_path, seconds=60)
    assert result.kind == "ok", result.err
    assert "指标 300 个" in result.out, result.out
    assert "新建学校数99:" in (tmp_path / "f.yaml").read_text(encoding="utf-8")
    assert "新建学校数101:" in (tmp_path / "f.yaml").read_text(encoding="utf-8")


NOT_UTF8 = os.fsdecode(b"\xb1\xa8\xb8\xe6")  # 报告 in GBK: a name from a Windows zip


def test_file_names_that_are_not_utf8_or_start_with_a_dash(tmp_path, good):
    odd = tmp_path / f"-{NOT_UTF8} (1)\n.docx"
    shutil.copyfile(good, odd)
    result = run("import", odd, cwd=tmp_path)  # the facts file beside it, same odd name
    assert result.kind == "ok", result.err
    assert "\ufffd" in result.out
    assert "district:" in odd.with_suffix(".yaml").read_text(encoding="utf-8")  # the facts
    broken = tmp_path / f"{NOT_UTF8}.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = run("import", broken, "-o", tmp_path / "x.yaml", cwd=tmp_path)
    assert_clean_error(result, "\ufffd.docx", "损坏", root=tmp_path)
    result = run("import", good, "-o", tmp_path / f"{NOT_UTF8}.yaml", cwd=tmp_path)
    assert result.kind == "ok", result.err
    assert "district:" in (tmp_path / f"{NOT_UTF8}.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("text", "fragment"), [
    pytest.param("year: [\n", "第1行", id="yaml-error"),
    pytest.param("", "顶层", id="empty"),
    pytest.param("- a\n- b\n", "顶层", id="a-list"),
    pytest.param(MINIMAL_FACTS.replace("year: 2022", "year: abc"), "第3行", id="invalid"),
    pytest.param(MINIMAL_FACTS.replace("date: 2022-12-13", "date: 2022-02-30"), "第9行",
                 id="impossible-date"),
    pytest.param(None, "找不到", id="missing"),
    pytest.param(b"\xb1\xa8\xb8\xe6: 1\n", "UTF-8", id="gbk"),
])  # fmt: skip
def test_import_into_a_bad_facts_file(tmp_path, good, text, fragment):
    target = tmp_path / "2022.yaml"
    if isinstance(text, bytes):
        target.write_bytes(text)
    elif text is not None:
        target.write_text(text, encoding="utf-8")
    before = files_in(tmp_path)
    result = run("import", good, "--into", target, cwd=tmp_path)
    assert_clean_error(result, "2022.yaml", fragment, root=tmp_path)
    assert files_in(tmp_path) == before  # no backup, no temp file


# --- read-only folders -------------------------------------------------------------------------


@pytest.fixture
def shared() -> Iterator[tuple[Path, int | None]]:
    """A folder another user can reach, and that user (root writes anywhere: run as nobody)."""
    folder = Path(tempfile.mkdtemp(prefix="drafter-ro-"))
    folder.chmod(0o755)
    try:
        yield folder, (65534 if os.getuid() == 0 else None)
    finally:
        for path in folder.rglob("*"):
            path.chmod(0o755)
        shutil.rmtree(folder)


def test_a_read_only_target_folder(shared, good):
    folder, user = shared
    for name, source in (("r.docx", good), ("2022.yaml", SAMPLE["jiangbei"])):
        shutil.copyfile(source, folder / name)
        (folder / name).chmod(0o644)
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    for argv in (("import", folder / "r.docx", "-o", locked / "f.yaml"),
                 ("sheet", "export", folder / "2022.yaml", "-o", locked / "s.xlsx"),
                 ("lint", folder / "2022.yaml", "--fix", "-o", locked / "x.yaml")):  # fmt: skip
        result = run(*argv, cwd=folder, user=user)
        assert_clean_error(result, str(locked), "没有权限", root=folder)
    assert files_in(locked) == []


# --- drafter check 定稿.docx, drafter lint on Word files -------------------------------------


def assert_checked(result: Result, name: str, fragment: str, root: Path) -> None:
    """`check` lists what it found (on stdout) and exits 1; nothing escapes."""
    assert (result.code == 1 and result.kind == "error") or (
        result.code == 1 and result.err == "" and "检查完毕：错误" in result.out
    ), (result.kind, result.err, result.out)
    text = result.out + result.err
    assert name in text and fragment in text, text
    assert not english_fragments(text, root), text


def _half_xml(name: str, data: bytes) -> bytes:
    return data[: len(data) // 2] if name == "word/document.xml" else data


CHECK_CASES: list[tuple[str, Callable[[Path, Path], Path], str]] = [
    ("truncated", lambda folder, good: write(folder / "定稿.docx",
                                             good.read_bytes()[: good.stat().st_size // 2]),
     "不是有效的 Word 文档"),
    ("half-xml", lambda folder, good: rezipped(good, folder / "定稿.docx", _half_xml), "已损坏"),
    ("no-body", lambda folder, good: rezipped(
        good, folder / "定稿.docx", lambda n, d: None if n == "word/document.xml" else d),
     "已损坏"),
    ("deep-xml", lambda folder, good: rezipped(
        good, folder / "定稿.docx",
        in_body(b"<w:sdt><w:sdtContent>" * 200 + b"</w:sdtContent></w:sdt>" * 200)), "嵌套"),
    ("bomb", lambda folder, good: rezipped(
        good, folder / "定稿.docx", lambda n, d: d + b" " * 60_000_000
        if n == "word/styles.xml" else d), "压缩"),
    ("a-folder", lambda folder, good: mkdir(folder / "定稿.docx"), "文件夹"),
    ("fifo", lambda folder, good: fifo(folder / "定稿.docx"), "管道"),
    ("doc", lambda folder, good: write(folder / "定稿.doc", OLE_MAGIC + os.urandom(600)),
     "另存为 .docx"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "fragment"), [c[1:] for c in CHECK_CASES],
                         ids=[c[0] for c in CHECK_CASES])  # fmt: skip
def test_check_of_a_damaged_docx(tmp_path, good, make, fragment):
    path = make(tmp_path, good)
    result = run("check", path, cwd=tmp_path, seconds=30)
    assert_checked(result, path.name, fragment, tmp_path)


def test_lint_reads_a_doc_and_refuses_locked_or_broken_ones(tmp_path, word97):
    import olefile

    result = run("lint", word97, cwd=tmp_path, seconds=60)  # through LibreOffice
    linted(result, word97)
    locked = tmp_path / "加密.doc"
    shutil.copyfile(word97, locked)
    with olefile.OleFileIO(str(locked), write_mode=True) as ole:
        data = bytearray(ole.openstream("WordDocument").read())
        data[11] |= 0x01  # FibBase.fEncrypted
        ole.write_stream("WordDocument", bytes(data))
    for command in ("lint", "import"):
        assert_clean_error(run(command, locked, cwd=tmp_path), "加密.doc", "密码", root=tmp_path)
    fix = run("lint", word97, "--fix", "-o", tmp_path / "x.yaml", cwd=tmp_path)
    assert_clean_error(fix, "只能修正事实文件", root=tmp_path)
    named = tmp_path / "其实是.yaml"  # a .docx under a facts file's name is linted as Word
    shutil.copyfile(word97.with_suffix(".docx") if word97.with_suffix(".docx").exists()
                    else word97, named)  # fmt: skip
    linted(run("lint", named, cwd=tmp_path, seconds=60), named)


def linted(result: Result, path: Path) -> None:
    """lint read the Word file: its findings by paragraph (exit 1) or none (exit 0)."""
    assert result.err == "" and result.code in (0, 1), (result.kind, result.err)
    if result.code == 0:
        assert result.out.strip() == f"{path}：未发现排版问题。", result.out
    else:
        assert f"{path} 第" in result.out and "段：" in result.out, result.out


def test_a_doc_libreoffice_cannot_convert(tmp_path, word97):
    import olefile

    garbage = tmp_path / "坏.doc"
    shutil.copyfile(word97, garbage)
    with olefile.OleFileIO(str(garbage), write_mode=True) as ole:
        size = len(ole.openstream("WordDocument").read())
        ole.write_stream("WordDocument", bytes(12) + os.urandom(size - 12))
    result = run("import", garbage, "-o", tmp_path / "out" / "f.yaml", cwd=tmp_path, seconds=60)
    assert_clean_error(result, "坏.doc", root=tmp_path)
    assert files_in(tmp_path / "out") == []



@FAST
@given(st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), min_size=1,
                max_size=4))  # fmt: skip
def test_a_damaged_document_xml_never_crashes_import(tmp_path, good, edits):
    def change(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        for where, bits in edits:
            at = int(where * len(data))
            data = data[:at] + bits + data[at + len(bits):]
        return data

    folder = tmp_path / f"d{abs(hash(repr(edits)))}"
    folder.mkdir()
    source = rezipped(good, folder / "报告.docx", change)
    result = run("import", source, "-o", folder / "f.yaml", cwd=folder, seconds=30)
    if result.kind != "ok":
        assert_clean_error(result, "报告.docx", root=tmp_path)
        assert not (folder / "f.yaml").exists()
    checked = run("check", source, cwd=folder, seconds=30)  # findings, never a fault
    assert checked.code in (0, 1) and checked.kind in ("ok", "error", "exit 1"), checked.err
    assert checked.err == "" and "检查完毕" in checked.out, checked.out
    assert not english_fragments(checked.out, tmp_path), checked.out


def test_an_import_too_large_to_read_back_is_not_written():
    """The facts of a report at MAX_CHARS dense with figures could pass 2 MB: refused."""
    from drafter.errors import SourceError
    from drafter.reading.facts_writer import readable

    assert readable("district: 江北区\n", Path("r.docx")) == "district: 江北区\n"
    with pytest.raises(SourceError, match="超过事实文件的上限 2,048 KB") as raised:
        readable("x" * (2 * 1024 * 1024 + 1), Path("r.docx"))
    assert raised.value.problems[0].file == Path("r.docx")
