"""Every real report reproduced: the samples' drafted text and outline equal the reviewed
golden files (written by hand from the seed reports, see samples/<district>/NOTES.md),
and the .docx read back carries the same text, numbering and structure."""

from __future__ import annotations

import pytest
from conftest import SAMPLE, docx_texts, golden
from docx.oxml.ns import qn

from drafter.compose import document_lines
from drafter.document import Heading, plain
from drafter.pipeline import draft_facts
from drafter.word import build_docx, docx_bytes


@pytest.fixture(scope="module", params=sorted(SAMPLE))
def sample(request):
    name = request.param
    return name, draft_facts(SAMPLE[name])


def test_drafted_text_equals_golden(sample):
    name, draft = sample
    assert document_lines(draft.document) == golden(name)


def test_outline_equals_golden(sample):
    name, draft = sample
    outline = [
        f"{b.level}\t{b.number}\t{plain(b.text)}"
        for b in draft.document.blocks
        if isinstance(b, Heading)
    ]
    assert outline == golden(name, ".outline.txt")


def test_samples_have_no_gaps(sample):
    _, draft = sample
    assert draft.gaps == {}


def test_docx_text_equals_golden(sample):
    name, draft = sample
    assert docx_texts(docx_bytes(build_docx(draft.document))) == golden(name)


def style_id(paragraph) -> str | None:
    ppr = paragraph._p.pPr
    return None if ppr is None or ppr.pStyle is None else ppr.pStyle.val


def test_jiangbei_structure_in_the_docx(jiangbei_docx):
    paragraphs = [p for p in jiangbei_docx.paragraphs if p.text]
    ids = [style_id(p) for p in paragraphs]
    assert ids[:3] == ["GwTitle", "GwTitle", "GwAddressee"]
    assert ids[-2:] == ["GwSignature", "GwDate"]
    assert paragraphs[-2].text == "重庆市江北区人民政府"
    assert paragraphs[-1].text == "2022年12月13日"

    level1 = [p.text[:2] for p in paragraphs if style_id(p) == "Heading1"]
    assert level1 == ["一、", "二、", "三、"]
    level2 = [p.text.split("）")[0] + "）" for p in paragraphs if style_id(p) == "Heading2"]
    assert level2 == ["（一）", "（二）"] + [f"（{n}）" for n in "一二三四五六"] * 2

    run_ins = [p for p in paragraphs if p.runs and p.runs[0]._r.rPr is not None
               and p.runs[0]._r.rPr.find(qn("w:rStyle")) is not None]
    numbers = [p.runs[0].text.split(".")[0] for p in run_ins]
    assert numbers == [str(n) for n in range(1, 9)] + [str(n) for n in range(1, 5)]
    first = run_ins[0]
    assert first.runs[0].text == "1.加强党对教育工作全面领导。"
    assert first.runs[0]._r.rPr.find(qn("w:rStyle")).get(qn("w:val")) == "GwRunIn3"
    assert first.runs[1].text.startswith("在区委领导下")
    assert first.runs[1]._r.rPr is None  # the body part is plain body text


def test_jiangbei_page_and_footer(jiangbei_docx):
    section = jiangbei_docx.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert jiangbei_docx.settings.odd_and_even_pages_header_footer
    odd = section.footer._element.xml
    even = section.even_page_footer._element.xml
    assert "PAGE" in odd and "PAGE" in even
    assert 'w:val="right"' in odd and 'w:val="left"' in even
