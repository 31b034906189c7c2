"""Opening a .docx package without python-docx (drafter/reading/docx_package.py): the parts
found through the relationships as Word and python-docx find them, damaged packages read as
before (document.xml alone), and `drafter import` never loading python-docx."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from lxml import etree

from drafter.errors import SourceError
from drafter.reading.docx_package import open_document, ui_style_name
from drafter.reading.docx_reader import read_docx

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "jiangbei" / "2022.yaml"
DOC_RELS = "word/_rels/document.xml.rels"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _source(path: Path) -> Path:
    """A Word file as people make one: a heading in Word's own style, a comment, a header."""
    document = docx.Document()
    document.add_heading("一、基本情况", level=1)
    paragraph = document.add_paragraph("全区共有学校52所。")
    document.add_comment(paragraph.runs, text="请核对")
    document.sections[0].header.paragraphs[0].text = "内部资料"
    document.save(str(path))
    return path


def _rewrite(src: Path, dst: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of the package with each part passed through `change` (None: left out)."""
    with zipfile.ZipFile(src) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            changed = change(name, data)
            if changed is not None:
                out.writestr(name, changed)
    return dst


def _in_rels(old: bytes, new: bytes) -> Callable[[str, bytes], bytes | None]:
    return lambda name, data: data.replace(old, new) if name == DOC_RELS else data


def _read(path: Path) -> tuple[list[tuple[str, str, int | None]], list[str]]:
    source = read_docx(path)
    return [(p.text, p.style, p.outline_level) for p in source.paragraphs], source.notes


@pytest.fixture
def made(tmp_path: Path) -> Path:
    return _source(tmp_path / "source.docx")


def test_the_parts_are_found_through_the_relationships(made: Path) -> None:
    paragraphs, notes = _read(made)
    assert paragraphs[0] == ("一、基本情况", "Heading 1", 1)  # styles.xml read, Word's name
    assert paragraphs[1][0] == "全区共有学校52所。"
    assert "批注 1 条未读入" in notes and "页眉页脚未读入" in notes
    part = open_document(made)
    assert part.name == "/word/document.xml"
    assert [p.name for p in part.related("styles")] == ["/word/styles.xml"]


def test_absolute_and_parent_relative_targets_name_the_same_parts(made: Path, tmp_path: Path):
    expected = _read(made)
    absolute = _rewrite(made, tmp_path / "abs.docx", _in_rels(b'Target="', b'Target="/word/'))
    parent = _rewrite(made, tmp_path / "up.docx", _in_rels(b'Target="', b'Target="../word/'))
    assert _read(absolute) == expected
    assert _read(parent) == expected


def test_external_relationships_are_not_followed(made: Path, tmp_path: Path) -> None:
    external = (f'<Relationship Id="rId99" Type="{_RT}styles" Target="http://example.com/s.xml" '
                'TargetMode="External"/></Relationships>').encode()  # fmt: skip
    path = _rewrite(made, tmp_path / "ext.docx", _in_rels(b"</Relationships>", external))
    assert _read(path) == _read(made)
    assert [p.name for p in open_document(path).related("styles")] == ["/word/styles.xml"]


def test_a_dangling_relationship_falls_back_to_the_text_alone(made: Path, tmp_path: Path) -> None:
    path = _rewrite(made, tmp_path / "dangling.docx",
                    lambda name, data: None if name == "word/styles.xml" else data)  # fmt: skip
    with pytest.raises(KeyError):
        open_document(path)
    paragraphs, notes = _read(path)
    assert [text for text, _, _ in paragraphs] == ["一、基本情况", "全区共有学校52所。"]
    assert notes == []  # comments and header unknown: nothing said of them


def test_a_relationship_without_a_type_is_not_a_crash(made: Path, tmp_path: Path) -> None:
    # python-docx raised AttributeError here, which read_docx did not expect
    path = _rewrite(made, tmp_path / "typeless.docx", _in_rels(b'Type="', b'XType="'))
    paragraphs, _ = _read(path)
    assert paragraphs[1][0] == "全区共有学校52所。"


def test_a_package_without_styles_or_numbering_reads(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("正文一段")
    buffer = io.BytesIO()
    document.save(buffer)
    plain = tmp_path / "plain.docx"
    plain.write_bytes(buffer.getvalue())

    def without(name: str, data: bytes) -> bytes | None:
        if name in ("word/styles.xml", "word/numbering.xml", "word/stylesWithEffects.xml"):
            return None
        if name == DOC_RELS:
            rels = etree.fromstring(data)
            for rel in list(rels):
                if rel.get("Type", "").rsplit("/", 1)[-1] in ("styles", "numbering",
                                                               "stylesWithEffects"):
                    rels.remove(rel)
            return etree.tostring(rels)
        return data

    path = _rewrite(plain, tmp_path / "bare.docx", without)
    assert list(open_document(path).related("styles")) == []
    assert _read(path) == ([("正文一段", "", None)], [])


def test_not_a_zip_is_a_chinese_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(SourceError) as caught:
        read_docx(path)
    assert "无法读取" in str(caught.value)


def test_style_names_as_word_shows_them() -> None:
    # python-docx's BabelFish.internal2ui, which this replaces
    from docx.styles import BabelFish

    for name in ("heading 1", "heading 9", "caption", "header", "footer", "Normal", "标题 1"):
        assert ui_style_name(name) == BabelFish.internal2ui(name)


def test_import_loads_neither_python_docx_nor_the_word_writer(tmp_path: Path) -> None:
    drafted = tmp_path / "report.docx"
    script = ("import sys\nfrom drafter.cli import main\ncode = main(sys.argv[1:])\n"
              "print(code, 'docx' in sys.modules, 'drafter.word' in sys.modules)\n")  # fmt: skip
    env = {**os.environ, "DRAFTER_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}

    def run(*args: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                              text=True, env=env, timeout=120, check=False)  # fmt: skip
        return done.stdout.split()[-3:]

    assert run("draft", str(SAMPLE), "-o", str(drafted)) == ["0", "True", "True"]
    assert run("import", str(drafted), "-o", str(tmp_path / "back.yaml")) == ["0", "False", "False"]
    assert "重庆市江北区" in (tmp_path / "back.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("change", [
    pytest.param(_in_rels(b"</Relationships>", f'<Relationship Id="rId98" Type="{_RT}image" '
                          'Target="media/gone.png"/></Relationships>'.encode()),
                 id="dangling-image"),
    pytest.param(lambda name, data: None if name == "_rels/.rels" else data, id="no-package-rels"),
    pytest.param(lambda name, data: None if name == "[Content_Types].xml" else data,
                 id="no-content-types"),
])  # fmt: skip
def test_other_broken_packages_fall_back_as_python_docx_did(made: Path, tmp_path: Path,
                                                            change) -> None:  # fmt: skip
    path = _rewrite(made, tmp_path / "broken.docx", change)
    with pytest.raises((KeyError, ValueError)):
        open_document(path)
    # the text alone: no style names (ids only), no header or comment notes
    expected = [("一、基本情况", "Heading1", None), ("全区共有学校52所。", "", None)]
    assert _read(path) == (expected, [])
