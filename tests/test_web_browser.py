"""`drafter serve` in a real browser: Debian's Chromium, driven by Playwright's Python package.

The browser is the system one (.ci/install-browser-deps.sh installs it); Playwright never
downloads its own. The server runs under waitress in a thread, on a free loopback port.
DRAFTER_SCREENSHOTS=docs writes the README's screenshots (docs/web-*.png) from all samples.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafter.word.breaks import JOINERS

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SAMPLES = Path(__file__).resolve().parent.parent / "samples"

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright 未安装")
pytest.importorskip("waitress")
if not CHROMIUM.exists():
    WHY = "没有 /usr/bin/chromium：以 root 运行 bash .ci/install-browser-deps.sh"
    if os.environ.get("CI"):  # CI installs it (.ci/run): missing there is a failure
        pytest.fail(WHY, pytrace=False)
    pytest.skip(WHY, allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    from waitress import create_server

    from drafter.web import create_app

    root = tmp_path / "报告"
    for name in ("jiangbei", "shuangtaizi"):
        shutil.copytree(SAMPLES / name, root / name, ignore=shutil.ignore_patterns("*.md"))
    server = create_server(create_app(root), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", root  # type: ignore[union-attr]
    server.close()
    server.task_dispatcher.shutdown()  # its threads end too: a fork of this process stays small
    thread.join(5)


@pytest.fixture
def page(browser, served):  # type: ignore[no-untyped-def]  # closed before the server
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def metric_form(page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f'form[data-metric="{name}"]')


def test_open_edit_a_metric_and_download_the_word_file(page, served) -> None:  # type: ignore[no-untyped-def]
    import docx

    url, root = served
    page.goto(url)
    page.get_by_role("link", name="江北区").first.click()
    page.wait_for_selector("text=1.加强党对教育工作全面领导")
    preview = page.locator("#live-preview")
    playwright_api.expect(preview).to_contain_text("较上年度增长12.75%")  # loaded after the page
    form = metric_form(page, "一般公共预算教育经费")
    value = form.locator('input[name="value"]')
    value.fill("16.5")
    change = form.locator(".change-cell")
    playwright_api.expect(change).to_have_text("增长18.72%")  # recomputed while typing
    value.press("Tab")  # leaving the field saves it
    playwright_api.expect(preview).to_contain_text("较上年度增长18.72%")
    playwright_api.expect(page.locator("#messages")).to_contain_text("已保存")
    assert "value: 16.5" in (root / "jiangbei" / "2022.yaml").read_text("utf-8")

    page.get_by_role("link", name="预览和 Word").first.click()
    page.wait_for_selector("text=— 1 —")
    with page.expect_download() as download:
        page.get_by_text("下载 Word 文档").click()
    data = Path(download.value.path()).read_bytes()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    text = text.translate(JOINERS)  # zero-width: numbers on one line
    assert "16.5亿元" in text and "增长18.72%" in text


def test_mark_a_stale_fact_reviewed(page, served) -> None:  # type: ignore[no-untyped-def]
    from drafter.roll import roll_file

    url, root = served
    roll_file(root / "jiangbei" / "2022.yaml")
    rolled = root / "jiangbei" / "2023.yaml"
    page.goto(f"{url}/r/jiangbei/2023.yaml")
    field = page.locator('form.field[data-path="notice.issuer"]')
    playwright_api.expect(field).to_have_class("field stale")
    wrap = page.locator(".field-wrap", has=field)
    wrap.get_by_role("button", name="标记已核对").click()
    playwright_api.expect(page.locator("#messages")).to_contain_text("已标记为已核对")
    playwright_api.expect(page.locator('form.field[data-path="notice.issuer"]')).to_have_class(
        "field")
    assert "issuer: 重庆市人民政府教育督导委员会" in rolled.read_text("utf-8")


def test_import_a_word_report(page, served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from drafter.pipeline import draft_to_file

    url, root = served
    source = tmp_path / "吴兴区2019年度自评报告.docx"
    draft_to_file(SAMPLES / "wuxing" / "2019.yaml", source)
    page.goto(url)
    page.locator('form[action="/import"] input[type=file]').set_input_files(str(source))
    playwright_api.expect(page.locator(".file-name")).to_have_text(source.name)
    page.get_by_role("button", name="导入 Word 报告").click()
    page.wait_for_selector("text=已导入")
    assert "吴兴区" in page.locator("h1").inner_text()
    assert (root / "吴兴区" / "2019.yaml").is_file()


def test_a_conflicting_save_is_refused_and_the_text_kept(page, served) -> None:  # type: ignore[no-untyped-def]
    url, root = served
    facts = root / "jiangbei" / "2022.yaml"
    page.goto(f"{url}/r/jiangbei/2022.yaml")
    elsewhere = facts.read_text("utf-8") + "# 在命令行中改过\n"
    facts.write_text(elsewhere, encoding="utf-8")  # changed on disk after the page loaded
    title = 'form.field[data-path="achievements.items.0.children.0.title"]'
    box = page.locator(f"{title} input[name=value]")
    box.fill("网页上改的标题")
    box.press("Tab")
    playwright_api.expect(page.locator("#messages")).to_contain_text("保存被拒绝")
    assert box.input_value() == "网页上改的标题"
    assert facts.read_text("utf-8") == elsewhere


@pytest.mark.skipif(not os.environ.get("DRAFTER_SCREENSHOTS"), reason="只在生成截图时运行")
def test_screenshots_for_the_readme(browser) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    from waitress import create_server

    from drafter.roll import roll_file
    from drafter.web import create_app

    out = Path(os.environ["DRAFTER_SCREENSHOTS"])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "报告"
        shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns("*.md"))
        roll_file(root / "jiangbei" / "2022.yaml")
        server = create_server(create_app(root), host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page = context.new_page()
        shots = [("home", "/", None), ("report", "/r/shuangtaizi/2023.yaml", ".item .sum"),
                 ("report-rolled", "/r/jiangbei/2023.yaml", None),
                 ("report-metrics", "/r/jiangbei/2022.yaml", "#metrics h2"),
                 ("preview", "/r/jiangbei/2023.yaml/preview", None)]  # fmt: skip
        for name, path, anchor in shots:
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            if anchor:
                page.locator(anchor).first.evaluate("e => e.scrollIntoView({block: 'start'})")
                page.mouse.wheel(0, -160)  # below the sticky header
                page.wait_for_timeout(200)
            page.screenshot(path=str(out / f"web-{name}.png"))
        context.close()
        server.close()
        server.task_dispatcher.shutdown()  # its threads end too: a fork of this process stays small
        thread.join(5)


def test_quick_successive_edits_are_all_saved(page, served) -> None:  # type: ignore[no-untyped-def]
    url, root = served
    facts = root / "jiangbei" / "2022.yaml"
    page.goto(f"{url}/r/jiangbei/2022.yaml")
    for index, title in enumerate(("第一条新标题", "第二条新标题", "第三条新标题")):
        path = f"achievements.items.0.children.{index}.title"
        box = page.locator(f'form.field[data-path="{path}"] input[name=value]')
        box.fill(title)
        box.press("Tab")  # each save starts before the previous one has answered
    playwright_api.expect(page.locator("#live-preview")).to_contain_text("3.第三条新标题")
    text = facts.read_text("utf-8")
    assert all(t in text for t in ("第一条新标题", "第二条新标题", "第三条新标题"))
    assert "保存被拒绝" not in page.locator("#messages").inner_text()


def test_a_part_the_profile_adds_is_edited_in_place(page, served) -> None:  # type: ignore[no-untyped-def]
    from webparts import REL, make_parts_report

    url, root = served
    facts = make_parts_report(root)
    page.goto(f"{url}/r/{REL}")
    preview = page.locator("#live-preview")
    playwright_api.expect(preview).to_contain_text("二、经验启示")
    heading = page.locator('form.field[data-path="headings.lessons"] input[name=value]')
    heading.fill("经验与启示")
    heading.press("Tab")  # leaving the field saves it
    playwright_api.expect(preview).to_contain_text("二、经验与启示")
    intro = page.locator('form.field[data-path="parts.lessons.text"] textarea')
    intro.fill("五年来，我区积累了以下经验。\n这些经验来之不易。")
    intro.press("Tab")
    playwright_api.expect(preview).to_contain_text("这些经验来之不易。")
    text = facts.read_text("utf-8")
    assert "headings:\n  lessons: 经验与启示\n" in text and "# 第二条沿用上年" in text
    assert "- title: !stale 坚持改革创新" in text
    out = os.environ.get("DRAFTER_SCREENSHOTS")
    if out:  # docs/web-parts.png, drawn afresh (the outline and the card's heading too)
        page.reload()
        playwright_api.expect(preview).to_contain_text("二、经验与启示")
        section = page.locator("section.part", has=heading)
        section.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.mouse.wheel(0, -160)  # below the sticky header
        page.wait_for_timeout(300)
        page.screenshot(path=str(Path(out) / "web-parts.png"))
