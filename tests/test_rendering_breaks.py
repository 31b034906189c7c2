"""Line breaking as a reader sees it, from the rendered PDFs of every sample (render_support):
a score annotation, a number with its unit and a 文号 are never split across lines; no
justified line is stretched because such a token moved down (except before a 文号 whose
issuer's abbreviation cannot move up with it); headings do not end in a one-character
line. Without drafter's binding (word/breaks.py) LibreOffice splits them, which the
contrast render shows, so these tests can fail.
"""

from __future__ import annotations

import itertools

import pytest
from render_support import (
    LEFT,
    NAMES,
    TYPE_W,
    UNBOUND,
    ZI,
    Rendered,
    needs_fonts,
    paragraph_lines,
    render_all,
)

from drafter.compose import document_lines
from drafter.document import Heading, plain
from drafter.preview import SCORE_ANNOTATION, split_annotations, unbreakable_texts
from drafter.word import breaks, linefit

STRETCHED = 3.5 * ZI  # "more than about 3 字" short of the right edge


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    return render_all(tmp_path_factory)


def _pages(r: Rendered) -> list[list[str]]:
    return [[ln.text for ln in page] for page in r.pages]


def _splits(r: Rendered) -> list[tuple[int, str]]:
    return split_annotations(_pages(r), unbreakable_texts(document_lines(r.draft.document)))


@needs_fonts
@pytest.mark.parametrize("name", NAMES)
def test_no_score_figure_or_doc_number_is_split_across_lines(rendered, name):
    r = rendered[name]
    texts = unbreakable_texts(document_lines(r.draft.document))
    assert sum(1 for t in texts if breaks.NUMBER_UNIT.fullmatch(t)) > 10
    assert _splits(r) == []


@needs_fonts
def test_without_the_binding_libreoffice_splits_them(rendered):
    """The same draft written without breaks.bind_body: LibreOffice (7.4 and 25.2) splits a
    dozen score annotations and several figures of shuangtaizi."""
    split = [text for _, text in _splits(rendered[UNBOUND])]
    assert sum(1 for t in split if SCORE_ANNOTATION.fullmatch(t)) >= 10
    assert any(breaks.NUMBER_UNIT.fullmatch(t) for t in split)


def _starts(text: str) -> dict[int, str]:
    """Offsets where a bound token (or its permitted second part) begins, with the opening
    marks that move down with it, → the token's kind."""
    starts = {}
    for token in breaks.tokens(text):
        kind = "文号" if breaks.DOC_NUMBER.fullmatch(text, token.start, token.end) else "其他"
        for at in (token.start, token.cut):
            while at is not None:
                starts[at] = kind
                at = at - 1 if at and text[at - 1] in linefit.NO_LINE_END else None
    return starts


@needs_fonts
@pytest.mark.parametrize("name", NAMES)
def test_no_justified_line_is_stretched_by_a_token_moved_down(rendered, name):
    """Where a whole token moved to the next line, the line before is full (or its
    paragraph is left-aligned in the .docx), save before a 文号: its abbreviation and
    〔year〕N号 only ever move down whole."""
    r = rendered[name]
    mapped = paragraph_lines(r)
    assert len(mapped) == len([t for t in document_lines(r.draft.document) if t.strip()])
    stretched = []
    for text, lines in mapped:
        if text in r.left_aligned or len(lines) < 2:
            continue
        starts, at = _starts(text), 0
        for line, following in itertools.pairwise(lines):
            at += len(line.text.replace(" ", ""))
            short = LEFT + TYPE_W - line.x1
            if short > STRETCHED and starts.get(at) == "其他":
                stretched.append((round(short / ZI, 1), line.text[-10:], following.text[:10]))
    assert stretched == []


@needs_fonts
@pytest.mark.parametrize("name", NAMES)
def test_headings_do_not_end_in_a_one_character_line(rendered, name):
    r = rendered[name]
    headings = {
        (b.number + plain(b.text)).replace(" ", "")
        for b in r.draft.document.blocks
        if isinstance(b, Heading) and b.body is None
    }
    short = [
        text
        for text, lines in paragraph_lines(r)
        if text in headings
        and len(lines) > 1
        and sum(1 for ch in lines[-1].text if ch not in linefit.NO_LINE_START) <= 1
    ]
    assert short == []


@needs_fonts
def test_preview_says_nothing_is_split_and_would_name_a_split(rendered, run_cli, tmp_path):
    """`preview` names each token the PDF shows split: none in the bound draft; the same
    check on the unbound render finds them (so the message is no empty promise)."""
    r = rendered["shuangtaizi"]
    assert split_annotations(_pages(rendered[UNBOUND]), unbreakable_texts(
        document_lines(r.draft.document)))  # fmt: skip
    result = run_cli("preview", r.facts, "-o", tmp_path / "双台子.pdf")
    assert result.returncode == 0, result.stderr
    assert "被分在两行" not in result.stdout
