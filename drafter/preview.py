"""See a draft as a reader would: .docx → PDF (LibreOffice headless) → PNG pages (poppler).

LibreOffice runs with drafter's own fontconfig file (drafter/fonts/fonts.conf, which maps
仿宋_GB2312, 楷体_GB2312, 黑体, 宋体 and 方正小标宋简体 to free stand-ins when the real fonts
are absent) and with a private, throw-away profile, so it neither clashes with a desktop
LibreOffice nor leaves anything behind. Missing tools are a Chinese DrafterError saying
what to install, never a traceback.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree

from drafter.errors import DrafterError
from drafter.word import breaks

SOFFICE_NAMES = ("soffice", "libreoffice")
CONVERT_TIMEOUT = 600  # seconds for one soffice call (a batch of drafts)

# The Debian packages for previews: LibreOffice, poppler and the stand-in fonts that
# fonts.conf names. The one list: .ci/install-render-deps.sh reads it from here.
APT_PACKAGES = (
    "libreoffice-writer-nogui",
    "poppler-utils",
    "fontconfig",
    "fonts-noto-cjk",
    "fonts-arphic-gkai00mp",
    "fonts-arphic-ukai",
    "fonts-liberation2",
)
INSTALL_HINT = (
    f"Debian/Ubuntu：sudo apt-get install {' '.join(APT_PACKAGES)}"
    "（仿宋替身 FandolFang 的安装见 .ci/install-render-deps.sh）"
)


class PreviewError(DrafterError):
    """LibreOffice or poppler is missing, or a conversion failed."""


def fonts_conf() -> Path:
    """The shipped fontconfig file (inside the installed package or the checkout)."""
    return Path(str(resources.files("drafter.fonts").joinpath("fonts.conf")))


def preview_env() -> dict[str, str]:
    """The environment for LibreOffice and fc-* tools: our font aliases, this process only."""
    return {**os.environ, "FONTCONFIG_FILE": str(fonts_conf())}


def find_soffice() -> str:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PreviewError.one(
        f"未找到 LibreOffice（soffice 命令），无法把报告转为 PDF。请先安装：{INSTALL_HINT}"
    )


def find_pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if not found:
        raise PreviewError.one(
            f"未找到 pdftoppm（poppler-utils），无法生成页面图片。请先安装：{INSTALL_HINT}"
        )
    return found


def font_candidates() -> dict[str, tuple[str, ...]]:
    """Each font a draft asks for (drafter.word.FontNames) → the families that can show it:
    itself, then the stand-ins fonts.conf accepts for it. A font fonts.conf has no alias for
    (Times New Roman) is left out: the system's own configuration substitutes it."""
    from drafter.word import FontNames

    accepted = {}
    for alias in ElementTree.parse(fonts_conf()).getroot().iter("alias"):
        accept = alias.find("accept")
        families = [] if accept is None else accept.findall("family")
        accepted[alias.findtext("family")] = tuple(f.text or "" for f in families)
    fonts = FontNames()
    wanted = dict.fromkeys(getattr(fonts, f.name) for f in dataclasses.fields(fonts))
    return {name: (name, *accepted[name]) for name in wanted if name in accepted}


def missing_stand_ins() -> list[str]:
    """Fonts for which neither the real font nor any stand-in is installed (empty if
    fc-list is unavailable: then we cannot tell, and say nothing)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    result = subprocess.run(
        [fc_list, ":", "family"], capture_output=True, text=True, env=preview_env(), check=False
    )
    families = {f.strip() for line in result.stdout.splitlines() for f in line.split(",")}
    return [
        name for name, candidates in font_candidates().items()
        if not families.intersection(candidates)
    ]  # fmt: skip


# LibreOffice draws no full-width mark that it hangs past the right edge of a justified
# line (两端对齐): the mark is neither painted nor in the PDF's text (26 lost in the four
# samples with 7.4.7, 25 with 25.2.3). The same mark on a left-aligned line hangs into the
# margin and is drawn, and the line breaks are the same. w:overflowPunct="0" (which
# LibreOffice does not read), characterSpacingControl compressPunctuation and dropping the
# compatibility settings change nothing. So the copy LibreOffice renders is left-aligned
# where the draft is justified; the .docx is not touched.
PREVIEW_NOTE = (
    "说明：LibreOffice 不显示两端对齐行末悬挂的标点，预览中正文改为左对齐以显示每个字符"
    "（行尾可能略有参差）；Word/WPS 中的 .docx 仍为两端对齐，分行相同。"
)
_JUSTIFIED = ("both", "distribute")
_LAYOUT_PARTS = ("word/styles.xml", "word/document.xml")


def for_libreoffice(data: bytes) -> bytes:
    """The .docx LibreOffice should render: justified paragraphs left-aligned (see above)."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename in _LAYOUT_PARTS:
                root = etree.fromstring(part, etree.XMLParser(resolve_entities=False))
                for jc in root.iter(f"{w}jc"):
                    if jc.get(f"{w}val") in _JUSTIFIED and jc.getparent().tag == f"{w}pPr":
                        jc.set(f"{w}val", "left")
                part = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)  # fmt: skip
            target.writestr(info, part)
    return out.getvalue()


