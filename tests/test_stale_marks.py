"""Carried-over (!stale) facts are highlighted where they are printed, and only those listed."""

from __future__ import annotations

from conftest import MINIMAL_FACTS

from drafter.pipeline import draft_facts


def test_stale_issuer_and_period_are_highlighted_and_unused_fields_not_listed(write):
    text = (
        MINIMAL_FACTS.replace("period: 2021年以来", "period: !stale 2021年以来")
        + "issuer: !stale 重庆市江北区人民政府办公室\ncity: !stale 重庆市\n"
    )
    draft = draft_facts(write("2022.yaml", text))
    doc = draft.document
    assert [s.kind for s in doc.issuer] == ["stale"]
    assert any(s.kind == "stale" and "2021年以来" in s.text for line in doc.title_lines
               for s in line)  # fmt: skip
    assert set(draft.stale) == {("issuer",), ("period",)}  # city is never printed


def test_number_filters_take_metrics_and_carried_over_values(write):
    metric = "  毛入园率: {value: !stale 124.56, unit: '%'}"
    text = MINIMAL_FACTS.replace("  毛入园率: 124.6%", metric)
    text = text.replace(
        "text: 学前三年教育毛入园率达{{ m.毛入园率 }}。",
        "text: 约{{ m.毛入园率.value|num(1) }}，即{{ m.毛入园率|percent(0) }}。",
    )
    draft = draft_facts(write("2022.yaml", text))
    (run_in,) = [b for b in draft.document.blocks if getattr(b, "body", None)]
    assert "".join(s.text for s in run_in.body) == "约124.6，即125%。"
    assert [s.text for s in run_in.body if s.kind == "stale"] == ["124.6", "125%"]
    assert ("metrics", "毛入园率", "value") in draft.stale
