"""Structure profiles: which sections a report has, in what order, and how each is headed.

A profile is a YAML file in `sections/` (or a user's folder). It may extend another
profile and then override sections by id (any field), remove them (`remove: true`), add
new ones, and reorder them (`order: [id, …]`). Layout settings (heading levels, score
annotations, enumerations) are drafter/profile_settings.py's; `drafter profiles --show`
prints a resolved profile with all of them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from drafter import model_cache
from drafter.errors import Problem, ProfileError
from drafter.facts.load import Located, located_problems, read_yaml
from drafter.profile_settings import (
    Enumerate,
    HeadingLevel,
    LetterNumber,
    LetterNumberSetting,
    Level,
    check_level_keys,
    inherit_letter_number,
    merge_levels,
)
from drafter.resources import shipped_dir


class Section(BaseModel):
    """One section of the report and how its template should lay it out."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

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
    levels: dict[HeadingLevel, Level] = Field(
        default_factory=dict, title="各级标题",
        description="按层级（2、3、4）设置标题的写法：接排、句末标点、无标题条目、连续编号、分值",
    )  # fmt: skip
    enumeration: Enumerate | None = Field(
        None, title="列举", description="“一是……二是……”的写法：接排或每点一段，序词"
    )
    facts: str | None = Field(
        None, title="事实字段",
        description="这一部分取事实文件中的哪个字段；不填为部分编号（新增的部分写在 parts 下）",
    )  # fmt: skip
    text: list[str] = Field(
        default_factory=list, title="默认段落",
        description="事实文件没有写这一部分的开头段落时使用的段落（可用 {{ }} 引用事实），"
        "如结束语“特此报告。”",
    )  # fmt: skip
    outro: list[str] = Field(
        default_factory=list, title="结尾段落",
        description="写在这一部分条目之后的段落（可用 {{ }} 引用事实和 {{ scores.total }} 等）",
    )  # fmt: skip
    measures: Literal["apart", "after"] = Field(
        "apart", title="改进措施位置",
        description="存在问题部分：apart 改进措施另成一部分；after 每个问题后接它的改进措施",
    )  # fmt: skip
    measure_lead: str | None = Field(
        None, title="改进措施引语", description="measures: after 时措施段的开头，默认“改进措施：”"
    )
    options: dict[str, Any] = Field(
        default_factory=dict, title="模板选项", description="交给模板的其他设置"
    )
    remove: bool = Field(False, title="删除", description="在继承的方案中删去这一部分")

    _levels = field_validator("levels", mode="before")(check_level_keys)

    @property
    def template_name(self) -> str:
        return self.template or f"{self.id}.j2"

    @property
    def continuous_levels(self) -> list[int]:
        """The levels numbered on across their parents: `continuous`, then `levels`."""
        keep = set(self.continuous)
        for level, style in self.levels.items():
            if style.continuous is not None:
                (keep.add if style.continuous else keep.discard)(level)
        return sorted(keep)

    @property
    def facts_field(self) -> str:
        return self.facts or self.options.get("facts", self.id)

    @property
    def lead(self) -> str:
        """The words opening a measure written after its problem."""
        if self.measure_lead is not None:
            return self.measure_lead
        return str(self.options.get("measure_lead", "改进措施："))


