"""The source distribution: every file the tests read is in it, and tests pass from it;
`python -m drafter` works; the distribution name is not the unrelated PyPI "drafter"."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import tomllib
from conftest import REPO

# What the tests read besides the package: their data, the samples and the CI script.
NEEDED = ("tests", "samples", "templates", "sections", "standards", "docs", ".ci")


def tracked(folder: str) -> set[str]:
    out = subprocess.run(["git", "ls-files", folder], cwd=REPO, capture_output=True, text=True)
    return {line for line in out.stdout.splitlines() if (REPO / line).is_file()}


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist built as `pip`/`build` would (setuptools' PEP 517 hook), unpacked."""
    out = tmp_path_factory.mktemp("sdist")
    script = ("import sys; from setuptools import build_meta; "
              "print(build_meta.build_sdist(sys.argv[1]))")  # fmt: skip
    built = subprocess.run([sys.executable, "-c", script, str(out)], cwd=REPO,
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    archive = out / built.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        tar.extractall(out / "unpacked", filter="data")
    (root,) = (out / "unpacked").iterdir()
    return root


def test_the_distribution_name_is_free_and_the_command_stays():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "gbt9704-drafter"
    assert project["scripts"] == {"drafter": "drafter.cli:main"}
    assert any("License :: OSI Approved" in c for c in project["classifiers"])
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="不是 git 检出，无法列出受控文件")
def test_the_sdist_holds_every_file_the_tests_read(sdist):
    missing = sorted(
        name for folder in NEEDED for name in tracked(folder) if not (sdist / name).is_file()
    )
    assert missing == []
    assert (sdist / "LICENSE").is_file() and (sdist / "drafter" / "word" / "base.docx").is_file()


def test_tests_pass_from_the_sdist(sdist):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_numbering_title.py", "tests/test_word_base.py", "tests/test_samples.py"],
        cwd=sdist, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(sdist)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout


def test_python_dash_m_drafter(tmp_path):
    result = subprocess.run([sys.executable, "-m", "drafter", "--help"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "draft" in result.stdout and "check" in result.stdout
