"""Shared fixtures: the repo's own samples, their golden texts, ways to run the CLI as a
user does, and the table of mistakes in a facts file with what the user is told."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from drafter.word.breaks import JOINERS

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"

# The four real reports (samples/<district>/NOTES.md): golden name → facts file.
SAMPLE = {
    "dongli": SAMPLES / "dongli" / "2020.yaml",
    "shuangtaizi": SAMPLES / "shuangtaizi" / "2023.yaml",
    "wuxing": SAMPLES / "wuxing" / "2019.yaml",
    "jiangbei": SAMPLES / "jiangbei" / "2022.yaml",
}


def golden(name: str, suffix: str = ".txt") -> list[str]:
    """The reviewed expected lines of a sample (tests/golden/<name><suffix>)."""
    return (GOLDEN / f"{name}{suffix}").read_text(encoding="utf-8").splitlines()


def docx_texts(source: Path | bytes) -> list[str]:
    """The non-empty paragraph texts of a .docx, read back from a file or from its bytes."""
    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    return [p.text.translate(JOINERS) for p in document.paragraphs if p.text]  # no joiners


def assert_no_traceback(*outputs: str) -> None:
    """Users never see a Python traceback, whatever they typed."""
    for output in outputs:
        assert "Traceback" not in output, output


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run `drafter …` in a fresh process (as a user would) and return the result."""

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "drafter.cli", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd or tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO), "LANG": "C.UTF-8"},
            timeout=120,
        )
        assert_no_traceback(result.stderr, result.stdout)
        return result

    return run


@pytest.fixture
def cli(capsys) -> Callable[..., tuple[int, str, str]]:
    """Run `drafter …` in this process (faster; monkeypatching works): exit code, out, err."""
    from drafter.cli import main

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert_no_traceback(err, out)
        return code, out, err

    return run


@pytest.fixture(scope="session")
def jiangbei_docx():
    """The 江北区 sample drafted with the built-in styles and read back (read-only)."""
    from drafter.pipeline import draft_facts
    from drafter.word import build_docx, docx_bytes

    data = docx_bytes(build_docx(draft_facts(SAMPLE["jiangbei"]).document))
    return docx.Document(io.BytesIO(data))


@pytest.fixture
def write(tmp_path: Path):
    """Write a text file under tmp_path and return its path."""

    def write_file(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write_file


MINIMAL_FACTS = """\
district: 江北区
government: 重庆市江北区人民政府
year: 2022
period: 2021年以来
addressee: 重庆市人民政府教育督导委员会办公室
notice:
  title: 关于印发2022年对区县人民政府履行教育职责评价方案的通知
  number: 渝府教督发〔2022〕5号
date: 2022-12-13
metrics:
  毛入园率: 124.6%
achievements:
  - title: 主要做法
    children:
      - title: 加强党的领导
        text: 学前三年教育毛入园率达{{ m.毛入园率 }}。
"""


@dataclass(frozen=True)
class BadFacts:
    """A mistake made in MINIMAL_FACTS, the line it is reported on and what the message says."""

    id: str
    old: str
    new: str
    line: int
    fragments: tuple[str, ...]

    @property
    def text(self) -> str:
        assert self.old in MINIMAL_FACTS, self.id
        return MINIMAL_FACTS.replace(self.old, self.new, 1)


BAD_FACTS = [
    BadFacts("yaml-syntax", "year: 2022", "year: [2022", 3,
             ("YAML 格式错误：从这一行开始的方括号“[”没有配对",)),
    BadFacts("tab-indent", "  title: 关于", "\ttitle: 关于", 7,
             ("YAML 格式错误：使用了制表符（Tab）", "只能用空格缩进")),
    BadFacts("wrong-type", "year: 2022", "year: 二〇二二", 3,
             ("[year]", "“年度”应为整数，现在是“二〇二二”")),
    BadFacts("not-a-date", "date: 2022-12-13", "date: 明年", 9,
             ("[date]", "“成文日期”应为日期", "现在是“明年”")),
    BadFacts("unknown-key", "addressee:", "adressee:", 5,
             ("未知的项“adressee”", "是不是“addressee”")),
    BadFacts("missing-field", "government: 重庆市江北区人民政府\n", "", 1,
             ("[government]", "缺少必填项“区县政府”")),
    BadFacts("duplicate-key", "date: 2022-12-13\n", "date: 2022-12-13\nyear: 2023\n", 10,
             ("“year”重复出现（第3行已有）",)),
    BadFacts("bad-metric", "  毛入园率: 124.6%", "  毛入园率: 很高", 11,
             ("[metrics.毛入园率]", "无法识别的指标写法“很高”")),
    BadFacts("ratio-of-missing-metric", "  毛入园率: 124.6%\n",
             "  毛入园率: 124.6%\n  生均: {ratio: [经费, 学生], unit: 元/生}\n", 12,
             ("指标“生均”：ratio 引用了不存在的指标“经费”",)),
    BadFacts("self-above-max", "        text: 学前",
             "        score: {max: 5, self: 6}\n        text: 学前", 16,
             ("自评分 6 高于分值 5",)),
    BadFacts("group-score", "  - title: 主要做法\n    children:\n      - title: 加强党的领导\n",
             "  - title: 主要做法\n    score: {max: 9, self: 9}\n    children:\n"
             "      - title: 加强党的领导\n        score: {max: 5, self: 5}\n", 14,
             ("分值不一致：分值9与下级指标之和5不一致",)),
    BadFacts("unknown-metric", "m.毛入园率", "m.入园率", 16,
             ("引用了不存在的指标“入园率”", "相近的有：毛入园率")),
]  # fmt: skip
