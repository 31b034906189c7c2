"""`drafter import`: a report file → a facts file that drafts the report back.

read (files.py) → recognise (recognise.py) → for each structure profile, build the facts
(build.py, metrics.py) and draft them → keep the profile whose draft reproduces the source
most closely; when none reproduces it, a profile of the report's own (profile_writer.py) is
written beside the facts file. Every paragraph that still drafts differently, and every
decision the recogniser was unsure of, goes into the facts' `import_notes`.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.config import Customisation
from drafter.errors import DrafterError, OutputError, printable
from drafter.facts.load import Located, validate_facts
from drafter.pipeline import Preparations, draft_loaded
from drafter.profiles import ResolvedProfile, list_profiles, load_profile, profile_dirs
from drafter.reading.build import Builder, map_sections
from drafter.reading.facts_writer import facts_yaml, readable
from drafter.reading.front import head_facts
from drafter.reading.outline import Outline
from drafter.reading.recognise import recognise
from drafter.title import break_title

PROFILE_SUFFIX = ".方案.yaml"  # a report's own profile, beside its facts file


@dataclass
class Candidate:
    profile: str  # a name, or the path of a report's own profile
    facts: dict[str, Any]
    notes: list[tuple[str, str, int | None]]
    drafted: list[str] = field(default_factory=list)
    error: str | None = None

    def score(self, expected: list[str]) -> float:
        if self.error is not None:
            return -1.0
        return difflib.SequenceMatcher(None, expected, self.drafted, autojunk=False).ratio()


@dataclass
class Imported:
    source: Path
    target: Path
    profile: str
    exact: bool
    notes: int
    metrics: int
    reader_notes: list[str]
    profile_file: Path | None = None
    backup: Path | None = None

    def report_lines(self) -> list[str]:
        lines = [f"已导入：{self.source} → {self.target}（结构方案 {self.profile}，"
                 f"指标 {self.metrics} 个）"]
        if self.profile_file is not None:
            lines.append(f"没有现成的结构方案与原文一致，已按原文写出本报告的方案：{self.profile_file}")
        lines.extend(f"  {note}" for note in self.reader_notes)
        if self.exact:
            lines.append("用 drafter text 起草的文字与原文逐段一致。")
        if self.notes:
            lines.append(f"导入时需要核对的地方 {self.notes} 处，已写在事实文件的 import_notes 中；"
                         f"用 drafter check {self.target} 逐条列出（带行号）")
        if self.backup is not None:
            lines.append(f"原事实文件已另存为：{self.backup}")
        return lines


def default_target(source: Path) -> Path:
    return source.with_suffix(".yaml")


def import_report(
    source: Path,
    target: Path | None = None,
    custom: Customisation | None = None,
    *,
    force: bool = False,
) -> Imported:
    from drafter.output import atomic_write, backup_path
    from drafter.reading.files import read_source

    target = target or default_target(source)
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise OutputError.one("事实文件的扩展名应为 .yaml", target)
    if target.exists() and not force:
        raise OutputError.one(
            "事实文件已存在；为免覆盖，已停止。要把 Word 中的修改写回它，请用 "
            f"drafter import {source} --into {target}；要重新导入，请用 -o 指定另一个文件名，"
            "或加 --force 覆盖（旧文件会先另存为备份）", target,
        )  # fmt: skip
    custom = custom or Customisation()
    document = read_source(source)
    outline = recognise(document)
    prepared = Preparations()
    best, own_profile = choose(outline, custom, source, prepared)
    header = [f"由 drafter import 从“{printable(source.name)}”导入（{dt.date.today():%Y-%m-%d}）。",
              "导入时未能确定、需要核对的地方列在 import_notes 中：drafter check 本文件 逐条列出，"
              "核对后删去该条。"]  # fmt: skip
    facts = dict(best.facts)
    reader = [{"field": "", "note": note} for note in document.notes]
    if reader or facts.get("import_notes"):
        facts["import_notes"] = reader + facts.get("import_notes", [])
    if own_profile is not None:
        facts["profile"] = own_profile[0].name
    text = readable(facts_yaml(facts, header), source)
    drafted = _drafts_back(text, own_profile, custom, prepared, best)
    exact = drafted == outline_lines(outline)
    profile_file = None
    if own_profile is not None:
        profile_file = target.with_name(own_profile[0].name)
        if profile_file.exists() and not force:
            raise OutputError.one("本报告的结构方案文件已存在；加 --force 覆盖", profile_file)
    backup = None
    if target.exists():
        backup = backup_path(target)
        atomic_write(backup, target.read_bytes())
    if own_profile is not None and profile_file is not None:
        atomic_write(profile_file, own_profile[1].encode("utf-8"))
    atomic_write(target, text.encode("utf-8"))
    return Imported(source, target, facts["profile"], exact, len(facts.get("import_notes", [])),
                    len(facts.get("metrics", {})), document.notes, profile_file, backup)


def _drafts_back(
    text: str,
    own_profile: tuple[Path, str] | None,
    custom: Customisation,
    prepared: Preparations,
    best: Candidate,
) -> list[str]:
    """What the facts file about to be written drafts. When it reads back as the very facts
    that were drafted to choose the profile, that draft stands; otherwise it is drafted."""
    from drafter.compose import document_lines
    from drafter.facts.load import load_facts
    from drafter.pipeline import draft_facts

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "facts.yaml"
        path.write_text(text, encoding="utf-8")
        if own_profile is not None:
            (Path(folder) / own_profile[0].name).write_text(own_profile[1], encoding="utf-8")
        try:
            written, _ = load_facts(path)
            chosen, _ = validate_facts(Located(copy.deepcopy(best.facts), path))
            if best.error is None and written.model_dump() == chosen.model_dump():
                return best.drafted
            plain = Customisation(None, custom.template_dirs, custom.profile_dirs)
            return document_lines(draft_facts(path, plain, prepared).document)
        except DrafterError:
            return []


def outline_lines(outline: Outline) -> list[str]:
    """The report's paragraphs in order, as the recogniser cleaned them (a title that fits
    one line counts as one line, however many paragraphs it was typed in)."""
    lines = list(outline.lines)
    count = len(outline.title)
    title = "".join(lines[:count])
    if count > 1 and len(break_title(title)) == 1:
        lines[:count] = [title]
    return lines


# ---------------------------------------------------------------- choosing a profile


class Lifting:
    """One metric lifter for the whole import: every candidate profile lifts the same
    paragraphs, so each is lifted once and the metrics keep one set of names."""

    def __init__(self, year: int) -> None:
        from drafter.reading.metrics import MetricLifter

        self.lifter = MetricLifter(year)
        self._done: dict[str, tuple[str, list[str], str]] = {}  # piece → text, notes, field

    def __call__(self, text: str, where: str) -> str:
        out = []
        for piece in re.split(r"(\{\{.*?\}\})", text):  # {{ notice_cite }} stays as it is
            if piece.startswith("{{"):
                out.append(piece)
                continue
            if piece not in self._done:
                lifted = self.lifter.lift(piece, where)
                self._done[piece] = (lifted.text, lifted.notes, where)
            out.append(self._done[piece][0])
        return "".join(out)

    def notes(self, facts_text: str) -> list[tuple[str, str, int | None]]:
        """The lifter's notes on the paragraphs these facts hold."""
        return [(where, note, None) for lifted, notes, where in self._done.values()
                for note in notes if lifted in facts_text]

    def metrics(self, facts_text: str) -> dict[str, dict[str, Any]]:
        """The metrics these facts refer to (another candidate may have lifted others).

        The names referred to are collected in one pass over the text: testing each metric
        by a search of the whole text was quadratic (a 1,000-paragraph report: 7 s)."""
        referred = {match[1] or match[2] for match in _REFERRED.finditer(facts_text)}

        def used(name: str) -> bool:
            if not _ODD_NAME.search(name):
                return name in referred
            return (f"m.{name} " in facts_text or f"m.{name}." in facts_text
                    or f'm["{name}"]' in facts_text)  # fmt: skip

        return {m.name: metric_fields(m) for m in self.lifter.metrics.values() if used(m.name)}


