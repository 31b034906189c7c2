"""A 函 with its own 发文字号 line above the title, from the profile setting `letter_number`
alone (tests/data/profiles/letter_number.yaml): the drafted text asserted exactly, the line's
place read back from the .docx, the setting's located errors, and the import round trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from drafter.compose import document_lines
from drafter.config import Customisation
from drafter.facts.load import load_facts
from drafter.pipeline import draft_facts
from drafter.profiles import load_profile
from drafter.word.breaks import JOINERS

PROFILES = Path(__file__).parent / "data" / "profiles"
FACTS = PROFILES / "facts" / "letter_number.yaml"

EXPECTED = [
    "玄政办函〔2023〕12号",
    "南京市玄武区人民政府办公室关于报送2023年",
    "履行教育职责情况自评报告的函",
    "南京市人民政府教育督导室：",
    "根据《关于开展2023年度区人民政府履行教育职责评价工作的通知》（宁教督〔2023〕5号）要求，南京市玄武区人民政府对2023年履行教育职责情况进行了自查自评，现将有关情况报告如下：",
    "一、主要做法及成效",
    "（一）落实教育优先发展",
    "1.经费投入。教育经费实现“两个只增不减”。",
    "南京市玄武区人民政府办公室",
    "2023年8月15日",
]


def visible(text: str) -> str:
    """Paragraph text without the invisible joiners a draft may keep a 文号 together with."""
    return text.translate(JOINERS)


def custom(folder: Path = PROFILES, profile: str | None = None) -> Customisation:
    return Customisation(profile=profile, profile_dirs=(folder,))


def test_fixture_drafts_from_settings_alone():
    made = draft_facts(FACTS, custom())
    assert made.gaps == {}
    assert document_lines(made.document) == EXPECTED
    assert made.document.letter_number == "right"
    # the same facts under the default profile: no number line
    plain = draft_facts(FACTS, custom(profile="default"))
    assert "玄政办函〔2023〕12号" not in document_lines(plain.document)
    # … and the writer is told why, at the field's line
    (warning,) = [w for w in plain.located.warnings if w.where == "letter_number"]
    line = FACTS.read_text(encoding="utf-8").splitlines().index(
        "letter_number: 玄政办函〔2023〕12号") + 1
    assert (warning.file, warning.line) == (FACTS, line)
    assert "结构方案“default”没有设置 letter_number，稿中不会出现" in warning.message
    assert made.located.warnings == []


def mine(tmp_path: Path, setting: str) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(PROFILES / "letter_number.yaml", folder / "letter_number.yaml")
    (folder / "house.yaml").write_text(f"extends: letter_number\n{setting}", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("", WD_ALIGN_PARAGRAPH.RIGHT), ("letter_number: {align: 居中}\n", WD_ALIGN_PARAGRAPH.CENTER),
     ("letter_number: 居中\n", WD_ALIGN_PARAGRAPH.CENTER),
     ("letter_number: true\n", WD_ALIGN_PARAGRAPH.RIGHT)],
)  # fmt: skip
def test_the_line_stands_where_the_setting_says(cli, tmp_path, setting, expected):
    out = tmp_path / "函.docx"
    code, _, err = cli("draft", FACTS, "--sections", mine(tmp_path, setting),
                       "--profile", "house", "-o", out)  # fmt: skip
    assert code == 0, err
    number, first_title = docx.Document(str(out)).paragraphs[:2]
    assert (visible(number.text), number.style.name) == ("玄政办函〔2023〕12号", "公文发文字号")
    assert (number.paragraph_format.alignment or number.style.paragraph_format.alignment) == (
        expected
    )
    assert (visible(first_title.text), first_title.style.name) == (EXPECTED[1], "公文标题")


def test_false_turns_off_an_inherited_setting(tmp_path):
    made = draft_facts(FACTS, custom(mine(tmp_path, "letter_number: false\n"), "house"))
    assert document_lines(made.document)[:2] == EXPECTED[1:3]
    assert made.document.letter_number is None


def test_a_missing_letter_number_is_a_gap(write):
    path = write("f.yaml", FACTS.read_text(encoding="utf-8").replace(
        "letter_number: 玄政办函〔2023〕12号\n", ""))  # fmt: skip
    made = draft_facts(path, custom())
    assert document_lines(made.document)[0] == "【待补充：发文字号】"
    assert made.gaps == {"发文字号": ("letter_number",)}


def test_other_brackets_are_drafted_as_liujiao(write):
    path = write("f.yaml", FACTS.read_text(encoding="utf-8").replace("〔2023〕12号", "(2023)12号"))
    assert document_lines(draft_facts(path, custom()).document)[0] == "玄政办函〔2023〕12号"


def test_profiles_show_prints_the_setting(cli):
    code, out, _ = cli("profiles", "--show", "letter_number", "--sections", PROFILES)
    assert code == 0 and "letter_number:\n  align: 居右\n" in out
    code, out, _ = cli("profiles", "--show", "default")
    assert code == 0 and "letter_number: null\n" in out


@pytest.mark.parametrize("setting", ["", "letter_number: {align: 居中}\n"])
def test_import_round_trip(cli, tmp_path, setting):
    out = tmp_path / "函.docx"
    code, _, err = cli("draft", FACTS, "--sections", mine(tmp_path, setting),
                       "--profile", "house", "-o", out)  # fmt: skip
    assert code == 0, err
    imported = tmp_path / "imported.yaml"
    code, text, err = cli("import", out, "-o", imported)
    assert code == 0, err
    assert "用 drafter text 起草的文字与原文逐段一致" in text
    facts, _ = load_facts(imported)
    assert facts.letter_number == "玄政办函〔2023〕12号"
    written = load_profile(str(imported.parent / facts.profile))
    assert written.letter_number is not None
    assert written.letter_number.align == ("居中" if setting else "居右")
    drafted = draft_facts(imported)
    assert document_lines(drafted.document) == EXPECTED
