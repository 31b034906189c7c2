"""A hostile template used through `drafter serve`: every limit of the sandbox holds although
waitress answers in worker threads (the page drafts in a bounded child process), the page
says what went wrong in Chinese, with file and line, within the time limit, and the server
goes on serving. Over real HTTP, against waitress, as a user's browser would reach it."""

from __future__ import annotations

import http.client
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("flask")
pytest.importorskip("waitress")

from drafter import sandbox, templating, workers
from drafter.errors import TemplateError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SECONDS = 2.0  # the render limit in these tests (10 s in real use)
LOOP = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
HOSTILE = {
    "nested-loops": (LOOP, "超过 2 秒"),
    "huge-repeat": ("特此报告。\n{{ 'x' * 10**9 }}", "重复得到的文字或列表太长"),
    "lipsum": ("{{ lipsum(10**6) }}", "lipsum 的段数或字数过多"),
    "huge-format": ("{{ '%999999999d'|format(1) }}", "格式宽度或精度过大"),
    "huge-str-format": ("{{ '{:999999999}'.format(1) }}", "格式宽度或精度过大"),
    "memory": ("{% set ns = namespace(l=[]) %}{% for i in range(99999) %}"
               "{% set _ = ns.l.append('x' * 999999) %}{% endfor %}", "模板占用内存过多"),
    "output": ("{% for i in range(99999) %}{{ 'x' * 999999 }}{% endfor %}", "模板占用内存过多"),
}  # fmt: skip


@pytest.fixture
def served(tmp_path: Path, monkeypatch) -> Iterator[tuple[int, Path]]:  # type: ignore[no-untyped-def]
    from waitress import create_server

    from drafter.web import create_app

    monkeypatch.setattr(sandbox, "RENDER_SECONDS", SECONDS)  # the children inherit it
    root = tmp_path / "报告"
    for name in ("jiangbei", "dongli"):
        shutil.copytree(SAMPLES / name, root / name, ignore=shutil.ignore_patterns("*.md"))
    (root / "jiangbei" / "drafter.yaml").write_text("templates: tpl\n", encoding="utf-8")
    (root / "jiangbei" / "tpl").mkdir()
    server = create_server(create_app(root), host="127.0.0.1", port=0, threads=4,
                           asyncore_use_poll=True)  # closing it mid-select is no error
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port, root  # type: ignore[union-attr]
    server.close()
    server.task_dispatcher.shutdown()  # its threads end too: a fork of this process stays small
    thread.join(5)


