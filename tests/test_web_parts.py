"""`drafter serve` edits the sections a profile adds (their facts under `parts:`): heading,
opening text and items, saved round trip into the same facts file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("flask")

from webparts import REL, make_parts_report

from drafter.web import create_app
from drafter.web.state import field_id
from drafter.web.workspace import version_of


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    return make_parts_report(tmp_path / "报告")


@pytest.fixture
def client(facts: Path):  # type: ignore[no-untyped-def]
    return create_app(facts.parent.parent).test_client()


def post(client, facts: Path, url: str, **data: str):  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    data["csrf"] = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    data.setdefault("version", version_of(facts.read_bytes()))
    return client.post(f"/r/{REL}/{url}", data=data)


def saved(client, facts: Path, url: str, **data: str) -> None:  # type: ignore[no-untyped-def]
    response = post(client, facts, url, **data)
    assert response.status_code == 303, response.get_data(as_text=True)


def editor(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get(f"/r/{REL}").get_data(as_text=True)
    return html[html.index('id="editor"'):html.index('class="side"')]


def preview(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get(f"/r/{REL}/preview/text").get_data(as_text=True)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_a_part_is_shown_where_the_draft_has_it(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/r/{REL}").get_data(as_text=True)
    page = editor(client)
    assert "经验启示" in page and "五年来，我区积累了以下经验。" in page
    assert "坚持党的全面领导" in page and "深化教师“县管校聘”改革。" in page
    assert 'data-path="headings.lessons"' in page and 'data-path="parts.lessons.text"' in page
    order = [page.index(text) for text in ("学前教育普及普惠", "经验启示", "学前教育资源仍显不足")]
    assert order == sorted(order)
    assert re.search(r'class="number">（二）</span>.*?坚持改革创新', page, re.S)  # as drafted
    assert re.search(r'field stale" id="[^"]+" data-path="parts.lessons.items.1.title"', page)
    ids = set(re.findall(r' id="([^"]+)"', html))
    outline = html[html.index('class="outline"'):html.index('id="editor"')]
    links = re.findall(r'href="#([^"]*)"', outline) + re.findall(
        r'href="#([^"]*)"', html[html.index('id="findings"'):])
    assert field_id(("section", "lessons")) in links
    assert field_id("parts.lessons.items.1.title") in links  # the !stale finding
    assert [link for link in links if link not in ids] == []


def test_heading_text_and_items_of_a_part_are_saved_round_trip(client, facts: Path) -> None:  # type: ignore[no-untyped-def]
    before = facts.read_text("utf-8")
    saved(client, facts, "set", path="headings.lessons", value="经验与启示")
    saved(client, facts, "set", path="parts.lessons.text",
                value="五年来，我区积累了以下经验。\n一是坚持，二是创新。")
    saved(client, facts, "set", path="parts.lessons.items.0.title",
                value="坚持党对教育工作的全面领导")
    saved(client, facts, "item", list="parts.lessons.items", index="1",
                op="add")
    after = facts.read_text("utf-8")
    assert "headings:\n  lessons: 经验与启示\nachievements:" in after  # before the prose
    assert "      - 五年来，我区积累了以下经验。\n      - 一是坚持，二是创新。\n" in after
    assert "      - title: 坚持党对教育工作的全面领导\n" in after
    assert "      - title: !stale 坚持改革创新\n" in after  # untouched: still to review
    comments = [line.strip() for line in before.splitlines() if "#" in line]
    assert all(c.split("#")[1] in after for c in comments)  # every comment kept
    text = preview(client)
    assert "二、经验与启示" in text and "一是坚持，二是创新。" in text
    assert "（一）坚持党对教育工作的全面领导。" in text
    assert "（三）新条目。请在这里填写正文。" in text
    saved(client, facts, "item", list="parts.lessons.items", index="2",
                op="delete")
    saved(client, facts, "set", path="headings.lessons", value="")
    final = facts.read_text("utf-8")
    assert "headings" not in final and "新条目" not in final  # the profile's heading is back
    assert "二、经验启示" in preview(client)


def test_editing_a_stale_part_item_reviews_it(client, facts: Path) -> None:  # type: ignore[no-untyped-def]
    saved(client, facts, "set", path="parts.lessons.items.1.title",
                value="坚持改革创新")
    assert "      - title: 坚持改革创新\n" in facts.read_text("utf-8")
    assert "沿用上年" not in editor(client)


@pytest.mark.parametrize("short, expected", [
    ("parts:\n  lessons:\n    - 第一段。\n    - 第二段。\n", "第一段。第二段。"),
    ("parts:\n  lessons: 只有一段。\n", "只有一段。"),
    ("parts:\n  lessons:\n    - title: 坚持党的全面领导\n      text: 正文。\n", "（一）坚持党的"),
])  # fmt: skip
def test_a_part_written_short_takes_text_and_items(tmp_path: Path, short: str,
                                                   expected: str) -> None:  # fmt: skip
    facts = make_parts_report(tmp_path / "报告", short)
    client = create_app(facts.parent.parent).test_client()
    assert expected in preview(client)
    saved(client, facts, "set", path="parts.lessons.text", value="新的导语。")
    saved(client, facts, "item", list="parts.lessons.items", index="-1",
                op="add")
    text = preview(client)
    assert "二、经验启示新的导语。（一）新条目。请在这里填写正文。" in text, text


def test_a_template_error_typed_into_a_part_is_located(client, facts: Path) -> None:  # type: ignore[no-untyped-def]
    saved(client, facts, "set", path="parts.lessons.items.0.text",
                value="入园率达到{{ m.没有这个指标 }}。")
    html = client.get(f"/r/{REL}").get_data(as_text=True)
    line = next(i for i, text in enumerate(facts.read_text("utf-8").splitlines(), 1)
                if "没有这个指标" in text)
    assert "事实文件有错误" in html
    assert f"{REL} 第{line}行" in html and "没有这个指标" in html
    assert "Traceback" not in html


def test_a_part_items_scores_are_summed(tmp_path: Path) -> None:
    parts = ("parts:\n  lessons:\n    items:\n      - title: 甲\n"
             "        score: {max: 10, self: 8}\n        text: 正文。\n")  # fmt: skip
    facts = make_parts_report(tmp_path / "报告", parts)
    client = create_app(facts.parent.parent).test_client()
    assert 'name="score:parts.lessons.items.0:max" value="10"' in editor(client)
    response = post(client, facts, "scores", **{"score:parts.lessons.items.0:self": "9"})
    assert response.status_code == 200 and "分值有误" not in response.get_data(as_text=True)
    saved(client, facts, "score", **{"score:parts.lessons.items.0:self": "9"})
    assert "score: {max: 10, self: 9}" in facts.read_text("utf-8")
