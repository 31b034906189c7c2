"""Every error a user of `drafter serve` can cause is a Chinese message, with the file and line
where there is one, never a traceback or a 500: bad YAML typed in, a facts file deleted under
the page, an upload that is not a Word file, an upload too large. Over real HTTP (waitress)."""

from __future__ import annotations

import http.client
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

pytest.importorskip("flask")
pytest.importorskip("waitress")

from drafter.web.workspace import version_of

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
REL = "jiangbei/2022.yaml"


class Browser:
    """Just enough of a browser: the session cookie, the CSRF token, forms and uploads."""

    def __init__(self, port: int) -> None:
        self.port, self.cookie = port, ""
        self.token = re.search(r'name="csrf" value="([^"]+)"', self.get("/")[1]).group(1)  # type: ignore[union-attr]

    def request(self, method: str, path: str, body: bytes = b"",
                headers: dict[str, str] | None = None) -> tuple[int, str]:  # fmt: skip
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Cookie": self.cookie, **(headers or {})}
        connection.request(method, path, body=body or None, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            morsel = next(iter(SimpleCookie(cookie).values()))
            self.cookie = f"{morsel.key}={morsel.value}"
        connection.close()
        return response.status, text

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def post(self, url: str, htmx: bool = False, **form: str) -> tuple[int, str]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if htmx:
            headers["HX-Request"] = "true"
        body = urlencode({"csrf": self.token, **form}).encode()
        return self.request("POST", url, body, headers)

    def upload(self, path: str, name: str, data: bytes) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                f"{self.token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ).encode() + data + f"\r\n--{boundary}--\r\n".encode()  # fmt: skip
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, body, headers)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Browser, Path]]:
    from waitress import create_server

    from drafter.web import create_app

    root = tmp_path / "报告"
    shutil.copytree(SAMPLES / "jiangbei", root / "jiangbei", ignore=shutil.ignore_patterns("*.md"))
    server = create_server(create_app(root), host="127.0.0.1", port=0, threads=4,
                           asyncore_use_poll=True)  # closing it mid-select is no error
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield Browser(server.effective_port), root  # type: ignore[union-attr]
    server.close()
    server.task_dispatcher.shutdown()  # its threads end too: a fork of this process stays small
    thread.join(5)


