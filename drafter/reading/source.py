"""What a reader hands to the recogniser: paragraphs as plain text with the few marks of
their look that tell a heading from body text. No Word objects cross this line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# Bounds on what a reader accepts: far beyond any real report (50–500 paragraphs, 5,000–
# 30,000 characters), so a hostile file is refused before it is worked on. They keep the
# worst import under half a minute and its facts file under the 2 MB facts files may have
# (benchmarks/import_bounds.py).
MAX_PARAGRAPHS = 5_000
MAX_CHARS = 200_000


def too_long() -> str:
    """What the user is told when a file is over either bound."""
    return (f"文件超过 {MAX_PARAGRAPHS:,} 段或 {MAX_CHARS // 10_000} 万字，不像是一份自评报告，"
            "drafter 不读取")  # fmt: skip

Emphasis = Literal["", "bold", "heiti", "kaiti", "title"]
Alignment = Literal["", "left", "center", "right", "justify"]


@dataclass(frozen=True)
class SourceParagraph:
    """One paragraph of the source, in reading order."""

    text: str  # visible text; a soft line break is "\n"; no automatic list number
    number: int  # 1-based position among the source's paragraphs: "第N段" in messages
    style: str = ""  # the paragraph style's name as the file has it ("Heading 2", "标题 2")
    outline_level: int | None = None  # 1–9 from the style or direct formatting; None = body
    auto_number: str = ""  # the list number Word/WPS prints before the text ("（一）"), if any
    # Heading look: how many leading characters are emphasised (bold, or set in 黑体/楷体/
    # a 小标宋 title font), and which emphasis that is. A run-in heading is a lead shorter
    # than the text; a standalone heading in a body style is emphasised throughout.
    lead_chars: int = 0
    lead_emphasis: Emphasis = ""
    alignment: Alignment = ""
    size: float | None = None  # the largest font size in points, if set
    in_table: bool = False  # text of a table cell, kept as a paragraph
    page_break_before: bool = False

    @property
    def emphasised(self) -> bool:
        """The whole visible text carries a heading look."""
        stripped = self.text.strip()
        return bool(stripped) and self.lead_chars >= len(self.text.rstrip())


@dataclass
class SourceDocument:
    """Everything read from one input file."""

    path: Path
    paragraphs: list[SourceParagraph]
    # What the reader set aside or changed, in Chinese, for the user: "第12段起的表格按段落
    # 读入", "页眉页脚未读入", "批注 3 条未读入" …
    notes: list[str] = field(default_factory=list)
    kind: Literal["docx", "txt", "converted"] = "docx"
