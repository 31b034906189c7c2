"""One draft from end to end: facts file → validated facts → document → .docx on disk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from drafter.compose import Draft, Drafting, compose, document_lines, prepare
from drafter.config import Customisation
from drafter.context import Context
from drafter.document import Document, Heading, gap_marker
from drafter.facts.load import Located, load_facts
from drafter.facts.models import Facts
from drafter.output import write_draft
from drafter.profiles import load_profile


class Preparations:
    """Profiles and template environments prepared once and reused across drafts (a batch):
    reading the profile and compiling its templates costs more than composing a report."""

    def __init__(self) -> None:
        self._prepared: dict[tuple[str, tuple[Path, ...], ...], Drafting] = {}

    def get(self, profile: str, custom: Customisation) -> Drafting:
        key = (profile, custom.template_dirs, custom.profile_dirs, custom.standard_dirs)
        drafting = self._prepared.get(key)
        if drafting is None:
            drafting = prepare(
                load_profile(profile, list(custom.profile_dirs)), list(custom.template_dirs),
                list(custom.standard_dirs),
            )
            self._prepared[key] = drafting
        return drafting


def draft_facts(
    facts_path: Path,
    custom: Customisation | None = None,
    prepared: Preparations | None = None,
) -> Draft:
    """Compose the report of one facts file (no file is written).

    `custom` is what the user chose (command line completed by drafter.yaml); its profile
    wins over the one the facts file names.
    """
    return draft_loaded(*load_facts(facts_path), custom, prepared)


def draft_loaded(
    facts: Facts,
    located: Located,
    custom: Customisation | None = None,
    prepared: Preparations | None = None,
    context_class: Callable[..., Context] = Context,
) -> Draft:
    """Compose the report of facts already loaded and validated."""
    from drafter.errors import ProfileError

    custom = custom or Customisation()
    profile = custom.profile or facts_profile(facts.profile, located.file)
    try:
        drafting = (prepared or Preparations()).get(profile, custom)
    except ProfileError as exc:
        # An unknown name: say where it was asked for (drafter.yaml or the facts file).
        asked = (custom.config, None) if custom.profile else (located.file, ("profile",))
        for problem in exc.problems:
            if problem.file is None and asked[0] is not None:
                problem.file = asked[0]
                problem.line = located.line_of(asked[1]) if asked[1] else None
                problem.where = "profile"
        raise
    return compose(facts, located, drafting, context_class)


def facts_profile(name: str, facts_path: Path) -> str:
    """A facts file's `profile:`; a .yaml path in it is relative to the facts file, so a
    report's own profile (written by `drafter import`) travels with it."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and not path.is_absolute():
        return str(facts_path.parent / path)
    return name


@dataclass
class DraftResult:
    """What happened, for the terminal."""

    output: Path
    draft: Draft
    written: bool
    backup: Path | None = None

    def report_lines(self) -> list[str]:
        doc = self.draft.document
        lines = [f"警告：{problem}" for problem in self.draft.located.warnings]
        gaps = self.draft.gaps
        if gaps:
            lines.append(f"待补充 {len(gaps)} 项（在事实文件中填写后重新生成）：")
            lines.extend(
                f"  {gap_marker(title)} → {'.'.join(map(str, path))}"
                for title, path in gaps.items()
            )
        stale = self.draft.stale
        if stale:
            lines.append(
                f"沿用上年、尚未更新 {len(stale)} 项（稿中青色高亮；核对或改写后删去事实文件中的"
                " !stale 标记）："
            )
            lines.extend(
                f"  {'' if line is None else f'第{line}行 '}{'.'.join(map(str, path))}"
                for path, line in stale.items()
            )
        reviews = self.draft.drafted_for_review
        if reviews:
            lines.append(f"根据标准自动起草的问题 {len(reviews)} 条（稿中青色高亮，请审核）：")
            lines.extend(f"  {text}" for text in reviews)
        notes = typography_notes(doc)
        if notes:
            lines.append(f"排版提示 {len(notes)} 处（程序无法自动改正，请核对）：")
            lines.extend(f"  {note}" for note in notes)
        if not self.written:
            what = "待补充或沿用上年未更新" if stale else "待补充"
            lines.append(f"严格模式：仍有{what}的事实，未生成文件。")
            return lines
        if self.backup is not None:
            lines.append(f"原文件已另存为：{self.backup}")
        headings = sum(1 for b in doc.blocks if isinstance(b, Heading) and not b.run_in)
        lines.append(
            f"已生成：{self.output}（{len(doc.blocks)} 段，其中标题 {headings} 个；"
            f"待补充 {len(gaps)} 项{f'，沿用上年 {len(stale)} 项' if stale else ''}）"
        )
        return lines


def typography_notes(doc: Document) -> list[str]:
    """What the typography normaliser could not fix in the drafted text (unbalanced
    brackets, a broken 文号, Traditional characters), with the paragraph it is in."""
    from drafter import typography

    notes = []
    for number, line in enumerate(document_lines(doc), 1):
        notes.extend(
            f"第{number}段：{finding}" for finding in typography.check(line) if not finding.fixable
        )
    return notes


def draft_to_file(
    facts_path: Path,
    output: Path,
    custom: Customisation | None = None,
    *,
    strict: bool = False,
    force: bool = False,
    prepared: Preparations | None = None,
) -> DraftResult:
    from drafter.errors import OutputError
    from drafter.word import build_package, fingerprint_status, package_bytes

    if output.suffix.lower() != ".docx":
        raise OutputError.one("输出文件的扩展名应为 .docx", output)
    if output.resolve() == facts_path.resolve():
        raise OutputError.one("输出文件不能是事实文件本身", output)
    draft = draft_facts(facts_path, custom, prepared)
    if strict and (draft.gaps or draft.stale):
        return DraftResult(output, draft, written=False)
    reference = custom.reference_doc if custom else None
    data = package_bytes(build_package(draft.document, reference=reference))
    backup = write_draft(output, data, fingerprint_status, force=force)
    return DraftResult(output, draft, written=True, backup=backup)
