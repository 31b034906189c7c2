"""`drafter import EDITED.docx --into FACTS.yaml`: Word edits of a draft written back into
its facts file, checked end to end on the four samples: draft → edit in Word (python-docx)
→ plan and apply → redraft reads exactly as the edited document."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from conftest import SAMPLE, docx_texts

from drafter.compose import document_lines
from drafter.pipeline import draft_facts, draft_to_file
from drafter.reading.files import read_source
from drafter.reading.merge import apply_merge, clean, plan_merge
from drafter.roll import roll_file
from drafter.word.breaks import JOINERS


def copy_sample(name: str, tmp_path: Path) -> Path:
    source = SAMPLE[name]
    shutil.copytree(source.parent, tmp_path / name)
    return tmp_path / name / source.name


def set_text(paragraph, text: str) -> None:  # type: ignore[no-untyped-def]
    """Replace a paragraph's text, keeping its first run's look."""
    runs = paragraph.runs
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""




def find(document, fragment: str):  # type: ignore[no-untyped-def]
    found = [p for p in document.paragraphs if fragment in p.text.translate(JOINERS)]
    assert len(found) == 1, (fragment, [p.text[:30] for p in found])
    return found[0]


def add_after(paragraph, text: str) -> None:  # type: ignore[no-untyped-def]
    new = docx.oxml.OxmlElement("w:p")
    paragraph._p.addnext(new)
    added = docx.text.paragraph.Paragraph(new, paragraph._parent)
    added.style = paragraph.style
    added.add_run(text)


def delete(paragraph) -> None:  # type: ignore[no-untyped-def]
    paragraph._p.getparent().remove(paragraph._p)


@dataclass(frozen=True)
class Edits:
    reword: tuple[str, str]  # a sentence in a body paragraph, and its new wording
    metric: str  # a metric printed once
    number: tuple[str, str]  # its printed value in that paragraph: old, new
    number_in: str  # a fragment of the paragraph that prints it
    add_after: str  # a fragment of the body paragraph the new paragraph follows
    delete: str  # a fragment of the paragraph deleted


ADDED = "新增一段：全区持续推进教育高质量发展，群众满意度稳步提升。"
EDITS = {
    "jiangbei": Edits(
        ("构建科学教育评价体系", "构建更加科学、更加完善的教育评价体系"),
        "课后服务学生参与率", ("99.7%", "99.8%"), "学生参与率达",
        "教育评价改革还存在", "部分开设晚自习的初中学校",
    ),
    "dongli": Edits(
        ("加强民办学校党的建设工作", "全面加强民办学校党的建设工作"),
        "中职扶贫班招生人数", ("79人", "81人"), "扶贫班",
        "认真落实习近平新时代中国特色社会主义思想“三进”", "18.建立健全中小学幼儿园",
    ),
    "shuangtaizi": Edits(
        ("区委组织部全程协助督导", "区委组织部全程参与并协助督导"),
        "专职副书记配备比例", ("50%", "60%"), "专职副书记配备",
        "不断提升我区校园安全保障能力", "开展“书记讲党课”活动",
    ),
    "wuxing": Edits(
        ("抓实抓细各项工作", "抓实抓细抓好各项工作"),
        "学校总数", ("132所", "133所"), "辖区内各级各类学校",
        "辖区内各级各类学校", "我区位于浙江北部",
    ),
}  # fmt: skip


def edit_draft(path: Path, edits: Edits) -> None:
    document = docx.Document(str(path))
    old, new = edits.reword
    paragraph = find(document, old)
    set_text(paragraph, paragraph.text.translate(JOINERS).replace(old, new, 1))
    paragraph = find(document, edits.number_in)
    assert paragraph.text.translate(JOINERS).count(edits.number[0]) == 1
    set_text(paragraph, paragraph.text.translate(JOINERS).replace(*edits.number))
    add_after(find(document, edits.add_after), ADDED)
    delete(find(document, edits.delete))
    document.save(str(path))


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def redrafted(facts: Path) -> list[str]:
    return document_lines(draft_facts(facts).document)


@pytest.mark.parametrize("name", list(EDITS))
def test_word_edits_are_written_back(name: str, tmp_path: Path) -> None:
    facts = copy_sample(name, tmp_path)
    before = facts.read_text(encoding="utf-8")
    output = tmp_path / "稿.docx"
    draft_to_file(facts, output)
    edits = EDITS[name]
    edit_draft(output, edits)
    edited = read_source(output)

    plan = plan_merge(edited, facts)
    assert plan.unplaced == []
    assert facts.read_text(encoding="utf-8") == before  # planning writes nothing
    whats = [change.what for change in plan.changes]
    assert any(w.startswith(f"指标 {edits.metric}：") for w in whats), whats
    assert any(w.startswith("新增段落") for w in whats), whats
    assert any(w.startswith("删除") for w in whats), whats

    backup = apply_merge(plan, facts)
    assert backup.read_text(encoding="utf-8") == before
    after = facts.read_text(encoding="utf-8")
    assert redrafted(facts) == [clean(p.text) for p in edited.paragraphs if p.text.strip()]
    assert set(comment_lines(before)) <= set(comment_lines(after))
    assert edits.number[1].rstrip("%所人") in after
    assert edits.reword[1] in after and ADDED in after
    # the edit does not come back, and an unchanged document plans nothing
    draft_to_file(facts, output, force=True)
    again = plan_merge(read_source(output), facts)
    assert again.changes == [] and again.unplaced == [] and again.new_text == after


def test_untouched_stale_tags_survive_and_edited_facts_lose_theirs(tmp_path: Path) -> None:
    facts = roll_file(copy_sample("jiangbei", tmp_path)).target
    before = facts.read_text(encoding="utf-8")
    output = tmp_path / "稿.docx"
    draft_to_file(facts, output)
    document = docx.Document(str(output))
    paragraph = find(document, "构建科学教育评价体系")
    text = paragraph.text.translate(JOINERS)
    set_text(paragraph, text.replace("构建科学教育评价体系", "构建新的教育评价体系"))
    document.save(str(output))

    plan = plan_merge(read_source(output), facts)
    assert plan.unplaced == []
    apply_merge(plan, facts)
    after = facts.read_text(encoding="utf-8")
    assert after.count("!stale") == before.count("!stale") - 1
    edited_line = next(line for line in after.splitlines() if "构建新的教育评价体系" in line)
    assert "!stale" not in edited_line
    kept = next(line for line in after.splitlines() if "加强党对教育工作全面领导" in line)
    assert "!stale" in kept
    assert redrafted(facts) == [clean(t) for t in docx_texts(output)]


def test_a_metric_printed_in_several_places_says_so(tmp_path: Path) -> None:
    facts = copy_sample("jiangbei", tmp_path)
    output = tmp_path / "稿.docx"
    draft_to_file(facts, output)
    document = docx.Document(str(output))
    paragraph = find(document, "入选教育部“基础教育精品课”16节，获批")
    set_text(paragraph, paragraph.text.translate(JOINERS).replace("精品课”16节", "精品课”18节"))
    document.save(str(output))

    plan = plan_merge(read_source(output), facts)
    assert plan.unplaced == []
    assert [c.what for c in plan.changes if c.what.startswith("指标")] == [
        "指标 教育部基础教育精品课：16节 → 18节（另有 1 处引用，随之更新）"
    ]
    apply_merge(plan, facts)
    assert "教育部基础教育精品课: 18节" in facts.read_text(encoding="utf-8")
    assert sum("精品课”18节" in line for line in redrafted(facts)) == 2


def test_changed_heading_number_is_unplaced_and_nothing_written(tmp_path: Path) -> None:
    facts = copy_sample("jiangbei", tmp_path)
    before = facts.read_text(encoding="utf-8")
    output = tmp_path / "稿.docx"
    draft_to_file(facts, output)
    document = docx.Document(str(output))
    paragraph = find(document, "（二）主要成效")
    set_text(paragraph, "（三）主要成效")
    document.save(str(output))

    plan = plan_merge(read_source(output), facts)
    assert plan.changes == []
    assert any("标题序号“（二）”改为“（三）”" in text for text in plan.unplaced), plan.unplaced
    assert plan.new_text == before
    assert facts.read_text(encoding="utf-8") == before
    assert list(tmp_path.joinpath("jiangbei").glob("*备份*")) == []


def test_a_changed_self_score_updates_the_leaf(tmp_path: Path) -> None:
    facts = copy_sample("shuangtaizi", tmp_path)
    output = tmp_path / "稿.docx"
    draft_to_file(facts, output)
    document = docx.Document(str(output))
    paragraph = find(document, "近视防控工作评分情况")
    set_text(paragraph, paragraph.text.translate(JOINERS).replace("自评分4.7分", "自评分4.9分"))
    document.save(str(output))

    plan = plan_merge(read_source(output), facts)
    assert any("score.self 改为 4.9" in c.what for c in plan.changes), plan.changes
    # the group and total scores are sums: the redraft shows them changed, and says so
    assert plan.unplaced and all("重新起草后仍与 Word 稿不同" in t for t in plan.unplaced)


# ------------------------------------------------------------------ new items


def insert_before(document, fragment: str, *texts: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Type paragraphs before the last one starting with `fragment`: (text, a fragment of
    the drafted paragraph whose style it takes)."""
    anchor = [p for p in document.paragraphs if p.text.startswith(fragment)][-1]
    for text, like in texts:
        anchor.insert_paragraph_before(text, style=find(document, like).style)


