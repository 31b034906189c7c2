"""Where the figures are in a paragraph (drafter/reading/metrics.py lifts them).

`scan(text, year)` finds the figures worth lifting and what each one is: its unit, its
wanted name (drafter/reading/metric_names.py), a year near the report's year, a change
phrase (同比上升…), last year's value given in the same sentence (由A提高到B). Spans that
must stay as typed are masked first: 《》 〈〉 <> quotes, 文号, score notes and score
sentences, heading numbers, URLs.

Everything here is linear in the paragraph: regexes are precompiled, positions (sentence
ends, clause separators) are found once and looked up with bisect, and searches are run
on windows of `text` (pos/endpos) rather than on slices copied per figure.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from drafter.reading import metric_names as names
from drafter.wording import number

_BASES = names.words(
    """个百分点 % ％ ‰ 元/生 元/人 万元 亿元 元 人次 人 名 位 所 个月 个 间 台 套 组 家 项 次
    节 班 课时 学时 小时 平方米 平方公里 公里 米 亩 册 天 支 场 篇 件 门 份 条 处 辆 座 张 种
    批 倍 吨"""
)
_NON_INTEGER = {"个百分点", "%", "％", "‰", "元/生", "元/人", "万元", "亿元", "元", "课时", "学时",
                "小时", "平方米", "平方公里", "公里", "米", "亩", "天", "倍", "吨"}  # fmt: skip
_UNIT = re.compile(
    "(?:万余|万多|亿余|余|多|万|亿)?(?:"
    + "|".join(re.escape(b) for b in sorted(_BASES, key=len, reverse=True))
    + ")|[万亿]"
)
# A figure: standard thousands grouping or none; not glued to letters, signs or other digits.
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z_.．,\-+/:：~～—–])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?![0-9A-Za-z_\-+/:：~～—–]|[.．,]\d|[.．]?[A-Za-z])"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile("[。！？；!?;\n]")
_CLAUSE_SEPS = "，,、：:（）()。！？；!?;\n“”\"‘’'「」『』《》〈〉<>〔〕[]【】 \u3000"
_CLAUSE_SEP = re.compile(f"[{re.escape(_CLAUSE_SEPS)}]")
_HEAD_SEPS = tuple(c for c in _CLAUSE_SEPS if c not in "“”")  # a name's head before a quote
_NOT_COUNT_BEFORE = ("第", "前", "排名", "位列", "名列", "排第", "No", "NO")
# The `…$` patterns are searched on a few characters before a figure (pos/endpos keep `$`
# as on the slice); _WINDOW covers their longest word plus a newline `$` may stand before.
_WINDOW = 8
_APPROX_BEFORE = re.compile(r"(近|约|逾|超过|大约|接近|不足|不到)$")
_APPROX_AFTER = re.compile(r"^(左右|以上|以下|及以上|及以下|上下)")
_TOTAL_BEFORE = re.compile(r"(共计|共有|总计|合计)$")
_FROM_BEFORE = re.compile(r"[由从]$")
_UP = ("增长", "增加", "上升", "提高", "提升", "增", "升")
_CHANGE = re.compile(
    r"(增长|增加|上升|提高|提升|下降|降低|减少|增幅为|降幅为|增幅|降幅|增|降|升)(约|近)?$"
)
_CHANGE_UNITS = ("%", "％", "‰", "个百分点")
_HAS_COMPARATOR = re.compile(r"同比|较上|比上|较去|比去|较同期|与上年|[较比]\d{4}年")
_FROM_TO = re.compile(r"^(提高|提升|增加|增长|上升|下降|降低|减少|降|升|增)(到|至)$")
PLANNED = re.compile(r"计划|预计|力争|目标|到\d{4}年|可达")
_LAST_YEAR = re.compile("上年|去年|上一年")
_THIS_YEAR = re.compile("今年|本年|当年")
_DATE = re.compile(r"年\s*\d{1,2}\s*月")
_YEAR_LIKE = re.compile(r"(19|20)\d\d")
_LEADING_VERB = re.compile(r"^(进行|开展|实施)")
_HEADING = re.compile(r"^[\s\u3000]*(?:[（(]\s*\d{1,2}\s*[）)]|\d{1,2}\s*(?:[、．]|\.(?!\d)))")
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fffA-Za-z]*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*第?\d+\s*号"
)
_SCORE_NOTE = re.compile(
    r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[，,、]?\s*自评(?:得)?分\s*\d+(?:\.\d+)?\s*分\s*[）)]"
)
_SCORE_SENTENCE = re.compile(r"\d\s*分")
_SCORE_WORDS = re.compile(r"自评|测评点|得分|总分|满分|扣")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+")
_PAIRS = {"《": "》", "〈": "〉", "<": ">", "“": "”", "「": "」", "『": "』", "‘": "’"}
_OPENER_OF = {close: open_ for open_, close in _PAIRS.items()}
_BRACKET = re.compile(f"[{re.escape(''.join(_PAIRS) + ''.join(_OPENER_OF))}]")
_QUOTE_CLOSES = "”」』’"  # an unclosed quote ends with its sentence, a 《 with the text


@dataclass
class Change:
    verb: str
    verb_start: int
    subject: str  # the name of the metric whose change this is (maybe not lifted here)


@dataclass
class Figure:
    start: int
    end: int  # after the unit
    value: str
    unit: str = ""
    year: int | None = None  # a year to mark: the offset from the report's year
    name: str = ""  # the wanted name (made unique on commit)
    label: str | None = None
    sentence: int = 0
    clause_year: int | None = None  # the year written at the head of its clause
    clause: str = ""  # the clause before the figure, uncut
    change: Change | None = None
    previous: str | None = None
    previous_of: Figure | None = None  # this figure is last year's value of that one
    exact_change: Figure | None = None  # written as {{ m.X.change }} of that figure
    first_in_sentence: str = ""  # the first metric's name in its sentence (to tell apart)
    after_verb: str = ""  # the verb after the figure's noun (23所学校进行抽测 → 抽测)


# ------------------------------------------------------------------------ protected spans


def protected(text: str, ends: list[int]) -> bytearray:
    """1 for every character that must stay as typed; `ends`: the sentence ends' offsets."""
    mask = bytearray(len(text))

    def cover(start: int, end: int) -> None:
        mask[start:end] = b"\x01" * (end - start)

    for start, end in _paired(text, ends):
        cover(start, end)
    # Each pattern needs a literal first; checking it skips the costly backtracking scans
    # (`[…]*〔…` and `\S+@` retry from every character of a paragraph).
    spans = []
    if "号" in text:
        spans.append(_DOC_NUMBER.finditer(text))
    if "自评" in text:
        spans.append(_SCORE_NOTE.finditer(text))
    heading = _HEADING.match(text)
    if heading:
        cover(heading.start(), heading.end())
    if "@" in text or "www." in text or "http" in text:
        spans.append(_URL.finditer(text))
    for found in spans:
        for match in found:
            cover(match.start(), match.end())
    if "分" in text:
        start = 0
        for end in [*(i + 1 for i in ends), len(text)]:
            sentence = text[start:end]
            if _SCORE_SENTENCE.search(sentence) and _SCORE_WORDS.search(sentence):
                cover(start, end)  # scores are computed from the score tree elsewhere
            start = end
    return mask