def message(html: str) -> str:
    """What the page says went wrong."""
    found = re.findall(r'class="msg msg-error"[^>]*>(.*?)</p>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", f).strip() for f in found)


def clean(status: int, html: str) -> None:
    assert status < 500 and "Traceback" not in html and "Internal Server Error" not in html


def test_bad_yaml_typed_in_is_located_and_edits_say_where(served) -> None:  # type: ignore[no-untyped-def]
    browser, root = served
    facts = root / REL
    typed = facts.read_text("utf-8") + "closing: [特此报告。\n"
    status, _ = browser.post(f"/r/{REL}/source", text=typed, version=version_of(facts.read_bytes()))
    assert status == 303  # the file is the user's: saved as typed, the page says what is wrong
    line = len(typed.splitlines())
    status, html = browser.get(f"/r/{REL}")
    clean(status, html)
    assert "事实文件有错误" in html and f"{REL} 第{line}行：YAML 格式错误" in html
    for htmx in (False, True):
        status, html = browser.post(f"/r/{REL}/set", htmx=htmx, path="closing", value="特此报告。",
                                    version=version_of(facts.read_bytes()))  # fmt: skip
        clean(status, html)
        assert status == 400 and f"网页无法修改这个文件：{REL} 第{line}行：YAML 格式错误" in html
    status, html = browser.post(f"/r/{REL}/metric", name="学前三年毛入园率", value="1",
                                version=version_of(facts.read_bytes()))  # fmt: skip
    assert status == 400 and f"第{line}行" in message(html)
    assert facts.read_text("utf-8") == typed  # nothing written over it


def test_a_file_not_in_utf8_is_not_edited_in_place(served) -> None:  # type: ignore[no-untyped-def]
    browser, root = served
    facts = root / REL
    data = facts.read_bytes().replace("江北区".encode(), "江北区".encode("gbk"), 1)
    facts.write_bytes(data)
    status, html = browser.post(f"/r/{REL}/set", path="closing", value="特此报告。",
                                version=version_of(data))  # fmt: skip
    clean(status, html)
    assert status == 400 and "不是 UTF-8 编码" in message(html)
    assert facts.read_bytes() == data


def test_a_facts_file_deleted_under_the_page(served) -> None:  # type: ignore[no-untyped-def]
    browser, root = served
    facts = root / REL
    version = version_of(facts.read_bytes())
    assert browser.get(f"/r/{REL}")[0] == 200
    facts.unlink()
    for path in ("", "/preview", "/preview/text", "/docx", "/history", "/source", "/findings"):
        status, html = browser.get(f"/r/{REL}{path}")
        clean(status, html)
        assert status == 404 and "找不到这个文件：可能已被移动或删除" in html, path
    status, html = browser.post(f"/r/{REL}/set", htmx=True, path="closing", value="x",
                                version=version)  # fmt: skip
    assert status == 404 and "找不到这个文件" in html
    status, html = browser.post(f"/r/{REL}/source", text="district: 江北区\n", version=version)
    clean(status, html)
    assert status == 404 and "找不到这个文件" in html and "district: 江北区" in html  # kept
    assert not facts.exists()  # never made again from the page
    status, html = browser.post("/roll", rel=REL)
    assert status == 404 and "找不到这个文件" in html
    status, html = browser.get("/")
    clean(status, html)
    assert status == 200


@pytest.mark.parametrize("name, data, status, words", [
    ("报告.exe", b"MZ", 415, "只能上传 .docx、.doc、.wps、.odt、.rtf 或 .txt 文件"),
    ("报告.docx", b"%PDF-1.7 not a report", 400, "报告.docx：PDF 文件不能直接导入"),
    ("报告.docx", b"PK\x03\x04broken", 400, "报告.docx：文件已损坏或不完整"),
    ("报告.txt", b"", 400, "报告.txt：文件中没有文字"),
])  # fmt: skip
def test_an_upload_that_is_not_a_report(served, name: str, data: bytes, status: int,
                                        words: str) -> None:  # type: ignore[no-untyped-def]
    browser, _ = served
    for url in ("/import", f"/r/{REL}/merge"):
        answer, html = browser.upload(url, name, data)
        clean(answer, html)
        assert answer == status and words in message(html), (url, message(html))
        assert "/tmp" not in message(html) and "drafter-" not in message(html)  # not our copy


def test_a_draft_not_of_this_report_is_refused_in_the_pages_words(served) -> None:  # type: ignore[no-untyped-def]
    browser, _ = served
    status, html = browser.upload(f"/r/{REL}/merge", "别的报告.txt", "另一份报告的文字。".encode())
    clean(status, html)
    assert status == 400 and "不是由该事实文件起草的" in html
    assert "--into" not in html and "导入 Word 报告" in message(html)


def test_a_huge_upload_is_refused(served) -> None:  # type: ignore[no-untyped-def]
    browser, _ = served
    for url in ("/import", f"/r/{REL}/merge"):
        status, html = browser.upload(url, "大.docx", b"PK\x03\x04" + b"0" * (21 * 1024 * 1024))
        clean(status, html)
        assert status == 413 and "上传的文件太大（上限 20 MB）" in html
    assert browser.get("/")[0] == 200


def test_odd_requests_are_refused_in_chinese(served) -> None:  # type: ignore[no-untyped-def]
    browser, root = served
    version = version_of((root / REL).read_bytes())
    for form in ({"path": "__class__.x", "value": "1"}, {"path": "a..b", "value": "1"},
                 {"path": "metrics.不存在.value", "value": "1"}, {"path": ""}):
        status, html = browser.post(f"/r/{REL}/set", version=version, **form)
        clean(status, html)
        assert status == 400 and message(html), form
    status, html = browser.post(f"/r/{REL}/scores", **{"score:__class__:max": "1"})
    clean(status, html)
    assert "分值有误" in html or "写法有误" in html
