"""What the recogniser makes of a report: its parts as plain text, with the headings'
levels, numbers and scores read off, and where each came from in the source."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal


@dataclass
class Para:
    """A paragraph of text and the source paragraph it came from (第N段)."""

    text: str
    source: int


@dataclass
class Score:
    """A score annotation read from a heading: （5分，自评分4.8分）."""

    max: Decimal
    self_score: Decimal | None
    typed: str  # exactly as printed, for messages


@dataclass
class Node:
    """A heading, the paragraphs under it and its sub-headings."""

    level: int  # GB/T 9704 level of its number's form: 1 一、 2 （一） 3 1. 4 （1）
    title: str  # without number and score; a level-3/4 title keeps no closing 。
    source: int
    number: str = ""  # as drafter prints it ("（一）"); "" when the source typed none
    value: int | None = None  # the typed number's value (3 for "3."), if any
    run_in: bool = False  # the source ran the heading in with its first paragraph
    full_stop: bool = True  # a level-3/4 title ended in 。 in the source
    score: Score | None = None
    body: list[Para] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def walk(self) -> list[Node]:
        """This node and every node below it, in reading order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class Note:
    """Something the recogniser was unsure of, for the import notes."""

    text: str
    source: int | None = None


@dataclass
class Outline:
    title: list[Para]
    sections: list[Node]  # level-1 headings
    addressee: Para | None = None
    preamble: list[Para] = field(default_factory=list)
    closing: list[Para] = field(default_factory=list)
    issuer: Para | None = None
    date: Para | None = None
    letter_number: Para | None = None  # a 函's own 发文字号 above the title (frame.py)
    letter_number_align: Literal["居中", "居右"] = "居右"  # where the source put it
    signature_at: Literal["top", "bottom"] = "bottom"
    notes: list[Note] = field(default_factory=list)
    # Paragraphs outside the report (web-page chrome before the title, text after the 落款):
    # kept for the import notes, never silently dropped.
    outside: list[Para] = field(default_factory=list)
    traditional: bool = False  # the source was converted from Traditional characters
    # The report's paragraphs as the recogniser cleaned them, heading numbers in the form
    # drafter prints: what an import must draft back.
    lines: list[str] = field(default_factory=list)

    def nodes(self) -> list[Node]:
        return [node for section in self.sections for node in section.walk()]
