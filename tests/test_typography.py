"""Chinese typography: full-width punctuation in Chinese context, numbers kept as typed,
文号 brackets, and findings for what cannot be fixed automatically."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drafter.compose import document_lines
from drafter.document import Document, Heading, Paragraph, Span, gap_marker, spans
from drafter.typography import (
    check,
    normalise,
    normalise_document,
    normalise_line,
    to_simplified,
    traditional_characters,
)

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("我区组织自查,现将情况报告如下:", "我区组织自查，现将情况报告如下："),
        ("加强党建;落实责任?是的!", "加强党建；落实责任？是的！"),
        ("总人口62.7万(其中开发区17.21万)。", "总人口62.7万（其中开发区17.21万）。"),
        ("《规划(2013-2020)》", "《规划（2013-2020）》"),
        ('开展"双减"工作', "开展“双减”工作"),
        ("《关于印发<评价方案>的通知》", "《关于印发〈评价方案〉的通知》"),
        ("取得成效.", "取得成效。"),
        ("做好招生、资助等...", "做好招生、资助等……"),
        ("自查自评。 2019年,辖区", "自查自评。2019年，辖区"),
        ("时间: 2020年", "时间：2020年"),
        ("全区１２所学校达到９５％", "全区12所学校达到95%"),
    ],
)
def test_half_width_marks_in_chinese_become_full_width(typed, fixed):
    assert normalise(typed) == fixed


@pytest.mark.parametrize(
    "kept",
    [
        "投入9,245,154.23元",  # thousands separators
        "入园率91.5%，增长1.38倍",
        "1.加强党的领导。",  # a level-3 heading number
        "2021-2025年",  # a range
        "上午10:30，比例1:1",
        "Times New Roman, Arial (serif)",  # no Chinese around it
        "GB/T 9704-2012",
        "中共中央办公厅 国务院办公厅",  # the space between joint issuers
    ],
)
def test_numbers_and_latin_keep_their_marks(kept):
    assert normalise(kept) == kept
    assert [f for f in check(kept) if f.fixable] == []


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("渝府教督发(2022)5号", "渝府教督发〔2022〕5号"),
        ("津教督导室[2021]40号", "津教督导室〔2021〕40号"),
        ("盘政教督室【2023】31号", "盘政教督室〔2023〕31号"),
        ("浙政教督办函﹝2020﹞30号", "浙政教督办函〔2020〕30号"),
        ("浙政教督办函（2020）30号", "浙政教督办函〔2020〕30号"),
        ("（浙政教督办函(2020)30号）要求", "（浙政教督办函〔2020〕30号）要求"),
    ],
)
def test_wenhao_years_get_hexagonal_brackets(typed, fixed):
    assert normalise(typed) == fixed
    assert any(f.kind == "wenhao" and f.fixable for f in check(typed))


def test_a_year_in_brackets_that_is_no_wenhao_is_left_alone():
    text = "《规划（2013）》"
    assert normalise(text) == text


def test_gap_markers_stay_exactly_as_they_are():
    gap = gap_marker("文号(如:渝府教督发〔2022〕5号)")
    line = (Span("根据通知("), Span(gap, "gap"), Span(")要求,开展自评"))
    fixed = normalise_line(line)
    assert fixed[1] == Span(gap, "gap")
    assert "".join(s.text for s in fixed) == f"根据通知（{gap}）要求，开展自评"
    assert normalise(f"缺{gap},待补") == f"缺{gap}，待补"


def test_stale_spans_keep_their_kind():
    fixed = normalise_line((Span("去年:"), Span("共3所,", "stale")))
    assert fixed == (Span("去年："), Span("共3所，", "stale"))


def test_normalise_document_covers_every_drafted_line():
    doc = Document(
        title_lines=[spans("关于2022年履行教育职责情况的报告(初稿)")],
        addressee=spans("市政府教育督导室:"),
        blocks=[
            Heading(1, spans("主要做法")),
            Heading(3, spans("加强党的领导."), spans("召开会议3次,研究教育工作。")),
            Paragraph(spans("通知(渝府教督发[2022]5号)要求,开展自评")),
        ],
        issuer=spans("重庆市江北区人民政府"),
        date=spans("2022年12月13日"),
    )
    normalise_document(doc)
    assert document_lines(doc) == [
        "关于2022年履行教育职责情况的报告（初稿）",
        "市政府教育督导室：",
        "主要做法",
        "加强党的领导。召开会议3次，研究教育工作。",
        "通知（渝府教督发〔2022〕5号）要求，开展自评",
        "重庆市江北区人民政府",
        "2022年12月13日",
    ]


def test_drafting_normalises_facts_prose(run_cli, write):
    from conftest import MINIMAL_FACTS

    facts = MINIMAL_FACTS.replace(
        "text: 学前三年教育毛入园率达{{ m.毛入园率 }}。",
        'text: 学前三年教育毛入园率达{{ m.毛入园率 }},"双减"落实(见附表)。',
    )
    result = run_cli("text", write("f.yaml", facts))
    assert result.returncode == 0, result.stderr
    assert "学前三年教育毛入园率达124.6%，“双减”落实（见附表）。" in result.stdout


# ------------------------------------------------------------------ findings


def _kinds(text: str) -> list[str]:
    return [f.kind for f in check(text) if not f.fixable]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("学校（园）长", None),
        ("（含民办3所", "括号不成对：“（”后面没有对应的“）”"),
        ("学校）长", "括号不成对：“）”前面没有对应的“（”"),
        ("全面推进“互联网+义务教育，高标准", "引号不成对：前引号“后面没有对应的后引号”"),
        ("落实《规划", "书名号不成对：“《”后面没有对应的“》”"),
        ("（“三进”）", None),
        ("（“三进）”", "引号不成对：前引号“后面没有对应的后引号”"),
        ('他说"好,然后', "半角引号“\"”的个数为单数"),
    ],
)
def test_unbalanced_brackets_quotes_and_title_marks_are_reported(text, message):
    found = [f for f in check(text) if f.kind == "unbalanced"]
    if message is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].message.startswith(message), found
        assert normalise(text).count("（") == normalise(text).count("(") + text.count("（")


def test_broken_wenhao_is_reported_not_changed():
    text = "（渝府教督发〔20225号）要求"
    (finding,) = [f for f in check(text) if not f.fixable]
    assert finding.kind == "broken_wenhao"
    assert "渝府教督发〔20225号" in finding.message
    assert "缺少“〕”" in finding.message
    assert normalise(text) == text
    assert _kinds("浙政教督办函〔20〕30号") == ["broken_wenhao"]
    assert _kinds("浙政教督办函2020〕30号") == ["broken_wenhao"]
    assert _kinds("浙政教督办函〔2020〕") == ["broken_wenhao"]
    assert _kinds("浙政教督办函〔2020〕30号") == []


def test_traditional_text_and_debris_are_reported_not_changed():
    text = "2023年雙臺子區(qū)政府履行教育職責(zé)自評報告"
    kinds = {f.kind: f for f in check(text)}
    assert kinds["traditional"].message.startswith("有7个繁体字，如“雙→双、臺→台、區→区")
    assert kinds["debris"].message.startswith("有2处繁简转换残留的拼音，如“區(qū)、責(zé)”")
    assert "(qū)" in normalise(text)  # debris is not touched by the normaliser
    assert "雙" in normalise(text)


def test_simplified_words_with_traditional_looking_characters_are_not_flagged():
    assert traditional_characters("著名的乾隆年间，瞭望塔，干部") == []


def test_seed_001_converts_to_simplified_without_debris():
    excerpt = yaml.safe_load((DATA / "seed001_excerpt.yaml").read_text(encoding="utf-8"))
    expected = (DATA / "seed001_excerpt.simplified.txt").read_text(encoding="utf-8")
    texts = [excerpt["title"], excerpt["signer"], excerpt["addressee"], *excerpt["paragraphs"]]
    converted = [to_simplified(t) for t in texts]
    assert "\n".join(converted) + "\n" == expected
    for text in converted:
        assert _kinds(text) == [], text


def test_seed_001_simplified_and_normalised_reads_as_the_reviewed_golden_text():
    excerpt = yaml.safe_load((DATA / "seed001_excerpt.yaml").read_text(encoding="utf-8"))
    texts = [excerpt[k] for k in ("title", "signer", "date", "addressee")]
    texts += excerpt["paragraphs"]
    golden = (GOLDEN / "shuangtaizi.txt").read_text(encoding="utf-8").splitlines()
    assert [normalise(to_simplified(t)) for t in texts] == golden[: len(texts)]
