"""`drafter.yaml`: a folder's standing options, so a bureau drafts its own way by default.

A drafter.yaml beside a facts file, or in any folder above it, sets what would otherwise be
typed on every command line:

    templates: 模板              # folder(s) of the bureau's templates
    sections: 方案               # folder(s) of the bureau's structure profiles
    profile: house               # structure profile (a name, or a .yaml path)
    reference_doc: 本局样式.docx  # reference document for styles and page setup
    standards: 标准              # folder(s) of the bureau's own standards tables

Paths are relative to the drafter.yaml's folder. The nearest drafter.yaml wins (they are not
merged). Command-line options win over it: --profile and --reference-doc replace its
values, --templates and --sections folders are searched before its folders.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from drafter.errors import DrafterError, Problem
from drafter.facts.load import located_problems, read_yaml

CONFIG_NAME = "drafter.yaml"
WHAT = "配置文件"


class ConfigError(DrafterError):
    """A drafter.yaml that cannot be read, does not validate, or names a missing path."""


def _as_list(value: Any) -> Any:
    """One folder may be written without the list brackets."""
    return [value] if isinstance(value, str) else value


Folders = Annotated[list[str], BeforeValidator(_as_list)]


class Config(BaseModel):
    """The fields of drafter.yaml (every one optional)."""

    # Built on first use: most runs find no drafter.yaml.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    templates: Folders = Field(
        default_factory=list, title="模板文件夹",
        description="自定义模板所在的文件夹（一个或多个），其中的模板优先于默认模板",
    )  # fmt: skip
    sections: Folders = Field(
        default_factory=list, title="结构方案文件夹",
        description="自定义结构方案（.yaml）所在的文件夹（一个或多个）",
    )  # fmt: skip
    standards: Folders = Field(
        default_factory=list, title="标准表文件夹",
        description="本地标准表（.yaml，格式同 standards/）所在的文件夹：其中的表都适用，同名覆盖",
    )  # fmt: skip
    profile: str | None = Field(
        None, title="结构方案",
        description="结构方案名或 .yaml 路径；写了则优先于事实文件中的 profile",
    )  # fmt: skip
    reference_doc: str | None = Field(
        None, title="参考样式文档",
        description="参考样式文档（.docx）：报告采用其中的样式和页面设置",
    )  # fmt: skip


@dataclass(frozen=True)
class Customisation:
    """Which templates, profiles and styles a draft uses (command line + drafter.yaml)."""

    profile: str | None = None
    template_dirs: tuple[Path, ...] = ()
    profile_dirs: tuple[Path, ...] = ()
    reference_doc: Path | None = None
    config: Path | None = None  # the drafter.yaml that was applied, if any
    standard_dirs: tuple[Path, ...] = ()


def find_config(start: Path) -> Path | None:
    """The nearest drafter.yaml in `start` (a folder, or a file's folder) or above it,
    relative to the working folder when it is below it (as the user would type it)."""
    folder = Path(os.path.abspath(start))
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            why = untrusted(path)
            if why is not None:
                _warn_once(f"警告：已忽略 {path}：{why}（drafter.yaml 只从您自己或 root 所有、"
                           "且不是人人可写的文件夹中读取）")  # fmt: skip
                continue
            try:
                return path.relative_to(Path.cwd())
            except ValueError:
                return path
    return None


def untrusted(path: Path) -> str | None:
    """Why a drafter.yaml must not be used, or None: it and its folder must belong to this
    user or root, and neither may be writable by everyone (a planted config in /tmp …)."""
    if not hasattr(os, "getuid"):
        return None  # Windows: no owners to compare
    trusted = {os.getuid(), 0}
    try:
        for what, info in (("所在文件夹", path.parent.stat()), ("文件", path.stat())):
            if info.st_uid not in trusted:
                return f"{what}属于其他用户"
            if info.st_mode & stat.S_IWOTH:
                return f"{what}人人可写"
    except (OSError, RuntimeError):
        return "无法查看文件的所有者"
    return None


@lru_cache(maxsize=64)
def _warn_once(message: str) -> None:
    print(message, file=sys.stderr)


def load_config(path: Path) -> Customisation:
    """Read and check one drafter.yaml; its paths are taken relative to its folder."""
    stat = path.stat()
    return _load(path, path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load(path: Path, _resolved: Path, _mtime: int, _size: int) -> Customisation:
    # Cached per file version: a batch asks once per facts file.
    located = read_yaml(path, WHAT)
    data = {} if located.data is None else located.data
    if not isinstance(data, dict):
        raise ConfigError.one(f"{WHAT}的顶层应是“字段: 值”的映射", path, 1)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(located_problems(exc, located, Config)) from None
    base = path.parent
    problems: list[Problem] = []

    def existing(field: str, value: str, index: int | None, kind: str) -> Path:
        target = base / value
        ok = target.is_dir() if kind == "folder" else target.is_file()
        if not ok:
            where = (field,) if index is None else (field, index)
            what = {"folder": "文件夹", "file": "文件"}[kind]
            problems.append(
                Problem(f"找不到{what}“{value}”（相对于 {CONFIG_NAME} 所在的文件夹）", path,
                        located.line_of(where), field)
            )  # fmt: skip
        return target

    templates = tuple(existing("templates", v, i, "folder") for i, v in enumerate(config.templates))
    sections = tuple(existing("sections", v, i, "folder") for i, v in enumerate(config.sections))
    standards = tuple(existing("standards", v, i, "folder") for i, v in enumerate(config.standards))
    reference = None
    if config.reference_doc is not None:
        reference = existing("reference_doc", config.reference_doc, None, "file")
    profile = config.profile
    if profile is not None and Path(profile).suffix in (".yaml", ".yml"):
        profile = str(existing("profile", profile, None, "file"))
    if problems:
        raise ConfigError(problems)
    return Customisation(profile, templates, sections, reference, path, standards)


def customise(near: Path, given: Customisation) -> Customisation:
    """`given` (the command line) completed by the drafter.yaml nearest to `near`."""
    found = find_config(near)
    if found is None:
        return given
    config = load_config(found)
    return Customisation(
        profile=given.profile or config.profile,
        template_dirs=(*given.template_dirs, *config.template_dirs),
        profile_dirs=(*given.profile_dirs, *config.profile_dirs),
        reference_doc=given.reference_doc or config.reference_doc,
        config=found,
        standard_dirs=(*given.standard_dirs, *config.standard_dirs),
    )


def given(args: Any) -> Customisation:
    """What a command's own options ask for (see commands.add_customisation); a folder
    that does not exist is an error, not silently skipped."""
    problems = [
        Problem(f"找不到这个{what}（{option}）", folder)
        for key, option, what in (("templates", "--templates", "模板文件夹"),
                                  ("sections", "--sections", "结构方案文件夹"),
                                  ("standards", "--standards", "标准表文件夹"))
        for folder in getattr(args, key, ())
        if not Path(folder).is_dir()
    ]  # fmt: skip
    if problems:
        raise ConfigError(problems)
    return Customisation(
        profile=getattr(args, "profile", None),
        template_dirs=tuple(getattr(args, "templates", ())),
        profile_dirs=tuple(getattr(args, "sections", ())),
        reference_doc=getattr(args, "reference_doc", None),
        standard_dirs=tuple(getattr(args, "standards", ())),
    )


def from_args(args: Any, near: Path) -> Customisation:
    """A command's options completed by the drafter.yaml nearest to `near`."""
    return customise(near, given(args))
