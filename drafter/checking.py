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
from drafter.facts.load import Located
from drafter.facts.models import Facts, ImportNote

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

    report.findings.extend(
        Finding("warning", p.message, _path(p.file), p.line, p.where) for p in located.warnings
    )
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
    for index, note in enumerate(facts.import_notes):
        report.findings.append(_import_note(path, located, index, note))
    for item in draft.verdicts:
        standard, verdict = item.standard, item.verdict
        line = located.line_of(("metrics", verdict.metric)) if verdict.metric else None
        where = f"metrics.{verdict.metric}" if verdict.metric else None
        message = _verdict_sentence(f"{standard.kind}“{standard.title}”", verdict)
        level: Level = "warning" if verdict.unit_problem else "info"
        if verdict.status == "unmet":
            level = "warning"
            message += f"；依据：{standard.citation}；"
            message += "存在问题中已有论述" if item.discussed else "已起草为存在问题，待审核"
        report.findings.append(Finding(level, message, path, line, where))
    report.findings.extend(_unknown_units(path, facts, located))
    for index, target in enumerate(facts.targets):
        if ("targets", index) in located.stale:  # last year's target: listed above, not judged
            continue
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


def _unknown_units(path: Path, facts: Facts, located: Located) -> list[Finding]:
    """A metric whose change is worded but whose unit drafter does not know (a rate typed
    with an unusual sign would silently become 同比增长…%)."""
    from drafter import units

    return [
        Finding("warning", f"指标“{name}”的单位“{metric.unit}”无法识别：同比变化将按百分比计算；"
                "比率请写 % 或 ‰", path, located.line_of(("metrics", name)), f"metrics.{name}")
        for name, metric in facts.metrics.items()
        if metric.previous is not None and not units.known(metric.unit)
    ]  # fmt: skip


def _import_note(path: Path, located: Located, index: int, note: ImportNote) -> Finding:
    """What `drafter import` was unsure of, at the line of the field it concerns."""
    field_path = tuple(int(p) if p.isdigit() else p for p in note.field.split(".") if p)
    own = located.line_of(("import_notes", index))
    line = located.line_of(field_path) if field_path else own
    source = f"（原文{note.source}）" if note.source else ""
    return Finding(
        "warning",
        f"导入待核对：{note.note}{source}；核对后删去 import_notes 中的这一条（第{own}行）",
        path, line, note.field or None,
    )  # fmt: skip


def _verdict_sentence(subject: str, verdict: Verdict) -> str:
    status = _STATUS_WORDS[verdict.status]
    if verdict.status == "unknown":
        return f"{subject}：{status}，{verdict.reason}"
    return f"{subject}：{status}（{verdict.metric}为{verdict.actual}，要求{verdict.required}）"


def _path(file: Path | str | None) -> Path | None:
    return None if file is None else Path(file)
