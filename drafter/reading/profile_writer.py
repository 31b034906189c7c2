"""A structure profile of a report's own, when none of the existing ones drafts it back:
its parts in its order, its headings, where its items start, whether 1. headings run in,
and which numbers run on across their parents. Written as YAML beside the facts file, so a
report from any province imports with no code."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from drafter.errors import printable
from drafter.profiles import ResolvedProfile
from drafter.reading.build import section_kind, split_enumeration
from drafter.reading.outline import Node, Outline

PART_FIELDS = ("overview", "basic_info", "achievements", "experience", "plans")


def own_profile(outline: Outline, base: ResolvedProfile, source: Path) -> str | None:
    """The YAML text of a profile reproducing `outline`'s structure, extending `base`."""
    if not outline.sections:
        return None
    sections: list[dict[str, Any]] = []
    used: set[str] = set()
    problems_at = None
    for node in outline.sections:
        kind = section_kind(node.title)
        entry: dict[str, Any] = {"heading": node.title}
        if kind == "problems" and "problems" not in used:
            entry["id"] = "problems"
            entry["template"] = _problems_template(node)
            problems_at = node
        elif kind == "measures" and problems_at is not None and "measures" not in used and (
            len(node.children) == len(problems_at.children) and not node.body
        ):
            entry["id"] = "measures"
            entry["template"] = "measures.j2"
        else:
            field = kind if kind in PART_FIELDS and kind not in used else next(
                (f for f in PART_FIELDS if f not in used), None
            )
            if field is None:
                return None  # more parts than the facts can hold
            entry["id"] = field
            entry["template"] = "part.j2"
        used.add(entry["id"])
        entry.update(_layout(node))
        sections.append(entry)
    order = ["preamble", *(s["id"] for s in sections), "closing"]
    removed = [{"id": s.id, "remove": True} for s in base.sections if s.id not in order]
    profile = {
        "description": f"按“{printable(source.name)}”的结构写出的方案"
                       "（drafter import 生成，可修改）",
        "extends": base.name if not base.name.endswith(".yaml") else "default",
        "signature": outline.signature_at,
        **({"letter_number": {"align": outline.letter_number_align}}
           if outline.letter_number is not None else {}),
        "sections": [*sections, *removed],
        "order": order,
    }
    out = io.StringIO()
    yaml = YAML()
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.dump(profile, out)
    return out.getvalue()


def _problems_template(node: Node) -> str:
    if any(p.text.startswith("改进措施：") for child in node.children for p in child.body):
        return "problems_merged.j2"
    if not node.children and node.body and split_enumeration(node.body[-1].text):
        return "problems_inline.j2"
    return "problems.j2"


def _layout(node: Node) -> dict[str, Any]:
    """item_level, run_in and continuous numbering, read from the section's items."""
    layout: dict[str, Any] = {}
    if node.children:
        layout["item_level"] = min(c.level for c in node.children)
    items = node.walk()[1:]
    standalone = [n for n in items if n.level >= 3 and not n.run_in and not n.score and n.body]
    layout["run_in"] = not standalone
    levels = {}
    for level in (3, 4):
        headings = [n for n in items if n.level == level and not n.run_in]
        if headings and not any(n.full_stop for n in headings):
            # standalone 1. headings printed as typed, without the 。 drafter adds by default
            levels[level] = {"run_in": False, "ending": "own"}
    if levels:
        layout["levels"] = levels
    continuous = []
    for level in (3, 4):
        runs = [
            [c.value for c in parent.children if c.level == level and c.value is not None]
            for parent in node.walk() if any(c.level == level for c in parent.children)
        ]
        runs = [r for r in runs if r]
        if len(runs) > 1 and all(r[0] != 1 for r in runs[1:]):
            continuous.append(level)
    if continuous:
        layout["continuous"] = continuous
    return layout
