"""Issue 15 for `drafter sheet export/import`: a damaged, hostile or oddly filled-in .xlsx
(a zip bomb, a password, 1,000,000 rows, formulas without results, dates, merged cells,
wrong headers, numbers too large to print, a tampered hidden column) is a Chinese error that
names the workbook and the cell; the facts file is never changed, no backup is left, and
what is written back still validates. Forked with limits (tests/bounded.py)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from bad_files import FAST, OLE_MAGIC, drafted, fifo, files_in, write
from bounded import assert_clean_error, run
from conftest import SAMPLE
from hypothesis import given
from hypothesis import strategies as st

# --- drafter sheet export / import -------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """双台子区 2023 (metrics and a scored indicator tree) exported as drafter exports it."""
    from drafter.sheets.export import export_sheet

    folder = tmp_path_factory.mktemp("sheet")
    export_sheet(SAMPLE["shuangtaizi"], folder / "表.xlsx")
    return folder / "表.xlsx"


def edited(exported: Path, folder: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    book = openpyxl.load_workbook(exported)
    change(book)
    path = folder / "填好的表.xlsx"
    book.save(path)
    return path


def _set(sheet: str, cell: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        book[sheet][cell] = value

    return change


def _leaf_score(value: object) -> Callable[[openpyxl.Workbook], None]:
    """The self score of the first indicator that is not a group."""

    def change(book: openpyxl.Workbook) -> None:
        sheet = book["自评打分"]
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 4).value is None)
        sheet.cell(row, 3).value = value

    return change


def _rate(value: object) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        sheet = book["指标"]
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 4).value == "%")
        sheet.cell(row, 2).value = value

    return change


def _bad_rows(book: openpyxl.Workbook) -> None:
    for i in range(200):
        book["指标"].append([f"没有的指标{i}", i])


def _merge_names(book: openpyxl.Workbook) -> None:
    book["指标"].merge_cells("A2:A3")
    book["指标"]["B3"] = 99


def _rename(book: openpyxl.Workbook) -> None:
    book["指标"].title = "Sheet1"


def _padded(size: int, method: int) -> Callable[[Path, Path], Path]:
    """The sheet with a cell of `size` spaces: deflated, a zip bomb; stored, a big sheet."""

    def make(exported: Path, folder: Path) -> Path:
        path = folder / "填好的表.xlsx"
        with zipfile.ZipFile(exported) as old, zipfile.ZipFile(path, "w", method) as new:
            for info in old.infolist():
                data = old.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    cell = b'<c r="A99" t="inlineStr"><is><t>' + b" " * size + b"</t></is></c>"
                    data = data.replace(b"</sheetData>",
                                        b'<row r="99">' + cell + b"</row></sheetData>")
                new.writestr(info.filename, data)
        return path

    return make


def _locked(exported: Path, folder: Path) -> Path:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    path = folder / "填好的表.xlsx"
    with exported.open("rb") as plain, path.open("wb") as locked:
        ooxml.OOXMLFile(plain).encrypt("1234", locked)
    return path


SHEET_CASES: list[tuple[str, Callable[[Path, Path], Path], str]] = [
    ("random-bytes", lambda x, f: write(f / "填好的表.xlsx", os.urandom(4000)), "不是 .xlsx"),
    ("truncated", lambda x, f: write(f / "填好的表.xlsx", x.read_bytes()[: x.stat().st_size // 2]),
     "已损坏"),
    ("zip-bomb", _padded(120_000_000, zipfile.ZIP_DEFLATED), "100 MB"),
    ("6-mb-sheet", _padded(6_000_000, zipfile.ZIP_STORED), "5 MB"),
    ("fifo", lambda x, f: fifo(f / "填好的表.xlsx"), "管道"),
    ("password", _locked, "密码"),
    ("old-xls", lambda x, f: write(f / "填好的表.xlsx", OLE_MAGIC + os.urandom(2000)), ".xls"),
    ("1000000-rows", lambda x, f: edited(x, f, _set("指标", "A1000000", "x")), "1,000,000 行"),
    ("formula-without-result", lambda x, f: edited(x, f, _set("指标", "B2", "=B3*2")),
     "B2：是公式"),
    ("a-date", lambda x, f: edited(x, f, _set("指标", "B2", dt.datetime(2023, 1, 1))),
     "B2：是日期"),
    ("wrong-header", lambda x, f: edited(x, f, _set("指标", "B1", "今年")), "缺少列：本年"),
    ("no-metrics-sheet", lambda x, f: edited(x, f, _rename), "没有工作表“指标”"),
    ("huge-number", lambda x, f: edited(x, f, _set("指标", "B2", "1E+999999")), "B2：数值"),
    ("1e300", lambda x, f: edited(x, f, _set("指标", "B2", 1e300)), "过大"),
    ("nan", lambda x, f: edited(x, f, _set("指标", "B2", "NaN")), "有限的数值"),
    ("true", lambda x, f: edited(x, f, _set("指标", "B2", True)), "TRUE"),
    ("text", lambda x, f: edited(x, f, _set("指标", "B2", "约六千")), "不是数值（“约六千”）"),
    ("negative-rate", lambda x, f: edited(x, f, _rate(-3)), "不能为负数"),
    ("negative-score", lambda x, f: edited(x, f, _leaf_score(-5)), "自评分不能为负数"),
    ("score-above-max", lambda x, f: edited(x, f, _leaf_score(10_000)), "高于分值"),
    ("place-dunder", lambda x, f: edited(x, f, _set("自评打分", "E3", "__class__")), "位置"),
    ("place-huge-index", lambda x, f: edited(x, f, _set("自评打分", "E3", "achievements.items."
                                                       + "9" * 5000)), "位置"),
    ("200-bad-rows", lambda x, f: edited(x, f, _bad_rows), "另有 170 处错误未列出"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "fragment"), [c[1:] for c in SHEET_CASES],
                         ids=[c[0] for c in SHEET_CASES])  # fmt: skip
def test_sheet_import_of_a_bad_workbook(tmp_path, exported, make, fragment):
    facts = tmp_path / "facts" / "2023.yaml"
    facts.parent.mkdir()
    shutil.copyfile(SAMPLE["shuangtaizi"], facts)
    workbook = make(exported, tmp_path)
    result = run("sheet", "import", workbook, facts, cwd=tmp_path, seconds=30)
    assert_clean_error(result, fragment, root=tmp_path)
    assert workbook.name in result.err or "2023.yaml" in result.err, result.err
    assert facts.read_bytes() == SAMPLE["shuangtaizi"].read_bytes()
    assert files_in(facts.parent) == ["2023.yaml"]  # no backup, no temp file


def test_a_word_file_given_as_the_workbook(tmp_path, tmp_path_factory):
    good = drafted(tmp_path_factory)
    facts = tmp_path / "2023.yaml"
    shutil.copyfile(SAMPLE["shuangtaizi"], facts)
    workbook = tmp_path / "表.xlsx"
    shutil.copyfile(good, workbook)
    result = run("sheet", "import", workbook, facts, cwd=tmp_path)
    assert_clean_error(result, "表.xlsx", "不是 .xlsx", root=tmp_path)


def test_merged_cells_and_an_untouched_sheet_change_nothing(tmp_path, exported):
    facts = tmp_path / "2023.yaml"
    shutil.copyfile(SAMPLE["shuangtaizi"], facts)
    result = run("sheet", "import", exported, facts, cwd=tmp_path)
    assert result.kind == "ok" and "没有改动" in result.out, result.err
    merged = edited(exported, tmp_path, _merge_names)  # B3's row lost its name: skipped
    result = run("sheet", "import", merged, facts, cwd=tmp_path)
    assert result.kind == "ok" and "没有改动" in result.out, result.err
    assert facts.read_bytes() == SAMPLE["shuangtaizi"].read_bytes()


def test_sheet_export_never_overwrites_a_filled_in_sheet(tmp_path):
    facts = tmp_path / "2023.yaml"
    shutil.copyfile(SAMPLE["shuangtaizi"], facts)
    target = tmp_path / "表.xlsx"
    target.write_bytes(b"filled in by the clerk")
    result = run("sheet", "export", facts, "-o", target, cwd=tmp_path)
    assert_clean_error(result, "表.xlsx", "已存在", root=tmp_path)
    assert target.read_bytes() == b"filled in by the clerk"
    result = run("sheet", "export", facts, "-o", target, "--force", cwd=tmp_path)
    assert result.kind == "ok", result.err
    backups = list(tmp_path.glob("表.备份-*.xlsx"))
    assert [b.read_bytes() for b in backups] == [b"filled in by the clerk"]
    bad = tmp_path / "坏.yaml"
    bad.write_text("year: [2022\n", encoding="utf-8")
    result = run("sheet", "export", bad, "-o", tmp_path / "新.xlsx", cwd=tmp_path)
    assert_clean_error(result, "坏.yaml 第1行", root=tmp_path)
    assert not (tmp_path / "新.xlsx").exists()


# --- hypothesis: whatever is typed in a cell ----------------------------------------------

CELL_VALUES = st.one_of(
    st.integers(-(10**40), 10**40), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.dates(), st.datetimes(), st.sampled_from(
        ["", " ", "=1/0", "=B3", "12%", "1,234.5", "１２", "1e29", "1E+31", "-0", "0x10",
         "NaN", "Infinity", "12.5.6", "约六千", "9" * 40, "\u3000"]),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)  # fmt: skip


@FAST
@given(value=CELL_VALUES)
def test_any_cell_value_is_written_back_valid_or_refused(tmp_path, exported, value):
    facts = tmp_path / f"f{abs(hash(repr(value)))}" / "2023.yaml"
    facts.parent.mkdir()
    shutil.copyfile(SAMPLE["shuangtaizi"], facts)
    workbook = edited(exported, facts.parent, _set("指标", "B2", value))
    result = run("sheet", "import", workbook, facts, cwd=tmp_path)
    if result.kind == "ok":
        from drafter.facts.load import load_facts

        load_facts(facts)  # what was written still validates
    else:
        assert_clean_error(result, root=tmp_path)
        assert facts.read_bytes() == SAMPLE["shuangtaizi"].read_bytes()


