"""A report's page: outline, sections and items edited in place, metrics, scores, checks.

Every edit is one POST carrying the field, the new value, the CSRF token and the version
the page was drawn from; it is saved (round trip, atomic, previous version kept) or refused.
With htmx the answer is a message and a `drafter:saved` event with the new version; without
it, the browser is sent back to the page.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from pydantic import ValidationError

from drafter.web import edits, workspace
from drafter.web.state import field_id, report_state
from drafter.web.views import head_fields, metric_rows, register_ids, score_total, sections
from drafter.web.workspace import Report, WebError

bp = Blueprint("report", __name__, url_prefix="/r")


def page_model(item: Report) -> dict[str, Any]:
    ws = workspace()
    _, version = ws.read(item.path)
    state = report_state(item.path, version, ws.root)
    views, rows, heads = sections(state), metric_rows(state), head_fields(state)
    register_ids(state, views, rows, heads)
    return {"item": item, "state": state, "version": version, "sections": views,
            "metrics": rows, "heads": heads, "total": score_total(state),
            "counts": state.counts(), "field_id": field_id}


@bp.route("/<path:rel>")
def page(rel: str):  # type: ignore[no-untyped-def]
    return render_template("report.html", **page_model(workspace().report(rel)))


@bp.route("/<path:rel>/findings")
def findings(rel: str):  # type: ignore[no-untyped-def]
    return render_template("_findings.html", **page_model(workspace().report(rel)))


def _saved(item: Report, new_text: str, message: str, anchor: str = "") -> Any:
    """Save if the page's version is still the file's; answer htmx or the plain form."""
    ws = workspace()
    version = ws.save(item.path, new_text, request.form.get("version"))
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    if request.headers.get("HX-Request"):
        response = make_response(render_template(
            "_message.html", message=f"{message}（{stamp}）", level="ok"))
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
        response.headers["HX-Trigger"] = json.dumps({"drafter:saved": {"version": version}})
        return response
    flash(f"{message}（{stamp}）", "ok")
    return redirect(url_for("report.page", rel=item.rel) + (f"#{anchor}" if anchor else ""), 303)


def _text(item: Report) -> str:
    return workspace().read_for_edit(item.path)


@bp.errorhandler(edits.Unreadable)
def unreadable(exc: edits.Unreadable):  # type: ignore[no-untyped-def]
    """The YAML error where the command line would say it: file, line, what is wrong."""
    from drafter import web
    from drafter.errors import DrafterError
    from drafter.facts.yaml_read import read_yaml
    from drafter.web.state import bounded, problems_text

    message = exc.message
    rel = (request.view_args or {}).get("rel", "")
    try:
        bounded(read_yaml, workspace().report(rel).path)
    except DrafterError as error:
        message = "网页无法修改这个文件：" + "；".join(problems_text(error, workspace().root)) + \
            "。请点“直接编辑文件”改正后再修改"
    except WebError:
        pass
    return web.refusal(message, 400)


@bp.route("/<path:rel>/set", methods=["POST"])
def set_field(rel: str):  # type: ignore[no-untyped-def]
    item = workspace().report(rel)
    path = edits.parse_path(request.form.get("path", ""))
    new = edits.set_text(_text(item), path, request.form.get("value", ""))
    return _saved(item, new, "已保存", field_id(path))


@bp.route("/<path:rel>/metric", methods=["POST"])
def set_metric(rel: str):  # type: ignore[no-untyped-def]
    item = workspace().report(rel)
    name = request.form.get("name", "")
    values = {k: request.form[k] for k in ("value", "previous", "unit") if k in request.form}
    text = edits.set_metric(_text(item), name, values)
    return _saved(item, text, f"已保存指标“{name}”", field_id(("metrics", name)))


@bp.route("/<path:rel>/score", methods=["POST"])
def set_score(rel: str):  # type: ignore[no-untyped-def]
    item = workspace().report(rel)
    path, values = None, {}
    for key, value in request.form.items():
        if key.startswith("score:") and key.count(":") == 2:
            _, dotted_path, which = key.split(":")
            if path is not None and edits.parse_path(dotted_path) != path:
                raise WebError("一次只能保存一个指标的分值")
            path, values[which] = edits.parse_path(dotted_path), value
    if path is None:
        raise WebError("缺少要修改的分值")
    text = edits.set_score(_text(item), path, values)
    return _saved(item, text, "已保存分值", field_id(path))


@bp.route("/<path:rel>/item", methods=["POST"])
def item_op(rel: str):  # type: ignore[no-untyped-def]
    item = workspace().report(rel)
    items = edits.parse_path(request.form.get("list", ""))
    try:
        index = int(request.form.get("index", ""))
    except ValueError:
        raise WebError("缺少条目序号") from None
    op, text = request.form.get("op"), _text(item)
    if op == "add":
        new, message = edits.add_item(text, items, index), "已添加条目"
    elif op == "delete":
        new, message = edits.delete_item(text, items, index), "已删除条目（可在历史版本中恢复）"
    elif op in ("up", "down"):
        new, message = edits.move_item(text, items, index, -1 if op == "up" else 1), "已移动条目"
    else:
        raise WebError("不支持的操作")
    workspace().save(item.path, new, request.form.get("version"))
    flash(message, "ok")
    return redirect(url_for("report.page", rel=item.rel) + f"#{field_id(items)}", 303)


@bp.route("/<path:rel>/review", methods=["POST"])
def review(rel: str):  # type: ignore[no-untyped-def]
    item = workspace().report(rel)
    path = edits.parse_path(request.form.get("path", ""))
    new = edits.untag(_text(item), path)
    workspace().save(item.path, new, request.form.get("version"))
    flash("已标记为已核对（删去了“沿用上年”标记）", "ok")
    if request.headers.get("HX-Request"):
        response = make_response("")
        response.headers["HX-Refresh"] = "true"
        return response
    return redirect(url_for("report.page", rel=item.rel) + f"#{field_id(path)}", 303)


@bp.route("/<path:rel>/change", methods=["POST"])
def change(rel: str):  # type: ignore[no-untyped-def]
    """The year-over-year change as the draft words it, for the values being typed."""
    from drafter.facts.derive import change_text
    from drafter.facts.models import Metric

    workspace().report(rel)
    form = request.form
    data = {k: form.get(k, "").strip().replace(",", "") for k in ("value", "previous")}
    data["value"] = data["value"] or form.get("computed", "").strip()  # a ratio's, shown
    try:
        metric = Metric.model_validate({
            "value": data["value"] or None, "previous": data["previous"] or None,
            "unit": request.form.get("unit", "").strip(),
        })  # fmt: skip
        text = change_text(metric) or "（无上年数值）"
    except (ValidationError, ArithmeticError):
        text = "（数值有误）"
    return f'<span class="change">{_escape(text)}</span>'


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


@bp.route("/<path:rel>/scores", methods=["POST"])
def scores(rel: str):  # type: ignore[no-untyped-def]
    """Group sums and the total for the scores being typed (derive.item_score)."""
    from drafter.facts.derive import item_score
    from drafter.facts.models import Score

    item = workspace().report(rel)
    model = page_model(item)
    facts = model["state"].facts
    if facts is None:
        return render_template("_message.html", message="事实文件有错误，无法计算分值",
                               level="error")
    facts = facts.model_copy(deep=True)
    try:
        for key, value in request.form.items():
            if not key.startswith("score:"):
                continue
            _, dotted_path, which = key.split(":")
            target = _walk(facts, edits.parse_path(dotted_path))
            typed = Decimal(edits.number_text(value, "分值")) if value.strip() else None
            old = target.score or Score(max=typed or Decimal(0))
            fields = {"max": old.max, "self": old.self_score, which: typed}
            target.score = Score.model_validate(fields)
    except (WebError, ValidationError, ValueError, LookupError, AttributeError) as exc:
        message = exc.message if isinstance(exc, WebError) else _score_error(exc)
        return render_template("_message.html", message=message, level="error")
    sums: dict[str, tuple[str, str]] = {}
    for index, top in enumerate(facts.achievements.items):
        _sums(top, ("achievements", "items", index), sums, item_score)
    lines = [s for s in (item_score(i) for i in facts.achievements.items) if s is not None]
    from drafter import wording

    full = wording.score(sum((s.max for s in lines), Decimal(0)))
    own = "—" if any(s.self_score is None for s in lines) else wording.score(
        sum((s.self_score for s in lines if s.self_score is not None), Decimal(0)))
    return render_template("_scores.html", sums=sums, full=full, own=own)


def _score_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "分值有误：" + "；".join(str(e["msg"]).removeprefix("Value error, ")
                                      for e in exc.errors())
    return "分值有误，请检查输入"


def _walk(facts: Any, path: tuple) -> Any:  # type: ignore[type-arg]
    node = facts
    for part in path:
        node = node[part] if isinstance(part, int) or isinstance(node, dict) else \
            getattr(node, part)
    return node


def _sums(item: Any, path: tuple, out: dict, item_score: Any) -> None:  # type: ignore[type-arg]
    from drafter import wording

    try:
        line = item_score(item)
    except ValueError:
        line = None
    if line is not None and item.children:
        own = "—" if line.self_score is None else wording.score(line.self_score)
        out[field_id(path)] = (wording.score(line.max), own)
    for index, child in enumerate(item.children):
        _sums(child, (*path, "children", index), out, item_score)


@bp.route("/<path:rel>/history")
def history(rel: str):  # type: ignore[no-untyped-def]
    ws = workspace()
    item = ws.report(rel)
    _, version = ws.read(item.path)
    shown = request.args.get("show")
    text = ws.history_text(item.path, shown) if shown else None
    return render_template("history.html", item=item, entries=ws.history(item.path),
                           version=version, shown=shown, text=text)


@bp.route("/<path:rel>/restore", methods=["POST"])
def restore(rel: str):  # type: ignore[no-untyped-def]
    ws = workspace()
    item = ws.report(rel)
    ws.restore(item.path, request.form.get("name", ""), request.form.get("version"))
    flash("已恢复所选的历史版本（恢复前的内容也已存入历史）", "ok")
    return redirect(url_for("report.page", rel=item.rel), 303)


@bp.route("/<path:rel>/source", methods=["GET", "POST"])
def source(rel: str):  # type: ignore[no-untyped-def]
    """The facts file as text, for what the form fields cannot reach (or a YAML error)."""
    ws = workspace()
    if request.method == "POST":
        typed = request.form.get("text", "").replace("\r\n", "\n")
        try:
            item = ws.report(rel)
            ws.save(item.path, typed, request.form.get("version"))
        except WebError as exc:  # keep what was typed on the page, with the reason
            if exc.status == 403:
                raise
            path = ws.resolve(rel, must_exist=False)  # gone since: still shown, never created
            item = Report(rel, PurePosixPath(rel).parent.as_posix(), path.stem, path)
            # the version the user started from: saving again is refused again, so the
            # change made elsewhere is never overwritten unseen
            return render_template("source.html", item=item, text=typed,
                                   version=request.form.get("version", ""),
                                   error=exc.message), exc.status
        flash("已保存文件（原内容已存入历史版本）", "ok")
        return redirect(url_for("report.page", rel=item.rel), 303)
    item = ws.report(rel)
    text, version = ws.read(item.path)
    return render_template("source.html", item=item, text=text, version=version, error=None)
