"""Year-over-year redrafting: `drafter roll` writes next year's facts from this year's,
carried-over facts are tagged `!stale`, drafted highlighted, listed, and refused by --strict."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from conftest import SAMPLE

from drafter.compose import document_lines
from drafter.document import STALE_CLOSE, STALE_OPEN, spans
from drafter.errors import DrafterError
from drafter.facts.load import load_facts
from drafter.pipeline import draft_facts
from drafter.stale import describe, mark_stale

SAMPLE_FILES = SAMPLE  # the four samples (conftest), as the roll tests call them


def untag(text: str) -> str:
    """The file as a reviewer leaves it: every `!stale` tag deleted."""
    return re.sub(r" ?!stale\b", "", text)


def edit(path: Path, old: str, new: str) -> None:
    """Change the file as a user would in an editor (the text must occur exactly once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def roll(source: Path, folder: Path) -> Path:
    """Copy a sample into `folder` and roll it there with the library call."""
    from drafter.roll import roll_file

    copy = folder / source.name
    shutil.copyfile(source, copy)
    return roll_file(copy).target


def highlighted_runs(path: Path) -> list[tuple[str, str | None]]:
    """Every run of the body with its w:highlight value, read back from the .docx."""
    runs = []
    for paragraph in docx.Document(str(path)).paragraphs:
        for run in paragraph.runs:
            value = run.element.xpath("w:rPr/w:highlight/@w:val")
            runs.append((run.text, value[0] if value else None))
    return runs


@pytest.fixture
def dongli_2021(tmp_path: Path) -> Path:
    return roll(SAMPLE_FILES["dongli"], tmp_path)


# --------------------------------------------------------------------------- roll itself


def test_roll_writes_next_year_beside_and_leaves_the_old_file_byte_identical(run_cli, tmp_path):
    source = tmp_path / "dongli" / "2020.yaml"
    source.parent.mkdir()
    shutil.copyfile(SAMPLE_FILES["dongli"], source)
    before = source.read_bytes()
    result = run_cli("roll", source, "--year", "2021")
    assert result.returncode == 0, result.stderr
    assert source.read_bytes() == before
    target = tmp_path / "dongli" / "2021.yaml"
    assert f"已生成：{target}" in result.stdout
    assert "沿用上年、尚未更新的事实 99 项已标为 !stale" in result.stdout  # 3 targets
    assert "已清空待填写：成文日期、通知标题、文号" in result.stdout
    assert sorted(p.name for p in source.parent.iterdir()) == ["2020.yaml", "2021.yaml"]


def test_roll_refuses_to_overwrite_an_existing_file(run_cli, dongli_2021):
    edit(dongli_2021, "year: 2021", "year: 2021  # 已开始修改")
    before = dongli_2021.read_bytes()
    result = run_cli("roll", dongli_2021.with_name("2020.yaml"))
    assert result.returncode == 1
    assert f"错误：{dongli_2021}：目标文件已存在；roll 从不覆盖文件" in result.stderr
    assert dongli_2021.read_bytes() == before


def test_roll_refuses_a_year_that_is_not_later(run_cli, tmp_path):
    source = tmp_path / "2020.yaml"
    shutil.copyfile(SAMPLE_FILES["dongli"], source)
    result = run_cli("roll", source, "--year", "2020")
    assert result.returncode == 1
    assert "新年度 2020 应晚于事实文件的年度 2020" in result.stderr
    assert not (tmp_path / "2020.yaml.tmp").exists() and len(list(tmp_path.iterdir())) == 1


def test_roll_keeps_every_comment_and_the_key_order(dongli_2021):
    old = SAMPLE_FILES["dongli"].read_text(encoding="utf-8")
    new = dongli_2021.read_text(encoding="utf-8")
    comments = [line.strip() for line in old.splitlines() if line.strip().startswith("#")]
    rolled = [line.strip() for line in new.splitlines() if line.strip().startswith("#")]
    assert rolled[:3] == [
        "# drafter roll：由2020年度事实文件生成的2021年度事实文件。",
        "# 标有 !stale 的是沿用上年、尚未更新的事实：稿中青色高亮，",
        "# drafter check 逐项列出；核对或改写后删去 !stale。",
    ]
    assert rolled[3:] == comments

    def top_keys(text: str) -> list[str]:
        return re.findall(r"^([a-z_]+):", text, flags=re.MULTILINE)

    assert top_keys(new) == top_keys(old)


def test_rolled_lines_read_as_the_user_expects(dongli_2021):
    text = dongli_2021.read_text(encoding="utf-8")
    for line in (
        "year: 2021\n",
        "date:  # 待补充：成文日期\n",
        "  title:  # 待补充：通知标题\n",
        "  number:  # 待补充：文号\n",
        "  学前三年毛入园率: {value: !stale 91.5, unit: '%', previous: 91.5}\n",
        "  中职学校招生人数: {value: !stale 1354, previous: 1354, unit: 人, "
        "label: 区职业教育中心学校2020年招生}\n",
        "  老年大学在学学员: {value: !stale 320, unit: 余人, previous: 320}\n",
        "preamble: !stale >-\n",
        "      - title: !stale 积极促进和规范民办教育发展\n        text: !stale >-\n",
        "        - !stale 足额安排项目支出经费，加大教育资源建设力度。\n",
        # last year's targets are carried over marked: check must not judge them on old figures
        "  - !stale\n    text: 2020年新增学前教育学位1530个\n",
    ):
        assert line in text


def test_rolled_facts_are_last_years_with_previous_values_and_one_offs_cleared(dongli_2021):
    old, _ = load_facts(SAMPLE_FILES["dongli"])
    new, located = load_facts(dongli_2021)
    assert (new.year, new.date, new.notice.title, new.notice.number) == (2021, None, None, None)
    assert new.period is None and new.period_text == "2021年"
    assert list(new.metrics) == list(old.metrics)
    for name, metric in new.metrics.items():
        assert metric.previous == old.metrics[name].value, name
        assert metric.value == old.metrics[name].value, name
        assert metric.unit == old.metrics[name].unit, name
    unchanged = ("achievements", "problems", "preamble", "targets", "headings", "addressee")
    for name in unchanged:
        assert getattr(new, name) == getattr(old, name), name
    assert ("metrics", "学前三年毛入园率", "value") in located.stale
    assert ("achievements", 2, "children", 0, "text") in located.stale
    assert ("problems", 1, "measure", "points", 1) in located.stale
    assert {p for p in located.stale if p[0] == "targets"} == {("targets", i) for i in range(3)}
    assert not any(path[0] in ("district", "notice") for path in located.stale)


@pytest.mark.parametrize("name", sorted(SAMPLE_FILES))
def test_every_sample_rolls_and_drafts_the_same_words_with_highlights(name, tmp_path):
    target = roll(SAMPLE_FILES[name], tmp_path)
    rolled = draft_facts(target)
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text(untag(target.read_text(encoding="utf-8")), encoding="utf-8")
    plain = draft_facts(reviewed)
    # The highlight never changes a word; deleting every tag leaves nothing stale.
    assert document_lines(rolled.document) == document_lines(plain.document)
    assert plain.stale == {}
    _, located = load_facts(target)
    drafted = {p for p in located.stale if p[0] != "targets"}  # targets are not drafted
    assert set(rolled.stale) == drafted  # every carried-over fact reaches the draft
    assert any(span.kind == "stale" for line in rolled.document.iter_lines() for span in line)
    texts = "".join(span.text for line in rolled.document.iter_lines() for span in line)
    assert STALE_OPEN not in texts and STALE_CLOSE not in texts


@pytest.mark.parametrize(
    ("name", "field", "old", "new"),
    [
        ("jiangbei", "period", "2021年以来", "2022年以来"),
        ("wuxing", "period", "2019年度", "2020年度"),
        ("shuangtaizi", "title", "2023年双台子区政府履行教育职责自评报告",
         "2024年双台子区政府履行教育职责自评报告"),
    ],
)  # fmt: skip
def test_a_written_out_period_or_title_moves_on_with_the_year(name, field, old, new, tmp_path):
    target = roll(SAMPLE_FILES[name], tmp_path)
    facts, located = load_facts(target)
    assert getattr(facts, field) == new
    assert (field,) not in located.stale
    assert load_facts(SAMPLE_FILES[name])[0].model_dump()[field] == old


def test_computed_metric_keeps_its_ratio_and_last_years_result(tmp_path):
    target = roll(SAMPLE_FILES["shuangtaizi"], tmp_path)
    text = target.read_text(encoding="utf-8")
    assert (
        "  小学生均公用经费: {ratio: [小学公用经费下达金额, 小学在校生数], previous: 911.75, "
        "unit: 元/生}\n" in text
    )
    assert (
        "  小学公用经费下达金额: {value: !stale '9,245,154.23', unit: 元, "
        "previous: '9,245,154.23'}\n" in text
    )
    facts, _ = load_facts(target)
    assert facts.metrics["小学生均公用经费"].value == facts.metrics["小学生均公用经费"].previous


# --------------------------------------------------------------------------- drafting


def test_rolled_dongli_draft_highlights_and_lists_every_stale_fact(run_cli, dongli_2021):
    out = dongli_2021.with_name("2021.docx")
    result = run_cli("draft", dongli_2021, "-o", out)
    assert result.returncode == 0, result.stderr
    _, located = load_facts(dongli_2021)
    assert (
        "沿用上年、尚未更新 96 项（稿中青色高亮；核对或改写后删去事实文件中的 !stale 标记）："
        in result.stdout
    )
    listed = [line for line in result.stdout.splitlines() if re.match(r"  第\d+行 ", line)]
    assert len(listed) == len(located.stale) - 3 == 96  # the 3 targets are not in the draft
    for path in located.stale - {("targets", i) for i in range(3)}:
        line = located.lines[path]
        assert f"  第{line}行 {'.'.join(map(str, path))}" in listed
    assert result.stdout.rstrip().endswith("待补充 3 项，沿用上年 96 项）")

    runs = highlighted_runs(out)
    cyan = [text for text, colour in runs if colour == "cyan"]
    yellow = [text for text, colour in runs if colour == "yellow"]
    assert "学前三年毛入园率达到91.5%" in "".join(cyan)
    assert "努力推动学前教育公益普惠发展" in cyan
    assert sorted(set(yellow)) == [
        "【待补充：成文日期】", "【待补充：文号】", "【待补充：通知标题】"
    ]  # fmt: skip
    # What is not carried over is not highlighted: the numbering, the template's words.
    plain = [text for text, colour in runs if colour is None]
    assert "5." in plain and "依据《" in cyan
    assert any(text.startswith("东丽区人民政府2021年") for text in plain)


def test_check_lists_every_stale_fact_with_its_line(run_cli, dongli_2021):
    result = run_cli("check", dongli_2021)
    stale = [line for line in result.stdout.splitlines() if "沿用上年、尚未更新" in line]
    assert len(stale) == 99  # 96 drafted facts and last year's 3 targets
    assert (
        f"警告：{dongli_2021} 第40行：[metrics.学前三年毛入园率.value] "
        "沿用上年、尚未更新：指标“学前三年毛入园率”的数值"
    ) in stale
    assert (
        f"警告：{dongli_2021} 第132行：[achievements.2.children.6.title] "
        "沿用上年、尚未更新：标题“加快落实语言文字工作”"
    ) in stale
    text = dongli_2021.read_text(encoding="utf-8").splitlines()
    assert text[39].startswith("  学前三年毛入园率: {value: !stale")
    assert text[131] == "      - title: !stale 加快落实语言文字工作"


def test_strict_refuses_while_stale_facts_remain_then_drafts(run_cli, dongli_2021):
    edit(dongli_2021, "date:  # 待补充：成文日期", "date: 2022年7月20日")
    edit(dongli_2021, "  title:  # 待补充：通知标题",
         "  title: 天津市人民政府教育督导室关于印发对各区人民政府2021年履行教育职责评价方案的通知")
    edit(dongli_2021, "  number:  # 待补充：文号", "  number: 津教督导室〔2022〕31号")
    out = dongli_2021.with_name("2021.docx")
    result = run_cli("draft", dongli_2021, "-o", out, "--strict")
    assert result.returncode == 1
    assert "待补充" not in result.stdout.split("沿用上年")[0]
    assert "严格模式：仍有待补充或沿用上年未更新的事实，未生成文件。" in result.stdout
    assert not out.exists()

    dongli_2021.write_text(untag(dongli_2021.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_cli("draft", dongli_2021, "-o", out, "--strict")
    assert result.returncode == 0, result.stdout
    assert out.exists()
    assert {colour for _, colour in highlighted_runs(out)} == {None}


def test_updating_a_metric_changes_the_year_over_year_sentence(dongli_2021):
    # This year's text asks for the change; the value is still last year's.
    edit(dongli_2021, "学前三年毛入园率达到{{ m.学前三年毛入园率 }}。",
         "学前三年毛入园率达到{{ m.学前三年毛入园率 }}，比上年{{ m.学前三年毛入园率.change }}。")
    edit(dongli_2021, "      - title: !stale 努力推动学前教育公益普惠发展\n        text: !stale",
         "      - title: 努力推动学前教育公益普惠发展\n        text:")

    def sentence() -> tuple[str, list[tuple[str, str]]]:
        draft = draft_facts(dongli_2021)
        line = next(line for line in draft.document.iter_lines()
                    if "学前三年毛入园率" in "".join(s.text for s in line))
        return "".join(s.text for s in line), [(s.text, s.kind) for s in line if s.kind != "text"]

    text, marked = sentence()
    assert text.endswith("学前三年毛入园率达到91.5%，比上年持平。")
    assert marked == [("20676人", "stale"), ("91.5%", "stale"), ("持平", "stale")]

    edit(dongli_2021, "学前三年毛入园率: {value: !stale 91.5,", "学前三年毛入园率: {value: 93.2,")
    text, marked = sentence()
    assert text.endswith("学前三年毛入园率达到93.2%，比上年上升1.7个百分点。")
    assert marked == [("20676人", "stale")]


def test_jiangbei_year_over_year_sentence_follows_the_new_value(tmp_path):
    target = roll(SAMPLE_FILES["jiangbei"], tmp_path)
    edit(target, "  一般公共预算教育经费:\n    value: !stale 15.67\n",
         "  一般公共预算教育经费:\n    value: 17.2\n")
    assert "    # 这样增长率由程序计算，而不是手写。\n" \
        "    previous: 15.67\n" in target.read_text(encoding="utf-8")
    lines = document_lines(draft_facts(target).document)
    assert any("一般公共预算教育经费17.2亿元，较上年度增长9.76%" in line for line in lines)


def test_stale_scores_are_highlighted_up_to_the_group(tmp_path):
    target = roll(SAMPLE_FILES["shuangtaizi"], tmp_path)
    edit(target, "校长负责制工作成效\n            score: !stale {max: 1, self: 1}",
         "校长负责制工作成效\n            score: {max: 1, self: 1}")
    document = draft_facts(target).document
    lines = {"".join(s.text for s in line): line for line in document.iter_lines()}
    leaf = next(v for k, v in lines.items() if k.startswith("（1）公办学校落实国家和省"))
    group = next(v for k, v in lines.items() if k.startswith("（一）党的领导与依法治教"))
    assert [s.text for s in leaf if s.kind == "stale"] == [
        "公办学校落实国家和省关于建立中小学校党组织领导的校长负责制工作成效"
    ]  # its own score is reviewed; the title is still last year's
    assert [s.text for s in group if s.kind == "stale"] == ["党的领导与依法治教", "63", "61.6"]


# --------------------------------------------------------------------------- the tag itself


def test_stale_tag_loads_the_plain_value_and_records_the_path(write):
    path = write("f.yaml", """\
district: 东丽区
government: 东丽区人民政府
year: 2021
metrics:
  a: {value: !stale 18.30, unit: '%', previous: 17}
  b: !stale 20676人
  c: {value: !stale '9,245,154.23', unit: 元}
preamble: !stale "{{ district }}"
achievements:
  - title: !stale 组
    children:
      - title: 条
        score: !stale {max: 5, self: 4.8}
        points: !stale [甲, 乙]
""")  # fmt: skip
    facts, located = load_facts(path)
    assert str(facts.metrics["a"].value) == "18.30"
    assert (facts.metrics["b"].value, facts.metrics["b"].unit) == (20676, "人")
    assert facts.metrics["c"].grouped is True
    assert facts.preamble == ["{{ district }}"]
    assert facts.achievements.items[0].children[0].points.points == ["甲", "乙"]
    assert located.stale == {
        ("metrics", "a", "value"), ("metrics", "b"), ("metrics", "c", "value"), ("preamble",),
        ("achievements", 0, "title"), ("achievements", 0, "children", 0, "score"),
        ("achievements", 0, "children", 0, "points"),
    }  # fmt: skip
    # model paths (with the short forms spelt out) find the tag that covers them
    points = ("achievements", "items", 0, "children", 0, "points", "points", 1)
    assert located.stale_path(points) == ("achievements", 0, "children", 0, "points")
    assert located.stale_path(("metrics", "b", "value")) == ("metrics", "b")
    assert located.stale_path(("achievements", "items", 0, "children", 0, "title")) is None
    assert describe(("achievements", 0, "title"), located.data) == "标题“组”"


def test_mark_stale_keeps_endings_and_gaps_outside():
    marked = mark_stale("依据《【待补充：文号】》精神\ue000旧\ue001。")
    assert spans(marked) == spans("\ue000依据《\ue001【待补充：文号】\ue000》精神旧\ue001。")
    assert [s.kind for s in spans(marked)] == ["stale", "gap", "stale", "text"]
    assert mark_stale("加强党的领导（试行）") == "\ue000加强党的领导（试行\ue001）"
    assert mark_stale("") == ""


def test_roll_error_for_a_missing_file_is_chinese(run_cli, tmp_path):
    result = run_cli("roll", tmp_path / "无.yaml")
    assert result.returncode == 1 and "找不到事实文件" in result.stderr
    with pytest.raises(DrafterError):
        from drafter.roll import roll_file

        roll_file(tmp_path / "无.yaml")


def test_rolling_an_unreviewed_file_again_keeps_one_header_and_the_tags(tmp_path):
    from drafter.roll import roll_file

    first = roll(SAMPLE_FILES["jiangbei"], tmp_path)
    second = roll_file(first).target
    text = second.read_text(encoding="utf-8")
    assert text.count("# drafter roll：") == 1
    assert text.startswith("# drafter roll：由2023年度事实文件生成的2024年度事实文件。\n")
    assert "\nperiod: 2023年以来\n" in text
    assert load_facts(second)[1].stale == load_facts(first)[1].stale
    assert load_facts(second)[0].metrics == load_facts(first)[0].metrics
