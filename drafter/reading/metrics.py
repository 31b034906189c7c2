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

Finding the figures and the spans left as typed: drafter/reading/metric_scan.py; names:
drafter/reading/metric_names.py; here: the change references, unique names, the rewritten
text and its verifying render.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from drafter.context import MetricsView
from drafter.facts.derive import change_text
from drafter.facts.models import Metric
from drafter.reading import metric_names as names
from drafter.reading.metric_scan import Figure, planned, scan

_ENV = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
_RATES = ("%", "％", "‰")
_COMPARATOR_BEFORE = re.compile(r"(同比(?:\d{4}年)?|较上一?年度?|比上一?年度?|较去年|比去年)$")


@dataclass
class LiftedMetric:
    name: str  # readable Chinese name taken from the words around the figure
    value: str  # the digits exactly as typed ("18.30", "9,245,154.23", "1354")
    unit: str  # "%", "万元", "所", "余人", "个百分点" …; "" for a bare number
    previous: str | None = None  # last year's value where the sentence gives it exactly
    label: str | None = None  # 口径 note, e.g. "源文作“近800万元”"

    def metric(self) -> Metric:
        """The drafter Metric this prints as (grouped when typed with commas); shared
        between equal figures, so read it, do not change it."""
        return _metric(self.value, self.unit, self.previous)


@lru_cache(maxsize=4096)
def _metric(value: str, unit: str, previous: str | None) -> Metric:
    # Validating a Metric is the costly part of rendering: every render asks again.
    return Metric(
        value=Decimal(value.replace(",", "")),
        unit=unit,
        grouped="," in value,
        previous=None if previous is None else Decimal(previous.replace(",", "")),
    )


@dataclass
class Lifted:
    text: str  # the prose with {{ m.名称 }} / .previous / .change / {{ year }} references
    notes: list[str] = field(default_factory=list)  # Chinese notes for a person


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
        figures = scan(text, self.year)
        self._changes(text, figures, notes)
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

    # ----------------------------------------------------------------------- changes

    def _changes(self, text: str, figures: list[Figure], notes: list[str]) -> None:
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
            is_rate = target.unit in _RATES
            if target.previous is not None:
                metric = _metric(target.value, target.unit, target.previous)
                if change_text(metric) == typed:
                    c.exact_change = target
                    continue
                delta = abs(metric.number - Decimal(target.previous.replace(",", "")))
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

    def _emit(self, text: str, figures: list[Figure], registry: dict[str, LiftedMetric]) -> str:
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
        self, wanted: LiftedMetric, fig: Figure, text: str, registry: dict[str, LiftedMetric]
    ) -> str:
        """The wanted name, or one told apart by its context; the same figure is reused."""
        candidates = names.candidates(wanted.name, fig.after_verb, fig.clause_year,
                                      planned(text, fig.start), fig.first_in_sentence)
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
        # Past base99 (a pathological file, e.g. thousands of alike lines): a numbered name
        # from the registry's size on, which is free at once or within len(registry) tries.
        for n in itertools.count(len(registry) + 2):
            name = f"{wanted.name[: names.MAX_NAME - len(str(n))]}{n}"
            if name not in registry:
                registry[name] = replace(wanted, name=name)
                return name
        raise AssertionError("unreachable")  # pragma: no cover

    def _render(self, text: str, registry: dict[str, LiftedMetric]) -> str:
        try:
            # Only the metrics this text refers to: a view of the whole registry per
            # paragraph made lifting a report quadratic in its metrics.
            used = {m.group("name") or m.group("quoted") for m in _REFERENCE.finditer(text)}
            view = MetricsView({n: registry[n].metric() for n in used if n in registry}, {})
            fast = _render_references(text, view, self.year)
            if fast is not None:
                return fast
            view = MetricsView({n: lifted.metric() for n, lifted in registry.items()}, {})
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


def _prefix(text: str, fig: Figure) -> str:
    """The comparator and verb typed before a change figure (同比上升)."""
    assert fig.change is not None
    match = _COMPARATOR_BEFORE.search(text, 0, fig.change.verb_start)
    return (match.group() if match else "") + text[fig.change.verb_start:fig.start]
