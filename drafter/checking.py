"""`drafter check`: every error, warning, standard and target verdict of one facts file.

Errors are what stops a draft (bad YAML, wrong types, scores or ratios that disagree,
broken templates). Warnings are what a reviewer would flag: missing facts, facts carried
over from last year (`!stale`), unmet standards and targets, problems drafted by drafter
that nobody has reviewed yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from drafter.checks.rules import Verdict, evaluate
from drafter.document import gap_marker
from drafter.errors import DrafterError, Problem

if TYPE_CHECKING:
    from drafter.config import Customisation
    from drafter.pipeline import Preparations

Level = Literal["error", "warning", "info"]


@dataclass
class Finding:
    level: Level
    message: str
    file: Path | None = None
    line: int | None = None
    where: str | None = None

    def __str__(self) -> str:
        label = {"error": "错误", "warning": "警告", "info": "信息"}[self.level]
        return f"{label}：{Problem(self.message, self.file, self.line, self.where)}"


@dataclass
class CheckReport:
    file: Path
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]


_STATUS_WORDS = {"met": "达到", "unmet": "未达到", "unknown": "无法判断"}


def check_file(
    path: Path,
    custom: Customisation | None = None,
    prepared: Preparations | None = None,
) -> CheckReport:
    """Check one facts file; never raises for what the user wrote (errors become findings)."""
    from drafter.pipeline import draft_facts
    from drafter.stale import describe

    report = CheckReport(path)
    try:
        draft = draft_facts(path, custom, prepared)
        facts, located = draft.facts, draft.located
    except DrafterError as exc:
        report.findings.extend(
            Finding("error", p.message, _path(p.file), p.line, p.where) for p in exc.problems
        )
        return report

    for title, field_path in draft.gaps.items():
        report.findings.append(
            Finding("warning", f"缺少事实：{gap_marker(title)}", path,
                    located.line_of(field_path), ".".join(map(str, field_path)))
        )  # fmt: skip
    for stale_path in sorted(located.stale, key=lambda p: located.lines.get(p, 0)):
        report.findings.append(
            Finding("warning", f"沿用上年、尚未更新：{describe(stale_path, located.data)}", path,
                    located.lines.get(stale_path), ".".join(map(str, stale_path)))
        )  # fmt: skip
    for item in draft.verdicts:
        standard, verdict = item.standard, item.verdict
        line = located.line_of(("metrics", verdict.metric)) if verdict.metric else None
        where = f"metrics.{verdict.metric}" if verdict.metric else None
        message = _verdict_sentence(f"标准“{standard.title}”", verdict)
        level: Level = "info"
        if verdict.status == "unmet":
            level = "warning"
            message += f"；依据：{standard.source}；"
            message += "存在问题中已有论述" if item.discussed else "已起草为存在问题，待审核"
        report.findings.append(Finding(level, message, path, line, where))
    for index, target in enumerate(facts.targets):
        verdict = evaluate(target, facts.metrics)
        source = f"（{target.source}）" if target.source else ""
        report.findings.append(
            Finding(
                "warning" if verdict.status == "unmet" else "info",
                _verdict_sentence(f"目标“{target.text}”", verdict) + source,
                path,
                located.line_of(("targets", index)),
                f"targets.{index}",
            )
        )
    return report


def _verdict_sentence(subject: str, verdict: Verdict) -> str:
    status = _STATUS_WORDS[verdict.status]
    if verdict.status == "unknown":
        return f"{subject}：{status}，{verdict.reason}"
    return f"{subject}：{status}（{verdict.metric}为{verdict.actual}，要求{verdict.required}）"


def _path(file: Path | str | None) -> Path | None:
    return None if file is None else Path(file)
