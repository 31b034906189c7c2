"""One draft from end to end: facts file → validated facts → document → .docx on disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drafter.compose import Draft, compose, prepare
from drafter.document import Heading
from drafter.facts.load import load_facts
from drafter.output import write_draft
from drafter.profiles import load_profile


def draft_facts(
    facts_path: Path,
    profile: str | None = None,
    template_dirs: list[Path] | None = None,
    profile_dirs: list[Path] | None = None,
) -> Draft:
    """Compose the report of one facts file (no file is written)."""
    facts, located = load_facts(facts_path)
    resolved = load_profile(profile or facts.profile, profile_dirs)
    return compose(facts, located, prepare(resolved, template_dirs))


@dataclass
class DraftResult:
    """What happened, for the terminal."""

    output: Path
    draft: Draft
    written: bool
    backup: Path | None = None
    notes: list[str] = field(default_factory=list)

    def report_lines(self) -> list[str]:
        doc = self.draft.document
        lines = []
        gaps = self.draft.gaps
        if gaps:
            lines.append(f"待补充 {len(gaps)} 项（在事实文件中填写后重新生成）：")
            lines.extend(
                f"  【待补充：{title}】 → {'.'.join(map(str, path))}"
                for title, path in gaps.items()
            )
        if not self.written:
            lines.append("严格模式：仍有待补充的事实，未生成文件。")
            return lines
        if self.backup is not None:
            lines.append(f"原文件已另存为：{self.backup}")
        headings = sum(1 for b in doc.blocks if isinstance(b, Heading) and not b.run_in)
        lines.append(
            f"已生成：{self.output}（{len(doc.blocks)} 段，其中标题 {headings} 个；"
            f"待补充 {len(gaps)} 项）"
        )
        return lines


def draft_to_file(
    facts_path: Path,
    output: Path,
    *,
    profile: str | None = None,
    template_dirs: list[Path] | None = None,
    profile_dirs: list[Path] | None = None,
    strict: bool = False,
    force: bool = False,
) -> DraftResult:
    from drafter.errors import OutputError
    from drafter.word import build_docx, docx_bytes, fingerprint_status

    if output.suffix.lower() != ".docx":
        raise OutputError.one("输出文件的扩展名应为 .docx", output)
    if output.resolve() == facts_path.resolve():
        raise OutputError.one("输出文件不能是事实文件本身", output)
    draft = draft_facts(facts_path, profile, template_dirs, profile_dirs)
    if strict and draft.gaps:
        return DraftResult(output, draft, written=False)
    data = docx_bytes(build_docx(draft.document))
    backup = write_draft(output, data, fingerprint_status, force=force)
    return DraftResult(output, draft, written=True, backup=backup)
