"""The samples rendered as a reader sees them, shared by the rendering tests: drafted,
converted to PDF by LibreOffice in ONE batch call (start-up dominates) with drafter's own
fontconfig file, and read back from the PDF's text positions. Rendered once per session.

Besides the four samples the batch holds two copies made only to show what drafter's own
handling prevents: shuangtaizi without its line-break binding (word/breaks.py) and wuxing
justified as drafted rather than left-aligned as `preview` renders it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SAMPLES

from drafter.compose import document_lines
from drafter.pipeline import draft_facts
from drafter.preview import docx_to_pdf, for_libreoffice
from drafter.word import breaks, build_docx, docx_bytes

MM = 72 / 25.4
TOP, LEFT, TYPE_W, TYPE_H = 37 * MM, 28 * MM, 156 * MM, 225 * MM  # the 版心
ZI = 15.75  # one 字 of 三号 with −0.25 pt spacing
SAMPLE_FILES = sorted(SAMPLES.glob("*/*.yaml"))
NAMES = sorted(f.parent.name for f in SAMPLE_FILES)
UNBOUND, JUSTIFIED = "shuangtaizi-unbound", "wuxing-justified"

TOOLS = ("soffice", "pdftotext", "pdffonts", "pdftohtml", "fc-match")
MISSING_TOOLS = [t for t in TOOLS if shutil.which(t) is None]
needs_tools = pytest.mark.skipif(
    bool(MISSING_TOOLS),
    reason=f"未安装 {', '.join(MISSING_TOOLS)}（bash .ci/install-render-deps.sh 安装）",
)


def _stand_ins_missing() -> list[str]:
    if shutil.which("fc-list") is None:
        return ["fc-list"]
    out = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=True
    ).stdout
    wanted = ("FandolFang", "AR PL KaitiM GB", "Noto Sans CJK SC", "Noto Serif CJK SC")
    return [name for name in wanted if name not in out]


MISSING_FONTS = [] if MISSING_TOOLS else _stand_ins_missing()
needs_fonts = pytest.mark.skipif(
    bool(MISSING_TOOLS or MISSING_FONTS),
    reason=f"缺少替身字体 {', '.join(MISSING_FONTS)}（bash .ci/install-render-deps.sh 安装）",
)


@dataclass(frozen=True)
class Line:
    page: int
    y0: float
    y1: float
    x0: float
    x1: float
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(self.words)

    @property
    def centre(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class Run:
    """A text element of pdftohtml -xml: a piece of one line in one font."""

    page: int
    text: str
    family: str  # subset prefix removed: FandolFang, NotoSerifCJKjp …
    bold: bool


@dataclass
class Rendered:
    name: str
    facts: Path
    draft: object  # drafter.compose.Draft
    pdf: Path
    pages: list[list[Line]]  # lines inside the 版心, top to bottom
    footers: list[list[Line]]  # lines below the 版心
    runs: list[Run]
    fonts: list[str]  # pdffonts' names, subset prefix removed
    left_aligned: frozenset[str]  # paragraphs the .docx sets left-aligned (no stretching)


def read_lines(pdf: Path) -> tuple[list[list[Line]], list[list[Line]]]:
    """Lines from word positions, joiners dropped: the words sharing a baseline are a line.
    (pdftotext's own lines break where a joiner's empty glyph box overlaps a 楷体 glyph.)"""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    pages, footers = [], []
    for n, page in enumerate(ET.fromstring(xml).iter(f"{ns}page"), 1):
        words = sorted(
            (float(w.get("yMin")), float(w.get("yMax")), float(w.get("xMin")),
             float(w.get("xMax")), (w.text or "").translate(breaks.JOINERS))
            for w in page.iter(f"{ns}word")
        )  # fmt: skip
        rows: list[list[tuple[float, float, float, float, str]]] = []
        for word in words:
            centre = (word[0] + word[1]) / 2
            if rows and abs((rows[-1][0][0] + rows[-1][0][1]) / 2 - centre) < 4:
                rows[-1].append(word)
            else:
                rows.append([word])
        lines = []
        for row in rows:
            row.sort(key=lambda w: w[2])
            top, bottom = min(w[0] for w in row), max(w[1] for w in row)
            words = tuple(w[4] for w in row if w[4])
            lines.append(Line(n, top, bottom, row[0][2], max(w[3] for w in row), words))
        lines = [ln for ln in lines if ln.words]
        lines.sort(key=lambda line: (line.centre, line.x0))
        pages.append([ln for ln in lines if TOP - 2 <= ln.centre <= TOP + TYPE_H + 2])
        footers.append([ln for ln in lines if ln.centre > TOP + TYPE_H + 2])
    return pages, footers


def read_runs(pdf: Path) -> list[Run]:
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", str(pdf)], capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    root = ET.fromstring(xml)
    runs = []
    families: dict[str | None, str] = {}  # font ids run on across pages
    for page in root.iter("page"):
        for spec in page.iter("fontspec"):
            families[spec.get("id")] = spec.get("family", "").split("+")[-1]
        number = int(page.get("number"))
        for element in page.iter("text"):
            text = "".join(element.itertext()).translate(breaks.JOINERS)
            bold = element.find("b") is not None
            runs.append(Run(number, text, families.get(element.get("font"), "?"), bold))
    return runs


def read_fonts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return sorted({ln.split()[0].split("+")[-1] for ln in out.splitlines()[2:] if ln.strip()})


def _left_aligned(data: bytes) -> frozenset[str]:
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return frozenset(
        "".join(t.text or "" for t in p.iter(f"{w}t")).translate(breaks.JOINERS)
        for p in root.iter(f"{w}p")
        if p.find(f"{w}pPr/{w}jc") is not None and p.find(f"{w}pPr/{w}jc").get(f"{w}val") == "left"
    )


_CACHE: dict[str, Rendered] = {}


def render_all(factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """Every sample (and the two contrast copies) drafted and rendered, once."""
    if _CACHE:
        return _CACHE
    folder = factory.mktemp("render")
    jobs: dict[str, tuple[Path, object, bytes]] = {}
    for facts in SAMPLE_FILES:
        draft = draft_facts(facts)
        data = docx_bytes(build_docx(draft.document))
        jobs[facts.parent.name] = (facts, draft, for_libreoffice(data))  # as preview does
        if facts.parent.name == "shuangtaizi":
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(breaks, "bind_body", lambda body, layout=True: 0)
                unbound = docx_bytes(build_docx(draft.document))
            jobs[UNBOUND] = (facts, draft, for_libreoffice(unbound))
        if facts.parent.name == "wuxing":
            jobs[JUSTIFIED] = (facts, draft, data)
    docx_files = []
    for name, (_, _, data) in jobs.items():
        (folder / f"{name}.docx").write_bytes(data)
        docx_files.append(folder / f"{name}.docx")
    pdfs = docx_to_pdf(docx_files, folder)
    for (name, (facts, draft, data)), pdf in zip(jobs.items(), pdfs, strict=True):
        pages, footers = read_lines(pdf)
        _CACHE[name] = Rendered(name, facts, draft, pdf, pages, footers, read_runs(pdf),
                                read_fonts(pdf), _left_aligned(data))  # fmt: skip
    return _CACHE


def paragraph_lines(r: Rendered) -> list[tuple[str, list[Line]]]:
    """Each paragraph of the draft (whitespace removed) with the lines it fills, matched
    in order against the PDF's text; a paragraph not found ends the matching."""
    paragraphs = [re.sub(r"\s", "", t) for t in document_lines(r.draft.document)]
    paragraphs = [p for p in paragraphs if p]
    out, at, text, lines = [], 0, "", []
    for line in (ln for page in r.pages for ln in page):
        lines.append(line)
        text += re.sub(r"\s", "", line.text)
        while at < len(paragraphs) and text.startswith(paragraphs[at]):
            out.append((paragraphs[at], lines))
            text, lines, at = text[len(paragraphs[at]) :], [], at + 1
            if text:  # two paragraphs on one line: cannot be
                return out
    return out
