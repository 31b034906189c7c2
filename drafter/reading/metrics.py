"""The figures in a report's prose → metrics, and the prose → text with `{{ m.… }}`.

`MetricLifter.lift(text)` returns the text with each figure worth updating next year
replaced by a reference, and remembers the metric. Rendering the result with drafter's own
machinery (Metric + MetricView, `year` = the report's year) gives back the input exactly:
every lifted paragraph is rendered once here and kept only if it does (else the paragraph
stays as typed). Correctness beats coverage: whatever is doubtful stays in the prose.

Lifted: an Arabic figure followed by a unit (%, ％, ‰, 个百分点, 元, 万元, 亿元, 万, 亿, 人, 名,
人次, 所, 个, 间, 台 … 元/生; with 余/多 as typed: 320余人 → unit 余人, 1.3万余人 → 万余人,
800余万元 → 余万元); a bare count only in "在园幼儿4443，" or "共计9607中小学新生".
Year-over-year: "由A提高到B" and "2021年X为A，2022年X为B" give `previous` (A is written
`{{ m.X.previous }}`); a change phrase ("同比上升11.11个百分点") becomes `{{ m.X.change }}`
only when drafter's own wording of the change is exactly the typed one; otherwise the
typed change is its own metric (X增幅 / X降幅). A rate's change typed with % that equals
the difference of the two rates gets a note (the text is never repaired).
Years: the report's year and its neighbours, as "YYYY年", become {{ year }}年,
{{ year - 1 }}年, {{ year + 1 }}年 (so `drafter roll` moves them); other years stay.

Left in the prose on purpose: dates (2021年7月23日) and other years; anything in 《》 〈〉
<> or quotes (“5+2”, titles); 文号 (…〔2021〕40号); score annotations (（5分，自评分5分）) and
score sentences (24项测评点中…98.5分); ordinals and ranks (第1批, 前3名); Chinese numerals;
figures joined to letters or signs (5G, 2.0版, 1+X, 3-6岁, 8:30, 2021-2025); odd digit
grouping (12,34); a decimal count (2.0项); ages (岁, 周岁: a name, not a count); a number
with no unit and no sure name; and every text that already contains { or }.

Names: drafter/reading/metric_names.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from drafter.context import MetricsView
from drafter.facts.derive import change_text
from drafter.facts.models import Metric
from drafter.reading import metric_names as names
from drafter.wording import number


@dataclass
class LiftedMetric:
    name: str  # readable Chinese name taken from the words around the figure
    value: str  # the digits exactly as typed ("18.30", "9,245,154.23", "1354")
    unit: str  # "%", "万元", "所", "余人", "个百分点" …; "" for a bare number
    previous: str | None = None  # last year's value where the sentence gives it exactly
    label: str | None = None  # 口径 note, e.g. "源文作“近800万元”"

    def metric(self) -> Metric:
        """The drafter Metric this prints as (grouped when typed with commas)."""
        return Metric(
            value=Decimal(self.value.replace(",", "")),
            unit=self.unit,
            grouped="," in self.value,
            previous=None if self.previous is None else Decimal(self.previous.replace(",", "")),
        )


@dataclass
class Lifted:
    text: str  # the prose with {{ m.名称 }} / .previous / .change / {{ year }} references
    notes: list[str] = field(default_factory=list)  # Chinese notes for a person


# --------------------------------------------------------------------------- patterns

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
_SENTENCE_END = "。！？；!?;\n"
_CLAUSE_SEPS = "，,、：:（）()。！？；!?;\n“”\"‘’'「」『』《》〈〉<>〔〕[]【】 \u3000"
_NOT_COUNT_BEFORE = ("第", "前", "排名", "位列", "名列", "排第", "No", "NO")
_APPROX_BEFORE = re.compile(r"(近|约|逾|超过|大约|接近|不足|不到)$")
_APPROX_AFTER = re.compile(r"^(左右|以上|以下|及以上|及以下|上下)")
_UP = ("增长", "增加", "上升", "提高", "提升", "增", "升")
_CHANGE = re.compile(
    r"(增长|增加|上升|提高|提升|下降|降低|减少|增幅为|降幅为|增幅|降幅|增|降|升)(约|近)?$"
)
_HAS_COMPARATOR = re.compile(r"同比|较上|比上|较去|比去|较同期|与上年|[较比]\d{4}年")
_FROM_TO = re.compile(r"^(提高|提升|增加|增长|上升|下降|降低|减少|降|升|增)(到|至)$")
_PLANNED = re.compile(r"计划|预计|力争|目标|到\d{4}年|可达")
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

_ENV = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)


@dataclass
class _Change:
    verb: str
    verb_start: int
    subject: str  # the name of the metric whose change this is (maybe not lifted here)


@dataclass
class _Figure:
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
    change: _Change | None = None
    previous: str | None = None
    previous_of: _Figure | None = None  # this figure is last year's value of that one
    exact_change: _Figure | None = None  # written as {{ m.X.change }} of that figure
    first_in_sentence: str = ""  # the first metric's name in its sentence (to tell apart)
    after_verb: str = ""  # the verb after the figure's noun (23所学校进行抽测 → 抽测)


class MetricLifter:
    """Lifts the figures of one report's prose into metrics (names unique across it)."""

    verify = True  # render each lifted text and keep it only if it gives back the input

    def __init__(self, year: int, existing: dict[str, LiftedMetric] | None = None) -> None:
        self.year = year
        self.metrics: dict[str, LiftedMetric] = {
            k: replace(v) for k, v in (existing or {}).items()
        }
        self.where: dict[str, str] = {}  # metric name → where it was first lifted

    # ----------------------------------------------------------------------- public

    def lift(self, text: str, where: str = "") -> Lifted:
        if not text or any(c in text for c in "{}\r") or text.endswith("\n"):
            return Lifted(text, [])
        notes: list[str] = []
        figures = self._plan(text, notes)
        if not figures:
            return Lifted(text, [])
        registry = dict(self.metrics)
        out = self._emit(text, figures, registry)
        if self.verify and self._render(out, registry) != text:
            return Lifted(text, [])  # a figure we got wrong: keep the paragraph as typed
        for name in registry:
            if name not in self.metrics:
                self.where[name] = where
        self.metrics = registry
        return Lifted(out, notes)

    # ----------------------------------------------------------------------- planning

    def _protected(self, text: str) -> bytearray:
        mask = bytearray(len(text))

        def cover(start: int, end: int) -> None:
            mask[start:end] = b"\x01" * (end - start)

        i = 0
        while i < len(text):  # 《…》 (nested), 〈…〉, quotes; an unclosed one runs to the end
            close = _PAIRS.get(text[i])
            if close is None:
                i += 1
                continue
            depth, j = 1, i + 1
            while j < len(text) and depth:
                if text[j] == text[i] and text[i] != close:
                    depth += 1
                elif text[j] == close:
                    depth -= 1
                j += 1
            if depth and close in "”」』’":  # an unclosed quote: to the end of its sentence
                j = min([k + 1 for k in (text.find(c, i) for c in _SENTENCE_END) if k >= 0]
                        or [len(text)])
            cover(i, j)
            i = j
        for pattern in (_DOC_NUMBER, _SCORE_NOTE, _HEADING, _URL):
            for match in pattern.finditer(text):
                cover(match.start(), match.end())
        start = 0
        for end in [*(i + 1 for i, c in enumerate(text) if c in _SENTENCE_END), len(text)]:
            sentence = text[start:end]
            if _SCORE_SENTENCE.search(sentence) and _SCORE_WORDS.search(sentence):
                cover(start, end)  # scores are computed from the score tree elsewhere
            start = end
        return mask

    def _plan(self, text: str, notes: list[str]) -> list[_Figure]:
        mask = self._protected(text)
        sentence_of = [0] * (len(text) + 1)
        count = 0
        for i, c in enumerate(text):
            sentence_of[i] = count
            if c in _SENTENCE_END:
                count += 1
        sentence_of[len(text)] = count

        figures: list[_Figure] = []
        cut = 0  # the before-words of a figure start after the previous figure
        sentence = -1
        last_subject = ""
        last_metric: _Figure | None = None
        clause_year: tuple[int, int] | None = None  # (clause start, year)
        for match in _NUMBER.finditer(text):
            start, end = match.span()
            if mask[start] or (end < len(text) and mask[end]):
                cut = max(cut, end)
                continue
            if sentence_of[start] != sentence:
                sentence, last_subject, last_metric = sentence_of[start], "", None
            clause_start = max(
                (text.rfind(c, 0, start) + 1 for c in _CLAUSE_SEPS), default=0
            )
            clause_start = max(clause_start, _last_protected(mask, start))
            before = text[max(cut, clause_start):start]
            if not before and text[:start].endswith("”") and "“" in text[:start]:
                # 入选教育部“基础教育精品课”16节: the quoted words are part of the name
                quote = text.rfind("“", 0, start)
                head = max((text.rfind(c, 0, quote) + 1 for c in _CLAUSE_SEPS if c not in "“”"),
                           default=0)
                before = text[max(cut, head):start]
            value = match.group()
            rest = text[end:]

            year = _year(value, rest)
            if year is not None:
                cut = end + (2 if rest.startswith("年度") else 1)
                clause_year = (clause_start, int(value))
                subject = names.clean(names.COMPARATOR.sub("", before))
                if subject:
                    last_subject = subject
                offset = int(value) - self.year
                if abs(offset) <= 1:
                    figures.append(_Figure(start, end, value, year=offset, sentence=sentence))
                continue
            if rest.startswith("年") and re.match(r"年\s*\d{1,2}\s*月", rest):
                cut = end
                continue  # a date: 2021年7月23日

            unit_match = _UNIT.match(rest)
            unit = unit_match.group() if unit_match else ""
            fig = _Figure(start, end + len(unit), value, unit, sentence=sentence)
            fig.clause = text[clause_start:start]
            if clause_year and clause_year[0] == clause_start:
                fig.clause_year = clause_year[1]
            if not self._liftable(text, fig, before, mask):
                cut = max(cut, fig.end)
                continue
            after = text[fig.end:]
            approx = _APPROX_BEFORE.search(text[:start])
            tail = _APPROX_AFTER.match(after)
            if approx or tail:
                typed = f"{approx.group() if approx else ''}{value}{unit}"
                fig.label = f"源文作“{typed}{tail.group() if tail else ''}”"

            change = _CHANGE.search(before)
            if change and (
                names.base_unit(unit) in ("%", "％", "‰", "个百分点")
                or _HAS_COMPARATOR.search(fig.clause)
            ):
                subject = names.change_subject(before[: change.start()]) or last_subject
                if not subject:
                    cut = fig.end
                    continue
                up = change.group(1).startswith(_UP)
                kind = ("增幅" if up else "降幅") if unit in ("%", "％", "‰", "个百分点") else (
                    "增加数" if up else "减少数"
                )
                fig.name = names.shorten(names.stem(subject) + kind if kind.endswith("数")
                                         else subject + kind)
                fig.change = _Change(change.group(1), start - len(before) + change.start(),
                                     subject)
                last_subject = subject
                label = f"源文作“{text[fig.change.verb_start:fig.end]}”"
                fig.label = fig.label or label
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
                        re.sub(r"^(进行|开展|实施)", "", after[consumed:consumed + 6])[:2]
                    )
                last_subject = name
            cut = max(cut, fig.end)
            if fig.change is None:
                last_metric = fig
            figures.append(fig)

        self._pair(text, figures)
        self._changes(text, figures, notes)
        return figures

    def _liftable(self, text: str, fig: _Figure, before: str, mask: bytearray) -> bool:
        value, unit, start = fig.value, fig.unit, fig.start
        head = text[:start]
        if head.endswith(_NOT_COUNT_BEFORE):
            return False
        clean = value.replace(",", "")
        if number(Decimal(clean), None, "," in value) != value:
            return False  # e.g. 05: would print as 5
        core = names.base_unit(unit)
        if unit:
            if "." in value and core not in _NON_INTEGER and not unit.startswith(("万", "亿")):
                return False  # 2.0项目: a version, not a count
            return not mask[fig.end - 1]
        # A bare number: a count right after its noun, or after 共计 before its noun.
        if "." in value or len(clean) > 6 or re.fullmatch(r"(19|20)\d\d", clean):
            return False
        nxt = text[fig.end:fig.end + 1]
        prev = head[-1:]
        if nxt in ("", "，", "。", "；", "、", ",", ";") and prev and _CJK.match(prev):
            name = names.clean(before)
            return bool(name) and not names.is_verb(name)
        return bool(re.search(r"(共计|共有|总计|合计)$", head)) and bool(
            nxt and _CJK.match(nxt)
        )

    def _pair(self, text: str, figures: list[_Figure]) -> None:
        """Last year's value given in the sentence: 由A提高到B; 2021年X为A，2022年X为B."""
        metrics = [f for f in figures if f.year is None and f.change is None]
        for i, b in enumerate(metrics):
            for a in reversed(metrics[:i]):
                if a.sentence != b.sentence or a.unit != b.unit or a.previous_of is not None:
                    continue
                between = text[a.end:b.start]
                from_to = (
                    _FROM_TO.match(between) is not None
                    and re.search(r"[由从]$", text[: a.start]) is not None
                )
                planned = _PLANNED.search(text[: b.start].rsplit("。", 1)[-1]) is not None
                years = a.name == b.name and not planned and (
                    (a.clause_year is not None and b.clause_year == a.clause_year + 1
                     and b.clause_year <= self.year)
                    or (re.search("上年|去年|上一年", a.clause) is not None
                        and re.search("今年|本年|当年", b.clause) is not None)
                )
                if not (from_to or years):
                    continue
                if number(Decimal(a.value.replace(",", "")), None, "," in b.value) != a.value:
                    break  # would not print as typed with b's grouping
                b.name = a.name
                b.previous = a.value
                a.previous_of = b
                break
        first: dict[int, str] = {}
        for f in metrics:
            first.setdefault(f.sentence, f.name)
            f.first_in_sentence = first[f.sentence]

    def _changes(self, text: str, figures: list[_Figure], notes: list[str]) -> None:
        """{{ m.X.change }} where drafter's wording is the typed one; notes on rates in %."""
        for i, c in enumerate(figures):
            if c.change is None:
                continue
            target = next(
                (f for f in reversed(figures[:i]) if f.sentence == c.sentence
                 and f.year is None and f.change is None and f.previous_of is None
                 and f.name == c.change.subject),
                None,
            )  # fmt: skip
            if target is None:
                continue
            typed = text[c.change.verb_start:c.end]
            is_rate = target.unit in ("%", "％", "‰")
            if target.previous is not None:
                metric = LiftedMetric(target.name, target.value, target.unit, target.previous)
                if change_text(metric.metric()) == typed:
                    c.exact_change = target
                    continue
                delta = abs(metric.metric().number - Decimal(target.previous.replace(",", "")))
                if is_rate and c.unit in ("%", "％") and Decimal(c.value) == delta:
                    notes.append(
                        f"“{text[c.start - len(_prefix(text, c)):c.end]}”是两个比率之差，"
                        f"应为“{c.value}个百分点”"
                    )
            elif is_rate and c.unit in ("%", "％"):
                notes.append(
                    f"“{text[c.change.verb_start:c.end]}”：{target.name}是比率，其变化一般以"
                    f"“个百分点”表示，请核对是百分点还是相对增幅"
                )

    # ----------------------------------------------------------------------- commit

    def _emit(self, text: str, figures: list[_Figure], registry: dict[str, LiftedMetric]) -> str:
        final: dict[int, str] = {}
        for fig in figures:
            if fig.year is not None or fig.previous_of is not None or fig.exact_change:
                continue
            wanted = LiftedMetric(fig.name, fig.value, fig.unit, fig.previous, fig.label)
            final[id(fig)] = self._unique(wanted, fig, text, registry)
        pieces, pos = [], 0
        for fig in figures:
            if fig.year is not None:
                sign = "" if fig.year == 0 else f" {'+' if fig.year > 0 else '-'} 1"
                ref, start = f"{{{{ year{sign} }}}}", fig.start
                end = fig.end
            elif fig.previous_of is not None:
                ref = names.reference(final[id(fig.previous_of)], "previous")
                start, end = fig.start, fig.end
            elif fig.exact_change is not None:
                ref = names.reference(final[id(fig.exact_change)], "change")
                start, end = fig.change.verb_start, fig.end  # type: ignore[union-attr]
            else:
                ref, start, end = names.reference(final[id(fig)]), fig.start, fig.end
            pieces += [text[pos:start], ref]
            pos = end
        pieces.append(text[pos:])
        return "".join(pieces)

    def _unique(
        self, wanted: LiftedMetric, fig: _Figure, text: str, registry: dict[str, LiftedMetric]
    ) -> str:
        """The wanted name, or one told apart by its context; the same figure is reused."""
        planned = _PLANNED.search(text[: fig.start].rsplit("。", 1)[-1]) is not None
        candidates = names.candidates(wanted.name, fig.after_verb, fig.clause_year, planned,
                                      fig.first_in_sentence)
        for name in candidates:
            have = registry.get(name)
            if have is None:
                registry[name] = replace(wanted, name=name)
                return name
            if have.value == wanted.value and have.unit == wanted.unit and (
                have.previous is None or wanted.previous is None
                or have.previous == wanted.previous
            ):
                if have.previous is None and wanted.previous is not None:
                    registry[name] = replace(have, previous=wanted.previous)
                return name
        raise AssertionError("no free metric name")  # pragma: no cover

    def _render(self, text: str, registry: dict[str, LiftedMetric]) -> str:
        metrics = {name: lifted.metric() for name, lifted in registry.items()}
        view = MetricsView(metrics, {})
        try:
            fast = _render_references(text, view, self.year)
            if fast is not None:
                return fast
            return _ENV.from_string(text).render(m=view, year=self.year)
        except Exception:  # any failure means "keep the text as typed"
            return ""


