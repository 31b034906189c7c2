"""Files drafter writes honour the umask (0644 under 022, not mkstemp's 0600), and a file
written over keeps its mode: colleagues on a shared folder can open every draft."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import SAMPLE

from drafter.output import atomic_write, current_umask, file_mode

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def umask():  # type: ignore[no-untyped-def]
    """Set the process umask for the test; the previous one comes back afterwards."""
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_umask_is_read_without_changing_it(umask):
    umask(0o027)
    assert current_umask() == 0o027
    assert current_umask() == 0o027
    assert file_mode(Path("/nonexistent/x.docx")) == 0o640


def test_new_files_follow_the_umask(umask, tmp_path, cli):
    facts = tmp_path / "2020.yaml"
    shutil.copy(SAMPLE["dongli"], facts)
    os.chmod(facts, 0o644)
    code, _, err = cli("draft", facts, "-o", tmp_path / "稿.docx")
    assert code == 0, err
    assert mode(tmp_path / "稿.docx") == 0o644
    assert cli("roll", facts, "--year", "2021")[0] == 0
    assert mode(tmp_path / "2021.yaml") == 0o644
    umask(0o027)
    atomic_write(tmp_path / "另一个.txt", b"x")
    assert mode(tmp_path / "另一个.txt") == 0o640


def test_an_overwritten_file_keeps_its_mode(umask, tmp_path, cli):
    out = tmp_path / "稿.docx"
    assert cli("draft", SAMPLE["wuxing"], "-o", out)[0] == 0
    os.chmod(out, 0o664)  # a shared folder's group-writable draft
    assert cli("draft", SAMPLE["wuxing"], "-o", out)[0] == 0
    assert mode(out) == 0o664
    os.chmod(out, 0o600)  # and a private one stays private
    assert cli("draft", SAMPLE["wuxing"], "-o", out)[0] == 0
    assert mode(out) == 0o600


def test_lint_in_place_keeps_the_mode_and_the_backup_gets_it_too(umask, tmp_path, cli):
    facts = tmp_path / "2019.yaml"
    facts.write_text(SAMPLE["wuxing"].read_text(encoding="utf-8").replace("。", ".", 1),
                     encoding="utf-8")  # fmt: skip
    os.chmod(facts, 0o664)
    cli("lint", facts, "--fix", "--in-place")
    assert mode(facts) == 0o664
    (backup,) = tmp_path.glob("2019.备份-*.yaml")
    assert mode(backup) == 0o664


def test_a_forced_redraft_keeps_the_edited_files_mode_on_its_backup(umask, tmp_path, cli):
    out = tmp_path / "稿.docx"
    out.write_bytes(b"not drafter's")
    os.chmod(out, 0o660)
    assert cli("draft", SAMPLE["wuxing"], "-o", out, "--force")[0] == 0
    (backup,) = tmp_path.glob("稿.备份-*.docx")
    assert mode(backup) == 0o660 and mode(out) == 0o660
