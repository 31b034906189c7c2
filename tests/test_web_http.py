"""`drafter serve` at the HTTP level: every route, and every refusal (Flask's test client)."""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("flask")

from drafter.web import create_app
from drafter.web.workspace import HISTORY, version_of
from drafter.word.breaks import JOINERS

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
JIANGBEI = "jiangbei/2022.yaml"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "报告"
    shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns("*.md"))
    return root


@pytest.fixture
def client(folder: Path):  # type: ignore[no-untyped-def]
    return create_app(folder).test_client()


def csrf(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def version(folder: Path, rel: str = JIANGBEI) -> str:
    return version_of((folder / rel).read_bytes())


def post(client, url: str, folder: Path, rel: str = JIANGBEI, **data):  # type: ignore[no-untyped-def]
    data.setdefault("csrf", csrf(client))
    data.setdefault("version", version(folder, rel))
    return client.post(url, data=data)


def visible(paragraphs) -> str:  # type: ignore[no-untyped-def]
    """A .docx's text as a reader sees it (zero-width joiners that keep numbers together
    on a line are not characters a reader sees)."""
    return "\n".join(p.text for p in paragraphs).translate(JOINERS)


def test_home_lists_every_report_with_its_state(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    for name in ("江北区", "东丽区", "双台子区", "吴兴区"):
        assert name in html
    assert "导入 Word 报告" in html and "批量生成" in html and "生成下一年度" in html


def test_report_page_numbers_its_outline_as_the_draft(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/r/{JIANGBEI}").get_data(as_text=True)
    assert "一、主要做法和成效" in html
    assert "（一）主要做法" in html and "1.加强党对教育工作全面领导" in html
    assert "一般公共预算教育经费" in html and "增长12.75%" in html  # the change as drafted


@pytest.mark.parametrize("rel", ["jiangbei/2022.yaml", "dongli/2020.yaml",
                                 "shuangtaizi/2023.yaml", "wuxing/2019.yaml"])
def test_outline_and_findings_link_to_fields_on_the_page(client, rel: str) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/r/{rel}").get_data(as_text=True)
    ids = set(re.findall(r' id="([^"]+)"', html))
    outline = html[html.index('class="outline"'):html.index('id="editor"')]
    links = re.findall(r'href="#([^"]*)"', outline) + re.findall(
        r'href="#([^"]*)"', html[html.index('id="findings"'):])
    assert len(links) > 10
    assert [link for link in links if link not in ids] == []


def test_save_round_trip_keeps_comments_and_history(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    before = (folder / JIANGBEI).read_text(encoding="utf-8")
    path = "achievements.items.0.children.0.title"
    response = post(client, f"/r/{JIANGBEI}/set", folder, path=path, value="加强党的全面领导")
    assert response.status_code == 303
    after = (folder / JIANGBEI).read_text(encoding="utf-8")
    assert "- title: 加强党的全面领导" in after
    comments = [line for line in before.splitlines() if line.strip().startswith("#")]
    assert comments and all(line in after.splitlines() for line in comments)
    kept = list((folder / HISTORY / JIANGBEI).iterdir())
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == before
    text = client.get(f"/r/{JIANGBEI}/preview/text").get_data(as_text=True)
    assert "加强党的全面领导" in text


def test_htmx_save_answers_with_the_new_version(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    token = csrf(client)
    response = client.post(
        f"/r/{JIANGBEI}/metric", headers={"HX-Request": "true"},
        data={"csrf": token, "version": version(folder), "name": "学前三年毛入园率",
              "value": "125.3", "previous": "", "unit": "%"},
    )  # fmt: skip
    assert response.status_code == 200
    assert version(folder) in response.headers["HX-Trigger"]
    text = (folder / JIANGBEI).read_text("utf-8")
    assert "  学前三年毛入园率: 125.3%\n" in text  # the short form stays short
    response = post(client, f"/r/{JIANGBEI}/metric", folder, name="学前三年毛入园率",
                    value="125.3", previous="120", unit="%")
    assert response.status_code == 303
    assert "学前三年毛入园率: {value: 125.3, unit: '%', previous: 120}" in \
        (folder / JIANGBEI).read_text("utf-8")
    response = post(client, f"/r/{JIANGBEI}/metric", folder, name="学前三年毛入园率",
                    value="很多", previous="120", unit="%")
    assert response.status_code == 400 and "不是数值" in response.get_data(as_text=True)


def test_conflicting_save_is_refused_and_nothing_is_lost(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    seen = version(folder)
    token = csrf(client)
    elsewhere = (folder / JIANGBEI).read_text(encoding="utf-8") + "# 命令行中的修改\n"
    (folder / JIANGBEI).write_text(elsewhere, encoding="utf-8")
    response = client.post(f"/r/{JIANGBEI}/set", headers={"HX-Request": "true"}, data={
        "csrf": token, "version": seen, "path": "closing", "value": "网页中的修改"})
    assert response.status_code == 409
    assert "保存被拒绝" in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#messages"
    assert (folder / JIANGBEI).read_text(encoding="utf-8") == elsewhere


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_post_without_the_csrf_token_is_refused(client, folder: Path, token) -> None:  # type: ignore[no-untyped-def]
    before = (folder / JIANGBEI).read_bytes()
    csrf(client)  # the session has a token; the request does not carry it
    data = {"version": version(folder), "path": "closing", "value": "伪造"}
    if token:
        data["csrf"] = token
    response = client.post(f"/r/{JIANGBEI}/set", data=data)
    assert response.status_code == 400
    assert "安全校验失败" in response.get_data(as_text=True)
    assert (folder / JIANGBEI).read_bytes() == before


def test_paths_outside_the_folder_are_refused(client, folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret" / "2022.yaml"
    secret.parent.mkdir()
    shutil.copy(folder / JIANGBEI, secret)
    (folder / "evil").symlink_to(secret.parent, target_is_directory=True)
    (folder / "jiangbei" / "2021.yaml").symlink_to(secret)
    for url in ("/r/../secret/2022.yaml", "/r/%2e%2e/secret/2022.yaml", f"/r/{secret}",
                "/r/evil/2022.yaml", "/r/jiangbei/2021.yaml", "/r/jiangbei/..%2f..%2fsecret",
                f"/r/{HISTORY}/{JIANGBEI}"):
        response = client.get(url, follow_redirects=True)  # //tmp/… is merged to /tmp/…
        assert response.status_code in (403, 404), url
        assert "Traceback" not in response.get_data(as_text=True)
    assert client.get("/r/evil/2022.yaml").status_code == 403
    from drafter.web.workspace import WebError, Workspace

    for rel in (str(secret), "../secret/2022.yaml", "evil/2022.yaml", "jiangbei/2021.yaml"):
        with pytest.raises(WebError) as refused:
            Workspace(folder).resolve(rel)
        assert refused.value.status == 403
    response = post(client, "/r/evil/2022.yaml/set", folder, path="closing", value="x")
    assert response.status_code == 403
    assert "/evil/" not in client.get("/").get_data(as_text=True)


def test_uploads_are_limited_in_size_and_type(client) -> None:  # type: ignore[no-untyped-def]
    token = csrf(client)
    big = io.BytesIO(b"0" * (21 * 1024 * 1024))
    response = client.post("/import", data={"csrf": token, "file": (big, "大.docx")})
    assert response.status_code == 413 and "太大" in response.get_data(as_text=True)
    response = client.post("/import", data={"csrf": token, "file": (io.BytesIO(b"MZ"), "a.exe")})
    assert response.status_code == 415
    fake = io.BytesIO(b"%PDF-1.7 not a report")
    response = client.post("/import", data={"csrf": token, "file": (fake, "报告.docx")})
    assert response.status_code == 400 and "PDF" in response.get_data(as_text=True)


def test_password_is_checked_off_loopback(folder: Path) -> None:
    client = create_app(folder, password="正确的密码").test_client()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    wrong = client.post("/login", data={"csrf": token, "password": "猜的", "next": "/"})
    assert wrong.status_code == 403 and "密码不正确" in wrong.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert client.post("/roll", data={"csrf": token, "rel": JIANGBEI}).status_code == 403
    right = client.post("/login", data={"csrf": token, "password": "正确的密码", "next": "/"})
    assert right.status_code == 302
    assert "江北区" in client.get("/").get_data(as_text=True)


def test_without_password_only_a_loopback_host_is_served(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/", base_url="http://127.0.0.1:8700").status_code == 200
    response = client.get("/", base_url="http://evil.example:8700")
    assert response.status_code == 403 and "本机" in response.get_data(as_text=True)


def test_serve_refuses_a_network_host_without_password(folder: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import argparse

    from drafter.commands import NAMES, serve
    from drafter.errors import DrafterError

    assert "serve" in NAMES
    monkeypatch.delenv(serve.PASSWORD_ENV, raising=False)
    args = argparse.Namespace(folder=folder, port=8700, host="0.0.0.0", password_file=None,
                              no_browser=True)
    with pytest.raises(DrafterError, match="必须设定密码"):
        serve.run(args)
    assert serve.is_loopback("127.0.0.1") and serve.is_loopback("::1")
    assert not serve.is_loopback("192.168.1.5")


def test_change_and_scores_are_recomputed_by_the_same_code(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    token = csrf(client)
    response = client.post(f"/r/{JIANGBEI}/change", data={
        "csrf": token, "value": "40", "previous": "28.67", "unit": "%"})
    assert "上升11.33个百分点" in response.get_data(as_text=True)
    response = client.post(f"/r/{JIANGBEI}/change", data={
        "csrf": token, "value": "15.67", "previous": "13.898", "unit": "亿元"})
    assert "增长12.75%" in response.get_data(as_text=True)
    rel = "shuangtaizi/2023.yaml"
    page = client.get(f"/r/{rel}").get_data(as_text=True)
    fields = dict(re.findall(r'name="(score:[^"]+)" value="([^"]*)"', page))
    assert fields
    key = next(k for k in fields if k.endswith(":self"))
    fields[key] = str(float(fields[key]) - 1)
    response = client.post(f"/r/{rel}/scores", data={"csrf": token, **fields})
    assert "自评 97.6 分" in response.get_data(as_text=True)  # 98.6 in the sample
    fields[key] = "999"
    response = client.post(f"/r/{rel}/scores", data={"csrf": token, **fields})
    assert "高于分值" in response.get_data(as_text=True)


def test_score_save_round_trip(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    rel = "shuangtaizi/2023.yaml"
    page = client.get(f"/r/{rel}").get_data(as_text=True)
    assert "自评 98.6 分" in page
    key, value = re.search(r'name="(score:[^"]+:self)" value="([^"]*)"', page).groups()
    response = post(client, f"/r/{rel}/score", folder, rel, **{key: "0.5"})
    assert response.status_code == 303
    total = 98.6 - float(value) + 0.5
    assert f"自评 {total:g} 分" in client.get(f"/r/{rel}").get_data(as_text=True)
    assert "self: 0.5" in (folder / rel).read_text("utf-8")


def test_mark_reviewed_removes_the_stale_tag(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    from drafter.roll import roll_file

    roll_file(folder / JIANGBEI)
    rel = "jiangbei/2023.yaml"
    assert "!stale 重庆市人民政府教育督导委员会" in (folder / rel).read_text("utf-8")
    response = post(client, f"/r/{rel}/review", folder, rel, path="notice.issuer")
    assert response.status_code == 303
    text = (folder / rel).read_text("utf-8")
    assert "issuer: 重庆市人民政府教育督导委员会" in text and "# drafter roll" in text
    response = post(client, f"/r/{rel}/review", folder, rel, path="notice.issuer")
    assert response.status_code == 400 and "没有“沿用上年”标记" in response.get_data(as_text=True)


def test_items_are_added_moved_and_deleted(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    items = "achievements.items.0.children"
    post(client, f"/r/{JIANGBEI}/item", folder, op="down", list=items, index="0")
    text = (folder / JIANGBEI).read_text("utf-8")
    assert text.index("全力保障教育优先优质发展") < text.index("加强党对教育工作全面领导")
    post(client, f"/r/{JIANGBEI}/item", folder, op="add", list=items, index="0")
    assert "- title: 新条目" in (folder / JIANGBEI).read_text("utf-8")
    post(client, f"/r/{JIANGBEI}/item", folder, op="delete", list=items, index="1")
    assert "新条目" not in (folder / JIANGBEI).read_text("utf-8")
    html = client.get(f"/r/{JIANGBEI}/preview/text").get_data(as_text=True)
    assert "1.全力保障教育优先优质发展" in html
    response = post(client, f"/r/{JIANGBEI}/item", folder, op="up", list=items, index="0")
    assert response.status_code == 400


def test_history_lists_and_restores(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    original = (folder / JIANGBEI).read_text("utf-8")
    post(client, f"/r/{JIANGBEI}/set", folder, path="closing", value="新的结束语。")
    response = post(client, f"/r/{JIANGBEI}/set", folder, path="notice", value="不是一段文字")
    assert response.status_code == 400 and "notice:\n  issuer:" in \
        (folder / JIANGBEI).read_text("utf-8")  # a mapping is never replaced by text
    html = client.get(f"/r/{JIANGBEI}/history").get_data(as_text=True)
    name = re.search(r'name="name" value="([^"]+)"', html).group(1)
    assert "江北区" in client.get(f"/r/{JIANGBEI}/history?show={name}").get_data(as_text=True)
    assert client.get(f"/r/{JIANGBEI}/history?show=../../x").status_code == 404
    post(client, f"/r/{JIANGBEI}/restore", folder, name=name)
    assert (folder / JIANGBEI).read_text("utf-8") == original
    assert len(list((folder / HISTORY / JIANGBEI).iterdir())) == 2


def test_preview_and_word_download(client) -> None:  # type: ignore[no-untyped-def]
    import docx

    html = client.get(f"/r/{JIANGBEI}/preview").get_data(as_text=True)
    assert "— 1 —" in html and "下载 Word 文档" in html and "（一）主要做法" in html
    response = client.get(f"/r/{JIANGBEI}/docx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert "%E6%B1%9F%E5%8C%97%E5%8C%BA2022" in response.headers["Content-Disposition"]  # 江北区
    text = visible(docx.Document(io.BytesIO(response.data)).paragraphs)
    assert "学前三年教育毛入园率达124.6%" in text
    assert client.get(f"/r/{JIANGBEI}/page/{'0' * 20}/1.png").status_code == 404


def test_word_edits_are_planned_then_applied(client, folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import docx

    from drafter.pipeline import draft_to_file

    drafted = tmp_path / "稿.docx"
    draft_to_file(folder / JIANGBEI, drafted)
    document = docx.Document(drafted)
    paragraph = next(p for p in document.paragraphs if "10万余人次师生" in visible([p]))
    paragraph.text = visible([paragraph]).replace("10万余人次师生", "12万余人次师生")
    document.save(drafted)
    token = csrf(client)
    response = client.post(f"/r/{JIANGBEI}/merge",
                           data={"csrf": token, "file": (drafted.open("rb"), "稿.docx")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "将要写回的修改" in html
    assert "12万余人次" not in (folder / JIANGBEI).read_text("utf-8")  # nothing written yet
    plan = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post(f"/r/{JIANGBEI}/merge/apply", data={"csrf": token, "token": plan})
    assert response.status_code == 303
    assert "12万余人次师生" in (folder / JIANGBEI).read_text("utf-8")
    again = client.post(f"/r/{JIANGBEI}/merge/apply", data={"csrf": token, "token": plan})
    assert again.status_code == 409


def test_import_puts_the_report_at_district_and_year(tmp_path: Path) -> None:
    from drafter.pipeline import draft_to_file

    source = tmp_path / "江北区2022年自评报告.docx"
    draft_to_file(SAMPLES / JIANGBEI, source)
    root = tmp_path / "空文件夹"
    root.mkdir()
    client = create_app(root).test_client()
    assert "还没有事实文件" in client.get("/").get_data(as_text=True)
    token = csrf(client)
    upload = {"csrf": token, "file": (source.open("rb"), source.name)}
    response = client.post("/import", data=upload)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/r/%E6%B1%9F%E5%8C%97%E5%8C%BA/2022.yaml")
    assert (root / "江北区" / "2022.yaml").is_file()
    again = client.post("/import", data={"csrf": token, "file": (source.open("rb"), source.name)})
    assert again.status_code == 409 and "已存在" in again.get_data(as_text=True)


def test_import_joins_the_districts_own_folder(client, folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from drafter.pipeline import draft_to_file

    source = tmp_path / "江北区2022年自评报告.docx"
    draft_to_file(folder / JIANGBEI, source)
    (folder / JIANGBEI).rename(folder / "jiangbei" / "2021.yaml")  # another year is there
    upload = {"csrf": csrf(client), "file": (source.open("rb"), source.name)}
    assert client.post("/import", data=upload).status_code == 303
    assert (folder / JIANGBEI).is_file() and not (folder / "江北区").exists()


def test_roll_and_batch(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    token = csrf(client)
    response = client.post("/roll", data={"csrf": token, "rel": JIANGBEI})
    assert response.status_code == 303 and (folder / "jiangbei" / "2023.yaml").is_file()
    again = client.post("/roll", data={"csrf": token, "rel": JIANGBEI})
    assert again.status_code == 409 and "从不覆盖" in again.get_data(as_text=True)
    assert client.post("/batch", data={"csrf": token}).status_code == 303
    deadline = time.monotonic() + 60
    while "已完成" not in client.get("/batch/status").get_data(as_text=True):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert (folder / "jiangbei" / "2022.docx").is_file()
    assert (folder / "wuxing" / "2019.docx").is_file()
    assert "5/5" in client.get("/batch").get_data(as_text=True)


def test_a_broken_facts_file_is_shown_not_crashed(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    (folder / "broken").mkdir()
    (folder / "broken" / "2022.yaml").write_text("district: [未闭合\n", encoding="utf-8")
    assert client.get("/").status_code == 200
    html = client.get("/r/broken/2022.yaml").get_data(as_text=True)
    assert "事实文件有错误" in html and "Traceback" not in html
    response = client.get("/没有这个页面")
    assert response.status_code == 404 and "找不到" in response.get_data(as_text=True)


def test_libreoffice_page_images(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    from drafter.preview import SOFFICE_NAMES

    if not any(shutil.which(name) for name in SOFFICE_NAMES) or not shutil.which("pdftoppm"):
        pytest.skip("没有 LibreOffice 或 pdftoppm：以 root 运行 bash .ci/install-render-deps.sh")
    response = client.post(f"/r/{JIANGBEI}/render", data={"csrf": csrf(client)})
    assert response.status_code == 303
    html = client.get(f"/r/{JIANGBEI}/preview").get_data(as_text=True)
    images = re.findall(r'<img src="([^"]+\.png)"', html)
    assert len(images) >= 3
    image = client.get(images[0])
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")


def test_drafter_serve_starts_and_answers(folder: Path) -> None:
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "drafter.cli", "serve", str(folder), "--port", str(port),
               "--no-browser"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    page = answer.read().decode("utf-8")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr
                time.sleep(0.2)
        assert "江北区" in page and "导入 Word 报告" in page
    finally:
        server.terminate()
        server.wait(10)
    assert "drafter 网页已启动" in server.stdout.read()


def test_the_file_itself_can_be_edited_as_text(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    (folder / "broken").mkdir()
    broken = folder / "broken" / "2022.yaml"
    broken.write_text("district: [未闭合\n", encoding="utf-8")
    page = client.get("/r/broken/2022.yaml/source").get_data(as_text=True)
    assert "district: [未闭合" in page
    fixed = (folder / JIANGBEI).read_text("utf-8").replace("district: 江北区", "district: 修好区")
    seen = version(folder, "broken/2022.yaml")
    response = post(client, "/r/broken/2022.yaml/source", folder, "broken/2022.yaml", text=fixed)
    assert response.status_code == 303 and broken.read_text("utf-8") == fixed
    assert "修好区" in client.get("/").get_data(as_text=True)
    response = post(client, "/r/broken/2022.yaml/source", folder, "broken/2022.yaml",
                    text="district: 又改了\n", version=seen)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "保存被拒绝" in html and "district: 又改了" in html  # what was typed stays
    assert broken.read_text("utf-8") == fixed


def test_password_from_file_or_environment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import argparse

    from drafter.commands import serve
    from drafter.errors import DrafterError

    secret = tmp_path / "密码.txt"
    secret.write_text("局里的密码\n第二行不算\n", encoding="utf-8")
    args = argparse.Namespace(password_file=secret)
    assert serve.password_of(args) == "局里的密码"
    secret.write_text("\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="第一行是空的"):
        serve.password_of(args)
    monkeypatch.setenv(serve.PASSWORD_ENV, "环境变量密码")
    assert serve.password_of(argparse.Namespace(password_file=None)) == "环境变量密码"


def test_a_measures_points_are_edited_one_a_line(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    rel = "dongli/2020.yaml"
    path = "problems.items.1.measure.points.points"
    page = client.get(f"/r/{rel}").get_data(as_text=True)
    assert f'data-path="{path}"' in page
    value = "足额安排基本支出经费。\n新增的一条措施。\n足额安排项目支出经费。"
    assert post(client, f"/r/{rel}/set", folder, rel, path=path, value=value).status_code == 303
    text = (folder / rel).read_text("utf-8")
    assert "        - 新增的一条措施。\n" in text and "加大教育资源建设力度" not in text
    drafted = client.get(f"/r/{rel}/preview/text").get_data(as_text=True)
    assert "新增的一条措施" in drafted


def test_reviewing_scores_and_folded_prose_keeps_their_form(client, folder: Path) -> None:  # type: ignore[no-untyped-def]
    from drafter.roll import roll_file

    roll_file(folder / "shuangtaizi" / "2023.yaml")
    rel = "shuangtaizi/2024.yaml"
    before = (folder / rel).read_text("utf-8")
    page = client.get(f"/r/{rel}").get_data(as_text=True)
    score = re.search(r'name="path" value="(achievements[.\w]*\.score)"', page).group(1)
    assert post(client, f"/r/{rel}/review", folder, rel, path=score).status_code == 303
    after = (folder / rel).read_text("utf-8")
    assert after.count("!stale") == before.count("!stale") - 1
    tagged = before.count("score: !stale {max:")
    assert tagged > 1 and after.count("score: !stale {max:") == tagged - 1
    assert after.count("score: {max:") == 1  # the same flow mapping, untagged
    folded = [p for p in re.findall(r'name="path" value="([^"]+)"', page) if p.endswith(".text")]
    for path in folded[:1]:
        post(client, f"/r/{rel}/review", folder, rel, path=path)
    final = (folder / rel).read_text("utf-8")
    assert final.count("!stale") == before.count("!stale") - 1 - len(folded[:1])
    assert final.count(">-") == before.count(">-")  # folded blocks stay folded


def test_serve_explains_a_busy_port_in_chinese(folder: Path) -> None:
    import argparse
    import socket

    from drafter.commands import serve
    from drafter.errors import DrafterError

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        args = argparse.Namespace(folder=folder, port=busy.getsockname()[1], host="127.0.0.1",
                                  password_file=None, no_browser=True)
        with pytest.raises(DrafterError, match="端口已被占用"):
            serve.run(args)
