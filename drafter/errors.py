"""The one error family users see. The CLI is the only place that catches and prints them."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path

_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` as a terminal or a UTF-8 file can take it: a file name's bytes that are not
    UTF-8 (Python keeps them as lone surrogates) are shown as U+FFFD (�)."""
    return _SURROGATE.sub("\ufffd", text)


@dataclass
class Problem:
    """One thing wrong with the user's input, located as precisely as we can."""

    message: str  # plain Chinese, says what is wrong and, where possible, how to fix it
    file: Path | str | None = None
    line: int | None = None
    where: str | None = None  # a field path (notice.number) or a template name

    def __str__(self) -> str:
        place = ""
        if self.file is not None:
            place = str(self.file)
            if self.line is not None:
                place += f" 第{self.line}行"
            place += "："
        if self.where:
            place += f"[{self.where}] "
        return printable(place + self.message)


@dataclass
class DrafterError(Exception):
    """A user-caused error: bad YAML, a wrong fact, a broken template or profile."""

    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def one(
        cls,
        message: str,
        file: Path | str | None = None,
        line: int | None = None,
        where: str | None = None,
    ) -> DrafterError:
        return cls([Problem(message, file, line, where)])

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class FactsError(DrafterError):
    """The facts file cannot be read or does not validate."""


class ProfileError(DrafterError):
    """A structure profile is missing, malformed or names an unknown section."""


class TemplateError(DrafterError):
    """A section template is missing, has a syntax error or fails while rendering."""


class OutputError(DrafterError):
    """The draft cannot be written where asked (exists and was edited, no permission…)."""


class SourceError(DrafterError):
    """A file given to `drafter import` cannot be read as a report (wrong kind, locked…)."""


# errno → what the user is told (exc.strerror is English and depends on the C library).
_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.ELOOP: "符号链接循环（链接指向自己）",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EEXIST: "文件已存在",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.EXDEV: "不能跨磁盘移动",
    errno.EINVAL: "文件名无效",
    errno.EIO: "读写设备出错",
    errno.EMFILE: "打开的文件太多",
    errno.EDQUOT: "超出磁盘配额",
}


def os_reason(exc: BaseException) -> str:
    """A Chinese reason for an OSError (or a RuntimeError from a symlink loop)."""
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    if isinstance(exc, RuntimeError) and "loop" in str(exc).lower():
        return _OS_REASONS[errno.ELOOP]
    code = getattr(exc, "errno", None)
    return f"系统错误（错误码 {code}）" if code else "系统错误"