# `m.名称 ` / `m.名称.previous` (the name ends at the first space or dot) and `m["名称"]`;
# a name with a space, a dot or a quote in it is looked up in the text itself.
_REFERRED = re.compile(r'm\.([^ .]+)(?=[ .])|m\["([^"]*)"\]')
_ODD_NAME = re.compile(r'[ ."]')


def rank(outline: Outline, profile: ResolvedProfile) -> int:
    """How well a profile's parts fit the outline, before drafting anything: matched
    headings, the level items start at, and the templates' shapes."""
    mapping = map_sections(outline, profile)
    score = -3 * (len(outline.sections) - len(mapping))
    for index, section in mapping.items():
        node = outline.sections[index]
        score += 2 if section.heading == node.title else 1
        if node.children and node.children[0].level == section.item_level:
            score += 1
        merged = any(p.text.startswith("改进措施：") for c in node.children for p in c.body)
        template = section.template_name
        if (template == "problems_merged.j2") == merged and section.id == "problems":
            score += 1
        if template == "problems_inline.j2" and node.children:
            score -= 2
    return score


def choose(
    outline: Outline, custom: Customisation, source: Path, prepared: Preparations
) -> tuple[Candidate, tuple[Path, str] | None]:
    """The candidate that drafts the source back most closely, and the report's own
    profile (file name, YAML text) when no existing profile reproduces it. Profiles are
    tried best-ranked first; the first that reproduces the source wins."""
    expected = outline_lines(outline)
    dirs = list(custom.profile_dirs)
    names = [custom.profile] if custom.profile else [
        path.name for path, _ in list_profiles(profile_dirs(dirs))
    ]
    profiles = []
    for name in names:
        try:
            profiles.append((name, load_profile(name, dirs)))
        except DrafterError:
            continue
    profiles.sort(key=lambda item: rank(outline, item[1]), reverse=True)
    head, head_notes = head_facts(outline)
    lifting = Lifting(int(head["year"]))
    candidates = []
    for name, profile in profiles:
        found = candidate(outline, profile, name, custom, (head, head_notes), lifting, prepared)
        candidates.append(found)
        if found.drafted == expected:
            break
    candidates.sort(key=lambda c: c.score(expected), reverse=True)
    best = candidates[0]
    if best.drafted == expected or custom.profile:
        return finish(best, outline, expected, lifting), None
    from drafter.reading.profile_writer import own_profile

    written = own_profile(outline, load_profile(best.facts["profile"], dirs), source)
    if written is not None:
        file_name = f"{printable(source.stem)}{PROFILE_SUFFIX}"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / file_name
            path.write_text(written, encoding="utf-8")
            own = candidate(outline, load_profile(str(path), dirs), file_name, custom,
                            (head, head_notes), lifting, prepared, path)
        if own.score(expected) > best.score(expected):
            return finish(own, outline, expected, lifting), (Path(file_name), written)
    return finish(best, outline, expected, lifting), None


