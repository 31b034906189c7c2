"""An Outline → the facts of a report, for one structure profile.

The inverse of the section templates: for each shipped template (part.j2, problems.j2,
problems_merged.j2, problems_inline.j2, measures.j2, preamble.j2, closing.j2) the facts
shape that drafts the recognised text back. Which profile fits is decided elsewhere
(importer.py) by drafting the result and comparing; nothing here guesses a profile.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from drafter import typography, wording
from drafter.facts.models import Facts
from drafter.numbering import chinese_number
from drafter.profiles import ResolvedProfile, Section
from drafter.reading.outline import Node, Outline, Para

Lift = Callable[[str, str], str]  # (prose, field path) → prose with {{ m.… }} references
FieldPath = tuple[str | int, ...]

NO_HEADING = ("preamble.j2", "closing.j2")
_ORDINALS = [f"{chinese_number(n)}是" for n in range(1, 21)]
_CITE = re.compile(
    r"(?:根据|依据|按照|遵照|落实|对照)"
    r"(?P<issuer>[\u4e00-\u9fff]{2,30}?(?:委员会|办公室|督导室|人民政府|教育厅|教育局|教育委员会))?"
    r"《(?P<title>[^《》]{4,120})》[（(](?P<number>[^（）()]{2,40}?号)[）)]"
)


def section_kind(text: str) -> str:
    """Which facts part a heading's words point to."""
    if re.search(r"问题|困难|不足|短板|差距", text):
        return "problems"
    if re.search(r"措施|整改|对策|改进", text):
        return "measures"
    if re.search(r"下一步|打算|计划|安排|思路|展望", text):
        return "plans"
    if "经验" in text and "成效" not in text:
        return "experience"
    if re.search(r"基本情况|基本概况|概况", text):
        return "basic_info"
    if re.search(r"总体|自查情况|自评情况", text):
        return "overview"
    return "achievements"


@dataclass
class Built:
    """The facts mapping and what the builder could not place, by field."""

    facts: dict[str, Any]
    notes: list[tuple[str, str, int | None]] = field(default_factory=list)  # field, note, 段
    mapping: dict[int, str] = field(default_factory=dict)  # doc section index → section id


def heading_sections(profile: ResolvedProfile) -> list[Section]:
    return [s for s in profile.sections if s.template_name not in NO_HEADING]


def map_sections(outline: Outline, profile: ResolvedProfile) -> dict[int, Section]:
    """Doc sections → profile sections, in order, by heading words (a monotone alignment)."""
    targets = heading_sections(profile)
    docs = outline.sections

    def similarity(d: Node, s: Section) -> int:
        if s.heading and d.title == s.heading:
            return 3
        kinds = {s.id, section_kind(s.heading or "")}
        return 2 if section_kind(d.title) in kinds else 0

    # best[i][j]: best total for docs[i:] and targets[j:]
    n, m = len(docs), len(targets)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            sim = similarity(docs[i], targets[j])
            take = sim + best[i + 1][j + 1] if sim else -1
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out: dict[int, Section] = {}
    i = j = 0
    while i < n and j < m:
        sim = similarity(docs[i], targets[j])
        if sim and best[i][j] == sim + best[i + 1][j + 1]:
            out[i] = targets[j]
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


