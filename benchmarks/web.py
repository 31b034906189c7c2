"""`drafter serve`: how long an edit takes to show in the preview, and the page's first load.

Over real HTTP (waitress on a free loopback port, as `drafter serve` runs), on a copy of
samples/jiangbei/2022.yaml:
- first load: the report page of a freshly started server (draft, check, outline), then
  the home page and the preview;
- edit → refreshed preview text: one metric saved (the POST the page sends when a field is
  left) followed by the preview fragment the page then fetches, warm, median and 90th
  percentile of 30 edits. Target: under 150 ms.

    .venv/bin/python benchmarks/web.py
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TARGET_MS = 150
REL = "jiangbei/2022.yaml"
METRIC = "一般公共预算教育经费"


class Client:
    """One keep-alive connection with the session cookie, as a browser tab has."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(form) if form else None
        sent = {"Cookie": self.cookie, **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, urllib.parse.quote(path, safe="/?=&"), body, sent)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, text


def timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    from waitress import create_server

    from drafter.web import create_app

    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "samples" / "jiangbei", root / "jiangbei")
        server = create_server(create_app(root), host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=server.run, daemon=True).start()
        client = Client(server.effective_port)  # type: ignore[union-attr]

        page: dict[str, str] = {}

        def first() -> None:
            status, page["html"] = client.request("GET", f"/r/{REL}")
            assert status == 200, status

        first_ms = timed(first)
        home_ms = timed(lambda: client.request("GET", "/"))
        preview_ms = timed(lambda: client.request("GET", f"/r/{REL}/preview"))
        html = page["html"]
        csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        version = re.search(r'class="version" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]

        def edit(value: str) -> None:
            nonlocal version
            status, _ = client.request(
                "POST", f"/r/{REL}/metric",
                {"csrf": csrf, "version": version, "name": METRIC, "value": value},
                {"HX-Request": "true"},
            )  # fmt: skip
            assert status == 200, status
            version = _version(root / REL)
            status, text = client.request("GET", f"/r/{REL}/preview/text")
            assert status == 200 and f"{value}亿元" in text, "the preview did not show the edit"

        for warm in range(3):
            edit(f"16.{warm}")
        times = sorted(timed(lambda v=v: edit(f"17.{v:02d}")) for v in range(30))
        client.connection.close()  # before the server, so no reply is left in flight
        time.sleep(0.1)
        server.close()

    median = statistics.median(times)
    p90 = times[int(len(times) * 0.9) - 1]
    print(f"第一次打开报告页（新启动的服务，起草+检查+目录）：{first_ms:.0f} ms")
    print(f"首页：{home_ms:.0f} ms；预览页：{preview_ms:.0f} ms")
    print(f"修改一个指标 → 刷新的预览文字（热，30 次）：中位数 {median:.0f} ms，"
          f"90% {p90:.0f} ms，最快 {times[0]:.0f} ms")
    met = p90 < TARGET_MS
    print(f"目标 {TARGET_MS} ms 以内：{'达到' if met else '未达到'}（按 90% 计）")
    load = f"，测量时的平均负载 {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"（本机 {os.cpu_count()} 个 CPU 核心{load}）")
    return 0


def _version(path: Path) -> str:
    from drafter.web.workspace import version_of

    return version_of(path.read_bytes())


if __name__ == "__main__":
    raise SystemExit(main())