def numbered_as_drafted(lines: list[str], start: int, level: int) -> list[str]:
    """`lines` with the headings of `level` after the one added at `start` numbered on from
    it, up to the next level-1 heading: the numbers drafter gives them."""
    from drafter.numbering import format_number
    from drafter.reading.headings import typed_number

    out = list(lines)
    value = typed_number(out[start]).value  # type: ignore[union-attr]
    for k in range(start + 1, len(out)):
        typed = typed_number(out[k])
        if typed is not None and typed.level == 1:
            break
        if typed is not None and typed.level == level:
            value += 1
            out[k] = format_number(level, value) + typed.rest
    return out


def merged(facts: Path, output: Path) -> tuple[list[str], list[str], object]:
    """Plan and apply the edits of `output`: (edited lines, redrafted lines, plan)."""
    edited = read_source(output)
    plan = plan_merge(edited, facts)
    apply_merge(plan, facts)
    return [clean(p.text) for p in edited.paragraphs if p.text.strip()], redrafted(facts), plan


def test_a_new_problem_and_its_measure_become_items_chongqing(tmp_path: Path) -> None:
    facts = copy_sample("jiangbei", tmp_path)
    output = tmp_path / "稿.docx"
    draft_to_file(facts, output)
    document = docx.Document(str(output))
    problem, measure = "（三）校园安全还有薄弱环节", "（三）加强校园安全"
    insert_before(document, "（三）劳动教育", (problem, "（二）幼儿园办学条件"),
                  ("部分学校安防设施老化，专职保安配备不足。", "因场地不足"))
    insert_before(document, "（三）加强劳动教育", (measure, "（二）改善幼儿园"),
                  ("更新安防设施，配齐专职保安。", "调研其他地区情况"))
    set_text(find(document, "（三）加强劳动教育"), "（四）加强劳动教育")  # renumbered by hand
    document.save(str(output))

    edited, lines, plan = merged(facts, output)
    assert plan.unplaced == []  # type: ignore[attr-defined]
    whats = [c.what for c in plan.changes]  # type: ignore[attr-defined]
    assert any(w.startswith("新增条目“校园安全还有薄弱环节”于 problems.items") for w in whats)
    assert any(w.startswith("新增改进措施“加强校园安全”") for w in whats), whats
    expected = numbered_as_drafted(edited, edited.index(problem), 2)
    expected = numbered_as_drafted(expected, expected.index(measure), 2)
    assert lines == expected
    assert "（七）职业教育存在校企合作不对等情况" in lines
    new = draft_facts(facts).facts.problems.items[2]
    assert new.title == "校园安全还有薄弱环节"
    assert new.text == ["部分学校安防设施老化，专职保安配备不足。"]
    assert new.measure is not None and new.measure.title == "加强校园安全"
    assert new.measure.text == ["更新安防设施，配齐专职保安。"]


