"""`drafter import` end to end: Word files made the way people make them (tests/messy_docs.py)
and drafter's own drafts, imported and drafted again, must give the seed reports' text
and outline; scores and figures come out as facts; bad files are refused cleanly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE, golden
from messy_docs import BUILDERS, NAMES, bad_inputs, libreoffice_from_text

from drafter.compose import document_lines
from drafter.document import Heading, plain
from drafter.facts.derive import metric_text
from drafter.facts.load import load_facts
from drafter.pipeline import Preparations, draft_facts, draft_to_file
from drafter.reading.importer import import_report

TABLE_CELLS = {"指标", "完成情况", "普惠性幼儿园覆盖率", "68%", "合计（两格合并）"}
_PREPARED = Preparations()


def _outline(draft) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{b.level}\t{b.number}\t{plain(b.text)}"
            for b in draft.document.blocks if isinstance(b, Heading)]


def _title_joined(lines: list[str], title_lines: int) -> list[str]:
    """A title typed over more paragraphs than drafter would break it is the same title."""
    return ["".join(lines[:title_lines]), *lines[title_lines:]]


def _imported(source: Path, folder: Path):  # type: ignore[no-untyped-def]
    target = folder / "facts" / "2020.yaml"
    result = import_report(source, target)
    return result, draft_facts(target, prepared=_PREPARED), target


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every builder's .docx of every sample (built once), plus LibreOffice's conversion."""
    folder = tmp_path_factory.mktemp("messy")
    files = {}
    for builder, build in BUILDERS.items():
        for name in NAMES:
            path = folder / f"{builder}-{name}.docx"
            build(name, path)
            files[(builder, name)] = path
    if shutil.which("soffice") or shutil.which("libreoffice"):
        (folder / "lo").mkdir()
        converted = libreoffice_from_text(list(NAMES), folder / "lo")
        files.update({("libreoffice", name): path for name, path in converted.items()})
    return files


CASES = [(b, n) for b in (*BUILDERS, "libreoffice") for n in NAMES]


@pytest.mark.parametrize(("builder", "name"), CASES, ids=[f"{b}-{n}" for b, n in CASES])
def test_import_drafts_the_seed_text_and_outline(messy, tmp_path, builder, name):
    if (builder, name) not in messy:
        pytest.skip("LibreOffice is not installed")
    _, draft, _ = _imported(messy[(builder, name)], tmp_path)
    drafted = document_lines(draft.document)
    expected = golden(name)
    if builder == "with_table":
        # tables are kept as text paragraphs (and said so): drop their cells to compare
        assert set(drafted) >= TABLE_CELLS
        drafted = [line for line in drafted if line not in TABLE_CELLS]
    title = len(draft.document.title_lines)
    golden_title = next(i for i, line in enumerate(expected) if line.endswith("报告")) + 1
    assert _title_joined(drafted, title) == _title_joined(expected, golden_title)
    assert _outline(draft) == golden(name, ".outline.txt")


@pytest.mark.parametrize("name", NAMES)
def test_own_draft_round_trips(tmp_path, name):
    """Importing drafter's own draft gives facts that draft the identical text."""
    docx_path = tmp_path / f"{name}.docx"
    draft_to_file(SAMPLE[name], docx_path)
    result, draft, _ = _imported(docx_path, tmp_path)
    assert document_lines(draft.document) == golden(name)
    assert result.exact


def test_profiles_chosen_as_the_samples_use(tmp_path, messy):
    chosen = {}
    for name in NAMES:
        _, draft, _ = _imported(messy[("typed_numbers", name)], tmp_path / name)
        chosen[name] = draft.facts.profile
    assert chosen == {n: load_facts(SAMPLE[n])[0].profile for n in NAMES}


def _leaf_scores(items) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    out = []
    for item in items:
        if item.children:
            out.extend(_leaf_scores(item.children))
        elif item.score is not None:
            out.append((str(item.score.max), str(item.score.self_score)))
    return out


