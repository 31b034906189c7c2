"""What templates see: a read-only view of the facts where prose is rendered, metrics are
formatted, and a missing fact is a visible gap instead of an error.

A missing optional fact (None) becomes a `Gap`: falsy, so `{% if %}` skips it, and printed
as 【待补充：文号】 so the draft is still complete and the gap is highlighted in the .docx.
A name that is not a fact at all (a typo) stays an error.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import jinja2
from pydantic import BaseModel

from drafter import template_cache, wording
from drafter.errors import DrafterError, TemplateError
from drafter.facts.derive import (
    ScoreLine,
    change_text,
    item_score,
    metric_text,
)
from drafter.facts.load import FieldPath, Located, field_title
from drafter.facts.models import Facts, Item, Metric, Problem
from drafter.figures import Gap, GapSink, Marker, Scores, _unchanged
from drafter.profiles import Scoring
from drafter.stale import StaleNumber, stale_value
from drafter.templating import render, syntax_message


@functools.lru_cache(maxsize=4096)
def _compiled(env: jinja2.Environment, text: str) -> jinja2.Template:
    """Prose compiled once per environment: compiling was half of a draft's time, and
    the same sentences recur across a batch and from one year's facts to the next (and
    between runs: drafter/template_cache.py)."""
    return template_cache.from_string(env, text)


class MetricView:
    """A metric as prose wants it: `{{ m.X }}` → 91.5%, `.value`, `.change` → 上升1.3个百分点."""

    def __init__(
        self, name: str, metric: Metric, sink: GapSink, mark: Marker = _unchanged
    ) -> None:
        self._name = name
        self._metric = metric
        self._sink = sink
        self._mark = mark  # highlights this year's value while it is still last year's

    def _missing_previous(self) -> Gap:
        return Gap(("metrics", self._name, "previous"), f"{self._name}上年数值", self._sink)

    def _number(self, value: Decimal) -> str:
        return wording.number(value, self._metric.digits, self._metric.grouped)

    def __str__(self) -> str:
        return self._mark(metric_text(self._metric))

    @property
    def value(self) -> str:
        return self._mark(self._number(self._metric.value))

    @property
    def unit(self) -> str:
        return self._metric.unit

    @property
    def number(self) -> Decimal:
        """The value as a number, for the number filters (highlighted if carried over)."""
        return self._mark(self._metric.value)

    @property
    def previous(self) -> str | Gap:
        if self._metric.previous is None:
            return self._missing_previous()
        return metric_text(self._metric, self._metric.previous)

    @property
    def change(self) -> str | Gap:
        text = change_text(self._metric)
        return self._missing_previous() if text is None else self._mark(text)


class UnknownMetric(DrafterError):
    pass


class MetricsView:
    """`m.名称` or `m["名称"]` for every metric of the facts file."""

    def __init__(
        self,
        metrics: dict[str, Metric],
        sink: GapSink,
        marker: Callable[[str], Marker] | None = None,
    ) -> None:
        self._metrics = metrics
        self._sink = sink
        self._marker = marker

    def __getattr__(self, name: str) -> MetricView:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> MetricView:
        metric = self._metrics.get(name)
        if metric is None:
            close = difflib.get_close_matches(name, list(self._metrics), 3, 0.4)
            hint = f"；相近的有：{'、'.join(close)}" if close else "；请在 metrics 中添加"
            raise UnknownMetric.one(f"引用了不存在的指标“{name}”{hint}")
        mark = self._marker(name) if self._marker else _unchanged
        return MetricView(name, metric, self._sink, mark)


class View:
    """A read-only view of a facts model for templates."""

    def __init__(self, model: BaseModel, path: FieldPath, ctx: Context) -> None:
        self._model = model
        self._path = path
        self._ctx = ctx

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        model = self._model
        if name not in type(model).model_fields and not isinstance(
            getattr(type(model), name, None), property
        ):
            raise AttributeError(name)
        return self._ctx.wrap(getattr(model, name), (*self._path, name))

    def __bool__(self) -> bool:
        return bool(self._model)

    @property
    def scored(self) -> ScoreLine | None:
        """The item's score, with a group's computed from its children."""
        if isinstance(self._model, Item):
            return self._ctx.scored(self._model, self._path)
        return None


class LazyList(Sequence[Any]):
    """A list whose elements are wrapped (and their prose rendered) only when used."""

    def __init__(self, values: list[Any], path: FieldPath, ctx: Context) -> None:
        self._values = values
        self._path = path
        self._ctx = ctx

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index: int | slice) -> Any:  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._values)))]
        if index < 0:
            index += len(self._values)
        return self._ctx.wrap(self._values[index], (*self._path, index))


class _PrintedStale(str):
    """Carried-over text, recorded as used in the draft only when it is printed (str()):
    a field that is wrapped but never written, or is written via a default, is not listed."""

    _record: Callable[[], None]

    def __new__(cls, text: str, record: Callable[[], None]) -> _PrintedStale:
        self = super().__new__(cls, text)
        self._record = record
        return self

    def __str__(self) -> str:
        self._record()
        return str.__str__(self)


class NoticeCite:
    """`{{ notice_cite }}`: 发文机关《通知标题》（文号）, several notices joined with 、 and 和.
    Worded only when printed, so a report whose preamble does not cite the notice lists no
    gaps for its title and 文号. A notice with `number: false` has no （文号）; one with
    `quoted: false` no 书名号."""

    def __init__(self, notices: Sequence[View]) -> None:
        self._notices = notices

    def __str__(self) -> str:
        cited = [_cite(notice) for notice in self._notices]
        if len(cited) <= 1:
            return "".join(cited)
        return "、".join(cited[:-1]) + "和" + cited[-1]


def _cite(notice: View) -> str:
    title = f"《{notice.title}》" if notice.quoted else str(notice.title)
    number = notice.number
    return f"{notice.issuer or ''}{title}" + ("" if number == "" else f"（{number}）")


class Context:
    """Builds the template context for one facts file and renders prose fields."""

    def __init__(
        self,
        facts: Facts,
        located: Located,
        env: jinja2.Environment,
        scoring: Scoring | None = None,
        added_problems: list[Problem] | None = None,
    ) -> None:
        if added_problems:
            # Problems drafted by drafter (from unmet standards) follow the facts' own.
            problems = facts.problems.model_copy(
                update={"items": [*facts.problems.items, *added_problems]}
            )
            facts = facts.model_copy(update={"problems": problems})
        self.facts = facts
        self.located = located
        self.env = env
        self.gaps: GapSink = {}
        # Carried-over facts (tagged !stale) that reached the draft, in order of use.
        self.stale: dict[FieldPath, None] = {}
        self.view = View(facts, (), self)
        try:
            scores = Scores(facts, scoring, self.gaps, self._marker(self._stale_scores()))
        except DrafterError as exc:  # the 测评点 self-assessment: point at it in the file
            for problem in exc.problems:
                problem.file = problem.file or located.file
                problem.line = problem.line or located.line_of(("assessment",))
            raise
        self.base: dict[str, Any] = {
            "facts": self.view,
            "m": MetricsView(facts.metrics, self.gaps, self._metric_marker),
            "scores": scores,
        }
        # Filled in field order, so prose in a field may refer to the fields before it.
        for name in type(facts).model_fields:
            self.base[name] = getattr(self.view, name)
            if name == "period":  # before the title, whose prose may use {{ period }}
                self.base[name] = self.base[name] or f"{facts.year}年"
        # The wrapped values (not facts.period_text / facts.signer), so a gap or a
        # carried-over mark on them survives.
        self.base.update(
            signer=self.base["issuer"] or self.base["government"],
            notice_cite=NoticeCite(self.base["notices"] or [self.base["notice"]]),
        )

    def _marker(self, found: FieldPath | None, when_printed: bool = False) -> Marker:
        """How a value drawn from the stale fact `found` is drafted: highlighted, and the
        fact recorded as used (at once, or for text `when_printed`); unchanged when `found`
        is None. Metrics and scores are formatted for printing, so they record at once."""
        if found is None:
            return _unchanged

        def record() -> None:
            self.stale.setdefault(found, None)

        def mark(value: Any) -> Any:
            marked = stale_value(value)
            if when_printed and isinstance(marked, str):
                return _PrintedStale(marked, record)
            record()
            return marked

        return mark

    def _metric_stale(self, name: str, seen: tuple[str, ...] = ()) -> FieldPath | None:
        """The stale fact behind a metric's value: its own, or a ratio input's."""
        found = self.located.stale_path(("metrics", name, "value"))
        metric = self.facts.metrics.get(name)
        if found is None and metric is not None and metric.ratio and name not in seen:
            for part in metric.ratio:
                found = found or self._metric_stale(part, (*seen, name))
        return found

    def _metric_marker(self, name: str) -> Marker:
        return self._marker(self._metric_stale(name) if self.located.stale else None)

    def _stale_score(self, item: Item, path: FieldPath) -> FieldPath | None:
        """The first stale score in an item's subtree (a group's score is their sum)."""
        found = None
        if item.score is not None:
            found = self.located.stale_path((*path, "score", "self"))
        for index, child in enumerate(item.children):
            found = found or self._stale_score(child, (*path, "children", index))
        return found

    def _stale_scores(self) -> FieldPath | None:
        if not self.located.stale:
            return None
        assessment = sorted(
            (p for p in self.located.stale if p[:1] == ("assessment",)),
            key=lambda p: self.located.lines.get(p, 0),
        )
        if assessment:
            return assessment[0]
        for index, item in enumerate(self.facts.achievements.items):
            found = self._stale_score(item, ("achievements", "items", index))
            if found is not None:
                return found
        return None

    def scored(self, item: Item, path: FieldPath) -> ScoreLine | None:
        """An item's score, highlighted while a score it is made of is last year's."""
        line = item_score(item)
        found = self._stale_score(item, path) if line and self.located.stale else None
        if line is None or found is None:
            return line
        self.stale.setdefault(found, None)
        own = line.self_score
        return ScoreLine(StaleNumber(line.max), None if own is None else StaleNumber(own))

    def wrap(self, value: Any, path: FieldPath) -> Any:
        if value is None:
            return Gap(path, field_title(Facts, path), self.gaps)
        if isinstance(value, str):
            marker = self._marker(self.located.stale_path(path), when_printed=True)
            return marker(self.prose(value, path))
        if isinstance(value, BaseModel):
            return View(value, path, self)
        if isinstance(value, list):
            return LazyList(value, path, self)
        if isinstance(value, dict):
            return {k: self.wrap(v, (*path, k)) for k, v in value.items()}
        return value

    def prose(self, text: str, path: FieldPath) -> str:
        """Render a prose field that refers to metrics or other facts; plain text passes."""
        if "{{" not in text and "{%" not in text:
            return text
        line = self.located.line_of(path)
        where = ".".join(map(str, path))
        try:
            template = _compiled(self.env, text)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError.one(
                f"文字中的 {{{{ }}}} 写法有误：{syntax_message(exc)}", self.located.file, line,
                where,
            ) from None  # fmt: skip
        try:
            return render(template, self.base, name=where, file=self.located.file,
                          line_offset=(line or 1) - 1)
        except DrafterError as exc:
            for problem in exc.problems:
                problem.file = problem.file or self.located.file
                problem.line = problem.line or line
                problem.where = problem.where or where
            raise
