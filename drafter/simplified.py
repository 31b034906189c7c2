"""Traditional → Simplified Chinese (OpenCC t2s), and telling cheaply whether a text may
hold Traditional characters at all. Only on request (`drafter lint --to-simplified`,
`drafter import` of a Traditional report), never while drafting."""

from __future__ import annotations

import difflib
import re
from functools import cache

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# Debris of a Traditional↔Simplified conversion tool: a 汉字 followed by its pinyin, 區(qū).
_DEBRIS = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（]([a-zü]*[{_TONED}][a-zü{_TONED}]*)[)）]"
)

# What OpenCC's t2s dictionaries can change in text made of GB 2312 characters (the common
# simplified set; nothing below U+3400 is ever changed): a few Traditional forms GB 2312
# also holds (後, 於, 乾 …), converted wherever they stand, and a few characters converted
# only inside a phrase (反覆 → 反复; 覆盖 is left alone). Text with none of them needs no
# OpenCC, whose loading (10 ms warm, ~40 ms from a cold disk) every `drafter draft` would
# pay for its typography notes. Taken from OpenCC 1.4; tests/test_typography.py checks them
# against the installed dictionaries.
CONVERTED_ALONE = frozenset("乾吒夥後徵拚捱摺於榘菸薹袷醣麴麽")
CONVERTED_IN_PHRASES = (
    "一坏", "凌藉", "函覆", "反覆", "回覆", "土坏", "坏土", "坏子", "坏布", "墨沈沈", "意志消沈",
    "打坏", "批覆", "折戟沈沙", "折戟沈河", "拉坏", "拜覆", "捏坏", "明覆", "昏沈", "暗沈沈",
    "毛坏", "沈下", "沈冤", "沈厚", "沈吟", "沈寂", "沈思", "沈浮", "沈浸", "沈湎", "沈溺",
    "沈甸甸", "沈痛", "沈痼", "沈睡", "沈砂池", "沈筒", "沈船", "沈落", "沈迷", "沈醉", "沈重",
    "沈降", "沈陷", "沈香", "沈默", "浮沈", "海哩", "深沈", "滑藉", "狐藉虎威", "申覆", "破釜沈舟",
    "示覆", "答覆", "素藉", "耳沈", "英哩", "茵藉", "藉代", "藉以", "藉助", "藉卉", "藉口", "藉喻",
    "藉寇兵", "藉手", "藉故", "藉方", "藉槁", "藉此", "藉甚", "藉由", "藉着", "藉端", "覆信",
    "覆呈", "覆命", "覆墓", "覆按", "覆文", "覆校", "重覆", "陶坏", "黑沈沈",
)  # fmt: skip
_PHRASE_CHARACTERS = frozenset("沈坏哩藉覆")  # the ones converted: each phrase holds one
_NEVER_CONVERTED = re.compile(r"[\x00-\u33ff]+")


def may_be_traditional(text: str) -> bool:
    """False when OpenCC surely leaves `text` as it is (decided without loading OpenCC)."""
    rest = _NEVER_CONVERTED.sub("", text)
    if not rest:
        return False
    try:
        rest.encode("gb2312")
    except UnicodeEncodeError:
        return True  # outside GB 2312: ask OpenCC
    if not CONVERTED_ALONE.isdisjoint(rest):
        return True
    if _PHRASE_CHARACTERS.isdisjoint(rest):
        return False
    return any(phrase in rest for phrase in CONVERTED_IN_PHRASES)


@cache
def _t2s():  # type: ignore[no-untyped-def]
    import opencc  # imported on first use, for text that may hold Traditional characters

    return opencc.OpenCC("t2s")


def traditional_characters(text: str) -> list[tuple[int, str, str]]:
    """(offset, Traditional, Simplified) for each character OpenCC would convert.

    The whole text is converted, not each character alone, so words that keep a
    "Traditional-looking" character in Simplified Chinese (乾隆, 著名) are not flagged.
    """
    if not may_be_traditional(text):
        return []
    cleaned = _DEBRIS.sub(lambda m: " " * len(m.group()), text)  # keep offsets
    converted = _t2s().convert(cleaned)
    if len(converted) == len(cleaned):
        pairs = enumerate(zip(cleaned, converted, strict=True))
        return [(i, a, b) for i, (a, b) in pairs if a != b]
    out = []
    matcher = difflib.SequenceMatcher(None, cleaned, converted, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "replace":
            out.append((a0, cleaned[a0:a1], converted[b0:b1]))
    return out


def to_simplified(text: str) -> str:
    """Traditional characters converted to Simplified (OpenCC t2s), pinyin debris removed."""
    return _t2s().convert(_DEBRIS.sub("", text))
