"""The home page: every report of the folder with its state; import, roll, batch."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from drafter.errors import DrafterError
from drafter.web import workspace
from drafter.web.state import bounded, problems_text, report_state
from drafter.web.workspace import WebError

bp = Blueprint("home", __name__)
UPLOAD_SUFFIXES = (".docx", ".doc", ".wps", ".odt", ".rtf", ".txt")


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    ws = workspace()
    rows = []
    for item in ws.reports():
        try:
            _, version = ws.read(item.path)
        except WebError:  # removed since it was listed
            continue
        state = report_state(item.path, version, ws.root, outline=False)
        docx = item.path.with_suffix(".docx")
        drafted = None
        if docx.is_file():
            drafted = dt.datetime.fromtimestamp(docx.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        rows.append({"report": item, "counts": state.counts(), "error": state.error,
                     "drafted": drafted, "name": state.facts.district if state.facts else None})
    return render_template("home.html", rows=rows, folder=ws.root, batch=BATCH.snapshot())


def _upload_name(name: str) -> str:
    """The uploaded file's own name, without any folder part or odd characters."""
    base = re.split(r"[\\/]", name or "")[-1].strip()
    base = re.sub(r"[\x00-\x1f<>:\"|?*]", "", base).lstrip(".")
    return base[-80:] or "报告"


def uploaded_file(missing: str):  # type: ignore[no-untyped-def]
    """The uploaded Word file and its cleaned name, or a WebError saying what is wrong."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise WebError(missing)
    name = _upload_name(upload.filename)
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise WebError("只能上传 .docx、.doc、.wps、.odt、.rtf 或 .txt 文件", 415)
    return upload, name


def upload_problems(exc: DrafterError, saved: Path, name: str) -> WebError:
    """A DrafterError about an uploaded file, naming it as the user does (not our copy)."""
    text = "；".join(problems_text(exc, workspace().root))
    text = text.replace(str(saved), name).replace(str(saved.parent), "")
    text = text.replace(  # reading/merge.py words it for the command line
        "请确认 --into 后的事实文件选对了；要由这份报告新建事实文件，请去掉 --into。",
        "请确认上传的是这份报告的稿子；要由它新建一份报告，请在首页“导入 Word 报告”。",
    )
    return WebError(text, 400)


def _safe_folder(name: str) -> str:
    name = re.sub(r"[\\/\x00-\x1f<>:\"|?*]", "", name).strip().lstrip(".")
    return name or "导入的报告"


@bp.route("/import", methods=["POST"])
def import_word():  # type: ignore[no-untyped-def]
    from drafter.output import atomic_write

    upload, name = uploaded_file("请先选择要导入的 Word 报告文件")
    ws = workspace()
    with tempfile.TemporaryDirectory(prefix="drafter-web-upload-") as tmp:
        source = Path(tmp) / name
        upload.save(source)
        target = Path(tmp) / "导入.yaml"
        try:
            imported, district, year = bounded(_imported, source, target)
        except DrafterError as exc:
            raise upload_problems(exc, source, name) from None
        folder = _district_folder(district)
        dest = folder / f"{year}.yaml"
        if dest.exists():
            raise WebError(
                f"{ws.rel(dest)} 已存在；为免覆盖，没有导入。要把 Word 中的修改写回这份报告，"
                "请打开它的“预览和 Word”页，上传修改过的稿子", 409,
            )  # fmt: skip
        extra = imported.profile_file
        if extra is not None and (folder / extra.name).exists():
            raise WebError(f"{ws.rel(folder / extra.name)} 已存在；为免覆盖，没有导入", 409)
        if extra is not None:
            atomic_write(folder / extra.name, extra.read_bytes())
        atomic_write(dest, target.read_bytes())
    lines = [line.replace(str(source), name).replace(str(target), ws.rel(dest))
             for line in imported.report_lines()]
    for line in lines:
        flash(line, "info")
    return redirect(url_for("report.page", rel=ws.rel(dest)), 303)


def _imported(source: Path, target: Path) -> tuple[Any, str, int]:
    """In the child (state.bounded): the Word file read, its facts written to `target`."""
    from drafter.config import Customisation
    from drafter.facts.load import load_facts
    from drafter.reading.importer import import_report

    imported = import_report(source, target, Customisation())
    facts, _ = load_facts(target)
    return imported, facts.district, facts.year


def _district_folder(district: str) -> Path:
    """The folder already holding this district's other years (it may be named in pinyin),
    else a new folder named after the district."""
    ws = workspace()
    for item in ws.reports():
        try:
            _, version = ws.read(item.path)
        except WebError:
            continue
        state = report_state(item.path, version, ws.root, outline=False)
        if state.facts is not None and state.facts.district == district:
            return item.path.parent
    return ws.root / _safe_folder(district)


@bp.route("/roll", methods=["POST"])
def roll():  # type: ignore[no-untyped-def]
    from drafter.roll import roll_file

    ws = workspace()
    item = ws.report(request.form.get("rel", ""))
    try:
        rolled = bounded(roll_file, item.path)
    except DrafterError as exc:
        raise WebError("；".join(problems_text(exc, ws.root)), 409) from None
    flash(f"已生成 {ws.rel(rolled.target)}（{rolled.year}年度）：沿用上年的 {rolled.tagged} 项"
          "已标为“沿用上年”，请逐项核对或改写", "info")
    return redirect(url_for("report.page", rel=ws.rel(rolled.target)), 303)


# ------------------------------------------------------------------ batch, with progress


@dataclass
class BatchRun:
    total: int = 0
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    running: bool = False
    started: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self) -> dict[str, object]:
        with self.lock:
            return {"total": self.total, "done": len(self.rows), "rows": list(self.rows),
                    "running": self.running, "started": self.started}


BATCH = BatchRun()


def _run_batch(jobs: list, root: Path) -> None:  # type: ignore[type-arg]
    """The batch's own worker processes (each job with the batch's time limit, each worker's
    memory capped, the sandbox's limits in force in each), not this thread."""
    from drafter import batch

    def done(outcome: batch.Outcome) -> None:
        job = outcome.job
        output = job.output.relative_to(root).as_posix() if outcome.written else "—"
        with BATCH.lock:
            BATCH.rows.append((job.district, job.year, outcome.result, output))

    try:
        batch.run_batch(jobs, batch.Options(), min(2, batch.default_jobs()), done)
    finally:
        with BATCH.lock:
            BATCH.running = False


@bp.route("/batch", methods=["GET", "POST"])
def batch_page():  # type: ignore[no-untyped-def]
    from drafter import batch

    if request.method == "POST":
        ws = workspace()
        with BATCH.lock:
            if BATCH.running:
                raise WebError("批量生成正在进行，请等它完成", 409)
            try:
                found = batch.find_jobs(ws.root, None)
            except DrafterError as exc:
                raise WebError("；".join(problems_text(exc, ws.root))) from None
            BATCH.total, BATCH.rows, BATCH.running = len(found.jobs), [], True
            BATCH.started = dt.datetime.now().strftime("%H:%M:%S")
        threading.Thread(target=_run_batch, args=(found.jobs, ws.root), daemon=True).start()
        return redirect(url_for("home.batch_page"), 303)
    return render_template("batch.html", batch=BATCH.snapshot())


@bp.route("/batch/status")
def batch_status():  # type: ignore[no-untyped-def]
    return render_template("_batch_status.html", batch=BATCH.snapshot())