def _paired(text: str, ends: list[int]) -> list[tuple[int, int]]:
    """《…》 (nested), 〈…〉, quotes, outermost first; an unclosed one runs to the end (a quote:
    to the end of its sentence). One pass matches every pair with a stack per kind."""
    closed: dict[int, int] = {}  # opener offset → offset after its close
    openers: list[int] = []
    stacks: dict[str, list[int]] = {open_: [] for open_ in _PAIRS}
    for match in _BRACKET.finditer(text):
        char, at = match.group(), match.start()
        if char in _PAIRS:
            stacks[char].append(at)
            openers.append(at)
        elif stacks[_OPENER_OF[char]]:
            closed[stacks[_OPENER_OF[char]].pop()] = at + 1
    spans, pos = [], 0
    for at in openers:
        if at < pos:
            continue  # inside the previous span
        end = closed.get(at)
        if end is None:
            end = len(text)
            if _PAIRS[text[at]] in _QUOTE_CLOSES:
                k = bisect_left(ends, at)
                end = ends[k] + 1 if k < len(ends) else len(text)
        spans.append((at, end))
        pos = end
    return spans


# ------------------------------------------------------------------------ figures


def scan(text: str, year: int) -> list[Figure]:
    """The figures of `text` to lift (names wanted, not yet unique), in order."""
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    seps = [m.start() for m in _CLAUSE_SEP.finditer(text)]
    mask = protected(text, ends)

    figures: list[Figure] = []
    cut = 0  # the before-words of a figure start after the previous figure
    sentence = -1
    last_subject = ""
    last_metric: Figure | None = None
    clause_year: tuple[int, int] | None = None  # (clause start, year)
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if mask[start] or (end < len(text) and mask[end]):
            cut = max(cut, end)
            continue
        if bisect_left(ends, start) != sentence:
            sentence, last_subject, last_metric = bisect_left(ends, start), "", None
        k = bisect_left(seps, start)
        clause_start = seps[k - 1] + 1 if k else 0
        clause_start = max(clause_start, mask.rfind(1, 0, start) + 1)
        before = text[max(cut, clause_start):start]
        if not before and text.endswith("”", 0, start) and text.find("“", 0, start) >= 0:
            # 入选教育部“基础教育精品课”16节: the quoted words are part of the name
            quote = text.rfind("“", 0, start)
            head = max((text.rfind(c, 0, quote) + 1 for c in _HEAD_SEPS), default=0)
            before = text[max(cut, head):start]
        value = match.group()

        typed_year = _year(value, text, end)
        if typed_year is not None:
            cut = end + (2 if text.startswith("年度", end) else 1)
            clause_year = (clause_start, typed_year)
            subject = names.clean(names.COMPARATOR.sub("", before))
            if subject:
                last_subject = subject
            offset = typed_year - year
            if abs(offset) <= 1:
                figures.append(Figure(start, end, value, year=offset, sentence=sentence))
            continue
        if _DATE.match(text, end):
            cut = end
            continue  # a date: 2021年7月23日

        unit_match = _UNIT.match(text, end)
        unit = unit_match.group() if unit_match else ""
        fig = Figure(start, end + len(unit), value, unit, sentence=sentence)
        fig.clause = text[clause_start:start]
        if clause_year and clause_year[0] == clause_start:
            fig.clause_year = clause_year[1]
        if not _liftable(text, fig, before, mask):
            cut = max(cut, fig.end)
            continue
        after = text[fig.end:]
        approx = _APPROX_BEFORE.search(text, max(0, start - _WINDOW), start)
        tail = _APPROX_AFTER.match(after)
        if approx or tail:
            typed = f"{approx.group() if approx else ''}{value}{unit}"
            fig.label = f"源文作“{typed}{tail.group() if tail else ''}”"

        change = _CHANGE.search(before)
        if change and (
            names.base_unit(unit) in _CHANGE_UNITS or _HAS_COMPARATOR.search(fig.clause)
        ):
            subject = names.change_subject(before[: change.start()]) or last_subject
            if not subject:
                cut = fig.end
                continue
            up = change.group(1).startswith(_UP)
            kind = ("增幅" if up else "降幅") if unit in _CHANGE_UNITS else (
                "增加数" if up else "减少数"
            )
            fig.name = names.shorten(names.stem(subject) + kind if kind.endswith("数")
                                     else subject + kind)
            fig.change = Change(change.group(1), start - len(before) + change.start(), subject)
            last_subject = subject
            fig.label = fig.label or f"源文作“{text[fig.change.verb_start:fig.end]}”"
        else:
            previous = last_metric.name if last_metric else ""
            name, consumed = names.name_figure(before, after, unit, last_subject, previous,
                                               fig.clause)
            if not name:
                cut = fig.end
                continue
            fig.name = name
            if consumed:
                cut = fig.end + consumed
                fig.after_verb = names.verb_of(
                    _LEADING_VERB.sub("", after[consumed:consumed + 6])[:2]
                )
            last_subject = name
        cut = max(cut, fig.end)
        if fig.change is None:
            last_metric = fig
        figures.append(fig)

    _pair(text, figures, year)
    return figures


