"""`drafter serve`: the writer's page, a thin view over the same pipeline and facts files.

create_app(folder) builds the Flask app; drafter/commands/serve.py runs it under waitress.
Routes: home.py (folder, import, roll, batch), report.py (the editor), word.py (preview,
Word download, Word edits back), security.py (login, CSRF); workspace.py (safe paths,
versions, history), state.py + views.py (what a page shows), edits.py (round-trip edits).
static/htmx.min.js is htmx 2.0.11 as the npm package htmx.org ships it (`npm pack`, dist/;
its 0BSD licence beside it); static/app.js is our own small script.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from drafter.errors import DrafterError
from drafter.web.workspace import WebError, Workspace

MAX_UPLOAD = 20 * 1024 * 1024  # a report is well under 20 MB; read_source stops at 50
_HTTP_WORDS = {
    400: "请求有误，请返回后重试",
    403: "拒绝访问",
    404: "找不到这个页面或文件",
    405: "不支持这种操作方式，请通过页面上的按钮操作",
    413: f"上传的文件太大（上限 {MAX_UPLOAD // 1024 // 1024} MB），不像是一份自评报告",
}


def create_app(folder: Path, password: str | None = None, secret: str | None = None) -> Flask:
    from drafter.web import home, report, security, word

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret or secrets.token_hex(32),  # new each run: sessions end with it
        MAX_CONTENT_LENGTH=MAX_UPLOAD,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        DRAFTER_PASSWORD=password or None,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.extensions["drafter_workspace"] = Workspace(folder)
    security.install(app)
    app.register_blueprint(home.bp)
    app.register_blueprint(report.bp)
    app.register_blueprint(word.bp)

    @app.errorhandler(WebError)
    def web_error(exc: WebError):  # type: ignore[no-untyped-def]
        return refusal(exc.message, exc.status)

    @app.errorhandler(DrafterError)
    def drafter_error(exc: DrafterError):  # type: ignore[no-untyped-def]
        from drafter.web.state import problems_text

        return refusal("；".join(problems_text(exc, workspace().root)), 400)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        code = exc.code or 500
        return refusal(_HTTP_WORDS.get(code, "请求无法完成"), code)

    @app.errorhandler(Exception)
    def internal(exc: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("internal error")
        return refusal(f"程序内部错误（请把这句话报告给维护人员）：{type(exc).__name__}", 500)

    return app


def workspace() -> Workspace:
    from flask import current_app

    return current_app.extensions["drafter_workspace"]


def refusal(message: str, status: int):  # type: ignore[no-untyped-def]
    """A Chinese message: into the page's message bar for htmx, else a page of its own."""
    if request.headers.get("HX-Request"):
        response = make_response(render_template("_message.html", message=message,
                                                 level="error"), status)
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return render_template("error.html", message=message, status=status), status