def docx_to_pdf(docx_files: Sequence[Path], outdir: Path) -> list[Path]:
    """Convert .docx files to PDF in one LibreOffice call; return the PDFs, in order.

    One call for many files: LibreOffice's start-up is most of the time (~1.5 s), each
    further file costs ~0.2 s.
    """
    soffice = find_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="drafter-lo-") as profile:
        command = [
            soffice, f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault",
            "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_files),
        ]  # fmt: skip
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, env=preview_env(),
                timeout=CONVERT_TIMEOUT, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise PreviewError.one(
                f"LibreOffice 转换超过 {CONVERT_TIMEOUT} 秒仍未完成，已停止"
            ) from None
    pdfs = [outdir / f"{Path(d).stem}.pdf" for d in docx_files]
    missing = [p for p in pdfs if not p.is_file()]
    if missing:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise PreviewError.one(
            "LibreOffice 没有生成 PDF：" + "、".join(p.name for p in missing)
            + (f"（{' '.join(detail)}）" if detail else "")
        )  # fmt: skip
    return pdfs


def pdf_to_png(pdf: Path, outdir: Path, dpi: int = 60) -> list[Path]:
    """One PNG per page (NAME-1.png …, as pdftoppm numbers them); returns them in order.

    Pages of an earlier preview of the same name are replaced, extra ones deleted; other
    files in `outdir` (another report's NAME-附件-1.png …) are left alone.
    """
    pdftoppm = find_pdftoppm()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="drafter-png-") as tmp:
        result = subprocess.run(
            [pdftoppm, "-r", str(dpi), "-png", str(pdf), str(Path(tmp) / "page")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise PreviewError.one(f"pdftoppm 无法转换：{result.stderr.strip()}", pdf)
        for old in _pages(outdir, pdf.stem):
            old.unlink()
        pages = []
        for page in _pages(Path(tmp), "page"):
            target = outdir / f"{pdf.stem}-{page.stem.rsplit('-', 1)[1]}.png"
            shutil.move(page, target)
            pages.append(target)
    return pages


def _pages(folder: Path, stem: str) -> list[Path]:
    """The page images STEM-N.png in `folder`, by page number."""
    pattern = re.compile(re.escape(stem) + r"-(\d+)")
    numbered = []
    for path in folder.glob("*.png"):
        match = pattern.fullmatch(path.stem)
        if match:
            numbered.append((int(match.group(1)), path))
    return [path for _, path in sorted(numbered)]


# What drafter keeps on one line (drafter/word/breaks.py binds it when writing the .docx);
# `preview` still names any the PDF shows split, so it can be fixed by hand.
SCORE_ANNOTATION = breaks.SCORE_ANNOTATION
_NS = "{http://www.w3.org/1999/xhtml}"


def unbreakable_texts(lines: Iterable[str]) -> set[str]:
    """The texts in `lines` that no line break may split: score annotations, numbers with
    their units, 文号 (a 文号 as its two parts when it may break before 〔)."""
    found = set()
    for line in lines:
        for token in breaks.tokens(line):
            cuts = [token.start, token.cut, token.end] if token.cut else [token.start, token.end]
            found.update(line[a:b] for a, b in itertools.pairwise(cuts) if b - a > 1)
    return found


def pdf_lines(pdf: Path) -> list[list[str]]:
    """The text lines of each page, top to bottom, joiners removed; [] without poppler.

    Read from word positions (pdftotext -bbox-layout), words on one baseline being one
    line: pdftotext's own lines split where a zero-width joiner's glyph box overlaps."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return []
    result = subprocess.run([pdftotext, "-bbox-layout", str(pdf), "-"], capture_output=True,
                            text=True, check=False)  # fmt: skip
    if result.returncode != 0 or not result.stdout.strip():
        return []
    pages = []
    for page in ElementTree.fromstring(result.stdout).iter(f"{_NS}page"):
        words = sorted(
            ((float(w.get("yMin", 0)) + float(w.get("yMax", 0))) / 2, float(w.get("xMin", 0)),
             (w.text or "").translate(breaks.JOINERS))
            for w in page.iter(f"{_NS}word")
        )  # fmt: skip
        rows: list[list[tuple[float, float, str]]] = []
        for word in words:
            if rows and abs(rows[-1][0][0] - word[0]) < 4:
                rows[-1].append(word)
            else:
                rows.append([word])
        lines = ["".join(w[2] for w in sorted(row, key=lambda w: w[1])) for row in rows]
        pages.append([line for line in lines if line.strip()])
    return pages


def split_annotations(pages: list[list[str]], annotations: set[str]) -> list[tuple[int, str]]:
    """(page, annotation) for each annotation whose start ends one line and whose rest
    starts the next (within a page or across a page break)."""
    lines = [(n, line.replace(" ", "")) for n, page in enumerate(pages, 1) for line in page]
    found = []
    for (page, line), (_, following) in itertools.pairwise(lines):
        for text in annotations:
            if any(line.endswith(text[:k]) and following.startswith(text[k:])
                   for k in range(1, len(text))):  # fmt: skip
                found.append((page, text))
    return found
