"""Mistakes in a structure profile name the file and line where they are written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE

from drafter.errors import ProfileError
from drafter.pipeline import draft_facts
from drafter.profiles import load_profile


def _profile(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_extends_is_located(tmp_path):
    path = _profile(tmp_path, "mine", "description: 本局方案\nextends: 没有这个方案\n")
    with pytest.raises(ProfileError) as caught:
        load_profile("mine", [tmp_path])
    problem = caught.value.problems[0]
    assert (Path(problem.file), problem.line) == (path, 2)
    assert "没有这个方案" in problem.message


def test_duplicate_section_ids_in_one_file_are_an_error(tmp_path):
    path = _profile(tmp_path, "mine", "extends: default\nsections:\n  - id: plans\n"
                    "    heading: 下一步\n  - id: plans\n    heading: 今后打算\n")
    with pytest.raises(ProfileError) as caught:
        load_profile("mine", [tmp_path])
    problem = caught.value.problems[0]
    assert (Path(problem.file), problem.line) == (path, 5)
    assert "重复" in problem.message


def test_an_unknown_standards_table_is_located(tmp_path):
    _profile(tmp_path / "方案", "mine", "extends: default\nstandards: [national, 没有的表]\n")
    facts = tmp_path / "2020.yaml"
    facts.write_text(SAMPLE["dongli"].read_text(encoding="utf-8").replace(
        "profile: tianjin", f"profile: {tmp_path / '方案' / 'mine.yaml'}"), encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        draft_facts(facts)
    problem = caught.value.problems[0]
    assert (Path(problem.file).name, problem.line) == ("mine.yaml", 2)
    assert "没有的表" in problem.message


def test_a_profile_linking_out_of_its_folder_is_refused(tmp_path):
    outside = _profile(tmp_path / "elsewhere", "secret", "extends: default\n")
    (tmp_path / "方案").mkdir()
    (tmp_path / "方案" / "mine.yaml").symlink_to(outside)
    with pytest.raises(ProfileError) as caught:
        load_profile("mine", [tmp_path / "方案"])
    assert "符号链接" in caught.value.problems[0].message
