"""`roll` and `diff` of a preamble citing several documents (`notices:`): each cited
document is carried over tagged `!stale` (highlighted, listed, refused by --strict), and
`diff` compares the list item by item, by title, else by position."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_roll import edit, highlighted_runs

from drafter.diff import diff_files
from drafter.facts.load import load_facts
from drafter.pipeline import draft_facts
from drafter.roll import roll_file
from drafter.word.breaks import JOINERS

FIXTURE = Path(__file__).parent / "data" / "profiles" / "facts" / "hubei.yaml"
PROFILES = FIXTURE.parent.parent


def visible(text: str) -> str:
    """Run text without the invisible joiners a draft may keep a 文号 together with."""
    return text.translate(JOINERS)


@pytest.fixture
def hubei(tmp_path: Path) -> Path:
    """The 湖北 fixture (two cited documents, one without a 文号) beside its profile."""
    folder = tmp_path / "hubei"
    folder.mkdir()
    shutil.copyfile(PROFILES / "hubei.yaml", folder / "hubei.yaml")
    source = folder / "2022.yaml"
    shutil.copyfile(FIXTURE, source)
    return source


def test_roll_tags_every_cited_document(hubei):
    rolled = roll_file(hubei)
    text = rolled.target.read_text(encoding="utf-8")
    assert (
        "notices:\n"
        "  - issuer: !stale 孝感市人民政府教育督导室\n"
        "    title: !stale 关于报送县级人民政府履行教育职责自查自评报告的通知\n"
        "    number: !stale 孝政督〔2022〕3号\n"
        "  - title: !stale 孝感市县级人民政府履行教育职责评价实施方案\n"
        "    number: false\n"
    ) in text
    assert rolled.notices == 4
    assert any("开头引用的文件（notices）沿用上年，其发文机关、标题和文号 4 项已标为 !stale"
               in line for line in rolled.report_lines())  # fmt: skip
    _, located = load_facts(rolled.target)
    assert {p for p in located.stale if p[0] == "notices"} == {
        ("notices", 0, "issuer"), ("notices", 0, "title"), ("notices", 0, "number"),
        ("notices", 1, "title"),
    }  # fmt: skip


def test_a_rolled_cited_document_is_drafted_highlighted_and_refused_by_strict(hubei, cli):
    from drafter.config import Customisation

    target = roll_file(hubei).target
    made = draft_facts(target, Customisation(profile_dirs=(hubei.parent,)))
    assert ("notices", 0, "number") in made.stale and ("notices", 1, "title") in made.stale
    out = target.with_suffix(".docx")
    code, _, err = cli("draft", target, "--sections", hubei.parent, "-o", out)
    assert code == 0, err
    cyan = [visible(text) for text, colour in highlighted_runs(out) if colour == "cyan"]
    assert cyan[:4] == [  # each carried-over value highlighted, the 书名号 around them not
        "孝感市人民政府教育督导室", "关于报送县级人民政府履行教育职责自查自评报告的通知",
        "孝政督〔2022〕3号", "孝感市县级人民政府履行教育职责评价实施方案",
    ]  # fmt: skip
    code, _, err = cli("draft", target, "--sections", hubei.parent, "--strict",
                       "-o", target.with_name("strict.docx"))  # fmt: skip
    assert code != 0 and not target.with_name("strict.docx").exists(), err


def test_diff_of_cited_documents_by_title_then_position(hubei):
    new = roll_file(hubei).target
    edit(new, "  - issuer: !stale 孝感市人民政府教育督导室\n"
              "    title: !stale 关于报送县级人民政府履行教育职责自查自评报告的通知\n"
              "    number: !stale 孝政督〔2022〕3号\n",
         "  - issuer: 孝感市人民政府教育督导室\n"
         "    title: 关于报送2023年县级人民政府履行教育职责自查自评报告的通知\n"
         "    number: 孝政督〔2023〕2号\n"
         "    quoted: false\n")  # fmt: skip
    # the implementation plan moves to the front, with a 文号 now; a third document is added
    edit(new, "  - title: !stale 孝感市县级人民政府履行教育职责评价实施方案\n    number: false\n",
         "  - title: 湖北省县级人民政府履行教育职责评价办法\n")
    edit(new, "notices:\n", "notices:\n  - title: 孝感市县级人民政府履行教育职责评价实施方案\n"
                            "    number: 孝政督〔2023〕1号\n")  # fmt: skip
    edit(new, "date:  # 待补充：成文日期", "date: 2023-05-12")
    lines = diff_files(hubei, new)
    assert lines[:8] == [
        "安陆市：2022年度 → 2023年度",
        "基本信息：",
        "  年度：2022 → 2023",
        "  评价通知（多个）第1项（原第2项） 文号：（无文号） → 孝政督〔2023〕1号",
        "  评价通知（多个）第2项（原第1项） 通知标题："
        "关于报送县级人民政府履行教育职责自查自评报告的通知"
        " → 关于报送2023年县级人民政府履行教育职责自查自评报告的通知",
        "  评价通知（多个）第2项（原第1项） 文号：孝政督〔2022〕3号 → 孝政督〔2023〕2号",
        "  评价通知（多个）第2项（原第1项） 书名号：是 → 否",
        "  新增 评价通知（多个）第3项：《湖北省县级人民政府履行教育职责评价办法》",
    ]
    assert lines[8] == "  成文日期：2022年5月10日 → 2023年5月12日"


def test_diff_names_a_removed_cited_document_and_an_unchanged_list_is_no_difference(hubei):
    new = roll_file(hubei).target
    edit(new, "  - title: !stale 孝感市县级人民政府履行教育职责评价实施方案\n    number: false\n",
         "")
    lines = diff_files(hubei, new)
    assert ("  删除 评价通知（多个）原第2项：《孝感市县级人民政府履行教育职责评价实施方案》"
            in lines)  # fmt: skip
    assert not any("第1项" in line for line in lines), lines  # tags are not differences
    assert diff_files(hubei, hubei) == ["安陆市：2022年度 → 2022年度", "两个事实文件没有差别。"]


def test_diff_from_one_notice_to_several_compares_the_first_with_it(hubei, tmp_path):
    single = tmp_path / "single.yaml"
    text = FIXTURE.read_text(encoding="utf-8")
    start, end = text.index("notices:\n"), text.index("date:")
    single.write_text(text[:start] + "notice:\n  issuer: 孝感市人民政府教育督导室\n"
                      "  title: 关于报送县级人民政府履行教育职责自查自评报告的通知\n"
                      "  number: 孝政督〔2022〕3号\n" + text[end:], encoding="utf-8")  # fmt: skip
    assert diff_files(single, hubei) == [
        "安陆市：2022年度 → 2022年度",
        "基本信息：",
        "  新增 评价通知（多个）第2项：《孝感市县级人民政府履行教育职责评价实施方案》",
    ]