@lru_cache(maxsize=4096)
def _prints_as_typed(value: str, grouped: bool) -> bool:
    return number(Decimal(value.replace(",", "")), None, grouped) == value


def _liftable(text: str, fig: Figure, before: str, mask: bytearray) -> bool:
    value, unit, start = fig.value, fig.unit, fig.start
    if text.endswith(_NOT_COUNT_BEFORE, 0, start):
        return False
    if not _prints_as_typed(value, "," in value):
        return False  # e.g. 05: would print as 5
    core = names.base_unit(unit)
    if unit:
        if "." in value and core not in _NON_INTEGER and not unit.startswith(("万", "亿")):
            return False  # 2.0项目: a version, not a count
        return not mask[fig.end - 1]
    # A bare number: a count right after its noun, or after 共计 before its noun.
    clean = value.replace(",", "")
    if "." in value or len(clean) > 6 or _YEAR_LIKE.fullmatch(clean):
        return False
    nxt = text[fig.end:fig.end + 1]
    prev = text[start - 1:start] if start else ""
    if nxt in ("", "，", "。", "；", "、", ",", ";") and prev and _CJK.match(prev):
        name = names.clean(before)
        return bool(name) and not names.is_verb(name)
    return bool(_TOTAL_BEFORE.search(text, max(0, start - _WINDOW), start)) and bool(
        nxt and _CJK.match(nxt)
    )