def test_scores_parsed_onto_the_leaves(tmp_path, messy):
    _, draft, target = _imported(messy[("heading_styles", "shuangtaizi")], tmp_path)
    sample = load_facts(SAMPLE["shuangtaizi"])[0]
    assert _leaf_scores(draft.facts.achievements.items) == _leaf_scores(sample.achievements.items)
    assert len(_leaf_scores(sample.achievements.items)) >= 30
    assert "score: {max: 1, self: 1}" in target.read_text(encoding="utf-8")


def test_most_figures_become_metrics(tmp_path, messy):
    """At least 80% of the figures the hand-made samples hold as metrics come out as
    metrics (compared by their printed value and unit)."""
    wanted = found = 0
    for name in NAMES:
        _, draft, _ = _imported(messy[("typed_numbers", name)], tmp_path / name)
        got = {metric_text(m) for m in draft.facts.metrics.values()}
        sample = load_facts(SAMPLE[name])[0]
        texts = [metric_text(m) for m in sample.metrics.values() if m.ratio is None]
        wanted += len(texts)
        found += sum(text in got for text in texts)
    assert found / wanted >= 0.8, f"{found}/{wanted}"


def test_prose_refers_to_metrics_and_years(tmp_path, messy):
    _, _, target = _imported(messy[("typed_numbers", "dongli")], tmp_path)
    text = target.read_text(encoding="utf-8")
    assert "{{ m." in text and "{{ year }}年" in text
    data = yaml.safe_load(text)
    assert data["notice"]["number"] == "津教督导室〔2021〕40号"
    assert data["date"].isoformat() == "2021-07-23"
    assert data["addressee"] == "天津市人民政府教育督导室"


def test_import_notes_are_listed_by_check_with_lines(tmp_path, cli):
    source = tmp_path / "报告.txt"
    lines = golden("jiangbei")
    # a heading typed without its number, and a broken 文号, as real files have them
    lines = [line.replace("渝府教督发〔2022〕5号", "渝府教督发〔20225号") for line in lines]
    lines[lines.index("（一）主要做法")] = "主要做法"
    source.write_text("\n".join(lines), encoding="utf-8")
    target = tmp_path / "江北区" / "2022.yaml"
    code, out, _ = cli("import", source, "-o", target)
    assert code == 0 and "import_notes" in out
    code, out, _ = cli("check", target)
    notes = [line for line in out.splitlines() if "导入待核对" in line]
    assert any("文号" in line and "不完整" in line and "第" in line for line in notes), out
    assert all(f"{target} 第" in line for line in notes), notes


def test_existing_facts_file_is_not_overwritten(tmp_path, cli):
    source = tmp_path / "报告.txt"
    source.write_text("\n".join(golden("dongli")), encoding="utf-8")
    target = tmp_path / "2020.yaml"
    target.write_text("# 我的事实文件\n", encoding="utf-8")
    code, _, err = cli("import", source, "-o", target)
    assert code == 1 and "--into" in err and "已停止" in err
    assert target.read_text(encoding="utf-8") == "# 我的事实文件\n"
    code, out, _ = cli("import", source, "-o", target, "--force")
    assert code == 0 and "备份" in out
    backups = list(tmp_path.glob("2020.备份-*.yaml"))
    assert [b.read_text(encoding="utf-8") for b in backups] == ["# 我的事实文件\n"]


def test_a_report_of_another_structure_gets_its_own_profile(tmp_path, cli):
    """No shipped profile has these parts (工作开展情况, 存在的困难, 今后打算) with items
    1. run in directly under 一、 in every part: import writes the report's own
    profile beside the facts, and the facts draft the report back exactly."""
    lines = ["某某县人民政府2024年履行教育职责", "情况自评报告", "市政府教育督导室：",
             "现将我县2024年履行教育职责情况报告如下：", "一、工作开展情况",
             "1.加强组织领导。县委常委会专题研究教育工作4次。",
             "2.保障教育投入。全县教育支出12.5亿元，同比增长3.2%。", "二、存在的困难",
             "1.师资不足。部分学校教师结构性缺编。", "三、今后打算", "继续加大投入。",
             "某某县人民政府", "2025年1月10日"]
    source = tmp_path / "报告.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    target = tmp_path / "facts" / "2024.yaml"
    code, out, _ = cli("import", source, "-o", target)
    assert code == 0 and "逐段一致" in out, out
    profiles = list(target.parent.glob("*.方案.yaml"))
    assert len(profiles) == 1 and str(profiles[0]) in out
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["profile"] == profiles[0].name
    sections = yaml.safe_load(profiles[0].read_text(encoding="utf-8"))["sections"]
    assert [s["item_level"] for s in sections[:2]] == [3, 3]
    code, out, _ = cli("text", target)
    assert code == 0 and out.splitlines() == lines


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    good = folder / "good.docx"
    draft_to_file(SAMPLE["dongli"], good)
    return bad_inputs(folder / "in", good)


