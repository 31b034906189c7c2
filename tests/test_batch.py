"""`drafter batch`: a city's reports in one command, a bad file a row of the table, not a crash."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import MINIMAL_FACTS, SAMPLES, docx_texts, golden

from drafter import batch
from drafter.batch import Job, Options, Outcome, Progress, find_jobs, run_batch, table
from drafter.config import Customisation
from drafter.errors import FactsError
from drafter.pipeline import Preparations, draft_facts

SAMPLE_YEARS = {"dongli": "2020", "jiangbei": "2022", "shuangtaizi": "2023", "wuxing": "2019"}
BROKEN = MINIMAL_FACTS.replace("date: 2022-12-13", "date: 明年")  # line 9
DATE_ERROR = "[date] “成文日期”应为日期，如 2021-07-23 或 2021年7月23日，现在是“明年”"


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """facts/<district>/<year>.yaml: the four samples and one broken file."""
    folder = tmp_path / "facts"
    for district, year in SAMPLE_YEARS.items():
        (folder / district).mkdir(parents=True)
        shutil.copy(SAMPLES / district / f"{year}.yaml", folder / district / f"{year}.yaml")
    (folder / "broken").mkdir()
    (folder / "broken" / "2022.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def test_batch_drafts_the_samples_and_reports_the_broken_file(run_cli, facts, tmp_path):
    result = run_cli("batch", "facts", "-o", "drafts", "--jobs", "2")
    assert result.returncode == 1
    assert result.stderr == ""  # not a terminal: no progress bar
    assert result.stdout.splitlines() == [
        "问题详情：",
        f"  facts/broken/2022.yaml 第9行：{DATE_ERROR}",
        "",
        "区县         年度  结果" + " " * 82 + "输出文件",
        f"broken       2022  出错：第9行：{DATE_ERROR}  —",
        "dongli       2020  已生成" + " " * 80 + "drafts/dongli/2020.docx",
        "jiangbei     2022  已生成" + " " * 80 + "drafts/jiangbei/2022.docx",
        "shuangtaizi  2023  已生成" + " " * 80 + "drafts/shuangtaizi/2023.docx",
        "wuxing       2019  已生成" + " " * 80 + "drafts/wuxing/2019.docx",
        "共 5 份：已生成 4 份，出错 1 份。",
    ]
    # Each draft mirrors its facts file and reads as the reviewed golden text.
    for district, year in SAMPLE_YEARS.items():
        drafted = docx_texts(tmp_path / "drafts" / district / f"{year}.docx")
        assert drafted == [line for line in golden(district) if line]
    assert not (tmp_path / "drafts" / "broken").exists()


def test_an_edited_draft_is_kept_and_is_an_error_row(run_cli, facts, tmp_path):
    (facts / "broken" / "2022.yaml").unlink()
    assert run_cli("batch", "facts", "-o", "drafts").returncode == 0
    edited = tmp_path / "drafts" / "jiangbei" / "2022.docx"
    document = docx.Document(str(edited))
    document.add_paragraph("校对时补充的一段。")
    document.save(str(edited))

    result = run_cli("batch", "facts", "-o", "drafts")
    assert result.returncode == 1
    row = next(line for line in result.stdout.splitlines() if line.startswith("jiangbei"))
    refused = "出错：drafts/jiangbei/2022.docx：目标文件已存在，且是 drafter 生成后又被修改过的稿子"
    assert refused in row
    assert row.endswith("—")
    assert "校对时补充的一段。" in docx_texts(edited)  # untouched
    others = [line for line in result.stdout.splitlines() if line.startswith(("dongli", "wuxing"))]
    assert len(others) == 2 and all("已生成" in line for line in others)
    assert result.stdout.splitlines()[-1] == "共 4 份：已生成 3 份，出错 1 份。"


def test_check_only_checks_every_file_and_writes_nothing(run_cli, facts, tmp_path):
    gappy = MINIMAL_FACTS.replace("  number: 渝府教督发〔2022〕5号\n", "")
    (facts / "gappy").mkdir()
    (facts / "gappy" / "2022.yaml").write_text(gappy, encoding="utf-8")
    result = run_cli("batch", "facts", "-o", "drafts", "--check-only")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"  错误：facts/broken/2022.yaml 第9行：{DATE_ERROR}" in lines
    gap = "  警告：facts/gappy/2022.yaml 第6行：[notice.number] 缺少事实：【待补充：文号】"
    assert gap in lines
    rows = {line.split()[0]: line.split(maxsplit=2)[2] for line in lines if "  20" in line}
    assert rows["broken"] == f"出错：第9行：{DATE_ERROR}"
    assert rows["gappy"] == "警告 1 条"
    assert rows["jiangbei"] == "通过"
    assert rows["dongli"] == "警告 2 条"  # two unmet standards
    assert lines[-1] == "共 6 份：通过 3 份，有警告 2 份，出错 1 份。"
    assert "输出文件" not in result.stdout
    assert not (tmp_path / "drafts").exists()


def test_strict_refuses_a_report_with_gaps(run_cli, write):
    write("facts/jb/2022.yaml", MINIMAL_FACTS.replace("  number: 渝府教督发〔2022〕5号\n", ""))
    lenient = run_cli("batch", "facts", "-o", "drafts")
    assert lenient.returncode == 0
    assert "jb    2022  已生成，待补充 1 项  drafts/jb/2022.docx" in lenient.stdout
    strict = run_cli("batch", "facts", "-o", "strict", "--strict")
    assert strict.returncode == 1
    assert "jb    2022  严格模式：待补充 1 项，未生成文件  —" in strict.stdout


def test_a_folder_without_facts_files_is_a_chinese_error(run_cli, write):
    write("facts/notes.yaml", "说明: 这里不是事实文件\n")
    result = run_cli("batch", "facts")
    assert result.returncode == 1
    assert result.stderr.startswith("错误：facts：文件夹中没有找到事实文件")


def test_jobs_must_be_a_positive_number(run_cli, facts):
    result = run_cli("batch", "facts", "--jobs", "0")
    assert result.returncode == 1
    assert "应为正整数：0" in result.stderr


def test_find_jobs_mirrors_the_layout_and_skips_what_is_not_a_year(tmp_path):
    folder = tmp_path / "facts"
    for name in ("重庆/江北区/2022.yaml", "重庆/江北区/说明.yaml", "2022.yaml", ".git/x/2022.yaml",
                 "dongli/2020.yml"):  # fmt: skip
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("district: 某区\n", encoding="utf-8")
    found = find_jobs(folder, tmp_path / "drafts")
    assert [(j.district, j.year, j.output) for j in found.jobs] == [
        ("dongli", "2020", tmp_path / "drafts" / "dongli" / "2020.docx"),
        ("重庆/江北区", "2022", tmp_path / "drafts" / "重庆" / "江北区" / "2022.docx"),
    ]
    assert sorted(p.name for p in found.skipped) == ["2022.yaml", "说明.yaml"]
    beside = find_jobs(folder, None).jobs[0]
    assert beside.output == folder / "dongli" / "2020.docx"
    assert find_jobs(folder, None, check_only=True).jobs[0].output is None
    with pytest.raises(FactsError, match="找不到事实文件夹"):
        find_jobs(tmp_path / "missing", None)


def test_parallel_and_serial_runs_give_the_same_drafts(facts, tmp_path):
    jobs_1 = find_jobs(facts, tmp_path / "serial").jobs
    jobs_2 = find_jobs(facts, tmp_path / "parallel").jobs
    serial = run_batch(jobs_1, Options(), workers=1)
    seen: list[str] = []
    parallel = run_batch(jobs_2, Options(), workers=2, on_done=lambda o: seen.append(o.job.year))
    assert len(seen) == 5
    assert [(o.job.district, o.status, o.result) for o in serial] == [
        (o.job.district, o.status, o.result) for o in parallel
    ]
    for one, two in zip(serial, parallel, strict=True):
        if one.written:  # the same document.xml, so the same fingerprint
            assert docx.Document(str(one.job.output)).core_properties.identifier == (
                docx.Document(str(two.job.output)).core_properties.identifier
            )


def test_an_unexpected_failure_is_a_row_not_the_end_of_the_batch(facts, tmp_path, monkeypatch):
    import drafter.pipeline

    real = drafter.pipeline.draft_to_file

    def flaky(facts_path: Path, output: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if facts_path.parent.name == "dongli":
            raise RuntimeError("boom")
        return real(facts_path, output, *args, **kwargs)

    monkeypatch.setattr(drafter.pipeline, "draft_to_file", flaky)
    outcomes = run_batch(find_jobs(facts, tmp_path / "drafts").jobs, Options(), workers=1)
    by_district = {o.job.district: o for o in outcomes}
    assert by_district["dongli"].result == "出错：程序内部错误（请报告）：RuntimeError: boom"
    assert [o.status for o in outcomes].count("ok") == 3


def test_one_preparation_serves_every_report_of_a_profile():
    prepared = Preparations()
    draft_facts(SAMPLES / "jiangbei" / "2022.yaml", prepared=prepared)
    first = prepared.get("chongqing", Customisation())
    draft_facts(SAMPLES / "jiangbei" / "2022.yaml", prepared=prepared)
    assert prepared.get("chongqing", Customisation()) is first
    assert prepared.get("tianjin", Customisation()) is not first


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _outcome(status: str) -> Outcome:
    return Outcome(Job(Path("f/2022.yaml"), None, "f", "2022"), status, "")  # type: ignore[arg-type]


def test_progress_bar_redraws_one_line_on_a_terminal_only():
    terminal = _Terminal()
    progress = Progress(4, "起草", terminal)
    progress.advance(_outcome("ok"))
    progress.advance(_outcome("error"))
    progress.close()
    quarter, half = "█" * 7 + "░" * 23, "█" * 15 + "░" * 15
    assert terminal.getvalue() == (
        f"\r起草 {quarter} 1/4\033[K" f"\r起草 {half} 2/4  出错 1\033[K" "\r\033[K"
    )
    piped = io.StringIO()
    silent = Progress(4, "起草", piped)
    silent.advance(_outcome("ok"))
    silent.close()
    assert piped.getvalue() == ""


def test_table_columns_line_up_by_display_width():
    lines = table([["江北区", "2022", "已生成", "a.docx"], ["dongli", "2020", "出错", "—"]],
                  ["区县", "年度", "结果", "输出文件"])  # fmt: skip
    assert lines == [
        "区县    年度  结果    输出文件",
        "江北区  2022  已生成  a.docx",
        "dongli  2020  出错    —",
    ]
    assert batch.display_width("江北区 2022") == 11


def test_drafts_written_by_batch_are_complete_packages(facts, tmp_path):
    outcomes = run_batch(find_jobs(facts, tmp_path / "drafts").jobs, Options(), workers=1)
    for outcome in outcomes:
        if outcome.written:
            assert outcome.job.output is not None
            with zipfile.ZipFile(outcome.job.output) as archive:
                assert archive.testzip() is None
                assert "word/document.xml" in archive.namelist()
