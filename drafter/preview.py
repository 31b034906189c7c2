"""See a draft as a reader would: .docx → PDF (LibreOffice headless) → PNG pages (poppler).

LibreOffice runs with drafter's own fontconfig file (drafter/fonts/fonts.conf, which maps
仿宋_GB2312, 楷体_GB2312, 黑体, 宋体 and 方正小标宋简体 to free stand-ins when the real fonts
are absent) and with a private, throw-away profile, so it neither clashes with a desktop
LibreOffice nor leaves anything behind. Missing tools are a Chinese DrafterError saying
what to install, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from drafter.errors import DrafterError

SOFFICE_NAMES = ("soffice", "libreoffice")
CONVERT_TIMEOUT = 600  # seconds for one soffice call (a batch of drafts)

INSTALL_HINT = (
    "Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk "
    "fonts-arphic-gkai00mp fonts-arphic-ukai fonts-liberation2"
    "（仿宋替身 FandolFang 的安装见 .ci/install-render-deps.sh）"
)

# role → font families any of which stands in for it (first family of each alias list)
STAND_INS = {
    "仿宋": ("FandolFang",),
    "楷体": ("AR PL KaitiM GB", "FandolKai", "AR PL UKai CN"),
    "黑体": ("Noto Sans CJK SC", "FandolHei"),
    "宋体、小标宋": ("Noto Serif CJK SC", "FandolSong"),
}


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


def missing_stand_ins() -> list[str]:
    """Roles for which neither the real font nor any stand-in is installed (empty if
    fc-list is unavailable: then we cannot tell, and say nothing)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    result = subprocess.run(
        [fc_list, ":", "family"], capture_output=True, text=True, env=preview_env(), check=False
    )
    families = {f.strip() for line in result.stdout.splitlines() for f in line.split(",")}
    return [role for role, names in STAND_INS.items() if not families.intersection(names)]


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


def pdf_to_png(pdf: Path, outdir: Path, dpi: int = 60, first: int | None = None,
               last: int | None = None) -> list[Path]:  # fmt: skip
    """One PNG per page (NAME-1.png …, as pdftoppm numbers them); returns them in order."""
    pdftoppm = find_pdftoppm()
    outdir.mkdir(parents=True, exist_ok=True)
    stem = outdir / pdf.stem
    pages = []
    if first is not None:
        pages += ["-f", str(first)]
    if last is not None:
        pages += ["-l", str(last)]
    result = subprocess.run(
        [pdftoppm, "-r", str(dpi), *pages, "-png", str(pdf), str(stem)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise PreviewError.one(f"pdftoppm 无法转换：{result.stderr.strip()}", pdf)
    return sorted(
        outdir.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
    )
