"""`drafter check 定稿.docx`: what must not go out in a finished report, whoever edited it.

Any .docx (drafter's, or one edited or written in Word/WPS) is read through read_source
(which sniffs and bounds the file) and read_docx, the project's one reader of text.
Findings, by paragraph as the reader counts them:
  - errors: a leftover 【待补充…】; with a facts file, a figure that differs from what the
    facts draft (an edited number, or a draft from facts changed since);
  - warnings: highlighted text (yellow: a gap, cyan: carried over from last year or drafted
    by drafter for review, any other colour: a reviewer's mark), typography findings.
The facts file is given with --facts, or found through drafter's marks in the file (the
district and year in its properties) beside the file or in the current folder.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from drafter.checking import CheckReport, Finding
from drafter.document import GAP_OPEN
from drafter.errors import DrafterError
from drafter.joiners import INVISIBLE
from drafter.reading.compare import short
from drafter.typography import check as typography_check

if TYPE_CHECKING:
    from drafter.config import Customisation
    from drafter.reading.source import SourceParagraph

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_GAP = re.compile(re.escape(GAP_OPEN[:-1]) + r"[^】]*】?")  # 【待补充】 typed by hand too
# No-break marks a writer may have typed, and the joiners drafter writes (word/breaks.py).
_JOINERS = str.maketrans("", "", INVISIBLE + "\u00a0")
# A figure: digits (with , and . inside), and the unit or counter word after it.
_FIGURE = re.compile(
    r"\d+(?:[.,]\d+)*\s*(?:%|％|‰|个百分点|万元|亿元|元/生|元|万人|人次|人|名|所|个|班|分|项|倍)?"
)
COLOUR_NAMES = {
    "yellow": "黄色", "cyan": "青色", "green": "绿色", "magenta": "粉红色", "red": "红色",
    "blue": "蓝色", "lightGray": "灰色", "darkYellow": "深黄色",
}  # fmt: skip
COLOUR_MEANING = {
    "yellow": "待补充的事实", "cyan": "沿用上年或由 drafter 起草、待审核的文字",
}  # fmt: skip


def check_document(
    path: Path, facts: Path | None = None, custom: Customisation | None = None
) -> CheckReport:
    """Check a finished .docx; never raises for what is in the file (problems are findings)."""
    from drafter.reading.files import read_source

    report = CheckReport(path)
    if path.is_file() and not zipfile.is_zipfile(path):
        report.findings.append(Finding("error", "不是有效的 Word 文档（.docx），无法检查", path))
        return report
    try:
        paragraphs = read_source(path).paragraphs  # sniffed, size-limited, then read_docx
    except DrafterError as exc:
        report.findings += [Finding("error", p.message, path) for p in exc.problems]
        return report
    for p in paragraphs:
        where = f"第{p.number}段"
        for gap in _GAP.findall(p.text):
            report.findings.append(Finding("error", f"仍有待补充的内容：{gap}", path, where=where))
        for finding in typography_check(p.text.translate(_JOINERS)):
            report.findings.append(Finding("warning", f"排版：{finding}", path, where=where))
    for number, colour, text in _located_highlights(path, paragraphs):
        if colour == "yellow" and _GAP.fullmatch(text.strip()):
            continue  # the gap itself is the error above
        name = COLOUR_NAMES.get(colour, colour)
        meaning = COLOUR_MEANING.get(colour, "审阅时做的标记")
        report.findings.append(Finding(
            "warning", f"{name}高亮（{meaning}）：“{short(text)}”；核对后取消高亮", path,
            where=f"第{number}段" if number else None,
        ))  # fmt: skip
    facts = facts or facts_through_marks(path)
    if facts is not None:
        report.findings += _figures(path, paragraphs, facts, custom)
    return report


# ---------------------------------------------------------------- highlights


def highlights(path: Path) -> Iterator[tuple[str, str]]:
    """(colour, text) of each highlighted stretch of the body, in order; adjacent runs of one
    colour in one paragraph are one stretch. Only the w:highlight run property is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("word/document.xml"),
                                    etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return
    for p in root.iter(f"{_W}p"):
        colour, text = None, ""
        for r in p.iter(f"{_W}r"):
            mark = r.find(f"{_W}rPr/{_W}highlight")
            value = mark.get(f"{_W}val") if mark is not None else None
            value = None if value == "none" else value
            run_text = "".join(t.text or "" for t in r.iter(f"{_W}t")).translate(_JOINERS)
            if value != colour and colour and text.strip():
                yield colour, text
            if value != colour:
                text = ""
            colour = value
            text += run_text if value else ""
        if colour and text.strip():
            yield colour, text


