"""The frame around a report's body: its title (after any web-page chrome, and a 函's own
发文字号 above it), the 落款 under it or at the end, the 主送机关, and the chrome after the
text. Plain paragraphs only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.facts.models import DATE_TEXT
from drafter.reading.headings import typed_number
from drafter.reading.outline import Note, Outline, Para
from drafter.reading.source import SourceParagraph

_ISO_DATE = re.compile(r"^\s*(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*$")
_ISSUER_END = re.compile(r"(人民政府|政府|委员会|办公室|督导室|教育局|教育厅|局|厅|委)$")
_TITLE_WORDS = ("报告", "的函")  # a report's title, or a 函's (关于报送……报告的函)
# A 函's own 发文字号 on its own line above the title: 机关代字〔年份〕序号号. The lines are
# normalised first (recognise._prepare), so any bracket around the year reads as 〔〕.
_LETTER_NUMBER = re.compile(r"[\u4e00-\u9fff]{2,16}〔(?:19|20)\d{2}〕第?\d{1,5}号")
_ALIGN = {"center": "居中", "right": "居右"}
_TITLE_TEXT = re.compile(r"[\u4e00-\u9fff\d（）《》〈〉“”、—]+")  # a title line, not page chrome
_MAX_TITLE_LINES = 3


@dataclass
class Line:
    """A cleaned paragraph, where it came from, and its look (for heading emphasis)."""

    text: str
    source: int
    look: SourceParagraph


def is_date(text: str) -> bool:
    return bool(DATE_TEXT.match(text) or _ISO_DATE.match(text))


def date_text(text: str) -> str:
    """A date as the facts file takes it: 2022-12-13 → 2022年12月13日."""
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return f"{year}年{month}月{day}日"
    return re.sub(r"\s+", "", text)


def is_issuer(text: str) -> bool:
    return len(text) <= 40 and not re.search(r"[，。；：、,;:]", text) and bool(
        _ISSUER_END.search(text)
    )


def _short_line(line: Line) -> bool:
    return len(line.text) <= 40 and not re.search(r"[，。；：,;:]", line.text)


def is_letter_number(text: str) -> bool:
    """A line holding only a 发文字号 (as a 函 prints its own above the title)."""
    return bool(_LETTER_NUMBER.fullmatch(re.sub(r"\s+", "", text)))


def _letter_number(line: Line, outline: Outline) -> None:
    """The 函's own 发文字号 above the title, and where the source put it (居中/居右)."""
    text = re.sub(r"\s+", "", line.text)
    outline.letter_number = Para(text, line.source)
    align = _ALIGN.get(line.look.alignment)
    if align is None:
        align = "居右"
        outline.notes.append(Note(f"标题之上的发文字号“{text}”在原文中既未居中也未居右，"
                                  "已按居右起草：请按来文核对结构方案的 letter_number.align",
                                  line.source))  # fmt: skip
    outline.letter_number_align = align


