"""Facts + profile + templates → the document model. Where sections become paragraphs.

Each section's template writes block markup (see document.py); it is parsed, checked,
numbered and appended. Nothing here knows fonts or sizes, and nothing here words a
sentence: that is the templates' job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from drafter import errors
from drafter.checks.rules import goal_text, threshold_text
from drafter.checks.standards import Standard, StandardVerdict, evaluate_standards, load_tables
from drafter.context import Context
from drafter.document import (
    MAX_LEVEL,
    TYPED_GAP,
    Document,
    Heading,
    Line,
    MarkupLine,
    parse_markup,
    plain,
    spans,
    split_line,
)
from drafter.facts.derive import change_text, strip_zeros
from drafter.facts.load import Located
from drafter.facts.models import Facts, Problem
from drafter.layout import make_filters
from drafter.numbering import Numberer
from drafter.profiles import ResolvedProfile, Section, check_templates
from drafter.resources import shipped_dir
from drafter.stale import mark_stale
from drafter.templating import (
    compile_text,
    load_template,
    make_environment,
    render,
    section_template,
    template_exists,
)
from drafter.title import break_title
from drafter.typography import normalise_document
from drafter.wording import date_cn

STANDARD_PROBLEM_TEMPLATE = "standard_problem.j2"


@dataclass
class Drafting:
    """Everything one draft needs besides the facts (prepared once, reused for a batch)."""

    profile: ResolvedProfile
    env: jinja2.Environment
    standards: list[Standard]
    templates: dict[str, str]  # section id → template name

    def template_of(self, section: Section) -> str:
        return self.templates.get(section.id, section.template_name)


def prepare(
    profile: ResolvedProfile,
    template_dirs: list[Path] | None = None,
    standard_dirs: list[Path] | None = None,
) -> Drafting:
    """The template search path is the user's folders, then the profile's, then the shipped.
    Standards: the profile's tables, then every table in the user's folders (--standards,
    drafter.yaml) and in a standards/ folder beside the profile, later ones overriding."""
    custom = [*(template_dirs or []), *profile.template_dirs]
    env = make_environment(custom)
    env.filters.update(make_filters(env))  # the profile's layout settings (layout.py)
    check_templates(profile, lambda name: template_exists(env, name))
    templates = {s.id: section_template(s.id, s.template_name, custom) for s in profile.sections}
    beside = [f.parent / "standards" for f in profile.files]
    shipped = shipped_dir("standards")
    user = [*(standard_dirs or []), *(d for d in beside if d.is_dir() and d != shipped)]
    names = [*profile.standards]
    names += sorted({p.stem for d in user for p in d.glob("*.yaml")} - set(names))
    return Drafting(profile, env, load_tables(names, user, profile.standards_at), templates)


@dataclass
class Draft:
    """A composed report, the facts it still lacks (marker title → field path), the
    standards' verdicts, and what drafter wrote itself that a person must review."""

    facts: Facts
    located: Located  # where each fact stands in the facts file
    document: Document
    gaps: dict[str, tuple[str | int, ...]]
    verdicts: list[StandardVerdict] = field(default_factory=list)
    drafted_for_review: list[str] = field(default_factory=list)
    # Facts carried over from last year (tagged !stale) that the draft uses: path → line.
    stale: dict[tuple[str | int, ...], int | None] = field(default_factory=dict)


def compose(
    facts: Facts,
    located: Located,
    drafting: Drafting,
    context_class: Callable[..., Context] = Context,
) -> Draft:
    """`context_class`: what templates see; `drafter import --into` passes one that marks
    where each fact is printed."""
    profile = drafting.profile
    verdicts = evaluate_standards(facts, drafting.standards)
    added = _problems_from_standards(verdicts, facts, drafting.env)
    ctx = context_class(
        facts, located, drafting.env, profile.scoring, [problem for _, problem in added]
    )
    numberer = Numberer()
    blocks = []
    for section in profile.sections:
        name = drafting.template_of(section)
        origin = profile.origins.get(section.id, (profile.source, None))
        lines = _render_section(section, name, ctx, drafting.env, origin)
        _check_levels(lines, section, name, drafting.env)
        section_blocks = [line.block for line in lines]
        numberer.number(section_blocks, section.continuous_levels)
        blocks.extend(section_blocks)

    title = _title(facts, ctx, profile)
    letter = profile.letter_number
    if letter is not None:  # a 函's own 发文字号, on the line above the title
        title = [spans(str(ctx.base["letter_number"])), *title]
    elif facts.letter_number:
        located.warnings.append(errors.Problem(
            f"写了发文字号，但结构方案“{profile.name}”没有设置 letter_number，稿中不会出现；"
            "这是一份函时，在结构方案中加上 letter_number: 居右（或 居中）",
            located.file, located.line_of(("letter_number",)), "letter_number",
        ))  # fmt: skip
    addressee = None if facts.addressee == "" else spans(_addressee(str(ctx.base["addressee"])))
    date = ctx.base["date"]
    document = Document(
        title_lines=title,
        addressee=addressee,
        blocks=blocks,
        issuer=spans(str(ctx.base["signer"])),
        date=spans(date_cn(date) if facts.date else str(date)),
        signature_at=profile.signature,
        letter_number=None if letter is None else letter.alignment,
        meta={"district": facts.district, "year": str(facts.year), "profile": profile.name},
    )
    normalise_document(document)  # full-width punctuation, 文号 〔〕; gaps left as they are
    _typed_gaps(document, located, ctx.gaps)
    stale = {path: located.line_of(path) for path in ctx.stale}
    return Draft(facts, located, document, ctx.gaps, verdicts, [text for text, _ in added], stale)


