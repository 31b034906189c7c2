"""Keep a score annotation, a number with its unit and a 文号 on one line, in Word and in
LibreOffice, without changing the composed text.

What holds them together, written only into the .docx (readers strip it: JOINERS):
- between two characters of a token where a line could break, U+200D, which Word writes
  for its own "No-Width Non Break" (Insert › Symbol › Special Characters, made for Asian
  text), and U+2060 WORD JOINER, Unicode's no-break (UAX #14 class WJ);
- the token's run in w:lang w:eastAsia="en-US" with w:noProof. LibreOffice breaks zh-CN
  text with its CJK break iterator, which honours no joiner and lets a full-width comma
  hang and break after it; in an en-US run it uses ICU's rules, which honour U+2060
  (7.4 and 25.2 measured). Word takes w:lang for proofing only (ECMA-376 17.3.2.20; its
  font choice for these characters does not depend on it, MS-OI29500 2.1.88), hence
  w:noProof: the English speller would flag the 汉字.

A token moved whole to the next line can leave the line before it short, which justified
text stretches. Per paragraph, linefit.py predicts the lines and drafter then does what a
文秘 would: lets a 文号 break between the issuer's abbreviation and 〔 (〔2021〕40号 stays
whole), tightens the paragraph's character spacing a little (never so much that a line of
汉字 holds a 29th; a heading a little more, to fit a last character on its line), and
sets a heading it cannot fix left-aligned, so its first line is not stretched. The same
tightening removes a one-character last line where it can.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from itertools import compress

from lxml import etree

from drafter.joiners import JOINER
from drafter.joiners import JOINERS as JOINERS  # where readers and tests find it
from drafter.word import linefit, styles

BOUND_LANGUAGE = "en-US"

# （5分，自评分5分）, （63分，自评得分61.6分）, （5分）: a short bracket ending in a score.
SCORE_ANNOTATION = re.compile(r"（[^（）\n]{0,16}?\d(?:\.\d+)?分）")
_UNITS = (
    "个百分点|百分点|万元|亿元|元/生|万人|人次|平方米|万册|小时|公里|%|％|‰|元|人|名|所|个|"
    "项|次|家|节|门|位|篇|周|年|月|日|天|分|倍|亩|台|套|间|册|班|岁|万|亿"
)
NUMBER_UNIT = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?(?:余|多)?(?:{_UNITS})")
# A 文号: the issuer's abbreviation (when a bracket or mark sets it off) and 〔year〕N号.
DOC_NUMBER = re.compile(r"(?:(?<=[（(《》〉“：，、\s])([\u4e00-\u9fff]{1,12}))?(〔\d{4}〕\d+号)")

MAX_TIGHTEN = 6  # twips a character, on top of styles.CHAR_SPACING: 0.3 pt
MAX_TIGHTEN_HEADING = 12  # 0.6 pt: a heading one 字 too long for its line then fits
MODEL_MARGIN = 15  # twips: how far the line model may be off (a line of 28 字 leaves 25)
_JUSTIFIED_STYLES = frozenset({styles.BODY, *styles.HEADINGS.values()})
_HEADING_STYLES = frozenset(styles.HEADINGS.values())

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _T, _PPR, _RPR, _PSTYLE, _VAL = (
    f"{_W}{t}" for t in ("p", "r", "t", "pPr", "rPr", "pStyle", "val")
)
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CONTROLS = frozenset(f"{_W}{t}" for t in ("tab", "br", "cr"))


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    cut: int | None = None  # where a line may break after all (文号: before 〔)


def tokens(text: str) -> list[Token]:
    """The spans of `text` that must stay on one line, in order, not overlapping."""
    found: list[Token] = []
    for match in SCORE_ANNOTATION.finditer(text):
        found.append(Token(match.start(), match.end()))
    for match in DOC_NUMBER.finditer(text):
        cut = match.start(2) if match.group(1) else None
        found.append(Token(match.start(), match.end(), cut))
    for match in NUMBER_UNIT.finditer(text):
        found.append(Token(match.start(), match.end()))
    kept: list[Token] = []
    for token in sorted(found, key=lambda t: (t.start, -t.end)):
        if not kept or token.start >= kept[-1].end:
            kept.append(token)
    return kept


def glue(text: str, found: list[Token], cuts: bool = False) -> list[bool]:
    """glued[i]: text[i-1] and text[i] belong to one token (and, with `cuts`, are not at a
    token's permitted cut)."""
    glued = [False] * len(text)
    for token in found:
        for i in range(token.start + 1, token.end):
            glued[i] = not (cuts and i == token.cut)
    return glued


@dataclass(frozen=True)
class Plan:
    """What to write for one paragraph."""

    glued: tuple[bool, ...]
    spacing: int = 0  # extra twips per character (negative: tighter)
    left: bool = False  # a heading set left-aligned: its short first line is not stretched

    @property
    def changes_layout(self) -> bool:
        return bool(self.spacing or self.left)


def _token_starts(text: str, found: list[Token]) -> frozenset[int]:
    """Where a line starts when a token moves down whole: at the token or its cut, or
    before the opening marks just before them, which move down with it."""
    starts = set()
    for token in found:
        for at in (token.start, token.cut):
            while at is not None:
                starts.add(at)
                at = at - 1 if at and text[at - 1] in linefit.NO_LINE_END else None
    return frozenset(starts)


def _problems(text: str, starts: frozenset[int], fit: linefit.Fit) -> tuple[int, int, int]:
    """(lines stretched because a token moved down, their unused twips, a one-character
    last line?)."""
    moved = [i for i in fit.stretched() if fit.lines[i + 1][0] in starts]
    return len(moved), sum(fit.slack[i] for i in moved), int(fit.short_last_line(text))


# Each plan must hold in both offices (LibreOffice spaces digits from 汉字, Word does not)
# and with the model a little off either way.
_MODELS = tuple(
    (autospace, linefit.LINE_TWIPS + margin)
    for autospace in (linefit.LIBREOFFICE_AUTOSPACE, 0)
    for margin in (-MODEL_MARGIN, MODEL_MARGIN)
)
# The model a line is fullest in: if a paragraph fits one line there, it does in all.
_FULLEST = (max(a for a, _ in _MODELS), min(w for _, w in _MODELS))


def _worst(
    text: str, starts: frozenset[int], prepared: linefit.Prepared, spacing: int, indent: int
) -> tuple[int, int, int]:
    """_problems at their worst over the models."""
    results = [
        _problems(text, starts, linefit.fit_prepared(prepared, indent, spacing, autospace, width))
        for autospace, width in _MODELS
    ]
    return tuple(max(column) for column in zip(*results, strict=True))  # type: ignore[return-value]


def plan(text: str, heading: bool = False, indent: int = 2 * linefit.ZI) -> Plan:
    """The binding, tightening and alignment for a justified paragraph of `text`: the least
    change that leaves no line stretched by a token and no one-character last line, else
    the one that leaves the least stretch."""
    found = tokens(text)
    whole = glue(text, found)
    first_prepared = linefit.prepare(text, whole)
    if linefit.one_line(first_prepared, indent, *_FULLEST):
        return Plan(tuple(whole))  # one line in every model: nothing can be stretched
    starts = _token_starts(text, found)
    first = _worst(text, starts, first_prepared, 0, indent)
    if first == (0, 0, 0):
        return Plan(tuple(whole))
    options = [(first, 0, False, whole)]
    for cuts in (False, True) if any(t.cut for t in found) else (False,):
        glued = glue(text, found, cuts) if cuts else whole
        prepared = linefit.prepare(text, glued) if cuts else first_prepared
        for extra in range(0 if cuts else 1, (MAX_TIGHTEN_HEADING if heading else MAX_TIGHTEN) + 1):
            worst = _worst(text, starts, prepared, -extra, indent)
            options.append((worst, extra, cuts, glued))
            if worst == (0, 0, 0):
                break
    (moved, stretch, short), extra, cuts, glued = min(
        options, key=lambda o: (o[0][0], o[0][1] // linefit.ZI, o[0][2], o[1], o[2])
    )
    if moved and heading:  # no stretched first line: the token starts the next one
        return Plan(tuple(whole), left=True)
    if (moved, short) == first[::2] and stretch // linefit.ZI == first[1] // linefit.ZI:
        return Plan(tuple(whole))  # nothing gained: change nothing
    return Plan(tuple(glued), -extra)


def joined(text: str, glued: tuple[bool, ...], start: int, end: int) -> str:
    """text[start:end] with JOINER before each glued character that could otherwise begin
    a line in Word or LibreOffice (at `start` too: the pair may span two runs)."""
    out = []
    for i in range(start, end):
        if glued[i] and linefit.pair_breaks(text[i - 1], text[i], False):
            out.append(JOINER)
        out.append(text[i])
    return "".join(out)


# ------------------------------------------------------------------ writing


def _text_runs(p: etree._Element) -> list[tuple[etree._Element, etree._Element]] | None:
    """(w:r, its w:t) for every run of the paragraph, or None where a run is not plain
    text (a tab, a line break, more than one w:t): such paragraphs are left alone."""
    runs = []
    for r in p.iter(_R):
        if any(child.tag in _CONTROLS for child in r):
            return None
        ts = r.findall(_T)
        if len(ts) > 1:
            return None
        if ts:
            runs.append((r, ts[0]))
    return runs


def _rpr(r: etree._Element) -> etree._Element:
    rpr = r.find(_RPR)
    if rpr is None:
        rpr = r.makeelement(_RPR)
        r.insert(0, rpr)
    return rpr


def _split_run(r: etree._Element, pieces: list[tuple[str, bool]]) -> None:
    """Replace run `r` by one run per (text, bound) piece, each with r's properties."""
    for text, bound in pieces:
        new = deepcopy(r)
        new_t = new.find(_T)
        new_t.text = text
        if text != text.strip():
            new_t.set(_SPACE, "preserve")
        else:
            new_t.attrib.pop(_SPACE, None)
        if bound:
            rpr = _rpr(new)
            styles.set_child(rpr, "noProof", styles.RPR_ORDER)
            styles.set_child(rpr, "lang", styles.RPR_ORDER, eastAsia=BOUND_LANGUAGE)
        r.addprevious(new)
    r.getparent().remove(r)


def _bound_spans(glued: tuple[bool, ...]) -> list[tuple[int, int]]:
    """The [start, end) spans of characters inside a token or glued to the one before,
    in order, touching spans merged: each is written as one bound run."""
    spans: list[tuple[int, int]] = []
    for i in compress(range(len(glued)), glued):
        if spans and spans[-1][1] >= i - 1:
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((max(i - 1, 0), i + 1))
    return spans


def bind_paragraph(p: etree._Element, layout: bool = True) -> Plan | None:
    """Rewrite a body or heading paragraph's runs as its Plan says; None if left alone.
    Without `layout` (another page or font than drafter's own) tokens are only bound."""
    ppr = p.find(_PPR)
    style = ppr.find(_PSTYLE) if ppr is not None else None
    style_id = style.get(_VAL) if style is not None else None
    if style_id not in _JUSTIFIED_STYLES:
        return None
    runs = _text_runs(p)
    if not runs:
        return None
    text = "".join(t.text or "" for _, t in runs)
    if layout:
        result = plan(text, heading=style_id in _HEADING_STYLES)
    else:
        result = Plan(tuple(glue(text, tokens(text))))
    bound = _bound_spans(result.glued)
    offset = 0
    for r, t in runs:
        start, end = offset, offset + len(t.text or "")
        offset = end
        if result.spacing:
            styles.set_child(_rpr(r), "spacing", styles.RPR_ORDER,
                             val=str(styles.CHAR_SPACING + result.spacing))  # fmt: skip
        pieces, a = [], start
        for span_start, span_end in bound:
            lo, hi = max(span_start, start), min(span_end, end)
            if lo >= hi:
                continue
            if a < lo:
                pieces.append((text[a:lo], False))
            pieces.append((joined(text, result.glued, lo, hi), True))
            a = hi
        if not pieces:
            continue
        if a < end:
            pieces.append((text[a:end], False))
        _split_run(r, pieces)
    if result.left:
        styles.set_child(ppr, "jc", styles.PPR_ORDER, val="left")
    return result


def bind_body(body: etree._Element, layout: bool = True) -> int:
    """bind_paragraph for every paragraph of the body; returns how many were rewritten.
    `layout`: the page is drafter's own 28 字 × 22 lines (no reference document)."""
    return sum(1 for p in body.iter(_P) if bind_paragraph(p, layout) is not None)