def _pair(text: str, figures: list[Figure], year: int) -> None:
    """Last year's value given in the sentence: 由A提高到B; 2021年X为A，2022年X为B."""
    metrics = [f for f in figures if f.year is None and f.change is None]
    for i, b in enumerate(metrics):
        for a in reversed(metrics[:i]):
            if a.sentence != b.sentence or a.unit != b.unit or a.previous_of is not None:
                continue
            from_to = (
                _FROM_TO.match(text[a.end:b.start]) is not None
                and _FROM_BEFORE.search(text, max(0, a.start - _WINDOW), a.start) is not None
            )
            years = a.name == b.name and not planned(text, b.start) and (
                (a.clause_year is not None and b.clause_year == a.clause_year + 1
                 and b.clause_year <= year)
                or (_LAST_YEAR.search(a.clause) is not None
                    and _THIS_YEAR.search(b.clause) is not None)
            )
            if not (from_to or years):
                continue
            if not _prints_as_typed(a.value, "," in b.value):
                break  # would not print as typed with b's grouping
            b.name = a.name
            b.previous = a.value
            a.previous_of = b
            break
    first: dict[int, str] = {}
    for f in metrics:
        first.setdefault(f.sentence, f.name)
        f.first_in_sentence = first[f.sentence]


def planned(text: str, start: int) -> bool:
    """Is the sentence before `start` about a plan (计划 预计 到2025年 …)?"""
    return PLANNED.search(text, text.rfind("。", 0, start) + 1, start) is not None


def _year(value: str, text: str, end: int) -> int | None:
    """A year written as "2020年" (not 2020年级, nor a date 2020年7月…)."""
    if len(value) != 4 or not value.isdigit() or not 1900 <= int(value) <= 2100:
        return None
    if not text.startswith("年", end) or text.startswith("年级", end):
        return None
    if _DATE.match(text, end):
        return None
    return int(value)
