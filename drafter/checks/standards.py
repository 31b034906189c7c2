"""National and provincial standards, kept in data files (standards/*.yaml), evaluated
from the facts' metrics. A profile picks the tables that apply; later tables override
earlier ones by id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from drafter import model_cache
from drafter.checks.rules import Verdict, evaluate
from drafter.errors import ProfileError
from drafter.facts.load import located_problems, read_yaml
from drafter.facts.models import Facts, Rule
from drafter.resources import shipped_dir


class Standard(Rule):
    """One standard (a rule) or plan target: a condition on a metric, where it comes from,
    and the years, region and school stage it applies to."""

    id: str = Field(title="编号", description="标准的编号，如“普惠性幼儿园覆盖率”")
    name: str | None = Field(None, title="名称", description="不填则用编号")
    unit: str | None = Field(None, title="单位", description="标准数值的单位，须能与指标换算")
    kind: Literal["标准", "目标"] = Field(
        "标准", title="类别", description="标准：规定的要求；目标：规划、计划提出的到某年的目标"
    )
    document: str | None = Field(None, title="文件名称", description="不含书名号")
    number: str | None = Field(None, title="文号", description="如 教督〔2020〕1号")
    quote: str | None = Field(None, title="原文", description="所依据的原句")
    found_at: str | None = Field(None, title="原文出处", description="核对原文的网址或出版物")
    source: str | None = Field(None, title="出处", description="不分项写时的文件名称和条款")
    due: int | None = Field(None, title="目标年度", description="目标的“到某年”")
    from_year: int | None = Field(None, title="起始年度", description="从哪一年度起适用")
    to_year: int | None = Field(None, title="截止年度", description="适用到哪一年度（含）")
    regions: list[str] = Field(
        default_factory=list, title="适用地区", description="省份名称，如“辽宁省”；空为全国"
    )
    stage: str | None = Field(None, title="学段", description="如 学前教育、义务教育、普通高中")

    @model_validator(mode="after")
    def _has_source(self) -> Standard:
        if not (self.source or self.document):
            raise ValueError("没有出处：请填写 document（文件名称）和 quote（原文），或 source")
        return self

    @property
    def title(self) -> str:
        return self.name or self.id

    @property
    def citation(self) -> str:
        """《文件》（文号）：原文, for check's messages."""
        if self.document is None:
            return self.source or ""
        number = f"（{self.number}）" if self.number else ""
        quote = f"：{self.quote}" if self.quote else ""
        return f"《{self.document}》{number}{quote}"

    def applies(self, facts: Facts) -> bool:
        """In force in the report's year and region."""
        if self.from_year is not None and facts.year < self.from_year:
            return False
        if self.to_year is not None and facts.year > self.to_year:
            return False
        if not self.regions:
            return True
        where = " ".join(filter(None, (facts.province, facts.city, facts.government)))
        return any(region in where for region in self.regions)


class StandardsTable(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    description: str = ""
    standards: list[Standard] = Field(default_factory=list)


def standards_dirs(user_dirs: list[Path] | None = None) -> list[Path]:
    return [*(user_dirs or []), shipped_dir("standards")]


def load_tables(
    names: list[str],
    user_dirs: list[Path] | None = None,
    named_at: tuple[Path, int | None] | None = None,
) -> list[Standard]:
    """The standards of the named tables; a later table's entry replaces an earlier one's.
    `named_at`: the profile file and line that name them, for the error."""
    merged: dict[str, Standard] = {}
    for name in names:
        path = next((d / f"{name}.yaml" for d in standards_dirs(user_dirs)
                     if (d / f"{name}.yaml").is_file()), None)
        if path is None:
            file, line = named_at or (None, None)
            raise ProfileError.one(f"找不到标准表“{name}”（standards/{name}.yaml）", file, line,
                                   "standards")
        located = read_yaml(path, "标准表")
        try:
            table = StandardsTable.model_validate(located.data or {})
        except ValidationError as exc:
            raise ProfileError(located_problems(exc, located, StandardsTable)) from None
        for standard in table.standards:
            merged[standard.id] = standard
    return list(merged.values())


@dataclass(frozen=True)
class StandardVerdict:
    standard: Standard
    verdict: Verdict
    discussed: bool  # the facts' problems already talk about it


def evaluate_standards(facts: Facts, standards: list[Standard]) -> list[StandardVerdict]:
    problems_text = _problems_text(facts)
    out = []
    for standard in (s for s in standards if s.applies(facts)):
        verdict = evaluate(standard, facts.metrics, standard.unit)
        names = [standard.title, *standard.metric_names]
        discussed = any(name in problems_text for name in names)
        out.append(StandardVerdict(standard, verdict, discussed))
    return out


def _problems_text(facts: Facts) -> str:
    """All the words of the facts' problems, raw (so {{ m.名称 }} references count too)."""
    return facts.problems.model_dump_json()


model_cache.install(__name__, StandardsTable)
