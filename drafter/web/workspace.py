"""The served folder: which facts files it holds, safe paths into it, and saving with history.

Every path a browser names is relative to the served folder and is checked here before any
file is touched: no absolute paths, no `..`, nothing hidden, and a path whose real location
(symlinks followed) lies outside the folder is refused. Every save is atomic, keeps the
previous content in `.drafter-history/`, and is refused when the file changed since the page
read it (the version token is a hash of the file's bytes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from drafter.output import atomic_write

HISTORY = ".drafter-history"
_YEAR = re.compile(r"\d{4}")
_STAMP = "%Y%m%d-%H%M%S-%f"


class WebError(Exception):
    """A refusal the page shows in Chinese, with the HTTP status it answers with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class Conflict(WebError):
    def __init__(self) -> None:
        super().__init__(
            "保存被拒绝：这个事实文件在您打开页面之后已在别处（另一个标签页或命令行）被修改。"
            "为免覆盖那次修改，本次没有写入；您输入的文字仍保留在页面上，请先复制，"
            "再刷新页面，在最新的内容上重新修改。",
            409,
        )


def version_of(data: bytes) -> str:
    """The token a form carries: changes whenever the file's bytes change."""
    return hashlib.sha256(data).hexdigest()[:20]


@dataclass(frozen=True)
class Report:
    """One facts file of the folder: <区县>/<年度>.yaml."""

    rel: str  # posix path relative to the served folder
    district: str
    year: str
    path: Path


@dataclass(frozen=True)
class HistoryEntry:
    name: str
    when: str  # as the page shows it
    size: int


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    # ------------------------------------------------------------------ paths

    def resolve(self, rel: str, *, must_exist: bool = True) -> Path:
        """The file `rel` names inside the folder, or a WebError (403/404) in Chinese."""
        refused = WebError("拒绝访问：只能打开所服务文件夹中的文件", 403)
        if not rel or "\\" in rel or "\x00" in rel:
            raise refused
        pure = PurePosixPath(rel)
        if pure.is_absolute() or re.match(r"^[A-Za-z]:", rel):
            raise refused
        if any(part in ("", ".", "..") or part.startswith(".") for part in pure.parts):
            raise refused
        path = self.root.joinpath(*pure.parts)
        real = path.resolve()
        if real != self.root and self.root not in real.parents:
            raise refused  # a symlink pointing out of the folder
        if must_exist and not real.is_file():
            raise WebError("找不到这个文件：可能已被移动或删除，请回到首页刷新", 404)
        return path

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def reports(self) -> list[Report]:
        """Every <区县>/<年度>.yaml (the layout `drafter batch` reads), sorted."""
        from drafter.batch import _yaml_files

        found = []
        for path in sorted(_yaml_files(self.root)):
            relative = path.relative_to(self.root)
            if not _YEAR.fullmatch(path.stem) or len(relative.parts) < 2:
                continue
            if path.resolve() != self.root / relative and self.root not in path.resolve().parents:
                continue  # symlinked out of the folder: never listed
            found.append(Report(relative.as_posix(), relative.parent.as_posix(), path.stem, path))
        return found

    def report(self, rel: str) -> Report:
        path = self.resolve(rel)
        if path.suffix not in (".yaml", ".yml") or not _YEAR.fullmatch(path.stem):
            raise WebError("这不是事实文件（应为 <区县>/<年度>.yaml）", 404)
        relative = PurePosixPath(rel)
        return Report(rel, relative.parent.as_posix(), path.stem, path)

    # ------------------------------------------------------------------ reading and saving

    @staticmethod
    def read(path: Path) -> tuple[str, str]:
        """(text, version) of a facts file."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise WebError("找不到这个文件：可能已被移动或删除，请回到首页刷新", 404) from None
        except PermissionError:
            raise WebError(f"无法读取文件 {path.name}：没有读取权限", 403) from None
        except OSError as exc:
            raise WebError(f"无法读取文件 {path.name}：{exc.strerror}", 500) from None
        return data.decode("utf-8-sig", errors="replace"), version_of(data)

    def read_for_edit(self, path: Path) -> str:
        """The text of a facts file about to be edited in place: refused when it is not UTF-8
        (the round trip would replace what it cannot read) or too large to be a facts file."""
        from drafter.facts.yaml_read import MAX_YAML_BYTES

        text, _ = self.read(path)
        if "\ufffd" in text and "\ufffd".encode() not in path.read_bytes():
            raise WebError(f"{self.rel(path)} 不是 UTF-8 编码，网页不能修改它（以免改坏无法识别的"
                           "文字）：请用文本编辑器以 UTF-8 编码另存后再修改", 400)
        if len(text.encode()) > MAX_YAML_BYTES:
            raise WebError(f"{self.rel(path)} 太大（超过 {MAX_YAML_BYTES // 1024 // 1024} MB），"
                           "不像是事实文件，网页不修改它", 400)
        return text

    def save(self, path: Path, text: str, version: str | None) -> str:
        """Write `text` over `path` if it is still at `version`; the old content goes to the
        history first. Returns the new version."""
        try:
            old = path.read_bytes()
        except FileNotFoundError:
            old = None
        data = text.encode("utf-8")
        if old == data:
            return version_of(data)  # nothing would change (a repeated save): never a conflict
        if old is None and version is not None:  # deleted (or moved) since the page read it
            raise WebError(
                "保存被拒绝：这个事实文件在您打开页面之后已被删除或移走，本次没有写入（以免在原处"
                "重新建出旧文件）。您输入的文字仍保留在页面上，请先复制，再回到首页。", 409,
            )  # fmt: skip
        if old is not None and (version is None or version != version_of(old)):
            raise Conflict()
        if old is not None:
            self._keep(path, old)
        try:
            atomic_write(path, data)
        except Exception as exc:  # OutputError: already Chinese
            raise WebError(str(exc), 500) from None
        return version_of(data)

    def _history_dir(self, path: Path) -> Path:
        return self.root / HISTORY / self.rel(path)

    def _keep(self, path: Path, data: bytes) -> None:
        folder = self._history_dir(path)
        stamp = dt.datetime.now().strftime(_STAMP)
        atomic_write(folder / f"{stamp}{path.suffix}", data)

    def history(self, path: Path) -> list[HistoryEntry]:
        folder = self._history_dir(path)
        if not folder.is_dir():
            return []
        entries = []
        for item in sorted(folder.iterdir(), reverse=True):
            try:
                when = dt.datetime.strptime(item.stem, _STAMP)
            except ValueError:
                continue
            entries.append(
                HistoryEntry(item.name, when.strftime("%Y年%m月%d日 %H:%M:%S"), item.stat().st_size)
            )
        return entries

    def history_text(self, path: Path, name: str) -> str:
        if not re.fullmatch(r"\d{8}-\d{6}-\d{6}\.ya?ml", name):
            raise WebError("没有这个历史版本", 404)
        item = self._history_dir(path) / name
        if not item.is_file():
            raise WebError("没有这个历史版本", 404)
        return item.read_text(encoding="utf-8-sig")

    def restore(self, path: Path, name: str, version: str | None) -> str:
        """Put a history version back (the current content goes to the history first)."""
        return self.save(path, self.history_text(path, name), version)