class Builder:
    def __init__(self, outline: Outline, profile: ResolvedProfile, lift: Lift) -> None:
        self.outline = outline
        self.profile = profile
        self.lift = lift
        self.built = Built({})

    def note(self, path: FieldPath, text: str, source: int | None = None) -> None:
        self.built.notes.append((".".join(map(str, path)), text, source))

    def prose(self, text: str, path: FieldPath) -> str:
        return self.lift(text, ".".join(map(str, path)))

    def paragraphs(self, paras: list[Para], path: FieldPath) -> list[str]:
        return [self.prose(p.text, (*path, i)) for i, p in enumerate(paras)]

    # ------------------------------------------------------------ the whole report

    def build(self) -> Built:
        facts = self.built.facts
        mapping = map_sections(self.outline, self.profile)
        for index, node in enumerate(self.outline.sections):
            section = mapping.get(index)
            if section is None:
                self.note((), f"第{index + 1}部分“{node.title}”在结构方案“{self.profile.name}”"
                              "中没有对应的部分，未导入", node.source)
                continue
            self.built.mapping[index] = section.id
            if section.heading != node.title:
                facts.setdefault("headings", {})[section.id] = node.title
            self.section(section, node)
        if self.outline.closing:
            facts["closing"] = self.paragraphs(self.outline.closing, ("closing",))
        return self.built

    def section(self, section: Section, node: Node) -> None:
        template = section.template_name
        facts = self.built.facts
        if template == "part.j2":
            name = section.facts_field
            if name in Facts.model_fields:
                facts[name] = self.part(node, (name,), section)
            else:  # a section of the profile's own: its facts are under `parts:`
                parts = facts.setdefault("parts", {})
                parts[name] = self.part(node, ("parts", name), section)
        elif template == "problems.j2" and section.measures != "after":
            facts["problems"] = self.part(node, ("problems",), section)
        elif template in ("problems.j2", "problems_merged.j2"):
            facts["problems"] = self.merged(node, section)
        elif template == "problems_inline.j2":
            facts["problems"] = self.inline(node)
        elif template == "measures.j2":
            self.measures(node, section)
        else:
            self.note((section.id,), f"部分“{node.title}”用的模板 {template} 不能反推事实，"
                                     "正文按段落放入", node.source)
            facts[section.id] = {"text": self.paragraphs(node.body, (section.id, "text"))}

    def part(self, node: Node, path: FieldPath, section: Section) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if node.body:
            out["text"] = self.paragraphs(node.body, (*path, "text"))
        items = [self.item(child, (*path, "items", i)) for i, child in enumerate(node.children)]
        if items:
            out["items"] = items
        if node.children and node.children[0].level != section.item_level:
            self.note(path, f"条目从第{node.children[0].level}级标题开始，结构方案为第"
                            f"{section.item_level}级", node.children[0].source)
        return out

    def item(self, node: Node, path: FieldPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if node.title:
            out["title"] = self.prose(node.title, (*path, "title"))
        if node.score is not None and not any(n.score for n in node.walk()[1:]):
            score: dict[str, Any] = {"max": node.score.max}
            if node.score.self_score is not None:
                score["self"] = node.score.self_score
            out["score"] = score
        elif node.score is not None:
            self.check_sum(node, path)
        self.body(node.body, path, out)
        children = [self.item(c, (*path, "children", i)) for i, c in enumerate(node.children)]
        if children:
            out["children"] = children
        return out

    def body(self, paras: list[Para], path: FieldPath, out: dict[str, Any]) -> None:
        """Text paragraphs; a last paragraph 一是……二是…… becomes `points`."""
        enumeration = split_enumeration(paras[-1].text) if paras else None
        text = paras[:-1] if enumeration else paras
        if text:
            out["text"] = self.paragraphs(text, (*path, "text"))
        if enumeration:
            lead, points = enumeration
            lifted = [self.prose(p, (*path, "points", "points", i)) for i, p in enumerate(points)]
            out["points"] = {"lead": self.prose(lead, (*path, "points", "lead")),
                             "points": lifted} if lead else lifted

    def check_sum(self, node: Node, path: FieldPath) -> None:
        """A group's printed score is computed from its leaves; say so when they disagree."""
        leaves = [n for n in node.walk()[1:] if n.score and not any(c.score for c in n.walk()[1:])]
        total = sum((n.score.max for n in leaves if n.score), node.score.max * 0)  # type: ignore[union-attr]
        own = [n.score.self_score for n in leaves if n.score]
        assert node.score is not None
        if total != node.score.max or (
            None not in own and node.score.self_score is not None
            and sum(own, node.score.max * 0) != node.score.self_score  # type: ignore[arg-type]
        ):  # fmt: skip
            self.note(path, f"原文的分值{node.score.typed}与下级指标之和不一致；起草时按下级之和"
                            "计算", node.source)

    # ------------------------------------------------------------ problems and measures

    def merged(self, node: Node, section: Section) -> dict[str, Any]:
        """存在问题及改进措施: each problem, then its "改进措施：……" paragraph."""
        lead = section.lead
        out = self.part(Node(1, "", node.source, body=node.body), ("problems",), section)
        items = []
        for i, child in enumerate(node.children):
            path: FieldPath = ("problems", "items", i)
            at = next((k for k, p in enumerate(child.body) if p.text.startswith(lead)), None)
            own = child.body if at is None else child.body[:at]
            item = self.item(replace(child, body=own), path)
            if at is not None:
                first = Para(child.body[at].text[len(lead):], child.body[at].source)
                measure: dict[str, Any] = {}
                self.body([first, *child.body[at + 1:]], (*path, "measure"), measure)
                item["measure"] = measure
            items.append(item)
        if items:
            out["items"] = items
        return out

    def inline(self, node: Node) -> dict[str, Any]:
        """存在的主要问题及改进措施 in one paragraph: intro, then 一是{标题}。{正文}二是……"""
        out: dict[str, Any] = {}
        paras = list(node.body)
        enumeration = split_enumeration(paras[-1].text) if paras else None
        if enumeration is None:
            out["text"] = self.paragraphs(paras, ("problems", "text"))
            return out
        lead, points = enumeration
        text = [p.text for p in paras[:-1]] + ([lead] if lead else [])
        if text:
            out["text"] = [self.prose(t, ("problems", "text", i)) for i, t in enumerate(text)]
        items = []
        for i, point in enumerate(points):
            cut = point.find("。")
            split = 0 < cut < len(point) - 1
            title, rest = (point[:cut], point[cut + 1:]) if split else ("", point)
            item: dict[str, Any] = {}
            if title:
                item["title"] = self.prose(title, ("problems", "items", i, "title"))
            item["text"] = self.prose(rest, ("problems", "items", i, "text"))
            items.append(item)
        out["items"] = items
        return out

    def measures(self, node: Node, section: Section) -> None:
        """改进措施 paired one to one with the problems, in order."""
        problems = self.built.facts.get("problems", {}).get("items", [])
        if node.body:
            self.note(("problems",), "“改进措施”部分标题下的导语无法放入（措施与问题一一对应），"
                                     "已并入第一条措施", node.body[0].source)
        if len(node.children) != len(problems):
            self.note(("problems",), f"改进措施有{len(node.children)}条，存在问题有"
                                     f"{len(problems)}条，无法一一对应", node.source)
        for i, (child, problem) in enumerate(zip(node.children, problems, strict=False)):
            body = node.body + child.body if i == 0 else child.body
            measure = self.item(replace(child, body=body), ("problems", "items", i, "measure"))
            problem["measure"] = measure


def split_enumeration(text: str) -> tuple[str, list[str]] | None:
    """"lead一是A；二是B。" → (lead, [A, B]) when drafter's 一是/二是 wording (wording.py)
    gives back exactly `text`; None otherwise."""
    first = text.find("一是")
    if first < 0:
        return None
    lead, rest = text[:first], text[first:]
    points: list[str] = []
    for n in range(1, 21):
        word, following = _ORDINALS[n - 1], _ORDINALS[n] if n < 20 else None
        if not rest.startswith(word):
            return None
        rest = rest[len(word):]
        cut = rest.find(following) if following else -1
        # the next ordinal must follow the end of a clause, not stand inside a sentence
        while cut > 0 and rest[cut - 1] not in "。；！？…":
            cut = rest.find(following, cut + 1) if following else -1
        if cut < 0:
            points.append(rest)
            break
        points.append(rest[:cut])
        rest = rest[cut:]
    if len(points) < 2:
        return None
    trimmed = [_trim(p, i == len(points) - 1) for i, p in enumerate(points)]
    if wording.enumerate_points(trimmed, lead) != text or not all(trimmed):
        return None
    return lead, trimmed


def _trim(point: str, last: bool) -> str:
    """Drop the ending drafter adds by itself (；, and 。 on the last point)."""
    ending = "。" if last else "；"
    return point[:-1] if point.endswith(ending) else point


def notice_cite(text: str) -> tuple[str, dict[str, str]] | None:
    """The evaluation notice cited in an opening paragraph: the text with {{ notice_cite }}
    in its place, and the notice's issuer, title and 文号."""
    match = _CITE.search(text)
    if match is None:
        return None
    notice = {k: v for k, v in match.groupdict().items() if v}
    start = match.start("issuer") if notice.get("issuer") else match.start("title") - 1
    return text[:start] + "{{ notice_cite }}" + text[match.end():], notice


def broken_number(number: str) -> bool:
    return any(f.kind == "broken_wenhao" for f in typography.check(number))
