"""Structure profiles: which sections a report has, in what order, and how each is headed.

A profile is a YAML file in `sections/` (or a user's folder). It may extend another
profile and then override sections by id (any field), remove them (`remove: true`), add
new ones, and reorder them (`order: [id, …]`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drafter.errors import Problem, ProfileError
from drafter.facts.load import Located, located_problems, read_yaml
from drafter.resources import shipped_dir


class Section(BaseModel):
    """One section of the report and how its template should lay it out."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(title="编号", description="部分的编号，如 achievements；用于覆盖和排序")
    template: str | None = Field(
        None, title="模板", description="渲染这一部分的模板文件；不填则为 <编号>.j2"
    )
    heading: str | None = Field(None, title="标题", description="一级标题文字（不含序号）")
    item_level: int = Field(
        2, ge=1, le=4, title="条目层级", description="条目从第几级标题开始：2 为（一），3 为 1."
    )
    run_in: bool = Field(
        True, title="标题接排", description="三、四级标题是否与正文接排（“1.标题。正文……”）"
    )
    continuous: list[int] = Field(
        default_factory=list,
        title="连续编号",
        description="哪些层级的序号跨上级连续编排，如 [3] 使 1.—18. 跨（一）（二）连续",
    )
    options: dict[str, Any] = Field(
        default_factory=dict, title="模板选项", description="交给模板的其他设置"
    )
    remove: bool = Field(False, title="删除", description="在继承的方案中删去这一部分")

    @property
    def template_name(self) -> str:
        return self.template or f"{self.id}.j2"


