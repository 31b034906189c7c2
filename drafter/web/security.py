"""Who may use the page and which requests are genuine.

- CSRF: one random token per session (Flask's signed session cookie, a random secret per
  run); every POST must carry it as the form field `csrf` or the header X-CSRF-Token.
- Password: required when serving beyond loopback; checked by a login form with
  hmac.compare_digest. Without a password the page answers only to a loopback Host header,
  so another web site cannot reach it through DNS rebinding.
"""

from __future__ import annotations

import hmac
import secrets

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from drafter.web.workspace import WebError

bp = Blueprint("auth", __name__)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
OPEN_ENDPOINTS = ("auth.login", "static")


def csrf_token() -> str:
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def _host_name() -> str:
    host = request.host
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if ":" in host else host


def check_request() -> object | None:
    """Run before every request: the Host, the login, the CSRF token of a POST."""
    password = current_app.config.get("DRAFTER_PASSWORD")
    if not password and _host_name() not in LOOPBACK_HOSTS:
        raise WebError("拒绝访问：本页面只接受本机地址（127.0.0.1）的访问", 403)
    if password and not session.get("signed_in") and request.endpoint not in OPEN_ENDPOINTS:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path))
        raise WebError("请先登录：输入管理员设定的密码后再操作", 403)
    if request.method == "POST":
        sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token") or ""
        token = session.get("csrf")
        if not isinstance(token, str) or not hmac.compare_digest(sent.encode(), token.encode()):
            raise WebError(
                "安全校验失败：页面已过期，或请求不是从本页面发出的。请刷新页面后重试", 400
            )
    return None


def add_headers(response):  # type: ignore[no-untyped-def]
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    password = current_app.config.get("DRAFTER_PASSWORD")
    target = request.values.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        target = "/"  # never redirect off this site
    if not password:
        return redirect(target)
    error = None
    if request.method == "POST":
        typed = request.form.get("password", "")
        if hmac.compare_digest(typed.encode(), password.encode()):
            session.clear()
            session["signed_in"] = True
            csrf_token()
            return redirect(target)
        error = "密码不正确，请重新输入（密码由启动本服务的管理员设定）"
    status = 403 if error else 200
    return render_template("login.html", error=error, next=target), status


def install(app: Flask) -> None:
    app.before_request(check_request)
    app.after_request(add_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.register_blueprint(bp)
