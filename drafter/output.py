"""Writing drafts safely: atomically, and never over a file someone has edited.

A draft drafter wrote carries a fingerprint of its content (drafter/word/fingerprint.py).
Re-drafting over it is fine while the fingerprint still matches; once someone has edited
and saved it in Word or WPS, or the file was never drafter's, we refuse unless asked to
`--force`, and then keep the old file as a backup beside the new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from drafter.errors import OutputError, os_reason


def current_umask() -> int:
    """The process umask, read without changing it where Linux tells (/proc), else swapped."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(path: Path) -> int:
    """The mode a file written at `path` gets: the existing file's (an overwrite keeps it),
    else what the umask allows for a new file (0644 under umask 022), as `open` would."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write via a temporary file in the same folder and rename: all or nothing.

    A crash or Ctrl-C mid-write leaves the previous file as it was. The file gets `mode`,
    by default file_mode(path): mkstemp's own 0600 would lock colleagues out of a draft.
    """
    folder = path.parent
    wanted = file_mode(path) if mode is None else mode
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on the way
        raise OutputError.one(f"无法在该文件夹中写入：{os_reason(exc)}", folder) from None
    try:
        if hasattr(os, "fchmod"):  # POSIX; on Windows the file keeps its default rights
            os.fchmod(fd, wanted)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError.one(
            f"写入失败：{os_reason(exc)}（若文件正在 Word/WPS 中打开，请先关闭）", path
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


STALE_TEMP_SECONDS = 10 * 60  # a temporary file this old beside a target was left by a kill


def remove_stale_temps(path: Path) -> None:
    """Remove the user's `.NAME.*.tmp` files beside `path` older than STALE_TEMP_SECONDS:
    what a write killed with kill -9 (or a power cut) left behind."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for candidate in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            info = candidate.lstat()
            mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
            if stat.S_ISREG(info.st_mode) and mine and info.st_mtime < cutoff:
                candidate.unlink()


def atomic_create(path: Path, data: bytes, exists_message: str) -> None:
    """Write a new file, all or nothing, never over one that exists, even one created a
    moment ago: a complete temporary file is hard-linked to the name, which fails if the
    name is taken (where hard links are not supported, the name is created with O_EXCL)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except (OSError, RuntimeError) as exc:
        raise OutputError.one(f"无法在该文件夹中写入：{os_reason(exc)}", folder) from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise OutputError.one(exists_message, path) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            _create_exclusive(path, data, exists_message)
    except OSError as exc:
        raise OutputError.one(f"写入失败：{os_reason(exc)}", path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _create_exclusive(path: Path, data: bytes, exists_message: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise OutputError.one(exists_message, path) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


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
                raise OutputError.one(f"无法备份旧文件：{os_reason(exc)}", path) from None
            # A copy, not a move: if writing the new draft then fails, the old file is
            # still where the user left it.
            atomic_write(backup, previous, file_mode(path))
    atomic_write(path, data)
    return backup
