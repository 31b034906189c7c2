"""drafter/preview.py without LibreOffice: which fonts the preview can show, page images that
replace only their own earlier pages, and `drafter preview` run against a stand-in soffice.
(tests/test_rendering.py renders for real where LibreOffice and the fonts are installed.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES

from drafter import preview


def _fake_tool(folder: Path, name: str, script: str) -> None:
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!{sys.executable}\n{script}", encoding="utf-8")
    tool.chmod(0o755)


def test_each_font_may_be_shown_by_itself_or_the_stand_ins_fonts_conf_accepts():
    candidates = preview.font_candidates()
    assert candidates["仿宋_GB2312"] == (
        "仿宋_GB2312", "仿宋", "FangSong", "FandolFang", "Noto Serif CJK SC",
    )  # fmt: skip
    assert candidates["方正小标宋简体"][:2] == ("方正小标宋简体", "方正小标宋_GBK")
    assert list(candidates) == ["仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"]


@pytest.mark.parametrize(
    ("installed", "missing"),
    [
        # the real fonts, no stand-in at all: nothing to warn about
        (["仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"], []),
        (["FandolFang,FandolFang Regular", "AR PL KaitiM GB", "Noto Sans CJK SC"],
         ["宋体", "方正小标宋简体"]),
        ([], ["仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"]),
    ],
)  # fmt: skip
def test_missing_stand_ins_names_only_fonts_nothing_can_show(
    tmp_path, monkeypatch, installed, missing
):
    _fake_tool(tmp_path / "bin", "fc-list", f"print(*{installed!r}, sep=chr(10))\n")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert preview.missing_stand_ins() == missing


def test_the_install_script_installs_the_packages_the_hint_names():
    listed = subprocess.run(
        ["bash", str(REPO / ".ci" / "install-render-deps.sh"), "--list-packages"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert tuple(listed) == preview.APT_PACKAGES
    assert f"apt-get install {' '.join(listed)}（" in preview.INSTALL_HINT


def _blank_pdf(pages: int) -> bytes:
    """A valid PDF of `pages` empty A7 pages (enough for pdftoppm)."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
        *["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 210 298] >>"] * pages,
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="未安装 pdftoppm（poppler-utils）")
def test_page_images_replace_their_own_earlier_pages_only(tmp_path):
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(_blank_pdf(2))
    images = tmp_path / "png"
    images.mkdir()
    for name in ("报告-1.png", "报告-7.png", "报告-附件-1.png", "报告-1.txt", "另一报告-1.png"):
        (images / name).write_bytes(b"old")
    pages = preview.pdf_to_png(pdf, images)
    assert pages == [images / "报告-1.png", images / "报告-2.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
    assert sorted(p.name for p in images.iterdir()) == sorted(
        ["报告-1.png", "报告-2.png", "报告-附件-1.png", "报告-1.txt", "另一报告-1.png"]
    )  # 报告-7.png was an old page of this report
    assert (images / "报告-附件-1.png").read_bytes() == b"old"


def test_preview_lists_what_needs_checking_with_its_paragraph(tmp_path):
    # a stand-in soffice that "converts" each .docx to a PDF in --outdir
    _fake_tool(tmp_path / "bin", "soffice", (
        "import sys, pathlib\n"
        "args = sys.argv[1:]\n"
        "outdir = pathlib.Path(args[args.index('--outdir') + 1])\n"
        "for name in [a for a in args if a.endswith('.docx')]:\n"
        "    (outdir / (pathlib.Path(name).stem + '.pdf')).write_bytes(b'%PDF-1.4 stand-in')\n"
    ))  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "drafter.cli", "preview", str(SAMPLES / "wuxing" / "2019.yaml"),
         "-o", str(tmp_path / "吴兴.pdf")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "PATH": str(tmp_path / "bin"), "PYTHONPATH": str(REPO),
             "LANG": "C.UTF-8"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "吴兴.pdf").read_bytes() == b"%PDF-1.4 stand-in"
    assert "请核对：第10段：引号不成对：前引号“后面没有对应的后引号”" in result.stdout
    assert preview.PREVIEW_NOTE in result.stdout  # the user is told about the alignment


def test_the_copy_libreoffice_renders_is_left_aligned_where_the_draft_is_justified():
    import io
    import zipfile

    from drafter.pipeline import draft_facts
    from drafter.word import build_docx, docx_bytes

    drafted = docx_bytes(build_docx(draft_facts(SAMPLES / "wuxing" / "2019.yaml").document))
    rendered = preview.for_libreoffice(drafted)

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    before, after = parts(drafted), parts(rendered)
    assert before.keys() == after.keys()
    assert [n for n in before if before[n] != after[n]] == ["word/styles.xml"]
    assert b'w:jc w:val="both"' in before["word/styles.xml"]
    assert b'w:jc w:val="both"' not in after["word/styles.xml"]
    for kept in (b'w:jc w:val="center"', b'w:jc w:val="right"'):
        assert after["word/styles.xml"].count(kept) == before["word/styles.xml"].count(kept) > 0


def test_split_score_annotations_are_found_within_and_across_pages():
    pages = [["1.体质健康。（5分，自评", "分4.8分）", "正文（3"], ["分，自评分3分）其后"]]
    found = preview.split_annotations(pages, {"（5分，自评分4.8分）", "（3分，自评分3分）"})
    assert found == [(1, "（5分，自评分4.8分）"), (1, "（3分，自评分3分）")]
    whole = [["2.标题。（5分，自评分4.8分）", "正文。"]]
    assert preview.split_annotations(whole, {"（5分，自评分4.8分）"}) == []
