"""Chinese typography: full-width punctuation in Chinese context, numbers kept as typed,
文号 brackets, and findings for what cannot be fixed automatically."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drafter.compose import document_lines
from drafter.document import Document, Heading, Paragraph, Span, gap_marker, spans
from drafter.typography import (
    CONVERTED_ALONE,
    CONVERTED_IN_PHRASES,
    check,
    may_be_traditional,
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


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        # a quote pair split by a gap or a stale span is still a pair
        ((Span('被评为"'), Span(gap_marker("称号"), "gap"), Span('"。')),
         (Span("被评为“"), Span(gap_marker("称号"), "gap"), Span("”。"))),
        ((Span('被评为"'), Span("全国文明校园", "stale"), Span('"。')),
         (Span("被评为“"), Span("全国文明校园", "stale"), Span("”。"))),
        # a space typed before a full-width mark in the next span
        ((Span("共计"), Span("3所", "stale"), Span(" 。 下一步")),
         (Span("共计"), Span("3所", "stale"), Span("。下一步"))),
        # an edit across spans is written where it starts; the span stays, empty
        ((Span("等等."), Span("..", "stale"), Span("下一步")),
         (Span("等等……"), Span("", "stale"), Span("下一步"))),
    ],
)  # fmt: skip
def test_a_line_is_normalised_as_one_text_across_its_spans(line, fixed):
    assert normalise_line(line) == fixed
    assert [f for f in check("".join(s.text for s in fixed)) if f.fixable] == []


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
        fixed = normalise(text)  # reported, never "repaired" by adding or dropping a mark
        assert [fixed.count(mark) for mark in "（）“”《》"] == [text.count(m) for m in "（）“”《》"]


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


def _gb2312_hanzi() -> str:
    raw = bytes(b for hi in range(0xB0, 0xF8) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    return raw.decode("gb2312", errors="ignore")


def test_the_quick_traditional_precheck_agrees_with_opencc():
    hanzi = _gb2312_hanzi()
    assert len(hanzi) == 6763
    # each GB 2312 character alone: OpenCC changes exactly the ones listed
    changed = [c for c, s in zip(hanzi, to_simplified("\n".join(hanzi)).split("\n"), strict=True)
               if c != s]  # fmt: skip
    assert set(changed) == CONVERTED_ALONE
    for phrase in CONVERTED_IN_PHRASES:
        assert to_simplified(phrase) != phrase, phrase
        assert may_be_traditional(f"全区{phrase}。")
    assert not may_be_traditional("普惠性幼儿园覆盖率达91.5%，沈阳（2022）")
    assert may_be_traditional("批覆") and may_be_traditional("於是") and may_be_traditional("區")
    assert traditional_characters("文件已批覆。") == [(4, "覆", "复")]


def test_drafting_simplified_text_lists_its_notes_without_loading_opencc(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import REPO, SAMPLE

    code = (
        "import sys; from pathlib import Path; from drafter.pipeline import draft_to_file\n"
        "result = draft_to_file(Path(sys.argv[1]), Path(sys.argv[2]))\n"
        "print(len(result.report_lines()), 'opencc' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE["jiangbei"]), str(tmp_path / "a.docx")],
        capture_output=True, text=True, check=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert out.stdout.split()[1] == "False"


def test_the_quick_traditional_precheck_covers_every_opencc_dictionary_entry():
    """The precheck may skip OpenCC only where no t2s dictionary entry can apply: every
    entry that changes text needs a character outside GB 2312, a CONVERTED_ALONE character
    or a CONVERTED_IN_PHRASES phrase (checked on the dictionaries OpenCC ships)."""
    import json
    import os
    import subprocess

    import opencc

    clib = Path(opencc.__file__).parent / "clib"
    tool, share = clib / "bin" / "opencc_dict", clib / "share" / "opencc"
    if not tool.is_file() or not (share / "t2s.json").is_file():
        pytest.skip("this OpenCC build ships no opencc_dict tool to read its dictionaries")

    def files(node: object) -> list[str]:
        if isinstance(node, dict) and "file" in node:
            return [node["file"]]
        children = node.values() if isinstance(node, dict) else node
        return [f for v in children for f in files(v)] if isinstance(node, (dict, list)) else []

    libs = os.pathsep.join(str(clib / d) for d in ("lib64", "lib"))
    env = {**os.environ, "LD_LIBRARY_PATH": libs, "DYLD_LIBRARY_PATH": libs}
    entries = []
    for name in files(json.loads((share / "t2s.json").read_text(encoding="utf-8"))):
        dump = subprocess.run(
            [tool, "-i", share / name, "-o", "/dev/stdout", "-f", "ocd2", "-t", "text"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        entries += [line.split("\t") for line in dump.stdout.splitlines()]
    assert len(entries) > 5000

    def in_gb2312(ch: str) -> bool:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return True

    uncovered = []
    for key, values in entries:
        if key == values.split(" ")[0]:
            continue  # an entry that keeps a phrase as it is
        wide = "".join(c for c in key if c >= "\u3400")
        assert wide, key  # nothing below U+3400 is ever converted
        if not all(in_gb2312(c) for c in wide) or not CONVERTED_ALONE.isdisjoint(wide):
            continue
        if not any(phrase in wide for phrase in CONVERTED_IN_PHRASES):
            uncovered.append(key)
    assert uncovered == []


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
    golden = ["".join(golden[:2]), *golden[2:]]  # the source's one-line title, drafted on two
    assert [normalise(to_simplified(t)) for t in texts] == golden[: len(texts)]
