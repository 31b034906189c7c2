"""Writing drafts safely: atomically, and never over a file someone has edited.

A draft drafter wrote carries a fingerprint of its content (drafter/word/fingerprint.py).
Re-drafting over it is fine while the fingerprint still matches; once someone has edited
and saved it in Word or WPS, or the file was never drafter's, we refuse unless asked to
`--force`, and then keep the old file as a backup beside the new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from drafter.errors import OutputError


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: all or nothing.

    A crash or Ctrl-C mid-write leaves the previous file as it was.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError.one(f"无法在该文件夹中写入：{exc.strerror}", folder) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError.one(
            f"写入失败：{exc.strerror}（若文件正在 Word/WPS 中打开，请先关闭）", path
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def backup_path(path: Path) -> Path:
    """A free name beside `path` for its backup: NAME.备份-YYYYMMDD-HHMMSS[-N].EXT."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.备份-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.备份-{stamp}-{n}{path.suffix}")
    return candidate


def write_draft(
    path: Path,
    data: bytes,
    status_of: Callable[[Path], str],
    force: bool = False,
) -> Path | None:
    """Write the draft; return the backup made of an edited file, if any.

    `status_of(path)` says whether an existing file is "unchanged" since drafter wrote it,
    "edited", or "foreign" (not drafter's).
    """
    backup = None
    if path.exists():
        status = status_of(path)
        if status != "unchanged":
            if not force:
                why = (
                    "是 drafter 生成后又被修改过的稿子"
                    if status == "edited"
                    else "不是 drafter 生成的文件"
                )
                raise OutputError.one(
                    f"目标文件已存在，且{why}；为免覆盖您的修改，已停止。"
                    "请用 -o 指定另一个文件名，或加 --force 覆盖（旧文件会先另存为备份）"
                    "；若要把 Word 中的修改写回事实文件，请用 drafter import 该稿 --into 事实文件",
                    path,
                )
            backup = backup_path(path)
            try:
                previous = path.read_bytes()
            except OSError as exc:
                raise OutputError.one(f"无法备份旧文件：{exc.strerror}", path) from None
            # A copy, not a move: if writing the new draft then fails, the old file is
            # still where the user left it.
            atomic_write(backup, previous)
    atomic_write(path, data)
    return backup
