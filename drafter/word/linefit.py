"""Where a paragraph's lines will break on the GB/T 9704 grid: 28 字 of 三号 a line.

A model of what LibreOffice and Word do with drafter's styles, used to decide what to do
about a line that an unbreakable token leaves short (breaks.py): each 汉字 and full-width
mark is one 字 (315 twips after the −0.25 pt spacing), an ASCII digit about half of one;
a line may not start with a closing mark nor end with an opening one, digits stay
together, and one closing mark may hang past the right margin (not one inside a token
drafter binds: LibreOffice hangs marks in Chinese text only). LibreOffice also puts a
little space between a 汉字 and a digit (it ignores w:autoSpaceDE), Word does not:
`autospace` says which one to model.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, compress

LINE_TWIPS = 8845  # the 版心's 156 mm
ZI = 315  # one 字 of 三号 with −0.25 pt character spacing
LIBREOFFICE_AUTOSPACE = 64  # 3.2 pt between a 汉字 and a digit or Latin letter
STRETCH_LIMIT = 3 * ZI  # a line short by more than 3 字 is visibly stretched when justified

# Marks that may not start a line (they may hang past the margin) / not end one.
NO_LINE_START = frozenset("，。、；：？！）》〉」』”’】〕…%‰·")
NO_LINE_END = frozenset("（《〈「『“‘【〔")
_MARKS = NO_LINE_START | NO_LINE_END
_QUOTES = frozenset("“”‘’")
_HANGING = frozenset("，。、；：？！）》〉」』”’】〕")
# Times New Roman advance widths at 16 pt, in twips, minus the −0.25 pt spacing.
_ASCII = {".": 75, ",": 75, ":": 84, "%": 262, "-": 102, "/": 84, " ": 75, "+": 175}
_ASCII_DEFAULT = 155  # a digit; close enough for letters
_FULL_WIDTH_FROM = "\u2e80"  # CJK radicals onwards are one 字 wide
_LATIN = "A-Za-z0-9"  # what _latin() accepts, as a regex class's contents
_AFTER_LATIN = ".%‰"  # stays on a line with a Latin letter or digit before it
_DOUBLED = "—…"  # —— and …… do not break in the middle


@cache  # per character: a draft measures every character of every paragraph several times
def char_width(ch: str) -> int:
    if ch < _FULL_WIDTH_FROM and ch not in "“”‘’…—·":
        return _ASCII.get(ch, _ASCII_DEFAULT) if ch.isascii() else 0
    return ZI


def _latin(ch: str) -> bool:  # a character of _LATIN
    return ch.isascii() and ch.isalnum()


def _ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass(frozen=True)
class Fit:
    """The predicted lines of a paragraph: (start, end) offsets into its text, and how many
    twips each line leaves unused (negative: a mark hangs into the margin)."""

    lines: tuple[tuple[int, int], ...]
    slack: tuple[int, ...]

    def stretched(self) -> list[int]:
        """Indexes of lines (all but the last) short by more than STRETCH_LIMIT."""
        return [i for i, s in enumerate(self.slack[:-1]) if s > STRETCH_LIMIT]

    def short_last_line(self, text: str) -> bool:
        """Whether the paragraph ends in a line of one character (marks not counted)."""
        if len(self.lines) < 2:
            return False
        start, end = self.lines[-1]
        counted = 0
        for ch in text[start:end]:
            if ch not in _MARKS:
                counted += 1
                if counted > 1:  # enough: a last line is often long
                    return False
        return True


def _class(chars: str | frozenset[str]) -> str:
    return "[" + "".join(map(re.escape, sorted(chars))) + "]"


# pair_breaks() can say no only next to one of these: breakable() tests the pairs around
# them and no others (prepare() runs for every paragraph of every draft).
_BINDING = re.compile(
    _class(NO_LINE_START | NO_LINE_END | _QUOTES | frozenset(_AFTER_LATIN + _DOUBLED))
    + f"|[{_LATIN}]"
)


def breakable(text: str, glued: Sequence[bool], quotes_glue: bool = True) -> list[bool]:
    """can[i]: whether a line may break between text[i-1] and text[i] (can[0] is False).
    `glued[i]` says the two are bound by drafter (a joiner will be written between them).
    `quotes_glue`: LibreOffice follows UAX #14's rule for quotation marks, no break on
    either side of “ ” ‘ ’."""
    n = len(text)
    can = [True] * n
    if n:
        can[0] = False
    for match in _BINDING.finditer(text):
        j = match.start()
        for i in (j, j + 1):
            if 0 < i < n and can[i]:
                can[i] = pair_breaks(text[i - 1], text[i], quotes_glue)
    for i in compress(range(n), glued):
        can[i] = False
    return can


@lru_cache(maxsize=65_536)
def pair_breaks(a: str, b: str, quotes_glue: bool = True) -> bool:
    """Whether a line may break between the characters a and b (nothing binding them)."""
    return not (
        (quotes_glue and (a in _QUOTES or b in _QUOTES))
        or b in NO_LINE_START
        or a in NO_LINE_END
        or ((_latin(a) or a == ".") and (_latin(b) or b in _AFTER_LATIN))
        or (a == b and a in _DOUBLED)
    )


@dataclass(frozen=True)
class Prepared:
    """What fit() needs of a paragraph that does not depend on the model: break
    opportunities, and prefix sums of the character widths and of the places where
    LibreOffice puts space between a 汉字 and a digit."""

    can: tuple[bool, ...]
    hangs: tuple[bool, ...]
    widths: tuple[int, ...]  # widths[i]: the width of text[:i]
    gaps: tuple[int, ...]  # gaps[i]: how many such places in text[:i], the first excepted
    gap: tuple[bool, ...]
    breaks: tuple[int, ...] = ()  # the i where can[i], in order
    narrowest: int = 0  # the smallest character width


# Characters that may be narrower than one 字 (char_width says) and runs of Latin letters
# and digits (LibreOffice spaces them from a 汉字 beside them): found by a scan each, the
# rest of a paragraph being 字-wide 汉字. No class of all 汉字 here: [\u4e00-\u9fff] takes
# ~2 ms to compile, on every cold start; the neighbours of a run are tested instead.
_NARROW = re.compile(f"[\\x00-\\u{ord(_FULL_WIDTH_FROM) - 1:04x}]")
_LATIN_RUN = re.compile(f"[{_LATIN}]+")


def prepare(text: str, glued: Sequence[bool], quotes_glue: bool = True) -> Prepared:
    n = len(text)
    each = [ZI] * n
    for match in _NARROW.finditer(text):
        each[match.start()] = char_width(match.group())
    gap = [False] * n
    for match in _LATIN_RUN.finditer(text):
        a, b = match.span()
        if a and _ideograph(text[a - 1]):
            gap[a] = True
        if b < n and _ideograph(text[b]):
            gap[b] = True
    hangs = list(map(_HANGING.__contains__, text))
    for i in compress(range(n), glued):
        gap[i] = hangs[i] = False
    can = breakable(text, glued, quotes_glue)
    return Prepared(tuple(can), tuple(hangs), (0, *accumulate(each)), (0, *accumulate(gap)),
                    tuple(gap), tuple(compress(range(n), can)), min(each, default=0))


def one_line(p: Prepared, indent: int, autospace: int, width: int) -> bool:
    """Whether the paragraph fits its first line untightened, so that fit() gives one line
    for this and every wider or less spaced model."""
    return p.widths[-1] + autospace * p.gaps[-1] <= width - indent


def fit(
    text: str,
    glued: Sequence[bool],
    indent: int = 2 * ZI,
    spacing: int = 0,
    autospace: int = LIBREOFFICE_AUTOSPACE,
    width: int = LINE_TWIPS,
    quotes_glue: bool = True,
) -> Fit:
    """Greedy line filling as both offices do it. `spacing`: extra twips per character
    (negative tightens); `glued` as in breakable()."""
    return fit_prepared(prepare(text, glued, quotes_glue), indent, spacing, autospace, width)


def fit_prepared(
    p: Prepared,
    indent: int = 2 * ZI,
    spacing: int = 0,
    autospace: int = LIBREOFFICE_AUTOSPACE,
    width: int = LINE_TWIPS,
) -> Fit:
    n, can, hangs, widths, gaps, gap = len(p.can), p.can, p.hangs, p.widths, p.gaps, p.gap

    def span(start: int, end: int) -> int:  # the width of text[start:end] on one line
        inner = gaps[end] - gaps[start] - (gap[start] if start < end else 0)
        return widths[end] - widths[start] + spacing * (end - start) + autospace * inner

    if p.narrowest + spacing >= 0 <= autospace:
        return _fit_by_search(p, indent, spacing, autospace, width, span)
    lines, slack = [], []
    start, room, last_break, i = 0, width - indent, None, 0
    base = widths[0] - gaps[0] * autospace  # of the line so far, without its first gap
    while i < n:
        if i > start and can[i]:
            last_break = i
        used = widths[i + 1] + spacing * (i + 1) + autospace * gaps[i + 1] - base
        if used <= room:
            i += 1
            continue
        if hangs[i] and i > start:  # hangs past the margin, then the line ends
            end = i + 1
        elif last_break is not None and last_break > start:
            end = last_break
        else:  # nothing breakable on the line: break where it overflows
            end = max(i, start + 1)
        lines.append((start, end))
        slack.append(room - span(start, end))
        start, room, last_break, i = end, width, None, end
        if start < n:
            base = widths[start] + spacing * start + autospace * (gaps[start] + gap[start])
    if start < n or not lines:
        lines.append((start, n))
        slack.append(room - span(start, n))
    return Fit(tuple(lines), tuple(slack))


def _fit_by_search(
    p: Prepared, indent: int, spacing: int, autospace: int, width: int,
    span: Callable[[int, int], int],
) -> Fit:
    """fit_prepared's greedy filling when the running width never decreases (no character
    narrower than the tightening): each line's overflow found from a guess and its last
    break by bisection, instead of a step per character. Gives the same lines."""
    n, hangs, gap, breaks = len(p.can), p.hangs, p.gap, p.breaks
    widths, gaps = p.widths, p.gaps

    def cum(k: int) -> int:  # the running width of text[:k]
        return widths[k] + spacing * k + autospace * gaps[k]

    step = max(ZI + spacing, 1)  # the widest a character can be, gaps aside
    lines, slack = [], []
    start, room = 0, width - indent
    while start < n:
        limit = cum(start) + autospace * gap[start] + room
        # i: the last k >= start with cum(k) <= limit; text[i] is the first character that
        # overflows. Searched from a guess of 字-wide characters: a line is mostly 汉字, so
        # the guess is a few steps off.
        i = min(n, start + room // step) if room > 0 else start
        if cum(i) <= limit:
            while i < n and cum(i + 1) <= limit:
                i += 1
        else:
            while i > start and cum(i) > limit:
                i -= 1
        if i >= n:
            break  # the rest fits
        last = bisect_right(breaks, i) - 1  # the last break at or before i …
        last_break = breaks[last] if last >= 0 and breaks[last] > start else None  # … after start
        if hangs[i] and i > start:
            end = i + 1
        elif last_break is not None:
            end = last_break
        else:
            end = max(i, start + 1)
        lines.append((start, end))
        slack.append(room - span(start, end))
        start, room = end, width
    if start < n or not lines:
        lines.append((start, n))
        slack.append(room - span(start, n))
    return Fit(tuple(lines), tuple(slack))