@pytest.mark.parametrize("kind", ["表格.docx", "空白.docx", "报告.pdf", "加密.docx", "截断.docx",
                                  "二进制.txt", "炸弹.docx"])
def test_bad_input_is_refused_in_chinese_and_writes_nothing(bad, tmp_path, run_cli, kind):
    if kind not in bad:
        pytest.skip("msoffcrypto-tool is not installed")
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("import", bad[kind], "-o", out / "facts.yaml")
    assert result.returncode == 1
    assert bad[kind].name in result.stderr and "错误" in result.stderr
    assert not any(c.isascii() and c.isalpha() for c in _message(result.stderr, bad[kind]))
    assert list(out.iterdir()) == []


def _message(stderr: str, path: Path) -> str:
    """The message without the file name, command names and extensions it may quote."""
    text = stderr.replace(str(path), "")
    for word in ("drafter", "import", ".docx", ".doc", ".wps", ".odt", ".rtf", ".txt", "Word",
                 "WPS", "PDF", "LibreOffice", "apt-get install libreoffice-writer-nogui",
                 "Debian", "Ubuntu", "Windows"):
        text = text.replace(word, "")
    return text


def test_a_rate_change_written_as_percent_is_flagged_not_repaired(tmp_path, cli):
    """Seed 001 calls 28.67% → 39.78% "同比上升11.11%": import keeps the words and says so."""
    lines = golden("shuangtaizi")
    lines = [line.replace("同比上升11.11个百分点", "同比上升11.11%") for line in lines]
    source = tmp_path / "报告.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    target = tmp_path / "facts.yaml"
    code, _, _ = cli("import", source, "-o", target)
    assert code == 0
    code, out, _ = cli("text", target)
    assert "同比上升11.11%。" in out and "个百分点" not in out.split("同比上升11.11%")[0][-30:]
    code, out, _ = cli("check", target)
    assert any("导入待核对" in line and "11.11个百分点" in line for line in out.splitlines()), out


def test_a_doc_file_imports_through_libreoffice(tmp_path):
    from messy_docs import convert, soffice

    soffice()
    docx_path = tmp_path / "江北区.docx"
    draft_to_file(SAMPLE["jiangbei"], docx_path)
    convert([docx_path], "doc", tmp_path / "doc")
    _, draft, _ = _imported(tmp_path / "doc" / "江北区.doc", tmp_path)
    assert document_lines(draft.document) == golden("jiangbei")


def test_standalone_item_headings_without_a_full_stop_keep_their_look(tmp_path, cli):
    """"1.加强组织领导" on a line of its own, no 。: the report's own profile says so
    (levels: {3: {run_in: false, ending: own}}) and the draft prints it as typed."""
    lines = ["某某县人民政府2024年履行教育职责", "情况自评报告", "市政府教育督导室：",
             "现将我县2024年履行教育职责情况报告如下：", "一、工作开展情况", "1.加强组织领导",
             "县委常委会专题研究教育工作4次。", "2.保障教育投入", "全县教育支出12.5亿元。",
             "二、存在的困难", "1.师资不足", "部分学校教师结构性缺编。", "三、今后打算",
             "继续加大投入。", "某某县人民政府", "2025年1月10日"]
    source = tmp_path / "报告.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    target = tmp_path / "facts" / "2024.yaml"
    code, out, _ = cli("import", source, "-o", target)
    assert code == 0 and "逐段一致" in out, out
    code, out, _ = cli("text", target)
    assert out.splitlines() == lines
