"""numbering.xml → the list numbers Word prints ("一、" "（一）" "①"), for docx_reader.

Counters are kept per list (abstractNum, or numId when it overrides levels) and level, in
document order; a higher level restarts the lower ones, as Word does.
"""

from __future__ import annotations

import re

from lxml import etree

from drafter.numbering import chinese_number

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def int_attr(value: str | None, default: int) -> int:
    """An attribute as a number; files from odd tools hold anything."""
    try:
        return int(value or default)
    except ValueError:
        return default


def format_number(fmt: str, n: int) -> str | None:
    """A counter value as Word prints it in numFmt `fmt`; None when unknown."""
    if fmt in ("decimal", "decimalHalfWidth"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified"):
        return chinese_number(n) if 0 < n < 10_000 else str(n)
    if fmt.startswith("decimalEnclosedCircle"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10] if n >= 1 else str(n)
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("none", "bullet"):
        return ""
    return None


class Numbering:
    """numbering.xml and the counters Word keeps while it lays the document out."""

    def __init__(self, root: etree._Element | None) -> None:
        self.abstract: dict[str, dict[int, dict[str, str | int | bool]]] = {}
        self.nums: dict[str, tuple[str, dict[int, dict[str, str | int | bool]]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.unknown = False
        if root is None:
            return
        for ab in root.iter(q("abstractNum")):
            self.abstract[ab.get(q("abstractNumId"), "")] = {
                int_attr(lvl.get(q("ilvl")), 0): self._lvl(lvl) for lvl in ab.iter(q("lvl"))
            }
        for num in root.iter(q("num")):
            ab_el = num.find(q("abstractNumId"))
            overrides = {}  # w:lvlOverride: a whole w:lvl and/or a w:startOverride
            for ov in num.iter(q("lvlOverride")):
                start = ov.find(q("startOverride"))
                overrides[int_attr(ov.get(q("ilvl")), 0)] = self._lvl(ov.find(q("lvl")), start)
            if ab_el is not None:
                self.nums[num.get(q("numId"), "")] = (ab_el.get(q("val"), ""), overrides)

    @staticmethod
    def _lvl(
        lvl: etree._Element | None, start: etree._Element | None = None
    ) -> dict[str, str | int | bool]:
        tags = {"fmt": "numFmt", "text": "lvlText", "style": "pStyle", "start": "start"}
        found = {k: lvl.find(q(t)) for k, t in tags.items()} if lvl is not None else {}
        found["start"] = start if start is not None else found.get("start")
        out: dict[str, str | int | bool] = {
            k: el.get(q("val"), "") for k, el in found.items() if el is not None
        }
        if "start" in out:
            out["start"] = int_attr(str(out["start"]), 1)
        if lvl is not None and lvl.find(q("isLgl")) is not None:
            out["legal"] = True
        return out

    def _levels(self, num_id: str) -> tuple[str, dict[int, dict[str, str | int | bool]]] | None:
        if num_id not in self.nums:
            return None
        ab_id, overrides = self.nums[num_id]
        levels = self.abstract.get(ab_id, {})
        merged = {i: {**levels.get(i, {}), **overrides.get(i, {})} for i in {*levels, *overrides}}
        return (num_id if overrides else ab_id), merged

    def next(self, num_id: str, ilvl: int | None, style_id: str) -> str:
        found = self._levels(num_id)
        if found is None:
            return ""
        key, levels = found
        if ilvl is None:  # numbering from a style: the level that names the style
            ilvl = next((i for i, v in levels.items() if v.get("style") == style_id), 0)
        counters = self.counters.setdefault(key, {})
        start = int(levels.get(ilvl, {}).get("start", 1))
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [i for i in counters if i > ilvl]:
            del counters[deeper]  # a higher level restarts the lower ones
        lvl = levels.get(ilvl, {})
        fmt, text = str(lvl.get("fmt", "decimal")), str(lvl.get("text", ""))
        if fmt == "bullet":
            return ""

        def sub(match: re.Match[str]) -> str:
            i = int(match.group(1)) - 1
            value = counters.get(i, int(levels.get(i, {}).get("start", 1)))
            f = "decimal" if lvl.get("legal") else str(levels.get(i, {}).get("fmt", "decimal"))
            out = format_number(f, value)
            if out is None:
                self.unknown = True
                raise LookupError
            return out

        try:
            return re.sub(r"%([1-9])", sub, text)
        except LookupError:
            return ""
