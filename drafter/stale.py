"""Facts carried over from last year and not yet reviewed ("stale"), and how they are drafted.

`drafter roll` tags every carried-over fact in the new year's file with the YAML tag
`!stale`; the user deletes the tag once the fact is reviewed or updated. The loader keeps
the value as if untagged and records the field path (`Located.stale`). The drafted text of
such a fact is wrapped in the document's stale markers, so the writer highlights it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from drafter.document import GAP_OPEN, GAP_RE, STALE_CLOSE, STALE_OPEN
from drafter.facts.load import STALE_TAG
from drafter.wording import SENTENCE_ENDINGS

__all__ = ["STALE_TAG", "StaleNumber", "mark_stale", "stale_value"]

# Kept outside the highlight so the wording filters still see how the text ends
# (sentence() adds "。" only when missing; 一是……； keeps a point's own ending).
_GAP = re.compile(f"({GAP_RE.pattern})")  # split, keeping the gaps


def mark_stale(text: str) -> str:
    """Wrap text in stale markers: gaps inside stay gaps, inner markers are merged away,
    surrounding spaces and the closing punctuation stay outside."""
    text = text.replace(STALE_OPEN, "").replace(STALE_CLOSE, "")
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    tail = text[len(text.rstrip()) :]
    end = len(core)
    while end > 0 and core[end - 1] in SENTENCE_ENDINGS:
        end -= 1
    core, ending = core[:end], core[end:]
    pieces = (
        piece if piece.startswith(GAP_OPEN) else f"{STALE_OPEN}{piece}{STALE_CLOSE}"
        for piece in _GAP.split(core)
        if piece
    )
    return f"{lead}{''.join(pieces)}{ending}{tail}"


class StaleNumber(Decimal):
    """A number computed from carried-over facts (a score): printed highlighted whichever
    way a template formats it, `{{ n }}` or the `score` filter (normalize, then format)."""

    def normalize(self, context: Any = None) -> StaleNumber:
        return StaleNumber(Decimal.normalize(self, context))

    def __format__(self, spec: str) -> str:
        return mark_stale(Decimal.__format__(self, spec))

    def __str__(self) -> str:
        return mark_stale(Decimal.__str__(self))


def stale_value(value: Any) -> Any:
    """The drafted form of a carried-over value: text marked, numbers highlighted."""
    if isinstance(value, str):
        return mark_stale(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, Decimal)):
        return StaleNumber(value)
    return value


def describe(path: tuple[str | int, ...], data: Any) -> str:
    """A stale fact in words, for lists: 指标“X”的数值, 标题“加强党的领导…”, 分值和自评分."""
    if path[:1] == ("metrics",) and len(path) >= 2:
        return f"指标“{path[1]}”" + ("的数值" if path[2:] == ("value",) else "")
    if path[-1:] == ("score",):
        return "分值和自评分"
    if path[:1] == ("assessment",):
        return "测评点自评（扣分、加分）"
    if path[:1] == ("targets",) and len(path) == 2:
        target = data["targets"][path[1]] if isinstance(data, dict) else None
        text = target.get("text", "") if isinstance(target, dict) else ""
        return f"年度目标“{text}”（上年的目标，未判断是否达到）"
    if path == ("notice", "issuer"):
        return "评价通知的发文机关"
    value = data
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            value = None
            break
    names = {"title": "标题", "text": "正文", "points": "列举", "lead": "引语", "causes": "原因",
             "measure": "改进措施", "preamble": "开头", "closing": "结束语"}
    name = next((names[p] for p in reversed(path) if isinstance(p, str) and p in names), "文字")
    if isinstance(value, str):
        text = " ".join(value.split())
        return f"{name}“{text[:20]}{'…' if len(text) > 20 else ''}”"
    return name
