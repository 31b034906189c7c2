"""National and provincial standards, kept in data files (standards/*.yaml), evaluated
from the facts' metrics. A profile picks the tables that apply; later tables override
earlier ones by id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drafter.checks.rules import Verdict, evaluate
from drafter.errors import ProfileError
from drafter.facts.load import located_problems, read_yaml
from drafter.facts.models import Facts, Rule
from drafter.resources import shipped_dir


class Standard(Rule):
    """One standard: a condition on a metric, with where it comes from."""

    id: str = Field(title="编号", description="标准的编号，如“普惠性幼儿园覆盖率”")
    name: str | None = Field(None, title="名称", description="不填则用编号")
    unit: str | None = Field(None, title="单位", description="标准数值的单位，须与指标一致")
    source: str = Field(title="出处", description="文件名称、文号和条款")

    @property
    def title(self) -> str:
        return self.name or self.id


class StandardsTable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = ""
    standards: list[Standard] = Field(default_factory=list)


def standards_dirs(user_dirs: list[Path] | None = None) -> list[Path]:
    return [*(user_dirs or []), shipped_dir("standards")]


def load_tables(names: list[str], user_dirs: list[Path] | None = None) -> list[Standard]:
    """The standards of the named tables; a later table's entry replaces an earlier one's."""
    merged: dict[str, Standard] = {}
    for name in names:
        path = next((d / f"{name}.yaml" for d in standards_dirs(user_dirs)
                     if (d / f"{name}.yaml").is_file()), None)
        if path is None:
            raise ProfileError.one(f"找不到标准表“{name}”（standards/{name}.yaml）")
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
    for standard in standards:
        verdict = evaluate(standard, facts.metrics, standard.unit)
        names = [standard.title, *standard.metric_names]
        discussed = any(name in problems_text for name in names)
        out.append(StandardVerdict(standard, verdict, discussed))
    return out


def _problems_text(facts: Facts) -> str:
    """All the words of the facts' problems, raw (so {{ m.名称 }} references count too)."""
    return facts.problems.model_dump_json()
