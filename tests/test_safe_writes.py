"""Never lose work: an edited draft is never overwritten without --force (and then kept as a
backup), and an interrupted write leaves the previous file as it was, with no temp file."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest
from test_roll import SAMPLE_FILES, roll

from drafter import cli
from drafter.errors import OutputError
from drafter.output import atomic_write, write_draft
from drafter.pipeline import draft_to_file
from drafter.word import fingerprint_status

REAL_REPLACE = os.replace


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write left behind (atomic_write names them .<name>.*.tmp)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp")


def fail_replace_onto(target: Path, error: BaseException):
    """os.replace that fails when it would put a file at `target` (others work as usual)."""

    def replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(dst) == target:
            raise error
        return REAL_REPLACE(src, dst, *args, **kwargs)

    return replace


@pytest.fixture
def drafted(tmp_path: Path) -> tuple[Path, Path]:
    """The 东丽区 2021 facts rolled from 2020, and its draft as drafter wrote it."""
    facts = roll(SAMPLE_FILES["dongli"], tmp_path)
    out = tmp_path / "东丽区2021.docx"
    assert draft_to_file(facts, out).written
    assert fingerprint_status(out) == "unchanged"
    return facts, out


def hand_edit(path: Path) -> bytes:
    """What a reviewer does in Word: change a sentence and save."""
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if "学前三年毛入园率" in p.text)
    paragraph.add_run("（局长批注：入园率请与统计年报核对。）")
    document.save(str(path))
    return path.read_bytes()


def test_hand_edited_draft_is_refused_and_survives(run_cli, drafted):
    facts, out = drafted
    edited = hand_edit(out)
    assert fingerprint_status(out) == "edited"
    result = run_cli("draft", facts, "-o", out)
    assert result.returncode == 1
    assert "是 drafter 生成后又被修改过的稿子" in result.stderr and "--force" in result.stderr
    assert out.read_bytes() == edited
    assert sorted(p.name for p in out.parent.iterdir()) == ["2020.yaml", "2021.yaml", out.name]


def test_force_keeps_the_edited_draft_as_a_backup(run_cli, drafted):
    facts, out = drafted
    edited = hand_edit(out)
    result = run_cli("draft", facts, "-o", out, "--force")
    assert result.returncode == 0, result.stderr
    (backup,) = out.parent.glob("东丽区2021.备份-*.docx")
    assert f"原文件已另存为：{backup}" in result.stdout
    assert backup.read_bytes() == edited
    assert "局长批注" in "".join(p.text for p in docx.Document(str(backup)).paragraphs)
    assert fingerprint_status(out) == "unchanged"
    assert "局长批注" not in "".join(p.text for p in docx.Document(str(out)).paragraphs)


def test_an_unchanged_draft_is_simply_redrafted(drafted):
    facts, out = drafted
    result = draft_to_file(facts, out)
    assert result.written and result.backup is None
    assert leftovers(out.parent) == []


def test_failing_rename_keeps_the_previous_draft_and_no_temp_file(drafted, monkeypatch):
    facts, out = drafted
    before = out.read_bytes()
    monkeypatch.setattr(os, "replace", fail_replace_onto(out, PermissionError(13, "拒绝访问")))
    with pytest.raises(OutputError) as caught:
        draft_to_file(facts, out)
    assert "写入失败：没有权限（若文件正在 Word/WPS 中打开，请先关闭）" in str(caught.value)
    assert out.read_bytes() == before
    assert leftovers(out.parent) == []


def test_ctrl_c_in_the_middle_of_writing_keeps_the_previous_draft(drafted, monkeypatch):
    facts, out = drafted
    before = out.read_bytes()
    written: list[int] = []

    def fsync(fd: int) -> None:  # the data is half on disk when the user presses Ctrl-C
        written.append(os.fstat(fd).st_size)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        draft_to_file(facts, out)
    assert written and written[0] > 0
    assert out.read_bytes() == before
    assert leftovers(out.parent) == []


def test_disk_full_half_way_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "稿.docx"
    target.write_bytes(b"previous")
    real_fdopen = os.fdopen

    class HalfWritten:
        def __init__(self, handle) -> None:  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
            self.handle.close()

        def write(self, data: bytes) -> None:
            self.handle.write(data[: len(data) // 2])
            raise OSError(28, "磁盘空间不足")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWritten(real_fdopen(fd, mode)))
    with pytest.raises(OutputError) as caught:
        atomic_write(target, b"new draft " * 1000)
    assert "写入失败：磁盘空间不足" in str(caught.value)
    assert target.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []


def test_force_whose_write_fails_still_leaves_the_edited_draft_in_place(drafted, monkeypatch):
    facts, out = drafted
    edited = hand_edit(out)
    monkeypatch.setattr(os, "replace", fail_replace_onto(out, OSError(5, "输入/输出错误")))
    with pytest.raises(OutputError):
        draft_to_file(facts, out, force=True)
    assert out.read_bytes() == edited  # where the user left it
    (backup,) = out.parent.glob("东丽区2021.备份-*.docx")
    assert backup.read_bytes() == edited
    assert leftovers(out.parent) == []


def test_write_draft_refuses_a_foreign_file(tmp_path):
    target = tmp_path / "别人的.docx"
    docx.Document().save(str(target))
    before = target.read_bytes()
    with pytest.raises(OutputError) as caught:
        write_draft(target, b"x", fingerprint_status)
    assert "不是 drafter 生成的文件" in str(caught.value)
    assert target.read_bytes() == before


def test_interrupted_roll_writes_nothing(tmp_path, monkeypatch):
    from drafter.roll import roll_file

    source = tmp_path / "2020.yaml"
    source.write_bytes(SAMPLE_FILES["dongli"].read_bytes())
    before = source.read_bytes()
    target = tmp_path / "2021.yaml"
    monkeypatch.setattr(os, "replace", fail_replace_onto(target, KeyboardInterrupt()))
    monkeypatch.setattr(os, "link", fail_replace_onto(target, KeyboardInterrupt()))  # roll links
    with pytest.raises(KeyboardInterrupt):
        roll_file(source)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2020.yaml"]
    assert source.read_bytes() == before


def test_ctrl_c_through_the_command_says_nothing_was_written(drafted, monkeypatch, capsys):
    facts, out = drafted
    before = out.read_bytes()
    monkeypatch.setattr(os, "replace", fail_replace_onto(out, KeyboardInterrupt()))
    assert cli.main(["draft", str(facts), "-o", str(out)]) == cli.EXIT_INTERRUPTED
    assert "已中断；没有写入任何文件。" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert leftovers(out.parent) == []