class Grade(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    at_least: Decimal = Field(title="最低分", description="达到此分数即为该等级")
    grade: str = Field(title="等级", description="如“A等”")


class Scoring(BaseModel):
    """How the scheme totals a self-assessment by 测评点 (e.g. 浙江: 24项，满分100，A等≥90)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

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

    model_config = ConfigDict(extra="forbid", defer_build=True)

    description: str = Field("", title="说明", description="一句话说明这个方案适用于哪里")
    extends: str | None = Field(None, title="继承", description="在哪个方案的基础上修改")
    title: str | None = Field(None, title="标题模式", description="报告标题的模板")
    signature: Literal["top", "bottom", "none"] | None = Field(
        None, title="落款位置", description="bottom：正文之后；top：标题之下；none：不写落款"
    )
    letter_number: LetterNumberSetting = Field(
        None, title="函的发文字号",
        description="以函报送时在标题之上写本函的发文字号（事实文件的 letter_number）："
        "居右、居中（或 {align: …}），true 即居右；false 不写（取消继承的设置）",
    )  # fmt: skip
    levels: dict[HeadingLevel, Level] = Field(
        default_factory=dict, title="各级标题", description="所有部分共用的各级标题写法"
    )
    enumeration: Enumerate | None = Field(
        None, title="列举", description="所有部分共用的“一是……二是……”写法"
    )
    order: list[str] | None = Field(None, title="顺序", description="各部分的顺序（编号列表）")
    standards: list[str] | None = Field(
        None, title="标准表", description="适用的标准表（standards/ 中的文件名），后者覆盖前者"
    )
    scoring: Scoring | None = Field(None, title="计分办法", description="测评点计分和等级划分")
    sections: list[Section] = Field(default_factory=list, title="部分", description="报告各部分")

    _levels = field_validator("levels", mode="before")(check_level_keys)


class ResolvedProfile(BaseModel):
    """A profile with its inheritance applied: everything the composer needs."""

    model_config = ConfigDict(defer_build=True)

    name: str
    description: str
    title: str
    signature: Literal["top", "bottom", "none"]
    sections: list[Section]
    standards: list[str]
    scoring: Scoring | None
    source: Path
    origins: dict[str, tuple[Path, int | None]]  # section id → where it was last defined
    files: list[Path] = []  # the profile files applied, the named one first
    standards_at: tuple[Path, int | None] | None = None  # where `standards:` is written
    letter_number: LetterNumber | None = None  # a 函's own 发文字号 above the title

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
            if not path.resolve().is_relative_to(folder.resolve()):
                raise ProfileError.one(
                    "结构方案是指向方案文件夹以外的链接（符号链接），drafter 不读取", path
                )
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
        return Profile.model_validate(_level_keys_as_text(located.data)), located
    except ValidationError as exc:
        raise ProfileError(located_problems(exc, located, Profile)) from None


def _level_keys_as_text(data: dict[str, Any]) -> dict[str, Any]:
    """`levels: {3: …}` keyed as the file's lines are ("3"), so errors inside point there."""

    def fix(mapping: Any) -> Any:
        if isinstance(mapping, dict) and isinstance(mapping.get("levels"), dict):
            return {**mapping, "levels": {str(k): v for k, v in mapping["levels"].items()}}
        return mapping

    data = fix(data)
    if isinstance(data.get("sections"), list):
        data = {**data, "sections": [fix(s) for s in data["sections"]]}
    return data


def load_profile(name: str, user_dirs: list[Path] | None = None) -> ResolvedProfile:
    """Find a profile by name (or path), apply what it extends, and check it."""
    dirs = profile_dirs(user_dirs)
    chain: list[tuple[Profile, Located]] = []
    current: str | None = name
    while current is not None:
        try:
            path = find_profile(current, dirs)
        except ProfileError as exc:
            if chain:  # an unknown `extends:`: say where it is written
                located = chain[-1][1]
                for problem in exc.problems:
                    problem.file = located.file
                    problem.line = located.line_of(("extends",))
                    problem.where = "extends"
            raise
        if any(path == seen.file for _, seen in chain):
            names = " → ".join(seen.file.stem for _, seen in chain)
            raise ProfileError.one(f"结构方案循环继承：{names} → {path.stem}", path)
        chain.append(_read(path))
        current = chain[-1][0].extends
    return _resolve(name, chain)


def _unique_ids(profile: Profile, located: Located) -> None:
    """Two sections with one id in one file would silently override each other."""
    seen: set[str] = set()
    for index, section in enumerate(profile.sections):
        if section.id in seen:
            raise ProfileError.one(
                f"部分编号“{section.id}”重复：同一方案中每个部分的 id 应不同",
                located.file, located.line_of(("sections", index)), f"sections.{index}.id",
            )
        seen.add(section.id)


def _resolve(name: str, chain: list[tuple[Profile, Located]]) -> ResolvedProfile:
    sections: dict[str, Section] = {}
    origins: dict[str, tuple[Path, int | None]] = {}
    title = None
    signature = None
    description = ""
    standards: list[str] = []
    scoring: Scoring | None = None
    levels: dict[int, Level] = {}
    enumeration: Enumerate | None = None
    standards_at: tuple[Path, int | None] | None = None
    letter_number: LetterNumber | None = None
    for profile, located in reversed(chain):  # base first, the named profile last
        path = located.file
        _unique_ids(profile, located)
        for index, section in enumerate(profile.sections):
            origins[section.id] = (path, located.line_of(("sections", index)))
            if section.remove:
                sections.pop(section.id, None)
                continue
            base = sections.get(section.id)
            if base is None:
                sections[section.id] = section
            else:
                changes = {k: getattr(section, k) for k in section.model_fields_set}
                if "levels" in changes:
                    changes["levels"] = merge_levels(base.levels, section.levels)
                merged = base.model_copy(update=changes)
                merged.model_fields_set.update(changes)
                sections[section.id] = merged
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
        letter_number = inherit_letter_number(letter_number, profile)
        if profile.standards is not None:
            standards = profile.standards
            standards_at = (path, located.line_of(("standards",)))
        scoring = profile.scoring or scoring
        levels = merge_levels(levels, profile.levels)
        enumeration = profile.enumeration or enumeration
        description = profile.description or description
    source = chain[0][1].file
    if title is None:
        raise ProfileError.one("结构方案没有给出标题模式（title）", source)
    # Every value is already validated (or a Path drafter made): no validator needed.
    return ResolvedProfile.model_construct(
        name=Path(name).stem,
        description=description,
        title=title,
        signature=signature or "bottom",
        sections=[_with_defaults(s, levels, enumeration) for s in sections.values()],
        standards=standards,
        scoring=scoring,
        source=source,
        origins=origins,
        files=[located.file for _, located in chain],
        standards_at=standards_at,
        letter_number=letter_number,
    )


def _with_defaults(
    section: Section, levels: dict[int, Level], enumeration: Enumerate | None
) -> Section:
    """A section with the profile-wide settings under its own (its own win)."""
    return section.model_copy(update={
        "levels": merge_levels(levels, section.levels),
        "enumeration": section.enumeration or enumeration or Enumerate(),
    })


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


model_cache.install(__name__, Profile, Section, Scoring)
