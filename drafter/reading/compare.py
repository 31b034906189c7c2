"""Comparing paragraph lists for `drafter import --into`: the edited text as drafter
would write it, the pairing of drafted and edited paragraphs, and the check that the new
facts draft what the Word document reads."""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Iterable
from pathlib import Path

from drafter.compose import document_lines
from drafter.config import Customisation
from drafter.errors import DrafterError
from drafter.pipeline import draft_facts
from drafter.reading.headings import INDENT, typed_number
from drafter.typography import normalise

_SIMILAR = 0.5  # a changed paragraph, not one deleted and another added


def short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[:width] + "…"


def clean(text: str) -> str:
    """An edited paragraph as drafter would write it: typed indents gone, typography fixed."""
    return normalise(text.strip().strip(INDENT))


def align(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Pairs (drafted, edited) in order; None on one side for a deleted or added paragraph."""
    pairs: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            pairs += _pair(old, new, range(i1, i2), range(j1, j2))
    return pairs


def _pair(
    old: list[str], new: list[str], olds: range, news: range
) -> list[tuple[int | None, int | None]]:
    """Within a changed stretch: pair the paragraphs alike enough, in order (a small DP)."""
    if len(olds) * len(news) > 2500:
        return [(i, None) for i in olds] + [(None, j) for j in news]
    sim = {
        (i, j): difflib.SequenceMatcher(None, old[i], new[j], autojunk=False).ratio()
        for i in olds for j in news
    }  # fmt: skip
    best: dict[tuple[int, int], float] = {}
    for a in range(len(olds) + 1):
        for b in range(len(news) + 1):
            if a == 0 or b == 0:
                best[a, b] = 0.0
                continue
            s = sim[olds[a - 1], news[b - 1]]
            diagonal = best[a - 1, b - 1] + s if s >= _SIMILAR else -1.0
            best[a, b] = max(best[a - 1, b], best[a, b - 1], diagonal)
    out: list[tuple[int | None, int | None]] = []
    a, b = len(olds), len(news)
    while a or b:
        s = sim[olds[a - 1], news[b - 1]] if a and b else 0.0
        if a and b and s >= _SIMILAR and best[a, b] == best[a - 1, b - 1] + s:
            out.append((olds[a - 1], news[b - 1]))
            a, b = a - 1, b - 1
        elif a and (not b or best[a, b] == best[a - 1, b]):
            out.append((olds[a - 1], None))
            a -= 1
        else:
            out.append((None, news[b - 1]))
            b -= 1
    return out[::-1]


def verify(
    new_text: str,
    facts_path: Path,
    custom: Customisation | None,
    edited: list[tuple[int, str]],
    follows: Iterable[int] = (),
) -> list[str]:
    """Draft the new facts in memory; every paragraph that still differs, in Chinese.
    An unedited paragraph that prints an updated metric is expected to differ."""
    with tempfile.TemporaryDirectory(prefix="drafter-import-") as folder:
        path = Path(folder) / facts_path.name
        path.write_text(new_text, encoding="utf-8")
        try:
            redrafted = document_lines(draft_facts(path, custom).document)
        except DrafterError as exc:
            return [f"修改后的事实文件无法起草，请核对：{exc}"]
    follows = set(follows)
    wanted = [text for _, text in edited]
    out = []
    # aligned without heading numbers: an item added or deleted renumbers all after it
    for old, new in align(list(map(_unnumbered, wanted)), list(map(_unnumbered, redrafted))):
        if old is not None and new is not None:
            if wanted[old] != redrafted[new] and old not in follows and not _renumbered(
                wanted[old], redrafted[new]
            ):
                out.append(
                    f"第{edited[old][0]}段：重新起草后仍与 Word 稿不同"
                    f"（稿中为“{short(redrafted[new], 40)}”）"
                )
        elif old is not None:
            out.append(f"第{edited[old][0]}段：重新起草后没有这一段（“{short(wanted[old])}”）")
        elif new is not None:
            out.append(f"重新起草后多出一段：“{short(redrafted[new])}”")
    return out


def _renumbered(edited: str, redrafted: str) -> bool:
    """The same heading with another number: items were added or deleted before it, and
    the numbers typed in Word did not follow (drafter's do)."""
    a, b = typed_number(edited), typed_number(redrafted)
    return a is not None and b is not None and a.form == b.form and a.rest == b.rest


def _unnumbered(text: str) -> str:
    typed = typed_number(text)
    return text if typed is None else typed.form + typed.rest
