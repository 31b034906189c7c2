"""Score annotations at the end of an indicator heading, in their various wordings:
（5分，自评分5分） （63分，自评得分61.6分） （满分5分，自评4分） （分值5分，自评得分4.8分）
（5分/自查得分4分） （5分）. The writing side prints them from `score:` (templates/_macros.j2)."""

from __future__ import annotations

import re
from decimal import Decimal

from drafter.reading.outline import Score

_FIGURE = r"(\d+(?:\.\d+)?)\s*分"
_ANNOTATION = re.compile(
    r"[（(]\s*(?:分值|满分|标准分|权重)?\s*[：:]?\s*" + _FIGURE
    + r"\s*(?:[，,、；;/|]\s*(?:自评得分|自评分|自评|自查得分|自查分|自查|得分)\s*[：:]?\s*"
    + _FIGURE + r")?\s*[）)]\s*$"
)  # fmt: skip


def split_score(title: str) -> tuple[str, Score | None]:
    """The heading text without its trailing score annotation, and the score it states."""
    match = _ANNOTATION.search(title)
    if match is None:
        return title, None
    top, own = match.group(1), match.group(2)
    score = Score(Decimal(top), None if own is None else Decimal(own), match.group(0).strip())
    return title[: match.start()].rstrip(), score
