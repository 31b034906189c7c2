"""Which fact drafted which characters: the drafted paragraphs of a facts file, each cut
into template wording and the facts fields printed in it.

The draft is composed a second time with a Context that wraps every prose field it prints
in private-use marker characters carrying the field's id. Markers are exact where string
search is not (the same sentence may stand in several fields; a field may be a number or
a name that also occurs in template wording), and they nest (a field may print another:
`{{ district }}` in the preamble). Only the outermost field of a stretch counts here; the
`{{ … }}` inside it are described by `Piece`s, rendered one by one.

Markers could disturb the typography normaliser (it looks at neighbouring characters), so
positions are carried over from the marked draft to the real one by a character alignment
rather than assumed equal.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.compose import Draft, document_lines
from drafter.config import Customisation
from drafter.context import Context
from drafter.document import STALE_CLOSE, STALE_OPEN, Block, Heading, plain
from drafter.facts.load import FieldPath, load_facts
from drafter.pipeline import draft_facts, draft_loaded
from drafter.typography import JINJA_RE, normalise
from drafter.wording import SENTENCE_ENDINGS

OPEN, CLOSE = "\ue010", "\ue011"  # around a field's drafted text; OPEN is followed by an id
ID_BASE = 0xF0000  # ids are characters of the supplementary private-use plane
_NOT_SHOWN = {ord(c): None for c in (STALE_OPEN, STALE_CLOSE)}


@dataclass(frozen=True)
class Piece:
    """A stretch of a field's source: literal text, or one `{{ … }}` with what it drafts."""

    source: str
    output: str
    expr: bool


@dataclass
class Region:
    """One facts field printed in a drafted paragraph, at [start, end) of its text."""

    path: FieldPath
    start: int
    end: int
    raw: str  # the field's source text
    pieces: list[Piece] | None  # None: not reproducible piece by piece ({% %} …)


@dataclass
class Line:
    """A drafted paragraph and where its text came from."""

    text: str
    regions: list[Region]
    kind: str  # "title", "signature", "addressee", "heading", "run_in", "body"
    block: Block | None = None

    def template_segments(self) -> list[tuple[int, int]]:
        """The stretches no field drafted: numbers, 一是, 改进措施：, score annotations …"""
        out, at = [], 0
        for region in self.regions:
            out.append((at, region.start))
            at = region.end
        out.append((at, len(self.text)))
        return out


@dataclass
class Traced:
    draft: Draft
    context: Context
    lines: list[Line]
    raw: dict[FieldPath, str] = field(default_factory=dict)  # every field printed