class Grade(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at_least: Decimal = Field(title="最低分", description="达到此分数即为该等级")
    grade: str = Field(title="等级", description="如“A等”")


class Scoring(BaseModel):
    """How the scheme totals a self-assessment by 测评点 (e.g. 浙江: 24项，满分100，A等≥90)."""

    model_config = ConfigDict(extra="forbid")

    points: int | None = Field(None, ge=1, title="测评点数", description="方案中的测评点总数")
    base: Decimal = Field(Decimal(100), title="基础分", description="扣分制的满分")
    grades: list[Grade] = Field(
        default_factory=list, title="等级划分", description="从高到低：分数达到 at_least 即为该等级"
    )

    def grade_of(self, total: Decimal) -> str | None:
        for band in sorted(self.grades, key=lambda g: g.at_least, reverse=True):
            if total >= band.at_least:
                return band.grade
        return None


class Profile(BaseModel):
    """A report structure: title pattern, where the signature goes, the sections."""

    model_config = ConfigDict(extra="forbid")

    description: str = Field("", title="说明", description="一句话说明这个方案适用于哪里")
    extends: str | None = Field(None, title="继承", description="在哪个方案的基础上修改")
    title: str | None = Field(None, title="标题模式", description="报告标题的模板")
    signature: Literal["top", "bottom"] | None = Field(
        None, title="落款位置", description="bottom：正文之后；top：标题之下"
    )
    order: list[str] | None = Field(None, title="顺序", description="各部分的顺序（编号列表）")
    standards: list[str] | None = Field(
        None, title="标准表", description="适用的标准表（standards/ 中的文件名），后者覆盖前者"
    )
    scoring: Scoring | None = Field(None, title="计分办法", description="测评点计分和等级划分")
    sections: list[Section] = Field(default_factory=list, title="部分", description="报告各部分")


class ResolvedProfile(BaseModel):
    """A profile with its inheritance applied: everything the composer needs."""

    name: str
    description: str
    title: str
    signature: Literal["top", "bottom"]
    sections: list[Section]
    standards: list[str]
    scoring: Scoring | None
    source: Path
    origins: dict[str, tuple[Path, int | None]]  # section id → where it was last defined
    files: list[Path] = []  # the profile files applied, the named one first

    @property
    def template_dirs(self) -> list[Path]:
        """The `templates/` folder beside each user profile file (nearest first): a bureau
        keeps its profile and the templates it changes together."""
        shipped = shipped_dir("sections").resolve()
        dirs: list[Path] = []
        for file in self.files:
            folder = file.parent / "templates"
            if file.parent.resolve() != shipped and folder.is_dir() and folder not in dirs:
                dirs.append(folder)
        return dirs


def profile_dirs(user_dirs: list[Path] | None = None) -> list[Path]:
    return [*(user_dirs or []), shipped_dir("sections")]


def find_profile(name: str, dirs: list[Path]) -> Path:
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return candidate
    for folder in dirs:
        path = folder / f"{name}.yaml"
        if path.is_file():
            return path
    available = ", ".join(sorted(p.name for p, _ in list_profiles(dirs)))
    raise ProfileError.one(f"找不到结构方案“{name}”；可用的方案：{available}")


def list_profiles(dirs: list[Path]) -> list[tuple[Path, str]]:
    """(path, description) of every profile in the folders; nearer folders win by name."""
    seen: dict[str, tuple[Path, str]] = {}
    for folder in dirs:
        for path in sorted(folder.glob("*.yaml")):
            if path.stem in seen:
                continue
            try:
                raw, _ = _read(path)
                seen[path.stem] = (path.with_suffix(""), raw.description)
            except ProfileError:
                seen[path.stem] = (path.with_suffix(""), "（无法读取：格式有误）")
    return list(seen.values())


def _read(path: Path) -> tuple[Profile, Located]:
    located: Located = read_yaml(path, "结构方案")
    if not isinstance(located.data, dict):
        raise ProfileError.one("结构方案的顶层应是“字段: 值”的映射", path, 1)
    try:
        return Profile.model_validate(located.data), located
    except ValidationError as exc:
        raise ProfileError(located_problems(exc, located, Profile)) from None


def load_profile(name: str, user_dirs: list[Path] | None = None) -> ResolvedProfile:
    """Find a profile by name (or path), apply what it extends, and check it."""
    dirs = profile_dirs(user_dirs)
    chain: list[tuple[Profile, Located]] = []
    current: str | None = name
    while current is not None:
        path = find_profile(current, dirs)
        if any(path == seen.file for _, seen in chain):
            names = " → ".join(seen.file.stem for _, seen in chain)
            raise ProfileError.one(f"结构方案循环继承：{names} → {path.stem}", path)
        chain.append(_read(path))
        current = chain[-1][0].extends
    return _resolve(name, chain)


def _resolve(name: str, chain: list[tuple[Profile, Located]]) -> ResolvedProfile:
    sections: dict[str, Section] = {}
    origins: dict[str, tuple[Path, int | None]] = {}
    title = None
    signature = None
    description = ""
    standards: list[str] = []
    scoring: Scoring | None = None
    for profile, located in reversed(chain):  # base first, the named profile last
        path = located.file
        for index, section in enumerate(profile.sections):
            origins[section.id] = (path, located.line_of(("sections", index)))
            if section.remove:
                sections.pop(section.id, None)
                continue
            base = sections.get(section.id)
            if base is None:
                sections[section.id] = section
            else:
                changes = section.model_dump(exclude_unset=True)
                sections[section.id] = base.model_copy(update=changes)
        if profile.order is not None:
            unknown = [i for i in profile.order if i not in sections]
            if unknown:
                raise ProfileError.one(
                    f"order 中有不存在的部分：{'、'.join(unknown)}",
                    path,
                    located.line_of(("order",)),
                )
            unlisted = [i for i in sections if i not in profile.order]
            if unlisted:
                # Leaving a section out of `order` must not silently drop it.
                raise ProfileError.one(
                    f"order 没有列出：{'、'.join(unlisted)}；order 应列出全部部分，"
                    "要删去某部分请在 sections 中写 remove: true",
                    path,
                    located.line_of(("order",)),
                )
            sections = {i: sections[i] for i in profile.order}
        title = profile.title or title
        signature = profile.signature or signature
        standards = profile.standards if profile.standards is not None else standards
        scoring = profile.scoring or scoring
        description = profile.description or description
    source = chain[0][1].file
    if title is None:
        raise ProfileError.one("结构方案没有给出标题模式（title）", source)
    return ResolvedProfile(
        name=Path(name).stem,
        description=description,
        title=title,
        signature=signature or "bottom",
        sections=list(sections.values()),
        standards=standards,
        scoring=scoring,
        source=source,
        origins=origins,
        files=[located.file for _, located in chain],
    )


def check_templates(profile: ResolvedProfile, exists: Any) -> None:
    """Every section must have a template; an unknown section id has none."""
    problems = [
        Problem(
            f"部分“{s.id}”找不到模板 {s.template_name}（是不是写错了部分编号或模板名？）",
            *profile.origins.get(s.id, (profile.source, None)),
            where=s.id,
        )
        for s in profile.sections
        if not exists(s.template_name)
    ]
    if problems:
        raise ProfileError(problems)