def test_new_run_in_and_group_items_tianjin(tmp_path: Path) -> None:
    facts = copy_sample("dongli", tmp_path)
    output = tmp_path / "稿.docx"
    draft_to_file(facts, output)
    document = docx.Document(str(output))
    run_in = "9.推进家校社协同育人。建立家长学校，全年开展家庭教育讲座36场。"
    insert_before(document, "9.优化特殊教育资源", (run_in, "8.积极促进"))
    insert_before(document, "二、存在问题及改进措施", ("（七）加强校园安全", "（六）建立健全"),
                  ("全面排查校园安全隐患，落实人防物防技防。", "18.建立健全"))
    document.save(str(output))

    edited, lines, plan = merged(facts, output)
    assert plan.unplaced == []  # type: ignore[attr-defined]
    # items 1.–18. are numbered across the groups: 9. and every later one move up
    assert lines == numbered_as_drafted(edited, edited.index(run_in), 3)
    assert "19.建立健全中小学幼儿园安全管理长效机制" in "".join(lines)
    achievements = draft_facts(facts).facts.achievements
    child = achievements.items[2].children[4]
    assert child.title == "推进家校社协同育人"  # the closing 。 is the template's
    assert child.text == ["建立家长学校，全年开展家庭教育讲座36场。"]
    group = achievements.items[6]
    assert group.title == "加强校园安全" and group.children == []
    assert group.text == ["全面排查校园安全隐患，落实人防物防技防。"]


