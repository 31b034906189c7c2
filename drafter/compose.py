"""Facts + profile + templates → the document model. Where sections become paragraphs.

Each section's template writes block markup (see document.py); it is parsed, checked,
numbered and appended. Nothing here knows fonts or sizes, and nothing here words a
sentence: that is the templates' job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from drafter.context import Context
from drafter.document import Document, Heading, MarkupLine, parse_markup, plain, spans
from drafter.errors import Problem, TemplateError
from drafter.facts.load import Located
from drafter.facts.models import Facts
from drafter.numbering import Numberer
from drafter.profiles import ResolvedProfile, Section, check_templates
from drafter.templating import load_template, make_environment, render, template_exists
from drafter.title import break_title
from drafter.wording import date_cn


@dataclass
class Drafting:
    """Everything one draft needs besides the facts."""

    profile: ResolvedProfile
    env: jinja2.Environment = field(default_factory=make_environment)


def prepare(profile: ResolvedProfile, template_dirs: list[Path] | None = None) -> Drafting:
    env = make_environment(template_dirs or [])
    check_templates(profile, lambda name: template_exists(env, name))
    return Drafting(profile, env)


@dataclass
class Draft:
    """A composed report and the facts it still lacks (marker title → field path)."""

    document: Document
    gaps: dict[str, tuple[str | int, ...]]


def compose(facts: Facts, located: Located, drafting: Drafting) -> Draft:
    profile = drafting.profile
    ctx = Context(facts, located, drafting.env)
    numberer = Numberer()
    blocks = []
    for section in profile.sections:
        lines = _render_section(section, ctx, drafting.env)
        _check_levels(lines, section, drafting.env)
        section_blocks = [line.block for line in lines]
        numberer.number(section_blocks, section.continuous)
        blocks.extend(section_blocks)

    title = _title(facts, ctx, profile)
    addressee = None if facts.addressee == "" else spans(_addressee(str(ctx.base["addressee"])))
    date = ctx.base["date"]
    document = Document(
        title_lines=[spans(line) for line in title],
        addressee=addressee,
        blocks=blocks,
        issuer=spans(facts.signer),
        date=spans(date_cn(date) if facts.date else str(date)),
        signature_at=profile.signature,
        meta={"district": facts.district, "year": str(facts.year), "profile": profile.name},
    )
    return Draft(document, ctx.gaps)


def _render_section(section: Section, ctx: Context, env: jinja2.Environment) -> list[MarkupLine]:
    template = load_template(env, section.template_name)
    heading = ctx.facts.headings.get(section.id) or section.heading or ""
    context = {**ctx.base, "section": section, "heading": heading}
    text = render(template, context, name=section.template_name, file=template.filename)
    return parse_markup(text)


def _check_levels(lines: list[MarkupLine], section: Section, env: jinja2.Environment) -> None:
    """A heading may go at most one level deeper than the one before it (一、 then （一）)."""
    filename = load_template(env, section.template_name).filename
    level = 0
    problems = []
    for line in lines:
        block = line.block
        if not isinstance(block, Heading):
            continue
        if block.level > level + 1 and not (level == 1 and block.level == section.item_level):
            problems.append(
                Problem(
                    f"第{block.level}级标题前没有第{block.level - 1}级标题（层级跳跃）",
                    filename, line.source_line, section.template_name,
                )
            )
        level = block.level
    if problems:
        raise TemplateError(problems)


def _addressee(text: str) -> str:
    """主送机关 ends with a full-width colon (GB/T 9704 7.3.2)."""
    text = text.rstrip().rstrip(":：")
    return f"{text}："


def _title(facts: Facts, ctx: Context, profile: ResolvedProfile) -> list[str]:
    if facts.title_lines:
        return [ctx.prose(line, ("title_lines", i)) for i, line in enumerate(facts.title_lines)]
    if facts.title:
        title = ctx.prose(facts.title, ("title",))
    else:
        template = ctx.env.from_string(profile.title)
        title = render(template, ctx.base, name="title", file=profile.source)
    return break_title(title.strip())


def document_lines(doc: Document) -> list[str]:
    """The visible text of every paragraph, in order (golden files, previews, tests)."""
    return [plain(line) for line in doc.iter_lines()]

