"""The document model: pure data between the section templates and the Word writer.

Templates write plain text in a tiny block markup, one paragraph per line:

    # 主要做法和成效                 a level-1 heading (its number 一、 is generated later)
    ## 主要做法                      a level-2 heading  （一）
    ### 加强党的领导。|| 正文……       a level-3 heading run in with its body:
                                    "1.加强党的领导。正文……"
    #### 小标题                      a level-4 heading on its own line  （1）
    正文……                          a body paragraph

Blank lines are ignored. A heading line needs a space after its hashes, so prose that
happens to start with "#" stays prose. Heading numbers are never typed: numbering.py
assigns them from the levels.

Inside any text, two kinds of marked spans survive to the .docx as highlights:
    【待补充：字段】            a fact that is missing (gap)
    \\ue000旧文字\\ue001         text carried over from last year and not yet reviewed (stale)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

SpanKind = Literal["text", "gap", "stale"]

GAP_OPEN, GAP_CLOSE = "【待补充：", "】"
STALE_OPEN, STALE_CLOSE = "\ue000", "\ue001"
RUN_IN = "||"
MAX_LEVEL = 4

GAP_RE = re.compile(f"{re.escape(GAP_OPEN)}[^{GAP_CLOSE}]*{GAP_CLOSE}")
_SPAN_RE = re.compile(f"({GAP_RE.pattern}|{STALE_OPEN}[^{STALE_CLOSE}]*{STALE_CLOSE})")
# Any number of hashes parses as a heading, so a level beyond MAX_LEVEL (items nested too
# deep) is reported by the composer instead of slipping into the text as "#####".
_HEADING_RE = re.compile(r"^(#+) +(.*)$")
# A gap typed by hand into facts prose (【待补充：…】): drafted as a gap, flagged by lint.
TYPED_GAP = re.compile(r"【\s*待补充\s*(?:[：:][^】]*)?】")


def gap_marker(name: str) -> str:
    """The visible placeholder for a missing fact."""
    return f"{GAP_OPEN}{name}{GAP_CLOSE}"


@dataclass(frozen=True)
class Span:
    """A run of text with one meaning: ordinary, a missing fact, or carried over."""

    text: str
    kind: SpanKind = "text"


Line = tuple[Span, ...]


@dataclass
class Heading:
    """A numbered heading. With `body`, it is run in: heading and body in one paragraph."""

    level: int
    text: Line
    body: Line | None = None
    number: str = ""  # "一、" "（一）" "1." "（1）", assigned by numbering.py

    @property
    def run_in(self) -> bool:
        return self.body is not None


@dataclass
class Paragraph:
    """A body paragraph: 仿宋, first line indented two characters."""

    spans: Line


Block = Heading | Paragraph


@dataclass
class Document:
    """Everything the writer needs, already worded and numbered; no formatting decisions."""

    title_lines: list[Line]
    addressee: Line | None
    blocks: list[Block]
    issuer: Line
    date: Line
    signature_at: Literal["top", "bottom", "none"] = "bottom"  # none: no 落款 at all
    meta: dict[str, str] = field(default_factory=dict)  # district, year … for docProps
    # A 函's own 发文字号 above the title: then title_lines[0] is that line (so it is read,
    # normalised and traced as part of the title block), aligned so; None: no such line.
    letter_number: Literal["center", "right"] | None = None

    @property
    def title_only(self) -> list[Line]:
        """The title's own lines, without a 函's 发文字号 line above them."""
        return self.title_lines[1:] if self.letter_number else self.title_lines

    def iter_lines(self) -> Iterator[Line]:
        """Every piece of visible text, in reading order (for gap lists and golden texts)."""
        yield from self.title_lines
        if self.signature_at == "top":
            yield self.issuer
            yield self.date
        if self.addressee is not None:
            yield self.addressee
        for block in self.blocks:
            if isinstance(block, Heading):
                yield (Span(block.number), *block.text, *(block.body or ()))
            else:
                yield block.spans
        if self.signature_at == "bottom":
            yield self.issuer
            yield self.date


def spans(text: str) -> Line:
    """Split text into spans at the gap and stale markers (the markers' text is kept)."""
    out: list[Span] = []
    for piece in _SPAN_RE.split(text):
        if not piece:
            continue
        if piece.startswith(GAP_OPEN):
            out.append(Span(piece, "gap"))
        elif piece.startswith(STALE_OPEN):
            out.append(Span(piece[1:-1], "stale"))
        else:
            out.append(Span(piece))
    return tuple(out)


def split_line(line: Line, lengths: Iterable[int]) -> list[Line]:
    """Cut a line into consecutive pieces of the given visible lengths, splitting spans
    where a cut falls inside one (each piece keeps its kind, so a highlight survives)."""
    pieces: list[Line] = []
    queue = list(line)
    for length in lengths:
        piece: list[Span] = []
        while length > 0 and queue:
            span = queue.pop(0)
            if len(span.text) > length:
                queue.insert(0, Span(span.text[length:], span.kind))
                span = Span(span.text[:length], span.kind)
            piece.append(span)
            length -= len(span.text)
        pieces.append(tuple(piece))
    return pieces


def plain(line: Iterable[Span]) -> str:
    """The visible text of a line."""
    return "".join(s.text for s in line)


@dataclass(frozen=True)
class MarkupLine:
    """One parsed line of template output, with where it came from for error messages."""

    block: Block
    source_line: int


def parse_markup(text: str) -> list[MarkupLine]:
    """Parse a section template's output into blocks (see the module docstring)."""
    out: list[MarkupLine] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        match = _HEADING_RE.match(line)
        if match is None:
            out.append(MarkupLine(Paragraph(spans(line)), lineno))
            continue
        level = len(match.group(1))
        head, sep, body = match.group(2).partition(RUN_IN)
        out.append(
            MarkupLine(
                Heading(level, spans(head.strip()), spans(body.strip()) if sep else None),
                lineno,
            )
        )
    return out