def _typed_gaps(
    document: Document, located: Located, gaps: dict[str, tuple[str | int, ...]]
) -> None:
    """A 【待补充】 typed into the facts by hand is a gap too (so --strict refuses)."""
    for line in document.iter_lines():
        for match in TYPED_GAP.finditer(plain(line)):
            marker = match.group()
            title = marker[1:-1].partition("：")[2].strip() or "手写的【待补充】"
            gaps.setdefault(title, _field_with(located.data, marker) or ())


def _field_with(
    data: object, text: str, here: tuple[str | int, ...] = ()
) -> tuple[str | int, ...] | None:
    """The path (as in the facts file) of the first value containing `text`."""
    if isinstance(data, str):
        return here if text in data else None
    items: list[tuple[str | int, object]] = []
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    for key, value in items:
        found = _field_with(value, text, (*here, key))
        if found is not None:
            return found
    return None


def _problems_from_standards(
    verdicts: list[StandardVerdict], facts: Facts, env: jinja2.Environment
) -> list[tuple[str, Problem]]:
    """A problem for each unmet standard the facts do not discuss, marked for review."""
    added = []
    for item in verdicts:
        verdict = item.verdict
        if verdict.status != "unmet" or item.discussed:
            continue
        standard = item.standard
        # in the metric's own unit when the standard names none (大班额 ≤ 0个)
        unit = standard.unit or (facts.metrics[verdict.metric].unit if verdict.metric else "")
        context = {
            "standard": standard,
            "name": verdict.metric,
            "actual": verdict.actual,
            "required": verdict.required,
            "threshold": threshold_text(standard, unit),
            "goal": goal_text(standard, unit),  # what a target asks: 达到92%
            "document": f"《{standard.document}》" if standard.document else "",
            "change": _change(facts, verdict.metric) if verdict.metric else "",
        }
        template = load_template(env, STANDARD_PROBLEM_TEMPLATE)
        text = render(template, context, name=STANDARD_PROBLEM_TEMPLATE,
                      file=template.filename).strip()
        added.append((text, Problem(title=mark_stale(text))))
    return added


def _change(facts: Facts, name: str) -> str:
    """The change in words; a fall too small to show at two decimals (109727 → 109722万元 is
    −0.0046%) is worded as the amount, never as 持平."""
    metric = facts.metrics[name]
    text = change_text(metric) or ""
    if text == "持平" and metric.previous is not None and metric.number < metric.previous:
        return f"减少{strip_zeros(metric.previous - metric.number):f}{metric.unit}"
    return text


def _render_section(
    section: Section,
    name: str,
    ctx: Context,
    env: jinja2.Environment,
    origin: tuple[Path, int | None] | None = None,
) -> list[MarkupLine]:
    """`origin`: where the profile defines the section (errors in its `text`/`outro`)."""
    template = load_template(env, name)
    heading = ctx.facts.headings.get(section.id) or section.heading or ""
    context = {**ctx.base, "section": section, "heading": heading, "section_origin": origin}
    text = render(template, context, name=name, file=template.filename)
    return parse_markup(text)


def _check_levels(
    lines: list[MarkupLine], section: Section, name: str, env: jinja2.Environment
) -> None:
    """Headings go down at most one level at a time (一、 then （一）), and no deeper than
    the four levels GB/T 9704 numbers (一、（一）1.（1））."""
    filename = load_template(env, name).filename
    level = 0
    problems = []
    for line in lines:
        block = line.block
        if not isinstance(block, Heading):
            continue
        if block.level > MAX_LEVEL:
            problems.append(
                errors.Problem(
                    f"“{plain(block.text)}”是第{block.level}级标题，公文标题最多四级"
                    f"（一、（一）1.（1））：请减少事实文件中“{section.id}”条目的嵌套层数",
                    filename, line.source_line, name,
                )
            )  # fmt: skip
        elif block.level > level + 1 and not (level == 1 and block.level == section.item_level):
            problems.append(
                errors.Problem(
                    f"第{block.level}级标题前没有第{block.level - 1}级标题（层级跳跃）",
                    filename, line.source_line, name,
                )
            )
        level = block.level
    if problems:
        raise errors.TemplateError(problems)


def _addressee(text: str) -> str:
    """主送机关 ends with a full-width colon (GB/T 9704 7.3.2)."""
    text = text.rstrip().rstrip(":：")
    return f"{text}："


def _title(facts: Facts, ctx: Context, profile: ResolvedProfile) -> list[Line]:
    if facts.title_lines:
        return [
            spans(str(ctx.prose(line, ("title_lines", i))))
            for i, line in enumerate(facts.title_lines)
        ]
    if facts.title:
        title = str(ctx.prose(facts.title, ("title",)))
    else:
        template = compile_text(ctx.env, profile.title, "title", profile.source)
        title = render(template, ctx.base, name="title", file=profile.source)
    # A line break typed in the title (the profile's title template, or the facts' title)
    # is kept: each piece is one line, e.g. the issuer on a line of its own.
    if "\n" in title.strip():
        return [spans(piece.strip()) for piece in title.strip().splitlines() if piece.strip()]
    # Break the visible words by meaning, then cut the spans there, so a highlighted part
    # (a gap, a carried-over period) is never split from its markers.
    line = spans(title.strip())
    return split_line(line, (len(text) for text in break_title(plain(line))))


def document_lines(doc: Document) -> list[str]:
    """The visible text of every paragraph, in order (golden files, previews, tests)."""
    return [plain(line) for line in doc.iter_lines()]

