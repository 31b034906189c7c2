"""Any input file → a SourceDocument, decided by what the file is, not by its name.

.docx is read directly; .doc/.wps/.odt/.rtf go through headless LibreOffice into a
temporary folder; .txt is one paragraph a line. Everything else is refused in Chinese.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
import zipfile
from pathlib import Path

from drafter.errors import SourceError
from drafter.reading.source import (
    MAX_CHARS,
    MAX_PARAGRAPHS,
    SourceDocument,
    SourceParagraph,
    too_long,
)

MAX_FILE = 50 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100  # XML compresses ~10×; far beyond that is a zip bomb
MAX_MEMBERS = 10_000
MAX_XML = 20 * 1024 * 1024  # one XML part unzipped; a 300-page report's document.xml ~5 MB
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUPPORTED = "支持 .docx、.doc、.wps、.odt、.rtf、.txt"
NOT_A_REPORT = f"不是可识别的报告文件（{SUPPORTED}）"
CORRUPT = "文件已损坏或不完整，无法读取"
LOCKED = (
    "文件设有打开密码，drafter 无法读取：请在 Word/WPS 中去掉密码（文件→信息→保护文档）"
    "后另存为 .docx 再导入"
)
NO_OFFICE = (
    "读取 .doc/.wps/.odt/.rtf 文件需要 LibreOffice：Debian/Ubuntu 上运行 apt-get install "
    "libreoffice-writer-nogui，Windows 上安装 LibreOffice；或在 Word/WPS 中另存为 .docx 后导入"
)
PDF = "PDF 文件不能直接导入：请在 Word/WPS 中打开原稿另存为 .docx，或把文字复制到 .txt 后导入"
NO_TEXT = "文件中没有文字：可能是空文件，或只有图片、扫描件；请导入有文字的 Word 文件或 .txt"


def _fail(message: str, path: Path) -> SourceError:
    return SourceError.one(message, file=path)


def _spreadsheet(path: Path) -> SourceError:
    return _fail(
        "文件是电子表格（或演示文稿），不是 Word 报告：请导入上年的自评报告（"
        f"{SUPPORTED[1:]}）",
        path,
    )


def read_source(path: Path, *, timeout: float = 120) -> SourceDocument:
    """Read a report of any supported kind; SourceError (in Chinese) for anything else."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _fail("找不到文件：请检查文件名和所在文件夹", path) from None
    except OSError:
        raise _fail("无法访问文件：没有权限或路径有误", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise _fail("这是一个文件夹，不是文件：请给出报告文件本身", path)
    if not stat.S_ISREG(info.st_mode):  # never open a FIFO or a device: it may block
        raise _fail("不是普通文件（可能是管道或设备），drafter 不读取", path)
    if info.st_size > MAX_FILE:
        raise _fail("文件超过 50 MB，不像是一份自评报告，drafter 不读取", path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        raise _fail("无法打开文件：没有读取权限，或文件正被其他程序占用", path) from None
    if head.startswith(b"PK"):
        document = _read_zip(path, timeout)
    elif head.startswith(OLE_MAGIC):
        document = _read_ole(path, timeout)
    elif head.startswith(b"%PDF"):
        raise _fail(PDF, path)
    elif head.startswith(b"{\\rtf"):
        document = _convert(path, ".rtf", timeout)
    else:
        document = _read_text(path)
    if not any(p.text.strip() for p in document.paragraphs):
        raise _fail(NO_TEXT, path)
    return document


def _check_zip(path: Path) -> list[str]:
    """The member names of an archive that is safe to read (bounded, not a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _fail(CORRUPT, path) from None
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
        raise _fail("文件解压后超过 200 MB，不像是一份自评报告，drafter 不读取", path)
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise _fail("文件的压缩内容异常（可能是恶意构造的压缩包），drafter 不读取", path)
        if m.flag_bits & 0x1:
            raise _fail(LOCKED, path)
        if m.file_size > MAX_XML and m.filename.lower().endswith((".xml", ".rels")):
            size = MAX_XML // 1024 // 1024
            raise _fail(f"文件中的文档内容解压后超过 {size} MB，不像是一份自评报告，drafter 不读取",
                        path)  # fmt: skip
    return [m.filename for m in members]


def _read_zip(path: Path, timeout: float) -> SourceDocument:
    names = _check_zip(path)
    if "word/document.xml" in names or (
        "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
    ):
        from drafter.reading.docx_reader import read_docx  # lxml only for Word files

        return read_docx(path)
    if any(n.startswith(("xl/", "ppt/")) for n in names):
        raise _spreadsheet(path)
    if "mimetype" in names:
        with zipfile.ZipFile(path) as archive:
            mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
        if mimetype == "application/vnd.oasis.opendocument.text":
            return _convert(path, ".odt", timeout)
        if "spreadsheet" in mimetype or "presentation" in mimetype:
            raise _spreadsheet(path)
    raise _fail(NOT_A_REPORT, path)


def _read_ole(path: Path, timeout: float) -> SourceDocument:
    """Word 97–2003 and WPS files (and others in the same container)."""
    import olefile  # imported here: a .docx or .txt import does not need it

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
            word_flags = b""
            if ole.exists("WordDocument"):
                with ole.openstream("WordDocument") as stream:
                    word_flags = stream.read(12)[10:12]
    except (OSError, ValueError, EOFError, IndexError, NotImplementedError):
        raise _fail(CORRUPT, path) from None
    if streams & {"EncryptedPackage", "EncryptionInfo"}:
        raise _fail(LOCKED, path)
    if len(word_flags) == 2 and int.from_bytes(word_flags, "little") & 0x0100:
        raise _fail(LOCKED, path)  # FibBase.fEncrypted: a .doc with an opening password
    if streams & {"Workbook", "Book", "PowerPoint Document"}:
        raise _spreadsheet(path)
    return _convert(path, ".doc", timeout)


def _read_text(path: Path) -> SourceDocument:
    data = path.read_bytes()
    text: str | None = None
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decode(data[3:], "utf-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data, "utf-16")
    elif b"\x00" not in data:
        text = _decode(data, "utf-8")
        if text is None:
            text = _decode(data, "gb18030")
    controls = sum(1 for c in text or "" if ord(c) < 32 and c not in "\t\n\r\f")
    if text is None or controls > 0.01 * len(text) + 2:
        raise _fail(NOT_A_REPORT, path)
    lines = text.splitlines()
    if len(lines) > MAX_PARAGRAPHS or len(text) > MAX_CHARS:
        raise _fail(too_long(), path)
    paragraphs = [
        SourceParagraph(text=line.rstrip(), number=n)
        for n, line in enumerate(lines, start=1)
        if line.strip()
    ]
    return SourceDocument(path=path, paragraphs=paragraphs, kind="txt")


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def find_soffice() -> str | None:
    """LibreOffice's command, wherever the usual installs put it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    if sys.platform == "win32":
        for root in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            if root:
                candidates.append(Path(root) / "LibreOffice" / "program" / "soffice.exe")
    return next((str(c) for c in candidates if c.is_file()), None)


def _convert(path: Path, suffix: str, timeout: float) -> SourceDocument:
    """Convert with headless LibreOffice in a throwaway folder (own profile, own HOME)."""
    soffice = find_soffice()
    if soffice is None:
        raise _fail(NO_OFFICE, path)
    with tempfile.TemporaryDirectory(prefix="drafter-import-") as tmp:
        work = Path(tmp)
        # A plain copy: the user's name may start with "-" or have the wrong extension,
        # and LibreOffice picks its filter by the extension
        source = work / f"source{suffix}"
        shutil.copyfile(path, source)
        out = work / "out"
        command = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
            "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "docx", "--outdir", str(out), str(source),
        ]
        env = {**os.environ, "HOME": tmp, "TMPDIR": tmp, "TMP": tmp, "TEMP": tmp}
        _run(command, env, timeout, path)
        produced = out / "source.docx"
        if not produced.is_file():
            raise _fail(
                "LibreOffice 未能转换此文件：文件可能已损坏或设有密码；请在 Word/WPS 中另存为 "
                ".docx 后导入",
                path,
            )
        _check_zip(produced)
        from drafter.reading.docx_reader import read_docx

        document = read_docx(produced)
    notes = ["已用 LibreOffice 转换为 .docx 后读入", *document.notes]
    return SourceDocument(path=path, paragraphs=document.paragraphs, notes=notes, kind="converted")


def _run(command: list[str], env: dict[str, str], timeout: float, path: Path) -> None:
    import signal
    import subprocess  # imported here: only a conversion starts a process

    windows = sys.platform == "win32"
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env=env, start_new_session=not windows,
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0) if windows else 0,
        )
    except OSError:
        raise _fail(NO_OFFICE, path) from None
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        if windows:
            process.kill()
        else:  # soffice starts helpers: end the whole group it leads
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise _fail(
            f"转换超时：LibreOffice 在 {timeout:g} 秒内没有完成转换；请在 Word/WPS 中另存为 "
            ".docx 后导入",
            path,
        ) from None
