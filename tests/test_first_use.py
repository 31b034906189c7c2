"""First use: the README says how to activate the environment and set up on Windows, which
fonts to install; the samples' comments are Chinese and name no machine paths."""

from __future__ import annotations

import re

from conftest import REPO, SAMPLE

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_says_how_to_activate_and_how_to_install_on_windows():
    for needed in ("source .venv/bin/activate", r".venv\Scripts\Activate.ps1",
                   r".venv\Scripts\activate.bat", "py -m venv .venv", "python -m drafter",
                   r".venv\Scripts\pip install .", "docs/fields.md"):  # fmt: skip
        assert needed in README, needed
    assert "drafter/facts/models.py" not in README  # the field reference is docs/fields.md


def test_the_readme_names_the_fonts_and_the_switch_to_system_fonts():
    for needed in ("仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "drafter styles init",
                   "--reference-doc"):  # fmt: skip
        assert needed in README, needed


def test_sample_comments_are_chinese_without_machine_paths():
    checked = 0
    for facts in SAMPLE.values():
        for n, line in enumerate(facts.read_text(encoding="utf-8").splitlines(), 1):
            comment = line.split("#", 1)[1] if line.lstrip().startswith("#") else None
            if comment is None and "  # " in line:
                comment = line.split("  # ", 1)[1]
            if not comment or comment.strip().startswith("---"):
                continue
            checked += 1
            assert re.search(r"[\u4e00-\u9fff]", comment), f"{facts.name}:{n}: {comment}"
            assert not re.search(r"(^|\s)/(work|home|tmp|usr)/|[A-Z]:\\", comment), comment
    assert checked >= 40
    for notes in (REPO / "samples").glob("*/NOTES.md"):
        assert "/work/" not in notes.read_text(encoding="utf-8"), notes
