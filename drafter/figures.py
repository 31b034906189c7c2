"""Gaps and score figures as templates see them: a missing fact printed as 【待补充：…】
and recorded, and the scores computed from the facts (never typed). Split from context.py,
which re-exports both."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from drafter import wording
from drafter.document import gap_marker
from drafter.errors import TemplateError
from drafter.facts.derive import AssessmentSummary, item_score, summarise_assessment, walk
from drafter.facts.load import FieldPath, field_title
from drafter.facts.models import Facts, Item
from drafter.profiles import Scoring

GapSink = dict[str, FieldPath]  # marker title → the field to fill in
Marker = Callable[[Any], Any]  # how a value drawn from a carried-over (stale) fact is drafted


def _unchanged(value: Any) -> Any:
    return value


class Gap:
    """A fact that is not given yet. Printing it records it in the draft's list of gaps."""

    def __init__(self, path: FieldPath, title: str | None, sink: GapSink) -> None:
        self.path = path
        self.title = title or ".".join(map(str, path))
        self._sink = sink

    def __str__(self) -> str:
        self._sink.setdefault(self.title, self.path)
        return gap_marker(self.title)

    def __bool__(self) -> bool:
        return False

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(())

    def __len__(self) -> int:
        return 0

    def __getattr__(self, name: str) -> Gap:
        if name.startswith("_"):
            raise AttributeError(name)
        path = (*self.path, name)
        return Gap(path, field_title(Facts, path) or f"{self.title}·{name}", self._sink)


class Scores:
    """Score figures computed from the facts, never typed by hand.

    By indicator tree (the achievements' scores): `max`, `total`, `count(level)`.
    By 测评点 deductions (facts `assessment` + the profile's `scoring`): `points`, `full`,
    `deducted_count`, `deducted`, `bonus`, `total`. Either way `grade` from the profile.
    """

    def __init__(
        self, facts: Facts, scoring: Scoring | None, sink: GapSink, mark: Marker = _unchanged
    ) -> None:
        self._mark = mark  # highlights figures computed from last year's scores
        self._sink = sink
        self._items = facts.achievements.items
        self._lines = [s for s in (item_score(i) for i in self._items) if s is not None]
        self._scoring = scoring
        self._summary = None
        if facts.assessment is not None:
            points = scoring.points if scoring and scoring.points else None
            if points is None:
                raise TemplateError.one(
                    "事实文件有测评点自评（assessment），但结构方案没有给出测评点数（scoring.points）"
                )
            base = scoring.base if scoring else Decimal(100)
            self._summary = summarise_assessment(facts.assessment, points, base)
            if self._summary.deducted > base:
                raise TemplateError.one(
                    f"测评点扣分合计{wording.score(self._summary.deducted)}分，超过满分"
                    f"{wording.score(base)}分：请核对 assessment 中的扣分", where="assessment",
                )  # fmt: skip

    @property
    def max(self) -> str:
        """The nominal full marks: bonus indicators (`score.bonus`) are not counted."""
        full = sum((s.max for s in self._lines), Decimal(0)) - _bonus(self._items, "max")
        return self._mark(wording.score(full))

    def _total(self) -> Decimal | Gap:
        """The total; a gap while any leaf indicator still lacks its self score (a partial
        sum would read as a real, too low, total)."""
        if self._summary is not None:
            return self._summary.total
        if any(s.self_score is None for s in self._lines):
            return Gap(_unscored(self._items), "自评分", self._sink)
        return sum((s.self_score for s in self._lines if s.self_score is not None), Decimal(0))

    @property
    def total(self) -> str | Gap:
        total = self._total()
        return total if isinstance(total, Gap) else self._mark(wording.score(total))

    @property
    def grade(self) -> str | Gap:
        total = self._total()
        if isinstance(total, Gap):
            return total
        grade = self._scoring.grade_of(total) if self._scoring else None
        if grade is None:
            raise TemplateError.one("结构方案没有给出等级划分（scoring.grades），无法确定等级")
        return self._mark(grade)

    def _assessment(self) -> AssessmentSummary:
        if self._summary is None:
            raise TemplateError.one("事实文件没有测评点自评（assessment），无法计算测评点数字")
        return self._summary

    @property
    def points(self) -> int:
        return self._assessment().points

    @property
    def full(self) -> int:
        return self._mark(self._assessment().full)

    @property
    def deducted_count(self) -> int:
        return self._mark(self._assessment().deducted_count)

    @property
    def deducted(self) -> str:
        return self._mark(wording.score(self._assessment().deducted))

    @property
    def bonus(self) -> str:
        """Bonus points: the assessment's, or the bonus indicators' self scores."""
        if self._summary is None and _bonus(self._items, "max"):
            return self._mark(wording.score(_bonus(self._items, "self_score")))
        return self._mark(wording.score(self._assessment().bonus))

    def indicators(self, level: int) -> int:
        """How many indicators (achievements items) there are at depth `level`, scored or
        not: 对照{{ scores.indicators(1) }}个方面{{ scores.indicators(2) }}项内容."""
        return sum(1 for depth, _ in walk(self._items) if depth == level - 1)

    def count(self, level: int) -> int:
        """How many scored indicators there are at tree depth `level` (1 = top groups)."""
        return sum(1 for depth, item in walk(self._items) if depth == level - 1 and _scored(item))


def _unscored(items: list[Item], path: FieldPath = ("achievements", "items")) -> FieldPath:
    """The path of the first scored leaf without a self score."""
    for index, item in enumerate(items):
        here = (*path, index)
        if item.children:
            found = _unscored(item.children, (*here, "children"))
            if found != (*here, "children"):
                return found
        elif item.score is not None and item.score.self_score is None:
            return (*here, "score", "self")
    return path


def _bonus(items: list[Item], what: str) -> Decimal:
    """The sum of `max` or `self_score` over the bonus indicators (score.bonus)."""
    return sum(
        (getattr(i.score, what) or Decimal(0) for _, i in walk(items) if i.score and i.score.bonus),
        Decimal(0),
    )


def _scored(item: Item) -> bool:
    return item.score is not None or any(_scored(c) for c in item.children)