def _located_highlights(
    path: Path, paragraphs: list[SourceParagraph]
) -> Iterator[tuple[int | None, str, str]]:
    """Each highlight with the number of the paragraph (as read_docx counts) holding it."""
    at = 0
    for colour, text in highlights(path):
        found = next((i for i in range(at, len(paragraphs)) if text in paragraphs[i].text), None)
        if found is None:
            yield None, colour, text
            continue
        at = found
        yield paragraphs[found].number, colour, text


# ---------------------------------------------------------------- figures against the facts


def facts_through_marks(path: Path) -> Path | None:
    """The facts file a drafter draft came from: its properties name district and year
    (district=…; year=…), looked up as <year>.yaml or <district>/<year>.yaml beside the
    file, then in the current folder."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = etree.fromstring(archive.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    ns = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    keywords = core.findtext(f"{ns}keywords") or ""
    meta = dict(kv.strip().split("=", 1) for kv in keywords.split(";") if "=" in kv)
    district, year = meta.get("district"), meta.get("year")
    if not district or not year:
        return None
    for folder in (path.parent, Path.cwd()):
        for candidate in (folder / f"{year}.yaml", folder / district / f"{year}.yaml"):
            if candidate.is_file() and _is_facts_of(candidate, district, year):
                return candidate
    return None


def _is_facts_of(candidate: Path, district: str, year: str) -> bool:
    text = candidate.read_text(encoding="utf-8-sig", errors="replace")
    return re.search(rf"^district:\s*['\"]?{re.escape(district)}", text, re.M) is not None and (
        re.search(rf"^year:\s*{re.escape(year)}\b", text, re.M) is not None
    )


def _figures(
    path: Path, paragraphs: list[SourceParagraph], facts: Path, custom: Customisation | None
) -> list[Finding]:
    from drafter.compose import document_lines
    from drafter.pipeline import draft_facts

    try:
        drafted = [line for line in document_lines(draft_facts(facts, custom).document) if line]
    except DrafterError as exc:
        first = exc.problems[0]
        return [Finding("error", f"无法按事实文件核对数字：{first.message}", facts, first.line)]
    found = [Finding("info", "按事实文件核对稿中的数字", facts)]
    texts = [p.text.translate(_JOINERS).strip() for p in paragraphs]
    matcher = difflib.SequenceMatcher(None, texts, drafted, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "replace":
            continue
        for i in range(a0, a1):
            j = max(range(b0, b1), key=lambda k: _ratio(texts[i], drafted[k]))
            if _ratio(texts[i], drafted[j]) < 0.6:
                continue
            for ours, theirs in _differing_figures(texts[i], drafted[j]):
                found.append(Finding(
                    "error", f"数字与事实文件不符：稿中为“{ours}”，按事实文件应为“{theirs}”"
                    f"（“{short(texts[i])}”）", path, where=f"第{paragraphs[i].number}段",
                ))  # fmt: skip
    return found


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _differing_figures(ours: str, theirs: str) -> Iterator[tuple[str, str]]:
    mine = [m.group().replace(" ", "") for m in _FIGURE.finditer(ours)]
    want = [m.group().replace(" ", "") for m in _FIGURE.finditer(theirs)]
    matcher = difflib.SequenceMatcher(None, mine, want, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "replace":
            yield "、".join(mine[a0:a1]), "、".join(want[b0:b1])
        elif op == "delete":
            yield "、".join(mine[a0:a1]), "（无）"
