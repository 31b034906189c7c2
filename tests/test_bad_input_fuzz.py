"""Issue 15, continued: random damage to facts, templates and profiles (hypothesis), and
`drafter import` as a black box. Each case is forked with a time limit and a memory cap
(tests/bounded.py); a modest, derandomised number of examples keeps this quick."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from bounded import assert_clean_error, run
from conftest import MINIMAL_FACTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bad_input import FACTS_NAME, facts_file

# --- hypothesis: random damage to facts, templates and profiles -------------------------------

YAML_BITS = st.sampled_from([*":[]{}\"'&*!|>#-\t\n%@,?\\ ", "\n  ", ": ", "- ", "!!int ",
                            "!!timestamp ", "*a", "&a ", "1e999", "33:42", "2022-13-45",
                            "\ufeff", "\x00", "江", "{{", "}}", "{%", "%}"])  # fmt: skip
FAST = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


def judged(result, root: Path) -> None:
    """Either a draft or a clean located error; never a traceback, a hang or a crash."""
    if result.kind == "ok":
        return
    assert_clean_error(result, root=root)


@FAST
@given(st.lists(st.tuples(st.integers(0, len(MINIMAL_FACTS)), YAML_BITS), min_size=1,
                max_size=4))  # fmt: skip
def test_damaged_facts_never_crash(tmp_path, edits):
    text = MINIMAL_FACTS
    for position, bit in sorted(edits, reverse=True):
        text = text[:position] + bit + text[position:]
    path = tmp_path / "jiangbei" / FACTS_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    judged(run("draft", path, "-o", tmp_path / "out.docx", "--force", cwd=tmp_path), tmp_path)


JINJA_BITS = st.sampled_from([
    "{{ ", " }}", "{% ", " %}", "if ", "for x in ", "endfor", "endif", "else", "facts.district",
    "m.毛入园率", "|num", "|points", "|paras", "|map", "|list", "|join", "|center(99999999)",
    " * ", " ** ", " + ", "10", "99999999", "'x'", "range(", ")", "(", "[", "]", "extends ",
    '"default/closing.j2"', "block outro", "endblock", " is ", "frob", "'\\x00'", "lipsum(",
    "x", ".title", ".__class__", "特此报告。", "\n", "# ", "## ", "|format(1)", "'%9999999d'",
])  # fmt: skip


@FAST
@given(st.lists(JINJA_BITS, min_size=1, max_size=12))
def test_damaged_templates_never_crash(tmp_path, bits):
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / "closing.j2").write_text("".join(bits), encoding="utf-8")
    path = facts_file(tmp_path)
    judged(run("text", path, "--templates", folder, cwd=tmp_path, seconds=15), tmp_path)


PROFILE = """\
extends: default
title: "{{ government }}{{ period }}履行教育职责情况自评报告"
sections:
  - id: achievements
    heading: 主要做法和成效
  - id: plans
    remove: true
"""


@FAST
@given(st.lists(st.tuples(st.integers(0, len(PROFILE)), YAML_BITS), min_size=1, max_size=3))
def test_damaged_profiles_never_crash(tmp_path, edits):
    text = PROFILE
    for position, bit in sorted(edits, reverse=True):
        text = text[:position] + bit + text[position:]
    folder = tmp_path / "profiles"
    folder.mkdir(exist_ok=True)
    (folder / "mine.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    path = facts_file(tmp_path)
    judged(run("text", path, "--sections", folder, "--profile", "mine", cwd=tmp_path), tmp_path)


# --- drafter import, as a black box ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "binary", "zip-bomb", "empty"])
def test_import_refuses_hostile_sources_cleanly(tmp_path, kind):
    source = tmp_path / "report.docx"
    if kind == "fifo":
        os.mkfifo(source)
    elif kind == "binary":
        source.write_bytes(os.urandom(4096))
    elif kind == "empty":
        source.write_bytes(b"")
    else:
        with zipfile.ZipFile(source, "w") as package:
            package.writestr("word/document.xml", bytes(60 * 1024 * 1024),
                             compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    result = run("import", source, "-o", tmp_path / "f.yaml", cwd=tmp_path, seconds=30)
    assert_clean_error(result, "report.docx", root=tmp_path)