def test_new_headings_of_unclear_level_or_place_are_unplaced(tmp_path: Path) -> None:
    facts = copy_sample("jiangbei", tmp_path)
    before = facts.read_text(encoding="utf-8")
    output = tmp_path / "稿.docx"
    draft_to_file(facts, output)
    document = docx.Document(str(output))
    insert_before(document, "教育评价改革还存在", ("（1）新增细目", "（二）幼儿园办学条件"),
                  ("细目正文。", "因场地不足"))
    insert_before(document, "重庆市江北区人民政府", ("四、新增部分", "二、存在问题"))
    document.save(str(output))
    document = docx.Document(str(output))
    add_after(find(document, "（六）推进职业教育扩容提质"), "（七）新增措施")
    document.save(str(output))

    plan = plan_merge(read_source(output), facts)
    assert plan.changes == []
    reasons = "\n".join(plan.unplaced)
    assert "“（1）新增细目”以标题序号开头" in reasons and "无法确定层级" in reasons
    assert "“细目正文。”属于未写回的新增标题" in reasons
    assert "“四、新增部分”以标题序号开头，与它同级的“三、下一步工作打算”由方案生成" in reasons
    assert "“（七）新增措施”是新增的改进措施" in reasons and "无法确定它对应哪一个问题" in reasons
    assert plan.new_text == before


def test_another_districts_report_is_refused(tmp_path: Path) -> None:
    from drafter.errors import DrafterError

    facts = copy_sample("jiangbei", tmp_path)
    before = facts.read_bytes()
    output = tmp_path / "东丽区.docx"
    draft_to_file(SAMPLE["dongli"], output)
    with pytest.raises(DrafterError, match="这份稿子不是由该事实文件起草的") as caught:
        plan_merge(read_source(output), facts)
    assert "不足一半" in str(caught.value) and "去掉 --into" in str(caught.value)
    assert facts.read_bytes() == before


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    facts = copy_sample("jiangbei", tmp_path)
    before = facts.read_bytes()
    output = tmp_path / "稿.docx"
    draft_to_file(facts, output)
    document = docx.Document(str(output))
    insert_before(document, "（三）劳动教育", ("（三）校园安全还有薄弱环节", "（二）幼儿园"),
                  ("部分学校安防设施老化。", "因场地不足"))
    paragraph = find(document, "构建科学教育评价体系")
    text = paragraph.text.translate(JOINERS)
    set_text(paragraph, text.replace("构建科学教育评价体系", "构建新的教育评价体系"))
    document.save(str(output))

    code, out, _ = cli("import", output, "--into", facts, "--dry-run")
    assert code == 0, out
    assert "将要写回的修改 2 处" in out
    assert "新增条目“校园安全还有薄弱环节”" in out and "改写 " in out
    assert "（--dry-run：没有写入任何文件）" in out and "已更新" not in out
    assert facts.read_bytes() == before
    assert sorted(p.name for p in facts.parent.iterdir()) == sorted(
        p.name for p in SAMPLE["jiangbei"].parent.iterdir()
    )

    code, out, err = cli("import", tmp_path / "稿.docx", "--into", SAMPLE["dongli"], "--dry-run")
    assert code != 0 and "这份稿子不是由该事实文件起草的" in out + err