def front(lines: list[Line], outline: Outline) -> int:
    """Title, 落款 under it, addressee; returns where the body starts."""
    title_end = next(
        (i for i, line in enumerate(lines[:20])
         if _short_line(line) and line.text.endswith(_TITLE_WORDS)),
        None,
    )  # fmt: skip
    if title_end is None:
        # No line ends in 报告: the first line (after a 函's 发文字号) if it looks like a title.
        first = 1 if lines and is_letter_number(lines[0].text) else 0
        if len(lines) > first and _short_line(lines[first]) and (
            typed_number(lines[first].text) is None
        ):
            title_end = first
            outline.notes.append(Note("标题不以“报告”结尾，已把第一段作为标题，请核对",
                                      lines[first].source))
        else:
            outline.notes.append(Note("没有找到报告标题"))
            return _addressee(lines, 0, outline)
    start = title_end
    while (
        start > 0 and title_end - start + 1 < _MAX_TITLE_LINES and _short_line(lines[start - 1])
        and _TITLE_TEXT.fullmatch(lines[start - 1].text)
        and not is_issuer(lines[start - 1].text) and not is_date(lines[start - 1].text)
        and not is_letter_number(lines[start - 1].text)
    ):  # fmt: skip
        start -= 1
    title_start = start
    if start > 0 and is_letter_number(lines[start - 1].text):
        start -= 1
        _letter_number(lines[start], outline)
    outline.outside.extend(Para(line.text, line.source) for line in lines[:start])
    if start:
        outline.notes.append(Note(f"标题之前的 {start} 段不是报告正文（如网页栏目），未导入",
                                  lines[0].source))
    start = title_start
    outline.title = [Para(line.text, line.source) for line in lines[start : title_end + 1]]
    at = title_end + 1
    if at + 1 < len(lines) and is_issuer(lines[at].text) and is_date(lines[at + 1].text):
        outline.issuer = Para(lines[at].text, lines[at].source)
        outline.date = Para(date_text(lines[at + 1].text), lines[at + 1].source)
        outline.signature_at = "top"
        at += 2
    return _addressee(lines, at, outline)


def _addressee(lines: list[Line], at: int, outline: Outline) -> int:
    if at < len(lines):
        text = lines[at].text
        if len(text) <= 50 and text[-1] in "：:" and "。" not in text and not typed_number(text):
            outline.addressee = Para(text.rstrip("：:"), lines[at].source)
            return at + 1
    return at


def back(lines: list[Line], outline: Outline) -> int:
    """The 落款 and date at the end (unless they stand under the title); web-page chrome
    after them (分享到、扫一扫…) is set aside."""
    end = _trailing_chrome(lines, outline)
    if outline.signature_at == "top" or end == 0:
        return end
    if is_date(lines[end - 1].text):
        outline.date = Para(date_text(lines[end - 1].text), lines[end - 1].source)
        end -= 1
        if end > 0 and is_issuer(lines[end - 1].text):
            outline.issuer = Para(lines[end - 1].text, lines[end - 1].source)
            end -= 1
        else:
            outline.notes.append(Note("成文日期前没有落款（发文机关署名），将用区县政府名称"))
    else:
        found = _published_date(outline)
        if found is None:
            outline.notes.append(Note("报告末尾没有成文日期"))
        else:
            outline.date = found
            outline.notes.append(Note(f"报告末尾没有成文日期，已取网页上的成文日期"
                                      f"“{found.text}”，请核对", found.source))
    return end


def _published_date(outline: Outline) -> Para | None:
    """A web page's "成文日期" field, in the chrome set aside around the report."""
    for i, para in enumerate(outline.outside[:-1]):
        if "成文日期" in para.text:
            text = outline.outside[i + 1].text.strip("•·[] 　")
            if is_date(text):
                return Para(date_text(text), outline.outside[i + 1].source)
    return None


def _trailing_chrome(lines: list[Line], outline: Outline) -> int:
    """Where the report ends: short unpunctuated lines after its last date (or, with no
    date among them, a run of them holding a web page's words) are not the report's."""
    end = len(lines)
    start = end
    while start > 0 and end - start < 30 and chrome_like(lines[start - 1].text):
        start -= 1
    run = lines[start:end]
    dates = [i for i, line in enumerate(run) if is_date(line.text)]
    if dates:
        cut = start + dates[-1] + 1
    elif run and any(_CHROME.search(line.text) for line in run):
        cut = start
    else:
        return end
    if cut < end:
        outline.outside.extend(Para(line.text, line.source) for line in lines[cut:])
        outline.notes.append(Note(f"报告末尾的 {end - cut} 段不是报告正文（如网页栏目），未导入",
                                  lines[cut].source))
    return cut


_CHROME = re.compile(
    r"分享|扫一扫|打印|关闭|返回|字号|责任编辑|浏览|二维码|微信|微博|网站|信箱|地图"
)


def chrome_like(text: str) -> bool:
    return len(text) <= 30 and not re.search(r"[。，；！？]", text)
