"""Preview and Word: the draft as pages, the .docx, and Word edits carried back.

The page view lays the drafted paragraphs on pages of 22 lines of 28 characters (GB/T 9704)
as an approximation for the screen; where LibreOffice is installed the real pages are
rendered by drafter.preview. Word edits go through reading.merge.plan_merge: the planned
changes are shown first and written only when the user confirms, as a normal save.
"""

from __future__ import annotations

import atexit
import difflib
import hashlib
import math
import re
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for

from drafter.document import Document, Heading, Line
from drafter.errors import DrafterError
from drafter.web import workspace
from drafter.web.state import bounded, custom_for, draft
from drafter.web.workspace import Report, WebError

bp = Blueprint("word", __name__, url_prefix="/r")
LINES, CHARS = 22, 28  # a GB/T 9704 page
_CACHE = Path(tempfile.gettempdir()) / f"drafter-serve-{secrets.token_hex(4)}"  # page images
atexit.register(shutil.rmtree, _CACHE, True)  # nothing left behind when the server stops
_PENDING: dict[str, dict[str, Any]] = {}
_PENDING_LOCK = threading.Lock()


@dataclass
class Para:
    kind: str  # title, addressee, heading, body, signature
    number: str
    spans: Line
    body: Line = ()
    level: int = 0


def paragraphs(doc: Document) -> list[Para]:
    out = [Para("title", "", line) for line in doc.title_lines]
    signature = [Para("signature", "", doc.issuer), Para("signature", "", doc.date)]
    if doc.signature_at == "top":
        out += signature
    if doc.addressee is not None:
        out.append(Para("addressee", "", doc.addressee))
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(Para("heading", block.number, block.text, block.body or (), block.level))
        else:
            out.append(Para("body", "", block.spans))
    if doc.signature_at == "bottom":
        out += signature
    return out


def pages(doc: Document) -> list[list[Para]]:
    """Paragraphs laid on pages by their line count (a title line takes two); a paragraph
    that does not fit runs on to the next page, as in Word."""
    result: list[list[Para]] = [[]]
    used = 0
    for para in paragraphs(doc):
        while True:
            lines = _lines(para)
            room = LINES - used
            if lines <= room or para.kind == "title" or room < 2:
                if lines > room and used:
                    result.append([])
                    used = 0
                result[-1].append(para)
                used += lines
                break
            head, para = _split(para, room * CHARS - (0 if para.kind == "cont" else 2))
            result[-1].append(head)
            result.append([])
            used = 0
    return result


def _lines(para: Para) -> int:
    if para.kind == "title":
        return 2
    chars = len(para.number) + sum(len(s.text) for s in (*para.spans, *para.body))
    indent = 0 if para.kind == "cont" else 2
    return max(1, math.ceil((chars + indent) / CHARS))


def _split(para: Para, at: int) -> tuple[Para, Para]:
    """The first `at` characters of a paragraph, and the rest as a continuation."""
    from drafter.document import Span

    pieces = [Span(para.number, "text")] if para.number else []
    pieces += [*para.spans, *para.body]
    head: list[Span] = []
    count = 0
    for index, span in enumerate(pieces):
        if count + len(span.text) >= at:
            cut = at - count
            head.append(Span(span.text[:cut], span.kind))
            rest = [Span(span.text[cut:], span.kind), *pieces[index + 1:]]
            break
        head.append(span)
        count += len(span.text)
    else:
        rest = []
    first = Para("body" if para.kind != "cont" else "cont", "", tuple(head))
    return first, Para("cont", "", tuple(s for s in rest if s.text))


def _pages_model(item: Report) -> dict[str, Any]:
    ws = workspace()
    _, version = ws.read(item.path)
    made = draft(item.path)
    return {"item": item, "version": version, "pages": pages(made.document),
            "gaps": len(made.gaps), "stale": len(made.stale), "name": made.facts.district}


@bp.route("/<path:rel>/preview")
def preview(rel: str):  # type: ignore[no-untyped-def]
    from drafter.preview import SOFFICE_NAMES

    item = workspace().report(rel)
    model = _pages_model(item)
    images = sorted(_image_dir(item, model["version"]).glob("page-*.png"),
                    key=lambda p: int(p.stem.split("-")[1]))
    office = any(shutil.which(name) for name in SOFFICE_NAMES)
    return render_template("preview.html", images=[p.stem.split("-")[1] for p in images],
                           office=office, **model)


@bp.route("/<path:rel>/preview/text")
def preview_text(rel: str):  # type: ignore[no-untyped-def]
    return render_template("_pages.html", **_pages_model(workspace().report(rel)))


def _docx(item: Report) -> tuple[bytes, str]:
    """The .docx `drafter draft` would write (same writer, same reference document), and
    the district it is for."""
    return bounded(_docx_job, item.path)


