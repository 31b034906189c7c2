"""What the Word writer does so that a score annotation, a number with its unit and a 文号
stay on one line (drafter/word/breaks.py), read back from the generated .docx: where the
joiners go, the run language, that the text read back is the composed text, and what it
does about a line the binding would leave short. The rendered proof is in
test_rendering_breaks.py."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE
from lxml import etree

from drafter.compose import document_lines
from drafter.document import Document, Heading, Paragraph, spans
from drafter.pipeline import draft_facts
from drafter.reading.docx_reader import read_docx
from drafter.word import breaks, build_docx, docx_bytes, linefit
from drafter.word.styles import RPR_ORDER

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
ZWJ, WJ = "\u200d", "\u2060"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def texts(found: list[breaks.Token], text: str) -> list[str]:
    return [text[t.start : t.end] for t in found]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("情况。（5分，自评分5分）", ["（5分，自评分5分）"]),
        ("治教（63分，自评得分61.6分）", ["（63分，自评得分61.6分）"]),
        ("率达98.5%，共1200人，上升3.2个百分点", ["98.5%", "1200人", "3.2个百分点"]),
        ("投入3719.9万元，完成30余所", ["3719.9万元", "30余所"]),
        ("的通知》（津教督导室〔2021〕40号）要求", ["津教督导室〔2021〕40号"]),
        ("按照津教督导室〔2021〕40号文件", ["〔2021〕40号"]),  # no mark sets the issuer off
    ],
)
def test_tokens(text, want):
    assert texts(breaks.tokens(text), text) == want


def test_a_doc_number_may_break_only_before_its_bracket():
    text = "（津教督导室〔2021〕40号）"
    (token,) = breaks.tokens(text)
    assert text[token.cut :].startswith("〔2021〕")
    glued = breaks.glue(text, [token], cuts=True)
    assert [i for i in range(token.start + 1, token.end) if not glued[i]] == [token.cut]


def test_joiners_go_only_where_a_line_could_break():
    text = "（5分，自评分5分）1200人98.5%"
    glued = breaks.glue(text, breaks.tokens(text))
    out = breaks.joined(text, tuple(glued), 0, len(text))
    j = breaks.JOINER
    assert out == f"（5{j}分，{j}自{j}评{j}分{j}5{j}分）1200{j}人98.5%"
    assert breaks.JOINER == ZWJ + WJ  # Word's No-Width Non Break, Unicode's word joiner


def _document() -> Document:
    return Document(
        title_lines=[spans("某某区人民政府2023年度履行教育职责情况的自评报告")],
        addressee=spans("市人民政府教育督导委员会办公室："),
        blocks=[
            Paragraph(
                spans(
                    "按照《关于印发评价方案的通知》（津教督导室〔2021〕40号）要求，"
                    "全区共有学校132所，在校生9.1万人，自评总分为98.6分。"
                )
            ),
            Heading(3, spans("普通高中破解“唯分数”落实情况。（2分，自评分2分）"), number="（2）"),
        ],
        issuer=spans("某某区人民政府"),
        date=spans("2024年7月23日"),
    )


@pytest.fixture(scope="module")
def bound(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, etree._Element, Document]:
    doc = _document()
    path = tmp_path_factory.mktemp("breaks") / "bound.docx"
    path.write_bytes(docx_bytes(build_docx(doc)))
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return path, root, doc


def _paragraphs(root: etree._Element) -> list[etree._Element]:
    return root.findall(".//w:body/w:p", NS)


def test_bound_runs_are_english_unproofed_with_joiners(bound):
    _, root, _ = bound
    runs = root.findall(".//w:r", NS)
    tagged = [r for r in runs if r.find("w:rPr/w:lang", NS) is not None]
    assert tagged
    for r in tagged:
        rpr = r.find("w:rPr", NS)
        assert rpr.find("w:lang", NS).get(w("eastAsia")) == breaks.BOUND_LANGUAGE
        assert rpr.find("w:noProof", NS) is not None
        order = [RPR_ORDER.index(etree.QName(c).localname) for c in rpr]
        assert order == sorted(order)
    bound_text = {"".join(t.text for t in r.findall("w:t", NS)) for r in tagged}
    assert f"（2{breaks.JOINER}分，{breaks.JOINER}自" in "".join(bound_text)
    for r in runs:  # joiners only in the bound runs
        if r not in tagged:
            assert ZWJ not in "".join(t.text or "" for t in r.findall("w:t", NS))


def test_title_and_signature_are_left_alone(bound):
    _, root, _ = bound
    for p in _paragraphs(root):
        style = p.find("w:pPr/w:pStyle", NS)
        if style is not None and style.get(w("val")) in ("GwTitle", "GwSignature", "GwDate"):
            assert ZWJ not in "".join(t.text or "" for t in p.iter(w("t")))


def test_the_text_read_back_is_the_composed_text(bound):
    path, root, doc = bound
    written = ["".join(t.text or "" for t in p.iter(w("t"))) for p in _paragraphs(root)]
    stripped = [t.translate(breaks.JOINERS) for t in written if t]
    assert stripped == [t for t in document_lines(doc) if t]
    read = [p.text for p in read_docx(path).paragraphs if p.text.strip()]
    assert read == [t for t in document_lines(doc) if t]


def test_a_heading_whose_score_moves_down_is_left_aligned(bound):
    """The annotation cannot follow 普通高中……情况。 on its line: it starts the second line,
    and the first line is not stretched, as it would be justified."""
    _, root, _ = bound

    def text(p: etree._Element) -> str:
        return "".join(p.itertext()).translate(breaks.JOINERS)

    heading = next(p for p in _paragraphs(root) if "唯分数" in text(p))
    assert heading.find("w:pPr/w:jc", NS).get(w("val")) == "left"
    body = next(p for p in _paragraphs(root) if "津教督导室" in text(p))
    assert body.find("w:pPr/w:jc", NS) is None  # body text stays justified


def test_a_heading_one_character_too_long_is_tightened_onto_one_line():
    text = "（六）建立健全安全管理长效机制，进一步规范学校办学行为"
    plan = breaks.plan(text, heading=True)
    assert -breaks.MAX_TIGHTEN_HEADING <= plan.spacing < 0
    assert len(linefit.fit(text, list(plan.glued), spacing=plan.spacing).lines) == 1
    assert breaks.plan(text).spacing == 0  # body text keeps 28 字 a line


def test_a_doc_number_that_would_leave_a_long_gap_breaks_before_its_bracket():
    document = draft_facts(SAMPLE["dongli"]).document
    text = next(t for t in document_lines(document) if "津教督导室〔" in t)
    plan = breaks.plan(text)
    (token,) = [t for t in breaks.tokens(text) if t.cut is not None]
    assert not plan.glued[token.cut]  # 津教督导室 | 〔2021〕40号
    assert all(plan.glued[token.cut + 1 : token.end])


def test_paragraphs_needing_nothing_are_written_as_before():
    text = "全区共有学校。"
    assert breaks.plan(text) == breaks.Plan(tuple(breaks.glue(text, [])))
    assert not breaks.plan(text).changes_layout


def test_a_run_with_a_line_break_is_left_alone():
    doc = Document(
        title_lines=[spans("标题")],
        addressee=None,
        blocks=[Paragraph(spans("第一行共有132所\n第二行9.1万人"))],
        issuer=spans("某某区人民政府"),
        date=spans("2024年7月23日"),
    )
    data = docx_bytes(build_docx(doc))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert ZWJ not in xml and "<w:br/>" in xml


def test_with_a_reference_document_tokens_are_bound_but_the_layout_is_left_alone(tmp_path):
    """A reference document may change the page and fonts: the 28 字 line model no longer
    holds, so no tightening and no alignment, only the joiners."""
    reference = tmp_path / "ref.docx"
    reference.write_bytes(docx_bytes(build_docx(_document())))
    data = docx_bytes(build_docx(_document(), reference=reference))
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    jcs = root.findall(".//w:body/w:p/w:pPr/w:jc", NS)
    assert not [jc for jc in jcs if jc.get(w("val")) == "left"]
    assert root.findall(".//w:r/w:rPr/w:spacing", NS) == []
    assert root.findall(".//w:r/w:rPr/w:lang", NS)


def test_the_line_search_fits_as_the_step_by_step_filling():
    """fit_prepared finds lines by bisection where the running width cannot decrease; on
    every paragraph of the samples, at every tightening and in both offices' models, that
    gives the lines the character-by-character filling gives."""
    from pathlib import Path

    from drafter.pipeline import document_lines, draft_facts

    samples = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*/*.yaml"))
    texts = [t for p in samples for t in document_lines(draft_facts(p).document) if t]
    compared = 0
    for text in texts:
        for cuts in (False, True):
            fast = linefit.prepare(text, breaks.glue(text, breaks.tokens(text), cuts))
            slow = linefit.Prepared(fast.can, fast.hangs, fast.widths, fast.gaps, fast.gap,
                                    fast.breaks, narrowest=-10**6)  # forces the loop
            for spacing in (0, -6, -12):
                for autospace in (0, linefit.LIBREOFFICE_AUTOSPACE):
                    fits = [linefit.fit_prepared(q, 2 * linefit.ZI, spacing, autospace)
                            for q in (fast, slow)]  # fmt: skip
                    assert fits[0] == fits[1], text
                    compared += 1
    assert compared > 1000


def test_prepare_scans_give_each_characters_own_answer():
    """prepare() finds breaks, widths, 汉字–digit gaps and hanging marks by scanning for the
    few characters that matter; each must equal the per-character rule it stands for."""
    import random

    rng = random.Random(17)
    alphabet = ("教育经费万元个百分点。，、；：？！（）《》“”‘’〔〕…—·%‰.,:0123456789abXY"
                " éα①℃㐀\u3000")
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))) for _ in range(800)]
    for text in texts:
        glued = breaks.glue(text, breaks.tokens(text))
        for quotes in (True, False):
            p = linefit.prepare(text, glued, quotes)
            n = len(text)
            can = [i > 0 and not glued[i] and linefit.pair_breaks(text[i - 1], text[i], quotes)
                   for i in range(n)]  # fmt: skip
            kind = [1 if "\u4e00" <= c <= "\u9fff" else 2 if c.isascii() and c.isalnum() else 0
                    for c in text]  # fmt: skip
            gap = [i > 0 and not glued[i] and kind[i - 1] * kind[i] == 2 for i in range(n)]
            hangs = [c in linefit._HANGING and not glued[i] for i, c in enumerate(text)]
            assert list(p.can) == can, text
            assert list(p.gap) == gap, text
            assert list(p.hangs) == hangs, text
            assert [b - a for a, b in zip(p.widths, p.widths[1:], strict=False)] == [
                linefit.char_width(c) for c in text
            ], text