class _MarkingContext(Context):
    """A Context that wraps each printed prose field in markers (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.ids: dict[FieldPath, int] = {}
        self.raw: dict[FieldPath, str] = {}
        self.endings: dict[FieldPath, str] = {}  # closing marks written after the marker
        super().__init__(*args, **kwargs)

    def wrap(self, value: Any, path: FieldPath) -> Any:
        if not isinstance(value, str):
            return super().wrap(value, path)
        marker = self._marker(self.located.stale_path(path), when_printed=True)
        return marker(self._marked(self.prose(value, path), value, path))

    def _marked(self, text: str, raw: str, path: FieldPath) -> str:
        core = text.rstrip()
        if not core:
            return text
        # A closing mark stays outside, so sentence() and 一是…； see how the text ends.
        end = len(core)
        while end > 0 and core[end - 1] in SENTENCE_ENDINGS:
            end -= 1
        ident = self.ids.setdefault(path, len(self.ids))
        self.raw[path] = raw
        self.endings[path] = core[end:]
        return f"{OPEN}{chr(ID_BASE + ident)}{core[:end]}{CLOSE}{text[end:]}"


def strip_markers(text: str) -> str:
    """Visible text: field and stale markers dropped."""
    out, skip = [], False
    for ch in text.translate(_NOT_SHOWN):
        if skip:
            skip = False
        elif ch == OPEN:
            skip = True
        elif ch != CLOSE:
            out.append(ch)
    return "".join(out)


def position_map(a: str, b: str) -> Callable[[int, bool], int | None]:
    """Where a position of `a` falls in `b`. Exact where the texts agree; inside a changed
    stretch the start of its replacement (`late` False) or its end (`late` True), or None
    when `strict` callers need an exact place (see `exact`)."""
    if a == b:
        return lambda pos, late: pos
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()

    def at(pos: int, late: bool) -> int | None:
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal" and i1 <= pos < i2:
                return j1 + pos - i1
            if i1 <= pos <= i2 and (tag != "equal" or pos == i2):
                if tag == "equal":
                    return j2
                if pos == i1 and not late:
                    return j1
                if pos == i2 and late:
                    return j2
                return j2 if late else j1
        return len(b) if pos >= len(a) else None

    return at


def trace(facts_path: Path, custom: Customisation | None = None) -> Traced:
    """The draft of `facts_path` and, for each of its paragraphs, what drafted it."""
    draft = draft_facts(facts_path, custom)
    made: list[_MarkingContext] = []

    def factory(*args: Any, **kwargs: Any) -> _MarkingContext:
        made.append(_MarkingContext(*args, **kwargs))
        return made[-1]

    marked = draft_loaded(*load_facts(facts_path), custom, context_class=factory)
    ctx = made[-1]
    paths = {ident: path for path, ident in ctx.ids.items()}
    real_doc, marked_doc = draft.document, marked.document
    real = document_lines(real_doc)
    kinds = _kinds(real_doc)
    titles = len(real_doc.title_lines)
    marked_rest = [plain(line) for line in marked_doc.iter_lines()][len(marked_doc.title_lines):]
    lines = [Line(text, [], "title") for text in real[:titles]]
    cache: dict[FieldPath, list[Piece] | None] = {}
    for text, marked_text, (kind, block) in zip(real[titles:], marked_rest, kinds, strict=True):
        regions = []
        for path, start, end in _outer_regions(marked_text, paths):
            raw = ctx.raw[path]
            if path not in cache:
                cache[path] = _pieces(ctx, raw, path)
            end += _ending(ctx.endings.get(path, ""), strip_markers(marked_text)[end:])
            regions.append(Region(path, start, end, raw, cache[path]))
        lines.append(Line(text, _placed(regions, strip_markers(marked_text), text), kind, block))
    return Traced(draft, ctx, lines, dict(ctx.raw))


def _kinds(doc: Any) -> list[tuple[str, Block | None]]:
    """The kind of each line after the title, in Document.iter_lines order."""
    signature = [("signature", None), ("signature", None)]
    out: list[tuple[str, Block | None]] = signature if doc.signature_at == "top" else []
    if doc.addressee is not None:
        out = [*out, ("addressee", None)]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(("run_in" if block.run_in else "heading", block))
        else:
            out.append(("body", block))
    return out + (signature if doc.signature_at == "bottom" else [])


def _outer_regions(
    marked: str, paths: dict[int, FieldPath]
) -> list[tuple[FieldPath, int, int]]:
    """The outermost marked fields of a line, in visible (marker-free) positions; a field's
    closing punctuation, written after its marker, is counted in."""
    out: list[tuple[FieldPath, int, int]] = []
    stack: list[tuple[FieldPath, int]] = []
    visible, i = 0, 0
    while i < len(marked):
        ch = marked[i]
        if ch == OPEN:
            stack.append((paths[ord(marked[i + 1]) - ID_BASE], visible))
            i += 2
            continue
        if ch == CLOSE:
            path, start = stack.pop()
            if not stack:
                out.append((path, start, visible))
        elif ch not in (STALE_OPEN, STALE_CLOSE):
            visible += 1
        i += 1
    return out


def _pieces(ctx: Context, raw: str, path: FieldPath) -> list[Piece] | None:
    """The field's source cut at its `{{ … }}`, each with what it drafts alone; None when
    the pieces do not add up to the field's drafted text."""
    if "{%" in raw:
        return None
    pieces, at = [], 0
    for match in JINJA_RE.finditer(raw):
        if match.start() > at:
            pieces.append(Piece(raw[at : match.start()], raw[at : match.start()], False))
        output = "" if match.group().startswith("{#") else ctx.prose(match.group(), path)
        pieces.append(Piece(match.group(), strip_markers(str(output)), True))
        at = match.end()
    if at < len(raw):
        pieces.append(Piece(raw[at:], raw[at:], False))
    whole = strip_markers(str(ctx.prose(raw, path)))
    return pieces if "".join(p.output for p in pieces) == whole else None


def _ending(ending: str, after: str) -> int:
    """How many characters after a field's marker are its own closing marks."""
    if ending and (after.startswith(ending) or after.startswith(normalise(ending))):
        return len(ending)
    return 0


def _placed(regions: list[Region], marked: str, real: str) -> list[Region]:
    """Regions carried over from the marked line's positions to the real line's."""
    if marked == real:
        return regions
    where = position_map(marked, real)
    return [
        Region(r.path, where(r.start, False) or 0, where(r.end, True) or 0, r.raw, r.pieces)
        for r in regions
    ]
