"""The recogniser on plain paragraphs: heading numbers in every usual form, headings known
only by their look, scores in their wordings, 落款 where people put it, Traditional text.
No Word here: the paragraphs are built as a reader would hand them over."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import opencc
import pytest
from conftest import golden

from drafter.reading.headings import typed_number
from drafter.reading.recognise import recognise
from drafter.reading.scores import split_score
from drafter.reading.source import SourceDocument, SourceParagraph


def _doc(lines: list[str] | list[SourceParagraph]) -> SourceDocument:
    paragraphs = [
        p if isinstance(p, SourceParagraph) else SourceParagraph(p, i + 1)
        for i, p in enumerate(lines)
    ]
    return SourceDocument(Path("报告.docx"), paragraphs)


@pytest.mark.parametrize(("typed", "level", "value", "rest"), [
    ("一、总体情况", 1, 1, "总体情况"), ("十二、其他", 1, 12, "其他"),
    ("二十一、其他", 1, 21, "其他"), ("（一）党的领导", 2, 1, "党的领导"),
    ("(三) 依法治教", 2, 3, "依法治教"), ("（十）保障", 2, 10, "保障"),
    ("1.加强领导", 3, 1, "加强领导"), ("2、加强领导", 3, 2, "加强领导"),
    ("3．加强领导", 3, 3, "加强领导"), ("12. 加强领导", 3, 12, "加强领导"),
    ("（1）公办学校", 4, 1, "公办学校"), ("(2)公办学校", 4, 2, "公办学校"),
    ("①第一", 5, 1, "第一"), ("　　二、主要做法", 1, 2, "主要做法"),
])  # fmt: skip
def test_typed_heading_numbers_in_every_usual_form(typed, level, value, rest):
    number = typed_number(typed)
    assert number is not None
    assert (number.level, number.value, number.rest) == (level, value, rest)


@pytest.mark.parametrize("prose", [
    "1.5万元用于改造", "2020年，全区", "一、二年级学生", "12.5%的学校", "3-6岁儿童", "一是加强领导",
])  # fmt: skip
def test_prose_starting_with_a_figure_is_not_a_heading(prose):
    assert typed_number(prose) is None


@pytest.mark.parametrize(("typed", "top", "own"), [
    ("（5分，自评分5分）", "5", "5"), ("（63分，自评得分61.6分）", "63", "61.6"),
    ("(8分,自评分8 分)", "8", "8"), ("（满分5分，自评4分）", "5", "4"),
    ("（分值5分，自评得分4.8分）", "5", "4.8"), ("（5分/自查得分4分）", "5", "4"),
    ("（5分）", "5", None),
])  # fmt: skip
def test_score_annotations_in_their_wordings(typed, top, own):
    title, score = split_score(f"加强党的领导{typed}")
    assert title == "加强党的领导" and score is not None
    assert score.max == Decimal(top)
    assert score.self_score == (None if own is None else Decimal(own))


def test_headings_known_only_by_their_look_get_levels_and_generated_numbers():
    """No typed numbers: 黑体 → 一级, 楷体 → 二级, a bold lead sentence → a run-in 三级."""
    lines = golden("jiangbei")
    outline = [row.split("\t") for row in golden("jiangbei", ".outline.txt")]
    numbered = {number + text: (int(level), number, text) for level, number, text in outline}
    paragraphs = []
    for i, line in enumerate(lines, 1):
        head = next((k for k in numbered if line.startswith(k)), None)
        if head is None:
            paragraphs.append(SourceParagraph(line, i))
            continue
        level, number, text = numbered[head]
        bare = line[len(number):]
        emphasis = {1: "heiti", 2: "kaiti"}.get(level, "bold")
        lead = len(text) if level >= 3 else len(bare)
        paragraphs.append(SourceParagraph(bare, i, lead_chars=lead, lead_emphasis=emphasis))
    result = recognise(_doc(paragraphs))
    nodes = result.nodes()
    assert [(n.level, n.title) for n in nodes][:4] == [
        (1, "主要做法和成效"), (2, "主要做法"), (3, "加强党对教育工作全面领导"),
        (3, "全力保障教育优先优质发展"),
    ]
    assert len(nodes) == len(outline)
    assert all(not n.number for n in nodes)
    assert sum("原文没有序号" in note.text for note in result.notes) == len(outline)


def test_built_in_heading_styles_without_numbers():
    result = recognise(_doc([
        "某某区人民政府2024年履行教育职责情况自评报告", "市政府教育督导室：", "现将情况报告如下：",
        SourceParagraph("主要做法", 4, style="Heading 1", outline_level=1),
        SourceParagraph("加强领导", 5, style="标题 2", outline_level=2), "区委研究教育工作。",
        "某某区人民政府", "2025年1月10日",
    ]))  # fmt: skip
    assert [(n.level, n.title, [p.text for p in n.body]) for n in result.nodes()] == [
        (1, "主要做法", []), (2, "加强领导", ["区委研究教育工作。"]),
    ]


def test_signature_under_the_title_in_a_table_or_at_the_end():
    top = recognise(_doc(["2023年某区政府履行教育职责自评报告", "某市某区人民政府",
                          "2023年9月15日", "市政府教育督导室：", "现报告如下：", "一、总体情况",
                          "正文。"]))
    assert top.signature_at == "top" and top.issuer and top.issuer.text == "某市某区人民政府"
    table = recognise(_doc([
        "某区人民政府2020年履行教育职责情况自评报告", "督导室：", "现报告如下：", "一、总体情况",
        "正文。", SourceParagraph("某区人民政府", 6, in_table=True),
        SourceParagraph("2021-7-23", 7, in_table=True),
    ]))  # fmt: skip
    assert table.signature_at == "bottom"
    assert (table.issuer.text, table.date.text) == ("某区人民政府", "2021年7月23日")  # type: ignore[union-attr]


def test_web_page_chrome_before_the_title_is_kept_in_the_notes():
    result = recognise(_doc(["首页 > 政务公开 > 通知公告", "【字体：大 中 小】",
                             "某区人民政府2020年履行教育职责情况自评报告", "督导室：",
                             "现报告如下：", "一、总体情况", "正文。", "某区人民政府",
                             "2021年7月23日"]))
    assert [p.text for p in result.title] == ["某区人民政府2020年履行教育职责情况自评报告"]
    assert [p.text for p in result.outside] == ["首页 > 政务公开 > 通知公告",
                                                "【字体：大 中 小】"]
    assert any("不是报告正文" in note.text for note in result.notes)


def test_traditional_characters_become_simplified_and_the_import_drafts_the_seed(tmp_path, cli):
    """The 双台子 seed is Traditional: a Traditional copy imports as the Simplified report."""
    to_traditional = opencc.OpenCC("s2t")
    source = tmp_path / "報告.txt"
    source.write_text("\n".join(to_traditional.convert(line) for line in golden("shuangtaizi")),
                      encoding="utf-8")
    target = tmp_path / "facts.yaml"
    code, out, _ = cli("import", source, "-o", target)
    assert code == 0, out
    code, out, _ = cli("text", target)
    assert out.splitlines() == golden("shuangtaizi")
    assert "繁体字" in target.read_text(encoding="utf-8")


def test_soft_breaks_join_and_split_a_heading_from_its_body():
    result = recognise(_doc([
        "某区人民政府2020年履行教育职责情况自评报告", "督导室：", "现报告如下：",
        "一、总体情况\n全区各级各类学校\n共120所。", "某区人民政府\n2021年7月23日",
    ]))  # fmt: skip
    section = result.sections[0]
    assert section.title == "总体情况"
    assert [p.text for p in section.body] == ["全区各级各类学校共120所。"]
    assert result.date is not None and result.date.text == "2021年7月23日"


def test_a_web_copy_chrome_at_both_ends_a_lost_part_number_and_the_page_date():
    """What a government web page adds: breadcrumbs and metadata before the title, share
    buttons after the text, a part heading whose 一、 was lost, the date only in the
    page's metadata."""
    result = recognise(_doc([
        "您的当前位置：首页>区教委>政务公开", "• [ 成文日期 ]", "• 2022-12-13",
        "某区人民政府2022年履行教育职责", "情况自评报告", "依据通知，现报告如下：",
        "工作成效", "（一）加强领导", "正文。", "二、存在问题", "正文。",
        "分享到：", "扫一扫在手机打开当前页", "政务新媒体",
    ]))  # fmt: skip
    assert [p.text for p in result.title] == ["某区人民政府2022年履行教育职责", "情况自评报告"]
    assert [(n.level, n.title, n.number) for n in result.sections] == [
        (1, "工作成效", ""), (1, "存在问题", "二、"),
    ]
    assert result.date is not None and result.date.text == "2022年12月13日"
    assert [p.text for p in result.outside][-3:] == [
        "分享到：", "扫一扫在手机打开当前页", "政务新媒体",
    ]
    assert not any("不连续" in note.text for note in result.notes)
