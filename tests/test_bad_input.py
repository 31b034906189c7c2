"""Issue 15: drafter under bad input, hostile files and faults. Every case runs `drafter …`
in a forked child with a time limit and a memory cap (tests/bounded.py), so a regression
fails here instead of hanging CI. Each must end in a located Chinese error (exit 1, no
traceback, no English sentence) or, where the input is fine after all, a draft."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from bounded import assert_clean_error, call, run
from conftest import MINIMAL_FACTS, REPO

FACTS_NAME = "2022.yaml"


def facts_file(folder: Path, text: str = MINIMAL_FACTS, district: str = "jiangbei") -> Path:
    path = folder / district / FACTS_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def mutated(old: str, new: str) -> str:
    assert old in MINIMAL_FACTS, old
    return MINIMAL_FACTS.replace(old, new, 1)


# --- facts: (id, old, new, line, what the message says) ---------------------------------------

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e"], "abcdef", strict=True)
)
FACTS_CASES = [
    ("month-13", "date: 2022-12-13", "date: 2022-13-45", 9, "不是有效的日期"),
    ("february-30", "date: 2022-12-13", "date: 2022-02-30", 9, "不是有效的日期"),
    ("year-0", "date: 2022-12-13", "date: 0000-01-01", 9, "不是有效的日期"),
    ("hour-25", "date: 2022-12-13", "date: 2022-12-13 25:00:00", 9, "不是有效的日期"),
    ("chinese-date", "date: 2022-12-13", "date: 2022年2月30日", 9, "不是有效的日期"),
    ("int-tag", "year: 2022", "year: !!int abc", 3, "读作整数"),
    ("float-tag", "year: 2022", "year: !!float abc", 3, "读作数值"),
    ("timestamp-tag", "date: 2022-12-13", "date: !!timestamp abc", 9, "不是有效的日期"),
    ("5000-digits", "year: 2022", "year: " + "9" * 5000, 3, "太长"),
    ("base-60", "year: 2022", "year: 33:42", 3, "六十进制"),
    ("infinite", "  毛入园率: 124.6%", "  毛入园率: {value: .inf, unit: '%'}", 11, "有限的数值"),
    ("1e999999999", "  毛入园率: 124.6%", "  毛入园率: {value: 1e999999999, unit: '%'}", 11,
     "过大"),
    ("two-points", "  毛入园率: 124.6%", "  毛入园率: 12.5.6%", 11, "只能有一个小数点"),
    ("negative-rate", "  毛入园率: 124.6%", "  毛入园率: -3%", 11, "不能为负数"),
    ("negative-max", "        text: 学前", "        score: {max: -5}\n        text: 学前", 16,
     "不能为负数"),
    ("unclosed-quote", "district: 江北区", 'district: "江北区', 1, "引号没有闭合"),
    ("unclosed-bracket", "year: 2022", "year: [2022, 2023", 3, "方括号"),
    ("lone-surrogate", "district: 江北区", 'district: "江北\\ud800区"', 1, "U+D800"),
    ("control-escape", "district: 江北区", 'district: "江北\\x01区"', 1, "U+0001"),
    ("control-raw", "district: 江北区", "district: 江北\x01区", 1, "控制字符"),
    ("heading-prose", "        text: 学前三年教育毛入园率达{{ m.毛入园率 }}。",
     '        text: "## 学前三年"', 16, "会被当作标题"),
    ("long-district", "district: 江北区", "district: " + "江" * 300, 1, "太长"),
    ("alias-bomb", "metrics:", LAUGHS + "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nmetrics:", 10,
     "别名"),
    ("recursive-alias", "metrics:", "x: &a [*a]\nmetrics:", 10, "嵌套太深"),
    ("deep-nesting", "metrics:", "x: " + "[" * 5000 + "]" * 5000 + "\nmetrics:", 10, "嵌套太深"),
    ("list-key", "metrics:", "? [a, b]\n: 1\nmetrics:", 10, "键不能是列表"),
    ("number-key", "metrics:", "1: 2\nmetrics:", 10, "项名应为文字"),
    ("unknown-profile", "district: 江北区", "profile: nosuch\ndistrict: 江北区", 1,
     "找不到结构方案“nosuch”"),
    ("prose-syntax", "{{ m.毛入园率 }}", "{{ m.毛入园率 ", 16, "写法有误"),
    ("prose-loop", "{{ m.毛入园率 }}", "{% for i in range(99999) %}{% for j in range(99999) %}"
     "{% endfor %}{% endfor %}", 16, "超过"),
    ("prose-allocation", "{{ m.毛入园率 }}", "{{ 'x' * 10**9 }}", 16, "太长"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line", "fragment"),
                         [c[1:] for c in FACTS_CASES], ids=[c[0] for c in FACTS_CASES])  # fmt: skip
def test_bad_facts_are_located_chinese_errors(tmp_path, old, new, line, fragment):
    path = facts_file(tmp_path, mutated(old, new))
    result = run("draft", path, "-o", tmp_path / "out.docx", cwd=tmp_path)
    assert_clean_error(result, f"{FACTS_NAME} 第{line}行", fragment, root=tmp_path)
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("command", ["check", "text", "roll", "lint"])
def test_every_command_reports_a_bad_date_cleanly(tmp_path, command):
    path = facts_file(tmp_path, mutated("date: 2022-12-13", "date: 2022-13-45"))
    result = run(command, path, cwd=tmp_path)
    if command == "check":  # check lists the error and exits 1 too
        assert result.code == 1 and "不是有效的日期" in result.out + result.err
        assert "Traceback" not in result.err
    else:
        assert_clean_error(result, f"{FACTS_NAME} 第9行", root=tmp_path)


def test_a_year_unlike_the_file_name_is_a_warning(tmp_path):
    path = facts_file(tmp_path, mutated("year: 2022", "year: 2021"))
    result = run("draft", path, "-o", tmp_path / "out.docx", cwd=tmp_path)
    assert result.code == 0 and "警告" in result.out and "文件名是 2022.yaml" in result.out


# --- files that are not facts files ------------------------------------------------------------


def test_a_fifo_a_device_and_a_huge_file_are_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.yaml"
    huge.write_text("a: " + "x" * (3 * 1024 * 1024), encoding="utf-8")
    for path, fragment in ((fifo, "普通文件"), (Path("/dev/zero"), "普通文件"), (huge, "太大")):
        result = run("text", path, cwd=tmp_path, seconds=10)
        assert_clean_error(result, str(path), fragment, root=tmp_path)


def test_gbk_facts_a_symlink_loop_and_a_long_output_name(tmp_path):
    gbk = tmp_path / "gbk" / FACTS_NAME
    gbk.parent.mkdir()
    gbk.write_bytes(MINIMAL_FACTS.encode("gbk"))
    assert_clean_error(run("text", gbk, cwd=tmp_path), "UTF-8", root=tmp_path)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    assert_clean_error(run("text", loop, cwd=tmp_path), "loop.yaml", root=tmp_path)
    path = facts_file(tmp_path)
    long_name = tmp_path / ("长" * 200 + ".docx")
    assert_clean_error(run("draft", path, "-o", long_name, cwd=tmp_path), "太长", root=tmp_path)


# --- templates ---------------------------------------------------------------------------------

TEMPLATE_CASES = [
    ("allocation", "{{ 'x' * 10**9 }}", "太长"),
    ("power", "{{ 7 ** 999999999 }}", "乘方"),
    ("format-width", "{{ '%999999999d'|format(1) }}", "宽度"),
    ("brace-width", "{{ '{:999999999}'.format(1) }}", "宽度"),
    ("center", "{{ 'x'.center(10**9) }}", "宽度"),
    ("center-filter", "{{ 'x'|center(10**9) }}", "宽度"),
    ("lipsum", "{{ lipsum(10**6) }}", "lipsum"),
    ("nested-loops", "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}"
     "{% endfor %}", "超过"),
    ("points-on-a-number", "{{ 5|points }}", "不合适的值"),
    ("unknown-test", "{% if 1 is frob %}x{% endif %}", "不存在的测试"),
    ("map-without-argument", "{{ [1, 2]|map|list }}", "缺少参数"),
    ("double-extends", '{% extends "default/closing.j2" %}{% extends "default/closing.j2" %}',
     "不止一个"),
    ("unknown-filter", "{{ 1|frob }}", "未知的过滤器“frob”"),
    ("unclosed-if", "{% if 1 %}x", "意外结束"),
    ("nul", "{{ '\\x00' }}", "U+0000"),
    ("mixed-types", "{{ 1 + 'a' }}", "类型不符"),
    ("division-by-zero", "{{ 1 / 0 }}", "除数为零"),
    ("empty", "", "是空的"),
    ("blank", "\n  \n", "是空的"),
]  # fmt: skip


def templates_folder(tmp_path: Path, text: str | bytes, name: str = "closing.j2") -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("text", "fragment"), [c[1:] for c in TEMPLATE_CASES],
                         ids=[c[0] for c in TEMPLATE_CASES])  # fmt: skip
def test_bad_templates_are_bounded_chinese_errors(tmp_path, text, fragment):
    folder = templates_folder(tmp_path, text)
    result = run("text", facts_file(tmp_path), "--templates", folder, cwd=tmp_path)
    assert_clean_error(result, "closing.j2", fragment, root=tmp_path)


@pytest.mark.parametrize(("data", "fragment"), [
    pytest.param("特此报告。".encode("gbk"), "UTF-8", id="gbk"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "二进制", id="binary"),
])  # fmt: skip
def test_templates_that_are_not_utf8_text(tmp_path, data, fragment):
    folder = templates_folder(tmp_path, data)
    result = run("text", facts_file(tmp_path), "--templates", folder, cwd=tmp_path)
    assert_clean_error(result, "closing.j2", fragment, root=tmp_path)


def test_a_bom_template_drafts_as_without_one(tmp_path):
    folder = templates_folder(tmp_path, "\ufeff# 特别说明\n特此报告。\n")
    result = run("text", facts_file(tmp_path), "--templates", folder, cwd=tmp_path)
    assert result.code == 0, result.err
    assert "# 特别说明" not in result.out and "特此报告。" in result.out


def test_a_symlink_out_of_the_template_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "closing.j2").symlink_to(secret)
    result = run("text", facts_file(tmp_path), "--templates", folder, cwd=tmp_path)
    assert_clean_error(result, "符号链接", root=tmp_path)
    assert "机密内容" not in result.out + result.err


@pytest.mark.parametrize("option", ["--templates", "--sections", "--standards"])
def test_a_missing_folder_is_an_error_not_ignored(tmp_path, option):
    result = run("text", facts_file(tmp_path), option, tmp_path / "nowhere", cwd=tmp_path)
    assert_clean_error(result, "nowhere", "找不到", root=tmp_path)


def test_a_broken_profile_title_names_the_profile(tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "mine.yaml").write_text('extends: default\ntitle: "{{ government "\n', "utf-8")
    result = run("text", facts_file(tmp_path), "--sections", folder, "--profile", "mine",
                 cwd=tmp_path)  # fmt: skip
    assert_clean_error(result, "mine.yaml", "模板语法错误", root=tmp_path)


# --- reference documents -----------------------------------------------------------------------


def reference_doc(tmp_path: Path, change: str) -> Path:
    plain = tmp_path / "plain.docx"
    assert run("styles", "init", plain, cwd=tmp_path).code == 0
    out = tmp_path / f"{change}.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            method = zipfile.ZIP_DEFLATED
            if info.filename == "word/styles.xml" and change == "entity":
                data = data.replace(b"?>", b'?><!DOCTYPE w:styles [<!ENTITY x "lol">]>', 1)
            if info.filename == "word/styles.xml" and change == "compression":
                method = zipfile.ZIP_LZMA
            if info.filename == "word/document.xml" and change == "no-sectPr":
                start = data.index(b"<w:sectPr")
                data = data[:start] + data[data.index(b"</w:sectPr>") + 11 :]
            target.writestr(info.filename, data, compress_type=method)
        if change == "zip-bomb":
            target.writestr("word/media/bomb.bin", bytes(60 * 1024 * 1024),
                            compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    if change == "corrupt":
        data = bytearray(out.read_bytes())
        with zipfile.ZipFile(out) as package:
            info = package.getinfo("word/styles.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        for i in range(start + 10, start + 60):
            data[i] ^= 0x5A
        out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("change", ["entity", "compression", "corrupt", "no-sectPr", "zip-bomb"])
def test_hostile_reference_documents_are_refused(tmp_path, change):
    reference = reference_doc(tmp_path, change)
    result = run("draft", facts_file(tmp_path), "-o", tmp_path / "out.docx",
                 "--reference-doc", reference, cwd=tmp_path, seconds=30)  # fmt: skip
    assert_clean_error(result, reference.name, "参考样式文档", root=tmp_path)
    assert not (tmp_path / "out.docx").exists()


# --- drafter.yaml, lost work, batch ------------------------------------------------------------


def test_a_drafter_yaml_in_a_world_writable_folder_is_ignored_and_said(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    (shared / "drafter.yaml").write_text("profile: nosuch\n", encoding="utf-8")
    result = run("text", facts_file(shared), cwd=tmp_path)
    assert result.code == 0, result.err
    assert "已忽略" in result.err and "人人可写" in result.err and "drafter.yaml" in result.err


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
def test_a_drafter_yaml_owned_by_another_user_is_ignored(tmp_path):
    bureau = tmp_path / "bureau"
    bureau.mkdir()
    config = bureau / "drafter.yaml"
    config.write_text("profile: nosuch\n", encoding="utf-8")
    os.chown(bureau, 65534, 65534)
    os.chown(config, 65534, 65534)
    result = run("text", facts_file(bureau), cwd=tmp_path)
    assert result.code == 0, result.err
    assert "已忽略" in result.err and "属于其他用户" in result.err


def test_roll_and_schema_refuse_an_existing_target(tmp_path):
    from drafter.errors import OutputError
    from drafter.output import atomic_create

    target = tmp_path / "taken.yaml"
    target.write_text("我的文件", encoding="utf-8")
    with pytest.raises(OutputError):  # atomically: a file created after any check survives
        atomic_create(target, b"new", "exists")
    assert target.read_text(encoding="utf-8") == "我的文件"
    facts = facts_file(tmp_path)
    result = run("schema", "-o", facts, cwd=tmp_path)
    assert_clean_error(result, "不是 drafter 生成的 schema", root=tmp_path)
    assert facts.read_text(encoding="utf-8") == MINIMAL_FACTS
    (tmp_path / "jiangbei" / "2023.yaml").write_text("我的文件", encoding="utf-8")
    assert_clean_error(run("roll", facts, cwd=tmp_path), "已存在", root=tmp_path)
    assert (tmp_path / "jiangbei" / "2023.yaml").read_text(encoding="utf-8") == "我的文件"


def test_stale_temporary_files_beside_a_target_are_removed(tmp_path):
    out = tmp_path / "out.docx"
    stale, fresh = tmp_path / ".out.docx.abc123.tmp", tmp_path / ".out.docx.def456.tmp"
    for path in (stale, fresh):
        path.write_bytes(b"half a draft")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    assert run("draft", facts_file(tmp_path), "-o", out, cwd=tmp_path).code == 0
    assert not stale.exists() and fresh.exists()  # fresh: another write may be under way


def test_a_hung_file_is_an_error_row_and_the_rest_complete(tmp_path):
    facts = tmp_path / "facts"
    facts_file(facts, district="a-hangs")
    facts_file(facts, district="b-fine")
    facts_file(facts, district="c-fine")
    loop = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    (facts / "a-hangs" / "drafter.yaml").write_text("templates: tpl\n", encoding="utf-8")
    (facts / "a-hangs" / "tpl").mkdir()
    (facts / "a-hangs" / "tpl" / "closing.j2").write_text(loop, encoding="utf-8")
    from drafter import sandbox

    started = time.monotonic()
    result = run("batch", facts, "-o", tmp_path / "out", "--timeout", "1", "-j", "2",
                 cwd=tmp_path, seconds=30)  # fmt: skip
    assert result.code == 1 and time.monotonic() - started < sandbox.RENDER_SECONDS + 15
    assert "超过时间限制（1 秒）" in result.out
    assert (tmp_path / "out" / "b-fine" / FACTS_NAME).with_suffix(".docx").exists()
    assert (tmp_path / "out" / "c-fine" / FACTS_NAME).with_suffix(".docx").exists()


def test_ctrl_c_stops_a_batch_and_its_workers_at_once(tmp_path):
    facts = tmp_path / "facts"
    loop = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    for index in range(4):
        folder = facts_file(facts, district=f"d{index}").parent
        (folder / "drafter.yaml").write_text("templates: tpl\n", encoding="utf-8")
        (folder / "tpl").mkdir()
        (folder / "tpl" / "closing.j2").write_text(loop, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "drafter.cli", "batch", str(facts), "-j", "2"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(2.5)  # the workers are rendering
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    try:
        _, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 130 and "已中断" in err and "Traceback" not in err
    left = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True)
    assert left.stdout.strip() == ""  # no worker outlived the batch


def test_a_hundred_and_more_groups_are_numbered(tmp_path):
    groups = "".join(f"  - title: 第{i}组工作\n" for i in range(1, 121))
    path = facts_file(tmp_path, mutated("achievements:\n", "achievements:\n" + groups))
    result = run("text", path, cwd=tmp_path)
    assert result.code == 0, result.err
    assert "（一百零一）第101组工作" in result.out and "（一百二十）第120组工作" in result.out


TITLE = "东丽区人民政府2020年履行教育职责情况自评报告工作"


def _broken_titles() -> list[list[str]]:
    from drafter.title import break_title

    return [break_title((TITLE * 20)[:n]) for n in (128, 160, 200, 400)]


def test_title_breaking_finishes_on_long_titles():
    """Once exponential (160 characters never finished). Bounded, not timed: a child with a
    limit far above the milliseconds it takes (benchmarks/title_breaking.py has the figure)."""
    finished, result = call(_broken_titles, seconds=30)
    assert finished, result
    assert isinstance(result, list)
    for n, lines in zip((128, 160, 200, 400), result, strict=True):
        assert "".join(lines) == (TITLE * 20)[:n] and len(lines) > 1
