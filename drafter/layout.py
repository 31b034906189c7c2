"""Template filters that apply a profile's layout settings (drafter/profile_settings.py):
heading endings and score annotations, enumerations, profile-given paragraphs. The shipped
`_macros.j2` and section templates call them, so the settings need no forked Jinja."""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any

import jinja2

from drafter.profile_settings import Enumerate, LevelLayout, resolve_level
from drafter.stale import StaleNumber, mark_stale
from drafter.templating import render
from drafter.wording import SENTENCE_ENDINGS, enumerate_points

_CLAUSE_ENDINGS = "。！？；…"
_CLOSING_MARKS = "”』」）)\ue001"  # \ue001 closes a carried-over (stale) span
_STRIPPED = "。；，："
_DEFAULT_ENUMERATION = Enumerate()
_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_SELF = re.compile(r"\bself\b")


def ends_sentence(text: str) -> bool:
    """Whether a heading already ends a sentence. A closing quote or bracket ends one only
    after a sentence mark: “……。” does, 落实“双减” and 方案（试行） do not."""
    core = text.rstrip(_CLOSING_MARKS)
    if core != text:
        return bool(core) and core[-1] in _CLAUSE_ENDINGS
    return bool(text) and text[-1] in SENTENCE_ENDINGS


def level_layout(level: int, section: Any = None, run_in: bool = True) -> LevelLayout:
    """The resolved settings of a heading level in a section (defaults without one)."""
    levels = getattr(section, "levels", None) or {}
    return resolve_level(level, levels.get(level), run_in)


def _enumeration(section: Any) -> Enumerate:
    return getattr(section, "enumeration", None) or _DEFAULT_ENUMERATION


def enumerate_as(value: Any, section: Any = None, lead: Any = None) -> list[str]:
    """Points (an Enumeration of the facts or a list) as paragraphs, per the section's
    enumeration setting: one paragraph 一是……；二是……。, or one paragraph each."""
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        points, own_lead = list(value), ""
    else:
        points, own_lead = list(value.points), value.lead
    lead_text = str(own_lead if lead is None else lead)
    style = _enumeration(section)
    if style.layout == "inline":
        text = enumerate_points(points, lead_text, style.word)
        return [text] if text else []
    items = [str(p).strip() for p in points if str(p).strip()]
    out = [lead_text.strip()] if lead_text.strip() else []
    for index, point in enumerate(items, 1):
        ending = "" if point[-1] in _CLAUSE_ENDINGS else "。"
        out.append(f"{style.word(index)}{point}{ending}")
    return out


def item_paragraphs(item: Any, section: Any = None) -> list[str]:
    """An item's paragraphs: its text, then its points enumerated as the section says."""
    return [*(str(p) for p in item.text), *enumerate_as(item.points, section)]


def make_filters(env: jinja2.Environment) -> dict[str, Any]:
    """The filters, bound to the environment the score templates compile in."""

    @functools.lru_cache(maxsize=64)
    def compiled(text: str) -> jinja2.Template:
        return env.from_string(text)

    def score_template(pattern: str) -> jinja2.Template:
        # `self` is Jinja's own name for the template: {{ self }} reads the self score.
        return compiled(_CODE.sub(lambda m: _SELF.sub("self_score", m.group()), pattern))

    def annotation(item: Any, layout: LevelLayout) -> str:
        scored = getattr(item, "scored", None)
        if not scored:
            return ""
        own = scored.self_score
        pattern = layout.score if own is not None else layout.score_without_self
        if pattern is False:
            return ""
        fmt = env.filters["score"]
        values = {"max": fmt(scored.max), "self_score": "" if own is None else fmt(own)}
        if own is not None:
            lost = fmt(Decimal(scored.max) - Decimal(own))
            stale = isinstance(own, StaleNumber) or isinstance(scored.max, StaleNumber)
            values["deducted"] = mark_stale(lost) if stale else lost
        else:
            values["deducted"] = ""
        return render(score_template(pattern), values, name="结构方案的分值写法（score）").strip()

    def heading_text(item: Any, level: int, section: Any = None) -> str:
        """The heading's words with its ending and score annotation, per the settings."""
        layout = level_layout(level, section)
        core = str(item.title).rstrip()  # str(): records a carried-over title as used
        end = ""
        if layout.ending == "none":
            core = core.rstrip(_STRIPPED)
        elif layout.ending == "。" and not ends_sentence(core):
            end = "。"
        score = annotation(item, layout)
        if not score:
            return core + end
        if layout.score_position == "before":
            if not end and core.endswith("。"):
                core, end = core[:-1], "。"
            return core + score + end
        return core + end + score

    @jinja2.pass_context
    def prose(context: Any, text: Any) -> str:
        """A paragraph given in the profile (section text/outro), rendered like prose."""
        source = str(text)
        if "{{" not in source and "{%" not in source:
            return source
        file, line = context.get("section_origin") or (None, None)
        return render(compiled(source), context.get_all(), name="结构方案中的段落",
                      file=file, line_offset=(line or 1) - 1)

    return {
        "heading_text": heading_text,
        "level_layout": level_layout,
        "enum": enumerate_as,
        "item_paras": item_paragraphs,
        "prose": prose,
    }
