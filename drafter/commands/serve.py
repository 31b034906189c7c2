"""`drafter serve`: the folder of facts files as a local web page, in Chinese."""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
from pathlib import Path

from drafter.commands import add_parser
from drafter.errors import DrafterError

DEFAULT_PORT = 8700
PASSWORD_ENV = "DRAFTER_PASSWORD"


class ServeError(DrafterError):
    """The page cannot be served as asked (no folder, no password for a network host …)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "serve", "在浏览器中编辑、检查、预览和生成报告（本机网页）",
        "启动本机网页（默认 http://127.0.0.1:8700）并打开浏览器：列出文件夹中按 <区县>/<年度>.yaml "
        "存放的事实文件，在网页上导入 Word 报告、生成下一年度、逐段修改、检查、预览和下载 Word。"
        "网页和命令行修改的是同一批文件；每次保存前的内容保留在文件夹的 .drafter-history 中。"
        "只在本机访问时无需密码；用 --host 开放给局域网时必须设定密码。",
    )  # fmt: skip
    parser.add_argument("folder", type=Path, nargs="?", default=Path("."), metavar="文件夹",
                        help="存放事实文件的文件夹（默认当前文件夹）")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="端口",
                        help=f"端口（默认 {DEFAULT_PORT}）")
    parser.add_argument("--host", default="127.0.0.1", metavar="地址",
                        help="监听地址（默认 127.0.0.1，只有本机能访问）；其他地址须设定密码")
    parser.add_argument("--password-file", type=Path, metavar="文件",
                        help=f"密码文件（第一行为密码）；也可用环境变量 {PASSWORD_ENV}")
    parser.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def password_of(args: argparse.Namespace) -> str | None:
    if args.password_file is not None:
        try:
            lines = args.password_file.read_text(encoding="utf-8-sig").splitlines()
        except OSError as exc:
            raise ServeError.one(f"无法读取密码文件：{exc.strerror}", args.password_file) from None
        password = lines[0].strip() if lines else ""
        if not password:
            raise ServeError.one("密码文件的第一行是空的", args.password_file)
        return password
    return os.environ.get(PASSWORD_ENV) or None


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not folder.is_dir():
        raise ServeError.one("找不到文件夹（应为存放 <区县>/<年度>.yaml 事实文件的文件夹）", folder)
    if not 0 < args.port < 65536:
        raise ServeError.one(f"端口应在 1 到 65535 之间：{args.port}")
    password = password_of(args)
    if not is_loopback(args.host) and not password:
        raise ServeError.one(
            f"用 --host {args.host} 开放给其他电脑访问时必须设定密码：用 --password-file 指定"
            f"密码文件，或设置环境变量 {PASSWORD_ENV}"
        )
    import webbrowser

    from waitress import create_server

    from drafter.web import create_app

    app = create_app(folder, password=password)
    try:
        server = create_server(app, host=args.host, port=args.port, threads=8)
    except ValueError:  # waitress: the host does not resolve
        raise ServeError.one(f"找不到地址“{args.host}”，请检查 --host") from None
    except OSError as exc:
        why = {errno.EADDRINUSE: "端口已被占用（可能 drafter serve 已在运行），可用 --port 换一个",
               errno.EACCES: "没有权限使用这个端口，可用 --port 换一个大于 1024 的端口",
               errno.EADDRNOTAVAIL: "本机没有这个地址，请检查 --host"}.get(
                   exc.errno or 0, f"系统错误 {exc.errno}")  # fmt: skip
        raise ServeError.one(f"无法在 {args.host}:{args.port} 上启动：{why}") from None
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    url = f"http://{shown}:{server.effective_port}/"  # type: ignore[union-attr]
    print(f"drafter 网页已启动：{url}（文件夹 {folder.resolve()}）", flush=True)
    print("关闭本窗口或按 Ctrl-C 停止。", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    try:
        server.run()
    except KeyboardInterrupt:
        print("已停止。")
    return 0
