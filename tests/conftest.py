"""Shared fixtures: the repo's own samples and a way to run the CLI as a user does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run `drafter …` in a fresh process (as a user would) and return the result."""

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "drafter.cli", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd or tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO), "LANG": "C.UTF-8"},
            timeout=120,
        )

    return run


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