def candidate(
    outline: Outline,
    profile: ResolvedProfile,
    name: str,
    custom: Customisation,
    head: tuple[dict[str, Any], list[tuple[str, str, int | None]]],
    lift: Lifting,
    prepared: Preparations,
    profile_path: Path | None = None,
) -> Candidate:
    facts = copy.deepcopy(head[0])
    facts["profile"] = name
    if facts.get("preamble"):
        facts["preamble"] = [lift(p, f"preamble.{i}") for i, p in enumerate(facts["preamble"])]
    built = Builder(outline, profile, lift).build()
    facts.update(built.facts)
    result = Candidate(name, facts, head[1] + built.notes)
    fit_title(result, outline, profile)
    facts_text = repr(facts)
    metrics = lift.metrics(facts_text)
    if metrics:
        facts["metrics"] = metrics
    try:
        result.drafted = draft_lines(facts, custom, prepared, profile_path)
    except DrafterError as exc:
        result.error = str(exc)
    return result


def metric_fields(metric: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"value": metric.value, "unit": metric.unit}
    if metric.previous is not None:
        out["previous"] = metric.previous
    if metric.label:
        out["label"] = metric.label
    return out


def draft_lines(
    facts: dict[str, Any],
    custom: Customisation,
    prepared: Preparations | None = None,
    profile_path: Path | None = None,
) -> list[str]:
    """What `drafter text` prints for these facts (validated as a facts file would be)."""
    from drafter.compose import document_lines

    folder = profile_path.parent if profile_path is not None else Path.cwd()
    located = Located(copy.deepcopy(facts), folder / "导入的事实.yaml")
    plain = Customisation(None, custom.template_dirs, custom.profile_dirs)
    loaded = validate_facts(located)
    return document_lines(draft_loaded(*loaded, plain, prepared).document)


def fit_title(result: Candidate, outline: Outline, profile: ResolvedProfile) -> None:
    """Where the profile's title, or drafter's line breaks of it, differ from the source's
    title, write the title (and its lines) out."""
    lines = [p.text for p in outline.title]
    if not lines:
        return
    text = "".join(lines)
    if _profile_title(profile, result.facts) != text:
        result.facts["title"] = text
    drafted = break_title(text)
    if len(drafted) == 1 and len(lines) > 1:
        # a title that fits one line, typed over several paragraphs: a typing wrap
        result.notes.append(("title", f"原文标题分为{len(lines)}段，标题在一行之内，已按一行起草",
                             outline.title[0].source))
    elif drafted != lines:
        result.facts["title_lines"] = lines


def _profile_title(profile: ResolvedProfile, facts: dict[str, Any]) -> str | None:
    """The profile's title for these facts, for the simple fields a title names."""
    from jinja2.sandbox import SandboxedEnvironment

    values = {"period": facts.get("period") or f"{facts['year']}年", **facts}
    try:
        return SandboxedEnvironment().from_string(profile.title).render(values).strip()
    except Exception:
        return None


def finish(best: Candidate, outline: Outline, expected: list[str], lifting: Lifting) -> Candidate:
    """The import notes: the recogniser's, builder's and lifter's, then every paragraph
    that still drafts differently from the source."""
    notes = [{"field": "", "note": n.text, **_source(n.source)} for n in outline.notes]
    notes += [{"field": f, "note": n, **_source(s)}
              for f, n, s in best.notes + lifting.notes(repr(best.facts))]
    if best.error is not None:
        notes.append({"field": "", "note": f"导入的事实无法起草：{best.error}"})
    else:
        matcher = difflib.SequenceMatcher(None, expected, best.drafted, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            old = "／".join(expected[i1:i2])[:60] or "（无）"
            new = "／".join(best.drafted[j1:j2])[:60] or "（无）"
            notes.append({"field": "", "note": f"起草的文字与原文不同：原文“{old}”，起草为“{new}”"})
    for para in outline.outside:
        notes.append({"field": "", "note": f"未导入的原文：“{para.text}”", **_source(para.source)})
    if notes:
        best.facts["import_notes"] = notes
    return best


def _source(number: int | None) -> dict[str, str]:
    return {"source": f"第{number}段"} if number else {}
