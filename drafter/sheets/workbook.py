"""Opening a filled-in .xlsx for `drafter sheet import`, within bounds, before openpyxl sees
it: a plain file of at most 20 MB, an archive that is not a zip bomb (parts checked before
anything is inflated), at most 20 MB of XML in all, sheets of at most 5 MB and 20,000 rows;
an old .xls, a password-protected workbook or a damaged one is a Chinese error naming the
file.

The workbook is read twice, for the values Excel saved (`data_only`) and for the formulas,
so that a formula saved without its result is an error rather than an empty cell.
"""

from __future__ import annotations

import stat
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.errors import os_reason
from drafter.sheets import SheetError

MAX_FILE = 20 * 1024 * 1024  # drafter's own export of a large facts file is ~50 kB
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_SHEET_XML = 5 * 1024 * 1024  # one sheet's XML unzipped: ~30,000 filled rows
MAX_XML = 20 * 1024 * 1024  # all the XML parts together (openpyxl reads them twice)
MAX_MEMBERS = 1_000
MAX_RATIO = 100  # XML compresses ~10×; far beyond that is a zip bomb
MAX_ROWS = 20_000  # a facts file has tens to hundreds of metrics
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_XLSX = "无法读取：不是 .xlsx 电子表格（请在 Excel 或 WPS 中另存为 .xlsx）"
DAMAGED = "无法读取：文件已损坏或不完整（请在 Excel 或 WPS 中打开后另存为 .xlsx）"
TOO_LARGE = "表格太大（解压后超过 {} MB），不像是 drafter sheet export 导出的表格，drafter 不读取"


@dataclass
class Book:
    """The two readings of one workbook."""

    values: Any  # openpyxl Workbook, data_only: what Excel computed and saved
    formulas: Any  # the same workbook with formulas as typed ("=B2*2")

    @property
    def sheetnames(self) -> list[str]:
        return list(self.values.sheetnames)


def open_book(path: Path) -> Book:
    """The workbook at `path`, or a SheetError that names it."""
    _check_file(path)
    _check_archive(path)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # openpyxl warns in English about what it skips
            warnings.simplefilter("ignore")
            values = load_workbook(path, data_only=True)
            formulas = load_workbook(path, data_only=False)
    except MemoryError:
        raise SheetError.one(TOO_LARGE.format(MAX_UNZIPPED // 1024 // 1024), path) from None
    except Exception:  # openpyxl raises anything on a damaged part
        raise SheetError.one(DAMAGED, path) from None
    for sheet in values.worksheets:
        if sheet.max_row > MAX_ROWS:
            raise SheetError.one(
                f"工作表“{sheet.title}”有 {sheet.max_row:,} 行（第 {sheet.max_row:,} 行有内容"
                f"或格式），最多 {MAX_ROWS:,} 行；请删去多余的行后重试", path,
            )  # fmt: skip
    return Book(values, formulas)


def _check_file(path: Path) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SheetError.one("找不到电子表格文件", path) from None
    except (OSError, RuntimeError) as exc:
        raise SheetError.one(f"无法读取电子表格文件：{os_reason(exc)}", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise SheetError.one("这是一个文件夹，不是电子表格文件", path)
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise SheetError.one("不是普通文件（可能是管道或设备），drafter 不读取", path)
    if info.st_size > MAX_FILE:
        raise SheetError.one(f"文件超过 {MAX_FILE // 1024 // 1024} MB，不像是 drafter sheet export "
                             "导出的表格，drafter 不读取", path)  # fmt: skip
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise SheetError.one(f"无法读取电子表格文件：{os_reason(exc)}", path) from None
    if head.startswith(OLE_MAGIC):
        raise SheetError.one(_ole_kind(path), path)
    if not head.startswith(b"PK"):
        raise SheetError.one(NOT_XLSX, path)


def _ole_kind(path: Path) -> str:
    """An OLE file: an encrypted .xlsx or an old .xls (neither can be read)."""
    try:
        import olefile

        with olefile.OleFileIO(str(path)) as ole:
            encrypted = ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
    except Exception:  # a damaged OLE file: say what it looks like
        encrypted = False
    if encrypted:
        return ("表格设有打开密码，drafter 无法读取：请在 Excel/WPS 中去掉密码（文件→信息→"
                "保护工作簿）后另存为 .xlsx 再导入")  # fmt: skip
    return "这是旧版 .xls 表格（或已损坏），drafter 只读 .xlsx：请在 Excel 或 WPS 中另存为 .xlsx"


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise SheetError.one(DAMAGED, path) from None
    total = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNZIPPED:
        raise SheetError.one(TOO_LARGE.format(MAX_UNZIPPED // 1024 // 1024), path)
    if sum(m.file_size for m in members if m.filename.lower().endswith(".xml")) > MAX_XML:
        raise SheetError.one(TOO_LARGE.format(MAX_XML // 1024 // 1024), path)
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise SheetError.one(NOT_XLSX, path)
    for m in members:
        if m.flag_bits & 0x1:
            raise SheetError.one("表格设有密码，drafter 无法读取：请去掉密码后另存为 .xlsx", path)
        if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise SheetError.one("表格的压缩内容异常（可能是恶意构造的压缩包），drafter 不读取",
                                 path)  # fmt: skip
        if m.file_size > MAX_SHEET_XML and m.filename.lower().endswith(".xml"):
            raise SheetError.one(TOO_LARGE.format(MAX_SHEET_XML // 1024 // 1024), path)
        if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SheetError.one(DAMAGED, path)


def is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


__all__ = ["MAX_ROWS", "Book", "is_formula", "open_book"]