def _docx_job(path: Path) -> tuple[bytes, str]:
    """In the child (state.bounded)."""
    from drafter.pipeline import draft_facts
    from drafter.web.state import _PREPARED
    from drafter.word import build_package, package_bytes

    custom = custom_for(path)
    made = draft_facts(path, custom, _PREPARED)
    return package_bytes(build_package(made.document, reference=custom.reference_doc)), \
        made.facts.district


@bp.route("/<path:rel>/docx")
def download(rel: str):  # type: ignore[no-untyped-def]
    import io

    item = workspace().report(rel)
    data, district = _docx(item)
    name = f"{district}{item.year}年自评报告.docx"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _image_dir(item: Report, version: str) -> Path:
    return _CACHE / hashlib.sha256(item.rel.encode()).hexdigest()[:16] / version


@bp.route("/<path:rel>/render", methods=["POST"])
def render(rel: str):  # type: ignore[no-untyped-def]
    from drafter.preview import docx_to_pdf, pdf_to_png

    item = workspace().report(rel)
    _, version = workspace().read(item.path)
    folder = _image_dir(item, version)
    data, _ = _docx(item)
    with tempfile.TemporaryDirectory(prefix="drafter-render-") as tmp:
        source = Path(tmp) / "page.docx"
        source.write_bytes(data)
        pdf = docx_to_pdf([source], Path(tmp))[0]
        pdf_to_png(pdf, folder)
    return redirect(url_for("word.preview", rel=item.rel) + "#images", 303)


@bp.route("/<path:rel>/page/<version>/<number>.png")
def page_image(rel: str, version: str, number: str):  # type: ignore[no-untyped-def]
    item = workspace().report(rel)
    if not re.fullmatch(r"[0-9a-f]{20}", version) or not re.fullmatch(r"\d{1,4}", number):
        raise WebError("没有这个页面图片", 404)
    path = _image_dir(item, version) / f"page-{number}.png"
    if not path.is_file():
        raise WebError("没有这个页面图片：请重新生成版面图片", 404)
    return send_file(path, mimetype="image/png")


@bp.route("/<path:rel>/merge", methods=["POST"])
def merge(rel: str):  # type: ignore[no-untyped-def]
    """Plan carrying an edited draft back into the facts; nothing is written yet."""
    from drafter.web.home import upload_problems, uploaded_file

    ws = workspace()
    item = ws.report(rel)
    upload, name = uploaded_file("请先选择在 Word 中修改过的稿子")
    _, version = ws.read(item.path)
    with tempfile.TemporaryDirectory(prefix="drafter-merge-") as tmp:
        source = Path(tmp) / name
        upload.save(source)
        try:
            plan, notes = bounded(_planned, source, item.path)
        except DrafterError as exc:
            raise upload_problems(exc, source, name) from None
    token = secrets.token_urlsafe(16)
    with _PENDING_LOCK:
        if len(_PENDING) > 20:
            _PENDING.clear()
        _PENDING[token] = {"rel": item.rel, "version": version, "text": plan.new_text}
    old_text, _ = ws.read(item.path)
    diff = [line for line in difflib.unified_diff(
        old_text.splitlines(), plan.new_text.splitlines(), lineterm="", n=0)
        if not line.startswith(("---", "+++", "@@"))]  # fmt: skip
    return render_template("merge.html", item=item, plan=plan, token=token, name=name,
                           notes=notes, diff=diff, district=made_name(item))


def _planned(source: Path, facts: Path) -> tuple[Any, list[str]]:
    """In the child (state.bounded): the edited draft read and its merge planned."""
    from drafter.reading.files import read_source
    from drafter.reading.merge import plan_merge

    edited = read_source(source)
    return plan_merge(edited, facts, custom_for(facts)), edited.notes


def made_name(item: Report) -> str:
    """The district as the facts name it (the folder may be pinyin)."""
    try:
        return draft(item.path).facts.district
    except (DrafterError, WebError):
        return item.district


@bp.route("/<path:rel>/merge/apply", methods=["POST"])
def merge_apply(rel: str):  # type: ignore[no-untyped-def]
    ws = workspace()
    item = ws.report(rel)
    with _PENDING_LOCK:
        pending = _PENDING.pop(request.form.get("token", ""), None)
    if pending is None or pending["rel"] != item.rel:
        raise WebError("这次写回已完成或已过期，请重新上传修改过的稿子", 409)
    ws.save(item.path, pending["text"], pending["version"])
    flash("已把 Word 中的修改写回事实文件（原内容已存入历史版本，可恢复）", "ok")
    return redirect(url_for("report.page", rel=item.rel), 303)