def get(port: int, path: str) -> tuple[int, str, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    return response.status, body, time.monotonic() - started


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_template_is_an_error_on_the_page(served, case: str) -> None:  # type: ignore[no-untyped-def]
    port, root = served
    template, words = HOSTILE[case]
    (root / "jiangbei" / "tpl" / "closing.j2").write_text(template, encoding="utf-8")
    status, html, took = get(port, "/r/jiangbei/2022.yaml")
    assert status == 200 and took < SECONDS + 3, (status, took)
    line = 2 if case == "huge-repeat" else 1
    assert f"jiangbei/tpl/closing.j2 第{line}行" in html and words in html
    assert "事实文件有错误" in html and "Traceback" not in html
    status, text, took = get(port, "/r/jiangbei/2022.yaml/preview/text")
    assert status == 400 and took < SECONDS + 3 and words in text
    status, _, took = get(port, "/r/jiangbei/2022.yaml/docx")
    assert status == 400 and took < SECONDS + 3
    status, html, _ = get(port, "/r/dongli/2020.yaml")  # the server goes on serving
    assert status == 200 and "事实文件有错误" not in html
    assert get(port, "/")[0] == 200


def test_the_server_answers_while_a_template_loops(served) -> None:  # type: ignore[no-untyped-def]
    port, root = served
    (root / "jiangbei" / "tpl" / "closing.j2").write_text(LOOP, encoding="utf-8")
    looping = threading.Thread(target=get, args=(port, "/r/jiangbei/2022.yaml"))
    looping.start()
    time.sleep(0.5)
    status, _, took = get(port, "/static/app.css")
    assert status == 200 and took < 1.0
    looping.join(SECONDS + 5)
    assert not looping.is_alive()
    (root / "jiangbei" / "tpl" / "closing.j2").write_text("特此报告。\n", encoding="utf-8")
    (root / "jiangbei" / "2022.yaml").write_text(
        (root / "jiangbei" / "2022.yaml").read_text("utf-8") + "# 新版本\n", encoding="utf-8")
    status, html, _ = get(port, "/r/jiangbei/2022.yaml")
    assert status == 200 and "事实文件有错误" not in html  # fixed, drafted again at once


# --- the pieces: the sandbox in a thread, the child process ------------------------------------


def test_a_render_in_a_thread_has_the_time_limit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 1.0)
    env = templating.make_environment()
    template = env.from_string(LOOP)
    outcome: list[object] = []

    def render() -> None:
        started = time.monotonic()
        try:
            templating.render(template, {}, name="loop.j2")
        except TemplateError as exc:
            outcome.append((str(exc), time.monotonic() - started))
        time.sleep(1.2)  # no limit raised again once the render is over
        outcome.append(templating.render(env.from_string("{{ 1 + 1 }}"), {}, name="ok.j2"))

    thread = threading.Thread(target=render)
    thread.start()
    thread.join(10)
    message, took = outcome[0]  # type: ignore[misc]
    assert "模板运行超过 1 秒" in message and took < 2.0
    assert outcome[1] == "2"


def test_a_budget_is_shared_by_the_renders_of_a_job(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    env = templating.make_environment()
    with sandbox.budget(0.5):
        started = time.monotonic()
        with pytest.raises(TemplateError, match=r"起草用时超过 0\.5 秒"):
            templating.render(env.from_string(LOOP), {}, name="a.j2")
        with pytest.raises(TemplateError, match=r"起草用时超过 0\.5 秒"):
            templating.render(env.from_string(LOOP), {}, name="b.j2")  # a moment only
        assert time.monotonic() - started < 0.5 + sandbox.AFTER_BUDGET + 0.5
        assert templating.render(env.from_string("好"), {}, name="c.j2") == "好"


def _crash() -> None:
    os._exit(3)


def _allocate() -> int:
    return len(bytearray(2 * 1024**3))


def test_run_once_answers_raises_and_stops() -> None:
    assert workers.run_once(sum, [1, 2, 3], timeout=5, memory=1024**3) == 6
    with pytest.raises(ZeroDivisionError):
        workers.run_once(divmod, 1, 0, timeout=5, memory=1024**3)
    started = time.monotonic()
    with pytest.raises(workers.WorkerFailed) as failed:
        workers.run_once(time.sleep, 30, timeout=0.5, memory=1024**3)
    assert failed.value.timed_out and time.monotonic() - started < 2.5
    with pytest.raises(workers.WorkerFailed) as failed:
        workers.run_once(_crash, timeout=5, memory=1024**3)
    assert not failed.value.timed_out
    with pytest.raises(MemoryError):  # its address space is capped, the server's is not
        workers.run_once(_allocate, timeout=5, memory=256 * 1024**2)
    assert len(bytearray(300 * 1024**2)) > 0


def test_a_job_over_its_time_is_a_chinese_refusal(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from drafter.web import state
    from drafter.web.workspace import WebError

    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.5)
    monkeypatch.setattr(state, "_GRACE", 0.5)
    with pytest.raises(WebError, match=r"起草超过 0\.5 秒仍未完成，已停止") as refused:
        state.bounded(time.sleep, 30)
    assert refused.value.status == 400
    with pytest.raises(WebError, match="意外退出"):
        state.bounded(_crash)