# The references `_emit` writes, rendered through the same MetricsView the drafts use but
# without compiling a Jinja template per paragraph (compiling was most of an import's time).
_REFERENCE = re.compile(
    r"\{\{ (?:m\.(?P<name>[^\s.\[\]{}]+)|m\[\"(?P<quoted>[^\"]+)\"\])"
    r"(?:\.(?P<attr>previous|change|value))? \}\}|\{\{ year(?: (?P<sign>[+-]) 1)? \}\}"
)


def _render_references(text: str, view: MetricsView, year: int) -> str | None:
    """`text` with its metric and year references printed; None if it holds anything else."""
    def printed(match: re.Match[str]) -> str:
        if match.group("name") is None and match.group("quoted") is None:
            sign = match.group("sign")
            return str(year + (1 if sign == "+" else -1 if sign == "-" else 0))
        metric = view[match.group("name") or match.group("quoted")]
        attr = match.group("attr")
        return str(getattr(metric, attr) if attr else metric)

    out = _REFERENCE.sub(printed, text)
    return None if "{{" in out or "{%" in out else out


def _last_protected(mask: bytearray, start: int) -> int:
    i = start - 1
    while i >= 0 and not mask[i]:
        i -= 1
    return i + 1


def _year(value: str, rest: str) -> int | None:
    """A year written as "2020年" (not 2020年级, nor a date 2020年7月…)."""
    if len(value) != 4 or not value.isdigit() or not 1900 <= int(value) <= 2100:
        return None
    if not rest.startswith("年") or rest.startswith("年级"):
        return None
    if re.match(r"年\s*\d{1,2}\s*月", rest):
        return None
    return int(value)


def _prefix(text: str, fig: _Figure) -> str:
    """The comparator and verb typed before a change figure (同比上升)."""
    assert fig.change is not None
    head = text[: fig.change.verb_start]
    match = re.search(r"(同比(?:\d{4}年)?|较上一?年度?|比上一?年度?|较去年|比去年)$", head)
    return (match.group() if match else "") + text[fig.change.verb_start:fig.start]
