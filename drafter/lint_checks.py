"""Lint findings on damaged real text that typography.check does not cover: a 文号 whose
brackets were lost (津教督导室202140号), nested 《《》》, spaces between digits and 汉字, a
mistyped `！stale` tag, and a 【待补充】 typed by hand. All need a person's review."""

from __future__ import annotations

import re
from collections.abc import Iterator

from drafter.document import TYPED_GAP
from drafter.typography import JINJA_RE, Finding

# 汉字 issuer code, then year and serial run together: 津教督导室202140号
_FLAT_WENHAO = re.compile(r"(?<=[\u4e00-\u9fff])(?<!第)((?:19|20)\d{2})(\d{1,4})号")
_SPACED = re.compile(r"(?<=\d) +(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) +(?=\d)")
_STALE_TYPO = re.compile(r"^\s*(?:！\s*|!\s+|！|!)(?:stale|Stale|STALE)\b")
_LEAD_WORDS = re.compile("根据|按照|依据|依照|参照|对照|贯彻|落实|印发|转发|执行")


def _excerpt(text: str, start: int, end: int, width: int = 8) -> str:
    return text[max(0, start - width) : end + width].replace("\n", " ")


def _outside_jinja(text: str) -> set[int]:
    return {i for m in JINJA_RE.finditer(text) for i in range(m.start(), m.end())}


def extra_findings(text: str, facts: bool = False) -> list[Finding]:
    """The findings of this module in `text`; `facts`: a facts file value (tags, gaps)."""
    out = [*_flat_wenhao(text), *_nested_titles(text), *_spaces(text)]
    if facts:
        out += [*_stale_typo(text), *_typed_gaps(text)]
    return out


def _flat_wenhao(text: str) -> Iterator[Finding]:
    for match in _FLAT_WENHAO.finditer(text):
        head = re.search(r"[\u4e00-\u9fff]{1,8}$", text[: match.start()])
        left = head.start() if head else match.start()
        lead = _LEAD_WORDS.match(text, left, match.start())
        left = lead.end() if lead else left
        year, serial = match.groups()
        found = text[left : match.end()]
        fixed = f"{text[left:match.start()]}〔{year}〕{serial}号"
        yield Finding(
            "broken_wenhao",
            f"文号不完整（年份缺少“〔〕”）：“{found}”，应为“{fixed}”？请核对原文",
            match.start(), _excerpt(text, left, match.end()), False,
        )  # fmt: skip


def _nested_titles(text: str) -> Iterator[Finding]:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "《":
            depth += 1
            if depth == 2:
                yield Finding(
                    "unbalanced",
                    "书名号套书名号：书名号内的书名号应写作“〈〉”，如《关于印发〈……〉的通知》",
                    i, _excerpt(text, i, i + 1), False,
                )  # fmt: skip
        elif ch == "》" and depth:
            depth -= 1


def _spaces(text: str) -> Iterator[Finding]:
    skip = _outside_jinja(text)
    for match in _SPACED.finditer(text):
        if match.start() in skip:
            continue
        yield Finding(
            "punctuation",
            "数字与汉字之间多了空格（中文公文中数字与汉字之间不空格）",
            match.start(), _excerpt(text, match.start(), match.end()), False,
        )  # fmt: skip


def _stale_typo(text: str) -> Iterator[Finding]:
    match = _STALE_TYPO.match(text)
    if match:
        yield Finding(
            "punctuation",
            f"“{match.group().strip()}”不是标记：沿用上年的标记应写作半角的 !stale（后接空格），"
            "否则它会作为文字写进稿子",
            match.start(), _excerpt(text, 0, match.end()), False,
        )  # fmt: skip


def _typed_gaps(text: str) -> Iterator[Finding]:
    for match in TYPED_GAP.finditer(text):
        yield Finding(
            "punctuation",
            f"事实文件中手写了“{match.group()}”：起草时算作待补充的缺项（--strict 不生成文件），"
            "请填写实际内容",
            match.start(), _excerpt(text, match.start(), match.end()), False,
        )  # fmt: skip
